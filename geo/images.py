"""Plotly charts as PNG and SVG files, drawn by kaleido in a headless Chrome/Chromium.

Kaleido (version 1 and later) renders a figure with plotly.js inside a Chrome
it drives through choreographer. Starting that browser takes 2–3 s, so one
*session* (:class:`kaleido.Kaleido`, a browser with one tab) is opened on the
first export and kept for the next ones (≈0.3 s each); it closes itself after
``IDLE_SECONDS`` without use and when the process exits. Kaleido's own
``start_sync_server`` is not used: it matches answers to callers by queue
order, so two sessions exporting at once could swap images, and a browser that
fails to start leaves every later call waiting forever. Here each call waits
on its own future with a timeout, and a failed session is closed and started
afresh on the next call.

Which browser: ``$ATLAS_CHROME`` if set; else the one choreographer finds
itself (``$BROWSER_PATH``, Chrome/Chromium on ``PATH``, a copy fetched with
``kaleido_get_chrome``); else Debian's ``/usr/bin/chromium``, ``chromium`` or
``google-chrome`` on ``PATH``. With none, :class:`ExportUnavailable` says so,
and the page shows its translated message instead of the buttons (the plotly
toolbar's camera button still saves a PNG from the visitor's browser).

The page kaleido renders in loads plotly.js from the installed plotly package
and no MathJax, so exports work with no internet. Pure Python: no Streamlit.
"""

from __future__ import annotations

import asyncio
import atexit
import contextlib
import os
import shutil
import threading
import time
from concurrent.futures import Future
from concurrent.futures import TimeoutError as FutureTimeout
from pathlib import Path
from typing import Any, Literal

import plotly.graph_objects as go

from geo import settings

#: Tried, in order, when neither ``$ATLAS_CHROME`` nor choreographer finds a browser.
FALLBACK_BROWSERS = ("/usr/bin/chromium", "chromium", "google-chrome")
START_TIMEOUT_S = 60.0
RENDER_TIMEOUT_S = 60.0
IDLE_SECONDS = 600.0
FORMATS = ("png", "svg")
MIME_TYPES = {"png": "image/png", "svg": "image/svg+xml"}

Format = Literal["png", "svg"]


class ExportUnavailable(RuntimeError):
    """Chart images cannot be made on this machine.

    ``reason`` is ``"no_browser"`` or ``"no_kaleido"``; the interface shows
    ``exports.charts.<reason>`` from the catalogue, the message is for logs.
    """

    def __init__(self, reason: Literal["no_browser", "no_kaleido"], message: str) -> None:
        super().__init__(message)
        self.reason = reason

    @property
    def message_key(self) -> str:
        """The catalogue key of the text the interface shows."""
        return f"exports.charts.{self.reason}"


_browser_lock = threading.Lock()
_browser: str | None = None


def _executable(candidate: str | None) -> str | None:
    """``candidate`` as an executable path (a bare name is looked up on ``PATH``), or ``None``."""
    if not candidate:
        return None
    if os.sep not in candidate:
        return shutil.which(candidate)
    return candidate if Path(candidate).is_file() and os.access(candidate, os.X_OK) else None


def _choreographer_browser() -> str | None:
    """The browser kaleido's choreographer would pick itself, if any."""
    try:
        from choreographer.browsers.chromium import Chromium
    except ImportError:
        return None
    try:
        return _executable(Chromium.find_browser(skip_local=False))
    except Exception:  # a best-effort search; the fallbacks follow
        return None


def find_browser() -> str:
    """Return the Chrome/Chromium to render with, resolved once per process.

    Raises :class:`ExportUnavailable` when there is none (or kaleido is not
    installed); nothing is cached then, so installing a browser later works.
    """
    global _browser
    with _browser_lock:
        if _browser is not None:
            return _browser
        try:
            import kaleido  # noqa: F401 (optional at run time)
        except ImportError as exc:
            raise ExportUnavailable("no_kaleido", "the kaleido package is not installed") from exc
        override = settings.chrome()
        if override:
            found = _executable(override)
            if found is None:
                raise ExportUnavailable(
                    "no_browser", f"{settings.CHROME}={override!r} is not an executable browser"
                )
        else:
            found = _choreographer_browser() or next(
                (path for path in map(_executable, FALLBACK_BROWSERS) if path), None
            )
        if found is None:
            raise ExportUnavailable(
                "no_browser",
                f"no Chrome or Chromium found (set {settings.CHROME}, or install chromium / google-chrome)",
            )
        _browser = found
        return found


