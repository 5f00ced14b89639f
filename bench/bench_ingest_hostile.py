"""Time and peak memory of refusing files that are small on disk and huge in memory.

Each case must be refused with one ``IngestError`` line in well under 2 s and
100 MiB (issue 11): an XLSX with cells at column ``AAAAAA`` (not a real
reference) and at ``XFD`` (beyond the column limit), a CSV with ten million
commas in one row and a CSV with one row of 20,000 commas above 500 rows.
Peak memory is Python's allocations during the import (``tracemalloc``).

Usage: ``.venv/bin/python -m bench.bench_ingest_hostile``
"""

from __future__ import annotations

import io
import time
import tracemalloc
import zipfile

from geodata.ingest import IngestError, import_table

_HEAD = '<row r="1"><c r="A1" t="inlineStr"><is><t>项目名称</t></is></c></row>'


def wide_workbook(column: str, rows: int = 30) -> bytes:
    """Return a minimal XLSX with one value per row at ``column``."""
    body = _HEAD + "".join(f'<row r="{r}"><c r="{column}{r}"><v>1</v></c></row>'
                           for r in range(2, rows))  # fmt: skip
    ns = "http://schemas.openxmlformats.org"
    parts = {
        "[Content_Types].xml": f'<Types xmlns="{ns}/package/2006/content-types"/>',
        "xl/workbook.xml": f'<workbook xmlns="{ns}/spreadsheetml/2006/main" xmlns:r="{ns}/'
        'officeDocument/2006/relationships"><sheets><sheet name="S" sheetId="1" r:id="rId1"/>'
        "</sheets></workbook>",
        "xl/_rels/workbook.xml.rels": f'<Relationships xmlns="{ns}/package/2006/relationships">'
        '<Relationship Id="rId1" Type="x" Target="worksheets/sheet1.xml"/></Relationships>',
        "xl/worksheets/sheet1.xml": f'<worksheet xmlns="{ns}/spreadsheetml/2006/main">'
        f"<sheetData>{body}</sheetData></worksheet>",
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, text in parts.items():
            z.writestr(name, text)
    return out.getvalue()


def main() -> int:
    header = "项目名称,所在县区,类别\n".encode()
    cases = {
        "xlsx, cells at column AAAAAA": (wide_workbook("AAAAAA"), "wide.xlsx"),
        "xlsx, cells at column XFD": (wide_workbook("XFD"), "wide.xlsx"),
        "csv, 10 million commas in one row": (header + b"," * 10_000_000 + b"\n", "wide.csv"),
        "csv, 20,000 commas and 500 rows": (
            header + b"," * 20_000 + b"\n" + "甲,潞州区,能源\n".encode() * 500,
            "wide.csv",
        ),
    }
    for name, (data, filename) in cases.items():
        tracemalloc.start()
        t = time.perf_counter()
        try:
            import_table(data, filename=filename)
            outcome = "ACCEPTED (should be refused)"
        except IngestError as exc:
            outcome = str(exc)
        took = time.perf_counter() - t
        peak = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()
        print(f"{name}: {len(data):,} bytes, {took:.2f} s, peak {peak:.1f} MiB; {outcome}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
