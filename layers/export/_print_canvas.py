"""The map body of a print page: county fills and names, project points, stacks."""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from matplotlib.axes import Axes
from matplotlib.patches import Rectangle

from geodata.i18n import Lang, county_name
from geodata.schema import APPROXIMATE_PRECISIONS, Category
from geodata.settings import (
    CATEGORY_COLORS,
    CATEGORY_SYMBOLS,
    COUNTY_FILL_COLOR,
    COUNTY_LINE_COLOR,
    METRIC_CRS,
    PRINT_COLORS,
    PRINT_RASTERIZE_ABOVE,
    PRINT_STACK_LABEL_LIMIT,
)
from layers.export._print_fonts import text_style
from layers.export._print_furniture import draw_north_arrow, draw_scale_bar
from layers.export._print_layout import Box, fit_extent, label_box
from layers.shading import ChoroplethChoice, CountyShading, shade, summary_values

# label candidates around a county's representative point (fractions of the map)
_LABEL_OFFSETS: tuple[tuple[float, float], ...] = (
    (0.0, 0.0),
    (0.0, -0.045),
    (0.0, 0.045),
    (-0.05, 0.0),
    (0.05, 0.0),
    (0.0, -0.08),
    (0.0, 0.08),
    (-0.05, -0.045),
    (0.05, 0.045),
)


@dataclass(slots=True)
class MapResult:
    """What the legend needs to know about the drawn map.

    Attributes
    ----------
    counts : dict of str to int
        Projects drawn per category.
    choropleth : (ChoroplethChoice, CountyShading) or None
        The county shading drawn, if any.
    focus : bool
        Whether one county is in focus (the others drawn faint).
    approximate : bool
        Whether some projects are drawn hollow (county- or city-level).
    """

    counts: dict[str, int]
    choropleth: tuple[ChoroplethChoice, CountyShading] | None
    focus: bool
    approximate: bool


@dataclass(frozen=True, slots=True)
class _Canvas:
    """The map axes and what every drawing step shares."""

    ax: Axes
    extent: Box
    scale: float
    lang: Lang


def marker_size(n: int, scale: float) -> float:
    """Marker area (pt²) for a layer of ``n`` points."""
    if n <= 150:
        base = 34.0
    elif n <= 1500:
        base = 16.0
    elif n <= 10000:
        base = 6.0
    else:
        base = 3.0
    return base * scale**2


def _county_fills(
    codes: np.ndarray, summary: pd.DataFrame, choice: ChoroplethChoice | None, lang: Lang
) -> tuple[np.ndarray, CountyShading | None]:
    """Fill of each county: plain, or the choropleth class colour of :func:`shade`."""
    if choice is None:
        return np.full(len(codes), COUNTY_FILL_COLOR, dtype=object), None
    values = summary_values(summary, codes, choice)
    shading = shade(values, metric=choice.metric, lang=lang)
    return np.array(shading.fills, dtype=object), shading


def _draw_counties(
    c: _Canvas, counties_m: gpd.GeoDataFrame, fills: np.ndarray, focus_mask: np.ndarray
) -> None:
    """Draw the outside land, the county fills and the focus outline."""
    c.ax.add_patch(
        Rectangle(
            (0, 0),
            1,
            1,
            transform=c.ax.transAxes,
            facecolor=PRINT_COLORS["outside"],
            edgecolor="none",
            zorder=0,
        )
    )
    fills = np.where(focus_mask, fills, PRINT_COLORS["paper"])
    counties_m.plot(
        ax=c.ax, color=list(fills), edgecolor=COUNTY_LINE_COLOR, linewidth=0.8 * c.scale, zorder=2
    )
    if not focus_mask.all():
        counties_m[focus_mask].boundary.plot(
            ax=c.ax, color=PRINT_COLORS["ink"], linewidth=1.8 * c.scale, zorder=6
        )


def _obstacles(pts: gpd.GeoDataFrame, extent: Box) -> np.ndarray:
    """Rows ``(x, y, weight)`` that county names should avoid: points and stack labels."""
    if not 0 < len(pts) <= PRINT_STACK_LABEL_LIMIT:
        return np.empty((0, 3))
    xy = np.column_stack([pts.geometry.x.to_numpy(), pts.geometry.y.to_numpy()])
    uniq, n = np.unique(np.round(xy, 0), axis=0, return_counts=True)
    # the "×n" labels sit right of stacked points
    shift = np.array([0.03, 0.008]) * (extent[2] - extent[0])
    stacks = uniq[n > 1]
    # weight: a stack label (and its points) counts more than a lone point
    return np.vstack(
        [
            np.column_stack([xy, np.ones(len(xy))]),
            np.column_stack([stacks + shift, np.full(len(stacks), 10.0)]),
            np.column_stack([stacks, np.full(len(stacks), 10.0)]),
        ]
    )


def label_position(
    shape: shapely.Geometry, obstacles: np.ndarray, extent: Box
) -> tuple[float, float]:
    """Pick a label point inside ``shape`` with the fewest points and stack labels under it.

    ``obstacles`` holds rows ``(x, y, weight)``.
    """
    point = shape.representative_point()
    if obstacles.size == 0:
        return point.x, point.y
    w, h = extent[2] - extent[0], extent[3] - extent[1]
    # a label box spans about 6% of the map width and 3% of its height
    half_w, half_h = 0.045 * w, 0.028 * h
    best, best_score = (point.x, point.y), float("inf")
    for dx, dy in _LABEL_OFFSETS:
        x, y = point.x + dx * w, point.y + dy * h
        if not shape.contains(shapely.Point(x, y)):
            continue
        near = (np.abs(obstacles[:, 0] - x) < half_w) & (np.abs(obstacles[:, 1] - y) < half_h)
        score = float(obstacles[near, 2].sum())
        if score < best_score:
            best, best_score = (x, y), score
        if score == 0:
            break
    return best


