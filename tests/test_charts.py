"""Charts: borough ranking with the city value, need against provision, change over time,
UTOPÍAS openings and status, PCMB figures; each with its source, borough codes and table."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import plotly.graph_objects as go
import pytest

from geo.charts import (
    BOROUGH_NAMES,
    CITY_CODE,
    UNKNOWN_OPENING,
    boroughs_from_selection,
    change_over_time,
    city_value,
    need_vs_provision,
    openings_per_year,
    pcmb_budget,
    pcmb_series,
    ranking,
    short_source,
    sites_by_status,
    source_line,
)
from geo.filters import opened_year
from geo.loaders import Atlas, load_atlas

IZTAPALAPA = "09007"
MILPA_ALTA = "09009"
BENITO_JUAREZ = "09014"
HOSTILE_NAME = "<img src=x onerror=alert(1)>"


@pytest.fixture(scope="module")
def atlas() -> Atlas:
    return load_atlas()


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


def test_borough_names_match_the_boundary_file(atlas: Atlas) -> None:
    assert dict(zip(atlas.boroughs["cvegeo"], atlas.boroughs["name"], strict=True)) == BOROUGH_NAMES


def test_short_source_drops_provenance_notes() -> None:
    assert (
        short_source(
            "CONEVAL Medición de la pobreza municipal 2020 (via third-party cleaned CSV; rounded to 2 dp)"
        )
        == "CONEVAL Medición de la pobreza municipal 2020"
    )
    assert short_source("INEGI Censo 2010, as tabulated in English Wikipedia") == "INEGI Censo 2010"
    assert short_source("x" * 100, limit=10) == "xxxxxxxxx…"


def test_source_line_names_each_source_once_with_its_years() -> None:
    assert source_line([("CONEVAL", 2010), ("CONEVAL", 2015), ("INEGI Censo 2020", 2020)]) == (
        "Source: CONEVAL (2010, 2015); INEGI Censo 2020"
    )


def test_boroughs_from_selection() -> None:
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
    assert boroughs_from_selection(event) == (IZTAPALAPA, MILPA_ALTA)
    assert boroughs_from_selection({"points": []}) == ()
    assert boroughs_from_selection({}) == ()


def test_every_chart_has_a_title_axis_titles_and_a_source(atlas: Atlas) -> None:
    figures = [
        ranking(atlas.indicators, "poverty_pct", 2020)[0],
        need_vs_provision(atlas.indicators, atlas.sites)[0],
        change_over_time(atlas.indicators, "poverty_pct")[0],
        openings_per_year(atlas.sites)[0],
        sites_by_status(atlas.sites)[0],
        pcmb_series(atlas.pcmb)[0],
        pcmb_budget(atlas.pcmb)[0],
    ]
    for fig in figures:
        assert fig.layout.title.text
        assert fig.layout.xaxis.title.text
        assert fig.layout.yaxis.title.text
        assert source_note(fig).startswith("Source: ")


# --- ranking -------------------------------------------------------------------------------------


def test_ranking_has_one_bar_per_borough_highest_first(atlas: Atlas) -> None:
    fig, table = ranking(atlas.indicators, "poverty_pct", 2020)
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
    fig, table = ranking(atlas.indicators, "poverty_pct", 2020)
    codes = list(fig.data[0].customdata)
    assert codes[0] == MILPA_ALTA
    assert codes == table.loc[table["cvegeo"] != CITY_CODE, "cvegeo"].tolist()
    assert sorted(codes) == sorted(BOROUGH_NAMES)


def test_ranking_city_line_is_the_population_weighted_mean(atlas: Atlas) -> None:
    fig, table = ranking(atlas.indicators, "poverty_pct", 2020)
    (line,) = fig.layout.shapes
    assert line.x0 == line.x1 == pytest.approx(33.8213, abs=1e-4)
    city = table[table["cvegeo"] == CITY_CODE].iloc[0]
    assert city["value"] == line.x0
    assert city["borough"] == "Mexico City (all boroughs)"
    assert pd.isna(city["rank"])
    assert "population-weighted mean" in city["source"]
    assert any(note.text == "City: 33.8%" for note in fig.layout.annotations)


def test_ranking_city_population_is_the_sum(atlas: Atlas) -> None:
    fig, _ = ranking(atlas.indicators, "population_total", 2020)
    assert fig.layout.shapes[0].x0 == 9_209_944
    assert city_value(atlas.indicators, "population_total", 2020).method == "sum of the 16 boroughs"


def test_ranking_city_density_is_total_population_over_total_area(atlas: Atlas) -> None:
    value = city_value(atlas.indicators, "density", 2020).value
    assert value == pytest.approx(6163.38, abs=0.01)
    assert value == pytest.approx(9_209_944 / 1494.30)  # total area of the 16 boroughs, km²


def test_ranking_city_value_not_computed_without_that_years_population(atlas: Atlas) -> None:
    fig, table = ranking(atlas.indicators, "poverty_pct", 2015)  # population_total 2015: one borough
    assert len(fig.data[0].x) == 16
    assert fig.layout.shapes == ()
    city = table[table["cvegeo"] == CITY_CODE].iloc[0]
    assert pd.isna(city["value"])
    assert city["source"] == "not computed: population_total 2015 not known for every borough"
    assert "not computed" in fig.layout.title.text


def test_ranking_city_value_not_computed_for_an_index(atlas: Atlas) -> None:
    assert city_value(atlas.indicators, "marginalisation_index", 2020).value is None
    assert city_value(atlas.indicators, "median_age", 2015).value is None


def test_ranking_highlights_selected_boroughs(atlas: Atlas) -> None:
    fig, table = ranking(atlas.indicators, "poverty_pct", 2020, selected=(IZTAPALAPA, MILPA_ALTA))
    bars = fig.data[0]
    full = [code for code, opacity in zip(bars.customdata, bars.marker.opacity, strict=True) if opacity == 1]
    assert full == [MILPA_ALTA, IZTAPALAPA]
    assert table.loc[table["selected"], "cvegeo"].tolist() == [MILPA_ALTA, IZTAPALAPA]
    plain, _ = ranking(atlas.indicators, "poverty_pct", 2020)
    assert set(plain.data[0].marker.opacity) == {1.0}


def test_ranking_source_note(atlas: Atlas) -> None:
    poverty, _ = ranking(atlas.indicators, "poverty_pct", 2010)
    assert source_note(poverty) == "Source: CONEVAL Medición de la pobreza municipal (2010)"
    density, _ = ranking(atlas.indicators, "density", 2020)
    assert source_note(density) == (
        "Source: Atlas calculation from INEGI Censo de Población y Vivienda 2020 and "
        "INEGI Marco Geoestadístico (areas)"
    )


def test_ranking_rejects_a_category_and_a_missing_year(atlas: Atlas) -> None:
    with pytest.raises(ValueError, match="category"):
        ranking(atlas.indicators, "marginalisation_grade", 2020)
    with pytest.raises(ValueError, match="no values"):
        ranking(atlas.indicators, "poverty_pct", 1990)


# --- need against provision ----------------------------------------------------------------------


def test_need_vs_provision_plots_every_borough(atlas: Atlas) -> None:
    fig, table = need_vs_provision(atlas.indicators, atlas.sites)
    assert len(fig.data) == 1  # one programme in the data
    points = fig.data[0]
    assert len(points.x) == len(points.y) == 16
    assert sorted(points.customdata) == sorted(BOROUGH_NAMES)
    assert table["open_sites"].sum() == (atlas.sites["status"] == "open").sum() == 20
    assert (table["sites_per_100k"] == 0).sum() == 11  # boroughs without an open site stay, at 0
    assert list(points.marker.size) == table["population"].tolist()


def test_need_vs_provision_counts_sites_without_coordinates(atlas: Atlas) -> None:
    _, table = need_vs_provision(atlas.indicators, atlas.sites)
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
    fig, table = need_vs_provision(atlas.indicators, sites)
    assert [trace.name for trace in fig.data] == ["PCMB (Mejoramiento Barrial)", "UTOPÍAS"]
    assert [len(trace.x) for trace in fig.data] == [16, 16]
    assert fig.data[0].marker.color != fig.data[1].marker.color
    pcmb = table[(table["programme"] == "pcmb") & (table["open_sites"] > 0)]
    assert pcmb["cvegeo"].tolist() == [MILPA_ALTA]
    assert pcmb["open_sites"].tolist() == [1]


def test_need_vs_provision_needs_every_boroughs_population(atlas: Atlas) -> None:
    with pytest.raises(ValueError, match="population_total 2015"):
        need_vs_provision(atlas.indicators, atlas.sites, year=2015)


def test_need_vs_provision_source_cites_need_population_and_sites(atlas: Atlas) -> None:
    fig, _ = need_vs_provision(atlas.indicators, atlas.sites)
    note = source_note(fig).replace("<br>", " ")
    assert "CONEVAL Medición de la pobreza municipal 2020" in note
    assert "INEGI Censo de Población y Vivienda 2020" in note
    assert "UTOPÍAS sites" in note


# --- change over time ----------------------------------------------------------------------------


def test_change_over_time_has_a_line_per_borough(atlas: Atlas) -> None:
    fig, table = change_over_time(atlas.indicators, "poverty_pct")
    assert len(fig.data) == 16
    assert all(list(trace.x) == [2010, 2015, 2020] for trace in fig.data)
    assert sorted(trace.customdata[0] for trace in fig.data) == sorted(BOROUGH_NAMES)
    assert len(table) == 48
    milpa = next(trace for trace in fig.data if trace.customdata[0] == MILPA_ALTA)
    assert list(milpa.y) == table.loc[table["cvegeo"] == MILPA_ALTA, "value"].tolist()
    assert source_note(fig) == (
        "Source: CONEVAL Medición de la pobreza municipal (2010, 2015); "
        "CONEVAL Medición de la pobreza municipal 2020"
    )


def test_change_over_time_uses_only_years_known_for_every_borough(atlas: Atlas) -> None:
    fig, table = change_over_time(atlas.indicators, "density")  # 2015: one borough only
    assert sorted(table["year"].unique()) == [2010, 2020]
    assert all(len(trace.x) == 2 for trace in fig.data)


def test_change_over_time_none_with_fewer_than_two_years(atlas: Atlas) -> None:
    assert change_over_time(atlas.indicators, "marginalisation_index") is None
    assert change_over_time(atlas.indicators, "population_25_29") is None
    assert change_over_time(atlas.indicators, "marginalisation_grade") is None


# --- openings and status -------------------------------------------------------------------------


def test_openings_per_year_keeps_open_sites_with_unknown_dates(atlas: Atlas) -> None:
    fig, table = openings_per_year(atlas.sites)
    open_sites = atlas.sites[atlas.sites["status"] == "open"]
    unknown = int(opened_year(open_sites).isna().sum())
    bars = fig.data[0]
    assert bars.x[-1] == UNKNOWN_OPENING
    assert bars.y[-1] == unknown == 4
    assert sum(bars.y) == len(open_sites) == 20
    assert table["label"].tolist() == [*map(str, range(2020, 2027)), UNKNOWN_OPENING]
    assert table["opened"].tolist() == [1, 3, 1, 3, 3, 0, 5, 4]


def test_openings_cumulative_line_counts_known_openings(atlas: Atlas) -> None:
    fig, table = openings_per_year(atlas.sites)
    line = fig.data[1]
    assert UNKNOWN_OPENING not in line.x
    assert list(line.y) == [1, 4, 5, 8, 11, 11, 16]
    assert table["cumulative"].iloc[-1] is pd.NA


def test_openings_with_no_known_date_at_all() -> None:
    sites = synthetic_sites(  # synthetic: open, unknown opening; and one still being built
        ("A", "utopias", "open", IZTAPALAPA, "unknown", ""),
        ("B", "utopias", "under_construction", IZTAPALAPA, "unknown", ""),
    )
    _, table = openings_per_year(sites)
    assert table[["label", "opened"]].values.tolist() == [[UNKNOWN_OPENING, 1]]


def test_openings_hover_escapes_site_names() -> None:
    sites = synthetic_sites((HOSTILE_NAME, "utopias", "open", IZTAPALAPA, "exact", "2021-01-01"))
    fig, _ = openings_per_year(sites)
    hover = " ".join(fig.data[0].hovertext)
    assert HOSTILE_NAME not in hover
    assert "&lt;img src=x onerror=alert(1)&gt;" in hover


def test_sites_by_status_counts_every_site(atlas: Atlas) -> None:
    fig, table = sites_by_status(atlas.sites)
    assert table["sites"].sum() == len(atlas.sites) == 35
    per_status = table.groupby("status")["sites"].sum().to_dict()
    assert per_status == {"open": 20, "under_construction": 5, "announced": 10}
    assert table[table["on_map"]]["sites"].sum() == atlas.sites.geometry.notna().sum() == 19
    assert len(fig.data) == 2


# --- PCMB ----------------------------------------------------------------------------------------


def test_pcmb_keeps_both_2024_reports_side_by_side(atlas: Atlas) -> None:
    fig, table = pcmb_series(atlas.pcmb)
    bars_2024 = [trace for trace in fig.data if trace.type == "bar" and 2024 <= trace.x[0] < 2025]
    assert sorted(trace.y[0] for trace in bars_2024) == [152, 155]
    assert bars_2024[0].x[0] != bars_2024[1].x[0]
    hovers = " ".join(trace.hovertext[0] for trace in bars_2024)
    assert "mayacomunicacion.com.mx" in hovers
    assert "ntcd.mx" in hovers
    assert table.loc[table["period"] == "2024", "projects"].tolist() == [152, 155]


def test_pcmb_periods_are_spans(atlas: Atlas) -> None:
    fig, table = pcmb_series(atlas.pcmb)
    spans = {(trace.x[0], trace.x[-1], trace.y[0]) for trace in fig.data if trace.type == "scatter"}
    assert spans == {(2007, 2009, 150), (2007, 2015, 1386), (2007, 2016, 520)}
    assert table.loc[table["period"] == "2007-2008", "projects_qualifier"].item() == ">"


def test_pcmb_years_without_a_report_stay_empty(atlas: Atlas) -> None:
    fig, _ = pcmb_series(atlas.pcmb)
    drawn = [x for trace in fig.data for x in trace.x]
    assert not [x for x in drawn if 2016 < x < 2024]


def test_pcmb_budget_is_its_own_figure_in_millions(atlas: Atlas) -> None:
    fig, table = pcmb_budget(atlas.pcmb)
    assert "million MXN" in fig.layout.yaxis.title.text
    assert table["budget_mxn"].tolist() == [949e6, 1000e6, 10e6, 150e6, 150e6]
    bars = sorted(trace.y[0] for trace in fig.data if trace.type == "bar")
    assert bars == [10, 150, 150]
