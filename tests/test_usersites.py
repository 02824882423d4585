"""A visitor's sites counted per borough and per colonia (geo.charts.usersites), on SYNTHETIC frames.

The rows, populations, names and colonia keys below are invented for the tests, not real data.
"""

from __future__ import annotations

import math

import pandas as pd

from geo.charts.usersites import user_sites_by_borough_data, user_sites_by_colonia_data

# SYNTHETIC: three boroughs, their made-up populations, and five sites (one kept as context outside the city).
NAMES = {"09002": "Borough A", "09003": "Borough B", "09004": "Borough C"}
POPULATION = pd.Series({"09002": 200_000.0, "09003": 50_000.0})
ROWS = pd.DataFrame(
    {
        "borough": ["09002", "09002", "09003", "09002", ""],
        "colonia": ["02-001", "02-002", "03-001", "02-001", ""],
    }
)
COLONIAS = pd.DataFrame({"cveut": ["02-001", "02-002"], "name": ["Colonia uno", "Colonia dos"]})


def test_borough_counts_and_rate_per_100k_people_with_every_borough_listed() -> None:
    table = user_sites_by_borough_data(ROWS, POPULATION, names=NAMES)
    assert table["cvegeo"].tolist() == ["09003", "09002", "09004"]
    assert table["sites"].tolist() == [1, 3, 0]
    assert table["per_100k"].iloc[:2].tolist() == [2.0, 1.5]
    assert math.isnan(table["per_100k"].iloc[2])  # no population for Borough C: no rate, not 0
    assert table["borough"].tolist() == ["Borough B", "Borough A", "Borough C"]


def test_context_rows_outside_the_city_are_not_counted() -> None:
    table = user_sites_by_borough_data(ROWS, POPULATION, names=NAMES)
    assert table["sites"].sum() == 4


def test_colonia_counts_within_the_borough_most_first_named_from_the_colonia_table() -> None:
    table = user_sites_by_colonia_data(ROWS, "09002", COLONIAS)
    assert table.to_dict("list") == {
        "cveut": ["02-001", "02-002"],
        "colonia": ["Colonia uno", "Colonia dos"],
        "sites": [2, 1],
    }


def test_colonia_counts_keep_the_top_and_name_an_unknown_key_by_itself() -> None:
    rows = pd.DataFrame({"borough": ["09003"] * 3, "colonia": ["03-009", "03-001", "03-001"]})
    table = user_sites_by_colonia_data(rows, "09003", COLONIAS, top=1)
    assert table["colonia"].tolist() == ["03-001"]
    assert table["sites"].tolist() == [2]
    assert user_sites_by_colonia_data(rows, "09002", COLONIAS).empty
