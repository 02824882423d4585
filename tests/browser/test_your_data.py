"""Your data in a real browser: a SYNTHETIC file through the real file input, checked, confirmed, drawn.

The layer lives in the visitor's session: the map page reached by the
sidebar (same session) draws it; a second browser context (another visitor)
does not. Files are the SYNTHETIC fixtures of tests/your_data_fixtures.py and
tests/import_fixtures.py.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from geo.formatting import format_count
from geo.i18n import t
from tests import import_fixtures
from tests.browser.test_compare import go_to, open_page, page_link, settle_page
from tests.your_data_fixtures import HOSTILE, INSIDE, SITES, sites_csv

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
