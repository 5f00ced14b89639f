"""The 序时进度 lag rule: each project's status at a month, and its target family.

At month m of year y the time share is m/12. A project's completion rate is
its cumulative investment in y to the end of m divided by its annual plan
for y. Status at that month (thresholds in :mod:`geodata.settings`):

- ``ahead`` 超序时: rate ≥ time share;
- ``on_track`` 正常: up to ``LAG_ON_TRACK_POINTS`` (10) points below;
- ``lagging`` 滞后: more than 10 and up to ``LAG_SEVERE_POINTS`` (25) below;
- ``severely_lagging`` 严重滞后: more than 25 points below;
- ``no_plan`` 无计划: no plan for y, or a plan of 0;
- ``not_reported`` 未报送: a plan but no report (or no amount) for that month.

:func:`lag_statuses` computes many months at once on integer arrays (one
factorisation of the ids, then one pass per month over that month's
reports); :func:`lag_status` is the one-month entry point.
"""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from geodata.progress.frames import TargetFamily
from geodata.progress.periods import Period, ordinals, period_array
from geodata.schema import Stage
from geodata.settings import (
    LAG_ON_TRACK_POINTS,
    LAG_SEVERE_POINTS,
    LAG_STATUS_COLORS,
    TARGET_FAMILY_BY_CATEGORY,
    TARGET_FAMILY_BY_SUBCATEGORY,
)

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

STATUS_COLUMNS: tuple[str, ...] = (
    "id",
    "period",
    "annual_plan_yi",
    "cumulative_yi",
    "completion_pct",
    "time_share_pct",
    "status",
    "late_start",
    "overdue_completion",
    "started",
    "completed",
    "completed_in_year",
    "stage",
)
EXPORT_COLUMNS: tuple[str, ...] = STATUS_COLUMNS[:7]
"""Columns of ``python -m geodata.progress status --out``: id … status (English keys)."""
_NONE = np.iinfo(np.int64).max
_STAGES: tuple[str, ...] = tuple(s.value for s in Stage)
_STARTED = np.isin(_STAGES, [Stage.CONSTRUCTION.value, Stage.OPERATION.value])
_DONE = np.isin(_STAGES, [Stage.OPERATION.value])


class LagStatus(StrEnum):
    """A project's standing against the time schedule at one month."""

    AHEAD = "ahead"
    ON_TRACK = "on_track"
    LAGGING = "lagging"
    SEVERELY_LAGGING = "severely_lagging"
    NO_PLAN = "no_plan"
    NOT_REPORTED = "not_reported"

    @property
    def color(self) -> str:
        """Colour on maps and charts (``settings.LAG_STATUS_COLORS``)."""
        return LAG_STATUS_COLORS[self.value]

    @property
    def severity(self) -> int | None:
        """0 (ahead) to 3 (severely lagging); ``None`` without a plan or report."""
        return _SEVERITY.get(self)


_SEVERITY = {
    LagStatus.AHEAD: 0,
    LagStatus.ON_TRACK: 1,
    LagStatus.LAGGING: 2,
    LagStatus.SEVERELY_LAGGING: 3,
}
STATUS_VALUES: tuple[str, ...] = tuple(s.value for s in LagStatus)


def _project_index(
    projects: pd.DataFrame | Iterable[str] | None, plans: pd.DataFrame, reports: pd.DataFrame
) -> pd.Index:
    """Return the ids to report on: the register's, or every id with a plan or report."""
    if projects is None:
        ids = pd.concat([plans["project_id"], reports["project_id"]], ignore_index=True)
        return pd.Index(pd.unique(ids.astype(str)))
    ids = projects["id"] if isinstance(projects, pd.DataFrame) else pd.Series(list(projects))
    index = pd.Index(ids.astype(str))
    if index.has_duplicates:
        raise ValueError(f"duplicate project id(s): {list(index[index.duplicated()][:5])}")
    return index


def _codes(ids: pd.Series, index: pd.Index) -> np.ndarray:
    """Return the position of each id in ``index`` (-1 for an id not in it)."""
    codes, uniques = pd.factorize(ids)
    if not len(uniques):
        return codes
    # a missing id (factorize code -1) stays -1
    lookup = np.append(index.get_indexer(pd.Index(uniques).astype(str)), -1)
    return lookup[codes]


