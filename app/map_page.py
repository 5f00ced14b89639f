"""The planners' map page: headline figures, the map, the project panel, ranking and table.

Each section is its own function taking the selection and the language, so
that it can be reordered or run as an ``st.fragment`` on its own.
"""

from __future__ import annotations

from functools import partial

import geopandas as gpd
import numpy as np
import pandas as pd
import streamlit as st

from app import data, map_frame, progress_data, progress_sidebar, sidebar, state, url
from app.compare_view import compare_section
from app.export_panel import export_panel
from app.labels import county_label, enum_label, other_lang
from app.progress_data import ProgressView
from app.progress_export import supervision_section
from app.progress_panel import progress_panel
from app.progress_view import county_section, demo_banner, progress_headline, targets_section
from app.state import Keys
from geodata.coords import CoordSystem, convert
from geodata.filters import ProjectFilter
from geodata.i18n import Lang, label, t
from geodata.join import unplaced_count
from geodata.schema import Category, Precision, Stage, Subcategory
from geodata.settings import CATEGORY_COLORS, CATEGORY_SYMBOLS, TABLE_PAGE_ROWS
from geodata.text import md_literal
from layers.basemaps import Basemap
from layers.progress import MapMode
from layers.projects import format_capacity, format_investment, popup_project_id
from layers.shading import Metric

MAP_HEIGHT = 620
# the report figures shown as metrics beside the selection
HEADLINE_KEYS = ("projects_started", "investment_completed", "key_projects")


def map_page() -> None:
    """Show the planners' map first, then filters, figures, project details and tabs.

    A new session's first run draws the title and the map only (the filters
    read from the session, seeded from the URL); the map's first report, sent
    once it has drawn, reruns the page with the rest. Every part of the page
    drawn beside the map costs the browser's one thread time before the map
    shows, and the rest arrives without moving the map: it sits below it, and
    the sidebar already holds the language switch and the staff sign-in.
    """
    lang = state.lang()
    whole = state.map_reported()
    if whole:
        flt = sidebar.filters(lang)
        basemap, choro = sidebar.map_options(lang)
        period, mode = progress_sidebar.progress_options(lang)
    else:
        flt = sidebar.current_filter()
        basemap, choro = sidebar.current_map_options()
        period, mode = progress_sidebar.current_progress_options()
    url.write_url(flt)
    selection = data.selection(flt)
    st.title(t("app_title", lang))
    demo_banner(lang)
    pv = progress_data.view(flt, period)
    # a full run draws everything the map's report would ask for
    state.take_map_reported_news()
    # the map's place comes first; what sits below it is sent before the map itself
    map_slot = st.container()
    if not whole:
        _rest_waiting(lang)
    with map_slot:
        map_and_panel(selection, basemap, choro, lang, flt=flt, pv=pv, mode=mode)
    if not whole:
        return
    headline(selection, lang)
    if pv.has_data or mode is MapMode.PROGRESS:
        progress_headline(pv, lang)
    _tabs(selection, flt, choro, pv, lang)


def _rest_waiting(lang: Lang) -> None:
    """Say that the rest of the page follows the map (a new session's first run).

    Drawing the filters, figures and tabs costs the browser more than drawing
    the map, and both share one thread: sent after the map's first report,
    they no longer delay it. The button is the way on when a browser never
    reports.
    """
    st.caption(t("sections_waiting", lang))
    st.button(t("sections_show", lang), key=Keys.SHOW_SECTIONS, on_click=state.mark_map_reported)


def _tabs(
    selection: gpd.GeoDataFrame, flt: ProjectFilter, choro: str, pv: ProgressView, lang: Lang
) -> None:
    """Show the page's tabs; only the open one is built and sent (a tab switch reruns)."""
    period = str(pv.period) if pv.has_data else ""
    sections = {
        "tab_counties": partial(county_ranking, selection, lang, flt=flt),
        "tab_progress": partial(county_section, selection, pv, lang),
        "tab_targets": partial(targets_section, selection, pv, lang),
        "tab_compare": partial(compare_section, selection, pv, lang),
        "tab_projects": partial(project_table, selection, lang),
        "tab_export": partial(export_panel, flt, choro, lang, period=period),
        "tab_supervision": partial(supervision_section, flt, selection, pv, lang),
    }
    # a link that names a month to compare with opens on the comparison
    default = t("tab_compare", lang) if st.session_state.get(Keys.COMPARE) else None
    tabs = st.tabs(
        [t(key, lang) for key in sections], default=default, key=Keys.TABS, on_change="rerun"
    )
    for tab, section in zip(tabs, sections.values(), strict=True):
        if tab.open:
            with tab:
                section()


