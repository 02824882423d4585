"""The committed borough boundaries are reproducible from INEGI and faithful to it."""

from __future__ import annotations

import itertools
import json
import re

import geopandas as gpd
import numpy as np
import pytest
import shapely

from geo.boundaries import (
    AREA_CRS,
    MAX_DISPLACEMENT_M,
    SIMPLIFY_TOLERANCE,
    build_boundaries,
    max_displacement_m,
    read_inegi_municipalities,
)
from geo.paths import BOUNDARIES

EXPECTED_NAMES = {
    "09002": "Azcapotzalco",
    "09003": "Coyoacán",
    "09004": "Cuajimalpa de Morelos",
    "09005": "Gustavo A. Madero",
    "09006": "Iztacalco",
    "09007": "Iztapalapa",
    "09008": "La Magdalena Contreras",
    "09009": "Milpa Alta",
    "09010": "Álvaro Obregón",
    "09011": "Tláhuac",
    "09012": "Tlalpan",
    "09013": "Xochimilco",
    "09014": "Benito Juárez",
    "09015": "Cuauhtémoc",
    "09016": "Miguel Hidalgo",
    "09017": "Venustiano Carranza",
}

# The map payload matters: fail if the file grows past this.
PAYLOAD_BUDGET_BYTES = 80_000


@pytest.fixture(scope="module")
def source() -> gpd.GeoDataFrame:
    return read_inegi_municipalities()


@pytest.fixture(scope="module")
def rebuilt(source: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    return build_boundaries(source)


@pytest.fixture(scope="module")
def committed() -> gpd.GeoDataFrame:
    return gpd.read_file(BOUNDARIES, engine="pyogrio")


@pytest.fixture(scope="module")
def committed_metric(committed: gpd.GeoDataFrame, source: gpd.GeoDataFrame) -> np.ndarray:
    """Committed geometries in the metric source CRS, for area comparisons."""
    return committed.geometry.to_crs(source.crs).to_numpy()


def overlap_area(geometries: np.ndarray) -> float:
    return sum(shapely.area(shapely.intersection(a, b)) for a, b in itertools.combinations(geometries, 2))


def hole_area(geometries: np.ndarray) -> float:
    """Area of the holes in the union: gaps between neighbours."""
    parts = shapely.get_parts(shapely.union_all(geometries))
    return sum(shapely.area(shapely.Polygon(ring)) for part in parts for ring in part.interiors)


def test_committed_file_is_reproducible(rebuilt: gpd.GeoDataFrame, committed: gpd.GeoDataFrame) -> None:
    assert list(committed.columns) == ["cvegeo", "name", "area_km2", "geometry"]
    assert committed["cvegeo"].tolist() == rebuilt["cvegeo"].tolist()
    assert committed["name"].tolist() == rebuilt["name"].tolist()
    assert committed["area_km2"].tolist() == rebuilt["area_km2"].tolist()
    assert shapely.equals_exact(
        committed.geometry.to_numpy(), rebuilt.geometry.to_numpy(), tolerance=1e-9
    ).all()


def test_sixteen_valid_polygons(committed: gpd.GeoDataFrame) -> None:
    assert len(committed) == 16
    assert committed.crs.to_epsg() == 4326
    assert committed.geom_type.isin(["Polygon", "MultiPolygon"]).all()
    assert committed.is_valid.all()


def test_codes_are_the_sixteen_alcaldias(committed: gpd.GeoDataFrame) -> None:
    assert committed["cvegeo"].tolist() == [f"09{n:03d}" for n in range(2, 18)]


def test_names_keep_their_accents(committed: gpd.GeoDataFrame) -> None:
    assert dict(zip(committed["cvegeo"], committed["name"], strict=True)) == EXPECTED_NAMES


def test_areas_are_full_resolution_and_close_to_the_drawn_shapes(
    source: gpd.GeoDataFrame, committed: gpd.GeoDataFrame
) -> None:
    full_resolution = source.geometry.to_crs(AREA_CRS).area.to_numpy() / 1e6
    np.testing.assert_allclose(committed["area_km2"], full_resolution, atol=0.005)
    drawn = committed.geometry.to_crs(AREA_CRS).area.to_numpy() / 1e6
    np.testing.assert_allclose(drawn, full_resolution, rtol=0.005)


def test_borders_move_at_most_the_limit(source: gpd.GeoDataFrame, committed: gpd.GeoDataFrame) -> None:
    assert max_displacement_m(source.geometry, committed.geometry) <= MAX_DISPLACEMENT_M


def test_tolerance_is_the_coarsest_within_the_limit(source: gpd.GeoDataFrame) -> None:
    with pytest.raises(ValueError, match="moves a border"):
        build_boundaries(source, tolerance=SIMPLIFY_TOLERANCE + 0.1)


def test_no_gaps_or_overlaps_introduced(source: gpd.GeoDataFrame, committed_metric: np.ndarray) -> None:
    original = source.geometry.to_numpy()
    assert overlap_area(committed_metric) <= overlap_area(original) + 1.0  # m²
    assert hole_area(committed_metric) <= hole_area(original) + 1.0  # m²
    union = shapely.area(shapely.union_all(committed_metric))
    assert union == pytest.approx(shapely.area(shapely.union_all(original)), rel=0.005)
    assert shapely.coverage_is_valid(committed_metric)


def test_file_is_compact_with_at_most_five_decimals() -> None:
    text = BOUNDARIES.read_text(encoding="utf-8")
    assert len(text.encode()) <= PAYLOAD_BUDGET_BYTES
    assert not re.search(r"\d\.\d{6}", text)
    assert "\n" not in text.rstrip("\n")
    assert ", " not in text
    properties = [f["properties"] for f in json.loads(text)["features"]]
    assert all(list(p) == ["cvegeo", "name", "area_km2"] for p in properties)
