"""Walking-distance coverage: reach areas around open sites, their share of each borough, the people
they hold (areal-weighting estimates), the city totals and the map layer that draws them."""

from __future__ import annotations

import math
import re

import folium
import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from pyproj import Proj

from geo import i18n
from geo.coverage import (
    DISTANCES_M,
    METRIC_CRS,
    city_summary,
    coverage_by_borough,
    display_reach,
    method_text,
    need_inputs,
    reach_areas,
    reachable_sites,
    sites_source,
)
from geo.filters import HEADLINE_YEAR
from geo.formatting import format_distances
from geo.i18n import LANGUAGES
from geo.indicators import derive_indicators
from geo.loaders import CDMX_BBOX, Atlas, load_atlas
from geo.mapview import coverage_layer
from geo.vocabulary import BOROUGHS

IZTAPALAPA = "09007"
# Synthetic geometry is built in metres (UTM 14N, the module's CRS) near Mexico City,
# then handed over in EPSG:4326 like the shipped data.
X0, Y0 = 480_000.0, 2_150_000.0
SIDE = 4_000.0
R = 800.0


@pytest.fixture(scope="module")
def atlas() -> Atlas:
    return load_atlas()


def boroughs(*corners: tuple[float, float], side: float = SIDE) -> gpd.GeoDataFrame:
    """Synthetic square boroughs, one per lower-left corner (metres), coded 09901, 09902, ..."""
    frame = gpd.GeoDataFrame(
        {
            "cvegeo": [f"099{n:02d}" for n in range(1, len(corners) + 1)],
            "name": [f"Synthetic {n}" for n in range(1, len(corners) + 1)],
        },
        geometry=[shapely.box(x, y, x + side, y + side) for x, y in corners],
        crs=METRIC_CRS,
    )
    return frame.to_crs("EPSG:4326")


def sites(*rows: tuple[str, tuple[float, float] | None]) -> gpd.GeoDataFrame:
    """Synthetic sites as (status, point in metres or None for "no coordinates")."""
    frame = gpd.GeoDataFrame(
        {"name": [f"site {n}" for n in range(len(rows))], "status": [status for status, _ in rows]},
        geometry=[shapely.Point(point) if point else None for _, point in rows],
        crs=METRIC_CRS,
    )
    return frame.to_crs("EPSG:4326")


def people(values: dict[str, float]) -> pd.Series:
    return pd.Series(values, dtype=float)


def table_for(
    squares: gpd.GeoDataFrame,
    located: gpd.GeoDataFrame,
    distances: tuple[float, ...] = (R,),
    population: float = 10_000.0,
    poor: float = 4_000.0,
) -> pd.DataFrame:
    codes = squares["cvegeo"]
    return coverage_by_borough(
        squares,
        reach_areas(located, distances),
        people(dict.fromkeys(codes, population)),
        people(dict.fromkeys(codes, poor)),
    )


def centre(x: float = X0, y: float = Y0) -> tuple[float, float]:
    return (x + SIDE / 2, y + SIDE / 2)


# --- the metric CRS ------------------------------------------------------------------------------


def test_metric_crs_distortion_is_negligible_over_mexico_city() -> None:
    west, south, east, north = CDMX_BBOX
    corners = [(west, south), (west, north), (east, south), (east, north), ((west + east) / 2, 19.43)]
    factors = [Proj(METRIC_CRS).get_factors(lon, lat) for lon, lat in corners]
    assert max(abs(f.meridional_scale - 1) for f in factors) < 5e-4  # distances within 0.05 %
    assert max(abs(f.areal_scale - 1) for f in factors) < 1e-3  # areas within 0.1 %
    # INEGI's conformal conic is 0.2–0.3 % short here, which is why it is not used.
    lcc = [Proj("EPSG:6372").get_factors(lon, lat) for lon, lat in corners]
    assert min(abs(f.meridional_scale - 1) for f in lcc) > 2e-3


# --- reach areas ---------------------------------------------------------------------------------


