r"""Plumbing for the builders: vendored asset URLs, safe script data, verbatim elements.

Every script and stylesheet a map needs is served by the app from
``static/vendor`` at ``{STATIC_URL}/vendor/<relpath>``; the HTML exporter
inlines exactly those URLs by reading ``VENDOR_DIR / relpath``. Our own
scripts live in ``static/cz``: maps written as one file inline them, the app
links them at ``{STATIC_URL}/cz/<name>?v=<hash>`` (:func:`js_url`), so the
browser loads them once rather than with every rerun. Nothing is fetched
from a CDN.

Text that is not ours (names, companies, sentences, titles) is never read
as a Jinja2 template. branca's ``MacroElement.render`` puts each element's
output into the page as ``Element(output)``, which compiles that output as a
template and renders it again with the page: ``{{ 7*7 }}`` in a project name
would show as ``49``, ``{{ this.__class__.__mro__ }}`` would reach Python
objects on the server, and a lone ``{%`` would fail the whole map. Two rules
prevent it: every element of ours derives from :class:`VerbatimElement`,
whose output goes into the page as it is, and every value reaches a script
through :func:`script_json`, which also writes the ``{`` of ``{{``, ``{%``
and ``{#`` as ``\u007b``, or into HTML through :func:`html_literal`
(``&#123;``), so the text cannot open a template tag wherever it ends up.
"""

from __future__ import annotations

import hashlib
import html
import json
import re
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from branca.element import Element, Figure, MacroElement

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
# the "{" that would open a jinja2 tag; in JSON it only occurs inside strings
_TEMPLATE_OPEN = re.compile(r"\{(?=[{%#])")


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
    JS string; the ``{`` of ``{{``, ``{%`` and ``{#`` (found only inside
    strings: JSON never writes them) is written ``\u007b``, so no text can
    open a Jinja2 tag if the script is compiled as a template. The decoded
    values are unchanged.

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
    return _TEMPLATE_OPEN.sub(lambda _: "\\u007b", text)


def html_literal(text: str) -> str:
    """Escape text for an HTML page so it shows as typed (e.g. the page title).

    Markup characters and quotes become character references, as with
    :func:`html.escape`, and so does every ``{`` (``&#123;``), so the text
    cannot open a Jinja2 tag if the page is compiled as a template.

    Parameters
    ----------
    text : str
        Text that is not ours.

    Returns
    -------
    str
        HTML text reading as ``text``.
    """
    return html.escape(text).replace("{", "&#123;")


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


class _Rendered(Element):
    """Text already rendered, put into the page as it is (never compiled as a template)."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self._name = "Rendered"
        self.text = text

    def render(self, **kwargs: Any) -> str:
        """Return the text unchanged."""
        return self.text


class VerbatimElement(MacroElement):
    """A macro element whose output goes into the page verbatim.

    branca's ``MacroElement.render`` wraps the output of the template's
    ``header``, ``html`` and ``script`` macros in ``Element(output)``, which
    compiles it as a Jinja2 template and renders it a second time with the
    page, so any text inside it (a project name, a title) would be read as
    template code. This render renders the macros once, like branca's, and
    hands their output to the figure as :class:`_Rendered` text. Every
    element of ours derives from it (first in the bases after a mixin such as
    ``JSCSSMixin``, or after a folium class whose template carries text that
    is not ours, as :class:`layers.counties.TextGeoJson` does).
    """

    def render(self, **kwargs: Any) -> None:
        """Add the rendered macros to the figure, then render the children."""
        figure = self.get_root()
        if not isinstance(figure, Figure):
            raise TypeError(f"{self._name} is rendered only inside a Figure")
        macros = self._template.module.__dict__
        for part, holder in (
            ("header", figure.header),
            ("html", figure.html),
            ("script", figure.script),
        ):
            macro = macros.get(part)
            if macro is not None:
                holder.add_child(_Rendered(macro(self, kwargs)), name=self.get_name())
        for child in self._children.values():
            child.render(**kwargs)
