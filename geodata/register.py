"""The project register: load, validate and version the projects the city reports.

The register is a plain UTF-8 CSV (``geodata/data/projects.csv``, schema in
``geodata/data/SCHEMA.md``). :func:`load_register` funnels into
validate → load → build: every value is checked against the vocabularies in
:mod:`geodata.schema` and every bad value is reported with its row and field
before anything is built.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

import geopandas as gpd
import pandas as pd

from geodata.divisions import BY_ADCODE
from geodata.schema import (
    REGISTER_COLUMNS,
    Category,
    KeyLevel,
    Precision,
    Stage,
    Subcategory,
    major_flags,
)
from geodata.settings import CITY_BBOX, FIGURES_PATH, REGISTER_PATH, WGS84

if TYPE_CHECKING:
    from pathlib import Path

NUMERIC_COLUMNS: tuple[str, ...] = ("lon", "lat", "investment_yi", "capacity_value")
OPTIONAL_NUMERIC_COLUMNS: tuple[str, ...] = ("investment_yi", "capacity_value")
FIGURE_COLUMNS: tuple[str, ...] = (
    "key",
    "label_zh",
    "label_en",
    "value",
    "unit",
    "kind",
    "sentence",
)
FIGURE_KINDS: frozenset[str] = frozenset({"actual", "target"})
_VERSION_CHARS = 12


@dataclass(frozen=True, slots=True)
class Problem:
    """One bad value in the register.

    Attributes
    ----------
    row : int
        1-based data row (0 for a problem with the whole file).
    id : str
        The row's id (``""`` when missing).
    field : str
        Column name.
    message : str
        What is wrong.
    """

    row: int
    id: str
    field: str
    message: str

    def __str__(self) -> str:
        """Return the problem as one readable line."""
        if self.row == 0:
            return f"field {self.field!r}: {self.message}"
        return f"row {self.row} (id {self.id or '?'}), field {self.field!r}: {self.message}"


class RegisterError(ValueError):
    """Raised when the register breaks its schema; lists every problem.

    Attributes
    ----------
    problems : list[Problem]
        Every bad value found, in row order.
    """

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        lines = "\n".join(f"  {p}" for p in problems)
        super().__init__(f"project register has {len(problems)} problem(s):\n{lines}")


def _text(value: object) -> str:
    """Return a cell as stripped text (``""`` for missing values)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return str(value).strip()


def _number(value: str) -> float | None:
    """Return the cell as a finite float, or ``None`` if it is not one."""
    try:
        number = float(value)
    except ValueError:
        return None
    return number if math.isfinite(number) else None


def _number_problems(row: dict[str, str]) -> list[tuple[str, str]]:
    """Check a row's coordinates (inside the city box) and optional amounts (non-negative)."""
    out: list[tuple[str, str]] = []
    min_lon, min_lat, max_lon, max_lat = CITY_BBOX
    for field, low, high in (("lon", min_lon, max_lon), ("lat", min_lat, max_lat)):
        value = _number(row[field])
        if value is None:
            out.append((field, f"{row[field]!r} is not a number"))
        elif not low <= value <= high:
            out.append((field, f"{value} lies outside the city box {low}–{high}"))
    for field in OPTIONAL_NUMERIC_COLUMNS:
        value = _number(row[field]) if row[field] else 0.0
        if value is None:
            out.append((field, f"{row[field]!r} is not a number"))
        elif value < 0:
            out.append((field, f"{value} is negative"))
    return out


def _row_problems(i: int, row: dict[str, str], seen: set[str]) -> list[Problem]:
    """Check one data row; ``i`` is the 1-based row number."""
    rid = row["id"]
    out: list[Problem] = []

    def bad(field: str, message: str) -> None:
        """Record a problem with ``field`` of this row."""
        out.append(Problem(i, rid, field, message))

    # identity
    if not rid:
        bad("id", "is empty")
    elif rid in seen:
        bad("id", f"duplicate id {rid!r}")
    seen.add(rid)
    if not row["name_zh"]:
        bad("name_zh", "is empty")
    # vocabularies
    category = row["category"]
    if category not in {c.value for c in Category}:
        bad("category", f"unknown value {category!r}")
    sub = row["subcategory"]
    if sub not in {s.value for s in Subcategory}:
        bad("subcategory", f"unknown value {sub!r}")
    else:
        owner = Subcategory(sub).category
        if owner is not None and category in {c.value for c in Category} and owner != category:
            bad("subcategory", f"{sub!r} belongs to category {owner.value!r}, not {category!r}")
    if row["precision"] not in {p.value for p in Precision}:
        bad("precision", f"unknown value {row['precision']!r}")
    if row["stage"] not in {s.value for s in Stage}:
        bad("stage", f"unknown value {row['stage']!r}")
    if row["county_adcode"] and row["county_adcode"] not in BY_ADCODE:
        bad("county_adcode", f"{row['county_adcode']!r} is not a current county of 长治市")
    for field, message in _number_problems(row):
        bad(field, message)
    if row["key_level"] and row["key_level"] not in {k.value for k in KeyLevel}:
        bad("key_level", f"unknown value {row['key_level']!r}")
    invest = _number(row["investment_yi"]) if row["investment_yi"] else math.nan
    derived = str(major_flags([invest])[0]) if invest is not None else row["major_10yi"]
    if row["major_10yi"] != derived:
        bad("major_10yi", f"{row['major_10yi']!r} does not follow from investment_yi ({derived!r})")
    if row["capacity_value"] and not row["capacity_unit"]:
        bad("capacity_unit", "is empty although capacity_value is given")
    if not row["source_sentence"]:
        bad("source_sentence", "is empty")
    return out


