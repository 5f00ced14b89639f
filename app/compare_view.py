"""Comparing two months: what started, finished, moved stage, fell behind or caught up.

The month compared with is in the URL (``cmp=2025-06``); the section shows
the counts, the investment added, a map of the changed projects coloured by
kind of change, and the table of changes.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from app import data, progress_data, progress_sidebar
from app.progress_data import ProgressView
from geodata.i18n import Lang, t
from geodata.progress import Change, Comparison, LagStatus, Period, compare_periods
from geodata.settings import CITY_BBOX
from geodata.text import md_literal
from layers.map import base_map, layer_control
from layers.progress import change_layers, change_legend
from layers.progress_text import change_label, month_label, stage_label, status_label, yi_text

COMPARE_MAP_KEY = "cmp_map"
COMPARE_MAP_HEIGHT = 420
COMPARE_MAP_ZOOM = 9


def changes_frame(comparison: Comparison, selection: gpd.GeoDataFrame, lang: Lang) -> pd.DataFrame:
    """Label the table of changes: project, change, status and stage before and after, added."""
    changes = comparison.changes
    names = pd.Series(
        selection[f"name_{lang}"].astype(str).to_numpy(),
        index=selection["id"].astype(str),
    )
    missing = LagStatus.NOT_REPORTED
    return pd.DataFrame(
        {
            t("col_id", lang): changes["id"].astype(str).to_numpy(),
            t("col_name", lang): changes["id"].astype(str).map(names).fillna("").to_numpy(),
            t("col_change", lang): [change_label(c, lang) for c in changes["change"]],
            t("col_status", lang): [
                f"{status_label(a, lang) or '—'} → {status_label(b, lang) or '—'}"
                for a, b in zip(changes["status_a"], changes["status_b"], strict=True)
            ],
            t("col_stage", lang): [
                f"{stage_label(a, lang) or '—'} → {stage_label(b, lang) or '—'}"
                for a, b in zip(changes["stage_a"], changes["stage_b"], strict=True)
            ],
            t("col_added_yi", lang): [
                yi_text(v, lang, missing=missing) if np.isfinite(v) else "—"
                for v in changes["added_yi"].astype(float)
            ],
        }
    )


def _counts(comparison: Comparison, lang: Lang) -> None:
    """Show the number of projects per kind of change and the investment added."""
    shown = [c for c in Change if c is not Change.REMOVED]
    cols = st.columns(len(shown))
    for col, change in zip(cols, shown, strict=True):
        if change is Change.INVESTMENT_ADDED:
            added = comparison.added_yi
            value = f"{added:,.2f}" if np.isfinite(added) else t("compare_across_years", lang)
            col.metric(t("compare_added", lang), value)
        else:
            col.metric(
                change_label(change.value, lang), f"{int(comparison.counts[change.value]):,}"
            )


def _change_map(selection: gpd.GeoDataFrame, comparison: Comparison, lang: Lang) -> None:
    """Draw the changed projects, coloured by their most notable change."""
    m = base_map(data.counties(), lang=lang, legend=False)
    m.add_child(change_legend(lang=lang))
    st.caption(t("compare_map", lang))
    st_folium(
        m,
        feature_group_to_add=change_layers(selection, comparison.changes, lang=lang),
        layer_control=layer_control(),
        returned_objects=[],
        key=COMPARE_MAP_KEY,
        height=COMPARE_MAP_HEIGHT,
        use_container_width=True,
        # drawn in a tab that may be hidden: a fixed view instead of fitting a zero-size map
        center=((CITY_BBOX[1] + CITY_BBOX[3]) / 2, (CITY_BBOX[0] + CITY_BBOX[2]) / 2),
        zoom=COMPARE_MAP_ZOOM,
    )


def compare_section(selection: gpd.GeoDataFrame, pv: ProgressView, lang: Lang) -> None:
    """Pick an earlier month and show what changed since, as figures, a map and a table."""
    earlier = progress_sidebar.compare_picker(pv.period, lang)
    if earlier is None:
        st.caption(t("compare_hint", lang))
        return
    comparison = compare(selection, earlier, pv)
    a, b = month_label(earlier, lang), month_label(pv.period, lang)
    st.markdown(f"**{md_literal(t('compare_title', lang, a=a, b=b))}**")
    _counts(comparison, lang)
    _change_map(selection, comparison, lang)
    st.dataframe(changes_frame(comparison, selection, lang), hide_index=True, width="stretch")


def compare(selection: gpd.GeoDataFrame, earlier: Period, pv: ProgressView) -> Comparison:
    """Compare the selection's statuses at an earlier month with the view's month."""
    return compare_periods(progress_data.statuses_at(selection, earlier), pv.month)
