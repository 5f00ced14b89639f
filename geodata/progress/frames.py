"""Plans and monthly progress reports: columns, vocabularies and cumulative filling.

Two frames carry the year's management data (schema in
``geodata/data/SCHEMA.md``, section "Plans and progress"):

- plans, one row per project and year: :data:`PLAN_COLUMNS`;
- progress reports, one row per project and month: :data:`REPORT_COLUMNS`.

:func:`plans_frame` and :func:`reports_frame` give any rows the exact columns
and dtypes; :func:`fill_cumulative` completes cumulatives from monthly amounts
and lists what looks wrong; :func:`duplicate_reports` finds two reports for
one project and month.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from geodata.i18n import Lang, by_lang, t
from geodata.progress.periods import PERIOD_DTYPE, Period, ordinals, period_array
from geodata.schema import Stage
from geodata.settings import CUMULATIVE_TOLERANCE_YI

if TYPE_CHECKING:
    from collections.abc import Iterable

PLAN_COLUMNS: tuple[str, ...] = (
    "project_id",
    "year",
    "annual_plan_yi",
    "planned_start",
    "planned_completion",
    "pool_stage",
    "target_family",
    "source_file",
    "source_sheet",
    "source_row",
)
REPORT_COLUMNS: tuple[str, ...] = (
    "project_id",
    "period",
    "cumulative_yi",
    "month_yi",
    "stage",
    "actual_start",
    "actual_completion",
    "actual_production",
    "image_progress",
    "reporting_unit",
    "source_file",
    "source_sheet",
    "source_row",
)
FILLED_COLUMN = "cumulative_filled"
"""Column :func:`fill_cumulative` adds: whether the cumulative was computed."""

_PERIOD_COLUMNS = {
    "planned_start",
    "planned_completion",
    "period",
    "actual_start",
    "actual_completion",
    "actual_production",
}
_FLOAT_COLUMNS = {"annual_plan_yi", "cumulative_yi", "month_yi"}
_INT_COLUMNS = {"year", "source_row"}


class TargetFamily(StrEnum):
    """Which of the year's investment targets a project counts toward."""

    INDUSTRIAL = "industrial"
    INFRASTRUCTURE_PUBLIC = "infrastructure_public"


class WarningKind(StrEnum):
    """What :func:`fill_cumulative` found doubtful in a report."""

    MISSING_MONTH = "missing_month"
    DECREASE = "decrease"
    MISMATCH = "mismatch"
    NO_AMOUNT = "no_amount"


@dataclass(frozen=True, slots=True)
class ProgressWarning:
    """One doubtful report, kept (never dropped) and shown to staff.

    Attributes
    ----------
    project_id : str
        The report's project.
    period : Period
        The report's month.
    kind : WarningKind
        Missing previous month, falling cumulative, mismatch or no amount.
    message_zh, message_en : str
        What is wrong, in Chinese and English.
    source_row : int
        Row of the imported sheet (0 when not imported from a file).
    """

    project_id: str
    period: Period
    kind: WarningKind
    message_zh: str
    message_en: str
    source_row: int = 0

    def __str__(self) -> str:
        """Return ``project period: 中文 (English)``."""
        return f"{self.project_id} {self.period}: {self.message_zh} ({self.message_en})"


def _frame(rows: pd.DataFrame | Iterable[dict], columns: tuple[str, ...]) -> pd.DataFrame:
    """Give ``rows`` exactly ``columns`` with the schema's dtypes."""
    raw = rows if isinstance(rows, pd.DataFrame) else pd.DataFrame(list(rows))
    out = pd.DataFrame(index=pd.RangeIndex(len(raw)))
    for col in columns:
        values = raw[col] if col in raw.columns else pd.Series([None] * len(raw), dtype=object)
        values = values.reset_index(drop=True)
        if col in _PERIOD_COLUMNS:
            out[col] = values if values.dtype == PERIOD_DTYPE else period_array(values)
        elif col in _FLOAT_COLUMNS:
            out[col] = pd.to_numeric(values, errors="raise").astype(float)
        elif col in _INT_COLUMNS:
            out[col] = pd.to_numeric(values.fillna(0), errors="raise").astype("int64")
        else:
            out[col] = values.fillna("").astype(str)
    return out


def _check_vocabulary(frame: pd.DataFrame, column: str, allowed: set[str]) -> None:
    """Raise if ``column`` holds a value outside ``allowed``."""
    bad = sorted(set(frame[column].unique()) - allowed)
    if bad:
        raise ValueError(f"{column}: unknown value(s) {bad[:5]}; allowed {sorted(allowed)}")


def _check_amounts(frame: pd.DataFrame, columns: tuple[str, ...]) -> None:
    """Raise if an amount column holds a negative number."""
    for col in columns:
        if (frame[col] < 0).any():
            raise ValueError(f"{col}: negative amount(s) for {frame.loc[frame[col] < 0].index[:5]}")


