"""Spatial join of projects with counties, and per-county summaries."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geodata.coords import require_wgs84
from geodata.schema import TRUSTED_POINT_PRECISIONS, Category

SUMMARY_COLUMNS: tuple[str, ...] = tuple(
    f"{kind}_{cat}" for kind in ("count", "invest") for cat in [*Category, "all"]
)


JOIN_COLUMNS: tuple[str, ...] = ("spatial_adcode", "spatial_name_zh", "resolved_adcode")


def county_at(lon: np.ndarray, lat: np.ndarray, counties: gpd.GeoDataFrame) -> np.ndarray:
    """Return the adcode of the county holding each WGS-84 point.

    This is the one point-in-county rule of the code base: the join, the import
    checks and the store's review edits all call it.

    Parameters
    ----------
    lon, lat : numpy.ndarray
        Coordinates in degrees (EPSG:4326); ``nan`` for a missing point.
    counties : geopandas.GeoDataFrame
        Output of :func:`geodata.boundaries.load_counties`.

    Returns
    -------
    numpy.ndarray
        Object array of adcodes, ``""`` for a point outside every county or
        missing. A point on a shared boundary goes to the first county in
        ``counties`` order.

    Raises
    ------
    ValueError
        If ``counties`` is not in EPSG:4326.
    """
    require_wgs84(counties, what="counties")
    lon = np.asarray(lon, dtype=float)
    lat = np.asarray(lat, dtype=float)
    out = np.full(lon.shape, "", dtype=object)
    todo = ~(np.isnan(lon) | np.isnan(lat))
    for adcode, geom in zip(counties["adcode"].astype(str), counties.geometry, strict=True):
        if not todo.any():
            break
        shapely.prepare(geom)
        idx = np.flatnonzero(todo)
        inside = shapely.intersects_xy(geom, lon[idx], lat[idx])
        out[idx[inside]] = adcode
        todo[idx[inside]] = False
    return out


def assign_counties(projects: gpd.GeoDataFrame, counties: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Give each project the county its point falls in.

    Parameters
    ----------
    projects : geopandas.GeoDataFrame
        Register-shaped points in EPSG:4326.
    counties : geopandas.GeoDataFrame
        Output of :func:`geodata.boundaries.load_counties`.

    Returns
    -------
    geopandas.GeoDataFrame
        ``projects`` with ``spatial_adcode`` and ``spatial_name_zh`` added
        (empty strings for a point outside every county), and
        ``resolved_adcode``: the stated county when there is one, else the
        spatial county when the point is exact or a named place, else ``""``
        (a point placed at the city centre says nothing about its county).
        Same rows, same order.

    Raises
    ------
    ValueError
        If either frame is not in EPSG:4326.
    """
    require_wgs84(projects, what="projects")
    require_wgs84(counties, what="counties")
    # point in county, by the one rule
    out = projects.drop(columns=list(JOIN_COLUMNS), errors="ignore").copy()
    geoms = out.geometry.to_numpy()
    present = ~shapely.is_missing(geoms) & ~shapely.is_empty(geoms)
    lon = np.full(len(out), np.nan)
    lat = np.full(len(out), np.nan)
    lon[present] = shapely.get_x(geoms[present])
    lat[present] = shapely.get_y(geoms[present])
    codes = county_at(lon, lat, counties)
    names = dict(zip(counties["adcode"].astype(str), counties["name_zh"].astype(str), strict=True))
    out["spatial_adcode"] = codes.astype(str)
    out["spatial_name_zh"] = [names.get(c, "") for c in codes]
    # stated county first; a trusted point otherwise
    stated = out["county_adcode"].fillna("").astype(str)
    trusted = out["precision"].astype(str).isin([p.value for p in TRUSTED_POINT_PRECISIONS])
    out["resolved_adcode"] = stated.where(stated != "", out["spatial_adcode"].where(trusted, ""))
    return out


def _placed_codes(joined: gpd.GeoDataFrame, counties: gpd.GeoDataFrame) -> pd.Series:
    """``resolved_adcode`` of joined projects, ``""`` where it is not one of ``counties``."""
    codes = joined["resolved_adcode"]
    return codes.where(codes.isin(counties["adcode"].astype(str)), "")


