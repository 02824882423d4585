"""The presentation deck in a real browser: a French presenter runs the sample deck with a clicker.

The server runs offline and the page has no internet. Expected content comes
from the shipped deck and data through the app's own code (``geo.deck``,
``geo.filters``), never from numbers written here.
"""

from __future__ import annotations

import json
import re
import time
import urllib.parse
from pathlib import Path

import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page, expect

from geo import deck as decks
from tests.browser.conftest import QUIET_S, SETTLE_TIMEOUT_S, VIEWPORT, App, AtlasUI, watch_page
from tests.browser.test_downloads import png_size

pytestmark = pytest.mark.browser
SAMPLE = "utopias-poverty-iztapalapa"


def settle(ui: AtlasUI, *, map_drawn: bool, timeout: float = SETTLE_TIMEOUT_S) -> None:
    """Wait until the script is idle and the websocket quiet (and the map drawn, on map slides)."""
    start = time.monotonic()
    app = ui.page.locator("[data-testid=stApp]")
    while time.monotonic() < start + timeout:
        if ui.page.locator("[data-testid=stException]").count():
            raise AssertionError(ui.page.locator("[data-testid=stException]").first.inner_text()[:800])
        idle = app.count() and app.get_attribute("data-test-script-state") == "notRunning"
        quiet = time.monotonic() - max(ui.watch.last_traffic, start) >= QUIET_S
        # A borough map has 16 SVG paths; an AGEB or colonia slide draws on a canvas (geo.arealayer).
        drawn = not map_drawn or ui.polygons() == 16 or _canvas_drawn(ui)
        if idle and quiet and drawn:
            return
        ui.page.wait_for_timeout(100)
    raise TimeoutError("the slide did not settle")


def _canvas_drawn(ui: AtlasUI) -> bool:
    try:
        return ui.map.locator(".leaflet-overlay-pane canvas").count() > 0 and bool(ui.canvas_areas())
    except PlaywrightError:  # the map's frame is being replaced
        return False


def deck_controls(page: Page):
    """The sidebar's deck controls, opened (their expander's label changes with the count)."""
    sidebar = page.locator("section[data-testid=stSidebar]")
    if not sidebar.get_by_label("Slide title").is_visible():
        sidebar.get_by_text("Presentation deck (").click()
    expect(sidebar.get_by_label("Slide title")).to_be_visible()
    return sidebar


def on_slide(page: Page, number: int) -> None:
    """Wait for the URL to name slide ``number``: a slide on another page is opened by switching
    pages, and the URL gets its deck parameters back with the new page's run."""
    expect(page).to_have_url(re.compile(rf"[?&]slide={number}(&|$)"))


def place(page: Page) -> tuple[str, dict[str, str]]:
    parts = urllib.parse.urlsplit(page.url)
    return parts.path.strip("/") or "atlas", dict(urllib.parse.parse_qsl(parts.query))


@pytest.fixture
def french_ui(browser, request) -> AtlasUI:  # type: ignore[no-untyped-def]
    """A page in a browser whose language is French (so the Atlas opens in French)."""
    context = browser.new_context(viewport=VIEWPORT, locale="fr-FR")
    page = context.new_page()
    page.set_default_timeout(20_000)
    yield AtlasUI(page, watch_page(page))
    report = getattr(request.node, "report_call", None)
    if report is not None and report.failed:
        shots = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"
        shots.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=shots / f"{request.node.name}.png", full_page=True)
    context.close()


