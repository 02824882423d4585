"""Charts: borough ranking with the city value, need against provision, change over time,
UTOPÍAS openings and status, PCMB figures; each with its source, borough codes and table."""

from __future__ import annotations

import re

import geopandas as gpd
import pandas as pd
import plotly.graph_objects as go
import pytest

from geo.charts import (
    CITY_CODE,
    boroughs_from_selection,
    change_over_time,
    city_value,
    describe_change_over_time,
    describe_need_vs_provision,
    describe_openings,
    describe_pcmb_budget,
    describe_pcmb_series,
    describe_ranking,
    describe_sites_by_status,
    display_table,
    need_vs_provision,
    openings_per_year,
    pcmb_budget,
    pcmb_series,
    plural_form,
    ranking,
    separators,
    sites_by_status,
    source_line,
)
from geo.filters import opened_year
from geo.loaders import Atlas, load_atlas

IZTAPALAPA = "09007"
MILPA_ALTA = "09009"
BENITO_JUAREZ = "09014"
HOSTILE_NAME = "<img src=x onerror=alert(1)>"
UNKNOWN = "opening date unknown"  # the English label of open sites without a known opening year


@pytest.fixture(scope="module")
def atlas() -> Atlas:
    return load_atlas()


@pytest.fixture(scope="module")
def names(atlas: Atlas) -> dict[str, str]:
    return atlas.borough_names


def source_note(fig: go.Figure) -> str:
    notes = [note.text for note in fig.layout.annotations if note.name == "source"]
    assert len(notes) == 1
    return notes[0]


def synthetic_sites(*rows: tuple[str, str, str, str, str, str]) -> gpd.GeoDataFrame:
    """Synthetic sites from (name, programme, status, cvegeo, opened_kind, opened_date); none located."""
    frame = pd.DataFrame(
        rows, columns=["name", "programme", "status", "cvegeo", "opened_kind", "opened_date"]
    )
    return gpd.GeoDataFrame(frame, geometry=[None] * len(frame), crs="EPSG:4326")


# --- shared --------------------------------------------------------------------------------------


def test_source_line_names_each_source_once_with_its_years() -> None:
    assert source_line([("CONEVAL", 2010), ("CONEVAL", 2015), ("INEGI Censo 2020", 2020)], "en") == (
        "Source: CONEVAL (2010, 2015); INEGI Censo 2020"
    )


def test_boroughs_from_selection(names: dict[str, str]) -> None:
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
    assert boroughs_from_selection(event, names) == (IZTAPALAPA, MILPA_ALTA)
    assert boroughs_from_selection(event, {MILPA_ALTA: "Milpa Alta"}) == (MILPA_ALTA,)
    assert boroughs_from_selection({"points": []}, names) == ()
    assert boroughs_from_selection({}, names) == ()


def test_every_chart_has_a_title_axis_titles_and_a_source(atlas: Atlas) -> None:
    figures = [
        ranking(atlas.indicators, "poverty_pct", 2020, names=atlas.borough_names, lang="en")[0],
        need_vs_provision(atlas.indicators, atlas.sites, names=atlas.borough_names, lang="en")[0],
        change_over_time(atlas.indicators, "poverty_pct", names=atlas.borough_names, lang="en")[0],
        openings_per_year(atlas.sites, lang="en")[0],
        sites_by_status(atlas.sites, lang="en")[0],
        pcmb_series(atlas.pcmb, lang="en")[0],
        pcmb_budget(atlas.pcmb, lang="en")[0],
    ]
    for fig in figures:
        assert fig.layout.title.text
        assert fig.layout.xaxis.title.text
        assert fig.layout.yaxis.title.text
        assert source_note(fig).startswith("Source: ")


# --- ranking -------------------------------------------------------------------------------------


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
        city_value(atlas.indicators, "population_total", 2020, lang="en").method == "sum of the 16 boroughs"
    )


def test_ranking_city_density_is_total_population_over_total_area(atlas: Atlas) -> None:
    value = city_value(atlas.indicators, "density", 2020, lang="en").value
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
    assert city_value(atlas.indicators, "marginalisation_index", 2020, lang="en").value is None
    assert city_value(atlas.indicators, "median_age", 2015, lang="en").value is None


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


