"""Synthetic plans and twelve months of progress for synthetic projects (demo and bench).

Clearly labelled and never mixed with the report's register: it accepts only
projects whose id starts ``SYN-`` (see :mod:`bench.synthetic`), every row has
``synthetic = True``, ``source_file = "synthetic"`` and 形象进度 text starting
``合成数据``. Totals are shaped like the report's: the December cumulatives
add up to about 956亿元 per 2,537 projects (scaled with the number of
projects); about a fifth of the projects complete within the year; most keep
to the time schedule, a realistic share lag (slow starts, late starts, a few
stalled projects), a few have no plan or a plan of 0, and about 2 % of the
monthly reports are missing (never December's) and 10 % give only the month's amount.

Usage: ``python -m bench.synthetic_progress N OUT_DIR`` writes
``projects.csv``, ``plans.csv`` and ``progress.csv``.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pandas as pd

from bench.synthetic import synthetic_projects
from geodata.progress.frames import TargetFamily, plans_frame, reports_frame
from geodata.progress.lag import target_family
from geodata.progress.periods import Period, period_array
from geodata.register import load_figures
from geodata.schema import Stage
from geodata.settings import TARGET_FIGURE_KEYS

MISSING_SHARE = 0.02
MONTH_ONLY_SHARE = 0.10
NEW_SHARE = 0.3
_STREAM = 10
# share of projects per pace group and the range of their December completion ratio
_PACE = (
    (0.78, 0.95, 1.15),  # on schedule or ahead
    (0.13, 0.76, 0.90),  # lagging
    (0.06, 0.40, 0.75),  # severely lagging or stalled
    (0.03, 0.90, 1.05),  # no plan (or a plan of 0): still reports investment
)
_TEXTS = {
    Stage.RESERVE.value: "合成数据：前期手续办理中",
    Stage.CONSTRUCTION.value: "合成数据：主体工程施工中",
    Stage.OPERATION.value: "合成数据：已竣工投产",
}


def _paces(n: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Return each project's pace group (0–3) and December completion ratio."""
    shares = np.array([g[0] for g in _PACE])
    group = rng.choice(len(_PACE), size=n, p=shares / shares.sum())
    low = np.array([g[1] for g in _PACE])[group]
    high = np.array([g[2] for g in _PACE])[group]
    return group, rng.uniform(low, high)


def _schedule(n: int, rng: np.random.Generator) -> dict[str, np.ndarray]:
    """Return start and completion months (1–12, 13 = not this year; 0 = before)."""
    new = rng.random(n) < NEW_SHARE
    planned_start = np.where(new, rng.integers(2, 7, n), 0)
    late = new & (rng.random(n) < 0.2)
    start = np.where(late, planned_start + rng.integers(1, 4, n), np.maximum(planned_start, 1))
    planned_done = np.where(rng.random(n) < 0.25, rng.integers(6, 13, n), 13)
    planned_done = np.where(planned_done <= start, 13, planned_done)
    slip = rng.random(n) < 0.2
    done = np.where(slip, 13, planned_done)
    return {
        "planned_start": planned_start,
        "start": start,
        "planned_done": planned_done,
        "done": done,
    }