def _report_events(reports: pd.DataFrame, index: pd.Index) -> dict[str, np.ndarray]:
    """Return per-report arrays: project code, month, cumulative, start and completion facts.

    A report tells that a project started at ``start_t`` (its actual start,
    else its month when its stage is construction or operation), known from
    ``start_e`` = max(report month, start_t); likewise for completion
    (actual completion or production, else the month when in operation).
    """
    codes = _codes(reports["project_id"], index)
    if not (codes >= 0).all():
        reports = reports[codes >= 0]
        codes = codes[codes >= 0]
    q = ordinals(reports["period"])
    stage_codes, stage_names = pd.factorize(reports["stage"])
    stage = pd.Index(_STAGES).get_indexer(stage_names)[stage_codes].astype(np.int64)
    known = stage >= 0
    start_t = ordinals(reports["actual_start"])
    start_t = np.where((start_t == _NONE) & known & _STARTED[stage], q, start_t)
    done_t = np.minimum(
        ordinals(reports["actual_completion"]), ordinals(reports["actual_production"])
    )
    done_t = np.where((done_t == _NONE) & known & _DONE[stage], q, done_t)
    unknown = stage == _STAGES.index(Stage.UNKNOWN.value)
    return {
        "code": codes,
        "q": q,
        "cum": reports["cumulative_yi"].to_numpy(dtype=float),
        "start_t": start_t,
        "start_e": np.where(start_t == _NONE, _NONE, np.maximum(q, start_t)),
        "done_t": done_t,
        "done_e": np.where(done_t == _NONE, _NONE, np.maximum(q, done_t)),
        "stage": np.where(unknown, -1, stage),
    }


def _buckets(known: np.ndarray, months: np.ndarray) -> list[np.ndarray]:
    """Split report rows by the first requested month at or after the one they become known.

    Bucket k holds the rows known in (month k-1, month k]; rows known after
    the last month are in no bucket.
    """
    bucket = np.searchsorted(months, known, side="left")
    # few distinct buckets: a 16-bit stable sort is a radix sort
    order = np.argsort(bucket.astype(np.int16), kind="stable")
    ends = np.cumsum(np.bincount(bucket, minlength=len(months) + 1))
    return np.split(order, ends[:-1])[: len(months)]


class _State:
    """What the reports up to a month tell about each project (advanced month by month)."""

    def __init__(self, ev: dict[str, np.ndarray], n: int, months: np.ndarray) -> None:
        self.ev = ev
        self.first_seen = np.full(n, _NONE, dtype=np.int64)
        self.start_t = np.full(n, _NONE, dtype=np.int64)
        self.done_t = np.full(n, _NONE, dtype=np.int64)
        self.stage = np.full(n, -1, dtype=np.int64)
        self.rows = {what: _buckets(ev[what], months) for what in ("q", "start_e", "done_e")}

    def advance(self, k: int) -> np.ndarray:
        """Take in the facts known by requested month ``k``; return that bucket's report rows."""
        ev = self.ev
        new = self.rows["q"][k]
        np.minimum.at(self.first_seen, ev["code"][new], ev["q"][new])
        for what in ("start", "done"):
            sel = self.rows[f"{what}_e"][k]
            np.minimum.at(getattr(self, f"{what}_t"), ev["code"][sel], ev[f"{what}_t"][sel])
        # latest stated stage wins
        sel = new[ev["stage"][new] >= 0]
        code, q, stage = ev["code"][sel], ev["q"][sel], ev["stage"][sel]
        if len(q) and q.min() < q.max():
            order = np.lexsort((q, code))
            code, stage = code[order], stage[order]
            last = np.ones(len(code), dtype=bool)
            last[:-1] = code[1:] != code[:-1]
            code, stage = code[last], stage[last]
        self.stage[code] = stage
        return new


def _plan_arrays(plans: pd.DataFrame, index: pd.Index, year: int) -> dict[str, np.ndarray]:
    """Return the plan, planned start and planned completion of each project for ``year``."""
    n = len(index)
    year_plans = plans[plans["year"].to_numpy() == year]
    codes = _codes(year_plans["project_id"], index)
    keep = codes >= 0
    if np.bincount(codes[keep], minlength=n).max(initial=0) > 1:
        raise ValueError(f"two plans for one project in {year}")
    out = {
        "plan": np.full(n, np.nan),
        "start": np.full(n, _NONE, dtype=np.int64),
        "done": np.full(n, _NONE, dtype=np.int64),
    }
    out["plan"][codes[keep]] = year_plans["annual_plan_yi"].to_numpy(dtype=float)[keep]
    out["start"][codes[keep]] = ordinals(year_plans["planned_start"])[keep]
    out["done"][codes[keep]] = ordinals(year_plans["planned_completion"])[keep]
    return out


