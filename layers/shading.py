"""County shading: the choropleth choice and the one classifier of web and print maps.

A :class:`ChoroplethChoice` says what the counties are shaded by (project
count or stated investment, of all projects or one category); it round-trips
through the URL as ``count:all`` or ``invest:energy``. :func:`shade` turns
the twelve county values into classes, colours and legend labels; the web
map (:mod:`layers.counties`) and the print maps (:mod:`layers.export`) both
draw from it, so a county has the same colour and the legend the same rows
on screen and on paper.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import StrEnum

import numpy as np
import pandas as pd

from geodata.i18n import Lang, label, t
from geodata.schema import Category
from geodata.settings import CHOROPLETH_COLORS, NO_DATA_COLOR

CHOROPLETH_OFF = "off"
"""URL value of "no choropleth"."""


class Metric(StrEnum):
    """What a county choropleth shows.

    ``Metric("investment")`` is accepted for :attr:`INVEST` (the word of the
    command line's ``--choropleth``).
    """

    COUNT = "count"
    INVEST = "invest"

    @classmethod
    def _missing_(cls, value: object) -> Metric | None:
        """Look up an alias (``"investment"``) of a metric."""
        return _METRIC_ALIASES.get(str(value).strip().lower())


_METRIC_ALIASES: dict[str, Metric] = {"investment": Metric.INVEST}


@dataclass(frozen=True, slots=True)
class ChoroplethChoice:
    """What the counties are shaded by.

    Attributes
    ----------
    metric : Metric
        Project count or stated investment (亿元).
    category : Category or None
        One category, or ``None`` for all projects.
    """

    metric: Metric = Metric.COUNT
    category: Category | None = None

    @property
    def column(self) -> str:
        """Summary column of the choice, e.g. ``invest_energy`` or ``count_all``."""
        return summary_column(self.metric, self.category)

    def to_param(self) -> str:
        """Encode as a URL value, e.g. ``invest:energy`` or ``count:all``."""
        which = "all" if self.category is None else self.category.value
        return f"{self.metric.value}:{which}"

    @classmethod
    def from_param(cls, text: str | None) -> ChoroplethChoice | None:
        """Decode a URL value; ``None`` for off or empty.

        Parameters
        ----------
        text : str or None
            ``metric[:category]``: ``count``, ``invest:energy``,
            ``investment:all`` ...; ``off`` or empty for none.

        Returns
        -------
        ChoroplethChoice or None

        Raises
        ------
        ValueError
            Naming the unknown metric or category.
        """
        text = (text or "").strip().lower()
        if text in ("", CHOROPLETH_OFF):
            return None
        metric, _, which = text.partition(":")
        try:
            metric_ = Metric(metric)
        except ValueError:
            raise ValueError(f"unknown choropleth {metric!r}; use count or investment") from None
        if which in ("", "all"):
            return cls(metric_, None)
        try:
            return cls(metric_, Category(which))
        except ValueError:
            known = ", ".join(c.value for c in Category)
            raise ValueError(f"unknown choropleth category {which!r}; use {known}") from None

    @classmethod
    def options(cls) -> tuple[ChoroplethChoice, ...]:
        """Every choice, count before investment, all categories first."""
        cats: tuple[Category | None, ...] = (None, *Category)
        return tuple(cls(m, c) for m in Metric for c in cats)

    def title(self, lang: Lang) -> str:
        """Legend title such as ``项目数 · 能源``."""
        return metric_title(self.metric, self.category, lang)


def summary_column(metric: Metric | str, category: Category | str | None) -> str:
    """Return the county-summary column of a metric and category.

    Parameters
    ----------
    metric : Metric or str
        ``"count"`` or ``"invest"``.
    category : Category or str or None
        A category, or ``None`` for all.

    Returns
    -------
    str
        E.g. ``"invest_energy"`` or ``"count_all"``.
    """
    suffix = Category(category).value if category is not None else "all"
    return f"{Metric(metric).value}_{suffix}"


def metric_title(metric: Metric | str, category: Category | str | None, lang: Lang) -> str:
    """Return a legend title such as ``"项目数 · 能源"``.

    Parameters
    ----------
    metric : Metric or str
        What is shown.
    category : Category or str or None
        A category, or ``None`` for all.
    lang : Lang
        Label language.

    Returns
    -------
    str
        The title.
    """
    which = t("all_categories", lang) if category is None else label(Category(category), lang)
    return t("metric_title", lang, metric=Metric(metric), which=which)


def summary_values(
    summary: pd.DataFrame, adcodes: list[str] | np.ndarray, choice: ChoroplethChoice
) -> np.ndarray:
    """Return each county's value of a choice from a county summary.

    Parameters
    ----------
    summary : pandas.DataFrame
        Indexed by adcode (``geodata.join.county_summary``).
    adcodes : list of str or numpy.ndarray
        Counties, in drawing order.
    choice : ChoroplethChoice
        Which column.

    Returns
    -------
    numpy.ndarray
        Floats; NaN where the summary has no row or no stated amount.

    Raises
    ------
    KeyError
        If ``summary`` lacks the column.
    """
    if choice.column not in summary.columns:
        raise KeyError(f"county summary has no column {choice.column!r}")
    series = summary[choice.column].set_axis(summary.index.astype(str))
    return series.reindex([str(a) for a in adcodes]).astype(float).to_numpy()


def class_breaks(values: np.ndarray, *, k: int = len(CHOROPLETH_COLORS)) -> np.ndarray:
    """Return class edges for a graduated choropleth.

    Class ``i`` holds values in ``(e[i], e[i+1]]`` (the first class also
    its lower edge). Edges are quantiles; when some counties have zero and
    others more, zero gets a class of its own (edges ``0, 0, ...``) and the
    positive values are split into ``k - 1`` quantile classes, so that a
    few counties with projects are not lumped with the many without.

    Parameters
    ----------
    values : numpy.ndarray
        Values, one per county (NaN ignored).
    k : int
        Largest number of classes.

    Returns
    -------
    numpy.ndarray
        Non-decreasing edges ``e0 <= e1 < ... < em`` (``m <= k`` classes);
        a single value gives one class ``[v, v]``.
    """
    finite = np.asarray(values, dtype=float)
    finite = finite[np.isfinite(finite)]
    if finite.size == 0:
        return np.array([0.0, 0.0])
    positive = finite[finite > 0]
    if positive.size and positive.size < finite.size and finite.min() == 0:
        upper = np.unique(np.quantile(positive, np.linspace(0, 1, k)))[1:]
        if upper.size == 0:
            upper = positive[:1]
        return np.concatenate([[0.0, 0.0], upper])
    edges = np.unique(np.quantile(finite, np.linspace(0, 1, k + 1)))
    if edges.size == 1:
        return np.array([edges[0], edges[0]])
    return edges


def class_colors(n_classes: int) -> list[str]:
    """Pick ``n_classes`` colours spread over ``CHOROPLETH_COLORS``, light to dark."""
    last = len(CHOROPLETH_COLORS) - 1
    if n_classes <= 1:
        return [CHOROPLETH_COLORS[last // 2]]
    picks = np.linspace(0, last, n_classes).round().astype(int)
    return [CHOROPLETH_COLORS[i] for i in picks]


def classify(values: np.ndarray, edges: np.ndarray) -> np.ndarray:
    """Return the class index of each value (-1 for NaN).

    Parameters
    ----------
    values : numpy.ndarray
        Values to classify.
    edges : numpy.ndarray
        Output of :func:`class_breaks`.

    Returns
    -------
    numpy.ndarray
        Integers in ``0 .. len(edges) - 2``, or -1.
    """
    values = np.asarray(values, dtype=float)
    idx = np.searchsorted(edges[1:], values, side="left").clip(0, len(edges) - 2)
    return np.where(np.isfinite(values), idx, -1)


def format_value(value: float, metric: Metric | str) -> str:
    """Format a county value: ``"1,234"`` for counts, ``"56.7"`` for 亿元, ``""`` for NaN."""
    if not math.isfinite(value):
        return ""
    if Metric(metric) is Metric.COUNT or value == 0:
        return f"{value:,.0f}"
    return f"{value:,.1f}" if abs(value) < 1000 else f"{value:,.0f}"


def class_label(lo: float, hi: float, metric: Metric | str) -> str:
    """Return the legend text of a class, e.g. ``"3 – 12"``, or ``"0"`` for one value."""
    if lo == hi:
        return format_value(lo, metric)
    return f"{format_value(lo, metric)} – {format_value(hi, metric)}"


@dataclass(frozen=True, slots=True)
class CountyShading:
    """Classes of the county values and how to draw them.

    Attributes
    ----------
    classes : numpy.ndarray
        Class index of each county (-1: no value).
    fills : tuple of str
        Fill colour of each county (:data:`NO_DATA_COLOR` without a value).
    legend : tuple of (str, str)
        Colour and label of each class, light to dark, then a no-data row
        when a county has no value.
    """

    classes: np.ndarray
    fills: tuple[str, ...]
    legend: tuple[tuple[str, str], ...]


def shade(values: np.ndarray, *, metric: Metric | str, lang: Lang) -> CountyShading:
    """Class county values for a choropleth: fills and legend rows.

    Parameters
    ----------
    values : numpy.ndarray
        One value per county (NaN: none).
    metric : Metric or str
        Which metric the values are (label format).
    lang : Lang
        Language of the no-data row.

    Returns
    -------
    CountyShading
        Classes, fills and legend; each class is labelled with the range of
        the counties in it.
    """
    values = np.asarray(values, dtype=float)
    edges = class_breaks(values)
    colors = class_colors(len(edges) - 1)
    classes = classify(values, edges)
    rows = []
    for i, color in enumerate(colors):
        # label each class with the range of the counties in it
        members = values[classes == i]
        lo, hi = (members.min(), members.max()) if members.size else (edges[i], edges[i + 1])
        rows.append((color, class_label(lo, hi, metric)))
    if np.isnan(values).any():
        rows.append((NO_DATA_COLOR, t("print_no_data", lang)))
    fills = tuple(colors[c] if c >= 0 else NO_DATA_COLOR for c in classes)
    return CountyShading(classes=classes, fills=fills, legend=tuple(rows))
