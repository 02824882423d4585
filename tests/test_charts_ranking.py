"""The borough ranking and the city value it is read against."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import pytest

from geo.charts.ranking import city_value, describe_ranking, ranking
from geo.formatting import format_value
from geo.loaders import Atlas, load_atlas
from geo.vocabulary import CITY_CODE
from tests.charts_support import IZTAPALAPA, MILPA_ALTA, NNBSP, source_note


@pytest.fixture(scope="module")
def atlas() -> Atlas:
    return load_atlas()


def test_ranking_has_one_bar_per_borough_highest_first(atlas: Atlas) -> None:
    fig, table = ranking(atlas.indicators, "poverty_pct", 2020, names=atlas.borough_names, lang="en")
    assert len(fig.data) == 1
    bars = fig.data[0]
    assert len(bars.x) == 16
    boroughs = table[table["cvegeo"] != CITY_CODE]
    assert list(bars.y) == boroughs["borough"].tolist()
    assert list(bars.x) == boroughs["value"].tolist()
    assert boroughs["value"].is_monotonic_decreasing
    assert (bars.y[0], bars.x[0]) == ("Milpa Alta", 54.69)
    assert (bars.y[-1], bars.x[-1]) == ("Benito Juárez", 7.88)
    assert boroughs["rank"].tolist() == list(range(1, 17))
    assert fig.layout.yaxis.autorange == "reversed"  # first row drawn on top


def value_labels(fig: go.Figure) -> dict[str, go.layout.Annotation]:
    """Each borough's value label, by the bar's y-axis label."""
    return {note.y: note for note in fig.layout.annotations if note.name == "value"}


@pytest.mark.parametrize("lang", ["es", "en", "fr"])
def test_ranking_values_stand_in_a_column_the_city_line_never_crosses(atlas: Atlas, lang: str) -> None:
    """Value labels at the bars' ends ran under the dashed city line (Cuajimalpa's 32.5% under the
    line at 33.8%): they stand in a column right of the plot, where the line and its label never are."""
    fig, table = ranking(atlas.indicators, "poverty_pct", 2020, names=atlas.borough_names, lang=lang)
    bars = fig.data[0]
    assert not bars.text, "no label at a bar's end"
    labels = value_labels(fig)
    assert list(labels) == list(bars.y)
    boroughs = table[table["cvegeo"] != CITY_CODE]
    assert [note.text for note in labels.values()] == [
        format_value(value, "percent", lang) for value in boroughs["value"]
    ]
    for note in labels.values():
        assert (note.xref, note.x, note.xanchor, note.yref) == ("paper", 1, "left", "y")
    widest = max(len(note.text) for note in labels.values())
    assert fig.layout.margin.r >= 8 * widest, "the column has room right of the plot"
    (line,) = fig.layout.shapes
    assert (line.xref, line.yref, line.y0, line.y1) == ("x", "y domain", 0, 1), "inside the plot only"
    (city,) = [note for note in fig.layout.annotations if note.xref == "x"]
    assert (city.yref, city.y, city.yanchor) == ("y domain", 1, "bottom"), "the line's label above the bars"


def test_ranking_customdata_carries_the_borough_code(atlas: Atlas) -> None:
    fig, table = ranking(atlas.indicators, "poverty_pct", 2020, names=atlas.borough_names, lang="en")
    codes = list(fig.data[0].customdata)
    assert codes[0] == MILPA_ALTA
    assert codes == table.loc[table["cvegeo"] != CITY_CODE, "cvegeo"].tolist()
    assert sorted(codes) == sorted(atlas.borough_names)


def test_ranking_city_line_is_the_population_weighted_mean(atlas: Atlas) -> None:
    fig, table = ranking(atlas.indicators, "poverty_pct", 2020, names=atlas.borough_names, lang="en")
    (line,) = fig.layout.shapes
    assert line.x0 == line.x1 == pytest.approx(33.8213, abs=1e-4)
    city = table[table["cvegeo"] == CITY_CODE].iloc[0]
    assert city["value"] == line.x0
    assert city["borough"] == "Mexico City (all boroughs)"
    assert pd.isna(city["rank"])
    assert "population-weighted mean" in city["source"]
    assert any(note.text == "City: 33.8%" for note in fig.layout.annotations)


def test_ranking_city_population_is_the_sum(atlas: Atlas) -> None:
    fig, _ = ranking(atlas.indicators, "population_total", 2020, names=atlas.borough_names, lang="en")
    assert fig.layout.shapes[0].x0 == 9_209_944
    assert (
        city_value(atlas.indicators, "population_total", 2020, names=atlas.borough_names, lang="en").method
        == "sum of the 16 boroughs"
    )


def test_city_value_is_over_the_loaded_boroughs(atlas: Atlas) -> None:
    """The city is the boroughs the boundaries name, not a fixed list of 16 codes."""
    three = dict(list(atlas.borough_names.items())[:3])  # synthetic: boundaries of three boroughs
    rows = atlas.indicators
    population = rows[(rows["indicator"] == "population_total") & (rows["year"] == 2020)]
    city = city_value(atlas.indicators, "population_total", 2020, names=three, lang="en")
    assert city.value == population.loc[population["cvegeo"].isin(three), "value"].sum()
    assert city.method == "sum of the 3 boroughs"
    fig, table = ranking(atlas.indicators, "population_total", 2020, names=three, lang="en")
    assert sorted(fig.data[0].customdata) == sorted(three)
    assert fig.layout.shapes[0].x0 == city.value
    assert table.loc[table["cvegeo"] == CITY_CODE, "value"].item() == city.value


def test_ranking_city_density_is_total_population_over_total_area(atlas: Atlas) -> None:
    value = city_value(atlas.indicators, "density", 2020, names=atlas.borough_names, lang="en").value
    assert value == pytest.approx(6163.38, abs=0.01)
    assert value == pytest.approx(9_209_944 / 1494.30)  # total area of the 16 boroughs, km²


def test_ranking_city_value_not_computed_without_that_years_population(atlas: Atlas) -> None:
    fig, table = ranking(
        atlas.indicators, "poverty_pct", 2015, names=atlas.borough_names, lang="en"
    )  # population_total 2015: one borough
    assert len(fig.data[0].x) == 16
    assert fig.layout.shapes == ()
    city = table[table["cvegeo"] == CITY_CODE].iloc[0]
    assert pd.isna(city["value"])
    assert city["source"] == "not computed: the 2015 population is not known for every borough"
    assert "not computed" in fig.layout.title.text


def test_ranking_city_value_not_computed_for_an_index(atlas: Atlas) -> None:
    assert (
        city_value(
            atlas.indicators, "marginalisation_index", 2020, names=atlas.borough_names, lang="en"
        ).value
        is None
    )
    assert (
        city_value(atlas.indicators, "median_age", 2015, names=atlas.borough_names, lang="en").value is None
    )


def test_ranking_highlights_selected_boroughs(atlas: Atlas) -> None:
    fig, table = ranking(
        atlas.indicators,
        "poverty_pct",
        2020,
        names=atlas.borough_names,
        lang="en",
        selected=(IZTAPALAPA, MILPA_ALTA),
    )
    bars = fig.data[0]
    full = [code for code, opacity in zip(bars.customdata, bars.marker.opacity, strict=True) if opacity == 1]
    assert full == [MILPA_ALTA, IZTAPALAPA]
    assert table.loc[table["selected"], "cvegeo"].tolist() == [MILPA_ALTA, IZTAPALAPA]
    plain, _ = ranking(atlas.indicators, "poverty_pct", 2020, names=atlas.borough_names, lang="en")
    assert set(plain.data[0].marker.opacity) == {1.0}


def test_ranking_source_note(atlas: Atlas) -> None:
    poverty, _ = ranking(atlas.indicators, "poverty_pct", 2010, names=atlas.borough_names, lang="en")
    assert source_note(poverty) == "Source: CONEVAL Medición de la pobreza municipal (2010)"
    density, _ = ranking(atlas.indicators, "density", 2020, names=atlas.borough_names, lang="en")
    assert source_note(density) == (
        "Source: Atlas calculation from INEGI Censo de Población y Vivienda 2020 and "
        "INEGI Marco Geoestadístico (areas)"
    )


def test_ranking_rejects_a_category_and_a_missing_year(atlas: Atlas) -> None:
    with pytest.raises(ValueError, match="category"):
        ranking(atlas.indicators, "marginalisation_grade", 2020, names=atlas.borough_names, lang="en")
    with pytest.raises(ValueError, match="no values"):
        ranking(atlas.indicators, "poverty_pct", 1990, names=atlas.borough_names, lang="en")


def test_ranking_in_french(atlas: Atlas) -> None:
    ranked, _ = ranking(atlas.indicators, "poverty_pct", 2020, names=atlas.borough_names, lang="fr")
    assert ranked.layout.title.text.startswith("<b>Population en situation de pauvreté, 2020</b>")
    assert "Ligne pointillée : valeur de la ville, moyenne des 16 arrondissements" in ranked.layout.title.text
    assert ranked.layout.xaxis.title.text == "Population en situation de pauvreté (% de la population)"
    assert ranked.layout.yaxis.title.text == "Arrondissement (alcaldía)"
    assert value_labels(ranked)["Milpa Alta"].text == "54,7 %"
    assert "rang 1 sur 16" in ranked.data[0].hovertext[0]
    assert any(note.text == "Ville : 33,8 %" for note in ranked.layout.annotations)
    assert source_note(ranked) == "Source : CONEVAL Medición de la pobreza municipal 2020"


def test_ranking_in_spanish(atlas: Atlas) -> None:
    ranked, _ = ranking(atlas.indicators, "poverty_pct", 2020, names=atlas.borough_names, lang="es")
    assert ranked.layout.title.text.startswith("<b>Población en pobreza, 2020</b>")
    assert ranked.layout.xaxis.title.text == "Población en pobreza (% de la población)"
    assert ranked.layout.yaxis.title.text == "Alcaldía"
    assert value_labels(ranked)["Milpa Alta"].text == "54.7 %"
    assert "lugar 1 de 16" in ranked.data[0].hovertext[0]
    assert any(note.text == "Ciudad: 33.8 %" for note in ranked.layout.annotations)
    assert source_note(ranked) == "Fuente: CONEVAL Medición de la pobreza municipal 2020"
    density = ranking(atlas.indicators, "density", 2020, names=atlas.borough_names, lang="es")[0]
    assert source_note(density).replace("<br>", "") == (
        "Fuente: cálculo del Atlas a partir de INEGI Censo de Población y Vivienda 2020 y "
        "INEGI Marco Geoestadístico (superficies)"
    )


def test_city_value_method_in_each_language(atlas: Atlas) -> None:
    assert (
        city_value(atlas.indicators, "population_total", 2020, names=atlas.borough_names, lang="es").method
        == "suma de las 16 alcaldías"
    )
    assert city_value(
        atlas.indicators, "population_total", 2020, names=atlas.borough_names, lang="fr"
    ).method == ("somme des 16 arrondissements")
    missing = city_value(atlas.indicators, "poverty_pct", 2015, names=atlas.borough_names, lang="fr")
    assert missing.value is None
    assert (
        missing.method == "non calculée : la population 2015 n’est pas connue pour tous les arrondissements"
    )
    fig, table = ranking(atlas.indicators, "poverty_pct", 2015, names=atlas.borough_names, lang="fr")
    assert "Valeur de la ville non calculée : la population 2015" in fig.layout.title.text
    city = table[table["cvegeo"] == CITY_CODE].iloc[0]
    assert city["borough"] == "Ville de Mexico (tous les arrondissements)"


def test_describe_ranking(atlas: Atlas) -> None:
    expected = {
        "en": "Bar chart of Population in poverty (2020) by borough: highest Milpa Alta 54.7%, "
        "lowest Benito Juárez 7.9%; city 33.8%.",
        "es": "Gráfica de barras de “Población en pobreza” (2020) por alcaldía: valor más alto, Milpa Alta "
        "(54.7 %); más bajo, Benito Juárez (7.9 %); ciudad: 33.8 %.",
        "fr": "Diagramme en barres « Population en situation de pauvreté » (2020) par arrondissement : "
        "valeur la plus élevée, Milpa Alta (54,7 %) ; la plus basse, Benito Juárez (7,9 %) ; ville : 33,8 %.",
    }
    for lang, text in expected.items():
        _, table = ranking(atlas.indicators, "poverty_pct", 2020, names=atlas.borough_names, lang=lang)
        assert describe_ranking(table, lang=lang) == text
    _, table = ranking(atlas.indicators, "poverty_pct", 2015, names=atlas.borough_names, lang="en")
    assert describe_ranking(table, lang="en").endswith("; no city value (not computed).")
    _, table = ranking(atlas.indicators, "population_total", 2020, names=atlas.borough_names, lang="fr")
    assert describe_ranking(table, lang="fr").endswith(f"ville : 9{NNBSP}209{NNBSP}944.")
