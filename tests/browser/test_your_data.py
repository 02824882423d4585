"""Your data in a real browser: a SYNTHETIC file through the real file input, checked, confirmed, drawn.

The layer lives in the visitor's session: the map page reached by the
sidebar (same session) draws it; a second browser context (another visitor)
does not, until it opens a deck file that carries it. An indicator table
shades the map when chosen and is charted on Compare. The new screens are
saved as artifacts/your-data-*.png to be looked at. Files are the SYNTHETIC fixtures of tests/your_data_fixtures.py and
tests/import_fixtures.py.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from e2e.harness import ROOT
from geo.classify import NO_DATA_COLOUR
from geo.formatting import format_count
from geo.i18n import t
from tests import import_fixtures
from tests.browser.test_compare import go_to, open_page, page_link, settle_page
from tests.browser.test_presenting import deck_controls
from tests.your_data_fixtures import BOROUGH_VALUES, HOSTILE, INSIDE, SITES, borough_indicator_csv, sites_csv

pytestmark = pytest.mark.browser


def _upload(ui, app, name: str, data: bytes, mime: str) -> None:
    open_page(ui, page_link(app, "your-data", {"lang": "en"}))
    ui.page.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(
        files=[{"name": name, "mimeType": mime, "buffer": data}]
    )
    settle_page(ui)
    expect(ui.page.get_by_text(t("your_data.report_heading", "en"), exact=True)).to_be_visible()


def _confirm_and_open_the_map(ui) -> None:
    ui.page.get_by_role("button", name=t("your_data.confirm", "en")).click()
    settle_page(ui)
    go_to(ui, t("app.page.map", "en"))
    ui.settle()


def test_a_csv_uploaded_is_checked_confirmed_and_drawn_for_this_visitor_only(new_ui, atlas_app) -> None:
    data = atlas_app.data
    shipped = data.drawn_sites(data.view())
    ui = new_ui()
    _upload(ui, atlas_app, "sitios.csv", sites_csv(), "text/csv")
    assert ui.page.get_by_test_id("stDataFrame").count() == 2, "the summary and the row-by-row table"
    ui.page.get_by_text(t("your_data.outside_choice.drop", "en")).click()
    settle_page(ui)
    _confirm_and_open_the_map(ui)

    ui.expect_drawn_sites(shipped + INSIDE)
    line = t("your_data.map_line", "en", n=format_count(INSIDE, "en"))
    expect(ui.page.get_by_text(line)).to_be_visible()

    # The status filter applies to the visitor's sites too (one of them is announced), and the
    # map is updated in place, not remounted: the same document and the same Leaflet map.
    ui.map_eval("() => { window.__stamp = 1; window.map.__stamp = 1; }")
    ui.set_checkbox(t("labels.status.announced", "en"), False)
    not_announced = data.view(status=("open", "under_construction"))
    announced = sum(1 for site in SITES[:INSIDE] if site[4] == "anunciada")
    ui.expect_drawn_sites(data.drawn_sites(not_announced) + INSIDE - announced)
    assert ui.map_eval("() => window.__stamp === 1 && window.map.__stamp === 1"), "the map was remounted"

    # The cleaned layer comes back as GeoJSON: every kept site, names as the file gave them.
    go_to(ui, t("app.page.your_data", "en"))
    settle_page(ui)
    with ui.page.expect_download() as download:
        ui.page.get_by_role("button", name=t("your_data.download_geojson", "en")).click()
    cleaned = json.loads(Path(download.value.path()).read_text(encoding="utf-8"))
    names = sorted(feature["properties"]["name"] for feature in cleaned["features"])
    assert names == sorted(site[0] for site in SITES[:INSIDE])

    other = new_ui()
    other.open(atlas_app.link())
    other.expect_drawn_sites(shipped)
    expect(other.page.get_by_text(line)).to_have_count(0)


def test_a_zipped_shapefile_uploaded_is_drawn(new_ui, atlas_app) -> None:
    data = atlas_app.data
    ui = new_ui()
    archive = import_fixtures.shapefile_zip(prj=True, cpg=True)
    _upload(ui, atlas_app, "sitios.zip", archive, "application/zip")
    _confirm_and_open_the_map(ui)
    ui.expect_drawn_sites(data.drawn_sites(data.view()) + len(import_fixtures.SITES))


def test_a_user_site_shows_its_cells_as_text_in_its_tooltip_and_popup(new_ui, atlas_app) -> None:
    ui = new_ui()
    _upload(ui, atlas_app, "sitios.csv", sites_csv(), "text/csv")
    _confirm_and_open_the_map(ui)
    _, lat, lon, year, status = next(site for site in SITES if site[0] == HOSTILE)
    # Past the clustering limit (13), where every marker is single.
    ui.map_eval("(_, p) => window.map.setView([p[0], p[1]], 16, {animate: false})", [lat, lon])
    ui.settle()
    marker = ui.map.get_by_title(HOSTILE, exact=True)
    marker.hover()
    tooltip = ui.map.locator(".leaflet-tooltip").filter(has_text=HOSTILE)
    expect(tooltip).to_contain_text(f"{t('labels.status.announced', 'en')} · {year}")
    marker.click()
    popup = ui.map.locator(".leaflet-popup-content")
    for label, cell in (("layer", "sitios"), ("status", status), ("year", str(year)), ("row", "3")):
        expect(popup.locator("tr").filter(has_text=t(f"mapview.user.popup.{label}", "en"))).to_contain_text(
            cell
        )
    expect(popup.locator("h4")).to_have_text(HOSTILE)
    assert ui.map.locator("img[src='x']").count() == 0
    assert ui.watch.dialogs == []


def add_map_slide_and_open_the_deck(ui, title: str) -> None:  # type: ignore[no-untyped-def]
    """On the map, add the view to the deck under ``title`` from the sidebar, then open the deck's page."""
    go_to(ui, t("app.page.map", "en"))
    ui.settle()
    sidebar = deck_controls(ui.page)
    sidebar.get_by_label(t("deck.slide_title", "en")).fill(title)
    sidebar.get_by_role("button", name=t("deck.add", "en")).click()
    ui.settle()
    deck_controls(ui.page).get_by_role("link", name=t("deck.open_editor", "en")).click()
    settle_page(ui)


