"""Shared fixtures: store backends, a PostGIS cluster, a headless Chromium and the app."""

from __future__ import annotations

import contextlib
import os
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import psycopg
import pytest
from streamlit.testing.v1 import AppTest

from app.state import Keys
from bench._serve import CHROMIUM, CHROMIUM_ARGS, free_port, serve_streamlit
from geodata._pgcluster import (
    ClusterError,
    LocalCluster,
    create_database,
    temporary_cluster,
    url_for,
)
from geodata.auth import hash_password
from geodata.register import load_register
from geodata.schema import REGISTER_COLUMNS
from geodata.settings import ROOT_DIR, runtime
from geodata.store import ProjectStore, create_store


def app_test(monkeypatch: pytest.MonkeyPatch, store: str | Path, *, timeout: float = 60) -> AppTest:
    """Return the app under ``AppTest`` on ``store``, its map marked as drawn.

    The app reads its environment once per process (``runtime``): the store is
    set and the settings read again for this test. In a browser the map's frame
    reports once it has drawn and the page then sends its tabs
    (:func:`app.map_page.map_page`); ``AppTest`` runs no frame.
    """
    monkeypatch.setenv("CHANGZHI_STORE", str(store))
    runtime.cache_clear()
    at = AppTest.from_file(str(ROOT_DIR / "streamlit_app.py"), default_timeout=timeout)
    at.session_state[Keys.MAP_REPORTED] = True
    return at


class StoreFactory:
    """New stores of one backend for the store contract suite.

    ``factory(seed=frame)`` creates a store; ``factory.url(name)`` names a
    fresh location of the backend where no store exists yet (for PostGIS: a
    new, empty PostGIS database copied from a template).
    """

    def __init__(
        self, backend: str, folder: Path, *, new_database: Callable[[str], str] | None = None
    ) -> None:
        self.backend = backend
        self.folder = folder
        self._new_database = new_database
        self._made = 0
        self.stores: list[ProjectStore] = []

    def url(self, name: str = "") -> str:
        """Return a fresh, unused location of this backend."""
        self._made += 1
        stem = f"{name or 'store'}-{self._made}"
        if self.backend == "gpkg":
            return f"gpkg:{self.folder / stem}.gpkg"
        if self.backend == "postgis" and self._new_database is not None:
            return self._new_database(stem.replace("-", "_"))
        raise ValueError(f"unknown store backend {self.backend!r}")

    def __call__(
        self, seed: pd.DataFrame | Callable[[], pd.DataFrame] | None = None, *, name: str = ""
    ) -> ProjectStore:
        """Create a store from ``seed`` (default: the bundled register)."""
        store = create_store(self.url(name), seed=seed)
        self.stores.append(store)
        return store


