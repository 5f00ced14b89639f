"""Plain streamlit-folium app: every project a ``folium.Marker`` with popup and tooltip.

The markers sit in a ``MarkerCluster``; run by :mod:`bench.bench_app_browser`.
"""

from __future__ import annotations

import folium
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

st.set_page_config(page_title="项目地图 (MarkerCluster)", layout="wide")
projects = load_projects()
chosen = sidebar_selection(projects)
st.title("项目地图")
st.caption(f"{len(chosen):,} 个项目")
m = offline_map(projects)
cluster = folium.plugins.MarkerCluster(name="项目")
use_vendored_cluster(cluster)
for row in chosen.itertuples(index=False):
    folium.Marker(
        [row.lat, row.lon],
        popup=folium.Popup(f"{row.name_zh}<br>{row.county}<br>{row.investment_yi} 亿元"),
        tooltip=row.name_zh,
    ).add_to(cluster)
cluster.add_to(m)
st_folium(m, height=MAP_HEIGHT, use_container_width=True, returned_objects=["last_object_clicked"])
