"""Folium builders for the Atlas map.

The map is split the way streamlit-folium updates it cheaply: a *base map*
that depends only on the basemap choice (changing it remounts the component),
and *layers* (choropleth, sites) passed as ``feature_group_to_add`` so filter
changes redraw them in the mounted map without re-sending or remounting it.
The mounted map keeps the scripts it was mounted with, so the base map loads
the plugins of every layer the Atlas may add later (:data:`LAYER_PLUGINS`).
:func:`map_layers` builds the Map screen's layers from its model
(:mod:`geo.mapmodel`), and :func:`finished_map` the same map in one piece for
the HTML export.

Every builder takes the view's language (``lang``): layer names, tooltips and
popup labels come from ``geo/locales/mapview.toml`` and ``labels.toml``;
place names, addresses and sources are shown as they are in the data.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import folium
import geopandas as gpd
import pandas as pd
from folium.plugins import FastMarkerCluster
from folium.template import Template

from geo import markup
from geo.arealayer import AreaStyle, PackedAreas, class_string
from geo.areamodel import AreaShading
from geo.classify import NO_DATA_COLOUR, Classes
from geo.coverage import display_reach
from geo.formatting import format_count, format_day, format_value, format_values
from geo.i18n import catalogue, t, translator
from geo.indicators import Indicator
from geo.mapmodel import MapModel
from geo.markup import script_json
from geo.state import DEFAULT_CENTER, DEFAULT_ZOOM, ZOOM_RANGE
from geo.topology import OBJECT_NAME, packed_topology, to_topojson
from geo.userlayers import UserLayer, drawn_rows

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
# (Status and programme names are labels.status.<id> and labels.programme.<id>, geo/locales/labels.toml.)

# data/utopias.csv's location_precision values with a translation (mapview.precision.<key>).
PRECISION_KEYS = {
    "third-party point, unverified": "third_party",
    "third-party representative point (approx.)": "third_party_approx",
    "colonia only": "colonia",
    "exact address (not geocoded)": "address",
    "unknown": "unknown",
}
CLUSTER_OPTIONS = {"disableClusteringAtZoom": 13, "showCoverageOnHover": False, "maxClusterRadius": 40}
SELECTED_OUTLINE = "#111111"
# High contrast (projectors): thick black borders, stronger fills.
HIGH_CONTRAST_OUTLINE = "#000000"
HIGH_CONTRAST_WEIGHT = 2.5
HIGH_CONTRAST_SELECTED_WEIGHT = 6
UNUSED_FOLIUM_ASSETS = frozenset(
    {"jquery", "bootstrap", "bootstrap_css", "glyphicons_css", "awesome_rotate_css"}
)


def base_map(
    basemap: str = "none",
    center: tuple[float, float] = DEFAULT_CENTER,
    zoom: int = DEFAULT_ZOOM,
    *,
    lang: str = "en",
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
    # streamlit-folium loads a map's scripts once, when it mounts the map, and
    # runs the layers of later reruns (``feature_group_to_add``) with only
    # those: the frame declares every plugin the Atlas's layers use, so a layer
    # the first view did not draw (sites ticked on afterwards) still draws.
    # Besides those the layers need Leaflet, awesome-markers and Font Awesome
    # only: jQuery and Bootstrap (folium loads them for its own popups) would
    # be fetched and run one after another before the map can draw.
    fmap.default_js = _used_links(fmap.default_js, *(plugin.default_js for plugin in LAYER_PLUGINS))
    fmap.default_css = _used_links(fmap.default_css, *(plugin.default_css for plugin in LAYER_PLUGINS))
    fmap.get_root().header.add_child(folium.Element(POPUP_CSS))
    if basemap in BASEMAP_TILES:
        tiles, attribution = BASEMAP_TILES[basemap]
        folium.TileLayer(tiles, attr=attribution, name=t("mapview.basemap", lang), control=False).add_to(fmap)
    return fmap


def fit_zoom(
    bounds: tuple[tuple[float, float], tuple[float, float]], width_px: int = 700, height_px: int = 560
) -> int:
    """The largest zoom at which ``((south, west), (north, east))`` fits a map of that size (Web Mercator).

    streamlit-folium moves a mounted map by centre and zoom only, so zooming
    to a colonia means choosing the zoom here. A point (no extent) gets the
    closest zoom the Atlas allows.
    """
    (south, west), (north, east) = bounds

    def mercator_y(lat: float) -> float:
        return math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))

    lon_share = (east - west) / 360
    lat_share = (mercator_y(north) - mercator_y(south)) / (2 * math.pi)
    fits = [
        size / (256 * share) for size, share in ((width_px, lon_share), (height_px, lat_share)) if share > 0
    ]
    zoom = math.floor(math.log2(min(fits))) if fits else ZOOM_RANGE[1]
    return max(ZOOM_RANGE[0], min(ZOOM_RANGE[1], zoom))


def _used_links(*lists: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """The (name, url) links of ``lists`` in order, once each, without folium's unused ones."""
    kept = {name: url for links in lists for name, url in links if name not in UNUSED_FOLIUM_ASSETS}
    return list(kept.items())


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
    shown = t(
        "mapview.tooltip",
        lang,
        indicator=indicator.title(lang),
        year=year,
        value=format_value(value, indicator.fmt, lang),
    )
    return f"<b>{markup.text(name)}</b><br>{markup.text(shown)}"


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
    high_contrast: bool = False,
) -> folium.FeatureGroup:
    """Return the boroughs shaded by class, with escaped tooltips in ``lang``.

    ``values`` is indexed by ``cvegeo``. Boroughs outside a borough filter
    (``highlighted``) are drawn faded; the ``selected`` borough gets a dark
    outline. With ``high_contrast`` (projectors) every border is thick and
    black, fills are stronger and the selection is thicker still. The polygons
    travel as TopoJSON with only the properties the map uses (code and tooltip).
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
        if high_contrast:
            return {
                "fillColor": fills[code],
                "fillOpacity": 0.3 if faded else 0.9,
                "color": HIGH_CONTRAST_OUTLINE,
                "weight": HIGH_CONTRAST_SELECTED_WEIGHT if code == selected else HIGH_CONTRAST_WEIGHT,
            }
        return {
            "fillColor": fills[code],
            "fillOpacity": 0.25 if faded else 0.75,
            "color": SELECTED_OUTLINE if code == selected else "#ffffff",
            "weight": 3 if code == selected else 1,
        }

    group = folium.FeatureGroup(name=markup.text(f"{indicator.title(lang)} ({year})"), overlay=True)
    CompactTopoJson(
        to_topojson(frame[["cvegeo", "tip", "geometry"]]),
        f"objects.{OBJECT_NAME}",
        name="boroughs",
        style_function=style,
        tooltip=folium.GeoJsonTooltip(fields=["tip"], labels=False, sticky=True),
    ).add_to(group)
    return group


def _opened_label(site: pd.Series, lang: str = "en") -> str:
    return site["opened_date"][:4] if site["opened_date"] else t("mapview.opening_unknown", lang)


def outline_layer(
    boroughs: gpd.GeoDataFrame, selected: str, *, lang: str = "en", high_contrast: bool = False
) -> folium.FeatureGroup:
    """Return all boroughs as thin outlines with ``selected`` filled, for small locator maps.

    With ``high_contrast`` the outlines are thick and black, the selection thicker.
    """
    frame = boroughs[["cvegeo", "geometry"]]

    def style(feature: dict) -> dict:
        chosen = feature["properties"]["cvegeo"] == selected
        if high_contrast:
            return {"color": HIGH_CONTRAST_OUTLINE, "fillColor": "#6a51a3", "fillOpacity": 0.4 if chosen else 0.0,
                    "weight": HIGH_CONTRAST_SELECTED_WEIGHT if chosen else HIGH_CONTRAST_WEIGHT}  # fmt: skip
        return {"color": SELECTED_OUTLINE if chosen else "#888888", "weight": 2 if chosen else 1,
                "fillColor": "#6a51a3", "fillOpacity": 0.25 if chosen else 0.0}  # fmt: skip

    group = folium.FeatureGroup(name=t("mapview.boroughs", lang), overlay=True)
    CompactTopoJson(
        to_topojson(frame), f"objects.{OBJECT_NAME}", name="boroughs", style_function=style
    ).add_to(group)
    return group


def _label(kind: str, value: str, lang: str) -> str:
    """Return ``labels.<kind>.<value>`` in ``lang``, or ``value`` itself when it has no label."""
    key = f"labels.{kind}.{value}"
    return t(key, lang) if key in catalogue() else value


def status_text(status: str, detail: str = "", lang: str = "en") -> str:
    """Return a site's status in ``lang``, followed by what its detail (data, as written) adds.

    ``detail`` is the data's ``status_detail`` ("open (third-party)",
    "announced; suspended by amparo (Oct 2025)"): a detail that only repeats
    the status adds nothing, otherwise what follows the status word is kept.
    """
    label = _label("status", status, lang)
    plain = status.replace("_", " ")
    rest = detail.strip() if isinstance(detail, str) else ""
    if rest.lower().startswith(plain):
        rest = rest[len(plain) :].strip(" ;,:-")
    if rest.startswith("(") and rest.endswith(")") and rest.count("(") == 1:
        rest = rest[1:-1].strip()
    return f"{label} · {rest}" if rest else label


def precision_text(precision: str, lang: str = "en") -> str:
    """Return how precisely a site is located, in ``lang`` when the catalogue knows the data's wording."""
    key = PRECISION_KEYS.get((precision or "").strip())
    return t(f"mapview.precision.{key}", lang) if key else precision


