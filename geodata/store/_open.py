"""Open, create, upgrade, copy and back up a store named by a path or URL."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from geodata.settings import runtime
from geodata.store.base import ProjectStore, StoreError, StoreExists, StoreNotFound
from geodata.store.gpkg import GpkgStore

if TYPE_CHECKING:
    from collections.abc import Iterable

    from geodata.store.base import HistoryEntry

log = logging.getLogger("geodata.store")

_PG_SCHEMES = ("postgresql://", "postgresql+psycopg://", "postgres://")
Seed = pd.DataFrame | Callable[[], pd.DataFrame] | None


def _gpkg_path(url: str | Path) -> Path | None:
    """Return the file of a GeoPackage path or ``gpkg:`` URL (``None`` for another backend)."""
    text = str(url).strip()
    if text.startswith(_PG_SCHEMES):
        return None
    if "://" in text:
        raise StoreError(f"unknown kind of store: {text} (a .gpkg path or postgresql://...)")
    return Path(text.removeprefix("gpkg:")).expanduser().resolve()


def _postgis() -> type:
    """Return the PostGIS backend class (imported only when a database URL is used)."""
    try:
        from geodata.store.postgis import PostgisStore
    except ImportError as exc:
        raise StoreError(f"the PostGIS backend is not available: {exc}") from exc
    return PostgisStore


def open_store(url: str | Path, *, create_default: bool = False) -> ProjectStore:
    """Open an existing store.

    Parameters
    ----------
    url : str or Path
        A ``.gpkg`` path or ``gpkg:/path`` (GeoPackage), or
        ``postgresql://user@host:port/db`` (PostGIS).
    create_default : bool
        Create the store from the bundled register when it is missing. Only for
        the embedded default (``runtime().store_is_default``; see
        :func:`open_default_store`); the creation is logged.

    Returns
    -------
    ProjectStore

    Raises
    ------
    StoreNotFound
        When nothing is at ``url`` (a typo, a volume not mounted), naming it.
    SchemaMismatch
        When the store's layout is of another schema version.
    """
    path = _gpkg_path(url)
    if path is None:
        return _postgis()(str(url))
    try:
        return GpkgStore(path)
    except StoreNotFound:
        if not create_default:
            raise
    try:
        store = create_store(path)
    except StoreExists:
        # another process created it first
        return GpkgStore(path)
    log.warning("created the embedded default store %s from the bundled register", store.url)
    return store


def open_default_store() -> ProjectStore:
    """Open the run's store (``CHANGZHI_STORE``), creating it only if it is the embedded default.

    Raises
    ------
    StoreNotFound
        When ``CHANGZHI_STORE`` names a store that does not exist.
    """
    settings = runtime()
    return open_store(settings.store_url, create_default=settings.store_is_default)


def _seed_frame(seed: Seed) -> pd.DataFrame:
    """Return the register a new store starts with (default: the bundled one)."""
    if seed is None:
        from geodata.register import load_register

        return load_register()
    return seed() if callable(seed) else seed


def create_store(
    url: str | Path, *, seed: Seed = None, history: Iterable[HistoryEntry] | None = None
) -> ProjectStore:
    """Create a new store; never overwrites one.

    Parameters
    ----------
    url : str or Path
        Where (as for :func:`open_store`).
    seed : DataFrame or callable, optional
        The register of version 1, or a function returning it (default: the
        bundled register, :func:`geodata.register.load_register`).
    history : iterable, optional
        Instead of a seed: every version of another store
        (:meth:`ProjectStore.export_history`), copied with its numbers.

    Returns
    -------
    ProjectStore

    Raises
    ------
    StoreExists
        When a store is already at ``url``.
    """
    path = _gpkg_path(url)
    if path is None:
        backend = _postgis()
        if history is not None:
            return backend.create(str(url), history=history)
        return backend.create(str(url), seed=_seed_frame(seed))
    if history is not None:
        return GpkgStore.create(path, history=history)
    return GpkgStore.create(path, seed=_seed_frame(seed))


def upgrade_store(url: str | Path) -> tuple[int | str, int]:
    """Apply a store's pending schema migrations; return its schema version before and after."""
    path = _gpkg_path(url)
    if path is None:
        return _postgis().upgrade(str(url))
    return GpkgStore.upgrade(path)


def copy_store(src: str | Path, dst: str | Path) -> ProjectStore:
    """Copy a store with its whole history into a new store (version numbers kept).

    Every version of the register, plans and progress, in their shared
    numbering, with its author, time and message, and the demo flag. Works
    between backends (GeoPackage → PostGIS is how an office moves up);
    ``dst`` must not exist yet (:class:`StoreExists`).
    """
    source = open_store(src)
    try:
        copy = create_store(dst, history=source.export_history())
        _keep_demo_flag(source, copy)
        return copy
    finally:
        source.close()


def _keep_demo_flag(source: ProjectStore, copy: ProjectStore) -> None:
    """Mark a copy of a demonstration store as one too."""
    if source.is_demo:
        copy.mark_demo()


def backup_store(src: str | Path, out: Path) -> None:
    """Write a consistent GeoPackage copy of a store (which may be in use) to a new file.

    A GeoPackage store is copied file-for-file (SQLite's backup API), a
    PostGIS one through its history (:func:`backup_via_history`); either way
    with every version of the register, plans and progress.
    """
    source = open_store(src)
    try:
        source.backup(Path(out))
    finally:
        source.close()


def backup_via_history(store: ProjectStore, out: Path) -> None:
    """Back a store up by copying its history, one snapshot, into a new GeoPackage file.

    Register, plans and progress versions alike (:meth:`ProjectStore.export_history`),
    and the demo flag.
    """
    _keep_demo_flag(store, GpkgStore.create(out, history=store.export_history()))
