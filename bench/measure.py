"""Drive headless Chromium against one Streamlit server and record what a visit costs.

One *run* is a visit in a fresh browser context (cold HTTP cache) to a warm
server: load the page until the map (or the title) is visible, let it settle,
then, for pages with a toggle, change the filter, time the map update and
change it back. Times come from the page itself (``observer.js`` stamps DOM
changes with ``performance.timeOrigin + performance.now()``), bytes from the
DevTools protocol (``Network.*`` events of the page's target, which include the
same-origin component iframe).
"""

from __future__ import annotations

import base64
import contextlib
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import psutil
from playwright.sync_api import Browser, BrowserContext, CDPSession, Page
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from bench.payload import decode, kind
from e2e.harness import atlas_server, block_internet

OBSERVER_JS = (Path(__file__).with_name("observer.js")).read_text(encoding="utf-8")
VIEWPORT = {"width": 1400, "height": 900}
#: Websocket opcodes that carry data (1 text, 2 binary); pings and closes are not payload.
DATA_OPCODES = (1, 2)
#: A page has settled when neither websocket data nor map DOM changes came for this long.
QUIET_S = 1.0
SETTLE_CAP_S = 15.0
RSS_INTERVAL_S = 0.05
#: A filter change that has not reached the map by then is reported as an error.
CHANGE_TIMEOUT_MS = 15_000


class BenchError(RuntimeError):
    """A measurement could not be taken (page never showed its map, toggle had no effect…)."""


class ViewLost(BenchError):
    """The page settled on another view than the one it first drew (no markers to filter)."""


@dataclass(frozen=True)
class PageSpec:
    """A page to measure: the script Streamlit serves and how to exercise it.

    ``ready`` is what "visible" means (a map polygon or the page title);
    ``toggle`` is the label of the checkbox whose change is timed, and
    ``watch`` the map state that must change: drawn site ``markers`` or the
    polygons' ``fills``.
    """

    name: str
    script: str
    ready: Literal["map", "title"]
    toggle: str | None = None
    toggle_scope: str = "body"
    watch: Literal["markers", "fills"] | None = None
    description: str = ""


@dataclass
class WsFrame:
    """One websocket data frame: epoch time, direction, decoded payload size and bytes."""

    t: float
    incoming: bool
    size: int
    data: bytes


@dataclass
class HttpResponse:
    """One finished HTTP request: epoch time it finished, URL and bytes on the wire."""

    t: float
    url: str
    size: int