def opening_text(opened_date: str, opened_kind: str, lang: str = "en") -> str:
    """When a site opened, as a date in ``lang`` ("22 juil. 2020", "by Jul 2021"); "" if unknown."""
    day = format_day(opened_date, lang) if opened_kind in ("exact", "by") else ""
    if day and opened_kind == "by":
        return t("labels.opened_by", lang, date=day)
    return day


def _opened_row(site: pd.Series, lang: str) -> str:
    """The popup's opening line: the date in ``lang``, then the sources' own words if they add anything."""
    when = opening_text(site["opened_date"], site["opened_kind"], lang)
    said = site["opened_text"]
    if when and said and said != site["opened_date"]:
        return f"{when} ({said})"
    return when or said or t("mapview.unknown", lang)


def site_details(site: pd.Series, lang: str = "en") -> list[list[str]]:
    """Return the (label, value) rows of a site's popup in ``lang``; empty values are left out."""
    tr = translator(lang)
    area = site["area_m2"]
    rows = [
        ("programme", _label("programme", site["programme"], lang)),
        ("status", status_text(site["status"], site["status_detail"], lang)),
        ("opened", _opened_row(site, lang)),
        ("borough", site["borough"]),
        ("colonia", site["colonia"]),
        ("address", site["address"]),
        ("area", f"{format_count(area, lang)} m²" if pd.notna(area) else tr("mapview.unknown")),
        ("facilities", site["facilities"]),
        ("location", precision_text(site["location_precision"], lang)),
    ]
    return [[tr(f"mapview.popup.{key}"), value] for key, value in rows if isinstance(value, str) and value]


