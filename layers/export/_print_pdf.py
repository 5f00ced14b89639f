"""Multi-page PDF documents of print pages (the atlas, the progress atlas, the 督办清单)."""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

from matplotlib.backends.backend_pdf import PdfPages

from geodata.settings import PRINT_COLORS
from layers.export._print_fonts import embedding_rules
from layers.export.provenance import Provenance, file_metadata

if TYPE_CHECKING:
    from collections.abc import Iterable

    from matplotlib.figure import Figure


def pdf_document(
    figures: Iterable[Figure], *, title: str, provenance: Provenance, dpi: float | None = None
) -> bytes:
    """Write figures as the pages of one PDF with document metadata and embedded fonts.

    Parameters
    ----------
    figures : iterable of matplotlib.figure.Figure
        The pages, in order; a generator is drawn page by page inside the
        font-embedding rules.
    title : str
        The document's title (metadata).
    provenance : Provenance
        Author, subject and dates of the metadata.
    dpi : float, optional
        Resolution of rasterised parts (default the figure's).

    Returns
    -------
    bytes
        The PDF.
    """
    meta = file_metadata("pdf", title=title, provenance=provenance)
    buf = io.BytesIO()
    with embedding_rules(), PdfPages(buf, metadata=meta) as pdf:
        for fig in figures:
            pdf.savefig(fig, dpi=dpi or "figure", facecolor=PRINT_COLORS["paper"])
    return buf.getvalue()