@pytest.fixture(params=["gpkg", "postgis"])
def store_factory(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[StoreFactory]:
    """Make stores of each backend in turn (the contract suite runs once per backend)."""
    new_database = request.getfixturevalue("pg_database") if request.param == "postgis" else None
    factory = StoreFactory(request.param, tmp_path, new_database=new_database)
    yield factory
    for store in factory.stores:
        store.close()


ARTIFACTS = ROOT_DIR / "tests" / "artifacts"


@pytest.fixture(scope="session")
def artifacts() -> Path:
    """Folder for screenshots and other test artifacts (git-ignored)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[LocalCluster]:
    """A throw-away PostgreSQL 15 + PostGIS cluster, stopped and deleted after the session."""
    try:
        cluster = temporary_cluster()
        running = cluster.__enter__()
    except ClusterError as exc:
        pytest.fail(f"cannot start the test database: {exc}", pytrace=False)
    try:
        yield running
    finally:
        cluster.__exit__(None, None, None)


@pytest.fixture(scope="session")
def pg_url(pg_cluster: LocalCluster) -> str:
    """URL of the test cluster's PostGIS database (``postgresql://postgres@127.0.0.1:PORT/…``)."""
    return pg_cluster.url


@pytest.fixture(scope="session")
def _pg_template(pg_cluster: LocalCluster) -> str:
    """Name of an empty PostGIS database that new test databases are copied from."""
    create_database(pg_cluster.port, "postgis_template")
    return "postgis_template"


@pytest.fixture
def pg_database(pg_cluster: LocalCluster, _pg_template: str) -> Iterator[Callable[..., str]]:
    """Factory of new empty PostGIS databases on the test cluster, dropped after the test.

    ``make(prefix)`` returns the URL of a database named ``<prefix>_<random>``.
    """
    made: list[str] = []

    def make(prefix: str = "t") -> str:
        name = f"{prefix}_{uuid.uuid4().hex[:12]}".lower()
        with psycopg.connect(pg_cluster.url, autocommit=True) as con:
            con.execute(f"CREATE DATABASE {name} TEMPLATE {_pg_template}")
        made.append(name)
        return url_for(pg_cluster.port, name)

    yield make
    with (
        contextlib.suppress(psycopg.Error),
        psycopg.connect(pg_cluster.url, autocommit=True) as con,
    ):
        for name in made:
            con.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """Debian's Chromium, headless, driven by Playwright."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield b
        b.close()


# the planners' map: streamlit-folium's frontend, declared by app.map_frame.component
MAP_FRAME = "iframe[title='app.map_frame.st_folium']"

# hostile project names the map must show literally (canary: data-pwned on <body>);
# the last three are Jinja2 template code (folium renders with Jinja2), which must
# never be evaluated: shown as typed, never as "项目49X", "<class ...>" or an error
HOSTILE_NAMES = (
    '<img src=x onerror="document.body.dataset.pwned=1">',
    "${document.body.dataset.pwned=2}",
    "back`tick`${1+1}",
    "D:\\资料\\x4",
    "项目{{ 7*7 }}{% if 1 %}X{% endif %}{# c #}",
    "{{ this.__class__.__mro__ }}",
    "未闭合{% if",
)
HOSTILE_SPOTS = (
    (112.25, 36.55),
    (113.35, 36.55),
    (112.8, 36.35),
    (112.95, 36.62),
    (112.35, 36.7),
    (113.4, 36.3),
    (112.7, 36.55),
)
# a name longer than any surface's line: 2,000 characters, distinct prefixes
LONG_NAME = ("超长项目名称" + "甲乙丙丁戊己庚辛壬癸" * 200)[:2000]
# the full hostile set every surface is tested with: HOSTILE_NAMES, then maths,
# a spreadsheet formula, a right-to-left override, a long name and a markdown link
HOSTILE_TEXTS = (
    *HOSTILE_NAMES,
    "$\\frac{1}{2}$",
    '=HYPERLINK("http://evil.example","点我")',
    "项目\u202egnp.exe",
    LONG_NAME,
    "[点此](https://evil.example)",
)
# one spot per hostile text, away from the county seats and from each other
HOSTILE_TEXT_SPOTS = (
    *HOSTILE_SPOTS,
    (112.55, 36.15),
    (113.1, 36.85),
    (112.6, 36.8),
    (113.2, 36.05),
    (112.45, 36.35),
)


def hostile_register(*, names: tuple[str, ...] = HOSTILE_NAMES) -> pd.DataFrame:
    """Return the bundled register plus one industry project per hostile name.

    Project ``XSS-{k}`` carries ``names[k]`` in every text field and sits at
    ``HOSTILE_TEXT_SPOTS[k]``.
    """
    register = load_register()
    rows = []
    spots = HOSTILE_TEXT_SPOTS[: len(names)]
    for k, (name, (lon, lat)) in enumerate(zip(names, spots, strict=True)):
        row = {c: "" for c in REGISTER_COLUMNS}
        row.update(
            id=f"XSS-{k}",
            name_zh=name,
            name_en=name,
            category="industry",
            subcategory="electronics",
            company=name,
            location_text=name,
            lon=lon,
            lat=lat,
            precision="exact",
            stage="unknown",
            investment_yi=np.nan,
            capacity_value=np.nan,
            source_sentence=name,
        )
        rows.append(row)
    extra = gpd.GeoDataFrame(
        rows,
        geometry=gpd.points_from_xy([r["lon"] for r in rows], [r["lat"] for r in rows]),
        crs=register.crs,
    )
    return pd.concat([register, extra], ignore_index=True)


def wait_idle(page) -> None:
    """Wait until the app in ``page`` has no run in progress (its status widget is gone).

    A person acts on a page once it has settled; a click that lands while a
    run is still drawing can be lost (the map page's first report brings the
    rest of the page in a follow-up run).
    """
    page.wait_for_selector("[data-testid='stStatusWidget']", state="hidden", timeout=60_000)


@contextlib.contextmanager
def serve_app(store: Path | str, logs: Path, *, secrets: Path | None = None) -> Iterator[str]:
    """Run ``streamlit run streamlit_app.py`` on a free port until the block ends.

    ``store`` is a GeoPackage path or any store URL (``postgresql://...``),
    given to the app as ``CHANGZHI_STORE``; several servers may share one.
    """
    port = free_port()
    env = {**os.environ, "CHANGZHI_STORE": str(store), "TIANDITU_KEY": ""}
    options = [] if secrets is None else ["--secrets.files", str(secrets)]
    log = logs / f"streamlit-{port}.log"
    app = ROOT_DIR / "streamlit_app.py"
    with serve_streamlit(app, env=env, log=log, options=options, port=port) as served:
        yield served.url


@pytest.fixture(scope="session")
def app_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Serve the app; its store holds the register and the hostile names."""
    store = tmp_path_factory.mktemp("store") / "changzhi.gpkg"
    create_store(store, seed=hostile_register)
    with serve_app(store, tmp_path_factory.mktemp("log")) as url:
        yield url


STAFF_USER = "wang"
STAFF_PASSWORD = "s3cret-pass"


@pytest.fixture(scope="module")
def staff_app_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Serve the app with one local staff account and a fresh store of the register."""
    folder = tmp_path_factory.mktemp("staff")
    secrets = folder / "secrets.toml"
    secrets.write_text(
        f'[staff.users.{STAFF_USER}]\npassword_hash = "{hash_password(STAFF_PASSWORD)}"\n'
        'display_name = "王工"\n',
        encoding="utf-8",
    )
    create_store(folder / "changzhi.gpkg")
    with serve_app(folder / "changzhi.gpkg", folder, secrets=secrets) as url:
        yield url
