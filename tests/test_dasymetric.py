"""Walking reach counted in people: AGEB populations spread over their own AGEB, the rural remainder
by borough, the groups by grade, and the people in need beyond reach, by colonia and as a map layer.

Known answers come from SYNTHETIC grids (square AGEBs, boroughs, colonias and reach areas built in
metres near Mexico City, with made-up populations); the last tests run on the shipped data.
"""

from __future__ import annotations

import math

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely

from geo.coverage import METRIC_CRS, need_inputs, reach_areas
from geo.dasymetric import (
    AGEB_DASYMETRIC,
    BOROUGH_AREAL_RURAL,
    COMBINED,
    METHODS,
    NO_DATA,
    ReachPeople,
    ageb_reach,
    beyond_by_colonia,
    beyond_layer,
    method_label,
    method_note,
    need_beyond,
    need_note,
    reach_people,
    rural_reach,
)
from geo.i18n import LANGUAGES, t
from geo.loaders import Atlas, read_agebs, read_colonias

# Synthetic geometry, in metres (UTM 14N) from this origin, handed over in EPSG:4326 like the shipped data.
X0, Y0 = 480_000.0, 2_150_000.0
NEAR, FAR = 800, 1500
CITY_AGEB_PEOPLE = 9_128_902
CITY_PEOPLE = 9_209_944


def box(x0: float, y0: float, x1: float, y1: float) -> shapely.Polygon:
    return shapely.box(X0 + x0, Y0 + y0, X0 + x1, Y0 + y1)


def frame(columns: dict[str, list], shapes: list[shapely.Geometry | None]) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(columns, geometry=gpd.GeoSeries(shapes, crs=METRIC_CRS)).to_crs("EPSG:4326")


def synthetic_boroughs() -> gpd.GeoDataFrame:
    """Borough 09901: 4 km × 2 km, its west half four 1 km² AGEBs, its east half AGEB-free (rural)
    ground. Borough 09902: 1 km², wholly one AGEB."""
    return frame(
        {"cvegeo": ["09901", "09902"], "name": ["Synthetic 1", "Synthetic 2"]},
        [box(0, 0, 4000, 2000), box(4000, 0, 5000, 1000)],
    )


def synthetic_agebs() -> gpd.GeoDataFrame:
    """Synthetic AGEBs: A–D the 2 × 2 grid of borough 09901 (D has no index row), E an index row
    without a polygon, F all of borough 09902."""
    return frame(
        {
            "cvegeo": ["A", "B", "C", "D", "E", "F"],
            "borough": ["09901"] * 5 + ["09902"],
            "pob_total": [1000.0, 2000.0, 3000.0, np.nan, 136.0, 500.0],
            "gm_2020": ["Alto", "Muy alto", "Medio", "", "Medio", "Bajo"],
        },
        [
            box(0, 0, 1000, 1000),
            box(1000, 0, 2000, 1000),
            box(0, 1000, 1000, 2000),
            box(1000, 1000, 2000, 2000),
            None,
            box(4000, 0, 5000, 1000),
        ],
    )


def synthetic_reach() -> gpd.GeoDataFrame:
    """Synthetic reach areas with overlaps known exactly.

    800 m: a 1 km square centred on the grid's middle corner, a quarter of each of A–D.
    1,500 m: x 500–2,500, y 500–2,000: A 1/4, B 1/2, C 1/2, D all, and 0.75 of the 4 km² rural ground.
    """
    return frame({"distance_m": [NEAR, FAR]}, [box(500, 500, 1500, 1500), box(500, 500, 2500, 2000)])


# Borough populations: 09901 holds 6,136 people in AGEBs and 800 beyond them; 09902 holds 20 beyond its
# one AGEB but has no ground left to place them on.
POPULATION = pd.Series({"09901": 6936.0, "09902": 520.0})


@pytest.fixture(scope="module")
def synthetic() -> ReachPeople:
    return reach_people(synthetic_agebs(), synthetic_reach(), synthetic_boroughs(), POPULATION)


def row(table: pd.DataFrame, **keys: object) -> pd.Series:
    """The one row of ``table`` matching ``keys``."""
    found = table.loc[np.logical_and.reduce([table[k] == v for k, v in keys.items()])]
    assert len(found) == 1, keys
    return found.iloc[0]


# --- per AGEB ----------------------------------------------------------------------------------------


