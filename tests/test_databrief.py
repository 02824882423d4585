"""Deriving data/*.csv from the research brief: parsing, corrections, reproducibility."""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest

from geo import paths
from geo.databrief import (
    build_indicators,
    build_pcmb,
    build_sites,
    normalise_status,
    parse_count,
    parse_opening,
    parse_period,
    slugify,
    write_tables,
)

FIRST_PASS_COLUMNS = [
    "name",
    "alcaldia",
    "colonia",
    "address",
    "opened",
    "status",
    "area_m2",
    "main_facilities",
    "lat",
    "lon",
    "location_precision",
    "source_url",
]


@pytest.fixture
def brief_dir() -> Path:
    """The real research brief; present on development machines and in CI only."""
    if not paths.DATA_BRIEF.is_dir():
        pytest.skip(f"the data brief is not at {paths.DATA_BRIEF} (it is not shipped with the app)")
    return paths.DATA_BRIEF


@pytest.fixture(scope="module")
def real_sites() -> pd.DataFrame:
    if not paths.DATA_BRIEF.is_dir():
        pytest.skip(f"the data brief is not at {paths.DATA_BRIEF} (it is not shipped with the app)")
    return build_sites(paths.DATA_BRIEF).set_index("name")


def _site(name: str, **values: str) -> dict[str, str]:
    row = dict.fromkeys(FIRST_PASS_COLUMNS, "")
    row.update(name=name, alcaldia="Iztapalapa", status="open", source_url="https://example.org/synthetic")
    row.update(values)
    return row


@pytest.fixture
def synthetic_brief(tmp_path: Path) -> Path:
    """A made-up two-site brief: the second pass corrects one site and leaves the other alone."""
    first = [
        _site("Utopía Sintética Uno", opened="2024-04-13", lat="19.36", lon="-99.05"),
        _site("Utopía Sintética Dos", opened="", status="announced"),
    ]
    second = [
        _site(
            "Utopía Sintética Uno", opened="2023-04-13", lat="19.36", lon="-99.05", changes="CORRECTION: 2023"
        ),
    ]
    pd.DataFrame(first, columns=FIRST_PASS_COLUMNS).to_csv(tmp_path / "utopias.csv", index=False)
    pd.DataFrame(second).to_csv(tmp_path / "utopias_second_pass.csv", index=False)
    return tmp_path


# --- opening dates: one case per pattern found in the brief -------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2023-02-26", ("2023-02-26", "exact")),
        ("2024-09-30", ("2024-09-30", "exact")),
        ("2026-07-12 (third-party catalogue only)", ("2026-07-12", "exact")),
        ("2021-10 (reported 25 Oct 2021)", ("2021-10", "exact")),
        (
            "2024-07 (cultural complex, ~16-17 Jul 2024; reported as Utopía no. 13); social + sports complexes 2024-08-04",
            ("2024-07", "exact"),
        ),
        (
            "2024 (recently inaugurated when visited in Aug-Sep 2024; before 2024-10-03)",
            ("2024", "exact"),
        ),
        ("  2023-04-13  ", ("2023-04-13", "exact")),
    ],
)
def test_parse_opening_exact_day_month_or_year(text: str, expected: tuple[str, str]) -> None:
    assert parse_opening(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "by 2021-07 (visited as operating, El Heraldo de México column of 23 Jul 2021); exact date not found",
            ("2021-07", "by"),
        ),
        ("by 2022-03-27 (toured as operating by President López Obrador)", ("2022-03-27", "by")),
        (
            "before 2023-04-13 (listed among the 12 Utopías when Barco opened)",
            ("2023-04-13", "by"),
        ),
    ],
)
def test_parse_opening_by_and_before_are_bounds(text: str, expected: tuple[str, str]) -> None:
    assert parse_opening(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "probably 2021 (Iztapasauria/Utopía opening planned for Aug 2021 per April 2021 reports)",
        "planned Jan 2026 (Proceso, Oct 2025); not confirmed",
        "expected Jan–Feb 2026 (El Universal 2026-01-11); not confirmed",
        "June 2026 per third-party app (unverified)",
        "opening announced for 2026-07-26 per third-party app (unverified)",
        "construction started 2025-10-30",
        # A bound hedged in its own clause is a guess, not a bound.
        "by 2021-07 probably (El Heraldo de México describes PAPALOTZIN; name differs, so not certain)",
        "",
    ],
)
def test_parse_opening_plans_and_guesses_are_unknown(text: str) -> None:
    assert parse_opening(text) == ("", "unknown")


def test_parse_opening_does_not_read_a_number_glued_to_the_year() -> None:
    assert parse_opening("20231 visitors") == ("", "unknown")


