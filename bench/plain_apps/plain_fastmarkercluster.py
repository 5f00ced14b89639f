"""Plain streamlit-folium app: the projects as a ``FastMarkerCluster`` (bare points).

The callback makes a default ``L.marker`` (folium's own uses
``L.AwesomeMarkers``, which is not vendored); run by
:mod:`bench.bench_app_browser`.
"""

from __future__ import annotations

import folium.plugins
import streamlit as st
from streamlit_folium import st_folium

from bench.plain_apps._plain import (
    MAP_HEIGHT,
    load_projects,
    offline_map,
    sidebar_selection,
    use_vendored_cluster,
)

CALLBACK = """function (row) {
    return L.marker(new L.LatLng(row[0], row[1]));
}"""

st.set_page_config(page_title="项目地图 (FastMarkerCluster)", layout="wide")
projects = load_projects()
chosen = sidebar_selection(projects)
st.title("项目地图")
st.caption(f"{len(chosen):,} 个项目")
m = offline_map(projects)
cluster = folium.plugins.FastMarkerCluster(
    chosen[["lat", "lon"]].to_numpy().tolist(), callback=CALLBACK, name="项目"
)
use_vendored_cluster(cluster)
cluster.add_to(m)
st_folium(m, height=MAP_HEIGHT, use_container_width=True, returned_objects=["last_object_clicked"])
