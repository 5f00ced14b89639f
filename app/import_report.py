"""What every import shows and does: its report's counts and tables, and the commit.

A register import and a plan or progress import give the same
:class:`~geodata.ingest.ImportReport`, so the page shows them alike: counts,
the rejected rows with their row numbers and reasons (to download, fix and
upload again), the warnings and the report as JSON. Every cell is a table
cell, so a sheet's text shows literally. A commit a colleague's change
since the check makes stale (:class:`~geodata.store.StaleBase`) is refused
with who changed what, and nothing is written.
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import streamlit as st

from app import data
from app.state import Keys
from geodata.i18n import Lang, t
from geodata.ingest import ImportReport, RowIssue
from geodata.store import StoreError
from geodata.text import md_literal

CANDIDATE_SEPARATOR = "；"


def report_counts(report: ImportReport, lang: Lang) -> None:
    """Show the rows read, accepted, warned and rejected."""
    c = st.columns(4)
    c[0].metric(t("rows_read", lang), report.total)
    c[1].metric(t("rows_accepted", lang), report.accepted)
    c[2].metric(t("rows_warned", lang), len(report.warnings))
    c[3].metric(t("rows_rejected", lang), len(report.rejected))


def issues_frame(issues: list[RowIssue]) -> pd.DataFrame:
    """Return row issues as a table: ``row``, ``reason``, ``project`` (and ``candidates``)."""
    rows = []
    for issue in issues:
        row = issue.to_dict()
        if issue.candidates:
            row["candidates"] = CANDIDATE_SEPARATOR.join(issue.candidates)
        rows.append(row)
    return pd.DataFrame(rows)


def report_tables(report: ImportReport, lang: Lang) -> None:
    """Show the unmatched rows with their candidates, the rejected rows and the warnings."""
    if report.unmatched:
        st.caption(t("report_unmatched", lang))
        st.dataframe(issues_frame(report.unmatched), hide_index=True)
    if report.rejected:
        st.caption(t("report_rejected", lang))
        st.dataframe(issues_frame(report.rejected), hide_index=True)
        st.download_button(
            t("download_rejected", lang),
            report.rejected_workbook(),
            file_name="rejected-rows.xlsx",
        )
    if report.warnings:
        st.caption(t("report_warnings", lang))
        st.dataframe(issues_frame(report.warnings), hide_index=True)


def report_download(report: ImportReport, lang: Lang) -> None:
    """Offer the report as JSON (what the command line writes with ``--report``)."""
    st.download_button(t("download_report", lang), report.to_json(), file_name="import-report.json")


def commit_outcome(write: Callable[[], int | None], *, report: ImportReport, lang: Lang) -> None:
    """Run a commit and say how it went; a refused commit keeps the check on the page.

    Parameters
    ----------
    write : callable
        Writes the checked rows, based on the version they were checked
        against; returns the new version, or ``None`` when nothing changed.
    report : ImportReport
        The checked import's report (its summary when nothing was written).
    lang : Lang
        The interface language.
    """
    try:
        version = write()
    except StoreError as exc:
        # e.g. a colleague changed some of these rows since validation: nothing written
        data.say_write_refused(exc)
        return
    st.session_state.pop(Keys.IMPORT_RESULT, None)
    if version is None:
        st.info(md_literal(report.summary()))
    else:
        st.success(t("committed", lang, version=version))
