"""County atlas: one print page per county, as a multi-page PDF or a ZIP of PNGs.

Each page is a :func:`layers.export.print_map.render_map` page zoomed to one
county (neighbours drawn faint) with that county's projects and its summary
table by category; the page title names the county. The PDF carries document
metadata (title, provenance) like single-page exports.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator, Sequence

import geopandas as gpd
from matplotlib.figure import Figure

from geodata.i18n import Lang
from geodata.join import assign_counties
from layers.export._names import atlas_title, default_title
from layers.export._print_pdf import pdf_document
from layers.export.print_map import PrintPage, check_dpi, render_map, save_map, stamp_provenance
from layers.export.provenance import Provenance
from layers.export.request import Orientation, Paper


def atlas_pages(
    projects: gpd.GeoDataFrame,
    counties: gpd.GeoDataFrame,
    *,
    adcodes: Sequence[str] = (),
    paper: Paper | str = Paper.A4,
    orientation: Orientation | str = Orientation.LANDSCAPE,
    subtitle: str = "",
    lang: Lang = Lang.ZH,
) -> Iterator[tuple[str, PrintPage]]:
    """Yield ``(adcode, page)`` for each county, in adcode order.

    Parameters
    ----------
    projects : geopandas.GeoDataFrame
        Register rows (EPSG:4326); each page shows those that count for
        the page's county (``resolved_adcode`` of
        :func:`geodata.join.assign_counties`: the stated county, else the
        county of an exact or place point), as the app's county ranking does.
    counties : geopandas.GeoDataFrame
        The 12 counties (EPSG:4326).
    adcodes : sequence of str
        Counties to make pages for; all when empty.
    paper, orientation, lang
        As in :func:`layers.export.print_map.render_map`.
    subtitle : str
        Filters shown under every page title.

    Yields
    ------
    tuple[str, PrintPage]
        County adcode and its page.
    """
    codes = assign_counties(projects, counties)["resolved_adcode"].to_numpy()
    wanted = set(adcodes)
    for adcode in sorted(counties["adcode"].astype(str)):
        if wanted and adcode not in wanted:
            continue
        yield (
            adcode,
            render_map(
                projects[codes == adcode],
                counties,
                title=default_title(focus_adcode=adcode, lang=lang),
                subtitle=subtitle,
                paper=paper,
                orientation=orientation,
                summary_table=True,
                lang=lang,
                focus_adcode=adcode,
            ),
        )


def _pdf_bytes(pages: list[PrintPage], *, provenance: Provenance, dpi: int, lang: Lang) -> bytes:
    """Write pages into one PDF with document metadata."""

    def figures() -> Iterator[Figure]:
        for page in pages:
            stamp_provenance(page, provenance)
            yield page.figure

    title = atlas_title(lang=lang)
    return pdf_document(figures(), title=title, provenance=provenance, dpi=dpi)


def _zip_bytes(
    pages: list[tuple[str, PrintPage]],
    *,
    provenance: Provenance,
    dpi: int,
    counties: gpd.GeoDataFrame,
) -> bytes:
    """Write pages as PNGs into one ZIP, named ``NN_adcode_name.png``."""
    names = dict(zip(counties["adcode"].astype(str), counties["name_zh"], strict=True))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_STORED) as zf:
        for i, (adcode, page) in enumerate(pages, start=1):
            png = io.BytesIO()
            save_map(page, png, fmt="png", dpi=dpi, provenance=provenance)
            zf.writestr(f"{i:02d}_{adcode}_{names[adcode]}.png", png.getvalue())
    return buf.getvalue()


def atlas_bytes(
    projects: gpd.GeoDataFrame,
    counties: gpd.GeoDataFrame,
    *,
    provenance: Provenance,
    fmt: str = "pdf",
    adcodes: Sequence[str] = (),
    paper: Paper | str = Paper.A4,
    orientation: Orientation | str = Orientation.LANDSCAPE,
    dpi: int = 150,
    lang: Lang = Lang.ZH,
) -> bytes:
    """Return the county atlas: a multi-page PDF or a ZIP of one PNG per county.

    Parameters
    ----------
    projects : geopandas.GeoDataFrame
        Register rows (EPSG:4326).
    counties : geopandas.GeoDataFrame
        The 12 counties (EPSG:4326).
    provenance : Provenance
        Filters (printed under each title), data and register version, time.
    fmt : {"pdf", "png"}
        One PDF page per county, or a ZIP of one PNG per county.
    adcodes : sequence of str
        Counties to make pages for; all when empty.
    paper, orientation : Paper, Orientation
        Page size.
    dpi : int
        PNG resolution (and rasterised dense points in the PDF).
    lang : Lang
        Language of the pages.

    Returns
    -------
    bytes
        The file content.

    Raises
    ------
    ValueError
        If ``fmt`` or ``dpi`` is invalid, or the inputs are not EPSG:4326.
    """
    fmt = str(fmt).lower()
    if fmt not in ("pdf", "png"):
        raise ValueError(f"unknown atlas format {fmt!r}; use 'pdf' or 'png' (a ZIP of PNGs)")
    dpi = check_dpi(dpi)
    # pages are drawn before the file is written, outside the writers' lock
    pages = list(atlas_pages(
        projects, counties, adcodes=adcodes, paper=paper, orientation=orientation,
        subtitle=provenance.filters, lang=lang,
    ))  # fmt: skip
    if fmt == "pdf":
        return _pdf_bytes([p for _, p in pages], provenance=provenance, dpi=dpi, lang=lang)
    return _zip_bytes(pages, provenance=provenance, dpi=dpi, counties=counties)
