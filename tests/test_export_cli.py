"""The export command line, run in-process through ``main(argv)`` on real stores.

One test runs ``python -m layers.export`` as a subprocess, to prove the
module entry point works; everything else calls :func:`layers.export.cli.main`.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import xml.etree.ElementTree as ET
import zipfile
from datetime import date

import openpyxl
import pytest
from PIL import Image
from pypdf import PdfReader

from geodata.divisions import DIVISIONS
from geodata.i18n import Lang
from geodata.register import load_register
from geodata.settings import ROOT_DIR
from geodata.store import create_store
from layers.export._names import export_filename
from layers.export.cli import build_parser, build_request, main
from layers.export.request import ExportError
from layers.shading import ChoroplethChoice, Metric


@pytest.fixture(scope="module")
def store_path(tmp_path_factory):
    """A fresh store of the bundled register (the command's --store)."""
    path = tmp_path_factory.mktemp("store") / "changzhi.gpkg"
    create_store(path)
    return str(path)


def run(store_path, *args: str) -> int:
    return main(["--store", store_path, *args])


def test_module_runs_as_a_command(tmp_path, store_path):
    out = tmp_path / "map.svg"
    res = subprocess.run(
        [
            *(sys.executable, "-m", "layers.export", "--store", store_path),
            *("--format", "svg", "--out", str(out), "--county", "140429"),
        ],
        cwd=ROOT_DIR,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert res.returncode == 0, res.stderr
    assert "wrote" in res.stdout
    root = ET.parse(out).getroot()
    texts = ["".join(t.itertext()) for t in root.iter("{http://www.w3.org/2000/svg}text")]
    assert "武乡县2025年重大项目分布图" in texts


def test_png_by_legacy_county_name_at_300_dpi(tmp_path, store_path):
    out = tmp_path / "shangdang.png"
    code = run(
        store_path, "--format", "png", "--out", str(out), "--county", "长治县", "--dpi", "300"
    )
    assert code == 0
    img = Image.open(out)
    assert abs(img.size[0] - 297 / 25.4 * 300) <= 1
    assert abs(img.size[1] - 210 / 25.4 * 300) <= 1
    # 长治县 is today's 上党区: the title and filters say so
    assert img.text["Title"] == "上党区2025年重大项目分布图"
    assert "上党区" in img.text["Filters"]


def test_pdf_a3_portrait_with_category_and_title(tmp_path, store_path):
    out = tmp_path / "energy.pdf"
    code = run(
        store_path,
        *("--format", "pdf", "--out", str(out), "--category", "energy"),
        *("--paper", "A3", "--orientation", "portrait", "--title", "长治市能源项目图"),
    )
    assert code == 0
    reader = PdfReader(out)
    assert len(reader.pages) == 1
    assert float(reader.pages[0].mediabox.width) == pytest.approx(841.89, abs=0.5)
    assert float(reader.pages[0].mediabox.height) == pytest.approx(1190.55, abs=0.5)
    assert reader.metadata.title == "长治市能源项目图"
    text = reader.pages[0].extract_text()
    assert "类别：能源" in text
    assert "产业（0）" in text


def test_every_filter_of_the_app(tmp_path, store_path):
    out = tmp_path / "sel.csv"
    code = run(
        store_path,
        *("--format", "csv", "--out", str(out), "--headers", "en"),
        *("--category", "energy", "--category", "industry", "--county", "郊区"),
        *("--county", "上党区", "--stage", "construction", "--invest-min", "0"),
    )
    assert code == 0
    text = out.read_text("utf-8-sig")
    assert text.splitlines()[0].startswith("id,name_zh")
    # the invest bound leaves only projects with a stated amount
    assert len(text.splitlines()) <= 2
    args = build_parser().parse_args(
        [
            *("--format", "png", "--out", "x.png", "--subcategory", "photovoltaic"),
            *("--q", "光伏", "--invest-max", "50", "--category", "energy,livelihood"),
        ]
    )
    request = build_request(args)
    assert request.filter.subcategories == ("photovoltaic",)
    assert request.filter.query == "光伏"
    assert request.filter.invest_max == 50
    assert request.filter.categories == ("energy", "livelihood")


def test_view_reproduces_a_planners_link():
    link = "http://intranet:8501/?cat=energy,industry&county=140403,长治县&q=光伏&choro=invest:energy&lang=en"
    args = build_parser().parse_args(["--format", "pdf", "--out", "x.pdf", "--view", link])
    request = build_request(args)
    assert request.filter.categories == ("energy", "industry")
    assert request.filter.counties == ("140403", "140404")
    assert request.filter.query == "光伏"
    assert request.choropleth == ChoroplethChoice(Metric.INVEST, request.choropleth.category)
    assert request.choropleth.to_param() == "invest:energy"
    assert request.lang == "en"
    # options given besides the link win
    args = build_parser().parse_args(
        ["--format", "pdf", "--out", "x.pdf", "--view", "cat=energy", "--category", "livelihood"]
    )
    assert build_request(args).filter.categories == ("livelihood",)


def test_extracts_with_english_headers(tmp_path, store_path):
    out = tmp_path / "sel.xlsx"
    assert run(store_path, "--format", "xlsx", "--headers", "en", "--out", str(out)) == 0
    sheet = openpyxl.load_workbook(out).active
    assert [c.value for c in sheet[1]][:2] == ["id", "name_zh"]
    assert sheet.max_row == len(load_register()) + 1
    out = tmp_path / "sel.geojson"
    assert run(store_path, "--format", "geojson", "--county", "武乡县", "--out", str(out)) == 0
    doc = json.loads(out.read_text("utf-8"))
    assert {f["properties"]["县区代码"] for f in doc["features"]} <= {"140429", ""}


def test_html_has_title_and_choropleth(tmp_path, store_path):
    out = tmp_path / "map.html"
    code = run(
        store_path,
        *("--format", "html", "--out", str(out), "--title", "长治<能源>"),
        *("--choropleth", "investment"),
    )
    assert code == 0
    html = out.read_text(encoding="utf-8")
    assert "<title>长治&lt;能源&gt;</title>" in html
    assert "总投资（亿元） · 全部类别" in html
    assert "<script src" not in html
    plain = tmp_path / "plain.html"
    assert run(store_path, "--format", "html", "--out", str(plain), "--county", "武乡县") == 0
    text = plain.read_text(encoding="utf-8")
    assert "<title>武乡县2025年重大项目分布图</title>" in text
    assert "总投资（亿元）" not in text


def test_atlas_pdf_names_the_twelve_counties(tmp_path, store_path):
    out = tmp_path / "atlas.pdf"
    assert run(store_path, "--atlas", "--format", "pdf", "--out", str(out)) == 0
    reader = PdfReader(out)
    assert len(reader.pages) == 12
    titles = [p.extract_text() for p in reader.pages]
    for div in DIVISIONS:
        assert sum(f"{div.name_zh}2025年重大项目分布图" in t for t in titles) == 1


def test_atlas_zip_of_the_filters_counties(tmp_path, store_path):
    out = tmp_path / "atlas.zip"
    code = run(
        store_path,
        *("--atlas", "--format", "zip", "--out", str(out), "--dpi", "50"),
        *("--county", "潞州区", "--county", "武乡县"),
    )
    assert code == 0
    with zipfile.ZipFile(out) as zf:
        names = zf.namelist()
        assert [n.split("_")[1] for n in names] == ["140403", "140429"]
        assert Image.open(io.BytesIO(zf.read(names[0]))).format == "PNG"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--format", "png", "--county", "北京市"], "unknown county"),
        (["--format", "png", "--dpi", "5"], "dpi must be between"),
        (["--format", "png", "--dpi", "many"], "dpi must be a whole number"),
        (["--format", "tiff"], "unknown format"),
        (["--format", "png", "--category", "mining"], "unknown category"),
        (["--format", "png", "--stage", "dreaming"], "unknown stage"),
        (["--format", "png", "--invest-min", "lots"], "must be a number"),
        (["--format", "png", "--paper", "B5"], "unknown paper size"),
        (["--format", "png", "--choropleth", "area"], "unknown choropleth"),
        (["--format", "png", "--headers", "fr"], "unknown header language"),
        (["--atlas", "--format", "svg"], "unknown atlas format"),
        (["--format", "zip"], "for --atlas"),
    ],
)
def test_bad_arguments_give_one_line(tmp_path, store_path, capsys, args, message):
    out = tmp_path / "x.out"
    assert run(store_path, *args, "--out", str(out)) == 2
    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) == 1, lines
    assert lines[0].startswith("python -m layers.export: error:")
    assert message in lines[0]
    assert not out.exists()


