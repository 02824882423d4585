"""Folium builders for the Atlas map.

The map is split the way streamlit-folium updates it cheaply: a *base map*
that depends only on the basemap choice (changing it remounts the component),
and *layers* (choropleth, sites) passed as ``feature_group_to_add`` so filter
changes redraw them in the mounted map without re-sending or remounting it.
"""

from __future__ import annotations

import json

import folium
import geopandas as gpd
import pandas as pd
from folium.plugins import FastMarkerCluster
from folium.template import Template

from geo import markup
from geo.classify import Classes
from geo.coverage import display_reach
from geo.formatting import format_value
from geo.indicators import Indicator
from geo.state import DEFAULT_CENTER, DEFAULT_ZOOM, ZOOM_RANGE
from geo.topology import OBJECT_NAME, to_topojson

BASEMAP_TILES = {
    "osm": ("OpenStreetMap", "© OpenStreetMap contributors"),
}
STATUS_STYLE = {
    # colour (awesome-markers palette) and glyph differ per status, so status
    # reads without colour too.
    "open": ("darkblue", "star"),
    "under_construction": ("orange", "helmet-safety"),
    "announced": ("gray", "bullhorn"),
}
STATUS_LABELS = {"open": "Open", "under_construction": "Under construction", "announced": "Announced"}
PROGRAMME_LABELS = {"utopias": "UTOPÍAS", "pcmb": "PCMB (Mejoramiento Barrial)"}
CLUSTER_OPTIONS = {"disableClusteringAtZoom": 13, "showCoverageOnHover": False, "maxClusterRadius": 40}
SELECTED_OUTLINE = "#111111"
UNUSED_FOLIUM_ASSETS = frozenset(
    {"jquery", "bootstrap", "bootstrap_css", "glyphicons_css", "awesome_rotate_css"}
)


def base_map(
    basemap: str = "none",
    center: tuple[float, float] = DEFAULT_CENTER,
    zoom: int = DEFAULT_ZOOM,
) -> folium.Map:
    """Return the map frame: view limits, scale bar and (optionally) a tile layer.

    ``center`` and ``zoom`` are where the map opens. Pass the same values for
    a whole session (the view the visitor arrived with) and move the map
    through ``st_folium``'s ``center``/``zoom`` arguments instead: a change
    here changes the map's script, which remounts it. ``max_zoom`` is explicit
    because marker clustering needs it when there is no tile layer.
    """
    fmap = folium.Map(
        location=center,
        zoom_start=zoom,
        tiles=None,
        control_scale=True,
    )
    # folium hands min/max zoom to the tile layer it creates; with no tiles they
    # would be dropped and marker clustering would fail ("Map has no maxZoom").
    fmap.options["min_zoom"], fmap.options["max_zoom"] = ZOOM_RANGE
    # The Atlas's layers need Leaflet, awesome-markers and Font Awesome only:
    # jQuery and Bootstrap (folium loads them for its own popups) would be
    # fetched and run one after another before the map can draw.
    fmap.default_js = [link for link in fmap.default_js if link[0] not in UNUSED_FOLIUM_ASSETS]
    fmap.default_css = [link for link in fmap.default_css if link[0] not in UNUSED_FOLIUM_ASSETS]
    fmap.get_root().header.add_child(folium.Element(POPUP_CSS))
    if basemap in BASEMAP_TILES:
        tiles, attribution = BASEMAP_TILES[basemap]
        folium.TileLayer(tiles, attr=attribution, name="Basemap", control=False).add_to(fmap)
    return fmap


def script_json(data: object) -> str:
    """Serialise ``data`` compactly for a ``<script>`` block.

    No spaces after separators (they add ~15 % to coordinate arrays), and
    ``<``, ``>`` and ``&`` escaped so no string can close the script element.
    """
    text = json.dumps(data, separators=(",", ":"), ensure_ascii=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


class CompactTopoJson(folium.TopoJson):
    """folium's TopoJson, embedded compactly (see :func:`script_json`)."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
            var {{ this.get_name() }}_data = {{ this.compact_data }};
            var {{ this.get_name() }} = L.geoJson(
                topojson.feature(
                    {{ this.get_name() }}_data,
                    {{ this.get_name() }}_data{{ this._safe_object_path }}
                )
            ).addTo({{ this._parent.get_name() }});
            {{ this.get_name() }}.setStyle(function(feature) {
                return feature.properties.style;
            });
        {% endmacro %}
        """
    )

    def render(self, **kwargs: object) -> None:
        """Apply the styles, then freeze the compact JSON the template embeds."""
        self.style_data()
        self.compact_data = script_json(self.data)
        super(folium.TopoJson, self).render(**kwargs)


