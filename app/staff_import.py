"""The staff import page: upload, validate, preview and commit a spreadsheet.

The import is checked against the version shown when it is validated, and
committed on that version: a colleague's change to the same projects in
between is refused by the store, not overwritten.
"""

from __future__ import annotations

from functools import partial

import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from app import data, signin, state
from app.labels import enum_label
from app.state import Keys
from geodata.auth import StaffIdentity, require_staff
from geodata.coords import CoordSystem
from geodata.i18n import Lang, t
from geodata.ingest import FileKind, ImportResult, IngestError, commit_import, import_table
from geodata.settings import MAX_UPLOAD_BYTES
from geodata.store import StaleBase, StoreError
from geodata.text import md_literal
from layers.review import status_map


def import_page() -> None:
    """Upload, validate, preview and commit a staff spreadsheet."""
    lang = state.lang()
    staff = signin.staff()
    st.title(t("page_import", lang))
    upload = st.file_uploader(t("upload", lang), type=[k.value for k in FileKind], key=Keys.UPLOAD)
    crs = st.selectbox(
        t("declared_crs", lang),
        [c.value for c in CoordSystem],
        key=Keys.IMPORT_CRS,
        format_func=partial(enum_label, enum=CoordSystem, lang=lang),
    )
    if upload is not None and st.button(t("validate", lang), key=Keys.VALIDATE, type="primary"):
        if upload.size > MAX_UPLOAD_BYTES:
            st.error(t("too_large", lang, limit=MAX_UPLOAD_BYTES // (1024 * 1024)))
            return
        _validate(upload.getvalue(), filename=upload.name, crs=crs)
    result = st.session_state.get(Keys.IMPORT_RESULT)
    if result is None:
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
    report = result.report
    c = st.columns(4)
    c[0].metric(t("rows_read", lang), report.total)
    c[1].metric(t("rows_accepted", lang), report.accepted)
    c[2].metric(t("rows_warned", lang), len(report.warnings))
    c[3].metric(t("rows_rejected", lang), len(report.rejected))
    st_folium(
        status_map(result.preview, data.counties(), lang=lang),
        key=Keys.IMPORT_PREVIEW,
        height=420,
        returned_objects=[],
    )
    if report.rejected:
        st.dataframe(pd.DataFrame([r.to_dict() for r in report.rejected]), hide_index=True)
        st.download_button(
            t("download_rejected", lang),
            report.rejected_workbook(),
            file_name="rejected-rows.xlsx",
        )
    if report.warnings:
        st.dataframe(pd.DataFrame([w.to_dict() for w in report.warnings]), hide_index=True)
    st.download_button(t("download_report", lang), report.to_json(), file_name="import-report.json")


def _commit(result: ImportResult, staff: StaffIdentity | None, lang: Lang) -> None:
    """Commit a validated import, based on the version it was checked against."""
    try:
        version = commit_import(
            result,
            store=data.store(),
            author=require_staff(staff).author(),
            base_version=int(st.session_state[Keys.IMPORT_BASE]),
        )
    except StaleBase as exc:
        # a colleague changed some of these projects since validation: say who, write nothing
        st.error(md_literal(exc))
        return
    except StoreError as exc:
        st.warning(md_literal(exc))
        return
    st.session_state.pop(Keys.IMPORT_RESULT, None)
    if version is None:
        st.info(md_literal(result.report.summary()))
    else:
        st.success(t("committed", lang, version=version))
