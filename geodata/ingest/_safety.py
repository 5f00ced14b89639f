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
        raise IngestError(
            f"XLSX 中的 {name} 含 DTD/实体声明，可能是 XML 炸弹，已拒绝 "
            f"(xlsx part {name} declares a DTD or entities: refused as a possible XML bomb)"
        ) from exc
    except defusedxml.DefusedXmlException as exc:
        raise IngestError(f"XLSX 中的 {name} 不安全，已拒绝 (unsafe XML in {name}: {exc})") from exc
    except pyexpat.ExpatError as exc:
        raise IngestError(
            f"XLSX 中的 {name} 不是有效的 XML (xlsx part {name} is not valid XML: {exc})"
        ) from exc


def _refuse_not_a_workbook(data: bytes) -> None:
    """Refuse content that is not a zip (an old .xls or a renamed CSV)."""
    if data.startswith(_ZIP_MAGIC):
        return
    if data.startswith(_OLE_MAGIC):
        raise IngestError(
            "这是旧版 .xls 文件，请另存为 .xlsx "
            "(old .xls content in an .xlsx file: save it as .xlsx)"
        )
    raise IngestError(
        "文件内容不是 XLSX（可能是改了扩展名的 CSV）(content is not an xlsx workbook; "
        "is it a CSV renamed to .xlsx?)"
    )


def _check_zip_directory(infos: list[zipfile.ZipInfo]) -> None:
    """Refuse a workbook whose zip directory declares too many parts or bytes."""
    names = {i.filename for i in infos}
    if "[Content_Types].xml" not in names or not any(n.startswith("xl/") for n in names):
        raise IngestError(
            "压缩包不是 Excel 工作簿 (zip file is not an Excel workbook: "
            "[Content_Types].xml or xl/ is missing)"
        )
    if len(infos) > _limits.MAX_XLSX_MEMBERS:
        raise IngestError(f"XLSX 含 {len(infos)} 个部件，过多 (too many parts: {len(infos)})")
    total = sum(i.file_size for i in infos)
    if total > _limits.MAX_XLSX_UNCOMPRESSED_BYTES:
        raise IngestError(
            f"XLSX 解压后 {total / 2**20:.0f} MiB，超过上限 "
            f"{_limits.MAX_XLSX_UNCOMPRESSED_BYTES / 2**20:.0f} MiB，疑似压缩炸弹 "
            f"(unpacks to {total / 2**20:.0f} MiB: refused as a possible zip bomb)"
        )
    for info in infos:
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > 1 << 20 and ratio > _limits.MAX_XLSX_RATIO:
            raise IngestError(
                f"XLSX 部件 {info.filename} 压缩比 {ratio:.0f}:1，疑似压缩炸弹 "
                f"(part {info.filename} compresses {ratio:.0f}:1: refused as a possible zip bomb)"
            )


def damaged_zip(exc: BaseException) -> IngestError:
    """Return the one-line error for a zip that cannot be read."""
    return IngestError(f"XLSX 压缩包已损坏 (damaged xlsx archive: {exc})")


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
        raise IngestError(
            "文件内容是压缩包/XLSX，而扩展名是 .csv，请使用正确的扩展名 "
            "(content is a zip/xlsx workbook but the name ends in .csv)"
        )
    if data.startswith(_OLE_MAGIC):
        raise IngestError("文件内容是旧版 .xls，而扩展名是 .csv (content is an old .xls workbook)")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in data:
        offset = data.find(b"\x00")
        raise IngestError(
            f"CSV 含二进制内容（第 {max(offset, 0)} 字节），请另存为 UTF-8 或 GBK 文本 "
            f"(binary or UTF-16 content at byte {max(offset, 0)}: save as UTF-8 or GBK text)"
        )


def _check_geojson(data: bytes) -> None:
    """Refuse a .geojson whose content is not a JSON object."""
    if not data.removeprefix(b"\xef\xbb\xbf").lstrip().startswith(b"{"):
        raise IngestError("文件内容不是 GeoJSON (content is not a GeoJSON object)")


def _check_gpkg(data: bytes) -> None:
    """Refuse a .gpkg whose content is not an SQLite database."""
    if not data.startswith(_SQLITE_MAGIC):
        raise IngestError("文件内容不是 GeoPackage (content is not a GeoPackage/SQLite file)")


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
            f"文件 {len(data) / 2**20:.1f} MiB，超过上限 {MAX_UPLOAD_BYTES / 2**20:.0f} MiB "
            f"(file is {len(data)} bytes, larger than the {MAX_UPLOAD_BYTES}-byte limit)"
        )
    if not data:
        raise IngestError("文件为空 (the file is empty)")
    suffix = PurePath(filename).suffix.lower()
    if suffix == ".xls":
        raise IngestError("不支持旧版 .xls，请另存为 .xlsx (old .xls is not read: save as .xlsx)")
    kind = _EXTENSIONS.get(suffix)
    if kind is None:
        raise IngestError(
            f"不支持的文件类型 {suffix or '（无扩展名）'}，请上传 .csv、.xlsx、.geojson 或 .gpkg "
            f"(unsupported file type {suffix or '(none)'}: upload .csv, .xlsx, .geojson or .gpkg)"
        )
    _CONTENT_CHECKS[kind](data)
    return kind
