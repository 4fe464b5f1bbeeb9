#!/usr/bin/env python3
"""Time the streamed exports on PostgreSQL: a school with 100,000 enrolments and its municipality.

    .venv/bin/python scripts/bench_export.py [--rows 100000] [--write]

First, in a process of its own, the bench database gets a school with ROWS schoolgoing youth
(generated, valid elfproef BSNs, with an uitstroomperspectief), loaded through the import engine
exactly as a school's jongerenlijst would be. Then every export runs in a fresh process, so that
its peak memory is its own, through the real view (permission check, filters, count, rows,
one EXPORT audit event per youth, spreadsheet written to a spooled temporary file, download read
in blocks):

  - school xlsx:       the JIKP Schoolgaand export, tab "Alle jongeren" (jikp:schoolgaand_export);
  - school csv:        the same as CSV;
  - school xlsx, 1 class: the same filtered to one class (about 1/12 of the rows), to show that
    memory does not grow with the number of rows;
  - municipality xlsx: the youth list export of the municipality (youth:export, with BSN).

Time is wall clock from the request to the last byte of the download; memory is the peak resident
set (ru_maxrss) of the process, and its growth over the process after Django start and login.
With --write the table goes into docs/performance.md between the bench-export markers.

Exits 1 when a target of docs/performance.md ("Exports") is missed: every xlsx export within
TARGET_S of wall clock, and memory that does not grow with the number of rows (the all-youth
export peaks at most MEMORY_SLACK_MB above the one-class export, and no export grows by more than
MEMORY_GROWTH_MB over its process after start-up).

The server comes from DATABASE_URL (postgres://...), default postgres://postgres@127.0.0.1/vangnet;
the bench works in its own database "<name>_exportbench", which it creates, migrates and empties
(TRUNCATE of the person, import and audit tables) before loading. Nothing else is touched.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from bench_import import DEFAULT_URL, _env, ensure_database, machine, peak_mb

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "performance.md"
START, END = "<!-- bench-export:start -->", "<!-- bench-export:end -->"
SCHOOL_CODE = "bench-export-school"
SCHOOL_USER = "bench-export-school@example.test"
MUNICIPALITY_USER = "bench-export-gemeente@example.test"
# Targets (docs/performance.md, "Exports"): a 100,000-row xlsx export within 10 s (wall clock, to
# the last byte), with memory that does not grow with the number of rows.
TARGET_S = 10.0
TARGET_FORMATS = ("xlsx",)
MEMORY_SLACK_MB = 25
MEMORY_GROWTH_MB = 50

CASES = {
    "school-xlsx": ("School list Schoolgaand, all youth", "xlsx", {"tab": "alle"}),
    "school-csv": ("School list Schoolgaand, all youth", "csv", {"tab": "alle"}),
    "school-class": ("School list Schoolgaand, one class", "xlsx", {"tab": "alle", "klas": "1A"}),
    "municipality-xlsx": ("Municipality youth list (with BSN)", "xlsx", {}),
}


def bench_url() -> str:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        url = DEFAULT_URL
    parts = urlsplit(url)
    name = parts.path.lstrip("/") or "vangnet"
    return urlunsplit(parts._replace(path=f"/{name}_exportbench"))


def _django() -> None:
    sys.path[:0] = [str(ROOT), str(ROOT / "src")]
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vangnet.settings")
    import django

    django.setup()


def load(rows: int) -> dict[str, object]:
    """Empty the bench tables and load one school with `rows` schoolgoing youth."""
    _django()
    from django.db import connection

    from tests.factories import MunicipalityFactory, OrganisationFactory, RegionFactory, UserFactory
    from vangnet.accounts.models import Role
    from vangnet.organisations.models import OrganisationKind
    from vangnet.transfers import services
    from vangnet.transfers.tests.builders import YOUTH_LIST_HEADER, fast_xlsx, generated_youth_rows

    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE youth_youth, youth_enrolment, jikp_uitstroomperspectief, "
            "jikp_perspectivechange, transfers_importjob, transfers_importfile, "
            "audit_auditevent, accounts_user, organisations_organisation, "
            "organisations_municipality, organisations_region CASCADE"
        )
    region = RegionFactory(name="Exportbench", code="EXPB")
    municipality = MunicipalityFactory(region=region, name="Exportstad", cbs_code="GM9990")

    def organisation(kind: str, name: str, code: str) -> object:
        return OrganisationFactory(
            kind=kind, municipality=municipality, region=region, name=name, code=code
        )

    school = organisation(OrganisationKind.PRO_SCHOOL, "Exportschool", SCHOOL_CODE)
    gemeente = organisation(OrganisationKind.MUNICIPALITY, "Gemeente Exportstad", "bench-gem")
    user = UserFactory(organisation=school, roles=[Role.USER], email=SCHOOL_USER)
    UserFactory(organisation=gemeente, roles=[Role.TRANSITION_CONSULTANT], email=MUNICIPALITY_USER)
    data = fast_xlsx(
        YOUTH_LIST_HEADER, generated_youth_rows(rows, municipality=municipality.cbs_code, seed=rows)
    )
    started = time.perf_counter()
    plan = services.import_check(kind="jongerenlijst", data=data, school=school)
    assert plan.report.valid, plan.report.errors[:3]
    services.import_apply(plan=plan, acting_user=user)
    load_s = time.perf_counter() - started
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return {"rows": rows, "load_s": round(load_s, 1)}


def export(case: str) -> dict[str, object]:
    """One export through its view, in this (fresh) process."""
    _django()
    from django.db import connection
    from django.test import RequestFactory
    from django.urls import resolve, reverse

    from vangnet.accounts.models import User
    from vangnet.audit.models import AuditAction, AuditEvent

    label, fmt, params = CASES[case]
    municipality = case.startswith("municipality")
    user = User.objects.select_related("organisation").get(
        email=MUNICIPALITY_USER if municipality else SCHOOL_USER
    )
    url = reverse("youth:export" if municipality else "jikp:schoolgaand_export")
    view = resolve(url).func
    request = RequestFactory().get(url, {**params, "formaat": fmt})
    request.user = user
    events_before = AuditEvent.objects.filter(action=AuditAction.EXPORT).count()
    with connection.cursor() as cursor:  # the server process that will run the export's queries
        cursor.execute("SELECT pg_backend_pid()")
        backend = cursor.fetchone()[0]
    base_mb = peak_mb()
    cpu_before = _cpu_s()
    server_before = _server_cpu_s(backend)

    started = time.perf_counter()
    response = view(request)
    written_s = time.perf_counter() - started
    size = 0
    for block in response.streaming_content:
        size += len(block)
    response.close()
    total_s = time.perf_counter() - started
    cpu_s = _cpu_s() - cpu_before
    server_s = _server_cpu_s(backend) - server_before
    memory_mb = peak_mb()

    audited = AuditEvent.objects.filter(action=AuditAction.EXPORT).count() - events_before
    assert response.status_code == 200, response.status_code
    return {
        "case": case,
        "label": label,
        "format": fmt,
        "filters": params,
        "rows": audited,
        "file_mb": round(size / 1024 / 1024, 1),
        "written_s": round(written_s, 2),
        "total_s": round(total_s, 2),
        "cpu_s": round(cpu_s, 2),
        "server_s": round(server_s, 2) if server_s >= 0 else None,
        "rows_per_s": round(audited / total_s) if total_s else 0,
        "base_mb": round(base_mb),
        "peak_mb": round(memory_mb),
        "growth_mb": round(memory_mb - base_mb),
    }


def _cpu_s() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _server_cpu_s(pid: int) -> float:
    """CPU seconds of a local PostgreSQL server process (-1 when it cannot be read)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return -1.0
    ticks = os.sysconf("SC_CLK_TCK")
    return (int(fields[11]) + int(fields[12])) / ticks  # utime + stime


