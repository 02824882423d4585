"""A programme's sites: openings per year and sites by status."""

from __future__ import annotations

import pandas as pd
import pytest

from geo.charts.sites import describe_openings, describe_sites_by_status, openings_per_year, sites_by_status
from geo.filters import opened_year
from geo.loaders import Atlas, load_atlas
from tests.charts_support import ESCAPED_NAME, HOSTILE_NAME, IZTAPALAPA, synthetic_sites

UNKNOWN = "opening date unknown"  # the English label of open sites without a known opening year


@pytest.fixture(scope="module")
def atlas() -> Atlas:
    return load_atlas()


def test_openings_per_year_keeps_open_sites_with_unknown_dates(atlas: Atlas) -> None:
    fig, table = openings_per_year(atlas.sites, lang="en")
    open_sites = atlas.sites[atlas.sites["status"] == "open"]
    unknown = int(opened_year(open_sites).isna().sum())
    bars = fig.data[0]
    assert bars.x[-1] == UNKNOWN
    assert bars.y[-1] == unknown == 4
    assert sum(bars.y) == len(open_sites) == 20
    assert table["label"].tolist() == [*map(str, range(2020, 2027)), UNKNOWN]
    assert table["opened"].tolist() == [1, 3, 1, 3, 3, 0, 5, 4]


def test_openings_cumulative_line_counts_known_openings(atlas: Atlas) -> None:
    fig, table = openings_per_year(atlas.sites, lang="en")
    line = fig.data[1]
    assert UNKNOWN not in line.x
    assert list(line.y) == [1, 4, 5, 8, 11, 11, 16]
    assert table["cumulative"].iloc[-1] is pd.NA


def test_openings_with_no_known_date_at_all() -> None:
    sites = synthetic_sites(  # synthetic: open, unknown opening; and one still being built
        ("A", "utopias", "open", IZTAPALAPA, "unknown", ""),
        ("B", "utopias", "under_construction", IZTAPALAPA, "unknown", ""),
    )
    _, table = openings_per_year(sites, lang="en")
    assert table[["label", "opened"]].values.tolist() == [[UNKNOWN, 1]]


@pytest.mark.parametrize(
    ("lang", "count"), [("en", "<b>2021</b>: 1 site<br>"), ("fr", "<b>2021</b> : 1 site<br>")]
)
def test_openings_hover_escapes_site_names(lang: str, count: str) -> None:
    sites = synthetic_sites((HOSTILE_NAME, "utopias", "open", IZTAPALAPA, "exact", "2021-01-01"))
    fig, _ = openings_per_year(sites, lang=lang)
    hover = " ".join(fig.data[0].hovertext)
    assert HOSTILE_NAME not in hover
    assert ESCAPED_NAME in hover
    assert count in hover


def test_sites_by_status_counts_every_site(atlas: Atlas) -> None:
    fig, table = sites_by_status(atlas.sites, lang="en")
    assert table["sites"].sum() == len(atlas.sites) == 35
    per_status = table.groupby("status")["sites"].sum().to_dict()
    assert per_status == {"open": 20, "under_construction": 5, "announced": 10}
    assert table[table["on_map"]]["sites"].sum() == atlas.sites.geometry.notna().sum() == 19
    assert len(fig.data) == 2


def test_openings_and_status_in_french(atlas: Atlas) -> None:
    openings, _ = openings_per_year(atlas.sites, lang="fr")
    assert [trace.name for trace in openings.data] == [
        "Ouverts cette année-là (première date connue)",
        "Cumul (année d’ouverture connue)",
    ]
    assert openings.data[0].x[-1] == "date d’ouverture inconnue"
    assert openings.data[0].hovertext[-1].startswith("<b>date d’ouverture inconnue</b> : 4 sites")
    assert openings.data[1].hovertemplate == "%{x} : %{y} ouverts connus à la fin de l’année<extra></extra>"
    assert openings.layout.yaxis.title.text == "Sites (nombre)"
    status, _ = sites_by_status(atlas.sites, lang="fr")
    assert list(status.data[0].y) == ["Ouverte", "En construction", "Annoncée"]
    assert [trace.name for trace in status.data] == [
        "Avec coordonnées (sur la carte)",
        "Sans coordonnées (hors de la carte)",
    ]
    assert status.layout.title.text == "<b>Sites UTOPÍAS par statut</b> <br><sup>35 sites répertoriés</sup>"


def test_openings_and_status_in_spanish(atlas: Atlas) -> None:
    openings, _ = openings_per_year(atlas.sites, lang="es")
    status, _ = sites_by_status(atlas.sites, lang="es")
    assert openings.data[0].x[-1] == "fecha de apertura desconocida"
    assert openings.layout.title.text.startswith("<b>UTOPÍAS: aperturas por año</b>")
    assert list(status.data[0].y) == ["Abierta", "En construcción", "Anunciada"]
    assert status.layout.yaxis.title.text == "Estado"


def test_describe_openings(atlas: Atlas) -> None:
    expected = {
        "en": "Bar chart of the UTOPÍAS sites open now (20) by the year they are known to have opened, "
        "2020–2026: known year for 16, the most in 2026 (5); no known opening date for 4.",
        "es": "Gráfica de barras de los sitios de UTOPÍAS abiertos hoy (20) según el año en que se sabe que "
        "abrieron, 2020–2026: año conocido para 16, el mayor número en 2026 (5); sin fecha de apertura "
        "conocida para 4.",
        "fr": "Diagramme en barres des sites UTOPÍAS ouverts aujourd’hui (20) selon l’année où leur ouverture "
        "est connue, 2020–2026 : année connue pour 16, le plus grand nombre en 2026 (5) ; aucune date "
        "d’ouverture connue pour 4.",
    }
    for lang, text in expected.items():
        _, table = openings_per_year(atlas.sites, lang=lang)
        assert describe_openings(table, lang=lang) == text
    unknown_only = synthetic_sites(("A", "utopias", "open", IZTAPALAPA, "unknown", ""))
    _, table = openings_per_year(unknown_only, lang="fr")
    assert describe_openings(table, lang="fr") == (
        "Diagramme en barres des sites UTOPÍAS ouverts aujourd’hui (1) : aucun n’a de date d’ouverture connue."
    )


def test_describe_sites_by_status(atlas: Atlas) -> None:
    expected = {
        "en": "Bar chart of the UTOPÍAS sites (35) by status: Open: 20, Under construction: 5, and "
        "Announced: 10; with coordinates, on the map: 19.",
        "es": "Gráfica de barras de los sitios de UTOPÍAS (35) por estado: Abierta: 20, En construcción: 5 y "
        "Anunciada: 10; con coordenadas, en el mapa: 19.",
        "fr": "Diagramme en barres des sites UTOPÍAS (35) par statut : Ouverte : 20, En construction : 5 et "
        "Annoncée : 10 ; avec coordonnées, sur la carte : 19.",
    }
    for lang, text in expected.items():
        _, table = sites_by_status(atlas.sites, lang=lang)
        assert describe_sites_by_status(table, lang=lang) == text
