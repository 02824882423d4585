"""The map page at the colonia and AGEB levels, through AppTest: the URL, the widgets, the panels."""

from __future__ import annotations

import json

import pytest
from streamlit.testing.v1 import AppTest

from tests.apptest_support import run_app, shown_html, view_widget
from tests.markdown_oracle import active_markup
from tests.test_pages import map_args
from ui.view import GENERATION_KEY, VIEW_KEY


def packed_layers(args: dict) -> dict[str, dict]:
    """The canvas layers' data the map receives, by level (``geo.arealayer.PackedAreas``)."""
    found = {}
    for chunk in args["feature_group"].split("var d = ")[1:]:
        data, _ = json.JSONDecoder().raw_decode(chunk)
        found[data["level"]] = data
    return found


def warnings(at: AppTest) -> list[str]:
    return [w.value for w in at.warning]


def test_a_link_at_the_ageb_level_over_iztapalapa_draws_its_agebs_with_borders_on_top() -> None:
    at = run_app(level="agebs", boro="09007")
    assert not at.exception
    layers = packed_layers(map_args(at))
    assert set(layers) == {"agebs", "borough_borders"}
    agebs = layers["agebs"]
    assert 400 < len(agebs["geometries"]) == len(agebs["classes"]) == len(agebs["titles"]) < 500
    assert all(title.startswith("AGEB 09007") for title in agebs["titles"])
    assert len(layers["borough_borders"]["geometries"]) == 16
    assert layers["borough_borders"]["titles"] is None, "the borders let clicks through"
    legend = " ".join(shown_html(at))
    for grade in ("Very low", "Low", "Medium", "High", "Very high"):
        assert f"{grade} <span class='n'>" in legend
    assert "CONAPO" in legend
    assert view_widget(at, "level").value == "agebs"
    assert view_widget(at, "aind").value == "gm_2020"


def test_switching_level_and_ageb_indicator_updates_the_map_and_the_url() -> None:
    at = run_app()
    assert "agebs" not in packed_layers(map_args(at))
    view_widget(at, "level").set_value("agebs").run()
    assert len(packed_layers(map_args(at))["agebs"]["geometries"]) == 2430
    assert at.query_params["level"] == "agebs"
    view_widget(at, "aind").set_value("ovsae").run()
    assert at.query_params["aind"] == "ovsae"
    assert "In dwellings without piped water" in " ".join(shown_html(at))
    view_widget(at, "level").set_value("colonias").run()
    layers = packed_layers(map_args(at))
    assert set(layers) == {"colonias", "borough_borders"}
    assert "SAN MIGUEL TEOTONGO I" in layers["colonias"]["titles"]
    view_widget(at, "level").set_value("boroughs").run()
    assert "level" not in at.query_params
    assert packed_layers(map_args(at)) == {}


def test_a_widget_drawn_before_the_view_was_replaced_changes_nothing() -> None:
    """A slide opened after the sidebar was drawn: the browser still reports the old widget (it crashed)."""
    at = run_app(level="agebs")
    stale = view_widget(at, "aind")
    at.session_state[GENERATION_KEY] = int(stale.key.rsplit(".", 1)[1]) + 1
    stale.set_value("ovsae").run()
    assert not at.exception
    assert at.session_state[VIEW_KEY].aind != "ovsae"
    assert "aind" not in at.query_params
    view_widget(at, "aind").set_value("ovsae").run()
    assert at.query_params["aind"] == "ovsae", "the redrawn widget still works"


@pytest.mark.parametrize(
    ("param", "value"),
    [
        ("level", "ageb"),
        ("level", "<b>x</b>"),
        ("aind", "poverty_pct"),
        ("col", "99-999"),
        ("ageb", "0900700019999"),
    ],
)
def test_a_bad_level_or_neighbourhood_in_the_url_falls_back_with_a_notice(param: str, value: str) -> None:
    at = run_app(**{param: value})
    assert not at.exception
    [notice] = warnings(at)
    assert param in notice
    assert not active_markup(notice), "the value is shown as typed, not as Markdown or HTML"
    assert param not in at.query_params


def test_a_colonia_found_by_name_is_selected_and_the_map_zooms_to_it() -> None:
    at = run_app()
    at.text_input[0].input("san miguel teotongo").run()
    results = [b for b in at.button if b.key and b.key.startswith("colonia_")]
    assert [b.key for b in results[:4]] == [
        "colonia_07-291",
        "colonia_07-292",
        "colonia_07-293",
        "colonia_07-294",
    ]
    results[0].click().run()
    state = at.session_state[VIEW_KEY]
    assert state.col == "07-291"
    assert state.z >= 14
    assert 19.3 < state.lat < 19.4
    assert at.query_params["col"] == "07-291"
    panel = " ".join(shown_html(at))
    assert "SAN MIGUEL TEOTONGO I" in panel
    assert "Nearest open UTOPÍA" in panel
    assert "Estimated population (2020)" in panel
    assert "selection" in packed_layers(map_args(at))


def test_a_colonia_search_with_hostile_text_finds_nothing_and_shows_it_as_text() -> None:
    at = run_app()
    at.text_input[0].input("**[x](http://evil.example)** <img src=x>").run()
    assert not at.exception
    assert not [b for b in at.button if b.key and b.key.startswith("colonia_")]
    assert "No colonia by that name." in [c.value for c in at.caption]


def test_an_ageb_in_the_url_shows_its_figures_with_source_and_year_in_french() -> None:
    at = run_app(level="agebs", ageb="0900700011301", lang="fr")
    panel = " ".join(shown_html(at))
    assert "AGEB 0900700011301" in [s.value for s in at.subheader]
    assert "Population (recensement 2020)" in panel
    assert "Faible" in panel
    assert "CONAPO, Índice de marginación urbana 2020" in panel
    assert "(2020)" in panel
