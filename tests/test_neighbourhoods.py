"""The neighbourhood layers: reproducible from the brief, joined honestly, simplified within the bound.

Tests marked by the ``brief`` fixture rebuild from ``../shared/data-brief/neighbourhoods``
and skip where it is absent (it is not shipped with the app); the others read the committed files.
"""

from __future__ import annotations

import itertools
import json
import shutil
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
import shapely.affinity

from geo import paths, schemas
from geo.areaweight import area_weighted_sum
from geo.boundaries import max_displacement_m
from geo.errors import DataError
from geo.loaders import read_ageb_fields, read_agebs, read_colonias
from geo.names import normalise_name
from geo.neighbourhoods import (
    MAX_DISPLACEMENT_M,
    apportion,
    build_neighbourhoods,
    check_encoded,
    read_ageb_shapes,
    read_colonia_shapes,
    render,
)
from geo.vocabulary import MARGINALISATION_GRADES

UNMATCHED_KEY = "0901100261501"
# Both layers together, as sent to a browser: fail if they grow past this.
PAYLOAD_BUDGET_BYTES = 1_000_000


@pytest.fixture(scope="module")
def brief() -> Path:
    if not paths.NEIGHBOURHOODS_BRIEF.is_dir():
        pytest.skip(
            f"the neighbourhood brief is not at {paths.NEIGHBOURHOODS_BRIEF} (it is not shipped with the app)"
        )
    return paths.NEIGHBOURHOODS_BRIEF


@pytest.fixture(scope="module")
def rebuilt(brief: Path) -> dict[Path, str]:
    return render(build_neighbourhoods(brief))


@pytest.fixture(scope="module")
def agebs() -> gpd.GeoDataFrame:
    return read_agebs()


@pytest.fixture(scope="module")
def colonias() -> gpd.GeoDataFrame:
    return read_colonias()


@pytest.fixture(scope="module")
def report() -> dict:
    return json.loads(paths.NEIGHBOURHOODS_REPORT.read_text(encoding="utf-8"))


def overlap_area(geometries: np.ndarray) -> float:
    """Total area shared by pairs of geometries (m² in a metric CRS)."""
    left, right = shapely.STRtree(geometries).query(geometries, predicate="intersects")
    pairs = left < right
    return float(shapely.area(shapely.intersection(geometries[left[pairs]], geometries[right[pairs]])).sum())


def hole_area(geometries: np.ndarray) -> float:
    """Area of the holes in the union: gaps between neighbours."""
    parts = shapely.get_parts(shapely.union_all(geometries))
    return float(sum(shapely.area(shapely.Polygon(ring)) for part in parts for ring in part.interiors))


# --- reproducible ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        paths.AGEBS,
        paths.AGEB_FIELDS,
        paths.COLONIAS,
        paths.AGEB_SHAPES,
        paths.COLONIA_SHAPES,
        paths.NEIGHBOURHOODS_REPORT,
    ],
    ids=lambda p: p.name,
)
def test_committed_file_is_reproducible(rebuilt: dict[Path, str], path: Path) -> None:
    assert path.read_text(encoding="utf-8") == rebuilt[path]


# --- joins --------------------------------------------------------------------------------------------


def test_join_counts(agebs: gpd.GeoDataFrame, report: dict) -> None:
    assert int((agebs["on_map"] & agebs["has_index"]).sum()) == 2380
    assert agebs.loc[agebs["has_index"] & ~agebs["on_map"], "cvegeo"].tolist() == [UNMATCHED_KEY]
    no_data = agebs.loc[agebs["on_map"] & ~agebs["has_index"], "cvegeo"].tolist()
    assert len(no_data) == 50
    assert report["agebs"]["matched"] == 2380
    assert report["agebs"]["polygons_without_index_row"] == no_data
    assert [row["cvegeo"] for row in report["agebs"]["index_rows_without_polygon"]] == [UNMATCHED_KEY]


def test_unmatched_key_keeps_its_figures_and_has_no_shape(agebs: gpd.GeoDataFrame) -> None:
    row = agebs.set_index("cvegeo").loc[UNMATCHED_KEY]
    assert row["pob_total"] == 136
    assert row["gm_2020"] == "Medio"
    assert row["geometry"] is None


