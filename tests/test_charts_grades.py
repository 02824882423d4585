"""People by CONAPO marginalisation grade per borough, from the AGEB table."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from geo.areamodel import grade_names
from geo.charts.grades import GRADE_COLUMNS, NO_GRADE, describe_grade_people, grade_people, grade_people_data
from geo.classify import NO_DATA_COLOUR, ordinal_classes
from geo.loaders import NeighbourhoodLayers, load_atlas, load_neighbourhoods
from geo.vocabulary import MARGINALISATION_GRADES
from tests.charts_support import ESCAPED_NAME, HOSTILE_NAME, IZTAPALAPA, MILPA_ALTA, source_note

BENITO_JUAREZ = "09014"
NAMES = {IZTAPALAPA: "Iztapalapa", MILPA_ALTA: "Milpa Alta", BENITO_JUAREZ: "Benito Juárez"}
SOURCE = "CONAPO, Índice de marginación urbana 2020 (AGEB), con base en INEGI, Censo 2020"


def synthetic_agebs() -> pd.DataFrame:
    """Synthetic AGEBs: grades, one without an index row, one with people but no grade, one elsewhere."""
    return pd.DataFrame(
        [
            ("A1", IZTAPALAPA, "Alto", 100.0),
            ("A2", IZTAPALAPA, "Muy alto", 50.0),
            ("A3", IZTAPALAPA, "Bajo", 300.0),
            ("A4", IZTAPALAPA, None, float("nan")),  # no index row: people unknown
            ("B1", MILPA_ALTA, "Medio", 200.0),
            ("B2", MILPA_ALTA, None, 10.0),  # people but no grade
            ("B3", MILPA_ALTA, "Muy alto", 20.0),
            ("C1", "09002", "Alto", 999.0),  # a borough not charted
        ],
        columns=["cvegeo", "borough", "gm_2020", "pob_total"],
    )


def synthetic_fields() -> pd.DataFrame:
    return pd.DataFrame(
        {"year": [2020, 2020], "source": [SOURCE, SOURCE], "source_url": ["https://example.org/imx"] * 2},
        index=pd.Index(["pob_total", "gm_2020"], name="column"),
    )


@pytest.fixture(scope="module")
def layers() -> NeighbourhoodLayers:
    return load_neighbourhoods()


def test_grade_people_data_known_answers_on_synthetic_agebs() -> None:
    table = grade_people_data(synthetic_agebs(), synthetic_fields(), names=NAMES, selected=[MILPA_ALTA])
    assert table["cvegeo"].tolist() == [IZTAPALAPA, MILPA_ALTA, BENITO_JUAREZ], (
        "most people in high grades first"
    )
    iztapalapa, milpa_alta, benito = (row for _, row in table.iterrows())
    assert [iztapalapa[GRADE_COLUMNS[g]] for g in MARGINALISATION_GRADES] == [0, 300, 0, 100, 50]
    assert (iztapalapa["people"], iztapalapa["people_high"], iztapalapa[NO_GRADE]) == (450, 150, 0)
    assert iztapalapa["high_share"] == pytest.approx(1 / 3)
    assert (iztapalapa["agebs"], iztapalapa["unknown_agebs"]) == (4, 1)
    assert [milpa_alta[GRADE_COLUMNS[g]] for g in MARGINALISATION_GRADES] == [0, 0, 200, 0, 20]
    assert (milpa_alta[NO_GRADE], milpa_alta["people"], milpa_alta["people_high"]) == (10, 230, 20)
    assert (benito["people"], benito["agebs"]) == (0, 0), "a borough without AGEBs has nobody, not no row"
    assert math.isnan(benito["high_share"]), "no share of nobody"
    assert table["selected"].tolist() == [False, True, False]
    assert set(table["source"]) == {SOURCE}
    assert set(table["year"]) == {2020}


def test_grade_people_stacks_the_map_colours_most_need_first() -> None:
    fig, _ = grade_people(
        synthetic_agebs(),
        synthetic_fields(),
        names=NAMES,
        lang="en",
        palette_name="viridis",
        selected=[IZTAPALAPA],
    )
    map_colours = ordinal_classes(
        pd.Series(dtype=object), MARGINALISATION_GRADES, grade_names("en"), "viridis"
    ).colours
    assert [trace.name for trace in fig.data] == [
        "Very high",
        "High",
        "Medium",
        "Low",
        "Very low",
        "No grade (no data)",
    ]
    assert [trace.marker.color for trace in fig.data[:5]] == list(reversed(map_colours))
    assert fig.data[5].marker.color == NO_DATA_COLOUR
    assert fig.data[5].marker.pattern.shape == "x", "no data is told by a pattern too, not by grey alone"
    assert fig.layout.barmode == "stack"
    assert list(fig.data[0].customdata) == [IZTAPALAPA, MILPA_ALTA, BENITO_JUAREZ]
    assert list(fig.data[0].marker.opacity) == [1.0, 0.35, 0.35]
    assert source_note(fig).startswith("Source: CONAPO, Índice de marginación urbana 2020 (AGEB)")
    assert "AGEBs without an index row (people unknown, not counted): 1" in fig.layout.title.text


def test_grade_people_leaves_out_the_no_grade_part_when_there_is_none() -> None:
    agebs = synthetic_agebs().dropna(subset=["gm_2020"])
    fig, table = grade_people(agebs, synthetic_fields(), names=NAMES, lang="fr")
    assert [trace.name for trace in fig.data] == ["Très élevé", "Élevé", "Moyen", "Faible", "Très faible"]
    assert table[NO_GRADE].eq(0).all()


def test_grade_people_escapes_borough_names() -> None:
    fig, _ = grade_people(synthetic_agebs(), synthetic_fields(), names={IZTAPALAPA: HOSTILE_NAME}, lang="en")
    assert list(fig.data[0].y) == [ESCAPED_NAME]
    assert all(HOSTILE_NAME not in text for text in fig.data[0].hovertext)


def test_describe_grade_people_names_the_top_borough_and_the_city() -> None:
    _, table = grade_people(synthetic_agebs(), synthetic_fields(), names=NAMES, lang="en")
    assert describe_grade_people(table, lang="en") == (
        "Stacked bar chart of each borough's people by the marginalisation grade of their AGEB (2020): most "
        "people in grades High or Very high in Iztapalapa (150, 33.3%); boroughs with none: 1; in the city, "
        "170 of 680 people (25.0%)."
    )


def test_grade_sums_per_borough_equal_the_ageb_populations(layers: NeighbourhoodLayers) -> None:
    """Real data: every person of an AGEB is in exactly one grade part of its borough's bar."""
    names = load_atlas().borough_names
    table = grade_people_data(layers.agebs, layers.fields, names=names).set_index("cvegeo")
    parts = [*GRADE_COLUMNS.values(), NO_GRADE]
    expected = layers.agebs.groupby("borough")["pob_total"].sum()
    assert set(table.index) == set(names)
    pd.testing.assert_series_equal(
        table[parts].sum(axis=1).sort_index(), expected.sort_index(), check_names=False
    )
    assert (table["people"] == table[parts].sum(axis=1)).all()
    assert table["people_high"].tolist() == sorted(table["people_high"], reverse=True)
    assert table["high_share"].between(0, 1).all()
    assert int(table["unknown_agebs"].sum()) == int(layers.agebs["pob_total"].isna().sum())