def plans_frame(rows: pd.DataFrame | Iterable[dict]) -> pd.DataFrame:
    """Return plans with exactly :data:`PLAN_COLUMNS` and the schema's dtypes.

    Parameters
    ----------
    rows : pandas.DataFrame or iterable of dict
        Plan rows; absent columns are filled (periods ``NaT``, text ``""``,
        amounts ``nan``, ``source_row`` 0, ``pool_stage`` ``unknown``).

    Returns
    -------
    pandas.DataFrame
        ``year`` int64, ``annual_plan_yi`` float (亿元), ``planned_start`` and
        ``planned_completion`` ``period[M]``, ``pool_stage`` a
        :class:`geodata.schema.Stage` value, ``target_family`` a
        :class:`TargetFamily` value or ``""`` (from the settings table).

    Raises
    ------
    ValueError
        For an unknown stage or family, a negative plan, or two plans for one
        project and year.
    """
    out = _frame(rows, PLAN_COLUMNS)
    out["pool_stage"] = out["pool_stage"].replace("", Stage.UNKNOWN.value)
    _check_vocabulary(out, "pool_stage", {s.value for s in Stage})
    _check_vocabulary(out, "target_family", {"", *(f.value for f in TargetFamily)})
    _check_amounts(out, ("annual_plan_yi",))
    twice = out.duplicated(["project_id", "year"], keep=False)
    if twice.any():
        pairs = out.loc[twice, ["project_id", "year"]].drop_duplicates().head(5)
        raise ValueError(f"two plans for one project and year: {pairs.to_records(index=False)}")
    return out


def reports_frame(rows: pd.DataFrame | Iterable[dict]) -> pd.DataFrame:
    """Return progress reports with exactly :data:`REPORT_COLUMNS` and their dtypes.

    Parameters
    ----------
    rows : pandas.DataFrame or iterable of dict
        Report rows; absent columns are filled as in :func:`plans_frame`
        (``stage`` ``unknown``).

    Returns
    -------
    pandas.DataFrame
        ``period`` and the ``actual_*`` columns ``period[M]``,
        ``cumulative_yi`` and ``month_yi`` float (亿元, ``nan`` = not given),
        ``stage`` a :class:`geodata.schema.Stage` value, text columns ``str``.

    Raises
    ------
    ValueError
        For an unknown stage, a negative amount or a report without a period.
    """
    out = _frame(rows, REPORT_COLUMNS)
    out["stage"] = out["stage"].replace("", Stage.UNKNOWN.value)
    _check_vocabulary(out, "stage", {s.value for s in Stage})
    _check_amounts(out, ("cumulative_yi", "month_yi"))
    if out["period"].isna().any():
        raise ValueError(f"period missing in row(s) {list(out.index[out['period'].isna()][:5])}")
    return out


def duplicate_reports(reports: pd.DataFrame) -> pd.DataFrame:
    """List reports that share a project and a month.

    Parameters
    ----------
    reports : pandas.DataFrame
        Progress reports (:data:`REPORT_COLUMNS`).

    Returns
    -------
    pandas.DataFrame
        Every row of every duplicated (``project_id``, ``period``) pair,
        sorted by project, period and source row, with the original index;
        empty when there is none.
    """
    twice = reports.duplicated(["project_id", "period"], keep=False)
    return reports[twice].sort_values(["project_id", "period", "source_row"], kind="stable")


def _missing_label(first: int, last: int) -> dict[Lang, str]:
    """Return the label of the missing months ``first..last`` (ordinals) in each language."""
    a, b = Period.from_ordinal(first), Period.from_ordinal(last)
    if first == last:
        return {lang: a.label(lang) for lang in Lang}
    return {lang: t("period_range", lang, first=a.label(lang), last=b.label(lang)) for lang in Lang}


