"""Command line: python -m geodata.ingest FILE [--crs] [--store] [--dry-run] --report."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import pytest

from geodata.ingest import main
from geodata.settings import WGS84
from geodata.store import create_store, open_store

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).parent / "data" / "ingest"


@dataclass
class Done:
    returncode: int
    stdout: str
    stderr: str


@pytest.fixture
def run(monkeypatch, capsys):
    """Run ``main(argv)`` in-process as user cli-tester; return its status and output."""
    monkeypatch.setenv("USER", "cli-tester")

    def call(*args: str) -> Done:
        try:
            code = main(list(args))
        except SystemExit as exc:  # argparse refusals
            code = int(exc.code or 0)
        out = capsys.readouterr()
        return Done(code, out.out, out.err)

    return call


def test_python_m_runs_in_a_subprocess(tmp_path):
    store_path = tmp_path / "store.gpkg"
    create_store(store_path, seed=seed)
    report = tmp_path / "r.json"
    done = subprocess.run(
        [sys.executable, "-m", "geodata.ingest", str(DATA / "utf8.csv"), "--store",
         str(store_path), "--report", str(report)],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
        env={**os.environ, "USER": "cli-tester", "PYTHONPATH": str(ROOT)},
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert json.loads(report.read_text(encoding="utf-8"))["committed_version"] == 2
    assert "3 new" in done.stdout


def seed() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {
            "id": ["OLD"],
            "name_zh": ["旧项目"],
            "category": "energy",
            "subcategory": "other",
            "precision": "exact",
            "stage": "construction",
            "lon": [113.1],
            "lat": [36.2],
            "source_sentence": "测试",
        },
        geometry=gpd.points_from_xy([113.1], [36.2]),
        crs=WGS84,
    )


@pytest.fixture
def store_path(tmp_path):
    path = tmp_path / "store.gpkg"
    create_store(path, seed=seed)
    return path


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_import_commits_a_version(run, store_path, tmp_path):
    report = tmp_path / "report.json"
    done = run(str(DATA / "amounts.csv"), "--store", str(store_path), "--report", str(report))
    assert done.returncode == 0, done.stderr
    doc = json.loads(report.read_text(encoding="utf-8"))
    assert doc["accepted"] == 9
    assert [r["row"] for r in doc["rejected"]] == [11, 12]
    assert all({"row", "reason"} <= set(w) for w in doc["warnings"])
    assert doc["committed_version"] == 2
    store = open_store(store_path)
    assert len(store.projects()) == 10
    latest = store.history().iloc[0]
    assert latest["who"] == "cli-tester"
    assert "amounts.csv" in latest["message"]


def test_dry_run_writes_nothing(run, store_path, tmp_path):
    before = digest(store_path)
    report = tmp_path / "r.json"
    done = run(
        str(DATA / "gcj02.csv"), "--crs", "gcj02", "--store", str(store_path), "--dry-run",
        "--report", str(report),
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    doc = json.loads(report.read_text(encoding="utf-8"))
    assert doc["accepted"] == 3 and doc["dry_run"] and doc["committed_version"] is None
    assert doc["crs"] == "gcj02"
    assert digest(store_path) == before


def test_user_option(run, store_path, tmp_path):
    done = run(
        str(DATA / "basic.xlsx"), "--store", str(store_path), "--user", "zhangsan",
        "--report", str(tmp_path / "r.json"),
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert open_store(store_path).history().iloc[0]["who"] == "zhangsan"


@pytest.mark.parametrize(
    "name", ["undecodable.csv", "missing_column.csv", "zip_bomb.xlsx", "entity_bomb.xlsx",
             "csv_named.xlsx", "xlsx_named.csv"],
)  # fmt: skip
def test_unreadable_file_exits_nonzero_store_untouched(run, name, store_path, tmp_path):
    before = digest(store_path)
    report = tmp_path / "r.json"
    done = run(str(DATA / name), "--store", str(store_path), "--report", str(report))
    assert done.returncode != 0
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error:")
    assert name in lines[0]
    assert digest(store_path) == before
    assert not report.exists()


def test_missing_file(run, tmp_path):
    done = run(str(tmp_path / "nope.csv"), "--report", str(tmp_path / "r.json"))
    assert done.returncode != 0
    assert len(done.stderr.strip().splitlines()) == 1


def test_report_is_required(run, tmp_path):
    done = run(str(DATA / "utf8.csv"))
    assert done.returncode == 2
    assert "--report" in done.stderr


@pytest.mark.parametrize("where", ["missing_folder", "folder"])
def test_unwritable_report_path_leaves_store_untouched(run, where, store_path, tmp_path):
    before = digest(store_path)
    versions = len(open_store(store_path).history())
    report = tmp_path / "nonexistent" / "r.json" if where == "missing_folder" else tmp_path
    done = run(str(DATA / "amounts.csv"), "--store", str(store_path), "--report", str(report))
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith("error: cannot write the report")
    assert "Traceback" not in done.stderr
    assert digest(store_path) == before
    assert len(open_store(store_path).history()) == versions
    assert not (tmp_path / "nonexistent").exists()


def test_existing_report_is_replaced_not_probed_away(run, store_path, tmp_path):
    report = tmp_path / "r.json"
    report.write_text("old", encoding="utf-8")
    done = run(str(DATA / "amounts.csv"), "--store", str(store_path), "--report", str(report))
    assert done.returncode == 0, done.stderr
    assert json.loads(report.read_text(encoding="utf-8"))["committed_version"] == 2


def test_report_write_failure_after_commit_is_one_line(store_path, tmp_path, monkeypatch, capsys):
    report = tmp_path / "r.json"
    real_write = Path.write_text

    def failing_write(self: Path, *args: object, **kwargs: object) -> int:
        if self == report:
            raise OSError(28, "No space left on device")
        return real_write(self, *args, **kwargs)

    monkeypatch.setattr(Path, "write_text", failing_write)
    code = main([str(DATA / "amounts.csv"), "--store", str(store_path), "--report", str(report)])
    assert code == 4
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1
    assert "No space left on device" in err[0] and "store version 2 was committed" in err[0]


def county_seed() -> gpd.GeoDataFrame:
    frame = seed()
    frame["county_adcode"] = "140403"
    return frame


@pytest.mark.parametrize("dry_run", [False, True])
def test_cli_checks_rows_against_the_store(run, tmp_path, dry_run):
    # the store holds OLD 旧项目 in 潞州区; a row without id names it again
    store_path = tmp_path / "store.gpkg"
    create_store(store_path, seed=county_seed)
    sheet = tmp_path / "again.csv"
    sheet.write_text(
        "项目名称,所在县区,类别,经度,纬度\n旧项目,潞州区,能源,113.11,36.21\n", encoding="utf-8"
    )
    report = tmp_path / "r.json"
    extra = ["--dry-run"] if dry_run else []
    done = run(str(sheet), "--store", str(store_path), "--report", str(report), *extra)
    assert done.returncode == 0, done.stderr
    doc = json.loads(report.read_text(encoding="utf-8"))
    assert len(doc["duplicates"]) == 1
    assert doc["duplicates"][0]["row"] == 2 and "OLD" in doc["duplicates"][0]["reason"]
    projects = open_store(store_path).projects(include_unlocated=True)
    assert projects["id"].tolist() == ["OLD"]
    assert projects["lon"].iloc[0] == pytest.approx(113.1 if dry_run else 113.11)


def test_a_missing_store_is_an_error_naming_it(tmp_path, run):
    typo = tmp_path / "stroe.gpkg"
    report = tmp_path / "r.json"
    done = run(str(DATA / "amounts.csv"), "--store", str(typo), "--report", str(report))
    assert done.returncode == 3
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and str(typo) in lines[0]
    assert not typo.exists()


def test_postgis_store_by_option_and_by_environment(run, pg_database, tmp_path):
    url = pg_database("ingest")
    create_store(url, seed=seed).close()
    report = tmp_path / "r.json"
    done = run(str(DATA / "amounts.csv"), "--store", url, "--report", str(report))
    assert done.returncode == 0, done.stderr
    assert json.loads(report.read_text(encoding="utf-8"))["committed_version"] == 2
    # a second command finds the database through CHANGZHI_STORE
    done = subprocess.run(
        [sys.executable, "-m", "geodata.ingest", str(DATA / "utf8.csv"), "--report", str(report)],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
        env={**os.environ, "USER": "cli-tester", "PYTHONPATH": str(ROOT), "CHANGZHI_STORE": url},
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert json.loads(report.read_text(encoding="utf-8"))["committed_version"] == 3
    store = open_store(url)
    assert store.history()["who"].tolist() == ["cli-tester", "cli-tester", "system"]
    store.close()
    # a database without a store is named, nothing created
    empty = pg_database("empty")
    done = run(str(DATA / "amounts.csv"), "--store", empty, "--report", str(report))
    assert done.returncode == 3 and empty in done.stderr
