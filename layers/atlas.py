"""County atlas: one print page per county, as a multi-page PDF or a ZIP of PNGs.

Each page is a :func:`layers.print_map.render_map` page zoomed to one county
(neighbours drawn faint) with that county's projects and its summary table
by category; the page title names the county. The PDF carries document
metadata (title, provenance) like single-page exports.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator, Mapping
from enum import StrEnum
from pathlib import Path

import geopandas as gpd
from matplotlib.backends.backend_pdf import PdfPages
from matplotlib.figure import Figure

from geodata.join import assign_counties
from geodata.settings import CITY_NAME_ZH, PRINT_COLORS
from layers.i18n import Lang
from layers.print_map import (
    REPORT_YEAR,
    ExportFormat,
    Orientation,
    Paper,
    Provenance,
    default_title,
    file_metadata,
    make_provenance,
    print_style,
    render_map,
    save_map,
    stamp_provenance,
)


class AtlasFormat(StrEnum):
    """File format of an atlas."""

    PDF = "pdf"
    ZIP = "zip"

    @property
    def mime(self) -> str:
        """MIME type for download buttons."""
        return "application/pdf" if self is AtlasFormat.PDF else "application/zip"


def atlas_title(*, lang: Lang | str = Lang.ZH) -> str:
    """Document title of the atlas, e.g. ``长治市2025年重大项目分县图集``."""
    if Lang(lang) is Lang.EN:
        return f"Changzhi major projects {REPORT_YEAR}: county atlas"
    return f"{CITY_NAME_ZH}{REPORT_YEAR}年重大项目分县图集"


def atlas_pages(
    projects: gpd.GeoDataFrame,
    counties: gpd.GeoDataFrame,
    *,
    paper: Paper = Paper.A4,
    orientation: Orientation = Orientation.LANDSCAPE,
    subtitle: str = "",
    lang: str = "zh",
) -> Iterator[tuple[str, Figure]]:
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
    paper, orientation, lang
        As in :func:`layers.print_map.render_map`.
    subtitle : str
        Filters shown under every page title.

    Yields
    ------
    tuple[str, matplotlib.figure.Figure]
        County adcode and its page.
    """
    codes = assign_counties(projects, counties)["resolved_adcode"].to_numpy()
    for adcode in sorted(counties["adcode"].astype(str)):
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


def _write_pdf(
    pages: Iterator[tuple[str, Figure]],
    target: Path | io.BytesIO,
    *,
    provenance: Provenance,
    dpi: int,
    lang: str,
) -> None:
    """Write pages into one PDF with document metadata."""
    meta = file_metadata(ExportFormat.PDF, title=atlas_title(lang=lang), provenance=provenance)
    with print_style(), PdfPages(target, metadata=meta) as pdf:
        for _, fig in pages:
            stamp_provenance(fig, provenance)
            pdf.savefig(fig, dpi=dpi, facecolor=PRINT_COLORS["paper"])


def _write_zip(
    pages: Iterator[tuple[str, Figure]],
    target: Path | io.BytesIO,
    *,
    provenance: Provenance,
    dpi: int,
    counties: gpd.GeoDataFrame,
) -> None:
    """Write pages as PNGs into one ZIP, named ``NN_adcode_name.png``."""
    names = dict(zip(counties["adcode"].astype(str), counties["name_zh"], strict=True))
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_STORED) as zf:
        for i, (adcode, fig) in enumerate(pages, start=1):
            buf = io.BytesIO()
            save_map(fig, buf, fmt=ExportFormat.PNG, dpi=dpi, provenance=provenance)
            zf.writestr(f"{i:02d}_{adcode}_{names[adcode]}.png", buf.getvalue())


def write_atlas(
    projects: gpd.GeoDataFrame,
    counties: gpd.GeoDataFrame,
    path: Path | str | io.BytesIO,
    *,
    fmt: AtlasFormat | str = AtlasFormat.PDF,
    paper: Paper = Paper.A4,
    orientation: Orientation = Orientation.LANDSCAPE,
    dpi: int = 150,
    filters: Mapping[str, str] | str = "",
    lang: str = "zh",
    register_version: str = "",
) -> Path | io.BytesIO:
    """Write the county atlas: a multi-page PDF or a ZIP of PNGs.

    Parameters
    ----------
    projects : geopandas.GeoDataFrame
        Register rows (EPSG:4326).
    counties : geopandas.GeoDataFrame
        The 12 counties (EPSG:4326); one page each.
    path : Path, str or io.BytesIO
        Destination.
    fmt : AtlasFormat or str
        ``pdf`` (one page per county) or ``zip`` (one PNG per county).
    paper, orientation : Paper, Orientation
        Page size.
    dpi : int
        PNG resolution (and rasterised dense points in the PDF).
    filters : Mapping[str, str] or str
        Filters of the selection, printed under each title and in the provenance.
    register_version : str
        Version of the whole register, for the provenance.
    lang : {"zh", "en"}
        Language of the pages.

    Returns
    -------
    Path or io.BytesIO
        Where the atlas was written.

    Raises
    ------
    ValueError
        If ``fmt`` or ``dpi`` is invalid, or the inputs are not EPSG:4326.
    """
    try:
        kind = AtlasFormat(str(fmt).lower())
    except ValueError:
        raise ValueError(f"unknown atlas format {fmt!r}; use 'pdf' or 'zip'") from None
    if not 50 <= int(dpi) <= 1200:
        raise ValueError(f"dpi must be between 50 and 1200, got {dpi}")
    provenance = make_provenance(projects, filters=filters, register_version=register_version)
    pages = atlas_pages(
        projects,
        counties,
        paper=paper,
        orientation=orientation,
        subtitle=provenance.filters,
        lang=lang,
    )
    target = path if isinstance(path, io.BytesIO) else Path(path)
    if kind is AtlasFormat.PDF:
        _write_pdf(pages, target, provenance=provenance, dpi=int(dpi), lang=lang)
    else:
        _write_zip(pages, target, provenance=provenance, dpi=int(dpi), counties=counties)
    return target


def atlas_bytes(
    projects: gpd.GeoDataFrame,
    counties: gpd.GeoDataFrame,
    *,
    fmt: AtlasFormat | str = AtlasFormat.PDF,
    paper: Paper = Paper.A4,
    orientation: Orientation = Orientation.LANDSCAPE,
    dpi: int = 150,
    filters: Mapping[str, str] | str = "",
    lang: str = "zh",
    register_version: str = "",
) -> bytes:
    """Return the atlas as bytes (for download buttons); options as :func:`write_atlas`."""
    buf = io.BytesIO()
    write_atlas(
        projects,
        counties,
        buf,
        fmt=fmt,
        paper=paper,
        orientation=orientation,
        dpi=dpi,
        filters=filters,
        lang=lang,
        register_version=register_version,
    )
    return buf.getvalue()
