"""长治项目一张图 · Changzhi Project Map — the Streamlit app.

Widgets, caching and layout only: data comes from :mod:`geodata`, maps and
exports from :mod:`layers`. The store is opened once per process (a shared
connection factory); its current version is read once per rerun, and caches
are keyed on scalars (store URL and version, filter values), never on a
GeoDataFrame; per-user state lives in ``st.session_state``.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Mapping
from dataclasses import replace
from functools import partial
from typing import Any, NoReturn

import geopandas as gpd
import numpy as np
import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from geodata.auth import (
    IdentitySource,
    SignInOutcome,
    StaffIdentity,
    identity_from_oidc,
    require_staff,
    session_expired,
    sign_in,
)
from geodata.boundaries import load_counties
from geodata.coords import CoordSystem, convert
from geodata.divisions import BY_ADCODE, DIVISIONS
from geodata.filters import ProjectFilter, apply_filter
from geodata.ingest import FileKind, ImportResult, IngestError, commit_import, import_table
from geodata.join import assign_counties, county_summary, unplaced_count
from geodata.register import load_figures
from geodata.schema import Category, Precision, Stage, Subcategory
from geodata.settings import (
    CATEGORY_COLORS,
    CATEGORY_SYMBOLS,
    MAX_UPLOAD_BYTES,
    PRINT_DPI_CHOICES,
    STAFF_IDLE_MINUTES,
    runtime,
)
from geodata.store import OutsideCountyWarning, ProjectStore, StaleBase, StoreError, open_store
from geodata.text import md_literal
from geodata.throttle import SignInLimiter, monotonic_now
from layers.basemaps import Basemap, basemap_label
from layers.counties import ChoroplethSpec
from layers.export import (
    ExportData,
    ExportFormat,
    ExportLimitError,
    ExportRequest,
    ExportResult,
    Orientation,
    Paper,
    SessionQuota,
    render,
)
from layers.export._names import default_title
from layers.export.pipeline import register_label
from layers.i18n import Lang, t
from layers.map import base_map, layer_control
from layers.projects import (
    format_capacity,
    format_investment,
    popup_project_id,
    project_layers,
)
from layers.review import review_map, status_map
from layers.shading import CHOROPLETH_OFF, ChoroplethChoice, Metric

MAP_HEIGHT = 620
# formats of the map file the export panel offers (extracts have their own buttons)
MAP_FORMATS = (ExportFormat.PNG, ExportFormat.PDF, ExportFormat.SVG, ExportFormat.HTML)
# the report figures shown as metrics beside the selection
HEADLINE_KEYS = ("projects_started", "investment_completed", "key_projects")
HISTORY_COLUMNS = (
    "version",
    "created_at",
    "who_name",
    "action",
    "message",
    "n_projects",
    "added",
    "updated",
    "removed",
)
# session-state keys of the store version the user saw
VERSION_KEY = "_store_version"
IMPORT_BASE_KEY = "import_base"
REVIEW_SEEN_KEY = "_rv_seen_version"
HISTORY_SEEN_KEY = "_hv_seen_version"


# data (cached on scalars)


@st.cache_resource(show_spinner=False)
def _counties() -> gpd.GeoDataFrame:
    """Load the county boundaries once per process (read-only, shared)."""
    return load_counties()


@st.cache_data(show_spinner=False)
def _figures() -> pd.DataFrame:
    """Load the report's city-wide headline figures."""
    return load_figures()


@st.cache_resource(show_spinner=False)
def _open_store(url: str, create_default: bool) -> ProjectStore:
    """Open the store once per process (only the embedded default is created when missing)."""
    return open_store(url, create_default=create_default)


def _store() -> ProjectStore:
    """Return the run's store (``CHANGZHI_STORE``), opened once per process."""
    settings = runtime()
    return _open_store(settings.store_url, settings.store_is_default)


def _version() -> int:
    """Return the store version this rerun shows (read once, at the start of the rerun)."""
    return int(st.session_state[VERSION_KEY])


@st.cache_resource(show_spinner=False, max_entries=4)
def _register(url: str, version: int) -> gpd.GeoDataFrame:
    """Read one store version, with its unlocated projects, once (read-only, shared)."""
    return _store().projects(version=version, include_unlocated=True)


@st.cache_data(show_spinner=False, max_entries=4)
def _unlocated(url: str, version: int) -> int:
    """Count projects of a version that have no location yet (review queue)."""
    return int(_register(url, version).geometry.isna().sum())


@st.cache_resource(show_spinner=False, max_entries=4)
def _projects(url: str, version: int) -> gpd.GeoDataFrame:
    """Return one version's located projects with each one's spatial county (read-only, shared)."""
    gdf = _register(url, version)
    located = gdf[gdf.geometry.notna()].reset_index(drop=True)
    return assign_counties(located, _counties())


@st.cache_data(show_spinner=False, max_entries=4)
def _register_version(url: str, version: int) -> str:
    """Name a register version for export provenance: store version and content hash."""
    return register_label(version, _projects(url, version))


def _export_data() -> ExportData:
    """Return the current register as the export pipeline reads it (the map's frames)."""
    url, version = _store().url, _version()
    return ExportData(
        projects=_projects(url, version),
        counties=_counties(),
        register_version=_register_version(url, version),
    )