def _cumulative(final: np.ndarray, start: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Return cumulative investment (n × 12): nothing before the start, slow first months."""
    months = np.arange(1, 13)
    span = (13 - start)[:, None]
    frac = np.clip((months[None, :] - start[:, None] + 1) / span, 0.0, 1.0)
    frac = frac ** rng.uniform(0.95, 1.25, len(final))[:, None]
    inc = np.diff(frac, axis=1, prepend=0.0) * rng.lognormal(0.0, 0.3, frac.shape)
    total = inc.sum(axis=1, keepdims=True)
    return np.cumsum(inc, axis=1) / np.where(total > 0, total, 1.0) * final[:, None]


def _plan_sizes(
    projects: pd.DataFrame, ratio: np.ndarray, total: float, rng: np.random.Generator
) -> np.ndarray:
    """Return annual plans: lognormal sizes, families shaped like the targets (750 : 400)."""
    figures = load_figures().set_index("key")["value"]
    industrial = figures[TARGET_FIGURE_KEYS["industrial_yi"]]
    infrastructure = figures[TARGET_FIGURE_KEYS["infrastructure_public_yi"]]
    infra = target_family(projects).to_numpy() == TargetFamily.INFRASTRUCTURE_PUBLIC.value
    size = rng.lognormal(0.0, 1.0, len(ratio))
    for mask, target in ((infra, infrastructure), (~infra, industrial)):
        if mask.any():
            size[mask] *= target / (size[mask] * ratio[mask]).sum()
    # December cumulatives add up to the total
    return size / (size * ratio).sum() * total


def _plans(
    ids: np.ndarray, plan: np.ndarray, sched: dict, group: np.ndarray, year: int
) -> pd.DataFrame:
    """Build the plan rows (projects of the no-plan group get none or a plan of 0)."""
    n = len(ids)
    base = Period(year, 1).ordinal
    start_ord = np.where(
        sched["planned_start"] > 0,
        base + sched["planned_start"] - 1,
        base - 12 + (np.arange(n) % 12),
    )
    done = sched["planned_done"]
    done_ord = np.where(done <= 12, base + done - 1, base + 12 + (np.arange(n) % 12))
    no_plan = group == 3
    plan_value = np.where(no_plan, 0.0, plan)
    keep = ~(no_plan & (np.arange(n) % 2 == 0))
    frame = pd.DataFrame(
        {
            "project_id": ids,
            "year": year,
            "annual_plan_yi": plan_value.round(4),
            "planned_start": period_array(start_ord),
            "planned_completion": period_array(done_ord),
            "pool_stage": np.where(
                sched["planned_start"] > 0, Stage.RESERVE.value, Stage.CONSTRUCTION.value
            ),
            "source_file": "synthetic",
            "source_row": np.arange(1, n + 1),
        }
    )[keep]
    out = plans_frame(frame)
    out["synthetic"] = True
    return out


def _reports(
    projects: pd.DataFrame, cum: np.ndarray, sched: dict, year: int, rng: np.random.Generator
) -> pd.DataFrame:
    """Build twelve monthly report rows per project, some missing, some month-only."""
    n = len(projects)
    months = np.tile(np.arange(1, 13), n)
    row_of = np.repeat(np.arange(n), 12)
    flat = cum.ravel()
    month_amount = np.diff(cum, axis=1, prepend=0.0).ravel()
    started = months >= sched["start"][row_of]
    done = months >= sched["done"][row_of]
    stage = np.where(
        done,
        Stage.OPERATION.value,
        np.where(started, Stage.CONSTRUCTION.value, Stage.RESERVE.value),
    )
    base = Period(year, 1).ordinal
    start_ord = np.where(started, base + sched["start"][row_of] - 1, np.iinfo(np.int64).min)
    done_ord = np.where(done, base + sched["done"][row_of] - 1, np.iinfo(np.int64).min)
    month_only = rng.random(n * 12) < MONTH_ONLY_SHARE
    # the year-end report is never missing
    keep = (rng.random(n * 12) >= MISSING_SHARE) | (months == 12)
    frame = pd.DataFrame(
        {
            "project_id": projects["id"].to_numpy()[row_of],
            "period": period_array(base + months - 1),
            "cumulative_yi": np.where(month_only, np.nan, flat.round(4)),
            "month_yi": np.where(
                month_only | (rng.random(n * 12) < 0.5), month_amount.round(4), np.nan
            ),
            "stage": stage,
            "actual_start": pd.arrays.PeriodArray(start_ord, dtype="period[M]"),
            "actual_completion": pd.arrays.PeriodArray(done_ord, dtype="period[M]"),
            "actual_production": pd.arrays.PeriodArray(done_ord, dtype="period[M]"),
            "image_progress": pd.Series(stage).map(_TEXTS).to_numpy(),
            "reporting_unit": projects["location_text"].astype(str).to_numpy()[row_of]
            + "发展和改革局（合成）",
            "source_file": "synthetic",
            "source_row": np.arange(1, n * 12 + 1),
        }
    )[keep]
    out = reports_frame(frame.reset_index(drop=True))
    out["synthetic"] = True
    return out


def synthetic_plans_and_progress(
    projects: pd.DataFrame, *, year: int = 2025, seed: int = 0, total_yi: float | None = None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Make a plan and twelve monthly reports for each synthetic project.

    Parameters
    ----------
    projects : pandas.DataFrame
        Synthetic projects (:func:`bench.synthetic.synthetic_projects`); ids
        must start ``SYN-``.
    year : int
        The plan year; reports run January to December of it.
    seed : int
        Random seed; the same seed gives the same frames.
    total_yi : float, optional
        December cumulative of all projects (亿元); default the report's
        956亿元 (``investment_completed``) scaled by ``len(projects) / 2537``
        (``projects_started``), split between the families like the
        targets (750 : 400).

    Returns
    -------
    tuple[pandas.DataFrame, pandas.DataFrame]
        Plans (:data:`geodata.progress.PLAN_COLUMNS` + ``synthetic``) and
        reports (:data:`geodata.progress.REPORT_COLUMNS` + ``synthetic``),
        reports not yet filled (run :func:`geodata.progress.fill_cumulative`).

    Raises
    ------
    ValueError
        If any id does not start ``SYN-`` (real projects get no invented progress).
    """
    ids = projects["id"].astype(str).to_numpy()
    if not all(i.startswith("SYN-") for i in ids):
        raise ValueError("synthetic progress is made only for synthetic projects (ids SYN-…)")
    # a stream of its own: the projects' generator draws from default_rng(seed)
    rng = np.random.default_rng([seed, _STREAM])
    n = len(ids)
    figures = load_figures().set_index("key")["value"]
    scale = n / figures["projects_started"]
    total = figures["investment_completed"] * scale if total_yi is None else total_yi
    group, ratio = _paces(n, rng)
    sched = _schedule(n, rng)
    plan = _plan_sizes(projects, ratio, total, rng)
    cum = _cumulative(plan * ratio, sched["start"], rng)
    return _plans(ids, plan, sched, group, year), _reports(projects, cum, sched, year, rng)


def main(argv: list[str]) -> int:
    """Write ``N`` synthetic projects with plans and progress to a folder."""
    if len(argv) != 2:
        print("usage: python -m bench.synthetic_progress N OUT_DIR", file=sys.stderr)
        return 2
    out = Path(argv[1])
    out.mkdir(parents=True, exist_ok=True)
    projects = synthetic_projects(int(argv[0]))
    plans, reports = synthetic_plans_and_progress(projects)
    projects.drop(columns="geometry").to_csv(out / "projects.csv", index=False, encoding="utf-8")
    plans.to_csv(out / "plans.csv", index=False, encoding="utf-8")
    reports.to_csv(out / "progress.csv", index=False, encoding="utf-8")
    print(f"wrote {len(projects)} projects, {len(plans)} plans, {len(reports)} reports to {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
