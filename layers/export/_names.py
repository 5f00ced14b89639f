"""Names of exported things: page titles, place and label words, file names."""

from __future__ import annotations

import re
from datetime import date

from geodata.divisions import BY_ADCODE
from geodata.schema import Category
from geodata.settings import CITY_NAME_ZH
from layers.i18n import Lang, t

REPORT_YEAR = 2025
"""Year of the register's source report, used in default titles."""


def category_label(category: str, lang: Lang | str) -> str:
    """Label of a category value in ``lang``."""
    cat = Category(category)
    return cat.zh if Lang(lang) is Lang.ZH else cat.en


def county_label(adcode: str, lang: Lang | str, *, short: bool = False) -> str:
    """Name of a county in ``lang`` (pinyin only when ``short`` and English)."""
    div = BY_ADCODE.get(adcode)
    if div is None:
        return t("print_unknown_county", lang)
    if Lang(lang) is Lang.ZH:
        return div.name_zh
    return div.pinyin if short else div.name_en


def default_title(*, focus_adcode: str | None = None, lang: Lang | str = Lang.ZH) -> str:
    """Return the default page title, e.g. ``长治市2025年重大项目分布图``."""
    if Lang(lang) is Lang.EN:
        place = county_label(focus_adcode, Lang.EN) if focus_adcode else "Changzhi"
        return f"{place}: major projects {REPORT_YEAR}"
    place = county_label(focus_adcode, Lang.ZH) if focus_adcode else CITY_NAME_ZH
    return f"{place}{REPORT_YEAR}年重大项目分布图"


def atlas_title(*, lang: Lang | str = Lang.ZH) -> str:
    """Document title of the atlas, e.g. ``长治市2025年重大项目分县图集``."""
    if Lang(lang) is Lang.EN:
        return f"Changzhi major projects {REPORT_YEAR}: county atlas"
    return f"{CITY_NAME_ZH}{REPORT_YEAR}年重大项目分县图集"


def _place(adcode: str | None, lang: Lang) -> str:
    """Name of the county, or of the city when ``adcode`` is ``None``."""
    if adcode and adcode in BY_ADCODE:
        div = BY_ADCODE[adcode]
        return div.name_zh if lang is Lang.ZH else div.pinyin
    return CITY_NAME_ZH if lang is Lang.ZH else "Changzhi"


def export_filename(
    suffix: str,
    *,
    adcode: str | None = None,
    kind: str = "map",
    lang: Lang | str = Lang.ZH,
    today: date | None = None,
) -> str:
    """Suggest a file name for a download, e.g. ``长治市2025年重大项目分布图_20261126.pdf``.

    Parameters
    ----------
    suffix : str
        File extension (``png``, ``pdf``, ``svg``, ``html``, ``zip``, ``csv`` ...).
    adcode : str, optional
        County of the selection.
    kind : {"map", "atlas", "extract"}
        What is exported.
    lang : Lang or str
        Language of the name.
    today : datetime.date, optional
        Date stamp; today by default.

    Returns
    -------
    str
        A file name without folder.
    """
    lang = Lang(lang)
    stamp = (today or date.today()).strftime("%Y%m%d")
    if kind == "atlas":
        stem = atlas_title(lang=lang)
    elif kind == "extract":
        place = _place(adcode, lang)
        stem = (
            f"{place}{REPORT_YEAR}年重大项目清单" if lang is Lang.ZH else f"{place}_projects_2025"
        )
    else:
        stem = default_title(focus_adcode=adcode, lang=lang)
    stem = re.sub(r"[^\w-]+", "_", stem).strip("_")
    return f"{stem}_{stamp}.{suffix.lower()}"