class NetworkRecorder:
    """Collect websocket frames and finished HTTP requests from a CDP session."""

    def __init__(self, cdp: CDPSession) -> None:
        self.frames: list[WsFrame] = []
        self.responses: list[HttpResponse] = []
        self.last_activity = time.monotonic()
        self._urls: dict[str, str] = {}
        self._offset: float | None = None  # epoch seconds - CDP monotonic seconds
        cdp.on("Network.requestWillBeSent", self._request)
        cdp.on("Network.webSocketWillSendHandshakeRequest", self._clock)
        cdp.on("Network.loadingFinished", self._finished)
        cdp.on("Network.webSocketFrameReceived", lambda e: self._frame(e, incoming=True))
        cdp.on("Network.webSocketFrameSent", lambda e: self._frame(e, incoming=False))
        cdp.send("Network.enable")

    def _clock(self, event: dict[str, Any]) -> None:
        if self._offset is None and "wallTime" in event:
            self._offset = event["wallTime"] - event["timestamp"]

    def _epoch(self, timestamp: float) -> float:
        if self._offset is None:
            msg = "a network event arrived before any request carried a wall-clock time"
            raise BenchError(msg)
        return timestamp + self._offset

    def _request(self, event: dict[str, Any]) -> None:
        self._clock(event)
        self._urls[event["requestId"]] = event["request"]["url"]

    def _finished(self, event: dict[str, Any]) -> None:
        url = self._urls.get(event["requestId"], "?")
        self.responses.append(
            HttpResponse(self._epoch(event["timestamp"]), url, int(event["encodedDataLength"]))
        )
        self.last_activity = time.monotonic()

    def _frame(self, event: dict[str, Any], *, incoming: bool) -> None:
        response = event["response"]
        if response.get("opcode") not in DATA_OPCODES:
            return
        text = response.get("payloadData", "")
        # Binary frames (opcode 2) arrive base64-encoded; text frames as text.
        data = base64.b64decode(text) if response["opcode"] == 2 else text.encode()
        self.frames.append(WsFrame(self._epoch(event["timestamp"]), incoming, len(data), data))
        self.last_activity = time.monotonic()

    def ws_bytes(self, start: float, end: float, *, incoming: bool = True) -> int:
        """Websocket payload bytes in one direction with start < t <= end (epoch seconds)."""
        return sum(f.size for f in self.frames if f.incoming is incoming and start < f.t <= end)

    def ws_payloads(self, start: float, end: float) -> list[bytes]:
        """Server-to-browser payloads with start < t <= end, in order."""
        return [f.data for f in self.frames if f.incoming and start < f.t <= end]

    def http_bytes(self, end: float) -> dict[str, int]:
        """HTTP bytes on the wire (headers included) of requests finished by ``end``, by kind."""
        kinds: dict[str, int] = {}
        for r in self.responses:
            if r.t <= end:
                kinds[_http_kind(r.url)] = kinds.get(_http_kind(r.url), 0) + r.size
        return kinds

    def largest(self, end: float, count: int = 12) -> list[tuple[str, int]]:
        """The ``count`` largest responses finished by ``end``: (path, bytes on the wire)."""
        done = sorted((r for r in self.responses if r.t <= end), key=lambda r: -r.size)
        return [("/" + r.url.split("://", 1)[-1].split("/", 1)[-1], r.size) for r in done[:count]]


def _http_kind(url: str) -> str:
    path = "/" + url.split("://", 1)[-1].split("/", 1)[-1]
    if path.startswith("/app/static/vendor/"):
        return "vendored map JS/CSS/fonts"
    if path.startswith("/component/"):
        return "streamlit-folium component"
    if path.startswith(("/static/", "/_stcore/", "/favicon")) or path == "/" or path.startswith("/?"):
        return "Streamlit frontend"
    return "other"


class RssSampler:
    """Sample the resident memory of a process and its children in a thread."""

    def __init__(self, pid: int, interval: float = RSS_INTERVAL_S) -> None:
        self._process = psutil.Process(pid)
        self._interval = interval
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="rss-sampler", daemon=True)
        self.samples: list[int] = []

    def _rss(self) -> int:
        total = 0
        for proc in (self._process, *self._process.children(recursive=True)):
            with contextlib.suppress(psutil.NoSuchProcess, psutil.AccessDenied):
                total += proc.memory_info().rss
        return total

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                self.samples.append(self._rss())
            except psutil.NoSuchProcess:
                return
            self._stop.wait(self._interval)

    def __enter__(self) -> RssSampler:
        self.samples.append(self._rss())
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


@dataclass
class ChangeRun:
    """One timed filter change: click to map updated, and what the websocket carried."""

    seconds: float
    ws_bytes_in: int
    ws_bytes_in_to_update: int
    ws_bytes_out: int
    before: dict[str, Any]
    after: dict[str, Any]
    remounted: bool
    restore_seconds: float
    payloads: list[bytes] = field(default_factory=list, repr=False)


@dataclass
class LoadRun:
    """One cold-browser visit: time to visible, bytes, and optionally a filter change."""

    seconds_to_visible: float
    seconds_to_visible_playwright: float
    ws_bytes_to_visible: int
    ws_bytes_settled: int
    http_bytes_to_visible: dict[str, int]
    http_bytes_settled: dict[str, int]
    blocked_requests: list[str]
    final_url: str
    markers_at_load: int
    timeline: dict[str, float | None] = field(default_factory=dict)
    largest_http: list[tuple[str, int]] = field(default_factory=list)
    payloads_settled: list[bytes] = field(default_factory=list, repr=False)
    change: ChangeRun | None = None
    payloads_to_visible: list[bytes] = field(default_factory=list, repr=False)


