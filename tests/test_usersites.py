"""A visitor's sites counted per borough and per colonia, and their charts (geo.charts.usersites), on SYNTHETIC frames.

The rows, populations, names, sources and colonia keys below are invented for the tests, not real data.
"""

from __future__ import annotations

import json
import math

import geopandas as gpd
import pandas as pd

from geo.charts.usersites import (
    describe_user_sites_by_borough,
    describe_user_sites_by_colonia,
    user_sites_by_borough,
    user_sites_by_borough_data,
    user_sites_by_colonia,
    user_sites_by_colonia_data,
)
from geo.userlayers import UserLayer
from tests.charts_support import ESCAPED_NAME, HOSTILE_NAME, NNBSP, source_note

# SYNTHETIC: three boroughs, made-up populations for two of them, and five sites (one kept as context outside).
NAMES = {"09002": "Borough A", "09003": "Borough B", "09004": "Borough C"}
INDICATORS = pd.DataFrame(
    {
        "indicator": ["population_total", "population_total", "population_total", "poverty_pct"],
        "year": [2020, 2020, 2015, 2020],
        "cvegeo": ["09002", "09003", "09004", "09004"],
        "value": [200_000.0, 50_000.0, 10_000.0, 30.0],
        "unit": ["persons", "persons", "persons", "%"],
        "source": ["Synthetic census 2020", "Synthetic census 2020", "Synthetic count", "Synthetic survey"],
    }
)
ROWS = pd.DataFrame(
    {
        "borough": ["09002", "09002", "09003", "09002", ""],
        "colonia": ["02-001", "02-002", "03-001", "02-001", ""],
    }
)
COLONIAS = pd.DataFrame({"cveut": ["02-001", "02-002"], "name": ["Colonia uno", "Colonia dos"]})


def _layer(
    rows: pd.DataFrame = ROWS, name: str = "Sitios sintéticos", source: str = "Lista sintética"
) -> UserLayer:
    frame = gpd.GeoDataFrame(rows, geometry=[None] * len(rows), crs="EPSG:4326")
    return UserLayer("layer1", "sites", name, source, "sitios.csv", frame)


def test_borough_counts_and_rate_per_100k_people_with_every_borough_listed() -> None:
    table = user_sites_by_borough_data(ROWS, INDICATORS, names=NAMES, selected=["09002"])
    assert table["cvegeo"].tolist() == ["09003", "09002", "09004"]
    assert table["sites"].tolist() == [1, 3, 0]
    assert table["per_100k"].iloc[:2].tolist() == [2.0, 1.5]
    # Borough C has a population only for another year: no population and no rate, not 0
    assert math.isnan(table["population"].iloc[2])
    assert math.isnan(table["per_100k"].iloc[2])
    assert table["borough"].tolist() == ["Borough B", "Borough A", "Borough C"]
    assert table["population_source"].iloc[0] == "Synthetic census 2020"
    assert set(table["population_year"]) == {2020}
    assert table["selected"].tolist() == [False, True, False]


def test_context_rows_outside_the_city_are_not_counted() -> None:
    table = user_sites_by_borough_data(ROWS, INDICATORS, names=NAMES)
    assert table["sites"].sum() == 4


def test_colonia_counts_within_the_borough_most_first_named_from_the_colonia_table() -> None:
    table = user_sites_by_colonia_data(ROWS, "09002", COLONIAS, selected="02-002")
    assert table.to_dict("list") == {
        "cveut": ["02-001", "02-002"],
        "colonia": ["Colonia uno", "Colonia dos"],
        "sites": [2, 1],
        "selected": [False, True],
    }


def test_colonia_counts_keep_the_top_and_name_an_unknown_key_by_itself() -> None:
    rows = pd.DataFrame({"borough": ["09003"] * 3, "colonia": ["03-009", "03-001", "03-001"]})
    table = user_sites_by_colonia_data(rows, "09003", COLONIAS, top=1)
    assert table["colonia"].tolist() == ["03-001"]
    assert table["sites"].tolist() == [2]
    assert user_sites_by_colonia_data(rows, "09002", COLONIAS).empty