# --- need against provision ----------------------------------------------------------------------


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
    note = source_note(fig).replace("<br>", " ")
    assert "CONEVAL Medición de la pobreza municipal 2020" in note
    assert "INEGI Censo de Población y Vivienda 2020" in note
    assert "UTOPÍAS sites" in note


# --- change over time ----------------------------------------------------------------------------


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


# --- openings and status -------------------------------------------------------------------------


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


def test_openings_hover_escapes_site_names() -> None:
    sites = synthetic_sites((HOSTILE_NAME, "utopias", "open", IZTAPALAPA, "exact", "2021-01-01"))
    fig, _ = openings_per_year(sites, lang="en")
    hover = " ".join(fig.data[0].hovertext)
    assert HOSTILE_NAME not in hover
    assert "&lt;img src=x onerror=alert(1)&gt;" in hover


def test_sites_by_status_counts_every_site(atlas: Atlas) -> None:
    fig, table = sites_by_status(atlas.sites, lang="en")
    assert table["sites"].sum() == len(atlas.sites) == 35
    per_status = table.groupby("status")["sites"].sum().to_dict()
    assert per_status == {"open": 20, "under_construction": 5, "announced": 10}
    assert table[table["on_map"]]["sites"].sum() == atlas.sites.geometry.notna().sum() == 19
    assert len(fig.data) == 2


# --- PCMB ----------------------------------------------------------------------------------------


def test_pcmb_keeps_both_2024_reports_side_by_side(atlas: Atlas) -> None:
    fig, table = pcmb_series(atlas.pcmb, lang="en")
    bars_2024 = [trace for trace in fig.data if trace.type == "bar" and 2024 <= trace.x[0] < 2025]
    assert sorted(trace.y[0] for trace in bars_2024) == [152, 155]
    assert bars_2024[0].x[0] != bars_2024[1].x[0]
    hovers = " ".join(trace.hovertext[0] for trace in bars_2024)
    assert "mayacomunicacion.com.mx" in hovers
    assert "ntcd.mx" in hovers
    assert table.loc[table["period"] == "2024", "projects"].tolist() == [152, 155]


def test_pcmb_periods_are_spans(atlas: Atlas) -> None:
    fig, table = pcmb_series(atlas.pcmb, lang="en")
    spans = {(trace.x[0], trace.x[-1], trace.y[0]) for trace in fig.data if trace.type == "scatter"}
    assert spans == {(2007, 2009, 150), (2007, 2015, 1386), (2007, 2016, 520)}
    assert table.loc[table["period"] == "2007-2008", "projects_qualifier"].item() == ">"


def test_pcmb_years_without_a_report_stay_empty(atlas: Atlas) -> None:
    fig, _ = pcmb_series(atlas.pcmb, lang="en")
    drawn = [x for trace in fig.data for x in trace.x]
    assert not [x for x in drawn if 2016 < x < 2024]


def test_pcmb_budget_is_its_own_figure_in_millions(atlas: Atlas) -> None:
    fig, table = pcmb_budget(atlas.pcmb, lang="en")
    assert "million MXN" in fig.layout.yaxis.title.text
    assert table["budget_mxn"].tolist() == [949e6, 1000e6, 10e6, 150e6, 150e6]
    bars = sorted(trace.y[0] for trace in fig.data if trace.type == "bar")
    assert bars == [10, 150, 150]


# --- languages -----------------------------------------------------------------------------------

NNBSP = "\u202f"  # babel's (CLDR's) thousands separator for French


_FIGURES: dict[str, dict[str, go.Figure]] = {}


def all_figures(atlas: Atlas, lang: str, names: dict[str, str] | None = None) -> dict[str, go.Figure]:
    """Every chart in ``lang`` (cached per language for the shipped names)."""
    if names is None and lang in _FIGURES:
        return _FIGURES[lang]
    figures = _figures(atlas, lang, names or atlas.borough_names)
    if names is None:
        _FIGURES[lang] = figures
    return figures


def _figures(atlas: Atlas, lang: str, names: dict[str, str]) -> dict[str, go.Figure]:
    return {
        "ranking": ranking(atlas.indicators, "poverty_pct", 2020, names=names, lang=lang)[0],
        "need": need_vs_provision(atlas.indicators, atlas.sites, names=names, lang=lang)[0],
        "change": change_over_time(atlas.indicators, "poverty_pct", names=names, lang=lang)[0],
        "openings": openings_per_year(atlas.sites, lang=lang)[0],
        "status": sites_by_status(atlas.sites, lang=lang)[0],
        "pcmb": pcmb_series(atlas.pcmb, lang=lang)[0],
        "budget": pcmb_budget(atlas.pcmb, lang=lang)[0],
    }


