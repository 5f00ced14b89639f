"""Compare two months: what started, finished, moved stage, fell behind or caught up."""

from __future__ import annotations

from enum import StrEnum
from typing import NamedTuple

import numpy as np
import pandas as pd

from geodata.progress.lag import LagStatus
from geodata.settings import CUMULATIVE_TOLERANCE_YI

CHANGE_COLUMNS: tuple[str, ...] = (
    "id",
    "change",
    "status_a",
    "status_b",
    "stage_a",
    "stage_b",
    "cumulative_a_yi",
    "cumulative_b_yi",
    "added_yi",
)


class Change(StrEnum):
    """One kind of change of a project between two months."""

    NEW = "new"
    REMOVED = "removed"
    STARTED = "started"
    COMPLETED = "completed"
    STAGE_MOVED = "stage_moved"
    LAG_WORSENED = "lag_worsened"
    LAG_IMPROVED = "lag_improved"
    INVESTMENT_ADDED = "investment_added"


_SEVERITY = {s.value: s.severity for s in LagStatus if s.severity is not None}


class Comparison(NamedTuple):
    """What changed from month a to month b.

    Attributes
    ----------
    changes : pandas.DataFrame
        One row per project and change, columns :data:`CHANGE_COLUMNS`,
        in :class:`Change` order then id order.
    counts : pandas.Series
        Number of projects per :class:`Change` value (0 where none).
    added_yi : float
        Investment added (亿元) by the projects that reported in both
        months of one year; ``nan`` across years.
    """

    changes: pd.DataFrame
    counts: pd.Series
    added_yi: float


def _period_of(status: pd.DataFrame, name: str) -> pd.Period:
    """Return the one month a status frame holds."""
    periods = status["period"].unique()
    if len(periods) != 1:
        raise ValueError(f"{name} must hold one month, not {len(periods)}")
    return periods[0]


def _masks(both: pd.DataFrame, same_year: bool) -> dict[Change, np.ndarray]:
    """Return, per change, which merged rows show it."""
    in_a = both["_merge"].isin(["both", "left_only"]).to_numpy()
    in_b = both["_merge"].isin(["both", "right_only"]).to_numpy()
    sev_a = both["status_a"].astype(str).map(_SEVERITY).to_numpy(dtype=float)
    sev_b = both["status_b"].astype(str).map(_SEVERITY).to_numpy(dtype=float)
    stage_a, stage_b = both["stage_a"].astype(object), both["stage_b"].astype(object)
    added = both["added_yi"].to_numpy(dtype=float)
    return {
        Change.NEW: in_b & ~in_a,
        Change.REMOVED: in_a & ~in_b,
        Change.STARTED: in_a
        & in_b
        & both["started_b"].fillna(False).to_numpy(dtype=bool)
        & ~both["started_a"].fillna(False).to_numpy(dtype=bool),
        Change.COMPLETED: in_a
        & in_b
        & both["completed_b"].fillna(False).to_numpy(dtype=bool)
        & ~both["completed_a"].fillna(False).to_numpy(dtype=bool),
        Change.STAGE_MOVED: (stage_a.notna() & stage_b.notna() & (stage_a != stage_b)).to_numpy(),
        Change.LAG_WORSENED: sev_b > sev_a,
        Change.LAG_IMPROVED: sev_b < sev_a,
        Change.INVESTMENT_ADDED: same_year & (added > CUMULATIVE_TOLERANCE_YI),
    }


def compare_periods(a: pd.DataFrame, b: pd.DataFrame) -> Comparison:
    """List what changed for each project from month ``a`` to month ``b``.

    Parameters
    ----------
    a, b : pandas.DataFrame
        :func:`geodata.progress.lag.lag_status` output for the earlier and
        the later month (one month each).

    Returns
    -------
    Comparison
        ``new``/``removed``: id in only one frame; ``started``,
        ``completed``: true at b and not known true at a; ``stage_moved``:
        both stated and different; ``lag_worsened``/``lag_improved``: the
        status moved along 超序时 → 正常 → 滞后 → 严重滞后 (to or from
        无计划/未报送 is neither); ``investment_added``: in one year, the
        cumulative grew (``added_yi`` = b − a, both reported; ``nan`` across
        years, never guessed).
    """
    pa, pb = _period_of(a, "a"), _period_of(b, "b")
    keep = ["id", "status", "stage", "cumulative_yi", "started", "completed"]
    both = a[keep].merge(b[keep], on="id", how="outer", suffixes=("_a", "_b"), indicator=True)
    both = both.rename(
        columns={"cumulative_yi_a": "cumulative_a_yi", "cumulative_yi_b": "cumulative_b_yi"}
    )
    same_year = pa.year == pb.year
    both["added_yi"] = (both["cumulative_b_yi"] - both["cumulative_a_yi"]) if same_year else np.nan
    masks = _masks(both, same_year)
    columns = [c for c in CHANGE_COLUMNS if c != "change"]
    parts = [
        both.loc[mask, columns].sort_values("id").assign(change=change.value)
        for change, mask in masks.items()
    ]
    changes = pd.concat(parts, ignore_index=True)[list(CHANGE_COLUMNS)]
    counts = pd.Series({c.value: int(m.sum()) for c, m in masks.items()}, name="projects")
    added = float(np.nansum(both["added_yi"])) if same_year else float("nan")
    return Comparison(changes, counts, added)
