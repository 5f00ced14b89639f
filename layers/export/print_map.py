"""Print-ready maps of the project register: PNG, PDF and SVG without a browser.

A page is drawn with matplotlib and GeoPandas in :data:`~geodata.settings.METRIC_CRS`
(UTM zone 49N, metres), so the scale bar is true. Every page carries a title,
a subtitle stating the filters, county boundaries and names, projects coloured
and shaped by category (colours from :data:`~geodata.settings.CATEGORY_COLORS`),
an optional county choropleth (classes of :func:`layers.shading.shade`, as on
the web map), a categorical legend, a scale bar in kilometres, a north arrow
(rotated by the grid convergence), the date, the data source and an optional
county summary table. :func:`save_map` adds the provenance (filters, data
version, export time) to the footer and to the file metadata.

The pieces live in plumbing modules: page geometry (``_print_layout``), the
map body (``_print_canvas``), legend and table (``_print_legend``), title,
scale bar, north arrow and footer (``_print_furniture``) and fonts
(``_print_fonts``: every text is drawn with an explicit CJK font and never
parsed as mathtext; PDF embeds TrueType/CID fonts, SVG keeps ``<text>``).
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import geopandas as gpd
from matplotlib.figure import Figure
from matplotlib.text import Text

from geodata.coords import require_wgs84
from geodata.i18n import Lang, county_name, t
from geodata.join import county_summary
from geodata.settings import PRINT_COLORS, PRINT_DPI_RANGE
from layers.export._names import default_title
from layers.export._print_canvas import draw_map
from layers.export._print_fonts import embedding_rules, in_typed_order
from layers.export._print_furniture import draw_footer, draw_frame, draw_titles
from layers.export._print_layout import layout, page_size_inches
from layers.export._print_legend import draw_legend, draw_table, summary_rows
from layers.export.provenance import Provenance, file_metadata
from layers.export.request import Orientation, Paper
from layers.shading import ChoroplethChoice

PRINT_FORMATS: tuple[str, ...] = ("png", "pdf", "svg")
"""File formats of one print page."""


@dataclass(frozen=True, slots=True)
class PrintPage:
    """A drawn page and what its file needs to know.

    Attributes
    ----------
    figure : matplotlib.figure.Figure
        The page, exactly the paper size.
    title : str
        Its title (the document title of the file).
    lang : Lang
        Its language (of the provenance line).
    provenance_line : matplotlib.text.Text
        The footer line :func:`stamp_provenance` fills.
    """

    figure: Figure
    title: str
    lang: Lang
    provenance_line: Text


def check_dpi(dpi: int) -> int:
    """Return ``dpi`` as an int, or raise ValueError outside :data:`PRINT_DPI_RANGE`."""
    lo, hi = PRINT_DPI_RANGE
    if not lo <= int(dpi) <= hi:
        raise ValueError(f"dpi must be between {lo} and {hi}, got {dpi}")
    return int(dpi)


def _subtitle(subtitle: str, n: int, *, focus_adcode: str | None, lang: Lang) -> tuple[str, str]:
    """Subtitle: the filters (or "all projects"), and the number of projects apart."""
    n_label = t("print_n_projects", lang, n=n)
    if subtitle:
        return subtitle, n_label
    everything = t("print_all", lang)
    if focus_adcode:
        everything = t("print_all_in", lang, place=county_name(focus_adcode, lang))
    return everything, n_label


def _check_inputs(
    projects: gpd.GeoDataFrame,
    counties: gpd.GeoDataFrame,
    choropleth: ChoroplethChoice | str | None,
    focus_adcode: str | None,
) -> ChoroplethChoice | None:
    """Raise ValueError on a wrong CRS or unknown county; parse the choropleth."""
    require_wgs84(projects, what="projects")
    require_wgs84(counties, what="counties")
    if focus_adcode is not None and focus_adcode not in set(counties["adcode"].astype(str)):
        raise ValueError(f"unknown county adcode {focus_adcode!r}")
    if isinstance(choropleth, str):
        return ChoroplethChoice.from_param(choropleth)
    return choropleth


def render_map(
    projects: gpd.GeoDataFrame,
    counties: gpd.GeoDataFrame,
    *,
    title: str | None = None,
    subtitle: str = "",
    paper: Paper | str = Paper.A4,
    orientation: Orientation | str = Orientation.LANDSCAPE,
    choropleth: ChoroplethChoice | str | None = None,
    summary_table: bool = False,
    lang: Lang = Lang.ZH,
    focus_adcode: str | None = None,
    map_date: datetime | None = None,
) -> PrintPage:
    """Draw a print-ready map page of ``projects`` over the counties.

    Longer than 60 lines for its documentation alone: it is the one entry
    point of every print page (single maps, atlas pages, the pipeline), so
    each option is described here; the body is a short list of calls to the
    ``_print_*`` drawing modules.

    Parameters
    ----------
    projects : geopandas.GeoDataFrame
        Register rows (Point geometries, EPSG:4326) to draw.
    counties : geopandas.GeoDataFrame
        County polygons from :func:`geodata.boundaries.load_counties` (EPSG:4326).
    title : str, optional
        Page title; :func:`default_title` when ``None`` or empty; drawn
        shortened with ``…`` when longer than the page is wide.
    subtitle : str
        Line under the title stating the filters; when empty, "all projects".
        The number of projects shown is added. Title and subtitle are
        shortened with ``…`` to the page width (``fit_line``), never wrapped.
    paper, orientation : Paper, Orientation
        Page size; landscape puts legend and table at the right, portrait below.
    choropleth : ChoroplethChoice or str, optional
        County shading (a string such as ``"count"`` or ``"invest:energy"``
        is parsed with :meth:`ChoroplethChoice.from_param`).
    summary_table : bool
        Add the county summary table (per category for a focused county).
        Counties count projects as :func:`geodata.join.county_summary` does
        (the app's county ranking); projects with no county get a last
        县区未明 row.
    lang : Lang
        Language of the page furniture.
    focus_adcode : str, optional
        Zoom to this county and draw the others faint.
    map_date : datetime, optional
        Date printed in the footer; today by default.

    Returns
    -------
    PrintPage
        The page; pass it to :func:`save_map`.

    Raises
    ------
    ValueError
        If an input is not EPSG:4326, or an option is unknown.
    FontNotFoundError
        If no CJK font is installed.
    """
    choice = _check_inputs(projects, counties, choropleth, focus_adcode)
    paper, orientation = Paper(paper), Orientation(orientation)
    width, height = page_size_inches(paper, orientation)
    fig = Figure(figsize=(width, height))
    fig.patch.set_facecolor(PRINT_COLORS["paper"])
    lay = layout(width, height)
    page_title = title or default_title(focus_adcode=focus_adcode, lang=lang)
    sub, count = _subtitle(subtitle, len(projects), focus_adcode=focus_adcode, lang=lang)
    draw_titles(fig, lay, title=page_title, subtitle=sub, count=count)
    ax = fig.add_axes(lay.map_box)
    summary = county_summary(projects, counties, unplaced_row=True)
    result = draw_map(
        ax,
        projects,
        counties,
        summary=summary,
        choropleth=choice,
        focus_adcode=focus_adcode,
        lang=lang,
        scale=lay.scale,
        aspect=(lay.map_box[2] * width) / (lay.map_box[3] * height),
    )
    draw_frame(ax, lay.scale)
    draw_legend(fig.add_axes(lay.panel_box), result, lang=lang, scale=lay.scale)
    if summary_table:
        header, rows = summary_rows(projects, summary, focus_adcode=focus_adcode, lang=lang)
        draw_table(fig.add_axes(lay.table_box), header, rows, lang=lang, scale=lay.scale)
    prov = draw_footer(fig, lay, lang=lang, day=map_date or datetime.now(UTC))
    return PrintPage(figure=fig, title=page_title, lang=lang, provenance_line=prov)


def stamp_provenance(page: PrintPage, provenance: Provenance) -> None:
    """Write the provenance line, in the page's language, into its footer."""
    page.provenance_line.set_text(in_typed_order(provenance.footer(lang=page.lang)))


def save_map(
    page: PrintPage,
    path: Path | str | io.BytesIO,
    *,
    fmt: str,
    dpi: int = 150,
    provenance: Provenance,
) -> None:
    """Write a page from :func:`render_map` as PNG, PDF or SVG.

    Parameters
    ----------
    page : PrintPage
        The page.
    path : Path, str or io.BytesIO
        Destination file or buffer.
    fmt : str
        ``png``, ``pdf`` (vector) or ``svg`` (vector, text kept as text).
    dpi : int
        Raster resolution (PNG, and rasterised point layers in PDF/SVG).
    provenance : Provenance
        Written into the footer and the file metadata.

    Raises
    ------
    ValueError
        If ``fmt`` is unknown or ``dpi`` is outside :data:`PRINT_DPI_RANGE`.
    """
    fmt = str(fmt).lower()
    if fmt not in PRINT_FORMATS:
        raise ValueError(f"unknown print format {fmt!r}; use one of {', '.join(PRINT_FORMATS)}")
    dpi = check_dpi(dpi)
    stamp_provenance(page, provenance)
    meta = file_metadata(fmt, title=page.title, provenance=provenance)
    with embedding_rules():
        page.figure.savefig(
            path, format=fmt, dpi=dpi, metadata=meta, facecolor=PRINT_COLORS["paper"]
        )


def map_bytes(
    projects: gpd.GeoDataFrame,
    counties: gpd.GeoDataFrame,
    *,
    provenance: Provenance,
    fmt: str = "png",
    dpi: int = 150,
    title: str | None = None,
    subtitle: str = "",
    paper: Paper | str = Paper.A4,
    orientation: Orientation | str = Orientation.LANDSCAPE,
    choropleth: ChoroplethChoice | str | None = None,
    summary_table: bool = True,
    lang: Lang = Lang.ZH,
    focus_adcode: str | None = None,
) -> bytes:
    """Render and save a page in memory.

    Parameters
    ----------
    projects, counties : geopandas.GeoDataFrame
        As in :func:`render_map`.
    provenance : Provenance
        Filters, data version, register version and time of the export.
    fmt : str
        ``png``, ``pdf`` or ``svg``.
    dpi : int
        Raster resolution.
    title, subtitle, paper, orientation, choropleth, summary_table, lang, focus_adcode
        As in :func:`render_map` (the summary table is on by default here);
        the subtitle defaults to the provenance's filters.

    Returns
    -------
    bytes
        The file content.
    """
    page = render_map(
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
    save_map(page, buf, fmt=fmt, dpi=dpi, provenance=provenance)
    return buf.getvalue()
