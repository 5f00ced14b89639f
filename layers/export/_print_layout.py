"""Page geometry of print maps: paper size, boxes of map, legend and table, extents."""

from __future__ import annotations

from dataclasses import dataclass

from geodata.settings import PRINT_COLORS
from layers.export.request import Orientation, Paper

MM = 1 / 25.4
"""Inches per millimetre."""

Box = tuple[float, float, float, float]


def page_size_inches(paper: Paper, orientation: Orientation) -> tuple[float, float]:
    """Return the (width, height) of a page in inches.

    Parameters
    ----------
    paper : Paper
        A4 or A3.
    orientation : Orientation
        Landscape or portrait.

    Returns
    -------
    tuple[float, float]
        Figure size for matplotlib.
    """
    w, h = Paper(paper).size_mm
    if Orientation(orientation) is Orientation.LANDSCAPE:
        w, h = h, w
    return w * MM, h * MM


@dataclass(frozen=True, slots=True)
class Layout:
    """Page boxes in figure fractions ``(left, bottom, width, height)``.

    Attributes
    ----------
    map_box, panel_box, table_box : Box
        Map, legend panel and summary table.
    title_y, subtitle_y, footer_y : float
        Heights of the title, subtitle and provenance lines.
    source_y : float
        Height of the source and date line.
    scale : float
        Size factor of text and lines (1 on A4).
    """

    map_box: Box
    panel_box: Box
    table_box: Box
    title_y: float
    subtitle_y: float
    footer_y: float
    source_y: float
    scale: float


def _boxes_mm(w_mm: float, h_mm: float, scale: float) -> tuple[Box, Box, Box]:
    """Map, legend and table boxes in millimetres: at the right (landscape) or below."""
    margin, top, bottom = 10.0 * scale, 24.0 * scale, 16.0 * scale
    if w_mm >= h_mm:
        panel_w = 0.27 * w_mm
        map_w = w_mm - 2 * margin - panel_w - 5 * scale
        map_h = h_mm - top - bottom
        px = margin + map_w + 5 * scale
        return (
            (margin, bottom, map_w, map_h),
            (px, bottom + 0.55 * map_h, panel_w, 0.45 * map_h),
            (px, bottom, panel_w, 0.53 * map_h),
        )
    map_w = w_mm - 2 * margin
    panel_h = 0.30 * h_mm
    map_h = h_mm - top - bottom - panel_h - 4 * scale
    return (
        (margin, bottom + panel_h + 4 * scale, map_w, map_h),
        (margin, bottom, 0.36 * map_w, panel_h),
        (margin + 0.39 * map_w, bottom, 0.61 * map_w, panel_h),
    )


def layout(width_in: float, height_in: float) -> Layout:
    """Place map, legend panel, table, title and footer on the page."""
    w_mm, h_mm = width_in / MM, height_in / MM
    scale = min(w_mm, h_mm) / 210.0
    map_box, panel_box, table_box = _boxes_mm(w_mm, h_mm, scale)

    def frac(box: Box) -> Box:
        return (box[0] / w_mm, box[1] / h_mm, box[2] / w_mm, box[3] / h_mm)

    footer_y = 6.0 * scale / h_mm
    return Layout(
        map_box=frac(map_box),
        panel_box=frac(panel_box),
        table_box=frac(table_box),
        title_y=1 - 10.5 * scale / h_mm,
        subtitle_y=1 - 18.0 * scale / h_mm,
        footer_y=footer_y,
        source_y=footer_y + 4.2 * scale / h_mm,
        scale=scale,
    )


def label_box(scale: float) -> dict[str, object]:
    """Soft white box behind map labels (keeps text as text in PDF and SVG)."""
    return {
        "boxstyle": f"round,pad={0.12 * scale:.3f}",
        "facecolor": PRINT_COLORS["paper"],
        "edgecolor": "none",
        "alpha": 0.7,
    }


def fit_extent(bounds: Box, aspect: float, pad: float) -> Box:
    """Pad ``bounds`` and widen one side so that width/height equals ``aspect``."""
    minx, miny, maxx, maxy = bounds
    w, h = (maxx - minx) * (1 + 2 * pad), (maxy - miny) * (1 + 2 * pad)
    cx, cy = (minx + maxx) / 2, (miny + maxy) / 2
    if w / h < aspect:
        w = h * aspect
    else:
        h = w / aspect
    return cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2
