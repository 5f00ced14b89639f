"""Importing a sheet of annual plans (``--kind plan``).

Each row names a project (项目编号, else 项目名称 and 县区) and a year (年度,
or ``--year`` for the whole sheet), with 年度计划投资 (亿元 unless the header
names 万元 or 元), 计划开工 and 计划竣工 months, optionally the 四库 stage
and the target family (产业项目 / 基础设施和公共服务). A row matching no
project or several, and two rows for one project and year, are refused and
reported; a blank plan amount is a warning (the project then shows 无计划).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from geodata.i18n import bilingual, by_lang
from geodata.ingest import _store
from geodata.ingest._cells import Verdict
from geodata.ingest._rows import RowsResult, Sheet, build_report
from geodata.ingest._rows_cells import amount_column, month_column, period_values, read_year
from geodata.ingest._rows_headers import RowKind
from geodata.ingest._vocab import labelled_terms
from geodata.progress.frames import PLAN_COLUMNS, TargetFamily, plans_frame

FAMILY_TERMS: dict[str, TargetFamily] = {
    **labelled_terms(TargetFamily),
    "产业": TargetFamily.INDUSTRIAL,
    "产业转型项目": TargetFamily.INDUSTRIAL,
    "基础设施": TargetFamily.INFRASTRUCTURE_PUBLIC,
    "公共服务": TargetFamily.INFRASTRUCTURE_PUBLIC,
    "基础设施和公共服务项目": TargetFamily.INFRASTRUCTURE_PUBLIC,
}


def _years(sheet: Sheet, year: int | None) -> np.ndarray:
    """Return each row's plan year (``--year`` where blank); a bad year rejects the row."""
    out = np.zeros(len(sheet.table), dtype=np.int64)
    for i, text in enumerate(sheet.raw("year")):
        parsed = read_year(text, default=year)
        sheet.log.add(i, parsed.verdict, parsed.message)
        out[i] = 0 if np.isnan(parsed.value) else int(parsed.value)
    return out


def _families(sheet: Sheet) -> np.ndarray:
    """Target family overrides; blank keeps the settings table, unknown terms warn."""
    out = np.full(len(sheet.table), "", dtype=object)
    for i, term in enumerate(sheet.key("target_family")):
        if not term:
            continue
        found = FAMILY_TERMS.get(term) or FAMILY_TERMS.get(term.casefold())
        if found is None:
            choices = by_lang("rows_family_choices")
            message = bilingual("rows_unknown_family", text=term[:30], choices=choices)
            sheet.log.add(i, Verdict.WARN, message)
        else:
            out[i] = found.value
    return out


def _parse(sheet: Sheet, pids: np.ndarray, *, year: int | None) -> pd.DataFrame:
    """Parse every field of the sheet into plan rows (positional, rejected rows included)."""
    plan = amount_column(
        sheet.raw("annual_plan"), sheet.log, unit=sheet.headers.units.get("annual_plan", "亿元"),
        field="annual_plan",
    )  # fmt: skip
    for i in np.flatnonzero(np.isnan(plan) & ~sheet.log.rejected()):
        sheet.log.add(i, Verdict.WARN, bilingual("rows_no_plan_amount"))
    values: dict[str, object] = {
        "project_id": pids,
        "year": _years(sheet, year),
        "annual_plan_yi": plan,
        "pool_stage": sheet.stages("pool_stage"),
        "target_family": _families(sheet),
        "source_file": sheet.source,
        "source_sheet": str(sheet.table.attrs.get("sheet", "")),
        "source_row": sheet.log.rows,
    }
    for name in ("planned_start", "planned_completion"):
        found = month_column(
            sheet.raw(name), sheet.numeric(name), sheet.log, field=name,
            verdict=Verdict.WARN, year=None,
        )  # fmt: skip
        values[name] = period_values(found)
    return pd.DataFrame(values)


def validate_plans(
    table: pd.DataFrame,
    *,
    projects: pd.DataFrame,
    stored: pd.DataFrame | _store.ProjectStore | None = None,
    year: int | None = None,
    filename: str = "",
    base_version: int | None = None,
) -> RowsResult:
    """Check every row of a read plan sheet against the register and the stored plans.

    Parameters
    ----------
    table : pandas.DataFrame
        :func:`~geodata.ingest.read_table` output.
    projects : pandas.DataFrame
        The register (``id``, ``name_zh``, ``county_adcode``).
    stored : pandas.DataFrame or ProjectStore, optional
        The store (its plans are read) or its plans (``store.plans()``), for
        the added/updated/unchanged counts.
    year : int, optional
        Plan year of rows without a 年度 cell (the import's ``--year``).
    filename : str
        The file's name (report and provenance).
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
    sheet = Sheet.of(table, RowKind.PLAN, year=year, filename=filename)
    pids, unmatched = sheet.match(projects)
    rows = _parse(sheet, pids, year=year)
    keys = list(zip(rows["project_id"], rows["year"].astype(int), strict=True))
    duplicates = sheet.repeats(keys, what="rows_table_plans")
    live = ~sheet.log.rejected()
    accepted = plans_frame(rows[live].reset_index(drop=True))
    change = _store.row_changes("plan", _store.stored_rows(stored, "plan", accepted), accepted)
    report = build_report(sheet, change=change, duplicates=duplicates, unmatched=unmatched)
    return RowsResult(RowKind.PLAN, accepted[list(PLAN_COLUMNS)], report, change, base_version)
