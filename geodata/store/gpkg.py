"""The embedded project store: a versioned GeoPackage on local disk.

The store is one GeoPackage (SQLite) file, readable by QGIS, GDAL and
pyogrio, holding

``projects``
    The current register: one point feature per project (geometry ``geom``,
    GeoPackage binary; ``NULL`` for a project awaiting a location) with the
    register columns.
``versions``
    One row per change: version number, when (UTC), who, what kind of change
    (``create``, ``import``, ``edit``, ``restore``), the staff member's message
    and counts.
``project_versions``
    What each version changed: one row per project added or modified in that
    version, and a ``deleted`` row per project removed. The register as it
    stood at version *v* is, for every id, its latest row at or before *v*
    (unless that row is a deletion), so any version can be read or restored
    while a one-point edit stores one row, not a copy of the register.

Every write happens inside one SQLite transaction (``BEGIN IMMEDIATE`` with a
busy timeout): the current table, the version row and its snapshot change
together or not at all. A process killed mid-write leaves SQLite's rollback
journal, which the next reader rolls back, so the previous version is intact.
A store locked by another program raises :class:`StoreBusy`, which the caller
shows as "busy, try again"; nothing is written. The file is created from the
bundled register on first open, written to a temporary file and moved into
place with ``os.replace`` under a lock, so a half-created store never exists.
"""

from __future__ import annotations

import contextlib
import fcntl
import math
import os
import sqlite3
import tempfile
import warnings
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from enum import StrEnum
from functools import lru_cache
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pyproj import CRS

from geodata.auth import StaffIdentity, require_staff, system_identity
from geodata.boundaries import load_counties
from geodata.coords import CoordSystem, convert, require_wgs84
from geodata.divisions import BY_ADCODE
from geodata.schema import REGISTER_COLUMNS, Precision
from geodata.settings import CITY_NAME_ZH, STORE_PATH, WGS84

BUSY_TIMEOUT_S = 5.0
SRS_ID = 4326
FLOAT_COLUMNS: frozenset[str] = frozenset({"lon", "lat", "investment_yi", "capacity_value"})
_GPKG_APPLICATION_ID = 0x47504B47  # "GPKG"
_GPKG_USER_VERSION = 10200
# layout of our own tables; bump when it changes (older files are refused by name)
STORE_SCHEMA_VERSION = 1
_ENVELOPE_BYTES = {0: 0, 1: 32, 2: 48, 3: 48, 4: 64}
_POINT_DTYPE = np.dtype(
    [
        ("magic", "S2"),
        ("version", "u1"),
        ("flags", "u1"),
        ("srs_id", "<i4"),
        ("byte_order", "u1"),
        ("wkb_type", "<u4"),
        ("x", "<f8"),
        ("y", "<f8"),
    ]
)


class StoreError(RuntimeError):
    """The store cannot be read or written."""


class StoreBusy(StoreError):  # noqa: N818 (the name the app and issue use)
    """Another program holds the store; nothing was written, try again."""

    def __init__(self, path: Path) -> None:
        super().__init__(
            f"数据库正被其他程序占用，请稍后重试；本次未写入任何内容 "
            f"(the store {path.name} is busy, try again; nothing was written)"
        )
        self.path = path


class OutsideCountyWarning(UserWarning):
    """A point was set outside the project's stated county (recorded in the version message)."""


class Action(StrEnum):
    """Kind of change recorded in the history."""

    CREATE = "create"
    IMPORT = "import"
    EDIT = "edit"
    RESTORE = "restore"


def _column_type(col: str) -> str:
    """Return the SQLite type of a register column (``REAL`` for numbers, else ``TEXT``)."""
    return "REAL" if col in FLOAT_COLUMNS else "TEXT"


