"""Import staff spreadsheets and extracts into the register, row by row, with reasons.

The modules read as the flow; every entry point funnels into
:func:`import_table` (check → read → validate → match → report), and
:func:`commit_import` writes what changed:

- :mod:`~geodata.ingest._safety`: upload checks (size, extension against
  content, zip and XML bombs, damaged zips).
- :mod:`~geodata.ingest._read` (with ``_xlsx``, ``_geo``, ``_text``): CSV,
  XLSX, GeoJSON and GeoPackage into a table of text cells; encodings, the
  header row, row/column/cell limits, merged cells, formulas without results.
- :mod:`~geodata.ingest.validate` (with ``_headers``, ``_fields``,
  ``_parse_amounts``, ``_parse_coords``, ``_vocab``, ``_locate``): each
  field parsed and checked, stated points converted and checked, rows
  without one geocoded offline.
- :mod:`~geodata.ingest.match` and ``_merge``: the register met once (id
  given or not, name and county, repeats); updates merged field by field.
- :mod:`~geodata.ingest.report`: statuses, the JSON report, rejected rows as XLSX.
- :mod:`~geodata.ingest.commit`: write new and changed projects (nothing when
  nothing changed); ``_store`` is the one place that talks to the store.
- :mod:`~geodata.ingest.cli`: ``python -m geodata.ingest FILE --report R.json``.
- :mod:`~geodata.ingest.rows` (with ``plans``, ``progress_rows`` and the
  ``_rows*`` helpers): annual plans and monthly progress (``--kind
  plan|progress``), matched to register projects by id or name and county.
"""

from __future__ import annotations

from geodata.ingest._cells import Parsed, Verdict
from geodata.ingest._read import read_table
from geodata.ingest._rows import RowsResult
from geodata.ingest._rows_headers import ImportKind, RowKind
from geodata.ingest._safety import FileKind, check_upload
from geodata.ingest._text import DecodeError, IngestError
from geodata.ingest._xlsx import XlsxError
from geodata.ingest.cli import main
from geodata.ingest.commit import commit_import
from geodata.ingest.report import FieldChange, ImportReport, ImportResult, RowIssue, RowStatus
from geodata.ingest.rows import commit_rows, import_rows
from geodata.ingest.validate import import_table, validate_rows

__all__ = [
    "DecodeError",
    "FieldChange",
    "FileKind",
    "ImportKind",
    "ImportReport",
    "ImportResult",
    "IngestError",
    "Parsed",
    "RowIssue",
    "RowKind",
    "RowStatus",
    "RowsResult",
    "Verdict",
    "XlsxError",
    "check_upload",
    "commit_import",
    "commit_rows",
    "import_rows",
    "import_table",
    "main",
    "read_table",
    "validate_rows",
]
