"""The chosen project's progress at the month, under its details in the side panel.

Its status, cumulative investment by month against the plan, stage changes
and the 形象进度 text of each month (shown literally, in table cells).
"""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from app.progress_data import ProgressView
from geodata.i18n import Lang, t
from geodata.progress import LagStatus, Period
from geodata.settings import LAG_STATUS_COLORS
from geodata.text import md_literal
from layers.progress_text import month_label, pct_text, stage_label, status_label, yi_text

PANEL_CHART_HEIGHT = 180


def project_reports(pv: ProgressView, pid: str) -> pd.DataFrame:
    """Return the project's reports of the view's year up to its month, oldest first."""
    reports = pv.reports
    rows = reports[reports["project_id"].astype(str) == pid]
    months = rows["period"]
    keep = (months.dt.year == pv.period.year) & (months <= pv.period.to_pandas())
    return rows[keep].sort_values("period")


def stage_changes(reports: pd.DataFrame, lang: Lang) -> list[str]:
    """Return one line per stage change the reports show: ``2025年3月：储备 → 建设``."""
    stated = reports[reports["stage"].astype(str) != "unknown"]
    out = []
    before = None
    for period, stage in zip(stated["period"], stated["stage"].astype(str), strict=True):
        if before is not None and stage != before:
            arrow = f"{stage_label(before, lang)} → {stage_label(stage, lang)}"
            out.append(f"{month_label(Period.read(period), lang)}：{arrow}")
        before = stage
    return out


def monthly_frame(pid: str, pv: ProgressView, lang: Lang) -> pd.DataFrame:
    """One row per month: cumulative (未报送 where none), stage and 形象进度 as reported."""
    statuses = pv.year[pv.year["id"].astype(str) == pid].sort_values("period")
    reports = project_reports(pv, pid).set_index("period")
    periods = statuses["period"]
    return pd.DataFrame(
        {
            t("col_period", lang): [month_label(Period.read(p), lang) for p in periods],
            t("col_cumulative", lang): [
                yi_text(v, lang, missing=LagStatus.NOT_REPORTED) for v in statuses["cumulative_yi"]
            ],
            t("col_status", lang): [status_label(s, lang) for s in statuses["status"].astype(str)],
            t("col_stage", lang): [stage_label(reports["stage"].get(p, ""), lang) for p in periods],
            t("col_image", lang): [str(reports["image_progress"].get(p, "")) for p in periods],
        }
    )


def progress_chart(pid: str, pv: ProgressView, lang: Lang) -> alt.LayerChart | None:
    """Small chart: cumulative investment by month against the annual plan (none without data)."""
    rows = pv.year[pv.year["id"].astype(str) == pid].sort_values("period")
    if rows["cumulative_yi"].isna().all() and rows["annual_plan_yi"].isna().all():
        return None
    frame = pd.DataFrame(
        {
            "month": rows["period"].dt.month.to_numpy(),
            "cumulative": rows["cumulative_yi"].astype(float).to_numpy(),
            "plan": rows["annual_plan_yi"].astype(float).to_numpy(),
        }
    )
    x = alt.X("month:O", title=t("col_period", lang))
    bars = (
        alt.Chart(frame.dropna(subset=["cumulative"]))
        .mark_bar(color=LAG_STATUS_COLORS["on_track"])
        .encode(x=x, y=alt.Y("cumulative:Q", title=t("panel_cumulative", lang)))
    )
    plan = (
        alt.Chart(frame.dropna(subset=["plan"]))
        .mark_line(color=LAG_STATUS_COLORS["severely_lagging"], strokeDash=[4, 2])
        .encode(x=x, y="plan:Q", tooltip=[alt.Tooltip("plan:Q", title=t("panel_plan", lang))])
    )
    return alt.layer(bars, plan).properties(height=PANEL_CHART_HEIGHT)


def _flag(value: object) -> bool:
    """Whether a nullable flag is known true."""
    return bool(pd.notna(value) and value)


def _status_line(row: pd.Series, lang: Lang) -> str:
    """Say the project's status at the month, with its rate and flags (literal text)."""
    parts = [status_label(str(row["status"]), lang)]
    if pd.notna(row["completion_pct"]):
        parts.append(f"{pct_text(row['completion_pct'])}% / {pct_text(row['time_share_pct'])}%")
    if _flag(row["late_start"]):
        parts.append(t("late_start", lang))
    if _flag(row["overdue_completion"]):
        parts.append(t("overdue", lang))
    return " · ".join(parts)


def progress_panel(pid: str, pv: ProgressView, lang: Lang) -> None:
    """Show the chosen project's progress under its details."""
    month = pv.month[pv.month["id"].astype(str) == pid]
    if month.empty:
        return
    st.markdown(f"##### {md_literal(t('panel_progress', lang, year=pv.period.year))}")
    row = month.iloc[0]
    st.caption(f"{md_literal(t('panel_status', lang))}：{md_literal(_status_line(row, lang))}")
    chart = progress_chart(pid, pv, lang)
    if chart is not None:
        st.altair_chart(chart, width="stretch")
    changes = stage_changes(project_reports(pv, pid), lang)
    st.caption(
        f"{md_literal(t('panel_stage_changes', lang))}："
        + md_literal("；".join(changes) or t("panel_no_stage_change", lang))
    )
    st.dataframe(monthly_frame(pid, pv, lang), hide_index=True, width="stretch")
