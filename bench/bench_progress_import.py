"""Benchmark the progress import: 25,000 projects × 12 months through the real import path.

Each month is one county-office style CSV of 25,000 rows (项目编号, 报告期 as
``2025年9月``, amounts in 万元, 形象进度, 当前阶段, 填报单位), imported as
staff would: :func:`geodata.ingest.import_rows` (file safety, reading,
matching against the register, month parsing, amounts, cumulatives filled
over the stored months with warnings) then
:func:`geodata.ingest.commit_rows` (one store version per month). Prints per
backend the wall seconds for the twelve checks (each reads from the store
the reports its rows lead on from, as the command line does), the twelve commits, the total (target:
under 20 s) and this process's CPU seconds for it (the steadier figure on a
shared machine; PostGIS work in the server is not in it), then reading the
300,000 reports back (``store.progress()``) and the filled frames
(``store_frames``).

Usage: ``python -m bench.bench_progress_import [--projects N] [--no-postgis]``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import tempfile
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

from bench.synthetic import synthetic_projects
from bench.synthetic_progress import synthetic_plans_and_progress
from geodata._pgcluster import create_database, temporary_cluster
from geodata.ingest import commit_rows, import_rows
from geodata.progress import store_frames, year_periods
from geodata.store import Author, ProjectStore, create_store

PROJECTS = 25_000
TODAY = dt.date(2026, 1, 15)
AUTHOR = Author("bench", "基准测试", "system")


def month_csv(reports: pd.DataFrame, month: int) -> bytes:
    """Return one month's reports as a county office's CSV (万元, Chinese month)."""
    rows = reports[reports["period"].dt.month == month]
    frame = pd.DataFrame(
        {
            "项目编号": rows["project_id"],
            "报告期": [f"2025年{month}月"] * len(rows),
            "累计完成投资（万元）": (rows["cumulative_yi"] * 1e4).round(2),
            "本月完成投资（万元）": (rows["month_yi"] * 1e4).round(2),
            "形象进度": rows["image_progress"],
            "当前阶段": rows["stage"].map({"reserve": "储备", "construction": "在建",
                                         "operation": "达产达效"}),
            "填报单位": rows["reporting_unit"],
        }
    )  # fmt: skip
    return frame.to_csv(index=False).encode("utf-8")


_CPU: list[float] = []


def _timed(fn: object) -> tuple[float, object]:
    """Return the wall seconds of one call and its result (CPU seconds kept in ``_CPU``)."""
    start, cpu = time.perf_counter(), time.process_time()
    result = fn()  # type: ignore[operator]
    _CPU.append(time.process_time() - cpu)
    return time.perf_counter() - start, result


def run(store: ProjectStore, files: list[bytes], name: str) -> dict[str, float]:
    """Import the twelve files into ``store``; return the figures."""
    register = store.projects(include_unlocated=True)
    check = commit = 0.0
    _CPU.clear()
    warned = rejected = 0
    for month, data in enumerate(files, start=1):
        base = store.current_version()
        took, result = _timed(
            lambda d=data, m=month, b=base: import_rows(
                d, filename=f"2025-{m:02d}.csv", kind="progress", projects=register,
                stored=store, today=TODAY, base_version=b,
            )
        )  # fmt: skip
        check += took
        warned += len({w.row for w in result.report.warnings})
        rejected += len(result.report.rejected)
        took, _ = _timed(lambda r=result: commit_rows(r, store=store, author=AUTHOR))
        commit += took
    import_cpu = sum(_CPU)
    read, reports = _timed(store.progress)
    filled, frames = _timed(lambda: store_frames(store))
    dec = frames.reports[frames.reports["period"].dt.month == 12]["cumulative_yi"].sum()
    print(
        f"{name}: {len(reports):,} reports stored, {warned:,} rows with warnings, "
        f"{rejected} rejected, December {dec:,.0f} 亿元"
    )
    return {
        "check ×12 (s)": check,
        "commit ×12 (s)": commit,
        "import total (s)": check + commit,
        "import total, this process's CPU (s)": import_cpu,
        "read progress (s)": read,
        "store_frames (s)": filled,
    }


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark on GeoPackage and (unless ``--no-postgis``) PostGIS."""
    parser = argparse.ArgumentParser(prog="python -m bench.bench_progress_import")
    parser.add_argument("--projects", type=int, default=PROJECTS)
    parser.add_argument("--no-postgis", action="store_true")
    args = parser.parse_args(argv)
    warnings.simplefilter("ignore")
    register = synthetic_projects(args.projects)
    _, raw = synthetic_plans_and_progress(register)
    files = [month_csv(raw, p.month) for p in year_periods(2025)]
    sizes = np.array([len(f) for f in files])
    print(f"{args.projects:,} projects; 12 CSV files of {sizes.mean() / 1e6:.1f} MB each")
    table: dict[str, dict[str, float]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        store = create_store(Path(tmp) / "bench.gpkg", seed=register)
        table["GeoPackage"] = run(store, files, "GeoPackage")
        if not args.no_postgis:
            with temporary_cluster(dbname="bench") as cluster:
                pg = create_store(create_database(cluster.port, "bench_progress"), seed=register)
                table["PostGIS"] = run(pg, files, "PostGIS")
                pg.close()
    print(pd.DataFrame(table).round(2).to_string())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
