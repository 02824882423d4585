"""A Streamlit session without a browser: Streamlit's own protobuf messages over ``/_stcore/stream``.

What the load benchmark (:mod:`bench.load`) opens by the dozen. It does what
the Streamlit frontend does for a visitor who never touches the map: loads the
page (which sets the proxy's routing cookie), opens the websocket with that
cookie, asks for a run (``BackMsg.rerun_script`` with the URL's query string
and the widget states), keeps the fragment timers the server asks for
(``ForwardMsg.auto_rerun``: the Atlas's first paint relies on one) and, to
change a filter, sends a run with one checkbox's new value, as a click does.
"""

from __future__ import annotations

import asyncio
import hashlib
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass, field

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed

#: streamlit-folium's component: its delta carries the whole map.
MAP_COMPONENT = "streamlit_folium"
FINISHED = ForwardMsg.ScriptFinishedStatus


class SessionError(Exception):
    """The session saw something a visitor would: an error shown, a closed socket, no map in time."""


@dataclass
class MapMessage:
    """One map delta: when it came and what it drew."""

    at: float
    #: A digest of the component's arguments (the map's HTML and data), to tell a new map from a repeat.
    args: str


def _document(base: str) -> str:
    """GET the page as a browser does first; return the cookies it set, as a Cookie header."""
    with urllib.request.urlopen(f"{base}/", timeout=60) as response:
        response.read()
        cookies = [header.split(";", 1)[0] for header in response.headers.get_all("Set-Cookie") or []]
    return "; ".join(cookies)


