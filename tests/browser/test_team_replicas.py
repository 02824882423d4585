"""A team's Atlas: two replicas behind nginx on one PostGIS store; published on one, seen through the other.

The editor publishes a layer and a deck through one replica; a colleague
opening the deck's link on the other replica sees the slide and the layer.

The store is a fresh database in the throwaway PostGIS cluster the test run
starts (tests/postgis_support.py), with one SYNTHETIC editor account; the
layer is the SYNTHETIC CSV of tests/your_data_fixtures.py. Skipped, saying
why, when nginx or PostGIS is not installed (``make test`` installs both).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, expect

from e2e.cluster import Cluster, atlas_cluster, nginx_binary
from geo import users
from geo.i18n import t
from geo.store import Store, open_store
from tests.browser.conftest import App, AtlasData, warm_up
from tests.browser.test_compare import open_page, page_link, settle_page
from tests.browser.test_team import (
    EDITOR,
    PASSWORD,
    _sign_in,
    _sites_seen_by_a_new_visitor,
    _upload_and_confirm,
)
from tests.browser.test_your_data import add_map_slide_and_open_the_deck
from tests.your_data_fixtures import INSIDE
from ui.team import VERSION_TTL_S

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def team_cluster(browser: Browser, postgis) -> Iterator[tuple[Cluster, Store]]:  # type: ignore[no-untyped-def]
    if nginx_binary() is None:
        pytest.skip("nginx is not installed (make test installs Debian's nginx-light)")
    url = postgis.database()
    store = open_store(url)
    users.add(store, EDITOR, PASSWORD, "editor")
    with atlas_cluster(2, env={"ATLAS_DATABASE_URL": url}) as cluster:
        for replica in cluster.replicas:
            warm_up(browser, replica.url)
        yield cluster, store


def test_a_layer_published_through_one_replica_is_drawn_by_the_other_and_through_the_proxy(
    new_ui, team_cluster: tuple[Cluster, Store]
) -> None:
    cluster, store = team_cluster
    data = AtlasData.load()
    first, second = (App(replica.url, data) for replica in cluster.replicas)
    editor = new_ui()
    open_page(editor, page_link(first, "your-data", {"lang": "en"}))
    _upload_and_confirm(editor, "drop")
    _sign_in(editor)
    editor.page.get_by_role("button", name=t("team.publish", "en")).click()
    settle_page(editor)
    assert [record.rows for record in store.catalogue().layers] == [INSIDE]
    # Another process trusts the store's version it last read for up to this long (ui.team).
    editor.page.wait_for_timeout(VERSION_TTL_S * 1000)

    _sites_seen_by_a_new_visitor(new_ui, second, INSIDE)
    _sites_seen_by_a_new_visitor(new_ui, App(cluster.url, data), INSIDE)

    # The editor publishes a deck of one map slide; a colleague opens its link on the other replica.
    add_map_slide_and_open_the_deck(editor, "Obras del año (SYNTHETIC)")
    editor.page.get_by_role("button", name=t("team.publish_deck", "en")).click()
    settle_page(editor)
    [deck] = store.catalogue().decks
    editor.page.wait_for_timeout(VERSION_TTL_S * 1000)

    colleague = new_ui()
    colleague.page.goto(f"{second.url}/?deck=team.{deck.ident}&present=1&lang=en")
    colleague.settle()
    expect(
        colleague.page.get_by_role("heading", name="Obras del año (SYNTHETIC)", exact=True)
    ).to_be_visible()
    colleague.expect_drawn_sites(data.drawn_sites(data.view()) + INSIDE)
