"""County 晾晒 rankings and the city against the year's targets, from lag statuses.

Both take the frames of :func:`geodata.progress.lag.lag_statuses`; counties
come from :func:`geodata.join.assign_counties` (``resolved_adcode``), targets
from ``geodata/data/headline_figures.csv`` by the keys in
``settings.TARGET_FIGURE_KEYS``.
"""

from __future__ import annotations

from enum import StrEnum

import geopandas as gpd
import numpy as np
import pandas as pd

from geodata.i18n import Lang, label
from geodata.join import assign_counties
from geodata.progress.lag import LagStatus, target_family
from geodata.progress.periods import Period
from geodata.register import load_figures
from geodata.settings import TARGET_FIGURE_KEYS

RANKING_COLUMNS: tuple[str, ...] = (
    "name_zh",
    "name_en",
    "projects",
    "planned_projects",
    "planned_yi",
    "completed_yi",
    "completion_pct",
    "time_share_pct",
    "gap_points",
    "started",
    "completed",
    "lagging",
    "severely_lagging",
    "not_reported",
    "rank",
    "previous_rank",
    "rank_change",
)
TARGET_COLUMNS: tuple[str, ...] = (
    "period",
    "measure",
    "value",
    "target",
    "pct",
    "time_share_pct",
    "unit",
    "label_zh",
    "label_en",
)
SUPERVISION_COLUMNS: tuple[str, ...] = (
    "adcode",
    "county_zh",
    "id",
    "name_zh",
    "status",
    "annual_plan_yi",
    "cumulative_yi",
    "completion_pct",
    "time_share_pct",
    "gap_points",
    "reporting_unit",
    "image_progress",
)
_LAGGING = (LagStatus.LAGGING.value, LagStatus.SEVERELY_LAGGING.value)


class TargetMeasure(StrEnum):
    """A city-wide figure held against one of the year's targets."""

    INDUSTRIAL_YI = "industrial_yi"
    INFRASTRUCTURE_PUBLIC_YI = "infrastructure_public_yi"
    INDUSTRIAL_COMPLETED = "industrial_completed"


def _one_period(status: pd.DataFrame, period: Period) -> pd.DataFrame:
    """Return the rows of ``status`` for ``period``."""
    rows = status[status["period"] == period.to_pandas()]
    if rows.empty and len(status):
        raise ValueError(
            f"no statuses for {period} (have {sorted(status['period'].astype(str).unique())[:5]})"
        )
    return rows


def _resolved_adcodes(projects: pd.DataFrame, counties: gpd.GeoDataFrame) -> pd.Series:
    """Return each project's ``resolved_adcode`` indexed by id (joining when needed)."""
    joined = (
        projects if "resolved_adcode" in projects.columns else assign_counties(projects, counties)
    )
    return pd.Series(
        joined["resolved_adcode"].astype(str).to_numpy(), index=joined["id"].astype(str)
    )


def _county_figures(
    status: pd.DataFrame, adcodes: pd.Series, counties: gpd.GeoDataFrame
) -> pd.DataFrame:
    """Sum plans and completions and count statuses per county (ranks not yet set)."""
    planned = (status["status"] != LagStatus.NO_PLAN.value).to_numpy()
    frame = pd.DataFrame(
        {
            "adcode": status["id"].map(adcodes).fillna("").to_numpy(),
            "projects": 1,
            "planned_projects": planned.astype(int),
            "planned_yi": np.where(planned, status["annual_plan_yi"], np.nan),
            "completed_yi": np.where(planned, status["cumulative_yi"], np.nan),
            "started": (status["started"].fillna(False).to_numpy() & planned).astype(int),
            "completed": status["completed_in_year"].fillna(False).to_numpy().astype(int),
            "lagging": status["status"].isin(_LAGGING).to_numpy().astype(int),
            "severely_lagging": (status["status"] == LagStatus.SEVERELY_LAGGING.value)
            .to_numpy()
            .astype(int),
            "not_reported": (status["status"] == LagStatus.NOT_REPORTED.value)
            .to_numpy()
            .astype(int),
        }
    )
    sums = frame.groupby("adcode").sum(min_count=1)
    out = counties.set_index("adcode")[["name_zh", "name_en"]].copy()
    out = out.join(sums, how="left")
    counts = [
        "projects",
        "planned_projects",
        "started",
        "completed",
        "lagging",
        "severely_lagging",
        "not_reported",
    ]
    out[counts] = out[counts].fillna(0).astype(int)
    out.attrs["unplaced"] = int((~frame["adcode"].isin(out.index)).sum())
    return out


