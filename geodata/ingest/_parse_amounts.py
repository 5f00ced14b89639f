"""Amount and number cells: investments into 亿元, capacities as plain numbers."""

from __future__ import annotations

import math
import re

from geodata.ingest._cells import Parsed, Verdict
from geodata.ingest._text import normalise
from geodata.settings import BARE_AMOUNT_YUAN_ABOVE, IMPLAUSIBLE_INVESTMENT_YI

# amount units -> factor to 亿元
_UNIT_FACTOR: dict[str, float] = {
    "亿元": 1.0,
    "亿": 1.0,
    "万元": 1e-4,
    "万": 1e-4,
    "元": 1e-8,
}
_NOT_STATED = frozenset(
    {"", "-", "--", "—", "——", "–", "/", "无", "暂无", "待定", "未定", "不详", "未知", "n/a", "na"}
)
_APPROX = re.compile(r"^(约|大约|近|超|超过|逾|达|计划|预计|不少于|不低于)")
_APPROX_TAIL = re.compile(r"(左右|以上|多|余)$")
_AMOUNT = re.compile(r"^([+-]?\d+(?:\.\d+)?)\s*(亿元|亿|万元|万|元)?$")
_NUMBER = re.compile(r"^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$")


def _plausibility(raw: str, number: float, unit: str | None, value: float) -> str:
    """Return a warning for an amount no single project has, naming the likely unit."""
    bare_yuan = unit is None and number > BARE_AMOUNT_YUAN_ABOVE
    if not bare_yuan and value <= IMPLAUSIBLE_INVESTMENT_YI:
        return ""
    as_yuan = number * _UNIT_FACTOR["元"]
    return (
        f"总投资 {raw} 看起来是元：{as_yuan:g}亿元？请核对单位 "
        f"(investment {raw} looks like yuan: {as_yuan:g} 亿元? check the unit)"
    )


def parse_amount(text: str, *, default_unit: str = "亿元") -> Parsed:
    """Parse an investment amount into 亿元.

    Parameters
    ----------
    text : str
        ``5.39亿元``, ``3000万元``, ``１，２００万元``, ``5.39 亿``, ``5.39`` ...
    default_unit : str
        Unit of a bare number (``亿元`` unless the header says ``万元``).

    Returns
    -------
    Parsed
        ``ok`` with the value in 亿元; ``warn`` with the value for an
        approximate amount (``约5亿``) or an implausible one (over
        :data:`~geodata.settings.IMPLAUSIBLE_INVESTMENT_YI` 亿元, or a bare
        number over :data:`~geodata.settings.BARE_AMOUNT_YUAN_ABOVE`, which
        is surely in 元); ``warn`` with ``nan`` when not stated (``待定``,
        ``—``, empty); ``reject`` when the text is not an amount.
    """
    raw = normalise(text)
    if raw.casefold() in _NOT_STATED:
        shown = raw or "空"
        return Parsed(math.nan, Verdict.WARN, f"总投资未填写（{shown}）(investment not stated)")
    body = raw.replace(",", "").replace(" ", "").replace("人民币", "")
    approx = bool(_APPROX.search(body) or _APPROX_TAIL.search(body))
    body = _APPROX_TAIL.sub("", _APPROX.sub("", body))
    match = _AMOUNT.match(body)
    if match is None:
        return Parsed(
            math.nan, Verdict.REJECT, f"总投资无法识别：{raw!r} (investment not a number)"
        )
    number = float(match.group(1))
    value = number * _UNIT_FACTOR[match.group(2) or default_unit]
    if value < 0:
        return Parsed(math.nan, Verdict.REJECT, f"总投资为负数：{raw!r} (negative investment)")
    doubt = _plausibility(raw, number, match.group(2), value)
    if doubt:
        return Parsed(value, Verdict.WARN, doubt)
    if approx:
        return Parsed(
            value, Verdict.WARN, f"总投资为约数：{raw!r}，按 {value:g} 亿元记 (approximate amount)"
        )
    return Parsed(value)


def parse_number(text: str, *, label: str) -> Parsed:
    """Parse a plain non-negative number such as a capacity figure.

    Parameters
    ----------
    text : str
        ``10000``, ``1,200``, ``５０``; empty gives ``nan`` with ``ok``.
    label : str
        What the number is, for the message (``规模数值 (capacity_value)``).

    Returns
    -------
    Parsed
        ``reject`` for text that is not a finite, non-negative number.
    """
    raw = normalise(text)
    if raw == "":
        return Parsed(math.nan)
    body = raw.replace(",", "").replace(" ", "")
    value = float(body) if _NUMBER.match(body) else math.nan
    if not math.isfinite(value) or value < 0:
        return Parsed(math.nan, Verdict.REJECT, f"{label}不是非负数字：{raw!r} (not a number)")
    return Parsed(value)
