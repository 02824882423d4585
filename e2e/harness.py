"""Start a Streamlit server on a free loopback port and open pages in headless Chromium.

Shared by the browser tests (``tests/browser``) and the benchmark (``python -m bench``)
so both measure the same thing. Chromium is Debian's (``/usr/bin/chromium``, or
``ATLAS_CHROMIUM``, see :mod:`geo.settings`):
Playwright's own browser download does not work on the project's machines.
Every request that is not to this machine is aborted, as on a network with no
internet, so nothing waits on DNS.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections import deque
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from playwright.sync_api import Browser, Page, Playwright, Route

from geo import settings

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
LOCAL_PREFIXES = (
    "http://localhost",
    "http://127.0.0.1",
    "ws://localhost",
    "ws://127.0.0.1",
    "data:",
    "blob:",
)


LOG_LINES = 400


@dataclass(frozen=True)
class Server:
    """A running Atlas server: its base URL, process and the last lines it printed."""

    url: str
    process: subprocess.Popen
    log: deque[str] = field(default_factory=lambda: deque(maxlen=LOG_LINES), compare=False)

    def output(self) -> str:
        """The server's recent output (stdout and stderr), oldest line first."""
        return "".join(self.log)


def _drain(stream, log: deque[str]) -> None:
    """Keep reading the server's output so a chatty server never blocks on a full pipe."""
    for line in iter(stream.readline, b""):
        log.append(line.decode(errors="replace"))
    stream.close()


def free_port() -> int:
    """Return a loopback port nobody listens on."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_healthy(url: str, process: subprocess.Popen, timeout: float) -> bool:
    """Wait until ``url``'s Streamlit health check answers; False if ``process`` ends or ``timeout`` s pass first."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return True
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                return False
            time.sleep(0.2)


@contextmanager
def atlas_server(
    script: str | Path = "app.py",
    env: Mapping[str, str] | None = None,
    timeout: float = 60.0,
) -> Iterator[Server]:
    """Run ``streamlit run script`` headless through the Atlas's launcher (offline unless ``env`` says otherwise)."""
    port = free_port()
    environ = {**os.environ, settings.OFFLINE: "1", **(env or {})}
    command = [
        sys.executable, "-m", "ui.serve", "run", str(script),
        "--server.headless=true", f"--server.port={port}", "--server.address=127.0.0.1",
        "--browser.gatherUsageStats=false", "--server.fileWatcherType=none",
    ]  # fmt: skip
    process = subprocess.Popen(
        command, cwd=ROOT, env=environ, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )
    url = f"http://127.0.0.1:{port}"
    server = Server(url, process)
    reader = threading.Thread(target=_drain, args=(process.stdout, server.log), daemon=True)
    reader.start()
    try:
        if not wait_healthy(url, process, timeout):
            reader.join(timeout=1)
            raise RuntimeError(f"the Atlas server did not start on {url}:\n{server.output()[-2000:]}")
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        reader.join(timeout=5)


def launch_chromium(playwright: Playwright) -> Browser:
    """Launch the headless Chromium ``ATLAS_CHROMIUM`` names (Debian's by default)."""
    return playwright.chromium.launch(executable_path=settings.chromium(), args=CHROMIUM_ARGS)


def block_internet(page: Page) -> list[str]:
    """Abort every request that leaves this machine; return the list of aborted URLs."""
    aborted: list[str] = []

    def handle(route: Route) -> None:
        url = route.request.url
        if url.startswith(LOCAL_PREFIXES):
            route.continue_()
        else:
            aborted.append(url)
            route.abort()

    page.route("**/*", handle)
    return aborted


def map_frame(page: Page):
    """Return a locator scope for the Leaflet map (streamlit-folium draws it in an iframe)."""
    return page.frame_locator("iframe[title='streamlit_folium.st_folium']")
