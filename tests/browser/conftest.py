"""Fixtures for the browser tests: an Atlas server, headless Chromium, one page per test.

Every page runs with the internet blocked (``e2e.harness.block_internet``) and
records what it asked the network for, which dialogs opened and when the
websocket last talked, so tests can wait for the app to settle instead of
sleeping. A failing (or expectedly failing) test leaves a full-page screenshot
in ``artifacts/screenshots/<test name>.png``.

Expected numbers come from the data through the app's own loaders and filters
(``geo.loaders.load_atlas``, ``geo.filters.filter_sites``), never hard-coded.
"""

from __future__ import annotations

import re
import shutil
import time
import urllib.parse
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path

import pandas as pd
import pytest
from playwright.sync_api import Browser, Dialog, Page, Playwright, Request, expect, sync_playwright

from e2e.harness import LOCAL_PREFIXES, ROOT, Server, atlas_server, block_internet, launch_chromium, map_frame
from geo.classify import NO_DATA_COLOUR
from geo.filters import filter_sites, opened_year_range
from geo.loaders import Atlas, load_atlas
from geo.state import Options, ViewState, default_state
from ui.view import options_for

HOSTILE_NAME = "<img src=x onerror=alert(1)>"
SCREENSHOTS = ROOT / "artifacts" / "screenshots"
VIEWPORT = {"width": 1400, "height": 1000}
# The browser's language decides the Atlas's until the visitor picks one: English here.
LOCALE = "en-US"
LANGUAGE_SWITCH = "Idioma · Language · Langue"
# Counts the shapes of geo.arealayer's canvas layers (each carries options.atlasLevel), on every map once.
CANVAS_AREAS_JS = """(body, missing) => {
    const maps = new Set();
    for (const name of Object.keys(window)) {
        try { if (window[name] instanceof L.Map) { maps.add(window[name]); } } catch (error) { /* a foreign frame */ }
    }
    const counts = {};
    maps.forEach((map) => map.eachLayer((layer) => {
        const level = layer.options && layer.options.atlasLevel;
        if (!level || !layer.feature) { return; }
        const count = counts[level] || (counts[level] = {shapes: 0, shaded: 0});
        count.shapes += 1;
        if (layer.options.fill && layer.options.fillColor && layer.options.fillColor !== missing) { count.shaded += 1; }
    }));
    return counts;
}"""
QUIET_S = 0.8  # websocket silence that counts as "settled" (the map reports moves after 250 ms)
SETTLE_TIMEOUT_S = 45.0
# A fresh server's first run is slower: Streamlit compiles the pages and the Atlas data loads.
FIRST_LOAD_TIMEOUT_S = 60.0


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo) -> Iterator[None]:
    """Keep each phase's report on the test item, so fixtures can see the outcome."""
    report = yield
    setattr(item, f"report_{report.when}", report)
    if report.failed:
        _attach_server_logs(item, report)
    return report


def _attach_server_logs(item: pytest.Item, report: pytest.TestReport) -> None:
    """Show the recent output of every Atlas server the failed test used (the app's traceback is there)."""
    for name, value in getattr(item, "funcargs", {}).items():
        app = value[0] if isinstance(value, tuple) and value else value
        server = getattr(app, "server", None)
        if server is not None:
            report.sections.append((f"Atlas server log ({name})", server.output()[-6000:]))


# --- what the data says -----------------------------------------------------------------------


@dataclass(frozen=True)
class AtlasData:
    """The data a server shows, and what its views should draw."""

    atlas: Atlas
    options: Options

    @classmethod
    def load(cls, data_dir: Path | None = None) -> AtlasData:
        atlas = load_atlas(data_dir) if data_dir else load_atlas()
        return cls(atlas, options_for(atlas, offline=True))

    def view(self, **changes: object) -> ViewState:
        """The default view of a new visitor, with ``changes``."""
        return replace(default_state(self.options), **changes)

    def mapped_sites(self, view: ViewState) -> int:
        """Sites the view selects that have coordinates (the "Sites on the map" figure)."""
        selected = filter_sites(self.atlas.sites, view, opened_year_range(self.atlas.sites)[1])
        return int(selected.geometry.notna().sum())

    def drawn_sites(self, view: ViewState) -> int:
        """Markers the map should draw: only UTOPÍAS sites have a map layer."""
        if "utopias" not in view.prog:
            return 0
        selected = filter_sites(self.atlas.sites, view, opened_year_range(self.atlas.sites)[1])
        return int((selected["programme"].eq("utopias") & selected.geometry.notna()).sum())

    def borough_code(self, name: str) -> str:
        boroughs = self.atlas.boroughs
        return str(boroughs.loc[boroughs["name"] == name, "cvegeo"].iloc[0])