def site_sources(site: pd.Series) -> list[list[str]]:
    """Return a site's sources as (label, url) pairs; url is "" for plain notes."""
    return [list(pair) for pair in markup.source_pairs(site["sources"])]


# Styles for site popups and the layers' pointer events, sent once with the base map.
POPUP_CSS = (
    "<style>.ap{font-size:13px}.ap h4{margin:0 0 4px;font-size:15px}.ap th{text-align:left;padding-right:6px;"
    "vertical-align:top}.ap ul{padding-left:16px;margin:2px 0}.ap{max-height:320px;overflow:auto}"
    ".ap li{overflow-wrap:anywhere}"
    # The SVG layer's own box would take the pointer from a canvas under it (the AGEBs); its
    # interactive paths take it back (Leaflet gives them pointer-events: auto).
    ".leaflet-pane>svg{pointer-events:none}</style>"
)

# Builds one marker from a data row
# [lat, lon, colour, glyph, name, status, opened, details, sources];
# ``labels`` (set beside the data) holds the popup's own words in the view's language.
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
        el("b", labels.sources, box);
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
                var labels = {{ this.compact_labels }};
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

    def __init__(self, *args: object, labels: Mapping[str, object] | None = None, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.labels = labels or {}

    def render(self, **kwargs: object) -> None:
        """Render as folium does, then put the script in again with its compact JSON, as rendered text.

        branca adds a rendered script as a new template, parsing it again (a
        10,000-site layer's megabyte took 0.16 s, most of the layer's share
        of a filter change): folium renders it without the data, then the
        full script replaces it as it is (:class:`RenderedScript`).
        """
        self.compact_data, self.compact_labels = "[]", "{}"
        super().render(**kwargs)
        self.compact_data = script_json(self.data)
        self.compact_labels = script_json(self.labels)
        script = RenderedScript(self._template.module.script(self, kwargs))
        self.get_root().script.add_child(script, name=self.get_name())


class RenderedScript(folium.Element):
    """A script already rendered, added to the page as it is: never parsed again as a template."""

    def __init__(self, script: str) -> None:
        super().__init__()
        self.script = script

    def render(self, **kwargs: object) -> str:
        return self.script


# The plugins the Atlas's layers run; :func:`base_map` loads them all up front.
LAYER_PLUGINS: tuple[type[folium.elements.JSCSSMixin], ...] = (CompactTopoJson, CompactMarkerCluster)


def _marker_group(
    rows: list[list], name: str, callback: str, labels: Mapping[str, object]
) -> folium.FeatureGroup:
    """A layer ``name`` (safe HTML: the layer control shows it as such) of markers built in the browser from ``rows``.

    ``callback`` builds one marker from a row; ``labels`` are the words its markers share.
    """
    group = folium.FeatureGroup(name=name, overlay=True)
    CompactMarkerCluster(rows, callback=callback, options=CLUSTER_OPTIONS, name=name, labels=labels).add_to(
        group
    )
    return group


def sites_layer(sites: gpd.GeoDataFrame, *, name: str | None = None, lang: str = "en") -> folium.FeatureGroup:
    """Return the mapped sites as clustered markers styled by status, labelled in ``lang``.

    One data array and one marker-building function travel to the browser
    instead of a block of generated JavaScript per marker. Sites without
    coordinates are skipped here (the page lists them as "not on the map").
    Each status has its own glyph as well as its own colour, so status reads
    without colour. ``name`` defaults to "UTOPÍAS sites" in ``lang``.
    """
    name = name or t("mapview.sites", lang)
    rows = [
        [
            round(site.geometry.y, 6),
            round(site.geometry.x, 6),
            *STATUS_STYLE[site["status"]],
            site["name"],
            _label("status", site["status"], lang),
            _opened_label(site, lang),
            site_details(site, lang),
            site_sources(site),
        ]
        for _, site in sites[sites.geometry.notna()].iterrows()
    ]
    return _marker_group(rows, name, _SITE_MARKER_JS, {"sources": t("mapview.popup.sources", lang)})


USER_COLOUR = "purple"  # awesome-markers' name; the outline colour of a user's areas is the same hue
USER_OUTLINE = "#6a1b9a"
USER_GLYPH = "location-dot"


#: A user's site's fields after its name, in popup order: (``mapview.user.popup`` key or None when the
#: popup's table does not show it, column). The year is also the tooltip's, the source the popup's list.
USER_FIELDS = (
    ("programme", "programme_text"), ("status", "status_text"), ("year", "year"), ("date", "date"),
    ("amount", "amount"), ("borough", "borough"), ("colonia", "colonia"), ("ageb", "ageb"),
    ("location", "location"), ("row", "row"), (None, "source"),
)  # fmt: skip
# Builds one user's site's marker with the UTOPÍAS' builder from a compact row (``USER_FIELDS``):
# the words every site shares (labels, layer name and source, statuses) travel once, in ``labels``;
# a field whose cells repeat (status, borough...) as a list of its values and each cell as an index.
# A row is [lat, lon, status index, name, field, ...]: its fields start at 4.
_USER_MARKER_JS = (
    "(function () {\n    var marker = "
    + _SITE_MARKER_JS
    + """;
    function cell(row, i) {
        var field = labels.fields[i], value = row[4 + i];
        return field[1] ? field[1][value] : value;
    }
    return function (row) {
        var details = [labels.layer], sources = [];
        labels.fields.forEach(function (field, i) {
            var text = cell(row, i);
            if (text && field[0]) { details.push([field[0], text]); }
        });
        [cell(row, labels.source), labels.layerSource].forEach(function (text) {
            if (text) { sources.push([text, text]); }
        });
        var status = labels.statuses[row[2]];
        return marker([row[0], row[1], labels.colour, status[0], row[3], status[1],
                       cell(row, labels.year) || labels.noYear, details, sources]);
    };
})()"""
)


def _texts(values: pd.Series) -> pd.Series:
    """A column's cells as text, "" where empty."""
    return values.astype("string").fillna("")


def _user_site_texts(sites: pd.DataFrame, names: Mapping[str, str], lang: str) -> dict[str, pd.Series]:
    """The text of every field of ``sites`` (:data:`USER_FIELDS`), whole columns at a time, in ``lang``."""
    tr = translator(lang)
    amounts = sites["amount"].dropna()
    places = {key: tr(key) for key in sites["precision"].dropna().unique()}
    texts = {
        column: _texts(sites[column])
        for column in ("programme_text", "status_text", "date", "colonia", "ageb", "source", "row")
    }
    return texts | {
        "year": _texts(sites["year"].astype("Int64")),
        "amount": pd.Series(format_values(amounts, "number", lang), index=amounts.index, dtype="string")
        .reindex(sites.index)
        .fillna(""),
        "borough": _texts(sites["borough"].map(names).fillna(sites["borough"])),
        "location": _texts(sites["precision"].map(places)).mask(
            sites["context"].astype(bool), tr("mapview.user.context")
        ),
    }


def _packed(texts: pd.Series) -> tuple[list, list[str] | None]:
    """A field's cells as sent: indexes into its list of values when they repeat (halving them at least)."""
    codes, values = pd.factorize(texts)
    if len(values) * 2 <= len(texts):
        return codes.tolist(), values.tolist()
    return texts.tolist(), None


def user_site_rows(
    layer: UserLayer, names: Mapping[str, str], lang: str = "en"
) -> tuple[dict[str, object], list[list]]:
    """A user's sites as the browser builds their markers: the words once (``labels``), then a row a site.

    Each row is [lat, lon, status index, name, field, ...] (:data:`USER_FIELDS`);
    built a column at a time, never a pandas lookup per cell: a list has
    thousands of rows, and a filter change draws them again
    (``python -m bench.imports``). Every cell is text the browser shows as text.
    """
    tr = translator(lang)
    sites = pd.DataFrame(layer.rows.drop(columns=layer.rows.geometry.name))
    texts = _user_site_texts(sites, names, lang)
    packed = [_packed(texts[column]) for _, column in USER_FIELDS]
    statuses = [[glyph, _label("status", status, lang)] for status, (_, glyph) in STATUS_STYLE.items()]
    status = sites["status"].map({status: number for number, status in enumerate(STATUS_STYLE)})
    named = [
        name or tr("mapview.user.unnamed", row=row)
        for name, row in zip(_texts(sites["name"]), sites["row"], strict=True)
    ]
    columns = [
        layer.rows.geometry.y.round(6).tolist(),
        layer.rows.geometry.x.round(6).tolist(),
        status.fillna(len(statuses)).astype(int).tolist(),
        named,
        *(cells for cells, _ in packed),
    ]
    keys = [key for key, _ in USER_FIELDS]
    labels = {
        "sources": tr("mapview.popup.sources"),
        "layer": [tr("mapview.user.popup.layer"), layer.name],
        "layerSource": layer.source,
        "fields": [
            [tr(f"mapview.user.popup.{key}") if key else None, values]
            for key, (_, values) in zip(keys, packed, strict=True)
        ],
        "year": keys.index("year"),
        "source": keys.index(None),
        "statuses": [*statuses, [USER_GLYPH, layer.name]],
        "colour": USER_COLOUR,
        "noYear": tr("mapview.user.no_year"),
    }
    return labels, [list(row) for row in zip(*columns, strict=True)]


def user_sites_layer(layer: UserLayer, names: Mapping[str, str], lang: str = "en") -> folium.FeatureGroup:
    """A visitor's sites as clustered markers, built in the browser like the UTOPÍAS (every cell as text).

    One colour for the user's own sites; the glyph says the status when the
    row names one of the Atlas's. The layer's name and source line are the user's.
    """
    labels, rows = user_site_rows(layer, names, lang)
    return _marker_group(rows, markup.text(layer.name), _USER_MARKER_JS, labels)


def _user_area_tips(areas: gpd.GeoDataFrame, layer: UserLayer, lang: str) -> list[str]:
    """Each area's tooltip as safe HTML: its name or key, its value (and year), the layer and its source.

    Built a column at a time, like the sites' rows: a file has thousands of areas.
    """
    tr = translator(lang)
    frame = pd.DataFrame(areas.drop(columns=areas.geometry.name))
    blank = pd.Series("", index=frame.index, dtype="string")
    names, keys = (_texts(frame[column]) if column in frame else blank for column in ("name", "key"))
    amounts = frame["value"].dropna()
    values = pd.Series(format_values(amounts, "number", lang), index=amounts.index, dtype="string")
    values = values.reindex(frame.index).fillna("")
    years = _texts(frame["year"].astype("Int64")) if "year" in frame else blank
    values = values.mask(values.ne("") & years.ne(""), values + " (" + years + ")")
    shared = "".join(f"<br>{markup.text(line)}" for line in (layer.name, layer.source) if line)
    context = f"<br>{markup.text(tr('mapview.user.context'))}"
    outside = frame["context"].astype(bool) if "context" in frame else pd.Series(False, index=frame.index)
    return [
        f"<b>{markup.text(name or key or tr('mapview.user.unnamed', row=row))}</b>"
        + (f"<br>{markup.text(value)}" if value else "")
        + shared
        + (context if away else "")
        for name, key, row, value, away in zip(names, keys, frame["row"], values, outside, strict=True)
    ]


def user_areas_layer(layer: UserLayer, lang: str = "en") -> folium.FeatureGroup:
    """A visitor's boundaries (or the units of an indicator table, its latest year) as outlines with tooltips."""
    areas = drawn_rows(layer)
    data = {
        "type": "FeatureCollection",
        "features": [
            {"type": "Feature", "properties": {"tip": tip}, "geometry": shape.__geo_interface__}
            for tip, shape in zip(_user_area_tips(areas, layer, lang), areas.geometry, strict=True)
        ],
    }
    style = {"color": USER_OUTLINE, "weight": 2, "fillColor": USER_OUTLINE, "fillOpacity": 0.08}
    group = folium.FeatureGroup(name=markup.text(layer.name), overlay=True)
    if data["features"]:
        folium.GeoJson(
            data,
            name="user_areas",
            style_function=lambda _: style,
            tooltip=folium.GeoJsonTooltip(fields=["tip"], labels=False, sticky=True),
        ).add_to(group)
    return group


def user_layers(model: MapModel) -> list[folium.FeatureGroup]:
    """The visitor's confirmed layers, in the order they were confirmed."""
    lang = model.view.lang
    return [
        user_sites_layer(layer, model.names, lang) if layer.kind == "sites" else user_areas_layer(layer, lang)
        for layer in model.user_layers
    ]


def coverage_layer(reach: gpd.GeoDataFrame, lang: str = "en") -> folium.FeatureGroup:
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
            "className": "atlas-reach",
            "color": "#222222",
            "weight": 2 if solid else 1.5,
            "dashArray": None if solid else "6 4",
            "fillColor": "#ffffff",
            "fillOpacity": 0.25 if solid else 0.12,
        }

    distances = " / ".join(f"{format_count(distance, lang)} m" for distance in sorted(shown["distance_m"]))
    name = markup.text(t("mapview.reach", lang, distances=distances))
    group = folium.FeatureGroup(name=name, overlay=True)
    if data["features"]:
        folium.GeoJson(data, name="reach", style_function=style, interactive=False).add_to(group)
    return group


