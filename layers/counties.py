"""County layers: outlines with name labels, and a graduated choropleth.

The choropleth reads its numbers from a county summary frame indexed by
adcode with columns ``count_<cat>``, ``invest_<cat>``, ``count_all`` and
``invest_all`` (``geodata.join.county_summary``); classes, fills and the
legend come from :func:`layers.shading.shade`, as on print maps.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import folium
import numpy as np
import shapely
from jinja2 import Template

from geodata.coords import require_wgs84
from geodata.i18n import Lang, county_name, t
from geodata.settings import COUNTY_FILL_COLOR, COUNTY_LINE_COLOR
from layers._assets import VerbatimElement, script_json
from layers.shading import ChoroplethChoice, format_value, shade, summary_values

if TYPE_CHECKING:
    import geopandas as gpd
    import pandas as pd

SIMPLIFY_DEG = 0.0005


@dataclass(frozen=True, eq=False)
class ChoroplethSpec:
    """A county choropleth: the summary frame and what to shade by.

    Attributes
    ----------
    summary : pandas.DataFrame
        Indexed by adcode; columns ``count_<cat>``, ``invest_<cat>``,
        ``count_all``, ``invest_all``.
    choice : ChoroplethChoice
        Project count or stated investment, of all projects or one category.
    """

    summary: pd.DataFrame
    choice: ChoroplethChoice = field(default_factory=ChoroplethChoice)


def _round_coords(coords: np.ndarray) -> np.ndarray:
    """Round coordinates to 1e-5 degrees."""
    return np.round(coords, 5)


def _features(counties: gpd.GeoDataFrame, props: list[dict[str, Any]]) -> dict[str, Any]:
    """GeoJSON of simplified county polygons with the given properties."""
    geoms = shapely.simplify(counties.geometry.to_numpy(), SIMPLIFY_DEG, preserve_topology=True)
    geoms = shapely.transform(geoms, _round_coords)
    return {
        "type": "FeatureCollection",
        "features": [
            {"type": "Feature", "properties": p, "geometry": shapely.geometry.mapping(g)}
            for p, g in zip(props, geoms, strict=True)
        ],
    }


def _county_names(counties: gpd.GeoDataFrame, lang: Lang) -> list[str]:
    """County names in ``lang``."""
    return [county_name(a, lang) for a in counties["adcode"].astype(str)]


def outline_style(feature: dict[str, Any], *, fill: bool) -> dict[str, Any]:
    """Style of a county outline (plain fill on the no-tiles basemap).

    Parameters
    ----------
    feature : dict
        GeoJSON feature (unused; one style for all counties).
    fill : bool
        Whether to fill counties with ``COUNTY_FILL_COLOR``.

    Returns
    -------
    dict
        Leaflet path options.
    """
    return {
        "color": COUNTY_LINE_COLOR,
        "weight": 1.5,
        "fillColor": COUNTY_FILL_COLOR,
        "fillOpacity": 0.85 if fill else 0.0,
    }


def choropleth_style(feature: dict[str, Any]) -> dict[str, Any]:
    """Style of a choropleth county: its class colour.

    Parameters
    ----------
    feature : dict
        GeoJSON feature whose properties hold ``fill``.

    Returns
    -------
    dict
        Leaflet path options.
    """
    return {
        "color": COUNTY_LINE_COLOR,
        "weight": 0.5,
        "fillColor": feature["properties"]["fill"],
        "fillOpacity": 0.8,
    }


class CountyLabels(VerbatimElement):
    """Permanent, non-interactive county name labels (text set with textContent).

    Parameters
    ----------
    labels : list of (str, float, float)
        Text, latitude, longitude.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function (items, parent) {
            items.forEach(function (it) {
                var span = document.createElement("span");
                span.className = "cz-county-label";
                span.textContent = it[0];
                L.marker([it[1], it[2]], {
                    icon: L.divIcon({
                        html: span, className: "cz-county-label-icon", iconSize: null}),
                    interactive: false, keyboard: false, pane: "czLabels"
                }).addTo(parent);
            });
        })({{ this.labels }}, {{ this._parent.get_name() }});
        {% endmacro %}
        {% macro header(this, kwargs) %}{% endmacro %}
        """
    )

    def __init__(self, labels: list[tuple[str, float, float]]) -> None:
        super().__init__()
        self._name = "CountyLabels"
        self.labels = script_json([[s, round(la, 5), round(lo, 5)] for s, la, lo in labels])


class SafeTooltips(VerbatimElement):
    """Bind each feature's ``tip`` property as a text-only sticky tooltip."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        {{ this._parent.get_name() }}.eachLayer(function (layer) {
            var span = document.createElement("span");
            span.textContent = layer.feature.properties.tip;
            layer.bindTooltip(span, {sticky: true});
        });
        {% endmacro %}
        """
    )

    def __init__(self) -> None:
        super().__init__()
        self._name = "SafeTooltips"


class TextGeoJson(folium.GeoJson, VerbatimElement):
    """A ``folium.GeoJson`` whose rendered script is never compiled as a template again.

    Feature properties may hold text that is not ours (an import preview's row
    names); folium writes them into the script once, as JSON, and
    :class:`~layers._assets.VerbatimElement` keeps that script as it is.
    """


class LabelPane(VerbatimElement):
    """Create the pane of county labels: above points, letting clicks through."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        if (!{{ this._parent.get_name() }}.getPane("czLabels")) {
            var p = {{ this._parent.get_name() }}.createPane("czLabels");
            p.style.zIndex = 460;
            p.style.pointerEvents = "none";
        }
        {% endmacro %}
        """
    )

    def __init__(self) -> None:
        super().__init__()
        self._name = "LabelPane"


def county_layer(
    counties: gpd.GeoDataFrame,
    *,
    labels: bool = True,
    lang: Lang = Lang.ZH,
    fill: bool = True,
) -> folium.FeatureGroup:
    """Build the county outlines with name labels.

    Parameters
    ----------
    counties : geopandas.GeoDataFrame
        Output of ``geodata.boundaries.load_counties`` (EPSG:4326).
    labels : bool
        Whether to label each county with its name.
    lang : Lang
        Label language.
    fill : bool
        Fill counties with a plain colour (the no-tiles basemap).

    Returns
    -------
    folium.FeatureGroup
        Outlines and labels.

    Raises
    ------
    ValueError
        If ``counties`` is not in EPSG:4326.
    """
    require_wgs84(counties, what="counties")
    names = _county_names(counties, lang)
    props = [
        {"adcode": a, "name": n} for a, n in zip(counties["adcode"].astype(str), names, strict=True)
    ]
    group = folium.FeatureGroup(name=t("layer_counties", lang), overlay=True, control=True)
    TextGeoJson(
        _features(counties, props),
        name=t("layer_counties", lang),
        style_function=functools.partial(outline_style, fill=fill),
        control=False,
        interactive=False,
    ).add_to(group)
    if labels:
        points = counties.geometry.representative_point()
        group.add_child(
            CountyLabels(list(zip(names, points.y.tolist(), points.x.tolist(), strict=True)))
        )
    return group


def choropleth_layer(
    counties: gpd.GeoDataFrame,
    summary: pd.DataFrame,
    *,
    choice: ChoroplethChoice | None = None,
    lang: Lang = Lang.ZH,
) -> folium.FeatureGroup:
    """Build a county choropleth with text tooltips (name and value).

    Parameters
    ----------
    counties : geopandas.GeoDataFrame
        County polygons (EPSG:4326) with ``adcode``.
    summary : pandas.DataFrame
        Indexed by adcode, with the column of ``choice``.
    choice : ChoroplethChoice, optional
        Project count or stated investment, of all projects or one category
        (project count of all projects when ``None``).
    lang : Lang
        Label language.

    Returns
    -------
    folium.FeatureGroup
        Counties filled by class (see :func:`layers.shading.shade`).

    Raises
    ------
    ValueError
        If ``counties`` is not in EPSG:4326.
    KeyError
        If ``summary`` lacks the column.
    """
    require_wgs84(counties, what="counties")
    choice = choice or ChoroplethChoice()
    values = summary_values(summary, counties["adcode"].astype(str).to_numpy(), choice)
    shading = shade(values, metric=choice.metric, lang=lang)
    names = _county_names(counties, lang)
    title = choice.title(lang)
    props = []
    for adcode, name, value, fill in zip(
        counties["adcode"], names, values, shading.fills, strict=True
    ):
        shown = format_value(value, choice.metric) or t("no_data", lang)
        props.append({"adcode": str(adcode), "fill": fill, "tip": f"{name}: {shown} ({title})"})
    group = folium.FeatureGroup(
        name=f"{t('layer_choropleth', lang)}: {title}", overlay=True, control=True
    )
    geo = TextGeoJson(
        _features(counties, props),
        name=title,
        style_function=choropleth_style,
        control=False,
    )
    geo.add_child(SafeTooltips())
    geo.add_to(group)
    return group
