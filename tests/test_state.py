"""The view as URL query parameters: defaults, round trips, and garbage that falls back with a notice."""

from __future__ import annotations

from dataclasses import replace

import pytest

from geo.state import (
    MAX_PARAM_LENGTH,
    Options,
    ViewState,
    change,
    default_state,
    parse_query,
    to_query,
)
from tests.markdown_oracle import active_markup

BOROUGHS = tuple(f"09{n:03d}" for n in range(2, 18))

# Synthetic options: a few indicators with the year patterns the shipped data has
# (three census years, a single 2015 figure, a single 2020 figure).
OPTIONS = Options(
    indicator_years={
        "poverty_pct": [2010, 2015, 2020],
        "median_age": [2015],
        "marginalisation_index": [2020],
    },
    boroughs=BOROUGHS,
    opened_years=(2019, 2026),
    default_basemap="none",
    default_language="en",
    colonias=frozenset({"07-193", "07-001"}),
    agebs=frozenset({"0900700011234", "090070001100A"}),
)


@pytest.fixture
def default() -> ViewState:
    return default_state(OPTIONS)


# --- the default view ----------------------------------------------------------------------------


def test_default_state(default: ViewState) -> None:
    assert default == ViewState(
        ind="poverty_pct",
        year=2020,
        prog=("utopias", "pcmb"),
        status=("open", "under_construction", "announced"),
        opened=2026,
        boro=(),
        sel="",
        scheme="quantiles",
        k=5,
        palette="ylorrd",
        base="none",
        lat=19.32,
        lon=-99.15,
        z=10,
        lang="en",
    )
    assert default.notices == ()


def test_default_state_without_poverty_takes_first_indicator_by_name() -> None:
    options = Options({"median_age": [2015], "density": [2010, 2020]}, BOROUGHS, (2019, 2026))
    state = default_state(options)
    assert (state.ind, state.year) == ("density", 2020)


def test_default_state_uses_the_default_basemap() -> None:
    options = replace(OPTIONS, default_basemap="none")
    assert default_state(options).base == "none"
    assert to_query(default_state(options), options) == {"lang": "en"}


def test_empty_query_is_the_default_view(default: ViewState) -> None:
    state = parse_query({}, OPTIONS)
    assert state == default
    assert state.notices == ()


def test_defaults_are_left_out_of_the_url_but_the_language_is_kept(default: ViewState) -> None:
    assert to_query(default, OPTIONS) == {"lang": "en"}


# --- round trips ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "query"),
    [
        ({"year": 2010}, {"year": "2010"}),
        ({"ind": "median_age", "year": 2015}, {"ind": "median_age"}),
        ({"ind": "marginalisation_index", "year": 2020, "k": 7}, {"ind": "marginalisation_index", "k": "7"}),
        ({"prog": ("pcmb",), "status": ()}, {"prog": "pcmb", "status": ""}),
        ({"status": ("open", "announced"), "opened": 2022}, {"status": "open,announced", "opened": "2022"}),
        (
            {"boro": ("09002", "09007", "09017"), "sel": "09007"},
            {"boro": "09002,09007,09017", "sel": "09007"},
        ),
        (
            {"scheme": "natural_breaks", "k": 3, "palette": "cividis", "base": "osm"},
            {"scheme": "natural_breaks", "k": "3", "palette": "cividis", "base": "osm"},
        ),
        ({"lat": 19.4326, "lon": -99.1332, "z": 14}, {"lat": "19.4326", "lon": "-99.1332", "z": "14"}),
        (
            {"scheme": "equal_interval", "z": 8},
            {"scheme": "equal_interval", "z": "8"},
        ),
        ({"contrast": True}, {"contrast": "1"}),
        ({"pub": ("obras-2026", "centros-socios")}, {"pub": "obras-2026,centros-socios"}),
        ({"pub": ("-",)}, {"pub": "-"}),
    ],
)
def test_round_trip(default: ViewState, changes: dict[str, object], query: dict[str, str]) -> None:
    state = replace(default, **changes)
    assert to_query(state, OPTIONS) == {**query, "lang": "en"}
    parsed = parse_query(to_query(state, OPTIONS), OPTIONS)
    assert parsed == state
    assert parsed.notices == ()


