"""The one vocabulary: labels of the interface, of every enum, county names and messages.

Every word shown to a planner, printed on a map or written into a message
comes from one table, in Chinese and English:

- :func:`t` looks up a key of :data:`LABELS` (the interface, print pages and
  messages, kept as plain data in ``geodata/_labels_*.py``) in one
  :class:`Lang`;
- :func:`label` gives the label of an enum member (:data:`ENUM_LABELS`,
  keyed by the enum's class name and the member's value);
- :func:`county_name` gives a county's name, full or short, today's or
  former;
- :func:`bilingual` writes a message for logs, command lines and errors as
  ``中文 (English)``, the form every raised message uses.

Interface text is looked up in the user's language; messages that leave the
process (exceptions, report rows, version notes) are written in both, by
:func:`bilingual`. Functions take a :class:`Lang`; only entry points (the
app, command lines, :class:`layers.export.ExportRequest`) accept text and
convert it once with ``Lang(value)``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from enum import Enum, StrEnum

from geodata._labels_enums import ENUM_LABELS
from geodata._labels_messages import MESSAGES
from geodata._labels_print import PRINT_LABELS
from geodata._labels_progress import PROGRESS_LABELS
from geodata._labels_ui import UI_LABELS
from geodata.divisions import BY_ADCODE, FORMER_DIVISIONS

__all__ = [
    "ENUM_LABELS",
    "LABELS",
    "Lang",
    "bilingual",
    "by_lang",
    "county_name",
    "label",
    "per_lang",
    "t",
]


class Lang(StrEnum):
    """Language of the interface: Chinese (the default) or English.

    ``Lang("EN")`` and ``Lang(" zh ")`` are accepted (entry points read
    URLs and command lines); anything else raises ``ValueError`` naming the
    choices.
    """

    ZH = "zh"
    EN = "en"

    @classmethod
    def _missing_(cls, value: object) -> Lang:
        """Accept another case or surrounding spaces; refuse anything else."""
        if isinstance(value, str):
            for member in cls:
                if value.strip().lower() == member.value:
                    return member
        raise ValueError(f"unknown language {value!r}; expected 'zh' or 'en'")

    @classmethod
    def from_link(cls, value: object) -> Lang:
        """Read the language a link (``?lang=en``) asks for: Chinese for none or an unknown one."""
        try:
            return cls(value or cls.ZH)
        except ValueError:
            return cls.ZH


LABELS: dict[str, tuple[str, str]] = {**UI_LABELS, **PRINT_LABELS, **PROGRESS_LABELS, **MESSAGES}
"""Every text key and its ``(zh, en)`` pair (interface, print pages, messages)."""

_INDEX: dict[str, int] = {Lang.ZH: 0, Lang.EN: 1}


def _index(lang: Lang) -> int:
    """Position of ``lang`` in a ``(zh, en)`` pair; ValueError for anything else."""
    try:
        return _INDEX[lang]
    except (KeyError, TypeError):
        raise ValueError(f"unknown language {lang!r}; expected 'zh' or 'en'") from None


def _value(value: object, lang: Lang) -> object:
    """Return a format value in ``lang``: an enum member's label, a per-language value's pick."""
    if isinstance(value, Enum) and type(value).__name__ in ENUM_LABELS:
        return label(value, lang)
    if isinstance(value, Mapping):
        return value[lang]
    return value


def t(key: str, lang: Lang, /, **fmt: object) -> str:
    """Return the text of ``key`` in ``lang``, formatted with ``fmt``.

    Parameters
    ----------
    key : str
        A key of :data:`LABELS`.
    lang : Lang
        The language.
    **fmt
        Values of the text's ``{placeholders}``. An enum member with labels
        is written as its label; a mapping of :class:`Lang` to a value (see
        :func:`by_lang`) gives the value of ``lang``. Without ``fmt`` the
        text is returned as stored (placeholders and all).

    Returns
    -------
    str
        The text.

    Raises
    ------
    KeyError
        If ``key`` is not in :data:`LABELS`.
    ValueError
        If ``lang`` is not a language.
    """
    text = LABELS[key][_index(lang)]
    if not fmt:
        return text
    return text.format(**{k: _value(v, lang) for k, v in fmt.items()})


def bilingual(key: str, /, **fmt: object) -> str:
    """Return a message as ``中文 (English)``, for errors, logs and command lines.

    Parameters
    ----------
    key : str
        A key of :data:`LABELS` (normally of the messages table).
    **fmt
        As for :func:`t`.

    Returns
    -------
    str
        The Chinese text, a space, the English text in parentheses.
    """
    return f"{t(key, Lang.ZH, **fmt)} ({t(key, Lang.EN, **fmt)})"


def by_lang(key: str, /, **fmt: object) -> dict[Lang, str]:
    """Return the text of ``key`` in every language (a format value for :func:`t`).

    Parameters
    ----------
    key : str
        A key of :data:`LABELS`.
    **fmt
        As for :func:`t`.

    Returns
    -------
    dict of Lang to str
    """
    return per_lang(t, key, **fmt)


def per_lang(func: Callable[..., str], /, *args: object, **kw: object) -> dict[Lang, str]:
    """Return ``func(*args, lang, **kw)`` for every language (a format value for :func:`t`).

    Parameters
    ----------
    func : callable
        A function taking the language after ``args``, such as :func:`county_name`.
    *args, **kw
        Its other arguments.

    Returns
    -------
    dict of Lang to str
        E.g. ``per_lang(county_name, "140404")`` is
        ``{Lang.ZH: "上党区", Lang.EN: "Shangdang District"}``.
    """
    return {lang: func(*args, lang, **kw) for lang in Lang}


def label(member: Enum, lang: Lang) -> str:
    """Return the label of an enum member in ``lang``.

    Parameters
    ----------
    member : Enum
        A member of a labelled enum (:data:`ENUM_LABELS` names them all).
    lang : Lang
        The language.

    Returns
    -------
    str

    Raises
    ------
    KeyError
        If the enum or the member has no labels.
    """
    return ENUM_LABELS[type(member).__name__][member.value][_index(lang)]


def county_name(adcode: str, lang: Lang, *, short: bool = False, former: bool = False) -> str:
    """Return the name of a county of 长治市 from its adcode.

    Parameters
    ----------
    adcode : str
        Today's adcode, or a code in use before the 2018 reform (``140421``
        was 长治县, today 上党区).
    lang : Lang
        The language.
    short : bool
        The short form of a map label: the Chinese name (already short) or
        the English pinyin without "District"/"County" (``Luzhou``).
    former : bool
        For a former code, the name it had then (``长治县``,
        ``Changzhi County``); otherwise today's name of its place.

    Returns
    -------
    str
        ``""`` for an empty code; the code itself when it names no county.
    """
    if not adcode:
        return ""
    old = FORMER_DIVISIONS.get(adcode)
    if old is not None and former:
        return (old.name_zh, old.name_en)[_index(lang)]
    div = BY_ADCODE.get(old.today if old is not None else adcode)
    if div is None:
        return adcode
    return (div.name_zh, div.pinyin if short else div.name_en)[_index(lang)]
