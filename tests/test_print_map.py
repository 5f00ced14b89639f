"""Print maps and the atlas, checked with real readers: Pillow, pypdf, ElementTree."""

from __future__ import annotations

import io
import logging
import warnings
import xml.etree.ElementTree as ET
import zipfile

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from PIL import Image
from pypdf import PdfReader

from bench.synthetic import synthetic_projects
from geodata.boundaries import load_counties
from geodata.divisions import DIVISIONS
from geodata.i18n import Lang
from geodata.join import county_summary, unplaced_count
from geodata.schema import REGISTER_COLUMNS
from geodata.settings import CATEGORY_COLORS, ROOT_DIR
from layers.export._print_fonts import FontNotFoundError, cjk_font_family, find_cjk_family
from layers.export._print_furniture import grid_convergence_deg
from layers.export.atlas import atlas_bytes as _atlas_bytes
from layers.export.atlas import atlas_pages
from layers.export.print_map import map_bytes as _map_bytes
from layers.export.print_map import render_map, save_map
from layers.export.provenance import data_version, make_provenance

ARTIFACTS = ROOT_DIR / "tests" / "artifacts"
# iso paper sizes in points (1 pt = 1/72 inch)
A4_PT = (595.28, 841.89)
A3_PT = (841.89, 1190.55)
SVG_NS = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module")
def counties() -> gpd.GeoDataFrame:
    return load_counties()


@pytest.fixture(scope="module")
def projects() -> gpd.GeoDataFrame:
    return synthetic_projects(300, seed=7)


def map_bytes(projects, counties, *, filters="", **page):
    """One page with the provenance of ``projects`` and ``filters``."""
    provenance = make_provenance(projects, filters=filters)
    return _map_bytes(projects, counties, provenance=provenance, **page)


def atlas_bytes(projects, counties, *, filters="", **options):
    """The atlas with the provenance of ``projects``."""
    provenance = make_provenance(projects, filters=filters)
    return _atlas_bytes(projects, counties, provenance=provenance, **options)


def hex_rgb(color: str) -> np.ndarray:
    return np.array([int(color[i : i + 2], 16) for i in (1, 3, 5)])


def test_cjk_font_is_noto():
    assert "CJK" in cjk_font_family()
    assert find_cjk_family(("No Such Family", "Noto Sans CJK SC")) == "Noto Sans CJK SC"
    with pytest.raises(FontNotFoundError, match="fonts-noto-cjk"):
        find_cjk_family(("No Such Family",))


def test_png_size_metadata_and_content(projects, counties):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        data = map_bytes(
            projects,
            counties,
            fmt="png",
            dpi=150,
            filters={"类别": "全部"},
            title="长治市测试图",
        )
    assert not [w for w in caught if "missing" in str(w.message).lower()]
    img = Image.open(io.BytesIO(data))
    # a4 landscape at 150 dpi: 297 x 210 mm
    assert abs(img.size[0] - 297 / 25.4 * 150) <= 1
    assert abs(img.size[1] - 210 / 25.4 * 150) <= 1
    assert img.text["Title"] == "长治市测试图"
    assert img.text["Data-Version"] == data_version(projects)
    assert "类别：全部" in img.text["Filters"]
    assert "数据版本" in img.text["Description"]
    rgb = np.asarray(img.convert("RGB")).reshape(-1, 3).astype(int)
    # the map is not blank: many colours, and each category colour is drawn
    assert len(np.unique(rgb, axis=0)) > 200
    for color in CATEGORY_COLORS.values():
        near = np.abs(rgb - hex_rgb(color)).sum(axis=1) < 40
        assert near.sum() > 50, color
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    img.save(ARTIFACTS / "print_map_a4.png")


def test_png_300_dpi_a3_portrait(projects, counties):
    data = map_bytes(projects, counties, fmt="png", dpi=300, paper="A3", orientation="portrait")
    img = Image.open(io.BytesIO(data))
    assert abs(img.size[0] - 297 / 25.4 * 300) <= 1
    assert abs(img.size[1] - 420 / 25.4 * 300) <= 1