def test_polygons_without_index_are_no_data_never_zero(agebs: gpd.GeoDataFrame) -> None:
    fields = read_ageb_fields()
    no_data = agebs[~agebs["has_index"]]
    numeric = [c for c in fields.index if c != "gm_2020"]
    assert no_data[numeric].isna().all().all()
    assert (no_data["gm_2020"] == "").all()
    assert no_data.geometry.notna().all()


def test_every_indicator_has_unit_year_source_and_direction() -> None:
    fields = read_ageb_fields()
    keys = {"cvegeo", "borough", "on_map", "has_index"}
    assert set(fields.index) == set(schemas.AGEBS.columns) - keys
    assert (fields["year"] == 2020).all()
    assert fields["source"].str.startswith("CONAPO").all()
    assert (fields["unit"].str.len() > 0).all()
    assert (fields.drop(index="pob_total")["need"] != "").all()


# --- index direction ----------------------------------------------------------------------------------


def test_index_is_higher_where_marginalisation_is_lower(agebs: gpd.GeoDataFrame) -> None:
    indexed = agebs[agebs["has_index"]]
    by_grade = indexed.groupby("gm_2020")["im_2020"]
    lows, highs = by_grade.min(), by_grade.max()
    for less_need, more_need in itertools.pairwise(MARGINALISATION_GRADES):
        assert highs[more_need] <= lows[less_need], (less_need, more_need)
    assert read_ageb_fields().loc[["im_2020", "imn_2020"], "need"].tolist() == ["lower", "lower"]
    assert read_ageb_fields().loc["ovsint", "need"] == "higher"


def test_grade_counts_are_conapos(agebs: gpd.GeoDataFrame) -> None:
    counts = agebs.loc[agebs["has_index"], "gm_2020"].value_counts()
    assert counts.to_dict() == {"Muy bajo": 647, "Bajo": 1089, "Medio": 529, "Alto": 94, "Muy alto": 22}


# --- urban coverage -----------------------------------------------------------------------------------


def test_urban_coverage_is_computed_from_the_data(agebs: gpd.GeoDataFrame, report: dict) -> None:
    indicators = pd.read_csv(paths.INDICATORS, dtype={"cvegeo": str})
    city = indicators.query("indicator == 'population_total' and year == 2020")["value"].sum()
    coverage = report["urban_coverage"]
    assert coverage["index_population"] == int(agebs["pob_total"].sum()) == 9_128_902
    assert coverage["city_population_2020"] == int(city) == 9_209_944


# --- area weighting (synthetic grid) ------------------------------------------------------------------

# Synthetic test data: a 2×2 grid of unit squares with made-up counts; NaN = a square with no data.
SYNTHETIC_GRID = np.array([shapely.box(x, y, x + 1, y + 1) for y in (0, 1) for x in (0, 1)])
SYNTHETIC_COUNTS = np.array([100.0, 200.0, np.nan, 400.0])


@pytest.mark.parametrize(
    ("target", "expected_sum", "expected_covered"),
    [
        (shapely.box(0.5, 0, 1.5, 1), 150.0, 1.0),  # half of 100 + half of 200
        (shapely.box(0, 1, 1, 2), 0.0, 0.0),  # the no-data square only
        (
            shapely.box(0.5, 0.5, 1.5, 1.5),
            175.0,
            0.75,
        ),  # quarters of 100, 200 and 400; no-data quarter left out
        (shapely.box(5, 5, 6, 6), 0.0, 0.0),  # outside the grid
    ],
)
def test_area_weighting_known_answers_on_a_synthetic_grid(
    target: shapely.Polygon, expected_sum: float, expected_covered: float
) -> None:
    sums, covered = area_weighted_sum(SYNTHETIC_GRID, SYNTHETIC_COUNTS, np.array([target]))
    assert sums[0] == pytest.approx(expected_sum)
    assert covered[0] == pytest.approx(expected_covered)


def test_area_weighting_conserves_counts_on_a_synthetic_tiling() -> None:
    strips = np.array([shapely.box(x, 0, x + 0.4, 2) for x in np.arange(0, 2, 0.4)])
    sums, _ = area_weighted_sum(SYNTHETIC_GRID, SYNTHETIC_COUNTS, strips)
    assert sums.sum() == pytest.approx(700.0)


