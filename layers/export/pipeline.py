"""The one export pipeline: a request and the register in, a file out.

:func:`load_export_data` reads the store once (projects joined with their
counties, the county boundaries, the register version); :func:`render` turns
an :class:`~layers.export.request.ExportRequest` and that data into an
:class:`ExportResult` (bytes, file name, MIME type, provenance) for print
maps, HTML, extracts and the atlas. The app's export panel and
``python -m layers.export`` both call it, so the same view gives the same
selection hash and register version.

Heavy exports (print pages and atlases) are guarded here: finished results
are cached by request and register version in a bounded LRU
(:data:`~geodata.settings.EXPORT_CACHE_BYTES`), at most
:data:`~geodata.settings.EXPORT_MAX_CONCURRENT` render at once server-wide
(one more gets :class:`ExportBusy` at once, it does not queue), and a
:class:`SessionQuota` limits how many one session starts per window.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Protocol

import geopandas as gpd
import pandas as pd

from geodata.boundaries import load_counties
from geodata.filters import apply_filter
from geodata.i18n import Lang, bilingual, t
from geodata.join import assign_counties
from geodata.progress import Period, fill_cumulative
from geodata.settings import (
    EXPORT_CACHE_BYTES,
    EXPORT_MAX_CONCURRENT,
    EXPORT_SESSION_LIMIT,
    EXPORT_SESSION_WINDOW_S,
)
from layers.export.atlas import atlas_bytes
from layers.export.extracts import extract_bytes
from layers.export.html import map_html
from layers.export.print_map import map_bytes
from layers.export.progress_atlas import progress_atlas_bytes, progress_inputs
from layers.export.provenance import Provenance, data_version, make_provenance
from layers.export.request import ExportError, ExportFormat, ExportRequest
from layers.export.supervision import supervision_bytes
from layers.progress import MapMode


class ProjectSource(Protocol):
    """What the pipeline reads from a project store (``geodata.store``)."""

    def current_version(self) -> int:
        """Return the current register version."""
        ...

    def projects(self, *, version: int | None = None) -> gpd.GeoDataFrame:
        """Return the located projects of a version."""
        ...

    def plans(self, *, version: int | None = None) -> pd.DataFrame:
        """Return the annual plans of a version."""
        ...

    def progress(self, *, version: int | None = None) -> pd.DataFrame:
        """Return the monthly progress reports of a version, as reported."""
        ...


@dataclass(frozen=True, eq=False)
class ExportData:
    """The register an export is made from.

    Attributes
    ----------
    projects : geopandas.GeoDataFrame
        Located projects of one version, joined with their counties
        (:func:`geodata.join.assign_counties`), as the app filters them.
    counties : geopandas.GeoDataFrame
        The county boundaries.
    register_version : str
        ``v{version}·{hash}``: store version and content hash of ``projects``.
    plans, reports : pandas.DataFrame or None
        The version's annual plans and filled monthly reports (progress
        exports); ``None`` when the store holds none.
    """

    projects: gpd.GeoDataFrame
    counties: gpd.GeoDataFrame
    register_version: str
    plans: pd.DataFrame | None = None
    reports: pd.DataFrame | None = None


def register_label(version: int, projects: gpd.GeoDataFrame) -> str:
    """Name a register version for provenance: ``v{version}·{hash of the joined frame}``."""
    return f"v{version}·{data_version(projects)}"


def export_data(
    joined: gpd.GeoDataFrame,
    counties: gpd.GeoDataFrame,
    *,
    version: int,
    plans: pd.DataFrame | None = None,
    reports: pd.DataFrame | None = None,
) -> ExportData:
    """Wrap frames already read and joined (the app's cached ones) as :class:`ExportData`."""
    return ExportData(
        projects=joined,
        counties=counties,
        register_version=register_label(version, joined),
        plans=plans,
        reports=reports,
    )


def _progress_frames(store: ProjectSource, version: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Read a version's plans and its reports with the cumulatives filled."""
    reports = store.progress(version=version)
    filled = fill_cumulative(reports)[0] if len(reports) else reports
    return store.plans(version=version), filled


def load_export_data(store: ProjectSource) -> ExportData:
    """Read the current register once: projects joined with counties, and its version.

    Parameters
    ----------
    store : ProjectSource
        An open project store; only ``current_version()`` and
        ``projects(version=...)`` are called.

    Returns
    -------
    ExportData
        What :func:`render` needs.
    """
    version = store.current_version()
    projects = store.projects(version=version)
    counties = load_counties()
    plans, reports = _progress_frames(store, version)
    return export_data(
        assign_counties(projects, counties),
        counties,
        version=version,
        plans=plans,
        reports=reports,
    )


def select(request: ExportRequest, data: ExportData) -> gpd.GeoDataFrame:
    """Return the projects a request's filter selects (as the app's map shows them)."""
    return apply_filter(data.projects, request.filter)


def selection_hash(request: ExportRequest, data: ExportData) -> str:
    """Return the content hash of a request's selection (its provenance data version)."""
    return data_version(select(request, data))


@dataclass(frozen=True, slots=True)
class ExportResult:
    """A finished export.

    Attributes
    ----------
    data : bytes
        File content.
    filename : str
        Suggested file name.
    mime : str
        MIME type.
    provenance : Provenance
        Filters, selection hash, register version and export time.
    """

    data: bytes
    filename: str
    mime: str
    provenance: Provenance


class ExportLimitError(RuntimeError):
    """A heavy export not started now; the message says when to retry."""


class ExportBusy(ExportLimitError):  # noqa: N818 (the name the issue uses)
    """Every render slot of the server is taken."""

    def __init__(self) -> None:
        super().__init__(bilingual("export_busy"))


class ExportQuotaExceeded(ExportLimitError):  # noqa: N818 (reads as the message)
    """The session started too many heavy exports within the window."""

    def __init__(self, wait_s: float) -> None:
        self.wait_s = wait_s
        seconds = max(1, round(wait_s))
        super().__init__(bilingual("export_quota", seconds=seconds))


class ExportCache:
    """Finished exports by (request, register version), least recently used out first.

    Parameters
    ----------
    max_bytes : int
        Budget of the cached file contents; a result larger than it is not kept.
    """

    def __init__(self, max_bytes: int = EXPORT_CACHE_BYTES) -> None:
        self.max_bytes = max_bytes
        self._items: OrderedDict[tuple[ExportRequest, str], ExportResult] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    @property
    def size_bytes(self) -> int:
        """Bytes held now."""
        return self._bytes

    def __len__(self) -> int:
        return len(self._items)

    def get(self, key: tuple[ExportRequest, str]) -> ExportResult | None:
        """Return a cached result (marking it recently used), or ``None``."""
        with self._lock:
            result = self._items.get(key)
            if result is not None:
                self._items.move_to_end(key)
            return result

    def put(self, key: tuple[ExportRequest, str], result: ExportResult) -> None:
        """Keep a result, dropping the least recently used ones over the budget."""
        size = len(result.data)
        if size > self.max_bytes:
            return
        with self._lock:
            old = self._items.pop(key, None)
            if old is not None:
                self._bytes -= len(old.data)
            self._items[key] = result
            self._bytes += size
            while self._bytes > self.max_bytes:
                _, dropped = self._items.popitem(last=False)
                self._bytes -= len(dropped.data)


class RenderGate:
    """At most ``limit`` heavy renders at once; one more is refused, not queued.

    Parameters
    ----------
    limit : int
        Concurrent renders allowed.
    """

    def __init__(self, limit: int = EXPORT_MAX_CONCURRENT) -> None:
        self.limit = limit
        self._slots = threading.BoundedSemaphore(limit)

    @contextmanager
    def slot(self) -> Iterator[None]:
        """Hold one render slot for the block.

        Raises
        ------
        ExportBusy
            If every slot is taken.
        """
        if not self._slots.acquire(blocking=False):
            raise ExportBusy
        try:
            yield
        finally:
            self._slots.release()


@dataclass
class SessionQuota:
    """Heavy exports one session started recently (keep one per session).

    Attributes
    ----------
    limit : int
        Most heavy exports per window.
    window_s : float
        Window length in seconds.
    started : list of float
        Monotonic start times within the window.
    """

    limit: int = EXPORT_SESSION_LIMIT
    window_s: float = EXPORT_SESSION_WINDOW_S
    started: list[float] = field(default_factory=list)

    def take(self, *, now: float | None = None) -> None:
        """Count one heavy export now.

        Raises
        ------
        ExportQuotaExceeded
            If ``limit`` exports already started within the window (not counted).
        """
        now = time.monotonic() if now is None else now
        self.started[:] = [t for t in self.started if now - t < self.window_s]
        if len(self.started) >= self.limit:
            raise ExportQuotaExceeded(self.window_s - (now - self.started[0]))
        self.started.append(now)


SHARED_CACHE = ExportCache()
"""The server-wide cache of finished exports."""

SHARED_GATE = RenderGate()
"""The server-wide limit of concurrent heavy renders."""


def _build(request: ExportRequest, data: ExportData) -> ExportResult:
    """Make the file a request asks for (no cache, no limits)."""
    selection = select(request, data)
    provenance = make_provenance(
        selection,
        filters=request.filters_text(),
        register_version=data.register_version,
        period=request.period,
    )
    page = {"paper": request.paper, "orientation": request.orientation, "lang": request.lang}
    fmt = request.format
    if request.atlas and request.mode is MapMode.PROGRESS:
        content = progress_atlas_bytes(
            selection,
            data.counties,
            progress_inputs(data.plans, data.reports),
            period=Period.read(request.period),
            provenance=provenance,
            adcodes=request.filter.counties,
            **page,
        )
    elif request.atlas:
        content = atlas_bytes(
            selection,
            data.counties,
            provenance=provenance,
            fmt=fmt.value,
            adcodes=request.filter.counties,
            dpi=request.dpi,
            **page,
        )
    elif fmt is ExportFormat.HTML:
        content = map_html(
            selection,
            data.counties,
            title=request.page_title(),
            choropleth=request.choropleth,
            lang=request.lang,
        )
    elif fmt.is_extract:
        content = extract_bytes(
            selection, fmt=fmt.value, chinese_headers=request.headers is Lang.ZH
        )
    else:
        content = map_bytes(
            selection,
            data.counties,
            provenance=provenance,
            fmt=fmt.value,
            dpi=request.dpi,
            title=request.page_title(),
            subtitle=request.filters_text(),
            choropleth=request.choropleth,
            summary_table=request.table,
            focus_adcode=request.focus_adcode,
            **page,
        )
    return ExportResult(
        data=content, filename=request.filename(), mime=request.mime(), provenance=provenance
    )


def supervision(request: ExportRequest, data: ExportData) -> ExportResult:
    """Make the 督办清单 of the request's month and selection, as XLSX or PDF.

    Raises
    ------
    ExportError
        If the request names no month or asks for another format.
    """
    if not request.period or request.format not in (ExportFormat.XLSX, ExportFormat.PDF):
        raise ExportError("the supervision list needs --period and --format xlsx or pdf")
    selection = select(request, data)
    period = Period.read(request.period)
    provenance = make_provenance(
        selection,
        filters=request.filters_text(),
        register_version=data.register_version,
        period=request.period,
    )
    content = supervision_bytes(
        selection,
        data.counties,
        progress_inputs(data.plans, data.reports),
        period=period,
        fmt=request.format.value,
        provenance=provenance,
        lang=request.lang,
    )
    stem = t("supervision_file_stem", request.lang)
    return ExportResult(
        data=content,
        filename=f"{stem}_{request.period}.{request.format.value}",
        mime=request.format.mime,
        provenance=provenance,
    )


def render(
    request: ExportRequest,
    data: ExportData,
    *,
    quota: SessionQuota | None = None,
    cache: ExportCache = SHARED_CACHE,
    gate: RenderGate = SHARED_GATE,
) -> ExportResult:
    """Make (or fetch from the cache) the file a request asks for.

    Parameters
    ----------
    request : ExportRequest
        What to export.
    data : ExportData
        The register (:func:`load_export_data`, or the app's frames via
        :func:`export_data`).
    quota : SessionQuota, optional
        The session's quota; a heavy render that is not cached takes one.
    cache : ExportCache
        Finished exports (the server-wide one by default).
    gate : RenderGate
        Concurrent heavy renders (the server-wide one by default).

    Returns
    -------
    ExportResult
        Bytes, file name, MIME type and provenance.

    Raises
    ------
    ExportBusy
        If the server renders as many heavy exports as it allows.
    ExportQuotaExceeded
        If the session has started too many heavy exports lately.
    FontNotFoundError
        If no CJK font is installed (print formats).
    """
    key = (request, data.register_version)
    cached = cache.get(key)
    if cached is not None:
        return cached
    if not request.heavy:
        result = _build(request, data)
    else:
        with gate.slot():
            if quota is not None:
                quota.take()
            result = _build(request, data)
    cache.put(key, result)
    return result