def test_each_ageb_people_are_spread_over_its_own_area(synthetic: ReachPeople) -> None:
    units = ageb_reach(synthetic_agebs(), synthetic_reach())
    near = units[units["distance_m"] == NEAR].set_index("cvegeo")
    far = units[units["distance_m"] == FAR].set_index("cvegeo")
    assert near.loc[list("ABCD"), "share"].tolist() == pytest.approx([0.25] * 4, rel=1e-6)
    assert near.loc[list("ABC"), "people_within"].tolist() == pytest.approx([250, 500, 750], rel=1e-6)
    assert far.loc[list("ABCD"), "share"].tolist() == pytest.approx([0.25, 0.5, 0.5, 1.0], rel=1e-6)
    assert far.loc[list("ABC"), "people_beyond"].tolist() == pytest.approx([750, 1000, 1500], rel=1e-6)
    assert near.loc["A", "area_km2"] == pytest.approx(1.0, rel=1e-6)
    assert far.loc["F", "people_within"] == 0.0
    assert (units["method"] == AGEB_DASYMETRIC).all()
    pd.testing.assert_frame_equal(units, synthetic.units[synthetic.units["method"] == AGEB_DASYMETRIC])


def test_an_ageb_without_an_index_row_has_area_but_unknown_people() -> None:
    units = ageb_reach(synthetic_agebs(), synthetic_reach()).set_index(["distance_m", "cvegeo"])
    d = units.loc[(NEAR, "D")]
    assert d["grade"] == NO_DATA
    assert d["reach_km2"] == pytest.approx(0.25, rel=1e-6)
    assert math.isnan(d["population"])
    assert math.isnan(d["people_within"])


def test_a_key_without_a_polygon_is_neither_within_nor_beyond() -> None:
    units = ageb_reach(synthetic_agebs(), synthetic_reach()).set_index(["distance_m", "cvegeo"])
    e = units.loc[(FAR, "E")]
    assert not e["located"]
    assert e["population"] == 136
    assert math.isnan(e["people_within"])
    assert math.isnan(e["people_beyond"])


def test_a_reach_circle_inside_an_ageb_holds_its_area_share_of_the_people() -> None:
    # Synthetic: one 4 km × 4 km AGEB of 16,000 people and an open site at its centre.
    ageb = frame(
        {"cvegeo": ["G"], "borough": ["09901"], "pob_total": [16_000.0], "gm_2020": ["Alto"]},
        [box(0, 0, 4000, 4000)],
    )
    site = frame({"name": ["site"], "status": ["open"]}, [shapely.Point(X0 + 2000, Y0 + 2000)])
    units = ageb_reach(ageb, reach_areas(site, (NEAR,)))
    # π × 0.8² km² of 16 km² holds π × 0.8² × 1,000 people: 2,010.6.
    assert units["people_within"].iloc[0] == pytest.approx(math.pi * 0.64 * 1000, rel=1e-3)


def test_no_open_site_reaches_nobody() -> None:
    empty = frame({"distance_m": [NEAR]}, [shapely.Polygon()])
    units = ageb_reach(synthetic_agebs(), empty)
    assert units.loc[units["located"], "share"].tolist() == [0.0] * 5
    assert units["people_within"].sum() == 0.0


# --- the rural remainder -------------------------------------------------------------------------


def test_the_rural_remainder_is_spread_over_the_ground_no_ageb_covers() -> None:
    rural = rural_reach(synthetic_boroughs(), synthetic_agebs(), synthetic_reach(), POPULATION)
    assert (rural["method"] == BOROUGH_AREAL_RURAL).all()
    first = rural[rural["cvegeo"] == "09901"].set_index("distance_m")
    # 6,936 − (1,000 + 2,000 + 3,000 + 136) = 800 people on the borough's 4 km² east half.
    assert first["population"].tolist() == [800, 800]
    assert first["area_km2"].tolist() == pytest.approx([4.0, 4.0], rel=1e-6)
    assert first.loc[NEAR, "people_within"] == pytest.approx(0.0, abs=1e-6)
    # 1,500 m covers x 2,000–2,500, y 500–2,000 of it: 0.75 of 4 km², so 150 people.
    assert first.loc[FAR, "people_within"] == pytest.approx(150.0, rel=1e-6)


def test_a_remainder_with_no_ground_left_is_not_locatable(synthetic: ReachPeople) -> None:
    second = row(synthetic.by_borough, distance_m=FAR, cvegeo="09902", method=BOROUGH_AREAL_RURAL)
    assert second["population"] == 20
    assert second["people_not_located"] == 20
    assert second["people_within"] == 0.0
    assert second["people_beyond"] == 0.0


