"""Layout of the GeoPackage store: its tables at schema 1, and the migrations after it."""

from __future__ import annotations

import sqlite3

from geodata.schema import ADDED_IN_SCHEMA_3, FLOAT_COLUMNS, REGISTER_COLUMNS
from geodata.store._gpkg_codec import GPKG_APPLICATION_ID, GPKG_USER_VERSION, SRS_ID, srs_rows
from geodata.store.migrations import SCHEMA_VERSION, pending

# the register columns of schema 1 (later columns are added by migrations)
_ATTR_DDL = ", ".join(
    f"{c} {'REAL' if c in FLOAT_COLUMNS else 'TEXT'}" + (" NOT NULL" if c == "id" else "")
    for c in REGISTER_COLUMNS
    if c not in ADDED_IN_SCHEMA_3
)
COLS = ", ".join(REGISTER_COLUMNS)
# the first layout; later layouts are migrations (geodata/store/migrations.py)
SCHEMA_1 = f"""
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


def create_tables(con: sqlite3.Connection) -> None:
    """Write the GeoPackage headers and the store's tables at :data:`SCHEMA_VERSION`.

    Runs on a connection to a new, empty file (autocommit mode); the tables are
    made as schema 1 and migrated, so a new store has an upgraded store's layout.
    """
    con.execute(f"PRAGMA application_id = {GPKG_APPLICATION_ID}")
    con.execute(f"PRAGMA user_version = {GPKG_USER_VERSION}")
    con.executescript(SCHEMA_1)
    con.execute("BEGIN")
    con.execute("INSERT INTO store_meta VALUES ('schema_version', '1')")
    con.executemany("INSERT INTO gpkg_spatial_ref_sys VALUES (?, ?, ?, ?, ?, ?)", srs_rows())
    con.execute(
        "INSERT INTO gpkg_contents (table_name, data_type, identifier, description, srs_id) "
        "VALUES ('projects', 'features', 'projects', "
        "'长治市项目库 (Changzhi project register)', ?)",
        (SRS_ID,),
    )
    con.execute(
        "INSERT INTO gpkg_geometry_columns VALUES ('projects', 'geom', 'POINT', ?, 0, 0)",
        (SRS_ID,),
    )
    for table, text in (
        ("versions", "版本历史 (change history)"),
        ("project_versions", "各版本项目快照 (register at each version)"),
    ):
        con.execute(
            "INSERT INTO gpkg_contents (table_name, data_type, identifier, description) "
            "VALUES (?, 'attributes', ?, ?)",
            (table, table, text),
        )
    con.execute("COMMIT")
    migrate(con, found=1, where="new store")


def migrate(con: sqlite3.Connection, *, found: int | str, where: str) -> int:
    """Apply the migrations after schema ``found``, each in its own transaction.

    Returns
    -------
    int
        The schema version reached (:data:`SCHEMA_VERSION`).

    Raises
    ------
    SchemaMismatch
        When ``found`` is newer than this code or not a version.
    """
    for step in pending(found, where=where):
        con.execute("BEGIN IMMEDIATE")
        try:
            for sql in step.gpkg:
                con.execute(sql)
            con.execute(
                "UPDATE store_meta SET value = ? WHERE key = 'schema_version'", (str(step.number),)
            )
        except BaseException:
            con.execute("ROLLBACK")
            raise
        con.execute("COMMIT")
    return SCHEMA_VERSION


def read_schema(con: sqlite3.Connection) -> tuple[int, str]:
    """Return the file's application id and its recorded schema version (``"?"`` if none).

    Raises ``sqlite3.DatabaseError`` when the file is not SQLite or lacks the store's tables.
    """
    app_id = con.execute("PRAGMA application_id").fetchone()[0]
    row = con.execute("SELECT value FROM store_meta WHERE key = 'schema_version'").fetchone()
    con.execute("SELECT fid FROM versions LIMIT 1").fetchall()
    con.execute("SELECT id, geom FROM projects LIMIT 1").fetchall()
    return int(app_id), row[0] if row else "?"
