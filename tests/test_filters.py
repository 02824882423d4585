"""Filters and headline figures: which sites a view selects, the people and poverty it covers,
the borough panel's order, and which borough a map click lands in."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import pytest
import shapely

from geo.filters import (
    FIRST_PROGRAMME_YEAR,
    borough_at,
    borough_profile,
    filter_sites,
    headline,
    opened_year,
    opened_year_range,
)
from geo.indicators import REGISTRY
from geo.loaders import Atlas, load_atlas
from geo.state import ViewState

LATEST = 2026
IZTAPALAPA = "09007"
MILPA_ALTA = "09009"


@pytest.fixture(scope="module")
def atlas() -> Atlas:
    return load_atlas()


def view(**values: object) -> ViewState:
    """A view of poverty 2020 with everything shown, changed by ``values``."""
    return ViewState(**{"ind": "poverty_pct", "year": 2020, "opened": LATEST, **values})


@pytest.fixture
def sites() -> gpd.GeoDataFrame:
    """Synthetic sites covering each status, opening kind and programme the filters tell apart."""
    rows = [
        # site_id, programme, status, cvegeo, opened_kind, opened_date, located
        ("exact-2020", "utopias", "open", "09007", "exact", "2020-07-22", True),
        ("by-2021", "utopias", "open", "09007", "by", "2021-07", True),
        ("exact-2023-year-only", "utopias", "open", "09006", "exact", "2023", False),
        ("unknown-open", "utopias", "open", "09007", "unknown", "", True),
        ("building", "utopias", "under_construction", "09005", "unknown", "", True),
        ("announced", "utopias", "announced", "09012", "unknown", "", False),
        ("pcmb-2022", "pcmb", "open", "09002", "exact", "2022-01-10", True),
    ]
    frame = pd.DataFrame(
        [row[:6] for row in rows],
        columns=["site_id", "programme", "status", "cvegeo", "opened_kind", "opened_date"],
    )
    geometry = [shapely.Point(-99.1, 19.4) if row[6] else None for row in rows]
    return gpd.GeoDataFrame(frame, geometry=geometry, crs="EPSG:4326")


def ids(frame: pd.DataFrame) -> list[str]:
    return frame["site_id"].tolist()


# --- opening years -------------------------------------------------------------------------------


def test_opened_year_counts_exact_and_by_dates(sites: gpd.GeoDataFrame) -> None:
    years = opened_year(sites)
    assert str(years.dtype) == "Int64"
    assert years.tolist() == [2020, 2021, 2023, pd.NA, pd.NA, pd.NA, 2022]


def test_opened_year_ignores_a_date_marked_unknown(sites: gpd.GeoDataFrame) -> None:
    sites.loc[sites["site_id"] == "unknown-open", "opened_date"] = "2019"  # date present, kind unknown
    assert opened_year(sites).isna().tolist() == [False, False, False, True, True, True, False]


def test_opened_year_range(sites: gpd.GeoDataFrame, atlas: Atlas) -> None:
    assert opened_year_range(sites) == (2019, 2023)
    assert opened_year_range(atlas.sites) == (FIRST_PROGRAMME_YEAR, 2026)


def test_opened_year_range_without_known_dates(sites: gpd.GeoDataFrame) -> None:
    unknown = sites[sites["opened_kind"] == "unknown"]
    assert opened_year_range(unknown) == (2019, 2019)
    assert opened_year_range(sites.iloc[0:0]) == (2019, 2019)


# --- filter_sites --------------------------------------------------------------------------------


def test_filter_latest_year_keeps_everything(sites: gpd.GeoDataFrame) -> None:
    assert ids(filter_sites(sites, view(), LATEST)) == ids(sites)


def test_filter_by_programme(sites: gpd.GeoDataFrame) -> None:
    assert ids(filter_sites(sites, view(prog=("pcmb",)), LATEST)) == ["pcmb-2022"]
    assert ids(filter_sites(sites, view(prog=()), LATEST)) == []


def test_filter_by_status(sites: gpd.GeoDataFrame) -> None:
    selected = filter_sites(sites, view(status=("under_construction", "announced")), LATEST)
    assert ids(selected) == ["building", "announced"]


def test_filter_by_borough(sites: gpd.GeoDataFrame) -> None:
    assert ids(filter_sites(sites, view(boro=("09007", "09006")), LATEST)) == [
        "exact-2020",
        "by-2021",
        "exact-2023-year-only",
        "unknown-open",
    ]


@pytest.mark.parametrize(
    ("year", "expected"),
    [
        (2019, []),
        (2020, ["exact-2020"]),
        (2021, ["exact-2020", "by-2021"]),
        (2022, ["exact-2020", "by-2021", "pcmb-2022"]),
        (2025, ["exact-2020", "by-2021", "exact-2023-year-only", "pcmb-2022"]),
    ],
)
def test_filter_past_year_keeps_open_sites_known_to_have_opened(
    sites: gpd.GeoDataFrame, year: int, expected: list[str]
) -> None:
    # Unknown openings, and every status but "open", drop out for any past year.
    assert ids(filter_sites(sites, view(opened=year), LATEST)) == expected


def test_filter_combines_year_and_other_filters(sites: gpd.GeoDataFrame) -> None:
    state = view(opened=2022, prog=("utopias",), boro=("09007",))
    assert ids(filter_sites(sites, state, LATEST)) == ["exact-2020", "by-2021"]
    assert len(sites) == 7  # the input is not changed


def test_filter_shipped_sites_by_year(atlas: Atlas) -> None:
    latest = opened_year_range(atlas.sites)[1]
    assert len(filter_sites(atlas.sites, view(opened=latest), latest)) == len(atlas.sites)
    assert filter_sites(atlas.sites, view(opened=2019), latest).empty
    assert filter_sites(atlas.sites, view(opened=2020), latest)["name"].tolist() == ["Utopía Olini"]
    assert filter_sites(atlas.sites, view(opened=2021), latest)["name"].tolist() == [
        "Utopía Teotongo",
        "Utopía Olini",
        "Utopía Atzintli",
        "Utopía Tezontli",
    ]


# --- headline ------------------------------------------------------------------------------------


def test_headline_whole_city(atlas: Atlas) -> None:
    state = view()
    figures = headline(atlas, state, filter_sites(atlas.sites, state, LATEST))
    population = atlas.indicators[
        (atlas.indicators["indicator"] == "population_total") & (atlas.indicators["year"] == 2020)
    ]
    assert figures.population == 9_209_944
    assert figures.population == population["value"].sum()
    assert figures.boroughs == tuple(atlas.boroughs["cvegeo"])
    assert figures.year == 2020
    assert figures.population_source.startswith("INEGI Censo de Población y Vivienda 2020")


def test_headline_site_counts_add_up(atlas: Atlas) -> None:
    for state in (view(), view(boro=(IZTAPALAPA,)), view(opened=2023), view(status=("announced",))):
        selected = filter_sites(atlas.sites, state, LATEST)
        figures = headline(atlas, state, selected)
        assert figures.sites_on_map + figures.sites_not_mapped == len(selected)
        assert figures.sites_on_map == selected.geometry.notna().sum()
    whole_city = headline(atlas, view(), atlas.sites)
    assert (whole_city.sites_on_map, whole_city.sites_not_mapped) == (19, 16)


def test_headline_iztapalapa(atlas: Atlas) -> None:
    state = view(boro=(IZTAPALAPA,))
    figures = headline(atlas, state, filter_sites(atlas.sites, state, LATEST))
    assert figures.boroughs == (IZTAPALAPA,)
    assert figures.population == 1_835_486
    assert figures.poverty_pct == 43.89
    assert figures.poverty_persons == 805_595
    assert figures.poverty_source.startswith("CONEVAL Medición de la pobreza municipal 2020")
    assert figures.poverty_derived is False
    assert (figures.sites_on_map, figures.sites_not_mapped) == (13, 3)


def test_headline_several_boroughs_weighted_by_population(atlas: Atlas) -> None:
    state = view(boro=(IZTAPALAPA, MILPA_ALTA))
    figures = headline(atlas, state, filter_sites(atlas.sites, state, LATEST))
    assert figures.population == 1_988_171
    assert figures.poverty_persons == 889_098
    assert figures.poverty_pct == pytest.approx(44.7194, abs=1e-4)
    assert figures.poverty_pct == pytest.approx(100 * 889_098 / 1_988_171)
    assert figures.poverty_derived is True
    assert figures.poverty_source.startswith("CONEVAL Medición de la pobreza municipal 2020")


def test_headline_whole_city_poverty_is_derived(atlas: Atlas) -> None:
    figures = headline(atlas, view(), atlas.sites)
    assert figures.poverty_persons == 3_114_922
    assert figures.poverty_pct == pytest.approx(33.8213, abs=1e-4)
    assert figures.poverty_derived is True
    assert "Derived" not in figures.poverty_source, "the page words the derivation in its language"


def test_headline_missing_population_is_not_a_partial_sum(atlas: Atlas) -> None:
    indicators = atlas.indicators[  # synthetic gap: Milpa Alta's 2020 population removed
        ~(
            (atlas.indicators["cvegeo"] == MILPA_ALTA)
            & (atlas.indicators["year"] == 2020)
            & (atlas.indicators["indicator"] == "population_total")
        )
    ]
    gapped = Atlas(atlas.boroughs, indicators, atlas.sites, atlas.pcmb, atlas.catalogue)
    figures = headline(gapped, view(boro=(IZTAPALAPA, MILPA_ALTA)), atlas.sites)
    assert pd.isna(figures.population)
    assert pd.isna(figures.poverty_pct)


# --- borough panel -------------------------------------------------------------------------------


def test_borough_profile_in_registry_order_latest_year_first(atlas: Atlas) -> None:
    profile = borough_profile(atlas, IZTAPALAPA)
    assert (profile["cvegeo"] == IZTAPALAPA).all()
    assert len(profile) == (atlas.indicators["cvegeo"] == IZTAPALAPA).sum()
    assert list(profile.index) == list(range(len(profile)))
    assert profile[["indicator", "year"]].head(4).values.tolist() == [
        ["poverty_pct", 2020],
        ["poverty_pct", 2015],
        ["poverty_pct", 2010],
        ["extreme_poverty_pct", 2020],
    ]
    ranks = [list(REGISTRY).index(indicator) for indicator in profile["indicator"]]
    assert ranks == sorted(ranks)
    for _, rows in profile.groupby("indicator", sort=False):
        assert rows["year"].is_monotonic_decreasing
    assert profile.loc[0, "value"] == 43.89


def test_borough_profile_keeps_the_table_columns(atlas: Atlas) -> None:
    assert list(borough_profile(atlas, IZTAPALAPA).columns) == list(atlas.indicators.columns)


# --- map clicks ----------------------------------------------------------------------------------


def test_borough_at_a_point_inside_iztapalapa(atlas: Atlas) -> None:
    polygon = atlas.boroughs.set_index("cvegeo").geometry[IZTAPALAPA]
    point = polygon.representative_point()
    assert borough_at(atlas.boroughs, point.y, point.x) == IZTAPALAPA


def test_borough_at_every_borough(atlas: Atlas) -> None:
    for code, polygon in zip(atlas.boroughs["cvegeo"], atlas.boroughs.geometry, strict=True):
        point = polygon.representative_point()
        assert borough_at(atlas.boroughs, point.y, point.x) == code


@pytest.mark.parametrize(
    ("lat", "lon"),
    [(19.30, -98.80), (19.70, -99.15), (0.0, 0.0)],
    ids=["east-of-the-city", "north-of-the-city", "null-island"],
)
def test_borough_at_a_point_outside_the_city(atlas: Atlas, lat: float, lon: float) -> None:
    assert borough_at(atlas.boroughs, lat, lon) is None