def test_reach_fully_inside_a_square_borough() -> None:
    table = table_for(boroughs((X0, Y0)), sites(("open", centre())))
    row = table.iloc[0]
    # π × 0.8² / 4² = 0.125664
    assert row["share"] == pytest.approx(0.125664, rel=1e-3)
    assert row["reach_km2"] == pytest.approx(2.010619, rel=1e-3)
    assert row["area_km2"] == pytest.approx(16.0, rel=1e-9)


def test_overlapping_reach_counts_once() -> None:
    cx, cy = centre()
    located = sites(("open", (cx - R / 2, cy)), ("open", (cx + R / 2, cy)))
    reach = reach_areas(located, (R,))
    # Two circles of radius r, centres r apart: union = r² (2π − (2π/3 − √3/2)) = 5.054816 r².
    assert reach["reach_km2"].iloc[0] == pytest.approx(3.235082, rel=1e-3)
    assert reach["reach_km2"].iloc[0] < 2 * 2.010619
    table = table_for(boroughs((X0, Y0)), located)
    assert table["reach_km2"].iloc[0] == pytest.approx(3.235082, rel=1e-3)
    assert reach["sites"].iloc[0] == 2


def test_reach_straddling_two_boroughs_splits_between_them() -> None:
    # Two squares side by side; the site is 400 m west of their shared edge.
    squares = boroughs((X0, Y0), (X0 + SIDE, Y0))
    table = table_for(squares, sites(("open", (X0 + SIDE - 400, Y0 + SIDE / 2))))
    # Circular segment beyond 400 m: r² acos(d/r) − d √(r² − d²) = 0.393079 km².
    assert table["reach_km2"].tolist() == pytest.approx([1.617540, 0.393079], rel=1e-3)
    assert table["reach_km2"].sum() == pytest.approx(2.010619, rel=1e-3)


def test_reach_crossing_the_city_edge_is_clipped() -> None:
    squares = boroughs((X0, Y0))
    edge = sites(("open", (X0, Y0 + SIDE / 2)))  # on the west edge: half the circle is outside
    corner = sites(("open", (X0, Y0)))  # on a corner: three quarters are outside
    assert table_for(squares, edge)["reach_km2"].iloc[0] == pytest.approx(1.005310, rel=1e-3)
    assert table_for(squares, corner)["reach_km2"].iloc[0] == pytest.approx(0.502655, rel=1e-3)
    assert reach_areas(edge, (R,))["reach_km2"].iloc[0] == pytest.approx(2.010619, rel=1e-3)
    clipped = reach_areas(edge, (R,), clip_to=squares)
    assert clipped["reach_km2"].iloc[0] == pytest.approx(1.005310, rel=1e-3)
    assert clipped.geometry.iloc[0].within(squares.union_all().buffer(1e-9))


def test_sites_not_open_or_without_coordinates_add_nothing() -> None:
    squares = boroughs((X0, Y0))
    only_open = sites(("open", centre()))
    mixed = sites(
        ("open", centre()),
        ("open", None),
        ("under_construction", (X0 + 300, Y0 + 300)),
        ("announced", (X0 + 3_700, Y0 + 3_700)),
    )
    assert reachable_sites(mixed)["name"].tolist() == ["site 0"]
    assert reach_areas(mixed)["sites"].tolist() == [1, 1]
    pd.testing.assert_frame_equal(table_for(squares, mixed), table_for(squares, only_open))


def test_no_open_site_means_no_reach() -> None:
    squares = boroughs((X0, Y0))
    reach = reach_areas(sites(("announced", centre()), ("open", None)))
    assert reach["distance_m"].tolist() == list(DISTANCES_M)
    assert reach["reach_km2"].tolist() == [0.0, 0.0]
    assert reach.geometry.is_empty.all()
    table = coverage_by_borough(squares, reach, people({"09901": 10_000}), people({"09901": 4_000}))
    assert table["share"].tolist() == [0.0, 0.0]
    assert table["people_within_est"].tolist() == [0.0, 0.0]
    assert table["poor_beyond_est"].tolist() == [4_000.0, 4_000.0]