def _cumulative_at(ev: dict[str, np.ndarray], rows: np.ndarray, n: int, p: int) -> np.ndarray:
    """Return each project's cumulative reported for month ``p`` (``nan`` = none)."""
    sel = rows[ev["q"][rows] == p]
    code = ev["code"][sel]
    if np.bincount(code, minlength=n).max(initial=0) > 1:
        raise ValueError(
            f"two reports for one project in {Period.from_ordinal(p)}; see duplicate_reports()"
        )
    cum = np.full(n, np.nan)
    cum[code] = ev["cum"][sel]
    return cum


def _classify(plan: np.ndarray, cum: np.ndarray, share_pct: float) -> tuple[np.ndarray, ...]:
    """Return completion % and status codes (positions in :class:`LagStatus`)."""
    has_plan = plan > 0
    with np.errstate(invalid="ignore", divide="ignore"):
        pct = np.where(has_plan, cum / plan * 100.0, np.nan)
    gap = np.round(share_pct - pct, 9)
    status = np.select(
        [~has_plan, np.isnan(cum), gap <= 0, gap <= LAG_ON_TRACK_POINTS, gap <= LAG_SEVERE_POINTS],
        [4, 5, 0, 1, 2],
        default=3,
    )
    return pct, status


def _month_columns(
    p: Period, state: _State, cum: np.ndarray, plan: dict[str, np.ndarray]
) -> dict[str, np.ndarray]:
    """Return the status columns of every project at month ``p``."""
    o = p.ordinal
    share = p.time_share * 100.0
    pct, status = _classify(plan["plan"], cum, share)
    unknown = state.first_seen > o
    started = state.start_t <= o
    completed = state.done_t <= o
    return {
        "annual_plan_yi": plan["plan"],
        "cumulative_yi": cum,
        "completion_pct": pct,
        "time_share_pct": np.full(len(cum), share),
        "status": status,
        "late_start": (plan["start"] <= o) & ~started,
        "late_start_na": (plan["start"] <= o) & unknown,
        "overdue_completion": (plan["done"] <= o) & ~completed,
        "overdue_completion_na": (plan["done"] <= o) & unknown,
        "started": started,
        "started_na": unknown,
        "completed": completed,
        "completed_na": unknown,
        "completed_in_year": completed & (state.done_t // 12 + 1970 == p.year),
        "completed_in_year_na": unknown,
        "stage": state.stage.copy(),
    }


def _assemble(index: pd.Index, periods: list[Period], parts: list[dict]) -> pd.DataFrame:
    """Stack the per-month columns into one frame in :data:`STATUS_COLUMNS` order."""
    n = len(index)
    cat = {key: np.concatenate([part[key] for part in parts]) for key in parts[0]} if parts else {}
    ords = np.repeat(np.array([p.ordinal for p in periods], dtype=np.int64), n)
    ids = pd.array(index, dtype="str")
    out = pd.DataFrame({"id": ids.take(np.tile(np.arange(n), len(periods)))})
    out["period"] = period_array(ords)
    for col in ("annual_plan_yi", "cumulative_yi", "completion_pct", "time_share_pct"):
        out[col] = cat.get(col, np.empty(0))
    codes = cat.get("status", np.empty(0, dtype=np.int64))
    out["status"] = pd.Categorical.from_codes(codes, categories=list(STATUS_VALUES))
    for col in ("late_start", "overdue_completion", "started", "completed", "completed_in_year"):
        values = cat.get(col, np.empty(0, dtype=bool))
        out[col] = pd.arrays.BooleanArray(values, cat.get(f"{col}_na", np.zeros(0, dtype=bool)))
    stage = cat.get("stage", np.empty(0, dtype=np.int64))
    out["stage"] = pd.Categorical.from_codes(stage, categories=list(_STAGES))
    return out


def lag_statuses(
    plans: pd.DataFrame,
    reports: pd.DataFrame,
    periods: Sequence[Period],
    *,
    projects: pd.DataFrame | Iterable[str] | None = None,
) -> pd.DataFrame:
    """Classify every project against the time schedule at each of several months.

    Parameters
    ----------
    plans : pandas.DataFrame
        Plans (:data:`geodata.progress.frames.PLAN_COLUMNS`).
    reports : pandas.DataFrame
        Progress reports with cumulatives filled
        (:func:`geodata.progress.frames.fill_cumulative`).
    periods : sequence of Period
        Months to classify (any order; the result is in month order).
    projects : pandas.DataFrame or iterable of str, optional
        The register (its ``id`` column) or ids: exactly these projects get
        a row each month, in this order, and plans or reports of other ids
        are ignored; a project with neither shows ``no_plan`` /
        ``not_reported``, never 0. Default: every id with a plan or report.

    Returns
    -------
    pandas.DataFrame
        One row per project and month, columns :data:`STATUS_COLUMNS`:
        ``period`` ``period[M]``; ``annual_plan_yi`` (``nan`` without a
        plan), ``cumulative_yi`` (``nan`` when not reported that month),
        ``completion_pct`` (``nan`` unless both), ``time_share_pct`` (m/12 ×
        100); ``status`` categorical of :class:`LagStatus` values;
        ``late_start`` (未按期开工: planned start month reached and not
        started), ``overdue_completion`` (逾期未竣工: planned completion
        month reached and not completed), ``started``, ``completed`` (by the
        end of the month, from actual dates or the stated stage) and
        ``completed_in_year`` are nullable booleans, ``NA`` when no report up
        to that month tells; ``stage`` categorical of
        :class:`geodata.schema.Stage` values, the latest stated stage
        (``NaN`` when none).

    Raises
    ------
    ValueError
        If two reports share a project and month, two plans a project and
        year, or ``projects`` repeats an id.
    """
    index = _project_index(projects, plans, reports)
    months = sorted(set(periods))
    ev = _report_events(reports, index)
    state = _State(ev, len(index), np.array([p.ordinal for p in months], dtype=np.int64))
    plan_by_year = {y: _plan_arrays(plans, index, y) for y in {p.year for p in months}}
    parts = []
    for k, p in enumerate(months):
        rows = state.advance(k)
        cum = _cumulative_at(ev, rows, len(index), p.ordinal)
        parts.append(_month_columns(p, state, cum, plan_by_year[p.year]))
    return _assemble(index, months, parts)


def lag_status(
    plans: pd.DataFrame,
    reports: pd.DataFrame,
    period: Period,
    *,
    projects: pd.DataFrame | Iterable[str] | None = None,
) -> pd.DataFrame:
    """Classify every project against the time schedule at one month.

    Parameters
    ----------
    plans, reports : pandas.DataFrame
        As for :func:`lag_statuses`.
    period : Period
        The month ("截至 2025年9月").
    projects : pandas.DataFrame or iterable of str, optional
        As for :func:`lag_statuses`.

    Returns
    -------
    pandas.DataFrame
        One row per project, columns :data:`STATUS_COLUMNS` (see
        :func:`lag_statuses`).
    """
    return lag_statuses(plans, reports, [period], projects=projects)


def target_family(
    projects: pd.DataFrame, plans: pd.DataFrame | None = None, *, year: int | None = None
) -> pd.Series:
    """Return the target each project counts toward (产业项目 or 基础设施和公共服务).

    Parameters
    ----------
    projects : pandas.DataFrame
        Register rows (``id``, ``category``, ``subcategory``).
    plans : pandas.DataFrame, optional
        Plans; a non-empty ``target_family`` overrides the table for its
        project (the plan of ``year``, else the project's latest plan).
    year : int, optional
        Year whose plans override.

    Returns
    -------
    pandas.Series
        Indexed by project id, :class:`TargetFamily` values, named
        ``target_family``. From ``settings.TARGET_FAMILY_BY_SUBCATEGORY``,
        then ``TARGET_FAMILY_BY_CATEGORY``.
    """
    by_sub = projects["subcategory"].astype(str).map(TARGET_FAMILY_BY_SUBCATEGORY)
    by_cat = projects["category"].astype(str).map(TARGET_FAMILY_BY_CATEGORY)
    family = by_sub.fillna(by_cat).fillna(TargetFamily.INFRASTRUCTURE_PUBLIC.value)
    out = pd.Series(family.to_numpy(), index=projects["id"].astype(str), name="target_family")
    if plans is not None and len(plans):
        chosen = plans[plans["target_family"].astype(str) != ""]
        if year is not None:
            chosen = chosen[chosen["year"] == year]
        latest = chosen.sort_values("year").drop_duplicates("project_id", keep="last")
        override = pd.Series(latest["target_family"].to_numpy(), index=latest["project_id"])
        hit = out.index.isin(override.index)
        out[hit] = override.reindex(out.index[hit]).to_numpy()
    return out.astype(str)
