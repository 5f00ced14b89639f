"""Exports by month: the 督办清单 (XLSX, PDF), the progress atlas, the month in titles."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from bench.synthetic import synthetic_projects
from bench.synthetic_progress import synthetic_plans_and_progress
from geodata.boundaries import load_counties
from geodata.filters import ProjectFilter
from geodata.join import assign_counties
from geodata.progress import Period, fill_cumulative
from layers.export import ExportError, ExportFormat, ExportRequest, export_data, render
from layers.export.cli import build_parser, build_request, with_latest_month
from layers.export.pipeline import supervision
from layers.progress import MapMode

SEPTEMBER = Period(2025, 9)
HOSTILE = (
    "$\\frac{1}{2}$",
    '=HYPERLINK("http://x","y")',
    "D:\\资料\\x4",
    "<img src=x onerror=alert(1)>",
)


@pytest.fixture(scope="module")
def data():
    projects = synthetic_projects(300)
    plans, reports = synthetic_plans_and_progress(projects)
    reports = fill_cumulative(reports)[0]
    counties = load_counties()
    joined = assign_counties(projects, counties)
    return export_data(joined, counties, version=3, plans=plans, reports=reports)


@pytest.fixture(scope="module")
def hostile_data(data):
    """The same data with hostile 形象进度 on every lagging project's September report."""
    reports = data.reports.copy()
    request = ExportRequest(format="xlsx", period="2025-09")
    lagging = _sheet(supervision(request, data))["编号"]
    september = reports["period"] == SEPTEMBER.to_pandas()
    for k, pid in enumerate(lagging[:8]):
        reports.loc[september & (reports["project_id"] == pid), "image_progress"] = HOSTILE[k % 4]
    return export_data(data.projects, data.counties, version=3, plans=data.plans, reports=reports)


def _sheet(result) -> dict[str, list]:
    book = load_workbook(io.BytesIO(result.data))
    rows = list(book.active.iter_rows(values_only=True))
    header = rows[2]
    return {name: [r[i] for r in rows[3:]] for i, name in enumerate(header)}


def test_supervision_xlsx_names_the_month_and_keeps_numbers(data):
    result = supervision(ExportRequest(format="xlsx", period="2025-09"), data)
    assert result.filename == "督办清单_2025-09.xlsx"
    book = load_workbook(io.BytesIO(result.data))
    rows = list(book.active.iter_rows(values_only=True))
    assert rows[0][0] == "长治市重点项目督办清单（截至 2025年9月）"
    assert "报告期：2025-09" in rows[1][0]
    sheet = _sheet(result)
    assert len(sheet["编号"]) > 0
    assert set(sheet["状态"]) <= {"滞后", "严重滞后"}
    assert all(isinstance(v, int | float) for v in sheet["完成率（%）"])
    # behind the time share by more than 10 points, grouped by county
    assert all(g >= 10 for g in sheet["差距（百分点）"])
    counties = sheet["县区"]
    assert counties == sorted(counties, key=counties.index)


def test_supervision_texts_are_literal_in_xlsx_and_pdf(hostile_data):
    xlsx = _sheet(supervision(ExportRequest(format="xlsx", period="2025-09"), hostile_data))
    texts = set(xlsx["形象进度"])
    assert "$\\frac{1}{2}$" in texts and "D:\\资料\\x4" in texts
    # a formula is stored as quoted text, never as a formula
    assert '\'=HYPERLINK("http://x","y")' in texts
    pdf = supervision(ExportRequest(format="pdf", period="2025-09"), hostile_data)
    reader = PdfReader(io.BytesIO(pdf.data))
    text = "".join(page.extract_text() for page in reader.pages)
    assert "长治市重点项目督办清单（截至 2025年9月）" in text
    for literal in ("$\\frac{1}{2}$", "D:\\资料\\x4", "<img src=x onerro"):
        assert literal in text
    assert "period=2025-09" in reader.metadata["/Keywords"]


def test_supervision_needs_a_month(data):
    with pytest.raises(ExportError):
        supervision(ExportRequest(format="xlsx"), data)


def test_progress_atlas_one_page_per_county_naming_the_month(data):
    request = ExportRequest(
        format="pdf",
        atlas=True,
        mode="progress",
        period="2025-09",
        filter=ProjectFilter(counties=("140403", "140429")),
    )
    result = render(request, data)
    reader = PdfReader(io.BytesIO(result.data))
    assert len(reader.pages) == 2
    first = reader.pages[0].extract_text()
    assert "潞州区项目进度（截至 2025年9月）" in first
    assert "滞后项目" in first and "排名" in first
    assert "报告期：2025-09" in first
    assert reader.metadata["/Title"] == "长治市项目进度分县图集（截至 2025年9月）"


def test_print_map_title_and_footer_name_the_month(data):
    request = ExportRequest(format="pdf", period="2025-09")
    assert request.page_title() == "长治市2025年重大项目分布图（截至 2025年9月）"
    reader = PdfReader(io.BytesIO(render(request, data).data))
    text = reader.pages[0].extract_text()
    assert "截至 2025年9月" in text
    assert "报告期：2025-09" in text
    html = render(ExportRequest(format="html", period="2025-09"), data).data.decode()
    assert "截至 2025年9月" in html


def test_view_link_carries_month_and_mode():
    args = build_parser().parse_args(
        [
            "--view",
            "http://host/?period=2025-06&mode=progress&county=140403",
            "--atlas",
            "--format",
            "pdf",
            "--out",
            "x.pdf",
        ]
    )
    request = build_request(args)
    assert request.period == "2025-06"
    assert request.mode is MapMode.PROGRESS
    assert request.filter.counties == ("140403",)
    args = build_parser().parse_args(
        ["--view", "?period=2025-06", "--period", "2025年8月", "--format", "png", "--out", "x"]
    )
    assert build_request(args).period == "2025-08"


def test_progress_without_month_takes_the_latest_reported(data):
    request = ExportRequest(format="pdf", atlas=True, mode="progress")
    assert with_latest_month(request, data).period == "2025-12"
    assert with_latest_month(ExportRequest(format="png"), data).period == ""
    empty = export_data(data.projects, data.counties, version=3)
    with pytest.raises(ExportError, match="--period"):
        with_latest_month(request, empty)


def test_bad_month_or_mode_is_refused():
    with pytest.raises(ExportError, match="period"):
        ExportRequest(format="png", period="2025-13")
    with pytest.raises(ExportError, match="map mode"):
        ExportRequest(format="png", mode="status")
    assert ExportRequest(format=ExportFormat.PNG, period="2025.9").period == "2025-09"
