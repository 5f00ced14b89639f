"""Per-row validation: parse every field, match the register once, build the result.

:func:`validate_rows` parses a read table field by field
(:mod:`geodata.ingest._fields`, :mod:`geodata.ingest._locate`), then
:func:`resolve` meets the register: matching (:mod:`geodata.ingest.match`),
geocoding of rows that need a place, merging updates
(:mod:`geodata.ingest._merge`), the register's own rules and the report.
Every row ends in one of: accepted, accepted with warnings, needs review (no
location found) or rejected with a reason.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd

from geodata.boundaries import load_counties
from geodata.coords import CoordSystem
from geodata.i18n import bilingual
from geodata.ingest._cells import RowLog, Verdict
from geodata.ingest._incoming import Incoming, parse_incoming
from geodata.ingest._locate import geocode_rows
from geodata.ingest._merge import Merged, merge_rows
from geodata.ingest._store import register_frame
from geodata.ingest.match import Plan, Register, file_duplicates, match_rows
from geodata.ingest.report import ImportReport, ImportResult, RowIssue, RowStatus, rejected_table

_NEEDS_REVIEW = bilingual("ingest_needs_review")


def validate_rows(
    table: pd.DataFrame,
    *,
    crs: CoordSystem | str = CoordSystem.WGS84,
    filename: str = "",
    counties: gpd.GeoDataFrame | None = None,
    existing: pd.DataFrame | None = None,
    base_version: int | None = None,
) -> ImportResult:
    """Check every row of a read table and build the register rows.

    Parameters
    ----------
    table : pandas.DataFrame
        Output of :func:`~geodata.ingest.read_table` (text cells, index = spreadsheet row).
    crs : CoordSystem or str
        Coordinate system the file's 经度/纬度 are in; a 坐标系 column, when
        present, overrides it row by row (``WGS84``, ``GCJ-02``/``高德``, ``BD-09``/``百度``).
    filename : str
        Name written into the report and each new row's provenance.
    counties : geopandas.GeoDataFrame, optional
        County boundaries (default :func:`geodata.boundaries.load_counties`).
    existing : pandas.DataFrame, optional
        The register the rows go into (e.g. ``store.projects(include_unlocated=True)``);
        see :mod:`geodata.ingest.match` for how rows meet it.
    base_version : int, optional
        The store version ``existing`` was read at; a commit against the same
        version reuses this result without reading the register again.

    Returns
    -------
    ImportResult
        Accepted rows in register shape, the preview and the report.

    Raises
    ------
    IngestError
        When a required column is missing (the message names it).
    """
    counties = load_counties() if counties is None else counties
    incoming = parse_incoming(table, crs=CoordSystem(crs), filename=filename, counties=counties)
    result = resolve(incoming, Register.of(existing))
    result.base_version = base_version if existing is not None else None
    return result


def _needs_geocoding(
    incoming: Incoming, plan: Plan, register: Register, live: np.ndarray
) -> np.ndarray:
    """Rows without coordinates that need a place: new ones, and updates that moved."""
    todo = incoming.points.no_coords & live
    where = {
        c: incoming.frame[c].to_numpy(dtype=object) for c in ("location_text", "county_adcode")
    }
    for i in np.flatnonzero(todo & (plan.target != "")):
        old = register.record(plan.target[i])
        moved = any(incoming.stated[c][i] and where[c][i] != old[c] for c in where)
        todo[i] = moved or np.isnan(float(old["lon"]))
    return todo


def _register_rules(frame: pd.DataFrame, log: RowLog) -> None:
    """Reject rows the register would refuse (a capacity figure without its unit)."""
    live = ~log.rejected()
    value = frame["capacity_value"].to_numpy(dtype=float)
    bad = live & ~np.isnan(value) & (frame["capacity_unit"].to_numpy(dtype=object) == "")
    for i in np.flatnonzero(bad):
        log.add(i, Verdict.REJECT, bilingual("ingest_capacity_unit_missing"))


def resolve(incoming: Incoming, register: Register) -> ImportResult:
    """Meet the register: match, geocode, merge, check, and build the result.

    The incoming rows are not changed (their log is copied), so a commit can
    resolve them again against a register that changed meanwhile.
    """
    log = incoming.log.copy()
    names = incoming.frame["name_zh"].to_numpy(dtype=object)
    plan = match_rows(incoming, register, live=~log.rejected())
    for i, msg in plan.notes:
        log.add(i, Verdict.WARN, msg)
    duplicates = [RowIssue(int(log.rows[i]), msg, names[i]) for i, msg in plan.notes]
    duplicates += file_duplicates(plan, incoming, log, names=names)
    frame = incoming.frame
    geo = geocode_rows(
        _needs_geocoding(incoming, plan, register, ~log.rejected()),
        location=incoming.location_key, names=incoming.name_key,
        county_text=incoming.county_text, adcode=frame["county_adcode"].to_numpy(dtype=object),
    )  # fmt: skip
    checked = [len(w) for w in log.warn]
    merged = merge_rows(incoming, plan, register, geo, log)
    _register_rules(merged.frame, log)
    # a row that changes nothing has nothing to report about its cells (they are the
    # register's values); only what the merge refused (a coarser location) is told
    quiet = ~log.rejected() & ~merged.changed
    for i in np.flatnonzero(quiet):
        log.warn[i] = log.warn[i][checked[i] :]
    stale = {int(log.rows[i]) for i in np.flatnonzero(quiet)}  # their name matches too
    duplicates = [d for d in duplicates if d.row not in stale]
    return assemble(incoming, merged, log, plan=plan, duplicates=duplicates)


def _statuses(log: RowLog, merged: Merged) -> tuple[np.ndarray, list[str], np.ndarray]:
    """Status, message text and needs-review mask of every row."""
    rejected = log.rejected()
    located = ~np.isnan(merged.frame["lon"].to_numpy(dtype=float))
    unresolved = ~rejected & ~located
    status = np.where(
        rejected, RowStatus.REJECTED.value,
        np.where(unresolved, RowStatus.NEEDS_REVIEW.value, RowStatus.ACCEPTED.value),
    ).astype(object)  # fmt: skip
    messages = []
    for i in range(len(status)):
        if rejected[i]:
            messages.append("；".join(log.reject[i]))
            continue
        if status[i] == RowStatus.ACCEPTED.value and log.warn[i]:
            status[i] = RowStatus.WARNINGS.value
        messages.append("；".join([*log.warn[i], *([_NEEDS_REVIEW] if unresolved[i] else [])]))
    return status, messages, unresolved


def _issues(log: RowLog, names: np.ndarray, unresolved: np.ndarray) -> dict[str, list[RowIssue]]:
    """Warnings, rejections and rows awaiting a location as report entries."""
    out: dict[str, list[RowIssue]] = {"warnings": [], "rejected": [], "unresolved": []}
    for i, row in enumerate(log.rows):
        row = int(row)
        if log.reject[i]:
            out["rejected"].append(RowIssue(row, "；".join(log.reject[i]), names[i]))
            continue
        out["warnings"] += [RowIssue(row, msg, names[i]) for msg in log.warn[i]]
        if unresolved[i]:
            out["unresolved"].append(RowIssue(row, _NEEDS_REVIEW, names[i]))
    return out


def assemble(
    incoming: Incoming, merged: Merged, log: RowLog, *, plan: Plan, duplicates: list[RowIssue]
) -> ImportResult:
    """Build the result: statuses, report lists, register frame and preview."""
    status, messages, unresolved = _statuses(log, merged)
    keep = ~log.rejected()
    names = merged.frame["name_zh"].to_numpy(dtype=object)
    issues = _issues(log, names, unresolved)
    projects = register_frame(merged.frame[keep])
    preview = projects.copy()
    preview["row"] = log.rows[keep]
    preview["status"] = status[keep]
    preview["messages"] = np.array(messages, dtype=object)[keep]
    preview["changes"] = [
        "；".join(map(str, c)) for c, k in zip(merged.changes, keep, strict=True) if k
    ]
    table = incoming.table
    reasons = [r.reason for r in issues["rejected"]]
    rejected_rows = rejected_table(table, ~keep, log.rows, reasons)
    changed = keep & merged.changed
    report = ImportReport(
        filename=incoming.source, crs=incoming.crs, total=len(status), accepted=int(keep.sum()),
        added=int((changed & (plan.target == "")).sum()),
        updated=int((changed & (plan.target != "")).sum()),
        unchanged=int((keep & ~merged.changed).sum()),
        warnings=issues["warnings"], rejected=issues["rejected"],
        unresolved=issues["unresolved"], duplicates=duplicates,
        changes=[c for i in np.flatnonzero(keep) for c in merged.changes[i]],
        notes=list(table.attrs.get("notes", [])),
        encoding=str(table.attrs.get("encoding", "")), sheet=str(table.attrs.get("sheet", "")),
        columns=dict(incoming.header.fields), ignored_columns=list(incoming.header.unknown),
        status=pd.Series(status, index=pd.Index(log.rows, name="row"), name="status"),
        rejected_rows=rejected_rows,
    )  # fmt: skip
    return ImportResult(
        projects=projects, preview=preview, report=report,
        changed_ids=tuple(plan.ids[changed]), incoming=incoming,
    )  # fmt: skip


def import_table(
    data: bytes,
    *,
    filename: str,
    crs: CoordSystem | str = CoordSystem.WGS84,
    existing: pd.DataFrame | None = None,
    base_version: int | None = None,
    counties: gpd.GeoDataFrame | None = None,
) -> ImportResult:
    """Check, read and validate an uploaded file (nothing is written).

    Parameters
    ----------
    data : bytes
        The file's content.
    filename : str
        Its name (``.csv``, ``.xlsx``, ``.geojson`` or ``.gpkg``).
    crs : CoordSystem or str
        The coordinate system its coordinates are in (default WGS-84).
    existing : pandas.DataFrame, optional
        The register the rows go into (see :func:`validate_rows`).
    base_version : int, optional
        The store version ``existing`` was read at.
    counties : geopandas.GeoDataFrame, optional
        County boundaries (default :func:`geodata.boundaries.load_counties`).

    Returns
    -------
    ImportResult
        Accepted rows (register shape), preview and report.

    Raises
    ------
    IngestError
        When the file cannot be read at all (one-line message).
    """
    from geodata.ingest._read import read_table

    table = read_table(data, filename=filename)
    return validate_rows(
        table, crs=crs, filename=filename, counties=counties, existing=existing,
        base_version=base_version,
    )  # fmt: skip
