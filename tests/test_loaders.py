"""Loading the shipped data: it loads, and every kind of broken file fails loudly and completely.

Broken files are made by copying the real ones from data/ into tmp_path and
changing one thing, so each test shows exactly which defect it is about.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
import shapely

from geo import paths
from geo.errors import DataError
from geo.loaders import (
    REBUILD_BOUNDARIES,
    REBUILD_TABLES,
    Atlas,
    load_atlas,
    read_boroughs,
    read_catalogue,
    read_pcmb,
)

SHIPPED = [paths.BOUNDARIES, paths.INDICATORS, paths.SITES, paths.PCMB, paths.DATAPACKAGE]
HOSTILE_NAME = "<img src=x onerror=alert(1)>"


@pytest.fixture(scope="module")
def atlas() -> Atlas:
    return load_atlas()


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    """A private copy of the shipped data/ files, for a test to break."""
    for path in SHIPPED:
        shutil.copy(path, tmp_path / path.name)
    return tmp_path


def read_text_table(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def write_text_table(table: pd.DataFrame, path: Path) -> None:
    table.to_csv(path, index=False, lineterminator="\n")


def edit_site(data_dir: Path, site: str, **values: str) -> None:
    path = data_dir / paths.SITES.name
    table = read_text_table(path)
    row = table.index[table["name"] == site]
    assert len(row) == 1, site
    for column, value in values.items():
        table.loc[row, column] = value
    write_text_table(table, path)


def write_boroughs(frame: gpd.GeoDataFrame, data_dir: Path) -> None:
    target = data_dir / paths.BOUNDARIES.name
    target.unlink()
    frame.to_file(target, driver="GeoJSON", engine="pyogrio")


def assert_load_fails(data_dir: Path, file_name: str, *fragments: str) -> DataError:
    """load_atlas raises (so returns nothing at all) a DataError naming the file and the problem."""
    with pytest.raises(DataError) as caught:
        load_atlas(data_dir)
    error = caught.value
    message = str(error)
    assert error.path.name == file_name
    assert message.startswith(f"{file_name}: ")
    for fragment in fragments:
        assert fragment in message
    assert error.problems
    assert error.rebuild
    return error


# --- the shipped data ----------------------------------------------------------------------------


def test_shipped_data_loads(atlas: Atlas) -> None:
    assert len(atlas.boroughs) == 16
    assert atlas.boroughs["cvegeo"].tolist() == [f"09{n:03d}" for n in range(2, 18)]
    assert atlas.boroughs.crs.to_epsg() == 4326


def test_shipped_sites_thirty_five_of_which_nineteen_on_the_map(atlas: Atlas) -> None:
    assert len(atlas.sites) == 35
    assert atlas.sites.geometry.notna().sum() == 19
    assert atlas.sites.loc[atlas.sites["lat"].isna()].geometry.isna().all()
    assert atlas.sites["cvegeo"].notna().all()
    assert atlas.sites["site_id"].is_unique


def test_shipped_sites_points_lie_in_their_borough(atlas: Atlas) -> None:
    polygons = atlas.boroughs.set_index("cvegeo").geometry
    located = atlas.sites[atlas.sites.geometry.notna()]
    assert all(
        polygons[code].intersects(point)
        for code, point in zip(located["cvegeo"], located.geometry, strict=True)
    )


def test_shipped_indicators_include_derived_rows(atlas: Atlas) -> None:
    counts = atlas.indicators["indicator"].value_counts()
    assert counts["density"] == counts["population_total"] == 33
    assert counts["poverty_persons_est"] == 33
    assert atlas.indicators.duplicated(["cvegeo", "year", "indicator"]).sum() == 0


def test_shipped_pcmb_and_catalogue(atlas: Atlas) -> None:
    assert atlas.pcmb.loc[atlas.pcmb["period"] == "2024", "projects"].tolist() == [152.0, 155.0]
    assert atlas.pcmb["projects_qualifier"].isna().sum() == 0
    assert isinstance(atlas.catalogue["resources"], list)


def test_copied_data_loads_the_same(data_dir: Path, atlas: Atlas) -> None:
    copy = load_atlas(data_dir)
    pd.testing.assert_frame_equal(copy.indicators, atlas.indicators)
    assert copy.sites["site_id"].tolist() == atlas.sites["site_id"].tolist()


# --- missing and unreadable files ----------------------------------------------------------------


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.name)
def test_missing_file(data_dir: Path, path: Path) -> None:
    (data_dir / path.name).unlink()
    assert_load_fails(data_dir, path.name, "the file is missing")


def test_missing_boundaries_names_the_rebuild_command(data_dir: Path) -> None:
    (data_dir / paths.BOUNDARIES.name).unlink()
    error = assert_load_fails(data_dir, "boroughs.geojson")
    assert error.rebuild == REBUILD_BOUNDARIES


def test_malformed_csv_unclosed_quote(data_dir: Path) -> None:
    path = data_dir / paths.INDICATORS.name
    path.write_text(path.read_text(encoding="utf-8") + '09002,2020,poverty_pct,1.0,,%,"unclosed\n', "utf-8")
    error = assert_load_fails(data_dir, "indicators.csv", "cannot be read as UTF-8 CSV")
    assert error.rebuild == REBUILD_TABLES


def test_malformed_csv_too_many_fields(data_dir: Path) -> None:
    path = data_dir / paths.PCMB.name
    path.write_text(path.read_text(encoding="utf-8") + "2025,2025,2025,1,,1,https://x,note,extra,extra\n")
    assert_load_fails(data_dir, "pcmb_by_year.csv", "cannot be read as UTF-8 CSV")


def test_non_utf8_bytes(data_dir: Path) -> None:
    path = data_dir / paths.SITES.name
    path.write_bytes(path.read_text(encoding="utf-8").encode("latin-1", errors="replace"))
    assert_load_fails(data_dir, "utopias.csv", "cannot be read as UTF-8 CSV")


def test_empty_csv(data_dir: Path) -> None:
    (data_dir / paths.PCMB.name).write_bytes(b"")
    assert_load_fails(data_dir, "pcmb_by_year.csv", "cannot be read")


def test_boundaries_not_geojson(data_dir: Path) -> None:
    (data_dir / paths.BOUNDARIES.name).write_text("this is not GeoJSON", encoding="utf-8")
    assert_load_fails(data_dir, "boroughs.geojson", "cannot be read as a vector dataset")


def test_catalogue_not_json(data_dir: Path) -> None:
    (data_dir / paths.DATAPACKAGE.name).write_text("{resources: [", encoding="utf-8")
    assert_load_fails(data_dir, "datapackage.json", "not valid JSON")


def test_catalogue_without_resources(tmp_path: Path) -> None:
    path = tmp_path / "datapackage.json"
    path.write_text(json.dumps({"name": "atlas"}), encoding="utf-8")
    with pytest.raises(DataError, match=r"datapackage\.json: no 'resources' list"):
        read_catalogue(path)


# --- indicator table -----------------------------------------------------------------------------


def test_numeric_value_column_containing_text(data_dir: Path) -> None:
    path = data_dir / paths.INDICATORS.name
    table = read_text_table(path)
    table.loc[3, "value"] = "forty-three"
    write_text_table(table, path)
    assert_load_fails(data_dir, "indicators.csv", "column 'value'", "forty-three")


def test_year_column_containing_text(data_dir: Path) -> None:
    path = data_dir / paths.INDICATORS.name
    table = read_text_table(path)
    table.loc[0, "year"] = "2020a"
    write_text_table(table, path)
    assert_load_fails(data_dir, "indicators.csv", "column 'year'")


def test_unknown_indicator_id(data_dir: Path) -> None:
    path = data_dir / paths.INDICATORS.name
    table = read_text_table(path)
    table.loc[0, "indicator"] = "happiness_pct"
    write_text_table(table, path)
    assert_load_fails(data_dir, "indicators.csv", "missing from the registry", "happiness_pct")


def test_duplicated_borough_year_indicator(data_dir: Path) -> None:
    path = data_dir / paths.INDICATORS.name
    table = read_text_table(path)
    duplicate = table.iloc[[5]].assign(value="99.9")
    write_text_table(pd.concat([table, duplicate]), path)
    # Both lines are named: line 7 (index 5 + header + 1) and the appended last line.
    assert_load_fails(
        data_dir, "indicators.csv", "multiple_fields_uniqueness", "row 7:", f"row {len(table) + 2}:"
    )


def test_unknown_borough_code(data_dir: Path) -> None:
    path = data_dir / paths.INDICATORS.name
    table = read_text_table(path)
    table.loc[0, "cvegeo"] = "09018"
    write_text_table(table, path)
    assert_load_fails(data_dir, "indicators.csv", "column 'cvegeo'", "09018")


def test_row_with_neither_value_nor_category(data_dir: Path) -> None:
    path = data_dir / paths.INDICATORS.name
    table = read_text_table(path)
    table.loc[0, ["value", "category"]] = ""
    write_text_table(table, path)
    assert_load_fails(data_dir, "indicators.csv", "neither a value nor a category")


def test_row_number_in_message_is_the_file_line(data_dir: Path) -> None:
    path = data_dir / paths.INDICATORS.name
    table = read_text_table(path)
    table.loc[9, "value"] = "n/a"  # line 11 of the file: the header is line 1
    write_text_table(table, path)
    assert_load_fails(data_dir, "indicators.csv", "row 11")


def test_unexpected_column(data_dir: Path) -> None:
    path = data_dir / paths.INDICATORS.name
    write_text_table(read_text_table(path).assign(comment=""), path)
    assert_load_fails(data_dir, "indicators.csv", "comment")


# --- site table ----------------------------------------------------------------------------------


def test_unknown_borough_name_in_sites(data_dir: Path) -> None:
    edit_site(data_dir, "Utopía Tepito", borough="Tepito")
    assert_load_fails(data_dir, "utopias.csv", "unknown borough 'Tepito'")


def test_borough_name_without_accent_is_unknown(data_dir: Path) -> None:
    edit_site(data_dir, "Utopía Tlaltenco", borough="Tlahuac")
    assert_load_fails(data_dir, "utopias.csv", "unknown borough 'Tlahuac'")


def test_point_outside_mexico_city(data_dir: Path) -> None:
    edit_site(data_dir, "Utopía Teotongo", lat="25.0", lon="-100.0")
    assert_load_fails(data_dir, "utopias.csv", "Utopía Teotongo", "outside Mexico City")


def test_latitude_out_of_range(data_dir: Path) -> None:
    edit_site(data_dir, "Utopía Teotongo", lat="190.35", lon="-98.99")
    assert_load_fails(data_dir, "utopias.csv", "column 'lat'")


def test_point_in_the_wrong_borough(data_dir: Path) -> None:
    # The Zócalo is in Cuauhtémoc; Teotongo is listed in Iztapalapa.
    edit_site(data_dir, "Utopía Teotongo", lat="19.4326", lon="-99.1332")
    assert_load_fails(
        data_dir, "utopias.csv", "'Utopía Teotongo' is listed in Iztapalapa but its point lies outside it"
    )


def test_latitude_without_longitude(data_dir: Path) -> None:
    edit_site(data_dir, "Utopía Teotongo", lon="")
    assert_load_fails(data_dir, "utopias.csv", "latitude without a longitude")


def test_longitude_without_latitude(data_dir: Path) -> None:
    edit_site(data_dir, "Utopía Tepito", lon="-99.13")
    assert_load_fails(data_dir, "utopias.csv", "latitude without a longitude")


def test_latitude_containing_text(data_dir: Path) -> None:
    edit_site(data_dir, "Utopía Teotongo", lat="19.35 N")
    assert_load_fails(data_dir, "utopias.csv", "column 'lat'")


def test_unknown_status(data_dir: Path) -> None:
    edit_site(data_dir, "Utopía Teotongo", status="closed")
    assert_load_fails(data_dir, "utopias.csv", "column 'status'", "closed")


def test_duplicated_site_id(data_dir: Path) -> None:
    edit_site(data_dir, "Utopía Olini", site_id="utopia-teotongo")
    assert_load_fails(data_dir, "utopias.csv", "column 'site_id'")


def test_all_site_problems_reported_together(data_dir: Path) -> None:
    edit_site(data_dir, "Utopía Tepito", borough="Tepito")
    edit_site(data_dir, "Utopía Teotongo", lat="25.0", lon="-100.0")
    error = assert_load_fails(data_dir, "utopias.csv")
    assert len(error.problems) == 2


def test_hostile_text_in_site_name_loads_as_data(data_dir: Path) -> None:
    # Escaping is the renderer's job (tested with the map and pages); the loader keeps text verbatim.
    edit_site(data_dir, "Utopía Teotongo", name=HOSTILE_NAME, colonia="</script><script>alert(2)</script>")
    sites = load_atlas(data_dir).sites.set_index("site_id")
    assert sites.loc["utopia-teotongo", "name"] == HOSTILE_NAME
    assert sites.loc["utopia-teotongo", "colonia"] == "</script><script>alert(2)</script>"


# --- boundaries ----------------------------------------------------------------------------------


@pytest.mark.parametrize("epsg", [3857, 6372])
def test_boundaries_in_a_projected_crs(data_dir: Path, epsg: int) -> None:
    frame = gpd.read_file(paths.BOUNDARIES, engine="pyogrio").to_crs(epsg=epsg)
    write_boroughs(frame, data_dir)
    assert_load_fails(data_dir, "boroughs.geojson", "expected longitude/latitude (EPSG:4326)")


def test_boundaries_with_a_self_intersecting_polygon(data_dir: Path) -> None:
    frame = gpd.read_file(paths.BOUNDARIES, engine="pyogrio")
    bow_tie = shapely.Polygon([(-99.10, 19.30), (-99.05, 19.35), (-99.05, 19.30), (-99.10, 19.35)])
    assert not bow_tie.is_valid
    frame.loc[frame["cvegeo"] == "09007", "geometry"] = bow_tie
    write_boroughs(frame, data_dir)
    assert_load_fails(data_dir, "boroughs.geojson", "invalid geometry: ['Iztapalapa']")


def test_boundaries_with_fifteen_boroughs(data_dir: Path) -> None:
    frame = gpd.read_file(paths.BOUNDARIES, engine="pyogrio")
    write_boroughs(frame[frame["cvegeo"] != "09017"], data_dir)
    assert_load_fails(data_dir, "boroughs.geojson", "expected the 16 codes 09002–09017")


def test_boundaries_with_points_instead_of_polygons(data_dir: Path) -> None:
    frame = gpd.read_file(paths.BOUNDARIES, engine="pyogrio")
    frame["geometry"] = frame.geometry.representative_point()
    write_boroughs(frame, data_dir)
    assert_load_fails(data_dir, "boroughs.geojson", "not polygons")


def test_boundaries_moved_outside_mexico_city(data_dir: Path) -> None:
    frame = gpd.read_file(paths.BOUNDARIES, engine="pyogrio")
    frame["geometry"] = frame.geometry.translate(xoff=-1.0)
    write_boroughs(frame, data_dir)
    assert_load_fails(data_dir, "boroughs.geojson", "geometry outside Mexico City")


def test_boundaries_without_area_column(data_dir: Path) -> None:
    frame = gpd.read_file(paths.BOUNDARIES, engine="pyogrio").drop(columns="area_km2")
    write_boroughs(frame, data_dir)
    assert_load_fails(data_dir, "boroughs.geojson", "missing columns: ['area_km2']")


def test_read_boroughs_sorts_by_code(data_dir: Path) -> None:
    frame = gpd.read_file(paths.BOUNDARIES, engine="pyogrio").iloc[::-1]
    write_boroughs(frame, data_dir)
    assert read_boroughs(data_dir / paths.BOUNDARIES.name)["cvegeo"].tolist()[:2] == ["09002", "09003"]


# --- PCMB ----------------------------------------------------------------------------------------


def test_pcmb_period_ending_before_it_starts(tmp_path: Path) -> None:
    path = tmp_path / "pcmb_by_year.csv"
    table = read_text_table(paths.PCMB)
    table.loc[0, ["year_start", "year_end"]] = ["2014", "2007"]
    write_text_table(table, path)
    with pytest.raises(DataError, match="a period ends before it starts"):
        read_pcmb(path)


def test_pcmb_negative_budget(tmp_path: Path) -> None:
    path = tmp_path / "pcmb_by_year.csv"
    table = read_text_table(paths.PCMB)
    table.loc[1, "budget_mxn"] = "-949000000"
    write_text_table(table, path)
    with pytest.raises(DataError, match=r"pcmb_by_year\.csv: column 'budget_mxn'"):
        read_pcmb(path)
