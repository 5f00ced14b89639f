"""Exports of a project selection: print maps, atlas, offline HTML, data extracts, the CLI.

Build an :class:`~layers.export.request.ExportRequest` and pass it, with the
register from :func:`~layers.export.pipeline.load_export_data`, to
:func:`~layers.export.pipeline.render`.
"""

from __future__ import annotations

from layers.export.pipeline import (
    ExportBusy,
    ExportData,
    ExportLimitError,
    ExportQuotaExceeded,
    ExportResult,
    SessionQuota,
    export_data,
    load_export_data,
    render,
)
from layers.export.request import ExportError, ExportFormat, ExportRequest, Orientation, Paper

__all__ = [
    "ExportBusy",
    "ExportData",
    "ExportError",
    "ExportFormat",
    "ExportLimitError",
    "ExportQuotaExceeded",
    "ExportRequest",
    "ExportResult",
    "Orientation",
    "Paper",
    "SessionQuota",
    "export_data",
    "load_export_data",
    "render",
]