def test_reach_areas_take_any_distances() -> None:
    reach = reach_areas(sites(("open", centre())), (500, 2_000))
    assert reach["distance_m"].tolist() == [500, 2_000]
    assert reach["reach_km2"].tolist() == pytest.approx([0.785398, 12.566371], rel=1e-3)
    assert reach.crs.to_epsg() == 4326


@pytest.mark.parametrize("distances", [(0,), (800, -1)])
def test_reach_areas_reject_distances_that_are_not_positive(distances: tuple[int, ...]) -> None:
    with pytest.raises(ValueError, match="distances must be positive"):
        reach_areas(sites(("open", centre())), distances)


# --- people within reach (estimates) -------------------------------------------------------------


def test_people_within_is_population_times_share() -> None:
    squares = boroughs((X0, Y0), (X0 + SIDE, Y0))
    table = table_for(squares, sites(("open", (X0 + SIDE - 400, Y0 + SIDE / 2))), population=10_000)
    assert (table["people_within_est"] == table["population"] * table["share"]).all()
    # 1.617540 / 16 and 0.393079 / 16 of 10,000 people
    assert table["people_within_est"].tolist() == pytest.approx([1_010.96, 245.67], rel=1e-3)


def test_poor_within_and_beyond_add_up_to_the_poor() -> None:
    squares = boroughs((X0, Y0), (X0 + SIDE, Y0))
    table = table_for(squares, sites(("open", (X0 + SIDE - 400, Y0 + SIDE / 2))), DISTANCES_M, poor=4_321)
    assert (table["poor_est"] == 4_321).all()
    assert (table["poor_within_est"] + table["poor_beyond_est"]).tolist() == pytest.approx([4_321] * 4)
    assert (table["poor_within_est"] == table["poor_est"] * table["share"]).all()


def test_missing_population_gives_missing_estimates_not_zero() -> None:
    squares = boroughs((X0, Y0), (X0 + SIDE, Y0))
    reach = reach_areas(sites(("open", centre())), (R,))
    table = coverage_by_borough(squares, reach, people({"09901": 10_000}), people({"09901": 4_000}))
    assert table["people_within_est"].isna().tolist() == [False, True]
    assert table["poor_beyond_est"].isna().tolist() == [False, True]
    assert city_summary(table)[["population", "people_within_est", "poor_est"]].isna().all(axis=None)


def test_need_inputs_from_the_indicator_table() -> None:
    shipped = pd.DataFrame(  # synthetic long table
        {
            "cvegeo": ["09901", "09902", "09901", "09902", "09901"],
            "year": [2020, 2020, 2020, 2020, 2015],
            "indicator": ["population_total"] * 2 + ["poverty_pct"] * 2 + ["population_total"],
            "value": [10_000, 20_000, 40.0, 25.0, 1],
            "category": "",
            "unit": "",
            "source": ["Census A", "Census A", "Survey B", "Survey B", "Census old"],
            "source_url": "",
        }
    )
    indicators = pd.concat([shipped, derive_indicators(shipped, pd.Series({"09901": 1.0, "09902": 1.0}))])
    population, poor, sources = need_inputs(indicators)
    assert population.to_dict() == {"09901": 10_000.0, "09902": 20_000.0}
    assert poor.to_dict() == {"09901": 4_000.0, "09902": 5_000.0}
    assert sources == (
        "Total population 2020: Census A | People in poverty (estimate) 2020: "
        "Derived by the Atlas from: share in poverty (Survey B) × total population (Census A)"
    )
    assert need_inputs(indicators, lang="fr")[2] == (
        "Population totale 2020 : Census A | Personnes en situation de pauvreté (estimation) 2020 : "
        "Calculé par l’Atlas à partir de : part en situation de pauvreté (Survey B) × population totale (Census A)"
    )


# --- city totals ---------------------------------------------------------------------------------


