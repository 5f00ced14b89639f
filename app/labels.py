"""Picker labels of the interface: ``format_func`` adapters over :mod:`geodata.i18n`.

Streamlit pickers hold stored values (enum values, adcodes, URL values);
these functions turn one into its label in the interface language. The
words themselves all come from :mod:`geodata.i18n`.
"""

from __future__ import annotations

from enum import StrEnum

from geodata.i18n import Lang, county_name, label, t
from layers.shading import ChoroplethChoice


def enum_label(value: str, *, enum: type[StrEnum], lang: Lang) -> str:
    """Label a stored enum value (``format_func`` of the pickers)."""
    return label(enum(value), lang)


def county_label(adcode: str, lang: Lang) -> str:
    """Return a county's name in ``lang`` (``县区未明`` when there is none)."""
    return county_name(adcode, lang) or t("county_unknown", lang)


def other_lang(lang: Lang) -> Lang:
    """Return the interface's other language (of a project's second name)."""
    return next(other for other in Lang if other is not lang)


def choropleth_label(option: str, lang: Lang) -> str:
    """Label a choropleth choice (its URL value: off, or ``metric:category``)."""
    choice = ChoroplethChoice.from_param(option)
    return t("choropleth_off", lang) if choice is None else choice.title(lang)