@dataclass
class PageResult:
    """All runs of one page, the warm-up excluded, and the server's memory."""

    spec: PageSpec
    runs: list[LoadRun]
    rss_start_bytes: int
    rss_peak_bytes: int
    server_start_seconds: float
    notes: list[str] = field(default_factory=list)
    visits_view_lost: int = 0


def _bench_state(page: Page) -> dict[str, Any]:
    return page.evaluate(
        "() => { const b = window.__bench; return {title: b.title, firstPath: b.firstPath,"
        " clicks: b.clicks.length, events: b.events.length,"
        " last: b.events.length ? b.events[b.events.length - 1] : null}; }"
    )


def _settle(page: Page, net: NetworkRecorder) -> bool:
    """Wait until websocket data and map DOM changes have been quiet for ``QUIET_S``."""
    start = time.monotonic()
    events = -1
    quiet_since = time.monotonic()
    while time.monotonic() - start < SETTLE_CAP_S:
        page.wait_for_timeout(100)  # pumps CDP events, unlike time.sleep
        count = page.evaluate("() => window.__bench.events.length")
        now = time.monotonic()
        if count != events:
            events, quiet_since = count, now
        if now - max(quiet_since, net.last_activity) >= QUIET_S:
            return True
    return False


def _watch_changed_js(watch: str) -> str:
    """JS predicate: the latest map state differs from ``base`` in the watched field."""
    if watch == "markers":
        differs = "e.markers !== base.markers && e.markers > 0"
    else:
        differs = "e.fills !== base.fills"
    return (
        "(base) => { const ev = window.__bench.events; const e = ev[ev.length - 1];"
        f" return !!e && e.paths === base.paths && {differs}; }}"
    )


def _watch_restored_js(watch: str) -> str:
    return (
        "(base) => { const ev = window.__bench.events; const e = ev[ev.length - 1];"
        f" return !!e && e.paths === base.paths && e.{watch} === base.{watch}; }}"
    )


def _toggle(page: Page, spec: PageSpec) -> None:
    label = page.locator(f"{spec.toggle_scope} [data-testid=stCheckbox] label").filter(has_text=spec.toggle)
    label.click()


def _filter_change(page: Page, net: NetworkRecorder, spec: PageSpec, timeout_ms: float) -> ChangeRun:
    """Click the page's checkbox, time the map update, then click it back."""
    if spec.toggle is None or spec.watch is None:
        raise BenchError(f"{spec.name}: no filter to change")
    state = _bench_state(page)
    before = state["last"]
    if before is None or before["paths"] == 0:
        raise BenchError(f"{spec.name}: no map drawn before the filter change")
    if spec.watch == "markers" and before["markers"] == 0:
        raise ViewLost(
            f"{spec.name}: the view drew no site markers, so '{spec.toggle}' cannot change the map"
            f" (page URL {page.url})"
        )
    clicks, n_events = state["clicks"], state["events"]
    _toggle(page, spec)
    try:
        page.wait_for_function(
            _watch_changed_js(spec.watch), arg=before, timeout=CHANGE_TIMEOUT_MS, polling=20
        )
    except PlaywrightTimeout as exc:
        msg = (
            f"{spec.name}: the map's {spec.watch} did not change within {CHANGE_TIMEOUT_MS / 1000:.0f}s"
            f" of clicking '{spec.toggle}' (does that filter change what is drawn?)"
        )
        raise BenchError(msg) from exc
    _settle(page, net)
    settled_t = time.time()
    bench = page.evaluate("() => window.__bench")
    if len(bench["clicks"]) <= clicks:
        raise BenchError(f"{spec.name}: the click on '{spec.toggle}' was not seen by the page")
    click_t = bench["clicks"][clicks]
    after = bench["events"][-1]
    new_events = bench["events"][n_events:]
    updated = next(
        (
            e
            for e in new_events
            if e["t"] > click_t and e[spec.watch] == after[spec.watch] and e["paths"] == after["paths"]
        ),
        None,
    )
    if updated is None:
        raise BenchError(
            f"{spec.name}: the map changed but no DOM change after the click matches its final state"
        )
    change = ChangeRun(
        seconds=(updated["t"] - click_t) / 1000,
        ws_bytes_in=net.ws_bytes(click_t / 1000, settled_t),
        ws_bytes_in_to_update=net.ws_bytes(click_t / 1000, updated["t"] / 1000),
        ws_bytes_out=net.ws_bytes(click_t / 1000, settled_t, incoming=False),
        before={k: before[k] for k in ("frame", "doc", "paths", "markers")} | {"fills": _fills(before)},
        after={k: after[k] for k in ("frame", "doc", "paths", "markers")} | {"fills": _fills(after)},
        remounted=updated["frame"] != before["frame"],
        restore_seconds=float("nan"),
        payloads=net.ws_payloads(click_t / 1000, settled_t),
    )
    # Put the filter back for the next run (timed too, reported in the JSON only).
    clicks = len(bench["clicks"])
    _toggle(page, spec)
    page.wait_for_function(_watch_restored_js(spec.watch), arg=before, timeout=timeout_ms, polling=20)
    restored_t = page.evaluate("() => window.__bench.events[window.__bench.events.length - 1].t")
    click_back = page.evaluate(f"() => window.__bench.clicks[{clicks}]")
    change.restore_seconds = (restored_t - click_back) / 1000
    _settle(page, net)
    return change


