"""Print-ready maps of the project register: PNG, PDF and SVG without a browser.

A page is drawn with matplotlib and GeoPandas in :data:`~geodata.settings.METRIC_CRS`
(UTM zone 49N, metres), so the scale bar is true. Every page carries a title,
a subtitle stating the filters, county boundaries and names, projects coloured
and shaped by category (colours from :data:`~geodata.settings.CATEGORY_COLORS`),
an optional county choropleth, a categorical legend, a scale bar in kilometres,
a north arrow (rotated by the grid convergence), the date, the data source and
an optional county summary table. :func:`save_map` adds the provenance
(filters, data version, export time) to the footer and to the file metadata.

Chinese text uses the first family of :data:`~geodata.settings.CJK_FONT_FAMILIES`
that matplotlib's font manager finds (Debian ``fonts-noto-cjk``); fonts are
embedded in PDF (TrueType/CID) and kept as ``<text>`` in SVG.
"""

from __future__ import annotations

import hashlib
import io
import math
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from functools import cache
from pathlib import Path

import geopandas as gpd
import matplotlib as mpl
import numpy as np
import pandas as pd
import shapely
from matplotlib import font_manager
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, Polygon, Rectangle
from pyproj import Transformer

from geodata.coords import require_wgs84
from geodata.divisions import BY_ADCODE
from geodata.join import county_summary
from geodata.schema import APPROXIMATE_PRECISIONS, Category
from geodata.settings import (
    CATEGORY_COLORS,
    CATEGORY_SYMBOLS,
    CHOROPLETH_COLORS,
    CITY_NAME_ZH,
    CJK_FONT_FAMILIES,
    COUNTY_FILL_COLOR,
    COUNTY_LINE_COLOR,
    METRIC_CRS,
    PRINT_COLORS,
    PRINT_RASTERIZE_ABOVE,
    PRINT_SOURCE_EN,
    PRINT_SOURCE_ZH,
    PRINT_STACK_LABEL_LIMIT,
    WGS84,
)
from layers.counties import Metric
from layers.i18n import Lang, t

REPORT_YEAR = 2025
"""Year of the register's source report, used in default titles."""

PROVENANCE_GID = "provenance"
_MM = 1 / 25.4


class Paper(StrEnum):
    """ISO paper size of a print export."""

    A4 = "A4"
    A3 = "A3"

    @property
    def size_mm(self) -> tuple[float, float]:
        """Portrait (width, height) in millimetres."""
        return (210.0, 297.0) if self is Paper.A4 else (297.0, 420.0)


class Orientation(StrEnum):
    """Page orientation."""

    LANDSCAPE = "landscape"
    PORTRAIT = "portrait"


class ExportFormat(StrEnum):
    """File format of a print export."""

    PNG = "png"
    PDF = "pdf"
    SVG = "svg"

    @property
    def mime(self) -> str:
        """MIME type for download buttons."""
        return {"png": "image/png", "pdf": "application/pdf", "svg": "image/svg+xml"}[self.value]


class FontNotFoundError(RuntimeError):
    """No CJK font is installed for Chinese print text."""


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
    return w * _MM, h * _MM


def _installed_family(families: tuple[str, ...]) -> str | None:
    """Return the first of ``families`` the font manager resolves to a CJK file."""
    for family in families:
        try:
            path = font_manager.findfont(
                font_manager.FontProperties(family=family), fallback_to_default=False
            )
        except ValueError:
            continue
        if "cjk" in Path(path).name.lower():
            return family
    return None


def find_cjk_family(families: tuple[str, ...]) -> str:
    """Find an installed CJK font family, registering system CJK fonts if needed.

    Matplotlib caches its font list; when the fonts were installed after the
    cache was built, the system font folders are scanned once and every
    CJK font file found is added to the font manager.

    Parameters
    ----------
    families : tuple[str, ...]
        Family names in order of preference.

    Returns
    -------
    str
        The first family matplotlib can render Chinese with.

    Raises
    ------
    FontNotFoundError
        If none is installed.
    """
    found = _installed_family(families)
    if found is None:
        for path in font_manager.findSystemFonts():
            if "cjk" in Path(path).name.lower():
                font_manager.fontManager.addfont(path)
        found = _installed_family(families)
    if found is None:
        raise FontNotFoundError(
            f"no CJK font found (tried {', '.join(families)}): install Debian "
            "fonts-noto-cjk (`make fonts`)"
        )
    return found


@cache
def cjk_font_family() -> str:
    """Return the CJK font family of print exports (see :func:`find_cjk_family`).

    Returns
    -------
    str
        The first installed family of :data:`~geodata.settings.CJK_FONT_FAMILIES`.
    """
    return find_cjk_family(CJK_FONT_FAMILIES)


@contextmanager
def print_style() -> Iterator[None]:
    """Apply the fonts and embedding rules of print exports.

    Yields
    ------
    None
        Inside the block, text uses the CJK font (DejaVu Sans as fallback for
        symbols), PDF embeds TrueType/CID fonts and SVG keeps ``<text>``.
    """
    rc = {
        "font.family": [cjk_font_family(), "DejaVu Sans"],
        "pdf.fonttype": 42,
        "ps.fonttype": 42,
        "svg.fonttype": "none",
        "axes.unicode_minus": False,
    }
    with mpl.rc_context(rc):
        yield