@dataclass
class StreamSession:
    """One visitor's session on ``base`` (a replica's or the proxy's URL)."""

    base: str
    query: str = ""
    maps: list[MapMessage] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    #: Checkbox widget ids by their key (``v.status.open.0``) and the value the session holds.
    checkboxes: dict[str, tuple[str, bool]] = field(default_factory=dict)
    _socket: ClientConnection | None = None
    _reader: asyncio.Task | None = None
    _map_arrived: asyncio.Event = field(default_factory=asyncio.Event)
    #: Set while no script run is going on (a person clicks once the page has settled).
    _idle: asyncio.Event = field(default_factory=asyncio.Event)
    _timers: dict[str, asyncio.Task] = field(default_factory=dict)
    _run_timers: dict[str, float] = field(default_factory=dict)
    _sent: dict[str, bool] = field(default_factory=dict)

    async def open(self, timeout: float) -> float:
        """Load the page, connect, ask for the first run; return the seconds until the first map message."""
        start = time.monotonic()
        cookie = await asyncio.to_thread(_document, self.base)
        parts = urllib.parse.urlsplit(self.base)
        self._socket = await connect(
            f"ws://{parts.netloc}/_stcore/stream",
            subprotocols=["streamlit"],  # type: ignore[list-item]
            origin=self.base,  # type: ignore[arg-type]
            additional_headers={"Cookie": cookie} if cookie else None,
            max_size=None,
            open_timeout=timeout,
        )
        self._reader = asyncio.create_task(self._read())
        await self._rerun()
        return await self._next_map(start, timeout, before=None)

    async def toggle(self, key_prefix: str, timeout: float) -> float:
        """Click the checkbox whose key starts with ``key_prefix``; return the seconds until the new map message."""
        found = await self._drawn(key_prefix, timeout)
        try:
            await asyncio.wait_for(self._idle.wait(), timeout)
        except TimeoutError:
            raise SessionError(f"the app was still running after {timeout:.0f} s") from None
        widget_id, value = self.checkboxes[found[-1]]
        before = self.maps[-1].args if self.maps else None
        self._sent = {widget_id: not value}
        start = time.monotonic()
        await self._rerun()
        return await self._next_map(start, timeout, before)

    async def _drawn(self, key_prefix: str, timeout: float) -> list[str]:
        """The keys of the checkboxes starting with ``key_prefix``, once drawn (the first paint leaves them to its next run)."""
        deadline = time.monotonic() + timeout
        while not (found := [key for key in self.checkboxes if key.startswith(key_prefix)]):
            if self.errors or time.monotonic() > deadline:
                raise SessionError(f"no checkbox {key_prefix!r} within {timeout:.0f} s; {self.errors}")
            await asyncio.sleep(0.1)
        return found

    async def close(self) -> None:
        """Close the websocket; the fragment timers stop with it."""
        if self._socket is not None:
            await self._socket.close()
        if self._reader is not None:
            await asyncio.gather(self._reader, return_exceptions=True)
        self._keep_timers({})  # the reader is done: no run can start a timer again

    async def _next_map(self, start: float, timeout: float, before: str | None) -> float:
        """Seconds from ``start`` to the first map message that draws something else than ``before``.

        A run may send the map more than once (a rerun that follows a view
        change); a late copy of the previous map is not the new one.
        """
        deadline = start + timeout
        while True:
            if self.errors:
                raise SessionError("; ".join(self.errors))
            new = [m for m in self.maps if m.at >= start and m.args != before]
            if new:
                return new[0].at - start
            self._map_arrived.clear()
            try:
                await asyncio.wait_for(self._map_arrived.wait(), max(deadline - time.monotonic(), 0))
            except TimeoutError:
                sent = ", ".join(f"{key.rsplit('-', 1)[-1]}={value}" for key, value in self._sent.items())
                raise SessionError(f"no new map message within {timeout:.0f} s (sent {sent})") from None

    async def _rerun(self, fragment_id: str = "") -> None:
        message = BackMsg()
        state = message.rerun_script
        state.query_string = self.query
        state.page_script_hash = ""
        state.context_info.timezone = "UTC"
        state.context_info.locale = "en-US"
        state.context_info.url = f"{self.base}/"
        for widget_id, value in self._sent.items():
            state.widget_states.widgets.append(WidgetState(id=widget_id, bool_value=value))
        if fragment_id:
            state.fragment_id = fragment_id
            state.is_auto_rerun = True
        assert self._socket is not None
        await self._socket.send(message.SerializeToString())

    async def _read(self) -> None:
        assert self._socket is not None
        try:
            async for data in self._socket:
                message = ForwardMsg()
                message.ParseFromString(data)  # type: ignore[arg-type]
                self._handle(message)
        except Exception as error:  # a dropped socket is the session's failure, not the reader's crash
            self._fail(f"websocket: {error!r}")

    def _handle(self, message: ForwardMsg) -> None:
        kind = message.WhichOneof("type")
        if kind == "delta" and message.delta.WhichOneof("type") == "new_element":
            self._element(message.delta.new_element)
        elif kind == "new_session":
            self._idle.clear()
        elif kind == "auto_rerun":
            self._run_timers[message.auto_rerun.fragment_id] = message.auto_rerun.interval
        elif kind == "script_finished":
            if message.script_finished == FINISHED.FINISHED_SUCCESSFULLY:
                self._keep_timers(self._run_timers)
            self._run_timers = {}
            self._idle.set()

    def _element(self, element) -> None:
        which = element.WhichOneof("type")
        if which == "component_instance" and MAP_COMPONENT in element.component_instance.component_name:
            args = hashlib.blake2b(element.component_instance.json_args.encode(), digest_size=16).hexdigest()
            self.maps.append(MapMessage(time.monotonic(), args))
            self._map_arrived.set()
        elif which == "checkbox":
            box = element.checkbox
            key = box.id.rsplit("-", 1)[-1]
            self.checkboxes[key] = (
                box.id,
                self._sent.get(box.id, box.value if box.set_value else box.default),
            )
        elif which == "exception":
            self._fail(f"the app showed an exception: {element.exception.message[:200]}")

    def _keep_timers(self, wanted: dict[str, float]) -> None:
        """A full run decides which fragment timers live on, as in the frontend."""
        for fragment_id in set(self._timers) - set(wanted):
            self._timers.pop(fragment_id).cancel()
        for fragment_id, interval in wanted.items():
            if fragment_id not in self._timers:
                self._timers[fragment_id] = asyncio.create_task(self._tick(fragment_id, interval))

    async def _tick(self, fragment_id: str, interval: float) -> None:
        while True:
            await asyncio.sleep(interval)
            try:
                await self._rerun(fragment_id)
            except ConnectionClosed:  # closing: the reader reports a socket that dropped
                return

    def _fail(self, reason: str) -> None:
        self.errors.append(reason)
        self._map_arrived.set()