def test_unwritable_paths_and_missing_arguments(tmp_path, store_path, capsys):
    for out in (tmp_path / "missing" / "x.png", tmp_path):
        assert run(store_path, "--format", "png", "--out", str(out)) == 2
        err = capsys.readouterr().err
        assert len(err.strip().splitlines()) == 1
        assert "cannot write" in err or "is a folder" in err
    with pytest.raises(SystemExit) as exc:
        main(["--format", "png"])
    assert exc.value.code == 2
    assert capsys.readouterr().err.strip().splitlines() == [
        "python -m layers.export: error: the following arguments are required: --out"
    ]


def test_view_with_a_bad_choropleth_is_refused():
    args = build_parser().parse_args(["--format", "png", "--out", "x", "--view", "choro=zz"])
    with pytest.raises(ExportError, match="unknown choropleth"):
        build_request(args)


def test_export_filename():
    day = date(2026, 1, 2)
    assert export_filename("pdf", today=day) == "长治市2025年重大项目分布图_20260102.pdf"
    assert export_filename("PNG", adcode="140429", today=day) == (
        "武乡县2025年重大项目分布图_20260102.png"
    )
    assert export_filename("zip", kind="atlas", today=day).startswith(
        "长治市2025年重大项目分县图集"
    )
    assert export_filename("csv", kind="extract", adcode="140403", today=day) == (
        "潞州区2025年重大项目清单_20260102.csv"
    )
    name = export_filename("svg", lang=Lang.EN, today=day)
    assert name == "Changzhi_major_projects_2025_20260102.svg"


