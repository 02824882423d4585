"""The nginx configuration of deploy/: what it routes where, the upload cap it allows, and that nginx accepts it."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from deploy import nginx
from e2e.cluster import nginx_binary
from geo.importing.limits import LIMITS, MB

REPLICAS = ["127.0.0.1:8501", "127.0.0.1:8502", "127.0.0.1:8503"]


def _block(text: str, head: str) -> str:
    """The body of the first ``head { … }`` block (no nested braces in the ones tested)."""
    match = re.search(re.escape(head) + r"\s*\{([^{}]*)\}", text)
    assert match, f"no {head} block"
    return match.group(1)


def test_each_cookie_name_routes_to_its_replica_with_the_others_as_backup() -> None:
    site = nginx.site(REPLICAS)
    routes = _block(site, "map $cookie_atlas_replica $atlas_pool")
    for index, address in enumerate(REPLICAS):
        name = nginx.replica_name(index)
        assert f"{name} atlas_{name};" in routes
        upstream = _block(site, f"upstream atlas_{name}")
        servers = re.findall(r"server (\S+?)( backup)?;", upstream)
        assert servers[0] == (address, ""), "the replica itself comes first, not as a backup"
        assert sorted(s for s, backup in servers[1:] if backup) == sorted(set(REPLICAS) - {address})


def test_new_browsers_go_to_every_replica() -> None:
    upstream = _block(nginx.site(REPLICAS), "upstream atlas_new")
    assert re.findall(r"server (\S+);", upstream) == REPLICAS


def test_the_body_cap_lets_the_largest_upload_and_its_envelope_through() -> None:
    cap = re.search(r"client_max_body_size (\d+)m;", nginx.site(REPLICAS))
    assert cap
    assert int(cap.group(1)) * MB > LIMITS.upload_bytes
    assert int(cap.group(1)) * MB <= LIMITS.upload_bytes + 2 * MB, "no room for much larger bodies"


@pytest.mark.parametrize("address", ["localhost:8501", "127.0.0.1", "127.0.0.1:8501;", "[::1]:8501"])
def test_an_address_nginx_could_not_name_back_is_refused(address: str) -> None:
    with pytest.raises(ValueError, match="IPv4"):
        nginx.site([address])


def test_nginx_accepts_the_configuration(tmp_path: Path) -> None:
    binary = nginx_binary()
    if binary is None:
        pytest.skip("nginx is not installed (make test installs Debian's nginx-light)")
    conf = nginx.write_standalone(tmp_path, REPLICAS, "127.0.0.1:18080")
    result = subprocess.run(
        [binary, "-t", "-p", str(tmp_path), "-c", str(conf), "-e", str(tmp_path / "error.log")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
