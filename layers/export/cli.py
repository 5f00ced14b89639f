r"""Exports from the command line: a print page, an offline HTML map, an extract or the atlas.

Usage::

    python -m layers.export --format png --out map.png [--county 长治县]
        [--category energy --category industry] [--subcategory photovoltaic]
        [--stage construction] [--invest-min 1 --invest-max 50] [--q 光伏]
        [--paper A3] [--orientation portrait] [--dpi 300] [--title TEXT]
        [--choropleth invest:energy] [--no-table] [--lang en]
    python -m layers.export --view 'http://host/?cat=energy&county=140403&choro=count:all' \
        --format pdf --out view.pdf
    python -m layers.export --format xlsx --headers en --out projects.xlsx
    python -m layers.export --atlas --format pdf --out atlas.pdf
    python -m layers.export --atlas --mode progress --period 2025-09 --format pdf --out inspect.pdf
    python -m layers.export --supervision --period 2025-09 --format xlsx --out 督办清单.xlsx

Every filter of the app is accepted, each list option more than once;
counties by today's name, former name (长治县, 郊区), short name or adcode.
``--view`` takes a planner's link (or its query string) and exports exactly
what it shows (its ``period`` and ``mode`` too; a link without ``period``
means the latest reported month); options given besides it override the link's. The request
goes through :func:`layers.export.pipeline.render`, like the app's export
panel. A bad argument prints one line on stderr and exits with status 2.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn
from urllib.parse import parse_qsl, urlsplit

from geodata.divisions import county_adcode
from geodata.filters import ProjectFilter
from geodata.i18n import Lang
from geodata.schema import Category, Stage, Subcategory
from geodata.settings import PRINT_DPI_DEFAULT
from geodata.store import StoreError, open_default_store
from geodata.store import open_store as _open_store
from layers.export._print_fonts import FontNotFoundError
from layers.export.pipeline import ExportData, ProjectSource, load_export_data, render, supervision
from layers.export.request import ExportError, ExportRequest
from layers.progress import MapMode
from layers.shading import ChoroplethChoice

PROG = "python -m layers.export"


class _Parser(argparse.ArgumentParser):
    """Argument parser whose errors are one line on stderr."""

    def error(self, message: str) -> NoReturn:
        """Print ``prog: error: message`` and exit with status 2."""
        self.exit(2, f"{self.prog}: error: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    """Return the command-line parser of ``python -m layers.export``."""
    p = _Parser(
        prog=PROG,
        description="Export a print map (PNG/PDF/SVG), an offline HTML map, a data extract "
        "(CSV/XLSX/GeoJSON/GeoPackage) or the county atlas of a selection.",
    )
    p.add_argument("--format", dest="fmt", required=True, help="png pdf svg html csv xlsx ...")
    p.add_argument("--out", required=True, type=Path, help="output file")
    p.add_argument("--view", help="a link of the app, or its query string, to reproduce")
    p.add_argument("--category", action="append", help="energy, industry or livelihood")
    p.add_argument("--subcategory", action="append", help="project type, e.g. photovoltaic")
    p.add_argument("--county", action="append", help="county name, former name or adcode")
    p.add_argument("--stage", action="append", help="planning, construction, ...")
    p.add_argument("--invest-min", help="smallest investment (亿元)")
    p.add_argument("--invest-max", help="largest investment (亿元)")
    p.add_argument("--q", help="text in the name, company or location")
    p.add_argument("--paper", default="A4", help="A4 or A3")
    p.add_argument("--orientation", default="landscape", help="landscape or portrait")
    p.add_argument("--dpi", default=str(PRINT_DPI_DEFAULT), help="raster resolution, e.g. 300")
    p.add_argument("--title", default="", help="page title")
    p.add_argument("--choropleth", help="count or investment, optionally :category")
    p.add_argument("--no-table", action="store_true", help="leave out the summary table")
    p.add_argument("--lang", help="zh or en (default: the view's, else zh)")
    p.add_argument("--headers", default="zh", help="extract column names: zh or en")
    p.add_argument("--atlas", action="store_true", help="one page per county (pdf, or zip)")
    p.add_argument("--store", help="store path or URL (default: CHANGZHI_STORE or the app's)")
    p.add_argument("--period", help="month shown, e.g. 2025-09 (default: the view's)")
    p.add_argument("--mode", help="map view: category or progress (default: the view's)")
    p.add_argument("--supervision", action="store_true", help="the month's 督办清单 (xlsx or pdf)")
    return p


def view_params(view: str | None) -> dict[str, str]:
    """Return the query parameters of a link or query string (last value of each key)."""
    if not view:
        return {}
    query = urlsplit(view).query if "?" in view or "://" in view else view.lstrip("?")
    return dict(parse_qsl(query, keep_blank_values=False))


def _items(values: list[str] | None, allowed: set[str], what: str) -> tuple[str, ...] | None:
    """Check repeated (or comma-separated) enum values; ``None`` when not given."""
    if not values:
        return None
    out = tuple(dict.fromkeys(v.strip() for raw in values for v in raw.split(",") if v.strip()))
    for value in out:
        if value not in allowed:
            raise ExportError(f"unknown {what} {value!r}; use one of {', '.join(sorted(allowed))}")
    return out


def _counties(values: list[str] | None) -> tuple[str, ...] | None:
    """Resolve county names, former names or adcodes; ``None`` when not given."""
    if not values:
        return None
    out = []
    for name in (v.strip() for raw in values for v in raw.split(",") if v.strip()):
        adcode = county_adcode(name)
        if adcode is None:
            raise ExportError(f"unknown county {name!r}; use a name such as 潞州区 or an adcode")
        out.append(adcode)
    return tuple(dict.fromkeys(out))


def _amount(value: str | None, what: str) -> float | None:
    """Parse a non-negative amount in 亿元; ``None`` when not given."""
    if value is None:
        return None
    try:
        amount = float(value)
    except ValueError:
        raise ExportError(f"{what} must be a number of 亿元, got {value!r}") from None
    if not amount >= 0 or amount == float("inf"):
        raise ExportError(f"{what} must be a non-negative number, got {value!r}")
    return amount


def build_filter(args: argparse.Namespace, params: dict[str, str]) -> ProjectFilter:
    """Return the view's filter with every filter option given on the command line put in."""
    given = {
        "categories": _items(args.category, {c.value for c in Category}, "category"),
        "subcategories": _items(args.subcategory, {s.value for s in Subcategory}, "subcategory"),
        "counties": _counties(args.county),
        "stages": _items(args.stage, {s.value for s in Stage}, "stage"),
        "invest_min": _amount(args.invest_min, "--invest-min"),
        "invest_max": _amount(args.invest_max, "--invest-max"),
        "query": args.q.strip()[:100] if args.q is not None else None,
    }
    base = ProjectFilter.from_query_params(params)
    return dataclasses.replace(base, **{k: v for k, v in given.items() if v is not None})