def test_pdf_page_size_text_and_metadata(projects, counties):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        data = map_bytes(projects, counties, fmt="pdf", filters={"县区": "全部"})
    assert not [w for w in caught if "glyph" in str(w.message).lower()]
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert float(box.width) == pytest.approx(A4_PT[1], abs=0.5)
    assert float(box.height) == pytest.approx(A4_PT[0], abs=0.5)
    meta = reader.metadata
    assert meta.title == "长治市2025年重大项目分布图"
    assert "县区：全部" in meta.subject
    assert f"data_version={data_version(projects)}" in meta["/Keywords"]
    assert meta["/CreationDate"].startswith("D:20")
    text = reader.pages[0].extract_text()
    for word in ("长治市2025年重大项目分布图", "公里", "图例", "能源", "数据来源", "潞州"):
        assert word in text
    # the page is vector: text is text and fonts are embedded
    fonts = reader.pages[0]["/Resources"]["/Font"]
    names = [str(f.get_object()["/BaseFont"]) for f in fonts.values()]
    assert any("CJK" in n for n in names)


def test_pdf_a3_portrait_size(projects, counties):
    data = map_bytes(projects, counties, fmt="pdf", paper="A3", orientation="portrait")
    box = PdfReader(io.BytesIO(data)).pages[0].mediabox
    assert float(box.width) == pytest.approx(A3_PT[0], abs=0.5)
    assert float(box.height) == pytest.approx(A3_PT[1], abs=0.5)


def test_svg_parses_with_text_and_metadata(projects, counties):
    data = map_bytes(projects, counties, fmt="svg", choropleth="count")
    root = ET.fromstring(data)
    texts = ["".join(t.itertext()) for t in root.iter(f"{SVG_NS}text")]
    assert len(texts) > 20
    assert any("长治市" in t for t in texts)
    assert any("公里" in t for t in texts)
    assert b"data_version=" + data_version(projects).encode() in data
    assert root.attrib["width"].startswith("841.889")


def test_dense_points_rasterised_in_pdf(counties):
    many = synthetic_projects(5000, seed=3)
    data = map_bytes(many, counties, fmt="pdf")
    page = PdfReader(io.BytesIO(data)).pages[0]
    # points become raster images, text stays text
    assert len(page.images) >= 1
    assert "长治市" in page.extract_text()


def test_scale_bar_is_true(projects, counties):
    fig = render_map(projects, counties).figure
    ax = fig.axes[0]
    x0, x1 = ax.get_xlim()
    y0, y1 = ax.get_ylim()
    bbox = ax.get_position()
    w_in = bbox.width * fig.get_figwidth()
    h_in = bbox.height * fig.get_figheight()
    # metres per inch are the same in x and y, so the bar measures true
    assert (x1 - x0) / w_in == pytest.approx((y1 - y0) / h_in, rel=1e-6)
    # the city (about 170 km across) fits the a4 map at roughly 1:800,000
    scale = (x1 - x0) / (w_in * 0.0254)
    assert 500_000 < scale < 1_200_000


def test_north_arrow_follows_grid_convergence():
    # utm 49n has its central meridian at 111°e; at 113°e, 36.4°n the
    # convergence is atan(tan 2° · sin 36.4°) ≈ 1.19°
    assert abs(grid_convergence_deg(113.0, 36.4)) == pytest.approx(1.187, abs=0.02)
    assert abs(grid_convergence_deg(111.0, 36.4)) < 0.01


def test_focus_county_title_and_table(projects, counties):
    sub = projects[projects["county_adcode"] == "140403"]
    fig = render_map(sub, counties, focus_adcode="140403", summary_table=True).figure
    texts = [t.get_text() for t in fig.texts]
    assert "潞州区2025年重大项目分布图" in texts
    table_text = [
        c.get_text().get_text() for ax in fig.axes for t in ax.tables for c in t._cells.values()
    ]
    assert "合计" in table_text
    assert str(len(sub)) in table_text


def _table_counts(fig) -> dict[str, str]:
    """First-column label → project count of the page's summary table."""
    cells = {
        key: c.get_text().get_text()
        for ax in fig.axes
        for t in ax.tables
        for key, c in t._cells.items()
    }
    last = max(r for r, _ in cells)
    return {cells[(r, 0)]: cells[(r, 1)] for r in range(1, last + 1)}


def test_table_and_atlas_agree_with_county_ranking(projects, counties):
    mixed = projects.copy()
    # no stated county: an exact point counts for its county, a city-centre one for none
    mixed.loc[mixed.index[:20], "county_adcode"] = ""
    mixed.loc[mixed.index[:8], "precision"] = "city"
    ranking = county_summary(mixed, counties)
    unplaced = unplaced_count(mixed, counties)
    assert unplaced >= 8
    rows = _table_counts(render_map(mixed, counties, summary_table=True).figure)
    for row in ranking.itertuples():
        assert rows[row.name_zh] == str(row.count_all)
    assert rows["县区未明"] == str(unplaced)
    assert rows["合计"] == str(len(mixed))
    for adcode, page in atlas_pages(mixed, counties):
        assert _table_counts(page.figure)["合计"] == str(ranking.loc[adcode, "count_all"])


