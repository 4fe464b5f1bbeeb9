#!/usr/bin/env python3
"""Load national-scale data into PostgreSQL and time the lists that matter (`make bench`).

    .venv/bin/python scripts/bench.py [--youth 1000000] [--runs 50] [--skip-seed]

Uses DATABASE_URL when it points at PostgreSQL (its national data is replaced), else
postgres://postgres@127.0.0.1/vangnet_bench, which is dropped and created afresh, then migrated.
The figures, the machine and the command are written into docs/performance.md between the bench
markers (the rest of that file is kept).
"""

from __future__ import annotations

import argparse
import os
import platform
import shlex
import statistics
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_URL = "postgres://postgres@127.0.0.1/vangnet_bench"
DOC = ROOT / "docs" / "performance.md"
START, END = "<!-- bench:start -->", "<!-- bench:end -->"


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


def timed(fn: Callable[[], object], runs: int, warmup: int = 3) -> dict[str, float]:
    for _ in range(warmup):
        fn()
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - started) * 1000)
    cuts = statistics.quantiles(samples, n=100, method="inclusive")
    return {"p50": cuts[49], "p95": cuts[94], "max": max(samples), "runs": runs}


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


def explain(sqls: list[str]) -> list[str]:
    from django.db import connection

    plans = []
    with connection.cursor() as cur:
        for q in sqls:
            cur.execute("EXPLAIN (ANALYZE, BUFFERS) " + q)
            plans.append("\n".join(row[0] for row in cur.fetchall()))
    return plans


def captured(fn: Callable[[], object]) -> list[str]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        fn()
    return [q["sql"] for q in ctx.captured_queries]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--youth", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=50, help="timed runs per query")
    parser.add_argument("--workers", type=int, help="seed generator processes")
    parser.add_argument("--region", type=int, default=1, help="region (1-39) whose users to time")
    parser.add_argument(
        "--skip-seed", action="store_true", help="measure the data already loaded (no seed)"
    )
    parser.add_argument("--no-write", action="store_true", help="do not update the docs")
    args = parser.parse_args()

    url = database_url()
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("VANGNET_DEMO", "1")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vangnet.settings")
    sys.path.insert(0, str(ROOT / "src"))
    # The bench's own database starts empty, so that the seed time is that of a fresh load; a
    # database named in DATABASE_URL is kept and its national data replaced (--reset).
    ensure_database(url, fresh=url == DEFAULT_URL and not args.skip_seed)

    import django

    django.setup()
    from django.core.management import call_command

    from vangnet.accounts.models import User
    from vangnet.core import crypto
    from vangnet.core.seeding import national
    from vangnet.youth.models import Enrolment, Youth
    from vangnet.youth.selectors import (
        YouthFilters,
        enrolment_list_for_user,
        youth_count_for_user,
        youth_list_for_user,
    )

    parts = urlsplit(url)
    print(f"database: {parts.hostname}/{parts.path.lstrip('/')}")
    call_command("migrate", verbosity=0, interactive=False)

    seed: dict[str, float] = {}
    if args.skip_seed:
        print("seed skipped (--skip-seed)")
    else:
        print(f"seeding {args.youth:,} youth ...")
        started = time.perf_counter()
        result = national.build_national(
            youth=args.youth, reset=True, workers=args.workers, progress=lambda m: print(" ", m)
        )
        seed = dict(result.seconds, wall=time.perf_counter() - started)
        print(f"seed: {seed['wall']:.1f}s")

    youth_total = Youth.objects.count()
    enrolment_total = Enrolment.objects.count()
    school_user = User.objects.get(email=national.account_email("pro.gebruiker", args.region))
    municipal_user = User.objects.get(
        email=national.account_email("gemeente.consulent", args.region)
    )
    sample = list(
        Youth.objects.filter(bsn_index__isnull=False)
        .order_by("?")
        .values_list("bsn_encrypted", flat=True)[:200]
    )
    bsns = [crypto.decrypt(token) for token in sample]

    def school_list() -> None:
        qs = enrolment_list_for_user(user=school_user, filters=YouthFilters(state="schoolgaand"))
        list(qs[:25])
        qs.count()

    def municipal_list() -> None:
        # As the list view does it: the page from the list query, the total from the count selector.
        qs = youth_list_for_user(user=municipal_user, filters=YouthFilters())
        list(qs[:25])
        youth_count_for_user(user=municipal_user, filters=YouthFilters())

    state = {"i": 0}

    def next_bsn() -> str:
        state["i"] += 1
        return bsns[state["i"] % len(bsns)]

    def bsn_lookup() -> None:
        Youth.objects.filter(bsn_index=crypto.blind_index(next_bsn())).first()

    def municipal_bsn_search() -> None:
        filters = YouthFilters(q=next_bsn())
        list(youth_list_for_user(user=municipal_user, filters=filters)[:25])
        youth_count_for_user(user=municipal_user, filters=filters)

    school_rows = enrolment_list_for_user(
        user=school_user, filters=YouthFilters(state="schoolgaand")
    ).count()
    municipal_rows = youth_list_for_user(user=municipal_user, filters=YouthFilters()).count()
    cases = [
        (
            f"School list, Schoolgaand: first page of 25 + count ({school_user.email}, "
            f"{school_rows:,} rows)",
            school_list,
        ),
        (
            f"Municipality list: first page of 25 + count ({municipal_user.email}, "
            f"{municipal_rows:,} rows)",
            municipal_list,
        ),
        ("BSN lookup by blind index (Youth.bsn_index)", bsn_lookup),
        ("Municipality list searched by BSN: page + count", municipal_bsn_search),
    ]
    figures = []
    plans = []
    for label, fn in cases:
        stats = timed(fn, args.runs)
        figures.append((label, stats))
        plans.append((label, explain(captured(fn))))
        print(f"{label}: p50 {stats['p50']:.1f} ms, p95 {stats['p95']:.1f} ms")

    command = "python scripts/bench.py " + " ".join(shlex.quote(a) for a in sys.argv[1:])
    block = render(
        command=command.strip(),
        machine=machine(),
        seed=seed,
        youth=youth_total,
        enrolments=enrolment_total,
        figures=figures,
        plans=plans,
        workers=args.workers if args.workers is not None else national.default_workers(args.youth),
    )
    if args.no_write:
        print(block)
    else:
        write_doc(block)
        print(f"written to {DOC.relative_to(ROOT)}")
    return 0


