"""One version as a copy carries it between stores (see :meth:`ProjectStore.export_history`)."""

from __future__ import annotations

from typing import NamedTuple

import pandas as pd


class HistoryEntry(NamedTuple):
    """One version of ``export_history``, as ``import_history`` takes it.

    Attributes
    ----------
    entry : dict
        Its history row (:data:`~geodata.store.base.HISTORY_COLUMNS`, plain Python values).
    changes : pandas.DataFrame
        The register rows it wrote plus a ``deleted`` flag (none for a plans
        or progress version).
    plans, progress : tuple of tuple
        The plans and progress rows it wrote, as stored (SQL values in table
        column order; none for a register version).
    """

    entry: dict[str, object]
    changes: pd.DataFrame
    plans: tuple[tuple[object, ...], ...] = ()
    progress: tuple[tuple[object, ...], ...] = ()
