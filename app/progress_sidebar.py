"""The month picker ("截至 2025年9月") and the map view switch, and their place in the URL.

``period=2025-09`` names the month, ``mode=progress`` the map view and
``cmp=2025-06`` the month compared with; a value that is not a month (or a
mode) falls back to the default.
"""

from __future__ import annotations

import datetime as dt
from functools import partial

import streamlit as st

from app import data, progress_data, state
from app.state import Keys
from geodata.i18n import Lang, t
from geodata.progress import Period
from layers.progress import MapMode
from layers.progress_text import as_of, month_label

PERIOD_PARAM = "period"
MODE_PARAM = "mode"
COMPARE_PARAM = "cmp"


def seed_from_url(params: dict[str, str]) -> None:
    """Seed the month, map view and comparison month from the URL (once per session)."""
    ss = st.session_state
    period = progress_data.parse_month(params.get(PERIOD_PARAM))
    if period is not None:
        ss[Keys.PERIOD] = period
    mode = params.get(MODE_PARAM, MapMode.CATEGORY.value)
    ss[Keys.MAP_MODE] = mode if mode in {m.value for m in MapMode} else MapMode.CATEGORY.value
    ss[Keys.COMPARE] = progress_data.parse_month(params.get(COMPARE_PARAM)) or ""


def url_params() -> dict[str, str]:
    """Return the progress view's URL parameters (only those not at their default).

    The month is left out while it is the latest reported one (a link without
    ``period`` opens the latest month).
    """
    ss = st.session_state
    out = {}
    if ss.get(Keys.PERIOD) and ss[Keys.PERIOD] != ss.get(Keys.LATEST_PERIOD):
        out[PERIOD_PARAM] = str(ss[Keys.PERIOD])
    if ss.get(Keys.MAP_MODE, MapMode.CATEGORY.value) != MapMode.CATEGORY.value:
        out[MODE_PARAM] = str(ss[Keys.MAP_MODE])
    if ss.get(Keys.COMPARE):
        out[COMPARE_PARAM] = str(ss[Keys.COMPARE])
    return out


def _month_text(value: str, *, lang: Lang) -> str:
    """Label a month option: 截至 2025年9月."""
    return as_of(value, lang)


def _mode_text(value: str, *, lang: Lang) -> str:
    """Label a map view."""
    return t(f"mode_{value}", lang)


def _months() -> list[str]:
    """Return the months that can be chosen, newest first; remember the newest."""
    url, version = data.store().url, state.version()
    options = progress_data.months(url, version, dt.date.today().isoformat())[::-1]
    st.session_state[Keys.LATEST_PERIOD] = options[0]
    if st.session_state.get(Keys.PERIOD) not in options:
        st.session_state[Keys.PERIOD] = options[0]
    return options


def month_picker(lang: Lang) -> Period:
    """Draw the month picker (newest first) and return the month chosen."""
    st.sidebar.selectbox(
        t("month", lang), _months(), key=Keys.PERIOD, format_func=partial(_month_text, lang=lang)
    )
    return Period.read(st.session_state[Keys.PERIOD])


def _current_mode() -> MapMode:
    """Return the map view the switch holds (a value that is not a view: by category)."""
    if st.session_state.get(Keys.MAP_MODE) not in {m.value for m in MapMode}:
        st.session_state[Keys.MAP_MODE] = MapMode.CATEGORY.value
    return MapMode(st.session_state[Keys.MAP_MODE])


def view_switch(lang: Lang) -> MapMode:
    """Draw the map view switch (by category | by progress) and return the view."""
    _current_mode()
    st.sidebar.radio(
        t("map_view", lang),
        [m.value for m in MapMode],
        key=Keys.MAP_MODE,
        horizontal=True,
        format_func=partial(_mode_text, lang=lang),
    )
    return _current_mode()


def progress_options(lang: Lang) -> tuple[Period, MapMode]:
    """Draw the month picker and the view switch under a heading of their own."""
    st.sidebar.subheader(t("tab_progress", lang))
    return month_picker(lang), view_switch(lang)


def current_progress_options() -> tuple[Period, MapMode]:
    """Return the month and the map view the pickers hold, drawn or not."""
    _months()
    return Period.read(st.session_state[Keys.PERIOD]), _current_mode()


def compare_picker(period: Period, lang: Lang) -> Period | None:
    """Draw the picker of the month to compare with (earlier months only)."""
    url, version = data.store().url, state.version()
    months = progress_data.months(url, version, dt.date.today().isoformat())
    earlier = [m for m in months if Period.read(m) < period][::-1]
    if st.session_state.get(Keys.COMPARE) not in ["", *earlier]:
        st.session_state[Keys.COMPARE] = ""
    chosen = st.selectbox(
        t("compare_with", lang),
        ["", *earlier],
        key=Keys.COMPARE,
        format_func=partial(_compare_text, lang=lang),
    )
    return Period.read(chosen) if chosen else None


def _compare_text(value: str, *, lang: Lang) -> str:
    """Label a comparison month (empty: no comparison)."""
    return month_label(value, lang) if value else t("compare_none", lang)