def test_a_remainder_needs_a_population_that_holds_the_agebs() -> None:
    args = (synthetic_boroughs(), synthetic_agebs(), synthetic_reach())
    with pytest.raises(ValueError, match="no population for boroughs"):
        rural_reach(*args, POPULATION.drop("09902"))
    with pytest.raises(ValueError, match="more people than their borough"):
        rural_reach(*args, POPULATION - 100)


# --- sums by borough, grade and city ------------------------------------------------------------


def test_by_borough_keeps_each_method_and_adds_them(synthetic: ReachPeople) -> None:
    ageb = row(synthetic.by_borough, distance_m=FAR, cvegeo="09901", method=AGEB_DASYMETRIC)
    rural = row(synthetic.by_borough, distance_m=FAR, cvegeo="09901", method=BOROUGH_AREAL_RURAL)
    both = row(synthetic.by_borough, distance_m=FAR, cvegeo="09901", method=COMBINED)
    assert ageb["name"] == "Synthetic 1"
    assert (ageb["agebs"], ageb["no_data_agebs"]) == (5, 1)
    assert ageb["population"] == 6136
    assert ageb["people_within"] == pytest.approx(250 + 1000 + 1500, rel=1e-6)
    assert ageb["people_not_located"] == 136
    assert ageb["people_beyond"] == pytest.approx(6136 - 2750 - 136, rel=1e-6)
    assert both["population"] == 6936
    assert both["people_within"] == pytest.approx(2750 + 150, rel=1e-6)
    assert both["people_within_share"] == pytest.approx(2900 / 6936, rel=1e-6)
    assert both["area_km2"] == pytest.approx(8.0, rel=1e-6)
    assert rural["people_within"] == pytest.approx(150, rel=1e-6)
    methods = synthetic.by_borough.loc[synthetic.by_borough["distance_m"] == NEAR, "method"].tolist()
    assert methods == [*METHODS, COMBINED] * 2


def test_by_grade_counts_the_unknown_apart(synthetic: ReachPeople) -> None:
    table = synthetic.by_grade[synthetic.by_grade["distance_m"] == NEAR]
    assert table["grade"].tolist() == ["Bajo", "Medio", "Alto", "Muy alto", NO_DATA]
    medio = row(table, grade="Medio")
    assert medio["population"] == 3136
    assert medio["people_within"] == pytest.approx(750, rel=1e-6)
    assert medio["people_not_located"] == 136
    assert medio["people_within_share"] == pytest.approx(750 / 3136, rel=1e-6)
    assert row(table, grade="Muy alto")["people_within"] == pytest.approx(500, rel=1e-6)
    unknown = row(table, grade=NO_DATA)
    assert unknown["no_data_agebs"] == 1
    assert unknown["reach_km2"] == pytest.approx(0.25, rel=1e-6)
    assert math.isnan(unknown["population"])
    assert math.isnan(unknown["people_within"])


def test_city_totals_keep_the_method_split(synthetic: ReachPeople) -> None:
    far = synthetic.city[synthetic.city["distance_m"] == FAR].set_index("method")
    assert far.index.tolist() == [*METHODS, COMBINED]
    assert far.loc[AGEB_DASYMETRIC, "population"] == 6136 + 500
    assert far.loc[BOROUGH_AREAL_RURAL, "population"] == 800 + 20
    assert far.loc[COMBINED, "population"] == 6936 + 520
    assert far.loc[COMBINED, "people_within"] == pytest.approx(2900, rel=1e-6)
    assert far.loc[COMBINED, "people_not_located"] == 136 + 20


# --- people in need beyond reach ----------------------------------------------------------------


def synthetic_colonias() -> gpd.GeoDataFrame:
    """Synthetic colonias: X and Y split A's beyond-part, Z holds B's, W lies elsewhere."""
    return frame(
        {"cveut": ["W", "X", "Y", "Z"], "name": ["w", "x", "y", "z"], "borough": ["09902"] + ["09901"] * 3},
        [box(4000, 0, 5000, 1000), box(0, 0, 1000, 500), box(0, 500, 2000, 1000), box(1000, 0, 2000, 500)],
    )


def test_need_beyond_keeps_the_part_of_alto_and_muy_alto_agebs_out_of_reach() -> None:
    beyond = need_beyond(synthetic_agebs(), synthetic_reach(), FAR)
    # C (Medio) is half beyond but not in need; the key without a polygon cannot be placed.
    assert beyond["cvegeo"].tolist() == ["B", "A"]
    assert beyond["people_beyond"].tolist() == pytest.approx([1000, 750], rel=1e-6)
    assert beyond["beyond_km2"].tolist() == pytest.approx([0.5, 0.75], rel=1e-6)
    assert beyond.crs.to_epsg() == 4326
    assert beyond.geometry.to_crs(METRIC_CRS).area.tolist() == pytest.approx([5e5, 7.5e5], rel=1e-6)
    with pytest.raises(ValueError, match="no reach area at 2000 m"):
        need_beyond(synthetic_agebs(), synthetic_reach(), 2000)