def _utc_now() -> datetime:
    """Return the current time in UTC."""
    return datetime.now(UTC)


@dataclass(frozen=True, slots=True)
class Provenance:
    """Where an exported map comes from.

    Attributes
    ----------
    filters : str
        Human-readable filters of the selection (``""`` for everything).
    data_version : str
        Short hash of the exported projects' content (:func:`data_version`).
    exported_at : datetime
        Time of export (timezone-aware).
    register_version : str
        Version of the whole register the selection came from (store version
        and content hash); ``""`` when not known.
    """

    filters: str
    data_version: str
    exported_at: datetime = field(default_factory=_utc_now)
    register_version: str = ""

    def footer(self, *, lang: str = "zh") -> str:
        """One-line provenance text for the page footer."""
        stamp = self.exported_at.strftime("%Y-%m-%d %H:%M %Z").strip()
        if Lang(lang) is Lang.EN:
            filters = self.filters or "none"
            register = f" · register {self.register_version}" if self.register_version else ""
            return (
                f"Filters: {filters} · data version {self.data_version}{register}"
                f" · exported {stamp}"
            )
        filters = self.filters or "无（全部项目）"
        register = f" · 项目库 {self.register_version}" if self.register_version else ""
        return f"筛选条件：{filters} · 数据版本 {self.data_version}{register} · 导出时间 {stamp}"

    def keywords(self) -> str:
        """Machine-readable provenance, ``key=value`` pairs separated by ``; ``."""
        return (
            f"data_version={self.data_version}; register_version={self.register_version}; "
            f"exported_at={self.exported_at.isoformat()}; filters={self.filters}"
        )


def data_version(projects: pd.DataFrame) -> str:
    """Return a short, order-independent hash of the projects' content.

    Parameters
    ----------
    projects : pandas.DataFrame
        Register rows (a geometry column, if any, is ignored: ``lon``/``lat``
        carry the position).

    Returns
    -------
    str
        Twelve hex digits of a SHA-256 over the rows sorted by ``id``.
    """
    frame = pd.DataFrame(projects.drop(columns="geometry", errors="ignore"))
    if "id" in frame.columns:
        frame = frame.sort_values("id", kind="stable")
    text = frame.to_csv(index=False, lineterminator="\n")
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]


def make_provenance(
    projects: pd.DataFrame,
    *,
    filters: Mapping[str, str] | str = "",
    exported_at: datetime | None = None,
    register_version: str = "",
) -> Provenance:
    """Build the provenance of an export of ``projects``.

    Parameters
    ----------
    projects : pandas.DataFrame
        The exported selection.
    filters : Mapping[str, str] or str
        Filters as ``{label: value}`` or already as text.
    exported_at : datetime, optional
        Export time; now (UTC) by default.
    register_version : str
        Version of the whole register (see :class:`Provenance`).

    Returns
    -------
    Provenance
        Filters text, data version and time.
    """
    text = filters if isinstance(filters, str) else describe_filters(filters)
    return Provenance(
        filters=text,
        data_version=data_version(projects),
        exported_at=exported_at or datetime.now(UTC),
        register_version=register_version,
    )


def describe_filters(filters: Mapping[str, str]) -> str:
    """Join ``{label: value}`` filters into one line (empty values are skipped)."""
    return "；".join(f"{k}：{v}" for k, v in filters.items() if v)


def _category_label(category: str, lang: str) -> str:
    """Label of a category value in ``lang``."""
    cat = Category(category)
    return cat.zh if Lang(lang) is Lang.ZH else cat.en


def _county_label(adcode: str, lang: str, *, short: bool = False) -> str:
    """Name of a county in ``lang`` (pinyin only when ``short`` and English)."""
    div = BY_ADCODE.get(adcode)
    if div is None:
        return t("print_unknown_county", lang)
    if Lang(lang) is Lang.ZH:
        return div.name_zh
    return div.pinyin if short else div.name_en


def default_title(*, focus_adcode: str | None = None, lang: str = "zh") -> str:
    """Return the default page title, e.g. ``长治市2025年重大项目分布图``."""
    if Lang(lang) is Lang.EN:
        place = _county_label(focus_adcode, "en") if focus_adcode else "Changzhi"
        return f"{place}: major projects {REPORT_YEAR}"
    place = _county_label(focus_adcode, "zh") if focus_adcode else CITY_NAME_ZH
    return f"{place}{REPORT_YEAR}年重大项目分布图"


def _fmt_invest(value: float) -> str:
    """Format an amount in 亿元 (``—`` when none is stated)."""
    return "—" if pd.isna(value) else f"{value:,.1f}"


def _stated_invest(summary: pd.DataFrame) -> pd.Series:
    """``invest_all`` of a county summary, ``NaN`` where no amount is stated."""
    return summary["invest_all"].where(summary["invested_known"] > 0)


@dataclass(frozen=True, slots=True)
class _Layout:
    """Page boxes in figure fractions ``(left, bottom, width, height)``."""

    map_box: tuple[float, float, float, float]
    panel_box: tuple[float, float, float, float]
    table_box: tuple[float, float, float, float]
    title_y: float
    subtitle_y: float
    footer_y: float
    scale: float


