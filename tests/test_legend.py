"""The choropleth legend: class labels per number format, the "No data" row, sources, escaping."""

from __future__ import annotations

import pandas as pd
import pytest

from geo import i18n, markup
from geo.classify import NO_DATA_COLOUR, Classes, classify
from geo.i18n import LANGUAGES
from geo.indicators import REGISTRY, Indicator
from geo.legend import class_labels, legend_html, map_summary

pytestmark = pytest.mark.filterwarnings("ignore:Numba not installed:UserWarning")

HOSTILE_NAME = "<img src=x onerror=alert(1)>"
POVERTY = REGISTRY["poverty_pct"]
MARGINALISATION = REGISTRY["marginalisation_index"]
POPULATION = REGISTRY["population_total"]
# Synthetic: an indicator whose label is a hostile string (named in the catalogue by the fixture below).
HOSTILE_INDICATOR = Indicator("hostile", "percent", True)


@pytest.fixture(autouse=True)
def hostile_label(monkeypatch: pytest.MonkeyPatch) -> None:
    """Give the synthetic indicator a hostile name in every language, for this module's tests only."""
    label = dict.fromkeys(LANGUAGES, HOSTILE_NAME)
    monkeypatch.setitem(i18n.catalogue(), f"indicators.{HOSTILE_INDICATOR.id}.label", label)


@pytest.fixture
def one_to_ten() -> Classes:
    """Synthetic values 1..10: quantile breaks 2.8, 4.6, 6.4, 8.2, 10, two values per class."""
    return classify(pd.Series([1.0, 2, 3, 4, 5, 6, 7, 8, 9, 10]), "quantiles", 5)


@pytest.fixture
def with_gaps() -> Classes:
    """Synthetic: the same ten values plus two missing ones."""
    return classify(pd.Series([1.0, 2, 3, 4, 5, 6, 7, 8, 9, 10, None, None]), "quantiles", 5)


def render(classes: Classes, indicator: Indicator = POVERTY, sources=(), **kwargs: object) -> str:
    return legend_html(
        classes, indicator, 2020, "% of population", list(sources), scheme_label="Quantiles", **kwargs
    )


# --- class labels --------------------------------------------------------------------------------


def test_class_labels_percent(one_to_ten: Classes) -> None:
    assert class_labels(one_to_ten, "percent") == [
        "1.0% – 2.8%",
        "2.8% – 4.6%",
        "4.6% – 6.4%",
        "6.4% – 8.2%",
        "8.2% – 10.0%",
    ]


def test_class_labels_percent_in_spanish(one_to_ten: Classes) -> None:
    assert class_labels(one_to_ten, "percent", "es")[0] == "1.0 % – 2.8 %"


def test_class_labels_index(one_to_ten: Classes) -> None:
    assert class_labels(one_to_ten, "index")[-1] == "8.200 – 10.000"


def test_class_labels_count_with_thousands() -> None:
    classes = classify(pd.Series([1_000.0, 250_000, 1_835_486]), "quantiles", 3)
    assert class_labels(classes, "count") == ["1,000 – 167,000", "167,000 – 778,495", "778,495 – 1,835,486"]


def test_class_labels_single_class() -> None:
    classes = classify(pd.Series([5.0, 5.0, 5.0]), "quantiles", 5)
    assert class_labels(classes, "percent") == ["5.0% – 5.0%"]


def test_class_labels_no_classes_when_every_value_is_missing() -> None:
    classes = classify(pd.Series([None, None], dtype=float))
    assert class_labels(classes, "percent") == []


# --- legend block --------------------------------------------------------------------------------


def test_legend_rows_with_counts(one_to_ten: Classes) -> None:
    html = render(one_to_ten)
    assert html.count("<li>") == 5
    assert (
        f"<span class='swatch' style='background:{one_to_ten.colours[0]}'></span>1.0% – 2.8% <span class='n'>(2)</span>"
        in html
    )
    assert "No data" not in html


def test_legend_title_unit_and_scheme(one_to_ten: Classes) -> None:
    html = render(one_to_ten)
    assert "<b>Population in poverty</b>, 2020 <span class='unit'>(% of population)</span>" in html
    assert "Quantiles; number of boroughs in brackets. Darker = more need." in html


