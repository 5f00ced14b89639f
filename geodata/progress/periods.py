"""Reporting periods: one calendar month, parsed the way county offices write it.

A :class:`Period` is a (year, month) value. :meth:`Period.parse` reads
``2025-09``, ``2025/09``, ``2025.9``, ``2025年9月``, ``202509``, full-width
digits, Chinese month numerals (``2025年九月``) and, given the year, ``9月`` or
``9``; it refuses month 0 or 13, text that is not a period and a period after
today, with one message in Chinese and English.

Frames hold periods in a pandas ``period[M]`` column (``NaT`` = not stated);
:meth:`Period.ordinal` is the same month number pandas uses (months since
January 1970), so conversions cost nothing.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from typing import Final

import numpy as np
import pandas as pd

from geodata.i18n import Lang, bilingual, t

PERIOD_DTYPE: Final[pd.PeriodDtype] = pd.PeriodDtype("M")
"""dtype of every period column of the progress frames."""

MIN_YEAR: Final[int] = 2000
MAX_YEAR: Final[int] = 2100
MAX_TEXT: Final[int] = 40
"""Longest cell text read as a period; longer text is refused unread."""

_MONTH_EN: Final[tuple[str, ...]] = (
    "Jan",
    "Feb",
    "Mar",
    "Apr",
    "May",
    "Jun",
    "Jul",
    "Aug",
    "Sep",
    "Oct",
    "Nov",
    "Dec",
)
_ZH_MONTHS: Final[dict[str, int]] = {
    "一": 1,
    "二": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
    "十": 10,
    "十一": 11,
    "十二": 12,
}
# year and month: 2025-09, 2025/9, 2025.9, 2025年9月(份/末), 2025-09-30, 202509
_YEAR_MONTH: Final[re.Pattern[str]] = re.compile(
    r"^(\d{4})\s*(?:[-/.]\s*(\d{1,2})(?:\s*[-/.]\s*\d{1,2})?|年\s*(\d{1,2}|十[一二]?|[一二三四五六七八九])"
    r"\s*月(?:份|末|底)?(?:\s*\d{1,2}\s*日)?)$"
)
_COMPACT: Final[re.Pattern[str]] = re.compile(r"^(\d{4})(\d{2})$")
# month alone: 9月, 09月份, 九月, 9
_MONTH_ONLY: Final[re.Pattern[str]] = re.compile(
    r"^(\d{1,2}|十[一二]?|[一二三四五六七八九])\s*(?:月(?:份|末|底)?)?$"
)


class PeriodError(ValueError):
    """A text that is not an acceptable reporting month (message in Chinese and English).

    Parameters
    ----------
    key : str
        The message's key in :data:`geodata.i18n.LABELS`.
    **fmt
        Its values (as for :func:`geodata.i18n.t`).
    """

    def __init__(self, key: str, /, **fmt: object) -> None:
        self.key = key
        self.fmt = fmt
        super().__init__(bilingual(key, **fmt))

    def text(self, lang: Lang) -> str:
        """Return the message in one language (to quote it inside another message)."""
        return t(self.key, lang, **self.fmt)


def _shown(text: str) -> str:
    """Return ``text`` shortened for a message (never the whole of a long cell)."""
    return repr(text if len(text) <= 30 else text[:30] + "…")


def _month_number(token: str) -> int:
    """Return the month of ``9``, ``09`` or ``九`` (may be out of range)."""
    return int(token) if token.isdigit() else _ZH_MONTHS[token]


@dataclass(frozen=True, slots=True, order=True)
class Period:
    """One reporting month.

    Attributes
    ----------
    year : int
        Calendar year (2000–2100).
    month : int
        Month, 1–12.

    Raises
    ------
    PeriodError
        If the month is not 1–12 or the year is out of range.
    """

    year: int
    month: int

    def __post_init__(self) -> None:
        if not 1 <= self.month <= 12:
            raise PeriodError("progress_month_range", month=self.month)
        if not MIN_YEAR <= self.year <= MAX_YEAR:
            raise PeriodError("progress_year_range", lo=MIN_YEAR, hi=MAX_YEAR, year=self.year)

    @classmethod
    def parse(
        cls, text: object, *, year: int | None = None, today: dt.date | None = None
    ) -> Period:
        """Read a reporting month from a cell.

        Parameters
        ----------
        text : object
            ``2025-09``, ``2025/09``, ``2025.9``, ``2025年9月``, ``202509``,
            ``2025-09-30`` (the day is ignored), full-width digits; with
            ``year``: ``9月``, ``九月`` or ``9``. A ``Period``, ``pandas.Period``
            or date is taken as it is.
        year : int, optional
            Year of a text that gives only the month (the importer's ``--year``).
        today : datetime.date, optional
            The current date (tests inject it); default :func:`datetime.date.today`.

        Returns
        -------
        Period

        Raises
        ------
        PeriodError
            For empty text, text that is not a period (longer than
            :data:`MAX_TEXT` characters is refused unread), a month outside
            1–12, a month without a year, or a period after today's month.
        """
        period = cls.read(text, year=year)
        today = today or dt.date.today()
        if period > cls(today.year, today.month):
            now = cls(today.year, today.month)
            raise PeriodError(
                "progress_future",
                period=period.label(Lang.ZH),
                today=now.label(Lang.ZH),
                iso=str(period),
                today_iso=str(now),
            )
        return period

    @classmethod
    def read(cls, value: object, *, year: int | None = None) -> Period:
        """Read a period as :meth:`parse` does, without refusing months after today.

        Parameters
        ----------
        value : object
            As for :meth:`parse`.
        year : int, optional
            Year of a text that gives only the month.

        Returns
        -------
        Period

        Raises
        ------
        PeriodError
            As :meth:`parse`, except for a month after today.
        """
        if isinstance(value, Period):
            return value
        if isinstance(value, pd.Period):
            return cls(value.year, value.month)
        if isinstance(value, dt.date):
            return cls(value.year, value.month)
        text = "" if value is None else str(value)
        if len(text) > MAX_TEXT:
            raise PeriodError("progress_too_long", n=len(text))
        key = unicodedata.normalize("NFKC", text).strip()
        if not key:
            raise PeriodError("progress_empty")
        if match := _YEAR_MONTH.match(key) or _COMPACT.match(key):
            month = next(g for g in match.groups()[1:] if g is not None)
            return cls(int(match.group(1)), _month_number(month))
        if match := _MONTH_ONLY.match(key):
            if year is None:
                raise PeriodError("progress_no_year", text=_shown(key))
            return cls(year, _month_number(match.group(1)))
        raise PeriodError("progress_unreadable", text=_shown(key))

    @classmethod
    def from_ordinal(cls, ordinal: int) -> Period:
        """Return the period of a month number (months since January 1970)."""
        year, month0 = divmod(int(ordinal), 12)
        return cls(1970 + year, month0 + 1)

    @property
    def ordinal(self) -> int:
        """Month number since January 1970 (pandas' ``period[M]`` ordinal)."""
        return (self.year - 1970) * 12 + self.month - 1

    @property
    def time_share(self) -> float:
        """Share of the year elapsed at the end of this month (m/12)."""
        return self.month / 12

    def shift(self, months: int) -> Period:
        """Return the period ``months`` later (earlier when negative)."""
        return Period.from_ordinal(self.ordinal + months)

    def previous(self) -> Period:
        """Return the month before."""
        return self.shift(-1)

    def to_pandas(self) -> pd.Period:
        """Return the ``pandas.Period`` (freq ``M``)."""
        return pd.Period(year=self.year, month=self.month, freq="M")

    def label(self, lang: Lang = Lang.ZH) -> str:
        """Return the label planners read: ``2025年9月`` or ``Sep 2025``.

        Parameters
        ----------
        lang : Lang
            The language.

        Returns
        -------
        str
        """
        return t(
            "period", lang, year=self.year, month=self.month, month_abbr=_MONTH_EN[self.month - 1]
        )

    def __str__(self) -> str:
        """Return the ISO month, ``2025-09`` (the form used in URLs and files)."""
        return f"{self.year:04d}-{self.month:02d}"


def year_periods(year: int, *, through: int = 12) -> list[Period]:
    """Return the months of ``year`` from January to month ``through``.

    Parameters
    ----------
    year : int
        Calendar year.
    through : int
        Last month included (1–12).

    Returns
    -------
    list[Period]
    """
    return [Period(year, m) for m in range(1, through + 1)]


def period_array(values: object) -> pd.arrays.PeriodArray:
    """Return a ``period[M]`` array from periods, ISO texts, ordinals or ``None``.

    Parameters
    ----------
    values : iterable or numpy.ndarray
        :class:`Period`, ``pandas.Period``, texts :meth:`Period.read`
        accepts (``"2025-09"``, ``"2025年9月"``), ``None``/``NaT``; or an
        integer array of ordinals (the int64 minimum = missing).

    Raises
    ------
    PeriodError
        For a text that is not a period.

    Returns
    -------
    pandas.arrays.PeriodArray
    """
    if isinstance(values, np.ndarray) and values.dtype.kind == "i":
        return pd.arrays.PeriodArray(values.astype("int64"), dtype=PERIOD_DTYPE)
    items = pd.Series([str(v) if isinstance(v, Period) else v for v in values], dtype=object)  # type: ignore[attr-defined]
    texts = items[[isinstance(v, str) for v in items]].astype(str)
    if texts.str.fullmatch(r"\d{4}-(0[1-9]|1[0-2])|").all():
        return pd.array(items.replace("", None), dtype=PERIOD_DTYPE)  # type: ignore[return-value]
    # other spellings (2025年9月, 2025.9) by our own rules, one by one
    read = [None if _missing(v) else str(Period.read(v)) for v in items]
    return pd.array(read, dtype=PERIOD_DTYPE)  # type: ignore[return-value]


def _missing(value: object) -> bool:
    """Whether a cell stands for no period (``None``, ``NaT``, ``nan``, ``""``)."""
    return value is None or value == "" or (not isinstance(value, str) and bool(pd.isna(value)))


def ordinals(column: pd.Series) -> np.ndarray:
    """Return the month ordinals of a ``period[M]`` column (missing = a huge sentinel).

    Parameters
    ----------
    column : pandas.Series
        A ``period[M]`` column.

    Returns
    -------
    numpy.ndarray
        int64 ordinals; missing periods become ``np.iinfo(np.int64).max``, so
        that ``ordinal <= p`` is false for them.
    """
    values = pd.array(column, dtype=PERIOD_DTYPE).asi8.copy()
    values[values == np.iinfo(np.int64).min] = np.iinfo(np.int64).max
    return values