def _layout(width_in: float, height_in: float) -> _Layout:
    """Place map, legend panel, table, title and footer on the page."""
    w_mm, h_mm = width_in / _MM, height_in / _MM
    scale = min(w_mm, h_mm) / 210.0
    margin = 10.0 * scale
    top = 24.0 * scale
    bottom = 16.0 * scale
    if w_mm >= h_mm:
        panel_w = 0.27 * w_mm
        map_w = w_mm - 2 * margin - panel_w - 5 * scale
        map_h = h_mm - top - bottom
        map_box = (margin, bottom, map_w, map_h)
        px = margin + map_w + 5 * scale
        panel_box = (px, bottom + 0.55 * map_h, panel_w, 0.45 * map_h)
        table_box = (px, bottom, panel_w, 0.53 * map_h)
    else:
        map_w = w_mm - 2 * margin
        panel_h = 0.30 * h_mm
        map_h = h_mm - top - bottom - panel_h - 4 * scale
        map_box = (margin, bottom + panel_h + 4 * scale, map_w, map_h)
        panel_box = (margin, bottom, 0.36 * map_w, panel_h)
        table_box = (margin + 0.39 * map_w, bottom, 0.61 * map_w, panel_h)

    def frac(box: tuple[float, float, float, float]) -> tuple[float, float, float, float]:
        return (box[0] / w_mm, box[1] / h_mm, box[2] / w_mm, box[3] / h_mm)

    return _Layout(
        map_box=frac(map_box),
        panel_box=frac(panel_box),
        table_box=frac(table_box),
        title_y=1 - 10.5 * scale / h_mm,
        subtitle_y=1 - 18.0 * scale / h_mm,
        footer_y=6.0 * scale / h_mm,
        scale=scale,
    )


def _label_box(scale: float) -> dict[str, object]:
    """Soft white box behind map labels (keeps text as text in PDF and SVG)."""
    return {
        "boxstyle": f"round,pad={0.12 * scale:.3f}",
        "facecolor": PRINT_COLORS["paper"],
        "edgecolor": "none",
        "alpha": 0.7,
    }


def _fit_extent(
    bounds: tuple[float, float, float, float], aspect: float, pad: float
) -> tuple[float, float, float, float]:
    """Pad ``bounds`` and widen one side so that width/height equals ``aspect``."""
    minx, miny, maxx, maxy = bounds
    w, h = (maxx - minx) * (1 + 2 * pad), (maxy - miny) * (1 + 2 * pad)
    cx, cy = (minx + maxx) / 2, (miny + maxy) / 2
    if w / h < aspect:
        w = h * aspect
    else:
        h = w / aspect
    return cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2


def _nice_length_km(width_m: float) -> float:
    """Pick a 1-2-5 scale-bar length close to a fifth of the map width."""
    target = width_m / 5 / 1000
    exp = math.floor(math.log10(target))
    best = 1.0
    for step in (1.0, 2.0, 5.0, 10.0):
        if step * 10**exp <= target:
            best = step
    return best * 10**exp


def _draw_scale_bar(ax: Axes, extent: tuple[float, ...], scale: float, lang: str) -> None:
    """Draw a two-segment kilometre scale bar at the lower left of the map."""
    minx, miny, maxx, maxy = extent
    length_km = _nice_length_km(maxx - minx)
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
    for frac_x, value in ((0, 0.0), (0.5, length_km / 2), (1, length_km)):
        label = f"{value:g}"
        ax.text(
            x0 + frac_x * length_m,
            y0 + bar_h * 1.6,
            label,
            ha="center",
            va="bottom",
            fontsize=7 * scale,
            zorder=21,
            bbox=_label_box(scale),
        )
    ax.text(
        x0 + length_m + 0.01 * (maxx - minx),
        y0 + bar_h / 2,
        t("print_km", lang),
        ha="left",
        va="center",
        fontsize=7 * scale,
        zorder=21,
        bbox=_label_box(scale),
    )


def _grid_convergence_deg(lon: float, lat: float) -> float:
    """Angle (degrees, clockwise) from grid north to true north in METRIC_CRS."""
    to_metric = Transformer.from_crs(WGS84, METRIC_CRS, always_xy=True)
    x0, y0 = to_metric.transform(lon, lat)
    x1, y1 = to_metric.transform(lon, lat + 0.05)
    return math.degrees(math.atan2(x1 - x0, y1 - y0))


def _draw_north_arrow(
    ax: Axes, extent: tuple[float, ...], scale: float, lang: str, center_lonlat: tuple[float, float]
) -> None:
    """Draw a north arrow, rotated to true north, at the upper right of the map."""
    minx, miny, maxx, maxy = extent
    size = 0.075 * (maxy - miny)
    cx = maxx - 0.06 * (maxx - minx)
    cy = maxy - 0.07 * (maxy - miny) - size
    angle = math.radians(_grid_convergence_deg(*center_lonlat))
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
        ha="center",
        va="bottom",
        fontsize=10 * scale,
        fontweight="bold",
        zorder=21,
        bbox=_label_box(scale),
    )


