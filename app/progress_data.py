"""The progress view's data: filled reports, the months to pick, lag statuses, cached.

Everything is keyed on scalars (store URL, version, year, month). Statuses
are computed for every located project of a version for January to the
chosen month in one pass (:func:`geodata.progress.lag_statuses`) and shared
read-only; a selection takes its rows by id.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cached_property

import geopandas as gpd
import pandas as pd
import streamlit as st

from app import data, state
from geodata.filters import ProjectFilter
from geodata.progress import (
    Period,
    PeriodError,
    county_ranking,
    fill_cumulative,
    lag_statuses,
    year_periods,
)
from geodata.settings import SELECTION_CACHE_ENTRIES


def _stored(url: str, version: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Return the plans and reports of a version as stored."""
    return data.plans(url, version), data.progress(url, version)


@st.cache_resource(show_spinner=False, max_entries=4)
def filled_reports(url: str, version: int) -> pd.DataFrame:
    """Return a version's reports with cumulatives completed (read-only, shared)."""
    reports = _stored(url, version)[1]
    return fill_cumulative(reports)[0] if len(reports) else reports


@st.cache_data(show_spinner=False, max_entries=4)
def months(url: str, version: int, today: str) -> list[str]:
    """Return the months a planner can pick (ISO, oldest first), latest reported last.

    January of the first year with a plan or report to the latest reported
    month; without any, this year's months to ``today``'s.
    """
    plans, reports = _stored(url, version)
    if len(reports):
        last = Period.read(reports["period"].max())
        first_year = min(int(plans["year"].min()) if len(plans) else last.year, last.year)
    else:
        now = dt.date.fromisoformat(today)
        last, first_year = Period(now.year, now.month), now.year
    start = Period(first_year, 1)
    return [str(start.shift(k)) for k in range(last.ordinal - start.ordinal + 1)]


def has_data(url: str, version: int) -> bool:
    """Whether the version holds any plan or report."""
    plans, reports = _stored(url, version)
    return bool(len(plans) or len(reports))


@st.cache_resource(show_spinner=False, max_entries=8)
def year_statuses(url: str, version: int, year: int, through: int) -> pd.DataFrame:
    """Return every located project's status for January to month ``through`` (read-only)."""
    plans = _stored(url, version)[0]
    return lag_statuses(
        plans,
        filled_reports(url, version),
        year_periods(year, through=through),
        projects=data.projects(url, version),
    )


@dataclass(frozen=True, eq=False)
class ProgressView:
    """One month's progress of a selection (statuses taken out when first read).

    Attributes
    ----------
    period : Period
        The month shown (截至).
    url, version : str, int
        The store and version the statuses are read from.
    ids : pandas.Series
        Ids of the selected projects.
    reports : pandas.DataFrame
        Every filled report of the version (all projects).
    plans : pandas.DataFrame
        Every plan of the version.
    has_data : bool
        Whether the store holds any plan or report.
    """

    period: Period
    url: str
    version: int
    ids: pd.Series
    reports: pd.DataFrame
    plans: pd.DataFrame
    has_data: bool

    @property
    def statuses(self) -> pd.DataFrame:
        """Statuses of every located project, January to ``period`` (shared)."""
        return year_statuses(self.url, self.version, self.period.year, self.period.month)

    @cached_property
    def year(self) -> pd.DataFrame:
        """Statuses of the selection, January to ``period``."""
        return self.statuses[self.statuses["id"].isin(self.ids)]

    @cached_property
    def month(self) -> pd.DataFrame:
        """Statuses of the selection at ``period`` (one row per project)."""
        return self.year[self.year["period"] == self.period.to_pandas()]


def view(flt: ProjectFilter, period: Period) -> ProgressView:
    """Return the progress of the projects a filter selects at a month."""
    return _view(data.store().url, state.version(), flt, str(period))


@st.cache_resource(show_spinner=False, max_entries=SELECTION_CACHE_ENTRIES)
def _view(url: str, version: int, flt: ProjectFilter, month: str) -> ProgressView:
    """Return one view's progress, once per version, filter and month (read-only, shared)."""
    period = Period.read(month)
    # the selection's rows are taken out when first read (a category map needs none)
    return ProgressView(
        period=period,
        url=url,
        version=version,
        ids=data.selected(url, version, flt)["id"].astype(str),
        reports=filled_reports(url, version),
        plans=_stored(url, version)[0],
        has_data=has_data(url, version),
    )


def ranking(selection: gpd.GeoDataFrame, pv: ProgressView) -> pd.DataFrame:
    """Return the county 晾晒 table of the selection at the view's month (rank change too)."""
    return county_ranking(pv.year, selection, data.counties(), pv.period, previous=pv.year)


def statuses_at(selection: gpd.GeoDataFrame, period: Period) -> pd.DataFrame:
    """Return the selection's statuses at any month (for a comparison)."""
    url, version = data.store().url, state.version()
    statuses = year_statuses(url, version, period.year, period.month)
    rows = statuses[statuses["period"] == period.to_pandas()]
    return rows[rows["id"].isin(selection["id"].astype(str))]


def parse_month(text: object) -> str | None:
    """Return a URL month as ISO text, or ``None`` when it is not a month."""
    try:
        return str(Period.read(text))
    except PeriodError:
        return None
