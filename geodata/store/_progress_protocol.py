"""The plans-and-progress part of the store protocol (every backend implements it).

Kept apart from :mod:`geodata.store.base` so each module stays short;
:class:`~geodata.store.base.ProjectStore` extends :class:`ProgressStore`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    import pandas as pd

    from geodata.store.base import Author


class ProgressStore(Protocol):
    """Annual plans and monthly progress, versioned like the register, and the demo flag."""

    def plans(self, *, version: int | None = None) -> pd.DataFrame:
        """Return the annual plans at a version (default current), sorted by project and year.

        Columns :data:`geodata.progress.PLAN_COLUMNS` with their dtypes
        (:func:`geodata.progress.plans_frame`); raises ``KeyError`` for a
        version that does not exist.
        """
        ...

    def progress(
        self, *, version: int | None = None, leading_to: pd.DataFrame | None = None
    ) -> pd.DataFrame:
        """Return the monthly progress reports at a version, as reported (not yet filled).

        Columns :data:`geodata.progress.REPORT_COLUMNS`
        (:func:`geodata.progress.reports_frame`), sorted by project and
        month; complete the cumulatives with
        :func:`geodata.progress.fill_cumulative`.

        ``leading_to`` (``project_id`` and ``period`` of some months, e.g. an
        import's rows) limits the read to the current reports those months'
        cumulatives are completed from, and their own: per project and year,
        from the last report stating a cumulative before its first given
        month (January when there is none) through its last given month. An
        import's work then follows the size of its file, not of the table.
        Raises ``ValueError`` with ``version``.
        """
        ...

    def commit_plans(
        self, frame: pd.DataFrame, *, author: Author, base_version: int, message: str
    ) -> int:
        """Upsert plans (key project and year) as a new version, all or nothing.

        Rows equal to the stored ones (provenance aside) change nothing; when
        no row changes, nothing is written and the current version is
        returned. The version's action is ``import`` and its message names
        the plans. Raises :class:`StaleBase` when a version after
        ``base_version`` changed one of the rows the write changes.
        """
        ...

    def commit_progress(
        self, frame: pd.DataFrame, *, author: Author, base_version: int, message: str
    ) -> int:
        """Upsert progress reports (key project and month) as a new version, like plans."""
        ...

    @property
    def is_demo(self) -> bool:
        """Whether the store holds demonstration data (``store_meta`` ``demo`` = ``1``)."""
        ...

    def mark_demo(self) -> None:
        """Mark the store as demonstration data (``make demo``)."""
        ...
