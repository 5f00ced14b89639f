"""Coordinate cells: decimal degrees as staff write them."""

from __future__ import annotations

import math
import re

from geodata.i18n import bilingual
from geodata.ingest._cells import Parsed, Verdict
from geodata.ingest._text import normalise

_DEGREES = re.compile(r"^([+-]?\d+(?:\.\d+)?)\s*°?\s*([EeNnWwSs东西南北])?$")


def parse_coordinate(text: str) -> Parsed:
    """Parse one coordinate cell (decimal degrees).

    Parameters
    ----------
    text : str
        ``113.1163``, ``１１３．１１６３``, ``113.1163°E``. Empty gives ``nan``
        with ``ok`` (the row is then geocoded).

    Returns
    -------
    Parsed
        ``reject`` for text, ``NaN`` spelled out, or infinite values.
    """
    raw = normalise(text)
    if raw == "":
        return Parsed(math.nan)
    match = _DEGREES.match(raw.replace(" ", ""))
    if match is None:
        return Parsed(math.nan, Verdict.REJECT, bilingual("ingest_coordinate_nan", raw=raw))
    value = float(match.group(1))
    if match.group(2) and match.group(2) in "WwSs西南":
        value = -value
    return Parsed(value)
