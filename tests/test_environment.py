"""environment.yml lists the same runtime packages as pyproject.toml."""

from __future__ import annotations

import re
import tomllib

from geodata.settings import ROOT_DIR

_SPEC = re.compile(r"^\s*([A-Za-z0-9_.\-]+)\s*(.*)$")


def _split(req: str) -> tuple[str, str]:
    m = _SPEC.match(req)
    assert m, req
    return m.group(1).lower().replace("_", "-"), m.group(2).replace(" ", "")


def _pyproject() -> dict[str, str]:
    data = tomllib.loads((ROOT_DIR / "pyproject.toml").read_text("utf-8"))
    return dict(_split(r) for r in data["project"]["dependencies"])


def _environment() -> dict[str, str]:
    lines = (ROOT_DIR / "environment.yml").read_text("utf-8").splitlines()
    start = lines.index("dependencies:")
    deps = {}
    for line in lines[start + 1 :]:
        item = line.strip()
        if not item.startswith("- "):
            continue
        name, spec = _split(item[2:])
        if name not in ("python", "pip"):
            deps[name] = spec
    return deps


def test_environment_yml_matches_pyproject():
    assert _environment() == _pyproject()


def test_environment_pins_python_311():
    text = (ROOT_DIR / "environment.yml").read_text("utf-8")
    assert re.search(r"^\s*- python=3\.11\s*$", text, re.MULTILINE)
