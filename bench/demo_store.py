"""The demonstration store of ``make demo``: synthetic projects with plans and a year of progress.

Clearly labelled, never the report's data: every project id starts ``SYN-``
and every name ``合成项目`` (:mod:`bench.synthetic`), every plan and report
comes from :mod:`bench.synthetic_progress` (形象进度 starting ``合成数据``),
each version's message says 演示数据, and the store is marked as demo data
(``store_meta`` ``demo`` = ``1``, read as ``store.is_demo``; the app shows
a 演示数据 banner). 2,537 projects (the report's count of projects started)
with a plan each and twelve monthly reports, about 956亿元 completed by
December. The plans and reports go in through the store's own writes
(``commit_plans``, ``commit_progress``), one version per month, as monthly
imports would.

Usage: ``python -m bench.demo_store [PATH] [--projects N] [--year Y] [--force]``
(default ``var/demo.gpkg``; an existing demo store is kept unless ``--force``;
a store that is not a demo store is never touched).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from bench.synthetic import synthetic_projects
from bench.synthetic_progress import synthetic_plans_and_progress
from geodata.i18n import Lang, bilingual, t
from geodata.progress import store_frames, year_periods
from geodata.settings import DEMO_STORE_PATH
from geodata.store import Author, ProjectStore, StoreError, create_store, open_store

DEMO_PROJECTS = 2_537
DEMO_AUTHOR = Author("demo", t("demo_author", Lang.ZH), "system")
_LABEL = bilingual("demo_note")


def build_demo_store(
    path: Path | str, *, projects: int = DEMO_PROJECTS, year: int = 2025, seed: int = 0
) -> ProjectStore:
    """Create a demo store at ``path``: synthetic register, plans and twelve months of progress.

    Parameters
    ----------
    path : Path or str
        Where (a ``.gpkg`` path or any store URL); must not exist.
    projects : int
        Number of synthetic projects.
    year : int
        The plan year; reports run January to December of it.
    seed : int
        Random seed (the same seed gives the same store).

    Returns
    -------
    ProjectStore
        The new store, marked as demo data.

    Raises
    ------
    StoreExists
        When a store is already at ``path``.
    """
    register = synthetic_projects(projects, seed=seed)
    plans, reports = synthetic_plans_and_progress(register, year=year, seed=seed)
    store = create_store(path, seed=register)
    store.mark_demo()
    version = store.commit_plans(
        plans, author=DEMO_AUTHOR, base_version=store.current_version(), message=_LABEL
    )
    for month in year_periods(year):
        rows = reports[reports["period"] == month.to_pandas()]
        version = store.commit_progress(
            rows, author=DEMO_AUTHOR, base_version=version, message=f"{month} {_LABEL}"
        )
    return store


def main(argv: list[str] | None = None) -> int:
    """Build the demo store unless a demo store is already there."""
    parser = argparse.ArgumentParser(prog="python -m bench.demo_store", description=__doc__)
    parser.add_argument("path", nargs="?", default=str(DEMO_STORE_PATH))
    parser.add_argument("--projects", type=int, default=DEMO_PROJECTS)
    parser.add_argument("--year", type=int, default=2025)
    parser.add_argument("--force", action="store_true", help="rebuild an existing demo store")
    args = parser.parse_args(argv)
    target = Path(args.path)
    if target.exists():
        try:
            existing = open_store(target)
            is_demo = existing.is_demo
            existing.close()
        except StoreError as exc:
            print(f"error: {target} is not a usable store ({exc}); not touched", file=sys.stderr)
            return 1
        if not is_demo:
            print(f"error: {target} is not a demo store; not touched", file=sys.stderr)
            return 1
        if not args.force:
            print(f"demo store {target} is ready ({_LABEL})")
            return 0
        target.unlink()
    store = build_demo_store(target, projects=args.projects, year=args.year)
    frames = store_frames(store)
    reports = frames.reports
    total = reports[reports["period"].astype(str) == f"{args.year}-12"]["cumulative_yi"].sum()
    print(
        f"built demo store {store.url}: {len(frames.projects)} synthetic projects, "
        f"{len(frames.plans)} plans, {len(reports)} monthly reports, "
        f"{total:,.0f} 亿元 completed by December ({_LABEL})"
    )
    store.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
