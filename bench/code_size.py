"""List the modules over 400 lines and the functions over 60 lines of the code base.

``python -m bench.code_size`` reads every ``.py`` file of ``geodata/``,
``layers/``, ``app/``, ``bench/`` and ``streamlit_app.py`` (tests aside) and
prints, longest first, the modules over :data:`MODULE_LINES` lines and the
functions (methods and nested functions too) over :data:`FUNCTION_LINES`
lines, counted from the ``def`` line (decorators excluded) to the last line
of the body, docstring included. The contributors' rule is no module over
~500 lines and at most two functions over 60, each saying why in its
docstring; the list is what a reviewer quotes. Exit status 0 always.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path
from typing import NamedTuple

ROOT = Path(__file__).resolve().parents[1]
FOLDERS = ("geodata", "layers", "app", "bench")
MODULE_LINES = 400
FUNCTION_LINES = 60


class Sized(NamedTuple):
    """A module or function and its length in lines."""

    lines: int
    where: str


def source_files(root: Path = ROOT) -> list[Path]:
    """Return the code base's Python files (no tests, no virtual environment)."""
    files = [p for folder in FOLDERS for p in sorted((root / folder).rglob("*.py"))]
    entry = root / "streamlit_app.py"
    return files + ([entry] if entry.exists() else [])


def sizes(paths: list[Path], root: Path = ROOT) -> tuple[list[Sized], list[Sized]]:
    """Return the long modules and the long functions, longest first."""
    modules: list[Sized] = []
    functions: list[Sized] = []
    for path in paths:
        text = path.read_text(encoding="utf-8")
        name = path.relative_to(root).as_posix()
        n = len(text.splitlines())
        if n > MODULE_LINES:
            modules.append(Sized(n, name))
        for node in ast.walk(ast.parse(text, filename=name)):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                length = (node.end_lineno or node.lineno) - node.lineno + 1
                if length > FUNCTION_LINES:
                    functions.append(Sized(length, f"{name}:{node.lineno} {node.name}"))
    return sorted(modules, reverse=True), sorted(functions, reverse=True)


def main(argv: list[str] | None = None) -> int:
    """Print the long modules and functions (``argv``: folders to read instead of the defaults)."""
    args = sys.argv[1:] if argv is None else argv
    paths = (
        [p for a in args for p in sorted(Path(a).resolve().rglob("*.py"))]
        if args
        else source_files()
    )
    modules, functions = sizes(paths)
    print(f"modules over {MODULE_LINES} lines: {len(modules)}")
    for item in modules:
        print(f"  {item.lines:5d}  {item.where}")
    print(f"functions over {FUNCTION_LINES} lines: {len(functions)}")
    for item in functions:
        print(f"  {item.lines:5d}  {item.where}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
