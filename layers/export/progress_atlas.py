"""The quarterly inspection atlas: one page per county for a month, by progress.

Each page shows the county's progress map (projects coloured by 序时进度 status
in their category's shape, counties filled by completion rate against the
time share, neighbours faint), the county's figures from the 晾晒 table
(rank and its change, plan, completed, rate, time share, counts) and its
lagging projects, widest gap first. Titles name the month; the provenance
is in every footer and in the PDF metadata.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import NamedTuple

import geopandas as gpd
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from geodata.i18n import Lang, county_name, t
from geodata.join import assign_counties
from geodata.progress import (
    LagStatus,
    Period,
    county_ranking,
    lag_statuses,
    plans_frame,
    reports_frame,
    supervision_list,
)
from geodata.settings import (
    CATEGORY_SYMBOLS,
    CITY_NAME_ZH,
    COUNTY_LINE_COLOR,
    LAG_STATUS_COLORS,
    METRIC_CRS,
    PRINT_COLORS,
    PROGRESS_SHADING_COLORS,
)
from layers.export._print_fonts import text_style
from layers.export._print_furniture import (
    draw_footer,
    draw_frame,
    draw_north_arrow,
    draw_scale_bar,
    draw_titles,
)
from layers.export._print_layout import Box, fit_extent, layout, page_size_inches
from layers.export._print_pdf import pdf_document
from layers.export.provenance import Provenance
from layers.export.request import Orientation, Paper
from layers.export.supervision import clip
from layers.progress import shading_class
from layers.progress_text import month_label, pct_text, rank_change_text, status_label, yi_text

LAGGING_ROWS = 14
"""Lagging projects listed on a county page (the rest are counted)."""


class ProgressInputs(NamedTuple):
    """Plans and filled reports of one store version."""

    plans: pd.DataFrame
    reports: pd.DataFrame


def progress_inputs(plans: pd.DataFrame | None, reports: pd.DataFrame | None) -> ProgressInputs:
    """Return the plans and reports, empty frames standing in for none (无计划 / 未报送)."""
    return ProgressInputs(
        plans if plans is not None else plans_frame([]),
        reports if reports is not None else reports_frame([]),
    )


def atlas_title(period: Period, lang: Lang | str = Lang.ZH) -> str:
    """Return the document title: ``长治市项目进度分县图集（截至 2025年9月）``."""
    return t("atlas_title", lang, city=CITY_NAME_ZH, month=month_label(period, lang))


def _draw_map(
    ax: Axes,
    points: gpd.GeoDataFrame,
    counties: gpd.GeoDataFrame,
    fills: list[str],
    adcode: str,
    *,
    scale: float,
    aspect: float,
    lang: Lang,
) -> None:
    """Draw the county fills (neighbours faint), status-coloured points, scale and north."""
    counties_m = counties.to_crs(METRIC_CRS)
    focus = (counties_m["adcode"].astype(str) == adcode).to_numpy()
    extent: Box = fit_extent(tuple(counties_m[focus].total_bounds), aspect, 0.08)
    ax.set_xlim(extent[0], extent[2])
    ax.set_ylim(extent[1], extent[3])
    ax.set_aspect("equal", adjustable="box")
    ax.set_axis_off()
    ax.add_patch(
        Rectangle((0, 0), 1, 1, transform=ax.transAxes, facecolor=PRINT_COLORS["outside"], zorder=0)
    )
    colors = np.where(focus, np.array(fills, dtype=object), PRINT_COLORS["paper"])
    counties_m.plot(ax=ax, color=list(colors), edgecolor=COUNTY_LINE_COLOR, linewidth=0.8, zorder=2)
    counties_m[focus].boundary.plot(ax=ax, color=PRINT_COLORS["ink"], linewidth=1.8, zorder=6)
    pts = points.to_crs(METRIC_CRS)
    for cat, symbol in CATEGORY_SYMBOLS.items():
        sel = pts[pts["category"].astype(str) == cat]
        if len(sel):
            ax.scatter(
                sel.geometry.x,
                sel.geometry.y,
                s=26 * scale**2,
                marker=symbol.marker,
                c=[LAG_STATUS_COLORS[s] for s in sel["status"]],
                edgecolors=PRINT_COLORS["paper"],
                linewidths=0.4,
                zorder=10,
            )
    draw_scale_bar(ax, extent, scale, lang)
    draw_north_arrow(ax, extent, scale, lang)


def _legend(ax: Axes, counts: pd.Series, *, scale: float, lang: Lang) -> None:
    """Write the status colours with the county's count of each, the shapes and the fills."""
    ax.set_axis_off()
    box = {"transform": ax.transAxes, "va": "top"}
    ax.text(0, 1, t("legend_status", lang), **text_style(9 * scale, weight="bold", **box))
    for i, status in enumerate(LagStatus):
        y = 0.9 - i * 0.085
        ax.add_patch(
            Rectangle((0, y - 0.05), 0.045, 0.05, facecolor=status.color, transform=ax.transAxes)
        )
        text = f"{status_label(status.value, lang)}  {int(counts.get(status.value, 0))}"
        ax.text(0.07, y, text, **text_style(8 * scale, **box))
    ax.text(0, 0.38, t("legend_shapes", lang), **text_style(7.5 * scale, **box))
    keys = ("ahead", "behind_10", "behind_25", "behind_more")
    labels = ("shading_ahead", "shading_0_10", "shading_10_25", "shading_25")
    for j, (key, label) in enumerate(zip(keys, labels, strict=True)):
        y = 0.29 - j * 0.07
        ax.add_patch(
            Rectangle(
                (0, y - 0.05),
                0.045,
                0.05,
                transform=ax.transAxes,
                facecolor=PROGRESS_SHADING_COLORS[key],
                edgecolor=COUNTY_LINE_COLOR,
                linewidth=0.5,
            )
        )
        ax.text(0.07, y, t(label, lang), **text_style(7 * scale, **box))


