"""Map snapshots from the command line: one page, an HTML map or the county atlas.

Usage::

    python -m layers.snapshot --format png --out map.png [--county 潞州区]
        [--category energy] [--paper A3] [--orientation portrait] [--dpi 300]
        [--title TEXT] [--choropleth count] [--table] [--lang en]
    python -m layers.snapshot --atlas --format pdf --out atlas.pdf

Counties are accepted by today's name, former name, short name or adcode
(:func:`geodata.divisions.county_adcode`). Every entry point, the command
line and the app's export panel alike, goes through :func:`snapshot`:
validate the request, load the register and boundaries, build the file. A
bad argument prints one line on stderr and exits with status 2.
"""

from __future__ import annotations

import argparse
import html
import os
import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import NoReturn

import geopandas as gpd
import numpy as np

from geodata.boundaries import load_counties
from geodata.divisions import BY_ADCODE, county_adcode
from geodata.join import assign_counties, county_summary
from geodata.schema import Category
from geodata.store import StoreError, open_default_store, open_store
from layers.atlas import atlas_bytes, atlas_title
from layers.counties import ChoroplethSpec, Metric
from layers.html_export import self_contained_html
from layers.i18n import Lang
from layers.map import build_map
from layers.print_map import (
    FontNotFoundError,
    Orientation,
    Paper,
    data_version,
    default_title,
    map_bytes,
)

SNAPSHOT_FORMATS: tuple[str, ...] = ("png", "pdf", "svg", "html")
"""Formats of a single snapshot."""

ATLAS_FORMATS: tuple[str, ...] = ("pdf", "zip")
"""Formats of the county atlas."""

DPI_RANGE: tuple[int, int] = (50, 1200)
"""Accepted raster resolutions (inclusive)."""


class SnapshotError(ValueError):
    """A snapshot request that cannot be fulfilled; the message is for the user."""


@dataclass(frozen=True, slots=True)
class SnapshotRequest:
    """A validated snapshot request.

    Attributes
    ----------
    fmt : str
        One of :data:`SNAPSHOT_FORMATS`, or of :data:`ATLAS_FORMATS` for an atlas.
    out : Path or None
        Destination file; ``None`` to return bytes.
    adcode : str or None
        County filter (today's adcode).
    category : Category or None
        Category filter.
    paper, orientation : Paper, Orientation
        Page size.
    dpi : int
        Raster resolution.
    title : str or None
        Page title (default title when ``None``).
    atlas : bool
        Build the 12-page county atlas instead of one page.
    choropleth : str or None
        ``count`` or ``investment``.
    table : bool
        Add the summary table.
    lang : Lang
        Chinese or English.
    """

    fmt: str
    out: Path | None
    adcode: str | None
    category: Category | None
    paper: Paper
    orientation: Orientation
    dpi: int
    title: str | None
    atlas: bool
    choropleth: str | None
    table: bool
    lang: Lang

    def filters(self) -> dict[str, str]:
        """Return the filters as ``{label: value}`` in the request's language."""
        zh = Lang(self.lang) is Lang.ZH
        out: dict[str, str] = {}
        if self.adcode:
            div = BY_ADCODE[self.adcode]
            out["县区" if zh else "County"] = div.name_zh if zh else div.name_en
        if self.category is not None:
            out["类别" if zh else "Category"] = self.category.zh if zh else self.category.en
        return out


def _check_out(out: Path) -> Path:
    """Raise unless ``out`` can be written (folder exists and is writable)."""
    if out.is_dir():
        raise SnapshotError(f"--out {out} is a folder; give a file name")
    parent = out.parent if str(out.parent) else Path()
    if not parent.is_dir():
        raise SnapshotError(f"cannot write {out}: folder {parent} does not exist")
    if not os.access(parent, os.W_OK) or (out.exists() and not os.access(out, os.W_OK)):
        raise SnapshotError(f"cannot write {out}: permission denied")
    return out


