"""Two Atlas replicas behind nginx (deploy/) on loopback ports, driven through the one address.

nginx pins each browser to a replica with a cookie (``deploy.nginx.COOKIE``):
a page opened through the proxy draws its map, two visitors land on different
replicas and each keeps its own across reloads (its websocket included, as
nginx's access log shows), and a file uploaded on "Your data" reaches the
replica that holds the session and comes back checked. Skipped when nginx is
not installed. Files are the SYNTHETIC fixtures of tests/your_data_fixtures.py.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pytest
from playwright.sync_api import Browser

from deploy.nginx import COOKIE, REPLICA_HEADER, replica_name
from e2e.cluster import Cluster, atlas_cluster, nginx_binary
from tests.browser.conftest import App, AtlasData, AtlasUI, warm_up
from tests.browser.test_your_data import _upload
from tests.your_data_fixtures import sites_csv

pytestmark = pytest.mark.browser

REPLICAS = 2
STREAM = '"GET /_stcore/stream '
UPLOAD = '"PUT /_stcore/upload_file/'


@dataclass(frozen=True)
class Proxied:
    """The Atlas as visitors reach it through the proxy; ``server`` gives every process's log to a failed test."""

    app: App
    server: Cluster


@pytest.fixture(scope="module")
def proxied(browser: Browser) -> Iterator[Proxied]:
    if nginx_binary() is None:
        pytest.skip("nginx is not installed (make test installs Debian's nginx-light)")
    with atlas_cluster(REPLICAS) as cluster:
        for replica in cluster.replicas:  # straight to each replica: no cookie, no turn taken at the proxy
            warm_up(browser, replica.url)
        yield Proxied(App(cluster.url, AtlasData.load()), cluster)


def _log_lines(
    cluster: Cluster, marker: str, count: int, timeout: float = 10.0
) -> list[tuple[str, str, str]]:
    """(cookie sent, replica that answered, status) of the requests containing ``marker``, once ``count`` are logged.

    A websocket is logged when it closes, so the caller closes its pages first.
    """
    deadline = time.monotonic() + timeout
    while True:
        lines = [line.split(" ", 3)[:3] for line in cluster.proxy.access_log() if marker in line]
        if len(lines) >= count or time.monotonic() > deadline:
            return [tuple(line) for line in lines]
        time.sleep(0.2)


def _open(ui: AtlasUI, url: str) -> str:
    """Open ``url``, wait for the map, return the replica that served the page."""
    response = ui.page.goto(url)
    assert response is not None
    assert response.ok, response.status
    ui.settle()
    return response.headers[REPLICA_HEADER.lower()]


def _cookie(ui: AtlasUI) -> str:
    return next(c["value"] for c in ui.page.context.cookies() if c["name"] == COOKIE)


def test_a_page_opened_through_the_proxy_draws_its_map(proxied: Proxied, ui: AtlasUI) -> None:
    served = _open(ui, proxied.app.link())
    assert served in {replica_name(i) for i in range(REPLICAS)}
    assert _cookie(ui) == served
    assert ui.polygons() > 0, "the boroughs are drawn"
    assert ui.watch.websockets, "the page talks to its replica over a websocket"
    assert ui.watch.failed_local == []


def test_two_visitors_land_on_different_replicas_and_each_keeps_its_own(
    proxied: Proxied, new_ui: Callable[[], AtlasUI]
) -> None:
    visitors = [new_ui(), new_ui()]
    served = [_open(ui, proxied.app.link()) for ui in visitors]
    assert sorted(served) == [replica_name(i) for i in range(REPLICAS)], "new visitors are spread in turn"
    for ui, replica in zip(visitors, served, strict=True):
        assert _cookie(ui) == replica
        for _ in range(2):
            response = ui.page.reload()
            assert response is not None
            ui.settle()
            assert response.headers[REPLICA_HEADER.lower()] == replica
        assert _cookie(ui) == replica
    for ui in visitors:
        ui.page.context.close()
    # Each visitor opened three websockets (first visit and two reloads), all on its own replica.
    streams = _log_lines(proxied.server, STREAM, count=2 * 3)
    for replica in served:
        mine = [line for line in streams if line[0] == replica]
        assert len(mine) >= 3, streams
        assert {(answered, status) for _, answered, status in mine} == {(replica, "101")}, streams


def test_a_file_uploaded_through_the_proxy_is_checked(proxied: Proxied, ui: AtlasUI) -> None:
    _upload(ui, proxied.app, "sitios.csv", sites_csv(), "text/csv")
    replica = _cookie(ui)
    uploads = _log_lines(proxied.server, UPLOAD, count=1)
    assert uploads, "the upload went through the proxy"
    assert {(sent, answered) for sent, answered, _ in uploads} == {(replica, replica)}, uploads
    assert all(status.startswith("2") for _, _, status in uploads), uploads