def test_separators_follow_babel_per_language() -> None:
    assert separators("en") == ".,"
    assert separators("es") == ".,"  # es_MX: 1,234.5
    assert separators("fr") == "," + NNBSP  # fr_FR: 1 234,5


@pytest.mark.parametrize(("lang", "expected"), [("en", ".,"), ("es", ".,"), ("fr", "," + NNBSP)])
def test_every_figure_uses_the_languages_number_separators(atlas: Atlas, lang: str, expected: str) -> None:
    for name, fig in all_figures(atlas, lang).items():
        assert fig.layout.separators == expected, name
        assert fig.layout.xaxis.separatethousands, name
        assert fig.layout.yaxis.separatethousands, name
        assert fig.layout.xaxis.exponentformat == fig.layout.yaxis.exponentformat == "none", name


def test_french_charts(atlas: Atlas) -> None:
    figures = all_figures(atlas, "fr")
    ranked = figures["ranking"]
    assert ranked.layout.title.text.startswith("<b>Population en situation de pauvreté, 2020</b>")
    assert "Ligne pointillée : valeur de la ville, moyenne des 16 arrondissements" in ranked.layout.title.text
    assert ranked.layout.xaxis.title.text == "Population en situation de pauvreté (% de la population)"
    assert ranked.layout.yaxis.title.text == "Arrondissement (alcaldía)"
    assert ranked.data[0].text[0] == "54,7 %"
    assert "rang 1 sur 16" in ranked.data[0].hovertext[0]
    assert any(note.text == "Ville : 33,8 %" for note in ranked.layout.annotations)
    assert source_note(ranked) == "Source : CONEVAL Medición de la pobreza municipal 2020"

    need = figures["need"]
    assert need.layout.yaxis.title.text == f"Sites ouverts pour 100{NNBSP}000 habitants (population 2020)"
    assert need.layout.legend.title.text == "Programme (surface de la bulle = population)"
    assert need.layout.xaxis.title.text.endswith("→ besoin plus grand")
    iztapalapa = need.data[0].hovertext[list(need.data[0].customdata).index(IZTAPALAPA)]
    assert f"Population 2020 : 1{NNBSP}835{NNBSP}486" in iztapalapa
    assert f"0,87 pour 100{NNBSP}000" in iztapalapa

    change = figures["change"]
    assert change.layout.xaxis.title.text == "Année"
    assert {trace.name for trace in change.data} == {"En hausse 2010–2020", "En baisse ou stable 2010–2020"}

    openings = figures["openings"]
    assert [trace.name for trace in openings.data] == [
        "Ouverts cette année-là (première date connue)",
        "Cumul (année d’ouverture connue)",
    ]
    assert openings.data[0].x[-1] == "date d’ouverture inconnue"
    assert openings.data[0].hovertext[-1].startswith("<b>date d’ouverture inconnue</b> : 4 sites")
    assert openings.data[1].hovertemplate == "%{x} : %{y} ouverts connus à la fin de l’année<extra></extra>"
    assert openings.layout.yaxis.title.text == "Sites (nombre)"

    status = figures["status"]
    assert list(status.data[0].y) == ["Ouverte", "En construction", "Annoncée"]
    assert [trace.name for trace in status.data] == [
        "Avec coordonnées (sur la carte)",
        "Sans coordonnées (hors de la carte)",
    ]
    assert status.layout.title.text == "<b>Sites UTOPÍAS par statut</b><br><sup>35 sites répertoriés</sup>"

    pcmb = figures["pcmb"]
    assert pcmb.layout.title.text.startswith(
        "<b>PCMB (Amélioration des quartiers) : projets tels que déclarés</b>"
    )
    assert {trace.name for trace in pcmb.data} == {
        "Déclaré pour une seule année",
        "Total déclaré pour une période de plusieurs années",
    }
    spans = " ".join(text for trace in pcmb.data if trace.type == "scatter" for text in trace.text)
    assert f"1{NNBSP}386 (2007-2014)" in spans
    hovers = " ".join(hover for trace in pcmb.data for hover in trace.hovertext)
    assert "plus de 150" in hovers
    assert "Source : mayacomunicacion.com.mx" in hovers
    budget = figures["budget"]
    assert budget.layout.yaxis.title.text == "Budget (millions de MXN, nominaux)"
    budget_hovers = " ".join(hover for trace in budget.data for hover in trace.hovertext)
    assert f"1{NNBSP}000 millions de MXN" in budget_hovers


