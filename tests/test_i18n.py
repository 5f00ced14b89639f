"""The one vocabulary: every label exists in both languages and every key used exists."""

from __future__ import annotations

import ast
import importlib
import pkgutil
import string
from enum import Enum
from pathlib import Path

import pytest

import geodata
import layers
from geodata._labels_messages import MESSAGES
from geodata._labels_print import PRINT_LABELS
from geodata._labels_progress import PROGRESS_LABELS
from geodata._labels_ui import UI_LABELS
from geodata.i18n import (
    ENUM_LABELS,
    LABELS,
    Lang,
    bilingual,
    by_lang,
    county_name,
    label,
    per_lang,
    t,
)
from geodata.schema import Category, Precision, Stage

ROOT = Path(__file__).resolve().parents[1]
# functions whose first argument (after the function itself, for per_lang) is a text key
_KEY_FUNCTIONS = {"t", "bilingual", "by_lang", "too_many_columns", "PeriodError"}
_REQUIRED_ENUMS = {
    "Action",
    "Basemap",
    "Category",
    "Change",
    "CoordSystem",
    "CountyKind",
    "ExportFormat",
    "LagStatus",
    "Metric",
    "Orientation",
    "Paper",
    "Precision",
    "RowStatus",
    "Stage",
    "Subcategory",
    "TargetFamily",
    "TargetMeasure",
}


def _source_files() -> list[Path]:
    """Every module of the code base (geodata, layers, the app, bench)."""
    files = [*ROOT.glob("geodata/**/*.py"), *ROOT.glob("layers/**/*.py")]
    files += list(ROOT.glob("bench/**/*.py"))
    files += [p for p in (ROOT / "streamlit_app.py",) if p.exists()]
    files += list(ROOT.glob("app/**/*.py"))
    return [p for p in files if not p.name.startswith("_labels_")]


def _trees() -> dict[Path, ast.Module]:
    return {p: ast.parse(p.read_text("utf-8"), filename=str(p)) for p in _source_files()}


def _enum_classes() -> dict[str, type[Enum]]:
    """Every enum class defined in geodata and layers, by name."""
    found: dict[str, type[Enum]] = {}
    for package in (geodata, layers):
        for info in pkgutil.walk_packages(package.__path__, prefix=f"{package.__name__}."):
            if info.name.endswith("__main__"):
                continue
            module = importlib.import_module(info.name)
            for value in vars(module).values():
                if (
                    isinstance(value, type)
                    and issubclass(value, Enum)
                    and value.__module__ == module.__name__
                ):
                    found[value.__name__] = value
    return found


def _key_argument(call: ast.Call) -> ast.expr | None:
    """The text-key argument of a call of t, bilingual, by_lang, per_lang(t, ...)."""
    func = call.func
    name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)
    if name in _KEY_FUNCTIONS and call.args:
        return call.args[0]
    if name == "per_lang" and len(call.args) > 1:
        first = call.args[0]
        if isinstance(first, ast.Name) and first.id in {"t", "bilingual"}:
            return call.args[1]
    return None


def _prefix(node: ast.JoinedStr) -> str:
    """The constant start of an f-string."""
    first = node.values[0] if node.values else None
    return first.value if isinstance(first, ast.Constant) else ""


def test_every_member_of_every_labelled_enum_has_both_labels():
    classes = _enum_classes()
    assert set(ENUM_LABELS) >= _REQUIRED_ENUMS
    for name, table in ENUM_LABELS.items():
        assert name in classes, f"labels for {name}, which is no enum of geodata or layers"
        members = {m.value for m in classes[name]}
        assert set(table) == members, name
        for member in classes[name]:
            for lang in Lang:
                text = label(member, lang)
                assert text.strip() and text == text.strip(), (name, member, lang)


def test_every_text_has_both_languages_and_well_formed_placeholders():
    # the text tables share no key (a later one would hide an earlier one)
    tables = (UI_LABELS, PRINT_LABELS, PROGRESS_LABELS, MESSAGES)
    assert len(LABELS) == sum(len(table) for table in tables)
    for key, pair in LABELS.items():
        assert isinstance(pair, tuple) and len(pair) == 2, key
        for text in pair:
            assert text.strip(), key
            fields = [f for _, f, _, _ in string.Formatter().parse(text) if f is not None]
            assert all(f.isidentifier() for f in fields), (key, fields)


def test_every_key_used_in_code_exists():
    used: list[tuple[Path, int, str]] = []
    for path, tree in _trees().items():
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            arg = _key_argument(node)
            if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                assert arg.value in LABELS, f"{path.name}:{node.lineno}: no label {arg.value!r}"
                used.append((path, node.lineno, arg.value))
            elif isinstance(arg, ast.JoinedStr):
                start = _prefix(arg)
                assert start and any(k.startswith(start) for k in LABELS), (path, node.lineno)
    # the scan does see the code base
    assert len(used) > 150


