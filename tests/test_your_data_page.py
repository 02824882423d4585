"""The "Your data" page in AppTest: a SYNTHETIC CSV uploaded, checked, decided, confirmed or discarded.

AppTest (Streamlit 1.67) drives ``st.file_uploader`` with ``set_value``; the
map page then shows what the session confirmed: its markers in the map's
layers and the "your sites" line. Nothing reaches another session
(a new AppTest is a new session).
"""

from __future__ import annotations

import json

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from geo.mapview import USER_COLOUR
from tests.apptest_support import run_app, select_in_chart, shown_markdown, view_widget
from tests.markdown_oracle import rendered_text
from tests.test_deck_page import add_view, open_deck_page
from tests.test_pages import map_args
from tests.test_userlayers import decoded
from tests.your_data_fixtures import (
    COLONIA_VALUES,
    HOSTILE,
    INSIDE,
    SITES,
    borough_indicator_csv,
    colonia_indicator_csv,
    sites_csv,
)

PAGE = "pages/your_data.py"


def _uploaded(data: bytes, name: str = "sitios.csv") -> AppTest:
    at = run_app()
    at.switch_page(PAGE).run()
    at.file_uploader[0].set_value((name, data, "text/csv")).run()
    assert not at.exception
    return at


def _button(at: AppTest, suffix: str):
    [button] = [button for button in at.button if (button.key or "").endswith(suffix)]
    return button


def _user_rows(args: dict) -> list[dict[str, str]]:
    """The visitor's sites drawn (the marker layer whose words say purple), each by name and field."""
    sites = []
    for chunk in args["feature_group"].split("var labels = ")[1:]:
        labels = json.loads(chunk.split(";\n", 1)[0])
        if labels.get("colour") == USER_COLOUR:
            rows = json.loads(chunk.split("var data = ", 1)[1].split(";\n", 1)[0])
            sites.extend({"name": row[3], **decoded(labels, row)} for row in rows)
    return sites


def _user_legend(at: AppTest) -> str:
    """The legend of the visitor's layers under the map's."""
    [legend] = [
        html.value for html in at.get("html") if "class='atlas-legend atlas-user-legend'" in html.value
    ]
    return legend


@pytest.fixture(scope="module")
def checked() -> AppTest:
    return _uploaded(sites_csv())


def test_page_offers_a_template_per_kind_and_no_layer_before_an_upload() -> None:
    at = run_app()
    at.switch_page(PAGE).run()
    assert not at.exception
    assert len(at.get("download_button")) == 3
    assert not [html for html in at.get("html") if "atlas-user-layer" in html.value]


def test_upload_shows_the_check_report_with_the_guessed_columns(checked: AppTest) -> None:
    summary, rows = (frame.value for frame in checked.dataframe)
    assert "To decide" in set(summary.iloc[:, 0])
    outside = rows[rows.iloc[:, 0] == len(SITES)]
    assert "Outside Mexico City" in outside.iloc[0, 3]
    chosen = {box.label: box.value for box in checked.selectbox}
    assert (chosen["Latitude"], chosen["Longitude"], chosen["Year"]) == ("latitud", "longitud", "año")
    assert HOSTILE not in "".join(shown_markdown(checked))


def test_a_finding_about_the_whole_file_says_so_in_the_row_column(checked: AppTest) -> None:
    by_row = checked.dataframe[1]
    assert by_row.value.iloc[0, 0] is pd.NA, "the file's encoding: no row"
    assert by_row.proto.placeholder == "whole file", "shown instead of None"


def test_nothing_is_on_the_map_until_confirm_and_discard_leaves_it_so() -> None:
    at = _uploaded(sites_csv())
    _button(at, ".discard").click().run()
    assert at.file_uploader[0].value is None or not at.file_uploader[0].value
    at.switch_page("pages/map.py").run()
    assert _user_rows(map_args(at)) == []
    assert not [html for html in at.get("html") if "atlas-your-sites" in html.value]
    assert not [html for html in at.get("html") if "class='atlas-legend atlas-user-legend'" in html.value]