def test_city_summary_sums_boroughs_per_distance() -> None:
    # Two squares side by side; the site is 1 km west of their shared edge, so 800 m stays in
    # borough 1 and 1,500 m reaches 500 m into borough 2.
    squares = boroughs((X0, Y0), (X0 + SIDE, Y0))
    table = coverage_by_borough(
        squares,
        reach_areas(sites(("open", (X0 + SIDE - 1_000, Y0 + SIDE / 2))), (R, 1_500)),
        people({"09901": 10_000, "09902": 30_000}),
        people({"09901": 4_000, "09902": 6_000}),
    )
    # Circular segment beyond 1 km of a 1.5 km circle: 0.774371 km²; the rest, 6.294213, in borough 1.
    assert table["reach_km2"].tolist() == pytest.approx([2.010619, 0.0, 6.294213, 0.774371], rel=1e-3)
    summary = city_summary(table).set_index("distance_m")
    assert summary.index.tolist() == [800, 1_500]
    assert summary["boroughs"].tolist() == [2, 2]
    assert summary["area_km2"].tolist() == pytest.approx([32.0, 32.0])
    assert summary["population"].tolist() == [40_000, 40_000]
    assert summary["share"].tolist() == pytest.approx([2.010619 / 32, 7.068583 / 32], rel=1e-3)
    # 800 m: 2.010619 / 16 of borough 1's 10,000 people and 4,000 poor.
    assert summary.loc[800, "people_within_est"] == pytest.approx(1_256.64, rel=1e-3)
    assert summary.loc[800, "people_within_share"] == pytest.approx(1_256.64 / 40_000, rel=1e-3)
    assert summary.loc[800, "poor_within_est"] == pytest.approx(502.65, rel=1e-3)
    assert summary.loc[800, "poor_within_share"] == pytest.approx(502.65 / 10_000, rel=1e-3)
    # 1,500 m: 6.294213 / 16 × 10,000 + 0.774371 / 16 × 30,000 = 3,933.88 + 1,451.95 people.
    assert summary.loc[1_500, "people_within_est"] == pytest.approx(5_385.83, rel=1e-3)
    assert summary.loc[1_500, "poor_within_est"] == pytest.approx(1_573.55 + 290.39, rel=1e-3)
    totals = summary["poor_within_est"] + summary["poor_beyond_est"]
    assert totals.tolist() == pytest.approx([10_000, 10_000])


def test_every_output_is_labelled_an_estimate_with_sources() -> None:
    squares = boroughs((X0, Y0))
    reach = reach_areas(sites(("open", centre())))
    table = coverage_by_borough(
        squares, reach, people({"09901": 1}), people({"09901": 1}), sources="population_total 2020: Census A"
    )
    summary = city_summary(table)
    method = method_text("en")
    assert method.startswith("Estimate.")
    assert "straight-line" in method
    assert "spread evenly" in method
    for frame in (reach, table, summary):
        assert (frame["method"] == method).all()
        assert frame["sources"].str.contains("data/utopias.csv", regex=False).all()
    for frame in (table, summary):
        assert frame["sources"].str.contains("INEGI, Marco Geoestadístico", regex=False).all()
        assert frame["sources"].str.endswith("population_total 2020: Census A").all()


# --- the map layer -------------------------------------------------------------------------------


def test_display_reach_is_simplified_and_rounded() -> None:
    reach = reach_areas(sites(("open", centre()), ("open", (X0, Y0))), DISTANCES_M)
    shown = display_reach(reach)
    assert (shown.geometry.count_coordinates() < reach.geometry.count_coordinates()).all()
    coords = shapely.get_coordinates(shown.geometry.to_numpy())
    assert np.allclose(coords, coords.round(5), rtol=0, atol=1e-9)
    for full, light in zip(reach.to_crs(METRIC_CRS).geometry, shown.to_crs(METRIC_CRS).geometry, strict=True):
        assert full.hausdorff_distance(light) < 12  # ~10 m simplification plus ~1 m rounding
        assert light.area == pytest.approx(full.area, rel=0.01)
    assert shown["distance_m"].tolist() == list(DISTANCES_M)


def test_coverage_layer_is_named_and_does_not_catch_the_mouse() -> None:
    layer = coverage_layer(reach_areas(sites(("open", centre()))))
    assert layer.layer_name == "Within 800 m / 1,500 m of an open UTOPÍA (straight line)"
    (shapes,) = layer._children.values()
    assert isinstance(shapes, folium.GeoJson)
    assert shapes.options == {"interactive": False}
    assert [f["properties"]["d"] for f in shapes.data["features"]] == [1_500.0, 800.0]  # nearest on top


