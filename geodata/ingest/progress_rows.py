"""Importing a county office's monthly progress sheet (``--kind progress``).

Each row names a project (项目编号, else 项目名称 and 县区, former county
names too) and a month (报告期 or 月份: ``2025-09``, ``2025年9月``,
``2025.9``, or ``9月`` with ``--year``), with 累计完成投资 and/or 本月完成投资
(亿元 unless the header names 万元 or 元), 形象进度 (kept literally), 当前阶段,
开工/竣工/投产日期 and 填报单位. A month after today, a row matching no
project or several, and two rows for one project and month are refused and
reported. The cumulatives are then completed over the stored reports and the
new ones (:func:`geodata.progress.fill_cumulative`): a missing previous
month, a falling cumulative or a mismatch becomes a warning on the row.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from geodata.i18n import bilingual
from geodata.ingest import _store
from geodata.ingest._cells import RowLog, Verdict
from geodata.ingest._rows import RowsResult, Sheet, build_report
from geodata.ingest._rows_cells import amount_column, month_column, period_values
from geodata.ingest._rows_headers import RowKind
from geodata.progress.frames import REPORT_COLUMNS, fill_cumulative, reports_frame
from geodata.progress.periods import Period

_DATES = ("actual_start", "actual_completion", "actual_production")


def _months(sheet: Sheet, *, year: int | None, today: dt.date) -> list:
    """Return each row's report month; a blank, unreadable or future month rejects the row."""
    periods = month_column(
        sheet.raw("period"),
        sheet.numeric("period"),
        sheet.log,
        field="period",
        verdict=Verdict.REJECT,
        year=year,
        today=today,
    )
    for i, period in enumerate(periods):
        if period is None and not sheet.log.reject[i]:
            sheet.log.add(i, Verdict.REJECT, bilingual("progress_empty"))
    return periods


def _parse(sheet: Sheet, pids: np.ndarray, *, year: int | None, today: dt.date) -> pd.DataFrame:
    """Parse every field of the sheet into report rows (positional, rejected rows included)."""
    units = sheet.headers.units
    values: dict[str, object] = {
        "project_id": pids,
        "period": period_values(_months(sheet, year=year, today=today)),
        "cumulative_yi": amount_column(
            sheet.raw("cumulative"), sheet.log, unit=units.get("cumulative", "亿元"),
            field="cumulative",
        ),
        "month_yi": amount_column(
            sheet.raw("month"), sheet.log, unit=units.get("month", "亿元"),
            field="month",
        ),
        "stage": sheet.stages("stage"),
        "image_progress": sheet.text("image_progress"),
        "reporting_unit": sheet.text("reporting_unit"),
        "source_file": sheet.source,
        "source_sheet": str(sheet.table.attrs.get("sheet", "")),
        "source_row": sheet.log.rows,
    }  # fmt: skip
    for name in _DATES:
        found = month_column(
            sheet.raw(name), sheet.numeric(name), sheet.log, field=name,
            verdict=Verdict.WARN,
        )  # fmt: skip
        values[name] = period_values(found)
    return pd.DataFrame(values)


def _fill_warnings(mine: pd.DataFrame, stored: pd.DataFrame, log: RowLog, live: np.ndarray) -> None:
    """Complete cumulatives over stored and new reports; warnings on new rows go to their rows."""
    new_keys = pd.MultiIndex.from_arrays([mine["project_id"], mine["period"]])
    # the stored reports of the file's projects in the file's years
    same_year = stored[stored["period"].dt.year.isin(mine["period"].dt.year.unique()).to_numpy()]
    ids = pd.Index(same_year["project_id"].to_numpy(dtype=object), dtype=object)
    before = same_year[ids.isin(mine["project_id"].to_numpy(dtype=object))]
    stored_keys = pd.MultiIndex.from_arrays([before["project_id"], before["period"]])
    both = pd.concat([before[~stored_keys.isin(new_keys)], mine], ignore_index=True)
    # plain object ids sort and take much faster than Arrow strings
    _, found = fill_cumulative(both.assign(project_id=both["project_id"].astype(object)))
    if not found:
        return
    ordinals = mine["period"].array.asi8
    position = dict(
        zip(
            zip(mine["project_id"].to_numpy(dtype=object), ordinals.tolist(), strict=True),
            np.flatnonzero(live).tolist(),
            strict=True,
        )
    )
    for warning in found:
        i = position.get((warning.project_id, warning.period.ordinal))
        if i is not None:
            log.add(i, Verdict.WARN, f"{warning.message_zh} ({warning.message_en})")


def _keys(rows: pd.DataFrame) -> list[tuple[str, str | None]]:
    """Return each parsed row's project and month (``2025-09``; ``None`` when unread)."""
    months, which = np.unique(rows["period"].array.asi8, return_inverse=True)
    texts = [None if o == np.iinfo(np.int64).min else str(Period.from_ordinal(o))
             for o in months.tolist()]  # fmt: skip
    periods = [texts[i] for i in which.tolist()]
    return list(zip(rows["project_id"].to_numpy(dtype=object), periods, strict=True))


def validate_progress(
    table: pd.DataFrame,
    *,
    projects: pd.DataFrame,
    stored: pd.DataFrame | _store.ProjectStore | None = None,
    year: int | None = None,
    filename: str = "",
    today: dt.date | None = None,
    base_version: int | None = None,
) -> RowsResult:
    """Check every row of a read progress sheet against the register and the stored reports.

    Parameters
    ----------
    table : pandas.DataFrame
        :func:`~geodata.ingest.read_table` output.
    projects : pandas.DataFrame
        The register (``id``, ``name_zh``, ``county_adcode``).
    stored : pandas.DataFrame or ProjectStore, optional
        The store, from which only the reports the file's rows lead on from
        are read (``store.progress(leading_to=rows)``), or stored reports
        (``store.progress()``), for the cumulatives and the
        added/updated/unchanged counts.
    year : int, optional
        Year of cells giving only the month (``9月``).
    filename : str
        The file's name (report and provenance).
    today : datetime.date, optional
        The current date (tests inject it): later months are refused.
    base_version : int, optional
        The store version ``projects`` and ``stored`` were read at.

    Returns
    -------
    RowsResult

    Raises
    ------
    IngestError
        When the sheet lacks a required column (named).
    """
    today = today or dt.date.today()
    sheet = Sheet.of(table, RowKind.PROGRESS, year=year, filename=filename)
    pids, unmatched = sheet.match(projects)
    rows = _parse(sheet, pids, year=year, today=today)
    duplicates = sheet.repeats(_keys(rows), what="rows_field_period")
    live = ~sheet.log.rejected()
    accepted = reports_frame(rows[live].reset_index(drop=True))
    stored = _store.stored_rows(stored, "progress", accepted)
    if live.any():
        _fill_warnings(accepted, stored, sheet.log, live)
    change = _store.row_changes("progress", stored, accepted)
    report = build_report(sheet, change=change, duplicates=duplicates, unmatched=unmatched)
    return RowsResult(
        RowKind.PROGRESS, accepted[list(REPORT_COLUMNS)], report, change, base_version
    )
