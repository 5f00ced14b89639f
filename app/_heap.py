"""The server's heap: what the first run finds set aside from the cyclic garbage collector.

A running app holds about a quarter of a million objects the collector
tracks (the modules of Streamlit, pandas, geopandas, folium and ours), and
almost all of them live as long as the process. CPython's full collection
walks every one of them, and a planner's rerun allocates enough to start one:
measured on the bench server (2,537 projects), nearly every new session's
first run stalled 110–230 ms in a full collection before its map left the
server. :func:`settle_heap` collects once and freezes what survives
(:func:`gc.freeze`), so later full collections walk only what was made since
(3–6 ms). Frozen objects are still freed when their last reference goes; only
a reference cycle among them would outlive its use, and what is frozen is
what the process keeps anyway (modules, the store, the county boundaries).
"""

from __future__ import annotations

import gc

import streamlit as st


@st.cache_resource(show_spinner=False)
def settle_heap() -> int:
    """Collect once and freeze the surviving objects (once per process); return how many.

    Returns
    -------
    int
        Objects in the collector's permanent generation after the freeze.
    """
    gc.collect()
    gc.freeze()
    return gc.get_freeze_count()
