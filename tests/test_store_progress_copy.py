"""Plans and progress survive copies and backups, and restore/revert leave them alone.

On both backends (``store_factory``): a store with register imports, a plan
import, two progress imports carrying hostile 形象进度 text and an edit is
copied to the other backend and back, and backed up and restored; every
version's projects, plans and progress read the same.
"""

from __future__ import annotations

import pandas as pd
import pytest
from _stores import OTHER, STAFF, assert_same_store, frame
from conftest import HOSTILE_TEXTS

from geodata.store import (
    Author,
    StaleBase,
    StoreError,
    backup_store,
    copy_store,
    open_store,
)
from geodata.store._pgio import COPY_ABOVE

# the hostile texts, plus csv and COPY-format specials
HOSTILE = (*HOSTILE_TEXTS, 'a,"b"\nc\\N\t,NULL,')
# one month per hostile text, from January 2024 on (more texts than a year has months)
MONTHS = [f"{2024 + k // 12}-{k % 12 + 1:02d}" for k in range(len(HOSTILE))]
# an author whose display name is hostile too
ODD = Author("county-office", HOSTILE[0], "local")


def _plans() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "project_id": ["A", "B", "D"],
            "year": 2025,
            "annual_plan_yi": [2.0, 0.1 + 0.2, float("nan")],
            "planned_start": ["2025-03", None, "2024-11"],
            "planned_completion": [None, "2026-06", None],
            "pool_stage": "construction",
            "target_family": ["industrial", "", "infrastructure_public"],
            "source_file": HOSTILE[1],
            "source_sheet": HOSTILE[2],
            "source_row": [2, 3, 4],
        }
    )


def _august() -> pd.DataFrame:
    """Project A for every month up to the last hostile one, 形象进度 hostile; and B."""
    n = len(HOSTILE)
    return pd.DataFrame(
        {
            "project_id": ["A"] * n + ["B"],
            "period": [*MONTHS, "2025-08"],
            "cumulative_yi": [0.1 * (k + 1) for k in range(n)] + [float("nan")],
            "month_yi": [float("nan")] * n + [0.05],
            "stage": "construction",
            "actual_start": ["2025-02"] * n + [None],
            "image_progress": [*HOSTILE, "主体施工"],
            "reporting_unit": [*reversed(HOSTILE), "屯留区发改局"],
            "source_file": "aug.xlsx",
            "source_row": range(2, n + 3),
        }
    )


def _september() -> pd.DataFrame:
    """Corrections of two of A's months, B's August, and a new project D."""
    return pd.DataFrame(
        {
            "project_id": ["A", "A", "B", "D"],
            "period": [MONTHS[2], MONTHS[-1], "2025-08", "2025-09"],
            "cumulative_yi": [0.35, 9.5, 0.07, 1e-9],
            "stage": ["construction", "operation", "construction", "planning"],
            "actual_completion": [None, MONTHS[-1], None, None],
            "image_progress": [HOSTILE[-1], HOSTILE[3], "", "  前后空格  "],
            "reporting_unit": "潞州区发改局",
            "source_file": HOSTILE[4],
            "source_row": [5, 6, 7, 8],
        }
    )


def _busy_store(store):
    """Register imports, a plan import, two progress imports and an edit, interleaved."""
    v = store.commit(frame(["D", "E"]), author=STAFF, base_version=1, message="登记 D E")
    v = store.commit_plans(_plans(), author=STAFF, base_version=v, message=HOSTILE[5])
    v = store.commit_progress(_august(), author=ODD, base_version=v, message=HOSTILE[6])
    v = store.set_location("A", lon=113.12, lat=36.2, author=OTHER, base_version=v)
    v = store.commit_progress(_september(), author=OTHER, base_version=v, message="9月")
    store.commit(frame(["C"], name="更名"), author=STAFF, base_version=v, message="更名 C")
    assert store.current_version() == 7
    return store


@pytest.fixture
def store(store_factory):
    """A busy store of each backend."""
    return _busy_store(store_factory(frame(["A", "B", "C"])))


@pytest.fixture
def other_backend(store_factory, pg_database, tmp_path):
    """Fresh locations on the backend the store is not on (GeoPackage ⇄ PostGIS)."""
    if store_factory.backend == "gpkg":
        return lambda name: pg_database(name)
    return lambda name: f"gpkg:{tmp_path / name}.gpkg"


