"""County layers: outlines with name labels, and a graduated choropleth.

The choropleth reads its numbers from a county summary frame indexed by
adcode with columns ``count_<cat>``, ``invest_<cat>``, ``count_all`` and
``invest_all`` (``geodata.join.county_summary``); classes are quantiles of
the twelve values, coloured from ``CHOROPLETH_COLORS``.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Any

import folium
import numpy as np
import shapely
from branca.element import MacroElement
from jinja2 import Template

from geodata.coords import require_wgs84
from geodata.schema import Category
from geodata.settings import (
    CHOROPLETH_COLORS,
    COUNTY_FILL_COLOR,
    COUNTY_LINE_COLOR,
    NO_DATA_COLOR,
)
from layers._assets import script_json
from layers.i18n import Lang, t

if TYPE_CHECKING:
    import geopandas as gpd
    import pandas as pd

SIMPLIFY_DEG = 0.0005


class Metric(StrEnum):
    """What a county choropleth shows.

    ``Metric("investment")`` is accepted for :attr:`INVEST`, the word the
    snapshot CLI and the print maps use.
    """

    COUNT = "count"
    INVEST = "invest"

    @classmethod
    def _missing_(cls, value: object) -> Metric | None:
        """Look up an alias (``"investment"``) of a metric."""
        return _METRIC_ALIASES.get(str(value).strip().lower())


_METRIC_ALIASES: dict[str, Metric] = {"investment": Metric.INVEST}


@dataclass(frozen=True, eq=False)
class ChoroplethSpec:
    """A county choropleth: the summary frame and what to show from it.

    Attributes
    ----------
    summary : pandas.DataFrame
        Indexed by adcode; columns ``count_<cat>``, ``invest_<cat>``,
        ``count_all``, ``invest_all``.
    metric : Metric
        Project count or total investment (亿元).
    category : Category or None
        One category, or ``None`` for all.
    """

    summary: pd.DataFrame
    metric: Metric = Metric.COUNT
    category: Category | None = None


def summary_column(metric: Metric | str, category: Category | str | None) -> str:
    """Return the summary column for a metric and category.

    Parameters
    ----------
    metric : Metric or str
        ``"count"`` or ``"invest"``.
    category : Category or str or None
        A category, or ``None`` for all.

    Returns
    -------
    str
        E.g. ``"invest_energy"`` or ``"count_all"``.
    """
    suffix = Category(category).value if category is not None else "all"
    return f"{Metric(metric).value}_{suffix}"


def metric_title(metric: Metric | str, category: Category | str | None, lang: Lang | str) -> str:
    """Return a legend title such as ``"项目数 · 能源"``.

    Parameters
    ----------
    metric : Metric or str
        What is shown.
    category : Category or str or None
        A category, or ``None`` for all.
    lang : Lang or str
        Label language.

    Returns
    -------
    str
        The title.
    """
    lang = Lang(lang)
    what = t("metric_count" if Metric(metric) is Metric.COUNT else "metric_invest", lang)
    if category is None:
        return f"{what} · {t('all_categories', lang)}"
    cat = Category(category)
    return f"{what} · {cat.zh if lang is Lang.ZH else cat.en}"


def class_breaks(values: np.ndarray, *, k: int = len(CHOROPLETH_COLORS)) -> np.ndarray:
    """Return class edges for a graduated choropleth.

    Class ``i`` holds values in ``(e[i], e[i+1]]`` (the first class also
    its lower edge). Edges are quantiles; when some counties have zero and
    others more, zero gets a class of its own (edges ``0, 0, ...``) and the
    positive values are split into ``k - 1`` quantile classes, so that a
    few counties with projects are not lumped with the many without.

    Parameters
    ----------
    values : numpy.ndarray
        Values, one per county (NaN ignored).
    k : int
        Largest number of classes.

    Returns
    -------
    numpy.ndarray
        Non-decreasing edges ``e0 <= e1 < ... < em`` (``m <= k`` classes);
        a single value gives one class ``[v, v]``.
    """
    finite = np.asarray(values, dtype=float)
    finite = finite[np.isfinite(finite)]
    if finite.size == 0:
        return np.array([0.0, 0.0])
    positive = finite[finite > 0]
    if positive.size and positive.size < finite.size and finite.min() == 0:
        upper = np.unique(np.quantile(positive, np.linspace(0, 1, k)))[1:]
        if upper.size == 0:
            upper = positive[:1]
        return np.concatenate([[0.0, 0.0], upper])
    edges = np.unique(np.quantile(finite, np.linspace(0, 1, k + 1)))
    if edges.size == 1:
        return np.array([edges[0], edges[0]])
    return edges


def class_colors(n_classes: int) -> list[str]:
    """Pick ``n_classes`` colours spread over ``CHOROPLETH_COLORS``.

    Parameters
    ----------
    n_classes : int
        Number of classes.

    Returns
    -------
    list of str
        Light to dark.
    """
    last = len(CHOROPLETH_COLORS) - 1
    if n_classes <= 1:
        return [CHOROPLETH_COLORS[last // 2]]
    picks = np.linspace(0, last, n_classes).round().astype(int)
    return [CHOROPLETH_COLORS[i] for i in picks]


def classify(values: np.ndarray, edges: np.ndarray) -> np.ndarray:
    """Return the class index of each value (-1 for NaN).

    Parameters
    ----------
    values : numpy.ndarray
        Values to classify.
    edges : numpy.ndarray
        Output of :func:`class_breaks`.

    Returns
    -------
    numpy.ndarray
        Integers in ``0 .. len(edges) - 2``.
    """
    values = np.asarray(values, dtype=float)
    idx = np.searchsorted(edges[1:], values, side="left").clip(0, len(edges) - 2)
    return np.where(np.isfinite(values), idx, -1)


def class_label(lo: float, hi: float, metric: Metric | str) -> str:
    """Return the legend text of a class, e.g. ``"3 – 12"`` or ``"0"``.

    Parameters
    ----------
    lo, hi : float
        Smallest and largest value in the class.
    metric : Metric or str
        Which metric the values are.

    Returns
    -------
    str
        The range, or the single value of a one-value class.
    """
    if lo == hi:
        return format_value(lo, metric)
    return f"{format_value(lo, metric)} – {format_value(hi, metric)}"


def format_value(value: float, metric: Metric | str) -> str:
    """Format a county value for labels and the legend.

    Parameters
    ----------
    value : float
        Count or 亿元.
    metric : Metric or str
        Which metric the value is.

    Returns
    -------
    str
        ``"1,234"`` for counts, ``"56.7"`` for 亿元; ``""`` for NaN.
    """
    if not math.isfinite(value):
        return ""
    if Metric(metric) is Metric.COUNT or value == 0:
        return f"{value:,.0f}"
    return f"{value:,.1f}" if abs(value) < 1000 else f"{value:,.0f}"


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
    column = "name_zh" if lang is Lang.ZH else "name_en"
    return counties[column].astype(str).tolist()


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


class CountyLabels(MacroElement):
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


class SafeTooltips(MacroElement):
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


class LabelPane(MacroElement):
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
    lang: Lang | str = Lang.ZH,
    fill: bool = True,
) -> folium.FeatureGroup:
    """Build the county outlines with name labels.

    Parameters
    ----------
    counties : geopandas.GeoDataFrame
        Output of ``geodata.boundaries.load_counties`` (EPSG:4326).
    labels : bool
        Whether to label each county with its name.
    lang : Lang or str
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
    lang = Lang(lang)
    names = _county_names(counties, lang)
    props = [
        {"adcode": a, "name": n} for a, n in zip(counties["adcode"].astype(str), names, strict=True)
    ]
    group = folium.FeatureGroup(name=t("layer_counties", lang), overlay=True, control=True)
    folium.GeoJson(
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


def county_values(
    counties: gpd.GeoDataFrame,
    summary: pd.DataFrame,
    *,
    metric: Metric | str = Metric.COUNT,
    category: Category | str | None = None,
) -> np.ndarray:
    """Return each county's value from the summary, in the counties' order.

    Parameters
    ----------
    counties : geopandas.GeoDataFrame
        Counties with ``adcode``.
    summary : pandas.DataFrame
        Indexed by adcode, with the column :func:`summary_column` names.
    metric : Metric or str
        Project count or total investment.
    category : Category or str or None
        One category or ``None`` for all.

    Returns
    -------
    numpy.ndarray
        Floats; NaN where the summary has no row.

    Raises
    ------
    KeyError
        If ``summary`` lacks the column.
    """
    column = summary_column(metric, category)
    if column not in summary.columns:
        raise KeyError(f"county summary has no column {column!r}")
    index = summary.index.astype(str)
    series = summary[column].set_axis(index)
    return series.reindex(counties["adcode"].astype(str)).astype(float).to_numpy()


def legend_rows(
    values: np.ndarray, *, metric: Metric | str, lang: Lang | str = Lang.ZH
) -> list[tuple[str, str]]:
    """Return the graduated legend of a choropleth: colour and range text.

    Parameters
    ----------
    values : numpy.ndarray
        County values (output of :func:`county_values`).
    metric : Metric or str
        Which metric the values are.
    lang : Lang or str
        Label language.

    Returns
    -------
    list of (str, str)
        Light to dark, then a no-data row when a county has no value.
    """
    values = np.asarray(values, dtype=float)
    edges = class_breaks(values)
    colors = class_colors(len(edges) - 1)
    classes = classify(values, edges)
    rows = []
    for i, color in enumerate(colors):
        # label each class with the range of the counties in it
        members = values[classes == i]
        lo, hi = (members.min(), members.max()) if members.size else (edges[i], edges[i + 1])
        rows.append((color, class_label(lo, hi, metric)))
    if np.isnan(values).any():
        rows.append((NO_DATA_COLOR, t("no_data", lang)))
    return rows


def choropleth_layer(
    counties: gpd.GeoDataFrame,
    summary: pd.DataFrame,
    *,
    metric: Metric | str = Metric.COUNT,
    category: Category | str | None = None,
    lang: Lang | str = Lang.ZH,
) -> folium.FeatureGroup:
    """Build a county choropleth with text tooltips (name and value).

    Parameters
    ----------
    counties : geopandas.GeoDataFrame
        County polygons (EPSG:4326) with ``adcode``.
    summary : pandas.DataFrame
        Indexed by adcode, with the column :func:`summary_column` names.
    metric : Metric or str
        Project count or total investment.
    category : Category or str or None
        One category or ``None`` for all.
    lang : Lang or str
        Label language.

    Returns
    -------
    folium.FeatureGroup
        Counties filled by class (see :func:`class_breaks`).

    Raises
    ------
    ValueError
        If ``counties`` is not in EPSG:4326.
    KeyError
        If ``summary`` lacks the column.
    """
    require_wgs84(counties, what="counties")
    lang = Lang(lang)
    values = county_values(counties, summary, metric=metric, category=category)
    edges = class_breaks(values)
    colors = class_colors(len(edges) - 1)
    classes = classify(values, edges)
    names = _county_names(counties, lang)
    title = metric_title(metric, category, lang)
    props = []
    for adcode, name, value, cls in zip(counties["adcode"], names, values, classes, strict=True):
        shown = format_value(value, metric) or t("no_data", lang)
        props.append(
            {
                "adcode": str(adcode),
                "fill": colors[cls] if cls >= 0 else NO_DATA_COLOR,
                "tip": f"{name}: {shown} ({title})",
            }
        )
    group = folium.FeatureGroup(
        name=f"{t('layer_choropleth', lang)}: {title}", overlay=True, control=True
    )
    geo = folium.GeoJson(
        _features(counties, props),
        name=title,
        style_function=choropleth_style,
        control=False,
    )
    geo.add_child(SafeTooltips())
    geo.add_to(group)
    return group
