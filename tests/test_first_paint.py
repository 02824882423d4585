"""First paint: a session's first run of the map page sends the map without the sidebar's controls.

The map's report (a rerun) brings the controls; ``tests/browser/test_map_first.py``
checks that in Chromium, and the timer that stands in when no report comes.
"""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from geo.i18n import t
from tests.apptest_support import APP
from ui import first_paint

pytestmark = pytest.mark.usefixtures("offline_app")


def _first_run(**params: str) -> AppTest:
    """A new session's first run, as a browser's (no ``PAINTED_KEY`` set beforehand)."""
    at = AppTest.from_file(APP, default_timeout=60)
    for key, value in {"lang": "en", **params}.items():
        at.query_params[key] = value
    return at.run()


def _has_map(at: AppTest) -> bool:
    return any(c.proto.component_name.endswith("st_folium") for c in at.get("component_instance"))


def test_the_map_comes_first_and_the_controls_with_the_next_run() -> None:
    at = _first_run(ind="poverty_pct", year="2015", status="open")
    assert not at.exception
    assert _has_map(at)
    assert not at.sidebar.radio, "no language switch yet"
    assert not at.sidebar.selectbox, "no filters yet"
    assert not at.text_input, "no colonia search yet: a text field's frontend code would come before the map"
    assert at.query_params["year"] == "2015", "the URL keeps the view"

    at.run()  # the run the map's report brings
    assert not at.exception
    assert [radio.value for radio in at.sidebar.radio] == ["en"]
    boxes = {box.label: box.value for box in at.sidebar.selectbox}
    assert boxes[t("sidebar.indicator", "en")] == "poverty_pct"
    assert boxes[t("sidebar.year", "en")] == 2015
    ticks = {box.label: box.value for box in at.sidebar.checkbox}
    assert ticks[t("labels.status.open", "en")] is True
    assert ticks[t("labels.status.announced", "en")] is False
    assert t("map.colonia.search", "en") in [box.label for box in at.text_input]
    assert _has_map(at)


def _decision(page_path: str) -> None:
    """A session's first run and its next, each writing whether it draws the controls."""
    import streamlit as st

    from ui import first_paint

    st.text(f"first: {first_paint.controls_now(page_path)}")
    st.session_state["next"] = first_paint.controls_now(page_path)


@pytest.mark.parametrize(
    ("page_path", "waits"), [("atlas", True), ("sources-and-terms", False), ("compare-boroughs", False)]
)
def test_only_the_map_page_waits_and_only_once(page_path: str, waits: bool) -> None:
    at = AppTest.from_function(_decision, args=(page_path,)).run()
    assert not at.exception
    assert at.text[0].value == f"first: {not waits}"
    assert at.session_state["next"] is True


def test_a_map_whose_scripts_are_missing_does_not_wait(monkeypatch: pytest.MonkeyPatch) -> None:
    """Without its scripts the map may never draw, so it may never report."""
    monkeypatch.setattr(first_paint, "offline_status", lambda: (True, "1 vendored file missing"))
    at = AppTest.from_function(_decision, args=("atlas",)).run()
    assert at.text[0].value == "first: True"