def _current_projects() -> gpd.GeoDataFrame:
    """Return the current register version's projects (stop with a message if unreadable)."""
    try:
        return _projects(_store().url, _version())
    except StoreError as exc:
        _store_unreadable(exc)


def _read_version() -> None:
    """Read the store's current version once for this rerun (stop with a message if unreadable)."""
    try:
        st.session_state[VERSION_KEY] = _store().current_version()
    except StoreError as exc:
        _store_unreadable(exc)


def _store_unreadable(exc: StoreError) -> NoReturn:
    """Say that the store cannot be read, and stop the page."""
    st.error(f"{t('store_unreadable', _lang())}\n\n{md_literal(exc)}")
    st.stop()


def _seen_version(key: str) -> int:
    """Return the version the page showed on its previous run, and remember this run's."""
    seen = int(st.session_state.get(key, _version()))
    st.session_state[key] = _version()
    return seen


def _selection(flt: ProjectFilter) -> gpd.GeoDataFrame:
    """Return the projects a filter selects."""
    return apply_filter(_current_projects(), flt)


# language and query parameters


def _lang() -> Lang:
    """Return the interface language of this session."""
    return Lang(st.session_state.get("lang", Lang.ZH.value))


def _init_from_url() -> None:
    """Seed widget state from the URL once per session."""
    if st.session_state.get("_url_loaded"):
        return
    params = dict(st.query_params)
    flt = ProjectFilter.from_query_params(params)
    st.session_state["lang"] = params.get("lang", "zh") if params.get("lang") == "en" else "zh"
    st.session_state["f_cat"] = list(flt.categories)
    st.session_state["f_sub"] = list(flt.subcategories)
    st.session_state["f_county"] = list(flt.counties)
    st.session_state["f_stage"] = list(flt.stages)
    st.session_state["f_min"] = flt.invest_min
    st.session_state["f_max"] = flt.invest_max
    st.session_state["f_q"] = flt.query
    basemap = params.get("basemap", Basemap.NONE.value)
    st.session_state["basemap"] = basemap if basemap in _basemaps() else Basemap.NONE.value
    choro = params.get("choro", CHOROPLETH_OFF)
    st.session_state["choro"] = choro if choro in _choropleth_options() else CHOROPLETH_OFF
    st.session_state["_url_loaded"] = True


def _write_url(flt: ProjectFilter) -> None:
    """Put the current view into the URL so a link reopens it."""
    params = flt.to_query_params()
    if _lang() is Lang.EN:
        params["lang"] = "en"
    if st.session_state.get("basemap", "none") != Basemap.NONE.value:
        params["basemap"] = st.session_state["basemap"]
    if st.session_state.get("choro", CHOROPLETH_OFF) != CHOROPLETH_OFF:
        params["choro"] = st.session_state["choro"]
    if dict(st.query_params) != params:
        st.query_params.from_dict(params)


# sidebar


def _language_switch() -> None:
    """Chinese by default, English on request."""
    st.sidebar.toggle("English", key="_english", value=_lang() is Lang.EN, on_change=_flip_lang)


def _flip_lang() -> None:
    """Apply the language toggle."""
    st.session_state["lang"] = "en" if st.session_state["_english"] else "zh"


def _label_of(enum_value: Any, lang: Lang) -> str:
    """Return an enum member's label in ``lang``."""
    return enum_value.zh if lang is Lang.ZH else enum_value.en


def _enum_label(value: str, *, enum: type, lang: Lang) -> str:
    """Label a stored enum value (``format_func`` of the pickers)."""
    return _label_of(enum(value), lang)


def _county_label(adcode: str, lang: Lang) -> str:
    """Return a county's name in ``lang``."""
    d = BY_ADCODE.get(adcode)
    if d is None:
        return adcode or t("county_unknown", lang)
    return d.name_zh if lang is Lang.ZH else d.name_en


def _sidebar_filters(lang: Lang) -> ProjectFilter:
    """Draw the filter widgets and return the selection they describe."""
    sb = st.sidebar
    sb.subheader(t("filters", lang))
    cats = sb.multiselect(
        t("field_category", lang),
        [c.value for c in Category],
        key="f_cat",
        format_func=partial(_enum_label, enum=Category, lang=lang),
        placeholder=t("all", lang),
    )
    subs_allowed = [
        s.value for s in Subcategory if s.category is not None and (not cats or s.category in cats)
    ]
    st.session_state["f_sub"] = [s for s in st.session_state.get("f_sub", []) if s in subs_allowed]
    subs = sb.multiselect(
        t("field_subcategory", lang),
        subs_allowed,
        key="f_sub",
        format_func=partial(_enum_label, enum=Subcategory, lang=lang),
        placeholder=t("all", lang),
    )
    counties = sb.multiselect(
        t("field_county", lang),
        [d.adcode for d in DIVISIONS],
        key="f_county",
        format_func=partial(_county_label, lang=lang),
        placeholder=t("all", lang),
    )
    stages = sb.multiselect(
        t("field_stage", lang),
        [s.value for s in Stage],
        key="f_stage",
        format_func=partial(_enum_label, enum=Stage, lang=lang),
        placeholder=t("all", lang),
    )
    c1, c2 = sb.columns(2)
    lo = c1.number_input(t("invest_min", lang), min_value=0.0, step=1.0, key="f_min")
    hi = c2.number_input(t("invest_max", lang), min_value=0.0, step=1.0, key="f_max")
    query = sb.text_input(t("search", lang), key="f_q", max_chars=100)
    return ProjectFilter(
        categories=tuple(cats),
        subcategories=tuple(subs),
        counties=tuple(counties),
        stages=tuple(stages),
        invest_min=lo,
        invest_max=hi,
        query=query.strip(),
    )


