"""Folium builders for the Atlas map.

The map is split the way streamlit-folium updates it cheaply: a *base map*
that depends only on the basemap choice (changing it remounts the component),
and *layers* (choropleth, sites) passed as ``feature_group_to_add`` so filter
changes redraw them in the mounted map without re-sending or remounting it.
"""

from __future__ import annotations

import folium
import geopandas as gpd
import pandas as pd
from folium.plugins import MarkerCluster

from geo import markup
from geo.classify import Classes
from geo.formatting import format_value
from geo.indicators import Indicator
from geo.state import DEFAULT_CENTER, DEFAULT_ZOOM, ZOOM_RANGE

BASEMAP_TILES = {
    "light": ("cartodbpositron", "© OpenStreetMap contributors © CARTO"),
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


def base_map(basemap: str = "none") -> folium.Map:
    """Return the map frame: view limits, scale bar and (optionally) a tile layer.

    ``max_zoom`` is explicit because marker clustering needs it when there is
    no tile layer to provide one. Centre and zoom stay at the defaults here:
    the page moves the view through ``st_folium``'s arguments, so panning never
    changes this object (which would remount the map).
    """
    fmap = folium.Map(
        location=DEFAULT_CENTER,
        zoom_start=DEFAULT_ZOOM,
        tiles=None,
        control_scale=True,
    )
    # folium hands min/max zoom to the tile layer it creates; with no tiles they
    # would be dropped and marker clustering would fail ("Map has no maxZoom").
    fmap.options["min_zoom"], fmap.options["max_zoom"] = ZOOM_RANGE
    if basemap in BASEMAP_TILES:
        tiles, attribution = BASEMAP_TILES[basemap]
        folium.TileLayer(tiles, attr=attribution, name="Basemap", control=False).add_to(fmap)
    return fmap


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
    outline. Only the properties the map uses are sent to the browser.
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
    folium.GeoJson(
        frame[["cvegeo", "tip", "geometry"]].to_json(drop_id=True),
        name="boroughs",
        style_function=style,
        highlight_function=lambda _feature: {"weight": 3, "color": "#333333"},
        tooltip=folium.GeoJsonTooltip(fields=["tip"], labels=False, sticky=True),
        zoom_on_click=False,
    ).add_to(group)
    return group


def site_tooltip(site: pd.Series) -> str:
    """Return the short hover text of a site: name, status, opening year."""
    opened = site["opened_date"][:4] if site["opened_date"] else "opening date unknown"
    status = STATUS_LABELS.get(site["status"], site["status"])
    return f"<b>{markup.text(site['name'])}</b><br>{markup.text(status)} · {markup.text(opened)}"


def site_popup(site: pd.Series) -> str:
    """Return the details of a site as safe HTML, with its sources as links."""
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
    body = "".join(
        f"<tr><th style='text-align:left;padding-right:6px;vertical-align:top'>{markup.text(label)}</th>"
        f"<td>{markup.text(value)}</td></tr>"
        for label, value in rows
        if isinstance(value, str) and value
    )
    sources = "".join(f"<li>{item}</li>" for item in markup.source_links(site["sources"]))
    return (
        f"<div class='atlas-popup'><h4 style='margin:0 0 4px'>{markup.text(site['name'])}</h4>"
        f"<table>{body}</table><b>Sources</b><ul style='padding-left:16px;margin:2px 0'>{sources}</ul></div>"
    )


def sites_layer(sites: gpd.GeoDataFrame, *, name: str = "UTOPÍAS sites") -> folium.FeatureGroup:
    """Return the mapped sites as clustered markers styled by status.

    Sites without coordinates are skipped here (they are listed beside the
    map as "not on the map").
    """
    group = folium.FeatureGroup(name=name, overlay=True)
    cluster = MarkerCluster(name=name, options=CLUSTER_OPTIONS).add_to(group)
    for _, site in sites[sites.geometry.notna()].iterrows():
        colour, glyph = STATUS_STYLE[site["status"]]
        folium.Marker(
            location=(site.geometry.y, site.geometry.x),
            icon=folium.Icon(color=colour, icon=glyph, prefix="fa"),
            tooltip=folium.Tooltip(site_tooltip(site)),
            popup=folium.Popup(site_popup(site), max_width=360),
        ).add_to(cluster)
    return group
