"""Committing a checked import: match against the store's register, write only what changed."""

from __future__ import annotations

from typing import TYPE_CHECKING

from geodata.ingest import _store
from geodata.ingest.match import Register
from geodata.ingest.validate import resolve
from geodata.store import Author
from geodata.store.base import require_author

if TYPE_CHECKING:
    from geodata.ingest.report import ImportResult


def _rematch(result: ImportResult, store: _store.ProjectStore) -> None:
    """Match the rows again against the store's register unless it is the one checked against.

    The register is read once; the result (projects, preview, report) is
    replaced by the new match, so the report written afterwards tells it.
    """
    if result.base_version is not None and result.base_version == _store.current_version(store):
        return
    if result.incoming is None:
        return
    fresh = resolve(result.incoming, Register.of(_store.read_register(store)))
    result.projects, result.preview, result.report = fresh.projects, fresh.preview, fresh.report
    result.changed_ids = fresh.changed_ids


def commit_import(
    result: ImportResult,
    *,
    store: _store.ProjectStore,
    author: Author,
    base_version: int | None = None,
    message: str = "",
) -> int | None:
    """Commit an import's new and changed projects to the store as one new version.

    The rows are matched again against the store's register unless checked
    against this very version. The commit is based on the version the rows
    were validated against, so a project a colleague changed since is not
    overwritten (:class:`geodata.store.StaleBase`); no change, no write.

    Parameters
    ----------
    result : ImportResult
        From :func:`~geodata.ingest.import_table`; updated in place with the
        commit's match and ``report.committed_version``.
    store : ProjectStore
        The target store.
    author : Author
        Who imports (the caller checked that they are staff).
    base_version : int, optional
        The store version the staff member validated against (default: the
        one recorded by :func:`~geodata.ingest.import_table`, else the
        current version).
    message : str
        Note for the history (default names the file and counts).

    Returns
    -------
    int or None
        The new version, or ``None`` when the import changed nothing (then
        ``result.report.summary()`` says so and the store is untouched).

    Raises
    ------
    PermissionError
        Without an author.
    geodata.store.StaleBase
        When a project the import changes was changed after the base version.
    geodata.store.StoreBusy
        When the store is locked by another program; nothing is written.
    """
    require_author(author)
    base = _store.base_of(store, given=base_version, checked=result.base_version)
    _rematch(result, store)
    rep = result.report
    if not result.changed_ids:
        rep.committed_version = None
        return None
    rows = result.projects[result.projects["id"].isin(set(result.changed_ids))]
    rep.committed_version = _store.write_rows(
        rows, store=store, author=author, base_version=base, message=message or rep.history_note()
    )
    return rep.committed_version