def test_coverage_layer_name_in_french_and_spanish() -> None:
    reach = reach_areas(sites(("open", centre())))
    assert coverage_layer(reach, "fr").layer_name == (
        "À moins de 800 m / 1\u202f500 m d’une UTOPÍA ouverte (à vol d’oiseau)"
    )
    assert (
        coverage_layer(reach, "es").layer_name
        == "A menos de 800 m / 1,500 m de una UTOPÍA abierta (en línea recta)"
    )


def test_method_and_sites_source_in_each_language() -> None:
    assert method_text() == method_text("en")
    assert sites_source() == sites_source("en")
    assert sites_source("en").startswith("UTOPÍAS site list (data/utopias.csv)")
    assert method_text("es").startswith("Estimación. El alcance es un círculo en línea recta")
    assert "0.1 %" in method_text("es")
    assert method_text("fr").startswith("Estimation. L’accès est un cercle à vol d’oiseau")
    assert "0,1 %" in method_text("fr")
    for lang in ("es", "fr"):
        assert "data/utopias.csv" in sites_source(lang)
        assert "EPSG:32614" in method_text(lang)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_method_states_the_constants_the_code_uses(lang: str) -> None:
    # The method once typed "16 alcaldías", "UTM zone 14N (EPSG:32614" and "2020" into its text.
    assert not re.search(r"EPSG|14N|\b16\b|\b20\d\d\b", i18n.catalogue()["coverage.method"][lang])
    shown = method_text(lang)
    assert f"({METRIC_CRS}" in shown
    assert f" {len(BOROUGHS)} alcaldías" in shown
    assert f" {HEADLINE_YEAR} " in shown
    assert " 14N " in shown


def test_the_reach_help_states_the_distances_drawn() -> None:
    for lang in LANGUAGES:
        assert not re.search(r"\d", i18n.catalogue()["sidebar.reach_help"][lang])
    assert format_distances(DISTANCES_M, "en") == "800 m and 1,500 m"
    assert format_distances(DISTANCES_M, "fr") == "800 m et 1\u202f500 m"


def test_reach_areas_label_their_method_in_the_language_asked() -> None:
    reach = reach_areas(sites(("open", centre())), lang="fr")
    assert (reach["method"] == method_text("fr")).all()
    assert (reach["sources"] == sites_source("fr")).all()


def test_coverage_layer_without_reach_is_empty() -> None:
    layer = coverage_layer(reach_areas(sites(("announced", centre()))))
    assert not layer._children


# --- the shipped data ----------------------------------------------------------------------------


def test_coverage_of_the_shipped_sites(atlas: Atlas) -> None:
    reach = reach_areas(atlas.sites, clip_to=atlas.boroughs)
    population, poor, sources = need_inputs(atlas.indicators)
    table = coverage_by_borough(atlas.boroughs, reach, population, poor, sources=sources)
    iztapalapa = table[table["cvegeo"] == IZTAPALAPA].set_index("distance_m")
    assert 0 < iztapalapa.loc[800, "share"] < iztapalapa.loc[1_500, "share"] < 1
    assert (table["share"].between(0, 1)).all()
    for distance, rows in table.groupby("distance_m"):
        assert rows["people_within_est"].sum() <= 9_209_944
        assert rows["reach_km2"].sum() == pytest.approx(
            reach.set_index("distance_m").loc[distance, "reach_km2"], rel=1e-6
        )
    assert city_summary(table)["population"].tolist() == [9_209_944, 9_209_944]
    assert sources.startswith("Total population 2020: INEGI Censo de Población y Vivienda 2020")
    assert not math.isnan(iztapalapa.loc[800, "poor_within_est"])


def test_coverage_layer_of_the_shipped_sites_is_small(atlas: Atlas) -> None:
    layer = coverage_layer(reach_areas(atlas.sites, clip_to=atlas.boroughs))
    fmap = folium.Map(tiles=None)
    layer.add_to(fmap)
    html = fmap.get_root().render()
    assert len(html) < 40_000
