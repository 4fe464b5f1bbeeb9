"""The bench scripts fail (exit status 1) when a target of docs/performance.md is missed, and say
which one; a bench that exits 0 whatever it measures decides nothing. The figures here are made
up; the scripts themselves need PostgreSQL and minutes (`make bench`)."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

import pytest

SCRIPTS = Path(__file__).resolve().parent.parent / "scripts"


@pytest.fixture(scope="module")
def scripts():
    sys.path.insert(0, str(SCRIPTS))
    try:
        yield {
            name: importlib.import_module(name)
            for name in ("bench_import", "bench_export", "bench_ddd")
        }
    finally:
        sys.path.remove(str(SCRIPTS))


def _import_run(rows, total_s, peak_mb=300):
    return {"rows": rows, "total_s": total_s, "peak_mb": peak_mb}


def test_import_targets_are_the_documented_ones(scripts):
    bench = scripts["bench_import"]
    assert 10_000 * bench.SECONDS_PER_ROW == 5.0
    assert 50_000 * bench.SECONDS_PER_ROW == 25.0
    assert bench.PEAK_MEMORY_MB == 500


@pytest.mark.parametrize(
    ("results", "status"),
    [
        ([_import_run(10_000, 1.97), _import_run(50_000, 8.76)], 0),
        ([_import_run(10_000, 5.2), _import_run(50_000, 8.76)], 1),
        ([_import_run(10_000, 1.97), _import_run(50_000, 26.0)], 1),
        ([_import_run(10_000, 1.97, peak_mb=640)], 1),
    ],
)
def test_import_bench_fails_when_a_target_is_missed(scripts, capsys, results, status):
    assert scripts["bench_import"].report(results) == status
    out = capsys.readouterr().out
    assert "Targets:" in out
    assert ("TARGET MISSED" in out) == bool(status)


def _export_run(case, fmt, total_s, *, rows=100_000, peak_mb=98, growth_mb=14):
    return {
        "case": case,
        "label": case,
        "format": fmt,
        "rows": rows,
        "total_s": total_s,
        "peak_mb": peak_mb,
        "growth_mb": growth_mb,
    }


def test_export_bench_fails_when_a_target_is_missed(scripts):
    bench = scripts["bench_export"]
    assert bench.TARGET_S == 10.0
    fast = [
        _export_run("school-xlsx", "xlsx", 8.45),
        _export_run("school-csv", "csv", 14.78),  # the target names the xlsx export
        _export_run("school-class", "xlsx", 2.07, rows=8_154, peak_mb=94),
    ]
    text, status = bench.verdict(fast)
    assert status == 0, text
    assert "within 10 s" in text

    slow = [_export_run("school-xlsx", "xlsx", 12.1), *fast[1:]]
    text, status = bench.verdict(slow)
    assert status == 1
    assert "Target missed" in text

    growing = [_export_run("school-xlsx", "xlsx", 8.0, peak_mb=400, growth_mb=320), *fast[1:]]
    text, status = bench.verdict(growing)
    assert status == 1
    assert "memory" in text


def test_ddd_bench_fails_when_a_p95_is_over_the_target(scripts):
    bench = scripts["bench_ddd"]
    assert bench.P95_TARGET_MS == 100.0
    pages = {"mentor: Dossiers": {"p50": 62.5, "p95": 69.3}}
    assert bench.targets_missed(pages, bench.P95_TARGET_MS) == []
    pages["decaan: Dossiers"] = {"p50": 90.0, "p95": 140.0}
    assert bench.targets_missed(pages, bench.P95_TARGET_MS) == [
        "decaan: Dossiers: p95 140.0 ms > 100 ms"
    ]
