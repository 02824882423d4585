"""Accessibility in a real browser: filters by keyboard alone, high contrast for projectors."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import App, AtlasUI

pytestmark = pytest.mark.browser


def tab_to(ui: AtlasUI, accessible_name: str, limit: int = 60) -> None:
    """Press Tab until the focused element is the control named ``accessible_name``."""
    for _ in range(limit):
        ui.page.keyboard.press("Tab")
        focused = ui.page.evaluate(
            """() => {
                const el = document.activeElement;
                if (!el) return "";
                const label = el.getAttribute("aria-label") || "";
                const byId = el.id ? document.querySelector(`label[for="${el.id}"]`) : null;
                const wrap = el.closest("label");
                return [label, byId ? byId.innerText : "", wrap ? wrap.innerText : ""].join("|");
            }"""
        )
        if accessible_name in focused:
            return
    raise AssertionError(f"{accessible_name!r} cannot be reached with the Tab key")


def test_filters_work_with_the_keyboard_alone(ui: AtlasUI, atlas_app: App) -> None:
    ui.open(atlas_app.link({"lang": "en"}))
    ui.page.evaluate("document.activeElement && document.activeElement.blur()")  # start at the top
    tab_to(ui, "Open")
    ui.page.keyboard.press("Space")
    ui.settle()
    assert ui.query()["status"] == "under_construction,announced"
    expected = atlas_app.data.drawn_sites(atlas_app.data.view(status=("under_construction", "announced")))
    ui.expect_drawn_sites(expected)


def test_high_contrast_for_projectors(ui: AtlasUI, atlas_app: App) -> None:
    ui.open(atlas_app.link({"lang": "en"}))
    normal_size = ui.page.evaluate("getComputedStyle(document.querySelector('.stApp')).fontSize")
    switch = ui.page.get_by_role("switch", name="High contrast (projector)")
    switch.focus()
    ui.page.keyboard.press("Space")
    expect(switch).to_be_checked()
    ui.settle()
    assert ui.query()["contrast"] == "1"
    size = ui.page.evaluate("getComputedStyle(document.querySelector('.stApp')).fontSize")
    assert float(size.rstrip("px")) > float(normal_size.rstrip("px"))
    strokes = ui.map_eval(
        """() => [...document.querySelectorAll("path.leaflet-interactive")]
               .map(p => [p.getAttribute("stroke"), parseFloat(p.getAttribute("stroke-width"))])"""
    )
    borough_strokes = [s for s in strokes if s[0] in ("#000", "#000000", "black")]
    assert len(borough_strokes) >= 16, strokes[:5]
    assert min(width for _, width in borough_strokes) >= 2.5
    ui.page.screenshot(path="artifacts/high-contrast.png")
