"""First paint in Chromium: the map is drawn before the sidebar's controls arrive, and they do arrive.

``tests/test_first_paint.py`` covers the decision; here the real frontend shows the order,
and that the timer brings the controls when the map never draws (its script blocked).
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, Route

from bench.measure import OBSERVER_JS
from tests.browser.conftest import App
from ui.first_paint import FALLBACK_S

pytestmark = pytest.mark.browser

# The top document notes when the language switch appears; bench/observer.js notes the map's first polygon.
CONTROLS_STAMP = """
(() => {
  if (window !== window.top) return;
  window.__controls = null;
  new MutationObserver(() => {
    if (window.__controls === null && document.querySelector("[data-testid=stSidebar] [data-testid=stRadio]"))
      window.__controls = performance.timeOrigin + performance.now();
  }).observe(document, {subtree: true, childList: true});
})();
"""
SIDEBAR_RADIO = "[data-testid=stSidebar] [data-testid=stRadio]"


def _open(page: Page, url: str) -> None:
    page.context.add_init_script(script=OBSERVER_JS)
    page.context.add_init_script(script=CONTROLS_STAMP)
    page.goto(url)


def _stamps(page: Page) -> dict[str, float | None]:
    return page.evaluate("() => ({map: window.__bench.firstPath, controls: window.__controls})")


def test_the_map_is_drawn_before_the_sidebar_controls_arrive(atlas_app: App, page: Page) -> None:
    _open(page, atlas_app.link())
    page.locator(SIDEBAR_RADIO).wait_for(timeout=30_000)
    stamps = _stamps(page)
    assert stamps["map"] is not None, "the map drew"
    assert stamps["map"] < stamps["controls"], f"the controls came before the map: {stamps}"
    assert page.get_by_role("radio", name="English", exact=True).is_checked()


def test_the_controls_come_even_if_the_map_never_draws(atlas_app: App, page: Page) -> None:
    def broken(route: Route) -> None:
        route.abort()

    page.route("**/leaflet.js", broken)
    _open(page, atlas_app.link())
    page.locator(SIDEBAR_RADIO).wait_for(timeout=(FALLBACK_S + 20) * 1000)
    assert _stamps(page)["map"] is None, "the map could not draw without Leaflet"
