"""Header rows of plan and progress sheets, as county offices write them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from geodata.i18n import Lang, bilingual, t
from geodata.ingest._headers import _UNIT_IN_HEADER, HEADER_ALIASES, _header_key, _header_unit
from geodata.ingest._text import IngestError, normalise


class RowKind(StrEnum):
    """What a sheet holds: annual plans or monthly progress reports."""

    PLAN = "plan"
    PROGRESS = "progress"


class ImportKind(StrEnum):
    """What an imported file holds: projects (the register), annual plans or monthly progress.

    The choice of the command line's ``--kind`` and of the app's import page.
    """

    REGISTER = "register"
    PLAN = "plan"
    PROGRESS = "progress"

    @property
    def row_kind(self) -> RowKind | None:
        """Return the plan or progress kind of its rows (``None`` for the register)."""
        return None if self is ImportKind.REGISTER else RowKind(self.value)


_COMMON: dict[str, tuple[str, ...]] = {
    "id": HEADER_ALIASES["id"],
    "name_zh": ("项目名称", "名称", "项目名", "name_zh", "project name", "project"),
    "county": HEADER_ALIASES["county"],
}
ROW_HEADER_ALIASES: dict[RowKind, dict[str, tuple[str, ...]]] = {
    RowKind.PLAN: {
        **_COMMON,
        "year": ("年度", "计划年度", "年份", "year"),
        "annual_plan": (
            "年度计划投资",
            "本年计划投资",
            "年度计划",
            "年度投资计划",
            "计划投资",
            "annual_plan_yi",
            "annual plan",
        ),
        "planned_start": ("计划开工", "计划开工时间", "计划开工日期", "planned_start"),
        "planned_completion": (
            "计划竣工",
            "计划竣工时间",
            "计划竣工日期",
            "计划建成",
            "planned_completion",
        ),
        "pool_stage": ("四库", "所属库", "入库类别", "项目库", "pool_stage"),
        "target_family": ("目标类别", "投资目标类别", "统计口径", "target_family"),
    },
    RowKind.PROGRESS: {
        **_COMMON,
        "period": ("报告期", "月份", "填报月份", "统计月份", "报送月份", "period", "month"),
        "cumulative": (
            "累计完成投资",
            "本年累计完成投资",
            "年度累计完成投资",
            "累计完成",
            "cumulative_yi",
            "cumulative",
        ),
        "month": ("本月完成投资", "当月完成投资", "本月完成", "month_yi"),
        "image_progress": ("形象进度", "工程形象进度", "项目形象进度", "image_progress"),
        "stage": ("当前阶段", "建设阶段", "项目阶段", "阶段", "stage"),
        "actual_start": ("开工日期", "实际开工", "实际开工日期", "开工时间", "actual_start"),
        "actual_completion": (
            "竣工日期",
            "实际竣工",
            "实际竣工日期",
            "竣工时间",
            "actual_completion",
        ),
        "actual_production": ("投产日期", "实际投产", "投产时间", "actual_production"),
        "reporting_unit": ("填报单位", "报送单位", "填报人单位", "reporting_unit"),
    },
}
AMOUNT_FIELDS: frozenset[str] = frozenset({"annual_plan", "cumulative", "month"})
_LOOKUP: dict[RowKind, dict[str, str]] = {
    kind: {_header_key(a): f for f, aliases in table.items() for a in aliases}
    for kind, table in ROW_HEADER_ALIASES.items()
}


@dataclass(frozen=True, slots=True)
class RowHeaders:
    """How a plan or progress sheet's columns map to fields.

    Attributes
    ----------
    fields : dict[str, str]
        Field -> the file's column (the first column naming a field wins).
    units : dict[str, str]
        Amount field -> the unit its header names (``亿元`` when none).
    unknown : tuple of str
        Columns that map to no field (listed in the report).
    """

    fields: dict[str, str]
    units: dict[str, str]
    unknown: tuple[str, ...]


def match_row_header(text: str, kind: RowKind) -> str | None:
    """Return the field a header names for ``kind`` (``年度计划投资（万元）`` → ``annual_plan``)."""
    lookup = _LOOKUP[kind]
    key = _header_key(text)
    if key in lookup:
        return lookup[key]
    return lookup.get(_header_key(_UNIT_IN_HEADER.sub("", normalise(str(text)))))


def map_row_headers(columns: list[str], kind: RowKind) -> RowHeaders:
    """Map a sheet's header row to plan or progress fields."""
    fields: dict[str, str] = {}
    unknown: list[str] = []
    for col in columns:
        found = match_row_header(col, kind)
        if found is None or found in fields:
            if str(col).strip():
                unknown.append(str(col))
            continue
        fields[found] = col
    units = {f: _header_unit(c) for f, c in fields.items() if f in AMOUNT_FIELDS}
    return RowHeaders(fields=fields, units=units, unknown=tuple(unknown))


def header_score(kind: RowKind) -> Callable[[list[str]], int]:
    """Return the header scorer :func:`~geodata.ingest.read_table` uses for ``kind``."""

    def score(cells: list[str]) -> int:
        return len(map_row_headers(cells, kind).fields)

    return score


def require_row_columns(headers: RowHeaders, kind: RowKind, *, year: int | None) -> None:
    """Refuse a sheet without the columns its kind needs (the message names them).

    Raises
    ------
    IngestError
        Without a project column (项目编号 or 项目名称 with 县区), without
        年度 (plans, unless ``--year``) or 报告期/月份 (progress), or
        without any amount.
    """
    have = headers.fields
    missing = []
    if "id" not in have and not ("name_zh" in have and "county" in have):
        missing.append("rows_need_project")
    if kind is RowKind.PLAN:
        if "year" not in have and year is None:
            missing.append("rows_need_year")
        if "annual_plan" not in have:
            missing.append("rows_need_plan")
    else:
        if "period" not in have:
            missing.append("rows_need_period")
        if "cumulative" not in have and "month" not in have:
            missing.append("rows_need_amount")
    if missing:
        shown = "、".join(have.values())[:300]
        names = {
            lang: t("rows_missing_separator", lang).join(t(k, lang) for k in missing)
            for lang in Lang
        }
        raise IngestError(
            bilingual("rows_missing_columns", kind=kind, missing=names, present=shown)
        )
