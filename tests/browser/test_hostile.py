"""Hostile links in a real browser: nothing runs, nothing is fetched from outside, the server lives on.

One server (the session's) and one page visit a handful of links built from
``tests/hostile.py``: payloads in URL parameters, broken and hostile
``deck=`` links, a deck full of payloads on the Presentation page and
presented. Each must show no exception, no dialog, no link or image to the
payloads' host, and ask nothing of any other host; the server must still
answer its health check.
"""

from __future__ import annotations

import urllib.parse
import urllib.request

import pytest

from tests import hostile
from tests.browser.conftest import App, AtlasUI
from tests.browser.test_presenting import settle

pytestmark = pytest.mark.browser
PIXEL = f"![x](http://{hostile.HOST}/p.png)"
# Anything in the page that links to or fetches from the payloads' host, or would run script.
ACTIVE = (
    f'a[href*="{hostile.HOST}"], img[src*="{hostile.HOST}"], iframe[src*="{hostile.HOST}"], [onerror], [onload], '
    'a[href^="javascript:"], [data-testid=stMarkdownContainer] img'
)


def links(app: App) -> list[tuple[str, str, bool, str]]:
    """(what, URL, whether the page draws the map, text the page must show) for each case."""
    deep = hostile.packed(b"[" * 20_000 + b"]" * 20_000)
    digits = hostile.packed(b'{"version": ' + b"1" * 4301 + b"}")
    payloads = hostile.packed(hostile.payload_deck())

    def url(path: str, **query: str) -> str:
        return f"{app.url}/{path}?{urllib.parse.urlencode({'lang': 'en', **query})}"

    # The Sources page shows no URL notices yet (issue 8, item 6): nothing to find there but safety.
    return [
        ("payload parameters", url("", ind=PIXEL, k="9" * 5000, **{"zz\r\r" + PIXEL: "1"}), True, PIXEL),
        ("deep deck link, presenting", url("", deck=deep, present="1", slide="x"), True, ""),
        ("long-number deck link", url("presentation", deck=digits), False, "a number of more than"),
        ("deck named by a payload", url("presentation", deck=PIXEL), False, PIXEL),
        ("deck of payloads", url("presentation", deck=payloads), False, PIXEL),
        ("deck of payloads, presenting", url("", deck=payloads, present="1"), True, PIXEL),
        ("payloads on the Sources page", url("sources-and-terms", foo=PIXEL, lang="<script>"), False, ""),
    ]


def test_hostile_links_show_text_and_fetch_nothing(ui: AtlasUI, atlas_app: App) -> None:
    page = ui.page
    for what, link, map_drawn, text in links(atlas_app):
        page.goto(link)
        settle(ui, map_drawn=map_drawn)
        assert page.locator("[data-testid=stException]").count() == 0, what
        assert page.locator(ACTIVE).count() == 0, (
            f"{what}: {page.locator(ACTIVE).first.evaluate('e => e.outerHTML')}"
        )
        # Escaped Markdown keeps invisible word joiners in addresses; the reader sees the text as typed.
        shown = page.locator("[data-testid=stMain]").inner_text().replace("\u2060", "")
        assert text in shown, f"{what}: {text!r} is not shown as text"
        with urllib.request.urlopen(f"{atlas_app.url}/_stcore/health", timeout=5) as response:
            assert response.status == 200, f"{what}: the server stopped answering"
    assert ui.watch.dialogs == []
    assert ui.watch.aborted == [], "the page asked another host for something"
    assert ui.watch.left_the_machine == []
