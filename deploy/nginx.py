"""Render the nginx configuration that puts N Streamlit replicas behind one address.

One template (``atlas.conf.template``, an http-block fragment) serves both the
deployment (``python -m deploy.nginx 127.0.0.1:8501 127.0.0.1:8502 >
/etc/nginx/sites-available/atlas``) and the tests and load benchmark, which wrap
it in a whole configuration for an nginx of their own (:func:`standalone`).
"""

from __future__ import annotations

import argparse
import getpass
import os
import re
from collections.abc import Sequence
from pathlib import Path

from geo.importing.limits import LIMITS, megabytes

TEMPLATE = Path(__file__).with_name("atlas.conf.template")
#: The cookie that pins a browser to its replica (also read by the tests).
COOKIE = "atlas_replica"
#: The response header naming the replica that answered.
REPLICA_HEADER = "X-Atlas-Replica"
#: An IPv4 address and port: nginx reports the replica that answered by address, not by name.
#: One access-log line: the cookie the browser sent, the replica that answered, the status and the request.
ACCESS_FORMAT = "    log_format atlas '$cookie_atlas_replica $atlas_served $status \"$request\"';\n"
_ADDRESS = re.compile(r"^\d{1,3}(\.\d{1,3}){3}:\d{1,5}$")


def replica_name(index: int) -> str:
    """The name a replica goes by in the cookie and the header: r0, r1, …"""
    return f"r{index}"


def max_body() -> str:
    """nginx's request body cap: the Atlas's upload cap in whole megabytes, plus one for the multipart envelope."""
    return f"{megabytes(LIMITS.upload_bytes) + 1}m"


def site(replicas: Sequence[str], listen: str = "80", server_name: str = "_") -> str:
    """The http-block fragment for ``replicas`` (``IPv4:port`` each), listening on ``listen``."""
    if not replicas:
        raise ValueError("at least one replica is needed")
    for address in replicas:
        if not _ADDRESS.match(address):
            raise ValueError(f"not an IPv4 address:port: {address!r}")
    names = [replica_name(i) for i in range(len(replicas))]
    upstreams = []
    for name, address in zip(names, replicas, strict=True):
        others = [f"    server {other} backup;" for other in replicas if other != address]
        lines = [f"upstream atlas_{name} {{", f"    server {address};", *others, "    keepalive 16;", "}"]
        upstreams.append("\n".join(lines))
    fields = {
        "count": str(len(replicas)),
        "pool_routes": "\n".join(f"    {name} atlas_{name};" for name in names),
        "served_names": "\n".join(
            f"    ~(^|\\s){re.escape(address)}$ {name};"
            for name, address in zip(names, replicas, strict=True)
        ),
        "servers": "\n".join(f"    server {address};" for address in replicas),
        "replica_upstreams": "\n\n".join(upstreams),
        "listen": listen,
        "server_name": server_name,
        "max_body": max_body(),
    }
    text = TEMPLATE.read_text(encoding="utf-8")
    for field, value in fields.items():
        text = text.replace(f"{{{{{field}}}}}", value)
    return text


def write_standalone(folder: Path, replicas: Sequence[str], listen: str) -> Path:
    """Write a whole configuration for a foreground nginx whose pid, logs and temporary files live in ``folder``.

    Returns the path of the main file. Run as root, nginx's workers would switch
    to ``nobody`` and could not write in ``folder``: they stay the user who started it.
    """
    user = f"user {getpass.getuser()};\n" if os.geteuid() == 0 else ""
    temp = "\n".join(
        f"    {kind}_temp_path {folder / kind};"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    (folder / "atlas.conf").write_text(site(replicas, listen), encoding="utf-8")
    main_conf = folder / "nginx.conf"
    main_conf.write_text(
        f"{user}daemon off;\nworker_processes 1;\npid {folder / 'nginx.pid'};\n"
        f"error_log {folder / 'error.log'} warn;\n"
        "events { worker_connections 1024; }\n"
        "http {\n"
        f"{ACCESS_FORMAT}"
        f"    access_log {folder / 'access.log'} atlas;\n"
        f"{temp}\n"
        f"    include {folder / 'atlas.conf'};\n"
        "}\n",
        encoding="utf-8",
    )
    return main_conf


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("replicas", nargs="+", help="IPv4:port of each Streamlit replica")
    parser.add_argument("--listen", default="80", help="nginx's listen directive (default 80)")
    parser.add_argument("--server-name", default="_", help="nginx's server_name (default _)")
    args = parser.parse_args(argv)
    print(site(args.replicas, args.listen, args.server_name), end="")


if __name__ == "__main__":
    main()
