"""Provenance of an export: filters, content hash, register version and time.

Every export names where it comes from: the filters of the selection, a
short hash of the exported rows (:func:`data_version`), the register version
(store version and hash of the whole register) and the export time. Print
pages show it in the footer and carry it in the file metadata.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime

import pandas as pd

from geodata.i18n import Lang, t

CREATOR = "长治项目一张图 · Changzhi Project Map"
"""Software named in file metadata."""


def _utc_now() -> datetime:
    """Return the current time in UTC."""
    return datetime.now(UTC)


@dataclass(frozen=True, slots=True)
class Provenance:
    """Where an exported map comes from.

    Attributes
    ----------
    filters : str
        Human-readable filters of the selection (``""`` for everything).
    data_version : str
        Short hash of the exported projects' content (:func:`data_version`).
    exported_at : datetime
        Time of export (timezone-aware).
    register_version : str
        Version of the whole register the selection came from (store version
        and content hash); ``""`` when not known.
    period : str
        The month the export shows (ISO ``2025-09``); ``""`` for none.
    """

    filters: str
    data_version: str
    exported_at: datetime = field(default_factory=_utc_now)
    register_version: str = ""
    period: str = ""

    def footer(self, *, lang: Lang = Lang.ZH) -> str:
        """One-line provenance text for the page footer."""
        stamp = self.exported_at.strftime("%Y-%m-%d %H:%M %Z").strip()
        register = self.register_version
        return t(
            "footer",
            lang,
            month=t("footer_month", lang, period=self.period) if self.period else "",
            filters=self.filters or t("footer_no_filters", lang),
            data_version=self.data_version,
            register=t("footer_register", lang, version=register) if register else "",
            stamp=stamp,
        )

    def keywords(self) -> str:
        """Machine-readable provenance, ``key=value`` pairs separated by ``; ``."""
        return (
            f"data_version={self.data_version}; register_version={self.register_version}; "
            f"exported_at={self.exported_at.isoformat()}; period={self.period}; "
            f"filters={self.filters}"
        )


def data_version(projects: pd.DataFrame) -> str:
    """Return a short, order-independent hash of the projects' content.

    Parameters
    ----------
    projects : pandas.DataFrame
        Register rows (a geometry column, if any, is ignored: ``lon``/``lat``
        carry the position).

    Returns
    -------
    str
        Twelve hex digits of a SHA-256 over the rows sorted by ``id``.
    """
    frame = pd.DataFrame(projects.drop(columns="geometry", errors="ignore"))
    if "id" in frame.columns:
        frame = frame.sort_values("id", kind="stable")
    text = frame.to_csv(index=False, lineterminator="\n")
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]


def describe_filters(filters: Mapping[str, str]) -> str:
    """Join ``{label: value}`` filters into one line (empty values are skipped)."""
    return "；".join(f"{k}：{v}" for k, v in filters.items() if v)


def make_provenance(
    projects: pd.DataFrame,
    *,
    filters: Mapping[str, str] | str = "",
    exported_at: datetime | None = None,
    register_version: str = "",
    period: str = "",
) -> Provenance:
    """Build the provenance of an export of ``projects``.

    Parameters
    ----------
    projects : pandas.DataFrame
        The exported selection.
    filters : Mapping[str, str] or str
        Filters as ``{label: value}`` or already as text.
    exported_at : datetime, optional
        Export time; now (UTC) by default.
    register_version : str
        Version of the whole register (see :class:`Provenance`).
    period : str
        The month the export shows (ISO), ``""`` for none.

    Returns
    -------
    Provenance
        Filters text, data version and time.
    """
    text = filters if isinstance(filters, str) else describe_filters(filters)
    return Provenance(
        filters=text,
        data_version=data_version(projects),
        exported_at=exported_at or _utc_now(),
        register_version=register_version,
        period=period,
    )


def file_metadata(fmt: str, *, title: str, provenance: Provenance) -> dict[str, object]:
    """Metadata for matplotlib's ``savefig(metadata=...)`` in ``fmt``.

    Parameters
    ----------
    fmt : str
        ``png``, ``pdf`` or ``svg``.
    title : str
        Document title.
    provenance : Provenance
        Filters, data version, export time.

    Returns
    -------
    dict
        PDF: Title, Subject, Keywords, CreationDate, Creator. PNG: text chunks
        Title, Description, Data-Version, Register-Version, Filters, Creation
        Time, Software. SVG: Dublin Core Title, Description, Keywords, Date.
    """
    footer = provenance.footer()
    if fmt == "pdf":
        return {
            "Title": title,
            "Subject": footer,
            "Keywords": provenance.keywords(),
            "CreationDate": provenance.exported_at,
            "Creator": CREATOR,
        }
    if fmt == "png":
        return {
            "Title": title,
            "Description": footer,
            "Data-Version": provenance.data_version,
            "Register-Version": provenance.register_version,
            "Filters": provenance.filters,
            "Period": provenance.period,
            "Creation Time": provenance.exported_at.isoformat(),
            "Software": CREATOR,
        }
    return {
        "Title": title,
        "Description": footer,
        "Keywords": [
            f"data_version={provenance.data_version}",
            f"register_version={provenance.register_version}",
            f"period={provenance.period}",
            f"filters={provenance.filters}",
        ],
        "Date": provenance.exported_at.isoformat(),
        "Creator": CREATOR,
    }