def make_request(
    *,
    fmt: str,
    out: Path | str | None = None,
    county: str | None = None,
    category: str | None = None,
    paper: str = "A4",
    orientation: str = "landscape",
    dpi: int = 150,
    title: str | None = None,
    atlas: bool = False,
    choropleth: str | None = None,
    table: bool = True,
    lang: str = "zh",
) -> SnapshotRequest:
    """Validate snapshot options into a :class:`SnapshotRequest`.

    Parameters
    ----------
    fmt : str
        ``png``, ``pdf``, ``svg`` or ``html``; for an atlas ``pdf`` or ``zip``.
    out : Path or str, optional
        Destination file (checked to be writable).
    county : str, optional
        County name, former name, short name or adcode.
    category : str, optional
        ``energy``, ``industry`` or ``livelihood``.
    paper, orientation : str
        ``A4``/``A3`` and ``landscape``/``portrait``.
    dpi : int
        Raster resolution, 50 to 1200.
    title : str, optional
        Page title.
    atlas : bool
        One page per county.
    choropleth : str, optional
        ``count`` or ``investment``.
    table : bool
        Add the summary table.
    lang : str
        ``zh`` or ``en``.

    Returns
    -------
    SnapshotRequest
        The validated request.

    Raises
    ------
    SnapshotError
        With a one-line message naming the bad option.
    """
    fmt = str(fmt).lower()
    allowed = ATLAS_FORMATS if atlas else SNAPSHOT_FORMATS
    if fmt not in allowed:
        what = "atlas" if atlas else "snapshot"
        raise SnapshotError(f"unknown {what} format {fmt!r}; use one of {', '.join(allowed)}")
    adcode = None
    if county:
        if atlas:
            raise SnapshotError("--county cannot be combined with --atlas (it has every county)")
        adcode = county_adcode(county)
        if adcode is None:
            raise SnapshotError(
                f"unknown county {county!r}; use a name such as 潞州区 or an adcode"
            )
    try:
        cat = Category(category) if category else None
    except ValueError:
        known = ", ".join(c.value for c in Category)
        raise SnapshotError(f"unknown category {category!r}; use one of {known}") from None
    try:
        paper_ = Paper(str(paper).upper())
        orientation_ = Orientation(str(orientation).lower())
    except ValueError as exc:
        raise SnapshotError(f"bad page option: {exc}") from None
    try:
        dpi_ = int(dpi)
    except (TypeError, ValueError):
        raise SnapshotError(f"dpi must be a whole number, got {dpi!r}") from None
    if not DPI_RANGE[0] <= dpi_ <= DPI_RANGE[1]:
        raise SnapshotError(f"dpi must be between {DPI_RANGE[0]} and {DPI_RANGE[1]}, got {dpi_}")
    if choropleth is not None:
        try:
            Metric(choropleth)
        except ValueError:
            raise SnapshotError(
                f"unknown choropleth {choropleth!r}; use count or investment"
            ) from None
    try:
        lang_ = Lang(lang)
    except ValueError:
        raise SnapshotError(f"unknown language {lang!r}; use zh or en") from None
    return SnapshotRequest(
        fmt=fmt,
        out=_check_out(Path(out)) if out is not None else None,
        adcode=adcode,
        category=cat,
        paper=paper_,
        orientation=orientation_,
        dpi=dpi_,
        title=title or None,
        atlas=atlas,
        choropleth=choropleth,
        table=table,
        lang=lang_,
    )


