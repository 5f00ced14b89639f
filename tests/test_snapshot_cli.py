"""The snapshot command line, run as a subprocess on the real register."""

from __future__ import annotations

import io
import subprocess
import sys
import xml.etree.ElementTree as ET
import zipfile
from datetime import date
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfReader

from geodata.divisions import DIVISIONS
from geodata.register import load_register
from geodata.settings import ROOT_DIR
from geodata.store import create_store
from layers.snapshot import SnapshotError, export_filename, make_request


@pytest.fixture(autouse=True, scope="module")
def _own_store(tmp_path_factory):
    # the command reads the app's store; give the subprocesses a fresh one
    store = create_store(tmp_path_factory.mktemp("store") / "changzhi.gpkg")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("CHANGZHI_STORE", str(store.path))
        yield


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "layers.snapshot", *args],
        cwd=ROOT_DIR,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )


def test_png_by_legacy_county_name_at_300_dpi(tmp_path):
    out = tmp_path / "shangdang.png"
    res = run("--format", "png", "--out", str(out), "--county", "长治县", "--dpi", "300")
    assert res.returncode == 0, res.stderr
    img = Image.open(out)
    assert abs(img.size[0] - 297 / 25.4 * 300) <= 1
    assert abs(img.size[1] - 210 / 25.4 * 300) <= 1
    # 长治县 is today's 上党区: the title and filters say so
    assert img.text["Title"] == "上党区2025年重大项目分布图"
    assert "上党区" in img.text["Filters"]


def test_pdf_a3_portrait_with_category_and_title(tmp_path):
    out = tmp_path / "energy.pdf"
    res = run(
        "--format",
        "pdf",
        "--out",
        str(out),
        "--category",
        "energy",
        "--paper",
        "A3",
        "--orientation",
        "portrait",
        "--title",
        "长治市能源项目图",
    )
    assert res.returncode == 0, res.stderr
    reader = PdfReader(out)
    assert len(reader.pages) == 1
    assert float(reader.pages[0].mediabox.width) == pytest.approx(841.89, abs=0.5)
    assert float(reader.pages[0].mediabox.height) == pytest.approx(1190.55, abs=0.5)
    assert reader.metadata.title == "长治市能源项目图"
    text = reader.pages[0].extract_text()
    assert "类别：能源" in text
    assert "产业（0）" in text


def test_svg(tmp_path):
    out = tmp_path / "map.svg"
    res = run("--format", "svg", "--out", str(out), "--county", "140429")
    assert res.returncode == 0, res.stderr
    root = ET.parse(out).getroot()
    texts = ["".join(t.itertext()) for t in root.iter("{http://www.w3.org/2000/svg}text")]
    assert "武乡县2025年重大项目分布图" in texts


def test_html_is_offline(tmp_path):
    out = tmp_path / "map.html"
    res = run("--format", "html", "--out", str(out))
    assert res.returncode == 0, res.stderr
    html = out.read_text(encoding="utf-8")
    assert "<script src" not in html
    assert "/app/static/vendor" not in html
    assert "L.map(" in html


@pytest.mark.parametrize("metric", ["investment", "invest"])
def test_html_has_title_and_choropleth(tmp_path, metric):
    out = tmp_path / "map.html"
    res = run(
        "--format", "html", "--out", str(out), "--title", "长治<能源>", "--choropleth", metric
    )
    assert res.returncode == 0, res.stderr
    html = out.read_text(encoding="utf-8")
    assert "<title>长治&lt;能源&gt;</title>" in html
    assert "总投资（亿元） · 全部类别" in html
    plain = tmp_path / "plain.html"
    assert run("--format", "html", "--out", str(plain), "--county", "武乡县").returncode == 0
    text = plain.read_text(encoding="utf-8")
    assert "<title>武乡县2025年重大项目分布图</title>" in text
    assert "总投资（亿元）" not in text


