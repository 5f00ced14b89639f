"""Plans and progress read from a store, ready for the lag rule and the county table.

The store keeps progress as reported; :func:`store_frames` completes the
cumulatives (:func:`~geodata.progress.fill_cumulative`) and returns what
:func:`~geodata.progress.lag_statuses` and the summaries take.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    import geopandas as gpd
    import pandas as pd

    from geodata.progress.frames import ProgressWarning
    from geodata.store.base import ProjectStore

from geodata.progress.frames import fill_cumulative


class StoreFrames(NamedTuple):
    """A store's register, plans and filled progress at one version.

    Attributes
    ----------
    projects : geopandas.GeoDataFrame
        The register, unlocated projects included.
    plans : pandas.DataFrame
        ``PLAN_COLUMNS``.
    reports : pandas.DataFrame
        ``REPORT_COLUMNS`` + ``cumulative_filled``, cumulatives completed.
    warnings : list of ProgressWarning
        What :func:`~geodata.progress.fill_cumulative` found doubtful.
    """

    projects: gpd.GeoDataFrame
    plans: pd.DataFrame
    reports: pd.DataFrame
    warnings: list[ProgressWarning]


def store_frames(store: ProjectStore, *, version: int | None = None) -> StoreFrames:
    """Read a store's register, plans and progress at a version (default current).

    Parameters
    ----------
    store : ProjectStore
        Any backend.
    version : int, optional
        A past version (``KeyError`` when it does not exist).

    Returns
    -------
    StoreFrames
    """
    projects = store.projects(version=version, include_unlocated=True)
    reports, warnings = fill_cumulative(store.progress(version=version))
    return StoreFrames(projects, store.plans(version=version), reports, warnings)
