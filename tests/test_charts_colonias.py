"""Within one borough, the colonias with most estimated people in high marginalisation."""

from __future__ import annotations

import pandas as pd
import pytest

from geo.charts.colonias import (
    TOP,
    chosen_borough,
    colonia_need,
    colonia_need_data,
    describe_colonia_need,
)
from geo.charts.grades import grade_colours
from geo.loaders import load_atlas, read_colonias
from tests.charts_support import ESCAPED_NAME, HOSTILE_NAME, IZTAPALAPA, MILPA_ALTA, source_note

NAMES = {IZTAPALAPA: "Iztapalapa", MILPA_ALTA: "Milpa Alta"}
COLUMNS = [
    "cveut",
    "name",
    "borough",
    "population_estimate",
    "people_alto",
    "people_muy_alto",
    "people_high_share",
]


def synthetic_colonias() -> pd.DataFrame:
    """Synthetic colonias: 16 in Iztapalapa with people in high grades (two share a name), one without, one elsewhere."""
    rows = [(f"07-{n:03d}", f"COLONIA {n}", IZTAPALAPA, 1000.0, 10.0 * n, 0.0, n / 100) for n in range(1, 17)]
    rows[0] = ("07-001", "COLONIA 3", IZTAPALAPA, 1000.0, 5.0, 25.0, 0.03)  # ties with COLONIA 3 (30 people)
    rows += [
        ("07-100", "SIN MARGINACION", IZTAPALAPA, 5000.0, 0.0, 0.0, 0.0),
        ("09-001", "OTRA", MILPA_ALTA, 500.0, 400.0, 100.0, 1.0),
    ]
    return pd.DataFrame(rows, columns=COLUMNS)


def test_chosen_borough_is_the_selection_then_the_filter() -> None:
    codes = {IZTAPALAPA, MILPA_ALTA}
    assert chosen_borough(MILPA_ALTA, (IZTAPALAPA,), codes) == MILPA_ALTA
    assert chosen_borough("", (IZTAPALAPA, MILPA_ALTA), codes) == IZTAPALAPA
    assert chosen_borough("", ("09099", MILPA_ALTA), codes) == MILPA_ALTA
    assert chosen_borough("", (), codes) is None


def test_colonia_need_data_known_answers_on_synthetic_colonias() -> None:
    table = colonia_need_data(synthetic_colonias(), IZTAPALAPA, names=NAMES, selected="07-016")
    assert len(table) == TOP == 15
    assert table["cveut"].tolist()[:3] == ["07-016", "07-015", "07-014"]
    assert table["people_high"].tolist()[:3] == [160, 150, 140]
    assert table["rank"].tolist() == list(range(1, 16))
    assert table["cveut"].tolist()[-2:] == ["07-001", "07-003"], (
        "a tie (30 people, same name) is ordered by key"
    )
    first = table[table["cveut"] == "07-001"].iloc[0]
    assert (first["people_alto"], first["people_muy_alto"], first["people_high"]) == (5, 25, 30)
    assert "07-002" not in set(table["cveut"]), "only the top 15"
    assert "07-100" not in set(table["cveut"]), "a colonia with nobody in high grades is not ranked"
    assert set(table["cvegeo"]) == {IZTAPALAPA}
    assert set(table["borough"]) == {"Iztapalapa"}
    assert table.loc[table["selected"], "cveut"].tolist() == ["07-016"]


def test_colonia_need_stacks_the_high_grades_in_the_map_colours() -> None:
    fig, table = colonia_need(
        synthetic_colonias(), IZTAPALAPA, names=NAMES, lang="en", palette_name="cividis"
    )
    colours = grade_colours("cividis")
    assert [trace.name for trace in fig.data] == ["Very high", "High"]
    assert [trace.marker.color for trace in fig.data] == [colours["Muy alto"], colours["Alto"]]
    assert fig.layout.barmode == "stack"
    assert list(fig.data[0].customdata) == table["cveut"].tolist(), "the marks carry the colonia key"
    labels = list(fig.data[0].y)
    assert len(set(labels)) == len(labels) == 15, "two colonias of one name keep a bar each"
    assert labels[-2:] == ["COLONIA 3 (07-001)", "COLONIA 3 (07-003)"]
    assert "Colonias of Iztapalapa" in fig.layout.title.text
    assert "The 15 of 16 colonias" in fig.layout.title.text
    assert "estimate" in fig.layout.xaxis.title.text
    assert source_note(fig) == "Source: Atlas estimate from CONAPO by AGEB and IECM (2020)"


def test_colonia_need_is_none_without_any_colonia_in_high_grades() -> None:
    colonias = synthetic_colonias()
    assert colonia_need(colonias, "09014", names=NAMES, lang="en") is None
    assert colonia_need(colonias[colonias["cveut"] == "07-100"], IZTAPALAPA, names=NAMES, lang="en") is None


def test_colonia_need_escapes_colonia_names() -> None:
    colonias = synthetic_colonias()
    colonias.loc[colonias["cveut"] == "07-016", "name"] = HOSTILE_NAME
    fig, table = colonia_need(colonias, IZTAPALAPA, names=NAMES, lang="en")
    assert fig.data[0].y[0] == ESCAPED_NAME
    assert fig.data[0].hovertext[0].startswith(f"<b>{ESCAPED_NAME}</b>")
    assert table["colonia"].iloc[0] == HOSTILE_NAME, "the table keeps the data as it is"


def test_describe_colonia_need_names_the_first_and_the_last() -> None:
    _, table = colonia_need(synthetic_colonias(), IZTAPALAPA, names=NAMES, lang="es")
    assert describe_colonia_need(table, lang="es") == (
        "Gráfica de barras de las 15 colonias de Iztapalapa con más personas estimadas en AGEB de marginación "
        "alta o muy alta (2020): primera COLONIA 16 (160), última COLONIA 3 (30)."
    )


def test_colonia_need_of_the_shipped_data() -> None:
    """Real data: Iztapalapa's colonias ranked from data/colonias.csv, their people as the file says."""
    colonias = read_colonias()
    table = colonia_need_data(colonias, IZTAPALAPA, names=load_atlas().borough_names)
    rows = colonias.set_index("cveut").loc[table["cveut"]]
    assert len(table) == TOP
    assert table["people_high"].to_numpy() == pytest.approx(
        (rows["people_alto"] + rows["people_muy_alto"]).to_numpy()
    )
    assert table["people_high"].is_monotonic_decreasing
    assert table["people_high_share"].between(0, 1).all()
