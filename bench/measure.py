"""Drive headless Chromium against one Streamlit server and record what a visit costs.

One *run* is a visit in a fresh browser context (cold HTTP cache) to a warm
server: load the page until the map (or the title) is visible, let it settle,
then make the page's filter changes one after the other, timing each map
update (a checkbox is clicked back afterwards). Times come from the page itself (``observer.js`` stamps DOM
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
#: Before a timed visit, every page's server must have used at most this share of a core over this window.
IDLE_CPU_SHARE = 0.1
IDLE_WINDOW_S = 0.5
IDLE_CAP_S = 30.0
#: The Streamlit message kind that carries the map (streamlit-folium's component).
COMPONENT = "delta.new_element.component_instance"
#: A filter change that has not reached the map by then is reported as an error.
CHANGE_TIMEOUT_MS = 15_000


class BenchError(RuntimeError):
    """A measurement could not be taken (page never showed its map, toggle had no effect…)."""


class ViewLost(BenchError):
    """The page settled on another view than the one it first drew (no markers to filter)."""


Watch = Literal["markers", "fills", "areas"]


@dataclass(frozen=True)
class Change:
    """A filter change to time: a widget, the option to pick, and what on the map must change.

    ``widget`` is a ``checkbox`` (clicked, then clicked back so the visit ends
    on its default), a ``selectbox`` or a ``multiselect`` (``option`` is picked;
    the next change starts from there). ``watch`` is the map state that must
    change: drawn site ``markers``, the SVG polygons' ``fills``, or the
    ``areas`` Leaflet holds on canvas layers (their number and fills).
    ``key`` names the change's figures in the report.
    """

    key: str
    widget: Literal["checkbox", "selectbox", "multiselect"]
    label: str
    watch: Watch
    option: str | None = None
    scope: str = "body"

    def describe(self) -> str:
        """The change in words, for the report."""
        if self.widget == "checkbox":
            return f"checkbox '{self.label}' ({self.watch} must change)"
        return f"{self.widget} '{self.label}' -> '{self.option}' ({self.watch} must change)"


@dataclass(frozen=True)
class PageSpec:
    """A page to measure: the script Streamlit serves, the URL query, and how to exercise it.

    ``ready`` is what "visible" means: a map polygon (SVG ``map``), canvas
    ``areas`` drawn (:mod:`geo.arealayer`), or the page ``title``.
    ``changes`` are timed one after the other in every visit.
    """

    name: str
    script: str
    ready: Literal["map", "areas", "title"]
    query: str = ""
    changes: tuple[Change, ...] = ()
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

    def times_of(self, message_kind: str, start: float, end: float) -> list[float]:
        """When server-to-browser messages of one kind (:func:`bench.payload.kind`) arrived, start < t <= end."""
        frames = [f for f in self.frames if f.incoming and start < f.t <= end]
        return [
            f.t
            for f, msg in zip(frames, decode(f.data for f in frames), strict=True)
            if kind(msg) == message_kind
        ]

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
    """One timed filter change: click to map updated, and what the websocket carried.

    ``remounted``: the map was updated in another iframe, document or
    ``L.Map`` than the one it had before the change. ``restore_seconds`` is
    the time of the change back (checkboxes only, else ``None``).
    ``seconds_to_map_message``: from the click to the arrival of the last map
    component message before the update (the server's share of ``seconds``;
    the rest is the browser's), ``None`` if none came. ``seconds_to_dom``:
    from the click to the DOM change of the update (for canvas areas, the
    shapes added; ``seconds`` runs until they are drawn).
    """

    key: str
    seconds: float
    seconds_to_map_message: float | None
    seconds_to_dom: float
    ws_bytes_in: int
    ws_bytes_in_to_update: int
    ws_bytes_out: int
    before: dict[str, Any]
    after: dict[str, Any]
    remounted: bool
    restore_seconds: float | None
    payloads: list[bytes] = field(default_factory=list, repr=False)


@dataclass
class LoadRun:
    """One cold-browser visit: time to visible, bytes, and the page's filter changes."""

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
    changes: list[ChangeRun] = field(default_factory=list)
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
    #: Seconds waited before each timed visit for every page's server to be idle (:func:`wait_until_idle`).
    idle_waits: list[float] = field(default_factory=list)


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


#: JS: the latest map state, ``e``, against the state before the change, ``base``.
_LATEST = "(base) => { const ev = window.__bench.events; const e = ev[ev.length - 1]; return !!e && "
_DIFFERS: dict[str, str] = {
    "markers": "e.paths === base.paths && e.markers !== base.markers && e.markers > 0",
    "fills": "e.paths === base.paths && e.fills !== base.fills",
    "areas": "e.areaShapes > 0 && e.areas !== base.areas",
}


def _drawn(event: dict[str, Any] | None) -> bool:
    return event is not None and (event["paths"] > 0 or event["areaShapes"] > 0)


def _state(event: dict[str, Any]) -> dict[str, Any]:
    """What the report keeps of a map state (fills summarised)."""
    keys = ("frame", "doc", "map", "paths", "markers", "areas", "areaShapes")
    return {k: event[k] for k in keys} | {"fills": _fills(event)}


def _pick(page: Page, change: Change) -> int:
    """Make ``change`` in the page; return the index of the click that commits it."""
    scope = page.locator(change.scope)
    if change.widget == "checkbox":
        target = scope.locator("[data-testid=stCheckbox] label").filter(has_text=change.label)
    else:
        # Typing opens the list (a click alone does not open the multiselect's) and filters it.
        scope.get_by_role("combobox", name=change.label, exact=True).click()
        page.keyboard.type(str(change.option))
        target = page.get_by_role("option", name=change.option, exact=True)
    committing = page.evaluate("() => window.__bench.clicks.length")
    target.click()
    if change.widget == "multiselect":
        page.keyboard.press("Escape")  # close the list that stays open for more picks
    return committing


def _filter_change(
    page: Page, net: NetworkRecorder, spec: PageSpec, change: Change, timeout_ms: float
) -> ChangeRun:
    """Make one filter change and time the map update; click a checkbox back afterwards."""
    state = _bench_state(page)
    before = state["last"]
    if not _drawn(before):
        raise BenchError(f"{spec.name}: no map drawn before the filter change")
    if change.watch == "markers" and before["markers"] == 0:
        raise ViewLost(
            f"{spec.name}: the view drew no site markers, so '{change.label}' cannot change the map"
            f" (page URL {page.url})"
        )
    if change.watch == "areas" and before["areaShapes"] == 0:
        raise ViewLost(f"{spec.name}: the view drew no canvas areas (page URL {page.url})")
    n_events = state["events"]
    committing = _pick(page, change)
    try:
        page.wait_for_function(
            _LATEST + _DIFFERS[change.watch] + "; }", arg=before, timeout=CHANGE_TIMEOUT_MS, polling=20
        )
    except PlaywrightTimeout as exc:
        msg = (
            f"{spec.name}: the map's {change.watch} did not change within {CHANGE_TIMEOUT_MS / 1000:.0f}s"
            f" of {change.describe()} (does that filter change what is drawn?)"
        )
        raise BenchError(msg) from exc
    _settle(page, net)
    settled_t = time.time()
    bench = page.evaluate("() => window.__bench")
    if len(bench["clicks"]) <= committing:
        raise BenchError(f"{spec.name}: the click of {change.describe()} was not seen by the page")
    click_t = bench["clicks"][committing]
    after = bench["events"][-1]
    final = {k: after[k] for k in ("paths", change.watch)}
    updated = next(
        (
            e
            for e in bench["events"][n_events:]
            if e["t"] > click_t and all(e[k] == v for k, v in final.items())
        ),
        None,
    )
    if updated is None:
        raise BenchError(
            f"{spec.name}: the map changed but no DOM change after the click matches its final state"
        )
    run = ChangeRun(
        key=change.key,
        seconds=(updated["t"] - click_t) / 1000,
        seconds_to_map_message=max(
            (t - click_t / 1000 for t in net.times_of(COMPONENT, click_t / 1000, updated["t"] / 1000)),
            default=None,
        ),
        seconds_to_dom=(updated["tDom"] - click_t) / 1000,
        ws_bytes_in=net.ws_bytes(click_t / 1000, settled_t),
        ws_bytes_in_to_update=net.ws_bytes(click_t / 1000, updated["t"] / 1000),
        ws_bytes_out=net.ws_bytes(click_t / 1000, settled_t, incoming=False),
        before=_state(before),
        after=_state(after),
        remounted=any(updated[k] != before[k] for k in ("frame", "doc", "map")),
        restore_seconds=None,
        payloads=net.ws_payloads(click_t / 1000, settled_t),
    )
    if change.widget == "checkbox":
        # Put the box back (timed too, reported in the JSON only).
        click_back = _pick(page, change)
        page.wait_for_function(
            _LATEST + f"e.paths === base.paths && e.{change.watch} === base.{change.watch}; }}",
            arg=before,
            timeout=timeout_ms,
            polling=20,
        )
        restored_t = page.evaluate("() => window.__bench.events[window.__bench.events.length - 1].t")
        run.restore_seconds = (
            restored_t - page.evaluate(f"() => window.__bench.clicks[{click_back}]")
        ) / 1000
        _settle(page, net)
    return run


def _fills(event: dict[str, Any]) -> str:
    """Summarise a fill list: distinct colours, most common first."""
    colours = [c for c in event["fills"].split(",") if c]
    distinct = sorted(set(colours), key=lambda c: -colours.count(c))
    return f"{len(distinct)} colour(s): {', '.join(distinct[:4])}{'…' if len(distinct) > 4 else ''}"


def _timeline(
    net: NetworkRecorder, t0: float, visible: float, events: list[dict[str, Any]]
) -> dict[str, float | None]:
    """Seconds from ``page.goto`` to the milestones of a load (``None`` when absent).

    For a canvas map: when the ``L.Map`` was first seen, and when its area
    shapes were added to the DOM (they are drawn, "visible", a frame later).
    """
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
        "map element received": first(COMPONENT),
        "first script run finished": first("script_finished"),
        "map scripts loaded": max(vendored_js, default=None),
        "L.Map created": next((e["tDom"] / 1000 - t0 for e in events if e["map"]), None),
        "canvas areas added": next((e["tDom"] / 1000 - t0 for e in events if e["areaShapes"]), None),
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
    """Load ``url`` (with the page's query) in a fresh context, measure, and optionally time its filter changes."""
    context: BrowserContext = browser.new_context(viewport=VIEWPORT)
    try:
        context.add_init_script(script=OBSERVER_JS)
        page = context.new_page()
        blocked = block_internet(page)
        net = NetworkRecorder(context.new_cdp_session(page))
        field_name = {"map": "firstPath", "areas": "firstArea", "title": "title"}[spec.ready]
        t0 = time.time()
        page.goto(url + spec.query, wait_until="commit", timeout=timeout_ms)
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
            timeline=_timeline(net, t0, visible, page.evaluate("() => window.__bench.events")),
            largest_http=net.largest(visible),
            payloads_settled=net.ws_payloads(0, settled),
        )
        if with_change:
            run.changes = [_filter_change(page, net, spec, change, timeout_ms) for change in spec.changes]
        return run
    finally:
        context.close()