def _keep_screenshot(ui, name: str, element=None) -> None:  # type: ignore[no-untyped-def]
    """Save what the visitor sees (the page, or one ``element``) as artifacts/your-data-<name>.png, to look at."""
    path = ROOT / "artifacts" / f"your-data-{name}.png"
    path.parent.mkdir(parents=True, exist_ok=True)
    (element or ui.page).screenshot(path=path, **({} if element else {"full_page": True}))


def test_a_deck_saved_with_a_layer_reopens_it_in_another_browser(new_ui, atlas_app, tmp_path: Path) -> None:
    data = atlas_app.data
    shipped = data.drawn_sites(data.view())
    author = new_ui()
    _upload(author, atlas_app, "sitios.csv", sites_csv(), "text/csv")
    author.page.get_by_text(t("your_data.outside_choice.drop", "en")).click()
    settle_page(author)
    _confirm_and_open_the_map(author)
    author.expect_drawn_sites(shipped + INSIDE)
    go_to(author, t("app.page.compare", "en"))
    settle_page(author)
    chart = author.page.locator(".js-plotly-plot").filter(
        has_text="Your data: sitios, sites per 100,000 people"
    )
    expect(chart.locator("g.trace.bars g.point path")).to_have_count(16)
    _keep_screenshot(author, "compare-your-sites", chart)
    add_map_slide_and_open_the_deck(author, "With my sites")
    saved = tmp_path / "atlas-deck.json"
    with author.page.expect_download() as download:
        author.page.get_by_role("button", name=t("deck.download", "en")).click()
    download.value.save_as(saved)
    [carried] = json.loads(saved.read_text(encoding="utf-8"))["layers"]
    assert (carried["name"], carried["kind"]) == ("sitios", "sites")

    colleague = new_ui()  # a new browser context: another visitor, without the layer
    open_page(colleague, page_link(atlas_app, "presentation", {"lang": "en"}))
    colleague.page.locator("[data-testid=stFileUploader] input[type=file]").set_input_files(saved)
    settle_page(colleague)
    expect(colleague.page.get_by_text(re.compile("^Layers of your data this deck carries"))).to_be_visible()
    colleague.page.get_by_role("button", name=t("deck.present", "en"), exact=True).click()
    colleague.settle()
    expect(colleague.page.get_by_role("heading", name="With my sites")).to_be_visible()
    colleague.expect_drawn_sites(shipped + INSIDE)
    source = t("your_indicator.source", "en", source=t("your_data.source_default", "en", file="sitios.csv"))
    expect(colleague.page.locator(".deck-sources")).to_contain_text(source)
    legend = colleague.page.locator(".atlas-user-legend")
    expect(legend).to_contain_text(t("your_data.from_deck", "en"))
    expect(legend).to_contain_text(f"on the map: {INSIDE}")
    _keep_screenshot(colleague, "deck-reopened-with-layer")


def _no_data_boroughs(ui) -> int:
    """Borough shapes the map fills with the no-data colour."""
    fills = ui.map.locator("path.leaflet-interactive").evaluate_all(
        "paths => paths.map(p => p.getAttribute('fill'))"
    )
    return sum(1 for fill in fills if (fill or "").lower() == NO_DATA_COLOUR.lower())


def test_an_indicator_table_shades_the_map_when_chosen_and_is_on_compare(new_ui, atlas_app) -> None:
    ui = new_ui()
    _upload(ui, atlas_app, "indicador.csv", borough_indicator_csv(), "text/csv")
    ui.page.get_by_label(t("your_data.unit", "en")).fill("puntos")
    ui.page.keyboard.press("Tab")
    settle_page(ui)
    _confirm_and_open_the_map(ui)
    assert _no_data_boroughs(ui) == 0, "the shipped indicator has a value for every borough"
    ui.page.get_by_role("combobox", name=t("your_indicator.select", "en"), exact=True).click()
    ui.page.get_by_role("option", name=t("your_indicator.choice", "en", name="indicador", year=2022)).click()
    ui.settle()
    legend = ui.page.locator(".atlas-legend").first
    expect(legend).to_contain_text(t("your_indicator.title", "en", name="indicador"))
    expect(legend).to_contain_text("(puntos)")
    expect(legend).to_contain_text(t("your_data.source_default", "en", file="indicador.csv"))
    shaded = {name for name, year, _ in BOROUGH_VALUES if year == 2022}
    assert _no_data_boroughs(ui) == 16 - len(shaded)
    _keep_screenshot(ui, "map-shaded-by-your-indicator")

    go_to(ui, t("app.page.compare", "en"))
    settle_page(ui)
    chart = ui.page.locator(".js-plotly-plot").filter(has_text="Your data: indicador, 2022")
    expect(chart.locator("g.trace.bars g.point path")).to_have_count(len(shaded))
    expect(chart).to_contain_text("indicador (puntos)")
    _keep_screenshot(ui, "compare-your-indicator", chart)