def test_a_french_presenter_runs_the_sample_deck_with_a_clicker(
    french_ui: AtlasUI, atlas_app: App, tmp_path: Path
) -> None:
    ui, page = french_ui, french_ui.page
    sample = decks.from_reference(SAMPLE, atlas_app.data.options, "fr")
    page.goto(f"{atlas_app.url}/presentation?deck={SAMPLE}")
    settle(ui, map_drawn=False)
    expect(page.get_by_role("heading", name="Présentation", exact=True)).to_be_visible()
    page.get_by_role("button", name="Présenter", exact=True).click()

    for number, slide in enumerate(sample.slides, start=1):
        expected = decks.slide_state(slide, atlas_app.data.options, lang="fr", contrast=False)
        settle(ui, map_drawn=slide.page == "atlas")
        on_slide(page, number)
        path, query = place(page)
        assert path == slide.page
        assert query["slide"] == str(number)
        assert query["present"] == "1"
        assert query["lang"] == "fr"
        assert {k: query.get(k) for k in slide.view} == dict(slide.view), "the URL is the saved view"
        title = page.get_by_role("heading", name=sample.text(slide.title, "fr"), exact=True)
        expect(title).to_be_visible()
        expect(page.locator(".deck-count")).to_have_text(f"Diapositive {number} sur {len(sample.slides)}")
        expect(page.locator(".deck-sources")).to_contain_text("Sources :")
        expect(page.locator("section[data-testid=stSidebar]")).to_be_hidden()
        expect(page.locator(".deck-sources")).to_be_in_viewport()
        if slide.page == "atlas":
            ui.expect_drawn_sites(atlas_app.data.drawn_sites(expected))
            legend = page.locator(".atlas-legend").first
            expect(legend).to_contain_text(str(expected.year))
        elif slide.page in {"compare-boroughs", "programmes-and-sites"}:
            expect(page.locator("[data-testid=stPlotlyChart]").first).to_be_visible()
        page.screenshot(path=Path(__file__).resolve().parents[2] / "artifacts" / f"deck-slide-{number}.png")
        if number == 2:  # a picture of this slide for the minutes
            with page.expect_download(timeout=60_000) as info:
                page.get_by_role("button", name="Image (PNG)").click()
            picture = tmp_path / info.value.suggested_filename
            info.value.save_as(picture)
            assert png_size(picture.read_bytes())[0] >= 1600
        if number < len(sample.slides):
            # A clicker sends Page Down; it must work wherever the focus is, the map included.
            if slide.page == "atlas" and number == 1:
                ui.map.locator(".leaflet-container").focus()
                assert ui.map_eval("() => document.activeElement.classList.contains('leaflet-container')")
            page.keyboard.press("PageDown")

    expect(page.get_by_role("button", name="Suivante")).to_be_disabled()
    page.keyboard.press("PageUp")
    settle(ui, map_drawn=sample.slides[-2].page == "atlas")
    on_slide(page, len(sample.slides) - 1)
    page.keyboard.press("ArrowLeft")
    settle(ui, map_drawn=sample.slides[-3].page == "atlas")
    on_slide(page, len(sample.slides) - 2)
    page.keyboard.press("Escape")
    settle(ui, map_drawn=False)
    assert "present" not in place(page)[1]
    expect(page.locator("section[data-testid=stSidebar]")).to_be_visible()
    assert not ui.watch.left_the_machine


def test_a_deck_link_opens_on_its_slide_after_a_reload(ui: AtlasUI, atlas_app: App) -> None:
    sample = decks.from_reference(SAMPLE, atlas_app.data.options, "en")
    ui.page.goto(f"{atlas_app.url}/?deck={SAMPLE}&present=1&slide=2&lang=en")
    settle(ui, map_drawn=True)
    expect(ui.page.get_by_role("heading", name=sample.text(sample.slides[1].title, "en"))).to_be_visible()
    ui.page.reload()
    settle(ui, map_drawn=True)
    expect(ui.page.locator(".deck-count")).to_have_text("Slide 2 of 7")
    ui.expect_drawn_sites(
        atlas_app.data.drawn_sites(
            decks.slide_state(sample.slides[1], atlas_app.data.options, lang="en", contrast=False)
        )
    )


def test_a_colleague_opens_the_saved_deck_and_sees_the_same_slides(
    new_ui, atlas_app: App, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    author = new_ui()
    author.open(atlas_app.link({"lang": "en"}))
    sidebar = deck_controls(author.page)
    sidebar.get_by_label("Slide title").fill("Poverty, whole city")
    sidebar.get_by_label("Short note").fill("<b>not bold</b> & plain")
    sidebar.get_by_role("button", name="Add this view to the deck").click()
    author.settle()
    author.page.get_by_role("link", name="Compare").click()
    settle(author, map_drawn=False)
    deck_controls(author.page).get_by_role("button", name="Add this view to the deck").click()
    settle(author, map_drawn=False)
    deck_controls(author.page)
    settle(author, map_drawn=False)
    sidebar.get_by_role("link", name="Edit and present").click()
    expect(author.page.get_by_role("heading", name="Presentation", exact=True)).to_be_visible()
    settle(author, map_drawn=False)
    with author.page.expect_download() as download:
        author.page.get_by_role("button", name="Download the deck").click()
    saved = tmp_path / "deck.json"
    download.value.save_as(saved)
    document = json.loads(saved.read_text(encoding="utf-8"))
    assert [s["page"] for s in document["slides"]] == ["atlas", "compare-boroughs"]
    assert document["slides"][0]["note"] == {"en": "<b>not bold</b> & plain"}

    colleague = new_ui()
    colleague.page.goto(f"{atlas_app.url}/presentation?lang=en")
    settle(colleague, map_drawn=False)
    colleague.page.locator("[data-testid=stFileUploader] input[type=file]").set_input_files(saved)
    settle(colleague, map_drawn=False)
    cards = colleague.page.locator("[class*=st-key-deck_slide_]")
    expect(cards).to_have_count(2)
    expect(cards.nth(0)).to_contain_text("1. Poverty, whole city")
    expect(cards.nth(0)).to_contain_text("<b>not bold</b> & plain")
    expect(cards.nth(1)).to_contain_text("2. Compare: Population in poverty, 2020")
    assert not colleague.watch.dialogs