class PageBench:
    """One page's server, memory sampler and visits, for :func:`measure_pages` to take turns with."""

    def __init__(self, browser: Browser, spec: PageSpec, log, max_lost: int) -> None:
        self.browser, self.spec, self.log, self.max_lost = browser, spec, log, max_lost
        self.runs: list[LoadRun] = []
        self.notes: list[str] = []
        self.idle_waits: list[float] = []
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
        change = "".join(f", {c.key} change {c.seconds:.3f}s" for c in run.changes)
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
            idle_waits=self.idle_waits,
        )


def measure_pages(browser: Browser, specs: list[PageSpec], runs: int, *, log=print) -> list[PageResult]:
    """Start every page's server, warm each with one untimed visit, then take turns: ``runs`` rounds.

    Round-robin rather than page after page, so a change in the machine's load
    (other processes on a shared machine) touches every page alike, and pages
    compare within the same minutes.
    """
    with contextlib.ExitStack() as stack:
        benches = [stack.enter_context(PageBench(browser, spec, log, max(runs, 2))) for spec in specs]
        servers = [psutil.Process(bench.server.process.pid) for bench in benches]
        for bench in benches:
            bench.visit(timed=False)
        for _ in range(runs):
            for bench in benches:
                bench.idle_waits.append(wait_until_idle(servers))
                bench.visit(timed=True)
        return [bench.result() for bench in benches]


def _cpu_seconds(process: psutil.Process) -> float:
    """CPU time (user + system) of a process and its children so far."""
    total = 0.0
    for proc in (process, *process.children(recursive=True)):
        with contextlib.suppress(psutil.NoSuchProcess, psutil.AccessDenied):
            times = proc.cpu_times()
            total += times.user + times.system
    return total


def wait_until_idle(servers: list[psutil.Process]) -> float:
    """Wait until no server uses more than ``IDLE_CPU_SHARE`` of a core over ``IDLE_WINDOW_S``; return the wait.

    A page's server may keep working after its visit ended: the naive pages'
    maps report their view, which reruns the script (at AGEB level, several
    seconds of ``explore()``). That work would compete with the next page's
    visit on a 2-core machine, so the next visit waits for it (at most
    ``IDLE_CAP_S``).
    """
    started = time.monotonic()
    while time.monotonic() - started < IDLE_CAP_S:
        before = [_cpu_seconds(server) for server in servers]
        time.sleep(IDLE_WINDOW_S)
        used = [_cpu_seconds(server) - b for server, b in zip(servers, before, strict=True)]
        if max(used) <= IDLE_CPU_SHARE * IDLE_WINDOW_S:
            break
    return time.monotonic() - started
