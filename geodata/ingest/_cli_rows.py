"""``python -m geodata.ingest FILE --kind plan|progress``: the plan and progress branch of the CLI.

Same exit statuses as a register import: 0 done, 2 unreadable file (nothing
written), 3 store error (nothing written, e.g. a colleague changed a row
since: :class:`~geodata.store.StaleBase`), 4 the report could not be
written after the commit.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from typing import Protocol, TypeVar

from geodata.auth import system_identity
from geodata.ingest import _store
from geodata.ingest._rows import RowsResult
from geodata.ingest._text import IngestError
from geodata.ingest.report import ImportReport
from geodata.ingest.rows import commit_rows, import_rows

T = TypeVar("T")


class _Checked(Protocol):
    """A checked import: a register or a plan/progress result."""

    report: ImportReport


C = TypeVar("C", bound=_Checked)


def check_file(
    args: argparse.Namespace, check: Callable[[bytes, _store.ProjectStore, int], T]
) -> tuple[T, _store.ProjectStore] | int:
    """Read the file and check it against the store; an exit status on failure (printed).

    ``check(data, store, version)`` validates; an unreadable file or an
    :class:`IngestError` is status 2, a store error 3.
    """
    try:
        data = args.file.read_bytes()
    except OSError as exc:
        print(f"error: cannot read {args.file}: {exc.strerror}", file=sys.stderr)
        return 2
    try:
        store = _store.open_target(args.store)
    except _store.StoreError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 3
    try:
        return check(data, store, _store.current_version(store)), store
    except IngestError as exc:
        print(f"error: {args.file.name}: {exc}", file=sys.stderr)
        status = 2
    except _store.StoreError as exc:
        print(f"error: {exc}", file=sys.stderr)
        status = 3
    store.close()
    return status


def _check(args: argparse.Namespace) -> tuple[RowsResult, _store.ProjectStore] | int:
    """Read and validate the file against the store; an exit status on failure."""

    def check(data: bytes, store: _store.ProjectStore, version: int) -> RowsResult:
        return import_rows(
            data,
            filename=args.file.name,
            kind=args.kind,
            projects=_store.read_register(store),
            stored=store,
            year=args.year,
            base_version=version,
        )

    return check_file(args, check)


def _summary(result: RowsResult, version: int | None) -> str:
    """Return the one-line summary printed after an import."""
    rep = result.report
    done = f"; store version {version}" if version else "; nothing written"
    return (
        f"{rep.filename} ({rep.kind}): {rep.total} rows, {rep.accepted} accepted "
        f"({len({w.row for w in rep.warnings})} with warnings; {rep.added} new, "
        f"{rep.updated} updated, {rep.unchanged} unchanged), {len(rep.rejected)} rejected "
        f"({len(rep.unmatched)} matching no project)" + done
    )


def run_rows(args: argparse.Namespace) -> int:
    """Check a plan or progress file, commit what changed, write the report."""
    checked = _check(args)
    if isinstance(checked, int):
        return checked
    result, store = checked
    return commit_and_report(
        args, result, store, commit=commit_rows, write=not args.dry_run, summary=_summary
    )


def commit_and_report(
    args: argparse.Namespace,
    result: C,
    store: _store.ProjectStore,
    *,
    commit: Callable[..., int | None],
    write: bool,
    summary: Callable[[C, int | None], str],
) -> int:
    """Commit a checked file (when ``write``), close the store, write the report, print a line.

    Returns the exit status: 0 done, 3 a store error (nothing written), 4 the
    report could not be written.
    """
    version = None
    try:
        if write:
            author = system_identity(args.user).author()
            version = commit(result, store=store, author=author, message=args.message)
    except _store.StoreError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 3
    finally:
        store.close()
    content = result.report.to_dict()
    content["committed_version"] = version
    content["dry_run"] = bool(args.dry_run)
    try:
        args.report.write_text(json.dumps(content, ensure_ascii=False, indent=2), encoding="utf-8")
    except OSError as exc:
        done = f"store version {version} was committed" if version else "nothing was written"
        print(
            f"error: cannot write the report to {args.report}: {exc.strerror} ({done})",
            file=sys.stderr,
        )
        return 4
    print(summary(result, version))
    return 0