def _fills(event: dict[str, Any]) -> str:
    """Summarise a fill list: distinct colours, most common first."""
    colours = [c for c in event["fills"].split(",") if c]
    distinct = sorted(set(colours), key=lambda c: -colours.count(c))
    return f"{len(distinct)} colour(s): {', '.join(distinct[:4])}{'…' if len(distinct) > 4 else ''}"


def _timeline(net: NetworkRecorder, t0: float, visible: float) -> dict[str, float | None]:
    """Seconds from ``page.goto`` to the milestones of a load (``None`` when absent)."""
    incoming = [f for f in net.frames if f.incoming]
    kinds = [kind(msg) for msg in decode(f.data for f in incoming)]

    def first(name: str) -> float | None:
        return next((f.t - t0 for f, k in zip(incoming, kinds, strict=True) if k == name), None)

    vendored_js = [
        r.t - t0
        for r in net.responses
        if r.t <= visible and "/app/static/vendor/" in r.url and ".js" in r.url
    ]
    frontend = [
        r.t - t0 for r in net.responses if r.t <= visible and _http_kind(r.url) == "Streamlit frontend"
    ]
    return {
        "Streamlit frontend files loaded": max(frontend, default=None),
        "first websocket message": incoming[0].t - t0 if incoming else None,
        "map element received": first("delta.new_element.component_instance"),
        "first script run finished": first("script_finished"),
        "map scripts loaded": max(vendored_js, default=None),
        "visible": visible - t0,
    }


