"""Markdown escaping: user text shown through Markdown comes out exactly as written."""

from __future__ import annotations

import re

import pytest
from conftest import HOSTILE_NAMES

from geodata.text import WORD_JOINER, md_literal

# commonmark: a backslash before ascii punctuation stands for that character
_UNESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")
_BARE_SPECIAL = re.compile(r"(?<!\\)(?:\\\\)*[!-/:-@\[-`{-~]")

CASES = [
    "[点此重新登录](https://evil.example)",
    "[点此](https://evil.example)",
    "https://evil.example/x www.evil.example HTTP://EVIL.EXAMPLE WWW.EVIL.EXAMPLE",
    "a@evil.example mailto:a@evil.example xmpp:a@evil.example ftp://evil.example",
    "<img src=x onerror=alert(1)>",
    "${7*7}",
    "`code` ``x``",
    r"$\frac{1}{2}$",
    r"D:\资料\x4",
    '=HYPERLINK("http://x","y")',
    "\u202eevil\u202c",
    ":red[红字] :material/home: :smile:",
    "**粗** _斜_ ~~删~~ # 标题 > 引用 - 列表 1. 列表 | 表 |",
    "&lt;b&gt; &amp;",
    "名" * 2000,
]


@pytest.mark.parametrize("text", CASES + list(HOSTILE_NAMES))
def test_md_literal_round_trips_and_leaves_no_markup(text):
    out = md_literal(text)
    # every ascii punctuation character is escaped, so no markup can form
    stripped = _UNESCAPE.sub("", out)
    assert not re.search(r"[!-/:-@\[-`{-~]", stripped), out
    # as the renderer resolves the escapes: no bare url, www. domain or e-mail address
    resolved = _UNESCAPE.sub(r"\1", out)
    assert not re.search(r"(?i)[a-z]+://|www\.|@\w", resolved), resolved
    # and, but for invisible word joiners, the text as written
    assert resolved.replace(WORD_JOINER, "") == text


def test_a_drive_letter_path_gets_no_invisible_character():
    # what the side panel shows must equal the name, also when copied
    assert WORD_JOINER not in md_literal(r"D:\资料\x4")
    assert WORD_JOINER in md_literal("HTTPS://evil.example")


def test_the_login_link_is_no_link():
    out = md_literal("[点此重新登录](https://evil.example)")
    assert out == r"\[点此重新登录\]\(https\:" + WORD_JOINER + r"\/\/evil\.example\)"


def test_line_breaks_cannot_start_new_blocks():
    out = md_literal("第一行\n\n\n    缩进的代码块\r\n# 标题")
    assert out == "第一行  \n缩进的代码块  \n\\# 标题"
    assert "\n\n" not in out and "\n " not in out
