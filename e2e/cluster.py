"""Several Atlas servers behind one nginx on loopback ports: what the proxy test and ``python -m bench.load`` run.

:func:`atlas_cluster` starts ``count`` replicas (:func:`e2e.harness.atlas_server`,
all with the same environment, so a test can point them at one store) and an
nginx in the foreground on a free port, configured by :mod:`deploy.nginx` in a
temporary folder that also holds its pid, logs and temporary files. Everything
is stopped when the block ends.

A test that must reach one replica in particular opens ``cluster.replicas[i].url``
directly, or goes through the proxy with the routing cookie set beforehand
(``deploy.nginx.COOKIE`` = ``deploy.nginx.replica_name(i)``, e.g. Playwright's
``context.add_cookies``).
"""

from __future__ import annotations

import secrets
import shutil
import subprocess
import tempfile
from collections.abc import Iterator, Mapping
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

from deploy import nginx
from e2e.harness import Server, atlas_server, free_port, wait_healthy

#: Where Debian puts nginx when /usr/sbin is not on the PATH.
NGINX_FALLBACK = Path("/usr/sbin/nginx")


def nginx_binary() -> str | None:
    """The nginx executable, or None when nginx is not installed."""
    found = shutil.which("nginx")
    if found:
        return found
    return str(NGINX_FALLBACK) if NGINX_FALLBACK.exists() else None


@dataclass(frozen=True)
class Proxy:
    """A running nginx: its address and the folder with its configuration and logs."""

    url: str
    process: subprocess.Popen
    folder: Path

    def access_log(self) -> list[str]:
        """The lines logged so far (``deploy.nginx.ACCESS_FORMAT``): a websocket's when it closed."""
        path = self.folder / "access.log"
        return path.read_text(encoding="utf-8").splitlines() if path.exists() else []

    def error_log(self) -> str:
        path = self.folder / "error.log"
        return path.read_text(encoding="utf-8", errors="replace") if path.exists() else ""


@dataclass(frozen=True)
class Cluster:
    """Replicas behind one proxy; ``url`` is the one address visitors use."""

    replicas: tuple[Server, ...]
    proxy: Proxy

    @property
    def url(self) -> str:
        return self.proxy.url

    def output(self) -> str:
        """Every replica's recent output and nginx's error log, for a failed test's report."""
        parts = [
            f"--- replica {nginx.replica_name(i)} ({s.url})\n{s.output()}"
            for i, s in enumerate(self.replicas)
        ]
        return "\n".join([*parts, f"--- nginx error log\n{self.proxy.error_log()}"])


def address(server: Server) -> str:
    """A server's ``host:port``, as nginx's upstreams name it."""
    return server.url.removeprefix("http://")


@contextmanager
def nginx_proxy(replicas: list[str], timeout: float = 20.0) -> Iterator[Proxy]:
    """Run nginx in the foreground on a free loopback port in front of ``replicas`` (``host:port`` each)."""
    binary = nginx_binary()
    if binary is None:
        raise RuntimeError("nginx is not installed (Debian: apt-get install nginx-light)")
    with tempfile.TemporaryDirectory(prefix="atlas-nginx-") as name:
        folder = Path(name)
        port = free_port()
        conf = nginx.write_standalone(folder, replicas, f"127.0.0.1:{port}")
        command = [binary, "-p", str(folder), "-c", str(conf), "-e", str(folder / "error.log")]
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        proxy = Proxy(f"http://127.0.0.1:{port}", process, folder)
        try:
            if not wait_healthy(proxy.url, process, timeout):
                raise RuntimeError(f"nginx did not answer on {proxy.url}:\n{proxy.error_log()[-2000:]}")
            yield proxy
        finally:
            process.terminate()  # SIGTERM: nginx's fast shutdown
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


@contextmanager
def atlas_cluster(count: int = 2, env: Mapping[str, str] | None = None) -> Iterator[Cluster]:
    """Start ``count`` Atlas replicas with ``env`` and nginx in front of them.

    The replicas share one cookie secret, as a deployment's must: a signed-in
    editor's cookie (``st.login``) is then good on every replica.
    """
    environ = {"STREAMLIT_SERVER_COOKIE_SECRET": secrets.token_hex(32), **(env or {})}
    with ExitStack() as stack:
        replicas = tuple(stack.enter_context(atlas_server(env=environ)) for _ in range(count))
        proxy = stack.enter_context(nginx_proxy([address(server) for server in replicas]))
        yield Cluster(replicas, proxy)