def _figures(row: pd.Series, lang: Lang) -> list[tuple[str, str]]:
    """Return the county's label/value pairs from its 晾晒 row."""
    rank = "—" if pd.isna(row["rank"]) else str(int(row["rank"]))
    return [
        (
            t("col_rank", lang),
            f"{rank}（{t('col_rank_change', lang)} {rank_change_text(row['rank_change'])}）",
        ),
        (t("col_planned_yi", lang), yi_text(row["planned_yi"], lang, missing=LagStatus.NO_PLAN)),
        (
            t("col_completed_yi", lang),
            yi_text(row["completed_yi"], lang, missing=LagStatus.NOT_REPORTED),
        ),
        (t("col_completion_pct", lang), pct_text(row["completion_pct"])),
        (t("col_time_share_pct", lang), pct_text(row["time_share_pct"])),
        (t("col_gap_points", lang), pct_text(row["gap_points"])),
        (t("col_started", lang), str(int(row["started"]))),
        (t("col_completed", lang), str(int(row["completed"]))),
        (t("col_lagging", lang), str(int(row["lagging"]))),
        (t("col_not_reported", lang), str(int(row["not_reported"]))),
    ]


def _table(ax: Axes, row: pd.Series, lagging: pd.DataFrame, *, scale: float, lang: Lang) -> None:
    """Write the county's figures and its lagging projects (literal text, clipped)."""
    ax.set_axis_off()
    y = 1.0
    step = 0.042
    for label, value in _figures(row, lang):
        ax.text(0, y, label, **text_style(7.5 * scale, va="top", color=PRINT_COLORS["text"]))
        ax.text(1, y, value, **text_style(7.5 * scale, va="top", ha="right"))
        y -= step
    y -= step / 2
    ax.text(0, y, t("atlas_lagging", lang), **text_style(8.5 * scale, weight="bold", va="top"))
    y -= step
    if lagging.empty:
        ax.text(0, y, t("atlas_none", lang), **text_style(7.5 * scale, va="top"))
    for _, item in lagging.head(LAGGING_ROWS).iterrows():
        color = LAG_STATUS_COLORS[str(item["status"])]
        ax.text(0, y, clip(str(item["name_zh"]), 34), **text_style(7 * scale, va="top"))
        share = f"{pct_text(item['completion_pct'])}/{pct_text(item['time_share_pct'])}%"
        ax.text(1, y, share, **text_style(7 * scale, va="top", ha="right", color=color))
        y -= step * 0.85
    if len(lagging) > LAGGING_ROWS:
        more = t("atlas_more", lang, n=len(lagging) - LAGGING_ROWS)
        ax.text(0, y, more, **text_style(7 * scale, va="top", color=PRINT_COLORS["muted"]))


