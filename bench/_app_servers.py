"""Stores, project files and ``streamlit run`` servers for :mod:`bench.bench_app_browser`."""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd
import psutil

from bench._serve import ROOT, serve_streamlit
from bench.synthetic import synthetic_projects
from geodata.divisions import BY_ADCODE
from geodata.i18n import Lang, label
from geodata.schema import REGISTER_COLUMNS, Category, Stage, Subcategory
from geodata.settings import MAX_IMPORT_ROWS
from geodata.store import create_store

if TYPE_CHECKING:
    from collections.abc import Iterator

    import geopandas as gpd

START_TIMEOUT_S = 120
# rows per import file: under MAX_IMPORT_ROWS and, at about 100 bytes a row, under
# the 20 MiB upload limit (200,000 rows made a 24 MiB file)
FILE_ROWS = min(MAX_IMPORT_ROWS, 100_000)


@dataclass(frozen=True)
class BenchData:
    """One size's inputs: our store, the plain apps' GeoPackage, import seconds."""

    n: int
    store: Path
    plain: Path
    ingest_s: float


@dataclass(frozen=True)
class Server:
    """A running ``streamlit run`` process."""

    url: str
    pid: int
    log: Path

    def rss_mib(self) -> float:
        """Return the resident memory of the server process in MiB."""
        return psutil.Process(self.pid).memory_info().rss / 2**20


def env() -> dict[str, str]:
    """Environment for child processes: this checkout's code first, no tile key."""
    return {**os.environ, "PYTHONPATH": str(ROOT), "TIANDITU_KEY": ""}


def _new_empty_store(path: Path) -> None:
    """Create an empty store for the benchmark's imports."""
    create_store(path, seed=pd.DataFrame(columns=list(REGISTER_COLUMNS)))


def _import_table(projects: gpd.GeoDataFrame) -> pd.DataFrame:
    """Write projects the way a staff spreadsheet has them (Chinese headers and labels)."""
    return pd.DataFrame(
        {
            "项目编号": projects["id"],
            "项目名称": projects["name_zh"],
            "英文名称": projects["name_en"],
            "类别": [label(Category(v), Lang.ZH) for v in projects["category"]],
            "子类": [label(Subcategory(v), Lang.ZH) for v in projects["subcategory"]],
            "所在县区": [BY_ADCODE[a].name_zh for a in projects["county_adcode"]],
            "建设地点": projects["location_text"],
            "总投资(亿元)": projects["investment_yi"],
            "建设阶段": [label(Stage(v), Lang.ZH) for v in projects["stage"]],
            "经度": projects["lon"],
            "纬度": projects["lat"],
        }
    )


def _ingest(projects: gpd.GeoDataFrame, store: Path, folder: Path) -> None:
    """Import projects with the ingest CLI, in files within the row and size limits."""
    for k, start in enumerate(range(0, len(projects), FILE_ROWS)):
        part = projects.iloc[start : start + FILE_ROWS]
        csv = folder / f"import-{len(projects)}-{k}.csv"
        report = csv.with_suffix(".json")
        _import_table(part).to_csv(csv, index=False, encoding="utf-8")
        command = [sys.executable, "-m", "geodata.ingest", str(csv)]
        command += ["--store", str(store), "--report", str(report), "--message", "bench"]
        done = subprocess.run(command, cwd=ROOT, env=env(), capture_output=True, text=True)
        if done.returncode != 0:
            raise RuntimeError(f"ingest failed: {done.stderr.strip()}")
        accepted = json.loads(report.read_text(encoding="utf-8"))["accepted"]
        if accepted != len(part):
            raise RuntimeError(f"ingest accepted {accepted} of {len(part)} rows; see {report}")


def build_data(n: int, folder: Path) -> BenchData:
    """Make ``n`` synthetic projects, import them into a new store, write the plain file.

    Parameters
    ----------
    n : int
        Number of projects.
    folder : Path
        Where the store, the import files and the GeoPackage go.

    Returns
    -------
    BenchData
        Paths and the seconds the ingest CLI took.
    """
    projects = synthetic_projects(n)
    store = folder / f"store-{n}.gpkg"
    # a kept --workdir holds the last run's files: start from new ones
    for old in (store, folder / f"projects-{n}.gpkg"):
        old.unlink(missing_ok=True)
    _new_empty_store(store)
    start = time.perf_counter()
    _ingest(projects, store, folder)
    ingest_s = time.perf_counter() - start
    # the plain apps read the same projects from a planner's GeoPackage
    plain = folder / f"projects-{n}.gpkg"
    frame = projects[["id", "name_zh", "category", "investment_yi", "lon", "lat", "geometry"]]
    frame = frame.assign(county=[BY_ADCODE[a].name_zh for a in projects["county_adcode"]])
    frame.to_file(plain, driver="GPKG")
    return BenchData(n=n, store=store, plain=plain, ingest_s=ingest_s)


@contextlib.contextmanager
def serve(script: Path, *, extra_env: dict[str, str], log: Path) -> Iterator[Server]:
    """Run ``streamlit run script`` on a free loopback port until the block ends.

    Parameters
    ----------
    script : Path
        The app file.
    extra_env : dict of str to str
        Added to the environment (``CHANGZHI_STORE``, ``BENCH_PROJECTS``).
    log : Path
        Where the server's output goes.

    Yields
    ------
    Server
        URL and process id.
    """
    full_env = {**env(), **extra_env}
    with serve_streamlit(script, env=full_env, log=log, timeout=START_TIMEOUT_S) as served:
        yield Server(url=served.url, pid=served.pid, log=log)
