"""The staff review page: place low-precision and unresolved projects by clicking or typing.

An edit is saved on the version the page showed; a project that changed
under the user (a colleague placed it) is never saved over.
"""

from __future__ import annotations

import warnings
from functools import partial

import geopandas as gpd
import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from app import data, signin, state
from app.labels import county_label, enum_label
from app.state import Keys
from geodata.auth import StaffIdentity, require_staff
from geodata.coords import CoordSystem, convert
from geodata.i18n import Lang, label, t
from geodata.schema import Precision
from geodata.store import OutsideCountyWarning, StoreError
from geodata.text import md_literal
from layers.review import review_map


def review_page() -> None:
    """Staff place low-precision and unresolved projects by clicking or typing."""
    lang = state.lang()
    staff = signin.staff()
    st.title(t("page_review", lang))
    base = state.seen_version(Keys.REVIEW_SEEN)
    queue = data.store().review_queue()
    if queue.empty:
        st.success(t("queue_empty", lang))
        return
    st.dataframe(_review_table(queue, lang), hide_index=True, width="stretch")
    pid = st.selectbox(t("field_id", lang), queue["id"].tolist(), key=Keys.REVIEW_ID)
    row = queue.set_index("id").loc[pid]
    # the project shown changed under the user (e.g. a colleague placed theirs): never save it
    switched = st.session_state.get(Keys.REVIEW_SHOWN_ID) != pid
    if switched:
        _start_from(pid, row)
    st.caption(t("review_hint", lang))
    _review_map(row, lang)
    crs = st.selectbox(
        t("declared_crs", lang),
        [c.value for c in CoordSystem],
        key=Keys.REVIEW_CRS,
        format_func=partial(enum_label, enum=CoordSystem, lang=lang),
    )
    c1, c2 = st.columns(2)
    lon = c1.number_input(t("lon", lang), format="%.6f", key=Keys.REVIEW_LON)
    lat = c2.number_input(t("lat", lang), format="%.6f", key=Keys.REVIEW_LAT)
    missing = lon is None or lat is None
    clicked_save = st.button(
        t("save_location", lang), key=Keys.REVIEW_SAVE, type="primary", disabled=missing
    )
    if clicked_save and not switched:
        _save_location(pid, (lon, lat, crs), staff=staff, base=base, lang=lang)


def _start_from(pid: str, row: pd.Series) -> None:
    """Show a newly chosen project, starting from its current point."""
    ss = st.session_state
    ss[Keys.REVIEW_SHOWN_ID] = pid
    ss[Keys.REVIEW_LON] = float(row["lon"]) if pd.notna(row["lon"]) else None
    ss[Keys.REVIEW_LAT] = float(row["lat"]) if pd.notna(row["lat"]) else None
    ss[Keys.REVIEW_CRS] = CoordSystem.WGS84.value


def _review_map(row: pd.Series, lang: Lang) -> None:
    """Draw the project's current and picked points; a click picks a new one."""
    m = review_map(
        data.counties(), current=(row["lon"], row["lat"]), picked=_picked_wgs84(), lang=lang
    )
    out = st_folium(
        m,
        key=Keys.REVIEW_MAP,
        height=460,
        use_container_width=True,
        returned_objects=["last_clicked"],
    )
    clicked = (out or {}).get("last_clicked")
    if clicked and clicked != st.session_state.get(Keys.REVIEW_CLICK):
        # a map click is in wgs-84 (the plain basemap)
        ss = st.session_state
        ss[Keys.REVIEW_CLICK] = clicked
        ss[Keys.REVIEW_LON] = round(float(clicked["lng"]), 6)
        ss[Keys.REVIEW_LAT] = round(float(clicked["lat"]), 6)
        ss[Keys.REVIEW_CRS] = CoordSystem.WGS84.value
        st.rerun()


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
            version = data.store().set_location(
                pid,
                lon=lon,
                lat=lat,
                crs=crs,
                author=require_staff(staff).author(),
                base_version=base,
            )
    except (StoreError, KeyError, ValueError) as exc:
        data.say_write_refused(exc)
        return
    # the page's next run is based on the version just written
    state.set_seen_version(Keys.REVIEW_SEEN, version)
    st.success(t("committed", lang, version=version))
    # saved, but outside the stated county: say so
    for w in caught:
        if issubclass(w.category, OutsideCountyWarning):
            st.warning(md_literal(w.message))


def _picked_wgs84() -> tuple[float | None, float | None]:
    """Return the point typed or clicked on the review page, in WGS-84 for drawing."""
    lon, lat = st.session_state.get(Keys.REVIEW_LON), st.session_state.get(Keys.REVIEW_LAT)
    if lon is None or lat is None:
        return None, None
    system = CoordSystem(st.session_state.get(Keys.REVIEW_CRS, CoordSystem.WGS84.value))
    return convert(lon=lon, lat=lat, src=system, dst=CoordSystem.WGS84)


def _review_table(queue: gpd.GeoDataFrame, lang: Lang) -> pd.DataFrame:
    """Label the review queue for display."""
    return pd.DataFrame(
        {
            t("field_id", lang): queue["id"],
            t("field_name", lang): queue["name_zh"],
            t("field_county", lang): [county_label(a, lang) for a in queue["county_adcode"]],
            t("field_location", lang): queue["location_text"],
            t("field_precision", lang): [
                label(Precision(v), lang) if v else t("unlocated", lang) for v in queue["precision"]
            ],
        }
    )
