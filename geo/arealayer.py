"""Many small areas on one map: AGEBs and colonias drawn on a canvas from packed TopoJSON.

The city has ~2,400 AGEBs and ~1,800 colonias. Drawn the way the boroughs
are (folium's TopoJSON with a style and a tooltip baked into every feature,
each an SVG path) they would cost about 1 MB and a slow first paint. Here:

* the shapes travel once as quantised TopoJSON arcs, encoded as polyline text
  (:func:`geo.topology.packed_topology`), only those of the drawn areas;
* per area only its class (one character), its shown value and its key or
  name travel; the browser builds styles and tooltips from them;
* Leaflet draws them on one ``<canvas>`` (``L.canvas``), which stays fast
  where thousands of SVG paths do not, and still gives tooltips and clicks.

Tooltips are built with ``textContent``: a colonia's name is data and is
never read as HTML. A map click reaches the page as a point (streamlit-folium's
``last_clicked``), and the page finds the area under it, so no key has to
come back from the browser.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import folium
from folium.template import Template

from geo.markup import script_json

#: A class the shading does not know (a missing value) is sent as this character.
MISSING_CLASS = "-"


@dataclass(frozen=True)
class AreaStyle:
    """How a set of areas is drawn: fill opacity, and the colour and width of their borders."""

    fill_opacity: float
    line: str
    weight: float


def class_string(classes: Sequence[int]) -> str:
    """One character per area: its class number, or :data:`MISSING_CLASS` (classes 0–9)."""
    if any(number > 9 for number in classes):
        msg = "at most ten classes fit one character each"
        raise ValueError(msg)
    return "".join(MISSING_CLASS if number < 0 else str(number) for number in classes)


class PackedAreas(folium.MacroElement):
    """A layer of areas from :func:`geo.topology.packed_topology`, filled by class, on a canvas.

    ``classes`` (from :func:`class_string`) and ``colours`` give the fills
    (``None``: outlines only); ``titles`` and ``lines`` the two lines of each
    tooltip (``None``: no tooltip, and the layer lets clicks through to what
    is below). ``level`` is kept on every drawn shape (``options.atlasLevel``)
    so tests can count what Leaflet holds. It needs topojson-client, which
    the base map loads for every layer (:data:`geo.mapview.LAYER_PLUGINS`).
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
            var {{ this.get_name() }} = (function () {
                var d = {{ this.compact_data }};
                function decode(text) {
                    var points = [], i = 0;
                    function next() {
                        var result = 0, shift = 0, b;
                        do { b = text.charCodeAt(i++) - 63; result |= (b & 31) << shift; shift += 5; } while (b >= 32);
                        return (result & 1) ? ~(result >> 1) : (result >> 1);
                    }
                    while (i < text.length) { var x = next(); points.push([x, next()]); }
                    return points;
                }
                var topology = {
                    type: "Topology", transform: d.transform,
                    arcs: d.arcs ? d.arcs.split(" ").map(decode) : [],
                    objects: {a: {type: "GeometryCollection", geometries: d.geometries.map(function (g, i) {
                        return {type: Array.isArray(g[0][0]) ? "MultiPolygon" : "Polygon", arcs: g, id: i};
                    })}}
                };
                function tip(i) {
                    var box = document.createElement("div");
                    var title = document.createElement("b"); title.textContent = d.titles[i]; box.appendChild(title);
                    box.appendChild(document.createElement("br"));
                    var line = document.createElement("span"); line.textContent = d.lines[i]; box.appendChild(line);
                    return box;
                }
                var interactive = d.titles !== null;
                // One canvas per layer, removed with it: a redrawn layer must not leave its old canvas behind.
                var renderer = L.canvas({padding: 0.5});
                var layer = L.geoJson(topojson.feature(topology, topology.objects.a), {
                    renderer: renderer,
                    interactive: interactive,
                    atlasLevel: d.level,
                    style: function (f) {
                        var c = d.classes === null ? -1 : d.classes.charCodeAt(f.id) - 48;
                        var fill = d.colours === null ? null : (c >= 0 && c < d.colours.length ? d.colours[c] : d.missing);
                        return {fill: fill !== null, fillColor: fill, fillOpacity: d.opacity, color: d.line, weight: d.weight};
                    }
                });
                layer.on("remove", function () { renderer.remove(); });
                // A layer that takes no clicks (borders, a selection) must not hide the shapes under it either.
                if (!interactive) { renderer.on("add", function () { renderer._container.style.pointerEvents = "none"; }); }
                if (interactive) {
                    // One tooltip for the whole layer, filled for the shape under the pointer.
                    layer.bindTooltip(function (shape) { return tip(shape.feature.id); }, {sticky: true});
                }
                layer.addTo({{ this._parent.get_name() }});
                return layer;
            })();
        {% endmacro %}
        """
    )

    def __init__(
        self,
        packed: dict,
        *,
        level: str,
        style: AreaStyle,
        classes: str | None = None,
        colours: Sequence[str] | None = None,
        missing: str = "#d9d9d9",
        titles: Sequence[str] | None = None,
        lines: Sequence[str] | None = None,
    ) -> None:
        super().__init__()
        self._name = "PackedAreas"
        self.data = {
            **packed,
            "level": level,
            "classes": classes,
            "colours": list(colours) if colours is not None else None,
            "missing": missing,
            "titles": list(titles) if titles is not None else None,
            "lines": list(lines) if lines is not None else None,
            "opacity": style.fill_opacity,
            "line": style.line,
            "weight": style.weight,
        }

    def render(self, **kwargs: object) -> None:
        """Freeze the compact JSON the template embeds, then render."""
        self.compact_data = script_json(self.data)
        super().render(**kwargs)
