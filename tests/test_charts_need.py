"""Need against provision: open programme sites per 100,000 inhabitants against a borough's need."""

from __future__ import annotations

import pytest

from geo.charts.need import describe_need_vs_provision, need_vs_provision
from geo.loaders import Atlas, load_atlas
from tests.charts_support import IZTAPALAPA, MILPA_ALTA, NNBSP, source_note, synthetic_sites


@pytest.fixture(scope="module")
def atlas() -> Atlas:
    return load_atlas()


def test_need_vs_provision_plots_every_borough(atlas: Atlas) -> None:
    fig, table = need_vs_provision(atlas.indicators, atlas.sites, names=atlas.borough_names, lang="en")
    assert len(fig.data) == 1  # one programme in the data
    points = fig.data[0]
    assert len(points.x) == len(points.y) == 16
    assert sorted(points.customdata) == sorted(atlas.borough_names)
    assert table["open_sites"].sum() == (atlas.sites["status"] == "open").sum() == 20
    assert (table["sites_per_100k"] == 0).sum() == 11  # boroughs without an open site stay, at 0
    assert list(points.marker.size) == table["population"].tolist()


def test_need_vs_provision_counts_sites_without_coordinates(atlas: Atlas) -> None:
    _, table = need_vs_provision(atlas.indicators, atlas.sites, names=atlas.borough_names, lang="en")
    iztapalapa = table[table["cvegeo"] == IZTAPALAPA].iloc[0]
    mapped = atlas.sites[(atlas.sites["cvegeo"] == IZTAPALAPA) & (atlas.sites["status"] == "open")]
    assert mapped.geometry.notna().sum() == 13
    assert iztapalapa["open_sites"] == 16
    assert iztapalapa["need_value"] == 43.89
    assert iztapalapa["population"] == 1_835_486
    assert iztapalapa["sites_per_100k"] == pytest.approx(0.8717, abs=1e-4)


def test_need_vs_provision_one_trace_per_programme(atlas: Atlas) -> None:
    sites = synthetic_sites(  # synthetic: a second programme with one open site
        ("A", "utopias", "open", IZTAPALAPA, "unknown", ""),
        ("B", "pcmb", "open", MILPA_ALTA, "unknown", ""),
        ("C", "pcmb", "announced", MILPA_ALTA, "unknown", ""),
    )
    fig, table = need_vs_provision(atlas.indicators, sites, names=atlas.borough_names, lang="en")
    assert [trace.name for trace in fig.data] == ["PCMB (Neighbourhood Improvement)", "UTOPÍAS"]
    assert [len(trace.x) for trace in fig.data] == [16, 16]
    assert fig.data[0].marker.color != fig.data[1].marker.color
    pcmb = table[(table["programme"] == "pcmb") & (table["open_sites"] > 0)]
    assert pcmb["cvegeo"].tolist() == [MILPA_ALTA]
    assert pcmb["open_sites"].tolist() == [1]


def test_need_vs_provision_needs_every_boroughs_population(atlas: Atlas) -> None:
    with pytest.raises(ValueError, match="population_total 2015"):
        need_vs_provision(atlas.indicators, atlas.sites, names=atlas.borough_names, lang="en", year=2015)


def test_need_vs_provision_source_cites_need_population_and_sites(atlas: Atlas) -> None:
    fig, _ = need_vs_provision(atlas.indicators, atlas.sites, names=atlas.borough_names, lang="en")
    note = source_note(fig).replace("<br>", "")
    assert "CONEVAL Medición de la pobreza municipal 2020" in note
    assert "INEGI Censo de Población y Vivienda 2020" in note
    assert "UTOPÍAS sites" in note


def test_need_vs_provision_in_french(atlas: Atlas) -> None:
    need, _ = need_vs_provision(atlas.indicators, atlas.sites, names=atlas.borough_names, lang="fr")
    assert need.layout.yaxis.title.text == f"Sites ouverts pour 100{NNBSP}000 habitants (population 2020)"
    assert need.layout.legend.title.text == "Programme (surface de la bulle = population)"
    assert need.layout.xaxis.title.text.endswith("→ besoin plus grand")
    iztapalapa = need.data[0].hovertext[list(need.data[0].customdata).index(IZTAPALAPA)]
    assert f"Population 2020 : 1{NNBSP}835{NNBSP}486" in iztapalapa


def test_need_vs_provision_in_spanish(atlas: Atlas) -> None:
    need, _ = need_vs_provision(atlas.indicators, atlas.sites, names=atlas.borough_names, lang="es")
    assert need.layout.yaxis.title.text == "Sitios abiertos por cada 100,000 habitantes (población 2020)"
    assert need.data[0].name == "UTOPÍAS"
    iztapalapa = need.data[0].hovertext[list(need.data[0].customdata).index(IZTAPALAPA)]
    assert "Población 2020: 1,835,486" in iztapalapa
    assert "Sitios abiertos de UTOPÍAS: 16 (0.87 por cada 100,000)" in iztapalapa


def test_describe_need_vs_provision(atlas: Atlas) -> None:
    expected = {
        "en": "boroughs with at least one: 5 of 16; highest rate: Iztapalapa, 0.87 per 100,000 (43.9%).",
        "es": "alcaldías con al menos uno: 5 de 16; tasa más alta: Iztapalapa, 0.87 por cada 100,000 (43.9 %).",
        "fr": "arrondissements en ayant au moins un : 5 sur 16 ; taux le plus élevé : Iztapalapa, 0,87 pour "
        f"100{NNBSP}000 (43,9 %).",
    }
    for lang, tail in expected.items():
        _, table = need_vs_provision(atlas.indicators, atlas.sites, names=atlas.borough_names, lang=lang)
        text = describe_need_vs_provision(table, lang=lang)
        assert text.endswith(tail), text
        assert "UTOPÍAS" in text
    empty = synthetic_sites(("A", "utopias", "announced", IZTAPALAPA, "unknown", ""))
    _, table = need_vs_provision(atlas.indicators, empty, names=atlas.borough_names, lang="es")
    assert describe_need_vs_provision(table, lang="es").endswith(": ninguna alcaldía tiene alguno.")