def _choropleth_options() -> list[str]:
    """Return the choropleth choices as URL values: off, or ``metric:category``."""
    return [CHOROPLETH_OFF, *(c.to_param() for c in ChoroplethChoice.options())]


def _choropleth_label(option: str, lang: Lang) -> str:
    """Label a choropleth choice."""
    choice = ChoroplethChoice.from_param(option)
    if choice is None:
        return t("choropleth_off", lang)
    what = _metric_label(choice.metric.value, lang=lang)
    which = (
        t("all_categories", lang) if choice.category is None else _label_of(choice.category, lang)
    )
    return f"{what} · {which}"


def _choropleth_spec(selection: gpd.GeoDataFrame, option: str) -> ChoroplethSpec | None:
    """Build the county choropleth of the current selection, if one is chosen."""
    choice = ChoroplethChoice.from_param(option)
    if choice is None:
        return None
    return ChoroplethSpec(summary=county_summary(selection, _counties()), choice=choice)


def _sidebar_map_options(lang: Lang) -> tuple[Basemap, str]:
    """Draw the basemap and choropleth pickers."""
    sb = st.sidebar
    sb.subheader(t("map_options", lang))
    basemap = sb.selectbox(
        t("basemap", lang),
        _basemaps(),
        key="basemap",
        format_func=partial(basemap_label, lang=lang),
    )
    choro = sb.selectbox(
        t("choropleth", lang),
        _choropleth_options(),
        key="choro",
        format_func=partial(_choropleth_label, lang=lang),
    )
    return Basemap(basemap), choro


def _basemaps() -> list[str]:
    """Basemaps this installation can draw (Tianditu only with a key)."""
    return [b.value for b in Basemap if b is not Basemap.TIANDITU or _tianditu_key()]


def _tianditu_key() -> str | None:
    """Read the Tianditu key from secrets or the environment (read once at start-up)."""
    try:
        key = st.secrets.get("TIANDITU_KEY")
    except FileNotFoundError:
        key = None
    return key or runtime().tianditu_key


# staff identity


def _staff_users() -> Mapping[str, Mapping[str, object]]:
    """Local staff accounts from ``st.secrets`` (none when not configured)."""
    try:
        return st.secrets.get("staff", {}).get("users", {})
    except FileNotFoundError:
        return {}


def _oidc_configured() -> bool:
    """Whether an identity provider is configured for ``st.login``."""
    try:
        return "auth" in st.secrets
    except FileNotFoundError:
        return False


def _oidc_domains() -> tuple[str, ...]:
    """E-mail domains whose identity-provider users are staff (none: nobody is)."""
    try:
        return tuple(st.secrets.get("staff", {}).get("oidc_domains", ()))
    except FileNotFoundError:
        return ()


def _client_address() -> str:
    """Address of this session's client, the second key of the sign-in limit.

    Behind a reverse proxy every connection comes from the proxy; name the
    header the proxy sets in ``[staff] client_ip_header`` (e.g. ``X-Real-IP``).
    """
    try:
        header = str(st.secrets.get("staff", {}).get("client_ip_header", ""))
    except FileNotFoundError:
        header = ""
    forwarded = st.context.headers.get(header, "") if header else ""
    # the last entry is the one the nearest proxy wrote
    return forwarded.rpartition(",")[2].strip() or st.context.ip_address or "local"


@st.cache_resource(show_spinner=False)
def _signin_limiter() -> SignInLimiter:
    """Return the server's failed-sign-in limiter.

    Server-wide security state, not per-user state: a guessing script opens a
    new session at will, so the counts must outlive sessions. One thread-safe
    instance per process is the point, hence ``st.cache_resource``.
    """
    return SignInLimiter()


def _on_sign_in() -> None:
    """Check a submitted password before any page work (the form's callback)."""
    outcome = sign_in(
        str(st.session_state.get("si_user", "")),
        str(st.session_state.get("si_pw", "")),
        _staff_users(),
        client=_client_address(),
        limiter=_signin_limiter(),
    )
    st.session_state["si_pw"] = ""
    st.session_state["_signin_outcome"] = outcome
    if outcome.identity is not None:
        st.session_state["staff"] = outcome.identity
        st.session_state["staff_seen"] = monotonic_now()
        st.session_state["_rehash"] = outcome.new_hash


def _staff() -> StaffIdentity | None:
    """Return the signed-in member of staff, if any."""
    identity = st.session_state.get("staff")
    domains = _oidc_domains()
    # an identity-provider login makes staff only of verified addresses of allowed domains
    if identity is None and domains and _oidc_configured() and st.user.get("is_logged_in"):
        identity = identity_from_oidc(st.user.to_dict(), allowed_domains=domains)
        if identity is not None:
            st.session_state["staff"] = identity
            st.session_state["staff_seen"] = monotonic_now()
    return identity


