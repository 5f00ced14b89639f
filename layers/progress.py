"""The progress map: projects coloured by lag status, counties by completion rate.

Points keep their category's shape (▲ ■ ●) and take the colour of their 序时进度
status (:data:`~geodata.settings.LAG_STATUS_COLORS`); a cluster shows the
colour of the worst status inside it (:data:`~geodata.settings.LAG_STATUS_RANK`).
Counties are filled by their plan completion rate against the time share
(:func:`shading_class`). The same point layers, coloured by kind of change,
draw the map comparing two months (:func:`change_layers`).
"""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING

import folium
import numpy as np
import pandas as pd

from geodata.coords import CoordSystem, convert_frame, require_wgs84
from geodata.i18n import Lang, t
from geodata.progress import Change, LagStatus
from geodata.schema import Category
from geodata.settings import (
    CATEGORY_SYMBOLS,
    CHANGE_COLORS,
    COUNTY_LINE_COLOR,
    DETAIL_POINT_LIMIT,
    LAG_ON_TRACK_POINTS,
    LAG_SEVERE_POINTS,
    LAG_STATUS_COLORS,
    LAG_STATUS_RANK,
    PROGRESS_SHADING_COLORS,
)
from layers.counties import SafeTooltips, TextGeoJson, _county_names, _features
from layers.legend import Legend
from layers.progress_text import change_label, status_label
from layers.projects import PointStatus, ProjectLayer, encode_points, layer_name

if TYPE_CHECKING:
    import geopandas as gpd


class MapMode(StrEnum):
    """What the map's points are coloured by: category (the default) or lag status."""

    CATEGORY = "category"
    PROGRESS = "progress"


SHADING_CLASSES: tuple[str, ...] = ("ahead", "behind_10", "behind_25", "behind_more", "no_plan")
"""County classes of the progress map, best first."""
_SHADING_KEYS = {
    "ahead": "shading_ahead",
    "behind_10": "shading_0_10",
    "behind_25": "shading_10_25",
    "behind_more": "shading_25",
    "no_plan": "shading_none",
}
# a project with several changes is drawn as the first of these
CHANGE_PRIORITY: tuple[Change, ...] = (
    Change.COMPLETED,
    Change.STARTED,
    Change.NEW,
    Change.LAG_WORSENED,
    Change.LAG_IMPROVED,
    Change.STAGE_MOVED,
    Change.INVESTMENT_ADDED,
    Change.REMOVED,
)


def status_table(lang: Lang | str = Lang.ZH) -> list[tuple[str, str, int]]:
    """Return colour, label and rank of each lag status, in :class:`LagStatus` order."""
    return [
        (LAG_STATUS_COLORS[s.value], status_label(s.value, lang), LAG_STATUS_RANK[s.value])
        for s in LagStatus
    ]


def point_status(ids: pd.Series, statuses: pd.DataFrame, *, lang: Lang | str) -> PointStatus:
    """Return the lag status of each project id as a :class:`PointStatus`.

    Parameters
    ----------
    ids : pandas.Series
        Project ids, in the order of the layer's frame.
    statuses : pandas.DataFrame
        One month of :func:`geodata.progress.lag_status` (``id``, ``status``);
        an id missing from it is drawn 无计划.
    lang : Lang or str
        Label language.

    Returns
    -------
    PointStatus
    """
    order = [s.value for s in LagStatus]
    by_id = pd.Series(statuses["status"].astype(str).to_numpy(), index=statuses["id"].astype(str))
    found = ids.astype(str).map(by_id).fillna(LagStatus.NO_PLAN.value)
    codes = pd.Categorical(found, categories=order).codes.astype(np.int64)
    return PointStatus(codes=codes, table=status_table(lang), label=t("legend_status", lang))


