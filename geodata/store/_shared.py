"""Helpers both backends share for default messages and for copying history between stores."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import pandas as pd

from geodata.store.base import HistoryEntry


def restore_note(version: int) -> str:
    """Return the default message of a restore."""
    return f"恢复到版本 {version} (restored version {version})"


def revert_note(version: int, ids: Iterable[str]) -> str:
    """Return the default message of a revert, naming the version and the projects."""
    ids = sorted(ids)
    shown = "、".join(ids[:20]) + (f" 等 {len(ids)} 个" if len(ids) > 20 else "")
    more = f" and {len(ids) - 20} more" if len(ids) > 20 else ""
    return (
        f"撤销版本 {version} 的修改：{shown or '无'} "
        f"(reverted version {version}: {', '.join(ids[:20]) or 'nothing'}{more})"
    )


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


def history_entries(versions: pd.DataFrame, changes: pd.DataFrame) -> Iterator[HistoryEntry]:
    """Pair each version (oldest first) with its change rows, as :meth:`export_history` yields.

    ``versions``: history rows; ``changes``: every project change, with ``version``.
    """
    groups = dict(tuple(changes.groupby("version", sort=False)))
    for entry in versions.to_dict("records"):
        rows = groups.get(entry["version"], changes.iloc[:0])
        yield plain_values(entry), rows.drop(columns="version").reset_index(drop=True)
