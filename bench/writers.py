"""Concurrent writer processes against one store: the no-lost-update test and benchmark.

Each writer process opens the store itself and makes ``edits`` edits of
projects drawn at random from ``ids``: it reads the current version (its
base), then either moves the project (``set_location``, odd edits) or reads
the register and commits the project's row with a new name (even edits), on
that base. Every edit ends committed or refused with :class:`StaleBase`;
anything else is reported as an error. The message of each edit is its tag
(``w07-e12``), so the history shows which edit made which version.
"""

from __future__ import annotations

import multiprocessing
import random
import time
import warnings

import pandas as pd

from geodata.store import Author, ProjectStore, StaleBase, open_store

OUTCOME_COLUMNS: tuple[str, ...] = ("outcome", "id", "tag", "base", "version", "lon", "lat")


def _open(url: str) -> ProjectStore:
    """Open the store the writers share (either backend)."""
    return open_store(url)


def writer(url: str, index: int, edits: int, ids: list[str]) -> list[tuple[object, ...]]:
    """Make ``edits`` edits as writer ``index``; return one outcome row per edit."""
    warnings.simplefilter("ignore")
    store = _open(url)
    rng = random.Random(index)
    author = Author(f"w{index:02d}", f"写手{index}")
    out: list[tuple[object, ...]] = []
    try:
        for k in range(edits):
            pid, tag = rng.choice(ids), f"w{index:02d}-e{k:02d}"
            base = store.current_version()
            try:
                if k % 2:
                    lon, lat = round(113.10 + index * 1e-3, 7), round(36.19 + k * 1e-4, 7)
                    version = store.set_location(
                        pid, lon=lon, lat=lat, author=author, base_version=base, message=tag
                    )
                    out.append(("ok", pid, tag, base, version, lon, lat))
                else:
                    register = store.projects(include_unlocated=True)
                    row = register[register["id"] == pid].copy()
                    row["name_zh"] = tag
                    version = store.commit(row, author=author, base_version=base, message=tag)
                    out.append(("ok", pid, tag, base, version, None, None))
            except StaleBase:
                out.append(("stale", pid, tag, base, None, None, None))
            except Exception as exc:  # every other outcome is a failure the caller reports
                out.append(("error", pid, tag, base, repr(exc), None, None))
    finally:
        store.close()
    return out


def run_writers(
    url: str, *, writers: int, edits: int, ids: list[str], timeout: float = 600.0
) -> tuple[pd.DataFrame, float]:
    """Run ``writers`` writer processes at once; return their outcomes and the wall time.

    Parameters
    ----------
    url : str
        The store; the caller must hold no open connection pool it wants to keep
        (the processes are forked).
    writers, edits : int
        Processes, and edits per process.
    ids : list of str
        Projects the writers pick from (fewer ids, more conflicts).
    timeout : float
        Seconds before the run is abandoned (``multiprocessing.TimeoutError``).

    Returns
    -------
    tuple
        Outcomes (:data:`OUTCOME_COLUMNS`, one row per edit) and seconds taken.
    """
    start = time.perf_counter()
    with multiprocessing.get_context("fork").Pool(writers) as pool:
        jobs = [(url, w, edits, ids) for w in range(writers)]
        results = pool.starmap_async(writer, jobs).get(timeout=timeout)
    elapsed = time.perf_counter() - start
    rows = [row for result in results for row in result]
    return pd.DataFrame(rows, columns=list(OUTCOME_COLUMNS)), elapsed


def lost_updates(outcomes: pd.DataFrame) -> int:
    """Count committed edits overwritten by a later edit of the same project that never saw them.

    A later committed edit of a project must be based on a version at least as
    new as the earlier committed edit; otherwise the earlier one was lost.
    """
    ok = outcomes[outcomes["outcome"] == "ok"].sort_values("version")
    lost = 0
    for _, edits in ok.groupby("id"):
        versions = edits["version"].astype(int).to_numpy()
        bases = edits["base"].astype(int).to_numpy()
        lost += int((bases[1:] < versions[:-1]).sum())
    return lost