def test_every_text_is_used_somewhere():
    # a key is used when it is written in code (in a call or a table of keys), or by an
    # f-string key with its prefix (column_{field}, hist_{column})
    constants: set[str] = set()
    prefixes: set[str] = set()
    for tree in _trees().values():
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                constants.add(node.value)
            elif isinstance(node, ast.JoinedStr) and _prefix(node):
                prefixes.add(_prefix(node))
    unused = [
        k for k in LABELS if k not in constants and not any(k.startswith(p) for p in prefixes)
    ]
    assert not unused


def test_no_module_keeps_its_own_translations():
    for path, tree in _trees().items():
        if path.name == "i18n.py":
            continue
        for node in ast.walk(tree):
            # no zh/en label properties on enums
            if isinstance(node, ast.FunctionDef):
                assert node.name not in {"zh", "en"}, f"{path.name}:{node.lineno}"
            # no `if lang is Lang.ZH` branches: texts come from the table
            if isinstance(node, ast.If | ast.IfExp):
                for part in ast.walk(node.test):
                    is_lang = (
                        isinstance(part, ast.Attribute)
                        and isinstance(part.value, ast.Name)
                        and part.value.id == "Lang"
                        and part.attr in {"ZH", "EN"}
                    )
                    assert not is_lang, f"{path.name}:{node.lineno}"


def test_lang_is_read_once_at_an_entry_point():
    assert Lang("EN") is Lang.EN
    assert Lang(" zh ") is Lang.ZH
    for bad in ("fr", "", "chinese", None, 1):
        with pytest.raises(ValueError, match="unknown language"):
            Lang(bad)
    # a link's language: Chinese when none or an unknown one is asked for
    assert Lang.from_link("en") is Lang.EN
    assert Lang.from_link(None) is Lang.ZH
    assert Lang.from_link("klingon") is Lang.ZH
    # functions below the entry points refuse text that is not a language
    with pytest.raises(ValueError, match="unknown language"):
        t("all", "fr")


def test_lookup_formats_enum_members_and_per_language_values():
    assert t("field_company", Lang.ZH) == "建设单位"
    assert t("field_company", Lang.EN) == "Company"
    with pytest.raises(KeyError):
        t("no_such_label", Lang.ZH)
    # without values the template is returned as stored (the map script fills it)
    assert "{shown}" in t("spider_shown", Lang.EN)
    # enum members are written as their labels, mappings by language
    text = t("print_legend_row", Lang.EN, name=Category.ENERGY, n=3)
    assert text == "Energy (3)"
    assert t("print_legend_row", Lang.ZH, name=Category.ENERGY, n=3) == "能源（3）"
    names = by_lang("column_county")
    assert names == {Lang.ZH: "所在县区", Lang.EN: "county"}
    assert t("with_note", Lang.EN, text="x", note=names) == "x (county)"


def test_bilingual_messages_read_chinese_then_english():
    assert bilingual("ingest_empty") == "文件为空 (the file is empty)"
    message = bilingual("ingest_coarser_location", given=Precision.COUNTY, stored=Precision.EXACT)
    assert message.startswith("所给位置（县区级）比项目库中的位置（精确）粗")
    assert message.endswith("(a coarser location does not replace the stored one)")
    where = per_lang(county_name, "140404")
    note = bilingual("ingest_county_from_point", county=where)
    assert note == "未填县区，按位置取为上党区 (county taken from the point)"


def test_county_names_full_short_today_and_former():
    assert county_name("140404", Lang.ZH) == "上党区"
    assert county_name("140404", Lang.EN) == "Shangdang District"
    assert county_name("140404", Lang.EN, short=True) == "Shangdang"
    assert county_name("140430", Lang.ZH, short=True) == "沁县"
    # a code from before the 2018 reform: today's place, or the name it had
    assert county_name("140421", Lang.ZH) == "上党区"
    assert county_name("140421", Lang.ZH, former=True) == "长治县"
    assert county_name("140421", Lang.EN, former=True) == "Changzhi County"
    assert county_name("140404", Lang.ZH, former=True) == "上党区"
    # nothing to name, and a code of no county kept as given
    assert county_name("", Lang.EN) == ""
    assert county_name("999999", Lang.ZH) == "999999"


def test_stage_labels_feed_the_import_vocabulary():
    from geodata.ingest._vocab import lookup_stage

    for stage in Stage:
        for lang in Lang:
            assert lookup_stage(label(stage, lang)) is stage