def test_legend_title_in_french(one_to_ten: Classes) -> None:
    assert "<b>Population en situation de pauvreté</b>, 2020" in render(one_to_ten, lang="fr")


def test_legend_no_data_row_counts_missing_values(with_gaps: Classes) -> None:
    html = render(with_gaps)
    assert html.count("<li>") == 6
    assert html.endswith("</div>")
    assert (
        f"<span class='swatch' style='background:{NO_DATA_COLOUR}'></span>No data <span class='n'>(2)</span></li></ul>"
        in html
    )


def test_legend_when_every_value_is_missing() -> None:
    classes = classify(pd.Series([None, None, None], dtype=float))
    html = render(classes)
    assert html.count("<li>") == 1
    assert "No data <span class='n'>(3)</span>" in html


@pytest.mark.parametrize(
    ("indicator", "direction"),
    [
        (POVERTY, "Darker = more need."),
        (MARGINALISATION, "Darker = more need (lower values)."),
        (POPULATION, ""),
    ],
    ids=["higher-is-worse", "lower-is-worse", "no-direction"],
)
def test_legend_direction_note(one_to_ten: Classes, indicator: Indicator, direction: str) -> None:
    assert f"number of boroughs in brackets. {direction}</div>" in render(one_to_ten, indicator)


def test_legend_sources_link_only_urls(one_to_ten: Classes) -> None:
    html = render(
        one_to_ten,
        sources=[
            ("CONEVAL Medición de la pobreza 2020", "https://www.coneval.org.mx/Medicion/"),
            ("INEGI Censo 2020 (secondary)", None),
            ("Not a link", "javascript:alert(1)"),
        ],
    )
    assert html.endswith(
        "<div class='source'>Source: "
        '<a href="https://www.coneval.org.mx/Medicion/" target="_blank" rel="noopener noreferrer">'
        "CONEVAL Medición de la pobreza 2020</a>; INEGI Censo 2020 (secondary); Not a link</div></div>"
    )
    assert html.count("<a ") == 1
    assert "javascript:" not in html


def test_legend_escapes_hostile_indicator_unit_and_sources(one_to_ten: Classes) -> None:
    html = legend_html(
        one_to_ten,
        HOSTILE_INDICATOR,
        2020,
        "</div><script>alert(1)</script>",
        [(HOSTILE_NAME, None), (HOSTILE_NAME, "https://example.org/?q=<x>")],
        scheme_label="<b>scheme</b>",
    )
    assert "<img" not in html
    assert "<script" not in html
    assert "<b>scheme</b>" not in html
    assert "<b>&lt;img src=x onerror=alert(1)&gt;</b>, 2020" in html
    assert "(&lt;/div&gt;&lt;script&gt;alert(1)&lt;/script&gt;)" in html
    assert (
        "Source: &lt;img src=x onerror=alert(1)&gt;; "
        '<a href="https://example.org/?q=&lt;x&gt;" target="_blank" rel="noopener noreferrer">'
        "&lt;img src=x onerror=alert(1)&gt;</a>"
    ) in html


# --- the legend in Spanish and French ------------------------------------------------------------


def test_legend_in_french_has_french_words_and_numbers(with_gaps: Classes) -> None:
    html = render(with_gaps, lang="fr", sources=[("CONEVAL 2020", None)])
    assert (
        "<b>Population en situation de pauvreté</b>, 2020 <span class='unit'>(% de la population)</span>"
        in html
    )
    assert "1,0 % – 2,8 % <span class='n'>(2)</span>" in html
    assert "8,2 % – 10,0 %" in html
    assert "Pas de donnée <span class='n'>(2)</span>" in html
    assert (
        "Quantiles ; nombre d’arrondissements entre parenthèses. Plus foncé = plus de besoins.</div>" in html
    )
    assert "<div class='source'>Source : CONEVAL 2020</div>" in html
    for english in ("No data", "Darker", "brackets", "of population"):
        assert english not in html