def _borough_tip(name: str, indicator: Indicator, year: int, value: float, lang: str) -> str:
    shown = format_value(value, indicator.fmt, lang)
    return (
        f"<b>{markup.text(name)}</b><br>{markup.text(indicator.title(lang))} ({year}): {markup.text(shown)}"
    )


def choropleth_layer(
    boroughs: gpd.GeoDataFrame,
    values: pd.Series,
    classes: Classes,
    indicator: Indicator,
    year: int,
    *,
    highlighted: tuple[str, ...] = (),
    selected: str = "",
    lang: str = "en",
) -> folium.FeatureGroup:
    """Return the boroughs shaded by class, with escaped tooltips.

    ``values`` is indexed by ``cvegeo``. Boroughs outside a borough filter
    (``highlighted``) are drawn faded; the ``selected`` borough gets a dark
    outline. The polygons travel as TopoJSON with only the properties the map
    uses (code and tooltip).
    """
    frame = boroughs[["cvegeo", "name", "geometry"]].copy()
    frame["tip"] = [
        _borough_tip(name, indicator, year, values.get(code, float("nan")), lang)
        for code, name in zip(frame["cvegeo"], frame["name"], strict=True)
    ]
    fills = {
        code: classes.colour_of(code) if code in classes.of.index else "#d9d9d9" for code in frame["cvegeo"]
    }

    def style(feature: dict) -> dict:
        code = feature["properties"]["cvegeo"]
        faded = bool(highlighted) and code not in highlighted
        return {
            "fillColor": fills[code],
            "fillOpacity": 0.25 if faded else 0.75,
            "color": SELECTED_OUTLINE if code == selected else "#ffffff",
            "weight": 3 if code == selected else 1,
        }

    group = folium.FeatureGroup(name=f"{indicator.title(lang)} ({year})", overlay=True)
    CompactTopoJson(
        to_topojson(frame[["cvegeo", "tip", "geometry"]]),
        f"objects.{OBJECT_NAME}",
        name="boroughs",
        style_function=style,
        tooltip=folium.GeoJsonTooltip(fields=["tip"], labels=False, sticky=True),
    ).add_to(group)
    return group


def _opened_label(site: pd.Series) -> str:
    return site["opened_date"][:4] if site["opened_date"] else "opening date unknown"


def outline_layer(boroughs: gpd.GeoDataFrame, selected: str) -> folium.FeatureGroup:
    """Return all boroughs as thin outlines with ``selected`` filled, for small locator maps."""
    frame = boroughs[["cvegeo", "geometry"]]

    def style(feature: dict) -> dict:
        chosen = feature["properties"]["cvegeo"] == selected
        return {"color": SELECTED_OUTLINE if chosen else "#888888", "weight": 2 if chosen else 1,
                "fillColor": "#6a51a3", "fillOpacity": 0.25 if chosen else 0.0}  # fmt: skip

    group = folium.FeatureGroup(name="Boroughs", overlay=True)
    CompactTopoJson(
        to_topojson(frame), f"objects.{OBJECT_NAME}", name="boroughs", style_function=style
    ).add_to(group)
    return group


def site_details(site: pd.Series) -> list[list[str]]:
    """Return the (label, value) rows of a site's popup; empty values are left out."""
    rows = [
        ("Programme", PROGRAMME_LABELS.get(site["programme"], site["programme"])),
        ("Status", site["status_detail"] or STATUS_LABELS.get(site["status"], "")),
        ("Opened", site["opened_text"] or "unknown"),
        ("Borough", site["borough"]),
        ("Colonia", site["colonia"]),
        ("Address", site["address"]),
        ("Area", f"{site['area_m2']:,.0f} m²" if pd.notna(site["area_m2"]) else "unknown"),
        ("Facilities", site["facilities"]),
        ("Location", site["location_precision"]),
    ]
    return [[label, value] for label, value in rows if isinstance(value, str) and value]


def site_sources(site: pd.Series) -> list[list[str]]:
    """Return a site's sources as (label, url) pairs; url is "" for plain notes."""
    return [list(pair) for pair in markup.source_pairs(site["sources"])]


# Styles for site popups, sent once with the base map rather than with every popup.
POPUP_CSS = (
    "<style>.ap{font-size:13px}.ap h4{margin:0 0 4px;font-size:15px}.ap th{text-align:left;padding-right:6px;"
    "vertical-align:top}.ap ul{padding-left:16px;margin:2px 0}.ap{max-height:320px;overflow:auto}"
    ".ap li{overflow-wrap:anywhere}</style>"
)

