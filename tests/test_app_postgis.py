"""The app on a PostGIS store (AppTest): another writer's commit shows on the next rerun,
and a stopped database server gives a clear message, then the app recovers without a restart.
"""

from __future__ import annotations

import geopandas as gpd
import pytest
from conftest import app_test
from streamlit.testing.v1 import AppTest

from geodata.register import load_register
from geodata.settings import ROOT_DIR, WGS84, runtime
from geodata.store import Author, create_store, open_store

APP = str(ROOT_DIR / "streamlit_app.py")
COUNT = "当前筛选项目数"
OTHER_STAFF = Author("zhaoqiang", "赵强", "oidc")


@pytest.fixture
def pg_app(pg_database, monkeypatch):
    url = pg_database("app")
    create_store(url).close()
    yield url, app_test(monkeypatch, url, timeout=60)
    runtime.cache_clear()


def _metric(at: AppTest, label: str) -> str:
    for m in at.metric:
        if m.label == label:
            return m.value
    raise AssertionError(f"no metric {label!r}: {[m.label for m in at.metric]}")


def test_commit_by_another_writer_shows_then_server_stop_and_recovery(pg_app, pg_cluster):
    url, at = pg_app
    at.run()
    assert not at.exception
    located = int(load_register().geometry.notna().sum())
    assert _metric(at, COUNT) == str(located)
    # another staff member commits through the store (another server, the ingest cli)
    store = open_store(url)
    row = gpd.GeoDataFrame(
        {
            "id": ["PG-NEW"],
            "name_zh": ["新项目"],
            "category": "energy",
            "subcategory": "photovoltaic",
            "county_adcode": "140403",
            "precision": "exact",
            "stage": "construction",
        },
        geometry=gpd.points_from_xy([113.12], [36.2]),
        crs=WGS84,
    )
    base = store.current_version()
    store.commit(row, author=OTHER_STAFF, base_version=base, message="另一台服务器")
    store.close()
    at.run()
    assert not at.exception
    assert _metric(at, COUNT) == str(located + 1)
    pg_cluster.stop()
    try:
        at.run()
        assert not at.exception
        shown = " ".join(e.value for e in at.error)
        assert "项目库暂时无法读取" in shown and "database unreachable" in shown
        assert "Traceback" not in shown
    finally:
        pg_cluster.start()
    # the same process, no restart: the next rerun reads again
    at.run()
    assert not at.exception
    assert not at.error
    assert _metric(at, COUNT) == str(located + 1)