def test_reads_the_store_and_stamps_its_version(tmp_path):
    store = tmp_path / "small.gpkg"
    create_store(store, seed=lambda: load_register().head(3))
    out = tmp_path / "small.pdf"
    assert main(["--format", "pdf", "--out", str(out), "--store", str(store)]) == 0
    reader = PdfReader(out)
    assert "共 3 个项目" in reader.pages[0].extract_text()
    # provenance names the register version: store version 1 and a content hash
    assert "register_version=v1·" in reader.metadata["/Keywords"]
    png = tmp_path / "small.png"
    assert main(["--format", "png", "--out", str(png), "--store", str(store)]) == 0
    assert Image.open(png).text["Register-Version"].startswith("v1·")


def test_a_missing_store_is_named_and_not_created(tmp_path, capsys):
    typo = tmp_path / "chagnzhi.gpkg"
    out = tmp_path / "x.png"
    assert main(["--format", "png", "--out", str(out), "--store", str(typo)]) == 2
    assert str(typo) in capsys.readouterr().err
    assert not typo.exists() and not out.exists()


def test_postgis_store_from_the_environment(tmp_path, pg_database):
    url = pg_database("export")
    create_store(url).close()
    out = tmp_path / "map.svg"
    res = subprocess.run(
        [sys.executable, "-m", "layers.export", "--format", "svg", "--out", str(out)],
        cwd=ROOT_DIR,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
        env={**os.environ, "CHANGZHI_STORE": url},
    )
    assert res.returncode == 0, res.stderr
    assert out.stat().st_size > 0
