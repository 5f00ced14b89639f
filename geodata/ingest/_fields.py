"""Per-field parsing: each register field read from its column, with what was stated.

Every function takes the read table and its :class:`HeaderMap`, records
doubtful or bad cells in the :class:`RowLog` and returns the field's values
plus a mask of the rows whose cell actually stated a value (blank, unknown
or rejected cells are not stated: on an update they keep the stored value).
"""

from __future__ import annotations

from collections.abc import Callable
from enum import Enum

import numpy as np
import pandas as pd

from geodata.i18n import bilingual, by_lang
from geodata.ingest._cells import Parsed, RowLog, Verdict
from geodata.ingest._headers import HeaderMap
from geodata.ingest._parse_amounts import parse_amount, parse_number
from geodata.ingest._text import clean_text, normalise
from geodata.ingest._vocab import (
    lookup_category,
    lookup_county,
    lookup_key_level,
    lookup_precision,
    lookup_stage,
    lookup_subcategory,
)
from geodata.schema import Stage, Subcategory, major_flags

# free-text register fields, taken as written (trimmed)
TEXT_FIELDS: tuple[str, ...] = (
    "name_zh",
    "name_en",
    "company",
    "location_text",
    "capacity_unit",
    "capacity_text",
    "source_sentence",
)

Field = tuple[np.ndarray, np.ndarray]


def raw_column(table: pd.DataFrame, header: HeaderMap, name: str) -> np.ndarray:
    """Cells of a field's column as text (``""`` everywhere when the file lacks it)."""
    col = header.fields.get(name)
    if col is None:
        return np.full(len(table), "", dtype=object)
    return table[col].astype(str).to_numpy(dtype=object)


def _mapped(values: np.ndarray, convert: object) -> np.ndarray:
    """Apply a cell function once per distinct value."""
    memo = {v: convert(v) for v in pd.unique(values)}  # type: ignore[operator]
    out = np.empty(len(values), dtype=object)
    out[:] = [memo[v] for v in values]
    return out


def text_field(table: pd.DataFrame, header: HeaderMap, name: str) -> Field:
    """Return a free-text field as written and where it is stated."""
    values = _mapped(raw_column(table, header, name), clean_text)
    return values, values != ""


def key_field(table: pd.DataFrame, header: HeaderMap, name: str) -> np.ndarray:
    """Return a field's cells normalised for lookups (full-width folded, trimmed)."""
    return _mapped(raw_column(table, header, name), normalise)


def names(table: pd.DataFrame, header: HeaderMap, log: RowLog) -> Field:
    """Project names; an empty one rejects the row."""
    values, stated = text_field(table, header, "name_zh")
    for i in np.flatnonzero(~stated):
        log.add(i, Verdict.REJECT, bilingual("ingest_name_empty"))
    return values, stated


def counties(table: pd.DataFrame, header: HeaderMap, log: RowLog) -> Field:
    """County adcodes from today's names, former names or codes; unknown ones reject."""
    text = key_field(table, header, "county")
    found = _mapped(text, lookup_county)
    for i in np.flatnonzero(found == None):  # noqa: E711 (elementwise)
        log.add(i, Verdict.REJECT, bilingual("ingest_unknown_county", text=text[i]))
    adcode = np.where(found == None, "", found).astype(object)  # noqa: E711
    return adcode, text != ""


def _category_of(cat_text: str, sub_text: str) -> tuple[str, str, str, str]:
    """Category and subcategory of one row, with a warning and a rejection (or ``""``)."""
    sub = lookup_subcategory(sub_text) if sub_text else Subcategory.OTHER
    warn = ""
    if sub is None:
        warn = bilingual("ingest_unknown_subcategory", text=sub_text)
        sub = Subcategory.OTHER
    cat = lookup_category(cat_text) if cat_text else sub.category
    if cat is None:
        reject = (
            bilingual("ingest_unknown_category", text=cat_text)
            if cat_text
            else bilingual("ingest_category_empty")
        )
        return "", "", warn, reject
    if sub.category is not None and sub.category is not cat:
        return (
            "",
            "",
            warn,
            bilingual(
                "ingest_category_mismatch", subcategory=sub, belongs=sub.category, category=cat
            ),
        )
    return cat.value, sub.value, warn, ""


