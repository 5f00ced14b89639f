"""The planners' map: counties, choropleth, legends and the project layers.

:func:`build_map` is the one funnel (validate → build). For Streamlit the
pieces are exposed separately so the app can keep the map's zoom on filter
changes: :func:`base_map` (everything that does not depend on the filters)
goes to ``st_folium`` as the figure, :func:`project_layers` as
``feature_group_to_add`` and :func:`layer_control` as ``layer_control``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import folium

from geodata.coords import CoordSystem, convert_frame, require_wgs84
from geodata.i18n import Lang
from geodata.schema import Category
from geodata.settings import CITY_BBOX, MAP_MAX_ZOOM, MAP_MIN_ZOOM
from layers._assets import VerbatimElement, use_vendored_assets
from layers.basemaps import Basemap, tile_layers
from layers.counties import (
    ChoroplethSpec,
    LabelPane,
    choropleth_layer,
    county_layer,
)
from layers.legend import Legend, MapStyle, ScaleBar, category_legend, choropleth_legend
from layers.projects import project_layers
from layers.shading import shade, summary_values

if TYPE_CHECKING:
    from collections.abc import Sequence

    import geopandas as gpd

__all__ = [
    "Basemap",
    "ChoroplethSpec",
    "Lang",
    "base_map",
    "build_map",
    "layer_control",
    "project_layers",
]


def _blank_map() -> folium.Map:
    """Return a map with no layers yet: zoom limits, vendored assets, map style, label pane."""
    m = folium.Map(
        location=None,
        tiles=None,
        zoom_control=True,
        attribution_control=True,
        maxZoom=MAP_MAX_ZOOM,
        minZoom=MAP_MIN_ZOOM,
        zoomSnap=0.5,
    )
    use_vendored_assets(m)
    m.add_child(MapStyle())
    m.add_child(LabelPane())
    return m


def _shading_legend(
    counties: gpd.GeoDataFrame, choropleth: ChoroplethSpec, *, lang: Lang
) -> Legend:
    """Return the legend of the county shading (classes from :func:`shade`, as on paper)."""
    choice = choropleth.choice
    values = summary_values(choropleth.summary, counties["adcode"].to_numpy(), choice)
    shading = shade(values, metric=choice.metric, lang=lang)
    return choropleth_legend(choice.title(lang), list(shading.legend))


def base_map(
    counties: gpd.GeoDataFrame,
    *,
    basemap: Basemap | str = Basemap.NONE,
    choropleth: ChoroplethSpec | None = None,
    lang: Lang = Lang.ZH,
    tianditu_key: str | None = None,
    categories: Sequence[Category] | None = None,
    legend: bool = True,
) -> folium.Map:
    """Build the map without project points: tiles, counties, legends, scale bar.

    Parameters
    ----------
    counties : geopandas.GeoDataFrame
        County polygons in EPSG:4326 (``geodata.boundaries.load_counties``).
    basemap : Basemap or str
        Tiles under the counties; :attr:`Basemap.NONE` needs no internet.
    choropleth : ChoroplethSpec, optional
        County statistic to fill the counties with.
    lang : Lang
        Label language.
    tianditu_key : str, optional
        Key for :attr:`Basemap.TIANDITU`.
    categories : sequence of Category, optional
        Categories listed in the legend (default: all).
    legend : bool
        Add the category legend (the progress view adds its own).

    Returns
    -------
    folium.Map
        Loads only vendored JS/CSS from ``/app/static/vendor``.

    Raises
    ------
    ValueError
        On a CRS mismatch, or Tianditu without a key.
    """
    require_wgs84(counties, what="counties")
    basemap = Basemap(basemap)
    tiles = tile_layers(basemap, tianditu_key=tianditu_key)
    if basemap.coord_system is CoordSystem.GCJ02:
        counties = convert_frame(counties, src=CoordSystem.WGS84, dst=CoordSystem.GCJ02)
    m = _blank_map()
    # the view first: layers added after it are projected (and tiles fetched) once, for it
    minx, miny, maxx, maxy = counties.total_bounds if len(counties) else CITY_BBOX
    m.fit_bounds([[miny, minx], [maxy, maxx]])
    for layer in tiles:
        layer.add_to(m)
    if choropleth is not None:
        shaded = choropleth_layer(counties, choropleth.summary, choice=choropleth.choice, lang=lang)
        shaded.add_to(m)
    fill = choropleth is None and basemap is Basemap.NONE
    county_layer(counties, labels=True, lang=lang, fill=fill).add_to(m)
    m.add_child(ScaleBar())
    if legend:
        m.add_child(category_legend(lang=lang, categories=categories))
    if choropleth is not None:
        m.add_child(_shading_legend(counties, choropleth, lang=lang))
    return m


class TextLayerControl(folium.LayerControl, VerbatimElement):
    """A ``folium.LayerControl`` whose script (the layer names) is never compiled again.

    See :class:`~layers._assets.VerbatimElement`.
    """


def layer_control() -> folium.LayerControl:
    """Return the layer control (expanded, so it needs no icon image).

    Returns
    -------
    folium.LayerControl
        Add it last (or pass it to ``st_folium(layer_control=...)``).
    """
    return TextLayerControl(collapsed=False, position="topright")


def build_map(
    projects: gpd.GeoDataFrame,
    counties: gpd.GeoDataFrame,
    *,
    basemap: Basemap | str = Basemap.NONE,
    choropleth: ChoroplethSpec | None = None,
    lang: Lang = Lang.ZH,
    tianditu_key: str | None = None,
    categories: Sequence[Category] | None = None,
) -> folium.Map:
    """Build the complete map: base map, one layer per category, layer control.

    Parameters
    ----------
    projects : geopandas.GeoDataFrame
        Projects (register columns) in EPSG:4326, already filtered.
    counties : geopandas.GeoDataFrame
        County polygons in EPSG:4326.
    basemap : Basemap or str
        Tiles; Amap shifts points and boundaries to GCJ-02 when drawn.
    choropleth : ChoroplethSpec, optional
        County statistic to fill the counties with.
    lang : Lang
        Label language.
    tianditu_key : str, optional
        Key for :attr:`Basemap.TIANDITU`.
    categories : sequence of Category, optional
        Category layers to build (default: all three).

    Returns
    -------
    folium.Map
        ``m.get_root().render()`` gives a page that needs only ``/app/static``.

    Raises
    ------
    ValueError
        If a frame is not in EPSG:4326, or Tianditu is chosen without a key.
    """
    # base_map checks the counties
    require_wgs84(projects, what="projects")
    basemap = Basemap(basemap)
    m = base_map(
        counties,
        basemap=basemap,
        choropleth=choropleth,
        lang=lang,
        tianditu_key=tianditu_key,
        categories=categories,
    )
    gcj02 = basemap.coord_system is CoordSystem.GCJ02
    for group in project_layers(projects, lang=lang, gcj02=gcj02, categories=categories):
        group.add_to(m)
    layer_control().add_to(m)
    return m