@dataclass(frozen=True)
class App:
    """A running Atlas server and the data it serves."""

    url: str
    data: AtlasData
    server: Server | None = field(default=None, compare=False, repr=False)

    def link(self, query: dict[str, str] | None = None) -> str:
        return f"{self.url}/?{urllib.parse.urlencode(query)}" if query else f"{self.url}/"


# --- what the page did ------------------------------------------------------------------------


@dataclass
class Watch:
    """What one page asked for and showed, recorded as it happens."""

    aborted: list[str]
    requests: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    websockets: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    last_traffic: float = field(default_factory=time.monotonic)

    def touch(self, *_: object) -> None:
        self.last_traffic = time.monotonic()

    def on_request(self, request: Request) -> None:
        self.requests.append(request.url)

    def on_failed(self, request: Request) -> None:
        self.failed.append(f"{request.url} ({request.failure})")

    def on_dialog(self, dialog: Dialog) -> None:
        self.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    def on_websocket(self, ws) -> None:
        self.websockets.append(ws.url)
        self.touch()
        ws.on("framesent", self.touch)
        ws.on("framereceived", self.touch)

    @property
    def left_the_machine(self) -> list[str]:
        """Requests to other hosts that were not aborted (there should be none)."""
        return [u for u in self.requests if not u.startswith(LOCAL_PREFIXES) and u not in self.aborted]

    @property
    def failed_local(self) -> list[str]:
        return [f for f in self.failed if f.startswith(LOCAL_PREFIXES)]


def watch_page(page: Page) -> Watch:
    watch = Watch(aborted=block_internet(page))
    page.on("request", watch.on_request)
    page.on("requestfailed", watch.on_failed)
    page.on("dialog", watch.on_dialog)
    page.on("websocket", watch.on_websocket)
    return watch


