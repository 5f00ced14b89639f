"""Amount and number cells: investments into 亿元, capacities as plain numbers."""

from __future__ import annotations

import math
import re
from collections.abc import Mapping

from geodata.i18n import Lang, bilingual, by_lang
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
_PLAIN = re.compile(r"[0-9]+(?:\.[0-9]+)?")
_NUMBER = re.compile(r"^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$")


def _plausibility(
    raw: str, number: float, unit: str | None, value: float, what: Mapping[Lang, str]
) -> str:
    """Return a warning for an amount no single project has, naming the likely unit."""
    bare_yuan = unit is None and number > BARE_AMOUNT_YUAN_ABOVE
    if not bare_yuan and value <= IMPLAUSIBLE_INVESTMENT_YI:
        return ""
    as_yuan = number * _UNIT_FACTOR["元"]
    return bilingual("ingest_invest_yuan", what=what, raw=raw, yi=as_yuan)


def parse_amount(
    text: str, *, default_unit: str = "亿元", what: Mapping[Lang, str] | None = None
) -> Parsed:
    """Parse an investment amount into 亿元.

    Parameters
    ----------
    text : str
        ``5.39亿元``, ``3000万元``, ``１，２００万元``, ``5.39 亿``, ``5.39`` ...
    default_unit : str
        Unit of a bare number (``亿元`` unless the header says ``万元``).
    what : Mapping of Lang to str, optional
        What the amount is, in each language, for the messages (default
        the total investment, ``by_lang("ingest_investment")``).

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
    what = by_lang("ingest_investment") if what is None else what
    if _PLAIN.fullmatch(text):
        # most cells: digits only, nothing to fold, strip or read as words
        return _amount(text, float(text), None, default_unit=default_unit, what=what)
    raw = normalise(text)
    if raw.casefold() in _NOT_STATED:
        shown = raw or by_lang("ingest_invest_blank")
        message = bilingual("ingest_invest_not_stated", what=what, shown=shown)
        return Parsed(math.nan, Verdict.WARN, message)
    body = raw.replace(",", "").replace(" ", "").replace("人民币", "")
    approx = bool(_APPROX.search(body) or _APPROX_TAIL.search(body))
    body = _APPROX_TAIL.sub("", _APPROX.sub("", body))
    match = _AMOUNT.match(body)
    if match is None:
        return Parsed(
            math.nan, Verdict.REJECT, bilingual("ingest_invest_unreadable", what=what, raw=raw)
        )
    number = float(match.group(1))
    return _amount(raw, number, match.group(2), default_unit=default_unit, what=what, approx=approx)


def _amount(
    raw: str,
    number: float,
    unit: str | None,
    *,
    default_unit: str,
    what: Mapping[Lang, str],
    approx: bool = False,
) -> Parsed:
    """Return an amount read as ``number`` in ``unit`` (``None``: the default) with its verdict."""
    value = number * _UNIT_FACTOR[unit or default_unit]
    if value < 0:
        return Parsed(
            math.nan, Verdict.REJECT, bilingual("ingest_invest_negative", what=what, raw=raw)
        )
    doubt = _plausibility(raw, number, unit, value, what)
    if doubt:
        return Parsed(value, Verdict.WARN, doubt)
    if approx:
        message = bilingual("ingest_invest_approximate", what=what, raw=raw, value=value)
        return Parsed(value, Verdict.WARN, message)
    return Parsed(value)


def parse_number(text: str, *, label: Mapping[Lang, str]) -> Parsed:
    """Parse a plain non-negative number such as a capacity figure.

    Parameters
    ----------
    text : str
        ``10000``, ``1,200``, ``５０``; empty gives ``nan`` with ``ok``.
    label : Mapping of Lang to str
        What the number is, in each language, for the message
        (``geodata.i18n.by_lang("column_capacity_value")``).

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
        return Parsed(
            math.nan, Verdict.REJECT, bilingual("ingest_not_a_number", what=label, raw=raw)
        )
    return Parsed(value)
