"""Page furniture of print maps: title, scale bar, north arrow, footer and provenance."""

from __future__ import annotations

import math
import unicodedata
from datetime import datetime

from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import Polygon, Rectangle
from matplotlib.text import Text
from pyproj import Transformer

from geodata.i18n import Lang, t
from geodata.settings import (
    METRIC_CRS,
    PRINT_COLORS,
    WGS84,
)
from layers.export._print_fonts import in_typed_order, text_style
from layers.export._print_layout import Box, Layout, label_box

PROVENANCE_GID = "provenance"
"""SVG id of the provenance line."""

ELLIPSIS = "…"
"""Mark at the end of a title or filter line shortened to fit the page."""

# estimated advance of a full-width (cjk) and of any other character, in em
_WIDE_EM, _NARROW_EM = 1.0, 0.62


def fit_line(text: str, *, width_in: float, size_pt: float, tail: str = "") -> str:
    """Shorten a one-line text with :data:`ELLIPSIS` so that it fits the page width.

    Parameters
    ----------
    text : str
        The text as typed (a title, the filters); it is never wrapped.
    width_in : float
        Width available, in inches.
    size_pt : float
        Font size, in points.
    tail : str
        Kept whole after ``text`` (e.g. the number of projects).

    Returns
    -------
    str
        ``text + tail`` when it fits, else the longest start of ``text``
        followed by ``…`` and ``tail``. Widths are estimated per character:
        full-width characters 1 em, others 0.62 em.
    """
    room = width_in * 72 / size_pt - sum(_em(ch) for ch in tail)
    used = 0.0
    for k, ch in enumerate(text):
        used += _em(ch)
        if used > room:
            # the ellipsis takes the room of the last character kept
            return text[: max(k - 1, 0)] + ELLIPSIS + tail
    return text + tail


def _em(ch: str) -> float:
    """Estimated advance of one character, in em."""
    return _WIDE_EM if unicodedata.east_asian_width(ch) in ("W", "F") else _NARROW_EM


def draw_titles(fig: Figure, lay: Layout, *, title: str, subtitle: str, count: str = "") -> None:
    """Write the title and the subtitle (filters, then the number of projects).

    Both are drawn in the order typed (:func:`in_typed_order`) and shortened
    with :data:`ELLIPSIS` to the width of the page between its margins
    (:func:`fit_line`); the number of projects is always kept.
    """
    s = lay.scale
    width = fig.get_figwidth() * (1 - 2 * lay.map_box[0])
    head = fit_line(in_typed_order(title), width_in=width, size_pt=18 * s)
    fig.text(0.5, lay.title_y, head, **text_style(18 * s, weight="bold", ha="center", va="center"))
    line = fit_line(
        in_typed_order(subtitle),
        width_in=width,
        size_pt=10 * s,
        tail=f" · {count}" if count else "",
    )
    fig.text(
        0.5,
        lay.subtitle_y,
        line,
        **text_style(10 * s, ha="center", va="center", color=PRINT_COLORS["text"]),
    )


def draw_footer(fig: Figure, lay: Layout, *, lang: Lang, day: datetime) -> Text:
    """Write the source and the date; return the (empty) provenance line."""
    s = lay.scale
    left = lay.map_box[0]
    line = {"va": "bottom", "color": PRINT_COLORS["text"]}
    source = t("print_source", lang)
    fig.text(left, lay.source_y, source, **text_style(7 * s, ha="left", **line))
    date_text = t("print_date", lang, date=day.strftime("%Y-%m-%d"))
    fig.text(1 - left, lay.source_y, date_text, **text_style(7 * s, ha="right", **line))
    prov = fig.text(
        left,
        lay.footer_y,
        "",
        **text_style(6.5 * s, ha="left", va="bottom", color=PRINT_COLORS["muted"]),
    )
    prov.set_gid(PROVENANCE_GID)
    return prov


def nice_length_km(width_m: float) -> float:
    """Pick a 1-2-5 scale-bar length close to a fifth of the map width."""
    target = width_m / 5 / 1000
    exp = math.floor(math.log10(target))
    best = 1.0
    for step in (1.0, 2.0, 5.0, 10.0):
        if step * 10**exp <= target:
            best = step
    return best * 10**exp