# Builds one marker from a data row
# [lat, lon, colour, glyph, name, status, opened, details, sources].
# Every text goes in through textContent, never as HTML, so a hostile name or
# address shows as text and runs nothing; links are http(s) only.
_SITE_MARKER_JS = r"""function (row) {
    function el(tag, text, parent) {
        var node = document.createElement(tag);
        if (text !== undefined) { node.textContent = text; }
        if (parent) { parent.appendChild(node); }
        return node;
    }
    var marker = L.marker(new L.LatLng(row[0], row[1]), {
        icon: L.AwesomeMarkers.icon({markerColor: row[2], icon: row[3], prefix: "fa", iconColor: "white"}),
        title: row[4], alt: row[4]
    });
    var tip = el("div");
    el("b", row[4], tip); el("br", undefined, tip); el("span", row[5] + " · " + row[6], tip);
    marker.bindTooltip(tip, {sticky: true});
    marker.bindPopup(function () {
        var box = el("div"); box.className = "ap";
        el("h4", row[4], box);
        var table = el("table", undefined, box);
        row[7].forEach(function (pair) {
            var tr = el("tr", undefined, table); el("th", pair[0], tr); el("td", pair[1], tr);
        });
        el("b", "Sources", box);
        var list = el("ul", undefined, box);
        row[8].forEach(function (pair) {
            var li = el("li", undefined, list);
            if (/^https?:\/\//.test(pair[1])) {
                var a = el("a", pair[0], li); a.href = pair[1]; a.target = "_blank"; a.rel = "noopener noreferrer";
            } else { li.textContent = pair[0]; }
        });
        return box;
    }, {maxWidth: 360});
    return marker;
}"""


class CompactMarkerCluster(FastMarkerCluster):
    """folium's FastMarkerCluster with its data embedded compactly (see :func:`script_json`)."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
            var {{ this.get_name() }} = (function(){
                {{ this.callback }}
                var data = {{ this.compact_data }};
                var cluster = L.markerClusterGroup({{ this.options|tojavascript }});
                for (var i = 0; i < data.length; i++) {
                    callback(data[i]).addTo(cluster);
                }
                cluster.addTo({{ this._parent.get_name() }});
                return cluster;
            })();
        {% endmacro %}"""
    )

    def render(self, **kwargs: object) -> None:
        """Freeze the compact JSON the template embeds, then render."""
        self.compact_data = script_json(self.data)
        super().render(**kwargs)


def sites_layer(sites: gpd.GeoDataFrame, *, name: str = "UTOPÍAS sites") -> folium.FeatureGroup:
    """Return the mapped sites as clustered markers styled by status.

    One data array and one marker-building function travel to the browser
    instead of a block of generated JavaScript per marker. Sites without
    coordinates are skipped here (the page lists them as "not on the map").
    """
    rows = [
        [
            round(site.geometry.y, 6),
            round(site.geometry.x, 6),
            *STATUS_STYLE[site["status"]],
            site["name"],
            STATUS_LABELS.get(site["status"], site["status"]),
            _opened_label(site),
            site_details(site),
            site_sources(site),
        ]
        for _, site in sites[sites.geometry.notna()].iterrows()
    ]
    group = folium.FeatureGroup(name=name, overlay=True)
    CompactMarkerCluster(rows, callback=_SITE_MARKER_JS, options=CLUSTER_OPTIONS, name=name).add_to(group)
    return group


def coverage_layer(reach: gpd.GeoDataFrame) -> folium.FeatureGroup:
    """Return the reach areas of :func:`geo.coverage.reach_areas` as outlines with light fills.

    The nearest distance is drawn solid and the others dashed, all white-filled
    so the choropleth stays readable underneath. The layer is not interactive:
    it sits above the boroughs and must not take their tooltips and clicks.
    The geometry is simplified to ~10 m and rounded to 5 decimals first.
    """
    shown = display_reach(reach).sort_values("distance_m", ascending=False)
    nearest = shown["distance_m"].min() if not shown.empty else 0
    drawn = shown[~shown.geometry.is_empty]
    data = {
        "type": "FeatureCollection",
        "features": [
            {"type": "Feature", "id": str(number), "properties": {"d": float(distance)}, "geometry": shape}
            for number, (distance, shape) in enumerate(
                zip(drawn["distance_m"], drawn.geometry.map(lambda g: g.__geo_interface__), strict=True)
            )
        ],
    }

    def style(feature: dict) -> dict:
        solid = feature["properties"]["d"] == nearest
        return {
            "color": "#222222",
            "weight": 2 if solid else 1.5,
            "dashArray": None if solid else "6 4",
            "fillColor": "#ffffff",
            "fillOpacity": 0.25 if solid else 0.12,
        }

    distances = " / ".join(f"{distance:,.0f} m" for distance in sorted(shown["distance_m"]))
    name = markup.text(f"Within {distances} of an open UTOPÍA (straight line)")
    group = folium.FeatureGroup(name=name, overlay=True)
    if data["features"]:
        folium.GeoJson(data, name="reach", style_function=style, interactive=False).add_to(group)
    return group