@st.fragment
def map_and_panel(
    selection: gpd.GeoDataFrame,
    basemap: Basemap,
    choro: str,
    lang: Lang,
    *,
    flt: ProjectFilter,
    pv: ProgressView,
    mode: MapMode,
) -> None:
    """Show the map and the chosen project's panel (a map click reruns only these).

    The map is drawn last: its message is by far the largest, and small
    messages sent right after a large one often wait for the browser's
    delayed TCP acknowledgement (~40 ms on Linux), the page's work with them.
    """
    # a map click reached the session before this run (the component's change handler)
    _pick_clicked(st.session_state.get(Keys.MAP) or {}, selection, basemap)
    left, right = st.columns([3, 1])
    with right:
        project_panel(selection, lang, progress=pv)
    with left:
        map_box = st.container()
        unlocated_note(lang)
    with map_box:
        period = str(pv.period) if mode is MapMode.PROGRESS else ""
        map_view(selection, basemap, choro, lang, flt=flt, period=period)
    # the map's first report (it has drawn): now send the rest of the page
    if state.take_map_reported_news():
        st.rerun(scope="app")


# headline figures


def headline(selection: gpd.GeoDataFrame, lang: Lang) -> None:
    """Figures for the current selection beside the report's city-wide figures."""
    invest = selection["investment_yi"].astype(float)
    cols = st.columns(6)
    cols[0].metric(t("sel_projects", lang), f"{len(selection):,}")
    known = invest.dropna()
    total = format_investment(float(known.sum()), lang) if len(known) else "—"
    cols[1].metric(t("sel_invest", lang), total)
    cols[2].metric(t("sel_invest_known", lang), f"{int(invest.notna().sum()):,}")
    figures = data.figures().set_index("key")
    for col, key in zip(cols[3:], HEADLINE_KEYS, strict=True):
        if key in figures.index:
            row = figures.loc[key]
            col.metric(
                f"{t('citywide', lang)} · {row[f'label_{lang}']}",
                _figure_text(row["value"], row["unit"], lang),
                help=row["sentence"],
            )
    # the table is built only when opened
    box = st.expander(t("report_figures", lang), key=Keys.FIGURES_BOX, on_change="rerun")
    if box.open:
        with box:
            st.dataframe(_figures_table(figures, lang), hide_index=True, width="stretch")


def _figure_text(value: float, unit: str, lang: Lang) -> str:
    """Write a report figure with its unit in the interface language."""
    return f"{value:g} {t(f'unit_{unit}', lang)}".strip()


def _figures_table(figures: pd.DataFrame, lang: Lang) -> pd.DataFrame:
    """All of the report's city-wide figures and targets, with their sentences."""
    return pd.DataFrame(
        {
            t("figure", lang): figures[f"label_{lang}"],
            t("value", lang): [
                _figure_text(v, u, lang)
                for v, u in zip(figures["value"], figures["unit"], strict=True)
            ],
            t("figure_kind", lang): [t(f"figure_{k}", lang) for k in figures["kind"]],
            t("field_source", lang): figures["sentence"],
        }
    )


# the map


def map_view(
    selection: gpd.GeoDataFrame,
    basemap: Basemap,
    choro: str,
    lang: Lang,
    *,
    flt: ProjectFilter,
    period: str = "",
) -> None:
    """Draw the map of the current view (by category, or by progress at ``period``).

    The map is rendered once per view (:mod:`app.map_frame`); what a click
    selects is read before the map is drawn (:func:`map_and_panel`).
    """
    try:
        shown = map_frame.frame(flt, basemap, choro, lang, period=period)
    except ValueError as exc:
        # a basemap this installation cannot draw: say so and fall back to none
        st.warning(md_literal(exc))
        basemap = Basemap.NONE
        shown = map_frame.frame(flt, basemap, choro, lang, period=period)
    center, zoom = _focus(selection)
    map_frame.show(
        shown,
        key=Keys.MAP,
        height=MAP_HEIGHT,
        returned_objects=["last_object_clicked_popup", "last_object_clicked"],
        center=center,
        zoom=zoom,
    )


