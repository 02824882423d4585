"""Compare, Borough profile and Programmes pages with AppTest."""

from __future__ import annotations

import io
import json

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from geo import charts, exports
from geo.loaders import load_atlas
from tests.apptest_support import run_app
from ui.view import VIEW_KEY, select_boroughs

pytestmark = pytest.mark.usefixtures("offline_app")


def open_page(page: str, **params: str) -> AppTest:
    at = run_app(**params)
    at.switch_page(page).run()
    assert not at.exception, at.exception
    return at


def figures(at: AppTest) -> list[dict]:
    return [json.loads(chart.proto.spec) for chart in at.get("plotly_chart")]


def test_compare_page_ranks_boroughs_and_marks_the_selected_one() -> None:
    at = open_page("pages/compare.py", sel="09007")
    [ranking, scatter, *rest] = figures(at)
    bars = ranking["data"][0]
    assert len(bars["y"]) == 16
    assert "Population in poverty, 2020" in ranking["layout"]["title"]["text"]
    assert any("Source: CONEVAL" in a["text"] for a in ranking["layout"]["annotations"])
    assert len(scatter["data"][0]["x"]) == 16
    assert rest, "poverty has three years: a change-over-time chart is shown"


def test_select_boroughs_updates_view_and_sidebar(monkeypatch: pytest.MonkeyPatch) -> None:
    at = open_page("pages/compare.py")
    view = at.session_state[VIEW_KEY]
    state: dict = {VIEW_KEY: view}
    monkeypatch.setattr("ui.view.st.session_state", state)
    select_boroughs(("09009", "09007"))
    assert state["f_boro"] == ["09007", "09009"]
    assert state[VIEW_KEY].boro == ("09007", "09009")
    select_boroughs(())
    assert state[VIEW_KEY].boro == ("09007", "09009"), "an empty selection leaves the filter alone"


def test_filter_from_a_chart_reaches_the_map() -> None:
    at = open_page("pages/compare.py")
    at.multiselect(key="f_boro").set_value(["09007"]).run()
    at.switch_page("pages/map.py").run()
    assert next(m.value for m in at.metric if m.label == "Population 2020") == "1,835,486"
    assert at.query_params["boro"] == "09007"


def test_profile_compares_a_borough_with_another_and_the_city() -> None:
    at = open_page("pages/profile.py", sel="09007", cmp="09014")
    [table] = [df.value for df in at.dataframe]
    row = table[(table["Indicator"] == "Total population") & (table["Year"] == "2020")].iloc[0]
    assert row["Iztapalapa"] == "1,835,486"
    assert row["Benito Juárez"] == "434,153"
    assert row["Mexico City"] == "9,209,944"
    assert "INEGI" in row["Source"]
    assert at.query_params["cmp"] == "09014"
    [small_map] = at.get("component_instance")
    args = json.loads(small_map.proto.json_args)
    assert args["returned_objects"] == [], "the locator map sends nothing back"
    assert args["feature_group"].count("callback(data[i])") == 1, "one layer of Iztapalapa's sites"


def test_programmes_page_shows_unknown_openings_and_both_pcmb_reports() -> None:
    at = open_page("pages/programmes.py")
    specs = figures(at)
    openings = specs[0]
    labels = [str(x) for trace in openings["data"] for x in trace.get("x", [])]
    assert charts.UNKNOWN_OPENING in labels
    pcmb_text = json.dumps(specs[2])
    assert "152" in pcmb_text
    assert "155" in pcmb_text


def test_programmes_sites_table_follows_the_filters() -> None:
    atlas = load_atlas()
    at = open_page("pages/programmes.py", status="open")
    [table] = [df.value for df in at.dataframe if "sources" in df.value.columns]
    assert len(table) == int((atlas.sites["status"] == "open").sum())
    assert table["sources"].str.len().gt(0).all()


def test_pages_offer_downloads_of_what_is_shown() -> None:
    compare = [b.proto.label for b in open_page("pages/compare.py").get("download_button")]
    assert compare == [
        "Population in poverty 2020 (CSV)",
        "Population in poverty 2020 (GeoJSON)",
        "Walking reach by borough (CSV)",
    ]
    programmes = [
        b.proto.label for b in open_page("pages/programmes.py", status="open").get("download_button")
    ]
    assert programmes == ["These 20 sites (CSV)", "The 17 mapped sites (GeoJSON)"]


def test_site_csv_keeps_every_site_and_its_sources() -> None:
    atlas = load_atlas()
    frame = pd.read_csv(io.BytesIO(exports.sites_csv(atlas.sites)), encoding="utf-8-sig")
    assert len(frame) == len(atlas.sites)
    assert frame["sources"].notna().all()


def test_profile_visit_selects_nothing_until_a_borough_is_chosen() -> None:
    at = open_page("pages/profile.py")
    assert at.selectbox(key="profile_borough").value == "09007"
    assert "sel" not in at.query_params
    at.selectbox(key="profile_borough").set_value("09009").run()
    assert at.query_params["sel"] == "09009"
    at.switch_page("pages/map.py").run()
    assert "Milpa Alta" in [h.value for h in at.subheader], "the map's panel follows the profile's choice"