def test_atlas_pdf_names_the_twelve_counties(tmp_path):
    out = tmp_path / "atlas.pdf"
    res = run("--atlas", "--format", "pdf", "--out", str(out))
    assert res.returncode == 0, res.stderr
    reader = PdfReader(out)
    assert len(reader.pages) == 12
    titles = [p.extract_text() for p in reader.pages]
    for div in DIVISIONS:
        assert sum(f"{div.name_zh}2025年重大项目分布图" in t for t in titles) == 1


def test_atlas_zip(tmp_path):
    out = tmp_path / "atlas.zip"
    res = run("--atlas", "--format", "zip", "--out", str(out), "--dpi", "50")
    assert res.returncode == 0, res.stderr
    with zipfile.ZipFile(out) as zf:
        names = zf.namelist()
        assert len(names) == 12
        assert Image.open(io.BytesIO(zf.read(names[0]))).format == "PNG"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--format", "png", "--county", "北京市"], "unknown county"),
        (["--format", "png", "--dpi", "5"], "dpi must be between"),
        (["--format", "png", "--dpi", "many"], "dpi must be a whole number"),
        (["--format", "tiff"], "unknown snapshot format"),
        (["--format", "png", "--category", "mining"], "unknown category"),
        (["--format", "png", "--paper", "B5"], "bad page option"),
        (["--atlas", "--format", "svg"], "unknown atlas format"),
    ],
)
def test_bad_arguments_give_one_line(tmp_path, args, message):
    out = tmp_path / "x.out"
    res = run(*args, "--out", str(out))
    assert res.returncode == 2
    lines = res.stderr.strip().splitlines()
    assert len(lines) == 1, res.stderr
    assert message in lines[0]
    assert "Traceback" not in res.stderr
    assert not out.exists()


def test_unwritable_paths(tmp_path):
    for out in (tmp_path / "missing" / "x.png", tmp_path):
        res = run("--format", "png", "--out", str(out))
        assert res.returncode == 2
        assert len(res.stderr.strip().splitlines()) == 1
        assert "cannot write" in res.stderr or "is a folder" in res.stderr
        assert "Traceback" not in res.stderr


def test_missing_required_argument_is_one_line():
    res = run("--format", "png")
    assert res.returncode == 2
    assert res.stderr.strip().splitlines() == [
        "python -m layers.snapshot: error: the following arguments are required: --out"
    ]


def test_make_request_resolves_names(tmp_path):
    req = make_request(fmt="PNG", out=tmp_path / "a.png", county="郊区", category="livelihood")
    assert req.adcode == "140403"
    assert req.filters() == {"县区": "潞州区", "类别": "民生"}
    with pytest.raises(SnapshotError, match="--atlas"):
        make_request(fmt="pdf", atlas=True, county="潞州区")
    assert isinstance(req.out, Path)


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
    name = export_filename("svg", lang="en", today=day)
    assert name == "Changzhi_major_projects_2025_20260102.svg"


def test_reads_the_store_and_stamps_its_version(tmp_path):
    store = tmp_path / "small.gpkg"
    create_store(store, seed=lambda: load_register().head(3))
    out = tmp_path / "small.pdf"
    res = run("--format", "pdf", "--out", str(out), "--store", str(store))
    assert res.returncode == 0, res.stderr
    reader = PdfReader(out)
    assert "共 3 个项目" in reader.pages[0].extract_text()
    # provenance names the register version: store version 1 and a content hash
    assert "register_version=v1·" in reader.metadata["/Keywords"]
    png = tmp_path / "small.png"
    assert run("--format", "png", "--out", str(png), "--store", str(store)).returncode == 0
    assert Image.open(png).text["Register-Version"].startswith("v1·")


def test_a_missing_store_is_named_and_not_created(tmp_path):
    typo = tmp_path / "chagnzhi.gpkg"
    res = run("--format", "png", "--out", str(tmp_path / "x.png"), "--store", str(typo))
    assert res.returncode == 2
    assert str(typo) in res.stderr and not typo.exists()