def test_apportion_keeps_each_row_total_on_synthetic_parts() -> None:
    # Synthetic parts: rounding each alone would make the rows 2, 4 and 0 instead of 1, 3 and 1.
    parts = np.array([[0.6, 0.6, 0.0], [1.5, 1.5, 0.0], [0.2, 0.3, 0.4], [3.0, 0.0, 2.0]])
    totals = np.array([1, 3, 1, 5])
    assert apportion(parts, totals).tolist() == [[1, 0, 0], [2, 1, 0], [0, 0, 1], [3, 0, 2]]
    assert (np.round(parts).sum(axis=1) != totals).sum() == 3


def test_colonia_estimates_are_labelled_and_bounded(colonias: gpd.GeoDataFrame, report: dict) -> None:
    assert "population_estimate" in colonias.columns
    assert "SUMPOB1" not in colonias.columns
    assert colonias["population_estimate"].sum() == report["colonias"]["population_estimate_total"]
    missing = colonias.loc[colonias["population_estimate"].isna(), "cveut"].tolist()
    assert missing == report["colonias"]["without_population_estimate"]
    assert (colonias.loc[colonias["population_estimate"].isna(), "urban_share"] == 0).all()


# --- boroughs -----------------------------------------------------------------------------------------


def test_names_match_without_accents_or_case() -> None:
    assert normalise_name("ALVARO OBREGON") == normalise_name("Álvaro Obregón")
    assert normalise_name("GUSTAVO A.  MADERO") == normalise_name("Gustavo A. Madero")
    assert normalise_name("TLAHUAC") != normalise_name("Tlalpan")


def test_every_colonia_has_an_inegi_borough_or_is_reported(colonias: gpd.GeoDataFrame, report: dict) -> None:
    codes = {f"090{n:02d}" for n in range(2, 18)}
    unmatched = colonias.loc[~colonias["borough"].isin(codes), "cveut"].tolist()
    assert unmatched == [row["cveut"] for row in report["colonias"]["borough_not_matched"]]


def test_matched_borough_agrees_with_the_iecm_name(brief: Path, colonias: gpd.GeoDataFrame) -> None:
    source = read_colonia_shapes(brief).set_index("CVEUT")
    names = gpd.read_file(paths.BOUNDARIES).set_index("cvegeo")["name"]
    matched = colonias[colonias["borough"] != ""]
    assert (
        matched["borough"].map(names).map(normalise_name).tolist()
        == matched["cveut"].map(source["NOMDT"]).map(normalise_name).tolist()
    )


def test_repaired_geometries_are_reported(report: dict) -> None:
    repaired = [row["cveut"] for row in report["colonias"]["geometries_repaired"]]
    assert repaired == ["03-039", "09-008", "12-020", "12-158", "13-028"]


def test_straddling_agebs_are_reported(report: dict) -> None:
    rows = report["agebs"]["straddling_a_borough_line"]
    assert rows
    assert all(row["share_outside"] > 0.01 and row["also_in"] for row in rows)


# --- shapes -------------------------------------------------------------------------------------------


def test_layers_are_valid_polygons_in_lon_lat(agebs: gpd.GeoDataFrame, colonias: gpd.GeoDataFrame) -> None:
    for layer in (agebs[agebs["on_map"]], colonias):
        assert layer.crs.to_epsg() == 4326
        assert layer.is_valid.all()
        assert layer.geom_type.isin(["Polygon", "MultiPolygon"]).all()


def test_displacement_is_within_the_stated_bound(brief: Path, agebs: gpd.GeoDataFrame, report: dict) -> None:
    source = read_ageb_shapes(brief)
    shipped = agebs.set_index("cvegeo").geometry.loc[source["CVEGEO"]]
    measured = max_displacement_m(source.geometry, gpd.GeoSeries(shipped.to_numpy(), crs="EPSG:4326"))
    assert measured <= MAX_DISPLACEMENT_M
    assert measured == pytest.approx(report["simplification"]["agebs"]["max_displacement_m"], abs=0.05)
    assert report["simplification"]["colonias"]["max_displacement_m"] <= MAX_DISPLACEMENT_M


def test_ageb_borders_stay_shared(brief: Path, agebs: gpd.GeoDataFrame) -> None:
    source = read_ageb_shapes(brief)
    shipped = agebs[agebs["on_map"]].geometry.to_crs(source.crs).to_numpy()
    original = source.geometry.to_numpy()
    assert overlap_area(shipped) <= overlap_area(original) + 1.0  # m²
    assert hole_area(shipped) <= hole_area(original) + 1.0  # m²