def draw_scale_bar(ax: Axes, extent: Box, scale: float, lang: Lang) -> None:
    """Draw a two-segment kilometre scale bar at the lower left of the map."""
    minx, miny, maxx, maxy = extent
    length_km = nice_length_km(maxx - minx)
    length_m = length_km * 1000
    x0 = minx + 0.04 * (maxx - minx)
    y0 = miny + 0.045 * (maxy - miny)
    bar_h = 0.011 * (maxy - miny)
    half = length_m / 2
    for i, color in enumerate((PRINT_COLORS["ink"], PRINT_COLORS["paper"])):
        ax.add_patch(
            Rectangle(
                (x0 + i * half, y0),
                half,
                bar_h,
                facecolor=color,
                edgecolor=PRINT_COLORS["ink"],
                linewidth=0.6 * scale,
                zorder=20,
            )
        )
    label = {"zorder": 21, "bbox": label_box(scale)}
    for frac_x, value in ((0, 0.0), (0.5, length_km / 2), (1, length_km)):
        ax.text(
            x0 + frac_x * length_m,
            y0 + bar_h * 1.6,
            f"{value:g}",
            **text_style(7 * scale, ha="center", va="bottom", **label),
        )
    ax.text(
        x0 + length_m + 0.01 * (maxx - minx),
        y0 + bar_h / 2,
        t("print_km", lang),
        **text_style(7 * scale, ha="left", va="center", **label),
    )


def grid_convergence_deg(lon: float, lat: float) -> float:
    """Angle (degrees, clockwise) from grid north to true north in METRIC_CRS."""
    to_metric = Transformer.from_crs(WGS84, METRIC_CRS, always_xy=True)
    x0, y0 = to_metric.transform(lon, lat)
    x1, y1 = to_metric.transform(lon, lat + 0.05)
    return math.degrees(math.atan2(x1 - x0, y1 - y0))


def draw_north_arrow(ax: Axes, extent: Box, scale: float, lang: Lang) -> None:
    """Draw a north arrow, rotated to true north at the map centre, at the upper right."""
    minx, miny, maxx, maxy = extent
    to_wgs = Transformer.from_crs(METRIC_CRS, WGS84, always_xy=True)
    center = to_wgs.transform((minx + maxx) / 2, (miny + maxy) / 2)
    size = 0.075 * (maxy - miny)
    cx = maxx - 0.06 * (maxx - minx)
    cy = maxy - 0.07 * (maxy - miny) - size
    angle = math.radians(grid_convergence_deg(*center))
    cos_a, sin_a = math.cos(angle), math.sin(angle)

    def rot(dx: float, dy: float) -> tuple[float, float]:
        return cx + dx * cos_a + dy * sin_a, cy - dx * sin_a + dy * cos_a

    tip, left, right, base = (
        rot(0, size),
        rot(-0.32 * size, 0),
        rot(0.32 * size, 0),
        rot(0, 0.3 * size),
    )
    style = {"edgecolor": PRINT_COLORS["ink"], "linewidth": 0.7 * scale, "zorder": 20}
    ax.add_patch(Polygon([tip, left, base], closed=True, facecolor=PRINT_COLORS["paper"], **style))
    ax.add_patch(Polygon([tip, right, base], closed=True, facecolor=PRINT_COLORS["ink"], **style))
    lx, ly = rot(0, size * 1.12)
    ax.text(
        lx,
        ly,
        t("print_north", lang),
        **text_style(
            10 * scale, weight="bold", ha="center", va="bottom", zorder=21, bbox=label_box(scale)
        ),
    )


def draw_frame(ax: Axes, scale: float) -> None:
    """Outline the map axes."""
    ax.add_patch(
        Rectangle(
            (0, 0),
            1,
            1,
            transform=ax.transAxes,
            fill=False,
            edgecolor=PRINT_COLORS["text"],
            linewidth=0.8 * scale,
            zorder=30,
        )
    )
