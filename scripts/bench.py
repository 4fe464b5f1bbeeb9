#!/usr/bin/env python3
"""Time every main page of every role through its real view at national scale (`make bench`).

    .venv/bin/python scripts/bench.py [--youth 1000000] [--runs 30] [--skip-seed] [--no-load]

Uses DATABASE_URL when it points at PostgreSQL, else postgres://postgres@127.0.0.1/vangnet_bench
(created when missing, then migrated). The national data set is loaded when it is missing or has
another size than --youth (`vangnet seed --scale national --reset`), else kept.

Each page is requested through the Django test client (middleware, session, authentication,
two-step check, view, queries, audit writes, template), warm, after 3 warm-up requests, --runs
times: p50/p95 of that server time. The queries of one request are captured and run again, raw
on the database connection, --runs times inside a transaction that is rolled back: raw_sql_ms is
their p50 and ratio = p50 of the page / raw_sql_ms. Then (unless --no-load) gunicorn with 2
workers serves the school list and the gemeente list to wrk (2 connections) for --load-seconds.

Targets (docs/performance.md): every page p95 <= 50 ms and ratio <= 2; the query count of a list
the same on its first, middle and last page; >= 150 req/s for the school list and >= 100 req/s
for the gemeente list under load, no errors. Exits 1 when a target is missed. Writes
var/bench/pages.json and the block between the bench markers in docs/performance.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shlex
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_URL = "postgres://postgres@127.0.0.1/vangnet_bench"
DOC = ROOT / "docs" / "performance.md"
START, END = "<!-- bench:start -->", "<!-- bench:end -->"
JSON_OUT = ROOT / "var" / "bench" / "pages.json"
P95_TARGET_MS = 50.0
RATIO_TARGET = 2.0
LOAD_TARGETS = {"school list": 150.0, "gemeente list": 100.0}


def database_url() -> str:
    url = os.environ.get("DATABASE_URL", "")
    return url if url.startswith(("postgres://", "postgresql://")) else DEFAULT_URL


def ensure_database(url: str, *, fresh: bool) -> None:
    """CREATE DATABASE when it does not exist yet (connects to the server's 'postgres' db).

    With fresh, the database is dropped first; only done for the bench's own default database.
    """
    import psycopg
    from psycopg import sql

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        if fresh:
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))
        if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            return
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        print(f"created database {name}")


def machine() -> dict[str, str]:
    from django.db import connection

    ram = "?"
    cpu = platform.processor() or "?"
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                ram = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    with connection.cursor() as cur:
        cur.execute("SHOW server_version")
        pg = cur.fetchone()[0]
        settings = {}
        for name in ("shared_buffers", "work_mem", "effective_cache_size", "random_page_cost"):
            cur.execute(f"SHOW {name}")
            settings[name] = cur.fetchone()[0]
    try:
        load = Path("/proc/loadavg").read_text().split()[:3]
        load_text = " / ".join(load) + " (1/5/15 min, at the end of the run)"
    except OSError:
        load_text = "?"
    return {
        "nproc": str(os.cpu_count()),
        "load average": load_text,
        "cpu": cpu,
        "ram": ram,
        "postgresql": pg + " (" + ", ".join(f"{k} {v}" for k, v in settings.items()) + ")",
        "python": platform.python_version(),
        "os": platform.platform(),
    }


def quantiles(samples: list[float]) -> tuple[float, float]:
    cuts = statistics.quantiles(samples, n=100, method="inclusive")
    return cuts[49], cuts[94]


def loadavg() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "?"


@dataclass
class PageResult:
    page: str
    role: str
    url: str
    p50_ms: float
    p95_ms: float
    queries: int
    raw_sql_ms: float
    ratio: float
    load: str
    status: int = 200
    group: str = ""  # pages of one list at other page numbers: their query counts must agree

    def misses(self) -> list[str]:
        problems = []
        if self.status != 200:
            problems.append(f"status {self.status}")
        if self.p95_ms > P95_TARGET_MS:
            problems.append(f"p95 {self.p95_ms:.1f} ms > {P95_TARGET_MS:.0f} ms")
        if self.ratio > RATIO_TARGET:
            problems.append(f"ratio {self.ratio:.2f} > {RATIO_TARGET:.0f}")
        return problems


def signed_in_client(user: Any) -> Any:
    """A test client whose session is signed in with a verified second factor."""
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="bench", confirmed=True)
    client = Client()
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def raw_sql_ms(sqls: list[str], runs: int) -> float:
    """p50 of running the page's captured statements once more, raw, in a rolled-back
    transaction (the audit and session writes included)."""
    from django.db import connection, transaction

    samples = []
    with transaction.atomic():
        raw = connection.connection
        for _ in range(runs + 3):
            started = time.perf_counter()
            with raw.cursor() as cur:
                for sql in sqls:
                    cur.execute(sql)
                    if cur.description is not None:
                        cur.fetchall()
            samples.append((time.perf_counter() - started) * 1000)
        transaction.set_rollback(True)
    return statistics.median(samples[3:])


def time_page(client: Any, url: str, runs: int) -> tuple[float, float, int, list[str], int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    status = 0
    for _ in range(3):
        status = client.get(url).status_code
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        client.get(url)
        samples.append((time.perf_counter() - started) * 1000)
    with CaptureQueriesContext(connection) as ctx:
        status = client.get(url).status_code
    sqls = [q["sql"] for q in ctx.captured_queries]
    p50, p95 = quantiles(samples)
    return p50, p95, len(sqls), sqls, status


def pages_per_role(region: int) -> list[tuple[str, str, list[tuple[str, str, str]]]]:
    """(role, e-mail, [(page, url, group)]) for the national accounts of one region."""
    from django.urls import reverse

    from vangnet.accounts.models import User
    from vangnet.core.seeding import national
    from vangnet.organisations.models import Organisation
    from vangnet.youth.models import Enrolment, YouthRegion

    school_email = national.account_email("pro.gebruiker", region)
    dean_email = national.account_email("vo.decaan", region)
    gemeente_email = national.account_email("gemeente.consulent", region)
    gemeente = User.objects.get(email=gemeente_email)
    region_id = gemeente.organisation.region_id
    school = User.objects.get(email=school_email).organisation
    dean_school: Organisation = User.objects.get(email=dean_email).organisation
    per_page = 25

    def pupil_of(org: Organisation) -> int:
        return (
            Enrolment.objects.filter(organisation=org, unenrolled_on__isnull=True)
            .order_by("pk")
            .values_list("youth_id", flat=True)[0]
        )

    rows = YouthRegion.objects.filter(region_id=region_id).order_by(
        "last_name", "first_name", "youth_id"
    )
    total = rows.count()
    pages = max(1, -(-total // per_page))
    middle = pages // 2
    # The page after this row is the middle page, as the "next" links reach it.
    cursor = rows.values_list("youth_id", flat=True)[(middle - 1) * per_page - 1]
    common_name = rows.values_list("last_name", flat=True)[total // 3]
    youth_list = reverse("youth:list")
    home = "/"  # the dashboard of every role
    schoolgaand = reverse("jikp:schoolgaand")
    school_all = f"{schoolgaand}?tab=alle"

    school_rows = Enrolment.objects.filter(organisation=school, unenrolment_processed=False).count()
    school_last = max(1, -(-school_rows // per_page))
    return [
        (
            "school (PrO gebruiker)",
            school_email,
            [
                ("dashboard", home, ""),
                ("Schoolgaand: te behandelen", schoolgaand, ""),
                ("Schoolgaand: alle, page 1", school_all, "school-all"),
                (
                    "Schoolgaand: alle, middle page",
                    f"{school_all}&page={max(1, school_last // 2)}",
                    "school-all",
                ),
                ("Schoolgaand: alle, last page", f"{school_all}&page={school_last}", "school-all"),
                ("Uitgeschreven", reverse("jikp:uitgeschreven"), ""),
                ("Entree", reverse("jikp:entree"), ""),
                ("youth list", youth_list, ""),
                ("youth detail", reverse("youth:detail", args=[pupil_of(school)]), ""),
            ],
        ),
        (
            "school (VO decaan)",
            dean_email,
            [
                ("dashboard", home, ""),
                ("Schoolgaand: te behandelen", schoolgaand, ""),
                ("youth detail", reverse("youth:detail", args=[pupil_of(dean_school)]), ""),
            ],
        ),
        (
            "gemeente (doorstroomconsulent)",
            gemeente_email,
            [
                ("dashboard", home, ""),
                ("youth list, page 1", youth_list, "gemeente-list"),
                (
                    f"youth list, middle page ({middle})",
                    f"{youth_list}?na={cursor}&page={middle}",
                    "gemeente-list",
                ),
                (f"youth list, last page ({pages})", f"{youth_list}?page={pages}", "gemeente-list"),
                ("youth list, sorted by name descending", f"{youth_list}?sort=-naam", ""),
                (
                    "youth list, sorted by date of birth, last page",
                    f"{youth_list}?sort=geboortedatum&page={pages}",
                    "",
                ),
                ("youth list, searched by name", f"{youth_list}?q={common_name}", ""),
                (
                    "youth detail",
                    reverse("youth:detail", args=[rows.values_list("youth_id", flat=True)[0]]),
                    "",
                ),
                ("Algemeen", "/algemeen/", ""),
            ],
        ),
    ]


# --- Load: gunicorn + wrk -------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def session_cookie(client: Any) -> str:
    from django.conf import settings

    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


def run_load(targets: list[tuple[str, str, str]], seconds: int) -> list[dict[str, Any]]:
    """gunicorn (2 workers) on a free port; wrk -t1 -c2 against each (name, url, cookie)."""
    wrk = shutil.which("wrk")
    gunicorn = Path(sys.executable).parent / "gunicorn"
    if wrk is None or not gunicorn.exists():
        missing = "wrk (apt-get install wrk)" if wrk is None else "gunicorn"
        return [{"page": name, "error": f"{missing} not installed"} for name, _u, _c in targets]
    port = free_port()
    env = dict(os.environ, VANGNET_DB_CONN_MAX_AGE="600")
    server = subprocess.Popen(  # noqa: S603
        [
            str(gunicorn),
            "vangnet.wsgi:application",
            "--workers",
            "2",
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
        ],
        env=env,
        cwd=ROOT,
        start_new_session=True,
    )
    results = []
    try:
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.5)
        for name, url, cookie in targets:
            full = f"http://127.0.0.1:{port}{url}"
            warm = [wrk, "-t1", "-c2", "-d3s", "-H", f"Cookie: {cookie}", full]
            subprocess.run(warm, capture_output=True, check=False)  # noqa: S603
            command = [wrk, "-t1", "-c2", f"-d{seconds}s", "-H", f"Cookie: {cookie}", full]
            out = subprocess.run(command, capture_output=True, text=True, check=False).stdout  # noqa: S603
            rps = re.search(r"Requests/sec:\s+([\d.]+)", out)
            total = re.search(r"(\d+) requests in", out)
            non2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
            socket_errors = re.search(r"Socket errors: (.*)", out)
            latency = re.search(r"Latency\s+(\S+)", out)
            results.append(
                {
                    "page": name,
                    "url": url,
                    "requests_per_s": float(rps.group(1)) if rps else 0.0,
                    "requests": int(total.group(1)) if total else 0,
                    "errors": int(non2xx.group(1)) if non2xx else 0,
                    "socket_errors": socket_errors.group(1) if socket_errors else "",
                    "latency_avg": latency.group(1) if latency else "",
                    "load": loadavg(),
                    "seconds": seconds,
                }
            )
            print(
                f"load {name}: {results[-1]['requests_per_s']:.1f} req/s, "
                f"{results[-1]['errors']} errors, load {results[-1]['load']}"
            )
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    return results


def load_misses(result: dict[str, Any]) -> list[str]:
    if "error" in result:
        return [result["error"]]
    problems = []
    target = LOAD_TARGETS.get(result["page"], 0.0)
    if result["requests_per_s"] < target:
        problems.append(f"{result['requests_per_s']:.1f} req/s < {target:.0f}")
    if result["errors"] or result["socket_errors"]:
        problems.append(f"errors: {result['errors']} {result['socket_errors']}".strip())
    return problems


# --- Main -----------------------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--youth", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=30, help="timed requests per page (>= 30)")
    parser.add_argument("--workers", type=int, help="seed generator processes")
    parser.add_argument("--region", type=int, default=1, help="region (1-39) whose users to time")
    parser.add_argument("--skip-seed", action="store_true", help="never seed, time what is there")
    parser.add_argument("--no-load", action="store_true", help="skip the gunicorn + wrk part")
    parser.add_argument("--load-seconds", type=int, default=10)
    parser.add_argument("--no-write", action="store_true", help="do not update the docs")
    args = parser.parse_args()
    runs = max(30, args.runs)

    url = database_url()
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("VANGNET_DEMO", "1")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vangnet.settings")
    sys.path.insert(0, str(ROOT / "src"))
    ensure_database(url, fresh=False)

    import django

    django.setup()
    from django.core.management import call_command

    from vangnet.core.seeding import national
    from vangnet.youth.models import Enrolment, Youth

    parts = urlsplit(url)
    print(f"database: {parts.hostname}/{parts.path.lstrip('/')}")
    call_command("migrate", verbosity=0, interactive=False)

    seed: dict[str, float] = {}
    present = national.national_present()
    national_youth = Youth.objects.filter(municipality__region__code__startswith="N").count()
    if args.skip_seed or (present and national_youth == args.youth):
        print(f"national data present ({national_youth:,} youth): not seeded")
    else:
        print(f"seeding {args.youth:,} youth ...")
        started = time.perf_counter()
        result = national.build_national(
            youth=args.youth, reset=True, workers=args.workers, progress=lambda m: print(" ", m)
        )
        seed = dict(result.seconds, wall=time.perf_counter() - started)
        print(f"seed: {seed['wall']:.1f}s")

    from vangnet.accounts.models import User

    youth_total = Youth.objects.count()
    enrolment_total = Enrolment.objects.count()
    results: list[PageResult] = []
    load_targets: list[tuple[str, str, str]] = []
    for role, email, pages in pages_per_role(args.region):
        client = signed_in_client(User.objects.get(email=email))
        for page, page_url, group in pages:
            p50, p95, queries, sqls, status = time_page(client, page_url, runs)
            raw = raw_sql_ms(sqls, runs)
            result = PageResult(
                page=page,
                role=role,
                url=page_url,
                p50_ms=round(p50, 2),
                p95_ms=round(p95, 2),
                queries=queries,
                raw_sql_ms=round(raw, 2),
                ratio=round(p50 / raw, 2) if raw else 0.0,
                load=loadavg(),
                status=status,
                group=group,
            )
            results.append(result)
            print(
                f"{role:32} {page:48} p50 {p50:6.1f} p95 {p95:6.1f} ms  {queries:3} queries  "
                f"raw {raw:6.1f} ms  ratio {result.ratio:4.2f}  load {result.load}"
                + (f"  MISSED: {', '.join(result.misses())}" if result.misses() else "")
            )
        if role.startswith("school (PrO"):
            load_targets.append(
                ("school list", "/jikp/schoolgaand/?tab=alle", session_cookie(client))
            )
        if role.startswith("gemeente"):
            load_targets.append(("gemeente list", "/jongeren/", session_cookie(client)))

    problems = [f"{r.role} / {r.page}: {m}" for r in results for m in r.misses()]
    groups: dict[str, set[int]] = {}
    for r in results:
        if r.group:
            groups.setdefault(r.group, set()).add(r.queries)
    for group, counts in groups.items():
        if len(counts) > 1:
            problems.append(f"{group}: query count differs between pages ({sorted(counts)})")

    load_results: list[dict[str, Any]] = []
    if not args.no_load:
        load_results = run_load(load_targets, args.load_seconds)
        problems += [f"load {r['page']}: {m}" for r in load_results for m in load_misses(r)]

    JSON_OUT.parent.mkdir(parents=True, exist_ok=True)
    keys = ("page", "role", "url", "p50_ms", "p95_ms", "queries", "raw_sql_ms", "ratio", "load")
    JSON_OUT.write_text(
        json.dumps([{k: asdict(r)[k] for k in keys} for r in results], indent=2) + "\n"
    )
    (JSON_OUT.parent / "load.json").write_text(json.dumps(load_results, indent=2) + "\n")
    print(f"written {JSON_OUT.relative_to(ROOT)}")

    command = "python scripts/bench.py " + " ".join(shlex.quote(a) for a in sys.argv[1:])
    block = render(
        command=command.strip(),
        machine=machine(),
        seed=seed,
        youth=youth_total,
        enrolments=enrolment_total,
        results=results,
        load_results=load_results,
        problems=problems,
        runs=runs,
    )
    if args.no_write:
        print(block)
    else:
        write_doc(block)
        print(f"written to {DOC.relative_to(ROOT)}")
    if problems:
        print("\nTARGETS MISSED:")
        for problem in problems:
            print("  -", problem)
        return 1
    print("\nall targets met")
    return 0


def render(
    *,
    command: str,
    machine: dict[str, str],
    seed: dict[str, float],
    youth: int,
    enrolments: int,
    results: list[PageResult],
    load_results: list[dict[str, Any]],
    problems: list[str],
    runs: int,
) -> str:
    lines = [
        START,
        f"## Latest run ({datetime.now(UTC):%Y-%m-%d %H:%M} UTC)",
        "",
        f"Command: `{command}`. Data: {youth:,} youth, {enrolments:,} enrolments.",
        "",
        "| machine | |",
        "| --- | --- |",
        *(f"| {k} | {v} |" for k, v in machine.items()),
        "",
    ]
    if seed:
        lines += [
            f"Seed: {seed['wall']:.1f} s wall clock (remove {seed['remove']:.1f} s, COPY "
            f"{seed['copy']:.1f} s, commit {seed['commit']:.1f} s, ANALYZE {seed['analyze']:.1f} s).",
            "",
        ]
    lines += [
        f"Server time through the real view (Django test client), warm, {runs} runs per page; "
        "raw SQL = the page's own captured statements run again on the connection (p50); "
        "ratio = page p50 / raw SQL p50. Targets: p95 <= 50 ms, ratio <= 2.",
        "",
        "| role | page | p50 ms | p95 ms | queries | raw SQL ms | ratio | load (1/5/15) | |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | --- | --- |",
    ]
    for r in results:
        verdict = "; ".join(r.misses()) or "ok"
        lines.append(
            f"| {r.role} | {r.page} | {r.p50_ms:.1f} | {r.p95_ms:.1f} | {r.queries} | "
            f"{r.raw_sql_ms:.1f} | {r.ratio:.2f} | {r.load} | {verdict} |"
        )
    lines.append("")
    if load_results:
        lines += [
            "Under load: gunicorn, 2 workers, wrk -t1 -c2 on this machine (2 CPUs shared with "
            "the database and wrk itself).",
            "",
            "| page | req/s | requests | errors | avg latency | load (1/5/15) | target |",
            "| --- | ---: | ---: | ---: | --- | --- | --- |",
        ]
        for r in load_results:
            if "error" in r:
                lines.append(f"| {r['page']} | | | | | | {r['error']} |")
                continue
            target = LOAD_TARGETS.get(r["page"], 0.0)
            lines.append(
                f"| {r['page']} | {r['requests_per_s']:.1f} | {r['requests']} | "
                f"{r['errors']} {r['socket_errors']} | {r['latency_avg']} | {r['load']} | "
                f">= {target:.0f} req/s: {'ok' if not load_misses(r) else 'MISSED'} |"
            )
        lines.append("")
    if problems:
        lines += ["Missed in this run:", "", *(f"- {p}" for p in problems), ""]
    else:
        lines += ["Every target met in this run.", ""]
    lines.append(END)
    return "\n".join(lines)


def write_doc(block: str) -> None:
    text = DOC.read_text() if DOC.exists() else f"# Performance\n\n{START}\n{END}\n"
    if START in text and END in text:
        head, rest = text.split(START, 1)
        tail = rest.split(END, 1)[1]
        text = head + block + tail
    else:
        text = text.rstrip() + "\n\n" + block + "\n"
    DOC.parent.mkdir(exist_ok=True)
    DOC.write_text(text)


if __name__ == "__main__":
    sys.exit(main())