def categories(
    table: pd.DataFrame, header: HeaderMap, log: RowLog
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Category and subcategory through the lookup tables, and where each is stated."""
    cat_text = key_field(table, header, "category")
    sub_text = key_field(table, header, "subcategory")
    memo = {pair: _category_of(*pair) for pair in set(zip(cat_text, sub_text, strict=True))}
    n = len(table)
    category = np.full(n, "", dtype=object)
    subcategory = np.full(n, "", dtype=object)
    sub_ok = np.zeros(n, dtype=bool)
    for i, pair in enumerate(zip(cat_text, sub_text, strict=True)):
        cat, sub, warn, reject = memo[pair]
        if warn:
            log.add(i, Verdict.WARN, warn)
        if reject:
            log.add(i, Verdict.REJECT, reject)
            continue
        category[i], subcategory[i] = cat, sub
        sub_ok[i] = bool(pair[1]) and not warn
    return category, (cat_text != "") | sub_ok, subcategory, sub_ok


def stages(table: pd.DataFrame, header: HeaderMap, log: RowLog) -> Field:
    """Stage through the vocabulary; an unknown term is a warning and ``unknown``."""
    text = key_field(table, header, "stage")
    found = _mapped(text, lookup_stage)
    for i in np.flatnonzero(found == None):  # noqa: E711
        log.add(i, Verdict.WARN, bilingual("ingest_unknown_stage", text=text[i]))
    stage = np.array([(s or Stage.UNKNOWN).value for s in found], dtype=object)
    return stage, (text != "") & (found != None)  # noqa: E711


def _optional_term(
    table: pd.DataFrame,
    header: HeaderMap,
    log: RowLog,
    *,
    name: str,
    lookup: Callable[[str], Enum | None],
    message: str,
) -> Field:
    """Read a field through a vocabulary; blank or an unknown term (a warning) is not stated."""
    text = key_field(table, header, name)
    found = _mapped(text, lookup)
    unknown = (text != "") & (found == None)  # noqa: E711
    for i in np.flatnonzero(unknown):
        log.add(i, Verdict.WARN, bilingual(message, text=text[i]))
    value = np.array(["" if k is None else k.value for k in found], dtype=object)
    return value, value != ""


def key_levels(table: pd.DataFrame, header: HeaderMap, log: RowLog) -> Field:
    """Key-project level through the vocabulary; an unknown term is a warning and not stated."""
    return _optional_term(
        table, header, log, name="key_level", lookup=lookup_key_level,
        message="ingest_unknown_key_level",
    )  # fmt: skip


def majors(investment: Field) -> Field:
    """``major_10yi`` derived from the parsed investment (stated where the investment is)."""
    values, stated = investment
    return major_flags(values), stated


def _numbers(values: np.ndarray, parse: object, log: RowLog) -> Field:
    """Parse number cells once per distinct text; log their verdicts."""
    parsed: np.ndarray = _mapped(values, parse)
    out = np.full(len(values), np.nan)
    for i, p in enumerate(parsed):
        assert isinstance(p, Parsed)
        out[i] = p.value
        log.add(i, p.verdict, p.message)
    return out, ~np.isnan(out)


def investments(table: pd.DataFrame, header: HeaderMap, log: RowLog) -> Field:
    """Total investment in 亿元 (``nan`` when the file has no such column)."""
    if "investment" not in header.fields:
        return np.full(len(table), np.nan), np.zeros(len(table), dtype=bool)
    text = raw_column(table, header, "investment")

    def parse(v: str) -> Parsed:
        return parse_amount(v, default_unit=header.investment_unit)

    return _numbers(text, parse, log)


def capacities(table: pd.DataFrame, header: HeaderMap, log: RowLog) -> Field:
    """Headline capacity figures (plain non-negative numbers)."""
    text = raw_column(table, header, "capacity_value")

    def parse(v: str) -> Parsed:
        return parse_number(v, label=by_lang("column_capacity_value"))

    return _numbers(text, parse, log)


def precisions(table: pd.DataFrame, header: HeaderMap, log: RowLog) -> Field:
    """Stated location precision (``""`` when blank); an unknown term is a warning."""
    return _optional_term(
        table, header, log, name="precision", lookup=lookup_precision,
        message="ingest_unknown_precision",
    )  # fmt: skip


def ids(table: pd.DataFrame, header: HeaderMap) -> Field:
    """Ids as given in the file and where one was given."""
    return text_field(table, header, "id")
