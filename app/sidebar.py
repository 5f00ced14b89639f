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
    subs_allowed = [
        s.value for s in Subcategory if s.category is not None and (not cats or s.category in cats)
    ]
    # a subcategory of a category no longer chosen is dropped
    chosen = st.session_state.get(Keys.SUBCATEGORIES, [])
    st.session_state[Keys.SUBCATEGORIES] = [s for s in chosen if s in subs_allowed]
    subs = _enum_picker(
        t("field_subcategory", lang), Subcategory, subs_allowed, key=Keys.SUBCATEGORIES, lang=lang
    )
    counties = sb.multiselect(
        t("field_county", lang),
        [d.adcode for d in DIVISIONS],
        key=Keys.COUNTIES,
        format_func=partial(county_label, lang=lang),
        placeholder=t("all", lang),
    )
    stages = _enum_picker(
        t("field_stage", lang), Stage, [s.value for s in Stage], key=Keys.STAGES, lang=lang
    )
    c1, c2 = sb.columns(2)
    lo = c1.number_input(t("invest_min", lang), min_value=0.0, step=1.0, key=Keys.INVEST_MIN)
    hi = c2.number_input(t("invest_max", lang), min_value=0.0, step=1.0, key=Keys.INVEST_MAX)
    query = sb.text_input(t("search", lang), key=Keys.QUERY, max_chars=100)
    return ProjectFilter(
        categories=tuple(cats),
        subcategories=tuple(subs),
        counties=tuple(counties),
        stages=tuple(stages),
        invest_min=lo,
        invest_max=hi,
        query=query.strip(),
    )


def map_options(lang: Lang) -> tuple[Basemap, str]:
    """Draw the basemap and choropleth pickers."""
    sb = st.sidebar
    sb.subheader(t("map_options", lang))
    basemap = sb.selectbox(
        t("basemap", lang),
        basemap_options(),
        key=Keys.BASEMAP,
        format_func=partial(basemap_label, lang=lang),
    )
    choro = sb.selectbox(
        t("choropleth", lang),
        choropleth_options(),
        key=Keys.CHOROPLETH,
        format_func=partial(choropleth_label, lang=lang),
    )
    return Basemap(basemap), choro
