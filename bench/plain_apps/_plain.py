"""What a planner's plain streamlit-folium page shares: data, sidebar, an offline map.

The projects come from the GeoPackage named by ``BENCH_PROJECTS`` (written by
:mod:`bench.bench_app_browser`); the sidebar has a category and a county
selectbox. With no internet the map must use our vendored Leaflet,
markercluster and jQuery (folium's popup template calls ``$``), served by
Streamlit from ``./static`` next to the app (a link to the repository's
``static/``), and ``maxZoom`` is set by hand because there is no tile layer.
"""

from __future__ import annotations

import os

import folium
import folium.plugins
import geopandas as gpd
import streamlit as st

VENDOR = "/app/static/vendor"
MAP_JS = [("leaflet", f"{VENDOR}/leaflet/leaflet.js"), ("jquery", f"{VENDOR}/jquery/jquery.min.js")]
MAP_CSS = [("leaflet_css", f"{VENDOR}/leaflet/leaflet.css")]
CLUSTER_JS = [("markerclusterjs", f"{VENDOR}/leaflet.markercluster/leaflet.markercluster.js")]
CLUSTER_CSS = [
    ("markerclustercss", f"{VENDOR}/leaflet.markercluster/MarkerCluster.css"),
    ("markerclusterdefaultcss", f"{VENDOR}/leaflet.markercluster/MarkerCluster.Default.css"),
]
CATEGORIES = {"全部": None, "能源": "energy", "产业": "industry", "民生": "livelihood"}
ALL = "全部"
MAX_ZOOM = 18
MAP_HEIGHT = 620


@st.cache_data(show_spinner=False)
def load_projects() -> gpd.GeoDataFrame:
    """Read the projects GeoPackage once per process."""
    return gpd.read_file(os.environ["BENCH_PROJECTS"])


def sidebar_selection(projects: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Draw the category and county pickers; return the projects they select."""
    category = st.sidebar.selectbox("类别", list(CATEGORIES), key="category")
    counties = [ALL, *sorted(projects["county"].unique())]
    county = st.sidebar.selectbox("县区", counties, key="county")
    chosen = projects
    if CATEGORIES[category] is not None:
        chosen = chosen[chosen["category"] == CATEGORIES[category]]
    if county != ALL:
        chosen = chosen[chosen["county"] == county]
    return chosen


def offline_map(projects: gpd.GeoDataFrame) -> folium.Map:
    """Return a map with no tiles, vendored assets and the view of all projects."""
    m = folium.Map(tiles=None)
    m.default_js = list(MAP_JS)
    m.default_css = list(MAP_CSS)
    # markercluster needs a maxZoom, which a tile layer would otherwise give
    m.options["max_zoom"] = MAX_ZOOM
    m.fit_bounds(
        [
            [float(projects["lat"].min()), float(projects["lon"].min())],
            [float(projects["lat"].max()), float(projects["lon"].max())],
        ]
    )
    return m


def use_vendored_cluster(cluster: folium.plugins.MarkerCluster) -> None:
    """Point a cluster layer at the vendored markercluster files."""
    cluster.default_js = list(CLUSTER_JS)
    cluster.default_css = list(CLUSTER_CSS)