class AtlasUI:
    """Reading and waiting on one Atlas page."""

    def __init__(self, page: Page, watch: Watch) -> None:
        self.page = page
        self.watch = watch
        self.map = map_frame(page)

    def open(self, url: str, timeout: float = SETTLE_TIMEOUT_S) -> None:
        self.page.goto(url)
        self.settle(timeout)

    def settle(self, timeout: float = SETTLE_TIMEOUT_S) -> None:
        """Wait until the script is idle, the map is drawn and the websocket has gone quiet.

        Quiet is counted from this call at the earliest, so an action whose
        message the browser still debounces is waited for, and from the moment
        the map is first seen drawn, since a freshly mounted map reports its
        view to the server right then. An error shown by the app fails at once.
        """
        start = time.monotonic()
        deadline = start + timeout
        app = self.page.locator("[data-testid=stApp]")
        error = self.page.locator("[data-testid=stException]")
        # Boroughs are SVG paths; AGEBs and colonias are drawn on a canvas (geo.arealayer).
        polygons = self.map.locator("path.leaflet-interactive, .leaflet-overlay-pane canvas")
        drawn_at = None
        while True:
            if error.count():
                raise AssertionError(f"the Atlas shows an error: {error.first.inner_text()[:800]}")
            state = app.get_attribute("data-test-script-state") if app.count() else None
            now = time.monotonic()
            if polygons.count():
                drawn_at = drawn_at or now
                quiet_for = now - max(self.watch.last_traffic, start, drawn_at)
                if state == "notRunning" and quiet_for >= QUIET_S:
                    return
            else:
                drawn_at = None
            if now > deadline:
                msg = f"the Atlas did not settle within {timeout:.0f} s (script {state}, map drawn: {bool(drawn_at)})"
                raise TimeoutError(msg)
            self.page.wait_for_timeout(100)

    # map
    def polygons(self) -> int:
        return self.map.locator("path.leaflet-interactive").count()

    def canvas_areas(self) -> dict[str, dict[str, int]]:
        """What Leaflet holds on its canvas layers, by level: shapes, and shapes filled with a class colour."""
        return self.map_eval(CANVAS_AREAS_JS, NO_DATA_COLOUR)

    def drawn_sites(self) -> int:
        """Sites drawn on the map: every cluster's count plus every single marker."""
        pane = self.map.locator(".leaflet-marker-pane")
        clusters = pane.locator(".marker-cluster").all_inner_texts()
        # Leaflet.awesome-markers icons do not carry Leaflet's leaflet-marker-icon class.
        singles = pane.locator(".awesome-marker").count()
        return sum(int(text.strip()) for text in clusters) + singles

    def expect_drawn_sites(self, expected: int, timeout: float = 5.0) -> None:
        """Wait (briefly) for the map to draw ``expected`` sites, then assert it."""
        deadline = time.monotonic() + timeout
        while (drawn := self.drawn_sites()) != expected and time.monotonic() < deadline:
            self.page.wait_for_timeout(100)
        assert drawn == expected, f"the map draws {drawn} sites, the data says {expected}"

    def map_eval(self, script: str, arg: object = None) -> object:
        """Evaluate ``script`` (a function of an element and ``arg``) in the map's frame."""
        return self.map.locator("body").evaluate(script, arg)

    # page
    def metric(self, label: str):
        """The value of the headline figure labelled exactly ``label`` (``geo.figures``)."""
        term = self.page.get_by_role("term").filter(has_text=re.compile(rf"^{re.escape(label)}$"))
        return self.page.locator("[data-figure]").filter(has=term).locator(".atlas-figure-value")

    def notices(self):
        return self.page.locator("[data-testid=stAlert]").filter(has_text=re.compile(r"Ignored "))

    def checkbox(self, label: str):
        return self.page.get_by_role("checkbox", name=label, exact=True)

    def switch_language(self, name: str) -> None:
        """Pick a language ("Español", "English", "Français") in the sidebar and wait for the rerun."""
        switch = self.page.locator("[data-testid=stRadio]").filter(has_text=LANGUAGE_SWITCH)
        option = switch.get_by_role("radio", name=name, exact=True)
        # The radio input is hidden behind its label, which takes the click.
        switch.locator("label").filter(has=self.page.get_by_role("radio", name=name, exact=True)).click()
        # The switch is drawn afresh in the new language: until the run ends the old one may linger.
        self.settle()
        expect(option).to_be_checked()

    def set_checkbox(self, label: str, checked: bool) -> None:
        """Click a Streamlit checkbox (its label takes the click) and wait for the rerun."""
        box = self.checkbox(label)
        if box.is_checked() != checked:
            self.page.locator("[data-testid=stCheckbox] label").filter(has=box).click()
            expect(box).to_be_checked(checked=checked)
        self.settle()

    def url(self) -> str:
        """The page's URL as the browser has it now.

        Read from the page, not from ``page.url``: Playwright's sync API updates
        ``page.url`` only while it handles events, inside its own calls. After a
        plain wait (``time.sleep``) it still gives the URL from before the app
        last wrote it, which looks like the URL lagging one map move behind
        until some other call (a mouse move) lets the events in.
        """
        return str(self.page.evaluate("() => location.href"))

    def query(self) -> dict[str, str]:
        return dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(self.url()).query))


def _screenshot_name(item: pytest.Item) -> str:
    return re.sub(r"[^\w.-]+", "_", item.name) + ".png"


# --- fixtures ---------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    with sync_playwright() as p:
        yield p


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    browser = launch_chromium(playwright)
    yield browser
    browser.close()


