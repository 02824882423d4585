"""The indicator registry and the derived indicators (density, estimated people in poverty)."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import pytest

from geo import i18n, paths
from geo.formatting import format_value
from geo.i18n import LANGUAGES, placeholders
from geo.indicators import (
    NEIGHBOURHOOD_POPULATION,
    NEIGHBOURHOOD_REGISTRY,
    REGISTRY,
    derive_indicators,
    derived_source,
    mappable,
    shown_sources,
)
from geo.loaders import load_atlas, read_ageb_fields

FORMATS = {"percent", "count", "density", "index", "years", "category"}
COLUMNS = ["cvegeo", "year", "indicator", "value", "category", "unit", "source", "source_url"]


@pytest.fixture(scope="module")
def shipped() -> pd.DataFrame:
    return pd.read_csv(paths.INDICATORS, dtype={"cvegeo": str})


@pytest.fixture(scope="module")
def indicators() -> pd.DataFrame:
    """The shipped indicators with their derived rows, as the app loads them."""
    return load_atlas().indicators


@pytest.fixture(scope="module")
def areas() -> pd.Series:
    return gpd.read_file(paths.BOUNDARIES, engine="pyogrio").set_index("cvegeo")["area_km2"]


def row(indicators: pd.DataFrame, cvegeo: str, year: int, indicator: str) -> pd.Series:
    match = indicators[
        (indicators["cvegeo"] == cvegeo)
        & (indicators["year"] == year)
        & (indicators["indicator"] == indicator)
    ]
    assert len(match) == 1, (cvegeo, year, indicator)
    return match.iloc[0]


def synthetic_rows(*rows: tuple[str, int, str, float]) -> pd.DataFrame:
    """Made-up indicator rows in the shipped layout, with made-up sources."""
    return pd.DataFrame(
        [
            (cvegeo, year, ind, value, "", "unit", f"Synthetic {ind}", f"https://example.org/{ind}")
            for cvegeo, year, ind, value in rows
        ],
        columns=COLUMNS,
    )


# --- registry ------------------------------------------------------------------------------------


def test_every_shipped_indicator_is_in_the_registry(shipped: pd.DataFrame) -> None:
    assert set(shipped["indicator"]) - set(REGISTRY) == set()


@pytest.mark.parametrize("indicator", sorted(REGISTRY))
def test_registry_entry_is_named_in_the_catalogue(indicator: str) -> None:
    entry = REGISTRY[indicator]
    assert entry.id == indicator
    texts = i18n.catalogue()[f"indicators.{indicator}.label"]
    assert set(texts) == set(LANGUAGES) == {"es", "en", "fr"}
    assert all(label.strip() == label and label for label in texts.values())
    assert [entry.title(lang) for lang in LANGUAGES] == [texts[lang] for lang in LANGUAGES]
    assert entry.fmt in FORMATS
    assert entry.higher_is_worse in {True, False, None}


def test_the_catalogue_names_no_indicator_the_registry_lacks() -> None:
    named = {key.split(".")[1] for key in i18n.catalogue() if key.startswith("indicators.")}
    inputs = {name for entry in REGISTRY.values() for name in entry.derived_from}
    neighbourhood = {*NEIGHBOURHOOD_REGISTRY, NEIGHBOURHOOD_POPULATION.id}
    assert named - set(REGISTRY) - neighbourhood == inputs - set(REGISTRY) == {"area_km2"}


def test_every_neighbourhood_indicator_is_an_ageb_column_with_a_label_in_each_language() -> None:
    fields = read_ageb_fields()
    for entry in (*NEIGHBOURHOOD_REGISTRY.values(), NEIGHBOURHOOD_POPULATION):
        assert entry.id in fields.index or entry.id == "people_high_share"
        assert all(entry.title(lang) for lang in LANGUAGES)
        assert entry.fmt in FORMATS
    assert [c for c in fields.index if fields.loc[c, "need"] == "lower"] == ["im_2020", "imn_2020"]
    assert NEIGHBOURHOOD_REGISTRY["im_2020"].higher_is_worse is False


@pytest.mark.parametrize("indicator", [ind for ind, entry in REGISTRY.items() if entry.derived_from])
def test_a_derived_indicator_has_its_method_and_source_line_in_every_language(indicator: str) -> None:
    inputs = set(REGISTRY[indicator].derived_from)
    for lang in LANGUAGES:
        assert REGISTRY[indicator].note(lang)
        assert placeholders(i18n.catalogue()[f"indicators.{indicator}.source"][lang]) == inputs


def test_registry_labels_are_translated_not_copied() -> None:
    copied = [ind for ind, entry in REGISTRY.items() if entry.title("es") == entry.title("en")]
    assert copied == []


def test_percent_indicators_are_named_pct_and_formatted_as_percent() -> None:
    for indicator, entry in REGISTRY.items():
        assert (entry.fmt == "percent") == ("_pct" in indicator), indicator


def test_title_is_in_the_language_asked_for() -> None:
    poverty = REGISTRY["poverty_pct"]
    assert poverty.title("es") == "Población en pobreza"
    assert poverty.title("fr") == "Population en situation de pauvreté"
    assert poverty.title() == "Population in poverty"
    assert poverty.title("de") == poverty.title("es"), "like every text, the Atlas's default language"


def test_need_direction() -> None:
    assert REGISTRY["poverty_pct"].higher_is_worse is True
    assert REGISTRY["marginalisation_index"].higher_is_worse is False  # higher = less marginalised
    assert REGISTRY["population_total"].higher_is_worse is None


def test_derived_indicators_name_their_inputs() -> None:
    assert REGISTRY["density"].derived_from == ("population_total", "area_km2")
    assert REGISTRY["poverty_persons_est"].derived_from == ("poverty_pct", "population_total")
    assert REGISTRY["poverty_pct"].derived_from == ()


# --- derived rows on the shipped data ------------------------------------------------------------


def test_density_iztapalapa_2020(indicators: pd.DataFrame, areas: pd.Series) -> None:
    density = row(indicators, "09007", 2020, "density")
    assert areas["09007"] == 113.16
    assert density["value"] == pytest.approx(1_835_486 / areas["09007"])
    assert density["value"] == pytest.approx(16_220.27, abs=0.01)
    assert density["unit"] == "persons per km²"
    assert format_value(density["value"], REGISTRY["density"].fmt, "en") == "16,220 /km²"


def test_poverty_persons_estimate_iztapalapa_2020(indicators: pd.DataFrame) -> None:
    estimate = row(indicators, "09007", 2020, "poverty_persons_est")
    assert estimate["value"] == round(43.89 * 1_835_486 / 100) == 805_595
    assert estimate["unit"] == "persons (estimate)"
    # CONEVAL's own count (different population base) stays a separate indicator.
    assert row(indicators, "09007", 2020, "poverty_persons")["value"] == 773_000


def test_derived_rows_say_they_are_derived(indicators: pd.DataFrame) -> None:
    derived = indicators[indicators["indicator"].isin(["density", "poverty_persons_est"])]
    assert len(derived) == 66
    assert derived["source"].str.startswith("Derived by the Atlas from: ").all()
    assert (derived["source_url"] != "").all()
    assert (derived["category"] == "").all()


def test_derived_source_names_each_input_source(indicators: pd.DataFrame) -> None:
    source = row(indicators, "09007", 2020, "poverty_persons_est")["source"]
    poverty_source = row(indicators, "09007", 2020, "poverty_pct")["source"]
    population_source = row(indicators, "09007", 2020, "population_total")["source"]
    assert source == (
        f"Derived by the Atlas from: share in poverty ({poverty_source}) × total population ({population_source})"
    )
    density = row(indicators, "09007", 2020, "density")["source"]
    assert density == (
        f"Derived by the Atlas from: total population ({population_source}); "
        "borough area (INEGI Marco Geoestadístico geometry, equal-area)"
    )


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("es", "Calculado por el Atlas a partir de: porcentaje en pobreza ({a}) × población total ({b})"),
        (
            "fr",
            "Calculé par l’Atlas à partir de : part en situation de pauvreté ({a}) × population totale ({b})",
        ),
    ],
)
def test_a_derived_source_is_shown_in_the_view_language(
    indicators: pd.DataFrame, lang: str, expected: str
) -> None:
    rows = indicators[(indicators["cvegeo"] == "09007") & (indicators["year"] == 2020)]
    shown = dict(zip(rows["indicator"], shown_sources(indicators, rows, lang), strict=True))
    a, b = (row(indicators, "09007", 2020, name)["source"] for name in ("poverty_pct", "population_total"))
    assert shown["poverty_persons_est"] == expected.format(a=a, b=b)
    assert shown["density"] == derived_source("density", {"population_total": b}, lang)
    assert "Derived by the Atlas" not in shown["density"]
    assert f"({b})" in shown["density"]
    assert f"({i18n.t('indicators.area_km2.source', lang)})" in shown["density"]
    # The sources' own words stay as published.
    assert shown["poverty_pct"] == a
    assert shown["population_total"] == b


def test_in_english_a_derived_source_is_shown_as_the_table_gives_it(indicators: pd.DataFrame) -> None:
    assert shown_sources(indicators, indicators, "en") == indicators["source"].tolist()


def test_shipped_rows_are_not_derived(shipped: pd.DataFrame) -> None:
    # The brief's own derivations ("Derived in this brief …") are shipped rows; the Atlas's are not.
    assert not shipped["source"].str.startswith("Derived by the Atlas").any()
    assert not shipped["indicator"].isin(["density", "poverty_persons_est"]).any()


# --- derive_indicators on synthetic rows ---------------------------------------------------------


def test_derive_on_synthetic_rows() -> None:
    table = synthetic_rows(
        ("09002", 2020, "population_total", 1000.0),
        ("09002", 2020, "poverty_pct", 25.0),
        ("09003", 2020, "population_total", 500.0),
    )
    areas = pd.Series({"09002": 4.0, "09003": 2.0})
    derived = derive_indicators(table, areas)
    assert list(derived.columns) == COLUMNS
    derived = derived.set_index(["indicator", "cvegeo"])
    assert derived.loc[("density", "09002"), "value"] == 250.0
    assert derived.loc[("density", "09003"), "value"] == 250.0
    assert derived.loc[("poverty_persons_est", "09002"), "value"] == 250.0
    # 09003 has no poverty share: no estimate, never a guessed one.
    assert ("poverty_persons_est", "09003") not in derived.index
    assert derived.loc[("poverty_persons_est", "09002"), "source_url"] == (
        "https://example.org/poverty_pct | https://example.org/population_total"
    )


def test_derive_needs_inputs_for_the_same_year() -> None:
    table = synthetic_rows(
        ("09002", 2015, "population_total", 1000.0),
        ("09002", 2020, "poverty_pct", 25.0),
    )
    derived = derive_indicators(table, pd.Series({"09002": 4.0}))
    assert derived["indicator"].tolist() == ["density"]
    assert derived["year"].tolist() == [2015]


def test_derive_without_area_gives_no_density() -> None:
    table = synthetic_rows(("09002", 2020, "population_total", 1000.0))
    derived = derive_indicators(table, pd.Series({"09003": 4.0}))
    assert derived.empty


def test_derive_rounds_estimate_to_whole_persons() -> None:
    table = synthetic_rows(
        ("09002", 2020, "population_total", 1001.0),
        ("09002", 2020, "poverty_pct", 33.3),
    )
    derived = derive_indicators(table, pd.Series({"09002": 1.0})).set_index("indicator")
    assert derived.loc["poverty_persons_est", "value"] == 333.0  # 333.333 persons


# --- what can be drawn as a choropleth -----------------------------------------------------------


def test_mappable_poverty_years(indicators: pd.DataFrame) -> None:
    assert mappable(indicators)["poverty_pct"] == [2010, 2015, 2020]


def test_mappable_excludes_indicators_known_for_few_boroughs(indicators: pd.DataFrame) -> None:
    drawable = mappable(indicators)
    for indicator in [
        "youth_15_29_share_pct",
        "youth_18_29_share_pct",
        "youth_20_29_share_pct",
        "median_age",
        "poverty_persons",
        "unmet_basic_needs_pct_evalua",
    ]:
        assert indicator not in drawable


def test_mappable_excludes_categorical_and_incomplete_years(indicators: pd.DataFrame) -> None:
    drawable = mappable(indicators)
    assert "marginalisation_grade" not in drawable  # categorical: no numeric value
    assert drawable["marginalisation_index"] == [2020]
    # 2015 population is known for one borough only, so neither it nor its derivatives map for 2015.
    assert drawable["population_total"] == [2010, 2020]
    assert drawable["density"] == [2010, 2020]
    assert drawable["poverty_persons_est"] == [2010, 2020]


def test_mappable_every_year_has_all_sixteen_boroughs(indicators: pd.DataFrame) -> None:
    numeric = indicators.dropna(subset=["value"])
    for indicator, years in mappable(indicators).items():
        for year in years:
            present = numeric[(numeric["indicator"] == indicator) & (numeric["year"] == year)]
            assert present["cvegeo"].nunique() == 16, (indicator, year)


def test_mappable_ignores_ids_outside_the_registry() -> None:
    table = synthetic_rows(*[(f"09{n:03d}", 2020, "not_registered", 1.0) for n in range(2, 18)])
    assert mappable(table) == {}
