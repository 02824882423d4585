"""A map with every element the Atlas draws, and the script/stylesheet URLs it loads (asset tests)."""

from __future__ import annotations

import re

import folium
from folium.plugins import FastMarkerCluster, MarkerCluster

_LINK = re.compile(r"""<(?:script|link)\b[^>]*?\b(?:src|href)=["']([^"']+)["']""", re.IGNORECASE)


def atlas_like_map() -> folium.Map:
    """A map with every element type the Atlas puts on its maps."""
    m = folium.Map(location=[19.4, -99.14], zoom_start=11, tiles=None, max_zoom=18)
    square = [[0, 0], [6, 0], [6, 5], [0, 0]]
    topology = {
        "type": "Topology",
        "transform": {"scale": [0.01, 0.01], "translate": [-99.18, 19.40]},
        "objects": {
            "data": {"type": "GeometryCollection", "geometries": [{"type": "Polygon", "arcs": [[0]]}]}
        },
        "arcs": [square],
    }
    folium.TopoJson(topology, "objects.data", name="borough").add_to(m)
    fg = folium.FeatureGroup(name="sites").add_to(m)
    cluster = MarkerCluster(name="cluster").add_to(fg)
    folium.Marker([19.43, -99.13], icon=folium.Icon(prefix="fa", icon="star")).add_to(cluster)
    folium.Marker([19.44, -99.12], tooltip="plain marker").add_to(m)
    folium.LayerControl().add_to(m)
    return m


def emitted_urls(m: folium.Map) -> list[str]:
    """The script/stylesheet URLs the rendered page would load, in order."""
    return list(dict.fromkeys(_LINK.findall(m.get_root().render())))


def class_urls() -> set[str]:
    """URLs the classes the Atlas uses declare (Marker/Icon declare none)."""
    classes = (folium.Map, folium.TopoJson, MarkerCluster, FastMarkerCluster, folium.Marker, folium.Icon)
    return {
        url
        for cls in classes
        for _, url in (*getattr(cls, "default_js", []), *getattr(cls, "default_css", []))
    }
