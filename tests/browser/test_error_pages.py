"""A visitor who meets an error never sees the server's file paths; the server's log keeps the trace.

A real ``streamlit run`` with the Atlas's production settings (``.streamlit/config.toml``
from the repository root, the server's working folder) serves a small script: a page that
raises goes through ``ui.errors.run_page`` as in ``app.py``, and ``?where=outside`` raises
outside any page, where only ``client.showErrorDetails = "none"`` protects the visitor.
No Atlas page can be made to fail on purpose, hence the script.
"""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from playwright.sync_api import Page

from e2e.harness import ROOT, Server, atlas_server
from geo.i18n import t

pytestmark = pytest.mark.browser

SECRET = "secret-detail-4711"
SCRIPT = f'''
import streamlit as st

from ui.errors import run_page


def broken() -> None:
    st.title("Broken page")
    raise RuntimeError("{SECRET} in " + __file__)


if st.query_params.get("where") == "outside":
    raise RuntimeError("{SECRET} outside a page, in " + __file__)
page = st.navigation([st.Page(broken, title="Mapa", default=True)])
run_page(page, st.query_params.get("lang", "es"))
st.text("The rest of the app")
'''
# What a traceback or an exception box would show.
LEAKS = (SECRET, "Traceback", "RuntimeError", ".py", str(ROOT))


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    script = tmp_path_factory.mktemp("failing-app") / "failing_app.py"
    script.write_text(SCRIPT, encoding="utf-8")
    with atlas_server(script) as running:
        yield running


def _shown(page: Page, url: str, wait_for: str) -> str:
    """Open ``url``, wait for ``wait_for`` and for the script to finish; return the page's text."""
    page.goto(url)
    page.get_by_text(wait_for).first.wait_for(timeout=30_000)
    app = page.locator("[data-testid=stApp]")
    deadline = time.monotonic() + 30
    while app.get_attribute("data-test-script-state") != "notRunning" and time.monotonic() < deadline:
        page.wait_for_timeout(100)
    return page.locator("body").inner_text()


def _trace_logged(server: Server, where: str) -> None:
    deadline = time.monotonic() + 10
    while f"{SECRET} {where}" not in server.output() and time.monotonic() < deadline:
        time.sleep(0.1)
    log = server.output()
    assert "Traceback" in log
    assert f"RuntimeError: {SECRET} {where}" in log


@pytest.mark.parametrize("lang", ["es", "en", "fr"])
def test_a_failing_page_says_so_and_shows_no_trace(server: Server, page: Page, lang: str) -> None:
    message = t("app.failed", lang, page="Mapa")
    text = _shown(page, f"{server.url}/?lang={lang}", message)
    assert "The rest of the app" in text
    assert not page.locator("[data-testid=stException]").count()
    for leak in LEAKS:
        assert leak not in text
    _trace_logged(server, "in")


def test_an_error_outside_a_page_is_redacted(server: Server, page: Page) -> None:
    text = _shown(page, f"{server.url}/?where=outside", "redacted")
    assert page.locator("[data-testid=stException]").count() == 1
    for leak in LEAKS:
        assert leak not in text
    _trace_logged(server, "outside")
