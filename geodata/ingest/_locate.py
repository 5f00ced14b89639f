"""Locations: stated coordinates checked and converted, missing ones geocoded offline.

Stated pairs are parsed, swapped back when latitude and longitude were
exchanged, converted from the declared system (the file's, or a per-row
坐标系 column) to WGS-84 and checked against the city and, for points that
are the project's place, against the stated county, with
:func:`geodata.join.county_at` (the one point-in-county rule).
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd

from geodata.coords import CoordSystem, OutsideChinaWarning, convert, in_china
from geodata.i18n import bilingual, county_name, per_lang
from geodata.ingest._cells import RowLog, Verdict
from geodata.ingest._fields import key_field
from geodata.ingest._headers import HeaderMap
from geodata.ingest._parse_coords import parse_coordinate
from geodata.ingest._vocab import lookup_crs
from geodata.join import county_at
from geodata.schema import Precision
from geodata.settings import CITY_BBOX


@dataclass
class Points:
    """Stated coordinates of every row, in WGS-84.

    Attributes
    ----------
    lon, lat : numpy.ndarray
        ``nan`` where not stated or rejected.
    no_coords : numpy.ndarray of bool
        Rows that state no coordinates at all (to be geocoded).
    county : numpy.ndarray of str
        Adcode of the county each point lies in (``""`` outside or none).
    """

    lon: np.ndarray
    lat: np.ndarray
    no_coords: np.ndarray
    county: np.ndarray


def _parse_pairs(
    table: pd.DataFrame, header: HeaderMap, log: RowLog
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Parse the two columns: lon, lat, usable pairs and rows without any coordinate."""
    memo: dict[str, object] = {}
    values = []
    for name in ("lon", "lat"):
        cells = key_field(table, header, name)
        parsed = [memo.setdefault(v, parse_coordinate(v)) for v in cells]
        values.append(parsed)
    usable = np.ones(len(table), dtype=bool)
    for i, pair in enumerate(zip(*values, strict=True)):
        for p in pair:
            if p.verdict is Verdict.REJECT:
                log.add(i, p.verdict, p.message)
                usable[i] = False
    lon = np.array([p.value for p in values[0]], dtype=float)
    lat = np.array([p.value for p in values[1]], dtype=float)
    lon_nan, lat_nan = np.isnan(lon), np.isnan(lat)
    for i in np.flatnonzero((lon_nan ^ lat_nan) & usable):
        log.add(i, Verdict.REJECT, bilingual("ingest_one_coordinate"))
    no_coords = lon_nan & lat_nan & usable
    return lon, lat, usable & ~(lon_nan | lat_nan), no_coords


