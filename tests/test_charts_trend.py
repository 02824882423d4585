"""Change over time: one line per borough across the years every borough has a value."""

from __future__ import annotations

import pytest

from geo.charts.trend import change_over_time, describe_change_over_time
from geo.loaders import Atlas, load_atlas
from tests.charts_support import MILPA_ALTA, source_note


@pytest.fixture(scope="module")
def atlas() -> Atlas:
    return load_atlas()


def test_change_over_time_has_a_line_per_borough(atlas: Atlas) -> None:
    fig, table = change_over_time(atlas.indicators, "poverty_pct", names=atlas.borough_names, lang="en")
    assert len(fig.data) == 16
    assert all(list(trace.x) == [2010, 2015, 2020] for trace in fig.data)
    assert sorted(trace.customdata[0] for trace in fig.data) == sorted(atlas.borough_names)
    assert len(table) == 48
    milpa = next(trace for trace in fig.data if trace.customdata[0] == MILPA_ALTA)
    assert list(milpa.y) == table.loc[table["cvegeo"] == MILPA_ALTA, "value"].tolist()
    assert source_note(fig) == (
        "Source: CONEVAL Medición de la pobreza municipal (2010, 2015); "
        "CONEVAL Medición de la pobreza municipal 2020"
    )


def test_change_over_time_uses_only_years_known_for_every_borough(atlas: Atlas) -> None:
    fig, table = change_over_time(
        atlas.indicators, "density", names=atlas.borough_names, lang="en"
    )  # 2015: one borough only
    assert sorted(table["year"].unique()) == [2010, 2020]
    assert all(len(trace.x) == 2 for trace in fig.data)


def test_change_over_time_none_with_fewer_than_two_years(atlas: Atlas) -> None:
    assert (
        change_over_time(atlas.indicators, "marginalisation_index", names=atlas.borough_names, lang="en")
        is None
    )
    assert (
        change_over_time(atlas.indicators, "population_25_29", names=atlas.borough_names, lang="en") is None
    )
    assert (
        change_over_time(atlas.indicators, "marginalisation_grade", names=atlas.borough_names, lang="en")
        is None
    )


def test_change_over_time_in_french_and_spanish(atlas: Atlas) -> None:
    change, _ = change_over_time(atlas.indicators, "poverty_pct", names=atlas.borough_names, lang="fr")
    assert change.layout.xaxis.title.text == "Année"
    spanish, _ = change_over_time(atlas.indicators, "poverty_pct", names=atlas.borough_names, lang="es")
    assert spanish.layout.xaxis.title.text == "Año"


def test_describe_change_over_time(atlas: Atlas) -> None:
    expected = {
        "en": "Line chart of Population in poverty in the 16 boroughs, 2010–2020: 13 rose and 3 fell or "
        "stayed the same. Largest rise: Xochimilco (36.1% → 48.2%). Largest fall: Iztacalco (25.9% → 25.2%).",
        "es": "Gráfica de líneas de “Población en pobreza” en las 16 alcaldías, 2010–2020: 13 con aumento y 3 "
        "con descenso o sin cambio. Mayor aumento: Xochimilco (36.1 % → 48.2 %). Mayor descenso: Iztacalco "
        "(25.9 % → 25.2 %).",
        "fr": "Graphique en courbes « Population en situation de pauvreté » dans les 16 arrondissements, "
        "2010–2020 : 13 en hausse, 3 en baisse ou stables. Plus forte hausse : Xochimilco (36,1 % → 48,2 %). "
        "Plus forte baisse : Iztacalco (25,9 % → 25,2 %).",
    }
    for lang, text in expected.items():
        _, table = change_over_time(atlas.indicators, "poverty_pct", names=atlas.borough_names, lang=lang)
        assert describe_change_over_time(table, lang=lang) == text
    # The sentence reads the same table the chart draws.
    _, table = change_over_time(atlas.indicators, "poverty_pct", names=atlas.borough_names, lang="en")
    xochimilco = table[table["borough"] == "Xochimilco"].sort_values("year")["value"]
    assert (round(xochimilco.iloc[0], 1), round(xochimilco.iloc[-1], 1)) == (36.1, 48.2)
