"""Downloads: CSV that parses back with its sources and cannot smuggle spreadsheet formulas,
GeoJSON of the located sites and of one indicator per borough, and the AGEB and colonia tables."""

from __future__ import annotations

import io
import json

import geopandas as gpd
import pandas as pd
import pytest
import shapely

from geo.exports import (
    COLONIA_ESTIMATES,
    ageb_fields_table,
    agebs_table,
    colonias_table,
    indicators_csv,
    indicators_geojson,
    neutralise,
    sites_csv,
    sites_geojson,
    table_csv,
)
from geo.loaders import Atlas, NeighbourhoodLayers, load_atlas, load_neighbourhoods

HOSTILE_CELLS = [
    '=HYPERLINK("http://x")',
    "+cmd|' /C calc'!A0",
    "@SUM(1)",
    "-2+3",
    "\t=1+1",
    "\r=1+1",
]


@pytest.fixture(scope="module")
def atlas() -> Atlas:
    return load_atlas()


def read_csv(data: bytes) -> pd.DataFrame:
    return pd.read_csv(io.BytesIO(data), encoding="utf-8-sig", dtype={"cvegeo": str})


@pytest.fixture
def hostile_sites() -> gpd.GeoDataFrame:
    """Synthetic sites whose names are formula payloads; one has no coordinates."""
    frame = pd.DataFrame(
        {
            "site_id": [f"s{n}" for n in range(len(HOSTILE_CELLS))] + ["plain"],
            "name": [*HOSTILE_CELLS, "Utopía Olini"],
            "lat": [19.4] * len(HOSTILE_CELLS) + [None],
            "lon": [-99.1] * len(HOSTILE_CELLS) + [None],
            "area_m2": [-5.0] + [None] * len(HOSTILE_CELLS),
            "sources": ["-from a hostile feed", *["https://example.org"] * len(HOSTILE_CELLS)],
        }
    )
    geometry = [
        shapely.Point(lon, lat) if pd.notna(lat) else None
        for lat, lon in zip(frame.lat, frame.lon, strict=True)
    ]
    return gpd.GeoDataFrame(frame, geometry=geometry, crs="EPSG:4326")


# --- CSV -----------------------------------------------------------------------------------------


def test_sites_csv_parses_back_with_every_site_and_its_sources(atlas: Atlas) -> None:
    data = sites_csv(atlas.sites)
    assert data.startswith(b"\xef\xbb\xbf")  # BOM: Excel reads UTF-8
    parsed = read_csv(data)
    expected = atlas.sites.drop(columns="geometry")
    assert list(parsed.columns) == list(expected.columns)
    assert len(parsed) == 35
    assert parsed["site_id"].tolist() == expected["site_id"].tolist()
    assert parsed["sources"].tolist() == expected["sources"].tolist()
    assert "Utopía Olini" in parsed["name"].tolist()  # accents survive


def test_sites_csv_keeps_coordinates_as_numbers(atlas: Atlas) -> None:
    parsed = read_csv(sites_csv(atlas.sites))
    assert parsed["lon"].dtype == float
    assert parsed["lon"].dropna().tolist() == atlas.sites["lon"].dropna().tolist()
    assert (parsed["lon"].dropna() < 0).all()


def test_indicators_csv_parses_back_with_source_columns(atlas: Atlas) -> None:
    parsed = read_csv(indicators_csv(atlas.indicators))
    assert list(parsed.columns) == list(atlas.indicators.columns)
    assert len(parsed) == len(atlas.indicators)
    assert parsed["source"].tolist() == atlas.indicators["source"].tolist()
    assert parsed["source_url"].tolist() == atlas.indicators["source_url"].tolist()
    iztapalapa = parsed[
        (parsed["cvegeo"] == "09007") & (parsed["indicator"] == "poverty_pct") & (parsed["year"] == 2020)
    ]
    assert iztapalapa["value"].tolist() == [43.89]


@pytest.mark.parametrize("payload", HOSTILE_CELLS)
def test_neutralise_prefixes_formula_text(payload: str) -> None:
    assert neutralise(payload) == "'" + payload


def test_neutralise_leaves_numbers_and_plain_text() -> None:
    assert neutralise(-99.1) == -99.1
    assert neutralise(None) is None
    assert neutralise("Utopía Olini") == "Utopía Olini"
    assert neutralise("a=b") == "a=b"