_ATTR_DDL = ", ".join(
    f"{c} {_column_type(c)}" + (" NOT NULL" if c == "id" else "") for c in REGISTER_COLUMNS
)
_COLS = ", ".join(REGISTER_COLUMNS)
_SCHEMA = f"""
CREATE TABLE gpkg_spatial_ref_sys (
  srs_name TEXT NOT NULL, srs_id INTEGER PRIMARY KEY, organization TEXT NOT NULL,
  organization_coordsys_id INTEGER NOT NULL, definition TEXT NOT NULL, description TEXT);
CREATE TABLE gpkg_contents (
  table_name TEXT NOT NULL PRIMARY KEY, data_type TEXT NOT NULL, identifier TEXT UNIQUE,
  description TEXT DEFAULT '',
  last_change DATETIME NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
  min_x DOUBLE, min_y DOUBLE, max_x DOUBLE, max_y DOUBLE, srs_id INTEGER,
  CONSTRAINT fk_gc_r_srs_id FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys(srs_id));
CREATE TABLE gpkg_geometry_columns (
  table_name TEXT NOT NULL, column_name TEXT NOT NULL, geometry_type_name TEXT NOT NULL,
  srs_id INTEGER NOT NULL, z TINYINT NOT NULL, m TINYINT NOT NULL,
  CONSTRAINT pk_geom_cols PRIMARY KEY (table_name, column_name),
  CONSTRAINT uk_gc_table_name UNIQUE (table_name),
  CONSTRAINT fk_gc_tn FOREIGN KEY (table_name) REFERENCES gpkg_contents(table_name),
  CONSTRAINT fk_gc_srs FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys (srs_id));
CREATE TABLE projects (
  fid INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL, geom POINT, {_ATTR_DDL});
CREATE UNIQUE INDEX projects_id ON projects (id);
CREATE TABLE versions (
  fid INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL, created_at TEXT NOT NULL,
  who TEXT NOT NULL, who_name TEXT NOT NULL, who_source TEXT NOT NULL,
  action TEXT NOT NULL, message TEXT NOT NULL, n_projects INTEGER NOT NULL,
  added INTEGER NOT NULL, updated INTEGER NOT NULL, removed INTEGER NOT NULL,
  restored_from INTEGER);
CREATE TABLE project_versions (
  fid INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL, version INTEGER NOT NULL,
  deleted INTEGER NOT NULL DEFAULT 0, {_ATTR_DDL});
CREATE INDEX project_versions_id_version ON project_versions (id, version);
CREATE TABLE store_meta (key TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL);
"""


def _srs_rows() -> list[tuple[object, ...]]:
    """Mandatory spatial reference rows of a GeoPackage plus WGS-84."""
    wkt = CRS.from_epsg(SRS_ID).to_wkt("WKT1_GDAL")
    return [
        ("Undefined cartesian SRS", -1, "NONE", -1, "undefined", "undefined cartesian"),
        ("Undefined geographic SRS", 0, "NONE", 0, "undefined", "undefined geographic"),
        ("WGS 84 geodetic", SRS_ID, "EPSG", SRS_ID, wkt, "longitude/latitude WGS 84"),
    ]


def encode_points(lon: np.ndarray, lat: np.ndarray) -> list[bytes | None]:
    """Encode points as GeoPackage binary geometries (GP header + WKB).

    Parameters
    ----------
    lon, lat : numpy.ndarray
        WGS-84 degrees; a ``NaN`` pair gives ``None`` (no geometry).

    Returns
    -------
    list
        One ``bytes`` (29 bytes: little-endian header without envelope and a
        WKB point) or ``None`` per point.
    """
    n = len(lon)
    buf = np.zeros(n, dtype=_POINT_DTYPE)
    buf["magic"] = b"GP"
    buf["flags"] = 0b0000_0001
    buf["srs_id"] = SRS_ID
    buf["byte_order"] = 1
    buf["wkb_type"] = 1
    buf["x"] = lon
    buf["y"] = lat
    raw = buf.tobytes()
    size = _POINT_DTYPE.itemsize
    missing = np.isnan(np.asarray(lon, dtype=float)) | np.isnan(np.asarray(lat, dtype=float))
    return [None if missing[i] else raw[i * size : (i + 1) * size] for i in range(n)]


