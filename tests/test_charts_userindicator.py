"""A visitor's indicator table on Compare (geo.charts.userindicator), on SYNTHETIC tables.

The keys are shaped like the real ones, but the names, values, units and sources are invented, not real data.
"""

from __future__ import annotations

import json
import math

import geopandas as gpd
import pandas as pd
import pytest

from geo.charts.userindicator import describe_user_indicator, user_indicator, user_indicator_data
from geo.userindicator import compare_year, table_level, table_years
from geo.userlayers import UserLayer
from tests.charts_support import ESCAPED_NAME, HOSTILE_NAME, source_note

# SYNTHETIC: three boroughs and two colonias, with invented names.
NAMES = {"09002": "Borough A", "09003": "Borough B", "09004": "Borough C"}
COLONIAS = pd.DataFrame({"cveut": ["02-001", "03-001"], "name": ["Colonia uno", "Colonia tres"]})


def _table(
    located_by: str,
    rows: list[tuple[str, str, int | None, float]],
    *,
    name: str = "Índice sintético",
    unit: str = "puntos",
) -> UserLayer:
    """A confirmed indicator layer of (key, borough, year, value) rows, invented."""
    frame = pd.DataFrame(rows, columns=["key", "borough", "year", "value"]).assign(located_by=located_by)
    frame["year"] = frame["year"].astype("Int64")
    layer = gpd.GeoDataFrame(frame, geometry=[None] * len(frame), crs="EPSG:4326")
    return UserLayer("layer3", "indicators", name, "Encuesta sintética", "t.csv", layer, unit=unit)


BOROUGHS = _table(
    "borough",
    [("09002", "09002", 2022, 3.25), ("09003", "09003", 2022, 12.5), ("09002", "09002", 2018, 11.0)],
)


def test_the_years_and_level_of_a_table_and_the_year_compare_shows() -> None:
    assert table_level(BOROUGHS) == "boroughs"
    assert table_years(BOROUGHS) == (2022, 2018)
    assert compare_year(BOROUGHS, None) == 2022
    assert compare_year(BOROUGHS, ("layer3", 2018)) == 2018, "the year shading the map"
    assert compare_year(BOROUGHS, ("layer9", 2018)) == 2022, "another table shades the map"
    undated = _table("colonia", [("02-001", "09002", None, 1.0)])
    assert table_level(undated) == "colonias"
    assert table_years(undated) == (None,)
    assert compare_year(undated, None) is None


def test_a_borough_table_ranks_its_values_of_the_year_and_leaves_out_the_boroughs_it_lacks() -> None:
    table = user_indicator_data(BOROUGHS, 2022, names=NAMES, colonias=COLONIAS, lang="en", selected=["09002"])
    assert table["name"].tolist() == ["Borough B", "Borough A"]
    assert table["value"].tolist() == [12.5, 3.25]
    assert table["rank"].tolist() == [1, 2]
    assert set(table["unit"]) == {"puntos"}
    assert set(table["source"]) == {"Encuesta sintética (your data)"}
    assert table["selected"].tolist() == [False, True]
    assert table["year"].tolist() == [2022, 2022]


def test_the_borough_chart_is_marked_as_the_users_with_their_unit_year_and_source() -> None:
    fig, table = user_indicator(BOROUGHS, 2022, names=NAMES, lang="en")
    [bars] = fig.data
    assert list(bars.customdata) == ["09003", "09002"]
    assert list(bars.x) == [12.5, 3.25]
    assert fig.layout.title.text.startswith("<b>Your data: Índice sintético, 2022</b>")
    assert "Your values for 2 of 3 boroughs" in fig.layout.title.text
    assert fig.layout.xaxis.title.text == "Índice sintético (puntos)"
    assert source_note(fig) == "Source: Encuesta sintética (your data)"
    assert [note.text for note in fig.layout.annotations if note.name == "value"] == ["12.5", "3.25"]
    assert describe_user_indicator(table, layer=BOROUGHS, n=3, lang="en") == (
        "Your values of Índice sintético (2022, puntos): highest Borough B (12.5), lowest Borough A (3.25); "
        "2 of 3 boroughs have a value."
    )


def test_the_chart_escapes_the_users_words_and_says_when_unit_or_year_is_not_given() -> None:
    hostile = _table("borough", [("09004", "09004", None, 2.0)], name=HOSTILE_NAME, unit="")
    fig, table = user_indicator(hostile, None, names=NAMES, lang="es")
    assert HOSTILE_NAME not in json.dumps(fig.to_plotly_json(), ensure_ascii=False)
    assert fig.layout.title.text.startswith(f"<b>Tus datos: {ESCAPED_NAME}, año no indicado</b>")
    assert fig.layout.xaxis.title.text == f"{ESCAPED_NAME} (unidad no indicada)"
    assert table["year"].isna().all()
    assert "(año no indicado, unidad no indicada)" in describe_user_indicator(
        table, layer=hostile, n=3, lang="es"
    )


def test_an_area_table_names_its_colonias_and_agebs() -> None:
    colonias = _table("colonia", [("02-001", "09002", 2021, 1.5), ("03-001", "09003", 2021, 4.0)])
    table = user_indicator_data(colonias, 2021, names=NAMES, colonias=COLONIAS, lang="en")
    assert table[["name", "key", "borough"]].values.tolist() == [
        ["Colonia tres", "03-001", "Borough B"],
        ["Colonia uno", "02-001", "Borough A"],
    ]
    assert "2 of 1,815 colonias have a value" in describe_user_indicator(
        table, layer=colonias, n=1815, lang="en"
    )
    agebs = _table("ageb", [("0900200010010", "09002", 2021, math.pi)])
    table = user_indicator_data(agebs, 2021, names=NAMES, lang="en")
    assert table["name"].tolist() == ["AGEB 0900200010010"]
    assert "1 of 2,400 AGEBs" in describe_user_indicator(table, layer=agebs, n=2400, lang="en")
    with pytest.raises(ValueError, match="not keyed by borough"):
        user_indicator(agebs, 2021, names=NAMES, lang="en")
    unnamed = user_indicator_data(colonias, 2021, names=NAMES, lang="en")
    assert unnamed["name"].tolist() == ["03-001", "02-001"], "no colonia table: named by key"
