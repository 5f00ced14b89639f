"""The view in the URL: query parameters to widget state once per session, and back.

A planner's link reopens the same filters, language, basemap, county
shading, month, map view and comparison month; a value this installation
cannot show falls back to the default.
"""

from __future__ import annotations

import streamlit as st

from app import config, progress_sidebar, state
from app.state import Keys
from geodata.filters import ProjectFilter
from geodata.i18n import Lang
from layers.basemaps import Basemap
from layers.shading import CHOROPLETH_OFF, ChoroplethChoice

# query parameters of the view besides the filter's own
LANG_PARAM = "lang"
BASEMAP_PARAM = "basemap"
CHOROPLETH_PARAM = "choro"


def basemap_options() -> list[str]:
    """Basemaps this installation can draw (Tianditu only with a key)."""
    return [b.value for b in Basemap if b is not Basemap.TIANDITU or config.tianditu_key()]


def choropleth_options() -> list[str]:
    """Return the choropleth choices as URL values: off, or ``metric:category``."""
    return [CHOROPLETH_OFF, *(c.to_param() for c in ChoroplethChoice.options())]


def init_from_url() -> None:
    """Seed widget state from the URL once per session."""
    ss = st.session_state
    if ss.get(Keys.URL_LOADED):
        return
    params = dict(st.query_params)
    flt = ProjectFilter.from_query_params(params)
    state.set_lang(Lang.from_link(params.get(LANG_PARAM)))
    ss[Keys.CATEGORIES] = list(flt.categories)
    ss[Keys.SUBCATEGORIES] = list(flt.subcategories)
    ss[Keys.COUNTIES] = list(flt.counties)
    ss[Keys.STAGES] = list(flt.stages)
    ss[Keys.INVEST_MIN] = flt.invest_min
    ss[Keys.INVEST_MAX] = flt.invest_max
    ss[Keys.QUERY] = flt.query
    basemap = params.get(BASEMAP_PARAM, Basemap.NONE.value)
    ss[Keys.BASEMAP] = basemap if basemap in basemap_options() else Basemap.NONE.value
    choro = params.get(CHOROPLETH_PARAM, CHOROPLETH_OFF)
    ss[Keys.CHOROPLETH] = choro if choro in choropleth_options() else CHOROPLETH_OFF
    progress_sidebar.seed_from_url(params)
    ss[Keys.URL_LOADED] = True


def write_url(flt: ProjectFilter) -> None:
    """Put the current view into the URL so a link reopens it."""
    ss = st.session_state
    params = flt.to_query_params()
    # a link leaves out the language a bare link gives
    if state.lang() is not Lang.from_link(None):
        params[LANG_PARAM] = state.lang().value
    if ss.get(Keys.BASEMAP, Basemap.NONE.value) != Basemap.NONE.value:
        params[BASEMAP_PARAM] = ss[Keys.BASEMAP]
    if ss.get(Keys.CHOROPLETH, CHOROPLETH_OFF) != CHOROPLETH_OFF:
        params[CHOROPLETH_PARAM] = ss[Keys.CHOROPLETH]
    params |= progress_sidebar.url_params()
    if dict(st.query_params) != params:
        st.query_params.from_dict(params)