def render(
    *,
    command: str,
    machine: dict[str, str],
    seed: dict[str, float],
    youth: int,
    enrolments: int,
    figures: list[tuple[str, dict[str, float]]],
    plans: list[tuple[str, list[str]]],
    workers: int,
) -> str:
    lines = [
        START,
        f"## Latest run ({datetime.now(UTC):%Y-%m-%d %H:%M} UTC)",
        "",
        f"Command: `{command}` (database: PostgreSQL via `DATABASE_URL`, default `vangnet_bench`).",
        "",
        "| machine | |",
        "| --- | --- |",
        *(f"| {k} | {v} |" for k, v in machine.items()),
        "",
        f"Data: {youth:,} youth, {enrolments:,} enrolments.",
        "",
    ]
    if seed:
        lines += [
            f"Seed (`vangnet seed --scale national`, {workers} generator process(es)): "
            f"**{seed['wall']:.1f} s** wall clock — removing earlier national data "
            f"{seed['remove']:.1f} s, organisations and accounts "
            f"{seed['structure']:.1f} s, COPY of youth and enrolments {seed['copy']:.1f} s, "
            f"commit (deferred foreign-key checks) {seed['commit']:.1f} s, ANALYZE "
            f"{seed['analyze']:.1f} s.",
            "",
        ]
    lines += [
        "| query (warm cache) | p50 ms | p95 ms | max ms | runs |",
        "| --- | ---: | ---: | ---: | ---: |",
        *(
            f"| {label} | {s['p50']:.1f} | {s['p95']:.1f} | {s['max']:.1f} | {s['runs']} |"
            for label, s in figures
        ),
        "",
        "<details><summary>Query plans (EXPLAIN ANALYZE, one run each)</summary>",
        "",
    ]
    for label, query_plans in plans:
        lines.append(f"**{label}**")
        lines.append("")
        for plan in query_plans:
            lines += ["```", plan, "```", ""]
    lines += ["</details>", END]
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