def build_request(args: argparse.Namespace) -> ExportRequest:
    """Turn parsed arguments into a validated :class:`ExportRequest`."""
    params = view_params(args.view)
    fmt = str(args.fmt).lower()
    if fmt == "zip":
        if not args.atlas:
            raise ExportError("format 'zip' is for --atlas (a ZIP of PNG pages)")
        fmt = "png"
    choro = args.choropleth if args.choropleth is not None else params.get("choro")
    try:
        choice = ChoroplethChoice.from_param(choro)
    except ValueError as exc:
        raise ExportError(str(exc)) from None
    return ExportRequest(
        filter=build_filter(args, params),
        choropleth=choice,
        format=fmt,
        paper=args.paper,
        orientation=args.orientation,
        dpi=args.dpi,
        atlas=args.atlas,
        title=args.title,
        lang=args.lang or Lang.from_link(params.get("lang")),
        table=not args.no_table,
        headers=args.headers,
        period=args.period if args.period is not None else params.get("period", ""),
        mode=args.mode or params.get("mode", "category"),
    )


def with_latest_month(
    request: ExportRequest, data: ExportData, *, needed: bool = False
) -> ExportRequest:
    """Fill in the latest reported month where a progress export (or ``needed``) names none."""
    if request.period or not (needed or request.mode is MapMode.PROGRESS):
        return request
    if data.reports is None or not len(data.reports):
        raise ExportError("the store holds no monthly progress; give --period")
    return dataclasses.replace(request, period=str(data.reports["period"].max()))


def check_out(out: Path) -> Path:
    """Raise unless ``out`` can be written (folder exists and is writable)."""
    if out.is_dir():
        raise ExportError(f"--out {out} is a folder; give a file name")
    parent = out.parent if str(out.parent) else Path()
    if not parent.is_dir():
        raise ExportError(f"cannot write {out}: folder {parent} does not exist")
    if not os.access(parent, os.W_OK) or (out.exists() and not os.access(out, os.W_OK)):
        raise ExportError(f"cannot write {out}: permission denied")
    return out


def open_store(location: str | None) -> ProjectSource:
    """Open the project store the export reads (the app's by default)."""
    try:
        return _open_store(location) if location else open_default_store()
    except (StoreError, OSError, ValueError) as exc:
        raise ExportError(f"cannot open the project store: {exc}") from None


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status.

    Parameters
    ----------
    argv : Sequence[str], optional
        Arguments (``sys.argv[1:]`` by default).

    Returns
    -------
    int
        0 on success, 2 on a bad argument, an unreadable store or an
        unwritable output.
    """
    args = build_parser().parse_args(argv)
    try:
        request = build_request(args)
        out = check_out(args.out)
        store = open_store(args.store)
        try:
            data = load_export_data(store)
        except (StoreError, OSError, ValueError) as exc:
            raise ExportError(f"cannot read the project store: {exc}") from None
        request = with_latest_month(request, data, needed=args.supervision)
        result = supervision(request, data) if args.supervision else render(request, data)
        out.write_bytes(result.data)
    except (ExportError, FontNotFoundError, ValueError, OSError) as exc:
        print(f"{PROG}: error: {exc}", file=sys.stderr)
        return 2
    print(f"wrote {out} ({len(result.data):,} bytes; {result.provenance.register_version})")
    return 0
