"""Command line: ``python -m geodata.ingest FILE --report REPORT.json [options]``.

``--kind plan`` or ``--kind progress`` (with ``--year``) imports annual plans
or monthly progress reports instead of projects (:mod:`geodata.ingest._cli_rows`).

Writes the report as JSON and, unless ``--dry-run``, commits the new and
changed rows to the store as a new version (nothing when nothing changed).
It checks that the report path can be written before it reads the file or
touches the store. Exit status: 0 done, 2 unreadable file or unwritable
report path (nothing written), 3 store error (nothing written), 4 the report
could not be written after the commit (the message names the committed version).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from geodata.coords import CoordSystem
from geodata.ingest import _store
from geodata.ingest._cli_rows import check_file, commit_and_report, run_rows
from geodata.ingest._read import read_table
from geodata.ingest._rows_headers import ImportKind
from geodata.ingest.commit import commit_import
from geodata.ingest.report import ImportResult, RowStatus
from geodata.ingest.validate import validate_rows

if TYPE_CHECKING:
    from collections.abc import Sequence


def _parser() -> argparse.ArgumentParser:
    """Return the argument parser."""
    parser = argparse.ArgumentParser(
        prog="python -m geodata.ingest",
        description="Import a staff spreadsheet (CSV/XLSX) or an extract (GeoJSON/GeoPackage) "
        "into the project store.",
    )
    parser.add_argument("file", type=Path, help="the .csv, .xlsx, .geojson or .gpkg file")
    parser.add_argument(
        "--kind",
        choices=[k.value for k in ImportKind],
        default=ImportKind.REGISTER.value,
        help="what the file holds: projects (default), annual plans or monthly progress",
    )
    parser.add_argument(
        "--year",
        type=int,
        default=None,
        help="plan year of rows without 年度; year of months written 9月 (plan/progress)",
    )
    parser.add_argument(
        "--crs",
        choices=[c.value for c in CoordSystem],
        default=CoordSystem.WGS84.value,
        help="coordinate system of the file's coordinates (default wgs84)",
    )
    parser.add_argument(
        "--store", default=None, help="store path or URL (default: CHANGZHI_STORE or the app's)"
    )
    parser.add_argument("--dry-run", action="store_true", help="check only, write nothing")
    parser.add_argument("--report", type=Path, required=True, help="report JSON to write")
    parser.add_argument("--user", default=None, help="who imports (default $USER)")
    parser.add_argument("--message", default="", help="note for the store history")
    return parser


def _report_path_problem(path: Path) -> str | None:
    """Return why ``path`` cannot be written as the report, or None when it can."""
    if path.is_dir():
        return f"cannot write the report to {path}: it is a folder"
    existed = path.exists()
    try:
        # open for appending: creates nothing lasting and truncates nothing
        with path.open("a", encoding="utf-8"):
            pass
    except OSError as exc:
        return f"cannot write the report to {path}: {exc.strerror}"
    if not existed:
        path.unlink(missing_ok=True)
    return None


def _check(args: argparse.Namespace) -> tuple[ImportResult, _store.ProjectStore] | int:
    """Read and validate the file against the store; an exit status on failure (message printed)."""
    problem = _report_path_problem(args.report)
    if problem:
        print(f"error: {problem}; nothing written", file=sys.stderr)
        return 2

    def check(data: bytes, store: _store.ProjectStore, version: int) -> ImportResult:
        table = read_table(data, filename=args.file.name)
        existing = _store.read_register(store)
        return validate_rows(
            table, crs=args.crs, filename=args.file.name, existing=existing, base_version=version
        )

    return check_file(args, check)


def _summary(result: ImportResult, version: int | None) -> str:
    """Return the one-line summary printed after an import."""
    rep = result.report
    counts = rep.counts()
    done = (
        f"; store version {version}"
        if version
        else "; nothing changed, nothing written"
        if rep.nothing_changed
        else "; nothing written"
    )
    return (
        f"{rep.filename}: {rep.total} rows, {rep.accepted} accepted "
        f"({counts[RowStatus.WARNINGS.value]} with warnings, "
        f"{counts[RowStatus.NEEDS_REVIEW.value]} need a location; {rep.added} new, "
        f"{rep.updated} updated, {rep.unchanged} unchanged), {len(rep.rejected)} rejected" + done
    )


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; see ``python -m geodata.ingest --help``."""
    args = _parser().parse_args(argv)
    if ImportKind(args.kind).row_kind is not None:
        problem = _report_path_problem(args.report)
        if problem:
            print(f"error: {problem}; nothing written", file=sys.stderr)
            return 2
        return run_rows(args)
    checked = _check(args)
    if isinstance(checked, int):
        return checked
    result, store = checked
    write = not args.dry_run and bool(result.report.accepted)
    return commit_and_report(
        args, result, store, commit=commit_import, write=write, summary=_summary
    )