def _sign_out() -> None:
    """Forget the signed-in member of staff and what they were doing."""
    staff = st.session_state.pop("staff", None)
    for key in ("staff_seen", "_rehash", "import_result"):
        st.session_state.pop(key, None)
    if isinstance(staff, StaffIdentity) and staff.source is IdentitySource.OIDC:
        st.logout()


def _expire_idle_staff(lang: Lang) -> None:
    """Sign staff out after :data:`STAFF_IDLE_MINUTES` without activity; note the activity."""
    now = monotonic_now()
    if st.session_state.get("staff") is not None and session_expired(
        st.session_state.get("staff_seen"), now=now, idle_seconds=STAFF_IDLE_MINUTES * 60
    ):
        _sign_out()
        st.warning(t("idle_signed_out", lang).format(minutes=STAFF_IDLE_MINUTES))
    if st.session_state.get("staff") is not None:
        st.session_state["staff_seen"] = now


def _sign_in_message(outcome: SignInOutcome, lang: Lang) -> str:
    """Say why a sign-in was refused."""
    if outcome.busy:
        return t("sign_in_busy", lang)
    if outcome.locked_for > 0:
        return t("sign_in_locked", lang).format(seconds=math.ceil(outcome.locked_for))
    return t("sign_in_failed", lang)


def _sidebar_sign_in(lang: Lang, outcome: SignInOutcome | None) -> None:
    """Staff sign-in; planners never need it."""
    staff = _staff()
    refused = outcome is not None and outcome.identity is None
    # a constant "expanded": a changing one would fold the form under the user's cursor
    with st.sidebar.expander(t("staff", lang), expanded=False):
        if staff is not None:
            st.caption(f"{t('signed_in_as', lang)} {md_literal(staff.display_name)}")
            if st.session_state.get("_rehash"):
                # only the member of staff who just typed the password sees it
                st.warning(t("rehash_note", lang))
                st.code(f'password_hash = "{st.session_state["_rehash"]}"', language="toml")
            if st.button(t("sign_out", lang), key="sign_out"):
                _sign_out()
                st.rerun()
            return
        with st.form("sign_in", clear_on_submit=True):
            st.text_input(t("username", lang), key="si_user", max_chars=64)
            st.text_input(t("password", lang), type="password", key="si_pw", max_chars=256)
            st.form_submit_button(t("sign_in", lang), on_click=_on_sign_in)
        if refused:
            st.error(_sign_in_message(outcome, lang))
        if (
            _oidc_configured()
            and _oidc_domains()
            and st.button(t("sign_in_oidc", lang), key="oidc")
        ):
            st.login()


# map page


def _headline(selection: gpd.GeoDataFrame, lang: Lang) -> None:
    """Figures for the current selection beside the report's city-wide figures."""
    invest = selection["investment_yi"].astype(float)
    cols = st.columns(6)
    cols[0].metric(t("sel_projects", lang), f"{len(selection):,}")
    known = invest.dropna()
    total = format_investment(float(known.sum()), lang) if len(known) else "—"
    cols[1].metric(t("sel_invest", lang), total)
    cols[2].metric(t("sel_invest_known", lang), f"{int(invest.notna().sum()):,}")
    figures = _figures().set_index("key")
    for col, key in zip(cols[3:], HEADLINE_KEYS, strict=True):
        if key in figures.index:
            row = figures.loc[key]
            label = row["label_zh"] if lang is Lang.ZH else row["label_en"]
            col.metric(
                f"{t('citywide', lang)} · {label}",
                _figure_text(row["value"], row["unit"], lang),
                help=row["sentence"],
            )
    with st.expander(t("report_figures", lang)):
        st.dataframe(_figures_table(figures, lang), hide_index=True, width="stretch")


def _figure_text(value: float, unit: str, lang: Lang) -> str:
    """Write a report figure with its unit in the interface language."""
    return f"{value:g} {t(f'unit_{unit}', lang)}".strip()


def _figures_table(figures: pd.DataFrame, lang: Lang) -> pd.DataFrame:
    """All of the report's city-wide figures and targets, with their sentences."""
    zh = lang is Lang.ZH
    return pd.DataFrame(
        {
            t("figure", lang): figures["label_zh" if zh else "label_en"],
            t("value", lang): [
                _figure_text(v, u, lang)
                for v, u in zip(figures["value"], figures["unit"], strict=True)
            ],
            t("figure_kind", lang): [t(f"figure_{k}", lang) for k in figures["kind"]],
            t("field_source", lang): figures["sentence"],
        }
    )


def _nearest_project(selection: gpd.GeoDataFrame, lat: float, lng: float) -> str | None:
    """Return the id of the project nearest a clicked point."""
    if selection.empty:
        return None
    d2 = (selection["lon"].to_numpy() - lng) ** 2 + (selection["lat"].to_numpy() - lat) ** 2
    i = int(np.argmin(d2))
    return str(selection["id"].iloc[i]) if d2[i] < 1e-6 else None


