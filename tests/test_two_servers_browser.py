"""Two app servers on one PostGIS database, in headless Chromium.

Two ``streamlit run`` processes on different ports share one database, as two
servers behind one address would. A review edit committed by another staff
member (through the store, as a third server or the ingest command would)
appears in both on their next rerun: the map draws one more project.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from conftest import MAP_FRAME, serve_app

from geodata.register import load_register
from geodata.settings import WGS84
from geodata.store import Author, create_store, open_store

pytestmark = pytest.mark.browser

POINTS = """() => Object.values(window.czStats || {})
    .reduce((n, c) => n + (c.visible ? c.points : 0), 0)"""
OTHER_STAFF = Author("zhaoqiang", "赵强", "oidc")


def _register_and_one_unlocated() -> gpd.GeoDataFrame:
    """The bundled register plus one project awaiting a location (the review queue)."""
    register = load_register()
    waiting = register.iloc[:1].copy()
    waiting["id"] = "WAIT-1"
    waiting["lon"] = np.nan
    waiting["lat"] = np.nan
    waiting["precision"] = ""
    waiting = waiting.set_geometry(gpd.GeoSeries([None], crs=WGS84))
    return pd.concat([register, waiting], ignore_index=True)


def _drawn(page, url: str) -> int:
    """Open (or reload) the app and return how many projects the map draws."""
    page.goto(url)
    frame = page.wait_for_selector(MAP_FRAME, timeout=60_000).content_frame()
    frame.wait_for_function("Number(document.documentElement.dataset.czDrawn) > 0")
    return int(frame.evaluate(POINTS))


def test_a_commit_through_one_server_shows_in_the_other(browser, pg_database, tmp_path):
    url = pg_database("two_servers")
    create_store(url, seed=_register_and_one_unlocated).close()
    located = len(load_register())
    with serve_app(url, tmp_path) as first, serve_app(url, tmp_path) as second:
        assert first != second
        pages = [browser.new_page(viewport={"width": 1400, "height": 1000}) for _ in range(2)]
        try:
            for page in pages:
                page.set_default_timeout(60_000)
            assert _drawn(pages[0], first) == located
            assert _drawn(pages[1], second) == located
            # another staff member places the waiting project
            store = open_store(url)
            base = store.current_version()
            store.set_location(
                "WAIT-1", lon=113.12, lat=36.20, author=OTHER_STAFF, base_version=base
            )
            store.close()
            # each server shows it on its next rerun, without a restart
            assert _drawn(pages[1], second) == located + 1
            assert _drawn(pages[0], first) == located + 1
        finally:
            for page in pages:
                page.close()
