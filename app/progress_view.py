"""The progress sections of the map page: figures, the county 晾晒 table, the city's targets.

Each takes the selection's :class:`app.progress_data.ProgressView` (one month)
and the language. Absent amounts show 无计划 / 未报送, never 0.
"""

from __future__ import annotations

import altair as alt
import geopandas as gpd
import numpy as np
import pandas as pd
import streamlit as st

from app import data, progress_data
from app.progress_data import ProgressView
from geodata.i18n import Lang, t
from geodata.progress import LagStatus, city_against_targets
from geodata.settings import LAG_STATUS_COLORS, PROGRESS_SHADING_COLORS
from layers.progress import shading_class
from layers.progress_text import as_of, month_label, pct_text, rank_change_text, yi_text

CHART_HEIGHT = 360


def demo_banner(lang: Lang) -> None:
    """Say plainly when the store holds synthetic demonstration data."""
    if bool(getattr(data.store(), "is_demo", False)):
        st.warning(t("demo_banner", lang), icon=":material/science:")


def progress_headline(pv: ProgressView, lang: Lang) -> None:
    """Figures of the selection at the month: completed, completion rate, lagging, unplanned."""
    month = pv.month
    status = month["status"].astype(str)
    planned = status != LagStatus.NO_PLAN.value
    completed = month.loc[planned, "cumulative_yi"].sum(min_count=1)
    plan = month.loc[planned, "annual_plan_yi"].sum(min_count=1)
    rate = completed / plan * 100 if plan and np.isfinite(plan) and plan > 0 else np.nan
    cols = st.columns(4)
    cols[0].metric(
        f"{as_of(pv.period, lang)} · {t('fig_completed', lang)}",
        yi_text(completed, lang, missing=LagStatus.NOT_REPORTED)
        + ("" if pd.isna(completed) else (" " + t("unit_亿元", lang))),
    )
    cols[1].metric(
        t("fig_rate", lang),
        f"{pct_text(rate)}%",
        delta=f"{pct_text(rate - pv.period.time_share * 100)} pp",
        help=f"{t('chart_time_share', lang)} {pv.period.time_share * 100:.1f}%",
    )
    lagging = int((status == LagStatus.LAGGING.value).sum())
    severe = int((status == LagStatus.SEVERELY_LAGGING.value).sum())
    cols[2].metric(t("fig_lagging", lang), f"{lagging:,} / {severe:,}")
    no_plan = int((status == LagStatus.NO_PLAN.value).sum())
    missing = int((status == LagStatus.NOT_REPORTED.value).sum())
    cols[3].metric(t("fig_no_plan", lang), f"{no_plan:,} / {missing:,}")
    if not pv.has_data:
        st.info(t("no_progress_data", lang))


def county_frame(ranking: pd.DataFrame, lang: Lang) -> pd.DataFrame:
    """Label the county 晾晒 table: rank, ↑↓ change, amounts (无计划 / 未报送 where none), counts.

    Parameters
    ----------
    ranking : pandas.DataFrame
        :func:`geodata.progress.county_ranking` output.
    lang : Lang
        Label language.

    Returns
    -------
    pandas.DataFrame
        One row per county in rank order, text cells.
    """
    name = f"name_{lang}"
    rank = ranking["rank"].astype("Int64")
    return pd.DataFrame(
        {
            t("col_rank", lang): [str(r) if pd.notna(r) else "—" for r in rank],
            t("col_rank_change", lang): [rank_change_text(c) for c in ranking["rank_change"]],
            t("col_county", lang): ranking[name].astype(str).to_numpy(),
            t("col_planned_yi", lang): [
                yi_text(v, lang, missing=LagStatus.NO_PLAN) for v in ranking["planned_yi"]
            ],
            t("col_completed_yi", lang): [
                yi_text(v, lang, missing=_absent(p)) for v, p in _pairs(ranking)
            ],
            t("col_completion_pct", lang): [pct_text(v) for v in ranking["completion_pct"]],
            t("col_time_share_pct", lang): [pct_text(v) for v in ranking["time_share_pct"]],
            t("col_gap_points", lang): [pct_text(v) for v in ranking["gap_points"]],
            t("col_projects", lang): ranking["projects"].astype(int).to_numpy(),
            t("col_started", lang): ranking["started"].astype(int).to_numpy(),
            t("col_completed", lang): ranking["completed"].astype(int).to_numpy(),
            t("col_lagging", lang): ranking["lagging"].astype(int).to_numpy(),
            t("col_not_reported", lang): ranking["not_reported"].astype(int).to_numpy(),
        }
    )


def _pairs(ranking: pd.DataFrame) -> list[tuple[float, float]]:
    """Return (completed, planned) of each county."""
    return list(zip(ranking["completed_yi"], ranking["planned_yi"], strict=True))


def _absent(planned: float) -> LagStatus:
    """Return what an absent completed amount means: no plan, or plans without reports."""
    return LagStatus.NO_PLAN if pd.isna(planned) else LagStatus.NOT_REPORTED


