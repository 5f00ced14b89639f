"""Names of exported things: page titles and file names."""

from __future__ import annotations

import re
from datetime import date

from geodata.divisions import BY_ADCODE
from geodata.i18n import Lang, county_name, t

REPORT_YEAR = 2025
"""Year of the register's source report, used in default titles."""


def default_title(*, focus_adcode: str | None = None, lang: Lang = Lang.ZH) -> str:
    """Return the default page title, e.g. ``长治市2025年重大项目分布图``."""
    place = county_name(focus_adcode, lang) if focus_adcode else t("city_name", lang)
    return t("title_map", lang, place=place, year=REPORT_YEAR)


def atlas_title(*, lang: Lang = Lang.ZH) -> str:
    """Document title of the atlas, e.g. ``长治市2025年重大项目分县图集``."""
    return t("title_atlas", lang, year=REPORT_YEAR)


def _place(adcode: str | None, lang: Lang) -> str:
    """Short name of the county, or of the city when ``adcode`` is ``None``."""
    if adcode and adcode in BY_ADCODE:
        return county_name(adcode, lang, short=True)
    return t("city_name", lang)


def export_filename(
    suffix: str,
    *,
    adcode: str | None = None,
    kind: str = "map",
    lang: Lang = Lang.ZH,
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
    lang : Lang
        Language of the name.
    today : datetime.date, optional
        Date stamp; today by default.

    Returns
    -------
    str
        A file name without folder.
    """
    stamp = (today or date.today()).strftime("%Y%m%d")
    if kind == "atlas":
        stem = atlas_title(lang=lang)
    elif kind == "extract":
        stem = t("file_extract", lang, place=_place(adcode, lang), year=REPORT_YEAR)
    else:
        stem = default_title(focus_adcode=adcode, lang=lang)
    stem = re.sub(r"[^\w-]+", "_", stem).strip("_")
    return f"{stem}_{stamp}.{suffix.lower()}"
