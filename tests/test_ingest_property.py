"""Property test: any bytes as CSV, and mutated XLSX workbooks, give a report or one IngestError."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from geodata.boundaries import load_counties
from geodata.ingest import IngestError, RowStatus, import_table

DATA = Path(__file__).parent / "data" / "ingest"
BASIC = (DATA / "basic.xlsx").read_bytes()
COUNTIES = load_counties()
HEADER = "项目编号,项目名称,所在县区,类别,子类,总投资,建设阶段,经度,纬度,坐标系,定位精度\n"
TOKENS = (
    "潞州区", "长治县", "郊区", "140403", "火星", "能源", "产业", "民生", "光伏", "其他",
    "5.39亿元", "3000万元", "539000000", "约5亿", "待定", "-3", "113.1163", "36.1955",
    "36.1955", "113.1163", "NaN", "1e400", "GCJ-02", "百度", "县区级", "精确", "'=1+1",
    '"a,b"', '"', "''", "=HYPERLINK(\"x\")", "\u202e", "　", "",
)  # fmt: skip
SETTINGS = settings(
    max_examples=120,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
_cell = st.one_of(st.sampled_from(TOKENS), st.text(max_size=6))
_csv_text = st.lists(st.lists(_cell, max_size=12), max_size=8).map(
    lambda rows: HEADER + "\n".join(",".join(r) for r in rows)
)
_csv_bytes = st.one_of(
    st.binary(max_size=600),
    _csv_text.map(lambda t: t.encode("utf-8")),
    _csv_text.map(lambda t: t.encode("gb18030")),
)
_SNIPPETS = (
    b'r="AAAAAA1"', b'r="1A"', b'r="abc"', b't="s"', b"<v>999</v>", b"<f>SUM(A1)</f>",
    b'<mergeCell ref="A2:A9"/>', b'<mergeCell ref="ZZZZ1:A2"/>', b"<row>", b"</c>", b"\x00",
    b"<!DOCTYPE x>", b'<c r="XFD2"><v>1</v></c>', b"",
)  # fmt: skip


def check(data: bytes, filename: str) -> None:
    """Either a consistent report or one IngestError with a message; nothing else."""
    try:
        result = import_table(data, filename=filename, counties=COUNTIES)
    except IngestError as exc:
        assert str(exc).strip()
        return
    rep = result.report
    counts = rep.counts()
    assert sum(counts.values()) == rep.total == len(rep.status)
    assert counts[RowStatus.REJECTED.value] == len(rep.rejected)
    assert rep.accepted == rep.total - len(rep.rejected) == len(result.projects)
    assert rep.accepted == rep.added + rep.updated + rep.unchanged


@SETTINGS
@given(_csv_bytes)
def test_any_bytes_as_csv(data):
    check(data, "any.csv")


def _rezip(parts: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, content in parts.items():
            z.writestr(name, content)
    return out.getvalue()


@st.composite
def mutated_workbooks(draw: st.DrawFn) -> bytes:
    """basic.xlsx with one part cut and spliced, or its zip bytes flipped."""
    if draw(st.booleans()):
        raw = bytearray(BASIC)
        for _ in range(draw(st.integers(1, 4))):
            raw[draw(st.integers(0, len(raw) - 1))] = draw(st.integers(0, 255))
        return bytes(raw)
    with zipfile.ZipFile(io.BytesIO(BASIC)) as z:
        parts = {i.filename: z.read(i) for i in z.infolist()}
    name = draw(st.sampled_from(sorted(parts)))
    content = parts[name]
    at = draw(st.integers(0, len(content)))
    cut = draw(st.integers(0, 40))
    insert = draw(st.one_of(st.sampled_from(_SNIPPETS), st.binary(max_size=20)))
    parts[name] = content[:at] + insert + content[at + cut :]
    if draw(st.integers(0, 9)) == 0:
        del parts[name]
    return _rezip(parts)


@SETTINGS
@given(mutated_workbooks())
def test_mutated_xlsx(data):
    check(data, "mutated.xlsx")


@pytest.mark.parametrize("name", ["basic.xlsx", "english_headers.xlsx"])
def test_unmutated_workbooks_pass_the_property(name):
    check((DATA / name).read_bytes(), name)
