"""The 督办清单 (supervision list): lagging projects of a month by county, as XLSX and PDF.

Rows come from :func:`geodata.progress.supervision_list`: one per lagging or
severely lagging project, in county order, widest gap first. The XLSX keeps
numbers numeric and every text as text (a formula-like cell is quoted, as in
data extracts); the PDF is print-ready A4 landscape pages drawn with
matplotlib, every text literal (no mathtext), CJK fonts embedded, the month
in the title and the provenance in the footer and metadata.
"""

from __future__ import annotations

import io
import unicodedata
from collections.abc import Iterator

import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from geodata.i18n import Lang, t
from geodata.progress import LagStatus, Period, lag_status, supervision_list
from geodata.settings import CITY_NAME_ZH, LAG_STATUS_COLORS, PRINT_COLORS
from layers.export._print_fonts import text_style
from layers.export._print_layout import MM, page_size_inches
from layers.export._print_pdf import pdf_document
from layers.export.extracts import formula_like
from layers.export.provenance import Provenance
from layers.export.request import Orientation, Paper
from layers.progress_text import month_label, pct_text, status_label, yi_text

# columns of the list: key, label key, share of the table width, alignment, widest text
_COLUMNS: tuple[tuple[str, str, float, str, int], ...] = (
    ("no", "", 0.035, "right", 4),
    ("county_zh", "col_county", 0.07, "left", 10),
    ("name_zh", "col_name", 0.25, "left", 44),
    ("status", "col_status", 0.06, "left", 10),
    ("annual_plan_yi", "col_plan", 0.075, "right", 12),
    ("cumulative_yi", "col_cumulative", 0.075, "right", 12),
    ("completion_pct", "col_completion_pct", 0.06, "right", 8),
    ("gap_points", "col_gap_points", 0.065, "right", 8),
    ("reporting_unit", "col_unit", 0.13, "left", 24),
    ("image_progress", "col_image", 0.18, "left", 32),
)
ROW_MM = 6.2
"""Height of one table row on the page (millimetres)."""


def supervision_title(period: Period, lang: Lang | str = Lang.ZH) -> str:
    """Return the list's title, naming the month: ``长治市重点项目督办清单（截至 2025年9月）``."""
    return t("sup_title", lang, city=CITY_NAME_ZH, month=month_label(period, lang))


def labelled(rows: pd.DataFrame, lang: Lang | str = Lang.ZH) -> pd.DataFrame:
    """Return the list with labelled headers and statuses (amounts stay numbers).

    Parameters
    ----------
    rows : pandas.DataFrame
        :func:`geodata.progress.supervision_list` output.
    lang : Lang or str
        Header and status language.

    Returns
    -------
    pandas.DataFrame
        序号, 县区, 编号, 项目名称, 状态, 年度计划, 累计完成, 完成率, 序时进度,
        差距, 报送单位, 形象进度.
    """
    lang = Lang(lang)
    return pd.DataFrame(
        {
            "#": range(1, len(rows) + 1),
            t("col_county", lang): rows["county_zh"].astype(str).to_numpy(),
            t("col_id", lang): rows["id"].astype(str).to_numpy(),
            t("col_name", lang): rows["name_zh"].astype(str).to_numpy(),
            t("col_status", lang): [status_label(s, lang) for s in rows["status"]],
            t("col_plan", lang): rows["annual_plan_yi"].astype(float).round(4).to_numpy(),
            t("col_cumulative", lang): rows["cumulative_yi"].astype(float).round(4).to_numpy(),
            t("col_completion_pct", lang): rows["completion_pct"].astype(float).round(2).to_numpy(),
            t("col_time_share_pct", lang): rows["time_share_pct"].astype(float).round(2).to_numpy(),
            t("col_gap_points", lang): rows["gap_points"].astype(float).round(2).to_numpy(),
            t("col_unit", lang): rows["reporting_unit"].astype(str).to_numpy(),
            t("col_image", lang): rows["image_progress"].astype(str).to_numpy(),
        }
    )


def _cell(sheet: object, value: object, *, bold: bool = False) -> object:
    """Return one XLSX cell: numbers numeric, text stored as text (formula-like quoted)."""
    if isinstance(value, float | int) and not isinstance(value, bool):
        cell = WriteOnlyCell(sheet, value=None if pd.isna(value) else value)
    else:
        text = str(value)
        cell = WriteOnlyCell(sheet, value="'" + text if formula_like(text) else text)
        cell.data_type = "s"
    if bold:
        cell.font = Font(bold=True)
    return cell


