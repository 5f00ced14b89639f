"""The map by progress: county shading and legends on the base map, status-coloured points."""

from __future__ import annotations

import folium
import geopandas as gpd

from app import data, progress_data
from app.progress_data import ProgressView
from geodata.coords import CoordSystem, convert_frame
from geodata.i18n import Lang
from layers.progress import progress_layers, progress_legend, progress_shading, shading_legend


def progress_parts(
    m: folium.Map,
    selection: gpd.GeoDataFrame,
    pv: ProgressView,
    *,
    lang: Lang,
    gcj02: bool,
) -> list[folium.FeatureGroup]:
    """Shade the counties and add the legends to ``m``; return the status-coloured layers."""
    counties = data.counties()
    if gcj02:
        counties = convert_frame(counties, src=CoordSystem.WGS84, dst=CoordSystem.GCJ02)
    ranking = progress_data.ranking(selection, pv)
    progress_shading(counties, ranking, lang=lang).add_to(m)
    m.add_child(progress_legend(lang=lang))
    m.add_child(shading_legend(lang=lang))
    return progress_layers(selection, pv.month, lang=lang, gcj02=gcj02)