def _child(args: list[str], env: dict[str, str]) -> dict[str, object]:
    out = subprocess.run(  # noqa: S603 (this script, fixed arguments)
        [sys.executable, __file__, *args],
        check=True,
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def table(loaded: dict[str, object], results: list[dict[str, object]], url: str) -> str:
    lines = [
        f"### Latest export run ({dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC)",
        "",
        f"Command: `DATABASE_URL=postgres://... .venv/bin/python scripts/bench_export.py "
        f"--rows {loaded['rows']}` (database `{urlsplit(url).path.lstrip('/')}`).",
        "",
        f"Machine: {machine(url)}.",
        "",
        f"Data: one PrO school with {loaded['rows']:,} schoolgoing youth, each with an "
        "uitstroomperspectief, all living in one municipality of the region (loaded through the "
        + (
            f"import engine in {loaded['load_s']} s)."
            if isinstance(loaded["load_s"], int | float)
            else "import engine by an earlier run)."
        ),
        "",
        "| export | format | rows | file | wall clock (to last byte) | CPU Python + PostgreSQL "
        f"| rows/s (wall) | peak memory (growth) | within {TARGET_S:.0f} s (wall / CPU) |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for r in results:
        cpu = float(str(r["cpu_s"])) + float(str(r["server_s"] or 0))
        wall_ok = "yes" if float(str(r["total_s"])) <= TARGET_S else "**no**"
        cpu_ok = "yes" if cpu <= TARGET_S else "**no**"
        server = f" + {r['server_s']} s = {cpu:.1f} s" if r["server_s"] is not None else " + ?"
        lines.append(
            f"| {r['label']} | {r['format']} | {r['rows']:,} | {r['file_mb']} MB "
            f"| {r['total_s']} s | {r['cpu_s']} s{server} | {r['rows_per_s']:,} "
            f"| {r['peak_mb']} MB (+{r['growth_mb']} MB) | {wall_ok} / {cpu_ok} |"
        )
    return "\n".join(lines)


def targets_missed(results: list[dict[str, Any]]) -> list[str]:
    """One line per missed target; empty when every export met them."""
    missed = []
    for r in results:
        name = f"{r['label']} ({r['format']})"
        if r["format"] in TARGET_FORMATS and float(r["total_s"]) > TARGET_S:
            missed.append(f"{name}: {r['total_s']} s > {TARGET_S:g} s")
        if float(r["growth_mb"]) > MEMORY_GROWTH_MB:
            missed.append(f"{name}: memory grew {r['growth_mb']} MB > {MEMORY_GROWTH_MB} MB")
    by_case = {r["case"]: r for r in results}
    if "school-xlsx" in by_case and "school-class" in by_case:
        every, one_class = by_case["school-xlsx"], by_case["school-class"]
        if float(every["peak_mb"]) > float(one_class["peak_mb"]) + MEMORY_SLACK_MB:
            missed.append(
                f"memory grows with the rows: {every['rows']:,} rows peak {every['peak_mb']} MB, "
                f"{one_class['rows']:,} rows {one_class['peak_mb']} MB "
                f"(more than {MEMORY_SLACK_MB} MB apart)"
            )
    return missed


def verdict(results: list[dict[str, Any]]) -> tuple[str, int]:
    """The targets and the verdict as text for the table, and the exit status of the bench."""
    missed = targets_missed(results)
    lines = [
        f"Targets: {', '.join(TARGET_FORMATS)} export within {TARGET_S:g} s wall clock; memory "
        f"growth at most {MEMORY_GROWTH_MB} MB, all youth within {MEMORY_SLACK_MB} MB of one class.",
        "",
        *(f"- **Target missed**: {line}" for line in missed),
        "Result: " + ("**FAILED**" if missed else "every target met") + ".",
    ]
    return "\n".join(lines), 1 if missed else 0


def write_doc(block: str) -> None:
    text = DOC.read_text()
    section = f"{START}\n{block}\n{END}"
    if START in text and END in text:
        head, rest = text.split(START, 1)
        text = head + section + rest.split(END, 1)[1]
    else:
        text = text.rstrip("\n") + "\n\n" + section + "\n"
    DOC.write_text(text)


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--write", action="store_true", help="write into docs/performance.md")
    parser.add_argument(
        "--skip-load", action="store_true", help="export the data an earlier run loaded"
    )
    parser.add_argument("--load", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--case", choices=sorted(CASES), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.load:
        print(json.dumps(load(args.load)))
        return 0
    if args.case:
        print(json.dumps(export(args.case)))
        return 0
    url = bench_url()
    ensure_database(url)
    env = _env(url)
    vangnet = str(ROOT / ".venv" / "bin" / "vangnet")
    subprocess.run(  # noqa: S603 (fixed command)
        [vangnet, "migrate", "--noinput", "-v", "0"], check=True, env=env, cwd=ROOT
    )
    if args.skip_load:
        loaded = {"rows": args.rows, "load_s": None}
    else:
        loaded = _child(["--load", str(args.rows)], env)
        print(f"loaded {args.rows} rows in {loaded['load_s']} s", file=sys.stderr)
    results = []
    for case in CASES:
        results.append(_child(["--case", case], env))
        print(f"{case}: {results[-1]['total_s']} s", file=sys.stderr)
    summary, status = verdict(results)
    block = table(loaded, results, url) + "\n\n" + summary
    print(block)
    if args.write:
        write_doc(block)
    return status


if __name__ == "__main__":
    sys.exit(main())