def test_round_trip_of_a_view_with_everything_changed(default: ViewState) -> None:
    state = ViewState(
        ind="poverty_pct",
        year=2015,
        prog=("utopias",),
        status=("under_construction",),
        opened=2019,
        boro=("09010",),
        sel="09010",
        scheme="equal_interval",
        k=4,
        palette="viridis",
        base="osm",
        lat=19.5,
        lon=-99.2,
        z=18,
        reach=True,
        cmp="09007",
        lang="fr",
        contrast=True,
        level="agebs",
        aind="ovsae",
        col="07-193",
        ageb="090070001100A",
        pub=("obras-2026",),
    )
    query = to_query(state, OPTIONS)
    assert set(query) == {f for f in state.__dataclass_fields__ if f not in {"notices", "ind"}}
    assert parse_query(query, OPTIONS) == state


@pytest.mark.parametrize(("raw", "expected"), [("1", True), ("0", False)])
def test_reach_flag(raw: str, expected: bool) -> None:
    state = parse_query({"reach": raw}, OPTIONS)
    assert state.reach is expected
    assert state.notices == ()


def test_reach_flag_rejects_other_values() -> None:
    state = parse_query({"reach": "yes"}, OPTIONS)
    assert state.reach is False
    assert state.notices == ("Ignored `reach=yes`: expected 1 or 0.",)


def test_subsets_are_put_in_canonical_order() -> None:
    state = parse_query({"boro": " 09017,09002 ,09017", "prog": "pcmb,utopias"}, OPTIONS)
    assert state.boro == ("09002", "09017")
    assert state.prog == ("utopias", "pcmb")
    assert state.notices == ()
    assert to_query(state, OPTIONS) == {"boro": "09002,09017", "lang": "en"}


def test_repeated_parameter_takes_the_last_value() -> None:
    state = parse_query({"k": ["3", "4"]}, OPTIONS)
    assert state.k == 4
    assert state.notices == ()


def test_parameter_given_with_no_value_falls_back() -> None:
    state = parse_query({"k": []}, OPTIONS)
    assert state.k == 5
    assert len(state.notices) == 1
    assert "k=" in state.notices[0]


# --- changing the indicator ----------------------------------------------------------------------


def test_changing_indicator_without_year_picks_its_latest_year() -> None:
    state = parse_query({"ind": "median_age"}, OPTIONS)
    assert (state.ind, state.year) == ("median_age", 2015)
    assert state.notices == ()


def test_changing_indicator_with_a_year_it_lacks_picks_its_latest_year() -> None:
    state = parse_query({"ind": "median_age", "year": "2020"}, OPTIONS)
    assert (state.ind, state.year) == ("median_age", 2015)
    assert state.notices == ("Ignored `year=2020`: expected a year with data for this indicator (2015).",)


def test_year_is_checked_against_the_chosen_indicator() -> None:
    assert parse_query({"ind": "poverty_pct", "year": "2015"}, OPTIONS).year == 2015
    state = parse_query({"year": "2015", "ind": "marginalisation_index"}, OPTIONS)
    assert (state.ind, state.year) == ("marginalisation_index", 2020)
    assert len(state.notices) == 1


def test_unknown_indicator_keeps_the_default_indicator_and_a_valid_year() -> None:
    state = parse_query({"ind": "nope", "year": "2010"}, OPTIONS)
    assert (state.ind, state.year) == ("poverty_pct", 2010)
    assert state.notices == ("Ignored `ind=nope`: expected a known indicator.",)


