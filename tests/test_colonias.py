"""Colonia search, summary, point lookup and zoom bounds (geo/colonias.py), on the shipped data and on
synthetic layouts with known answers."""

from __future__ import annotations

import json

import geopandas as gpd
import pandas as pd
import pytest
import shapely

from geo import paths, schemas
from geo.colonias import (
    MATCH_KINDS,
    MAX_QUERY_CHARS,
    RESULT_COLUMNS,
    NearestSite,
    bounds,
    colonia_at,
    colonia_summary,
    nearest_site,
    search_colonias,
    search_key,
)
from geo.coverage import METRIC_CRS
from geo.loaders import Atlas, read_colonias
from geo.vocabulary import MARGINALISATION_GRADES
from tests import hostile

TEOTONGO = ["07-291", "07-292", "07-293", "07-294"]  # SAN MIGUEL TEOTONGO I–IV, Iztapalapa


@pytest.fixture(scope="module")
def colonias() -> gpd.GeoDataFrame:
    return read_colonias()


@pytest.fixture(scope="module")
def open_sites(atlas: Atlas) -> gpd.GeoDataFrame:
    sites = atlas.sites
    return sites[(sites["status"] == "open") & sites.geometry.notna()]


# --- search ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("query", ["san miguel teotongo", "SAN MIGUEL TEOTONGO", "  San  Miguel Teotongo "])
def test_search_finds_every_section_of_a_name_in_order(colonias: gpd.GeoDataFrame, query: str) -> None:
    found = search_colonias(colonias, query)
    assert found["cveut"].tolist() == TEOTONGO
    assert (found["match"] == "prefix").all()
    assert (found["score"] == 100).all()
    assert (found["borough"] == "09007").all()


def test_search_ignores_accents_and_case(colonias: gpd.GeoDataFrame) -> None:
    plain = search_colonias(colonias, "ALVARO OBREGON")
    accented = search_colonias(colonias, "Álvaro Obregón")
    pd.testing.assert_frame_equal(plain, accented)
    # Two units of that name (Iztapalapa and Venustiano Carranza), then the one whose name starts with it.
    assert plain["cveut"].tolist()[:3] == ["07-005", "17-004", "07-006"]
    assert plain["match"].tolist()[:3] == ["exact", "exact", "prefix"]


def test_search_ignores_punctuation(colonias: gpd.GeoDataFrame) -> None:
    assert search_key("ALVARO OBREGON_(FRACC)") == "alvaro obregon fracc"
    assert search_key("Peña   Pobre (U.Hab.)") == "pena pobre u hab"
    assert search_colonias(colonias, "alvaro obregon fracc")["cveut"].tolist()[:1] == ["07-006"]


@pytest.mark.parametrize(
    ("typo", "expected"),
    [
        ("san migel teotongo", TEOTONGO),
        ("narvate", ["14-060", "14-061", "14-062"]),  # NARVARTE I–III
        ("meyehualko", ["07-124", "07-321", "07-206", "07-295", "07-296"]),  # the SANTA CRUZ MEYEHUALCO units
    ],
)
def test_search_forgives_a_typo(colonias: gpd.GeoDataFrame, typo: str, expected: list[str]) -> None:
    found = search_colonias(colonias, typo)
    assert found["cveut"].tolist()[: len(expected)] == expected
    assert (found["match"] == "fuzzy").all()
    assert found["score"].between(85, 100, inclusive="left").all()


def test_literal_matches_rank_before_near_misses(colonias: gpd.GeoDataFrame) -> None:
    found = search_colonias(colonias, "pena", limit=50)
    ranks = found["match"].map(MATCH_KINDS.index).tolist()
    assert ranks == sorted(ranks)
    assert {"prefix", "word", "substring", "fuzzy"} <= set(found["match"])
    assert found.loc[found["match"] != "fuzzy", "name"].map(search_key).str.contains("pena").all()


def test_search_respects_the_limit(colonias: gpd.GeoDataFrame) -> None:
    assert len(search_colonias(colonias, "san", limit=3)) == 3
    assert len(search_colonias(colonias, "san")) == 10
    assert search_colonias(colonias, "san", limit=0).empty


