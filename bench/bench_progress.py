"""Benchmark the progress core: lag statuses, the county table and a month switch.

Prints wall and CPU seconds (best of three; on a shared machine the CPU
figure is the steadier one), for synthetic projects with twelve months of progress
(:mod:`bench.synthetic_progress`):

- fill: seconds to complete cumulatives from monthly amounts (with warnings);
- statuses ×12: seconds for the statuses of every project at all twelve
  months in one call (target: under 2 s at 250,000 projects);
- status ×1: seconds for one month;
- switch: server-side seconds for what a month switch recomputes at 25,000
  projects: one ``lag_statuses`` call for January to the month (the month,
  the month before for the rank change, the line chart), the county table
  with rank change and the city against its targets; the map itself is
  rebuilt by ``layers`` (see ``bench.bench_map``);
- shares of each status in September and the December total.

Usage: ``python -m bench.bench_progress [SIZE ...]`` (default 25,000 and 250,000).
"""

from __future__ import annotations

import sys
import time

import geopandas as gpd
import pandas as pd

from bench.synthetic import synthetic_projects
from bench.synthetic_progress import synthetic_plans_and_progress
from geodata.boundaries import load_counties
from geodata.join import assign_counties
from geodata.progress import Period, fill_cumulative, lag_status, lag_statuses, year_periods
from geodata.progress.summaries import city_against_targets, county_ranking

SIZES: tuple[int, ...] = (25_000, 250_000)
REPEAT = 3


def _best(fn: object, repeat: int = REPEAT) -> tuple[str, object]:
    """Time ``repeat`` calls of ``fn``: best wall and CPU seconds as text, and its result."""
    wall, cpu, result = float("inf"), float("inf"), None
    for _ in range(repeat):
        start, start_cpu = time.perf_counter(), time.process_time()
        result = fn()  # type: ignore[operator]
        wall = min(wall, time.perf_counter() - start)
        cpu = min(cpu, time.process_time() - start_cpu)
    return f"{wall:7.3f} s wall {cpu:7.3f} s cpu", result


def _switch(
    plans: pd.DataFrame,
    reports: pd.DataFrame,
    joined: pd.DataFrame,
    counties: gpd.GeoDataFrame,
    month: Period,
) -> None:
    """Recompute what the app shows after picking ``month``.

    One call gives January to the month: the month, the month before (rank
    change) and the line chart against the targets.
    """
    months = year_periods(month.year, through=month.month)
    statuses = lag_statuses(plans, reports, months, projects=joined)
    county_ranking(statuses, joined, counties, month, previous=statuses)
    city_against_targets(statuses, joined, plans)


def run(size: int) -> None:
    """Print the figures for ``size`` synthetic projects."""
    counties = load_counties()
    projects = synthetic_projects(size)
    plans, raw = synthetic_plans_and_progress(projects)
    print(f"{size:>8,} projects, {len(plans):,} plans, {len(raw):,} monthly reports")
    t_fill, (reports, warnings) = _best(lambda: fill_cumulative(raw), repeat=1)
    print(f"  fill            {t_fill}  ({len(warnings):,} warnings)")
    months = year_periods(2025)
    t_all, statuses = _best(lambda: lag_statuses(plans, reports, months, projects=projects))
    print(f"  statuses ×12    {t_all}  ({len(statuses):,} rows)")
    t_one, _ = _best(lambda: lag_status(plans, reports, Period(2025, 9), projects=projects))
    print(f"  status ×1       {t_one}")
    if size <= 25_000:
        joined = assign_counties(projects, counties)
        for month in (Period(2025, 9), Period(2025, 12)):
            t_sw, _ = _best(lambda m=month: _switch(plans, reports, joined, counties, m))
            print(f"  switch → {month} {t_sw}  (statuses, county table, targets)")
    sep = statuses[statuses["period"] == Period(2025, 9).to_pandas()]
    shares = sep["status"].value_counts(normalize=True).mul(100).round(1)
    print("  September: " + ", ".join(f"{k} {v}%" for k, v in shares.items()))
    dec = statuses[statuses["period"] == Period(2025, 12).to_pandas()]
    print(f"  December cumulative {dec['cumulative_yi'].sum():,.1f} 亿元")


def main(argv: list[str]) -> int:
    """Run the benchmark for each size given (default :data:`SIZES`)."""
    for size in [int(a) for a in argv] or SIZES:
        run(size)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
