"""The staff import page: upload, validate, preview and commit a spreadsheet.

The file holds projects (the register), annual plans or monthly progress
(:class:`~geodata.ingest.ImportKind`, the command line's ``--kind``); plans
and progress go through :mod:`app.staff_import_rows`. Every import is
checked against the version shown when it is validated, and committed on
that version: a colleague's change to the same rows in between is refused
by the store, not overwritten.
"""

from __future__ import annotations

from functools import partial

import streamlit as st
from streamlit_folium import st_folium

from app import data, signin, state
from app.import_report import commit_outcome, report_counts, report_download, report_tables
from app.labels import enum_label
from app.staff_import_rows import show_rows_result, validate_rows, year_input
from app.state import Keys
from geodata.auth import StaffIdentity, require_staff
from geodata.coords import CoordSystem
from geodata.i18n import Lang, t
from geodata.ingest import (
    FileKind,
    ImportKind,
    ImportResult,
    IngestError,
    RowsResult,
    commit_import,
    import_table,
)
from geodata.settings import MAX_UPLOAD_BYTES
from geodata.text import md_literal
from layers.review import status_map


def import_page() -> None:
    """Upload, validate, preview and commit a staff spreadsheet (projects, plans or progress)."""
    lang = state.lang()
    staff = signin.staff()
    st.title(t("page_import", lang))
    kind = ImportKind(
        st.radio(
            t("import_kind", lang),
            [k.value for k in ImportKind],
            key=Keys.IMPORT_KIND,
            horizontal=True,
            format_func=partial(enum_label, enum=ImportKind, lang=lang),
        )
    )
    upload = st.file_uploader(t("upload", lang), type=[k.value for k in FileKind], key=Keys.UPLOAD)
    row_kind = kind.row_kind
    if row_kind is None:
        crs = st.selectbox(
            t("declared_crs", lang),
            [c.value for c in CoordSystem],
            key=Keys.IMPORT_CRS,
            format_func=partial(enum_label, enum=CoordSystem, lang=lang),
        )
    else:
        year = year_input(lang)
    if upload is not None and st.button(t("validate", lang), key=Keys.VALIDATE, type="primary"):
        if upload.size > MAX_UPLOAD_BYTES:
            st.error(t("too_large", lang, limit=MAX_UPLOAD_BYTES // (1024 * 1024)))
            return
        if row_kind is None:
            _validate(upload.getvalue(), filename=upload.name, crs=crs)
        else:
            validate_rows(upload.getvalue(), filename=upload.name, kind=row_kind, year=year)
    result = st.session_state.get(Keys.IMPORT_RESULT)
    # a file checked as another kind is not shown (nor committed) under this one
    if result is None or ImportKind(result.report.kind) is not kind:
        return
    if isinstance(result, RowsResult):
        show_rows_result(result, staff, lang)
        return
    _show_report(result, lang)
    if st.button(t("commit", lang), key=Keys.COMMIT, disabled=result.report.accepted == 0):
        _commit(result, staff, lang)


def _validate(content: bytes, *, filename: str, crs: str) -> None:
    """Check an upload against the version shown now; keep the result in the session."""
    try:
        # checked against the version shown now; the commit is based on it
        st.session_state[Keys.IMPORT_BASE] = state.version()
        st.session_state[Keys.IMPORT_RESULT] = import_table(
            content,
            filename=filename,
            crs=crs,
            existing=data.current_register().copy(),
        )
    except IngestError as exc:
        st.session_state.pop(Keys.IMPORT_RESULT, None)
        st.error(md_literal(exc))


def _show_report(result: ImportResult, lang: Lang) -> None:
    """Show the counts, a map of the rows' status, rejected rows, warnings and the downloads."""
    report_counts(result.report, lang)
    st_folium(
        status_map(result.preview, data.counties(), lang=lang),
        key=Keys.IMPORT_PREVIEW,
        height=420,
        returned_objects=[],
    )
    report_tables(result.report, lang)
    report_download(result.report, lang)


def _commit(result: ImportResult, staff: StaffIdentity | None, lang: Lang) -> None:
    """Commit a validated import, based on the version it was checked against."""
    author = require_staff(staff).author()
    base = int(st.session_state[Keys.IMPORT_BASE])
    commit_outcome(
        partial(commit_import, result, store=data.store(), author=author, base_version=base),
        report=result.report,
        lang=lang,
    )