@pytest.mark.parametrize(
    "query",
    ["", " ", "\t\n", "¿?¡!", "\x00", "中文", "roma" + " " * (MAX_QUERY_CHARS - 3), "roma " * 30],
)
def test_blank_odd_or_long_queries_find_nothing(colonias: gpd.GeoDataFrame, query: str) -> None:
    found = search_colonias(colonias, query)
    assert found.empty
    assert found.columns.tolist() == list(RESULT_COLUMNS)


def test_a_long_query_is_refused_only_past_the_limit(colonias: gpd.GeoDataFrame) -> None:
    assert not search_colonias(colonias, "roma" + " " * (MAX_QUERY_CHARS - 4)).empty


@pytest.mark.parametrize("query", [*hostile.payloads(), "'; DROP TABLE colonias; --", ".*", "(", "%s%n"])
def test_hostile_queries_are_just_text(colonias: gpd.GeoDataFrame, query: str) -> None:
    found = search_colonias(colonias, query)
    assert found.columns.tolist() == list(RESULT_COLUMNS)
    assert len(found) <= 10
    assert found["cveut"].isin(colonias["cveut"]).all()


# --- people by grade (the build's columns) ------------------------------------------------------------


def test_people_by_grade_add_up_to_the_estimate(colonias: gpd.GeoDataFrame) -> None:
    grades = colonias[list(schemas.PEOPLE_BY_GRADE.values())]
    known = colonias["population_estimate"].notna()
    assert known.sum() == len(colonias) - 2  # two rural units have no AGEB with data
    assert (grades[known].sum(axis=1) == colonias.loc[known, "population_estimate"]).all()
    assert grades[~known].isna().all().all()
    high = grades[["people_alto", "people_muy_alto"]].sum(axis=1)
    share = high[known] / colonias.loc[known, "population_estimate"]
    assert colonias.loc[known, "people_high_share"].to_numpy() == pytest.approx(share.to_numpy(), abs=5e-4)
    assert colonias["people_high_share"].between(0, 1).sum() == known.sum()


def test_people_by_grade_are_described_as_estimates() -> None:
    catalogue = json.loads(paths.DATAPACKAGE.read_text(encoding="utf-8"))
    resource = next(r for r in catalogue["resources"] if r["name"] == "colonias")
    fields = {f["name"]: f["description"] for f in resource["schema"]["fields"]}
    assert list(fields) == list(schemas.COLONIAS.columns)
    for column in [*schemas.PEOPLE_BY_GRADE.values(), "people_high_share", "population_estimate"]:
        assert "estimate" in fields[column]


def test_summary_of_a_real_colonia(colonias: gpd.GeoDataFrame, open_sites: gpd.GeoDataFrame) -> None:
    row = colonias.set_index("cveut").loc["07-293"]
    summary = colonia_summary(colonias, "07-293", open_sites)
    assert (summary.name, summary.borough) == ("SAN MIGUEL TEOTONGO III", "09007")
    assert summary.population_estimate == row["population_estimate"]
    assert list(summary.people_by_grade) == list(MARGINALISATION_GRADES)
    assert sum(summary.people_by_grade.values()) == summary.population_estimate
    assert summary.high_share == row["people_high_share"] > 0
    assert summary.urban_share == row["urban_share"]
    assert summary.nearest_site.site_id == "utopia-teotongo"


def test_summary_without_an_estimate_says_so(colonias: gpd.GeoDataFrame) -> None:
    summary = colonia_summary(colonias, "11-035", synthetic_sites({}))  # rural: no AGEB with data
    assert summary.population_estimate is None
    assert summary.people_by_grade == {}
    assert summary.high_share is None
    assert summary.nearest_site is None


def test_an_unknown_key_is_a_key_error(colonias: gpd.GeoDataFrame) -> None:
    with pytest.raises(KeyError):
        colonia_summary(colonias, "99-999", synthetic_sites({}))
    with pytest.raises(KeyError):
        bounds(colonias, "<script>")


# --- nearest site -------------------------------------------------------------------------------------

# Synthetic layout, in METRIC_CRS metres near Mexico City: a 1 km square colonia and made-up sites.
X0, Y0 = 490_000.0, 2_140_000.0
SQUARE = shapely.box(X0, Y0, X0 + 1000, Y0 + 1000)


