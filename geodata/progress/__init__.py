"""Plans, monthly progress, the 序时进度 lag rule, county rankings and period comparison.

Pure functions on plain frames; storage, import and display live elsewhere.
"""

from geodata.progress.compare import CHANGE_COLUMNS, Change, Comparison, compare_periods
from geodata.progress.frames import (
    FILLED_COLUMN,
    PLAN_COLUMNS,
    REPORT_COLUMNS,
    ProgressWarning,
    TargetFamily,
    WarningKind,
    duplicate_reports,
    fill_cumulative,
    plans_frame,
    reports_frame,
)
from geodata.progress.lag import (
    EXPORT_COLUMNS,
    STATUS_COLUMNS,
    LagStatus,
    lag_status,
    lag_statuses,
    target_family,
)
from geodata.progress.periods import Period, PeriodError, year_periods
from geodata.progress.stored import StoreFrames, store_frames
from geodata.progress.summaries import (
    RANKING_COLUMNS,
    SUPERVISION_COLUMNS,
    TARGET_COLUMNS,
    TargetMeasure,
    city_against_targets,
    county_ranking,
    supervision_list,
)

__all__ = [
    "CHANGE_COLUMNS",
    "EXPORT_COLUMNS",
    "FILLED_COLUMN",
    "PLAN_COLUMNS",
    "RANKING_COLUMNS",
    "REPORT_COLUMNS",
    "STATUS_COLUMNS",
    "SUPERVISION_COLUMNS",
    "TARGET_COLUMNS",
    "Change",
    "Comparison",
    "LagStatus",
    "Period",
    "PeriodError",
    "ProgressWarning",
    "StoreFrames",
    "TargetFamily",
    "TargetMeasure",
    "WarningKind",
    "city_against_targets",
    "compare_periods",
    "county_ranking",
    "duplicate_reports",
    "fill_cumulative",
    "lag_status",
    "lag_statuses",
    "plans_frame",
    "reports_frame",
    "store_frames",
    "supervision_list",
    "target_family",
    "year_periods",
]
