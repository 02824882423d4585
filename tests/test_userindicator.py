"""A visitor's borough indicator table shading the map (geo.userindicator, geo.mapmodel's ``shade_by``).

The table is the SYNTHETIC one of tests/your_data_fixtures.py (invented
values, not real data); the units and boroughs are the shipped ones.
"""

from __future__ import annotations

from dataclasses import replace

import folium
import pandas as pd
import pytest

from geo.importing.check import check_layer
from geo.importing.columns import guess_roles
from geo.importing.locate import load_units
from geo.importing.read import read_upload
from geo.loaders import Atlas
from geo.mapmodel import map_legend, map_model
from geo.mapview import user_areas_layer
from geo.state import ViewState
from geo.userindicator import borough_choices, choice_label, user_shading
from geo.userlayers import UserLayer, check_frame, guess_kind
from geo.vocabulary import AGEB_LEVEL
from tests.your_data_fixtures import HOSTILE, borough_indicator_csv, sites_csv

IZTAPALAPA, COYOACAN, TLALPAN = "09007", "09003", "09012"


def _layer(data: bytes, name: str, *, ident: str = "layer1", title: str = "Índice sintético") -> UserLayer:
    units = load_units()
    upload = read_upload(name, data)
    kind = guess_kind(upload)
    frame = check_frame(upload, kind)
    checked = check_layer(frame, kind, guess_roles(frame, kind), units)
    return UserLayer(ident, kind, title, "Encuesta sintética", name, checked.layer, unit="puntos")


def _view(**changes: object) -> ViewState:
    """A view of the shipped poverty rate, in English unless ``changes`` say otherwise."""
    return ViewState(**{"ind": "poverty_pct", "year": 2020, "lang": "en", **changes})


@pytest.fixture(scope="module")
def table() -> UserLayer:
    return _layer(borough_indicator_csv(), "indicador.csv")


def test_a_borough_table_offers_each_of_its_years_latest_first_and_other_layers_nothing(
    table: UserLayer,
) -> None:
    sites = _layer(sites_csv(), "sitios.csv", ident="layer2")
    assert sites.kind == "sites"
    assert borough_choices([sites, table]) == (("layer1", 2022), ("layer1", 2018))
    assert borough_choices([sites]) == ()
    assert choice_label(table, 2022, "en") == "Índice sintético, 2022"


def test_a_table_without_years_offers_no_shading(table: UserLayer) -> None:
    rows = table.rows.assign(year=pd.array([None] * len(table.rows), dtype="Int64"))
    assert borough_choices([replace(table, rows=rows)]) == ()


def test_the_shading_holds_the_users_values_of_the_year_and_no_data_elsewhere(
    table: UserLayer, atlas: Atlas
) -> None:
    codes = atlas.boroughs["cvegeo"]
    shading = user_shading(table, 2022, codes, _view(k=3))
    assert list(shading.values.index) == list(codes)
    assert shading.values[[IZTAPALAPA, COYOACAN, TLALPAN]].tolist() == [12.5, 3.25, 7.0]
    assert shading.values.isna().sum() == len(codes) - 3
    assert (shading.classes.of < 0).sum() == len(codes) - 3
    assert shading.classes.of[COYOACAN] < shading.classes.of[IZTAPALAPA]
    assert shading.year == 2022
    assert shading.unit == "puntos"
    assert shading.sources == (("Encuesta sintética (your data)", None),)
    assert shading.indicator.title("es") == "Índice sintético (sus datos)"
    assert shading.indicator.higher_is_worse is None
    earlier = user_shading(table, 2018, codes, _view())
    assert earlier.values.notna().sum() == 1
    assert earlier.values[IZTAPALAPA] == 11.0


def test_a_table_without_a_unit_says_so(table: UserLayer, atlas: Atlas) -> None:
    shading = user_shading(replace(table, unit=""), 2022, atlas.boroughs["cvegeo"], _view(lang="fr"))
    assert shading.unit == "unité non indiquée"


def test_the_map_model_shades_the_boroughs_by_the_chosen_table_and_the_legend_names_it(
    table: UserLayer, atlas: Atlas
) -> None:
    hostile = replace(table, name=HOSTILE, source=HOSTILE)
    view = _view(k=3)
    shipped = map_model(atlas, view, user_layers=[hostile])
    own = map_model(atlas, view, user_layers=[hostile], shade_by=("layer1", 2022))
    assert shipped.user_shading is None
    assert own.values[IZTAPALAPA] == 12.5
    assert own.shaded_year == 2022
    assert own.unit == "puntos"
    assert own.indicator_citation == f"{HOSTILE} (your data)"
    legend = map_legend(own)
    assert "(your data)</b>, 2022" in legend
    assert "(puntos)" in legend
    assert "No data" in legend
    assert HOSTILE not in legend
    assert "&lt;img" in legend
    assert "2022" in own.summary
    assert map_legend(shipped) != legend


def test_the_choice_is_ignored_when_its_layer_is_gone_or_the_level_is_not_boroughs(
    table: UserLayer, atlas: Atlas
) -> None:
    shipped = map_model(atlas, _view())
    gone = map_model(atlas, _view(), shade_by=("layer1", 2022))
    assert gone.user_shading is None
    assert map_legend(gone) == map_legend(shipped)
    ageb = map_model(atlas, _view(level=AGEB_LEVEL), user_layers=[table], shade_by=("layer1", 2022))
    assert ageb.user_shading is None


def test_an_indicator_tables_outlines_are_drawn_though_its_rows_have_no_context_column(
    table: UserLayer,
) -> None:
    """An indicator layer's rows carry no ``context`` (INDICATOR_COLUMNS): the map page failed drawing it."""
    shown = folium.Map()
    user_areas_layer(table, "en").add_to(shown)
    html = shown.get_root().render()
    assert all(f"{value} (2022)" in html for value in ("12.5", "3.25", "7"))
    assert "11 (2018)" not in html
