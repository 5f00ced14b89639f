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

:data:`MIGRATIONS` is an ordered list; migration *n* brings schema *n - 1* to
*n*. :func:`init_schema` applies all of them to an empty database,
:func:`upgrade` the missing ones, each run in one transaction.
"""

from __future__ import annotations

from sqlalchemy import Connection, Engine, text

from geodata.i18n import bilingual, by_lang
from geodata.schema import ADDED_IN_SCHEMA_3, REGISTER_COLUMNS
from geodata.store._progress_rows import PLANS, PROGRESS
from geodata.store.base import SchemaMismatch, StoreError, StoreNotFound

FLOAT_COLUMNS: frozenset[str] = frozenset({"lon", "lat", "investment_yi", "capacity_value"})
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


_V1 = (
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
    "CREATE INDEX project_versions_version ON project_versions (version)",
    "INSERT INTO store_head (version, n_projects) VALUES (0, 0)",
    "COMMENT ON TABLE projects IS '长治市项目库 (Changzhi project register)'",
    "COMMENT ON TABLE versions IS '版本历史 (change history)'",
    "COMMENT ON TABLE project_versions IS '各版本项目变更 (what each version changed)'",
)

# register attributes of the report's counts; plans and monthly progress, versioned
_V2 = (
    *(
        f"ALTER TABLE {table} ADD COLUMN {column} text NOT NULL DEFAULT ''"
        for table in ("projects", "project_versions")
        for column in ADDED_IN_SCHEMA_3
    ),
    *(
        f"UPDATE {table} SET major_10yi = CASE WHEN investment_yi IS NULL THEN '' "
        "WHEN investment_yi >= 10 THEN 'yes' ELSE 'no' END"
        for table in ("projects", "project_versions")
    ),
    *PLANS.ddl(postgis=True),
    *PROGRESS.ddl(postgis=True),
    "COMMENT ON TABLE plans IS '年度计划 (annual plans)'",
    "COMMENT ON TABLE progress IS '月度进度 (monthly progress)'",
)

# migration n (index n - 1) brings schema n - 1 to n
MIGRATIONS: tuple[tuple[str, ...], ...] = (_V1, _V2)
SCHEMA_VERSION = len(MIGRATIONS)


def found_version(con: Connection) -> int | None:
    """Return the schema version of the store in the database, ``None`` when there is none."""
    exists = con.execute(text("SELECT to_regclass('store_meta') IS NOT NULL")).scalar_one()
    if not exists:
        return None
    value = con.execute(
        text("SELECT value FROM store_meta WHERE key = 'schema_version'")
    ).scalar_one_or_none()
    return None if value is None else int(value)


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
        raise StoreNotFound(bilingual("store_not_initialised", where=where))
    if found != SCHEMA_VERSION:
        hint = by_lang("store_upgrade_hint" if found < SCHEMA_VERSION else "store_update_app_hint")
        raise SchemaMismatch(
            bilingual(
                "store_schema_mismatch",
                where=where,
                found=found,
                expected=SCHEMA_VERSION,
                hint=hint,
            )
        )


def _apply(con: Connection, start: int) -> int:
    """Apply migrations ``start + 1`` … :data:`SCHEMA_VERSION` and record the new version."""
    for statements in MIGRATIONS[start:]:
        for statement in statements:
            con.execute(text(statement))
    con.execute(
        text(
            "INSERT INTO store_meta (key, value) VALUES ('schema_version', :v) "
            "ON CONFLICT (key) DO UPDATE SET value = excluded.value"
        ),
        {"v": str(SCHEMA_VERSION)},
    )
    return SCHEMA_VERSION


def create_tables(con: Connection) -> int:
    """Create the store tables (an empty store at version 0) inside the caller's transaction.

    Raises
    ------
    StoreError
        When the database already holds a store.
    """
    if found_version(con) is not None:
        raise StoreError("the database already holds a project store; nothing was changed")
    con.execute(text("CREATE EXTENSION IF NOT EXISTS postgis"))
    return _apply(con, 0)


def init_schema(engine: Engine) -> int:
    """Create the store tables in a PostGIS database without a store (one transaction).

    Parameters
    ----------
    engine : sqlalchemy.Engine
        Connected to the target database; PostGIS is created if missing.

    Returns
    -------
    int
        The schema version now in place.

    Raises
    ------
    StoreError
        When the database already holds a store (nothing is changed).
    """
    with engine.begin() as con:
        return create_tables(con)


def upgrade(engine: Engine) -> int:
    """Apply the migrations a store is missing (one transaction); return the schema version.

    Raises
    ------
    StoreNotFound
        When the database holds no store.
    SchemaMismatch
        When the store is newer than this code.
    """
    with engine.begin() as con:
        if found_version(con) is None:
            raise StoreNotFound("no project store in the database; run init first")
        # lock the meta table first so two upgrades cannot run the same migration
        con.execute(text("LOCK TABLE store_meta IN EXCLUSIVE MODE"))
        found = found_version(con) or 0
        if found > SCHEMA_VERSION:
            raise SchemaMismatch(
                f"store schema {found} is newer than this app's schema {SCHEMA_VERSION}"
            )
        return _apply(con, found) if found < SCHEMA_VERSION else found
