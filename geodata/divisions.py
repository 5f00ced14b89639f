"""The county-level divisions of 长治市: codes, names, seats and former names.

This is reference data, not geometry: the boundaries themselves live in
``geodata/data/counties.geojson``. County seats are the towns or sub-districts
where the county government sits, given in WGS-84 to about 1 km (the point of
the seat town, not of a building); the build checks that each lies inside its
own county.
"""

from __future__ import annotations

from dataclasses import dataclass

from geodata.schema import CountyKind


@dataclass(frozen=True, slots=True)
class Division:
    """One county-level division.

    Attributes
    ----------
    adcode : str
        Six-digit administrative code (2018 onwards).
    name_zh : str
        Chinese name, e.g. ``潞州区``.
    name_en : str
        English name from Hanyu Pinyin, e.g. ``Luzhou District``.
    pinyin : str
        Pinyin of the name without the 区/县 suffix.
    kind : CountyKind
        District (区) or county (县).
    seat_zh : str
        Seat town or sub-district.
    seat_lon, seat_lat : float
        Seat position, WGS-84 degrees.
    """

    adcode: str
    name_zh: str
    name_en: str
    pinyin: str
    kind: CountyKind
    seat_zh: str
    seat_lon: float
    seat_lat: float


DIVISIONS: tuple[Division, ...] = (
    Division(
        "140403",
        "潞州区",
        "Luzhou District",
        "Luzhou",
        CountyKind.DISTRICT,
        "英雄中路街道",
        113.1163,
        36.1955,
    ),
    Division(
        "140404",
        "上党区",
        "Shangdang District",
        "Shangdang",
        CountyKind.DISTRICT,
        "韩店街道",
        113.0512,
        36.0530,
    ),
    Division(
        "140405",
        "屯留区",
        "Tunliu District",
        "Tunliu",
        CountyKind.DISTRICT,
        "麟绛街道",
        112.8918,
        36.3159,
    ),
    Division(
        "140406",
        "潞城区",
        "Lucheng District",
        "Lucheng",
        CountyKind.DISTRICT,
        "潞华街道",
        113.2288,
        36.3342,
    ),
    Division(
        "140423",
        "襄垣县",
        "Xiangyuan County",
        "Xiangyuan",
        CountyKind.COUNTY,
        "古韩镇",
        113.0518,
        36.5354,
    ),
    Division(
        "140425",
        "平顺县",
        "Pingshun County",
        "Pingshun",
        CountyKind.COUNTY,
        "青羊镇",
        113.4359,
        36.2001,
    ),
    Division(
        "140426",
        "黎城县",
        "Licheng County",
        "Licheng",
        CountyKind.COUNTY,
        "黎侯镇",
        113.3873,
        36.5029,
    ),
    Division(
        "140427",
        "壶关县",
        "Huguan County",
        "Huguan",
        CountyKind.COUNTY,
        "龙泉镇",
        113.2068,
        36.1153,
    ),
    Division(
        "140428",
        "长子县",
        "Zhangzi County",
        "Zhangzi",
        CountyKind.COUNTY,
        "丹朱镇",
        112.8775,
        36.1213,
    ),
    Division(
        "140429",
        "武乡县",
        "Wuxiang County",
        "Wuxiang",
        CountyKind.COUNTY,
        "丰州镇",
        112.8650,
        36.8377,
    ),
    Division(
        "140430",
        "沁县",
        "Qin County",
        "Qin",
        CountyKind.COUNTY,
        "定昌镇",
        112.6994,
        36.7563,
    ),
    Division(
        "140431",
        "沁源县",
        "Qinyuan County",
        "Qinyuan",
        CountyKind.COUNTY,
        "沁河镇",
        112.3377,
        36.5003,
    ),
)

BY_ADCODE: dict[str, Division] = {d.adcode: d for d in DIVISIONS}

# names in use before the 2018 reform, mapped to today's adcode
LEGACY_NAMES: dict[str, str] = {
    "长治县": "140404",
    "城区": "140403",
    "长治市城区": "140403",
    "郊区": "140403",
    "长治市郊区": "140403",
    "潞城市": "140406",
    "屯留县": "140405",
}


@dataclass(frozen=True, slots=True)
class FormerDivision:
    """A county-level division as it was before the 2018 reform.

    Attributes
    ----------
    adcode : str
        Its former six-digit code.
    name_zh, name_en : str
        Its former name, e.g. ``长治县``, ``Changzhi County``.
    today : str
        Adcode of the division that holds the place today.
    """

    adcode: str
    name_zh: str
    name_en: str
    today: str


FORMER_DIVISIONS: dict[str, FormerDivision] = {
    f.adcode: f
    for f in (
        FormerDivision("140402", "城区", "Chengqu District", "140403"),
        FormerDivision("140411", "郊区", "Jiaoqu District", "140403"),
        FormerDivision("140421", "长治县", "Changzhi County", "140404"),
        FormerDivision("140424", "屯留县", "Tunliu County", "140405"),
        FormerDivision("140481", "潞城市", "Lucheng City", "140406"),
    )
}
"""Divisions before the 2018 reform, by their former adcode."""

# former adcodes of the same places
LEGACY_ADCODES: dict[str, str] = {code: f.today for code, f in FORMER_DIVISIONS.items()}


def county_adcode(text: str) -> str | None:
    """Resolve a county name, former name, short name or adcode to today's adcode.

    Parameters
    ----------
    text : str
        ``潞州区``, ``潞州``, ``长治县``, ``140404``, ``Luzhou District`` ...

    Returns
    -------
    str or None
        Today's six-digit adcode, or ``None`` when the text names no county.
    """
    key = text.strip().replace(" ", "").replace("\u3000", "")
    if not key:
        return None
    if key in BY_ADCODE:
        return key
    if key in LEGACY_ADCODES:
        return LEGACY_ADCODES[key]
    if key in LEGACY_NAMES:
        return LEGACY_NAMES[key]
    low = key.lower()
    for d in DIVISIONS:
        short = d.name_zh[:-1]
        if key in (d.name_zh, short) or low in (
            d.name_en.replace(" ", "").lower(),
            d.pinyin.lower(),
        ):
            return d.adcode
    return None
