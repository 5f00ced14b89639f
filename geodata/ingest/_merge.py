"""Building the rows a commit writes: new projects as read, updates merged with the register.

On an update blank cells keep the stored values, a coarser location never
replaces a finer one (a warning when the file stated it), the stored source
sentence is kept and the import's provenance added after it, and every
changed field is listed old → new. A row that changes nothing is a no-op.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from geodata.i18n import Lang, bilingual, county_name, per_lang, t
from geodata.ingest._cells import RowLog, Verdict
from geodata.ingest._incoming import Incoming
from geodata.ingest._locate import Geocoded
from geodata.ingest._text import number_text
from geodata.ingest.match import Plan, Register
from geodata.ingest.report import FieldChange
from geodata.schema import REGISTER_COLUMNS, Precision, Subcategory

_FLOATS = frozenset({"lon", "lat", "investment_yi", "capacity_value"})
_LOCATION = ("lon", "lat", "precision")
# fields merged cell by cell (location, county, subcategory and source have their own rules)
_PLAIN = tuple(
    c for c in REGISTER_COLUMNS
    if c not in ("id", *_LOCATION, "county_adcode", "subcategory", "source_sentence")
)  # fmt: skip
# how every provenance note starts (``导入自 ``), to find and replace an older one
PROVENANCE_MARK = t("ingest_provenance", Lang.ZH).split("{", 1)[0]
SOURCE_SEPARATOR = "｜"


def provenance(source: str, row: int) -> str:
    """Return the provenance part an import writes: file and spreadsheet row."""
    return bilingual("ingest_provenance", source=source, row=row)


def with_provenance(sentence: str, note: str) -> str:
    """Return the source sentence(s) with the import's provenance after them.

    A provenance part of an earlier import is replaced, so the report's
    sentences stay and only the latest import is named.
    """
    parts = [p for p in sentence.split(SOURCE_SEPARATOR) if p and not p.startswith(PROVENANCE_MARK)]
    return SOURCE_SEPARATOR.join([*parts, note])


def _rank(precision: object) -> int:
    """Rank of a precision, best first; a missing location ranks below every other."""
    try:
        return Precision(str(precision)).rank
    except ValueError:
        return len(Precision)


def _same(col: str, a: object, b: object) -> bool:
    """Whether two register values are equal (numbers within float noise)."""
    if col in _FLOATS:
        x, y = float(a), float(b)
        if math.isnan(x) or math.isnan(y):
            return math.isnan(x) and math.isnan(y)
        return abs(x - y) <= 1e-9 * max(1.0, abs(y))
    return str(a) == str(b)


def _shown(col: str, value: object) -> str:
    """Return a register value as text for a change list."""
    if col in _FLOATS:
        return "" if math.isnan(float(value)) else number_text(float(value))
    return str(value)


@dataclass
class Merged:
    """The rows to write and what they change.

    Attributes
    ----------
    frame : pandas.DataFrame
        Register columns, positional index as the file's rows.
    changes : list[list[FieldChange]]
        Per row, the fields it changes on its stored project.
    changed : numpy.ndarray of bool
        Rows that add a project or change a stored one.
    """

    frame: pd.DataFrame
    changes: list[list[FieldChange]] = field(default_factory=list)
    changed: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=bool))


def _location(
    i: int, row: dict[str, object], incoming: Incoming, geo: Geocoded
) -> tuple[float, float, str, bool]:
    """Return the row's own location (stated, else geocoded) and whether it was stated."""
    if incoming.stated["lon"][i]:
        prec = str(row["precision"] or Precision.EXACT.value)
        return float(row["lon"]), float(row["lat"]), prec, True
    if geo.precision[i]:
        return float(geo.lon[i]), float(geo.lat[i]), str(geo.precision[i]), False
    return math.nan, math.nan, "", False


