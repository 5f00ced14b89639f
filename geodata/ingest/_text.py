"""Cell text plumbing: decoding, normalising and rendering spreadsheet cells.

None of these helpers guesses silently: bytes that cannot be decoded are
never replaced, and free text keeps the characters the user typed (only the
parsers of numbers and vocabularies fold full-width forms).
"""

from __future__ import annotations

import math
import unicodedata

from geodata.i18n import bilingual

# leading characters a spreadsheet would run as a formula; our extracts quote them with '
FORMULA_PREFIXES: tuple[str, ...] = ("=", "+", "-", "@", "\t", "\r")


class IngestError(ValueError):
    """The file as a whole cannot be imported; the message is one line for the user."""


class DecodeError(ValueError):
    """The bytes decode as neither UTF-8 nor GB18030.

    Attributes
    ----------
    offset : int
        Byte offset where decoding failed, in whichever of UTF-8 and GB18030
        got further (the message gives both).
    """

    def __init__(self, message: str, *, offset: int) -> None:
        super().__init__(message)
        self.offset = offset


def decode_text(data: bytes) -> tuple[str, str]:
    """Decode spreadsheet text: UTF-8 (with or without BOM), then GB18030.

    Parameters
    ----------
    data : bytes
        Raw file content.

    Returns
    -------
    tuple of (str, str)
        The text and the encoding used (``"utf-8-sig"``, ``"utf-8"`` or ``"gb18030"``).

    Raises
    ------
    DecodeError
        When neither encoding decodes every byte; the message gives the offset.
    """
    if data.startswith(b"\xef\xbb\xbf"):
        try:
            return data[3:].decode("utf-8"), "utf-8-sig"
        except UnicodeDecodeError as exc:
            offset = exc.start + 3
            raise DecodeError(
                bilingual("ingest_bom_invalid", offset=offset), offset=offset
            ) from None
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as utf8_exc:
        utf8_offset = utf8_exc.start
    try:
        return data.decode("gb18030"), "gb18030"
    except UnicodeDecodeError as gb_exc:
        offset = max(gb_exc.start, utf8_offset)
        raise DecodeError(
            bilingual("ingest_undecodable", utf8=utf8_offset, gb=gb_exc.start), offset=offset
        ) from None


def normalise(text: str) -> str:
    """Fold full-width characters and trim spaces (NFKC, then strip).

    Parameters
    ----------
    text : str
        Cell text.

    Returns
    -------
    str
        ``"１，２００万元"`` becomes ``"1,200万元"``; ideographic spaces become spaces.
    """
    return unicodedata.normalize("NFKC", text).strip()


def clean_text(text: str) -> str:
    """Return a free-text cell as the user wrote it: trimmed, formula quote removed.

    Parameters
    ----------
    text : str
        Cell text (a name, company, place or sentence).

    Returns
    -------
    str
        Leading and trailing spaces removed; the ``'`` our extracts put before
        a cell starting with ``=``, ``+``, ``-``, ``@``, tab or carriage return
        is dropped, so that an extract imports back unchanged. Full-width
        characters are kept.
    """
    if text.startswith("'") and text[1:].startswith(FORMULA_PREFIXES):
        text = text[1:]
        return text if text.startswith(("\t", "\r")) else text.strip()
    return text.strip()


def number_text(value: object) -> str:
    """Render a spreadsheet cell as text without float noise.

    Parameters
    ----------
    value : object
        Cell value (``str``, ``int``, ``float``, ``datetime``, ``None``).

    Returns
    -------
    str
        ``5.0`` becomes ``"5"``; ``None`` becomes ``""``.
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value):
            return "nan"
        value = float(value)
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    return str(value)
