"""The one export request: what to export, of which selection, on what page.

An :class:`ExportRequest` is a frozen value (hashable, so finished exports
can be cached on it) made of a :class:`~geodata.filters.ProjectFilter`, the
county shading (:class:`~layers.shading.ChoroplethChoice`), the page, the
format and the language. It is validated once, when it is made; the app's
export panel and ``python -m layers.export`` both build one and pass it to
:func:`layers.export.pipeline.render`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from geodata.filters import ProjectFilter
from geodata.i18n import Lang
from geodata.progress import Period, PeriodError
from geodata.settings import PAPER_SIZES_MM, PRINT_DPI_DEFAULT, PRINT_DPI_RANGE
from layers.export._names import default_title, export_filename
from layers.progress import MapMode
from layers.progress_text import as_of
from layers.shading import ChoroplethChoice


class ExportError(ValueError):
    """An export that cannot be made; the message is for the user."""


class ExportFormat(StrEnum):
    """File format of an export."""

    PNG = "png"
    PDF = "pdf"
    SVG = "svg"
    HTML = "html"
    CSV = "csv"
    XLSX = "xlsx"
    GEOJSON = "geojson"
    GPKG = "gpkg"

    @property
    def mime(self) -> str:
        """MIME type for download buttons."""
        return _MIME[self]

    @property
    def is_print(self) -> bool:
        """Whether this is a print page (PNG, PDF or SVG)."""
        return self in (ExportFormat.PNG, ExportFormat.PDF, ExportFormat.SVG)

    @property
    def is_extract(self) -> bool:
        """Whether this is a data extract (CSV, XLSX, GeoJSON, GeoPackage)."""
        return self in (
            ExportFormat.CSV,
            ExportFormat.XLSX,
            ExportFormat.GEOJSON,
            ExportFormat.GPKG,
        )


_MIME: dict[ExportFormat, str] = {
    ExportFormat.PNG: "image/png",
    ExportFormat.PDF: "application/pdf",
    ExportFormat.SVG: "image/svg+xml",
    ExportFormat.HTML: "text/html",
    ExportFormat.CSV: "text/csv",
    ExportFormat.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ExportFormat.GEOJSON: "application/geo+json",
    ExportFormat.GPKG: "application/geopackage+sqlite3",
}

ATLAS_FORMATS: tuple[ExportFormat, ...] = (ExportFormat.PDF, ExportFormat.PNG)
"""Formats of the county atlas: one PDF, or a ZIP of one PNG per county."""


class Paper(StrEnum):
    """ISO paper size of a print export (sizes in :data:`~geodata.settings.PAPER_SIZES_MM`)."""

    A4 = "A4"
    A3 = "A3"

    @property
    def size_mm(self) -> tuple[float, float]:
        """Portrait (width, height) in millimetres."""
        return PAPER_SIZES_MM[self.value]


class Orientation(StrEnum):
    """Page orientation."""

    LANDSCAPE = "landscape"
    PORTRAIT = "portrait"


def _enum(kind: type[StrEnum], value: object, what: str) -> StrEnum:
    """Coerce ``value`` to ``kind`` or raise :class:`ExportError` naming the choices."""
    try:
        return kind(value)
    except ValueError:
        known = ", ".join(m.value for m in kind)
        raise ExportError(f"unknown {what} {value!r}; use one of {known}") from None


def _period(value: object) -> str:
    """Return a month as ISO text (``""`` for none), or raise :class:`ExportError`."""
    if value in (None, ""):
        return ""
    try:
        return str(Period.read(value))
    except PeriodError as exc:
        raise ExportError(f"--period: {exc}") from None


@dataclass(frozen=True, slots=True)
class ExportRequest:
    """A validated export request.

    Attributes
    ----------
    filter : ProjectFilter
        The selection (as in the app's sidebar and URL).
    choropleth : ChoroplethChoice or None
        County shading of print and HTML maps.
    format : ExportFormat
        File format; for an atlas one of :data:`ATLAS_FORMATS`.
    paper, orientation : Paper, Orientation
        Page size of print maps.
    dpi : int
        Raster resolution, within :data:`~geodata.settings.PRINT_DPI_RANGE`.
    atlas : bool
        One page per county (of the filter's counties, else all twelve).
    title : str
        Page title; the default title when empty.
    lang : Lang
        Language of the page.
    table : bool
        Add the county summary table to print maps.
    headers : Lang
        Column names and coded values of extracts: Chinese or English.
    period : str
        The month the view shows (ISO ``2025-09``; ``""``: none), named in
        titles and provenance.
    mode : MapMode
        Map by category or by progress (the atlas by progress is the
        quarterly inspection atlas; needs ``period``).

    Raises
    ------
    ExportError
        From construction, with a one-line message naming the bad option.
    """

    filter: ProjectFilter = field(default_factory=ProjectFilter)
    choropleth: ChoroplethChoice | None = None
    format: ExportFormat = ExportFormat.PNG
    paper: Paper = Paper.A4
    orientation: Orientation = Orientation.LANDSCAPE
    dpi: int = PRINT_DPI_DEFAULT
    atlas: bool = False
    title: str = ""
    lang: Lang = Lang.ZH
    table: bool = True
    headers: Lang = Lang.ZH
    period: str = ""
    mode: MapMode = MapMode.CATEGORY

    def __post_init__(self) -> None:
        """Coerce the enum fields and check the options once."""
        fmt = _enum(ExportFormat, str(self.format).lower(), "format")
        setter = object.__setattr__
        setter(self, "format", fmt)
        setter(self, "paper", _enum(Paper, str(self.paper).upper(), "paper size"))
        setter(
            self, "orientation", _enum(Orientation, str(self.orientation).lower(), "orientation")
        )
        setter(self, "lang", _enum(Lang, str(self.lang).lower(), "language"))
        setter(self, "headers", _enum(Lang, str(self.headers).lower(), "header language"))
        setter(self, "title", str(self.title or ""))
        setter(self, "mode", _enum(MapMode, str(self.mode).lower(), "map mode"))
        setter(self, "period", _period(self.period))
        if self.atlas and fmt not in ATLAS_FORMATS:
            known = ", ".join(f.value for f in ATLAS_FORMATS)
            raise ExportError(f"unknown atlas format {fmt.value!r}; use one of {known}")
        try:
            dpi = int(self.dpi)
        except (TypeError, ValueError):
            raise ExportError(f"dpi must be a whole number, got {self.dpi!r}") from None
        lo, hi = PRINT_DPI_RANGE
        if not lo <= dpi <= hi:
            raise ExportError(f"dpi must be between {lo} and {hi}, got {dpi}")
        setter(self, "dpi", dpi)

    @property
    def heavy(self) -> bool:
        """Whether the export renders pages (print maps, atlas): limited and cached."""
        return self.atlas or self.format.is_print

    @property
    def focus_adcode(self) -> str | None:
        """The county a one-county selection zooms to (``None`` for several or none)."""
        return self.filter.counties[0] if len(self.filter.counties) == 1 else None

    def filters_text(self) -> str:
        """Return the filters in words, for subtitles and provenance (``""`` for none)."""
        return "" if self.filter.is_empty else self.filter.describe(lang=self.lang)

    def page_title(self) -> str:
        """Return the title of a single page (the request's, else the default), naming the month."""
        title = self.title or default_title(focus_adcode=self.focus_adcode, lang=self.lang)
        return f"{title}（{self.month_text()}）" if self.period else title

    def month_text(self) -> str:
        """Return ``截至 2025年9月`` for the request's month (``""`` without one)."""
        return as_of(self.period, self.lang) if self.period else ""

    def mime(self) -> str:
        """MIME type of the exported file."""
        if self.atlas and self.format is ExportFormat.PNG:
            return "application/zip"
        return self.format.mime

    def filename(self) -> str:
        """Suggested file name of the exported file."""
        if self.atlas:
            suffix = "zip" if self.format is ExportFormat.PNG else "pdf"
            return export_filename(suffix, kind="atlas", lang=self.lang)
        kind = "extract" if self.format.is_extract else "map"
        return export_filename(
            self.format.value, adcode=self.focus_adcode, kind=kind, lang=self.lang
        )