def test_the_busy_store_has_every_kind_of_version(store):
    history = store.history().sort_values("version")
    assert history["version"].tolist() == list(range(1, 8))
    assert history["action"].tolist() == [
        "create", "import", "import", "import", "edit", "import", "import",
    ]  # fmt: skip
    assert tuple(store.progress(version=4)["image_progress"].iloc[:-1]) == HOSTILE
    assert store.plans(version=2).empty and store.progress(version=3).empty
    assert len(store.plans(version=3)) == 3 and len(store.progress()) == len(HOSTILE) + 2


def test_copy_to_the_other_backend_and_back_keeps_every_version(
    store, store_factory, other_backend
):
    there = copy_store(store.url, other_backend("there"))
    assert type(there) is not type(store)
    assert_same_store(store, there)
    back = copy_store(there.url, store_factory.url("back"))
    assert type(back) is type(store)
    assert_same_store(store, back)
    # hostile text, the author and the corrections came through literally
    entry = back.history().set_index("version").loc[4]
    assert (entry["who"], entry["who_name"]) == ("county-office", HOSTILE[0])
    assert HOSTILE[6] in entry["message"]
    assert tuple(back.progress(version=4)["image_progress"].iloc[:-1]) == HOSTILE
    later = back.progress().set_index(["project_id", "period"])["image_progress"]
    assert later[("A", pd.Period(MONTHS[2], "M"))] == HOSTILE[-1]
    for copy in (there, back):
        copy.close()


def test_a_copy_goes_on_with_the_lost_update_rule(store, other_backend):
    copy = copy_store(store.url, other_backend("later"))
    # a correction based on version 4 touches A's last month, changed in version 6
    late = _september().iloc[[1]].assign(cumulative_yi=9.9)
    with pytest.raises(StaleBase, match=f"A {MONTHS[-1]}"):
        copy.commit_progress(late, author=STAFF, base_version=4, message="")
    assert copy.commit_progress(late, author=STAFF, base_version=7, message="") == 8
    row = copy.progress().set_index(["project_id", "period"]).loc[("A", MONTHS[-1])]
    assert row["cumulative_yi"] == 9.9
    copy.close()


def test_backup_restores_every_version(store, store_factory, tmp_path):
    store.mark_demo()
    backup_store(store.url, tmp_path / "backup.gpkg")
    backup = open_store(tmp_path / "backup.gpkg")
    assert_same_store(store, backup)
    restored = copy_store(tmp_path / "backup.gpkg", store_factory.url("restored"))
    assert_same_store(store, restored)
    assert restored.is_demo
    restored.close()


def test_restore_and_revert_leave_plans_and_progress_alone(store):
    plans, progress = store.plans(), store.progress()
    # undo the register edit of version 5, then bring back the first register
    reverted = store.revert(5, author=STAFF, base_version=7)
    pd.testing.assert_frame_equal(store.progress(), progress)
    store.restore(1, author=STAFF, base_version=reverted)
    assert store.projects()["id"].tolist() == ["A", "B", "C"]
    pd.testing.assert_frame_equal(store.plans(), plans)
    pd.testing.assert_frame_equal(store.progress(), progress)
    assert store.history().iloc[0]["restored_from"] == 1


def test_reverting_a_progress_or_plans_version_is_refused(store):
    with pytest.raises(StoreError, match="版本 6 导入的是月度进度，不能撤销") as err:
        store.revert(6, author=STAFF, base_version=7)
    assert "import the corrected rows instead" in str(err.value)
    with pytest.raises(StoreError, match="version 3 imported plans"):
        store.revert(3, author=STAFF, base_version=7)
    assert store.current_version() == 7


def test_a_large_progress_import_is_copied_exactly(store_factory, other_backend):
    # more rows than COPY_ABOVE: PostGIS writes them with COPY, text format specials and all
    store = store_factory(frame(["A"]))
    n = 2 * COPY_ABOVE
    periods = pd.period_range("1980-01", periods=n, freq="M").strftime("%Y-%m")
    rows = pd.DataFrame(
        {
            "project_id": "A",
            "period": periods,
            "month_yi": [k / 7 for k in range(n)],
            "image_progress": [HOSTILE[k % len(HOSTILE)] for k in range(n)],
            "reporting_unit": [HOSTILE[-1 - k % len(HOSTILE)] for k in range(n)],
        }
    )
    store.commit_progress(rows, author=ODD, base_version=1, message=HOSTILE[-1])
    there = copy_store(store.url, other_backend("large"))
    assert_same_store(store, there)
    back = copy_store(there.url, store_factory.url("large-back"))
    assert_same_store(store, back)
    assert tuple(back.progress()["image_progress"].iloc[: len(HOSTILE)]) == HOSTILE
    for copy in (there, back):
        copy.close()