def _draw_county_names(
    c: _Canvas,
    counties_m: gpd.GeoDataFrame,
    focus_mask: np.ndarray,
    obstacles: np.ndarray,
    *,
    focused_page: bool,
) -> None:
    """Name each visible county at a point inside it, clear of sparse points."""
    extent = c.extent
    visible = counties_m.geometry.intersection(shapely.box(*extent))
    codes = counties_m["adcode"].astype(str).to_numpy()
    for code, shape, focused in zip(codes, visible, focus_mask, strict=True):
        if shape.is_empty or shape.area < 0.01 * (extent[2] - extent[0]) ** 2:
            continue
        px, py = label_position(shape, obstacles, extent)
        c.ax.text(
            px,
            py,
            county_name(code, c.lang, short=True),
            **text_style(
                (11 if focused_page and focused else 8.5) * c.scale,
                weight="bold" if focused else "normal",
                ha="center",
                va="center",
                color=PRINT_COLORS["label"] if focused else PRINT_COLORS["muted"],
                zorder=8,
                bbox=label_box(c.scale),
            ),
        )


def _label_stacks(c: _Canvas, xs: np.ndarray, ys: np.ndarray) -> None:
    """Write ``×n`` beside positions shared by several projects."""
    keys = np.round(np.column_stack([xs, ys]), 0)
    uniq, counts = np.unique(keys, axis=0, return_counts=True)
    offset = 0.012 * (c.extent[2] - c.extent[0])
    for (x, y), n in zip(uniq, counts, strict=True):
        if n < 2:
            continue
        c.ax.text(
            x + offset,
            y + offset * 0.6,
            f"×{n}",
            **text_style(
                7 * c.scale,
                weight="bold",
                color=PRINT_COLORS["ink"],
                zorder=12,
                bbox=label_box(c.scale),
            ),
        )


def _draw_points(c: _Canvas, pts: gpd.GeoDataFrame) -> tuple[dict[str, int], bool]:
    """Draw one scatter per category and precision; return counts and hollow-ness."""
    counts = {cat.value: 0 for cat in Category}
    if not len(pts):
        return counts, False
    xs, ys = pts.geometry.x.to_numpy(), pts.geometry.y.to_numpy()
    cats = pts["category"].astype(str).to_numpy()
    rough = pts["precision"].astype(str).isin(APPROXIMATE_PRECISIONS).to_numpy()
    size, dense = marker_size(len(pts), c.scale), len(pts) > 1500
    for cat in Category:
        mask = cats == cat.value
        counts[cat.value] = int(mask.sum())
        color = CATEGORY_COLORS[cat.value]
        for hollow in (False, True):
            sel = mask & (rough if hollow else ~rough)
            if not sel.any():
                continue
            c.ax.scatter(
                xs[sel],
                ys[sel],
                s=size,
                marker=CATEGORY_SYMBOLS[cat.value].marker,
                facecolors=PRINT_COLORS["paper"] if hollow else color,
                edgecolors=color if hollow else ("none" if dense else PRINT_COLORS["paper"]),
                linewidths=(1.1 if hollow else 0.4) * c.scale,
                alpha=0.6 if dense else 0.95,
                zorder=11 if hollow else 10,
                rasterized=len(pts) > PRINT_RASTERIZE_ABOVE,
            )
    if len(pts) <= PRINT_STACK_LABEL_LIMIT:
        _label_stacks(c, xs, ys)
    return counts, bool(rough.any())


def draw_map(
    ax: Axes,
    projects: gpd.GeoDataFrame,
    counties: gpd.GeoDataFrame,
    *,
    summary: pd.DataFrame,
    choropleth: ChoroplethChoice | None,
    focus_adcode: str | None,
    lang: Lang,
    scale: float,
    aspect: float,
) -> MapResult:
    """Draw boundaries, choropleth, names, points, scale bar and north arrow."""
    counties_m = counties.to_crs(METRIC_CRS)
    codes = counties_m["adcode"].astype(str).to_numpy()
    focus_mask = codes == focus_adcode if focus_adcode else np.ones(len(codes), dtype=bool)
    # fit the extent to the focus county or the whole city
    bounds = tuple(counties_m[focus_mask].total_bounds)
    extent = fit_extent(bounds, aspect, 0.08 if focus_adcode else 0.03)
    ax.set_xlim(extent[0], extent[2])
    ax.set_ylim(extent[1], extent[3])
    ax.set_aspect("equal", adjustable="box")
    ax.set_axis_off()
    canvas = _Canvas(ax=ax, extent=extent, scale=scale, lang=lang)
    fills, shading = _county_fills(codes, summary, choropleth, lang)
    _draw_counties(canvas, counties_m, fills, focus_mask)
    pts = projects.to_crs(METRIC_CRS)
    obstacles = _obstacles(pts, extent)
    _draw_county_names(canvas, counties_m, focus_mask, obstacles, focused_page=bool(focus_adcode))
    counts, approximate = _draw_points(canvas, pts)
    draw_scale_bar(ax, extent, scale, lang)
    draw_north_arrow(ax, extent, scale, lang)
    choro = None if choropleth is None or shading is None else (choropleth, shading)
    return MapResult(
        counts=counts, choropleth=choro, focus=bool(focus_adcode), approximate=approximate
    )
