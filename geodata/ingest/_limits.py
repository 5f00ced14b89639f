"""Import limits, read from :mod:`geodata.settings` once and looked up here at call time.

Every reader and check reads ``_limits.NAME`` when it runs, so a test can
lower a limit with one ``monkeypatch.setattr`` on this module.
"""

from __future__ import annotations

from geodata.i18n import bilingual, by_lang
from geodata.settings import (
    IMPORT_HEADER_SEARCH_ROWS,
    MAX_IMPORT_CELLS,
    MAX_IMPORT_COLUMNS,
    MAX_IMPORT_ROWS,
    MAX_XLSX_MEMBERS,
    MAX_XLSX_RATIO,
    MAX_XLSX_UNCOMPRESSED_BYTES,
)

__all__ = [
    "IMPORT_HEADER_SEARCH_ROWS",
    "MAX_IMPORT_CELLS",
    "MAX_IMPORT_COLUMNS",
    "MAX_IMPORT_ROWS",
    "MAX_XLSX_MEMBERS",
    "MAX_XLSX_RATIO",
    "MAX_XLSX_UNCOMPRESSED_BYTES",
    "too_many_cells",
    "too_many_columns",
    "too_many_rows",
]


def too_many_rows() -> str:
    """Return the one-line message for a file over the row limit."""
    return bilingual("ingest_too_many_rows", limit=MAX_IMPORT_ROWS)


def too_many_columns(where: str, /, **fmt: object) -> str:
    """Return the one-line message for a row or cell beyond the column limit.

    ``where`` is the key of the place (``ingest_where_row`` ...), ``fmt`` its values.
    """
    return bilingual(
        "ingest_too_many_columns", where=by_lang(where, **fmt), limit=MAX_IMPORT_COLUMNS
    )


def too_many_cells() -> str:
    """Return the one-line message for a table over the cell limit."""
    return bilingual("ingest_too_many_cells", limit=MAX_IMPORT_CELLS)