def decode_geometries(blobs: list[bytes | None]) -> np.ndarray:
    """Decode GeoPackage binary geometries into shapely geometries.

    Parameters
    ----------
    blobs : list
        ``geom`` column values (``None`` for no geometry).

    Returns
    -------
    numpy.ndarray
        Shapely geometries (``None`` where there is none or it is empty).
    """
    wkb: list[bytes | None] = []
    for blob in blobs:
        if blob is None or len(blob) < 8 or blob[:2] != b"GP":
            wkb.append(None)
            continue
        flags = blob[3]
        if flags & 0b0001_0000:
            wkb.append(None)
            continue
        wkb.append(bytes(blob[8 + _ENVELOPE_BYTES.get((flags >> 1) & 0b111, 0) :]))
    return shapely.from_wkb(np.array(wkb, dtype=object))


def register_frame(projects: pd.DataFrame) -> gpd.GeoDataFrame:
    """Bring a frame into register shape: the register columns, typed, plus point geometry.

    Parameters
    ----------
    projects : pandas.DataFrame
        Register columns (missing text columns become ``""``, missing numbers
        ``NaN``); a ``geometry`` column, if present, must be EPSG:4326 and
        wins over ``lon``/``lat``.

    Returns
    -------
    geopandas.GeoDataFrame
        Exactly :data:`~geodata.schema.REGISTER_COLUMNS` plus ``geometry``.

    Raises
    ------
    ValueError
        On a CRS other than EPSG:4326, a missing or repeated id.
    """
    frame = pd.DataFrame(index=range(len(projects)))
    src = projects.reset_index(drop=True)
    for col in REGISTER_COLUMNS:
        if col in FLOAT_COLUMNS:
            values = src.get(col, np.nan)
            frame[col] = pd.to_numeric(pd.Series(values, index=frame.index), errors="coerce")
        else:
            values = src.get(col, "")
            frame[col] = pd.Series(values, index=frame.index).fillna("").astype(str)
    if isinstance(projects, gpd.GeoDataFrame) and projects.geometry.name in projects:
        if projects.crs is not None:
            require_wgs84(projects, what="projects")
        geom = np.asarray(projects.geometry.reset_index(drop=True).array, dtype=object)
        has = ~(shapely.is_missing(geom) | shapely.is_empty(geom))
        frame["lon"] = np.where(has, shapely.get_x(np.where(has, geom, None)), np.nan)
        frame["lat"] = np.where(has, shapely.get_y(np.where(has, geom, None)), np.nan)
    if (frame["id"] == "").any():
        raise ValueError("every project needs an id")
    repeated = frame["id"][frame["id"].duplicated()]
    if len(repeated):
        raise ValueError(f"repeated project ids: {sorted(set(repeated))[:5]}")
    lon = frame["lon"].to_numpy(dtype=float)
    lat = frame["lat"].to_numpy(dtype=float)
    located = ~(np.isnan(lon) | np.isnan(lat))
    points = np.full(len(frame), None, dtype=object)
    points[located] = shapely.points(lon[located], lat[located])
    return gpd.GeoDataFrame(frame, geometry=gpd.GeoSeries(points, crs=WGS84), crs=WGS84)


def _diff(before: pd.DataFrame, after: pd.DataFrame) -> tuple[list[str], int, list[str]]:
    """Ids added or modified (added first), how many of them were modified, ids removed."""
    cols = [c for c in REGISTER_COLUMNS if c != "id"]
    b = before.set_index("id")[cols]
    a = after.set_index("id")[cols]
    added = a.index.difference(b.index, sort=False)
    removed = b.index.difference(a.index, sort=False)
    common = a.index.intersection(b.index, sort=False)
    aa, bb = a.loc[common], b.loc[common]
    differs = np.zeros(len(common), dtype=bool)
    for col in cols:
        x, y = aa[col].to_numpy(), bb[col].to_numpy()
        if col in FLOAT_COLUMNS:
            x, y = x.astype(float), y.astype(float)
            differs |= ~((x == y) | (np.isnan(x) & np.isnan(y)))
        else:
            differs |= x.astype(str) != y.astype(str)
    modified = list(common[differs])
    return [*added, *modified], len(modified), list(removed)


