"""Every extract the app offers imports back unchanged, and re-importing it writes nothing."""

from __future__ import annotations

import json
import math

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from conftest import HOSTILE_SPOTS, HOSTILE_TEXTS, hostile_register

from geodata.auth import system_identity
from geodata.ingest import commit_import, import_table, main
from geodata.schema import REGISTER_COLUMNS
from geodata.store import create_store
from layers.export.extracts import extract_bytes

# the contract's hostile texts, and formula-like cells the spreadsheets must keep as text
HOSTILE = (*HOSTILE_TEXTS, "-3万", "@SUM(A1)", "+1")
FORMATS = [(f, zh) for f in ("csv", "xlsx", "geojson", "gpkg") for zh in (False, True)]


def _store_frame() -> gpd.GeoDataFrame:
    """The bundled register, its hostile rows, and more hostile texts in every text field."""
    frame = hostile_register()
    rows = []
    for k, text in enumerate(HOSTILE):
        lon, lat = HOSTILE_SPOTS[k % len(HOSTILE_SPOTS)]
        rows.append(
            {c: "" for c in REGISTER_COLUMNS}
            | {
                "id": f"HX-{k:02d}",
                "name_zh": text,
                "name_en": text,
                "category": "livelihood",
                "subcategory": "culture_tourism",
                "company": text,
                "county_adcode": "140403" if k % 2 else "",
                "location_text": text,
                "lon": lon + k * 1e-4,
                "lat": lat,
                "precision": "place" if k % 3 else "county",
                "stage": "construction",
                "investment_yi": 0.25 * k if k % 2 else np.nan,
                "capacity_value": 12.5 if k % 4 == 1 else np.nan,
                "capacity_unit": "MW" if k % 4 == 1 else "",
                "capacity_text": text,
                "source_sentence": text,
            }
        )
    extra = gpd.GeoDataFrame(
        rows, geometry=gpd.points_from_xy([r["lon"] for r in rows], [r["lat"] for r in rows]),
        crs=frame.crs,
    )  # fmt: skip
    return pd.concat([frame, extra], ignore_index=True)


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    frame = _store_frame()
    return create_store(tmp_path_factory.mktemp("rt") / "store.gpkg", seed=lambda: frame)


def _same_values(got: pd.DataFrame, want: pd.DataFrame) -> None:
    got = got.set_index("id").sort_index()
    want = want.set_index("id").sort_index()
    assert list(got.index) == list(want.index)
    for col in REGISTER_COLUMNS[1:]:
        for pid, a, b in zip(want.index, got[col], want[col], strict=True):
            if isinstance(b, float):
                assert (math.isnan(a) and math.isnan(b)) or a == b, (pid, col, a, b)
            else:
                assert a == b, (pid, col, a, b)


@pytest.mark.parametrize(("fmt", "chinese"), FORMATS)
def test_extract_imports_back_unchanged(store, fmt, chinese):
    projects = store.projects()
    data = extract_bytes(projects, fmt=fmt, chinese_headers=chinese)
    result = import_table(
        data,
        filename=f"extract.{fmt}",
        existing=store.projects(include_unlocated=True),
        base_version=store.current_version(),
    )
    rep = result.report
    assert rep.total == len(projects)
    assert rep.rejected == [] and rep.warnings == [] and rep.unresolved == []
    assert rep.changes == []
    assert (rep.added, rep.updated, rep.unchanged) == (0, 0, len(projects))
    assert rep.nothing_changed
    _same_values(pd.DataFrame(result.projects), pd.DataFrame(projects))
    # same points, not only the same lon/lat columns
    assert result.projects.geometry.geom_equals(projects.set_index("id").loc[
        result.projects["id"]].geometry.reset_index(drop=True)).all()  # fmt: skip


@pytest.mark.parametrize("matched", [True, False])
def test_reimporting_an_unchanged_extract_writes_nothing(store, matched):
    before = store.current_version()
    history = len(store.history())
    data = extract_bytes(store.projects(), fmt="xlsx", chinese_headers=True)
    # checked against the store, or without it (then the commit matches against the store)
    existing = store.projects(include_unlocated=True) if matched else None
    result = import_table(data, filename="extract.xlsx", existing=existing, base_version=before)
    version = commit_import(result, store=store, author=system_identity("tester").author())
    assert version is None
    assert result.report.nothing_changed and result.report.committed_version is None
    assert "没有任何改动" in result.report.summary()
    assert store.current_version() == before
    assert len(store.history()) == history


def test_cli_reimport_of_an_extract_is_a_no_op(store, tmp_path, capsys):
    extract = tmp_path / "extract.csv"
    extract.write_bytes(extract_bytes(store.projects(), fmt="csv"))
    before = store.current_version()
    report = tmp_path / "r.json"
    code = main([str(extract), "--store", str(store.path), "--report", str(report)])
    assert code == 0
    doc = json.loads(report.read_text(encoding="utf-8"))
    assert doc["nothing_changed"] and doc["committed_version"] is None
    assert doc["changes"] == [] and doc["warnings"] == []
    assert "nothing changed" in capsys.readouterr().out
    assert store.current_version() == before


def test_an_edited_extract_changes_only_what_was_edited(store):
    projects = store.projects()
    edited = projects.copy()
    edited.loc[edited["id"] == "CZ25-002", "company"] = "新的建设单位"
    data = extract_bytes(edited, fmt="csv", chinese_headers=True)
    result = import_table(
        data, filename="edited.csv", existing=store.projects(include_unlocated=True)
    )
    rep = result.report
    assert (rep.added, rep.updated) == (0, 1)
    fields = {(c.id, c.field) for c in rep.changes}
    assert fields == {("CZ25-002", "company"), ("CZ25-002", "source_sentence")}
    change = next(c for c in rep.changes if c.field == "company")
    assert change.new == "新的建设单位" and change.old == "山西霍家工业有限公司"
    assert result.changed_ids == ("CZ25-002",)
    row = result.preview.set_index("id").loc["CZ25-002"]
    assert "company: 山西霍家工业有限公司 → 新的建设单位" in row["changes"]