def visit(
    browser: Browser,
    url: str,
    spec: PageSpec,
    *,
    timeout_ms: float = 60_000,
    with_change: bool = True,
) -> LoadRun:
    """Load ``url`` in a fresh context, measure, and optionally time the filter change."""
    context: BrowserContext = browser.new_context(viewport=VIEWPORT)
    try:
        context.add_init_script(script=OBSERVER_JS)
        page = context.new_page()
        blocked = block_internet(page)
        net = NetworkRecorder(context.new_cdp_session(page))
        field_name = "firstPath" if spec.ready == "map" else "title"
        t0 = time.time()
        page.goto(url, wait_until="commit", timeout=timeout_ms)
        page.wait_for_function(
            f"() => window.__bench && (window.__bench.{field_name} !== null || window.__bench.error !== null)",
            timeout=timeout_ms,
            polling=20,
        )
        seen_by_playwright = time.time() - t0
        error = page.evaluate("() => window.__bench.error")
        if error:
            raise BenchError(f"{spec.name}: the page shows an exception: {error}")
        visible_ms = page.evaluate(f"() => window.__bench.{field_name}")
        visible = visible_ms / 1000
        _settle(page, net)
        settled = time.time()
        run = LoadRun(
            seconds_to_visible=visible - t0,
            seconds_to_visible_playwright=seen_by_playwright,
            ws_bytes_to_visible=net.ws_bytes(0, visible),
            ws_bytes_settled=net.ws_bytes(0, settled),
            http_bytes_to_visible=net.http_bytes(visible),
            http_bytes_settled=net.http_bytes(settled),
            blocked_requests=list(blocked),
            final_url=page.url,
            markers_at_load=(_bench_state(page)["last"] or {}).get("markers", 0),
            payloads_to_visible=net.ws_payloads(0, visible),
            timeline=_timeline(net, t0, visible),
            largest_http=net.largest(visible),
            payloads_settled=net.ws_payloads(0, settled),
        )
        if with_change and spec.toggle:
            run.change = _filter_change(page, net, spec, timeout_ms)
        return run
    finally:
        context.close()


class PageBench:
    """One page's server, memory sampler and visits, for :func:`measure_pages` to take turns with."""

    def __init__(self, browser: Browser, spec: PageSpec, log, max_lost: int) -> None:
        self.browser, self.spec, self.log, self.max_lost = browser, spec, log, max_lost
        self.runs: list[LoadRun] = []
        self.notes: list[str] = []
        self.lost = 0
        self._stack = contextlib.ExitStack()

    def __enter__(self) -> PageBench:
        started = time.monotonic()
        self.server = self._stack.enter_context(atlas_server(self.spec.script))
        self.server_start = time.monotonic() - started
        self.rss = self._stack.enter_context(RssSampler(self.server.process.pid))
        return self

    def __exit__(self, *exc: object) -> None:
        self._stack.close()

    def visit(self, *, timed: bool) -> None:
        """One visit (again while it loses the default view, see README); kept if ``timed``."""
        while True:
            try:
                run = visit(self.browser, self.server.url, self.spec)
                break
            except ViewLost as exc:
                self.lost += 1
                self.notes.append(f"{'timed' if timed else 'warm-up'} visit discarded: {exc}")
                self.log(f"  {self.spec.name}: {self.notes[-1]}")
                if self.lost > self.max_lost:
                    msg = f"{self.spec.name}: {self.lost} visits lost the default view; giving up"
                    raise BenchError(msg) from exc
        if not timed:
            self.log(
                f"  {self.spec.name}: server up in {self.server_start:.1f}s, "
                f"warm-up visit {run.seconds_to_visible:.2f}s (not counted)"
            )
            return
        self.runs.append(run)
        change = f", filter change {run.change.seconds:.3f}s" if run.change else ""
        self.log(
            f"  {self.spec.name} run {len(self.runs)}: visible {run.seconds_to_visible:.2f}s, "
            f"map payload {run.ws_bytes_to_visible / 1000:.0f} kB{change}"
        )

    def result(self) -> PageResult:
        return PageResult(
            spec=self.spec,
            runs=self.runs,
            rss_start_bytes=self.rss.samples[0],
            rss_peak_bytes=max(self.rss.samples),
            server_start_seconds=self.server_start,
            notes=self.notes,
            visits_view_lost=self.lost,
        )


def measure_pages(browser: Browser, specs: list[PageSpec], runs: int, *, log=print) -> list[PageResult]:
    """Start every page's server, warm each with one untimed visit, then take turns: ``runs`` rounds.

    Round-robin rather than page after page, so a change in the machine's load
    (other processes on a shared machine) touches every page alike, and pages
    compare within the same minutes.
    """
    with contextlib.ExitStack() as stack:
        benches = [stack.enter_context(PageBench(browser, spec, log, max(runs, 2))) for spec in specs]
        for bench in benches:
            bench.visit(timed=False)
        for _ in range(runs):
            for bench in benches:
                bench.visit(timed=True)
        return [bench.result() for bench in benches]