def test_confirmed_sites_are_drawn_filtered_and_counted_on_the_map() -> None:
    at = _uploaded(sites_csv())
    next(radio for radio in at.radio if radio.key.endswith(".outside")).set_value("drop").run()
    _button(at, ".confirm").click().run()
    assert not at.exception
    [listed] = [html.value for html in at.get("html") if "atlas-user-layer" in html.value]
    assert f"{INSIDE} rows" in listed
    at.switch_page("pages/map.py").run()
    rows = _user_rows(map_args(at))
    assert sorted(row["name"] for row in rows) == sorted(site[0] for site in SITES[:INSIDE])
    [line] = [html.value for html in at.get("html") if "atlas-your-sites" in html.value]
    assert f": {INSIDE} " in line
    assert f"<b>sitios</b> <span class='n'>Sites or projects · on the map: {INSIDE}<" in _user_legend(at)
    assert "File you uploaded: sitios.csv" in _user_legend(at)
    # the year filter applies to the layer's years (2019..2024): up to 2021 keeps the 2019 and 2021 sites
    view_widget(at, "opened").set_value(2021).run()
    assert sorted(int(row["year"]) for row in _user_rows(map_args(at))) == [2019, 2021]
    assert "on the map: 2<" in _user_legend(at)


def test_a_new_session_does_not_see_the_layer() -> None:
    at = _uploaded(sites_csv())
    _button(at, ".confirm").click().run()
    other = run_app()
    assert _user_rows(map_args(other)) == []


def _captions(at: AppTest) -> list[str]:
    """The captions as a reader sees them (Markdown escapes and word joiners gone)."""
    return [(rendered_text(caption.value) or "").replace("\u2060", "") for caption in at.caption]


def _chart(at: AppTest, key: str) -> dict:
    """The plotly figure (as JSON) of the chart ``key`` on the page."""
    [chart] = [chart for chart in at.get("plotly_chart") if chart.key == key]
    return json.loads(chart.proto.spec)


def test_compare_charts_the_confirmed_sites_per_borough_and_marks_them_as_yours() -> None:
    at = _uploaded(sites_csv())
    next(radio for radio in at.radio if radio.key.endswith(".outside")).set_value("drop").run()
    _button(at, ".confirm").click().run()
    at.switch_page("pages/compare.py").run()
    assert not at.exception
    [title] = [header.value for header in at.subheader if header.value.startswith("Your data")]
    assert "sitios" in title
    assert any("Your data, in this session only" in caption.value for caption in at.caption)
    figure = _chart(at, "user_sites_layer1")
    assert figure["layout"]["title"]["text"].startswith("<b>Your data: sitios, sites per 100,000 people")
    [bars] = figure["data"]
    assert len(bars["customdata"]) == 16
    assert any("Bar chart of your sites (sitios) per 100,000 people" in text for text in _captions(at))
    tables = [frame.value for frame in at.dataframe if "Per 100,000 people" in frame.value.columns]
    [by_borough] = tables
    assert int(by_borough["Sites"].sum()) == INSIDE
    assert len(by_borough) == 16
    assert HOSTILE not in json.dumps(figure, ensure_ascii=False)
    # a borough bar selected filters the Atlas to that borough, as the shipped charts do
    chosen = bars["customdata"][0]
    select_in_chart(at, "user_sites_layer1", chosen)
    assert not at.exception
    assert at.query_params.get("boro") in (chosen, [chosen])


def _indicator_on_compare(data: bytes, name: str, unit: str) -> AppTest:
    """An indicator table uploaded, given ``unit``, confirmed, and the Compare page opened."""
    at = _uploaded(data, name)
    [box] = [box for box in at.text_input if (box.key or "").endswith(".unit")]
    box.set_value(unit).run()
    _button(at, ".confirm").click().run()
    at.switch_page("pages/compare.py").run()
    assert not at.exception
    return at