def _map_view(selection: gpd.GeoDataFrame, basemap: Basemap, choro: str, lang: Lang) -> None:
    """Draw the map; a click on a project selects it."""
    spec = _choropleth_spec(selection, choro)
    try:
        m = base_map(
            _counties(), basemap=basemap, choropleth=spec, lang=lang, tianditu_key=_tianditu_key()
        )
    except ValueError as exc:
        # a basemap this installation cannot draw: say so and fall back to none
        st.warning(md_literal(exc))
        basemap = Basemap.NONE
        m = base_map(_counties(), choropleth=spec, lang=lang)
    groups = project_layers(selection, lang=lang, gcj02=basemap.coord_system is CoordSystem.GCJ02)
    center, zoom = _focus(selection)
    out = st_folium(
        m,
        feature_group_to_add=groups,
        layer_control=layer_control(),
        returned_objects=["last_object_clicked_popup", "last_object_clicked"],
        key="map",
        height=MAP_HEIGHT,
        use_container_width=True,
        center=center,
        zoom=zoom,
    )
    out = out or {}
    clicked = (out.get("last_object_clicked_popup"), out.get("last_object_clicked"))
    if clicked[1] and clicked != st.session_state.get("_last_click"):
        st.session_state["_last_click"] = clicked
        # the popup's first line is the project id; the click position is the fallback
        picked = popup_project_id(clicked[0])
        if picked is None:
            lat, lng = clicked[1]["lat"], clicked[1]["lng"]
            if basemap.coord_system is CoordSystem.GCJ02:
                lng, lat = convert(lon=lng, lat=lat, src=CoordSystem.GCJ02, dst=CoordSystem.WGS84)
            picked = _nearest_project(selection, lat, lng)
        if picked:
            st.session_state["project"] = picked


def _focus(selection: gpd.GeoDataFrame) -> tuple[tuple[float, float] | None, int | None]:
    """Centre on the project last chosen in the table (a map click keeps the view)."""
    pid = st.session_state.get("_table_pick")
    hit = selection[selection["id"] == pid] if pid else selection.iloc[0:0]
    if hit.empty:
        return None, None
    return (float(hit["lat"].iloc[0]), float(hit["lon"].iloc[0])), 12


def _detail_rows(row: pd.Series, lang: Lang) -> list[tuple[str, str]]:
    """Label/value pairs of one project for the detail panel."""
    other = row["name_en"] if lang is Lang.ZH else row["name_zh"]
    county = row.get("county_adcode") or ""
    spatial = row.get("spatial_adcode") or ""
    county_text = _county_label(county, lang) if county else t("not_stated", lang)
    if spatial and spatial != county:
        county_text += f"（{t('point_in', lang)} {_county_label(spatial, lang)}）"
    invest = row["investment_yi"]
    return [
        (t("field_name_other", lang), other or "—"),
        (t("field_id", lang), row["id"]),
        (t("field_company", lang), row["company"] or t("not_stated", lang)),
        (t("field_county", lang), county_text),
        (t("field_category", lang), _label_of(Category(row["category"]), lang)),
        (t("field_subcategory", lang), _label_of(Subcategory(row["subcategory"]), lang)),
        (t("field_stage", lang), _label_of(Stage(row["stage"]), lang)),
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
        (t("field_precision", lang), _label_of(Precision(row["precision"]), lang)),
    ]


def _project_panel(selection: gpd.GeoDataFrame, lang: Lang) -> None:
    """Show the chosen project's details and source sentence."""
    pid = st.session_state.get("project")
    hit = selection[selection["id"] == pid] if pid else selection.iloc[0:0]
    if hit.empty:
        st.info(t("click_hint", lang))
        return
    row = hit.iloc[0]
    name = row["name_zh"] if lang is Lang.ZH else row["name_en"] or row["name_zh"]
    st.markdown(f"#### {md_literal(name)}")
    table = pd.DataFrame(_detail_rows(row, lang), columns=[t("field", lang), t("value", lang)])
    st.dataframe(table, hide_index=True, width="stretch")
    st.caption(f"{t('field_source', lang)}：{md_literal(row['source_sentence'])}")


def _metric_label(value: str, *, lang: Lang) -> str:
    """Label a ranking metric."""
    return t("metric_count" if value == Metric.COUNT.value else "metric_invest", lang)


def _orientation_label(value: str, *, lang: Lang) -> str:
    """Label a paper orientation."""
    return t(f"orient_{value}", lang)


def _county_ranking(selection: gpd.GeoDataFrame, lang: Lang) -> None:
    """County ranking table and bar chart for the current selection."""
    summary = county_summary(selection, _counties())
    name_col = "name_zh" if lang is Lang.ZH else "name_en"
    # the same glyph per category as the map legend and the print maps
    cat_names = {
        c.value: f"{CATEGORY_SYMBOLS[c.value].glyph} {_label_of(c, lang)}" for c in Category
    }
    metric = st.radio(
        t("rank_by", lang),
        [Metric.COUNT.value, Metric.INVEST.value],
        horizontal=True,
        key="rank_by",
        format_func=partial(_metric_label, lang=lang),
    )
    ranked = summary.sort_values(f"{metric}_all", ascending=False)
    chart = ranked.set_index(name_col)[[f"{metric}_{c.value}" for c in Category]]
    chart.columns = [cat_names[c.value] for c in Category]
    st.bar_chart(
        chart,
        color=[CATEGORY_COLORS[c.value] for c in Category],
        horizontal=True,
        height=360,
    )
    table = pd.DataFrame(
        {
            t("rank", lang): np.arange(1, len(ranked) + 1),
            t("field_county", lang): ranked[name_col].to_numpy(),
            **{
                f"{t('metric_count', lang)}·{cat_names[c.value]}": ranked[f"count_{c.value}"]
                for c in Category
            },
            t("metric_count", lang): ranked["count_all"],
            t("metric_invest", lang): ranked["invest_all"].round(2),
        }
    )
    st.dataframe(table, hide_index=True, width="stretch")
    unplaced = unplaced_count(selection, _counties())
    if unplaced:
        st.caption(f"{t('unplaced', lang)}：{unplaced}")