def county_chart(ranking: pd.DataFrame, lang: Lang) -> alt.LayerChart:
    """Bar chart of completion rate per county with the time-share line."""
    name = f"name_{lang}"
    frame = pd.DataFrame(
        {
            "county": ranking[name].astype(str).to_numpy(),
            "rate": ranking["completion_pct"].astype(float).to_numpy(),
            "fill": [
                PROGRESS_SHADING_COLORS[shading_class(g)]
                for g in ranking["gap_points"].astype(float)
            ],
        }
    ).dropna(subset=["rate"])
    share = float(ranking["time_share_pct"].iloc[0]) if len(ranking) else 0.0
    rate_title = t("chart_rate", lang)
    bars = (
        alt.Chart(frame)
        .mark_bar(stroke="#868e96", strokeWidth=0.5)
        .encode(
            y=alt.Y("county:N", sort="-x", title=None),
            x=alt.X("rate:Q", title=rate_title),
            color=alt.Color("fill:N", scale=None),
            tooltip=[alt.Tooltip("county:N"), alt.Tooltip("rate:Q", format=".1f")],
        )
    )
    rule = (
        alt.Chart(pd.DataFrame({"share": [share], "label": [t("chart_time_share", lang)]}))
        .mark_rule(color=LAG_STATUS_COLORS["severely_lagging"], strokeDash=[6, 3], size=2)
        .encode(x="share:Q", tooltip=["label:N", alt.Tooltip("share:Q", format=".1f")])
    )
    return alt.layer(bars, rule).properties(height=CHART_HEIGHT)


def county_section(selection: gpd.GeoDataFrame, pv: ProgressView, lang: Lang) -> None:
    """Show the county 晾晒 table for the month (rank, ↑↓ change) and the bar chart."""
    ranking = progress_data.ranking(selection, pv)
    st.markdown(f"**{as_of(pv.period, lang)}**")
    st.altair_chart(county_chart(ranking, lang), width="stretch")
    st.dataframe(county_frame(ranking, lang), hide_index=True, width="stretch")
    st.caption(t("county_caption", lang))
    unplaced = int(ranking.attrs.get("unplaced", 0))
    if unplaced:
        st.caption(t("unplaced_progress", lang, n=unplaced))


def _measure_text(value: float, unit: str, lang: Lang) -> str:
    """Write a target measure: a count of projects whole, an amount in 亿元 with decimals."""
    if unit == "个" and pd.notna(value):
        return f"{int(value):,}"
    return yi_text(value, lang, missing=LagStatus.NOT_REPORTED)


def targets_frame(long: pd.DataFrame, pv: ProgressView, lang: Lang) -> pd.DataFrame:
    """Label the month's row of each target measure: value, target, share of the target."""
    rows = long[long["period"] == pv.period.to_pandas()]
    label = f"label_{lang}"
    return pd.DataFrame(
        {
            t("col_measure", lang): rows[label].to_numpy(),
            t("col_value", lang): [
                _measure_text(v, u, lang) for v, u in zip(rows["value"], rows["unit"], strict=True)
            ],
            t("col_target", lang): [
                f"{t:,.0f} {u}" for t, u in zip(rows["target"], rows["unit"], strict=True)
            ],
            t("col_completion_pct", lang): [pct_text(v) for v in rows["pct"]],
            t("col_time_share_pct", lang): [pct_text(v) for v in rows["time_share_pct"]],
        }
    )


def targets_chart(long: pd.DataFrame, lang: Lang) -> alt.LayerChart:
    """Monthly line chart: each measure as % of its target, the 100 % target and the time share."""
    label = f"label_{lang}"
    frame = pd.DataFrame(
        {
            "month": [month_label(p, lang) for p in long["period"]],
            "order": long["period"].dt.month.to_numpy(),
            "measure": long[label].to_numpy(),
            "pct": long["pct"].astype(float).to_numpy(),
        }
    )
    months = frame.drop_duplicates("month")[["month", "order"]]
    share = months.assign(share=months["order"] / 12 * 100, label=t("chart_time_share", lang))
    x = alt.X("month:N", sort=alt.SortField("order"), title=None)
    lines = (
        alt.Chart(frame)
        .mark_line(point=True)
        .encode(
            x=x,
            y=alt.Y("pct:Q", title=t("col_completion_pct", lang)),
            color=alt.Color("measure:N", legend=alt.Legend(orient="bottom", title=None)),
            tooltip=["month:N", "measure:N", alt.Tooltip("pct:Q", format=".1f")],
        )
    )
    time_line = (
        alt.Chart(share)
        .mark_line(strokeDash=[6, 3], color="#495057")
        .encode(x=x, y="share:Q", tooltip=["label:N", alt.Tooltip("share:Q", format=".1f")])
    )
    target = (
        alt.Chart(pd.DataFrame({"target": [100.0], "label": [t("chart_target", lang)]}))
        .mark_rule(color=LAG_STATUS_COLORS["severely_lagging"], size=2)
        .encode(y="target:Q", tooltip=["label:N"])
    )
    return alt.layer(lines, time_line, target).properties(height=CHART_HEIGHT)


def targets_section(selection: gpd.GeoDataFrame, pv: ProgressView, lang: Lang) -> None:
    """Hold the city against the report's targets (750亿元, 400亿元, 500 projects) by month."""
    long = city_against_targets(pv.year, selection, pv.plans, figures=data.figures())
    st.markdown(f"**{as_of(pv.period, lang)}**")
    if long.empty:
        st.caption(t("targets_caption", lang))
        return
    st.dataframe(targets_frame(long, pv, lang), hide_index=True, width="stretch")
    st.altair_chart(targets_chart(long, lang), width="stretch")
    st.caption(t("targets_caption", lang))