def _joined(projects: gpd.GeoDataFrame, counties: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Return ``projects`` with the join columns, joining only when they are missing.

    A frame that already went through :func:`assign_counties` (the app joins the
    register once per version) is not joined again for every summary.
    """
    if all(c in projects.columns for c in JOIN_COLUMNS):
        require_wgs84(projects, what="projects")
        return projects
    return assign_counties(projects, counties)


def county_summary(
    projects: gpd.GeoDataFrame, counties: gpd.GeoDataFrame, *, unplaced_row: bool = False
) -> pd.DataFrame:
    """Count projects and add up investment per county and category.

    Parameters
    ----------
    projects : geopandas.GeoDataFrame
        Register-shaped points in EPSG:4326.
    counties : geopandas.GeoDataFrame
        Output of :func:`geodata.boundaries.load_counties`.
    unplaced_row : bool
        Add a last row, indexed ``""`` (empty names), for the projects
        counted by :func:`unplaced_count`, when there are any; the rows then
        add up to every project (print tables show it as 县区未明).

    Returns
    -------
    pandas.DataFrame
        Indexed by adcode (all 12 counties, in order), with ``name_zh``,
        ``name_en`` and the columns in :data:`SUMMARY_COLUMNS`
        (``count_<category>``, ``invest_<category>`` in 亿元, and ``_all``;
        an investment is NaN, not 0, where no project states an amount).
        Projects count for their ``resolved_adcode`` (see
        :func:`assign_counties`); those with none are left out here (unless
        ``unplaced_row``) and counted by :func:`unplaced_count`. Investment
        sums only stated amounts; ``invested_known`` counts them.
    """
    joined = _joined(projects, counties)
    frame = pd.DataFrame(
        {
            "adcode": _placed_codes(joined, counties),
            "category": joined["category"].astype(str),
            "invest": pd.to_numeric(joined["investment_yi"], errors="coerce"),
        }
    )
    out = counties.set_index("adcode")[["name_zh", "name_en"]].copy()
    if unplaced_row and (frame["adcode"] == "").any():
        out.loc[""] = ["", ""]
    else:
        frame = frame[frame["adcode"] != ""]
    counts = frame.pivot_table(
        index="adcode", columns="category", values="invest", aggfunc="size", fill_value=0
    )
    # sums of stated amounts only: nan (not 0) where no amount is stated
    stated = frame.dropna(subset=["invest"])
    sums = stated.groupby(["adcode", "category"])["invest"].sum().unstack("category")
    for cat in Category:
        out[f"count_{cat}"] = counts.get(cat.value, pd.Series(dtype=int)).reindex(out.index)
        out[f"invest_{cat}"] = sums.get(cat.value, pd.Series(dtype=float)).reindex(out.index)
    count_cols = [f"count_{c}" for c in Category]
    invest_cols = [f"invest_{c}" for c in Category]
    out[count_cols] = out[count_cols].fillna(0).astype(int)
    out[invest_cols] = out[invest_cols].astype(float)
    out["count_all"] = out[count_cols].sum(axis=1)
    out["invest_all"] = out[invest_cols].sum(axis=1, min_count=1)
    out["invested_known"] = (
        frame.dropna(subset=["invest"]).groupby("adcode").size().reindex(out.index).fillna(0)
    ).astype(int)
    return out


def unplaced_count(projects: gpd.GeoDataFrame, counties: gpd.GeoDataFrame) -> int:
    """Count projects whose county is neither stated nor shown by a trusted point.

    A stated adcode that is not one of ``counties`` counts as unplaced too.

    Parameters
    ----------
    projects : geopandas.GeoDataFrame
        Register-shaped points in EPSG:4326.
    counties : geopandas.GeoDataFrame
        Output of :func:`geodata.boundaries.load_counties`.

    Returns
    -------
    int
    """
    return int((_placed_codes(_joined(projects, counties), counties) == "").sum())


def county_mismatches(projects: gpd.GeoDataFrame, counties: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """List projects whose stated county differs from the county their point is in.

    Projects without a stated county are not listed.

    Parameters
    ----------
    projects : geopandas.GeoDataFrame
        Register-shaped points in EPSG:4326.
    counties : geopandas.GeoDataFrame
        Output of :func:`geodata.boundaries.load_counties`.

    Returns
    -------
    geopandas.GeoDataFrame
        The disagreeing rows with ``county_adcode``, ``spatial_adcode`` and
        ``spatial_name_zh``.
    """
    joined = _joined(projects, counties)
    stated = joined["county_adcode"].fillna("").astype(str)
    mask = (stated != "") & (stated != joined["spatial_adcode"].to_numpy())
    return joined[np.asarray(mask)]
