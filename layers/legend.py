"""Map legends, scale bar and the map's stylesheet (Folium has no legend of its own).

Legends are Leaflet controls built in the browser with ``textContent``, so
no label is parsed as HTML. Colours and icons come from
``CATEGORY_COLORS`` / ``CATEGORY_SYMBOLS``, the same as the charts and exports.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from jinja2 import Template

from geodata.i18n import Lang, label, t
from geodata.schema import Category
from geodata.settings import BACKGROUND_COLOR, CATEGORY_COLORS, CATEGORY_SYMBOLS
from layers._assets import VerbatimElement, script_json

if TYPE_CHECKING:
    from collections.abc import Sequence

MAP_STYLE = """
.leaflet-container { background: %(background)s; font-family: "Noto Sans CJK SC",
  "Noto Sans SC", "Microsoft YaHei", "PingFang SC", sans-serif; }
.cz-county-label-icon { background: none; border: none; }
.cz-county-label { display: inline-block; transform: translate(-50%%, -50%%); white-space: nowrap;
  font-size: 13px; font-weight: 600; color: #343a40;
  text-shadow: 0 0 3px #fff, 0 0 3px #fff, 0 0 3px #fff; }
.cz-popup { font-size: 13px; line-height: 1.4; }
.cz-popup .cz-pid { color: #868e96; font-size: 11px; }
.cz-popup .cz-title { font-weight: 700; font-size: 14px; }
.cz-popup .cz-title-en { color: #495057; margin-bottom: 4px; }
.cz-popup table { border-collapse: collapse; margin: 4px 0; }
.cz-popup th { text-align: left; color: #868e96; font-weight: normal; padding: 1px 8px 1px 0;
  white-space: nowrap; vertical-align: top; }
.cz-popup td { padding: 1px 0; }
.cz-popup .cz-source { color: #495057; font-size: 12px; border-left: 3px solid #dee2e6;
  padding-left: 6px; max-height: 8em; overflow: auto; }
.cz-note { color: #868e96; font-size: 12px; }
.cz-legend { background: rgba(255,255,255,0.92); padding: 6px 8px; border-radius: 4px;
  box-shadow: 0 1px 4px rgba(0,0,0,0.3); font-size: 12px; line-height: 18px; max-width: 240px; }
.cz-legend .cz-legend-title { font-weight: 700; margin-bottom: 2px; }
.cz-legend .cz-swatch { display: inline-block; width: 14px; height: 14px; margin-right: 6px;
  vertical-align: -2px; border-radius: 50%%; font-size: 14px; line-height: 14px;
  text-align: center; }
.cz-legend .cz-box { border-radius: 0; border: 1px solid #adb5bd; }
"""


class MapStyle(VerbatimElement):
    """Stylesheet for clusters, popups, labels and legends (in the page header)."""

    _template = Template(
        """
        {% macro header(this, kwargs) %}
        <style>{{ this.css }}</style>
        {% endmacro %}
        """
    )

    def __init__(self) -> None:
        super().__init__()
        self._name = "MapStyle"
        self.css = MAP_STYLE % {"background": BACKGROUND_COLOR}


class Legend(VerbatimElement):
    """A legend control: a title, rows of swatch and text, and notes.

    Parameters
    ----------
    title : str
        Legend title.
    rows : sequence of (str, str, str)
        Colour, symbol (may be ``""``) and label of each row.
    notes : sequence of str
        Lines of small print under the rows.
    position : str
        Leaflet control position.
    box : bool
        Square swatches (areas) instead of round ones (points).
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function (spec, map) {
            var ctl = L.control({position: spec.position});
            ctl.onAdd = function () {
                var div = L.DomUtil.create("div", "cz-legend");
                var head = L.DomUtil.create("div", "cz-legend-title", div);
                head.textContent = spec.title;
                spec.rows.forEach(function (row) {
                    var line = L.DomUtil.create("div", "", div);
                    var cls = "cz-swatch" + (spec.box ? " cz-box" : "");
                    var sw = L.DomUtil.create("span", cls, line);
                    if (row[1]) {
                        sw.style.color = row[0];
                        sw.textContent = row[1];
                    } else {
                        sw.style.background = row[0];
                    }
                    line.appendChild(document.createTextNode(row[2]));
                });
                spec.notes.forEach(function (note) {
                    L.DomUtil.create("div", "cz-note", div).textContent = note;
                });
                L.DomEvent.disableClickPropagation(div);
                return div;
            };
            ctl.addTo(map);
        })({{ this.spec }}, {{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(
        self,
        title: str,
        rows: Sequence[tuple[str, str, str]],
        *,
        notes: Sequence[str] = (),
        position: str = "bottomright",
        box: bool = False,
    ) -> None:
        super().__init__()
        self._name = "Legend"
        self.spec = script_json(
            {
                "title": title,
                "rows": [list(r) for r in rows],
                "notes": list(notes),
                "position": position,
                "box": box,
            }
        )


class ScaleBar(VerbatimElement):
    """A metric scale bar (``L.control.scale``)."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        L.control.scale({imperial: false, position: "bottomleft"}).addTo(
            {{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self) -> None:
        super().__init__()
        self._name = "ScaleBar"


def category_legend(
    *, lang: Lang = Lang.ZH, categories: Sequence[Category] | None = None
) -> Legend:
    """Build the categorical legend of the project layers.

    Parameters
    ----------
    lang : Lang
        Label language.
    categories : sequence of Category, optional
        Categories to list (default: all three).

    Returns
    -------
    Legend
        Colour, icon and label of each category, and notes on symbols.
    """
    chosen = list(categories) if categories is not None else list(Category)
    rows = [
        (
            CATEGORY_COLORS[c.value],
            CATEGORY_SYMBOLS[c.value].glyph,
            label(c, lang),
        )
        for c in chosen
    ]
    notes = [t("legend_cluster", lang), t("legend_approximate", lang)]
    return Legend(t("legend_title", lang), rows, notes=notes, position="bottomright")


def choropleth_legend(title: str, rows: Sequence[tuple[str, str]]) -> Legend:
    """Build the graduated legend of a county choropleth.

    Parameters
    ----------
    title : str
        What is shown, e.g. ``"项目数 · 全部类别"``.
    rows : sequence of (str, str)
        Colour and range text, light to dark (``layers.shading.shade``).

    Returns
    -------
    Legend
        Square swatches, bottom left above the scale bar.
    """
    return Legend(title, [(c, "", text) for c, text in rows], position="bottomleft", box=True)
