"""Plumbing for the builders: vendored asset URLs, safe script data, CRS check.

Every script and stylesheet a map needs is served by the app from
``static/vendor`` at ``{STATIC_URL}/vendor/<relpath>``; the HTML exporter
inlines exactly those URLs by reading ``VENDOR_DIR / relpath``. Our own
scripts live in ``static/cz``: maps written as one file inline them, the app
links them at ``{STATIC_URL}/cz/<name>?v=<hash>`` (:func:`js_url`), so the
browser loads them once rather than with every rerun. Nothing is fetched
from a CDN.
"""

from __future__ import annotations

import hashlib
import json
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from geodata.settings import STATIC_DIR, STATIC_URL, VENDOR_DIR

if TYPE_CHECKING:
    import folium.elements

# vendored files the maps load, relative to VENDOR_DIR, in load order
MAP_JS: tuple[str, ...] = ("leaflet/leaflet.js", "supercluster/supercluster.min.js")
MAP_CSS: tuple[str, ...] = ("leaflet/leaflet.css",)

_JS_DIR = STATIC_DIR / "cz"

# characters that could end a <script> block or a JS string early
_SCRIPT_UNSAFE = {
    "<": "\\u003c",
    ">": "\\u003e",
    "&": "\\u0026",
    "'": "\\u0027",
    "\u2028": "\\u2028",
    "\u2029": "\\u2029",
}


def asset_url(relpath: str) -> str:
    """Return the URL under which the app serves a vendored file.

    Parameters
    ----------
    relpath : str
        Path relative to ``VENDOR_DIR``, e.g. ``"leaflet/leaflet.js"``.

    Returns
    -------
    str
        ``f"{STATIC_URL}/vendor/{relpath}"``.

    Raises
    ------
    FileNotFoundError
        If the file is not vendored.
    """
    if not (VENDOR_DIR / relpath).is_file():
        raise FileNotFoundError(f"not vendored: {VENDOR_DIR / relpath}")
    return f"{STATIC_URL}/vendor/{relpath}"


def use_vendored_assets(element: folium.elements.JSCSSMixin) -> None:
    """Replace an element's CDN links by the vendored files only.

    Parameters
    ----------
    element : folium.elements.JSCSSMixin
        Usually the :class:`folium.Map`; its instance lists are replaced so
        folium's class-level CDN defaults are never rendered.
    """
    element.default_js = [(Path(p).stem, asset_url(p)) for p in MAP_JS]
    element.default_css = [(Path(p).stem + "_css", asset_url(p)) for p in MAP_CSS]


def script_json(value: Any) -> str:
    r"""Encode ``value`` as JSON that is safe inside a ``<script>`` block.

    ``<``, ``>``, ``&``, ``'`` and U+2028/U+2029 are written as ``\uXXXX``
    escapes, so no text can close the script, open a comment, or break a
    JS string or a template pass; the decoded values are unchanged.

    Parameters
    ----------
    value : Any
        JSON-serialisable value.

    Returns
    -------
    str
        A JavaScript expression.
    """
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    for char, escape in _SCRIPT_UNSAFE.items():
        text = text.replace(char, escape)
    return text


@cache
def js_source(name: str) -> str:
    """Return the text of one of our own scripts in ``static/cz``.

    Parameters
    ----------
    name : str
        File name, e.g. ``"projects.js"``.

    Returns
    -------
    str
        The script text.
    """
    return (_JS_DIR / name).read_text(encoding="utf-8")


@cache
def js_url(name: str) -> str:
    """Return the URL under which the app serves one of our own scripts.

    Parameters
    ----------
    name : str
        File name in ``static/cz``, e.g. ``"projects.js"``.

    Returns
    -------
    str
        ``f"{STATIC_URL}/cz/{name}?v=<hash>"``; the content hash makes a
        browser fetch a changed script instead of its cached copy.
    """
    digest = hashlib.sha256(js_source(name).encode("utf-8")).hexdigest()[:12]
    return f"{STATIC_URL}/cz/{name}?v={digest}"
