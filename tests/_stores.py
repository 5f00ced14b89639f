"""Small registers, authors and comparisons shared by the store tests."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

from geodata.schema import register_frame
from geodata.settings import WGS84
from geodata.store import Author

ROOT = Path(__file__).resolve().parent.parent
STAFF = Author("wangli", "王丽", "local")
OTHER = Author("zhaoqiang", "赵强", "oidc")


def frame(ids, *, lon=113.1163, lat=36.1955, name="项目"):
    n = len(ids)
    return gpd.GeoDataFrame(
        {
            "id": ids,
            "name_zh": [f"{name}{i}" for i in ids],
            "category": "energy",
            "subcategory": "photovoltaic",
            "county_adcode": "140403",
            "lon": [lon] * n,
            "lat": [lat] * n,
            "precision": "exact",
            "stage": "construction",
            "investment_yi": [1.5] * n,
            "source_sentence": "测试",
        },
        geometry=gpd.points_from_xy([lon] * n, [lat] * n),
        crs=WGS84,
    )


def unlocated(pid):
    row = frame([pid])
    row["lon"] = np.nan
    row["lat"] = np.nan
    row["precision"] = ""
    return register_frame(row.set_geometry(gpd.GeoSeries([None], crs=WGS84)))


def assert_same_store(a, b):
    """Same history, and the same register, plans and progress at every version and now."""
    pd.testing.assert_frame_equal(a.history(), b.history())
    for version in a.history()["version"]:
        pd.testing.assert_frame_equal(
            a.projects(version=int(version), include_unlocated=True),
            b.projects(version=int(version), include_unlocated=True),
        )
        pd.testing.assert_frame_equal(
            a.version_changes(int(version)), b.version_changes(int(version))
        )
        pd.testing.assert_frame_equal(a.plans(version=int(version)), b.plans(version=int(version)))
        pd.testing.assert_frame_equal(
            a.progress(version=int(version)), b.progress(version=int(version))
        )
    pd.testing.assert_frame_equal(
        a.projects(include_unlocated=True), b.projects(include_unlocated=True)
    )
    pd.testing.assert_frame_equal(a.plans(), b.plans())
    pd.testing.assert_frame_equal(a.progress(), b.progress())
    assert a.is_demo == b.is_demo
