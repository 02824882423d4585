"""The share of each borough's people within walking reach of an open UTOPÍA, counted by AGEB."""

from __future__ import annotations

import pandas as pd
import pytest

from geo.charts.reach import METHOD_COLUMNS, describe_reach_share, methods_text, reach_share, reach_share_data
from geo.coverage import need_inputs, reach_areas
from geo.dasymetric import (
    AGEB_DASYMETRIC,
    BOROUGH_AREAL_RURAL,
    COMBINED,
    ReachPeople,
    method_note,
    reach_people,
)
from geo.loaders import Atlas, NeighbourhoodLayers, load_atlas, load_neighbourhoods
from tests.charts_support import ESCAPED_NAME, HOSTILE_NAME, IZTAPALAPA, MILPA_ALTA, source_note

BENITO_JUAREZ = "09014"
NAMES = {IZTAPALAPA: "Iztapalapa", MILPA_ALTA: "Milpa Alta", BENITO_JUAREZ: "Benito Juárez"}


def _rows(code: str, distance: int, ageb: tuple[float, float], rural: tuple[float, float], lost: float = 0.0):
    """One borough's by_borough rows at one distance: (population, within) per method, then combined."""
    population, within = ageb[0] + rural[0] + lost, ageb[1] + rural[1]
    return [
        (distance, code, AGEB_DASYMETRIC, ageb[0], ageb[1], 0.0),
        (distance, code, BOROUGH_AREAL_RURAL, rural[0] + lost, rural[1], lost),
        (distance, code, COMBINED, population, within, lost),
    ]


def synthetic_by_borough() -> pd.DataFrame:
    """Synthetic ReachPeople.by_borough: Benito Juárez has the lower share at 800 m but the higher at 1,500 m."""
    rows = [
        *_rows(IZTAPALAPA, 800, (1000, 200), (0, 0)),
        *_rows(IZTAPALAPA, 1500, (1000, 600), (0, 0)),
        *_rows(MILPA_ALTA, 800, (100, 10), (40, 5), lost=10),
        *_rows(MILPA_ALTA, 1500, (100, 20), (40, 30), lost=10),
        *_rows(BENITO_JUAREZ, 800, (100, 10), (0, 0)),
        *_rows(BENITO_JUAREZ, 1500, (100, 70), (0, 0)),
        *_rows("09002", 1500, (100, 100), (0, 0)),  # a borough not charted
    ]
    table = pd.DataFrame(
        rows, columns=["distance_m", "cvegeo", "method", "population", "people_within", "people_not_located"]
    )
    return table.assign(people_within_share=table["people_within"] / table["population"])


@pytest.fixture(scope="module")
def atlas() -> Atlas:
    return load_atlas()


@pytest.fixture(scope="module")
def layers() -> NeighbourhoodLayers:
    return load_neighbourhoods()


@pytest.fixture(scope="module")
def people(atlas: Atlas, layers: NeighbourhoodLayers) -> ReachPeople:
    reach = reach_areas(atlas.sites, clip_to=atlas.boroughs)
    return reach_people(layers.agebs, reach, atlas.boroughs, need_inputs(atlas.indicators)[0])


def test_reach_share_data_known_answers_on_synthetic_rows() -> None:
    table = reach_share_data(synthetic_by_borough(), names=NAMES, lang="en", selected=[MILPA_ALTA])
    assert table["cvegeo"].tolist() == [BENITO_JUAREZ] * 2 + [IZTAPALAPA] * 2 + [MILPA_ALTA] * 2, (
        "ordered by the share at the longest distance"
    )
    assert table["distance_m"].tolist() == [800, 1500] * 3
    assert table["people_within_share"].tolist() == pytest.approx([0.1, 0.7, 0.2, 0.6, 15 / 150, 50 / 150])
    milpa_alta = table[(table["cvegeo"] == MILPA_ALTA) & (table["distance_m"] == 1500)].iloc[0]
    assert (milpa_alta["people_within_ageb"], milpa_alta["people_within_rural"]) == (20, 30)
    assert (milpa_alta["population"], milpa_alta["people_not_located"]) == (150, 10)
    assert milpa_alta["methods"] == "By AGEB; Rural remainder, by borough"
    assert set(table.loc[table["cvegeo"] == IZTAPALAPA, "methods"]) == {"By AGEB"}, (
        "no rural people, no rural method"
    )
    assert table["selected"].tolist() == [False, False, False, False, True, True]
    assert table["borough"].tolist()[::2] == ["Benito Juárez", "Iztapalapa", "Milpa Alta"]