AREA_STYLE = AreaStyle(fill_opacity=0.75, line="#ffffff", weight=0.4)
HIGH_CONTRAST_AREA_STYLE = AreaStyle(fill_opacity=0.9, line=HIGH_CONTRAST_OUTLINE, weight=0.6)
BOROUGH_BORDER_STYLE = AreaStyle(fill_opacity=0.0, line="#333333", weight=1.6)
HIGH_CONTRAST_BORDER_STYLE = AreaStyle(
    fill_opacity=0.0, line=HIGH_CONTRAST_OUTLINE, weight=HIGH_CONTRAST_WEIGHT
)
SELECTION_STYLE = AreaStyle(fill_opacity=0.0, line=SELECTED_OUTLINE, weight=3.5)


def area_layer(areas: AreaShading, lang: str = "en", *, high_contrast: bool = False) -> folium.FeatureGroup:
    """The shaded AGEBs or colonias, on a canvas, with a tooltip each (:class:`geo.arealayer.PackedAreas`)."""
    group = folium.FeatureGroup(
        name=markup.text(f"{areas.indicator.title(lang)} ({areas.year})"), overlay=True
    )
    PackedAreas(
        areas.packed,
        level=areas.level,
        style=HIGH_CONTRAST_AREA_STYLE if high_contrast else AREA_STYLE,
        classes=class_string(areas.classes.of.tolist()),
        colours=areas.classes.colours,
        missing=NO_DATA_COLOUR,
        titles=areas.titles,
        lines=areas.shown,
    ).add_to(group)
    return group


