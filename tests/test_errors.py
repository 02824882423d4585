"""A page that raises shows a translated message, never a traceback; the log keeps the trace.

``tests/browser/test_error_pages.py`` checks the same through a real server and its
production settings (``client.showErrorDetails = "none"``).
"""

from __future__ import annotations

import logging
import tomllib
from collections.abc import Iterator

import pytest
from streamlit.testing.v1 import AppTest

from geo import mapview, paths
from geo.i18n import LANGUAGES, t
from tests.apptest_support import run_app, view_widget

SECRET = "/srv/atlas/secret_module.py"


@pytest.fixture
def page_log(caplog: pytest.LogCaptureFixture) -> Iterator[pytest.LogCaptureFixture]:
    """What ``ui.errors`` logs (Streamlit's loggers do not propagate to the root logger)."""
    logger = logging.getLogger("ui.errors")
    logger.addHandler(caplog.handler)
    yield caplog
    logger.removeHandler(caplog.handler)


def _script(lang: str, action: str) -> None:
    """One page, run through ``run_page``, that does ``action``; then the rest of the app."""
    import streamlit as st

    from ui.errors import run_page

    def page_body() -> None:
        st.session_state["runs"] = st.session_state.get("runs", 0) + 1
        st.text("page started")
        if action == "raise":
            raise RuntimeError("boom in /srv/atlas/secret_module.py")  # SECRET
        if action == "stop":
            st.stop()
        if action == "rerun" and st.session_state["runs"] == 1:
            st.rerun()
        st.text("page finished")

    page = st.navigation([st.Page(page_body, title="Mapa", url_path="broken")])
    run_page(page, lang)
    st.text("after the page")


def _texts(at: AppTest) -> list[str]:
    return [element.value for element in at.text]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_failing_page_says_so_in_the_language_and_the_app_goes_on(
    lang: str, page_log: pytest.LogCaptureFixture
) -> None:
    at = AppTest.from_function(_script, args=(lang, "raise")).run()
    assert not at.exception
    assert [e.value for e in at.error] == [t("app.failed", lang, page="Mapa")]
    assert _texts(at) == ["page started", "after the page"]
    [record] = [r for r in page_log.records if r.name == "ui.errors"]
    assert record.exc_info is not None, "the trace goes to the log"
    assert SECRET in str(record.exc_info[1])


@pytest.mark.parametrize(
    ("action", "texts", "runs"),
    [("stop", ["page started"], 1), ("rerun", ["page started", "page finished", "after the page"], 2)],
)
def test_streamlit_control_flow_passes_through(
    action: str, texts: list[str], runs: int, page_log: pytest.LogCaptureFixture
) -> None:
    """st.stop and st.rerun are Streamlit's own signals, not failures of the page."""
    at = AppTest.from_function(_script, args=("en", action)).run()
    assert not at.exception
    assert not at.error
    assert _texts(at) == texts
    assert at.session_state["runs"] == runs
    assert not [r for r in page_log.records if r.name == "ui.errors"]


@pytest.mark.usefixtures("offline_app")
def test_the_map_page_failing_keeps_the_sidebar_and_shows_no_traceback(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError(f"boom in {SECRET}")

    monkeypatch.setattr(mapview, "base_map", broken)
    at = run_app(lang="fr")
    assert not at.exception
    assert t("app.failed", "fr", page=t("app.page.map", "fr")) in [e.value for e in at.error]
    assert view_widget(at, "lang").value == "fr", "the language switch is still there"
    assert view_widget(at, "ind").value, "and so are the filters"
    shown = " ".join(str(e.value) for kind in ("error", "markdown", "text") for e in at.get(kind))
    assert SECRET not in shown
    assert "Traceback" not in shown


def test_production_settings_show_visitors_no_error_details() -> None:
    """Streamlit 1.67 takes full, stacktrace, type or none; only none hides message, type and trace."""
    config = tomllib.loads((paths.ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["client"]["showErrorDetails"] == "none"