def _layers(
    projects: gpd.GeoDataFrame,
    status: PointStatus,
    *,
    lang: Lang,
    gcj02: bool,
    detail_limit: int,
) -> list[folium.FeatureGroup]:
    """Build one status-coloured layer per category."""
    require_wgs84(projects, what="projects")
    if gcj02:
        projects = convert_frame(projects, src=CoordSystem.WGS84, dst=CoordSystem.GCJ02)
    cats = projects["category"].astype(str).to_numpy()
    groups = []
    for category in Category:
        mask = cats == category.value
        part = PointStatus(status.codes[mask], status.table, status.label)
        payload = encode_points(
            projects[mask], category, lang=lang, detail_limit=detail_limit, status=part
        )
        group = folium.FeatureGroup(
            name=layer_name(category, payload["n"], lang=lang), overlay=True, control=True
        )
        group.add_child(ProjectLayer(payload))
        groups.append(group)
    return groups


def progress_layers(
    projects: gpd.GeoDataFrame,
    statuses: pd.DataFrame,
    *,
    lang: Lang | str = Lang.ZH,
    gcj02: bool = False,
    detail_limit: int = DETAIL_POINT_LIMIT,
) -> list[folium.FeatureGroup]:
    """Build the progress view's project layers, one per category.

    Parameters
    ----------
    projects : geopandas.GeoDataFrame
        Projects (register columns) in EPSG:4326, already filtered.
    statuses : pandas.DataFrame
        One month of lag statuses (:func:`geodata.progress.lag_status`).
    lang : Lang or str
        Label language.
    gcj02 : bool
        Shift points to GCJ-02 for drawing on Amap tiles.
    detail_limit : int
        Above this many points a layer's popups carry no names or details.

    Returns
    -------
    list of folium.FeatureGroup
        Energy, industry, livelihood; points coloured by status.

    Raises
    ------
    ValueError
        If ``projects`` is not in EPSG:4326.
    """
    lang = Lang(lang)
    status = point_status(projects["id"], statuses, lang=lang)
    return _layers(projects, status, lang=lang, gcj02=gcj02, detail_limit=detail_limit)


def change_kind(changes: pd.DataFrame) -> pd.Series:
    """Return, per project id, the change it is drawn as (the first in :data:`CHANGE_PRIORITY`)."""
    rank = {c.value: i for i, c in enumerate(CHANGE_PRIORITY)}
    ordered = changes.assign(_r=changes["change"].map(rank)).sort_values(["id", "_r"])
    first = ordered.drop_duplicates("id")
    return pd.Series(first["change"].to_numpy(), index=first["id"].astype(str), name="change")


def change_layers(
    projects: gpd.GeoDataFrame,
    changes: pd.DataFrame,
    *,
    lang: Lang | str = Lang.ZH,
    gcj02: bool = False,
) -> list[folium.FeatureGroup]:
    """Build the layers of the month comparison: changed projects coloured by change.

    Parameters
    ----------
    projects : geopandas.GeoDataFrame
        Projects (EPSG:4326); only those with a change are drawn.
    changes : pandas.DataFrame
        :attr:`geodata.progress.Comparison.changes`.
    lang : Lang or str
        Label language.
    gcj02 : bool
        Shift points to GCJ-02.

    Returns
    -------
    list of folium.FeatureGroup
        One per category; a cluster shows its most notable change.
    """
    lang = Lang(lang)
    kind = change_kind(changes)
    shown = projects[projects["id"].astype(str).isin(kind.index)]
    order = list(CHANGE_PRIORITY)
    table = [
        (CHANGE_COLORS[c.value], change_label(c.value, lang), len(order) - i)
        for i, c in enumerate(order)
    ]
    codes = pd.Categorical(
        shown["id"].astype(str).map(kind), categories=[c.value for c in order]
    ).codes.astype(np.int64)
    status = PointStatus(codes=codes, table=table, label=t("col_change", lang))
    return _layers(shown, status, lang=lang, gcj02=gcj02, detail_limit=DETAIL_POINT_LIMIT)


def _legend(title: str, rows: list[tuple[str, str, str]], lang: Lang, *, cluster: str) -> Legend:
    """Return a point legend with the notes on clusters and shapes."""
    notes = [t(cluster, lang), t("legend_shapes", lang)]
    return Legend(title, rows, notes=notes, position="bottomright")