def _project_table(selection: gpd.GeoDataFrame, lang: Lang) -> None:
    """Show the selected projects; picking a row selects it on the map."""
    view = pd.DataFrame(
        {
            t("field_id", lang): selection["id"],
            t("field_name", lang): selection["name_zh" if lang is Lang.ZH else "name_en"],
            t("field_category", lang): [
                _label_of(Category(v), lang) for v in selection["category"]
            ],
            t("field_subcategory", lang): [
                _label_of(Subcategory(v), lang) for v in selection["subcategory"]
            ],
            t("field_county", lang): [_county_label(a, lang) for a in selection["resolved_adcode"]],
            t("field_stage", lang): [_label_of(Stage(v), lang) for v in selection["stage"]],
            t("metric_invest", lang): selection["investment_yi"],
            t("field_precision", lang): [
                _label_of(Precision(v), lang) for v in selection["precision"]
            ],
        }
    )
    event = st.dataframe(
        view,
        hide_index=True,
        width="stretch",
        on_select="rerun",
        selection_mode="single-row",
        key="project_table",
    )
    rows = event.selection.rows if event is not None else []
    if rows:
        pid = str(selection["id"].iloc[rows[0]])
        if st.session_state.get("_table_pick") != pid:
            st.session_state["_table_pick"] = pid
            st.session_state["project"] = pid
            st.rerun()


def _export_request(flt: ProjectFilter, choro: str, lang: Lang) -> ExportRequest:
    """Draw the page options and return the request of the current view."""
    c1, c2, c3, c4 = st.columns(4)
    fmt = c1.selectbox(t("format", lang), [f.value for f in MAP_FORMATS], key="x_fmt")
    paper = c2.selectbox(t("paper", lang), [p.value for p in Paper], key="x_paper")
    orient = c3.selectbox(
        t("orientation", lang),
        [o.value for o in Orientation],
        key="x_orient",
        format_func=partial(_orientation_label, lang=lang),
    )
    dpi = c4.selectbox("DPI", list(PRINT_DPI_CHOICES), key="x_dpi")
    title = st.text_input(t("title", lang), key="x_title", placeholder=default_title(lang=lang))
    table = st.checkbox(t("summary_table", lang), value=True, key="x_table")
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


def _run_export(request: ExportRequest, data: ExportData) -> ExportResult | None:
    """Render an export through the pipeline; say so when the server or session is busy."""
    quota = st.session_state.setdefault("x_quota", SessionQuota())
    try:
        return render(request, data, quota=quota)
    except ExportLimitError as exc:
        st.warning(str(exc))
        return None


def _offer(key: str, job: tuple[ExportRequest, str], lang: Lang) -> None:
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


def _extract_bytes(request: ExportRequest, data: ExportData) -> bytes:
    """Build one data extract of the current selection (on the download click)."""
    return render(request, data).data


def _export_panel(flt: ProjectFilter, choro: str, lang: Lang) -> None:
    """Print maps, self-contained HTML, data extracts and the county atlas."""
    request = _export_request(flt, choro, lang)
    st.caption(f"{t('subtitle', lang)}：{md_literal(flt.describe(lang=lang.value))}")
    data = _export_data()
    # a file made for other settings or data is not offered
    job = (request, data.register_version)
    if st.button(t("prepare", lang), key="x_prepare", type="primary"):
        with st.spinner(t("preparing", lang)):
            result = _run_export(request, data)
        if result is not None:
            st.session_state["x_file"] = (job, result)
    _offer("x_file", job, lang)
    st.divider()
    st.markdown(f"**{t('extracts', lang)}**")
    extracts = [f for f in ExportFormat if f.is_extract]
    for col, efmt in zip(st.columns(len(extracts)), extracts, strict=True):
        extract = replace(request, format=efmt)
        col.download_button(
            efmt.value.upper(),
            data=partial(_extract_bytes, extract, data),
            file_name=extract.filename(),
            mime=efmt.mime,
            key=f"x_extract_{efmt.value}",
        )
    st.divider()
    st.markdown(f"**{t('atlas', lang)}**")
    atlas = replace(request, format=ExportFormat.PDF, atlas=True, title="")
    atlas_job = (atlas, data.register_version)
    if st.button(t("prepare_atlas", lang), key="x_atlas"):
        with st.spinner(t("preparing", lang)):
            result = _run_export(atlas, data)
        if result is not None:
            st.session_state["x_atlas_file"] = (atlas_job, result)
    _offer("x_atlas_file", atlas_job, lang)