# --- status, identifiers, PCMB fields -----------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("open", "open"),
        ("Open", "open"),
        ("open (third-party); announced Dec 2024", "open"),
        ("open (per third-party catalogue only)", "open"),
        ("under construction", "under_construction"),
        ("under construction (~70% in Feb 2026)", "under_construction"),
        ("announced; suspended by amparo (Oct 2025)", "announced"),
        ("announced Dec 2024 (third-party: under construction)", "announced"),
        ("  announced  ", "announced"),
    ],
)
def test_normalise_status(text: str, expected: str) -> None:
    assert normalise_status(text) == expected


@pytest.mark.parametrize("text", ["closed", "", "reopened", "in planning"])
def test_normalise_status_unrecognised_raises(text: str) -> None:
    with pytest.raises(ValueError, match="unrecognised status"):
        normalise_status(text)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Utopía Teotongo", "utopia-teotongo"),
        ("Barco Utopía", "barco-utopia"),
        ("Utopía Cuauhtlicalli (Aculco)", "utopia-cuauhtlicalli-aculco"),
        ("Utopía La Heroica (Deportivo Eduardo Molina)", "utopia-la-heroica-deportivo-eduardo-molina"),
        ("Utopía Oyamel / Cen Tlalli Ocotepec", "utopia-oyamel-cen-tlalli-ocotepec"),
        ("Utopía de las Niñas y los Niños", "utopia-de-las-ninas-y-los-ninos"),
        ("Utopía Estrella Huizachtépetl", "utopia-estrella-huizachtepetl"),
        (
            "Utopía Deportivo El Triángulo (may be the same project as Tlaltenco; not confirmed)",
            "utopia-deportivo-el-triangulo",
        ),
        ("  ¡Utopía!  ", "utopia"),
    ],
)
def test_slugify(name: str, expected: str) -> None:
    assert slugify(name) == expected


@pytest.mark.parametrize(
    ("period", "expected"),
    [("2015", (2015, 2015)), ("2007-2014", (2007, 2014)), (" 2024 ", (2024, 2024))],
)
def test_parse_period(period: str, expected: tuple[int, int]) -> None:
    assert parse_period(period) == expected


@pytest.mark.parametrize("period", ["", "2015-07", "15", "2007–2014", "about 2015"])
def test_parse_period_unrecognised_raises(period: str) -> None:
    with pytest.raises(ValueError, match="unrecognised PCMB period"):
        parse_period(period)


@pytest.mark.parametrize(
    ("text", "expected"),
    [(">150", (150.0, ">")), ("160", (160.0, "")), ("<10", (10.0, "<")), ("~20", (20.0, "~"))],
)
def test_parse_count(text: str, expected: tuple[float, str]) -> None:
    assert parse_count(text) == expected


def test_parse_count_empty_is_missing_not_zero() -> None:
    number, qualifier = parse_count("  ")
    assert math.isnan(number)
    assert qualifier == ""


@pytest.mark.parametrize("text", ["about 150", "1,386", "150.5", ">>150"])
def test_parse_count_unrecognised_raises(text: str) -> None:
    with pytest.raises(ValueError, match="unrecognised project count"):
        parse_count(text)


# --- sites: second-pass corrections --------------------------------------------------------------


def test_build_sites_second_pass_wins_on_synthetic_brief(synthetic_brief: Path) -> None:
    sites = build_sites(synthetic_brief).set_index("name")
    assert sites.loc["Utopía Sintética Uno", "opened_date"] == "2023-04-13"
    assert sites.loc["Utopía Sintética Uno", "opened_kind"] == "exact"
    assert sites.loc["Utopía Sintética Uno", "correction_note"] == "CORRECTION: 2023"
    assert sites.loc["Utopía Sintética Dos", "correction_note"] == ""
    assert sites.loc["Utopía Sintética Dos", "status"] == "announced"
    assert sites["site_id"].tolist() == ["utopia-sintetica-uno", "utopia-sintetica-dos"]


def test_build_sites_rejects_second_pass_row_without_first_pass_row(synthetic_brief: Path) -> None:
    second = pd.read_csv(synthetic_brief / "utopias_second_pass.csv", dtype=str, keep_default_na=False)
    second.loc[0, "name"] = "Utopía Que No Existe"
    second.to_csv(synthetic_brief / "utopias_second_pass.csv", index=False)
    with pytest.raises(ValueError, match="Utopía Que No Existe"):
        build_sites(synthetic_brief)


def test_build_sites_rejects_two_sites_with_one_identifier(synthetic_brief: Path) -> None:
    first = pd.read_csv(synthetic_brief / "utopias.csv", dtype=str, keep_default_na=False)
    first.loc[1, "name"] = "Utopia Sintetica Uno"  # same slug as "Utopía Sintética Uno"
    first.to_csv(synthetic_brief / "utopias.csv", index=False)
    with pytest.raises(ValueError, match="share an identifier"):
        build_sites(synthetic_brief)


