"""The supervision tab: the month's 督办清单 (table, XLSX, PDF) and the progress atlas.

The list and the atlas follow the sidebar's filters and month; both go
through the export modules the command line uses, and name the month in
title and provenance.
"""

from __future__ import annotations

from dataclasses import replace
from functools import partial

import geopandas as gpd
import streamlit as st

from app import data, state
from app.progress_data import ProgressView
from app.state import Keys
from geodata.filters import ProjectFilter
from geodata.i18n import Lang, t
from geodata.progress import supervision_list
from layers.export import ExportData, ExportFormat, ExportLimitError, ExportRequest, render
from layers.export.provenance import Provenance, make_provenance
from layers.export.supervision import labelled, supervision_pdf, supervision_xlsx
from layers.progress import MapMode
from layers.progress_text import as_of

XLSX_MIME = ExportFormat.XLSX.mime


def _provenance(
    flt: ProjectFilter, selection: gpd.GeoDataFrame, pv: ProgressView, lang: Lang
) -> Provenance:
    """Provenance of a supervision file: filters, selection hash, register version, month."""
    filters = "" if flt.is_empty else flt.describe(lang=lang.value)
    return make_provenance(
        selection,
        filters=filters,
        register_version=data.export_data().register_version,
        period=str(pv.period),
    )


def _xlsx(rows: object, pv: ProgressView, provenance: Provenance, lang: Lang) -> bytes:
    """Build the XLSX on the download click."""
    return supervision_xlsx(rows, period=pv.period, provenance=provenance, lang=lang)


def _pdf(rows: object, pv: ProgressView, provenance: Provenance, lang: Lang) -> bytes:
    """Build the PDF on the download click."""
    return supervision_pdf(rows, period=pv.period, provenance=provenance, lang=lang)


def supervision_section(
    flt: ProjectFilter, selection: gpd.GeoDataFrame, pv: ProgressView, lang: Lang
) -> None:
    """Show the lagging projects of the month by county, with XLSX and PDF downloads."""
    joined = data.current_projects()
    rows = supervision_list(pv.month, joined, pv.reports, data.counties(), pv.period)
    rows = rows[rows["id"].isin(selection["id"].astype(str))].reset_index(drop=True)
    st.markdown(f"**{as_of(pv.period, lang)}** · {t('sup_count', lang, n=len(rows))}")
    st.caption(t("sup_intro", lang))
    # cells show names, units and 形象进度 exactly as reported
    st.dataframe(labelled(rows, lang), hide_index=True, width="stretch")
    provenance = _provenance(flt, selection, pv, lang)
    stem = f"{t('supervision_file_stem', lang)}_{pv.period}"
    c1, c2 = st.columns(2)
    c1.download_button(
        t("sup_xlsx", lang),
        data=partial(_xlsx, rows, pv, provenance, lang),
        file_name=f"{stem}.xlsx",
        mime=XLSX_MIME,
        key="sup_xlsx",
    )
    c2.download_button(
        t("sup_pdf", lang),
        data=partial(_pdf, rows, pv, provenance, lang),
        file_name=f"{stem}.pdf",
        mime=ExportFormat.PDF.mime,
        key=Keys.SUPERVISION_PDF,
    )
    st.divider()
    _atlas(flt, pv, lang)


def _export_data(pv: ProgressView) -> ExportData:
    """Return the shown register with the version's plans and filled reports."""
    return replace(data.export_data(), plans=pv.plans, reports=pv.reports)


def _atlas(flt: ProjectFilter, pv: ProgressView, lang: Lang) -> None:
    """Prepare the month's inspection atlas (one page per county) and offer it."""
    request = ExportRequest(
        filter=flt,
        format=ExportFormat.PDF,
        atlas=True,
        lang=lang,
        mode=MapMode.PROGRESS,
        period=str(pv.period),
    )
    export = _export_data(pv)
    job = (request, export.register_version)
    if st.button(t("atlas_prepare", lang), key=Keys.PROGRESS_ATLAS):
        try:
            result = render(request, export, quota=state.export_quota())
        except ExportLimitError as exc:
            st.warning(str(exc))
        else:
            st.session_state[Keys.PROGRESS_ATLAS_FILE] = (job, result)
    made = st.session_state.get(Keys.PROGRESS_ATLAS_FILE)
    if made is not None and made[0] == job:
        st.download_button(
            t("atlas_download", lang),
            made[1].data,
            file_name=f"{request.filename()[:-4]}_{pv.period}.pdf",
            mime="application/pdf",
        )
