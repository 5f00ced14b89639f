"""Import preview: uploaded rows on the map, coloured by their validation status."""

from __future__ import annotations

import html
import math

import folium
import geopandas as gpd

from geodata.coords import require_wgs84
from geodata.ingest import RowStatus
from layers.i18n import Lang, t
from layers.map import base_map, layer_control

# colours of the statuses that can have a point (rejected rows are listed, not drawn)
STATUS_COLORS: dict[RowStatus, str] = {
    RowStatus.ACCEPTED: "#2b8a3e",
    RowStatus.WARNINGS: "#f08c00",
    RowStatus.NEEDS_REVIEW: "#c92a2a",
}
PREVIEW_POINT_LIMIT = 3000


def status_layer(
    preview: gpd.GeoDataFrame, status: RowStatus, *, lang: Lang | str = Lang.ZH
) -> folium.FeatureGroup:
    """Build one layer of located preview rows with the given status colour.

    Parameters
    ----------
    preview : geopandas.GeoDataFrame
        ``ImportResult.preview`` (EPSG:4326) with ``row``, ``status``, ``name_zh``.
    status : RowStatus
        A key of :data:`STATUS_COLORS`.
    lang : Lang or str
        Label language.

    Returns
    -------
    folium.FeatureGroup
        At most :data:`PREVIEW_POINT_LIMIT` circle markers; names escaped.
    """
    lang = Lang(lang)
    located = preview[(preview["status"] == status.value) & preview.geometry.notna()]
    rows = located.head(PREVIEW_POINT_LIMIT)
    label = t(f"status_{status.value}", lang)
    group = folium.FeatureGroup(name=f"{label} ({len(located)})")
    for row_no, name, geom in zip(rows["row"], rows["name_zh"], rows.geometry, strict=True):
        folium.CircleMarker(
            location=[geom.y, geom.x],
            radius=5,
            color=STATUS_COLORS[status],
            fill=True,
            fill_opacity=0.8,
            weight=1,
            tooltip=html.escape(f"{t('row', lang)} {row_no}: {name}"),
        ).add_to(group)
    return group


def status_map(
    preview: gpd.GeoDataFrame, counties: gpd.GeoDataFrame, *, lang: Lang | str = Lang.ZH
) -> folium.Map:
    """Build the import preview map: counties plus accepted / warning rows.

    Parameters
    ----------
    preview : geopandas.GeoDataFrame
        ``ImportResult.preview`` in EPSG:4326.
    counties : geopandas.GeoDataFrame
        County polygons in EPSG:4326.
    lang : Lang or str
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
    lang: Lang | str = Lang.ZH,
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
    lang : Lang or str
        Label language.

    Returns
    -------
    folium.Map
    """
    m = base_map(counties, lang=lang)
    lon, lat = current
    if not (math.isnan(lon) or math.isnan(lat)):
        folium.CircleMarker(
            [lat, lon], radius=7, color="#868e96", fill=True, tooltip=t("current_point", lang)
        ).add_to(m)
    lon, lat = picked
    if lon is not None and lat is not None:
        folium.CircleMarker(
            [lat, lon], radius=7, color="#c92a2a", fill=True, tooltip=t("picked_point", lang)
        ).add_to(m)
    return m