def synthetic_sites(points: dict[str, tuple[float, float] | None]) -> gpd.GeoDataFrame:
    geometry = [None if p is None else shapely.Point(X0 + p[0], Y0 + p[1]) for p in points.values()]
    frame = gpd.GeoDataFrame(
        {"site_id": list(points), "name": [f"Synthetic {k}" for k in points]},
        geometry=gpd.GeoSeries(geometry, crs=METRIC_CRS),
    )
    return frame.to_crs("EPSG:4326")


def square_in_degrees() -> shapely.Geometry:
    return gpd.GeoSeries([SQUARE], crs=METRIC_CRS).to_crs("EPSG:4326").iloc[0]


@pytest.mark.parametrize(
    ("points", "expected"),
    [
        ({"east": (1300, 500), "south": (500, -200), "far": (5000, 5000)}, ("south", 200.0)),
        ({"corner": (1300, 1400), "west": (-600, 500)}, ("corner", 500.0)),  # 300–400–500 triangle
        ({"b-inside": (400, 600), "a-inside": (600, 400)}, ("a-inside", 0.0)),  # a tie: the smaller id
        ({"z-inside": (400, 600), "a-far": (3000, 500)}, ("z-inside", 0.0)),
        ({"unlocated": None, "east": (1300, 500)}, ("east", 300.0)),
    ],
)
def test_nearest_site_on_a_synthetic_layout(
    points: dict[str, tuple[float, float] | None], expected: tuple[str, float]
) -> None:
    found = nearest_site(square_in_degrees(), synthetic_sites(points))
    assert (found.site_id, found.name) == (expected[0], f"Synthetic {expected[0]}")
    assert found.distance_m == pytest.approx(expected[1], abs=0.05)


def test_no_located_site_means_no_nearest_site() -> None:
    assert nearest_site(square_in_degrees(), synthetic_sites({"a": None, "b": None})) is None
    assert nearest_site(square_in_degrees(), synthetic_sites({})) is None


def test_nearest_site_of_a_real_colonia_checked_by_hand(
    colonias: gpd.GeoDataFrame, open_sites: gpd.GeoDataFrame
) -> None:
    # Checked by hand: AGUILERA (Azcapotzalco) is 619.0 m from Utopía Ceylán by the WGS84 geodesic from the
    # site's point to the colonia's nearest border point (pyproj.Geod, point found in INEGI's Lambert CRS);
    # the next open site with coordinates, La Heroica, is 5.3 km away.
    summary = colonia_summary(colonias, "02-001", open_sites)
    assert summary.nearest_site == NearestSite(
        "utopia-ceylan-azcapotzalco", "Utopía Ceylán (Azcapotzalco)", pytest.approx(619.0, rel=0.002)
    )


# --- point lookup and zoom ----------------------------------------------------------------------------


def test_colonia_at_a_real_point(colonias: gpd.GeoDataFrame) -> None:
    assert colonia_at(colonias, 19.4326, -99.1332) == "15-040"  # the Zócalo: CENTRO IV, Cuauhtémoc


def test_colonia_at_prefers_the_unit_drawn_over_another(colonias: gpd.GeoDataFrame) -> None:
    # SAN PABLO 396 (a housing unit) lies inside SAN MARTIN XOCHINAHUAC in the source; both contain the point.
    point = colonias.set_index("cveut").geometry["02-083"].representative_point()
    assert colonias.loc[colonias.intersects(point), "cveut"].tolist() == ["02-081", "02-083"]
    assert colonia_at(colonias, point.y, point.x) == "02-083"


@pytest.mark.parametrize(
    ("lat", "lon"), [(0.0, 0.0), (19.0, -98.0), (float("nan"), -99.1), (19.4, float("inf"))]
)
def test_colonia_at_nowhere_is_none(colonias: gpd.GeoDataFrame, lat: float, lon: float) -> None:
    assert colonia_at(colonias, lat, lon) is None


def test_bounds_enclose_the_colonia(colonias: gpd.GeoDataFrame) -> None:
    (south, west), (north, east) = bounds(colonias, "07-291")
    assert south < north
    assert west < east
    shape = colonias.set_index("cveut").geometry["07-291"]
    assert shapely.box(west, south, east, north).contains(shape)
    assert shapely.box(west, south, east, north).area == pytest.approx(shapely.envelope(shape).area)