def test_spanish_charts(atlas: Atlas) -> None:
    figures = all_figures(atlas, "es")
    ranked = figures["ranking"]
    assert ranked.layout.title.text.startswith("<b>Población en pobreza, 2020</b>")
    assert ranked.layout.xaxis.title.text == "Población en pobreza (% de la población)"
    assert ranked.layout.yaxis.title.text == "Alcaldía"
    assert ranked.data[0].text[0] == "54.7 %"
    assert "lugar 1 de 16" in ranked.data[0].hovertext[0]
    assert any(note.text == "Ciudad: 33.8 %" for note in ranked.layout.annotations)
    assert source_note(ranked) == "Fuente: CONEVAL Medición de la pobreza municipal 2020"

    need = figures["need"]
    assert need.layout.yaxis.title.text == "Sitios abiertos por cada 100,000 habitantes (población 2020)"
    assert need.data[0].name == "UTOPÍAS"
    iztapalapa = need.data[0].hovertext[list(need.data[0].customdata).index(IZTAPALAPA)]
    assert "Población 2020: 1,835,486" in iztapalapa
    assert "Sitios abiertos de UTOPÍAS: 16 (0.87 por cada 100,000)" in iztapalapa

    assert figures["change"].layout.xaxis.title.text == "Año"
    openings = figures["openings"]
    assert openings.data[0].x[-1] == "fecha de apertura desconocida"
    assert openings.layout.title.text.startswith("<b>UTOPÍAS: aperturas por año</b>")
    assert list(figures["status"].data[0].y) == ["Abierta", "En construcción", "Anunciada"]
    assert figures["status"].layout.yaxis.title.text == "Estado"
    assert figures["pcmb"].layout.yaxis.title.text == "Proyectos (número, según lo reportado)"
    hovers = " ".join(hover for trace in figures["pcmb"].data for hover in trace.hovertext)
    assert "más de 150" in hovers
    assert "Fuente: ntcd.mx" in hovers
    assert figures["budget"].layout.xaxis.title.text == "Año"
    density = ranking(atlas.indicators, "density", 2020, names=atlas.borough_names, lang="es")[0]
    assert source_note(density).replace("<br>", " ") == (
        "Fuente: Cálculo del Atlas a partir de INEGI Censo de Población y Vivienda 2020 y "
        "INEGI Marco Geoestadístico (superficies)"
    )


def test_no_english_left_in_french_and_spanish_figures(atlas: Atlas) -> None:
    english = re.compile(
        r"\b(Source|Year|Borough|City|Sites \(count\)|rank|open now|per 100|Population in|Programme \(bubble|"
        r"Rose|Fell|Opened|Cumulative|With coordinates|Without|Status|Reported|Total reported|as reported|"
        r"more than|million|opening date)\b"
    )
    for lang in ("fr", "es"):
        for name, fig in all_figures(atlas, lang).items():
            texts = [fig.layout.title.text, fig.layout.xaxis.title.text, fig.layout.yaxis.title.text]
            texts += [note.text for note in fig.layout.annotations]
            texts += [fig.layout.legend.title.text or ""]
            for trace in fig.data:
                texts += [trace.name or "", trace.hovertemplate or "", *(trace.hovertext or ())]
                texts += [str(x) for x in (trace.x if trace.type == "bar" else ())]
                texts += [str(y) for y in (trace.y if trace.orientation == "h" and name != "ranking" else ())]
            # Source names and the reports' notes (after "Source :") are data, never translated.
            checked = [re.sub(r"(Source :|Fuente:).*", "", text) for text in texts]
            leftovers = [text for text in checked if english.search(text)]
            assert not leftovers, (lang, name, leftovers)


