"""Labels of enum values, counties, metrics and choices in the interface language.

Kept together so that one shared vocabulary module can replace them.
"""

from __future__ import annotations

from typing import Any

from geodata.divisions import BY_ADCODE
from layers.i18n import Lang, t
from layers.shading import ChoroplethChoice, Metric


def label_of(enum_value: Any, lang: Lang) -> str:
    """Return an enum member's label in ``lang``."""
    return enum_value.zh if lang is Lang.ZH else enum_value.en


def enum_label(value: str, *, enum: type, lang: Lang) -> str:
    """Label a stored enum value (``format_func`` of the pickers)."""
    return label_of(enum(value), lang)


def county_label(adcode: str, lang: Lang) -> str:
    """Return a county's name in ``lang``."""
    d = BY_ADCODE.get(adcode)
    if d is None:
        return adcode or t("county_unknown", lang)
    return d.name_zh if lang is Lang.ZH else d.name_en


def metric_label(value: str, *, lang: Lang) -> str:
    """Label a ranking metric."""
    return t("metric_count" if value == Metric.COUNT.value else "metric_invest", lang)


def orientation_label(value: str, *, lang: Lang) -> str:
    """Label a paper orientation."""
    return t(f"orient_{value}", lang)


def choropleth_label(option: str, lang: Lang) -> str:
    """Label a choropleth choice (its URL value: off, or ``metric:category``)."""
    choice = ChoroplethChoice.from_param(option)
    if choice is None:
        return t("choropleth_off", lang)
    what = metric_label(choice.metric.value, lang=lang)
    which = (
        t("all_categories", lang) if choice.category is None else label_of(choice.category, lang)
    )
    return f"{what} · {which}"