def test_sites_csv_neutralises_formula_names(hostile_sites: gpd.GeoDataFrame) -> None:
    parsed = read_csv(sites_csv(hostile_sites))
    assert parsed["name"].tolist() == [*("'" + cell for cell in HOSTILE_CELLS), "Utopía Olini"]
    assert parsed["sources"].iloc[0] == "'-from a hostile feed"
    assert parsed["lon"].iloc[0] == -99.1  # a negative number is not text: untouched
    assert parsed["area_m2"].iloc[0] == -5.0
    assert b"-99.1," in sites_csv(hostile_sites)
    assert b"'-99.1" not in sites_csv(hostile_sites)


def test_csv_does_not_change_its_input(hostile_sites: gpd.GeoDataFrame) -> None:
    sites_csv(hostile_sites)
    assert hostile_sites["name"].iloc[0] == HOSTILE_CELLS[0]


# --- GeoJSON -------------------------------------------------------------------------------------


def test_sites_geojson_has_the_located_sites_and_counts_the_others(atlas: Atlas) -> None:
    data = sites_geojson(atlas.sites)
    collection = json.loads(data)
    located = atlas.sites.geometry.notna().sum()
    assert collection["type"] == "FeatureCollection"
    assert len(collection["features"]) == located == 19
    assert collection["omitted_without_coordinates"] == len(atlas.sites) - located == 16
    assert collection["note"].startswith("16 site(s) without coordinates are omitted")
    first = collection["features"][0]
    assert first["geometry"]["type"] == "Point"
    assert first["properties"]["sources"] == atlas.sites["sources"].iloc[0]
    frame = gpd.read_file(io.BytesIO(data))
    assert len(frame) == 19
    assert frame.crs.to_epsg() == 4326
    assert frame["sources"].tolist() == atlas.sites.loc[atlas.sites.geometry.notna(), "sources"].tolist()


def test_sites_geojson_keeps_names_as_they_are(hostile_sites: gpd.GeoDataFrame) -> None:
    collection = json.loads(sites_geojson(hostile_sites))
    assert [f["properties"]["name"] for f in collection["features"]] == HOSTILE_CELLS
    assert collection["omitted_without_coordinates"] == 1
    assert collection["features"][0]["geometry"]["coordinates"] == [-99.1, 19.4]


def test_indicators_geojson_has_every_borough_with_value_and_source(atlas: Atlas) -> None:
    data = indicators_geojson(atlas.boroughs, atlas.indicators, "poverty_pct", 2020)
    collection = json.loads(data)
    assert (collection["indicator"], collection["year"]) == ("poverty_pct", 2020)
    assert len(collection["features"]) == 16
    frame = gpd.read_file(io.BytesIO(data))
    assert frame.crs.to_epsg() == 4326
    assert set(frame.geom_type) == {"Polygon"}
    iztapalapa = frame[frame["cvegeo"] == "09007"].iloc[0]
    assert iztapalapa["value"] == 43.89
    assert iztapalapa["unit"] == "% of population"
    assert iztapalapa["source"].startswith("CONEVAL Medición de la pobreza municipal 2020")
    assert iztapalapa["source_url"].startswith("github:")
    assert iztapalapa["label"] == "Population in poverty"


def test_indicators_geojson_keeps_boroughs_without_a_value(atlas: Atlas) -> None:
    data = indicators_geojson(atlas.boroughs, atlas.indicators, "unmet_basic_needs_pct_evalua", 2020)
    features = json.loads(data)["features"]
    assert len(features) == 16
    known = [f["properties"]["cvegeo"] for f in features if f["properties"]["value"] is not None]
    assert known == ["09007"]


# --- the AGEB and colonia tables ----------------------------------------------------------------


@pytest.fixture(scope="module")
def layers() -> NeighbourhoodLayers:
    return load_neighbourhoods()


def read_table(data: bytes) -> pd.DataFrame:
    return pd.read_csv(
        io.BytesIO(data), encoding="utf-8-sig", dtype={"cvegeo": str, "borough": str, "cveut": str}
    )