def borough_borders_layer(
    boroughs: gpd.GeoDataFrame, lang: str = "en", *, high_contrast: bool = False
) -> folium.FeatureGroup:
    """The 16 borough borders as lines over a neighbourhood level: they orient, and let clicks through."""
    group = folium.FeatureGroup(name=t("areas.borough_outlines", lang), overlay=True)
    topology = to_topojson(boroughs[["cvegeo", "geometry"]])
    PackedAreas(
        packed_topology(topology, OBJECT_NAME, range(len(boroughs))),
        level="borough_borders",
        style=HIGH_CONTRAST_BORDER_STYLE if high_contrast else BOROUGH_BORDER_STYLE,
    ).add_to(group)
    return group


def selection_layer(shapes: tuple[dict, ...], lang: str = "en") -> folium.FeatureGroup:
    """The selected colonia and AGEB as thick outlines (not interactive)."""
    group = folium.FeatureGroup(name=t("areas.selected", lang), overlay=True)
    for packed in shapes:
        PackedAreas(packed, level="selection", style=SELECTION_STYLE).add_to(group)
    return group


NEED_COLOUR = "#6a3d9a"


def need_layer(shapes: gpd.GeoDataFrame, distance_m: float, lang: str = "en") -> folium.FeatureGroup:
    """Where people in high marginalisation live beyond walking reach: dashed purple areas, not interactive.

    ``shapes`` are :func:`geo.dasymetric.beyond_layer`'s (already lightened);
    only the geometry travels.
    """
    name = t("reach.need_layer", lang, distance=f"{format_count(distance_m, lang)} m")
    group = folium.FeatureGroup(name=markup.text(name), overlay=True)
    drawn = shapes[~shapes.geometry.is_empty]
    if not drawn.empty:
        data = {
            "type": "FeatureCollection",
            "features": [
                {"type": "Feature", "properties": {}, "geometry": shape.__geo_interface__}
                for shape in drawn.geometry
            ],
        }
        style = {
            "className": "atlas-need",
            "color": NEED_COLOUR,
            "weight": 2,
            "dashArray": "4 3",
            "fillColor": NEED_COLOUR,
            "fillOpacity": 0.15,
        }
        folium.GeoJson(data, name="need", style_function=lambda _: style, interactive=False).add_to(group)
    return group