def _pick_clicked(out: dict, selection: gpd.GeoDataFrame, basemap: Basemap) -> None:
    """Choose the project a new map click landed on.

    The click's position is in the basemap's coordinate system; a basemap
    that falls back to none (Tianditu without a key) is WGS-84 as well.
    """
    clicked = (out.get("last_object_clicked_popup"), out.get("last_object_clicked"))
    if not clicked[1] or clicked == st.session_state.get(Keys.LAST_CLICK):
        return
    st.session_state[Keys.LAST_CLICK] = clicked
    # the popup's first line is the project id; the click position is the fallback
    picked = popup_project_id(clicked[0])
    if picked is None:
        lat, lng = clicked[1]["lat"], clicked[1]["lng"]
        if basemap.coord_system is CoordSystem.GCJ02:
            lng, lat = convert(lon=lng, lat=lat, src=CoordSystem.GCJ02, dst=CoordSystem.WGS84)
        picked = _nearest_project(selection, lat, lng)
    if picked:
        st.session_state[Keys.PROJECT] = picked


def _nearest_project(selection: gpd.GeoDataFrame, lat: float, lng: float) -> str | None:
    """Return the id of the project nearest a clicked point."""
    if selection.empty:
        return None
    d2 = (selection["lon"].to_numpy() - lng) ** 2 + (selection["lat"].to_numpy() - lat) ** 2
    i = int(np.argmin(d2))
    return str(selection["id"].iloc[i]) if d2[i] < 1e-6 else None


def _focus(selection: gpd.GeoDataFrame) -> tuple[tuple[float, float] | None, int | None]:
    """Centre on the project last chosen in the table (a map click keeps the view)."""
    pid = st.session_state.get(Keys.TABLE_PICK)
    hit = selection[selection["id"] == pid] if pid else selection.iloc[0:0]
    if hit.empty:
        return None, None
    return (float(hit["lat"].iloc[0]), float(hit["lon"].iloc[0])), 12


def unlocated_note(lang: Lang) -> None:
    """Say how many projects of the register have no location yet."""
    unlocated = data.current_unlocated()
    if unlocated:
        st.caption(t("unlocated_note", lang, n=unlocated))


# the chosen project


def _detail_rows(row: pd.Series, lang: Lang) -> list[tuple[str, str]]:
    """Label/value pairs of one project for the detail panel."""
    other = row[f"name_{other_lang(lang)}"]
    county = row.get("county_adcode") or ""
    spatial = row.get("spatial_adcode") or ""
    county_text = county_label(county, lang) if county else t("not_stated", lang)
    if spatial and spatial != county:
        county_text += f"（{t('point_in', lang)} {county_label(spatial, lang)}）"
    invest = row["investment_yi"]
    return [
        (t("field_name_other", lang), other or "—"),
        (t("field_id", lang), row["id"]),
        (t("field_company", lang), row["company"] or t("not_stated", lang)),
        (t("field_county", lang), county_text),
        (t("field_category", lang), label(Category(row["category"]), lang)),
        (t("field_subcategory", lang), label(Subcategory(row["subcategory"]), lang)),
        (t("field_stage", lang), label(Stage(row["stage"]), lang)),
        (
            t("field_investment", lang),
            format_investment(float(invest), lang) if pd.notna(invest) else t("not_stated", lang),
        ),
        (
            t("field_capacity", lang),
            format_capacity(row["capacity_value"], row["capacity_unit"], row["capacity_text"])
            or t("not_stated", lang),
        ),
        (t("field_location", lang), row["location_text"] or "—"),
        (t("field_precision", lang), label(Precision(row["precision"]), lang)),
    ]


def project_panel(
    selection: gpd.GeoDataFrame, lang: Lang, *, progress: ProgressView | None = None
) -> None:
    """Show the chosen project's details, source sentence and progress at the month."""
    pid = st.session_state.get(Keys.PROJECT)
    hit = selection[selection["id"] == pid] if pid else selection.iloc[0:0]
    if hit.empty:
        st.info(t("click_hint", lang))
        return
    row = hit.iloc[0]
    name = row[f"name_{lang}"] or row["name_zh"]
    st.markdown(f"#### {md_literal(name)}")
    table = pd.DataFrame(_detail_rows(row, lang), columns=[t("field", lang), t("value", lang)])
    st.dataframe(table, hide_index=True, width="stretch")
    st.caption(f"{t('field_source', lang)}：{md_literal(row['source_sentence'])}")
    if progress is not None:
        progress_panel(str(row["id"]), progress, lang)


# county ranking and project table


