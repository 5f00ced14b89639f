"""Command line of the store: create, upgrade, copy and back up.

::

    python -m geodata.store init URL [--seed register|empty]
    python -m geodata.store upgrade URL
    python -m geodata.store copy SRC DST
    python -m geodata.store backup SRC OUT.gpkg

``URL`` is a ``.gpkg`` path, ``gpkg:/path`` or ``postgresql://user@host:port/db``.
Exit status: 0 done, 1 a store error (one line on stderr), 2 a bad argument.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from geodata.store._open import backup_store, copy_store, create_store, upgrade_store
from geodata.store.base import StoreError


def _parser() -> argparse.ArgumentParser:
    """Build the argument parser with one sub-command per task."""
    parser = argparse.ArgumentParser(
        prog="python -m geodata.store", description="Create, upgrade, copy or back up a store."
    )
    sub = parser.add_subparsers(dest="command", required=True)
    init = sub.add_parser("init", help="create a new store")
    init.add_argument("url", help="where: a .gpkg path or postgresql://...")
    init.add_argument(
        "--seed",
        choices=["register", "empty"],
        default="register",
        help="start from the bundled register (default) or an empty one",
    )
    upgrade = sub.add_parser("upgrade", help="apply pending schema migrations")
    upgrade.add_argument("url")
    copy = sub.add_parser(
        "copy",
        help="copy a store with its whole history (register, plans, progress) into a new one",
    )
    copy.add_argument("src")
    copy.add_argument("dst")
    backup = sub.add_parser("backup", help="write a consistent GeoPackage copy of a store")
    backup.add_argument("src")
    backup.add_argument("out", type=Path)
    return parser


def _run(args: argparse.Namespace) -> str:
    """Do the sub-command and return the line that reports it."""
    if args.command == "init":
        seed = pd.DataFrame({"id": pd.Series(dtype=str)}) if args.seed == "empty" else None
        store = create_store(args.url, seed=seed)
        return f"created {store.url} (version {store.current_version()})"
    if args.command == "upgrade":
        before, after = upgrade_store(args.url)
        if before == after:
            return f"{args.url}: schema {after}, nothing to do"
        return f"{args.url}: schema {before} → {after}"
    if args.command == "copy":
        store = copy_store(args.src, args.dst)
        return f"copied {args.src} to {store.url} ({store.current_version()} versions)"
    backup_store(args.src, args.out)
    return f"backed up {args.src} to {args.out}"


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    args = _parser().parse_args(argv)
    try:
        print(_run(args))
    except (StoreError, KeyError, ValueError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
