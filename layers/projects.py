"""Project layers: one compact, client-side clustered layer per category.

Per-point ``folium.Marker`` objects do not scale to tens of thousands of
projects. Each category layer is instead one :class:`ProjectLayer` element
that embeds its points compactly (coordinates quantised to 1e-5 degrees,
sorted, delta- and varint-encoded, base64-packed; one small integer per
point into a table of (subcategory, precision, stage); ids as prefix plus a
delta-coded number) and a small script (``static/cz/projects.js``) that
decodes them, clusters them with supercluster and draws only the current
viewport. Clusters are kept per category; projects that share a location are
spiderfied at the deepest zoom.

Names, companies and sentences are sent only when a layer has at most
``DETAIL_POINT_LIMIT`` points; above that the popup shows the id, category,
subcategory, stage and precision, and the app shows details from the click.
The app sends names only (``names_only``): the other details are shown beside
the map on a click, so they need not travel with every rerun.
"""

from __future__ import annotations

import base64
import math
from collections.abc import Sequence
from enum import StrEnum
from typing import TYPE_CHECKING, Any, NamedTuple

import folium
import numpy as np
import pandas as pd
from folium.elements import JSCSSMixin
from jinja2 import Template

from geodata.coords import CoordSystem, convert_frame, require_wgs84
from geodata.i18n import Lang, county_name, label, t
from geodata.schema import APPROXIMATE_PRECISIONS, Category, Precision, Stage, Subcategory
from geodata.settings import (
    CATEGORY_COLORS,
    CATEGORY_SYMBOLS,
    DETAIL_POINT_LIMIT,
    MAP_MARKER_COLORS,
)
from layers._assets import VerbatimElement, js_source, js_url, script_json

if TYPE_CHECKING:
    import geopandas as gpd

COORD_SCALE = 100_000
_DIGITS = "0123456789"
# longer numbers would not survive JavaScript's doubles
_MAX_ID_DIGITS = 15
# popup labels the script needs, by the key it uses
_POPUP_KEYS = {
    "company": "field_company",
    "county": "field_county",
    "category": "field_category",
    "subcategory": "field_subcategory",
    "stage": "field_stage",
    "investment": "field_investment",
    "capacity": "field_capacity",
    "precision": "field_precision",
    "source": "field_source",
    "details_in_panel": "details_in_panel",
    "spider_shown": "spider_shown",
    "not_stated": "not_stated",
}


class PointStatus(NamedTuple):
    """A status of each point of a layer, drawn as its colour (the progress view).

    Attributes
    ----------
    codes : numpy.ndarray
        One index into ``table`` per row of the layer's frame, in frame order.
    table : sequence of (str, str, int)
        Colour, label and rank of each status; a cluster shows the colour of
        the highest rank among its points.
    label : str
        Popup row heading (e.g. 序时进度).
    """

    codes: np.ndarray
    table: Sequence[tuple[str, str, int]]
    label: str


def format_investment(yi: float, lang: Lang = Lang.ZH) -> str:
    """Format an investment given in 亿元 for a popup or table.

    Parameters
    ----------
    yi : float
        Amount in 亿元 (100 million CNY); NaN when not stated.
    lang : Lang
        Output language.

    Returns
    -------
    str
        ``"5.39亿元"``, ``"3,500万元"`` below 1亿 (Chinese) or
        ``"CNY 539 million"`` (English); ``""`` when not stated.
    """
    if yi is None or not math.isfinite(yi):
        return ""
    million = f"{yi * 100:,.{0 if yi * 100 >= 10 else 1}f}"
    if abs(yi) >= 1:
        yi_text = f"{yi:,.2f}".rstrip("0").rstrip(".")
        return t("amount_yi", lang, yi=yi_text, million=million)
    return t("amount_wan", lang, wan=f"{yi * 10_000:,.0f}", million=million)


def format_capacity(value: float, unit: str, text: str) -> str:
    """Format a capacity: the report's wording if any, else value and unit.

    Parameters
    ----------
    value : float
        Number, NaN when not stated.
    unit : str
        Unit of ``value``.
    text : str
        The capacity as the report words it.

    Returns
    -------
    str
        Text for display; ``""`` when not stated.
    """
    if text:
        return text
    if value is None or not math.isfinite(value):
        return ""
    return f"{value:g}{unit}"