def export_filename(
    fmt: str,
    *,
    adcode: str | None = None,
    kind: str = "map",
    lang: str = "zh",
    today: date | None = None,
) -> str:
    """Suggest a file name for a download, e.g. ``长治市2025年重大项目分布图_20261126.pdf``.

    Parameters
    ----------
    fmt : str
        File extension (``png``, ``pdf``, ``svg``, ``html``, ``zip``, ``csv`` ...).
    adcode : str, optional
        County of the selection.
    kind : {"map", "atlas", "extract"}
        What is exported.
    lang : {"zh", "en"}
        Language of the name.
    today : datetime.date, optional
        Date stamp; today by default.

    Returns
    -------
    str
        A file name without folder.
    """
    stamp = (today or date.today()).strftime("%Y%m%d")
    if kind == "atlas":
        stem = atlas_title(lang=lang)
    elif kind == "extract":
        place = _place(adcode, lang)
        stem = f"{place}2025年重大项目清单" if Lang(lang) is Lang.ZH else f"{place}_projects_2025"
    else:
        stem = default_title(focus_adcode=adcode, lang=lang)
    stem = re.sub(r"[^\w-]+", "_", stem).strip("_")
    return f"{stem}_{stamp}.{fmt.lower()}"


def _place(adcode: str | None, lang: str) -> str:
    """Name of the county, or of the city when ``adcode`` is ``None``."""
    if adcode and adcode in BY_ADCODE:
        div = BY_ADCODE[adcode]
        return div.name_zh if Lang(lang) is Lang.ZH else div.pinyin
    return "长治市" if Lang(lang) is Lang.ZH else "Changzhi"


def load_data(store: str | None = None) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame, str]:
    """Load the current register from the store, and the county boundaries.

    Parameters
    ----------
    store : str, optional
        Path or URL of the project store; ``None``: the run's store
        (``CHANGZHI_STORE``, the same one the app reads; only the embedded
        default is created when missing).

    Returns
    -------
    tuple
        Projects and counties (EPSG:4326), and the register version for the
        provenance (store version and content hash).

    Raises
    ------
    SnapshotError
        If the store cannot be opened or read.
    """
    try:
        opened = open_store(store) if store else open_default_store()
        version = opened.current_version()
        projects = opened.projects(version=version)
    except (StoreError, OSError, ValueError) as exc:
        where = store or "(default)"
        raise SnapshotError(f"cannot read the project store {where}: {exc}") from None
    return projects, load_counties(), f"v{version}·{data_version(projects)}"


def select(
    projects: gpd.GeoDataFrame, counties: gpd.GeoDataFrame, request: SnapshotRequest
) -> gpd.GeoDataFrame:
    """Apply the request's county and category filters to the projects.

    A project is in a county when it counts for it in
    :func:`geodata.join.county_summary` (its ``resolved_adcode``), as in the app.
    """
    keep = np.ones(len(projects), dtype=bool)
    if request.adcode:
        resolved = assign_counties(projects, counties)["resolved_adcode"]
        keep &= resolved.to_numpy() == request.adcode
    if request.category is not None:
        keep &= projects["category"].astype(str).to_numpy() == request.category.value
    return projects[keep]


def _html(
    projects: gpd.GeoDataFrame, counties: gpd.GeoDataFrame, request: SnapshotRequest
) -> bytes:
    """Build the interactive map and inline it into one offline HTML file.

    The request's choropleth fills the counties (summary of the chosen
    projects, as in the app) and its title, or the default title, names the page.
    """
    spec = None
    if request.choropleth is not None:
        spec = ChoroplethSpec(
            summary=county_summary(projects, counties),
            metric=Metric(request.choropleth),
            category=request.category,
        )
    m = build_map(projects, counties, lang=request.lang, choropleth=spec)
    title = request.title or default_title(focus_adcode=request.adcode, lang=request.lang)
    # branca writes the figure title into <title> unescaped
    m.get_root().title = html.escape(title)
    return self_contained_html(m).encode("utf-8")


