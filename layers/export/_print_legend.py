"""Side panel of print maps: the legend (categories, choropleth classes) and the table."""

from __future__ import annotations

import pandas as pd
from matplotlib.axes import Axes
from matplotlib.legend import Legend
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from geodata.i18n import Lang, county_name, label, t
from geodata.schema import Category
from geodata.settings import (
    CATEGORY_COLORS,
    CATEGORY_SYMBOLS,
    COUNTY_FILL_COLOR,
    COUNTY_LINE_COLOR,
    PRINT_COLORS,
)
from layers.export._print_canvas import MapResult
from layers.export._print_fonts import font, literal, text_style
from layers.shading import Metric


def _literal_legend(legend: Legend, size: float, title_size: float) -> Legend:
    """Give a legend's labels and title the print font, drawn literally."""
    for text in legend.get_texts():
        literal(text, size)
    literal(legend.get_title(), title_size)
    return legend


def _category_handles(result: MapResult, *, lang: Lang, scale: float) -> list[Line2D | Patch]:
    """Legend entries: categories with counts, hollow points, county lines."""
    handles: list[Line2D | Patch] = []
    marker = {"linestyle": "none", "markersize": 8 * scale}
    for cat in Category:
        n = result.counts.get(cat.value, 0)
        text = t("print_legend_row", lang, name=cat, n=n)
        handles.append(
            Line2D(
                [],
                [],
                marker=CATEGORY_SYMBOLS[cat.value].marker,
                markerfacecolor=CATEGORY_COLORS[cat.value],
                markeredgecolor=PRINT_COLORS["paper"],
                label=text,
                **marker,
            )
        )
    if result.approximate:
        handles.append(
            Line2D(
                [],
                [],
                marker="o",
                markerfacecolor=PRINT_COLORS["paper"],
                markeredgecolor=PRINT_COLORS["text"],
                markeredgewidth=1.1 * scale,
                label=t("print_approximate", lang),
                **marker,
            )
        )
    line = t("print_county_line", lang)
    handles.append(Patch(facecolor=COUNTY_FILL_COLOR, edgecolor=COUNTY_LINE_COLOR, label=line))
    if result.focus:
        others = t("print_other_counties", lang)
        handles.append(
            Patch(facecolor=PRINT_COLORS["paper"], edgecolor=COUNTY_LINE_COLOR, label=others)
        )
    return handles


def choropleth_title(metric: Metric, category: Category | None, lang: Lang) -> str:
    """Title of the printed choropleth legend, e.g. ``已披露投资（亿元） · 能源``."""
    what = t("print_count" if metric is Metric.COUNT else "print_investment", lang)
    which = t("all_categories", lang) if category is None else label(category, lang)
    return t("metric_title", lang, metric=what, which=which)


def draw_legend(ax: Axes, result: MapResult, *, lang: Lang, scale: float) -> None:
    """Draw the categorical legend (and choropleth classes) in the side panel."""
    ax.set_axis_off()
    options = {"frameon": False, "alignment": "left", "borderaxespad": 0, "loc": "upper left"}
    legend = ax.legend(
        handles=_category_handles(result, lang=lang, scale=scale),
        title=t("print_legend", lang),
        prop=font(8.5 * scale),
        title_fontproperties=font(10 * scale),
        **options,
    )
    _literal_legend(legend, 8.5 * scale, 10 * scale)
    if result.choropleth is None:
        return
    ax.add_artist(legend)
    choice, shading = result.choropleth
    patches = [
        Patch(facecolor=color, edgecolor=COUNTY_LINE_COLOR, label=label)
        for color, label in shading.legend
    ]
    classes = ax.legend(
        handles=patches,
        bbox_to_anchor=(0, 0.48),
        title=choropleth_title(choice.metric, choice.category, lang),
        prop=font(8 * scale),
        title_fontproperties=font(9 * scale),
        **options,
    )
    _literal_legend(classes, 8 * scale, 9 * scale)


def _fmt_invest(value: float) -> str:
    """Format an amount in 亿元 (``—`` when none is stated)."""
    return "—" if pd.isna(value) else f"{value:,.1f}"


def _category_rows(projects: pd.DataFrame, lang: Lang) -> tuple[list[str], list[list[str]]]:
    """Rows of the table of one county: one per category, then the total."""
    header = [
        t("print_table_category", lang),
        t("print_table_count", lang),
        t("print_table_invest", lang),
    ]
    rows = []
    for cat in Category:
        sel = projects[projects["category"].astype(str) == cat.value]
        invest = pd.to_numeric(sel["investment_yi"], errors="coerce").sum(min_count=1)
        rows.append([label(cat, lang), str(len(sel)), _fmt_invest(invest)])
    invest = pd.to_numeric(projects["investment_yi"], errors="coerce").sum(min_count=1)
    rows.append([t("print_total", lang), str(len(projects)), _fmt_invest(invest)])
    return header, rows


def summary_rows(
    projects: pd.DataFrame, summary: pd.DataFrame, *, focus_adcode: str | None, lang: Lang
) -> tuple[list[str], list[list[str]]]:
    """Rows of the summary table: per county, or per category for one county."""
    if focus_adcode:
        return _category_rows(projects, lang)
    header = [
        t("print_table_county", lang),
        t("print_table_count", lang),
        *(label(c, lang) for c in Category),
        t("print_table_invest", lang),
    ]
    # invest_all is nan where no amount is stated
    invest = summary["invest_all"]
    rows = [
        [
            county_name(str(code), lang, short=True) or t("county_unknown", lang),
            str(int(row["count_all"])),
            *(str(int(row[f"count_{c}"])) for c in Category),
            _fmt_invest(invest[code]),
        ]
        for code, row in summary.iterrows()
    ]
    rows.append(
        [
            t("print_total", lang),
            str(int(summary["count_all"].sum())),
            *(str(int(summary[f"count_{c}"].sum())) for c in Category),
            _fmt_invest(invest.sum(min_count=1)),
        ]
    )
    return header, rows


def draw_table(
    ax: Axes, header: list[str], rows: list[list[str]], *, lang: Lang, scale: float
) -> None:
    """Draw the summary table filling the panel axes."""
    ax.set_axis_off()
    n_rows = len(rows) + 1
    height = min(1.0, n_rows * 0.062)
    table = ax.table(
        cellText=rows,
        colLabels=header,
        cellLoc="center",
        colLoc="center",
        bbox=(0, 1 - height, 1, height),
    )
    table.auto_set_font_size(False)
    widths = [0.26] + [0.74 / (len(header) - 1)] * (len(header) - 1)
    for (r, c), cell in table.get_celld().items():
        cell.set_linewidth(0.4 * scale)
        cell.set_edgecolor(PRINT_COLORS["table_edge"])
        cell.set_width(widths[c])
        bold = r in (0, n_rows - 1)
        literal(cell.get_text(), 7.5 * scale, weight="bold" if bold else "normal")
        if r == 0:
            cell.set_facecolor(PRINT_COLORS["table_header"])
        elif r == n_rows - 1:
            cell.set_facecolor(PRINT_COLORS["table_total"])
    ax.text(
        0,
        1 - height - 0.02,
        t("print_invest_note", lang),
        **text_style(
            6.5 * scale, transform=ax.transAxes, ha="left", va="top", color=PRINT_COLORS["muted"]
        ),
    )