def validate_register(df: pd.DataFrame) -> None:
    """Check a raw register table against the schema.

    Parameters
    ----------
    df : pandas.DataFrame
        The register as read from the file (any cell types; text expected).

    Raises
    ------
    RegisterError
        Listing every bad value with its 1-based data row, id and field:
        missing column, empty id or name, duplicate id, unknown category,
        subcategory, precision, stage or key level, subcategory of another
        category, ``major_10yi`` not following from ``investment_yi``,
        bad county adcode, coordinates that are not numbers or lie outside
        the city box, non-numeric or negative amounts.
    """
    missing = [c for c in REGISTER_COLUMNS if c not in df.columns]
    if missing:
        raise RegisterError([Problem(0, "", c, "column is missing") for c in missing])
    problems: list[Problem] = []
    seen: set[str] = set()
    records = df[list(REGISTER_COLUMNS)].to_dict("records")
    for i, record in enumerate(records, start=1):
        row = {k: _text(v) for k, v in record.items()}
        problems.extend(_row_problems(i, row, seen))
    if problems:
        raise RegisterError(problems)


def _read(path: Path) -> pd.DataFrame:
    """Read the register CSV as text, keeping empty cells as ``""``."""
    return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")


def _build(df: pd.DataFrame) -> gpd.GeoDataFrame:
    """Type a validated register and add point geometry."""
    out = df[list(REGISTER_COLUMNS)].map(_text)
    for col in NUMERIC_COLUMNS:
        out[col] = pd.to_numeric(out[col].replace("", None), errors="raise").astype(float)
    out["major_10yi"] = major_flags(out["investment_yi"].to_numpy())
    geometry = gpd.points_from_xy(out["lon"], out["lat"], crs=WGS84)
    return gpd.GeoDataFrame(out, geometry=geometry, crs=WGS84)


def load_register(path: Path = REGISTER_PATH) -> gpd.GeoDataFrame:
    """Load, validate and build the project register.

    Parameters
    ----------
    path : Path
        Register CSV (UTF-8, columns :data:`geodata.schema.REGISTER_COLUMNS`).

    Returns
    -------
    geopandas.GeoDataFrame
        Exactly ``REGISTER_COLUMNS`` + ``geometry`` (points, EPSG:4326). Text
        columns are ``str`` (``""`` when not stated), ``lon``, ``lat``,
        ``investment_yi`` (亿元) and ``capacity_value`` are float (NaN when
        not stated); enum columns hold the enum values.

    Raises
    ------
    RegisterError
        If any value breaks the schema (every problem is listed).
    """
    raw = _read(path)
    validate_register(raw)
    return _build(raw)


def load_figures(path: Path = FIGURES_PATH) -> pd.DataFrame:
    """Load the report's city-wide headline figures.

    Parameters
    ----------
    path : Path
        CSV with columns :data:`FIGURE_COLUMNS`.

    Returns
    -------
    pandas.DataFrame
        ``key, label_zh, label_en, value (float), unit, kind (actual/target),
        sentence``, in file order.

    Raises
    ------
    ValueError
        If a column is missing, a value is not a number or a kind is unknown.
    """
    raw = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    missing = [c for c in FIGURE_COLUMNS if c not in raw.columns]
    if missing:
        raise ValueError(f"{path}: missing column(s) {missing}")
    for i, row in enumerate(raw.itertuples(index=False), start=1):
        if _number(row.value) is None:
            raise ValueError(f"{path}: row {i} ({row.key}), field 'value': {row.value!r}")
        if row.kind not in FIGURE_KINDS:
            raise ValueError(f"{path}: row {i} ({row.key}), field 'kind': {row.kind!r}")
    out = raw[list(FIGURE_COLUMNS)].copy()
    out["value"] = out["value"].astype(float)
    return out


def register_version(path: Path = REGISTER_PATH) -> str:
    """Return a short content hash of the register file.

    Parameters
    ----------
    path : Path
        Register CSV.

    Returns
    -------
    str
        First 12 hex digits of the SHA-256 of the file bytes; changes
        whenever the file does (use it as a cache key).
    """
    return hashlib.sha256(path.read_bytes()).hexdigest()[:_VERSION_CHARS]
