"""Offline geocoder: Chinese place text to WGS-84 point, county and precision.

The geocoder looks up every gazetteer name and alias (see
:mod:`geodata.gazetteer`) in the text and keeps the longest match; ties go to
the better precision, then to the earlier position in the text, then to the
gazetteer order, so the result is deterministic. A county hint (name, former
name or adcode) drops matches in other counties and gives county precision
at the county seat when no place matches. Text that names nothing known
returns an explicit unresolved result with a reason, never a default point.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

import pandas as pd

from geodata.divisions import county_adcode
from geodata.gazetteer import ALIAS_SEPARATOR, load_gazetteer
from geodata.schema import Precision
from geodata.settings import GAZETTEER_PATH

if TYPE_CHECKING:
    from collections.abc import Sequence
    from pathlib import Path

# former names that are common words inside longer text: match whole text only
_WHOLE_TEXT_ONLY: frozenset[str] = frozenset({"城区", "郊区"})

RESULT_COLUMNS: tuple[str, ...] = (
    "resolved",
    "lon",
    "lat",
    "adcode",
    "precision",
    "matched",
    "reason",
)


@dataclass(frozen=True, slots=True)
class GeocodeResult:
    """Outcome of geocoding one text.

    Attributes
    ----------
    resolved : bool
        Whether a point was found.
    lon, lat : float or None
        WGS-84 degrees, ``None`` when unresolved.
    adcode : str or None
        Today's county adcode, ``None`` when the county is not known.
    precision : Precision or None
        How precise the point is, ``None`` when unresolved.
    matched : str
        Gazetteer name that gave the point (``""`` when unresolved).
    reason : str
        Why this result: what matched, or why nothing did.
    """

    resolved: bool
    lon: float | None
    lat: float | None
    adcode: str | None
    precision: Precision | None
    matched: str
    reason: str


@dataclass(frozen=True, slots=True)
class _Entry:
    """One gazetteer entry in lookup form."""

    order: int
    name: str
    lon: float
    lat: float
    adcode: str
    precision: Precision


@dataclass(frozen=True, slots=True)
class _AliasTable:
    """Compiled lookup: normalised alias → entry, longest alias first."""

    aliases: tuple[tuple[str, _Entry], ...]
    whole_text: dict[str, _Entry]
    counties: dict[str, _Entry]


def normalize(text: str) -> str:
    """Return text in lookup form: NFKC, no whitespace, lower case.

    Parameters
    ----------
    text : str
        Raw place text.

    Returns
    -------
    str
        Normalised text.
    """
    folded = unicodedata.normalize("NFKC", text)
    return "".join(folded.split()).lower()


@lru_cache(maxsize=4)
def _alias_table(path: Path) -> _AliasTable:
    """Compile the gazetteer at ``path`` into an alias table (cached per path)."""
    gaz = load_gazetteer(path)
    aliases: list[tuple[str, _Entry]] = []
    whole_text: dict[str, _Entry] = {}
    counties: dict[str, _Entry] = {}
    for order, row in enumerate(gaz.itertuples(index=False)):
        entry = _Entry(
            order, row.name, float(row.lon), float(row.lat), row.adcode, Precision(row.precision)
        )
        if row.kind == "county":
            counties[row.adcode] = entry
        names = [row.name, *(a for a in row.aliases.split(ALIAS_SEPARATOR) if a)]
        for alias in names:
            key = normalize(alias)
            # codes and ambiguous former names only match the whole text
            if key.isdigit() or alias in _WHOLE_TEXT_ONLY:
                whole_text[key] = entry
            else:
                aliases.append((key, entry))
    aliases.sort(key=_alias_sort_key)
    return _AliasTable(tuple(aliases), whole_text, counties)


def _alias_sort_key(item: tuple[str, _Entry]) -> tuple[int, int]:
    """Sort aliases longest first, then by gazetteer order."""
    return (-len(item[0]), item[1].order)


def _candidates(key: str, table: _AliasTable) -> list[tuple[int, int, int, _Entry, str]]:
    """Return (length, precision rank, position, entry, alias) of every alias in ``key``."""
    found = []
    if key in table.whole_text:
        found.append(
            (len(key), table.whole_text[key].precision.rank, 0, table.whole_text[key], key)
        )
    for alias, entry in table.aliases:
        pos = key.find(alias)
        if pos >= 0:
            found.append((len(alias), entry.precision.rank, pos, entry, alias))
    return found


def _best_key(item: tuple[int, int, int, _Entry, str]) -> tuple[int, int, int, int]:
    """Rank a candidate: longest, then most precise, then earliest, then file order."""
    length, rank, pos, entry, _ = item
    return (-length, rank, pos, entry.order)


def _result(entry: _Entry, *, adcode: str | None, reason: str) -> GeocodeResult:
    """Build a resolved result from a gazetteer entry."""
    return GeocodeResult(
        True, entry.lon, entry.lat, adcode or None, entry.precision, entry.name, reason
    )


def _unresolved(reason: str) -> GeocodeResult:
    """Build an unresolved result."""
    return GeocodeResult(False, None, None, None, None, "", reason)


def _geocode(text: str, county: str | None, path: Path) -> GeocodeResult:
    """Geocode one text against the gazetteer at ``path``."""
    table = _alias_table(path)
    hint: str | None = None
    if county is not None and str(county).strip():
        hint = county_adcode(str(county))
        if hint is None:
            return _unresolved(f"county hint {county!r} is not a county of 长治市")
    key = normalize(text or "")
    found = _candidates(key, table) if key else []
    dropped: list[str] = []
    if hint is not None:
        # a county hint drops places known to lie in another county
        kept = [c for c in found if c[3].adcode in ("", hint)]
        dropped = sorted({c[3].name for c in found if c not in kept})
        found = kept
    note = f"; ignored {'、'.join(dropped)} (not in the hinted county)" if dropped else ""
    if found:
        best = min(found, key=_best_key)
        entry, alias = best[3], best[4]
        if hint is None or entry.precision.rank <= Precision.COUNTY.rank:
            adcode = entry.adcode or hint
            return _result(entry, adcode=adcode, reason=f"matched {alias!r} → {entry.name}{note}")
    if hint is not None:
        seat = table.counties[hint]
        what = "no place more precise than the county in text" if key else "empty text"
        return _result(seat, adcode=hint, reason=f"{what}; county seat from hint {county!r}{note}")
    if not key:
        return _unresolved("empty text and no county hint")
    return _unresolved(f"no known place name in {text!r}{note}")


def geocode(text: str, *, county: str | None = None) -> GeocodeResult:
    """Geocode Chinese place or address text offline.

    Parameters
    ----------
    text : str
        Place words, e.g. ``武乡县八路军文化旅游景区``, ``长治县``, ``全市``.
    county : str, optional
        County hint: name (``长子县``, ``长子``), former name (``长治县``) or
        adcode (``140428``). It drops matches in other counties and gives
        county precision when no place matches.

    Returns
    -------
    GeocodeResult
        Resolved point with adcode, precision and matched name, or an
        unresolved result with the reason.

    Examples
    --------
    >>> geocode("长治县").adcode
    '140404'
    >>> geocode("火星").resolved
    False
    """
    return _geocode(text, county, GAZETTEER_PATH)


def geocode_many(texts: Sequence[str], counties: Sequence[str | None]) -> pd.DataFrame:
    """Geocode many texts with their county hints.

    Parameters
    ----------
    texts : Sequence[str]
        Place texts.
    counties : Sequence[str or None]
        County hint per text (same length; ``None`` or ``""`` for none).

    Returns
    -------
    pandas.DataFrame
        One row per text, in order, with columns :data:`RESULT_COLUMNS`;
        ``precision`` holds the enum value string (``""`` when unresolved).

    Raises
    ------
    ValueError
        If the two sequences differ in length.
    """
    if len(texts) != len(counties):
        raise ValueError(f"{len(texts)} texts but {len(counties)} county hints")
    # identical inputs are geocoded once
    memo: dict[tuple[str, str], GeocodeResult] = {}
    rows = []
    for text, county in zip(texts, counties, strict=True):
        t = "" if text is None or pd.isna(text) else str(text)
        c = "" if county is None or pd.isna(county) else str(county)
        res = memo.get((t, c))
        if res is None:
            res = _geocode(t, c or None, GAZETTEER_PATH)
            memo[(t, c)] = res
        rows.append(
            (
                res.resolved,
                res.lon,
                res.lat,
                res.adcode or "",
                res.precision.value if res.precision else "",
                res.matched,
                res.reason,
            )
        )
    frame = pd.DataFrame(rows, columns=list(RESULT_COLUMNS))
    frame["lon"] = frame["lon"].astype(float)
    frame["lat"] = frame["lat"].astype(float)
    return frame
