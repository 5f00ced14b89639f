"""Command line: ``python -m geodata.progress status --period 2025-09 --out status.csv``.

Writes one row per register project for the month, :data:`EXPORT_COLUMNS`
(``id, period, annual_plan_yi, cumulative_yi, completion_pct,
time_share_pct, status`` with the English status keys), and with
``--counties out.csv`` the county 晾晒 table (:data:`RANKING_COLUMNS`,
indexed by ``adcode``). The store is ``--store`` or ``CHANGZHI_STORE``.
Exit status: 0 done, 2 a bad argument (a month that is not one, or after
today; an unwritable output), 3 a store error.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from geodata.boundaries import load_counties
from geodata.progress.lag import EXPORT_COLUMNS, lag_statuses
from geodata.progress.periods import Period, PeriodError, year_periods
from geodata.progress.stored import store_frames
from geodata.progress.summaries import county_ranking
from geodata.store import StoreError, open_default_store, open_store

# leading characters a spreadsheet would run as a formula (as in layers.export.extracts)
_FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def _parser() -> argparse.ArgumentParser:
    """Return the argument parser (one sub-command, ``status``)."""
    parser = argparse.ArgumentParser(
        prog="python -m geodata.progress",
        description="Plans and progress: statuses against the time schedule (序时进度).",
    )
    sub = parser.add_subparsers(dest="command", required=True)
    status = sub.add_parser("status", help="write every project's status at a month")
    status.add_argument("--period", required=True, help="the month: 2025-09 or 2025年9月")
    status.add_argument("--store", default=None, help="store path or URL (default CHANGZHI_STORE)")
    status.add_argument("--out", type=Path, required=True, help="status CSV to write")
    status.add_argument("--counties", type=Path, default=None, help="county table CSV to write")
    status.add_argument("--version", type=int, default=None, help="a past store version")
    return parser


def _safe_id(value: object) -> object:
    """Prefix an id a spreadsheet would run as a formula with ``'``."""
    text = str(value)
    return "'" + text if text.startswith(_FORMULA_PREFIXES) else text


def status_frame(
    store: object, period: Period, *, version: int | None = None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Return the month's statuses (``EXPORT_COLUMNS``) and the county table of a store.

    Parameters
    ----------
    store : ProjectStore
        Any backend.
    period : Period
        The month.
    version : int, optional
        A past store version.

    Returns
    -------
    tuple of pandas.DataFrame
        One row per register project (register order), and the county
        ranking of :func:`~geodata.progress.county_ranking` (rank change
        against the month before when it is in the same year).
    """
    frames = store_frames(store, version=version)  # type: ignore[arg-type]
    months = year_periods(period.year, through=period.month)
    statuses = lag_statuses(frames.plans, frames.reports, months, projects=frames.projects)
    month = statuses[statuses["period"] == period.to_pandas()].reset_index(drop=True)
    counties = county_ranking(statuses, frames.projects, load_counties(), period, previous=statuses)
    return month[list(EXPORT_COLUMNS)], counties


def _write(args: argparse.Namespace) -> str:
    """Compute and write the files; return the summary line."""
    period = Period.parse(args.period)
    store = open_store(args.store) if args.store else open_default_store()
    try:
        status, counties = status_frame(store, period, version=args.version)
    finally:
        store.close()
    out = status.assign(id=status["id"].map(_safe_id), period=status["period"].astype(str))
    out["status"] = out["status"].astype(str)
    out.to_csv(args.out, index=False, encoding="utf-8-sig")
    if args.counties is not None:
        counties.to_csv(args.counties, index=True, encoding="utf-8-sig")
    shares = status["status"].astype(str).value_counts()
    counts = ", ".join(f"{k} {v}" for k, v in shares.items())
    return f"{period}: {len(status)} projects ({counts}) written to {args.out}"


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; see ``python -m geodata.progress --help``."""
    args = _parser().parse_args(argv)
    try:
        print(_write(args))
    except PeriodError as exc:
        print(f"error: --period: {exc}", file=sys.stderr)
        return 2
    except KeyError as exc:
        print(f"error: {exc.args[0] if exc.args else exc}", file=sys.stderr)
        return 2
    except StoreError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 3
    except OSError as exc:
        print(f"error: cannot write {exc.filename}: {exc.strerror}", file=sys.stderr)
        return 2
    return 0
