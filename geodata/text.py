r"""Text shown as text: escaping for surfaces that render Markdown.

Streamlit renders the strings given to ``st.markdown``, ``st.caption``,
``st.error``, ``st.warning``, ``st.info``, ``st.success``, ``st.write`` and
most widget labels as Markdown, with ``$…$`` as maths, ``:red[…]`` as colour
and bare ``https://…`` as links. Text that came from a user (a search term in
the URL, a spreadsheet cell, a project name, an identity provider's display
name, an error message quoting any of these) goes through :func:`md_literal`
before it reaches one of them, so it shows exactly as written.

Backslash escapes alone do not stop Streamlit's bare-URL links: its GFM
autolinking runs on the text after escapes are resolved, so
``https\:\/\/evil\.example`` still became a clickable link in the browser.
An invisible word joiner (U+2060) after a ``:`` that ends a scheme-like word
(two or more letters or digits: ``https:``, ``mailto:``, not a drive letter
as in ``D:\资料``), after ``@`` and between ``www`` and ``.`` breaks every
``http://``, ``www.`` and e-mail pattern without changing what is seen.
"""

from __future__ import annotations

import re

# every ascii punctuation character; commonmark lets a backslash escape each one
_MD_SPECIALS = re.compile(r"[!-/:-@\[-`{-~]")
# a run of line breaks (with the spaces around them) becomes one hard break
_LINE_BREAKS = re.compile(r"[ \t]*(?:\r\n|\r|\n)\s*")
_HARD_BREAK = "  \n"
# where a bare url, www. domain or e-mail address could be autolinked (escaped text)
_AUTOLINK_SPOTS = re.compile(r"((?<=[A-Za-z0-9]{2})\\:|\\@)|(?<=www)(?=\\\.)", re.IGNORECASE)
WORD_JOINER = "\u2060"


def md_literal(text: object) -> str:
    """Escape text so that a Markdown surface shows it literally.

    Parameters
    ----------
    text : object
        What to show (``str()`` of it is used).

    Returns
    -------
    str
        The text with every ASCII punctuation character backslash-escaped (no
        links, emphasis, headings, HTML, code, ``$`` maths or ``:colour[…]``
        directives can form), a :data:`WORD_JOINER` after each scheme-like
        ``word:`` and ``@`` and between ``www`` and ``.`` (no bare URL or
        e-mail address is autolinked) and each run of line breaks turned into one Markdown
        hard break (no indented code block or new block can start).
    """
    escaped = _MD_SPECIALS.sub(r"\\\g<0>", str(text))
    unlinked = _AUTOLINK_SPOTS.sub(_join, escaped)
    return _LINE_BREAKS.sub(_HARD_BREAK, unlinked)


def _join(match: re.Match[str]) -> str:
    """Put a word joiner after an escaped ``:``/``@``, or at an empty ``www|.`` spot."""
    return (match.group(1) or "") + WORD_JOINER
