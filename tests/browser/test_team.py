"""The team's store in a real browser: an editor publishes, restores; another visitor sees it and cannot write.

The server has a store of its own (SQLite in a temporary folder) with one
SYNTHETIC editor account; the layers are the SYNTHETIC CSV of
tests/your_data_fixtures.py, uploaded through the real file input.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import expect

from geo import users
from geo.i18n import t
from geo.store import Store, open_store
from tests.browser.conftest import App, running_app
from tests.browser.test_compare import go_to, open_page, page_link, settle_page
from tests.your_data_fixtures import INSIDE, sites_csv

pytestmark = pytest.mark.browser
EDITOR, PASSWORD = "ana.editora", "synthetic password for tests"
# Streamlit gives a keyed widget the CSS class st-key-<key>, with "." made "-".
WRITES = ("team-publish", "team-restore", "team-delete")


@pytest.fixture(scope="module")
def team_app(browser, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[App, Store]]:  # type: ignore[no-untyped-def]
    folder = tmp_path_factory.mktemp("synthetic-team-store")
    store = open_store(folder)
    users.add(store, EDITOR, PASSWORD, "editor")
    with running_app(browser, env={"ATLAS_STORE": str(folder)}) as app:
        yield app, store


def _upload_and_confirm(ui, outside: str) -> None:  # type: ignore[no-untyped-def]
    """Upload the SYNTHETIC sites on the open "Your data" page (in the same session), decide, confirm."""
    ui.page.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(
        files=[{"name": "sitios.csv", "mimeType": "text/csv", "buffer": sites_csv()}]
    )
    settle_page(ui)
    ui.page.get_by_text(t(f"your_data.outside_choice.{outside}", "en")).click()
    settle_page(ui)
    ui.page.get_by_role("button", name=t("your_data.confirm", "en")).click()
    settle_page(ui)


def _sign_in(ui) -> None:  # type: ignore[no-untyped-def]
    ui.page.get_by_text(t("team.sign_in_heading", "en")).click()
    ui.page.get_by_role("textbox", name=t("team.name", "en")).fill(EDITOR)
    ui.page.get_by_role("textbox", name=t("team.password", "en")).fill(PASSWORD)
    ui.page.get_by_role("button", name=t("team.sign_in", "en"), exact=True).click()
    settle_page(ui)
    expect(ui.page.get_by_text(t("team.signed_in", "en", name=EDITOR))).to_be_visible()


def _write_controls(ui) -> int:  # type: ignore[no-untyped-def]
    return sum(ui.page.locator(f"[class*='st-key-{prefix}']").count() for prefix in WRITES)


def _sites_seen_by_a_new_visitor(new_ui, app: App, expected: int) -> None:  # type: ignore[no-untyped-def]
    viewer = new_ui()
    viewer.open(app.link())
    viewer.expect_drawn_sites(app.data.drawn_sites(app.data.view()) + expected)
    line = t("team.map_line", "en", n=expected)
    expect(viewer.page.get_by_text(line)).to_be_visible()
    open_page(viewer, page_link(app, "your-data", {"lang": "en"}))
    expect(viewer.page.get_by_text(t("team.published_heading", "en"))).to_be_visible()
    assert _write_controls(viewer) == 0, "a visitor who did not sign in has no write control"


def test_an_editor_publishes_a_new_version_and_restores_the_first_and_visitors_follow(
    new_ui, team_app: tuple[App, Store]
) -> None:
    app, store = team_app
    editor = new_ui()
    open_page(editor, page_link(app, "your-data", {"lang": "en"}))
    _upload_and_confirm(editor, "drop")
    assert _write_controls(editor) == 0, "no write control before signing in"
    _sign_in(editor)
    assert _write_controls(editor) == 1, "signed in, the editor can publish the session's layer"
    editor.page.get_by_role("button", name=t("team.publish", "en")).click()
    settle_page(editor)
    [record] = store.catalogue().layers
    expect(editor.page.get_by_text(f"version 1, id “{record.ident}”")).to_be_visible()
    _sites_seen_by_a_new_visitor(new_ui, app, INSIDE)

    # version 2: the same list with the site outside the city kept
    _upload_and_confirm(editor, "keep")
    editor.page.locator(".st-key-team-target-layer2").click()
    editor.page.get_by_role("option", name=record.ident).click()
    settle_page(editor)
    editor.page.locator(".st-key-team-publish-layer2 button").click()
    settle_page(editor)
    assert [version.rows for version in store.versions(record.ident)] == [INSIDE, INSIDE + 1]
    _sites_seen_by_a_new_visitor(new_ui, app, INSIDE + 1)

    # a mistaken publish rolled back in one click
    editor.page.get_by_role("button", name=t("team.restore", "en")).click()
    settle_page(editor)
    assert store.catalogue().layers[0].rows == INSIDE
    _sites_seen_by_a_new_visitor(new_ui, app, INSIDE)
    go_to(editor, t("app.page.map", "en"))
    editor.settle()
    expect(editor.page.get_by_text(t("team.map_line", "en", n=INSIDE))).to_be_visible()


def test_an_editor_stays_signed_in_across_a_reload_until_signing_out(
    new_ui, team_app: tuple[App, Store]
) -> None:
    app, _ = team_app
    editor = new_ui()
    open_page(editor, page_link(app, "your-data", {"lang": "en"}))
    _sign_in(editor)
    editor.page.reload()
    settle_page(editor)
    expect(editor.page.get_by_text(t("team.signed_in", "en", name=EDITOR))).to_be_visible()
    other = new_ui()  # another browser: no cookie, nobody signed in
    open_page(other, page_link(app, "your-data", {"lang": "en"}))
    expect(other.page.get_by_text(t("team.signed_in", "en", name=EDITOR))).to_have_count(0)

    editor.page.get_by_role("button", name=t("team.sign_out", "en")).click()
    settle_page(editor)
    editor.page.reload()
    settle_page(editor)
    editor.page.get_by_text(t("team.sign_in_heading", "en")).click()
    expect(editor.page.get_by_role("textbox", name=t("team.password", "en"))).to_be_visible()
    expect(editor.page.get_by_text(t("team.signed_in", "en", name=EDITOR))).to_have_count(0)