def test_colonia_borders_introduce_no_gaps_or_overlaps(brief: Path, colonias: gpd.GeoDataFrame) -> None:
    source = read_colonia_shapes(brief).to_crs(read_ageb_shapes(brief).crs)
    original = shapely.make_valid(source.geometry.to_numpy(), method="structure")
    shipped = colonias.geometry.to_crs(source.crs).to_numpy()
    assert overlap_area(shipped) <= overlap_area(original) + 1.0  # m²
    # The source has gaps between units (slivers, unassigned land) whose edges are simplified
    # like any edge; a gap opened by the build would leave uncovered land deeper than the bound.
    deep_inside = shapely.buffer(shapely.union_all(original), -MAX_DISPLACEMENT_M)
    assert shapely.area(shapely.difference(deep_inside, shapely.union_all(shipped))) <= 1.0  # m²


def test_layers_are_compact_topojson_with_shared_arcs() -> None:
    sizes = [p.stat().st_size for p in (paths.AGEB_SHAPES, paths.COLONIA_SHAPES)]
    assert sum(sizes) <= PAYLOAD_BUDGET_BYTES
    topology = json.loads(paths.AGEB_SHAPES.read_text(encoding="utf-8"))
    assert topology["type"] == "Topology"
    assert "transform" in topology  # quantised
    used = [
        abs(a) if a >= 0 else ~a
        for g in topology["objects"]["agebs"]["geometries"]
        for r in g["arcs"]
        for a in r
    ]
    assert len(used) > len(set(used))  # arcs are shared between neighbours


# --- loaders ------------------------------------------------------------------------------------------


def _copy(tmp_path: Path, *files: Path) -> dict[str, Path]:
    return {f.name: Path(shutil.copy(f, tmp_path / f.name)) for f in files}


def test_a_bad_grade_fails_the_load(tmp_path: Path) -> None:
    copies = _copy(tmp_path, paths.AGEBS, paths.AGEB_SHAPES)
    table = copies["agebs.csv"]
    table.write_text(
        table.read_text(encoding="utf-8").replace(",Muy alto,", ",Very high,", 1), encoding="utf-8"
    )
    with pytest.raises(DataError, match="gm_2020"):
        read_agebs(table, copies["agebs.topojson"])


def test_a_missing_shape_file_fails_the_load(tmp_path: Path) -> None:
    copies = _copy(tmp_path, paths.COLONIAS)
    with pytest.raises(DataError, match="missing"):
        read_colonias(copies["colonias.csv"], tmp_path / "colonias.topojson")


def test_a_shape_moved_past_the_bound_fails_the_build() -> None:
    # Synthetic: two 500 m squares in INEGI's Lambert CRS (EPSG:6372), one published 50 m off.
    source = gpd.GeoSeries(
        [shapely.box(2.8e6, 8.2e5, 2.8005e6, 8.205e5), shapely.box(2.8005e6, 8.2e5, 2.801e6, 8.205e5)],
        crs="EPSG:6372",
    )
    moved = gpd.GeoSeries(
        [source.iloc[0], shapely.affinity.translate(source.iloc[1], xoff=50)], crs=source.crs
    )
    decoded = gpd.GeoDataFrame({"id": ["a", "b"]}, geometry=moved.to_crs("EPSG:4326"))
    keys = pd.Series(["a", "b"])
    assert (
        check_encoded(
            gpd.GeoDataFrame({"id": ["a", "b"]}, geometry=source.to_crs("EPSG:4326")), source, keys, "t"
        )
        < 1
    )
    with pytest.raises(ValueError, match=r"moves 50\.0 m"):
        check_encoded(decoded, source, keys, "t")


def test_a_shape_without_a_table_row_fails_the_load(tmp_path: Path) -> None:
    copies = _copy(tmp_path, paths.COLONIAS, paths.COLONIA_SHAPES)
    table = copies["colonias.csv"]
    header, first, *rest = table.read_text(encoding="utf-8").splitlines(keepends=True)
    table.write_text(header + "".join(rest), encoding="utf-8")
    with pytest.raises(DataError, match=f"not in the table: \\['{first.split(',')[0]}'\\]"):
        read_colonias(table, copies["colonias.topojson"])