def test_reach_share_bars_say_what_each_method_counted(atlas: Atlas, layers: NeighbourhoodLayers) -> None:
    fig, _ = reach_share(
        synthetic_by_borough(), atlas.indicators, layers.fields, names=NAMES, lang="en", selected=[IZTAPALAPA]
    )
    assert [trace.name for trace in fig.data] == ["Within 800 m", "Within 1,500 m"]
    assert fig.data[0].marker.pattern.shape != fig.data[1].marker.pattern.shape, "told apart without hue"
    assert list(fig.data[1].x) == pytest.approx([70, 60, 100 / 3])
    assert list(fig.data[1].customdata) == [BENITO_JUAREZ, IZTAPALAPA, MILPA_ALTA]
    assert list(fig.data[1].text) == ["70.0%", "60.0%", "33.3%"]
    assert list(fig.data[1].marker.opacity) == [0.35, 1.0, 0.35]
    assert fig.data[1].hovertext[2] == (
        "<b>Milpa Alta</b><br>Within 1,500 m: 50 of 150 people (33.3%)<br>By AGEB: 20<br>"
        "Rural remainder, by borough: 30<br>Not locatable: 10"
    )
    note = source_note(fig)
    assert note.startswith("Source: CONAPO, Índice de marginación urbana 2020 (AGEB)")
    assert "INEGI" in note
    assert "UTOPÍAS sites compiled by the Atlas" in note


def test_reach_share_escapes_borough_names(atlas: Atlas, layers: NeighbourhoodLayers) -> None:
    fig, _ = reach_share(
        synthetic_by_borough(), atlas.indicators, layers.fields, names={IZTAPALAPA: HOSTILE_NAME}, lang="en"
    )
    assert list(fig.data[0].y) == [ESCAPED_NAME]
    assert fig.data[0].hovertext[0].startswith(f"<b>{ESCAPED_NAME}</b>")


def test_describe_reach_share_counts_boroughs_with_nobody_within_reach() -> None:
    table = reach_share_data(synthetic_by_borough(), names=NAMES, lang="en")
    assert describe_reach_share(table, lang="en") == (
        "Bar chart of the estimated share of each borough's people within walking reach of an open UTOPÍA: "
        "within 1,500 m, highest Benito Juárez (70.0%); lowest Milpa Alta (33.3%); in the city, "
        "800 m: 18.0%; 1,500 m: 57.6%."
    )
    nobody = synthetic_by_borough()
    nobody.loc[nobody["cvegeo"] == MILPA_ALTA, ["people_within", "people_within_share"]] = 0.0
    table = reach_share_data(nobody, names=NAMES, lang="es")
    assert "alcaldías sin nadie dentro del alcance: 1" in describe_reach_share(table, lang="es")


def test_methods_text_names_every_method_in_the_language() -> None:
    text = methods_text("fr")
    assert text.startswith("Par AGEB : ")
    assert all(
        method_note(method, "fr") in text for method in (AGEB_DASYMETRIC, BOROUGH_AREAL_RURAL, COMBINED)
    )


def test_reach_shares_of_the_shipped_data(atlas: Atlas, people: ReachPeople) -> None:
    """Real data: one row per borough and distance, shares between 0 and 1, the methods adding up."""
    table = reach_share_data(people.by_borough, names=atlas.borough_names, lang="en")
    assert len(table) == 2 * len(atlas.borough_names)
    assert table["people_within_share"].between(0, 1).all()
    parts = table[list(METHOD_COLUMNS.values())].sum(axis=1)
    assert parts.to_numpy() == pytest.approx(table["people_within"].to_numpy())
    population = need_inputs(atlas.indicators)[0]
    assert table["population"].to_numpy() == pytest.approx(population.reindex(table["cvegeo"]).to_numpy())
    shares = table.pivot(index="cvegeo", columns="distance_m", values="people_within_share")
    assert (shares[1500] >= shares[800]).all(), "the longer walk reaches at least as many"
    assert table["methods"].str.startswith("By AGEB").all()
