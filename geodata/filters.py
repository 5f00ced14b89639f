"""Project filters shared by the app, the exports and the URL.

A :class:`ProjectFilter` is a small immutable value made of scalars and
tuples, so the app can cache on it and round-trip it through the URL's query
parameters.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields

import geopandas as gpd
import numpy as np

from geodata.divisions import BY_ADCODE, county_adcode
from geodata.i18n import Lang, county_name, label, t
from geodata.schema import Category, KeyLevel, Major, Stage, Subcategory


@dataclass(frozen=True, slots=True)
class ProjectFilter:
    """A selection of projects.

    Attributes
    ----------
    categories, subcategories, counties, stages : tuple of str
        Allowed enum values / adcodes; empty means all.
    invest_min, invest_max : float or None
        Investment range in 亿元, inclusive; a bound excludes projects with
        no stated investment.
    query : str
        Case-insensitive substring of the Chinese or English name, company or
        location.
    key_levels : tuple of str
        Allowed :class:`~geodata.schema.KeyLevel` values (省重点, 市重点, 一般);
        empty means all. A project without a stated level matches none.
    major_only : bool
        Only projects of 10亿元 or more (``major_10yi`` = ``yes``; a project
        without a stated investment is not one).
    """

    categories: tuple[str, ...] = ()
    subcategories: tuple[str, ...] = ()
    counties: tuple[str, ...] = ()
    stages: tuple[str, ...] = ()
    invest_min: float | None = None
    invest_max: float | None = None
    query: str = ""
    key_levels: tuple[str, ...] = ()
    major_only: bool = False

    @property
    def is_empty(self) -> bool:
        """Whether the filter selects everything."""
        return self == ProjectFilter()

    def to_query_params(self) -> dict[str, str]:
        """Encode as URL query parameters (only the set fields).

        Returns
        -------
        dict of str to str
            Lists joined with commas, e.g. ``{"cat": "energy,industry"}``.
        """
        out: dict[str, str] = {}
        for f in fields(self):
            value = getattr(self, f.name)
            key = _PARAM[f.name]
            if isinstance(value, tuple) and value:
                out[key] = ",".join(value)
            elif isinstance(value, float):
                out[key] = f"{value:g}"
            elif isinstance(value, bool):
                if value:
                    out[key] = "1"
            elif isinstance(value, str) and value:
                out[key] = value
        return out

    @classmethod
    def from_query_params(cls, params: Mapping[str, str]) -> ProjectFilter:
        """Decode URL query parameters, dropping unknown or malformed values.

        Parameters
        ----------
        params : Mapping[str, str]
            E.g. ``st.query_params``.

        Returns
        -------
        ProjectFilter
        """

        def _items(key: str, allowed: set[str]) -> tuple[str, ...]:
            """Return the parameter's comma-separated values that are allowed, deduplicated."""
            raw = params.get(key, "") or ""
            return tuple(v for v in dict.fromkeys(raw.split(",")) if v in allowed)

        def _number(key: str) -> float | None:
            """Return the parameter as a finite non-negative number, or None."""
            try:
                value = float(params.get(key, ""))
            except (TypeError, ValueError):
                return None
            return value if np.isfinite(value) and value >= 0 else None

        counties = tuple(
            dict.fromkeys(
                a
                for a in (county_adcode(v) for v in (params.get("county", "") or "").split(","))
                if a
            )
        )
        return cls(
            categories=_items("cat", {c.value for c in Category}),
            subcategories=_items("sub", {s.value for s in Subcategory}),
            counties=counties,
            stages=_items("stage", {s.value for s in Stage}),
            invest_min=_number("min"),
            invest_max=_number("max"),
            query=(params.get("q", "") or "")[:100],
            key_levels=_items("level", {k.value for k in KeyLevel}),
            major_only=(params.get("major", "") or "") in ("1", "true", "yes"),
        )

    def describe(self, *, lang: Lang = Lang.ZH) -> str:
        """Summarise the filter in words for subtitles and provenance.

        Parameters
        ----------
        lang : Lang
            The language.

        Returns
        -------
        str
            E.g. ``类别：能源；县区：长子县`` or ``Category: Energy; County: Zhangzi County``.

        Raises
        ------
        ValueError
            For anything but a :class:`~geodata.i18n.Lang`.
        """
        sep = t("list_separator", lang)
        parts: list[str] = []
        for key, names in (
            ("describe_category", [label(Category(c), lang) for c in self.categories]),
            ("describe_subcategory", [label(Subcategory(s), lang) for s in self.subcategories]),
            ("describe_county", [county_name(a, lang) for a in self.counties if a in BY_ADCODE]),
            ("describe_stage", [label(Stage(s), lang) for s in self.stages]),
        ):
            if names:
                parts.append(t(key, lang, names=sep.join(names)))
        if self.invest_min is not None or self.invest_max is not None:
            lo = "" if self.invest_min is None else f"{self.invest_min:g}"
            hi = "" if self.invest_max is None else f"{self.invest_max:g}"
            parts.append(t("describe_investment", lang, lo=lo, hi=hi))
        if self.query:
            parts.append(t("describe_query", lang, query=self.query))
        if self.key_levels:
            names = sep.join(label(KeyLevel(k), lang) for k in self.key_levels)
            parts.append(t("describe_key_level", lang, names=names))
        if self.major_only:
            parts.append(label(Major.YES, lang))
        if not parts:
            return t("describe_all", lang)
        return t("describe_separator", lang).join(parts)


_PARAM = {
    "categories": "cat",
    "subcategories": "sub",
    "counties": "county",
    "stages": "stage",
    "invest_min": "min",
    "invest_max": "max",
    "query": "q",
    "key_levels": "level",
    "major_only": "major",
}

_SEARCH_COLUMNS = ("name_zh", "name_en", "company", "location_text")


def apply_filter(projects: gpd.GeoDataFrame, flt: ProjectFilter) -> gpd.GeoDataFrame:
    """Select the projects a filter allows.

    Parameters
    ----------
    projects : geopandas.GeoDataFrame
        Register-shaped frame. County filtering uses ``resolved_adcode`` when
        present (see :func:`geodata.join.assign_counties`), else
        ``county_adcode``.
    flt : ProjectFilter
        The selection.

    Returns
    -------
    geopandas.GeoDataFrame
        The selected rows, in their original order.
    """
    mask = np.ones(len(projects), dtype=bool)
    # one vectorised test per set field
    if flt.categories:
        mask &= projects["category"].isin(flt.categories).to_numpy()
    if flt.subcategories:
        mask &= projects["subcategory"].isin(flt.subcategories).to_numpy()
    if flt.counties:
        column = "resolved_adcode" if "resolved_adcode" in projects else "county_adcode"
        mask &= projects[column].isin(flt.counties).to_numpy()
    if flt.stages:
        mask &= projects["stage"].isin(flt.stages).to_numpy()
    invest = projects["investment_yi"].to_numpy(dtype=float)
    if flt.invest_min is not None:
        mask &= invest >= flt.invest_min
    if flt.invest_max is not None:
        mask &= invest <= flt.invest_max
    if flt.key_levels:
        mask &= projects["key_level"].isin(flt.key_levels).to_numpy()
    if flt.major_only:
        mask &= (projects["major_10yi"] == Major.YES.value).to_numpy()
    if flt.query:
        needle = flt.query.strip().lower()
        hit = np.zeros(len(projects), dtype=bool)
        for col in _SEARCH_COLUMNS:
            if col in projects:
                text = projects[col].fillna("").astype(str).str.lower()
                hit |= text.str.contains(needle, regex=False).to_numpy()
        mask &= hit
    return projects[mask]