def progress_legend(*, lang: Lang | str = Lang.ZH) -> Legend:
    """Build the legend of the status colours (bottom right, where the category legend goes)."""
    lang = Lang(lang)
    rows = [(color, "●", label) for color, label, _ in status_table(lang)]
    return _legend(t("legend_status", lang), rows, lang, cluster="legend_status_cluster")


def change_legend(*, lang: Lang | str = Lang.ZH) -> Legend:
    """Build the legend of the change colours of the comparison map."""
    lang = Lang(lang)
    rows = [(CHANGE_COLORS[c.value], "●", change_label(c.value, lang)) for c in CHANGE_PRIORITY]
    return _legend(t("col_change", lang), rows, lang, cluster="legend_change_cluster")


def shading_class(gap_points: float) -> str:
    """Return the county class of a gap (time share − completion rate, points).

    Parameters
    ----------
    gap_points : float
        Percentage points behind the time share (negative: ahead); ``nan``
        without a plan.

    Returns
    -------
    str
        One of :data:`SHADING_CLASSES`, with the lag rule's thresholds.
    """
    if gap_points is None or not np.isfinite(gap_points):
        return "no_plan"
    if gap_points <= 0:
        return "ahead"
    if gap_points <= LAG_ON_TRACK_POINTS:
        return "behind_10"
    if gap_points <= LAG_SEVERE_POINTS:
        return "behind_25"
    return "behind_more"


def shading_style(feature: dict) -> dict:
    """Style of a county on the progress map: its class fill, half transparent."""
    return {
        "color": COUNTY_LINE_COLOR,
        "weight": 1.0,
        "fillColor": feature["properties"]["fill"],
        "fillOpacity": 0.75,
    }


def _pct(value: float) -> str:
    """Format a percentage (``—`` for none)."""
    return f"{value:.1f}%" if np.isfinite(value) else "—"


def progress_shading(
    counties: gpd.GeoDataFrame, ranking: pd.DataFrame, *, lang: Lang | str = Lang.ZH
) -> folium.FeatureGroup:
    """Fill counties by plan completion rate against the time share.

    Parameters
    ----------
    counties : geopandas.GeoDataFrame
        County polygons (EPSG:4326, ``adcode``).
    ranking : pandas.DataFrame
        :func:`geodata.progress.county_ranking` (indexed by adcode).
    lang : Lang or str
        Label language.

    Returns
    -------
    folium.FeatureGroup
        Counties with text tooltips (county, rate, time share).
    """
    require_wgs84(counties, what="counties")
    lang = Lang(lang)
    rows = ranking.reindex(counties["adcode"].astype(str))
    props = []
    for adcode, name, gap, rate, share in zip(
        counties["adcode"].astype(str),
        _county_names(counties, lang),
        rows["gap_points"].astype(float),
        rows["completion_pct"].astype(float),
        rows["time_share_pct"].astype(float),
        strict=True,
    ):
        tip = t("county_tip", lang, county=name, rate=_pct(rate), share=_pct(share))
        fill = PROGRESS_SHADING_COLORS[shading_class(gap)]
        props.append({"adcode": adcode, "fill": fill, "tip": tip})
    group = folium.FeatureGroup(name=t("layer_progress_shading", lang), overlay=True, control=True)
    geo = TextGeoJson(_features(counties, props), style_function=shading_style, control=False)
    geo.add_child(SafeTooltips())
    geo.add_to(group)
    return group


def shading_legend(*, lang: Lang | str = Lang.ZH) -> Legend:
    """Build the legend of the county classes (bottom left, square swatches)."""
    rows = [(PROGRESS_SHADING_COLORS[k], "", t(_SHADING_KEYS[k], lang)) for k in SHADING_CLASSES]
    return Legend(t("shading_title", lang), rows, position="bottomleft", box=True)


def shape_glyphs() -> dict[str, str]:
    """Return the legend glyph of each category (▲ ■ ●), for tables and captions."""
    return {c.value: CATEGORY_SYMBOLS[c.value].glyph for c in Category}