def test_build_sites_barco_utopia_corrected_to_2023(real_sites: pd.DataFrame) -> None:
    barco = real_sites.loc["Barco Utopía"]
    assert barco["opened_date"] == "2023-04-13"
    assert barco["opened_kind"] == "exact"
    assert barco["opened_text"] == "2023-04-13"
    assert barco["correction_note"].startswith("CORRECTION of first pass")


def test_build_sites_libertad_opened_2023_02_26(real_sites: pd.DataFrame) -> None:
    libertad = real_sites.loc["Utopía Libertad"]
    assert (libertad["opened_date"], libertad["opened_kind"]) == ("2023-02-26", "exact")
    assert libertad["area_m2"] == 60000.0


def test_build_sites_kinds_of_opening_in_the_real_brief(real_sites: pd.DataFrame) -> None:
    kinds = real_sites[["opened_date", "opened_kind"]].apply(tuple, axis=1).to_dict()
    assert kinds["Utopía Teotongo"] == ("2021-07", "by")
    assert kinds["Utopía La Cascada Xicoténcatl"] == ("2023-04-13", "by")
    assert kinds["Utopía Meyehualco"] == ("", "unknown")
    assert kinds["Utopía Papalotl"] == ("", "unknown")
    assert kinds["Utopía de las Niñas y los Niños"] == ("", "unknown")
    assert kinds["Utopía Atzintli"] == ("2021-10", "exact")


def test_build_sites_keeps_sites_without_coordinates(real_sites: pd.DataFrame) -> None:
    assert len(real_sites) == 35
    assert real_sites["lat"].notna().sum() == 19
    assert (real_sites["lat"].isna() == real_sites["lon"].isna()).all()
    estrella = real_sites.loc["Utopía Estrella Huizachtépetl"]
    assert math.isnan(estrella["lat"])
    assert math.isnan(estrella["lon"])
    assert estrella["status"] == "open"
    assert real_sites.loc["Utopía Tepito", "status"] == "announced"


def test_build_sites_statuses_in_the_real_brief(real_sites: pd.DataFrame) -> None:
    assert real_sites["status"].value_counts().to_dict() == {
        "open": 20,
        "announced": 10,
        "under_construction": 5,
    }


def test_build_sites_long_editorial_remark_left_out_of_identifier(real_sites: pd.DataFrame) -> None:
    name = "Utopía Deportivo El Triángulo (may be the same project as Tlaltenco; not confirmed)"
    assert real_sites.loc[name, "site_id"] == "utopia-deportivo-el-triangulo"


# --- PCMB and indicators -------------------------------------------------------------------------


def test_build_pcmb_keeps_both_conflicting_2024_reports(brief_dir: Path) -> None:
    pcmb = build_pcmb(brief_dir)
    reports_2024 = pcmb[pcmb["period"] == "2024"]
    assert reports_2024["projects"].tolist() == [152.0, 155.0]
    assert reports_2024["budget_mxn"].tolist() == [150_000_000.0, 150_000_000.0]
    assert reports_2024["source_url"].nunique() == 2


def test_build_pcmb_qualifier_and_period_split(brief_dir: Path) -> None:
    pcmb = build_pcmb(brief_dir).set_index("period")
    assert pcmb.loc["2007-2008", ["year_start", "year_end", "projects", "projects_qualifier"]].tolist() == [
        2007,
        2008,
        150.0,
        ">",
    ]
    # Two reports for 2007-2014 disagree; neither is dropped.
    assert len(pcmb.loc[["2007-2014"]]) == 2


def test_build_indicators_keeps_categories_apart_from_values(brief_dir: Path) -> None:
    table = build_indicators(brief_dir)
    grade = table[(table["indicator"] == "marginalisation_grade") & (table["cvegeo"] == "09007")]
    assert grade["value"].isna().all()
    assert grade["category"].tolist() == ["Muy bajo"]
    poverty = table[(table["indicator"] == "poverty_pct") & (table["cvegeo"] == "09007")]
    assert poverty[["year", "value"]].to_numpy().tolist() == [[2010, 36.4], [2015, 35.0], [2020, 43.89]]
    assert (poverty["category"] == "").all()
    assert table["cvegeo"].str.match(r"^090(0[2-9]|1[0-7])$").all()


# --- the committed tables are what the build step writes -----------------------------------------


def test_committed_tables_equal_write_tables_output(brief_dir: Path, tmp_path: Path) -> None:
    written = write_tables(brief_dir, tmp_path)
    assert sorted(p.name for p in written) == ["indicators.csv", "pcmb_by_year.csv", "utopias.csv"]
    for path in written:
        committed = paths.DATA_DIR / path.name
        assert path.read_bytes() == committed.read_bytes(), (
            f"data/{path.name} is stale: run `python -m geo.build tables`"
        )


def test_write_tables_without_brief_names_the_missing_folder(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="data brief is not at"):
        write_tables(tmp_path / "no-brief-here", tmp_path)
