"""The rows of one file parsed field by field, before they meet the register."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePath

import geopandas as gpd
import numpy as np
import pandas as pd

from geodata.coords import CoordSystem
from geodata.i18n import Lang, bilingual, by_lang, t
from geodata.ingest import _fields
from geodata.ingest._cells import RowLog, Verdict
from geodata.ingest._headers import HeaderMap, map_headers, missing_fields
from geodata.ingest._locate import Points, stated_points
from geodata.ingest._text import IngestError
from geodata.schema import REGISTER_COLUMNS


@dataclass
class Incoming:
    """Parsed rows of one file.

    Attributes
    ----------
    table : pandas.DataFrame
        The text table as read (index: spreadsheet row).
    header : HeaderMap
        How its columns map to fields.
    frame : pandas.DataFrame
        Register columns as parsed, positional index; ``lon``/``lat`` are the
        stated WGS-84 point (``nan`` when none), ``precision`` the stated one.
    stated : dict[str, numpy.ndarray]
        Register column -> rows whose cell stated a usable value.
    log : RowLog
        Messages so far (parsing and coordinate checks).
    points : Points
        The stated points' checks (rows without coordinates, point county).
    county_text, location_key, name_key : numpy.ndarray
        Normalised county, location and name cells, for geocoding and matching.
    source : str
        The file name written into provenance.
    crs : CoordSystem
        The declared coordinate system.
    """

    table: pd.DataFrame
    header: HeaderMap
    frame: pd.DataFrame
    stated: dict[str, np.ndarray]
    log: RowLog
    points: Points
    county_text: np.ndarray
    location_key: np.ndarray
    name_key: np.ndarray
    source: str
    crs: CoordSystem

    @property
    def explicit(self) -> np.ndarray:
        """Rows whose id was given in the file."""
        return self.stated["id"]


def _require_columns(table: pd.DataFrame) -> HeaderMap:
    """Map the header; a missing required column refuses the whole file."""
    header = map_headers([str(c) for c in table.columns])
    missing = missing_fields(header)
    if missing:
        shown = "、".join(map(str, table.columns))[:300]
        names = {
            lang: t("list_separator", lang).join(t(f"column_{f}", lang) for f in missing)
            for lang in Lang
        }
        raise IngestError(bilingual("ingest_missing_columns", missing=names, present=shown))
    if ("lon" in header.fields) != ("lat" in header.fields):
        have, lack = ("lon", "lat") if "lon" in header.fields else ("lat", "lon")
        raise IngestError(
            bilingual(
                "ingest_one_coordinate_column",
                have=by_lang(f"column_{have}"),
                lack=by_lang(f"column_{lack}"),
            )
        )
    return header


def _cell_notes(table: pd.DataFrame, log: RowLog) -> None:
    """Turn the reader's notes about cells (formulas without results) into row warnings."""
    position = {row: i for i, row in enumerate(table.index)}
    for row, messages in dict(table.attrs.get("cell_notes", {})).items():
        for message in messages:
            if row in position:
                log.add(position[row], Verdict.WARN, message)


def _parse_fields(
    table: pd.DataFrame, header: HeaderMap, log: RowLog
) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray]]:
    """Parse every register field: values and stated masks by column."""
    values: dict[str, np.ndarray] = {}
    stated: dict[str, np.ndarray] = {}
    values["id"], stated["id"] = _fields.ids(table, header)
    values["name_zh"], stated["name_zh"] = _fields.names(table, header, log)
    for name in _fields.TEXT_FIELDS[1:]:
        values[name], stated[name] = _fields.text_field(table, header, name)
    values["county_adcode"], stated["county_adcode"] = _fields.counties(table, header, log)
    cat = _fields.categories(table, header, log)
    values["category"], stated["category"], values["subcategory"], stated["subcategory"] = cat
    values["stage"], stated["stage"] = _fields.stages(table, header, log)
    values["investment_yi"], stated["investment_yi"] = _fields.investments(table, header, log)
    values["major_10yi"], stated["major_10yi"] = _fields.majors(
        (values["investment_yi"], stated["investment_yi"])
    )
    values["key_level"], stated["key_level"] = _fields.key_levels(table, header, log)
    values["capacity_value"], stated["capacity_value"] = _fields.capacities(table, header, log)
    values["precision"], stated["precision"] = _fields.precisions(table, header, log)
    return values, stated


def parse_incoming(
    table: pd.DataFrame, *, crs: CoordSystem, filename: str, counties: gpd.GeoDataFrame
) -> Incoming:
    """Parse every row of a read table field by field and check its stated point.

    Raises
    ------
    IngestError
        When a required column is missing (the message names it).
    """
    header = _require_columns(table)
    log = RowLog(table.index.to_numpy(dtype=int))
    _cell_notes(table, log)
    values, stated = _parse_fields(table, header, log)
    points = stated_points(
        table, header, log, crs=crs, adcode=values["county_adcode"],
        precision=values["precision"], counties=counties,
    )  # fmt: skip
    values["lon"], values["lat"] = points.lon, points.lat
    located = ~np.isnan(points.lon)
    stated["lon"] = stated["lat"] = located
    stated["precision"] = stated["precision"] & located
    frame = pd.DataFrame(values, columns=list(REGISTER_COLUMNS))
    return Incoming(
        table=table,
        header=header,
        frame=frame,
        stated=stated,
        log=log,
        points=points,
        county_text=_fields.key_field(table, header, "county"),
        location_key=_fields.key_field(table, header, "location_text"),
        name_key=_fields.key_field(table, header, "name_zh"),
        source=PurePath(filename).name or "spreadsheet",
        crs=crs,
    )
