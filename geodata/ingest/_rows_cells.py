"""Cells of plan and progress sheets: months, years and amounts, each with its verdict.

Months are read from the cell's text. An XLSX cell stored as a number is not
what Excel showed: ``2025.10`` is stored as ``2025.1``, so a numeric
``YYYY.1`` is refused as ambiguous (January or October?) and the office is
asked to write the month as text; a numeric date serial (a cell formatted as
a date) is read as its date's month.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Mapping

import numpy as np
import pandas as pd

from geodata.i18n import Lang, bilingual, by_lang, per_lang
from geodata.ingest._cells import Parsed, RowLog, Verdict, per_distinct
from geodata.ingest._parse_amounts import parse_amount
from geodata.ingest._text import normalise
from geodata.progress.periods import MAX_YEAR, MIN_YEAR, Period, PeriodError

# Excel date serials of 2000-01-01 and 2100-12-31
_SERIAL_RANGE = (36526, 73415)
_EXCEL_EPOCH = dt.date(1899, 12, 30)
_AMBIGUOUS = re.compile(r"^\d{4}\.1$")
_YEAR = re.compile(r"^(\d{4})\s*(?:年度?)?$")

Cell = tuple[Period | None, Verdict, str]


def field_label(field: str) -> dict[Lang, str]:
    """Return a plan or progress field's name in every language, for messages."""
    return by_lang(f"rows_field_{field}")


def _serial_date(text: str) -> dt.date | None:
    """Return the date of an Excel date serial (``45901``), or ``None``."""
    try:
        number = float(text)
    except ValueError:
        return None
    if not number.is_integer() or not _SERIAL_RANGE[0] <= number <= _SERIAL_RANGE[1]:
        return None
    return _EXCEL_EPOCH + dt.timedelta(days=int(number))


def read_month(
    text: str,
    *,
    numeric: bool,
    what: Mapping[Lang, str],
    year: int | None = None,
    today: dt.date | None = None,
) -> Cell:
    """Read one month cell: the period (``None`` when blank or refused), verdict and message.

    Parameters
    ----------
    text : str
        The cell's text as read.
    numeric : bool
        Whether the XLSX cell was stored as a number.
    what : Mapping of Lang to str
        The field's name in each language, for messages (:func:`field_label`).
    year : int, optional
        Year of a cell giving only the month (``9月``; the import's ``--year``).
    today : datetime.date, optional
        When given, a month after today's is refused (the report period).
    """
    raw = normalise(text)
    if not raw:
        return None, Verdict.OK, ""
    if numeric and _AMBIGUOUS.match(raw):
        return None, Verdict.REJECT, bilingual("rows_month_numeric", what=what, raw=raw)
    value: object = _serial_date(raw) if numeric else None
    try:
        if today is not None:
            period = Period.parse(value or raw, year=year, today=today)
        else:
            period = Period.read(value or raw, year=year)
    except PeriodError as exc:
        return (
            None,
            Verdict.REJECT,
            bilingual("rows_month_unreadable", what=what, error=per_lang(exc.text)),
        )
    if _AMBIGUOUS.match(raw):
        shown = per_lang(period.label)
        message = bilingual(
            "rows_month_october", what=what, raw=raw, period=shown, year=period.year
        )
        return period, Verdict.WARN, message
    return period, Verdict.OK, ""


def month_column(
    values: np.ndarray,
    numeric: np.ndarray,
    log: RowLog,
    *,
    field: str,
    verdict: Verdict,
    year: int | None = None,
    today: dt.date | None = None,
) -> list[Period | None]:
    """Read a month column; a refused cell becomes ``verdict`` (reject or warn) in the log."""
    what = field_label(field)
    # one reading per distinct text and XLSX number flag
    texts, text_codes = per_distinct(values, str)
    codes, pairs = pd.factorize(text_codes * 2 + np.asarray(numeric, dtype=np.int64))
    cells = [
        read_month(texts[p // 2], numeric=bool(p % 2), what=what, year=year, today=today)
        for p in pairs.tolist()
    ]
    doubtful = np.array([cell[1] is not Verdict.OK for cell in cells], dtype=bool)
    for i in np.flatnonzero(doubtful[codes]).tolist():
        _, found, message = cells[codes[i]]
        if found is Verdict.REJECT:
            if verdict is not Verdict.REJECT:
                message = bilingual("rows_left_blank", message=message)
            log.add(i, verdict, message)
        else:
            log.add(i, found, message)
    return [cells[c][0] for c in codes.tolist()]


def period_values(periods: list[Period | None]) -> pd.arrays.PeriodArray:
    """Return read months as a ``period[M]`` array (``None`` → ``NaT``), built from ordinals."""
    missing = np.iinfo(np.int64).min
    ordinals = np.array([missing if p is None else p.ordinal for p in periods], dtype=np.int64)
    return pd.arrays.PeriodArray(ordinals, dtype="period[M]")


def read_year(text: str, *, default: int | None) -> Parsed:
    """Read a plan year (``2025``, ``2025年``, ``２０２５``); blank gives ``default``."""
    raw = normalise(text)
    if not raw:
        if default is None:
            return Parsed(math.nan, Verdict.REJECT, bilingual("rows_year_empty"))
        return Parsed(float(default))
    match = _YEAR.match(raw)
    if match is None or not MIN_YEAR <= int(match.group(1)) <= MAX_YEAR:
        return Parsed(math.nan, Verdict.REJECT, bilingual("rows_year_unreadable", raw=raw[:30]))
    return Parsed(float(match.group(1)))


def read_amount(text: str, *, unit: str, what: Mapping[Lang, str]) -> Parsed:
    """Read an amount into 亿元 (亿元/万元/元, ``约``, full-width digits); blank is ``nan``."""
    if not normalise(text):
        return Parsed(math.nan)
    return parse_amount(text, default_unit=unit, what=what)


def amount_column(values: np.ndarray, log: RowLog, *, unit: str, field: str) -> np.ndarray:
    """Read an amount column into 亿元, logging each cell's verdict."""
    what = field_label(field)
    found, codes = per_distinct(values, lambda text: read_amount(text, unit=unit, what=what))
    doubtful = np.array([p.verdict is not Verdict.OK for p in found], dtype=bool)
    for i in np.flatnonzero(doubtful[codes]).tolist():
        parsed = found[codes[i]]
        log.add(i, parsed.verdict, parsed.message)
    return np.array([p.value for p in found], dtype=float)[codes]
