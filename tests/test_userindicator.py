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
from geo.loaders import Atlas, NeighbourhoodLayers, load_neighbourhoods
from geo.mapmodel import map_legend, map_model
from geo.mapview import map_layers, user_areas_layer
from geo.state import ViewState
from geo.userindicator import choice_label, shading_choices, user_area_shading, user_shading
from geo.userlayers import UserLayer, check_frame, guess_kind
from geo.vocabulary import AGEB_LEVEL, BOROUGH_LEVEL, COLONIA_LEVEL
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
    assert shading_choices([sites, table], BOROUGH_LEVEL) == (("layer1", 2022), ("layer1", 2018))
    assert shading_choices([sites, table], AGEB_LEVEL) == ()
    assert shading_choices([sites], BOROUGH_LEVEL) == ()
    assert choice_label(table, 2022, "en") == "Índice sintético, 2022"


def test_a_table_without_years_offers_no_shading(table: UserLayer) -> None:
    rows = table.rows.assign(year=pd.array([None] * len(table.rows), dtype="Int64"))
    assert shading_choices([replace(table, rows=rows)], BOROUGH_LEVEL) == ()


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
    names = [layer.layer_name for layer in map_layers(own)]
    assert "&lt;img src=x onerror=alert(1)&gt; (your data) (2022)" in names
    assert not [name for name in names if HOSTILE in name]
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


@pytest.fixture(scope="module")
def neighbourhoods() -> NeighbourhoodLayers:
    return load_neighbourhoods()


def _area_table(keys: list[str], column: str, ident: str) -> UserLayer:
    """A SYNTHETIC indicator table of invented values 1, 2, 3… for ``keys`` in 2021."""
    frame = pd.DataFrame(
        {column: keys, "año": ["2021"] * len(keys), "valor": [str(n) for n in range(1, len(keys) + 1)]},
        dtype=object,
    )
    checked = check_layer(frame, "indicators", guess_roles(frame, "indicators"), load_units())
    return UserLayer(ident, "indicators", "Tasa sintética", "Estudio sintético", "t.csv", checked.layer)


@pytest.mark.parametrize(
    ("level", "column", "located"), [(AGEB_LEVEL, "cvegeo", "ageb"), (COLONIA_LEVEL, "cveut", "colonia")]
)
def test_a_table_by_ageb_or_colonia_shades_the_areas_of_its_level(
    neighbourhoods: NeighbourhoodLayers, atlas: Atlas, level: str, column: str, located: str
) -> None:
    areas = (
        neighbourhoods.agebs[neighbourhoods.agebs["on_map"]]
        if level == AGEB_LEVEL
        else neighbourhoods.colonias
    )
    keys = list(areas[column].iloc[:4])
    table = _area_table(keys, column, "layer9")
    assert set(table.rows["located_by"]) == {located}
    assert shading_choices([table], level) == (("layer9", 2021),)
    assert shading_choices([table], BOROUGH_LEVEL) == ()
    view = _view(level=level, k=2)
    shading = user_area_shading(neighbourhoods, table, 2021, view)
    assert shading.values[keys].tolist() == [1.0, 2.0, 3.0, 4.0]
    assert shading.values.isna().sum() == shading.count - 4
    assert (shading.classes.of < 0).sum() == shading.count - 4
    assert shading.indicator.title("en") == "Tasa sintética (your data)"
    assert shading.unit == "unit not given"
    assert shading.citation == "Estudio sintético (your data)"
    model = map_model(atlas, view, user_layers=[table], shade_by=("layer9", 2021))
    assert model.areas is not None
    assert model.areas.values[keys[0]] == 1.0
    legend = map_legend(model)
    assert "Tasa sintética (your data)</b>, 2021" in legend
    assert "No data" in legend
    assert "Tasa sintética" in model.summary
    hostile = map_model(atlas, view, user_layers=[replace(table, name=HOSTILE)], shade_by=("layer9", 2021))
    assert not [layer for layer in map_layers(hostile) if HOSTILE in layer.layer_name]