def test_hostile_borough_names_are_escaped_in_every_language(atlas: Atlas) -> None:
    names = {**atlas.borough_names, IZTAPALAPA: HOSTILE_NAME}
    for lang in ("es", "en", "fr"):
        figures = all_figures(atlas, lang, names)
        for name in ("ranking", "need", "change"):
            fig = figures[name]
            dumped = fig.to_json()
            assert HOSTILE_NAME not in dumped, (lang, name)
            assert "&lt;img src=x onerror=alert(1)&gt;" in dumped, (lang, name)
        _, table = ranking(atlas.indicators, "poverty_pct", 2020, names=names, lang=lang)
        assert HOSTILE_NAME in table["borough"].tolist(), "the table keeps the name as data"


def test_hostile_translation_free_texts_from_data_are_escaped_in_french() -> None:
    sites = synthetic_sites((HOSTILE_NAME, "utopias", "open", IZTAPALAPA, "exact", "2021-01-01"))
    fig, _ = openings_per_year(sites, lang="fr")
    hover = " ".join(fig.data[0].hovertext)
    assert HOSTILE_NAME not in hover
    assert "&lt;img src=x onerror=alert(1)&gt;" in hover
    assert "<b>2021</b> : 1 site<br>" in hover


def test_plural_forms() -> None:
    assert [plural_form(n, "fr") for n in (0, 1, 2)] == ["one", "one", "other"]
    assert [plural_form(n, "es") for n in (0, 1, 2, 1_000_000)] == ["other", "one", "other", "other"]
    assert [plural_form(n, "en") for n in (0, 1, 2)] == ["other", "one", "other"]


def test_city_value_method_in_each_language(atlas: Atlas) -> None:
    assert (
        city_value(atlas.indicators, "population_total", 2020, lang="es").method == "suma de las 16 alcaldías"
    )
    assert city_value(atlas.indicators, "population_total", 2020, lang="fr").method == (
        "somme des 16 arrondissements"
    )
    missing = city_value(atlas.indicators, "poverty_pct", 2015, lang="fr")
    assert missing.value is None
    assert (
        missing.method == "non calculée : la population 2015 n’est pas connue pour tous les arrondissements"
    )
    fig, table = ranking(atlas.indicators, "poverty_pct", 2015, names=atlas.borough_names, lang="fr")
    assert "Valeur de la ville non calculée : la population 2015" in fig.layout.title.text
    city = table[table["cvegeo"] == CITY_CODE].iloc[0]
    assert city["borough"] == "Ville de Mexico (tous les arrondissements)"


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


# --- text alternatives ---------------------------------------------------------------------------


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


def test_describe_pcmb(atlas: Atlas) -> None:
    projects = {
        "en": "Chart of PCMB (Neighbourhood Improvement) projects as reported, one entry per report: "
        "2007-2008: more than 150, 2007-2014: 1,386, 2007-2015: 520, 2013: 200, 2015: 160, 2024: 152, and 2024: 155.",
        "es": "Gráfica de los proyectos de PCMB (Mejoramiento Barrial) según lo reportado, una entrada por informe: "
        "2007-2008: más de 150, 2007-2014: 1,386, 2007-2015: 520, 2013: 200, 2015: 160, 2024: 152 y "
        "2024: 155.",
        "fr": "Graphique des projets PCMB (Amélioration des quartiers) tels que déclarés, une entrée par rapport : "
        f"2007-2008 : plus de 150, 2007-2014 : 1{NNBSP}386, 2007-2015 : 520, 2013 : 200, 2015 : 160, "
        "2024 : 152 et 2024 : 155.",
    }
    for lang, text in projects.items():
        _, table = pcmb_series(atlas.pcmb, lang=lang)
        assert describe_pcmb_series(table, lang=lang) == text
    _, table = pcmb_budget(atlas.pcmb, lang="fr")
    assert describe_pcmb_budget(table, lang="fr") == (
        "Graphique du budget PCMB (Amélioration des quartiers) tel que déclaré (millions de MXN, nominaux), "
        f"une entrée par rapport : 2007-2014 : 949, 2007-2015 : 1{NNBSP}000, 2023 : 10, 2024 : 150 et 2024 : 150."
    )
    _, table = pcmb_budget(atlas.pcmb, lang="es")
    assert "una entrada por informe: 2007-2014: 949, 2007-2015: 1,000, 2023: 10" in describe_pcmb_budget(
        table, lang="es"
    )
