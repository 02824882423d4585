"""Units: one table and one set of names, read by the map legend and the charts alike."""

from __future__ import annotations

import pytest

from geo.charts.display import display_table
from geo.charts.ranking import ranking
from geo.classify import classify
from geo.i18n import LANGUAGES
from geo.indicators import REGISTRY, rows_for
from geo.legend import legend_html
from geo.loaders import Atlas, load_atlas
from geo.units import unit_label


@pytest.fixture(scope="module")
def atlas() -> Atlas:
    return load_atlas()


def test_every_unit_of_the_data_has_a_name_in_every_language(atlas: Atlas) -> None:
    for unit in atlas.indicators["unit"].dropna().unique():
        assert unit_label(unit, "en") == unit
        for lang in ("es", "fr"):
            assert unit_label(unit, lang) != unit, (unit, lang)


def test_a_unit_the_table_does_not_know_is_shown_as_written() -> None:
    assert [unit_label("hogares", lang) for lang in LANGUAGES] == ["hogares"] * 3


@pytest.mark.parametrize("lang", LANGUAGES)
def test_legend_and_charts_name_a_unit_alike(atlas: Atlas, lang: str) -> None:
    rows = rows_for(atlas.indicators, "median_age", 2015)
    unit = rows["unit"].iloc[0]
    values = rows.set_index("cvegeo")["value"]
    legend = legend_html(
        classify(values, "quantiles", 4), REGISTRY["median_age"], 2015, unit, [], scheme_label="", lang=lang
    )
    figure, table = ranking(atlas.indicators, "median_age", 2015, names=atlas.borough_names, lang=lang)
    name = unit_label(unit, lang)
    assert f"({name})" in legend
    assert figure.layout.xaxis.title.text.endswith(f"({name})")
    shown = display_table(table, lang)
    assert set(shown.iloc[:, list(table.columns).index("unit")]) == {name}


def test_the_category_unit_is_translated_in_chart_tables(atlas: Atlas) -> None:
    rows = rows_for(atlas.indicators, "marginalisation_grade", 2020).assign(indicator="marginalisation_grade")
    shown = display_table(rows[["cvegeo", "indicator", "unit"]], "fr")
    assert set(shown.iloc[:, 2]) == {"catégorie (degré de marginalisation CONAPO)"}