def _unswap(
    lon: np.ndarray, lat: np.ndarray, usable: np.ndarray, log: RowLog
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Swap pairs that are outside mainland China as given and inside it swapped."""
    swapped = np.zeros(len(lon), dtype=bool)
    swapped[usable] = ~in_china(lon[usable], lat[usable]) & in_china(lat[usable], lon[usable])
    lon, lat = np.where(swapped, lat, lon), np.where(swapped, lon, lat)
    out_of_range = usable & ((np.abs(lon) > 180) | (np.abs(lat) > 90))
    for i in np.flatnonzero(out_of_range):
        log.add(
            i,
            Verdict.REJECT,
            bilingual("ingest_out_of_range", lon=lon[i], lat=lat[i]),
        )
    usable &= ~out_of_range
    return lon, lat, swapped


def _row_systems(
    table: pd.DataFrame, header: HeaderMap, log: RowLog, crs: CoordSystem, usable: np.ndarray
) -> np.ndarray:
    """Return the declared system of each row (a 坐标系 column overrides the file's)."""
    systems = np.full(len(table), crs.value, dtype=object)
    if "crs" not in header.fields:
        return systems
    text = key_field(table, header, "crs")
    memo = {v: lookup_crs(v) if v else crs for v in pd.unique(text)}
    for i, v in enumerate(text):
        if memo[v] is None:
            log.add(i, Verdict.REJECT, bilingual("ingest_unknown_crs", text=v))
            usable[i] = False
        else:
            systems[i] = memo[v].value
    return systems


def _to_wgs84(
    lon: np.ndarray, lat: np.ndarray, systems: np.ndarray, usable: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Convert each usable row from its system to WGS-84 (others become ``nan``)."""
    wlon = np.full(len(lon), np.nan)
    wlat = np.full(len(lon), np.nan)
    for system in CoordSystem:
        group = usable & (systems == system.value)
        if not group.any():
            continue
        if system is CoordSystem.WGS84:
            wlon[group], wlat[group] = lon[group], lat[group]
            continue
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", OutsideChinaWarning)
            cl, ct = convert(lon=lon[group], lat=lat[group], src=system, dst=CoordSystem.WGS84)
        wlon[group], wlat[group] = np.round(cl, 7), np.round(ct, 7)
    return wlon, wlat


def _check_city(
    wlon: np.ndarray, wlat: np.ndarray, usable: np.ndarray, swapped: np.ndarray, log: RowLog
) -> np.ndarray:
    """Reject points far outside the city; tell swapped ones. Returns the usable mask."""
    min_lon, min_lat, max_lon, max_lat = CITY_BBOX
    in_box = (wlon >= min_lon) & (wlon <= max_lon) & (wlat >= min_lat) & (wlat <= max_lat)
    for i in np.flatnonzero(usable & swapped):
        if in_box[i]:
            log.add(
                i,
                Verdict.WARN,
                bilingual("ingest_swapped", lon=wlon[i], lat=wlat[i]),
            )
        else:
            log.add(
                i,
                Verdict.REJECT,
                bilingual("ingest_swapped_outside"),
            )
    for i in np.flatnonzero(usable & ~in_box & ~swapped):
        log.add(
            i,
            Verdict.REJECT,
            bilingual("ingest_far_outside", lon=wlon[i], lat=wlat[i]),
        )
    return usable & in_box


def _check_counties(
    found: np.ndarray, adcode: np.ndarray, trusted: np.ndarray, usable: np.ndarray, log: RowLog
) -> None:
    """Warn about points outside the city's counties, or in another county than stated."""
    for i in np.flatnonzero(usable):
        if found[i] == "":
            log.add(
                i,
                Verdict.WARN,
                bilingual("ingest_near_outside"),
            )
        elif trusted[i] and adcode[i] and found[i] != adcode[i]:
            log.add(
                i,
                Verdict.WARN,
                bilingual(
                    "ingest_other_county",
                    found=per_lang(county_name, found[i]),
                    stated=per_lang(county_name, adcode[i]),
                ),
            )


def stated_points(
    table: pd.DataFrame,
    header: HeaderMap,
    log: RowLog,
    *,
    crs: CoordSystem,
    adcode: np.ndarray,
    precision: np.ndarray,
    counties: gpd.GeoDataFrame,
) -> Points:
    """Parse, unswap, convert and check the coordinates the file states.

    ``precision`` is the stated precision per row (``""`` for exact): a point
    stated as county- or city-level is a seat, not the project's place, so it
    is not checked against the stated county.
    """
    if "lon" not in header.fields:
        n = len(table)
        nan = np.full(n, np.nan)
        return Points(nan, nan.copy(), np.ones(n, dtype=bool), np.full(n, "", dtype=object))
    lon, lat, usable, no_coords = _parse_pairs(table, header, log)
    lon, lat, swapped = _unswap(lon, lat, usable, log)
    systems = _row_systems(table, header, log, crs, usable)
    wlon, wlat = _to_wgs84(lon, lat, systems, usable)
    usable = _check_city(wlon, wlat, usable, swapped, log)
    wlon[~usable] = np.nan
    wlat[~usable] = np.nan
    found = county_at(wlon, wlat, counties)
    trusted = np.array([p in ("", *TRUSTED) for p in precision], dtype=bool)
    _check_counties(found, adcode, trusted, usable, log)
    return Points(wlon, wlat, no_coords, found)


TRUSTED: tuple[str, ...] = tuple(p.value for p in Precision if p.trusted_point)


@dataclass
class Geocoded:
    """Locations found offline for rows without coordinates.

    Attributes
    ----------
    lon, lat : numpy.ndarray
        ``nan`` where nothing was found.
    precision, adcode, message : numpy.ndarray of str
        The precision found, the county of the match and the row's note.
    """

    lon: np.ndarray
    lat: np.ndarray
    precision: np.ndarray
    adcode: np.ndarray
    message: np.ndarray


def _geocode_note(res: dict[str, object]) -> str:
    """Return the note for one geocoded row (coarse matches need review)."""
    level = Precision(str(res["precision"]))
    if level.rank >= Precision.COUNTY.rank:
        return bilingual(
            "ingest_geocoded_coarse", matched=res["matched"], level=level, level_code=level.value
        )
    return bilingual("ingest_geocoded", matched=res["matched"], level=level)


def geocode_rows(
    todo: np.ndarray, *, location: np.ndarray, names: np.ndarray, county_text: np.ndarray,
    adcode: np.ndarray,
) -> Geocoded:  # fmt: skip
    """Geocode the ``todo`` rows from their county and location text (offline gazetteer)."""
    from geodata.geocode import geocode_many

    n = len(todo)
    out = Geocoded(
        np.full(n, np.nan), np.full(n, np.nan), np.full(n, "", dtype=object),
        np.full(n, "", dtype=object), np.full(n, "", dtype=object),
    )  # fmt: skip
    idx = np.flatnonzero(todo)
    if not len(idx):
        return out
    texts = [
        " ".join(part for part in (county_text[i] if not adcode[i] else "", location[i], names[i])
                 if part)
        for i in idx
    ]  # fmt: skip
    found = geocode_many(texts, [adcode[i] or None for i in idx])
    for i, res in zip(idx, found.to_dict("records"), strict=True):
        if res["resolved"]:
            out.lon[i], out.lat[i] = res["lon"], res["lat"]
            out.precision[i], out.adcode[i] = res["precision"], res["adcode"]
            out.message[i] = _geocode_note(res)
    return out