def map_page() -> None:
    """Show the planners' map: filters, figures, map, project details, county comparison."""
    lang = _lang()
    flt = _sidebar_filters(lang)
    basemap, choro = _sidebar_map_options(lang)
    _write_url(flt)
    selection = _selection(flt)
    st.title(t("app_title", lang))
    _headline(selection, lang)
    left, right = st.columns([3, 1])
    with left:
        _map_view(selection, basemap, choro, lang)
        unlocated = _unlocated(_store().url, _version())
        if unlocated:
            st.caption(t("unlocated_note", lang).format(n=unlocated))
    with right:
        _project_panel(selection, lang)
    tab_rank, tab_table, tab_export = st.tabs(
        [t("tab_counties", lang), t("tab_projects", lang), t("tab_export", lang)]
    )
    with tab_rank:
        _county_ranking(selection, lang)
    with tab_table:
        _project_table(selection, lang)
    with tab_export:
        _export_panel(flt, choro, lang)


# staff pages


def import_page() -> None:
    """Upload, validate, preview and commit a staff spreadsheet."""
    lang = _lang()
    staff = _staff()
    st.title(t("page_import", lang))
    upload = st.file_uploader(t("upload", lang), type=[k.value for k in FileKind], key="upload")
    crs = st.selectbox(
        t("declared_crs", lang),
        [c.value for c in CoordSystem],
        key="import_crs",
        format_func=partial(_enum_label, enum=CoordSystem, lang=lang),
    )
    if upload is not None and st.button(t("validate", lang), key="validate", type="primary"):
        if upload.size > MAX_UPLOAD_BYTES:
            st.error(t("too_large", lang).format(limit=MAX_UPLOAD_BYTES // (1024 * 1024)))
            return
        try:
            # checked against the version shown now; the commit is based on it
            st.session_state[IMPORT_BASE_KEY] = _version()
            st.session_state["import_result"] = import_table(
                upload.getvalue(),
                filename=upload.name,
                crs=crs,
                existing=_register(_store().url, _version()).copy(),
            )
        except IngestError as exc:
            st.session_state.pop("import_result", None)
            st.error(md_literal(exc))
    result = st.session_state.get("import_result")
    if result is None:
        return
    report = result.report
    c = st.columns(4)
    c[0].metric(t("rows_read", lang), report.total)
    c[1].metric(t("rows_accepted", lang), report.accepted)
    c[2].metric(t("rows_warned", lang), len(report.warnings))
    c[3].metric(t("rows_rejected", lang), len(report.rejected))
    st_folium(
        status_map(result.preview, _counties(), lang=lang),
        key="preview",
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
    if st.button(t("commit", lang), key="commit", disabled=report.accepted == 0):
        _commit(result, staff, lang)


def _commit(result: ImportResult, staff: StaffIdentity | None, lang: Lang) -> None:
    """Commit a validated import, based on the version it was checked against."""
    try:
        version = commit_import(
            result,
            store=_store(),
            author=require_staff(staff).author(),
            base_version=int(st.session_state[IMPORT_BASE_KEY]),
        )
    except StaleBase as exc:
        # a colleague changed some of these projects since validation: say who, write nothing
        st.error(md_literal(exc))
        return
    except StoreError as exc:
        st.warning(md_literal(exc))
        return
    st.session_state.pop("import_result", None)
    if version is None:
        st.info(md_literal(result.report.summary()))
    else:
        st.success(t("committed", lang).format(version=version))


def review_page() -> None:
    """Staff place low-precision and unresolved projects by clicking or typing."""
    lang = _lang()
    staff = _staff()
    st.title(t("page_review", lang))
    base = _seen_version(REVIEW_SEEN_KEY)
    queue = _store().review_queue()
    if queue.empty:
        st.success(t("queue_empty", lang))
        return
    st.dataframe(_review_table(queue, lang), hide_index=True, width="stretch")
    pid = st.selectbox(t("field_id", lang), queue["id"].tolist(), key="rv_id")
    row = queue.set_index("id").loc[pid]
    # the project shown changed under the user (e.g. a colleague placed theirs): never save it
    switched = st.session_state.get("_rv_pid") != pid
    if switched:
        # a new project: start from its current point
        st.session_state["_rv_pid"] = pid
        st.session_state["rv_lon"] = float(row["lon"]) if pd.notna(row["lon"]) else None
        st.session_state["rv_lat"] = float(row["lat"]) if pd.notna(row["lat"]) else None
        st.session_state["rv_crs"] = CoordSystem.WGS84.value
    st.caption(t("review_hint", lang))
    m = review_map(_counties(), current=(row["lon"], row["lat"]), picked=_picked_wgs84(), lang=lang)
    out = st_folium(
        m, key="rv_map", height=460, use_container_width=True, returned_objects=["last_clicked"]
    )
    clicked = (out or {}).get("last_clicked")
    if clicked and clicked != st.session_state.get("_rv_click"):
        # a map click is in wgs-84 (the plain basemap)
        st.session_state["_rv_click"] = clicked
        st.session_state["rv_lon"] = round(float(clicked["lng"]), 6)
        st.session_state["rv_lat"] = round(float(clicked["lat"]), 6)
        st.session_state["rv_crs"] = CoordSystem.WGS84.value
        st.rerun()
    crs = st.selectbox(
        t("declared_crs", lang),
        [c.value for c in CoordSystem],
        key="rv_crs",
        format_func=partial(_enum_label, enum=CoordSystem, lang=lang),
    )
    c1, c2 = st.columns(2)
    lon = c1.number_input(t("lon", lang), format="%.6f", key="rv_lon")
    lat = c2.number_input(t("lat", lang), format="%.6f", key="rv_lat")
    missing = lon is None or lat is None
    clicked_save = st.button(
        t("save_location", lang), key="rv_save", type="primary", disabled=missing
    )
    if clicked_save and not switched:
        _save_location(pid, (lon, lat, crs), staff=staff, base=base, lang=lang)


def _save_location(
    pid: str,
    point: tuple[float, float, str],
    *,
    staff: StaffIdentity | None,
    base: int,
    lang: Lang,
) -> None:
    """Save a review edit based on the version the page showed; report the outcome."""
    lon, lat, crs = point
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", OutsideCountyWarning)
            version = _store().set_location(
                pid,
                lon=lon,
                lat=lat,
                crs=crs,
                author=require_staff(staff).author(),
                base_version=base,
            )
    except StaleBase as exc:
        st.error(md_literal(exc))
        return
    except (StoreError, KeyError, ValueError) as exc:
        st.warning(md_literal(exc))
        return
    # the page's next run is based on the version just written
    st.session_state[REVIEW_SEEN_KEY] = version
    st.success(t("committed", lang).format(version=version))
    # saved, but outside the stated county: say so
    for w in caught:
        if issubclass(w.category, OutsideCountyWarning):
            st.warning(md_literal(w.message))


def _picked_wgs84() -> tuple[float | None, float | None]:
    """Return the point typed or clicked on the review page, in WGS-84 for drawing."""
    lon, lat = st.session_state.get("rv_lon"), st.session_state.get("rv_lat")
    if lon is None or lat is None:
        return None, None
    system = CoordSystem(st.session_state.get("rv_crs", CoordSystem.WGS84.value))
    return convert(lon=lon, lat=lat, src=system, dst=CoordSystem.WGS84)


def _review_table(queue: gpd.GeoDataFrame, lang: Lang) -> pd.DataFrame:
    """Label the review queue for display."""
    return pd.DataFrame(
        {
            t("field_id", lang): queue["id"],
            t("field_name", lang): queue["name_zh"],
            t("field_county", lang): [_county_label(a, lang) for a in queue["county_adcode"]],
            t("field_location", lang): queue["location_text"],
            t("field_precision", lang): [
                _label_of(Precision(v), lang) if v else t("unlocated", lang)
                for v in queue["precision"]
            ],
        }
    )


def history_page() -> None:
    """Every version of the register, what one changed, with restore and revert."""
    lang = _lang()
    staff = _staff()
    st.title(t("page_history", lang))
    base = _seen_version(HISTORY_SEEN_KEY)
    store = _store()
    history = store.history()
    shown = history[list(HISTORY_COLUMNS)].rename(
        columns={c: t(f"hist_{c}", lang) for c in HISTORY_COLUMNS}
    )
    st.dataframe(shown, hide_index=True, width="stretch")
    version = int(st.selectbox(t("version", lang), history["version"].tolist(), key="hv_version"))
    st.caption(t("version_changes", lang))
    changes = store.version_changes(version)
    st.dataframe(
        changes[["id", "change", "fields", "before_name_zh", "after_name_zh"]],
        hide_index=True,
        width="stretch",
    )
    # a restore replaces the whole register: it needs a deliberate second step
    confirmed = st.checkbox(
        t("restore_confirm", lang).format(version=version), key=f"hv_confirm_{version}"
    )
    left, right = st.columns(2)
    restore = left.button(t("restore", lang), key="hv_restore", disabled=not confirmed)
    restore = restore and confirmed
    revert = right.button(t("revert", lang), key="hv_revert")
    if not (restore or revert):
        return
    write = store.restore if restore else store.revert
    try:
        new = write(version, author=require_staff(staff).author(), base_version=base)
    except StaleBase as exc:
        st.error(md_literal(exc))
        return
    except StoreError as exc:
        st.warning(md_literal(exc))
        return
    st.session_state[HISTORY_SEEN_KEY] = new
    st.success(t("committed", lang).format(version=new))


def main() -> None:
    """Lay out the app: language, sign-in, pages."""
    st.set_page_config(page_title="长治项目一张图", page_icon="🗺️", layout="wide")
    _init_from_url()
    lang = _lang()
    _expire_idle_staff(lang)
    outcome = st.session_state.pop("_signin_outcome", None)
    _language_switch()
    _sidebar_sign_in(lang, outcome)
    if outcome is not None and outcome.identity is None:
        # a refused sign-in runs no page: a guessing loop costs one check, not the map
        st.info(t("sign_in_refused_page", lang))
        st.button(t("back_to_map", lang), key="back_to_map")
        st.stop()
    _read_version()
    pages = [st.Page(map_page, title=t("page_map", lang), url_path="map", default=True)]
    if _staff() is not None:
        pages += [
            st.Page(import_page, title=t("page_import", lang), url_path="import"),
            st.Page(review_page, title=t("page_review", lang), url_path="review"),
            st.Page(history_page, title=t("page_history", lang), url_path="history"),
        ]
    try:
        st.navigation(pages).run()
    except StoreError as exc:
        # every page: a store that refuses or fails gives a message, not a traceback
        st.error(f"{t('store_error', lang)}\n\n{md_literal(exc)}")


main()