def _merge_location(
    i: int, new: dict[str, object], old: dict[str, object], row: dict[str, object],
    context: tuple[Incoming, Geocoded, RowLog],
) -> None:  # fmt: skip
    """Keep the stored location unless the row's own is at least as fine."""
    incoming, geo, log = context
    lon, lat, prec, stated = _location(i, row, incoming, geo)
    keep = dict(zip(_LOCATION, (old["lon"], old["lat"], old["precision"]), strict=True))
    if not prec or (_rank(prec) > _rank(old["precision"]) and not math.isnan(float(old["lon"]))):
        new.update(keep)
        if prec and stated:
            log.add(
                i,
                Verdict.WARN,
                bilingual(
                    "ingest_coarser_location",
                    given=Precision(prec),
                    stored=Precision(str(old["precision"])),
                ),
            )
        return
    new.update(lon=lon, lat=lat, precision=prec)
    if not stated:
        log.add(i, Verdict.WARN, str(geo.message[i]))


def _merge_update(
    i: int, row: dict[str, object], old: dict[str, object],
    context: tuple[Incoming, Geocoded, RowLog],
) -> dict[str, object]:  # fmt: skip
    """Return row ``i`` as an update of the stored row ``old``."""
    stated = {c: bool(m[i]) for c, m in context[0].stated.items()}
    new: dict[str, object] = {c: row[c] if stated.get(c) else old[c] for c in _PLAIN}
    new["county_adcode"] = row["county_adcode"] if stated["county_adcode"] else old["county_adcode"]
    if stated["subcategory"] or new["category"] != old["category"]:
        new["subcategory"] = row["subcategory"] or Subcategory.OTHER.value
    else:
        new["subcategory"] = old["subcategory"]
    new["source_sentence"] = (
        row["source_sentence"] if stated["source_sentence"] else old["source_sentence"]
    )
    _merge_location(i, new, old, row, context)
    return new


def _new_row(
    i: int, row: dict[str, object], context: tuple[Incoming, Geocoded, RowLog]
) -> dict[str, object]:
    """Return row ``i`` as a new project (its county taken from its point when blank)."""
    incoming, geo, log = context
    new = dict(row)
    lon, lat, prec, stated = _location(i, row, incoming, geo)
    new.update(lon=lon, lat=lat, precision=prec)
    if prec and not stated:
        log.add(i, Verdict.WARN, str(geo.message[i]))
    found = incoming.points.county[i]
    if not new["county_adcode"] and stated and Precision(prec).trusted_point and found:
        new["county_adcode"] = found
        log.add(
            i,
            Verdict.WARN,
            bilingual("ingest_county_from_point", county=per_lang(county_name, found)),
        )
    elif not new["county_adcode"] and not stated and geo.adcode[i]:
        new["county_adcode"] = geo.adcode[i]
    if not new["source_sentence"]:
        new["source_sentence"] = provenance(incoming.source, int(incoming.log.rows[i]))
    return new


def _changes(
    pid: str, new: dict[str, object], old: dict[str, object], row: int
) -> list[FieldChange]:
    """List the fields ``new`` changes on ``old``; equal numbers keep the stored value."""
    out = []
    for col in REGISTER_COLUMNS[1:]:
        if _same(col, new[col], old[col]):
            new[col] = old[col]
        else:
            out.append(FieldChange(row, pid, col, _shown(col, old[col]), _shown(col, new[col])))
    return out


def merge_rows(
    incoming: Incoming, plan: Plan, register: Register, geo: Geocoded, log: RowLog
) -> Merged:
    """Build every live row as it would be written, with its changes."""
    n = len(incoming.frame)
    live = ~log.rejected()
    rows = incoming.frame.to_dict("records")
    context = (incoming, geo, log)
    merged = Merged(pd.DataFrame(), [[] for _ in range(n)], np.zeros(n, dtype=bool))
    records: list[dict[str, object]] = []
    for i, row in enumerate(rows):
        number, pid = int(log.rows[i]), plan.target[i]
        if not live[i]:
            records.append(dict(row))
        elif pid:
            old = register.record(pid)
            new = _merge_update(i, row, old, context)
            changes = _changes(pid, new, old, number)
            if changes and not any(c.field == "source_sentence" for c in changes):
                note = provenance(incoming.source, number)
                new["source_sentence"] = with_provenance(str(new["source_sentence"]), note)
                changes = _changes(pid, new, old, number)
            merged.changes[i], merged.changed[i] = changes, bool(changes)
            records.append(new)
        else:
            records.append(_new_row(i, row, context))
            merged.changed[i] = True
        records[-1]["id"] = plan.ids[i]
    merged.frame = pd.DataFrame(records, columns=list(REGISTER_COLUMNS))
    return merged