def _sql_rows(frame: pd.DataFrame, *, geom: bool) -> list[tuple[object, ...]]:
    """Register rows as SQLite parameters (``NULL`` for missing numbers)."""
    columns = []
    for col in REGISTER_COLUMNS:
        values = frame[col].tolist()
        if col in FLOAT_COLUMNS:
            values = [None if (v is None or math.isnan(v)) else v for v in values]
        columns.append(values)
    if geom:
        lon = frame["lon"].to_numpy(dtype=float)
        lat = frame["lat"].to_numpy(dtype=float)
        columns.insert(0, encode_points(lon, lat))
    return list(zip(*columns, strict=True)) if len(frame) else []


@lru_cache(maxsize=1)
def _city_shapes() -> tuple[shapely.Geometry, dict[str, shapely.Geometry]]:
    """Return the city outline and each county's outline, prepared, loaded on first use."""
    counties = load_counties()
    shapes = {str(a): g for a, g in zip(counties["adcode"], counties.geometry, strict=True)}
    city = shapely.union_all(list(shapes.values()))
    for geom in (city, *shapes.values()):
        shapely.prepare(geom)
    return city, shapes


def _county_at(lon: float, lat: float) -> str:
    """Return the adcode of the county holding a WGS-84 point (``""`` outside the city)."""
    _, shapes = _city_shapes()
    for adcode, geom in shapes.items():
        if shapely.intersects_xy(geom, lon, lat):
            return adcode
    return ""


def _county_mismatch(stated: str, found: str) -> str:
    """Return a note when a point's county differs from the stated one (``""`` when it agrees)."""
    if not stated or stated == found or stated not in BY_ADCODE:
        return ""
    where = BY_ADCODE[found].name_zh if found in BY_ADCODE else "?"
    return (
        f"注意：位置不在所填县区{BY_ADCODE[stated].name_zh}内，而在{where} "
        f"(warning: the point lies outside the stated county {BY_ADCODE[stated].name_en}, "
        f"in {BY_ADCODE[found].name_en if found in BY_ADCODE else '?'})"
    )


def _default_seed() -> gpd.GeoDataFrame:
    """Load the bundled register (imported here, so the store module loads without it)."""
    from geodata.register import load_register

    return load_register()


