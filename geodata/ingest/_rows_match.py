"""Which register project each plan or progress row belongs to: by id, else name and county.

A row is attached only to a project it names unambiguously: its id, or
(without an id) exactly one project of that name in that county (today's
name, former name or code). An unknown id, no match or several matches
reject the row with the candidates named, so staff can fix the sheet; a row
is never dropped and never attached to a guess.
"""

from __future__ import annotations

import functools

import numpy as np
import pandas as pd

from geodata.i18n import Lang, bilingual, county_name, per_lang, t
from geodata.ingest._cells import RowLog, Verdict
from geodata.ingest._text import normalise
from geodata.ingest._vocab import lookup_county
from geodata.ingest.report import RowIssue

MAX_CANDIDATES = 5


def _key(name: object) -> str:
    """Normalise a project name for matching (full-width folded, no spaces)."""
    return normalise(str(name)).replace(" ", "").casefold()


class ProjectIndex:
    """The register indexed for matching plan and progress rows (name indexes built when needed).

    Parameters
    ----------
    projects : pandas.DataFrame
        Register rows (``id``, ``name_zh``, ``county_adcode``).
    """

    def __init__(self, projects: pd.DataFrame) -> None:
        ids = projects["id"].to_numpy(dtype=object)
        self._names = dict(zip(ids, projects["name_zh"].to_numpy(dtype=object), strict=True))
        self._adcodes = dict(
            zip(ids, projects["county_adcode"].to_numpy(dtype=object), strict=True)
        )

    @classmethod
    def of(cls, projects: pd.DataFrame) -> ProjectIndex:
        """Index register rows."""
        return cls(projects)

    def __contains__(self, pid: str) -> bool:
        """Whether ``pid`` is a register id."""
        return pid in self._names

    def label(self, pid: str) -> str:
        """Return how a candidate is named: ``CZ25-003 后湾水库供水工程（襄垣县）``."""
        adcode = str(self._adcodes[pid])
        key = "rows_candidate" if adcode else "rows_candidate_no_county"
        return t(key, Lang.ZH, pid=pid, name=self._names[pid], county=county_name(adcode, Lang.ZH))

    @functools.cached_property
    def name(self) -> dict[str, str]:
        """Id -> its name key."""
        return {pid: _key(name) for pid, name in self._names.items()}

    @functools.cached_property
    def by_place(self) -> dict[tuple[str, str], list[str]]:
        """``(county adcode, name key)`` -> ids."""
        out: dict[tuple[str, str], list[str]] = {}
        for pid, key in self.name.items():
            out.setdefault((str(self._adcodes[pid]), key), []).append(pid)
        return out

    @functools.cached_property
    def by_name(self) -> dict[str, list[str]]:
        """Name key -> ids in any county."""
        out: dict[str, list[str]] = {}
        for pid, key in self.name.items():
            out.setdefault(key, []).append(pid)
        return out

    def candidates(self, key: str, adcode: str) -> list[str]:
        """Return ids worth naming for an unmatched row: same name elsewhere, similar names."""
        found = list(self.by_name.get(key, []))
        if key:
            similar = [
                pid
                for pid, other in self.name.items()
                if pid not in found and (key in other or other in key) and len(other) >= 2
            ]
            same_county = [p for p in similar if str(self._adcodes[p]) == adcode]
            found += same_county + [p for p in similar if p not in same_county]
        return found[:MAX_CANDIDATES]


def _listed(index: ProjectIndex, ids: list[str]) -> str:
    """Return candidates as text for a message."""
    return "、".join(index.label(p) for p in ids) if ids else t("rows_candidates_none", Lang.ZH)


def _one(
    index: ProjectIndex, pid: str, name: str, county: str
) -> tuple[str, Verdict, str, list[str]]:
    """Match one row: the id (``""`` when none), verdict, message and candidates."""
    key = _key(name)
    adcode = lookup_county(county) if county else ""
    if pid:
        if pid in index:
            if key and key != index.name[pid]:
                stored = index.label(pid)
                message = bilingual("rows_name_differs", name=name[:60], stored=stored)
                return pid, Verdict.WARN, message, []
            return pid, Verdict.OK, "", []
        near = index.by_place.get((adcode or "", key), []) or index.candidates(key, adcode or "")
        message = bilingual("rows_unknown_id", pid=pid[:40], listed=_listed(index, near))
        return "", Verdict.REJECT, message, near
    if adcode is None:
        message = bilingual("rows_unknown_county", county=county[:30])
        return "", Verdict.REJECT, message, index.candidates(key, "")
    if not adcode:
        near = index.candidates(key, "")
        message = bilingual("rows_no_id_no_county", listed=_listed(index, near))
        return "", Verdict.REJECT, message, near
    hits = index.by_place.get((adcode, key), [])
    if len(hits) == 1:
        return hits[0], Verdict.OK, "", []
    if hits:
        where = per_lang(county_name, adcode)
        listed = _listed(index, hits)
        message = bilingual("rows_same_name", county=where, n=len(hits), listed=listed)
        return "", Verdict.REJECT, message, hits
    near = index.candidates(key, adcode)
    message = bilingual(
        "rows_no_such_project",
        county=per_lang(county_name, adcode),
        name=name[:60],
        listed=_listed(index, near),
    )
    return "", Verdict.REJECT, message, near


def match_projects(
    index: ProjectIndex,
    *,
    ids: np.ndarray,
    names: np.ndarray,
    counties: np.ndarray,
    log: RowLog,
) -> tuple[np.ndarray, list[RowIssue]]:
    """Attach every row to a register project, or reject it naming the candidates.

    Parameters
    ----------
    index : ProjectIndex
        The register.
    ids, names, counties : numpy.ndarray
        The rows' 项目编号, 项目名称 and 县区 cells (normalised text, ``""`` blank).
    log : RowLog
        Gets a rejection per unmatched or ambiguous row, a warning per name mismatch.

    Returns
    -------
    tuple
        The project id of each row (``""`` when unmatched) and the unmatched
        rows as report entries with their candidates.
    """
    out = np.full(len(ids), "", dtype=object)
    # rows naming a register id and no name: attached at once
    plain = (names == "") & np.array([pid in index for pid in ids], dtype=bool)
    out[plain] = ids[plain]
    unmatched: list[RowIssue] = []
    memo: dict[tuple[str, str, str], tuple[str, Verdict, str, list[str]]] = {}
    for i in np.flatnonzero(~plain):
        key = (str(ids[i]), str(names[i]), str(counties[i]))
        if key not in memo:
            memo[key] = _one(index, *key)
        pid, verdict, message, near = memo[key]
        log.add(i, verdict, message)
        out[i] = pid
        if verdict is Verdict.REJECT:
            shown = key[1] or key[0]
            unmatched.append(
                RowIssue(int(log.rows[i]), message, shown, tuple(index.label(p) for p in near))
            )
    return out, unmatched