def test_the_ageb_table_has_every_key_every_conapo_column_and_their_source(
    atlas: Atlas, layers: NeighbourhoodLayers
) -> None:
    parsed = read_table(table_csv(agebs_table(layers.agebs, layers.fields, atlas.borough_names)))
    conapo = list(layers.fields.index)
    assert list(parsed.columns) == [
        "cvegeo", "borough", "borough_name", "on_map", "has_index", *conapo, "year", "source", "source_url"
    ]  # fmt: skip
    assert len(conapo) == 15
    assert parsed["cvegeo"].tolist() == layers.agebs["cvegeo"].tolist()
    assert parsed["year"].eq(2020).all()
    assert parsed["source"].str.startswith("CONAPO, Índice de marginación urbana 2020").all()
    assert parsed["source_url"].eq("https://github.com/IndiceMx/IMx2020").all()
    assert parsed["borough_name"].notna().all()
    by_key = parsed.set_index("cvegeo")
    unmapped = by_key.loc["0901100261501"]  # CONAPO's key with no polygon: in the table all the same
    assert (unmapped["on_map"], unmapped["pob_total"], unmapped["gm_2020"]) == (False, 136, "Medio")
    no_row = by_key[~by_key["has_index"]]
    assert len(no_row) == 50
    assert no_row[conapo].isna().all().all(), "no data stays empty, never zero"
    assert by_key["pob_total"].sum() == 9_128_902
    assert b",3183," in table_csv(agebs_table(layers.agebs, layers.fields, atlas.borough_names)), (
        "whole people"
    )


def test_the_ageb_column_guide_gives_each_columns_unit_year_and_source(layers: NeighbourhoodLayers) -> None:
    guide = read_table(table_csv(ageb_fields_table(layers.fields))).set_index("column")
    assert guide.index.tolist() == list(layers.fields.index)
    assert guide["unit"].notna().all()
    assert guide.loc["pob_total", "unit"] == "persons"
    assert guide.loc["ovsae", "unit"] == "% of occupants of private dwellings"
    assert guide["source"].str.startswith("CONAPO").all()
    assert guide["year"].eq(2020).all()


def test_the_colonia_table_labels_its_figures_as_estimates_with_their_source(
    atlas: Atlas, layers: NeighbourhoodLayers
) -> None:
    parsed = read_table(table_csv(colonias_table(layers.colonias, atlas.borough_names)))
    assert list(parsed.columns[:4]) == ["cveut", "name", "borough", "borough_name"]
    figures = [column for column in parsed.columns if column.startswith(("population", "people"))]
    assert figures == list(COLONIA_ESTIMATES.values())
    assert all(column.endswith("_estimate") for column in figures), "every estimated figure says so"
    assert len(parsed) == len(layers.colonias) == 1814
    assert parsed["source"].str.startswith("Atlas estimate:").all()
    assert parsed["source"].str.contains("CONAPO").all()
    assert parsed["source"].str.contains("IECM").all()
    assert parsed["population_estimate"].sum() == layers.colonias["population_estimate"].sum()
    grades = [column for column in figures if column.startswith("people_") and "share" not in column]
    estimated = parsed.dropna(subset="population_estimate")
    assert (estimated[grades].sum(axis=1) == estimated["population_estimate"]).all()
    assert parsed["population_estimate"].isna().sum() == 2, "no estimate stays empty, never zero"
    assert parsed["people_high_share_estimate"].dropna().between(0, 1).all()
    assert parsed.set_index("cveut").loc["07-010", "borough_name"] == "Iztapalapa"


def test_the_neighbourhood_tables_neutralise_formula_text(atlas: Atlas, layers: NeighbourhoodLayers) -> None:
    """Synthetic hostile names (test data): colonia names and borough names that are formulas."""
    colonias = layers.colonias.head(len(HOSTILE_CELLS)).copy()
    colonias["name"] = HOSTILE_CELLS
    boroughs = dict.fromkeys(atlas.borough_names, HOSTILE_CELLS[0])
    parsed = read_table(table_csv(colonias_table(colonias, boroughs)))
    assert parsed["name"].tolist() == ["'" + cell for cell in HOSTILE_CELLS]
    assert parsed["borough_name"].eq("'" + HOSTILE_CELLS[0]).all()
    agebs = read_table(table_csv(agebs_table(layers.agebs.head(3), layers.fields, boroughs)))
    assert agebs["borough_name"].eq("'" + HOSTILE_CELLS[0]).all()
    assert agebs["pob_total"].tolist() == layers.agebs["pob_total"].head(3).tolist(), "numbers untouched"