@contextmanager
def running_app(
    browser: Browser, data_dir: Path | None = None, env: dict[str, str] | None = None
) -> Iterator[App]:
    """Start an Atlas server (offline; on ``data_dir`` and with ``env`` if given) and open one session on it.

    A throwaway session takes the server's first run, which is slow (pages
    compiled, data loaded) and special (Streamlit's legacy ``pages/`` mode, see
    ``test_first_visit_after_server_start``), so no test depends on which
    test happens to come first.
    """
    env = {**(env or {}), **({"ATLAS_DATA_DIR": str(data_dir)} if data_dir else {})}
    with atlas_server(env=env) as server:
        warm_up(browser, server.url)
        yield App(server.url, AtlasData.load(data_dir), server)


def warm_up(browser: Browser, url: str) -> None:
    """Open the map at ``url`` once in a throwaway context, so a server's slow first run is nobody's test."""
    context = browser.new_context(viewport=VIEWPORT, locale=LOCALE)
    try:
        page = context.new_page()
        AtlasUI(page, watch_page(page)).open(url + "/", timeout=FIRST_LOAD_TIMEOUT_S)
    finally:
        context.close()


@pytest.fixture(scope="session")
def atlas_app(browser: Browser) -> Iterator[App]:
    """The Atlas on the shipped data."""
    with running_app(browser) as app:
        yield app


@pytest.fixture(scope="module")
def hostile_app(
    browser: Browser, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[App, pd.Series]]:
    """A second server on a SYNTHETIC copy of data/ where one mapped, open site has a hostile name."""
    data_dir = tmp_path_factory.mktemp("synthetic-hostile-site-name") / "data"
    shutil.copytree(ROOT / "data", data_dir)
    sites_csv = data_dir / "utopias.csv"
    sites = pd.read_csv(sites_csv, dtype=str, keep_default_na=False)
    target = sites.index[(sites["lat"] != "") & (sites["status"] == "open")][0]
    original = sites.at[target, "name"]
    sites.at[target, "name"] = HOSTILE_NAME
    sites.to_csv(sites_csv, index=False)
    (data_dir / "SYNTHETIC.md").write_text(
        "# SYNTHETIC TEST DATA: not real, not for publication\n\n"
        f"A copy of data/ made by tests/browser in which the site {original!r} is renamed\n"
        f"{HOSTILE_NAME!r}, to check that site names show as text and never run.\n",
        encoding="utf-8",
    )
    with running_app(browser, data_dir) as app:
        sites = app.data.atlas.sites
        yield app, sites[sites["name"] == HOSTILE_NAME].iloc[0]


@pytest.fixture
def cold_app() -> Iterator[App]:
    """A server of its own, not warmed up: its first session is the test's."""
    with atlas_server() as server:
        yield App(server.url, AtlasData.load(), server)


@pytest.fixture
def new_ui(browser: Browser, request: pytest.FixtureRequest) -> Iterator[Callable[[], AtlasUI]]:
    """Open pages, each in a new browser context; screenshot them if the test fails."""
    opened: list[AtlasUI] = []

    def open_ui() -> AtlasUI:
        context = browser.new_context(viewport=VIEWPORT, locale=LOCALE)
        page = context.new_page()
        page.set_default_timeout(20_000)
        ui = AtlasUI(page, watch_page(page))
        opened.append(ui)
        return ui

    yield open_ui

    report = getattr(request.node, "report_call", None)
    failed = report is not None and (report.failed or hasattr(report, "wasxfail"))
    for number, ui in enumerate(opened):
        if failed:
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            name = _screenshot_name(request.node)
            if number:
                name = name.replace(".png", f"-{number + 1}.png")
            try:
                ui.page.screenshot(path=SCREENSHOTS / name, full_page=True)
            except Exception as exc:  # a crashed page must not hide the test's own failure
                print(f"no screenshot for {request.node.name}: {exc}")
        ui.page.context.close()


@pytest.fixture
def ui(new_ui: Callable[[], AtlasUI]) -> AtlasUI:
    """The test's page, wrapped with the Atlas helpers."""
    return new_ui()


@pytest.fixture
def page(ui: AtlasUI) -> Page:
    """The test's page: internet blocked, screenshot on failure."""
    return ui.page