def layer_name(category: Category, n: int, *, lang: Lang = Lang.ZH) -> str:
    """Return the layer-control name of a category layer.

    Parameters
    ----------
    category : Category
        The layer's category.
    n : int
        Number of projects in the layer.
    lang : Lang
        Label language.

    Returns
    -------
    str
        HTML (Leaflet's layer control shows names as HTML): the category's
        glyph in its colour, label and count, e.g. ``▲ 能源 (1,234)``.
    """
    text = label(category, lang)
    glyph = CATEGORY_SYMBOLS[category.value].glyph
    color = CATEGORY_COLORS[category.value]
    return f'<span class="cz-glyph" style="color:{color}">{glyph}</span> {text} ({n:,})'


def popup_project_id(text: str | None) -> str | None:
    """Return the project id from a popup's text as streamlit-folium returns it.

    The first line of every project popup is the project id, so
    ``st_folium(...)["last_object_clicked_popup"]`` identifies the project.

    Parameters
    ----------
    text : str or None
        The popup's inner text.

    Returns
    -------
    str or None
        The id, or ``None`` when there is no text.
    """
    if not text:
        return None
    first = text.strip().splitlines()[0].strip() if text.strip() else ""
    return first or None


def _varint(values: np.ndarray) -> bytes:
    """Encode signed integers as zigzag LEB128 varints (vectorised)."""
    v = values.astype(np.int64)
    z = ((v << 1) ^ (v >> 63)).astype(np.uint64)
    nbytes = np.ones(len(z), dtype=np.int64)
    for k in range(1, 10):
        nbytes += z >= np.uint64(1 << (7 * k))
    starts = np.cumsum(nbytes) - nbytes
    out = np.empty(int(nbytes.sum()), dtype=np.uint8)
    for k in range(int(nbytes.max(initial=1))):
        sel = nbytes > k
        chunk = (z[sel] >> np.uint64(7 * k)) & np.uint64(0x7F)
        more = (nbytes[sel] > k + 1).astype(np.uint64) << np.uint64(7)
        out[starts[sel] + k] = (chunk | more).astype(np.uint8)
    return out.tobytes()


def _b64_varint(values: np.ndarray) -> str:
    """Base64 text of :func:`_varint`."""
    return base64.b64encode(_varint(values)).decode("ascii")


def _delta(values: np.ndarray) -> np.ndarray:
    """First value, then differences."""
    return np.diff(values, prepend=0) if len(values) else values


def _encode_ids(ids: pd.Series) -> dict[str, Any] | list[str]:
    """Encode ids as prefix + delta-coded numbers, or a plain list."""
    if len(ids) == 0:
        return []
    # one shared prefix, then 1 to 15 ASCII digits (vectorised; no regex per id)
    prefixes = ids.str.rstrip(_DIGITS)
    prefix = str(prefixes.iloc[0])
    if not (prefixes == prefix).all():
        return ids.tolist()
    digits = ids.str.slice(len(prefix))
    widths = digits.str.len().to_numpy()
    if widths.min() < 1 or widths.max() > _MAX_ID_DIGITS:
        return ids.tolist()
    if widths.min() == widths.max():
        width = int(widths[0])
    elif not ((widths > 1) & digits.str.startswith("0").to_numpy(dtype=bool)).any():
        width = 0
    else:
        return ids.tolist()
    nums = digits.astype(np.int64).to_numpy()
    return {"prefix": prefix, "width": width, "num": _b64_varint(_delta(nums))}


def _label(enum: type[StrEnum], value: str, lang: Lang) -> str:
    """Label of an enum value in ``lang``; ``""`` for an unknown value."""
    try:
        return label(enum(value), lang)
    except ValueError:
        return ""


def _code_table(frame: pd.DataFrame, lang: Lang) -> tuple[np.ndarray, list[list[Any]]]:
    """Give each distinct (subcategory, precision, stage) a number and labels."""
    keys = frame[["subcategory", "precision", "stage"]].astype(str)
    combined = keys["subcategory"] + "|" + keys["precision"] + "|" + keys["stage"]
    codes, uniques = pd.factorize(combined)
    table = []
    for key in uniques:
        sub, prec, stage = key.split("|")
        table.append(
            [
                _label(Subcategory, sub, lang),
                _label(Precision, prec, lang),
                _label(Stage, stage, lang),
                prec not in APPROXIMATE_PRECISIONS,
            ]
        )
    return codes.astype(np.int64), table


