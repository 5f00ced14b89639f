"""The app's data edge: the store, its versions and the frames derived from them, cached.

The store is opened once per process (``st.cache_resource`` keyed on its
URL: a shared connection factory, not per-user state); its current version is
read once per rerun into the session (:func:`app.state.version`). Every cache
is keyed on scalars (store URL and version), never on a GeoDataFrame, and
returns frames the callers only read.
"""

from __future__ import annotations

from typing import NoReturn

import geopandas as gpd
import pandas as pd
import streamlit as st

from app import state
from geodata.boundaries import load_counties
from geodata.filters import ProjectFilter, apply_filter
from geodata.i18n import t
from geodata.join import assign_counties, county_summary
from geodata.register import load_figures
from geodata.settings import SELECTION_CACHE_ENTRIES, SUMMARY_CACHE_ENTRIES, runtime
from geodata.store import ProjectStore, StaleBase, StoreError, open_store
from geodata.text import md_literal
from layers.export import ExportData
from layers.export.pipeline import register_label


@st.cache_resource(show_spinner=False)
def counties() -> gpd.GeoDataFrame:
    """Load the county boundaries once per process (read-only, shared)."""
    return load_counties()


@st.cache_data(show_spinner=False)
def figures() -> pd.DataFrame:
    """Load the report's city-wide headline figures."""
    return load_figures()


@st.cache_resource(show_spinner=False)
def _open_store(url: str, create_default: bool) -> ProjectStore:
    """Open the store once per process (only the embedded default is created when missing).

    A store is a connection factory every session shares, hence
    ``st.cache_resource``; it holds no per-user state.
    """
    return open_store(url, create_default=create_default)


def store() -> ProjectStore:
    """Return the run's store (``CHANGZHI_STORE``), opened once per process."""
    settings = runtime()
    return _open_store(settings.store_url, settings.store_is_default)


@st.cache_resource(show_spinner=False, max_entries=4)
def register(url: str, version: int) -> gpd.GeoDataFrame:
    """Read one store version, with its unlocated projects, once (read-only, shared)."""
    return store().projects(version=version, include_unlocated=True)


@st.cache_data(show_spinner=False, max_entries=4)
def unlocated(url: str, version: int) -> int:
    """Count projects of a version that have no location yet (review queue)."""
    return int(register(url, version).geometry.isna().sum())


@st.cache_resource(show_spinner=False, max_entries=4)
def projects(url: str, version: int) -> gpd.GeoDataFrame:
    """Return one version's located projects with each one's spatial county (read-only, shared)."""
    gdf = register(url, version)
    located = gdf[gdf.geometry.notna()].reset_index(drop=True)
    return assign_counties(located, counties())


@st.cache_resource(show_spinner=False, max_entries=4)
def plans(url: str, version: int) -> pd.DataFrame:
    """Read one store version's annual plans (``PLAN_COLUMNS``), once (read-only, shared)."""
    return store().plans(version=version)


@st.cache_resource(show_spinner=False, max_entries=4)
def progress(url: str, version: int) -> pd.DataFrame:
    """Read one store version's monthly reports as reported, once (read-only, shared)."""
    return store().progress(version=version)


@st.cache_data(show_spinner=False, max_entries=4)
def register_version(url: str, version: int) -> str:
    """Name a register version for export provenance: store version and content hash."""
    return register_label(version, projects(url, version))


def current_register() -> gpd.GeoDataFrame:
    """Return the version shown, with its unlocated projects (read-only, shared)."""
    return register(store().url, state.version())


def current_unlocated() -> int:
    """Count the projects of the version shown that have no location yet."""
    return unlocated(store().url, state.version())


def export_data() -> ExportData:
    """Return the current register as the export pipeline reads it (the map's frames)."""
    url, version = store().url, state.version()
    return ExportData(
        projects=projects(url, version),
        counties=counties(),
        register_version=register_version(url, version),
    )


def current_projects() -> gpd.GeoDataFrame:
    """Return the current register version's projects (stop with a message if unreadable)."""
    try:
        return projects(store().url, state.version())
    except StoreError as exc:
        _store_unreadable(exc)


def read_version() -> None:
    """Read the store's current version once for this rerun (stop with a message if unreadable)."""
    try:
        state.set_version(store().current_version())
    except StoreError as exc:
        _store_unreadable(exc)


def say_write_refused(exc: Exception) -> None:
    """Say why a write to the store did not happen (nothing was written).

    A stale base (a colleague changed the same rows since they were shown:
    the message names who) is an error; any other refusal a warning.
    """
    if isinstance(exc, StaleBase):
        st.error(md_literal(exc))
    else:
        st.warning(md_literal(exc))


def _store_unreadable(exc: StoreError) -> NoReturn:
    """Say that the store cannot be read, and stop the page."""
    st.error(f"{t('store_unreadable', state.lang())}\n\n{md_literal(exc)}")
    st.stop()


@st.cache_resource(show_spinner=False, max_entries=SELECTION_CACHE_ENTRIES)
def selected(url: str, version: int, flt: ProjectFilter) -> gpd.GeoDataFrame:
    """Return the projects of one version a filter selects (read-only, shared)."""
    return apply_filter(projects(url, version), flt)


@st.cache_resource(show_spinner=False, max_entries=SUMMARY_CACHE_ENTRIES)
def summary(url: str, version: int, flt: ProjectFilter) -> pd.DataFrame:
    """Return the county summary of a selection (ranking and choropleth; read-only, shared)."""
    return county_summary(selected(url, version, flt), counties())


def selection(flt: ProjectFilter) -> gpd.GeoDataFrame:
    """Return the projects a filter selects (stop with a message if the store is unreadable)."""
    current_projects()
    return selected(store().url, state.version(), flt)


def selection_summary(flt: ProjectFilter) -> pd.DataFrame:
    """Return the county summary of the projects a filter selects."""
    return summary(store().url, state.version(), flt)