# --- garbage falls back to the default with a notice ---------------------------------------------


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("year", "abc"),
        ("year", "2019"),
        ("year", "2020.0"),
        ("ind", "<script>alert(1)</script>"),
        ("ind", "POVERTY_PCT"),
        ("k", "99"),
        ("k", "2"),
        ("k", "5.5"),
        ("z", "-3"),
        ("z", "19"),
        ("lat", "nan"),
        ("lat", "inf"),
        ("lat", "40.7"),
        ("lon", "-99,15"),
        ("lon", "1e400"),
        ("boro", "09999"),
        ("boro", "09002,09999"),
        ("sel", "09001"),
        ("sel", "Iztapalapa"),
        ("prog", "utopias,metro"),
        ("status", "closed"),
        ("opened", "2018"),
        ("opened", "2027"),
        ("scheme", "jenks"),
        ("palette", "rainbow"),
        ("base", "google"),
        ("pub", "<b>obras</b>"),
        ("pub", "Obras-2026"),
        ("pub", "-,obras"),
        ("pub", ",".join(f"capa-{n}" for n in range(21))),
    ],
)
def test_garbage_value_falls_back_with_a_notice(default: ViewState, key: str, value: str) -> None:
    state = parse_query({key: value}, OPTIONS)
    assert state == default
    assert len(state.notices) == 1
    assert f"`{key}=" in state.notices[0]
    assert state.notices[0].startswith("Ignored")


def test_garbage_in_one_parameter_keeps_the_others(default: ViewState) -> None:
    state = parse_query({"k": "99", "z": "12", "scheme": "natural_breaks"}, OPTIONS)
    assert state == replace(default, z=12, scheme="natural_breaks")
    assert state.notices == ("Ignored `k=99`: expected a number of classes from 3 to 7.",)


def test_unknown_parameter_gives_a_notice(default: ViewState) -> None:
    state = parse_query({"foo": "1"}, OPTIONS)
    assert state == default
    assert state.notices == ("Ignored unknown parameter `foo`.",)


def test_notices_is_not_a_parameter(default: ViewState) -> None:
    state = parse_query({"notices": "hello"}, OPTIONS)
    assert state == default
    assert state.notices == ("Ignored unknown parameter `notices`.",)


@pytest.mark.parametrize("key", ["ind", "year", "boro", "lat", "scheme"])
def test_very_long_value_falls_back_with_a_notice(default: ViewState, key: str) -> None:
    state = parse_query({key: "9" * 10_000}, OPTIONS)
    assert state == default
    assert state.notices == (f"Ignored `{key}`: value too long.",)


def test_length_limit_is_two_hundred_characters() -> None:
    assert MAX_PARAM_LENGTH == 200
    at_limit = parse_query({"palette": "a" * 200}, OPTIONS).notices
    over_limit = parse_query({"palette": "a" * 201}, OPTIONS).notices
    assert at_limit == (f"Ignored `palette={'a' * 40}`: expected one of ylorrd, viridis, cividis.",)
    assert over_limit == ("Ignored `palette`: value too long.",)


def test_very_long_unknown_key_is_shortened_in_the_notice() -> None:
    state = parse_query({"x" * 10_000: "1"}, OPTIONS)
    assert state.notices == (f"Ignored unknown parameter `{'x' * 40}`.",)


@pytest.mark.parametrize("breaks", ["\r\r", "\n\n", "\r\n\r\n", "\u2028\u2028", "\n \n"])
def test_a_line_break_in_a_value_cannot_end_the_notices_code_span(breaks: str) -> None:
    """``%0D%0D`` in a URL ended the paragraph, and the code span with it: the image was fetched."""
    pixel = "![x](http://evil.example/p.png)"
    for query in ({"ind": breaks + pixel}, {breaks + pixel: "1"}):
        [notice] = parse_query(query, OPTIONS).notices
        assert not active_markup(notice), notice
        assert notice.count("`") == 2
        assert f"{pixel}`" in notice