def _page(
    adcode: str,
    points: gpd.GeoDataFrame,
    counties: gpd.GeoDataFrame,
    ranking: pd.DataFrame,
    lagging: pd.DataFrame,
    *,
    period: Period,
    paper: Paper,
    orientation: Orientation,
    subtitle: str,
    lang: Lang,
) -> tuple[Figure, object]:
    """Draw one county's page; return the figure and its provenance line."""
    width, height = page_size_inches(paper, orientation)
    fig = Figure(figsize=(width, height))
    fig.patch.set_facecolor(PRINT_COLORS["paper"])
    lay = layout(width, height)
    month = month_label(period, lang)
    title = t("atlas_page_title", lang, county=county_name(adcode, lang), month=month)
    draw_titles(fig, lay, title=title, subtitle=subtitle)
    fills = [
        PROGRESS_SHADING_COLORS[shading_class(g)]
        for g in ranking["gap_points"].reindex(counties["adcode"].astype(str)).astype(float)
    ]
    ax = fig.add_axes(lay.map_box)
    aspect = (lay.map_box[2] * width) / (lay.map_box[3] * height)
    _draw_map(ax, points, counties, fills, adcode, scale=lay.scale, aspect=aspect, lang=lang)
    draw_frame(ax, lay.scale)
    counts = points["status"].astype(str).value_counts()
    _legend(fig.add_axes(lay.panel_box), counts, scale=lay.scale, lang=lang)
    row = ranking.loc[adcode]
    _table(fig.add_axes(lay.table_box), row, lagging, scale=lay.scale, lang=lang)
    prov = draw_footer(fig, lay, lang=lang, day=pd.Timestamp.now(tz="UTC").to_pydatetime())
    return fig, prov


def _month_frames(
    projects: gpd.GeoDataFrame, counties: gpd.GeoDataFrame, inputs: ProgressInputs, period: Period
) -> tuple[gpd.GeoDataFrame, pd.DataFrame, pd.DataFrame]:
    """Return the month's projects with their status, the county ranking and the lagging list."""
    months = [period.previous(), period] if period.month > 1 else [period]
    statuses = lag_statuses(inputs.plans, inputs.reports, months, projects=projects)
    joined = assign_counties(projects, counties)
    ranking = county_ranking(statuses, joined, counties, period, previous=statuses)
    lagging = supervision_list(statuses, joined, inputs.reports, counties, period)
    month = statuses[statuses["period"] == period.to_pandas()].set_index("id")["status"]
    points = joined.assign(status=joined["id"].astype(str).map(month).astype(str))
    return points, ranking, lagging


def progress_atlas_bytes(
    projects: gpd.GeoDataFrame,
    counties: gpd.GeoDataFrame,
    inputs: ProgressInputs,
    *,
    period: Period,
    provenance: Provenance,
    adcodes: Sequence[str] = (),
    paper: Paper | str = Paper.A4,
    orientation: Orientation | str = Orientation.LANDSCAPE,
    lang: Lang | str = Lang.ZH,
) -> bytes:
    """Return the inspection atlas of a month: one PDF page per county.

    Parameters
    ----------
    projects : geopandas.GeoDataFrame
        The selected projects (EPSG:4326).
    counties : geopandas.GeoDataFrame
        The 12 counties.
    inputs : ProgressInputs
        Plans and filled reports (:func:`progress_inputs`).
    period : Period
        The month.
    provenance : Provenance
        Footer and metadata.
    adcodes : sequence of str
        Counties to make pages for; all when empty.
    paper, orientation : Paper, Orientation
        Page size.
    lang : Lang or str
        Page language.

    Returns
    -------
    bytes
        A PDF, counties in adcode order.
    """
    lang, paper, orientation = Lang(lang), Paper(paper), Orientation(orientation)
    points, ranking, lagging = _month_frames(projects, counties, inputs, period)
    subtitle = provenance.filters or t("print_as_of", lang, month=month_label(period, lang))
    wanted = set(adcodes)

    def figures() -> Iterator[Figure]:
        for adcode in sorted(counties["adcode"].astype(str)):
            if wanted and adcode not in wanted:
                continue
            here = points[points["resolved_adcode"].astype(str) == adcode]
            fig, prov = _page(
                adcode, here, counties, ranking, lagging[lagging["adcode"] == adcode],
                period=period, paper=paper, orientation=orientation, subtitle=subtitle, lang=lang,
            )  # fmt: skip
            prov.set_text(provenance.footer(lang=lang))
            yield fig

    title = atlas_title(period, lang)
    return pdf_document(figures(), title=title, provenance=provenance)
