"""Matching rows against the register, once: which stored project each row updates.

A row whose id (given, or generated from county and name for a row without
one) is in the register updates that project. A row without an id whose
name and county match exactly one stored project under another id takes
that id and updates it; every other name match is a warning. Repeats within
the file are found here too. The plan keeps whether each id was given.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import numpy as np
import pandas as pd

from geodata.i18n import bilingual
from geodata.ingest._cells import RowLog, Verdict
from geodata.ingest._incoming import Incoming
from geodata.ingest._text import normalise
from geodata.ingest.report import RowIssue
from geodata.schema import REGISTER_COLUMNS


def generated_id(adcode: str, name: str) -> str:
    """Stable id for a row without one: the same county and name give the same id."""
    digest = hashlib.sha1(f"{adcode}|{name}".encode(), usedforsecurity=False).hexdigest()
    return f"IMP-{digest[:10].upper()}"


@dataclass
class Register:
    """The register rows go into, indexed for matching.

    Attributes
    ----------
    rows : pandas.DataFrame
        Register columns (no geometry), indexed by id.
    by_name : dict[tuple[str, str], list[str]]
        ``(county adcode, normalised name)`` -> ids.
    """

    rows: pd.DataFrame
    by_name: dict[tuple[str, str], list[str]]
    _records: dict[str, dict[str, object]] | None = None

    def record(self, pid: str) -> dict[str, object]:
        """Return one stored project's register values as a plain mapping."""
        if self._records is None:
            self._records = self.rows.to_dict("index")
        return self._records[pid]

    @classmethod
    def of(cls, existing: pd.DataFrame | None) -> Register:
        """Index a register frame (``None`` or empty: nothing to match)."""
        if existing is None or not len(existing):
            return cls(pd.DataFrame(columns=list(REGISTER_COLUMNS)).set_index("id"), {})
        rows = pd.DataFrame(existing)[list(REGISTER_COLUMNS)].set_index("id", drop=False)
        by_name: dict[tuple[str, str], list[str]] = {}
        for pid, name, county in zip(rows["id"], rows["name_zh"], rows["county_adcode"],
                                     strict=True):  # fmt: skip
            if name:
                by_name.setdefault((str(county), normalise(str(name))), []).append(str(pid))
        return cls(rows.drop(columns="id"), by_name)


@dataclass
class Plan:
    """Where each row goes.

    Attributes
    ----------
    ids : numpy.ndarray
        The id each row is written under.
    target : numpy.ndarray
        The stored project a row updates (``""`` for a new project).
    notes : list[tuple[int, str]]
        ``(position, message)`` for rows matching stored projects by name:
        warnings, also listed as duplicates.
    """

    ids: np.ndarray
    target: np.ndarray
    notes: list[tuple[int, str]]


def _name_note(listed: str, *, explicit: bool, adopted: str) -> str:
    """Return the message for a row matching stored projects by name and county."""
    if explicit:
        return bilingual("ingest_same_as_stored", listed=listed)
    if not adopted:
        return bilingual("ingest_ambiguous_match", listed=listed)
    return bilingual("ingest_adopted", adopted=adopted)


def match_rows(incoming: Incoming, register: Register, *, live: np.ndarray) -> Plan:
    """Decide, once, which stored project each live row updates.

    Parameters
    ----------
    incoming : Incoming
        The parsed rows (their ids and whether each was given).
    register : Register
        The register they go into.
    live : numpy.ndarray of bool
        Rows still to import (not rejected).

    Returns
    -------
    Plan
        Ids, update targets and name-match notes.
    """
    frame = incoming.frame
    adcode = frame["county_adcode"].to_numpy(dtype=object)
    explicit = incoming.explicit
    ids = np.array(
        [given if ex else generated_id(a, name) for given, ex, a, name in
         zip(frame["id"], explicit, adcode, incoming.name_key, strict=True)],
        dtype=object,
    )  # fmt: skip
    stored = set(register.rows.index)
    target = np.array([i if i in stored else "" for i in ids], dtype=object)
    taken = set(ids[live])
    notes: list[tuple[int, str]] = []
    for i in np.flatnonzero(live):
        matches = register.by_name.get((adcode[i], incoming.name_key[i]), [])
        if not matches or ids[i] in matches:
            continue
        adopted = ""
        if not explicit[i] and not target[i] and len(matches) == 1 and matches[0] not in taken:
            adopted = ids[i] = target[i] = matches[0]
            taken.add(adopted)
        listed = "、".join(matches)
        notes.append((int(i), _name_note(listed, explicit=bool(explicit[i]), adopted=adopted)))
    return Plan(ids=ids, target=target, notes=notes)


def file_duplicates(
    plan: Plan, incoming: Incoming, log: RowLog, *, names: np.ndarray
) -> list[RowIssue]:
    """Reject repeated ids and warn about repeated names within a county (later rows)."""
    found: list[RowIssue] = []
    first_id: dict[str, int] = {}
    first_name: dict[tuple[str, str], int] = {}
    adcode = incoming.frame["county_adcode"].to_numpy(dtype=object)
    for i in np.flatnonzero(~log.rejected()):
        row = int(log.rows[i])
        pid = plan.ids[i]
        if pid in first_id:
            other = first_id[pid]
            msg = (
                bilingual("ingest_duplicate_id", pid=pid, other=other)
                if incoming.explicit[i]
                else bilingual("ingest_duplicate_row", other=other)
            )
            log.add(i, Verdict.REJECT, msg)
            found.append(RowIssue(row, msg, names[i]))
            continue
        first_id[pid] = row
        key = (adcode[i], incoming.name_key[i])
        if key in first_name and key[1]:
            other = first_name[key]
            msg = bilingual("ingest_same_as_row", other=other)
            log.add(i, Verdict.WARN, msg)
            found.append(RowIssue(row, msg, names[i]))
        else:
            first_name[key] = row
    return found
