"""Schema versions of the store layout, and the numbered migrations between them.

Every store records its layout version (``store_meta``: ``schema_version``).
Schema 1 is the first layout; each :class:`Migration` brings a store from
``number - 1`` to ``number``, with the statements of each backend (both backends
share the numbers). Opening a store of another version is refused
with :class:`~geodata.store.base.SchemaMismatch` naming both;
``python -m geodata.store upgrade URL`` applies the pending migrations in
order, each in its own transaction. A new store is built as schema 1 and
migrated, so an upgraded store and a new one have the same layout.
"""

from __future__ import annotations

from dataclasses import dataclass

from geodata.store._progress_rows import PLANS, PROGRESS
from geodata.store.base import SchemaMismatch

SCHEMA_VERSION = 3
"""Layout version this code reads and writes."""


@dataclass(frozen=True, slots=True)
class Migration:
    """One step of the layout: from ``number - 1`` to ``number``.

    Attributes
    ----------
    number : int
        The schema version the step produces.
    summary : str
        What changes, for the log.
    gpkg : tuple of str
        SQL statements for the GeoPackage backend.
    postgis : tuple of str
        SQL statements for the PostGIS backend.
    """

    number: int
    summary: str
    gpkg: tuple[str, ...]
    postgis: tuple[str, ...] = ()


MIGRATIONS: tuple[Migration, ...] = (
    Migration(
        2,
        "index project changes by version (conflict checks, history of one version)",
        ("CREATE INDEX IF NOT EXISTS project_versions_version ON project_versions (version)",),
        ("CREATE INDEX IF NOT EXISTS project_versions_version ON project_versions (version)",),
    ),
    Migration(
        3,
        "register gains key_level and major_10yi; plans and monthly progress, versioned",
        (
            *(
                f"ALTER TABLE {table} ADD COLUMN {column} TEXT DEFAULT ''"
                for table in ("projects", "project_versions")
                for column in ("key_level", "major_10yi")
            ),
            *(
                f"UPDATE {table} SET major_10yi = CASE WHEN investment_yi IS NULL THEN '' "
                "WHEN investment_yi >= 10 THEN 'yes' ELSE 'no' END"
                for table in ("projects", "project_versions")
            ),
            *PLANS.ddl(postgis=False),
            *PROGRESS.ddl(postgis=False),
            *(
                "INSERT INTO gpkg_contents (table_name, data_type, identifier, description) "
                f"VALUES ('{name}', 'attributes', '{name}', '{text}')"
                for name, text in (
                    ("plans", "年度计划 (annual plans)"),
                    ("plan_versions", "各版本年度计划 (plans at each version)"),
                    ("progress", "月度进度 (monthly progress)"),
                    ("progress_versions", "各版本月度进度 (progress at each version)"),
                )
            ),
        ),
        (
            *(
                f"ALTER TABLE {table} ADD COLUMN {column} text NOT NULL DEFAULT ''"
                for table in ("projects", "project_versions")
                for column in ("key_level", "major_10yi")
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
        ),
    ),
)


def parse_schema(value: object) -> int | str:
    """Return a recorded schema version as a number (the raw text when it is none)."""
    try:
        return int(str(value))
    except ValueError:
        return str(value)


def check_schema(found: int | str, *, where: str) -> None:
    """Refuse a store whose layout is not :data:`SCHEMA_VERSION`.

    Raises
    ------
    SchemaMismatch
        Naming the store, its version and this code's version.
    """
    if found != SCHEMA_VERSION:
        raise SchemaMismatch(where, found, SCHEMA_VERSION)


def pending(found: int | str, *, where: str) -> tuple[Migration, ...]:
    """Return the migrations that bring a store of version ``found`` up to date.

    Raises
    ------
    SchemaMismatch
        When ``found`` is newer than this code, or not a version at all.
    """
    if not isinstance(found, int) or found < 1 or found > SCHEMA_VERSION:
        raise SchemaMismatch(where, found, SCHEMA_VERSION)
    return tuple(m for m in MIGRATIONS if m.number > found)