def _now() -> str:
    """Return the current UTC time as an ISO-8601 text with microseconds."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _is_busy(exc: sqlite3.OperationalError) -> bool:
    """Return whether an SQLite error means another program holds the store."""
    text = str(exc).lower()
    return "locked" in text or "busy" in text


class Store:
    """A versioned GeoPackage store of the project register.

    Parameters
    ----------
    path : Path
        The ``.gpkg`` file; created from ``seed`` when missing.
    busy_timeout : float
        Seconds to wait for another writer before raising :class:`StoreBusy`.
    seed : callable, optional
        Returns the register that fills a new store (default: the bundled
        register, :func:`geodata.register.load_register`).

    Examples
    --------
    >>> store = Store(tmp_path / "s.gpkg", seed=lambda: frame)  # doctest: +SKIP
    >>> version = store.commit(imported, identity=staff, message="2025 list")  # doctest: +SKIP
    """

    def __init__(
        self,
        path: Path | str = STORE_PATH,
        *,
        busy_timeout: float = BUSY_TIMEOUT_S,
        seed: Callable[[], pd.DataFrame] | None = None,
    ) -> None:
        self.path = Path(path)
        self.busy_timeout = busy_timeout
        self._seed = seed or _default_seed
        if not self.path.exists():
            self._create()
        self._check()

    # set-up

    @contextlib.contextmanager
    def _file_lock(self) -> Iterator[None]:
        """Hold an exclusive lock on ``<store>.lock`` while the store file is created."""
        lock_path = self.path.with_name(self.path.name + ".lock")
        with lock_path.open("a") as fh:
            fcntl.flock(fh, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(fh, fcntl.LOCK_UN)

    def _create(self) -> None:
        """Write a new store from the seed register and move it into place."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._file_lock():
            if self.path.exists():
                return
            frame = register_frame(self._seed())
            fd, tmp_name = tempfile.mkstemp(
                prefix=f".{self.path.name}.", suffix=".tmp", dir=self.path.parent
            )
            os.close(fd)
            tmp = Path(tmp_name)
            try:
                con = sqlite3.connect(tmp, isolation_level=None)
                try:
                    con.execute(f"PRAGMA application_id = {_GPKG_APPLICATION_ID}")
                    con.execute(f"PRAGMA user_version = {_GPKG_USER_VERSION}")
                    con.executescript(_SCHEMA)
                    con.execute("BEGIN")
                    con.execute(
                        "INSERT INTO store_meta VALUES ('schema_version', ?)",
                        (str(STORE_SCHEMA_VERSION),),
                    )
                    con.executemany(
                        "INSERT INTO gpkg_spatial_ref_sys VALUES (?, ?, ?, ?, ?, ?)", _srs_rows()
                    )
                    con.execute(
                        "INSERT INTO gpkg_contents (table_name, data_type, identifier, "
                        "description, srs_id) VALUES ('projects', 'features', 'projects', "
                        "'长治市项目库 (Changzhi project register)', ?)",
                        (SRS_ID,),
                    )
                    con.execute(
                        "INSERT INTO gpkg_geometry_columns VALUES "
                        "('projects', 'geom', 'POINT', ?, 0, 0)",
                        (SRS_ID,),
                    )
                    for table, text in (
                        ("versions", "版本历史 (change history)"),
                        ("project_versions", "各版本项目快照 (register at each version)"),
                    ):
                        con.execute(
                            "INSERT INTO gpkg_contents (table_name, data_type, identifier, "
                            "description) VALUES (?, 'attributes', ?, ?)",
                            (table, table, text),
                        )
                    self._write_version(
                        con,
                        frame,
                        before=frame.iloc[:0],
                        identity=system_identity("system"),
                        action=Action.CREATE,
                        message="由内置项目库创建 (created from the bundled register)",
                    )
                    con.execute("COMMIT")
                finally:
                    con.close()
                umask = os.umask(0)
                os.umask(umask)
                tmp.chmod(0o666 & ~umask)
                tmp.replace(self.path)
            finally:
                tmp.unlink(missing_ok=True)

    def _check(self) -> None:
        """Refuse a file that is not a project store (wrong file, damaged)."""
        try:
            with self._connect() as con:
                app_id = con.execute("PRAGMA application_id").fetchone()[0]
                row = con.execute(
                    "SELECT value FROM store_meta WHERE key = 'schema_version'"
                ).fetchone()
                con.execute("SELECT fid FROM versions LIMIT 1").fetchall()
                con.execute("SELECT id, geom FROM projects LIMIT 1").fetchall()
        except StoreBusy:
            # held by another program: every later call reports busy by itself
            return
        except (StoreError, sqlite3.DatabaseError) as exc:
            raise StoreError(f"{self.path} is not a project store: {exc}") from exc
        if app_id != _GPKG_APPLICATION_ID:
            raise StoreError(f"{self.path} is not a GeoPackage project store")
        found = row[0] if row else "?"
        if found != str(STORE_SCHEMA_VERSION):
            raise StoreError(
                f"{self.path} has store schema {found}, this app reads schema "
                f"{STORE_SCHEMA_VERSION}; keep the file and ask for a migration"
            )

    @contextlib.contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        """Open a connection, turning SQLite errors into StoreBusy or StoreError."""
        try:
            con = sqlite3.connect(self.path, timeout=self.busy_timeout, isolation_level=None)
        except sqlite3.OperationalError as exc:
            raise StoreError(f"cannot open the store {self.path}: {exc}") from exc
        try:
            yield con
        except sqlite3.OperationalError as exc:
            if _is_busy(exc):
                raise StoreBusy(self.path) from exc
            raise StoreError(f"store {self.path.name}: {exc}") from exc
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"store {self.path.name}: {exc}") from exc
        finally:
            con.close()

    @contextlib.contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        """One write transaction: everything inside commits together or not at all."""
        with self._connect() as con:
            con.execute("BEGIN IMMEDIATE")
            try:
                yield con
            except BaseException:
                con.execute("ROLLBACK")
                raise
            con.execute("COMMIT")

    # reading

    @staticmethod
    def _read_rows(con: sqlite3.Connection, sql: str, params: tuple = ()) -> gpd.GeoDataFrame:
        """Run a query and return its rows in register shape (geometry decoded)."""
        cur = con.execute(sql, params)
        names = [d[0] for d in cur.description]
        frame = pd.DataFrame(cur.fetchall(), columns=names)
        if "geom" in frame:
            geoms = decode_geometries(frame.pop("geom").tolist())
            frame = gpd.GeoDataFrame(frame, geometry=gpd.GeoSeries(geoms, crs=WGS84), crs=WGS84)
        return register_frame(frame)

    def projects(
        self, *, version: int | None = None, include_unlocated: bool = False
    ) -> gpd.GeoDataFrame:
        """Return the register (register shape, EPSG:4326).

        Parameters
        ----------
        version : int, optional
            A past version (default: the current one).
        include_unlocated : bool
            Also return projects awaiting a location (``geometry`` is ``None``).

        Returns
        -------
        geopandas.GeoDataFrame
            :data:`~geodata.schema.REGISTER_COLUMNS` plus ``geometry``, sorted by id.

        Raises
        ------
        StoreBusy
            When another program holds the store longer than the busy timeout.
        KeyError
            When ``version`` does not exist.
        """
        with self._connect() as con:
            if version is None:
                gdf = self._read_rows(con, f"SELECT geom, {_COLS} FROM projects ORDER BY id")
            else:
                gdf = self._version_in(con, version)
        if not include_unlocated:
            gdf = gdf[~gdf.geometry.isna()].reset_index(drop=True)
        return gdf

    def review_queue(self) -> gpd.GeoDataFrame:
        """Projects awaiting a location or located only to county or city level.

        Returns
        -------
        geopandas.GeoDataFrame
            Register shape; unlocated projects (``geometry`` ``None``) first.
        """
        gdf = self.projects(include_unlocated=True)
        coarse = (
            gdf["precision"].isin(["", Precision.COUNTY.value, Precision.CITY.value])
            | gdf.geometry.isna()
        )
        queue = gdf[coarse].copy()
        queue["_order"] = queue.geometry.notna()
        return queue.sort_values(["_order", "id"]).drop(columns="_order").reset_index(drop=True)

    @staticmethod
    def _check_version(con: sqlite3.Connection, version: int) -> None:
        """Raise KeyError unless ``version`` exists in the store."""
        if con.execute("SELECT 1 FROM versions WHERE fid = ?", (version,)).fetchone() is None:
            raise KeyError(f"no version {version} in the store")

    def current_version(self) -> int:
        """Return the number of the latest version."""
        with self._connect() as con:
            return int(con.execute("SELECT max(fid) FROM versions").fetchone()[0])

    def history(self) -> pd.DataFrame:
        """Return every version, newest first.

        Returns
        -------
        pandas.DataFrame
            Columns ``version, created_at, who, who_name, who_source, action,
            message, n_projects, added, updated, removed, restored_from``.
        """
        with self._connect() as con:
            cur = con.execute("SELECT * FROM versions ORDER BY fid DESC")
            names = [d[0] for d in cur.description]
            frame = pd.DataFrame(cur.fetchall(), columns=names)
        return frame.rename(columns={"fid": "version"})

    # writing

    def _write_version(
        self,
        con: sqlite3.Connection,
        frame: gpd.GeoDataFrame,
        *,
        before: gpd.GeoDataFrame,
        identity: StaffIdentity,
        action: Action,
        message: str,
        restored_from: int | None = None,
    ) -> int:
        """Make ``frame`` the current register and record the change as a new version."""
        changed, updated, removed = _diff(before, frame)
        rows = frame[frame["id"].isin(changed)]
        # current table: drop changed and removed rows, insert the new ones
        con.executemany("DELETE FROM projects WHERE id = ?", [(i,) for i in (*changed, *removed)])
        marks = ", ".join("?" * (len(REGISTER_COLUMNS) + 1))
        con.executemany(
            f"INSERT INTO projects (geom, {_COLS}) VALUES ({marks})", _sql_rows(rows, geom=True)
        )
        cur = con.execute(
            "INSERT INTO versions (created_at, who, who_name, who_source, action, message, "
            "n_projects, added, updated, removed, restored_from) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                _now(),
                identity.username,
                identity.display_name,
                identity.source.value,
                action.value,
                message,
                len(frame),
                len(changed) - updated,
                updated,
                len(removed),
                restored_from,
            ),
        )
        version = int(cur.lastrowid)
        # the version's changes: new or modified rows, and tombstones for removed ids
        con.executemany(
            f"INSERT INTO project_versions (version, deleted, {_COLS}) "
            f"VALUES ({version}, 0, {marks[3:]})",
            _sql_rows(rows, geom=False),
        )
        con.executemany(
            f"INSERT INTO project_versions (version, deleted, id) VALUES ({version}, 1, ?)",
            [(i,) for i in removed],
        )
        lon = frame["lon"].to_numpy(dtype=float)
        lat = frame["lat"].to_numpy(dtype=float)
        located = ~(np.isnan(lon) | np.isnan(lat))
        bbox = (
            (lon[located].min(), lat[located].min(), lon[located].max(), lat[located].max())
            if located.any()
            else (None, None, None, None)
        )
        con.execute(
            "UPDATE gpkg_contents SET last_change = strftime('%Y-%m-%dT%H:%M:%fZ','now'), "
            "min_x = ?, min_y = ?, max_x = ?, max_y = ? WHERE table_name = 'projects'",
            tuple(None if v is None else float(v) for v in bbox),
        )
        con.execute(
            "UPDATE gpkg_contents SET last_change = strftime('%Y-%m-%dT%H:%M:%fZ','now') "
            "WHERE table_name IN ('versions', 'project_versions')"
        )
        return version

    def _version_in(self, con: sqlite3.Connection, version: int) -> gpd.GeoDataFrame:
        """Rebuild the register as it stood at ``version``."""
        self._check_version(con, version)
        return self._read_rows(
            con,
            f"SELECT {_COLS} FROM project_versions AS pv WHERE pv.deleted = 0 AND pv.version = "
            "(SELECT max(p2.version) FROM project_versions AS p2 "
            "WHERE p2.id = pv.id AND p2.version <= ?) ORDER BY pv.id",
            (version,),
        )

    def _current_in(self, con: sqlite3.Connection) -> gpd.GeoDataFrame:
        """Return the current register read through an open connection."""
        return self._read_rows(con, f"SELECT geom, {_COLS} FROM projects ORDER BY id")

    def commit(
        self,
        projects: pd.DataFrame,
        *,
        identity: StaffIdentity,
        message: str,
        replace: bool = False,
        action: Action = Action.IMPORT,
    ) -> int:
        """Write projects as a new version, all or nothing.

        Parameters
        ----------
        projects : pandas.DataFrame
            Register-shaped rows (e.g. ``import_table(...).projects``).
        identity : StaffIdentity
            Who commits; required.
        message : str
            What changed, in the staff member's words.
        replace : bool
            ``False`` (default): rows update the projects with the same id and
            add the others; the rest of the register stays. ``True``: the
            register becomes exactly ``projects``.
        action : Action
            Kind of change recorded in the history.

        Returns
        -------
        int
            The new version number.

        Raises
        ------
        PermissionError
            Without a staff identity.
        StoreBusy
            When another program holds the store; nothing is written.
        """
        staff = require_staff(identity)
        incoming = register_frame(projects)
        with self._transaction() as con:
            current = self._current_in(con)
            if replace:
                merged = incoming
            else:
                kept = current[~current["id"].isin(set(incoming["id"]))]
                merged = register_frame(pd.concat([kept, incoming], ignore_index=True))
            merged = merged.sort_values("id").reset_index(drop=True)
            return self._write_version(
                con, merged, before=current, identity=staff, action=action, message=message
            )

    def restore(self, version: int, *, identity: StaffIdentity, message: str = "") -> int:
        """Make an earlier version current again (recorded as a new version).

        Parameters
        ----------
        version : int
            The version to bring back.
        identity : StaffIdentity
            Who restores; required.
        message : str
            Optional note; a default naming the version is used when empty.

        Returns
        -------
        int
            The new version number.

        Raises
        ------
        PermissionError
            Without a staff identity.
        KeyError
            When ``version`` does not exist.
        StoreBusy
            When another program holds the store.
        """
        staff = require_staff(identity)
        with self._transaction() as con:
            old = self._version_in(con, version)
            return self._write_version(
                con,
                old,
                before=self._current_in(con),
                identity=staff,
                action=Action.RESTORE,
                message=message or f"恢复到版本 {version} (restored version {version})",
                restored_from=version,
            )

    def set_location(
        self,
        project_id: str,
        *,
        lon: float,
        lat: float,
        crs: CoordSystem | str = CoordSystem.WGS84,
        identity: StaffIdentity,
        precision: Precision = Precision.EXACT,
        message: str = "",
    ) -> int:
        """Set one project's point (review queue), recorded as a new version.

        Parameters
        ----------
        project_id : str
            The project's id.
        lon, lat : float
            The point in ``crs``.
        crs : CoordSystem or str
            ``wgs84``, ``gcj02`` or ``bd09``; converted to WGS-84 before storing.
        identity : StaffIdentity
            Who edits; required.
        precision : Precision
            How precise the new point is (default ``exact``).
        message : str
            Optional note.

        Returns
        -------
        int
            The new version number.

        Raises
        ------
        PermissionError
            Without a staff identity.
        KeyError
            When no project has this id.
        ValueError
            When the coordinates are not finite degrees, or the point (in
            WGS-84) lies outside 长治市 (the union of the county boundaries);
            the message names the point. Nothing is written.
        StoreBusy
            When another program holds the store.

        Warns
        -----
        OutsideCountyWarning
            When the point lies in another county than the project's stated
            one. The point is still set (the stated county may be the wrong
            one, or the site may straddle a county line), and the version
            message records the mismatch so the history shows it.
        """
        staff = require_staff(identity)
        if not (math.isfinite(lon) and math.isfinite(lat)) or abs(lon) > 180 or abs(lat) > 90:
            raise ValueError(f"not a position: lon={lon}, lat={lat}")
        system = CoordSystem(crs)
        wlon, wlat = convert(lon=lon, lat=lat, src=system, dst=CoordSystem.WGS84)
        # the point must lie in the city; its county is checked against the stated one
        city, _ = _city_shapes()
        if not shapely.intersects_xy(city, wlon, wlat):
            given = "" if system is CoordSystem.WGS84 else f"{system.value} {lon:.6f}, {lat:.6f} → "
            raise ValueError(
                f"位置 ({given}WGS-84 {wlon:.6f}, {wlat:.6f}) 不在{CITY_NAME_ZH}范围内，未保存 "
                f"(point lon={wlon:.6f}, lat={wlat:.6f} is outside {CITY_NAME_ZH}; nothing saved)"
            )
        with self._transaction() as con:
            current = self._current_in(con)
            hit = current["id"] == project_id
            if not hit.any():
                raise KeyError(f"no project {project_id!r} in the store")
            mismatch = _county_mismatch(
                str(current.loc[hit, "county_adcode"].iloc[0]), _county_at(wlon, wlat)
            )
            edited = current.drop(columns="geometry")
            edited.loc[hit, "lon"] = round(float(wlon), 7)
            edited.loc[hit, "lat"] = round(float(wlat), 7)
            edited.loc[hit, "precision"] = Precision(precision).value
            frame = register_frame(edited)
            note = message or (
                f"设置 {project_id} 的位置 ({system.value} {lon:.6f}, {lat:.6f}) "
                f"(set location of {project_id})"
            )
            if mismatch:
                note = f"{note}；{mismatch}"
            version = self._write_version(
                con, frame, before=current, identity=staff, action=Action.EDIT, message=note
            )
        if mismatch:
            warnings.warn(f"{project_id}: {mismatch}", OutsideCountyWarning, stacklevel=2)
        return version