def forget_browser() -> None:
    """Drop the resolved browser so the next export looks again (tests; a changed ``$ATLAS_CHROME``)."""
    global _browser
    with _browser_lock:
        _browser = None


class _Session:
    """One kaleido browser kept open between exports, driven from its own event-loop thread."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._kaleido: Any = None
        self._last_used = 0.0
        self._timer: threading.Timer | None = None
        self.starts = 0

    @property
    def running(self) -> bool:
        return self._kaleido is not None

    def _submit(self, coroutine: Any, timeout: float) -> Any:
        assert self._loop is not None
        future: Future = asyncio.run_coroutine_threadsafe(coroutine, self._loop)
        try:
            return future.result(timeout)
        except FutureTimeout:
            future.cancel()
            raise TimeoutError(f"kaleido did not answer within {timeout:.0f} s") from None

    def _start(self, browser: str) -> None:
        import kaleido

        loop = asyncio.new_event_loop()
        thread = threading.Thread(target=loop.run_forever, name="atlas_kaleido", daemon=True)
        thread.start()
        self._loop, self._thread = loop, thread

        async def open_browser() -> Any:
            session = kaleido.Kaleido(n=1, timeout=RENDER_TIMEOUT_S, mathjax=False, path=browser)
            await session.open()
            return session

        try:
            self._kaleido = self._submit(open_browser(), START_TIMEOUT_S)
        except BaseException:
            self._stop()
            raise
        self.starts += 1

    def _stop(self) -> None:
        session, loop, thread = self._kaleido, self._loop, self._thread
        self._kaleido = self._loop = self._thread = None
        if loop is None:
            return
        if session is not None:
            # Closing a broken browser may fail; choreographer kills its process either way.
            with contextlib.suppress(Exception):
                asyncio.run_coroutine_threadsafe(session.close(), loop).result(10)
        loop.call_soon_threadsafe(loop.stop)
        if thread is not None:
            thread.join(5)
        if not loop.is_running():
            loop.close()

    def render(self, figure: dict, opts: dict, browser: str) -> bytes:
        with self._lock:
            if self._timer is not None:
                self._timer.cancel()
            try:
                if not self.running:
                    self._start(browser)
                return self._submit(self._kaleido.calc_fig(figure, opts=opts), RENDER_TIMEOUT_S + 5)
            except BaseException:
                self._stop()  # a browser that failed once is not trusted again
                raise
            finally:
                self._last_used = time.monotonic()
                self._schedule_idle_close()

    def _schedule_idle_close(self) -> None:
        if not self.running:
            return
        self._timer = threading.Timer(IDLE_SECONDS, self._close_if_idle)
        self._timer.daemon = True
        self._timer.start()

    def _close_if_idle(self) -> None:
        with self._lock:
            if self.running and time.monotonic() - self._last_used >= IDLE_SECONDS - 1:
                self._stop()

    def close(self) -> None:
        with self._lock:
            if self._timer is not None:
                self._timer.cancel()
            self._stop()


_session = _Session()
atexit.register(_session.close)


def shutdown() -> None:
    """Close the kept browser (it starts again on the next export)."""
    _session.close()


def session_running() -> bool:
    """Whether a browser is being kept open for exports."""
    return _session.running


def chart_image(
    fig: go.Figure,
    fmt: Format = "png",
    *,
    width: int = 1100,
    height: int | None = None,
    scale: float = 2.0,
) -> bytes:
    """Return ``fig`` as PNG or SVG bytes.

    ``width``/``height`` are layout pixels (``height`` defaults to the
    figure's own, else 600); a PNG is ``width*scale`` × ``height*scale``
    pixels, an SVG keeps layout pixels. Raises :class:`ExportUnavailable`
    when no browser is found, and kaleido's error if the rendering fails.
    """
    if fmt not in FORMATS:
        msg = f"chart images are {' or '.join(FORMATS)}, not {fmt!r}"
        raise ValueError(msg)
    browser = find_browser()
    height = height or fig.layout.height or 600
    opts = {"format": fmt, "width": int(width), "height": int(height), "scale": float(scale)}
    return _session.render(fig.to_dict(), opts, browser)