def _chain(work: pd.DataFrame) -> pd.DataFrame:
    """Add the previous-row facts of each report within its project and year."""
    ords = work["_ord"].to_numpy()
    pid = work["project_id"].to_numpy()
    same = np.zeros(len(work), dtype=bool)
    same[1:] = (pid[1:] == pid[:-1]) & (ords[1:] // 12 == ords[:-1] // 12)
    prev_ord = np.where(same, np.roll(ords, 1), ords - ords % 12 - 1)
    work["_same"] = same
    work["_prev_ord"] = prev_ord
    return work


def fill_cumulative(reports: pd.DataFrame) -> tuple[pd.DataFrame, list[ProgressWarning]]:
    """Complete cumulative investment from monthly amounts; list doubtful reports.

    Cumulatives run within a calendar year (January starts from 0). Where a
    row gives only the month's amount, its cumulative is the previous
    month's cumulative plus that amount; months missing before it count as
    0 (a ``missing_month`` warning). A cumulative below the previous
    report's is a ``decrease`` warning; a stated cumulative that differs
    from the previous month's plus the stated month's amount by more than
    ``settings.CUMULATIVE_TOLERANCE_YI`` is a ``mismatch``; a row with
    neither amount is a ``no_amount`` warning and keeps ``nan``. Every row
    is kept.

    Parameters
    ----------
    reports : pandas.DataFrame
        Progress reports (:data:`REPORT_COLUMNS`), without duplicates.

    Returns
    -------
    tuple[pandas.DataFrame, list[ProgressWarning]]
        The reports in their original order with ``cumulative_yi`` completed
        and :data:`FILLED_COLUMN` (``True`` where it was computed); the
        warnings, by project and period.

    Raises
    ------
    ValueError
        If two rows share a project and a month (see :func:`duplicate_reports`).
    """
    dups = duplicate_reports(reports)
    if len(dups):
        pairs = dups[["project_id", "period"]].drop_duplicates().head(5).astype(str)
        raise ValueError(f"two reports for one project and month: {pairs.to_records(index=False)}")
    work = reports.assign(_ord=ordinals(reports["period"]), _pos=np.arange(len(reports)))
    work = _chain(work.sort_values(["project_id", "_ord"], kind="stable"))
    cum = work["cumulative_yi"].to_numpy()
    month = work["month_yi"].to_numpy()
    has_cum, has_month = ~np.isnan(cum), ~np.isnan(month)
    need = ~has_cum & has_month
    # segments start at the year's first report and at every stated cumulative
    seg = np.cumsum(~work["_same"].to_numpy() | has_cum)
    base = pd.Series(np.where(has_cum, cum, 0.0)).groupby(seg).transform("first").to_numpy()
    added = pd.Series(np.where(need, month, 0.0)).groupby(seg).cumsum().to_numpy()
    filled = np.where(need, base + added, cum)
    work["cumulative_yi"] = filled
    work[FILLED_COLUMN] = need
    warnings = _fill_warnings(work, has_cum=has_cum, has_month=has_month, need=need)
    out = work.sort_values("_pos").drop(columns=["_ord", "_pos", "_same", "_prev_ord"])
    out.index = reports.index
    return out, warnings


def _texts(
    kind: WarningKind, c: float, p: float, m: float, gap: tuple[int, int]
) -> tuple[str, str]:
    """Return the Chinese and English message of one warning."""
    if kind is WarningKind.MISSING_MONTH:
        text = by_lang("progress_missing_month", months=_missing_label(*gap))
    elif kind is WarningKind.DECREASE:
        text = by_lang("progress_decrease", c=c, p=p)
    elif kind is WarningKind.MISMATCH:
        text = by_lang("progress_mismatch", c=c, p=p, m=m)
    else:
        text = by_lang("progress_no_amount")
    return text[Lang.ZH], text[Lang.EN]


def _fill_warnings(
    work: pd.DataFrame, *, has_cum: np.ndarray, has_month: np.ndarray, need: np.ndarray
) -> list[ProgressWarning]:
    """Find missing months, falling cumulatives, mismatches and empty amounts."""
    ords = work["_ord"].to_numpy()
    prev_ord = work["_prev_ord"].to_numpy()
    gap = ords - prev_ord > 1
    filled = work["cumulative_yi"].to_numpy()
    month = work["month_yi"].to_numpy()
    same = work["_same"].to_numpy()
    # previous cumulative: the year's previous report, 0 before January
    prev = np.where(same, np.roll(filled, 1), np.where(ords % 12 == 0, 0.0, np.nan))
    adjacent = ~gap & ~np.isnan(prev)
    checks = {
        WarningKind.MISSING_MONTH: need & gap,
        WarningKind.DECREASE: same & (filled < prev - CUMULATIVE_TOLERANCE_YI),
        WarningKind.MISMATCH: has_cum
        & has_month
        & adjacent
        & (np.abs(filled - prev - month) > CUMULATIVE_TOLERANCE_YI),
        WarningKind.NO_AMOUNT: ~has_cum & ~has_month,
    }
    pids = work["project_id"].to_numpy()
    rows = work["source_row"].to_numpy()
    out: list[ProgressWarning] = []
    for kind, mask in checks.items():
        for i in np.flatnonzero(mask):
            zh, en = _texts(kind, filled[i], prev[i], month[i], (prev_ord[i] + 1, ords[i] - 1))
            period = Period.from_ordinal(ords[i])
            out.append(ProgressWarning(str(pids[i]), period, kind, zh, en, int(rows[i])))
    return sorted(out, key=lambda w: (w.project_id, w.period, list(WarningKind).index(w.kind)))