def test_legend_in_spanish_has_spanish_words(with_gaps: Classes) -> None:
    html = legend_html(
        with_gaps, MARGINALISATION, 2020, "index (CONAPO 2020 method; higher = less marginalised)", [],
        scheme_label="Cuantiles", lang="es",
    )  # fmt: skip
    assert "(índice (método CONAPO 2020; más alto = menos marginado))" in html
    assert "1.000 – 2.800" in html
    assert "Sin dato <span class='n'>(2)</span>" in html
    assert (
        "Cuantiles; número de alcaldías entre paréntesis. Más oscuro = más necesidad (valores más bajos)."
        in html
    )
    assert "<div class='source'>Fuente: </div>" in html


def test_legend_keeps_an_unknown_unit_as_written(one_to_ten: Classes) -> None:
    html = legend_html(one_to_ten, POVERTY, 2020, "hogares", [], scheme_label="Quantiles", lang="fr")
    assert "<span class='unit'>(hogares)</span>" in html


@pytest.mark.parametrize("lang", ["es", "fr"])
def test_legend_escapes_hostile_text_in_every_language(one_to_ten: Classes, lang: str) -> None:
    html = legend_html(
        one_to_ten,
        HOSTILE_INDICATOR,
        2020,
        "<script>alert(1)</script>",
        [(HOSTILE_NAME, None)],
        scheme_label="<b>scheme</b>",
        lang=lang,
    )
    assert "<img" not in html
    assert "<script" not in html
    assert "<b>scheme</b>" not in html
    assert "&lt;b&gt;scheme&lt;/b&gt;" in html


# --- the map's text alternative ------------------------------------------------------------------


def test_map_summary_in_english(with_gaps: Classes) -> None:
    assert map_summary(with_gaps, POVERTY, 2020, boroughs=12, sites=9, lang="en") == (
        "Map of the 12 boroughs shaded by Population in poverty (2020), 5 classes from 1.0% to 10.0%. "
        "Darker = more need. 2 boroughs have no data. 9 UTOPÍAS sites shown."
    )


def test_map_summary_in_spanish(one_to_ten: Classes) -> None:
    assert map_summary(
        one_to_ten, POVERTY, 2020, boroughs=16, sites=1, selected="Iztapalapa", reach_m=(1500, 800), lang="es"
    ) == (
        "Mapa de las 16 alcaldías sombreadas según Población en pobreza (2020), en 5 clases de 1.0 % a 10.0 %. "
        "Más oscuro = más necesidad. Seleccionada: Iztapalapa. Se muestra 1 sitio UTOPÍAS. "
        "Círculos de alcance a pie de 800 m y 1,500 m alrededor de las UTOPÍAS abiertas."
    )


def test_map_summary_in_french() -> None:
    classes = classify(pd.Series([1_000.0, 250_000, 1_835_486]), "quantiles", 3)
    assert map_summary(
        classes, POPULATION, 2020, boroughs=16, sites=0, highlighted=("Tlalpan", "Coyoacán"), lang="fr"
    ) == (
        "Carte des 16 arrondissements colorés selon Population totale (2020), en 3 classes "
        "de 1\u202f000 à 1\u202f835\u202f486. En évidence : Tlalpan et Coyoacán. Aucun site UTOPÍAS affiché."
    )


def test_map_summary_one_class_and_no_sites_layer() -> None:
    classes = classify(pd.Series([5.0, 5.0, None]), "quantiles", 5)
    summary = map_summary(classes, POVERTY, 2015, boroughs=3, sites=None, lang="en")
    assert summary == (
        "Map of the 3 boroughs shaded by Population in poverty (2015), one class from 5.0% to 5.0%. "
        "Darker = more need. One borough has no data."
    )


def test_map_summary_without_any_value() -> None:
    classes = classify(pd.Series([None, None], dtype=float))
    assert map_summary(classes, POVERTY, 2020, boroughs=16, sites=3, lang="fr") == (
        "Carte des 16 arrondissements ; aucune donnée pour Population en situation de pauvreté (2020). "
        "3 sites UTOPÍAS affichés."
    )


def test_map_summary_is_plain_text_to_be_escaped() -> None:
    classes = classify(pd.Series([1.0, 2.0]), "quantiles", 2)
    summary = map_summary(classes, POVERTY, 2020, boroughs=2, sites=0, selected=HOSTILE_NAME, lang="es")
    assert f"Seleccionada: {HOSTILE_NAME}." in summary
    assert "<img" not in markup.text(summary)
