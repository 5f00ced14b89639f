"""PostGIS store against the real test cluster: versions, lost updates, failures, concurrency.

Tests that take ``store`` or ``store_factory`` use only the store seam
(:mod:`geodata.store.base`), so they can run on either backend once the
contract suite parametrises ``store_factory``. The rest look at the database
itself (tables, schema version, a stopped server, killed writers).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import warnings
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import psycopg
import pytest

from bench.writers import OUTCOME_COLUMNS, lost_updates, run_writers
from geodata.coords import convert
from geodata.register import load_register
from geodata.settings import WGS84
from geodata.store import Store
from geodata.store._pgschema import SCHEMA_VERSION, upgrade
from geodata.store.base import (
    Action,
    Author,
    OutsideCountyWarning,
    SchemaMismatch,
    StaleBase,
    StoreBusy,
    StoreError,
    StoreNotFound,
)
from geodata.store.postgis import PostgisStore, engine_url, make_engine

ROOT = Path(__file__).resolve().parent.parent
WANG = Author("wangli", "王丽")
ZHAO = Author("zhaoqiang", "赵强", "oidc")
# hostile names of the shared brief, stored and read back literally
HOSTILE = (
    '<img src=x onerror="document.body.dataset.pwned=1">',
    "${document.body.dataset.pwned=2}",
    "back`tick`${1+1}",
    "$\\frac{1}{2}$",
    "D:\\资料\\x4",
    '=HYPERLINK("http://x","y")',
    "\u202eevil\u202c",
    "长" * 2000,
    "[点此](https://evil.example)",
    'a,"b"\nc\\N\t,NULL,',
)


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


@pytest.fixture
def store_factory(pg_database):
    """Make a new store (own database) from a seed frame or callable."""
    made = []

    def make(seed):
        store = PostgisStore.create(pg_database(), seed=seed)
        made.append(store)
        return store

    yield make
    for store in made:
        store.close()


@pytest.fixture
def store(store_factory):
    return store_factory(frame(["A", "B"]))


def _register(store):
    return store.projects(include_unlocated=True)


# creating and reading


def test_created_store_reads_like_the_geopackage_store(store_factory, tmp_path):
    pg = store_factory(load_register)
    gpkg = Store(tmp_path / "s.gpkg", seed=load_register)
    ours, theirs = _register(pg), gpkg.projects(include_unlocated=True)
    pd.testing.assert_frame_equal(ours.drop(columns="geometry"), theirs.drop(columns="geometry"))
    assert ours.geometry.geom_equals(theirs.geometry).sum() == theirs.geometry.notna().sum()
    assert ours.geometry.isna().equals(theirs.geometry.isna())
    assert ours.crs == theirs.crs
    located = pg.projects()
    assert len(located) == int(theirs.geometry.notna().sum())
    assert located.geometry.notna().all()
    first = pg.history().iloc[0]
    assert (first["version"], first["action"], first["n_projects"]) == (1, "create", len(theirs))
    assert pg.current_version() == 1


def test_hostile_text_round_trips_exactly(store_factory):
    seed = frame([f"H{k}" for k in range(len(HOSTILE))]).drop(columns="geometry")
    for col in ("name_zh", "name_en", "company", "location_text", "source_sentence"):
        seed[col] = list(HOSTILE)
    seed.loc[0, "investment_yi"] = np.nan
    seed.loc[1, "lon"] = 113.123456789012345
    store = store_factory(seed)
    back = _register(store)
    assert back["name_zh"].tolist() == list(HOSTILE)
    assert back["source_sentence"].tolist() == list(HOSTILE)
    assert np.isnan(back.loc[0, "investment_yi"])
    assert back.loc[1, "lon"] == 113.123456789012345


def test_tables_are_created_by_our_schema(store):
    with psycopg.connect(engine_url_text(store)) as con:
        geom = con.execute(
            "SELECT type, srid FROM geometry_columns WHERE f_table_name = 'projects'"
        ).fetchone()
        index = con.execute(
            "SELECT indexdef FROM pg_indexes WHERE tablename = 'projects' AND indexdef ILIKE "
            "'%gist%'"
        ).fetchone()
        meta = con.execute("SELECT value FROM store_meta WHERE key = 'schema_version'").fetchone()
    assert geom == ("POINT", 4326)
    assert "geom" in index[0]
    assert meta == (str(SCHEMA_VERSION),)


def engine_url_text(store):
    """Connection URL of a test store (trust auth: no password)."""
    return engine_url(store.url).set(drivername="postgresql").render_as_string()


# versions


def test_commit_adds_and_updates_and_keeps_the_old_version(store):
    v1 = store.projects()
    version = store.commit(
        frame(["B", "C"], name="新"), author=WANG, base_version=1, message="2025 清单"
    )
    assert version == 2 == store.current_version()
    now = store.projects()
    assert now["id"].tolist() == ["A", "B", "C"]
    assert now.set_index("id").loc["B", "name_zh"] == "新B"
    latest = store.history().iloc[0]
    assert latest[["who", "who_name", "who_source", "action", "message"]].tolist() == [
        "wangli",
        "王丽",
        "local",
        "import",
        "2025 清单",
    ]
    assert latest[["n_projects", "added", "updated", "removed"]].tolist() == [3, 1, 1, 0]
    pd.testing.assert_frame_equal(
        store.projects(version=1).drop(columns="geometry"), v1.drop(columns="geometry")
    )
    changes = store.version_changes(2).set_index("id")
    assert changes["change"].to_dict() == {"B": "updated", "C": "added"}
    assert changes.loc["B", ["before_name_zh", "after_name_zh"]].tolist() == ["项目B", "新B"]
    assert pd.isna(changes.loc["C", "before_name_zh"])


def test_commit_replace_removes_missing_projects(store):
    store.commit(frame(["B"]), author=WANG, base_version=1, message="只留 B", replace=True)
    assert store.projects()["id"].tolist() == ["B"]
    latest = store.history().iloc[0]
    assert latest[["n_projects", "added", "updated", "removed"]].tolist() == [1, 0, 0, 1]
    changes = store.version_changes(2)
    assert changes[["id", "change"]].values.tolist() == [["A", "removed"]]
    assert changes.loc[0, "before_name_zh"] == "项目A"


def test_history_is_newest_first_with_every_column(store):
    store.commit(frame(["C"]), author=WANG, base_version=1, message="c")
    store.set_location("A", lon=113.12, lat=36.20, author=ZHAO, base_version=2)
    history = store.history()
    assert list(history.columns) == [
        "version",
        "created_at",
        "who",
        "who_name",
        "who_source",
        "action",
        "message",
        "n_projects",
        "added",
        "updated",
        "removed",
        "restored_from",
    ]
    assert history["version"].tolist() == [3, 2, 1]
    assert history["who_source"].tolist() == ["oidc", "local", "system"]
    assert history["created_at"].is_monotonic_decreasing
    assert history["created_at"].str.match(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$").all()


def test_restore_brings_back_an_earlier_version(store):
    original = store.projects()
    store.commit(frame(["C"], name="新"), author=WANG, base_version=1, message="c")
    store.set_location("A", lon=113.12, lat=36.20, author=WANG, base_version=2)
    version = store.restore(1, author=ZHAO, base_version=3)
    assert version == 4
    pd.testing.assert_frame_equal(store.projects(), original)
    latest = store.history().iloc[0]
    assert (latest["action"], latest["restored_from"], latest["removed"]) == ("restore", 1, 1)
    with pytest.raises(KeyError):
        store.restore(99, author=ZHAO, base_version=4)
    assert store.current_version() == 4


def test_revert_undoes_exactly_one_version(store):
    store.set_location("A", lon=113.12, lat=36.20, author=WANG, base_version=1)  # 2
    store.commit(frame(["B", "C"], name="新"), author=ZHAO, base_version=2, message="b c")  # 3
    version = store.revert(2, author=ZHAO, base_version=3)
    now = store.projects().set_index("id")
    assert (now.loc["A", "lon"], now.loc["A", "lat"]) == (113.1163, 36.1955)
    assert now.loc["B", "name_zh"] == "新B"
    assert "C" in now.index
    latest = store.history().iloc[0]
    assert (latest["version"], latest["action"], latest["restored_from"]) == (version, "revert", 2)
    # reverting the import removes C and brings B back, A stays
    store.revert(3, author=ZHAO, base_version=version)
    assert store.projects()["name_zh"].tolist() == ["项目A", "项目B"]


def test_revert_refuses_when_a_later_version_changed_the_project(store):
    store.set_location("A", lon=113.12, lat=36.20, author=WANG, base_version=1)  # 2
    store.set_location("A", lon=113.13, lat=36.21, author=ZHAO, base_version=2)  # 3
    with pytest.raises(StaleBase) as err:
        store.revert(2, author=WANG, base_version=3)
    assert [(c.project_id, c.version) for c in err.value.conflicts] == [("A", 3)]
    assert store.current_version() == 3


def test_missing_version_is_a_key_error(store):
    with pytest.raises(KeyError):
        store.projects(version=7)
    with pytest.raises(KeyError):
        store.version_changes(7)


# lost updates


def test_stale_base_touching_a_changed_project_is_refused(store):
    base = store.current_version()
    store.set_location("A", lon=113.12, lat=36.20, author=ZHAO, base_version=base)
    before = store.projects()
    with pytest.raises(StaleBase) as err:
        store.commit(frame(["A"], name="旧"), author=WANG, base_version=base, message="x")
    assert "A" in str(err.value)
    assert "赵强" in str(err.value)
    (conflict,) = err.value.conflicts
    assert (conflict.project_id, conflict.version) == ("A", 2)
    assert "zhaoqiang" in conflict.who
    assert store.current_version() == 2
    pd.testing.assert_frame_equal(store.projects(), before)
    with pytest.raises(StaleBase):
        store.set_location("A", lon=113.13, lat=36.21, author=WANG, base_version=base)
    with pytest.raises(StaleBase):
        store.restore(1, author=WANG, base_version=base)


def test_stale_base_touching_other_projects_goes_through(store):
    base = store.current_version()
    store.set_location("A", lon=113.12, lat=36.20, author=ZHAO, base_version=base)
    version = store.commit(frame(["B", "C"], name="新"), author=WANG, base_version=base, message="")
    assert version == 3
    now = store.projects().set_index("id")
    assert now.loc["A", "lon"] == 113.12
    assert now.loc["B", "name_zh"] == "新B"
    # a row equal to the current one changes nothing, so it is no conflict either
    same = store.projects().query("id == 'A'")
    assert store.commit(same, author=WANG, base_version=base, message="same") == 4


def test_base_version_from_the_future_is_refused(store):
    with pytest.raises(ValueError, match="base version 5"):
        store.commit(frame(["C"]), author=WANG, base_version=5, message="")


# review edits


def test_set_location_converts_and_records_one_row(store):
    gcj = convert(lon=113.12, lat=36.20, src="wgs84", dst="gcj02")
    version = store.set_location(
        "B", lon=gcj[0], lat=gcj[1], crs="gcj02", author=WANG, base_version=1, precision="place"
    )
    row = store.projects().set_index("id").loc["B"]
    assert abs(row["lon"] - 113.12) < 1e-6 and abs(row["lat"] - 36.20) < 1e-6
    assert row["precision"] == "place"
    assert store.version_changes(version)["id"].tolist() == ["B"]
    assert store.history().iloc[0]["action"] == Action.EDIT


def test_one_point_edit_reads_only_its_row(store, monkeypatch):
    from geodata.store import _pgio

    real = _pgio.current_rows

    def only_some(con, ids=None):
        assert ids == ["A"], ids
        return real(con, ids)

    monkeypatch.setattr(_pgio, "current_rows", only_some)
    monkeypatch.setattr(_pgio, "copy_out", None)  # no whole-register read either
    version = store.set_location("A", lon=113.12, lat=36.20, author=WANG, base_version=1)
    assert version == 2
    monkeypatch.undo()
    assert store.projects().set_index("id").loc["A", "lon"] == 113.12


def test_set_location_outside_the_city_writes_nothing(store):
    with pytest.raises(ValueError, match="outside"):
        store.set_location("A", lon=116.4, lat=39.9, author=WANG, base_version=1)
    with pytest.raises(KeyError):
        store.set_location("ZZ", lon=113.12, lat=36.20, author=WANG, base_version=1)
    assert store.current_version() == 1


def test_set_location_in_another_county_warns_and_notes(store):
    with pytest.warns(OutsideCountyWarning):
        store.set_location("A", lon=112.8, lat=36.35, author=WANG, base_version=1)
    assert "outside the stated county" in store.history().iloc[0]["message"]
    with warnings.catch_warnings():
        warnings.simplefilter("error", OutsideCountyWarning)
        store.set_location("B", lon=113.12, lat=36.20, author=WANG, base_version=2)


def test_review_queue_lists_unlocated_first_then_coarse(store_factory):
    seed = frame(["A", "B", "C", "D"])
    seed.loc[seed["id"] == "B", ["lon", "lat"]] = np.nan
    seed.loc[seed["id"] == "C", "precision"] = "county"
    seed.loc[seed["id"] == "D", "precision"] = ""
    store = store_factory(seed.drop(columns="geometry"))
    assert store.review_queue()["id"].tolist() == ["B", "C", "D"]
    assert store.projects()["id"].tolist() == ["A", "C", "D"]


# failures


def test_schema_mismatch_names_both_versions(store):
    with psycopg.connect(engine_url_text(store), autocommit=True) as con:
        con.execute("UPDATE store_meta SET value = '99' WHERE key = 'schema_version'")
    with pytest.raises(SchemaMismatch, match=rf"99.*{SCHEMA_VERSION}"):
        PostgisStore(engine_url_text(store))
    engine = make_engine(engine_url_text(store))
    with pytest.raises(SchemaMismatch, match="newer"):
        upgrade(engine)
    engine.dispose()


def test_upgrade_of_a_current_store_changes_nothing(store):
    engine = make_engine(engine_url_text(store))
    assert upgrade(engine) == SCHEMA_VERSION
    engine.dispose()
    assert store.current_version() == 1


def test_missing_database_is_store_not_found_without_password(pg_cluster):
    url = f"postgresql://postgres:hunter2@127.0.0.1:{pg_cluster.port}/no_such_db"
    with pytest.raises(StoreNotFound) as err:
        PostgisStore(url)
    assert "no_such_db" in str(err.value)
    assert "hunter2" not in str(err.value)


def test_database_without_a_store_is_store_not_found(pg_database):
    with pytest.raises(StoreNotFound, match="init"):
        PostgisStore(pg_database())


def test_create_refuses_an_existing_store(store):
    with pytest.raises(StoreError, match="already"):
        PostgisStore.create(engine_url_text(store), seed=frame(["X"]))
    assert store.projects()["id"].tolist() == ["A", "B"]


def test_unreachable_server_is_a_clear_error():
    from geodata._pgcluster import free_port

    with pytest.raises(StoreError, match=r"数据库无法连接.*database unreachable"):
        PostgisStore(f"postgresql://postgres:pw@127.0.0.1:{free_port()}/changzhi")


def test_stopped_server_gives_a_clear_error_then_recovers(pg_cluster, store):
    assert store.current_version() == 1
    pg_cluster.stop()
    try:
        with pytest.raises(StoreError, match="数据库无法连接") as err:
            store.current_version()
        assert "database unreachable" in str(err.value)
        with pytest.raises(StoreError, match="database unreachable"):
            store.set_location("A", lon=113.12, lat=36.20, author=WANG, base_version=1)
    finally:
        pg_cluster.start()
    assert store.current_version() == 1
    assert store.set_location("A", lon=113.12, lat=36.20, author=WANG, base_version=1) == 2


def test_serialization_failures_and_deadlocks_are_retried_inside(store, monkeypatch):
    from geodata.store import _pgio

    real = _pgio.conflicts
    failures = [psycopg.errors.SerializationFailure("x"), psycopg.errors.DeadlockDetected("y")]

    def flaky(*args, **kwargs):
        if failures:
            raise failures.pop()
        return real(*args, **kwargs)

    monkeypatch.setattr(_pgio, "conflicts", flaky)
    assert store.set_location("A", lon=113.12, lat=36.20, author=WANG, base_version=1) == 2
    assert not failures
    assert store.history()["version"].tolist() == [2, 1]


def test_endless_serialization_failures_end_busy_with_nothing_written(store, monkeypatch):
    from geodata.store import _pgio

    def always(*args, **kwargs):
        raise psycopg.errors.SerializationFailure("x")

    monkeypatch.setattr(_pgio, "conflicts", always)
    store.retries = 2
    with pytest.raises(StoreBusy, match="nothing was written"):
        store.set_location("A", lon=113.12, lat=36.20, author=WANG, base_version=1)
    assert store.current_version() == 1


KILLED_WRITER = """
    import sys, time
    import geopandas as gpd
    from geodata.store import _pgio
    from geodata.store.base import Author
    from geodata.store.postgis import PostgisStore

    real = _pgio.record

    def stall(*args, **kwargs):
        # the whole write done inside the open transaction, then wait to be killed
        version = real(*args, **kwargs)
        print("MID-TRANSACTION", version, flush=True)
        time.sleep(120)

    _pgio.record = stall
    s = PostgisStore(sys.argv[1])
    ids = [f"X{i}" for i in range(5000)]
    big = gpd.GeoDataFrame({"id": ids, "name_zh": "半截"},
                           geometry=gpd.points_from_xy([113.0] * 5000, [36.2] * 5000),
                           crs="EPSG:4326")
    s.commit(big, author=Author("killed"), base_version=s.current_version(),
             message="never lands", replace=True)
