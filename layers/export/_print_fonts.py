r"""Fonts and literal text of print maps, passed explicitly to every text artist.

Nothing here changes matplotlib's process-wide settings while a page is
built: Streamlit renders each session in its own thread, and a font family
set in ``rcParams`` by one export would leak into (or be reset under) another.
Every text call takes its font from :func:`text_style` (or is fixed up by
:func:`literal`): the first installed family of
:data:`~geodata.settings.CJK_FONT_FAMILIES` with DejaVu Sans as fallback,
and ``parse_math=False`` so that ``$``, ``\``, ``^`` and ``_`` in titles,
names and filters are drawn as typed, never as mathtext. User text also
goes through :func:`in_typed_order`: matplotlib lays text out with libraqm,
which honours bidi controls, so a right-to-left override (U+202E) in a name
would draw it reversed and reverse the page's own words after it. Only the file
writers' embedding rules (TrueType/CID in PDF, ``<text>`` in SVG), which
matplotlib reads from ``rcParams`` while saving, are set inside
:func:`embedding_rules`, under one lock.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import Any

import matplotlib as mpl
from matplotlib import font_manager
from matplotlib.font_manager import FontProperties
from matplotlib.text import Text

from geodata.settings import CJK_FONT_FAMILIES

FALLBACK_FAMILY = "DejaVu Sans"
"""Family for glyphs the CJK font lacks."""

# explicit bidi formatting: arabic letter mark, lrm/rlm, embeddings, overrides, isolates
_BIDI_CONTROLS = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_EMBEDDING = {"pdf.fonttype": 42, "ps.fonttype": 42, "svg.fonttype": "none"}
_SAVE_LOCK = threading.Lock()
_FONT_LOCK = threading.Lock()


class FontNotFoundError(RuntimeError):
    """No CJK font is installed for Chinese print text."""


def _installed_family(families: tuple[str, ...]) -> str | None:
    """Return the first of ``families`` the font manager resolves to a CJK file."""
    for family in families:
        try:
            path = font_manager.findfont(
                font_manager.FontProperties(family=family), fallback_to_default=False
            )
        except ValueError:
            continue
        if "cjk" in Path(path).name.lower():
            return family
    return None


def find_cjk_family(families: tuple[str, ...]) -> str:
    """Find an installed CJK font family, registering system CJK fonts if needed.

    Matplotlib caches its font list; when the fonts were installed after the
    cache was built, the system font folders are scanned once and every
    CJK font file found is added to the font manager.

    Parameters
    ----------
    families : tuple[str, ...]
        Family names in order of preference.

    Returns
    -------
    str
        The first family matplotlib can render Chinese with.

    Raises
    ------
    FontNotFoundError
        If none is installed.
    """
    with _FONT_LOCK:
        found = _installed_family(families)
        if found is None:
            for path in font_manager.findSystemFonts():
                if "cjk" in Path(path).name.lower():
                    font_manager.fontManager.addfont(path)
            found = _installed_family(families)
    if found is None:
        raise FontNotFoundError(
            f"no CJK font found (tried {', '.join(families)}): install Debian "
            "fonts-noto-cjk (`make fonts`)"
        )
    return found


@cache
def cjk_font_family() -> str:
    """Return the CJK font family of print exports (see :func:`find_cjk_family`)."""
    return find_cjk_family(CJK_FONT_FAMILIES)


def font(size: float, *, weight: str = "normal") -> FontProperties:
    """Return the print font at ``size`` points: CJK first, DejaVu Sans for the rest.

    Parameters
    ----------
    size : float
        Size in points.
    weight : str
        ``"normal"`` or ``"bold"``.

    Returns
    -------
    matplotlib.font_manager.FontProperties
        A new object (text artists keep a reference to it).

    Raises
    ------
    FontNotFoundError
        If no CJK font is installed.
    """
    return FontProperties(family=[cjk_font_family(), FALLBACK_FAMILY], size=size, weight=weight)


def text_style(size: float, *, weight: str = "normal", **options: Any) -> dict[str, Any]:
    """Keyword arguments of one literal print text (``fig.text``, ``ax.text``).

    Parameters
    ----------
    size : float
        Size in points.
    weight : str
        ``"normal"`` or ``"bold"``.
    **options
        Further ``Text`` properties (colour, alignment, zorder, bbox ...).

    Returns
    -------
    dict
        ``fontproperties`` from :func:`font`, ``parse_math=False`` and ``options``.
    """
    return {"fontproperties": font(size, weight=weight), "parse_math": False, **options}


def in_typed_order(text: str) -> str:
    """Drop bidi formatting characters so that user text is drawn in the order typed.

    Parameters
    ----------
    text : str
        A title, the filters or another text that came from a user.

    Returns
    -------
    str
        ``text`` without U+061C, U+200E, U+200F, U+202A-U+202E and
        U+2066-U+2069 (they are invisible; right-to-left scripts themselves
        are still laid out right to left).
    """
    return _BIDI_CONTROLS.sub("", text)


def literal(artist: Text, size: float, *, weight: str = "normal") -> Text:
    """Give a text artist made by matplotlib (legend, table) the print font, literally.

    Parameters
    ----------
    artist : matplotlib.text.Text
        A legend label or title, or a table cell's text.
    size : float
        Size in points.
    weight : str
        ``"normal"`` or ``"bold"``.

    Returns
    -------
    matplotlib.text.Text
        The same artist, with mathtext parsing off.
    """
    artist.set_fontproperties(font(size, weight=weight))
    artist.set_parse_math(False)
    return artist


@contextmanager
def embedding_rules() -> Iterator[None]:
    """Hold the save lock and the font embedding rules while a file is written.

    Yields
    ------
    None
        Inside the block PDF embeds TrueType/CID fonts and SVG keeps
        ``<text>``; one writer at a time, so the process-wide values are
        never reset under another writer.
    """
    with _SAVE_LOCK, mpl.rc_context(_EMBEDDING):
        yield
