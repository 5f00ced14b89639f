"""Upload checks: refuse hostile or mislabelled files before any parser sees them.

Size limit, extension against content (magic bytes), XLSX zip bombs (sizes
and ratios from the zip directory, every part read once to check its CRC)
and XML with DTDs or entities (parsed with defusedxml's handlers, DTDs
forbidden).
"""

from __future__ import annotations

import io
import pyexpat
import zipfile
import zlib
from enum import StrEnum
from pathlib import PurePath

import defusedxml

from geodata.i18n import bilingual, by_lang
from geodata.ingest import _limits
from geodata.ingest._text import IngestError
from geodata.settings import MAX_UPLOAD_BYTES

_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_SQLITE_MAGIC = b"SQLite format 3\x00"
_XML_CHUNK = 1 << 16
# what a damaged or exotic zip raises while a member is read
ZIP_READ_ERRORS: tuple[type[BaseException], ...] = (
    zipfile.BadZipFile,
    zlib.error,
    EOFError,
    NotImplementedError,
    RuntimeError,
    ValueError,
    OSError,
)


class FileKind(StrEnum):
    """File formats the importer reads."""

    CSV = "csv"
    XLSX = "xlsx"
    GEOJSON = "geojson"
    GPKG = "gpkg"


_EXTENSIONS: dict[str, FileKind] = {
    ".csv": FileKind.CSV,
    ".txt": FileKind.CSV,
    ".xlsx": FileKind.XLSX,
    ".xlsm": FileKind.XLSX,
    ".geojson": FileKind.GEOJSON,
    ".json": FileKind.GEOJSON,
    ".gpkg": FileKind.GPKG,
}


def _refuse_dtd(name: str, sysid: str | None, pubid: str | None, *_rest: object) -> None:
    """Expat handler that refuses any DTD (raises ``DTDForbidden``)."""
    raise defusedxml.DTDForbidden(name, sysid, pubid)


def _refuse_entity(name: str, *_rest: object) -> None:
    """Expat handler that refuses any entity declaration (raises ``EntitiesForbidden``)."""
    raise defusedxml.EntitiesForbidden(name, None, None, None, None, None)


def _refuse_external(context: str, base: str, sysid: str, pubid: str) -> None:
    """Expat handler that refuses external references (raises ``ExternalReferenceForbidden``)."""
    raise defusedxml.ExternalReferenceForbidden(context, base, sysid, pubid)


def _xml_has_no_dtd(stream: io.BufferedIOBase, name: str) -> None:
    """Parse one XML member with defusedxml's rules: any DTD or entity declaration refuses it.

    The handlers are defusedxml's (``forbid_dtd``, ``forbid_entities``,
    ``forbid_external``) set on a bare expat parser without element callbacks,
    so a 10 MB sheet is checked at C speed.
    """
    parser = pyexpat.ParserCreate()
    parser.StartDoctypeDeclHandler = _refuse_dtd
    parser.EntityDeclHandler = _refuse_entity
    parser.UnparsedEntityDeclHandler = _refuse_entity
    parser.ExternalEntityRefHandler = _refuse_external
    try:
        while chunk := stream.read(_XML_CHUNK):
            parser.Parse(chunk, False)
        parser.Parse(b"", True)
    except (defusedxml.DTDForbidden, defusedxml.EntitiesForbidden) as exc:
        raise IngestError(bilingual("ingest_xml_dtd", part=name)) from exc
    except defusedxml.DefusedXmlException as exc:
        raise IngestError(bilingual("ingest_xml_unsafe", part=name, error=exc)) from exc
    except pyexpat.ExpatError as exc:
        raise IngestError(bilingual("ingest_xml_invalid", part=name, error=exc)) from exc


def _refuse_not_a_workbook(data: bytes) -> None:
    """Refuse content that is not a zip (an old .xls or a renamed CSV)."""
    if data.startswith(_ZIP_MAGIC):
        return
    if data.startswith(_OLE_MAGIC):
        raise IngestError(bilingual("ingest_xls_as_xlsx"))
    raise IngestError(bilingual("ingest_not_xlsx"))


