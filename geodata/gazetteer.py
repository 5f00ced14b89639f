"""The offline gazetteer: named places of 长治市 with coordinates and precision.

Two sources are combined when the gazetteer is loaded:

- ``geodata/data/gazetteer.csv`` holds the named places (development zones,
  reservoirs, parks, old streets, scenic areas) with their WGS-84
  coordinates, precision and an honest note on where each coordinate came
  from;
- the city, the 12 counties (with their pre-2018 names and codes as aliases)
  and the county seats are derived from :mod:`geodata.divisions`, so they
  are never duplicated in the CSV.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from geodata.divisions import BY_ADCODE, DIVISIONS, LEGACY_ADCODES, LEGACY_NAMES
from geodata.schema import Precision
from geodata.settings import CITY_BBOX, CITY_NAME_ZH, GAZETTEER_PATH

GAZETTEER_COLUMNS: tuple[str, ...] = (
    "name",
    "aliases",
    "kind",
    "lon",
    "lat",
    "adcode",
    "precision",
    "source",
)

ALIAS_SEPARATOR = "|"
CITY_SEAT_ADCODE = "140403"
CITY_ALIASES: tuple[str, ...] = ("长治", "全市", "我市")
_DIVISIONS_SOURCE = "geodata/divisions.py: approximate seat-town position (~1 km)"


class GazetteerError(ValueError):
    """Raised when the gazetteer file breaks its schema."""


def _city_row() -> dict[str, object]:
    """Return the city entry, placed at the seat of 潞州区."""
    seat = BY_ADCODE[CITY_SEAT_ADCODE]
    return {
        "name": CITY_NAME_ZH,
        "aliases": ALIAS_SEPARATOR.join(CITY_ALIASES),
        "kind": "city",
        "lon": seat.seat_lon,
        "lat": seat.seat_lat,
        "adcode": "",
        "precision": Precision.CITY.value,
        "source": f"city centre = seat of {seat.name_zh}, {_DIVISIONS_SOURCE}",
    }


def _division_rows() -> list[dict[str, object]]:
    """Return one county entry and one seat entry per division."""
    legacy: dict[str, list[str]] = {}
    for name, code in LEGACY_NAMES.items():
        legacy.setdefault(code, []).append(name)
    for old, code in LEGACY_ADCODES.items():
        legacy.setdefault(code, []).append(old)
    rows: list[dict[str, object]] = []
    for d in DIVISIONS:
        short = d.name_zh[:-1]
        aliases = [d.adcode, d.name_en, *legacy.get(d.adcode, [])]
        # one-character short names (沁) would match far too much
        if len(short) >= 2:
            aliases.insert(0, short)
        rows.append(
            {
                "name": d.name_zh,
                "aliases": ALIAS_SEPARATOR.join(aliases),
                "kind": "county",
                "lon": d.seat_lon,
                "lat": d.seat_lat,
                "adcode": d.adcode,
                "precision": Precision.COUNTY.value,
                "source": f"county seat ({d.seat_zh}), {_DIVISIONS_SOURCE}",
            }
        )
        rows.append(
            {
                "name": d.seat_zh,
                "aliases": "",
                "kind": "county_seat",
                "lon": d.seat_lon,
                "lat": d.seat_lat,
                "adcode": d.adcode,
                "precision": Precision.PLACE.value,
                "source": _DIVISIONS_SOURCE,
            }
        )
    return rows


def _read_places(path: Path) -> pd.DataFrame:
    """Read and check the named places of the CSV."""
    raw = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    missing = [c for c in GAZETTEER_COLUMNS if c not in raw.columns]
    if missing:
        raise GazetteerError(f"{path}: missing column(s) {missing}")
    problems: list[str] = []
    min_lon, min_lat, max_lon, max_lat = CITY_BBOX
    for i, row in enumerate(raw.itertuples(index=False), start=1):
        where = f"{path.name} row {i} ({row.name or '?'})"
        if not row.name.strip():
            problems.append(f"{where}: field 'name' is empty")
        if row.precision not in {p.value for p in Precision}:
            problems.append(f"{where}: field 'precision' has unknown value {row.precision!r}")
        if row.adcode and row.adcode not in BY_ADCODE:
            problems.append(f"{where}: field 'adcode' {row.adcode!r} is not a county of 长治市")
        try:
            lon, lat = float(row.lon), float(row.lat)
        except ValueError:
            problems.append(f"{where}: fields 'lon'/'lat' are not numbers")
            continue
        if not (min_lon <= lon <= max_lon and min_lat <= lat <= max_lat):
            problems.append(f"{where}: fields 'lon'/'lat' lie outside the city box")
    if problems:
        raise GazetteerError("\n".join(problems))
    return raw[list(GAZETTEER_COLUMNS)]


def load_gazetteer(path: Path = GAZETTEER_PATH) -> pd.DataFrame:
    """Load the gazetteer: city, counties, seats and the named places.

    Parameters
    ----------
    path : Path
        CSV of named places (schema in ``geodata/data/SCHEMA.md``).

    Returns
    -------
    pandas.DataFrame
        Columns :data:`GAZETTEER_COLUMNS`; ``lon``/``lat`` float (WGS-84),
        ``adcode`` str (``""`` when the county is not known), ``precision``
        a :class:`~geodata.schema.Precision` value, ``aliases``
        ``|``-separated.

    Raises
    ------
    GazetteerError
        If a row breaks the schema, or a name or alias is used twice.
    """
    # derived entries first, then the named places
    frame = pd.concat(
        [pd.DataFrame([_city_row(), *_division_rows()]), _read_places(path)],
        ignore_index=True,
    )
    frame["lon"] = frame["lon"].astype(float)
    frame["lat"] = frame["lat"].astype(float)
    frame["adcode"] = frame["adcode"].astype(str)
    # every alias must point at one entry only
    seen: dict[str, str] = {}
    for name, aliases in zip(frame["name"], frame["aliases"], strict=True):
        for alias in [name, *(a for a in aliases.split(ALIAS_SEPARATOR) if a)]:
            if alias in seen and seen[alias] != name:
                raise GazetteerError(f"alias {alias!r} names both {seen[alias]} and {name}")
            seen[alias] = name
    return frame[list(GAZETTEER_COLUMNS)]