def _details(frame: pd.DataFrame, lang: Lang, *, names_only: bool) -> dict[str, list[str]]:
    """Per-point texts for popups and tooltips (small layers only)."""
    names = {
        "name_zh": frame["name_zh"].astype(str).tolist(),
        "name_en": frame["name_en"].astype(str).tolist(),
    }
    if names_only:
        return names
    return {
        **names,
        "company": frame["company"].astype(str).tolist(),
        "county": [county_name(a, lang) for a in frame["county_adcode"].astype(str)],
        "invest": [format_investment(v, lang) for v in frame["investment_yi"].astype(float)],
        "capacity": [
            format_capacity(v, u, x)
            for v, u, x in zip(
                frame["capacity_value"].astype(float),
                frame["capacity_unit"].astype(str),
                frame["capacity_text"].astype(str),
                strict=True,
            )
        ],
        "source": frame["source_sentence"].astype(str).tolist(),
    }


def _quantised(gdf: gpd.GeoDataFrame) -> tuple[gpd.GeoDataFrame, np.ndarray, np.ndarray]:
    """Return the located rows in drawing order, their delta-coded points and their positions.

    Points are rounded to :data:`COORD_SCALE` and sorted by longitude, then
    latitude, so the deltas stay small; the positions index ``gdf``'s rows.
    """
    x = gdf.geometry.x.to_numpy()
    y = gdf.geometry.y.to_numpy()
    located = np.flatnonzero(np.isfinite(x) & np.isfinite(y))
    qx = np.round(x[located] * COORD_SCALE).astype(np.int64)
    qy = np.round(y[located] * COORD_SCALE).astype(np.int64)
    order = np.lexsort((qy, qx))
    xy = np.empty(2 * len(order), dtype=np.int64)
    xy[0::2], xy[1::2] = _delta(qx[order]), _delta(qy[order])
    picked = located[order]
    return gdf.iloc[picked], xy, picked


def _status_payload(status: PointStatus | None, picked: np.ndarray) -> dict[str, Any]:
    """Return the payload's status codes and table (empty without a status)."""
    if status is None:
        return {}
    return {
        "status": _b64_varint(np.asarray(status.codes, dtype=np.int64)[picked]),
        "status_table": [list(row) for row in status.table],
    }


def encode_points(
    gdf: gpd.GeoDataFrame,
    category: Category,
    *,
    lang: Lang = Lang.ZH,
    detail_limit: int = DETAIL_POINT_LIMIT,
    status: PointStatus | None = None,
    names_only: bool = False,
) -> dict[str, Any]:
    """Pack one category's projects into the payload the layer script decodes.

    Parameters
    ----------
    gdf : geopandas.GeoDataFrame
        Projects of this category (register columns, point geometry in the
        drawing coordinate system).
    category : Category
        The category, for colour and labels.
    lang : Lang
        Label language.
    detail_limit : int
        Send names and details only up to this many points.
    status : PointStatus, optional
        A status per point (the progress view): points take its colour,
        clusters the colour of their highest-ranked status, popups a row.
    names_only : bool
        Send only the names (tooltips, popup titles); the app shows the other
        details beside the map when a project is clicked.

    Returns
    -------
    dict
        JSON-serialisable payload.
    """
    frame, xy, picked = _quantised(gdf)
    codes, table = _code_table(frame, lang)
    n = len(frame)
    return _status_payload(status, picked) | {
        "cat": category.value,
        # drawing order of overlapping bubbles: energy, industry, livelihood
        "rank": list(Category).index(category),
        "label": label(category, lang),
        "color": CATEGORY_COLORS[category.value],
        "shape": CATEGORY_SYMBOLS[category.value].shape,
        "marker_colors": dict(MAP_MARKER_COLORS),
        "lang": lang.value,
        "n": n,
        "scale": COORD_SCALE,
        "xy": _b64_varint(xy),
        "code": _b64_varint(codes),
        "codes": table,
        "ids": _encode_ids(frame["id"].astype(str).reset_index(drop=True)),
        "detail": _details(frame, lang, names_only=names_only) if n <= detail_limit else None,
        "labels": {key: t(label, lang) for key, label in _POPUP_KEYS.items()}
        | ({"status": status.label} if status is not None else {}),
    }