def _check_zip_directory(infos: list[zipfile.ZipInfo]) -> None:
    """Refuse a workbook whose zip directory declares too many parts or bytes."""
    names = {i.filename for i in infos}
    if "[Content_Types].xml" not in names or not any(n.startswith("xl/") for n in names):
        raise IngestError(bilingual("ingest_zip_not_workbook"))
    if len(infos) > _limits.MAX_XLSX_MEMBERS:
        raise IngestError(bilingual("ingest_xlsx_parts", n=len(infos)))
    total = sum(i.file_size for i in infos)
    if total > _limits.MAX_XLSX_UNCOMPRESSED_BYTES:
        limit_mib = _limits.MAX_XLSX_UNCOMPRESSED_BYTES / 2**20
        raise IngestError(bilingual("ingest_zip_bomb", mib=total / 2**20, limit_mib=limit_mib))
    for info in infos:
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > 1 << 20 and ratio > _limits.MAX_XLSX_RATIO:
            raise IngestError(bilingual("ingest_zip_ratio", part=info.filename, ratio=ratio))


def damaged_zip(exc: BaseException) -> IngestError:
    """Return the one-line error for a zip that cannot be read."""
    return IngestError(bilingual("ingest_zip_damaged", error=exc))


def _check_xlsx(data: bytes) -> None:
    """Refuse zip bombs, non-workbooks, damaged parts and XML bombs before parsing."""
    _refuse_not_a_workbook(data)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
            _check_zip_directory(infos)
            # every xml part is parsed with dtds forbidden (and its crc checked) first
            for info in infos:
                if info.filename.endswith((".xml", ".rels", ".vml")):
                    with archive.open(info) as stream:
                        _xml_has_no_dtd(stream, info.filename)
    except IngestError:
        raise
    except ZIP_READ_ERRORS as exc:
        raise damaged_zip(exc) from None


def _check_csv(data: bytes) -> None:
    """Refuse binary content in a file named as CSV."""
    if data.startswith(_ZIP_MAGIC):
        raise IngestError(bilingual("ingest_csv_is_zip"))
    if data.startswith(_OLE_MAGIC):
        raise IngestError(bilingual("ingest_csv_is_xls"))
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in data:
        offset = data.find(b"\x00")
        raise IngestError(bilingual("ingest_csv_binary", offset=max(offset, 0)))


def _check_geojson(data: bytes) -> None:
    """Refuse a .geojson whose content is not a JSON object."""
    if not data.removeprefix(b"\xef\xbb\xbf").lstrip().startswith(b"{"):
        raise IngestError(bilingual("ingest_not_geojson"))


def _check_gpkg(data: bytes) -> None:
    """Refuse a .gpkg whose content is not an SQLite database."""
    if not data.startswith(_SQLITE_MAGIC):
        raise IngestError(bilingual("ingest_not_gpkg"))


_CONTENT_CHECKS = {
    FileKind.CSV: _check_csv,
    FileKind.XLSX: _check_xlsx,
    FileKind.GEOJSON: _check_geojson,
    FileKind.GPKG: _check_gpkg,
}


def check_upload(data: bytes, *, filename: str) -> FileKind:
    """Refuse oversize, mislabelled or hostile files before parsing them.

    Parameters
    ----------
    data : bytes
        The uploaded file.
    filename : str
        Its name; the extension says what the content must be.

    Returns
    -------
    FileKind
        ``csv``, ``xlsx``, ``geojson`` or ``gpkg``.

    Raises
    ------
    IngestError
        Empty or larger than :data:`~geodata.settings.MAX_UPLOAD_BYTES`, an
        unsupported extension, content that does not match the extension, a
        zip bomb, a damaged zip or an XML part declaring a DTD or entities.
    """
    if len(data) > MAX_UPLOAD_BYTES:
        raise IngestError(
            bilingual(
                "ingest_too_large",
                mib=len(data) / 2**20,
                limit_mib=MAX_UPLOAD_BYTES / 2**20,
                size=len(data),
                limit=MAX_UPLOAD_BYTES,
            )
        )
    if not data:
        raise IngestError(bilingual("ingest_empty"))
    suffix = PurePath(filename).suffix.lower()
    if suffix == ".xls":
        raise IngestError(bilingual("ingest_xls"))
    kind = _EXTENSIONS.get(suffix)
    if kind is None:
        shown = suffix or by_lang("ingest_no_suffix")
        raise IngestError(bilingual("ingest_file_type", suffix=shown))
    _CONTENT_CHECKS[kind](data)
    return kind
