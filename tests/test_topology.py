"""Borough polygons as TopoJSON: shared borders stored once, and decoding gives back the input
to within the quantisation step."""

from __future__ import annotations

import json
from collections import Counter

import geopandas as gpd
import pytest
import shapely

from geo.loaders import Atlas, load_atlas
from geo.topology import OBJECT_NAME, QUANTIZATION, to_topojson

EQUAL_AREA_MEXICO = "EPSG:6372"


@pytest.fixture(scope="module")
def atlas() -> Atlas:
    return load_atlas()


@pytest.fixture(scope="module")
def topology(atlas: Atlas) -> dict:
    return to_topojson(atlas.boroughs[["cvegeo", "name", "geometry"]])


# --- a tiny TopoJSON decoder (spec: github.com/topojson/topojson-specification) ------------------


def decode_arcs(topology: dict) -> list[list[tuple[float, float]]]:
    """Undo the delta encoding and quantisation of every arc."""
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    decoded = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * sx + tx, y * sy + ty))
        decoded.append(points)
    return decoded


def decode_ring(indices: list[int], arcs: list[list[tuple[float, float]]]) -> list[tuple[float, float]]:
    """Join a ring's arcs; a negative index ~i means arc i reversed."""
    ring: list[tuple[float, float]] = []
    for index in indices:
        points = arcs[index] if index >= 0 else arcs[~index][::-1]
        ring.extend(points if not ring else points[1:])
    return ring


def decode(topology: dict) -> gpd.GeoDataFrame:
    arcs = decode_arcs(topology)
    rows = []
    for geometry in topology["objects"][OBJECT_NAME]["geometries"]:
        if geometry["type"] == "Polygon":
            shape = shapely.Polygon(
                decode_ring(geometry["arcs"][0], arcs), [decode_ring(r, arcs) for r in geometry["arcs"][1:]]
            )
        elif geometry["type"] == "MultiPolygon":
            shape = shapely.MultiPolygon(
                [
                    shapely.Polygon(decode_ring(p[0], arcs), [decode_ring(r, arcs) for r in p[1:]])
                    for p in geometry["arcs"]
                ]
            )
        else:
            pytest.fail(f"unexpected geometry type {geometry['type']}")
        rows.append({**geometry.get("properties", {}), "geometry": shape})
    return gpd.GeoDataFrame(rows, geometry="geometry", crs="EPSG:4326")


def vertex_count(geometry: shapely.Geometry) -> int:
    return int(shapely.get_num_coordinates(geometry))


# --- the shipped boroughs ------------------------------------------------------------------------


def test_topology_has_sixteen_boroughs_and_a_transform(topology: dict) -> None:
    assert topology["type"] == "Topology"
    assert list(topology["objects"]) == [OBJECT_NAME]
    geometries = topology["objects"][OBJECT_NAME]["geometries"]
    assert len(geometries) == 16
    assert {g["type"] for g in geometries} <= {"Polygon", "MultiPolygon"}
    assert set(topology["transform"]) == {"scale", "translate"}
    assert all(isinstance(v, int) for arc in topology["arcs"] for point in arc for v in point)


def test_topology_properties_are_the_non_geometry_columns(topology: dict, atlas: Atlas) -> None:
    geometries = topology["objects"][OBJECT_NAME]["geometries"]
    assert all(set(g["properties"]) == {"cvegeo", "name"} for g in geometries)
    assert sorted(g["properties"]["cvegeo"] for g in geometries) == atlas.boroughs["cvegeo"].tolist()


def test_topology_quantises_to_the_city_extent(topology: dict, atlas: Atlas) -> None:
    west, south, east, north = atlas.boroughs.total_bounds
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    assert (tx, ty) == pytest.approx((west, south))
    assert sx == pytest.approx((east - west) / (QUANTIZATION - 1))
    assert sy == pytest.approx((north - south) / (QUANTIZATION - 1))


def test_topology_stores_shared_borders_once(topology: dict, atlas: Atlas) -> None:
    arc_points = sum(len(arc) for arc in topology["arcs"])
    polygon_vertices = sum(vertex_count(g) for g in atlas.boroughs.geometry)
    assert arc_points < polygon_vertices
    # Every shared border is used by two boroughs, once in each direction.
    uses: Counter[int] = Counter()
    for geometry in topology["objects"][OBJECT_NAME]["geometries"]:
        rings = (
            geometry["arcs"] if geometry["type"] == "Polygon" else [r for p in geometry["arcs"] for r in p]
        )
        uses.update(i if i >= 0 else ~i for ring in rings for i in ring)
    assert max(uses.values()) == 2
    assert sum(count == 2 for count in uses.values()) >= 15


def test_topology_is_smaller_than_geojson(topology: dict, atlas: Atlas) -> None:
    compact = json.dumps(topology, separators=(",", ":"))
    geojson = atlas.boroughs[["cvegeo", "name", "geometry"]].to_json(separators=(",", ":"))
    assert len(compact) < len(geojson) / 2


def test_topology_decodes_to_the_input_within_two_metres(topology: dict, atlas: Atlas) -> None:
    decoded = decode(topology).set_index("cvegeo").sort_index()
    original = atlas.boroughs.set_index("cvegeo").sort_index()
    assert decoded.index.tolist() == original.index.tolist()
    assert decoded["name"].tolist() == original["name"].tolist()
    assert decoded.geometry.is_valid.all()
    projected_decoded = decoded.to_crs(EQUAL_AREA_MEXICO).geometry
    projected_original = original.to_crs(EQUAL_AREA_MEXICO).geometry
    distances = projected_decoded.hausdorff_distance(projected_original)
    assert distances.max() < 2.0
    areas = projected_decoded.area / projected_original.area
    assert areas.between(0.9999, 1.0001).all()


# --- synthetic shapes ----------------------------------------------------------------------------


def test_two_squares_share_one_border() -> None:
    # Synthetic: two unit squares side by side, sharing the edge x = 1.
    frame = gpd.GeoDataFrame(
        {"cvegeo": ["left", "right"]},
        geometry=[shapely.box(0, 0, 1, 1), shapely.box(1, 0, 2, 1)],
        crs="EPSG:4326",
    )
    topology = to_topojson(frame, quantization=1_001)
    left, right = (g["arcs"][0] for g in topology["objects"][OBJECT_NAME]["geometries"])
    shared = {i if i >= 0 else ~i for i in left} & {i if i >= 0 else ~i for i in right}
    assert len(shared) == 1
    decoded = decode(topology)
    assert decoded.geometry.iloc[0].equals(frame.geometry.iloc[0])
    assert decoded.geometry.iloc[1].equals(frame.geometry.iloc[1])


def test_polygon_with_a_hole_keeps_the_hole() -> None:
    # Synthetic: a square with a square hole.
    ring = shapely.box(0, 0, 4, 4).exterior.coords
    hole = shapely.box(1, 1, 2, 2).exterior.coords
    frame = gpd.GeoDataFrame({"cvegeo": ["holed"]}, geometry=[shapely.Polygon(ring, [hole])], crs="EPSG:4326")
    decoded = decode(to_topojson(frame, quantization=401)).geometry.iloc[0]
    assert len(decoded.interiors) == 1
    assert decoded.area == pytest.approx(15.0)