def map_layers(model: MapModel) -> list[folium.FeatureGroup]:
    """The Map screen's layers for ``model``: boroughs, walking reach (if asked), sites (if shown).

    At a neighbourhood level the shaded AGEBs or colonias come first, the
    borough borders over them for orientation; a selected colonia or AGEB is
    outlined above both; the visitor's own layers come next, and the UTOPÍAS
    stay on top of everything.

    Built afresh on every call: a layer belongs to one map, so the page's map
    and the HTML export each get their own.
    """
    view = model.view
    if model.areas is not None:
        layers = [
            area_layer(model.areas, view.lang, high_contrast=view.contrast),
            borough_borders_layer(model.boroughs, view.lang, high_contrast=view.contrast),
        ]
    else:
        layers = [
            choropleth_layer(
                model.boroughs,
                model.values,
                model.classes,
                model.indicator,
                model.shaded_year,
                highlighted=view.boro,
                selected=view.sel,
                lang=view.lang,
                high_contrast=view.contrast,
            )
        ]
    if model.selection:
        layers.append(selection_layer(model.selection, view.lang))
    if model.reach is not None:
        layers.append(coverage_layer(model.reach.areas, view.lang))
        layers.append(need_layer(model.reach.need_shapes, model.reach.need_distance, view.lang))
    layers.extend(user_layers(model))
    if model.drawn_sites is not None:
        layers.append(sites_layer(model.drawn_sites, lang=view.lang))
    return layers


def layer_control() -> folium.LayerControl:
    """The Map screen's layer switch (collapsed: the map stays in view)."""
    return folium.LayerControl(collapsed=True)


def finished_map(model: MapModel) -> folium.Map:
    """The map as the page shows it, as one folium map with its layers (for the HTML export)."""
    view = model.view
    fmap = base_map(view.base, (view.lat, view.lon), view.z, lang=view.lang)
    for layer in map_layers(model):
        layer.add_to(fmap)
    layer_control().add_to(fmap)
    return fmap
