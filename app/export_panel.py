"""The export tab: print maps, self-contained HTML, data extracts and the county atlas.

The panel builds one :class:`~layers.export.ExportRequest` from the current
view and hands it with the shown register to the export pipeline, the same
one the command line uses. A prepared file is offered only while it matches
the current request and register version.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import partial
from typing import Literal

import streamlit as st

from app import data, state
from app.labels import enum_label
from app.state import Keys
from geodata.filters import ProjectFilter
from geodata.i18n import Lang, label, t
from geodata.settings import PRINT_DPI_CHOICES
from geodata.text import md_literal
from layers.export import (
    ExportData,
    ExportFormat,
    ExportLimitError,
    ExportRequest,
    ExportResult,
    Orientation,
    Paper,
    render,
)
from layers.export._names import default_title
from layers.shading import ChoroplethChoice

# formats of the map file the export panel offers (extracts have their own buttons)
MAP_FORMATS = (ExportFormat.PNG, ExportFormat.PDF, ExportFormat.SVG, ExportFormat.HTML)
# a prepared file is offered for the request and register version it was made for
Job = tuple[ExportRequest, str]


@dataclass(frozen=True)
class _Slot:
    """One kind of prepared file: its button, its session entry, its button label and kind."""

    button: str
    file: str
    label: str
    kind: Literal["primary", "secondary"]


MAP_SLOT = _Slot(Keys.EXPORT_PREPARE, Keys.EXPORT_FILE, "prepare", "primary")
ATLAS_SLOT = _Slot(Keys.ATLAS_PREPARE, Keys.ATLAS_FILE, "prepare_atlas", "secondary")


def export_panel(flt: ProjectFilter, choro: str, lang: Lang, *, period: str = "") -> None:
    """Print maps, self-contained HTML, data extracts and the county atlas (naming ``period``)."""
    request = replace(_export_request(flt, choro, lang), period=period)
    st.caption(f"{t('subtitle', lang)}：{md_literal(flt.describe(lang=lang.value))}")
    export = data.export_data()
    _prepare(request, export, MAP_SLOT, lang)
    st.divider()
    st.markdown(f"**{t('extracts', lang)}**")
    _extract_buttons(request, export, lang)
    st.divider()
    st.markdown(f"**{t('atlas', lang)}**")
    atlas = replace(request, format=ExportFormat.PDF, atlas=True, title="")
    _prepare(atlas, export, ATLAS_SLOT, lang)


def _export_request(flt: ProjectFilter, choro: str, lang: Lang) -> ExportRequest:
    """Draw the page options and return the request of the current view."""
    c1, c2, c3, c4 = st.columns(4)
    fmt = c1.selectbox(
        t("format", lang),
        [f.value for f in MAP_FORMATS],
        key=Keys.EXPORT_FORMAT,
        format_func=partial(enum_label, enum=ExportFormat, lang=lang),
    )
    paper = c2.selectbox(
        t("paper", lang),
        [p.value for p in Paper],
        key=Keys.EXPORT_PAPER,
        format_func=partial(enum_label, enum=Paper, lang=lang),
    )
    orient = c3.selectbox(
        t("orientation", lang),
        [o.value for o in Orientation],
        key=Keys.EXPORT_ORIENTATION,
        format_func=partial(enum_label, enum=Orientation, lang=lang),
    )
    dpi = c4.selectbox("DPI", list(PRINT_DPI_CHOICES), key=Keys.EXPORT_DPI)
    title = st.text_input(
        t("title", lang), key=Keys.EXPORT_TITLE, placeholder=default_title(lang=lang)
    )
    table = st.checkbox(t("summary_table", lang), value=True, key=Keys.EXPORT_TABLE)
    return ExportRequest(
        filter=flt,
        choropleth=ChoroplethChoice.from_param(choro),
        format=fmt,
        paper=paper,
        orientation=orient,
        dpi=int(dpi),
        title=title.strip(),
        lang=lang,
        table=table,
    )


def _prepare(request: ExportRequest, export: ExportData, slot: _Slot, lang: Lang) -> None:
    """Prepare a file on the button's click, and offer the one made for this view."""
    # a file made for other settings or data is not offered
    job = (request, export.register_version)
    if st.button(t(slot.label, lang), key=slot.button, type=slot.kind):
        with st.spinner(t("preparing", lang)):
            result = _run_export(request, export)
        if result is not None:
            st.session_state[slot.file] = (job, result)
    _offer(slot.file, job, lang)


def _run_export(request: ExportRequest, export: ExportData) -> ExportResult | None:
    """Render an export through the pipeline; say so when the server or session is busy."""
    try:
        return render(request, export, quota=state.export_quota())
    except ExportLimitError as exc:
        st.warning(str(exc))
        return None


def _offer(key: str, job: Job, lang: Lang) -> None:
    """Offer the file prepared under ``key`` while it matches the current request and data."""
    made = st.session_state.get(key)
    if made is not None and made[0] == job:
        result: ExportResult = made[1]
        st.download_button(
            f"{t('download', lang)} {result.filename}",
            result.data,
            file_name=result.filename,
            mime=result.mime,
        )


def _extract_buttons(request: ExportRequest, export: ExportData, lang: Lang) -> None:
    """One download button per data extract of the current selection."""
    extracts = [f for f in ExportFormat if f.is_extract]
    for col, efmt in zip(st.columns(len(extracts)), extracts, strict=True):
        extract = replace(request, format=efmt)
        col.download_button(
            label(efmt, lang),
            data=partial(_extract_bytes, extract, export),
            file_name=extract.filename(),
            mime=efmt.mime,
            key=state.extract_key(efmt),
        )


def _extract_bytes(request: ExportRequest, export: ExportData) -> bytes:
    """Build one data extract of the current selection (on the download click)."""
    return render(request, export).data
