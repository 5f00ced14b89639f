"""Helpers both backends share for default messages and for copying history between stores."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import pandas as pd

from geodata.i18n import Lang, bilingual, per_lang, t
from geodata.store._rows_history import RowsByVersion, entry_of
from geodata.store.base import HistoryEntry


def restore_note(version: int) -> str:
    """Return the default message of a restore."""
    return bilingual("store_restored", version=version)


def revert_note(version: int, ids: Iterable[str]) -> str:
    """Return the default message of a revert, naming the version and the projects."""
    return bilingual("store_reverted_ids", version=version, ids=per_lang(_id_list, sorted(ids)))


def _id_list(ids: list[str], lang: Lang) -> str:
    """Name the first 20 ids and how many there are in all (``无`` for none)."""
    if not ids:
        return t("store_nothing", lang)
    shown = t("list_separator", lang).join(ids[:20])
    if len(ids) <= 20:
        return shown
    return t("store_ids_more", lang, ids=shown, n=len(ids), more=len(ids) - 20)


def plain_values(entry: dict[str, object]) -> dict[str, object]:
    """Turn a history row's numpy and missing values into plain Python ones."""
    out: dict[str, object] = {}
    for key, value in entry.items():
        if value is None or (isinstance(value, float) and value != value):
            out[key] = None
        elif hasattr(value, "item"):
            out[key] = value.item()  # type: ignore[union-attr]
        else:
            out[key] = value
    return out


def history_entries(
    versions: pd.DataFrame, changes: pd.DataFrame, rows: RowsByVersion | None = None
) -> Iterator[HistoryEntry]:
    """Pair each version (oldest first) with its change rows, as :meth:`export_history` yields.

    ``versions``: history rows; ``changes``: every project change, with
    ``version``; ``rows``: the plans and progress history
    (:func:`~geodata.store._rows_history.export_rows`).
    """
    groups = dict(tuple(changes.groupby("version", sort=False)))
    for entry in versions.to_dict("records"):
        found = groups.get(entry["version"], changes.iloc[:0])
        register = found.drop(columns="version").reset_index(drop=True)
        yield entry_of(plain_values(entry), register, rows)