def test_need_beyond_is_listed_by_colonia_by_shared_area() -> None:
    beyond = need_beyond(synthetic_agebs(), synthetic_reach(), FAR)
    table = beyond_by_colonia(beyond, synthetic_colonias())
    # Z holds all of B's 1,000; A's 750 beyond lie over 0.5 km² in X and 0.25 km² in Y.
    assert table["cveut"].tolist() == ["Z", "X", "Y"]
    assert table["people_beyond"].tolist() == pytest.approx([1000, 500, 250], rel=1e-6)
    assert list(table.columns) == ["cveut", "name", "borough", "people_beyond"]


def test_the_beyond_layer_is_dissolved_per_grade_or_kept_per_ageb() -> None:
    beyond = need_beyond(synthetic_agebs(), synthetic_reach(), FAR)
    layer = beyond_layer(beyond)
    assert layer["grade"].tolist() == ["Alto", "Muy alto"]
    assert layer["people_beyond"].tolist() == pytest.approx([750, 1000], rel=1e-6)
    assert layer["agebs"].tolist() == [1, 1]
    assert layer.geometry.to_crs(METRIC_CRS).area.tolist() == pytest.approx([7.5e5, 5e5], rel=1e-3)
    assert len(beyond_layer(beyond, by="ageb")) == 2


# --- texts ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_method_and_group_has_a_text_in_every_language(lang: str) -> None:
    for method in (*METHODS, COMBINED):
        assert method_label(method, lang)
        assert method_note(method, lang)
    assert t(f"reach.{NO_DATA}", lang)
    assert "1500" in need_note(lang).replace(",", "").replace("\u202f", "").replace("\xa0", "")


# --- the shipped data ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def shipped(atlas: Atlas) -> tuple[ReachPeople, pd.DataFrame]:
    population, _, _ = need_inputs(atlas.indicators)
    agebs = read_agebs()
    reach = reach_areas(atlas.sites, clip_to=atlas.boroughs)
    return reach_people(agebs, reach, atlas.boroughs, population), need_beyond(agebs, reach)


def test_shipped_totals_are_consistent(shipped: tuple[ReachPeople, pd.DataFrame]) -> None:
    people, _ = shipped
    city = people.city.set_index(["distance_m", "method"])
    for distance in (NEAR, FAR):
        assert city.loc[(distance, AGEB_DASYMETRIC), "population"] == CITY_AGEB_PEOPLE
        assert city.loc[(distance, COMBINED), "population"] == CITY_PEOPLE
    for table in (people.units, people.by_borough, people.by_grade, people.city):
        known = table[table["population"].notna() & table.get("located", True)]
        parts = known["people_within"] + known["people_beyond"] + known.get("people_not_located", 0)
        assert parts.tolist() == pytest.approx(known["population"].tolist(), rel=1e-9, abs=1e-6)
    summed = ["population", "people_within", "people_beyond", "people_not_located", "agebs"]
    by_grade = people.by_grade.groupby("distance_m")[summed].sum()
    ageb_rows = people.by_borough[people.by_borough["method"] == AGEB_DASYMETRIC]
    by_borough = ageb_rows.groupby("distance_m")[summed].sum()
    pd.testing.assert_frame_equal(by_grade, by_borough, rtol=1e-9)
    assert by_grade["agebs"].tolist() == [len(read_agebs())] * 2
    within = city.xs(COMBINED, level="method")["people_within"]
    assert within[NEAR] < within[FAR]


def test_shipped_need_beyond_agrees_with_the_ageb_table(shipped: tuple[ReachPeople, pd.DataFrame]) -> None:
    people, beyond = shipped
    units = people.units[(people.units["distance_m"] == FAR) & (people.units["method"] == AGEB_DASYMETRIC)]
    units = units.set_index("cvegeo").loc[beyond["cvegeo"]]
    assert beyond["people_beyond"].tolist() == pytest.approx(units["people_beyond"].tolist(), rel=1e-6)
    assert set(beyond["grade"]) <= {"Alto", "Muy alto"}
    colonias = beyond_by_colonia(beyond, read_colonias())
    assert colonias["people_beyond"].is_monotonic_decreasing
    # Colonias miss some ground and overlap in places, so the totals agree only roughly.
    assert colonias["people_beyond"].sum() == pytest.approx(beyond["people_beyond"].sum(), rel=0.05)
