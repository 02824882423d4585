"""A chart on the page: its table in the reader's language, its selection, its Markdown-safe text."""

from __future__ import annotations

import pytest

from geo.charts.display import codes_from_selection, display_table
from geo.charts.need import need_vs_provision
from geo.charts.pcmb import pcmb_series
from geo.loaders import Atlas, load_atlas
from tests.charts_support import IZTAPALAPA, MILPA_ALTA


@pytest.fixture(scope="module")
def atlas() -> Atlas:
    return load_atlas()


def test_codes_from_selection(atlas: Atlas) -> None:
    event = {  # synthetic: the shape of Streamlit's plotly selection event
        "selection": {
            "points": [
                {"customdata": IZTAPALAPA},
                {"customdata": [MILPA_ALTA, 3]},
                {"customdata": IZTAPALAPA},
                {"x": 2020},
                {"customdata": "not-a-borough"},
            ]
        }
    }
    assert codes_from_selection(event, atlas.borough_names) == (IZTAPALAPA, MILPA_ALTA)
    assert codes_from_selection(event, {MILPA_ALTA: "Milpa Alta"}) == (MILPA_ALTA,)
    assert codes_from_selection({"points": []}, atlas.borough_names) == ()
    assert codes_from_selection({}, atlas.borough_names) == ()


def test_display_table_translates_headers_and_codes(atlas: Atlas) -> None:
    _, table = need_vs_provision(atlas.indicators, atlas.sites, names=atlas.borough_names, lang="fr")
    shown = display_table(table, "fr")
    assert list(shown.columns[:4]) == ["Code INEGI", "Arrondissement", "Programme", "Indicateur de besoin"]
    assert set(shown["Indicateur de besoin"]) == {"Population en situation de pauvreté"}
    assert set(shown["Unité du besoin"]) == {"% de la population"}
    assert shown["Sites ouverts"].tolist() == table["open_sites"].tolist(), "numbers stay numbers"
    _, pcmb = pcmb_series(atlas.pcmb, lang="es")
    shown = display_table(pcmb, "es")
    assert set(shown["Se muestra como"]) == {"barra", "periodo"}
    assert shown["Nota"].tolist() == pcmb["note"].tolist(), "the reports' notes are data"
    assert list(table.columns)[:2] == ["cvegeo", "borough"], "the table itself keeps its column names"