def _choropleth_classes(
    values: np.ndarray, *, integer: bool
) -> tuple[np.ndarray, list[str], tuple[str, ...]]:
    """Class each value; return class indices (-1 for none), labels and colours.

    With at most as many distinct values as palette colours each value is a
    class; otherwise quantile classes ``(lo, hi]`` (the first includes ``lo``).
    """
    finite = values[np.isfinite(values)]
    if finite.size == 0:
        return np.full(values.shape, -1), [], ()
    fmt = "{:,.0f}" if integer else "{:,.1f}"
    uniq = np.unique(finite)
    n_colors = len(CHOROPLETH_COLORS)
    if uniq.size <= n_colors:
        idx = np.searchsorted(uniq, values)
        labels = [fmt.format(v) for v in uniq]
    else:
        edges = np.quantile(finite, np.linspace(0, 1, n_colors + 1))
        if integer:
            edges = np.round(edges)
        edges = np.unique(edges)
        idx = np.searchsorted(edges[1:-1], values, side="left")
        labels = []
        for i in range(edges.size - 1):
            lo = edges[i] + (1 if integer and i > 0 else 0)
            labels.append(f"{fmt.format(lo)} – {fmt.format(edges[i + 1])}")
    idx = np.where(np.isfinite(values), idx, -1)
    # spread the classes over the palette
    pick = np.round(np.linspace(0, n_colors - 1, len(labels))).astype(int)
    colors = tuple(CHOROPLETH_COLORS[i] for i in pick)
    return idx, labels, colors


def _marker_size(n: int, scale: float) -> float:
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


def _label_stacks(
    ax: Axes, xs: np.ndarray, ys: np.ndarray, *, scale: float, extent: tuple[float, ...]
) -> None:
    """Write ``×n`` beside positions shared by several projects."""
    keys = np.round(np.column_stack([xs, ys]), 0)
    uniq, counts = np.unique(keys, axis=0, return_counts=True)
    offset = 0.012 * (extent[2] - extent[0])
    for (x, y), n in zip(uniq, counts, strict=True):
        if n < 2:
            continue
        ax.text(
            x + offset,
            y + offset * 0.6,
            f"×{n}",
            fontsize=7 * scale,
            fontweight="bold",
            color=PRINT_COLORS["ink"],
            zorder=12,
            bbox=_label_box(scale),
        )