def test_notice_shows_at_most_forty_characters_of_the_value() -> None:
    state = parse_query({"palette": "a" * 150}, OPTIONS)
    assert state.notices == (f"Ignored `palette={'a' * 40}`: expected one of ylorrd, viridis, cividis.",)


def test_several_bad_parameters_give_one_notice_each(default: ViewState) -> None:
    state = parse_query(
        {"year": "abc", "k": "99", "z": "-3", "lat": "nan", "boro": "09999", "foo": "1"}, OPTIONS
    )
    assert state == default
    assert len(state.notices) == 6
    for key in ["year", "k", "z", "lat", "boro", "foo"]:
        assert any(key in notice for notice in state.notices), key


# --- language --------------------------------------------------------------------------------------


def test_the_browser_language_is_the_default_and_a_link_keeps_its_own() -> None:
    french_browser = replace(OPTIONS, default_language="fr")
    assert default_state(french_browser).lang == "fr"
    assert parse_query({"lang": "es"}, french_browser).lang == "es"


def test_notices_speak_the_language_of_the_link() -> None:
    state = parse_query({"lang": "fr", "k": "99", "zz": "1"}, OPTIONS)
    assert state.lang == "fr"
    assert state.notices == (
        "Paramètre inconnu `zz` ignoré.",
        "Paramètre `k=99` ignoré : attendu un nombre de classes de 3 à 7.",
    )
    spanish = parse_query({"lang": "es", "reach": "yes"}, OPTIONS)
    assert spanish.notices == ("Se ignoró `reach=yes`: se esperaba 1 o 0.",)


def test_unknown_language_falls_back_to_the_default_with_a_notice() -> None:
    state = parse_query({"lang": "de"}, OPTIONS)
    assert state.lang == "en"
    assert state.notices == ("Ignored `lang=de`: expected one of es, en, fr.",)


def test_parameters_of_another_part_of_the_app_are_left_alone() -> None:
    state = parse_query(
        {"deck": "sample", "slide": "2", "k": "4"}, OPTIONS, other=frozenset({"deck", "slide"})
    )
    assert state.notices == ()
    assert state.k == 4


@pytest.mark.parametrize(
    ("query", "field", "expected"),
    [
        ({"level": "agebs"}, "level", "agebs"),
        ({"level": "colonias"}, "level", "colonias"),
        ({"aind": "im_2020"}, "aind", "im_2020"),
        ({"col": "07-193"}, "col", "07-193"),
        ({"ageb": "090070001100A"}, "ageb", "090070001100A"),
    ],
)
def test_geography_level_and_neighbourhood_selection_from_the_url(
    query: dict, field: str, expected: str
) -> None:
    state = parse_query(query, OPTIONS)
    assert getattr(state, field) == expected
    assert state.notices == ()
    assert to_query(state, OPTIONS)[field] == expected


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"level": "ageb"}, "level"),
        ({"level": "<b>x</b>"}, "level"),
        ({"aind": "poverty_pct"}, "aind"),
        ({"aind": "imn_2020"}, "aind"),
        ({"col": "99-999"}, "col"),
        ({"col": "07-193 "}, "col"),
        ({"ageb": "0901100261501"}, "ageb"),
        ({"ageb": "x" * 13}, "ageb"),
    ],
)
def test_bad_level_or_neighbourhood_falls_back_with_a_notice(query: dict, field: str) -> None:
    state = parse_query(query, OPTIONS)
    default = default_state(OPTIONS)
    assert getattr(state, field) == getattr(default, field)
    assert len(state.notices) == 1
    assert field in state.notices[0]


def test_change_drops_unknown_neighbourhood_keys_and_levels() -> None:
    state = default_state(OPTIONS)
    changed = change(state, OPTIONS, level="agebs", col="07-193", ageb="090070001100A")
    assert (changed.level, changed.col, changed.ageb) == ("agebs", "07-193", "090070001100A")
    assert change(changed, OPTIONS, col="nope", ageb="nope", level="nope", aind="nope") == replace(
        changed, col="", ageb=""
    )
