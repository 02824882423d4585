"""Encode borough polygons as TopoJSON for the browser.

Neighbouring boroughs share their borders; TopoJSON stores each shared border
once, as quantised, delta-encoded integers, so the 16 boroughs travel in about
a third of their GeoJSON size. Quantising to 100,000 steps across Mexico City's
extent keeps positions to about half a metre, well within the shipped file's
30 m simplification bound.

Building the topology takes tens of milliseconds and the geometry never
changes between reruns, so the arcs are computed once per distinct geometry
and only the properties are attached on each call.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import lru_cache

import geopandas as gpd
import topojson

OBJECT_NAME = "data"
QUANTIZATION = 100_000


@lru_cache(maxsize=8)
def _bare_topology(wkb: tuple[bytes, ...], crs: str, quantization: int) -> dict:
    """Return the topology of some geometries (properties left empty)."""
    frame = gpd.GeoDataFrame(geometry=gpd.GeoSeries.from_wkb(list(wkb), crs=crs))
    topology = topojson.Topology(
        frame,
        object_name=OBJECT_NAME,
        prequantize=quantization,
        toposimplify=0,
        presimplify=False,
        topology=True,
    ).to_dict()
    for geometry in topology["objects"][OBJECT_NAME]["geometries"]:
        geometry.pop("id", None)
        geometry["properties"] = {}
    return topology


def to_topojson(frame: gpd.GeoDataFrame, quantization: int = QUANTIZATION) -> dict:
    """Return ``frame`` (EPSG:4326) as a TopoJSON topology dict.

    The geometry is already simplified upstream; no further simplification is
    applied here. Properties are the frame's non-geometry columns, in row
    order. The geometries and their properties are fresh dicts the caller may
    modify (folium adds styles to them); the arcs and transform are shared
    between calls and must be treated as read-only.
    """
    bare = _bare_topology(tuple(frame.geometry.to_wkb()), str(frame.crs), quantization)
    columns = [c for c in frame.columns if c != frame.geometry.name]
    records = frame[columns].to_dict("records")
    geometries = [
        {**geometry, "properties": properties}
        for geometry, properties in zip(bare["objects"][OBJECT_NAME]["geometries"], records, strict=True)
    ]
    collection = {**bare["objects"][OBJECT_NAME], "geometries": geometries}
    return {**bare, "objects": {OBJECT_NAME: collection}}


def encode_numbers(numbers: Iterable[int]) -> str:
    """Encode integers as printable ASCII with Google's polyline scheme (zig-zag, 5-bit chunks).

    TopoJSON's quantised, delta-encoded arcs are mostly small integers: as
    polyline text they take about a third of their JSON size. The characters
    are ``?`` to ``~``, so a space can separate arcs.
    """
    chunks: list[str] = []
    for number in numbers:
        value = ~(number << 1) if number < 0 else number << 1
        while value >= 0x20:
            chunks.append(chr((0x20 | (value & 0x1F)) + 63))
            value >>= 5
        chunks.append(chr(value + 63))
    return "".join(chunks)


def packed_topology(topology: dict, object_name: str, positions: Sequence[int]) -> dict:
    """Return the geometries at ``positions`` of a quantised topology, with only the arcs they use.

    What the map's area layers send to the browser (``geo.arealayer``): the
    transform, the arcs each encoded with :func:`encode_numbers` and joined by
    spaces, and each geometry as its nested arc indices renumbered to the kept
    arcs (a Polygon's rings, or a MultiPolygon's polygons). A subset (one
    borough's AGEBs) carries its own arcs only.
    """
    geometries = topology["objects"][object_name]["geometries"]
    renumbered: dict[int, int] = {}

    def arc(index: int) -> int:
        own = index if index >= 0 else ~index
        new = renumbered.setdefault(own, len(renumbered))
        return new if index >= 0 else ~new

    def walk(arcs: list) -> list:
        return [walk(part) if isinstance(part, list) else arc(part) for part in arcs]

    kept = [walk(geometries[position]["arcs"]) for position in positions]
    order = sorted(renumbered, key=renumbered.__getitem__)
    arcs = " ".join(
        encode_numbers(value for point in topology["arcs"][own] for value in point) for own in order
    )
    return {"transform": topology["transform"], "arcs": arcs, "geometries": kept}
