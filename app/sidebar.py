"""The sidebar a planner uses: language switch, filters and map options."""

from __future__ import annotations

from functools import partial

import streamlit as st

from app import state
from app.labels import choropleth_label, county_label, enum_label
from app.state import Keys
from app.url import basemap_options, choropleth_options
from geodata.divisions import DIVISIONS
from geodata.filters import ProjectFilter
from geodata.i18n import Lang, t
from geodata.schema import Category, Stage, Subcategory
from layers.basemaps import Basemap, basemap_label
from layers.shading import CHOROPLETH_OFF


def language_switch() -> None:
    """Chinese by default, English on request."""
    st.sidebar.toggle(
        "English", key=Keys.ENGLISH, value=state.lang() is Lang.EN, on_change=_flip_lang
    )


def _flip_lang() -> None:
    """Apply the language toggle."""
    state.set_lang(Lang.EN if st.session_state[Keys.ENGLISH] else Lang.ZH)


def _enum_picker(label: str, enum: type, options: list[str], *, key: str, lang: Lang) -> list[str]:
    """Draw one multiselect of enum values (none chosen: all)."""
    return st.sidebar.multiselect(
        label,
        options,
        key=key,
        format_func=partial(enum_label, enum=enum, lang=lang),
        placeholder=t("all", lang),
    )


def filters(lang: Lang) -> ProjectFilter:
    """Draw the filter widgets and return the selection they describe."""
    sb = st.sidebar
    sb.subheader(t("filters", lang))
    cats = _enum_picker(
        t("field_category", lang),
        Category,
        [c.value for c in Category],
        key=Keys.CATEGORIES,
        lang=lang,
    )
    allowed = _subcategories_allowed(cats)
    # a subcategory of a category no longer chosen is dropped
    st.session_state[Keys.SUBCATEGORIES] = _chosen_subcategories(allowed)
    _enum_picker(
        t("field_subcategory", lang), Subcategory, allowed, key=Keys.SUBCATEGORIES, lang=lang
    )
    sb.multiselect(
        t("field_county", lang),
        [d.adcode for d in DIVISIONS],
        key=Keys.COUNTIES,
        format_func=partial(county_label, lang=lang),
        placeholder=t("all", lang),
    )
    _enum_picker(
        t("field_stage", lang), Stage, [s.value for s in Stage], key=Keys.STAGES, lang=lang
    )
    c1, c2 = sb.columns(2)
    c1.number_input(t("invest_min", lang), min_value=0.0, step=1.0, key=Keys.INVEST_MIN)
    c2.number_input(t("invest_max", lang), min_value=0.0, step=1.0, key=Keys.INVEST_MAX)
    sb.text_input(t("search", lang), key=Keys.QUERY, max_chars=100)
    return current_filter()


def _subcategories_allowed(categories: list[str]) -> list[str]:
    """Return the subcategories of the chosen categories (of all when none is chosen)."""
    return [
        s.value
        for s in Subcategory
        if s.category is not None and (not categories or s.category in categories)
    ]


def _chosen_subcategories(allowed: list[str]) -> list[str]:
    """Return the chosen subcategories that are still allowed."""
    return [s for s in st.session_state.get(Keys.SUBCATEGORIES, []) if s in allowed]


def current_filter() -> ProjectFilter:
    """Return the selection the filter widgets hold, drawn or not.

    The widgets keep their values in the session (seeded from the URL), so a
    run that has not drawn them yet (a new session's first, see
    :func:`app.map_page.map_page`) shows the same selection they will.
    """
    ss = st.session_state
    categories = list(ss.get(Keys.CATEGORIES, []))
    return ProjectFilter(
        categories=tuple(categories),
        subcategories=tuple(_chosen_subcategories(_subcategories_allowed(categories))),
        counties=tuple(ss.get(Keys.COUNTIES, [])),
        stages=tuple(ss.get(Keys.STAGES, [])),
        invest_min=ss.get(Keys.INVEST_MIN),
        invest_max=ss.get(Keys.INVEST_MAX),
        query=str(ss.get(Keys.QUERY, "")).strip(),
    )


def map_options(lang: Lang) -> tuple[Basemap, str]:
    """Draw the basemap and choropleth pickers."""
    sb = st.sidebar
    sb.subheader(t("map_options", lang))
    sb.selectbox(
        t("basemap", lang),
        basemap_options(),
        key=Keys.BASEMAP,
        format_func=partial(basemap_label, lang=lang),
    )
    sb.selectbox(
        t("choropleth", lang),
        choropleth_options(),
        key=Keys.CHOROPLETH,
        format_func=partial(choropleth_label, lang=lang),
    )
    return current_map_options()


def current_map_options() -> tuple[Basemap, str]:
    """Return the basemap and county shading the pickers hold, drawn or not."""
    ss = st.session_state
    return Basemap(ss.get(Keys.BASEMAP, Basemap.NONE.value)), str(
        ss.get(Keys.CHOROPLETH, CHOROPLETH_OFF)
    )