class ProjectLayer(JSCSSMixin, VerbatimElement):
    """Leaflet layer drawing one category's compact, clustered points.

    Add it to a :class:`folium.FeatureGroup`. The layer script
    (``projects.js``, which defines ``window.CzProjects`` and is idempotent)
    is either written before each layer's own call, so a map saved as one
    file carries it, or linked from the app (:func:`layers._assets.js_url`),
    so the browser loads it once. The payload is decoded when the layer is
    first shown.

    Parameters
    ----------
    payload : dict
        Output of :func:`encode_points`.
    linked : bool
        Link the layer script instead of writing it into the map.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        {{ this.library }}
        var {{ this.get_name() }} = window.CzProjects.layer({{ this.payload }}).addTo(
            {{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self, payload: dict[str, Any], *, linked: bool = False) -> None:
        super().__init__()
        self._name = "ProjectLayer"
        self.payload = script_json(payload)
        self.library = "" if linked else js_source("projects.js")
        self.default_js = [("cz_projects", js_url("projects.js"))] if linked else []
        self.default_css = []


def category_layer(
    gdf: gpd.GeoDataFrame,
    category: Category | str,
    *,
    show: bool = True,
    lang: Lang = Lang.ZH,
    detail_limit: int = DETAIL_POINT_LIMIT,
    linked: bool = False,
    names_only: bool = False,
) -> folium.FeatureGroup:
    """Build the toggleable layer of one category.

    Parameters
    ----------
    gdf : geopandas.GeoDataFrame
        Projects in EPSG:4326 (other categories are left out).
    category : Category or str
        Which category to draw.
    show : bool
        Whether the layer is on when the map opens.
    lang : Lang
        Label language.
    detail_limit : int
        Above this many points popups carry no names or details.
    linked : bool
        Link the layer script (the app) instead of writing it into the map.
    names_only : bool
        Send only names with the points (the app shows details beside the map).

    Returns
    -------
    folium.FeatureGroup
        A feature group holding one :class:`ProjectLayer`.

    Raises
    ------
    ValueError
        If ``gdf`` is not in EPSG:4326.
    """
    require_wgs84(gdf, what="projects")
    category = Category(category)
    subset = gdf[gdf["category"].astype(str) == category.value]
    payload = encode_points(
        subset, category, lang=lang, detail_limit=detail_limit, names_only=names_only
    )
    group = folium.FeatureGroup(
        name=layer_name(category, payload["n"], lang=lang), show=show, overlay=True, control=True
    )
    group.add_child(ProjectLayer(payload, linked=linked))
    return group


def project_layers(
    projects: gpd.GeoDataFrame,
    *,
    lang: Lang = Lang.ZH,
    gcj02: bool = False,
    categories: Sequence[Category | str] | None = None,
    detail_limit: int = DETAIL_POINT_LIMIT,
    linked: bool = False,
    names_only: bool = False,
) -> list[folium.FeatureGroup]:
    """Build one layer per category, ready for ``st_folium(feature_group_to_add=...)``.

    Parameters
    ----------
    projects : geopandas.GeoDataFrame
        Projects (register columns) in EPSG:4326, already filtered.
    lang : Lang
        Label language.
    gcj02 : bool
        Shift points to GCJ-02 for drawing on Amap tiles.
    categories : sequence of Category, optional
        Categories to build layers for (default: all three).
    detail_limit : int
        Above this many points a layer's popups carry no names or details.
    linked : bool
        Link the layer script (the app, which serves ``static/``) instead of
        writing it into every layer.
    names_only : bool
        Send only names with the points: popups then show the id, names,
        category, subcategory, stage and precision, and the app shows the
        other details beside the map when a project is clicked.

    Returns
    -------
    list of folium.FeatureGroup
        In the order of ``categories``.

    Raises
    ------
    ValueError
        If ``projects`` is not in EPSG:4326.
    """
    require_wgs84(projects, what="projects")
    if gcj02:
        projects = convert_frame(projects, src=CoordSystem.WGS84, dst=CoordSystem.GCJ02)
    chosen = [Category(c) for c in (categories if categories is not None else Category)]
    return [
        category_layer(
            projects, c, lang=lang, detail_limit=detail_limit, linked=linked, names_only=names_only
        )
        for c in chosen
    ]
