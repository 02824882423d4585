"""Packed TopoJSON for the neighbourhood layers: encoding, subsets and the canvas layer's script."""

from __future__ import annotations

import json

import folium
import pytest
import shapely

from geo.arealayer import AreaStyle, PackedAreas, class_string
from geo.loaders import NeighbourhoodLayers, load_neighbourhoods
from geo.topology import encode_numbers, packed_topology

STYLE = AreaStyle(fill_opacity=0.5, line="#fff", weight=1)


def decode_numbers(text: str) -> list[int]:
    """The inverse of encode_numbers, as the browser's decoder in geo/arealayer.py computes it."""
    numbers, value, shift = [], 0, 0
    for char in text:
        chunk = ord(char) - 63
        value |= (chunk & 0x1F) << shift
        shift += 5
        if chunk < 0x20:
            numbers.append(~(value >> 1) if value & 1 else value >> 1)
            value, shift = 0, 0
    return numbers


def unpack(packed: dict) -> list[shapely.Geometry]:
    """Rebuild the shapes of a packed topology in Python (delta-decoded, transformed arcs)."""
    (sx, sy), (tx, ty) = packed["transform"]["scale"], packed["transform"]["translate"]
    arcs = []
    for text in packed["arcs"].split(" ") if packed["arcs"] else []:
        numbers = decode_numbers(text)
        x = y = 0
        points = []
        for dx, dy in zip(numbers[::2], numbers[1::2], strict=True):
            x, y = x + dx, y + dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)

    def ring(indices: list[int]) -> list[tuple[float, float]]:
        points: list[tuple[float, float]] = []
        for index in indices:
            part = arcs[index] if index >= 0 else arcs[~index][::-1]
            points.extend(part if not points else part[1:])
        return points

    def polygon(rings: list[list[int]]) -> shapely.Polygon:
        return shapely.Polygon(ring(rings[0]), [ring(r) for r in rings[1:]])

    return [
        shapely.MultiPolygon([polygon(p) for p in g]) if isinstance(g[0][0], list) else polygon(g)
        for g in packed["geometries"]
    ]


@pytest.fixture(scope="module")
def layers() -> NeighbourhoodLayers:
    return load_neighbourhoods()


@pytest.mark.parametrize(
    "numbers", [[0], [1, -1], [15, 16, -16, -17], [31, 32, 1023, -1024], [10**6, -(10**6)]]
)
def test_numbers_round_trip_through_the_polyline_encoding(numbers: list[int]) -> None:
    text = encode_numbers(numbers)
    assert decode_numbers(text) == numbers
    assert all(63 <= ord(char) <= 126 for char in text)


def test_small_numbers_take_one_character() -> None:
    assert len(encode_numbers(range(-16, 16))) == 32


def test_packed_agebs_rebuild_the_shipped_shapes(layers: NeighbourhoodLayers) -> None:
    keys = ["0900700011301", "0900200010010", "090020001003A"]
    packed = packed_topology(layers.ageb_topology, "agebs", [layers.ageb_positions[k] for k in keys])
    rebuilt = unpack(packed)
    shipped = layers.agebs.set_index("cvegeo").geometry
    for key, geometry in zip(keys, rebuilt, strict=True):
        # The shipped frame was read by GDAL from the same quantised arcs: the same shape.
        assert geometry.symmetric_difference(shipped[key]).area < 1e-12


def test_a_subset_carries_only_its_own_arcs(layers: NeighbourhoodLayers) -> None:
    everything = packed_topology(layers.ageb_topology, "agebs", range(len(layers.ageb_positions)))
    one_borough = layers.agebs[layers.agebs["on_map"] & (layers.agebs["borough"] == "09007")]
    subset = packed_topology(
        layers.ageb_topology, "agebs", [layers.ageb_positions[k] for k in one_borough["cvegeo"]]
    )
    assert len(subset["geometries"]) == len(one_borough)
    assert 0 < len(subset["arcs"]) < len(everything["arcs"]) / 3
    used = {i if i >= 0 else ~i for g in subset["geometries"] for ring in g for i in ring}
    assert used == set(range(len(subset["arcs"].split(" "))))


def test_the_whole_city_of_agebs_packs_small(layers: NeighbourhoodLayers) -> None:
    packed = packed_topology(layers.ageb_topology, "agebs", range(len(layers.ageb_positions)))
    size = len(json.dumps(packed, separators=(",", ":")))
    shipped = len(json.dumps(layers.ageb_topology, separators=(",", ":")))
    assert size < shipped / 2
    assert size < 250_000


def test_class_string_is_one_character_per_area() -> None:
    assert class_string([0, 4, -1, 2]) == "04-2"
    with pytest.raises(ValueError, match="ten classes"):
        class_string([10])


def test_packed_areas_render_their_data_and_the_canvas_renderer(layers: NeighbourhoodLayers) -> None:
    packed = packed_topology(layers.colonia_topology, "colonias", [0, 1])
    fmap = folium.Map()
    PackedAreas(
        packed,
        level="colonias",
        style=STYLE,
        classes="0-",
        colours=["#fff", "#000"],
        titles=['CANAL "X" (U HAB) {{ 7*7 }}', "</script><b>"],
        lines=["12 %", "no data"],
    ).add_to(fmap)
    html = fmap.get_root().render()
    assert "L.canvas(" in html
    assert '"level":"colonias"' in html
    assert '"classes":"0-"' in html
    assert "{{ 7*7 }}" not in html
    assert "</script><b>" not in html
    start = html.index("var d = ") + len("var d = ")
    data, _ = json.JSONDecoder().raw_decode(html[start:])
    assert data["titles"] == ['CANAL "X" (U HAB) {{ 7*7 }}', "</script><b>"]
    assert data["arcs"] == packed["arcs"]