"""


def test_killed_writer_leaves_the_previous_version_whole(store):
    before = store.projects()
    child = subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(KILLED_WRITER), engine_url_text(store)],
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    try:
        line = child.stdout.readline()
        assert line.startswith("MID-TRANSACTION 2"), line
        os.kill(child.pid, signal.SIGKILL)
        child.wait(timeout=10)
    finally:
        if child.poll() is None:
            child.kill()
        child.stdout.close()
    assert store.current_version() == 1
    pd.testing.assert_frame_equal(store.projects(), before)
    assert len(store.history()) == 1
    # the dead writer's lock is gone: the next write goes through at once
    assert store.set_location("A", lon=113.12, lat=36.20, author=WANG, base_version=1) == 2


# concurrency with real processes

WRITERS = 20
EDITS = 50
POOL_IDS = [f"P{k:02d}" for k in range(20)]


def test_twenty_writers_lose_nothing(store_factory):
    store = store_factory(frame(POOL_IDS))
    url = engine_url_text(store)
    store.close()
    outcomes, _ = run_writers(url, writers=WRITERS, edits=EDITS, ids=POOL_IDS, timeout=300)
    assert len(outcomes) == WRITERS * EDITS
    errors = outcomes[outcomes["outcome"] == "error"]
    assert errors.empty, errors.head().to_string()
    ok = outcomes[outcomes["outcome"] == "ok"].sort_values("version")
    assert 0 < len(ok) < len(outcomes)  # some refused: the writers really raced
    # every committed edit is one version in the history, and nothing else is
    history = store.history()
    assert len(history) == len(ok) + 1
    assert history["version"].tolist() == list(range(len(ok) + 1, 0, -1))
    recorded = history.set_index("version").loc[ok["version"].astype(int), "message"].tolist()
    assert recorded == ok["tag"].tolist()
    assert lost_updates(outcomes) == 0
    # the register holds the last committed name and point of every project
    final = store.projects().set_index("id")
    for pid, edits in ok.groupby("id"):
        names, points = edits[edits["lon"].isna()], edits[edits["lon"].notna()]
        if len(names):
            assert final.loc[pid, "name_zh"] == names["tag"].iloc[-1]
        if len(points):
            assert (
                final.loc[pid, ["lon", "lat"]].tolist() == points[["lon", "lat"]].iloc[-1].tolist()
            )


def test_lost_updates_are_counted():
    outcomes = pd.DataFrame(
        [("ok", "A", "x", 1, 2, None, None), ("ok", "A", "y", 1, 3, None, None)],
        columns=list(OUTCOME_COLUMNS),
    )
    assert lost_updates(outcomes) == 1
    outcomes.loc[1, "base"] = 2
    assert lost_updates(outcomes) == 0