def test_the_borough_chart_draws_the_rates_marks_them_as_the_users_and_cites_both_sources() -> None:
    fig, table = user_sites_by_borough(_layer(), INDICATORS, names=NAMES, lang="en", selected=["09003"])
    [bars] = fig.data
    assert list(bars.customdata) == ["09003", "09002", "09004"]
    assert list(bars.x[:2]) == [2.0, 1.5]
    assert math.isnan(bars.x[2]), "no population: no bar, never a bar at 0"
    assert list(bars.marker.opacity) == [1.0, 0.35, 0.35]
    assert fig.layout.title.text.startswith(
        "<b>Your data: Sitios sintéticos, sites per 100,000 people by borough</b>"
    )
    assert "4 sites located in the city" in fig.layout.title.text
    assert source_note(fig) == "Source: Lista sintética (your data); population 2020: Synthetic census 2020"
    values = [note.text for note in fig.layout.annotations if note.name == "value"]
    assert values == ["2 (1 site)", "1.5 (3 sites)", "no data (0 sites)"]
    assert fig.layout.xaxis.title.text == "Your sites per 100,000 people (population 2020)"
    assert table.equals(user_sites_by_borough_data(ROWS, INDICATORS, names=NAMES, selected=["09003"]))


def test_the_borough_chart_text_alternative_counts_sites_boroughs_and_the_missing_population() -> None:
    _, table = user_sites_by_borough(_layer(), INDICATORS, names=NAMES, lang="en")
    assert describe_user_sites_by_borough(table, layer="Sitios sintéticos", lang="en") == (
        "Bar chart of your sites (Sitios sintéticos) per 100,000 people by borough: 4 sites in 2 of 3 "
        "boroughs; highest rate: Borough B, 2 per 100,000; boroughs without a population figure: 1."
    )
    none = user_sites_by_borough_data(ROWS.iloc[4:], INDICATORS, names=NAMES)
    assert "no borough has one" in describe_user_sites_by_borough(none, layer="x", lang="en")


def test_the_charts_escape_the_users_name_and_source_and_follow_the_language() -> None:
    layer = _layer(name=HOSTILE_NAME, source=HOSTILE_NAME)
    fig, _ = user_sites_by_borough(layer, INDICATORS, names=NAMES, lang="fr")
    shown = json.dumps(fig.to_plotly_json(), ensure_ascii=False)
    assert HOSTILE_NAME not in shown
    assert ESCAPED_NAME in fig.layout.title.text
    assert f"{ESCAPED_NAME} (vos données)" in source_note(fig)
    assert f"100{NNBSP}000" in fig.layout.xaxis.title.text
    assert fig.layout.separators == f",{NNBSP}"
    colonias, _ = user_sites_by_colonia(layer, "09002", COLONIAS, names=NAMES, lang="es")
    assert HOSTILE_NAME not in json.dumps(colonias.to_plotly_json(), ensure_ascii=False)
    assert "(sus datos)" in source_note(colonias)


def test_the_colonia_chart_draws_the_colonias_with_most_and_is_none_without_any() -> None:
    fig, table = user_sites_by_colonia(_layer(), "09002", COLONIAS, names=NAMES, lang="en", selected="02-001")
    [bars] = fig.data
    assert list(bars.customdata) == ["02-001", "02-002"]
    assert list(bars.y) == ["Colonia uno", "Colonia dos"]
    assert list(bars.x) == [2, 1]
    assert list(bars.marker.opacity) == [1.0, 0.35]
    assert fig.layout.title.text.startswith(
        "<b>Your data: Sitios sintéticos, sites by colonia in Borough A</b>"
    )
    assert source_note(fig) == "Source: Lista sintética (your data); colonias: IECM"
    assert describe_user_sites_by_colonia(
        table, layer="Sitios sintéticos", borough="Borough A", lang="en"
    ) == (
        "Bar chart of your sites (Sitios sintéticos) in the 2 colonias of Borough A with most: "
        "first Colonia uno (2 sites), last Colonia dos (1 site)."
    )
    assert user_sites_by_colonia(_layer(), "09004", COLONIAS, names=NAMES, lang="en") is None


def test_two_colonias_of_one_name_get_two_bars() -> None:
    twins = pd.DataFrame({"cveut": ["02-001", "02-002"], "name": ["Centro", "Centro"]})
    fig, _ = user_sites_by_colonia(_layer(), "09002", twins, names=NAMES, lang="en")
    assert list(fig.data[0].y) == ["Centro (02-001)", "Centro (02-002)"]
