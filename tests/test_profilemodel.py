"""The Borough profile screen's model: a borough's figures against a second borough and the city."""

from __future__ import annotations

import pytest

from geo.loaders import Atlas, load_atlas
from geo.profilemodel import DEFAULT_BOROUGH, ProfileModel, profile_boroughs, profile_model
from geo.state import ViewState

pytestmark = pytest.mark.filterwarnings("ignore:Numba not installed:UserWarning")


@pytest.fixture(scope="module")
def atlas() -> Atlas:
    return load_atlas()


def row(profile: ProfileModel, indicator: str, year: int):
    return next(r for r in profile.rows if r.indicator == indicator and r.year == year)


def test_a_borough_against_another_and_the_city(atlas: Atlas) -> None:
    profile = profile_model(atlas, "09007", "09014", "en")
    assert (profile.name, profile.second_name) == ("Iztapalapa", "Benito Juárez")
    population = row(profile, "population_total", 2020)
    assert (population.value, population.other, population.city) == ("1,835,486", "434,153", "9,209,944")
    assert population.citation == "INEGI Censo de Población y Vivienda 2020"
    assert population.source.startswith(population.citation)
    assert row(profile, "marginalisation_index", 2020).city == "not computed", "an index has no city value"
    assert row(profile, "poverty_persons", 2020).other == "no data", "no source gives Benito Juárez's"
    assert len(profile.sites) == 16
    assert set(profile.sites["cvegeo"]) == {"09007"}


def test_against_the_city_only_there_is_no_second_column(atlas: Atlas) -> None:
    profile = profile_model(atlas, "09007", "", "fr")
    assert profile.second_name == ""
    assert all(r.other is None for r in profile.rows)
    assert row(profile, "poverty_pct", 2020).value == "43,9 %"


def test_a_derived_figure_cites_its_inputs(atlas: Atlas) -> None:
    density = row(profile_model(atlas, "09007", "", "en"), "density", 2020)
    assert density.citation.startswith("Atlas calculation from INEGI Censo")
    assert "INEGI Marco Geoestadístico" in density.citation


@pytest.mark.parametrize(
    ("sel", "cmp", "expected"),
    [
        ("", "", (DEFAULT_BOROUGH, "")),
        ("09012", "", ("09012", "")),
        ("09012", "09014", ("09012", "09014")),
        ("09012", "09012", ("09012", "")),
    ],
)
def test_which_boroughs_a_view_profiles(atlas: Atlas, sel: str, cmp: str, expected: tuple[str, str]) -> None:
    view = ViewState(ind="poverty_pct", year=2020, sel=sel, cmp=cmp)
    assert profile_boroughs(view, atlas.borough_names) == expected