def _ranked(
    status: pd.DataFrame, projects: pd.DataFrame, counties: gpd.GeoDataFrame, period: Period
) -> pd.DataFrame:
    """Return one month's county figures with completion rate, gap and rank."""
    out = _county_figures(
        _one_period(status, period), _resolved_adcodes(projects, counties), counties
    )
    with np.errstate(invalid="ignore", divide="ignore"):
        rate = out["completed_yi"] / out["planned_yi"].where(out["planned_yi"] > 0) * 100.0
    out["completion_pct"] = rate.astype(float)
    out["time_share_pct"] = period.time_share * 100.0
    out["gap_points"] = out["time_share_pct"] - out["completion_pct"]
    out["rank"] = out["completion_pct"].round(9).rank(ascending=False, method="min").astype("Int64")
    return out


def county_ranking(
    status: pd.DataFrame,
    projects: pd.DataFrame,
    counties: gpd.GeoDataFrame,
    period: Period,
    previous: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Rank the counties by plan completion at a month (the 晾晒 table).

    Parameters
    ----------
    status : pandas.DataFrame
        :func:`geodata.progress.lag.lag_statuses` output holding ``period``.
    projects : pandas.DataFrame
        The register; a frame with ``resolved_adcode`` (already joined) is
        used as it is, otherwise it is joined with ``counties``.
    counties : geopandas.GeoDataFrame
        Output of :func:`geodata.boundaries.load_counties`.
    period : Period
        The month ranked.
    previous : pandas.DataFrame, optional
        Statuses holding the comparison month ``period.previous()`` (may be
        the same frame as ``status``); gives ``previous_rank`` and
        ``rank_change`` (``NA`` when it does not hold that month, e.g. for
        January when only this year's months were computed).

    Returns
    -------
    pandas.DataFrame
        Indexed by adcode, all counties, best rank first (ties in county
        order, counties without a rate last), columns
        :data:`RANKING_COLUMNS`: ``planned_yi`` and ``completed_yi`` sum the
        annual plans and cumulatives of the projects with a plan
        (``completed_yi`` ``nan`` when none reported); ``completion_pct`` =
        completed / planned × 100; ``gap_points`` = time share − rate;
        ``started`` counts planned projects started by the month,
        ``completed`` projects completed in the year by the month,
        ``lagging`` lagging or severely lagging ones; ``rank`` 1 = highest
        rate, ties share the best rank (``Int64``, ``NA`` without a rate);
        ``rank_change`` = previous rank − rank (positive = moved up, the app
        draws ↑). ``attrs["unplaced"]`` counts projects without a county.
    """
    out = _ranked(status, projects, counties, period)
    out["previous_rank"] = pd.array([pd.NA] * len(out), dtype="Int64")
    last = period.previous()
    if previous is not None and (previous["period"] == last.to_pandas()).any():
        before = _ranked(previous, projects, counties, last)
        out["previous_rank"] = before["rank"].reindex(out.index)
    out["rank_change"] = (out["previous_rank"] - out["rank"]).astype("Int64")
    order = np.lexsort((np.arange(len(out)), out["rank"].fillna(len(out) + 1).to_numpy(dtype=int)))
    return out.iloc[order][list(RANKING_COLUMNS)]


def _targets(figures: pd.DataFrame) -> dict[TargetMeasure, tuple[float, str]]:
    """Return the target value and unit of each measure from the headline figures."""
    by_key = figures.set_index("key")
    out = {}
    for measure in TargetMeasure:
        key = TARGET_FIGURE_KEYS[measure.value]
        if key not in by_key.index:
            raise ValueError(f"headline figures have no target {key!r} for {measure.value}")
        out[measure] = (float(by_key.at[key, "value"]), str(by_key.at[key, "unit"]))
    return out


def _measures(statuses: pd.DataFrame, family: np.ndarray) -> pd.DataFrame:
    """Return each status row's contribution to every :class:`TargetMeasure` (``nan``: none)."""
    industrial = family == "industrial"
    completed = statuses["completed_in_year"].fillna(False).to_numpy() & industrial
    return pd.DataFrame(
        {
            "period": statuses["period"].array,
            TargetMeasure.INDUSTRIAL_YI.value: np.where(
                industrial, statuses["cumulative_yi"], np.nan
            ),
            TargetMeasure.INFRASTRUCTURE_PUBLIC_YI.value: np.where(
                family == "infrastructure_public", statuses["cumulative_yi"], np.nan
            ),
            TargetMeasure.INDUSTRIAL_COMPLETED.value: completed.astype(float),
        }
    )


def city_against_targets(
    statuses: pd.DataFrame,
    projects: pd.DataFrame,
    plans: pd.DataFrame | None = None,
    *,
    figures: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Hold the city's monthly totals against the year's targets (for a line chart).

    Parameters
    ----------
    statuses : pandas.DataFrame
        :func:`geodata.progress.lag.lag_statuses` output for the months to
        chart (e.g. January to the chosen month).
    projects : pandas.DataFrame
        The register (``id``, ``category``, ``subcategory``) for the target
        family of each project (:func:`geodata.progress.lag.target_family`).
    plans : pandas.DataFrame, optional
        Plans whose ``target_family`` overrides the table.
    figures : pandas.DataFrame, optional
        Headline figures (default :func:`geodata.register.load_figures`).

    Returns
    -------
    pandas.DataFrame
        One row per month and :class:`TargetMeasure`, columns
        :data:`TARGET_COLUMNS`: ``industrial_yi`` sums the cumulatives of
        产业项目 (target 750亿元), ``infrastructure_public_yi`` those of
        基础设施和公共服务 (400亿元), ``industrial_completed`` counts 产业项目
        completed or in production in the year (500); ``pct`` = value /
        target × 100, ``time_share_pct`` for the reference line. A sum with
        no report is ``nan``, never 0.

    Raises
    ------
    ValueError
        If a target key of ``settings.TARGET_FIGURE_KEYS`` is missing.
    """
    targets = _targets(load_figures() if figures is None else figures)
    family = statuses["id"].map(target_family(projects, plans)).to_numpy()
    wide = _measures(statuses, family).groupby("period", sort=True).sum(min_count=1)
    long = wide.reset_index().melt(id_vars="period", var_name="measure", value_name="value")
    # an empty selection melts to text columns: keep the numbers numeric
    long["value"] = long["value"].astype(float)
    long["target"] = (
        long["measure"].map({m.value: t for m, (t, _) in targets.items()}).astype(float)
    )
    long["unit"] = long["measure"].map({m.value: u for m, (_, u) in targets.items()})
    long["pct"] = long["value"] / long["target"] * 100.0
    long["time_share_pct"] = long["period"].dt.month / 12 * 100.0
    for lang in Lang:
        labels = {m.value: label(m, lang) for m in TargetMeasure}
        long[f"label_{lang}"] = long["measure"].map(labels)
    order = long["measure"].map({m.value: i for i, m in enumerate(TargetMeasure)})
    long = long.assign(_order=order).sort_values(["period", "_order"], ignore_index=True)
    return long[list(TARGET_COLUMNS)]


def supervision_list(
    status: pd.DataFrame,
    projects: pd.DataFrame,
    reports: pd.DataFrame,
    counties: gpd.GeoDataFrame,
    period: Period,
) -> pd.DataFrame:
    """List the lagging projects of a month by county (the 督办清单).

    Parameters
    ----------
    status : pandas.DataFrame
        :func:`geodata.progress.lag.lag_statuses` output holding ``period``.
    projects : pandas.DataFrame
        The register (``id``, ``name_zh``; joined or not, as for
        :func:`county_ranking`).
    reports : pandas.DataFrame
        Progress reports, for the month's reporting unit and 形象进度.
    counties : geopandas.GeoDataFrame
        Output of :func:`geodata.boundaries.load_counties`.
    period : Period
        The month.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`SUPERVISION_COLUMNS`, one row per lagging or severely
        lagging project, in county order (projects without a county last,
        ``adcode`` ``""``), widest gap first within a county; ``gap_points``
        = time share − completion rate. Texts are as reported (render them
        literally).
    """
    rows = _one_period(status, period)
    rows = rows[rows["status"].isin(_LAGGING)]
    month = reports[reports["period"] == period.to_pandas()].drop_duplicates("project_id")
    month = month.set_index("project_id")
    names = pd.Series(projects["name_zh"].astype(str).to_numpy(), index=projects["id"].astype(str))
    county_names = dict(zip(counties["adcode"], counties["name_zh"], strict=True))
    out = pd.DataFrame(
        {
            "adcode": rows["id"].map(_resolved_adcodes(projects, counties)).fillna("").to_numpy(),
            "id": rows["id"].to_numpy(),
            "name_zh": rows["id"].map(names).fillna("").to_numpy(),
            "status": rows["status"].astype(str).to_numpy(),
            "annual_plan_yi": rows["annual_plan_yi"].to_numpy(),
            "cumulative_yi": rows["cumulative_yi"].to_numpy(),
            "completion_pct": rows["completion_pct"].to_numpy(),
            "time_share_pct": rows["time_share_pct"].to_numpy(),
            "reporting_unit": rows["id"].map(month["reporting_unit"]).fillna("").to_numpy(),
            "image_progress": rows["id"].map(month["image_progress"]).fillna("").to_numpy(),
        }
    )
    out["county_zh"] = out["adcode"].map(county_names).fillna("")
    out["gap_points"] = out["time_share_pct"] - out["completion_pct"]
    order = {a: i for i, a in enumerate(counties["adcode"])}
    out["_county"] = out["adcode"].map(order).fillna(len(order))
    out = out.sort_values(["_county", "gap_points", "id"], ascending=[True, False, True])
    return out.reset_index(drop=True)[list(SUPERVISION_COLUMNS)]