def test_compare_shows_a_confirmed_borough_table_ranked_at_the_year_that_shades_the_map() -> None:
    at = _indicator_on_compare(borough_indicator_csv(), "indicador.csv", "puntos")
    [title] = [header.value for header in at.subheader if header.value.startswith("Your data")]
    assert title.endswith("indicador")
    assert any(
        "Unit: puntos. Year shown: 2022 (years in your table: 2022, 2018" in text for text in _captions(at)
    )
    figure = _chart(at, "user_indicator_layer1")
    assert figure["layout"]["title"]["text"].startswith("<b>Your data: indicador, 2022</b>")
    assert figure["data"][0]["x"] == [12.5, 7.0, 3.25]
    assert figure["layout"]["xaxis"]["title"]["text"] == "indicador (puntos)"
    at.switch_page("pages/map.py").run()
    next(box for box in at.selectbox if box.label == "Your indicators").set_value(("layer1", 2018)).run()
    at.switch_page("pages/compare.py").run()
    figure = _chart(at, "user_indicator_layer1")
    assert figure["layout"]["title"]["text"].startswith("<b>Your data: indicador, 2018</b>")
    assert figure["data"][0]["x"] == [11.0]


def test_compare_lists_a_colonia_table_by_name_with_the_users_unit() -> None:
    at = _indicator_on_compare(colonia_indicator_csv(), "colonias.csv", "hogares")
    assert not [chart for chart in at.get("plotly_chart") if (chart.key or "").startswith("user_indicator")]
    [table] = [frame.value for frame in at.dataframe if "Your value (hogares)" in frame.value.columns]
    assert table["Key"].tolist() == [key for key, _ in reversed(COLONIA_VALUES)]
    assert table["Your value (hogares)"].tolist() == sorted(
        (value for _, value in COLONIA_VALUES), reverse=True
    )
    assert all(name and name != key for name, key in zip(table["Area"], table["Key"], strict=True))
    assert any(text.startswith("Your values of colonias (2021, hogares): highest") for text in _captions(at))


def test_a_saved_deck_carries_the_layer_and_a_new_session_reopens_it(downloads: dict[str, bytes]) -> None:
    at = _uploaded(sites_csv())
    next(radio for radio in at.radio if radio.key.endswith(".outside")).set_value("drop").run()
    _button(at, ".confirm").click().run()
    at.switch_page("pages/map.py").run()
    add_view(at, "With my sites")
    open_deck_page(at)
    saved = downloads["atlas-deck.json"]
    [carried] = json.loads(saved)["layers"]
    assert carried["kind"] == "sites"
    colleague = open_deck_page(run_app())
    colleague.file_uploader(key="deck_upload").set_value(("atlas-deck.json", saved, "application/json")).run()
    assert not colleague.error, [error.value for error in colleague.error]
    assert any("Layers of your data this deck carries" in caption.value for caption in colleague.caption)
    colleague.switch_page(PAGE).run()
    [listed] = [html.value for html in colleague.get("html") if "atlas-user-layer" in html.value]
    assert "From a deck opened in this session" in listed
    colleague.switch_page("pages/map.py").run()
    assert len(_user_rows(map_args(colleague))) == INSIDE


def _legend(at: AppTest) -> str:
    [legend] = [html.value for html in at.get("html") if "<div class='atlas-legend'>" in html.value]
    return legend


def test_a_confirmed_borough_table_shades_the_map_when_picked_and_the_link_does_not_name_it() -> None:
    at = _uploaded(borough_indicator_csv(), "indicador.csv")
    [unit] = [box for box in at.text_input if (box.key or "").endswith(".unit")]
    unit.set_value("puntos").run()
    _button(at, ".confirm").click().run()
    assert not at.exception
    at.switch_page("pages/map.py").run()
    shipped = _legend(at)
    [select] = [box for box in at.selectbox if box.label == "Your indicators"]
    assert select.value is None
    select.set_value(("layer1", 2022)).run()
    assert not at.exception
    legend = _legend(at)
    assert "indicador (your data)</b>, 2022" in legend
    assert "(puntos)" in legend
    assert "File you uploaded: indicador.csv (your data)" in legend
    assert "No data" in legend
    assert legend != shipped
    assert "layer1" not in str(dict(at.query_params))
    # the choice stays in the session when the page is drawn again
    at.run()
    assert _legend(at) == legend


def test_the_indicator_choice_is_offered_only_when_the_session_has_a_borough_table() -> None:
    at = run_app()
    assert not [box for box in at.selectbox if box.label == "Your indicators"]
