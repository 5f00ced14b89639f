"""Tables of the PostGIS store and their numbered migrations.

The tables are created by this code, never by ``GeoDataFrame.to_postgis``
(whose ``if_exists="replace"`` drops a table with its indexes and grants):

``store_meta``
    ``key``/``value`` text pairs; ``schema_version`` is the number of the last
    migration applied.
``store_head``
    One row: the current version and project count. Every write locks it
    (``SELECT … FOR UPDATE``), so writers queue instead of losing updates, and
    :meth:`~geodata.store.postgis.PostgisStore.current_version` reads it cheaply.
``projects``
    The current register: the register columns (text ``NOT NULL DEFAULT ''``,
    numbers ``double precision``), ``id`` as primary key, and ``geom``
    ``geometry(Point, 4326)`` generated from ``lon``/``lat`` (``NULL`` for a
    project awaiting a location) with a GiST index.
``versions``
    One row per change: number, when (server clock, UTC), who, what kind,
    message and counts.
``project_versions``
    What each version changed: the row as it became, or a ``deleted`` row.
    The register at version *v* is, for every id, its latest row at or
    before *v* unless that row is a deletion.
``plans``, ``progress`` (with ``plan_versions``, ``progress_versions``)
    Annual plans (key project and year) and monthly progress (key project
    and ``YYYY-MM``), versioned in the same ``versions`` table (migration 2;
    :mod:`geodata.store._progress_pg`).

:data:`SCHEMA_1` is the first layout; later layouts are the numbered
migrations of :mod:`geodata.store.migrations` (shared with the GeoPackage
backend, each with its PostGIS statements). :func:`create_tables` builds
schema 1 and applies every migration, so a new store and an upgraded one have
the same layout; :func:`upgrade` applies the missing ones in one transaction.
"""

from __future__ import annotations

from sqlalchemy import Connection, Engine, text

from geodata.i18n import bilingual
from geodata.schema import ADDED_IN_SCHEMA_3, FLOAT_COLUMNS, REGISTER_COLUMNS
from geodata.store.base import StoreExists, StoreNotFound
from geodata.store.migrations import SCHEMA_VERSION, check_schema, parse_schema, pending

STORE_TABLES: tuple[str, ...] = (
    "store_meta",
    "store_head",
    "projects",
    "versions",
    "project_versions",
    "plans",
    "plan_versions",
    "progress",
    "progress_versions",
)


def _column_ddl(*, history: bool) -> str:
    """Column definitions of the schema-1 register columns (``id`` not null, history allows it)."""
    parts = []
    for col in (c for c in REGISTER_COLUMNS if c not in ADDED_IN_SCHEMA_3):
        if col in FLOAT_COLUMNS:
            parts.append(f"{col} double precision")
        elif col == "id":
            parts.append("id text NOT NULL" + ("" if history else " PRIMARY KEY"))
        else:
            parts.append(f"{col} text NOT NULL DEFAULT ''")
    return ", ".join(parts)


SCHEMA_1: tuple[str, ...] = (
    "CREATE TABLE store_meta (key text PRIMARY KEY, value text NOT NULL)",
    "CREATE TABLE store_head (one boolean PRIMARY KEY DEFAULT true CHECK (one), "
    "version integer NOT NULL, n_projects integer NOT NULL)",
    f"CREATE TABLE projects ({_column_ddl(history=False)}, "
    "geom geometry(Point, 4326) GENERATED ALWAYS AS (CASE WHEN lon IS NOT NULL AND lat "
    "IS NOT NULL THEN ST_SetSRID(ST_MakePoint(lon, lat), 4326) END) STORED)",
    "CREATE INDEX projects_geom ON projects USING gist (geom)",
    "CREATE TABLE versions (version integer PRIMARY KEY, "
    "created_at timestamptz NOT NULL DEFAULT clock_timestamp(), who text NOT NULL, "
    "who_name text NOT NULL, who_source text NOT NULL, action text NOT NULL, "
    "message text NOT NULL, n_projects integer NOT NULL, added integer NOT NULL, "
    "updated integer NOT NULL, removed integer NOT NULL, restored_from integer)",
    f"CREATE TABLE project_versions (version integer NOT NULL REFERENCES versions, "
    f"deleted boolean NOT NULL DEFAULT false, {_column_ddl(history=True)}, "
    "PRIMARY KEY (id, version))",
    "INSERT INTO store_head (version, n_projects) VALUES (0, 0)",
    "INSERT INTO store_meta (key, value) VALUES ('schema_version', '1')",
    "COMMENT ON TABLE projects IS '长治市项目库 (Changzhi project register)'",
    "COMMENT ON TABLE versions IS '版本历史 (change history)'",
    "COMMENT ON TABLE project_versions IS '各版本项目变更 (what each version changed)'",
)
"""The first layout (schema 1); :mod:`geodata.store.migrations` goes on from it."""


def found_version(con: Connection) -> int | str | None:
    """Return the schema version of the store in the database, ``None`` when there is none."""
    exists = con.execute(text("SELECT to_regclass('store_meta') IS NOT NULL")).scalar_one()
    if not exists:
        return None
    value = con.execute(
        text("SELECT value FROM store_meta WHERE key = 'schema_version'")
    ).scalar_one_or_none()
    return "?" if value is None else parse_schema(value)


def check_version(con: Connection, *, where: str) -> None:
    """Raise unless the database holds a store of exactly :data:`SCHEMA_VERSION`.

    Raises
    ------
    StoreNotFound
        When the database has no store tables (``where`` names it).
    SchemaMismatch
        When the store has another schema version (both are named).
    """
    found = found_version(con)
    if found is None:
        raise StoreNotFound(where, hint=bilingual("store_init_hint"))
    check_schema(found, where=where)


def _migrate(con: Connection, found: int | str, *, where: str) -> int:
    """Apply the migrations after schema ``found`` and record the version reached."""
    for step in pending(found, where=where):
        for statement in step.postgis:
            con.execute(text(statement))
        con.execute(
            text("UPDATE store_meta SET value = :v WHERE key = 'schema_version'"),
            {"v": str(step.number)},
        )
    return SCHEMA_VERSION


def create_tables(con: Connection, *, where: str) -> int:
    """Create the store tables (an empty store at version 0) inside the caller's transaction.

    Raises
    ------
    StoreExists
        When the database already holds a store (nothing is changed).
    """
    if found_version(con) is not None:
        raise StoreExists(where)
    con.execute(text("CREATE EXTENSION IF NOT EXISTS postgis"))
    for statement in SCHEMA_1:
        con.execute(text(statement))
    return _migrate(con, 1, where=where)


def upgrade(engine: Engine, *, where: str) -> tuple[int | str, int]:
    """Apply the migrations a store is missing (one transaction).

    Returns
    -------
    tuple
        The schema version before and after.

    Raises
    ------
    StoreNotFound
        When the database holds no store.
    SchemaMismatch
        When the store is newer than this code (both versions named).
    """
    with engine.begin() as con:
        if found_version(con) is None:
            raise StoreNotFound(where, hint=bilingual("store_init_hint"))
        # lock the meta table first so two upgrades cannot run the same migration
        con.execute(text("LOCK TABLE store_meta IN EXCLUSIVE MODE"))
        found = found_version(con)
        assert found is not None
        return found, _migrate(con, found, where=where)
