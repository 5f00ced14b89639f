"""The plan and progress branch of the import page: the year, the check, the preview, the commit.

A file goes the command line's way (``python -m geodata.ingest FILE --kind
plan|progress``): :func:`geodata.ingest.import_rows` checks it against the
register shown and the store itself (only the stored rows the file needs are
read), and :func:`geodata.ingest.commit_rows` writes its new and changed rows
as one version, based on the version it was checked against.
"""

from __future__ import annotations

import datetime as dt
from functools import partial

import pandas as pd
import streamlit as st

from app import data, state
from app.import_report import commit_outcome, report_counts, report_download, report_tables
from app.state import Keys
from geodata.auth import StaffIdentity, require_staff
from geodata.i18n import Lang, t
from geodata.ingest import IngestError, RowKind, RowsResult, commit_rows, import_rows
from geodata.progress import Period
from geodata.progress.periods import MAX_YEAR, MIN_YEAR
from geodata.settings import PREVIEW_ROW_LIMIT
from geodata.text import md_literal
from layers.progress_text import month_label, stage_label


def year_input(lang: Lang) -> int:
    """Draw the default year (of plan rows without 年度 and of months like 9月) and return it."""
    chosen = st.number_input(
        t("default_year", lang),
        min_value=MIN_YEAR,
        max_value=MAX_YEAR,
        value=dt.date.today().year,
        step=1,
        key=Keys.IMPORT_YEAR,
        help=t("default_year_help", lang),
    )
    return int(chosen)


def validate_rows(content: bytes, *, filename: str, kind: RowKind, year: int) -> None:
    """Check a plan or progress file against the version shown; keep the result in the session."""
    try:
        st.session_state[Keys.IMPORT_RESULT] = import_rows(
            content,
            filename=filename,
            kind=kind,
            projects=data.current_register(),
            stored=data.store(),
            year=year,
            # checked against the version shown now; the commit is based on it
            base_version=state.version(),
        )
    except IngestError as exc:
        st.session_state.pop(Keys.IMPORT_RESULT, None)
        st.error(md_literal(exc))


def show_rows_result(result: RowsResult, staff: StaffIdentity | None, lang: Lang) -> None:
    """Show a checked plan or progress file (report and preview) and its commit button."""
    report = result.report
    report_counts(report, lang)
    report_tables(report, lang)
    if len(result.rows):
        st.caption(t("report_preview", lang))
        st.dataframe(preview_frame(result, data.current_register(), lang), hide_index=True)
        if len(result.rows) > PREVIEW_ROW_LIMIT:
            st.caption(t("preview_first", lang, shown=PREVIEW_ROW_LIMIT, total=len(result.rows)))
    report_download(report, lang)
    if st.button(t("commit", lang), key=Keys.COMMIT, disabled=report.accepted == 0):
        author = require_staff(staff).author()
        commit_outcome(
            partial(commit_rows, result, store=data.store(), author=author),
            report=report,
            lang=lang,
        )


def _months(values: pd.Series, lang: Lang) -> list[str]:
    """Label months (``2025年9月``); ``""`` where none is given."""
    return ["" if pd.isna(v) else month_label(Period.read(v), lang) for v in values]


def preview_frame(result: RowsResult, register: pd.DataFrame, lang: Lang) -> pd.DataFrame:
    """Return the first accepted rows as the page previews them (text as written).

    Parameters
    ----------
    result : RowsResult
        A checked plan or progress file.
    register : pandas.DataFrame
        The register it was matched against (the projects' names).
    lang : Lang
        The interface language.

    Returns
    -------
    pandas.DataFrame
        One row per accepted row (at most ``PREVIEW_ROW_LIMIT``): its row
        number, project, the values read and whether it adds, updates or
        repeats a stored row.
    """
    rows = result.rows.head(PREVIEW_ROW_LIMIT)
    names = dict(zip(register["id"].astype(str), register["name_zh"].astype(str), strict=True))
    out = {
        t("row", lang): rows["source_row"].to_numpy(),
        t("col_id", lang): rows["project_id"].to_numpy(),
        t("col_name", lang): [names.get(str(pid), "") for pid in rows["project_id"]],
    }
    if result.kind is RowKind.PLAN:
        out |= {
            t("col_year", lang): rows["year"].to_numpy(),
            t("col_plan", lang): rows["annual_plan_yi"].to_numpy(),
            t("col_planned_start", lang): _months(rows["planned_start"], lang),
            t("col_planned_completion", lang): _months(rows["planned_completion"], lang),
            t("col_stage", lang): [stage_label(s, lang) for s in rows["pool_stage"]],
        }
    else:
        out |= {
            t("col_period", lang): _months(rows["period"], lang),
            t("col_cumulative", lang): rows["cumulative_yi"].to_numpy(),
            t("col_month_yi", lang): rows["month_yi"].to_numpy(),
            t("col_stage", lang): [stage_label(s, lang) for s in rows["stage"]],
            t("col_image", lang): rows["image_progress"].astype(str).to_numpy(),
            t("col_unit", lang): rows["reporting_unit"].astype(str).to_numpy(),
        }
    out[t("col_change", lang)] = [t(f"row_change_{c}", lang) for c in result.change[: len(rows)]]
    return pd.DataFrame(out)