def snapshot(
    request: SnapshotRequest,
    *,
    projects: gpd.GeoDataFrame | None = None,
    counties: gpd.GeoDataFrame | None = None,
    store: str | None = None,
    register_version: str = "",
) -> bytes:
    """Build the file a request asks for (and write it when ``request.out`` is set).

    Parameters
    ----------
    request : SnapshotRequest
        From :func:`make_request`.
    projects, counties : geopandas.GeoDataFrame, optional
        Data to use; read from ``store`` and the boundaries when ``None``.
        ``projects`` is filtered by the request's county and category.
    store : str, optional
        Path or URL of the project store to read when ``projects`` is not
        given (default: the run's store).
    register_version : str
        Version of the register ``projects`` came from, for the provenance
        (taken from the store when the projects are read here).

    Returns
    -------
    bytes
        The file content.

    Raises
    ------
    SnapshotError
        If the data cannot be loaded or the output cannot be written.
    """
    if projects is None or counties is None:
        loaded_projects, loaded_counties, loaded_version = load_data(store)
        if projects is None:
            projects, register_version = loaded_projects, loaded_version
        counties = loaded_counties if counties is None else counties
    chosen = select(projects, counties, request)
    # options the atlas and the single page share
    page = {
        "fmt": request.fmt,
        "paper": request.paper,
        "orientation": request.orientation,
        "dpi": request.dpi,
        "filters": request.filters(),
        "lang": request.lang,
        "register_version": register_version,
    }
    if request.atlas:
        data = atlas_bytes(chosen, counties, **page)
    elif request.fmt == "html":
        data = _html(chosen, counties, request)
    else:
        data = map_bytes(
            chosen,
            counties,
            **page,
            title=request.title,
            choropleth=request.choropleth,
            summary_table=request.table,
            focus_adcode=request.adcode,
        )
    if request.out is not None:
        try:
            request.out.write_bytes(data)
        except OSError as exc:
            raise SnapshotError(f"cannot write {request.out}: {exc.strerror or exc}") from None
    return data


class _Parser(argparse.ArgumentParser):
    """Argument parser whose errors are one line on stderr."""

    def error(self, message: str) -> NoReturn:
        """Print ``snapshot: error: message`` and exit with status 2."""
        self.exit(2, f"{self.prog}: error: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    """Return the command-line parser of ``python -m layers.snapshot``."""
    parser = _Parser(
        prog="python -m layers.snapshot",
        description="Export a print-ready map (PNG/PDF/SVG), an offline HTML map or the atlas.",
    )
    parser.add_argument("--format", dest="fmt", required=True, help="png, pdf, svg, html; zip")
    parser.add_argument("--out", required=True, type=Path, help="output file")
    parser.add_argument("--county", help="county name, former name or adcode")
    parser.add_argument("--category", help="energy, industry or livelihood")
    parser.add_argument("--paper", default="A4", help="A4 or A3")
    parser.add_argument("--orientation", default="landscape", help="landscape or portrait")
    parser.add_argument("--dpi", default="150", help="raster resolution (PNG), e.g. 150 or 300")
    parser.add_argument("--title", help="page title")
    parser.add_argument("--choropleth", help="fill counties by count or investment")
    parser.add_argument("--no-table", action="store_true", help="leave out the summary table")
    parser.add_argument("--lang", default="zh", help="zh or en")
    parser.add_argument("--atlas", action="store_true", help="one page per county (pdf or zip)")
    parser.add_argument(
        "--store", default=None, help="store path or URL (default: CHANGZHI_STORE, the app's)"
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status.

    Parameters
    ----------
    argv : Sequence[str], optional
        Arguments (``sys.argv[1:]`` by default).

    Returns
    -------
    int
        0 on success, 2 on a bad argument or an unwritable output.
    """
    args = build_parser().parse_args(argv)
    try:
        request = make_request(
            fmt=args.fmt,
            out=args.out,
            county=args.county,
            category=args.category,
            paper=args.paper,
            orientation=args.orientation,
            dpi=args.dpi,
            title=args.title,
            atlas=args.atlas,
            choropleth=args.choropleth,
            table=not args.no_table,
            lang=args.lang,
        )
        data = snapshot(request, store=args.store)
    except (SnapshotError, FontNotFoundError, ValueError, OSError) as exc:
        print(f"python -m layers.snapshot: error: {exc}", file=sys.stderr)
        return 2
    print(f"wrote {request.out} ({len(data):,} bytes)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