def test_english_page(projects, counties):
    data = map_bytes(projects, counties, fmt="pdf", lang=Lang.EN)
    text = PdfReader(io.BytesIO(data)).pages[0].extract_text()
    assert "Changzhi: major projects 2025" in text
    assert "km" in text
    assert "Luzhou" in text


def test_rejects_projected_input(projects, counties):
    with pytest.raises(ValueError, match="EPSG:4326"):
        render_map(projects.to_crs("EPSG:32649"), counties)
    with pytest.raises(ValueError, match="adcode"):
        render_map(projects, counties, focus_adcode="999999")
    page = render_map(projects, counties)
    with pytest.raises(ValueError, match="dpi"):
        save_map(page, io.BytesIO(), fmt="png", dpi=5, provenance=make_provenance(projects))


def test_empty_selection_still_renders(counties, projects):
    empty = projects.iloc[0:0]
    data = map_bytes(empty, counties, fmt="pdf")
    assert "共 0 个项目" in PdfReader(io.BytesIO(data)).pages[0].extract_text()


def test_data_version_tracks_content(projects):
    shuffled = projects.sample(frac=1, random_state=1)
    assert data_version(shuffled) == data_version(projects)
    changed = projects.copy()
    changed.loc[changed.index[0], "name_zh"] = "改过的名字"
    assert data_version(changed) != data_version(projects)


def test_no_missing_glyph_logs(projects, counties, caplog):
    caplog.set_level(logging.WARNING, logger="matplotlib")
    map_bytes(projects, counties, fmt="png", dpi=72)
    assert not [r for r in caplog.records if "glyph" in r.getMessage().lower()]
    assert not [r for r in caplog.records if "findfont" in r.getMessage().lower()]


def test_atlas_pdf_has_twelve_county_pages(projects, counties):
    data = atlas_bytes(projects, counties, fmt="pdf")
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) == 12
    assert reader.metadata.title == "长治市2025年重大项目分县图集"
    assert "数据版本" in reader.metadata.subject
    for page, div in zip(reader.pages, sorted(DIVISIONS, key=lambda d: d.adcode), strict=True):
        text = page.extract_text()
        assert f"{div.name_zh}2025年重大项目分布图" in text
        assert "合计" in text
        assert float(page.mediabox.width) == pytest.approx(A4_PT[1], abs=0.5)
    (ARTIFACTS / "atlas_test.pdf").write_bytes(data)


def test_atlas_zip_of_pngs(counties):
    few = synthetic_projects(60, seed=5)
    data = atlas_bytes(few, counties, fmt="png", dpi=60, orientation="portrait")
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        names = zf.namelist()
        assert len(names) == 12
        assert names[0] == "01_140403_潞州区.png"
        img = Image.open(io.BytesIO(zf.read(names[-1])))
        assert abs(img.size[0] - 210 / 25.4 * 60) <= 1
        assert "Data-Version" in img.text


def test_register_projects_render(counties):
    from geodata.register import load_register

    reg = load_register()
    assert list(reg.columns[: len(REGISTER_COLUMNS)]) == list(REGISTER_COLUMNS)
    data = map_bytes(reg, counties, fmt="pdf", summary_table=True)
    text = PdfReader(io.BytesIO(data)).pages[0].extract_text()
    assert f"共 {len(reg)} 个项目" in text
    # projects that count for no county (see geodata.join) get their own row
    if unplaced_count(reg, counties):
        assert "县区未明" in text
    # the report states one project's investment (后湾水库, 5.39亿元, 襄垣县)
    assert pd.notna(reg["investment_yi"]).sum() == 1
    lines = text.splitlines()
    assert next(line for line in lines if line.startswith("襄垣县 ")).endswith(" 5.4")
    assert next(line for line in lines if line.startswith("合计 ")).endswith(" 5.4")


def test_investment_choropleth_names_missing_values(counties):
    few = synthetic_projects(40, seed=9)
    few["investment_yi"] = np.nan
    few.loc[few["county_adcode"] == "140403", "investment_yi"] = 3.0
    data = map_bytes(few, counties, fmt="pdf", choropleth="investment")
    text = PdfReader(io.BytesIO(data)).pages[0].extract_text()
    assert "已披露投资（亿元） · 全部类别" in text
    assert "无数据（原文未给出）" in text