def supervision_xlsx(
    rows: pd.DataFrame, *, period: Period, provenance: Provenance, lang: Lang | str = Lang.ZH
) -> bytes:
    """Write the supervision list as an XLSX workbook (title, provenance, header, rows).

    Parameters
    ----------
    rows : pandas.DataFrame
        :func:`geodata.progress.supervision_list` output.
    period : Period
        The month, named in the title.
    provenance : Provenance
        Written under the title.
    lang : Lang or str
        Header language.

    Returns
    -------
    bytes
        The workbook.
    """
    frame = labelled(rows, lang)
    book = Workbook(write_only=True)
    sheet = book.create_sheet(t("tab_supervision", lang))
    sheet.append([_cell(sheet, supervision_title(period, lang), bold=True)])
    sheet.append([_cell(sheet, provenance.footer(lang=lang))])
    sheet.append([_cell(sheet, name, bold=True) for name in frame.columns])
    for row in frame.itertuples(index=False, name=None):
        sheet.append([_cell(sheet, value) for value in row])
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


def _width(text: str) -> int:
    """Display width of a text: 2 per wide (CJK) character, 1 otherwise."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def clip(text: str, width: int) -> str:
    """Shorten ``text`` to ``width`` display columns with ``…`` (line breaks become spaces)."""
    flat = " ".join(str(text).split())
    if _width(flat) <= width:
        return flat
    out, used = [], 0
    for ch in flat:
        used += _width(ch)
        if used > width - 1:
            break
        out.append(ch)
    return "".join(out) + "…"


def _cells(row: pd.Series, no: int, lang: Lang) -> dict[str, str]:
    """Texts of one list row on the page."""
    return {
        "no": str(no),
        "county_zh": str(row["county_zh"]) or "—",
        "name_zh": str(row["name_zh"]),
        "status": status_label(row["status"], lang),
        "annual_plan_yi": yi_text(row["annual_plan_yi"], lang, missing=LagStatus.NO_PLAN),
        "cumulative_yi": yi_text(row["cumulative_yi"], lang, missing=LagStatus.NOT_REPORTED),
        "completion_pct": pct_text(row["completion_pct"]),
        "gap_points": pct_text(row["gap_points"]),
        "reporting_unit": str(row["reporting_unit"]),
        "image_progress": str(row["image_progress"]),
    }


def _lines(rows: pd.DataFrame, lang: Lang) -> list[tuple[str, dict[str, str] | str]]:
    """Page lines: a heading per county (name and count), then its projects."""
    out: list[tuple[str, dict[str, str] | str]] = []
    no = 0
    for county, group in rows.groupby("county_zh", sort=False):
        name = str(county) or "—"
        out.append(("county", f"{name}（{t('sup_count', lang, n=len(group))}）"))
        for _, row in group.iterrows():
            no += 1
            out.append(("row", _cells(row, no, lang)))
    return out


class _Page:
    """One page of the list under construction."""

    def __init__(self, width: float, height: float, *, title: str, subtitle: str) -> None:
        self.fig = Figure(figsize=(width, height))
        self.fig.patch.set_facecolor(PRINT_COLORS["paper"])
        self.h_mm = height / MM
        self.left = 10 * MM / width
        self.span = 1 - 2 * self.left
        self.fig.text(0.5, 1 - 10 / self.h_mm, title, **text_style(15, weight="bold", ha="center"))
        self.fig.text(0.5, 1 - 16 / self.h_mm, subtitle, **text_style(8.5, ha="center"))
        self.y_mm = 24.0
        self.foot = self.fig.text(
            self.left, 5 / self.h_mm, "", **text_style(6.5, color=PRINT_COLORS["muted"])
        )
        self.page_no = self.fig.text(
            1 - self.left,
            5 / self.h_mm,
            "",
            **text_style(6.5, ha="right", color=PRINT_COLORS["muted"]),
        )

    @property
    def full(self) -> bool:
        """Whether another row would run into the footer."""
        return self.y_mm + ROW_MM > self.h_mm - 12

    def _y(self) -> float:
        """Figure height of the current line's middle."""
        return 1 - (self.y_mm + ROW_MM / 2) / self.h_mm

    def header(self, lang: Lang) -> None:
        """Draw the column headings."""
        x = self.left
        for _key, label, share, align, _ in _COLUMNS:
            text = t(label, lang) if label else "#"
            pos = x + (share * self.span if align == "right" else 0.002)
            self.fig.text(
                pos, self._y(), text, **text_style(7, weight="bold", ha=align, va="center")
            )
            x += share * self.span
        self._rule(PRINT_COLORS["ink"])
        self.y_mm += ROW_MM

    def county(self, text: str) -> None:
        """Draw a county heading line."""
        self.fig.text(self.left, self._y(), text, **text_style(8, weight="bold", va="center"))
        self.y_mm += ROW_MM

    def row(self, cells: dict[str, str]) -> None:
        """Draw one project row (texts clipped to their column)."""
        x = self.left
        for key, _, share, align, widest in _COLUMNS:
            text = clip(cells[key], widest)
            color = PRINT_COLORS["ink"]
            if key == "status":
                severe = cells[key] == status_label(LagStatus.SEVERELY_LAGGING.value, Lang.ZH)
                color = LAG_STATUS_COLORS["severely_lagging" if severe else "lagging"]
            pos = x + (share * self.span - 0.002 if align == "right" else 0.002)
            self.fig.text(
                pos, self._y(), text, **text_style(6.8, ha=align, va="center", color=color)
            )
            x += share * self.span
        self._rule(PRINT_COLORS["table_edge"])
        self.y_mm += ROW_MM

    def _rule(self, color: str) -> None:
        """Draw a thin line under the current line."""
        y = 1 - (self.y_mm + ROW_MM) / self.h_mm
        self.fig.add_artist(_hline(self.left, self.left + self.span, y, color=color, fig=self.fig))