def _label_position(
    shape: shapely.Geometry, obstacles: np.ndarray, extent: tuple[float, ...]
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
class _MapResult:
    """What the legend needs to know about the drawn map."""

    counts: dict[str, int]
    choropleth: tuple[Metric, list[str], tuple[str, ...]] | None
    focus: bool
    approximate: bool


def _draw_map(
    ax: Axes,
    projects: gpd.GeoDataFrame,
    counties: gpd.GeoDataFrame,
    *,
    summary: pd.DataFrame,
    choropleth: Metric | None,
    focus_adcode: str | None,
    lang: str,
    scale: float,
    aspect: float,
) -> _MapResult:
    """Draw boundaries, choropleth, labels, points, scale bar and north arrow."""
    counties_m = counties.to_crs(METRIC_CRS)
    codes = counties_m["adcode"].astype(str).to_numpy()
    focus_mask = codes == focus_adcode if focus_adcode else np.ones(len(codes), dtype=bool)
    # fit the extent to the focus county or the whole city
    bounds = tuple(counties_m[focus_mask].total_bounds)
    extent = _fit_extent(bounds, aspect, 0.08 if focus_adcode else 0.03)
    ax.set_xlim(extent[0], extent[2])
    ax.set_ylim(extent[1], extent[3])
    ax.set_aspect("equal", adjustable="box")
    ax.set_axis_off()
    ax.add_patch(
        Rectangle(
            (0, 0),
            1,
            1,
            transform=ax.transAxes,
            facecolor=PRINT_COLORS["outside"],
            edgecolor="none",
            zorder=0,
        )
    )
    # county fills: plain or choropleth
    fills = np.full(len(codes), COUNTY_FILL_COLOR, dtype=object)
    choro = None
    if choropleth is not None:
        by_county = summary["count_all"] if choropleth is Metric.COUNT else _stated_invest(summary)
        values = by_county.reindex(codes).to_numpy(dtype=float)
        idx, labels, colors = _choropleth_classes(values, integer=choropleth is Metric.COUNT)
        fills = np.array([colors[i] if i >= 0 else COUNTY_FILL_COLOR for i in idx], dtype=object)
        if (idx < 0).any():
            # counties without a value keep the plain fill, named in the legend
            labels = [*labels, t("print_no_data", lang)]
            colors = (*colors, COUNTY_FILL_COLOR)
        choro = (choropleth, labels, colors)
    fills = np.where(focus_mask, fills, PRINT_COLORS["paper"])
    counties_m.plot(
        ax=ax,
        color=list(fills),
        edgecolor=COUNTY_LINE_COLOR,
        linewidth=0.8 * scale,
        zorder=2,
    )
    if focus_adcode:
        counties_m[focus_mask].boundary.plot(
            ax=ax, color=PRINT_COLORS["ink"], linewidth=1.8 * scale, zorder=6
        )
    # county names at a point inside each polygon, clear of sparse points
    pts = projects.to_crs(METRIC_CRS)
    obstacles = np.empty((0, 3))
    if 0 < len(pts) <= PRINT_STACK_LABEL_LIMIT:
        xy = np.column_stack([pts.geometry.x.to_numpy(), pts.geometry.y.to_numpy()])
        uniq, n = np.unique(np.round(xy, 0), axis=0, return_counts=True)
        # the "×n" labels sit right of stacked points
        shift = np.array([0.03, 0.008]) * (extent[2] - extent[0])
        stacks = uniq[n > 1]
        # weight: a stack label (and its points) counts more than a lone point
        obstacles = np.vstack(
            [
                np.column_stack([xy, np.ones(len(xy))]),
                np.column_stack([stacks + shift, np.full(len(stacks), 10.0)]),
                np.column_stack([stacks, np.full(len(stacks), 10.0)]),
            ]
        )
    visible = counties_m.geometry.intersection(shapely.box(*extent))
    for code, shape, focused in zip(codes, visible, focus_mask, strict=True):
        if shape.is_empty or shape.area < 0.01 * (extent[2] - extent[0]) ** 2:
            continue
        px, py = _label_position(shape, obstacles, extent)
        ax.text(
            px,
            py,
            _county_label(code, lang, short=True),
            ha="center",
            va="center",
            fontsize=(11 if focus_adcode and focused else 8.5) * scale,
            fontweight="bold" if focused else "normal",
            color=PRINT_COLORS["label"] if focused else PRINT_COLORS["muted"],
            zorder=8,
            bbox=_label_box(scale),
        )
    # projects: one scatter per category and precision
    counts = {cat.value: 0 for cat in Category}
    approximate = False
    if len(pts):
        xs, ys = pts.geometry.x.to_numpy(), pts.geometry.y.to_numpy()
        cats = pts["category"].astype(str).to_numpy()
        rough = pts["precision"].astype(str).isin(APPROXIMATE_PRECISIONS).to_numpy()
        approximate = bool(rough.any())
        size = _marker_size(len(pts), scale)
        dense = len(pts) > 1500
        for cat in Category:
            mask = cats == cat.value
            counts[cat.value] = int(mask.sum())
            color = CATEGORY_COLORS[cat.value]
            for hollow in (False, True):
                sel = mask & (rough if hollow else ~rough)
                if not sel.any():
                    continue
                ax.scatter(
                    xs[sel],
                    ys[sel],
                    s=size,
                    marker=CATEGORY_SYMBOLS[cat.value].marker,
                    facecolors=PRINT_COLORS["paper"] if hollow else color,
                    edgecolors=color if hollow else ("none" if dense else PRINT_COLORS["paper"]),
                    linewidths=(1.1 if hollow else 0.4) * scale,
                    alpha=0.6 if dense else 0.95,
                    zorder=11 if hollow else 10,
                    rasterized=len(pts) > PRINT_RASTERIZE_ABOVE,
                )
        if len(pts) <= PRINT_STACK_LABEL_LIMIT:
            _label_stacks(ax, xs, ys, scale=scale, extent=extent)
    _draw_scale_bar(ax, extent, scale, lang)
    # true north at the map centre
    to_wgs = Transformer.from_crs(METRIC_CRS, WGS84, always_xy=True)
    center = to_wgs.transform((extent[0] + extent[2]) / 2, (extent[1] + extent[3]) / 2)
    _draw_north_arrow(ax, extent, scale, lang, center)
    return _MapResult(
        counts=counts, choropleth=choro, focus=bool(focus_adcode), approximate=approximate
    )


def _draw_legend(ax: Axes, result: _MapResult, *, lang: str, scale: float) -> None:
    """Draw the categorical legend (and choropleth classes) in the side panel."""
    ax.set_axis_off()
    handles: list[Line2D | Patch] = []
    for cat in Category:
        n = result.counts.get(cat.value, 0)
        label = (
            f"{_category_label(cat.value, lang)}（{n}）"
            if Lang(lang) is Lang.ZH
            else (f"{_category_label(cat.value, lang)} ({n})")
        )
        handles.append(
            Line2D(
                [],
                [],
                linestyle="none",
                marker=CATEGORY_SYMBOLS[cat.value].marker,
                markersize=8 * scale,
                markerfacecolor=CATEGORY_COLORS[cat.value],
                markeredgecolor=PRINT_COLORS["paper"],
                label=label,
            )
        )
    if result.approximate:
        handles.append(
            Line2D(
                [],
                [],
                linestyle="none",
                marker="o",
                markersize=8 * scale,
                markerfacecolor=PRINT_COLORS["paper"],
                markeredgecolor=PRINT_COLORS["text"],
                markeredgewidth=1.1 * scale,
                label=t("print_approximate", lang),
            )
        )
    handles.append(
        Patch(
            facecolor=COUNTY_FILL_COLOR,
            edgecolor=COUNTY_LINE_COLOR,
            label=t("print_county_line", lang),
        )
    )
    if result.focus:
        handles.append(
            Patch(
                facecolor=PRINT_COLORS["paper"],
                edgecolor=COUNTY_LINE_COLOR,
                label=t("print_other_counties", lang),
            )
        )
    legend = ax.legend(
        handles=handles,
        loc="upper left",
        title=t("print_legend", lang),
        fontsize=8.5 * scale,
        title_fontsize=10 * scale,
        frameon=False,
        alignment="left",
        borderaxespad=0,
    )
    if result.choropleth is None:
        return
    ax.add_artist(legend)
    kind, labels, colors = result.choropleth
    patches = [
        Patch(facecolor=color, edgecolor=COUNTY_LINE_COLOR, label=label)
        for label, color in zip(labels, colors, strict=True)
    ]
    ax.legend(
        handles=patches,
        loc="upper left",
        bbox_to_anchor=(0, 0.48),
        title=t("print_count" if kind is Metric.COUNT else "print_investment", lang),
        fontsize=8 * scale,
        title_fontsize=9 * scale,
        frameon=False,
        alignment="left",
        borderaxespad=0,
    )


def _summary_rows(
    projects: pd.DataFrame,
    counties: pd.DataFrame,
    summary: pd.DataFrame,
    *,
    focus_adcode: str | None,
    lang: str,
) -> tuple[list[str], list[list[str]]]:
    """Rows of the summary table: per county, or per category for one county."""
    if focus_adcode:
        header = [
            t("print_table_category", lang),
            t("print_table_count", lang),
            t("print_table_invest", lang),
        ]
        rows = []
        for cat in Category:
            sel = projects[projects["category"].astype(str) == cat.value]
            invest = pd.to_numeric(sel["investment_yi"], errors="coerce").sum(min_count=1)
            rows.append([_category_label(cat.value, lang), str(len(sel)), _fmt_invest(invest)])
        invest = pd.to_numeric(projects["investment_yi"], errors="coerce").sum(min_count=1)
        rows.append([t("print_total", lang), str(len(projects)), _fmt_invest(invest)])
        return header, rows
    header = [
        t("print_table_county", lang),
        t("print_table_count", lang),
        *(_category_label(c.value, lang) for c in Category),
        t("print_table_invest", lang),
    ]
    invest = _stated_invest(summary)
    rows = []
    for code, row in summary.iterrows():
        rows.append(
            [
                _county_label(str(code), lang, short=True),
                str(int(row["count_all"])),
                *(str(int(row[f"count_{c}"])) for c in Category),
                _fmt_invest(invest[code]),
            ]
        )
    rows.append(
        [
            t("print_total", lang),
            str(int(summary["count_all"].sum())),
            *(str(int(summary[f"count_{c}"].sum())) for c in Category),
            _fmt_invest(invest.sum(min_count=1)),
        ]
    )
    return header, rows


def _draw_table(
    ax: Axes, header: list[str], rows: list[list[str]], *, lang: str, scale: float
) -> None:
    """Draw the summary table filling the panel axes."""
    ax.set_axis_off()
    n_rows = len(rows) + 1
    height = min(1.0, n_rows * 0.062)
    table = ax.table(
        cellText=rows,
        colLabels=header,
        cellLoc="center",
        colLoc="center",
        bbox=(0, 1 - height, 1, height),
    )
    table.auto_set_font_size(False)
    table.set_fontsize(7.5 * scale)
    widths = [0.26] + [0.74 / (len(header) - 1)] * (len(header) - 1)
    for (r, c), cell in table.get_celld().items():
        cell.set_linewidth(0.4 * scale)
        cell.set_edgecolor(PRINT_COLORS["table_edge"])
        cell.set_width(widths[c])
        if r == 0:
            cell.set_facecolor(PRINT_COLORS["table_header"])
            cell.get_text().set_fontweight("bold")
        elif r == n_rows - 1:
            cell.set_facecolor(PRINT_COLORS["table_total"])
            cell.get_text().set_fontweight("bold")
    ax.text(
        0,
        1 - height - 0.02,
        t("print_invest_note", lang),
        transform=ax.transAxes,
        ha="left",
        va="top",
        fontsize=6.5 * scale,
        color=PRINT_COLORS["muted"],
    )


def render_map(
    projects: gpd.GeoDataFrame,
    counties: gpd.GeoDataFrame,
    *,
    title: str | None = None,
    subtitle: str = "",
    paper: Paper = Paper.A4,
    orientation: Orientation = Orientation.LANDSCAPE,
    choropleth: str | None = None,
    summary_table: bool = False,
    lang: str = "zh",
    focus_adcode: str | None = None,
    map_date: datetime | None = None,
) -> Figure:
    """Draw a print-ready map page of ``projects`` over the counties.

    Parameters
    ----------
    projects : geopandas.GeoDataFrame
        Register rows (Point geometries, EPSG:4326) to draw.
    counties : geopandas.GeoDataFrame
        County polygons from :func:`geodata.boundaries.load_counties` (EPSG:4326).
    title : str, optional
        Page title; :func:`default_title` when ``None``.
    subtitle : str
        Line under the title stating the filters; when empty, the number of
        projects shown.
    paper : Paper
        A4 or A3; the figure is exactly the paper size.
    orientation : Orientation
        Landscape (legend and table at the right) or portrait (below).
    choropleth : {"count", "investment"} or Metric, optional
        Fill counties by number of projects or by stated investment.
    summary_table : bool
        Add the county summary table (per category for a focused county).
        Counties count projects as :func:`geodata.join.county_summary` does
        (the app's county ranking); projects with no county get a last
        县区未明 row.
    lang : {"zh", "en"}
        Language of the page furniture.
    focus_adcode : str, optional
        Zoom to this county and draw the others faint.
    map_date : datetime, optional
        Date printed in the footer; today by default.

    Returns
    -------
    matplotlib.figure.Figure
        The page; pass it to :func:`save_map`.

    Raises
    ------
    ValueError
        If an input is not EPSG:4326, or an option is unknown.
    FontNotFoundError
        If no CJK font is installed.
    """
    require_wgs84(projects, what="projects")
    require_wgs84(counties, what="counties")
    try:
        lang = Lang(lang)
    except ValueError:
        raise ValueError(f"unknown language {lang!r}; use 'zh' or 'en'") from None
    try:
        metric = Metric(choropleth) if choropleth is not None else None
    except ValueError:
        raise ValueError(
            f"unknown choropleth {choropleth!r}; use 'count' or 'investment'"
        ) from None
    if focus_adcode is not None and focus_adcode not in set(counties["adcode"].astype(str)):
        raise ValueError(f"unknown county adcode {focus_adcode!r}")
    paper, orientation = Paper(paper), Orientation(orientation)
    with print_style():
        width, height = page_size_inches(paper, orientation)
        fig = Figure(figsize=(width, height))
        fig.patch.set_facecolor(PRINT_COLORS["paper"])
        lay = _layout(width, height)
        s = lay.scale
        # title and subtitle
        fig.text(
            0.5,
            lay.title_y,
            title if title is not None else default_title(focus_adcode=focus_adcode, lang=lang),
            ha="center",
            va="center",
            fontsize=18 * s,
            fontweight="bold",
        )
        projects_word = t("print_projects", lang)
        n_label = (
            f"共 {len(projects)} {projects_word}"
            if lang is Lang.ZH
            else f"{len(projects)} {projects_word}"
        )
        everything = t("print_all", lang)
        if focus_adcode:
            place = _county_label(focus_adcode, lang)
            everything = f"{place}全部项目" if lang is Lang.ZH else f"All projects in {place}"
        fig.text(
            0.5,
            lay.subtitle_y,
            f"{subtitle} · {n_label}" if subtitle else f"{everything} · {n_label}",
            ha="center",
            va="center",
            fontsize=10 * s,
            color=PRINT_COLORS["text"],
        )
        # map
        ax = fig.add_axes(lay.map_box)
        aspect = (lay.map_box[2] * width) / (lay.map_box[3] * height)
        summary = county_summary(projects, counties, unplaced_row=True)
        result = _draw_map(
            ax,
            projects,
            counties,
            summary=summary,
            choropleth=metric,
            focus_adcode=focus_adcode,
            lang=lang,
            scale=s,
            aspect=aspect,
        )
        for spine in ("left", "right", "top", "bottom"):
            ax.spines[spine].set_visible(True)
        frame = Rectangle(
            (0, 0),
            1,
            1,
            transform=ax.transAxes,
            fill=False,
            edgecolor=PRINT_COLORS["text"],
            linewidth=0.8 * s,
            zorder=30,
        )
        ax.add_patch(frame)
        # legend and optional table
        _draw_legend(fig.add_axes(lay.panel_box), result, lang=lang, scale=s)
        if summary_table:
            header, rows = _summary_rows(
                projects, counties, summary, focus_adcode=focus_adcode, lang=lang
            )
            _draw_table(fig.add_axes(lay.table_box), header, rows, lang=lang, scale=s)
        # footer: source, date, provenance placeholder filled by save_map
        left = lay.map_box[0]
        right = 1 - left
        day = (map_date or datetime.now(UTC)).strftime("%Y-%m-%d")
        fig.text(
            left,
            lay.footer_y + 4.2 * s / (height / _MM),
            PRINT_SOURCE_ZH if lang is Lang.ZH else PRINT_SOURCE_EN,
            ha="left",
            va="bottom",
            fontsize=7 * s,
            color=PRINT_COLORS["text"],
        )
        fig.text(
            right,
            lay.footer_y + 4.2 * s / (height / _MM),
            f"{t('print_date', lang)}{'：' if lang is Lang.ZH else ': '}{day}",
            ha="right",
            va="bottom",
            fontsize=7 * s,
            color=PRINT_COLORS["text"],
        )
        prov = fig.text(
            left,
            lay.footer_y,
            "",
            ha="left",
            va="bottom",
            fontsize=6.5 * s,
            color=PRINT_COLORS["muted"],
        )
        prov.set_gid(PROVENANCE_GID)
    fig.set_label(f"lang={lang}")
    return fig


def stamp_provenance(fig: Figure, provenance: Provenance) -> None:
    """Write the provenance line into the footer of a :func:`render_map` page.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
        The page (a page from elsewhere gets the line at its bottom left).
    provenance : Provenance
        Filters, data version and export time.
    """
    lang = "en" if fig.get_label() == "lang=en" else "zh"
    for artist in fig.texts:
        if artist.get_gid() == PROVENANCE_GID:
            artist.set_text(provenance.footer(lang=lang))
            return
    with print_style():
        line = fig.text(
            0.02, 0.005, provenance.footer(lang=lang), fontsize=6, color=PRINT_COLORS["muted"]
        )
    line.set_gid(PROVENANCE_GID)


def _page_title(fig: Figure) -> str:
    """Return the largest text of the page (its title)."""
    best, size = "", 0.0
    for artist in fig.texts:
        if artist.get_text() and artist.get_fontsize() > size:
            best, size = artist.get_text(), artist.get_fontsize()
    return best


def file_metadata(
    fmt: ExportFormat | str, *, title: str, provenance: Provenance
) -> dict[str, object]:
    """Metadata for matplotlib's ``savefig(metadata=...)`` in ``fmt``.

    Parameters
    ----------
    fmt : ExportFormat or str
        ``png``, ``pdf`` or ``svg``.
    title : str
        Document title.
    provenance : Provenance
        Filters, data version, export time.

    Returns
    -------
    dict
        PDF: Title, Subject, Keywords, CreationDate, Creator. PNG: text chunks
        Title, Description, Data-Version, Filters, Creation Time. SVG: Dublin
        Core Title, Description, Keywords, Date.
    """
    fmt = ExportFormat(fmt)
    footer = provenance.footer()
    creator = "长治项目一张图 · Changzhi Project Map"
    if fmt is ExportFormat.PDF:
        return {
            "Title": title,
            "Subject": footer,
            "Keywords": provenance.keywords(),
            "CreationDate": provenance.exported_at,
            "Creator": creator,
        }
    if fmt is ExportFormat.PNG:
        return {
            "Title": title,
            "Description": footer,
            "Data-Version": provenance.data_version,
            "Register-Version": provenance.register_version,
            "Filters": provenance.filters,
            "Creation Time": provenance.exported_at.isoformat(),
            "Software": creator,
        }
    return {
        "Title": title,
        "Description": footer,
        "Keywords": [
            f"data_version={provenance.data_version}",
            f"register_version={provenance.register_version}",
            f"filters={provenance.filters}",
        ],
        "Date": provenance.exported_at.isoformat(),
        "Creator": creator,
    }


def save_map(
    fig: Figure,
    path: Path | str | io.BytesIO,
    *,
    fmt: ExportFormat | str,
    dpi: int = 150,
    provenance: Provenance,
) -> None:
    """Write a page from :func:`render_map` as PNG, PDF or SVG.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
        The page.
    path : Path, str or io.BytesIO
        Destination file or buffer.
    fmt : ExportFormat or str
        ``png``, ``pdf`` (vector) or ``svg`` (vector, text kept as text).
    dpi : int
        Raster resolution (PNG, and rasterised point layers in PDF/SVG).
    provenance : Provenance
        Written into the footer and the file metadata.

    Raises
    ------
    ValueError
        If ``fmt`` is unknown or ``dpi`` is not between 50 and 1200.
    """
    fmt = ExportFormat(fmt)
    if not 50 <= int(dpi) <= 1200:
        raise ValueError(f"dpi must be between 50 and 1200, got {dpi}")
    stamp_provenance(fig, provenance)
    meta = file_metadata(fmt, title=_page_title(fig), provenance=provenance)
    with print_style():
        fig.savefig(
            path, format=fmt.value, dpi=int(dpi), metadata=meta, facecolor=PRINT_COLORS["paper"]
        )


def map_bytes(
    projects: gpd.GeoDataFrame,
    counties: gpd.GeoDataFrame,
    *,
    fmt: ExportFormat | str = ExportFormat.PNG,
    paper: Paper = Paper.A4,
    orientation: Orientation = Orientation.LANDSCAPE,
    dpi: int = 150,
    title: str | None = None,
    subtitle: str = "",
    filters: Mapping[str, str] | str = "",
    choropleth: str | None = None,
    summary_table: bool = True,
    lang: str = "zh",
    focus_adcode: str | None = None,
    register_version: str = "",
) -> bytes:
    """Render and save a page in memory (for download buttons).

    Parameters
    ----------
    projects, counties : geopandas.GeoDataFrame
        As in :func:`render_map`.
    fmt : ExportFormat or str
        ``png``, ``pdf`` or ``svg``.
    paper, orientation, dpi, title, choropleth, summary_table, lang, focus_adcode
        As in :func:`render_map` and :func:`save_map`.
    subtitle : str
        Subtitle; the filters text when empty and filters are given.
    filters : Mapping[str, str] or str
        Filters of the selection, for the subtitle and the provenance.
    register_version : str
        Version of the whole register, for the provenance.

    Returns
    -------
    bytes
        The file content.
    """
    provenance = make_provenance(projects, filters=filters, register_version=register_version)
    fig = render_map(
        projects,
        counties,
        title=title,
        subtitle=subtitle or provenance.filters,
        paper=paper,
        orientation=orientation,
        choropleth=choropleth,
        summary_table=summary_table,
        lang=lang,
        focus_adcode=focus_adcode,
    )
    buf = io.BytesIO()
    save_map(fig, buf, fmt=fmt, dpi=dpi, provenance=provenance)
    return buf.getvalue()
