"""Parsed cells and the per-row message log every validation step writes to."""

from __future__ import annotations

import copy
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import TypeVar

import numpy as np
import pandas as pd

T = TypeVar("T")


class Verdict(StrEnum):
    """How a parsed cell should affect its row."""

    OK = "ok"
    WARN = "warn"
    REJECT = "reject"


@dataclass(frozen=True, slots=True)
class Parsed:
    """One parsed cell: the value and, when doubtful, why.

    Attributes
    ----------
    value : float
        The number (``nan`` when not stated or rejected).
    verdict : Verdict
        ``ok``, ``warn`` (keep the row, report the message) or ``reject``.
    message : str
        Empty when ``ok``.
    """

    value: float
    verdict: Verdict = Verdict.OK
    message: str = ""


class RowLog:
    """Warnings and rejections per row of one file, by row position.

    Parameters
    ----------
    rows : numpy.ndarray
        The spreadsheet row number of each position.
    """

    def __init__(self, rows: np.ndarray) -> None:
        self.rows = rows
        # one shared empty tuple per row until a message comes: a large sheet
        # makes no list per row (nor the garbage collector's work over them)
        self.warn: list[Sequence[str]] = [()] * len(rows)
        self.reject: list[Sequence[str]] = [()] * len(rows)

    def add(self, i: int, verdict: Verdict, message: str) -> None:
        """Record a warning or rejection message for row position ``i``."""
        if verdict is Verdict.OK:
            return
        found = self.warn if verdict is Verdict.WARN else self.reject
        found[i] = [*found[i], message]

    def rejected(self) -> np.ndarray:
        """Return a boolean mask of rows with at least one rejection."""
        return np.array([bool(r) for r in self.reject], dtype=bool)

    def copy(self) -> RowLog:
        """Return an independent copy (a commit re-matches without touching the check)."""
        return copy.deepcopy(self)


def per_distinct(values: np.ndarray, fn: Callable[[str], T]) -> tuple[list[T], np.ndarray]:
    """Apply ``fn`` once per distinct cell of a column (a sheet repeats most cells).

    Returns
    -------
    tuple
        ``fn``'s results per distinct cell, and each cell's position in them.
    """
    codes, uniques = pd.factorize(np.asarray(values, dtype=object), use_na_sentinel=False)
    return [fn(str(u)) for u in uniques], codes