def _hline(x0: float, x1: float, y: float, *, color: str, fig: Figure) -> Line2D:
    """Return a thin horizontal line in figure coordinates."""
    return Line2D([x0, x1], [y, y], transform=fig.transFigure, color=color, linewidth=0.4)


def supervision_pages(
    rows: pd.DataFrame, *, period: Period, subtitle: str, lang: Lang | str = Lang.ZH
) -> list[_Page]:
    """Lay the list out on A4 landscape pages (headings repeated on every page)."""
    lang = Lang(lang)
    width, height = page_size_inches(Paper.A4, Orientation.LANDSCAPE)
    title = supervision_title(period, lang)
    pages: list[_Page] = []
    lines = _lines(rows, lang) or [("county", t("sup_empty", lang))]
    for kind, content in lines:
        if not pages or pages[-1].full:
            pages.append(_Page(width, height, title=title, subtitle=subtitle))
            pages[-1].header(lang)
        if kind == "county":
            pages[-1].county(str(content))
        else:
            pages[-1].row(content)  # type: ignore[arg-type]
    return pages


def supervision_pdf(
    rows: pd.DataFrame,
    *,
    period: Period,
    provenance: Provenance,
    lang: Lang | str = Lang.ZH,
) -> bytes:
    """Write the supervision list as a print-ready PDF (A4 landscape, headings on each page).

    Parameters
    ----------
    rows : pandas.DataFrame
        :func:`geodata.progress.supervision_list` output.
    period : Period
        The month, named in the title and metadata.
    provenance : Provenance
        Footer line and document metadata.
    lang : Lang or str
        Language of headings and statuses (names and texts are as reported).

    Returns
    -------
    bytes
        The PDF.
    """
    lang = Lang(lang)
    subtitle = f"{t('sup_intro', lang)} {t('sup_count', lang, n=len(rows))}"
    if provenance.filters:
        subtitle += f" · {provenance.filters}"
    pages = supervision_pages(rows, period=period, subtitle=subtitle, lang=lang)
    title = supervision_title(period, lang)

    def figures() -> Iterator[Figure]:
        for i, page in enumerate(pages, start=1):
            page.foot.set_text(provenance.footer(lang=lang))
            page.page_no.set_text(t("sup_page", lang, i=i, n=len(pages)))
            yield page.fig

    return pdf_document(figures(), title=title, provenance=provenance)


def supervision_bytes(
    projects: pd.DataFrame,
    counties: pd.DataFrame,
    inputs: tuple[pd.DataFrame, pd.DataFrame],
    *,
    period: Period,
    fmt: str,
    provenance: Provenance,
    lang: Lang | str = Lang.ZH,
) -> bytes:
    """Build the supervision list of a selection from plans and filled reports, as a file.

    Parameters
    ----------
    projects : pandas.DataFrame
        The selected projects (``id``, ``name_zh``, joined with counties or not).
    counties : geopandas.GeoDataFrame
        The 12 counties.
    inputs : tuple of pandas.DataFrame
        Plans and filled reports.
    period : Period
        The month.
    fmt : {"xlsx", "pdf"}
        File format.
    provenance : Provenance
        Footer, metadata and the XLSX's second line.
    lang : Lang or str
        Language of headings and statuses.

    Returns
    -------
    bytes
    """
    plans, reports = inputs
    statuses = lag_status(plans, reports, period, projects=projects)
    rows = supervision_list(statuses, projects, reports, counties, period)
    writer = supervision_xlsx if fmt == "xlsx" else supervision_pdf
    return writer(rows, period=period, provenance=provenance, lang=lang)
