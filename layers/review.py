"""Import preview: uploaded rows on the map, coloured by their validation status."""

from __future__ import annotations

import math
from typing import Any

import folium
import geopandas as gpd
import numpy as np

from geodata.coords import require_wgs84
from geodata.i18n import Lang, label, t
from geodata.ingest import RowStatus
from geodata.settings import IMPORT_STATUS_COLORS, PREVIEW_POINT_LIMIT, REVIEW_POINT_COLORS
from layers.counties import SafeTooltips, TextGeoJson
from layers.map import base_map, layer_control

# statuses that can have a point (rejected rows are listed, not drawn), with their colours
STATUS_COLORS: dict[RowStatus, str] = {
    RowStatus(status): colour for status, colour in IMPORT_STATUS_COLORS.items()
}


def status_layer(
    preview: gpd.GeoDataFrame, status: RowStatus, *, lang: Lang = Lang.ZH
) -> folium.FeatureGroup:
    """Build one layer of located preview rows with the given status colour.

    Parameters
    ----------
    preview : geopandas.GeoDataFrame
        ``ImportResult.preview`` (EPSG:4326) with ``row``, ``status``, ``name_zh``.
    status : RowStatus
        A key of :data:`STATUS_COLORS`.
    lang : Lang
        Label language.

    Returns
    -------
    folium.FeatureGroup
        At most :data:`PREVIEW_POINT_LIMIT` circle markers; row names are
        bound as text (never HTML or script), whatever the spreadsheet holds.
    """
    # only rows with a real point (none, empty or nan points are listed, not drawn)
    drawable = np.isfinite(preview.geometry.x) & np.isfinite(preview.geometry.y)
    located = preview[(preview["status"] == status.value) & drawable]
    rows = located.head(PREVIEW_POINT_LIMIT)
    name = label(status, lang)
    group = folium.FeatureGroup(name=f"{name} ({len(located)})")
    tips = [f"{t('row', lang)} {r}: {n}" for r, n in zip(rows["row"], rows["name_zh"], strict=True)]
    points = gpd.GeoDataFrame({"tip": tips, "status": status.value}, geometry=rows.geometry.values)
    geo = TextGeoJson(
        points.__geo_interface__,
        marker=folium.CircleMarker(radius=5, fill=True, fill_opacity=0.8, weight=1),
        style_function=status_style,
    )
    geo.add_child(SafeTooltips())
    group.add_child(geo)
    return group


def status_style(feature: dict[str, Any]) -> dict[str, Any]:
    """Colour a preview point by its row status."""
    colour = STATUS_COLORS[RowStatus(feature["properties"]["status"])]
    return {"color": colour, "fillColor": colour}


def status_map(
    preview: gpd.GeoDataFrame, counties: gpd.GeoDataFrame, *, lang: Lang = Lang.ZH
) -> folium.Map:
    """Build the import preview map: counties plus accepted / warning rows.

    Parameters
    ----------
    preview : geopandas.GeoDataFrame
        ``ImportResult.preview`` in EPSG:4326.
    counties : geopandas.GeoDataFrame
        County polygons in EPSG:4326.
    lang : Lang
        Label language.

    Returns
    -------
    folium.Map
    """
    require_wgs84(preview, what="preview")
    m = base_map(counties, lang=lang)
    for status in STATUS_COLORS:
        status_layer(preview, status, lang=lang).add_to(m)
    layer_control().add_to(m)
    return m


def review_map(
    counties: gpd.GeoDataFrame,
    *,
    current: tuple[float, float],
    picked: tuple[float | None, float | None],
    lang: Lang = Lang.ZH,
) -> folium.Map:
    """Build the review map: counties, the project's current point and the picked point.

    Parameters
    ----------
    counties : geopandas.GeoDataFrame
        County polygons in EPSG:4326.
    current : tuple of float
        (lon, lat) stored for the project, WGS-84; NaN when it has none.
    picked : tuple of float or None
        (lon, lat) about to be saved, WGS-84; ``None`` when nothing is picked.
    lang : Lang
        Label language.

    Returns
    -------
    folium.Map
    """
    m = base_map(counties, lang=lang)
    lon, lat = current
    if not (math.isnan(lon) or math.isnan(lat)):
        folium.CircleMarker(
            [lat, lon],
            radius=7,
            color=REVIEW_POINT_COLORS["current"],
            fill=True,
            tooltip=t("current_point", lang),
        ).add_to(m)
    lon, lat = picked
    if lon is not None and lat is not None:
        folium.CircleMarker(
            [lat, lon],
            radius=7,
            color=REVIEW_POINT_COLORS["picked"],
            fill=True,
            tooltip=t("picked_point", lang),
        ).add_to(m)
    return m
