"""Short citations shared by charts, the brief and the slides."""

from __future__ import annotations

import pytest

from geo.citations import cite, indicator_sources, short_source
from geo.i18n import t
from geo.loaders import Atlas, load_atlas


@pytest.fixture(scope="module")
def atlas() -> Atlas:
    return load_atlas()


def test_short_source_drops_provenance_notes() -> None:
    assert (
        short_source(
            "CONEVAL Medición de la pobreza municipal 2020 (via third-party cleaned CSV; rounded to 2 dp)"
        )
        == "CONEVAL Medición de la pobreza municipal 2020"
    )
    assert short_source("INEGI Censo 2010, as tabulated in English Wikipedia") == "INEGI Censo 2010"
    assert short_source("CONAPO projection via a standardised CSV") == "CONAPO projection"
    assert short_source("x" * 100, limit=10) == "xxxxxxxxx…"


def test_cite_names_each_source_once_with_its_year() -> None:
    assert cite(["INEGI Censo", "CONEVAL 2020", "INEGI Censo"], 2020) == "INEGI Censo (2020); CONEVAL 2020"


def test_indicator_sources_of_a_shipped_and_a_derived_indicator(atlas: Atlas) -> None:
    assert (
        indicator_sources(atlas, "poverty_pct", 2020, "en") == "CONEVAL Medición de la pobreza municipal 2020"
    )
    density = indicator_sources(atlas, "density", 2020, "fr")
    assert density == (
        "calcul de l’Atlas à partir de INEGI Censo de Población y Vivienda 2020 et "
        f"{t('indicators.area_km2.citation', 'fr')}"
    )
