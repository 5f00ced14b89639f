"""Import limits, read from :mod:`geodata.settings` once and looked up here at call time.

Every reader and check reads ``_limits.NAME`` when it runs, so a test can
lower a limit with one ``monkeypatch.setattr`` on this module.
"""

from __future__ import annotations

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
    return (
        f"行数超过上限 {MAX_IMPORT_ROWS:,} 行，请分批导入 "
        f"(more than {MAX_IMPORT_ROWS:,} rows: split the file)"
    )


def too_many_columns(where: str) -> str:
    """Return the one-line message for a row or cell beyond the column limit."""
    return (
        f"{where}超过 {MAX_IMPORT_COLUMNS} 列上限，请删去多余的列 "
        f"(more than the {MAX_IMPORT_COLUMNS}-column limit: remove the extra columns)"
    )


def too_many_cells() -> str:
    """Return the one-line message for a table over the cell limit."""
    return (
        f"单元格数超过上限 {MAX_IMPORT_CELLS:,}，请分批导入 "
        f"(more than {MAX_IMPORT_CELLS:,} cells: split the file)"
    )