def county_ranking(selection: gpd.GeoDataFrame, lang: Lang, *, flt: ProjectFilter) -> None:
    """County ranking table and bar chart for the current selection."""
    summary = data.selection_summary(flt)
    # the same glyph per category as the map legend and the print maps
    cat_names = {c.value: f"{CATEGORY_SYMBOLS[c.value].glyph} {label(c, lang)}" for c in Category}
    metric = st.radio(
        t("rank_by", lang),
        [Metric.COUNT.value, Metric.INVEST.value],
        horizontal=True,
        key=Keys.RANK_BY,
        format_func=partial(enum_label, enum=Metric, lang=lang),
    )
    ranked = summary.sort_values(f"{metric}_all", ascending=False)
    names = [county_label(a, lang) for a in ranked.index]
    count = label(Metric.COUNT, lang)
    chart = ranked.set_index(pd.Index(names))[[f"{metric}_{c.value}" for c in Category]]
    chart.columns = [cat_names[c.value] for c in Category]
    # the chart is drawn only when opened: it is the costliest part of the page to draw
    chart_box = st.expander(t("rank_chart", lang), key=Keys.RANK_CHART, on_change="rerun")
    if chart_box.open:
        with chart_box:
            st.bar_chart(
                chart,
                color=[CATEGORY_COLORS[c.value] for c in Category],
                horizontal=True,
                height=360,
            )
    table = pd.DataFrame(
        {
            t("rank", lang): np.arange(1, len(ranked) + 1),
            t("field_county", lang): names,
            **{f"{count}·{cat_names[c.value]}": ranked[f"count_{c.value}"] for c in Category},
            count: ranked["count_all"],
            label(Metric.INVEST, lang): ranked["invest_all"].round(2),
        }
    )
    st.dataframe(table, hide_index=True, width="stretch")
    unplaced = unplaced_count(selection, data.counties())
    if unplaced:
        st.caption(f"{t('unplaced', lang)}：{unplaced}")


def _table_view(selection: gpd.GeoDataFrame, lang: Lang) -> pd.DataFrame:
    """Label the selected projects for the project table."""
    return pd.DataFrame(
        {
            t("field_id", lang): selection["id"],
            t("field_name", lang): selection[f"name_{lang}"],
            t("field_category", lang): [label(Category(v), lang) for v in selection["category"]],
            t("field_subcategory", lang): [
                label(Subcategory(v), lang) for v in selection["subcategory"]
            ],
            t("field_county", lang): [county_label(a, lang) for a in selection["resolved_adcode"]],
            t("field_stage", lang): [label(Stage(v), lang) for v in selection["stage"]],
            label(Metric.INVEST, lang): selection["investment_yi"],
            t("field_precision", lang): [label(Precision(v), lang) for v in selection["precision"]],
        }
    )


def project_table(selection: gpd.GeoDataFrame, lang: Lang) -> None:
    """Show one page of the selected projects; picking a row selects it on the map."""
    n = len(selection)
    page = _table_page(n, lang)
    start = (page - 1) * TABLE_PAGE_ROWS
    shown = selection.iloc[start : start + TABLE_PAGE_ROWS]
    first = start + 1 if len(shown) else 0
    st.caption(
        t("table_rows", lang).format(first=f"{first:,}", last=f"{start + len(shown):,}", n=f"{n:,}")
    )
    # a fresh table per page visit: a row picked on another page is not carried over
    nonce = st.session_state.get(Keys.TABLE_NONCE, 0)
    event = st.dataframe(
        _table_view(shown, lang),
        hide_index=True,
        width="stretch",
        on_select="rerun",
        selection_mode="single-row",
        key=f"{Keys.PROJECT_TABLE}_{nonce}",
    )
    rows = event.selection.rows if event is not None else []
    if rows:
        pid = str(shown["id"].iloc[rows[0]])
        if st.session_state.get(Keys.TABLE_PICK) != pid:
            st.session_state[Keys.TABLE_PICK] = pid
            st.session_state[Keys.PROJECT] = pid
            st.rerun()


def _table_page(n: int, lang: Lang) -> int:
    """Draw the page picker of the project table and return the page shown."""
    pages = max(1, -(-n // TABLE_PAGE_ROWS))
    # a narrower selection has fewer pages: stay on its last one
    if st.session_state.get(Keys.TABLE_PAGE, 1) > pages:
        st.session_state[Keys.TABLE_PAGE] = pages
    if pages == 1:
        return 1
    return int(
        st.number_input(
            t("table_page", lang),
            min_value=1,
            max_value=pages,
            step=1,
            key=Keys.TABLE_PAGE,
            on_change=_new_table,
        )
    )


def _new_table() -> None:
    """Give the project table a new key, so it opens with no row picked."""
    st.session_state[Keys.TABLE_NONCE] = st.session_state.get(Keys.TABLE_NONCE, 0) + 1
