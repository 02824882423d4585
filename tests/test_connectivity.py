"""Offline mode: ATLAS_OFFLINE decides when set, otherwise a connection probe does; no real network.

How the variable is parsed is tested in ``tests/test_settings.py``.
"""

from __future__ import annotations

import socket
import time

import pytest

from geo import settings
from geo.connectivity import PROBE_HOST, can_reach, offline_mode


class FakeProbe:
    """Stands in for the CDN probe: answers ``reachable`` and records each call."""

    def __init__(self, reachable: bool) -> None:
        self.reachable = reachable
        self.calls = 0

    def __call__(self) -> bool:
        self.calls += 1
        return self.reachable


def closed_local_port() -> int:
    """A loopback port nothing listens on (bound, then released)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# --- the setting decides, else the probe -----------------------------------------------------------


@pytest.mark.parametrize(("value", "offline"), [("1", True), ("on", True), ("0", False), ("off", False)])
def test_a_set_variable_decides_without_probing(
    monkeypatch: pytest.MonkeyPatch, value: str, offline: bool
) -> None:
    monkeypatch.setenv(settings.OFFLINE, value)
    probe = FakeProbe(reachable=offline)
    assert offline_mode(probe=probe) is offline
    assert probe.calls == 0


@pytest.mark.parametrize(("reachable", "offline"), [(True, False), (False, True)])
@pytest.mark.parametrize("value", [None, "", "  "])
def test_unset_or_blank_variable_asks_the_probe(
    monkeypatch: pytest.MonkeyPatch, value: str | None, reachable: bool, offline: bool
) -> None:
    if value is None:
        monkeypatch.delenv(settings.OFFLINE, raising=False)
    else:
        monkeypatch.setenv(settings.OFFLINE, value)
    probe = FakeProbe(reachable)
    assert offline_mode(probe=probe) is offline
    assert probe.calls == 1


def test_a_bad_value_is_an_error_not_a_probe(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(settings.OFFLINE, "maybe")
    probe = FakeProbe(reachable=True)
    with pytest.raises(settings.SettingError, match="ATLAS_OFFLINE"):
        offline_mode(probe=probe)
    assert probe.calls == 0


# --- the probe -----------------------------------------------------------------------------------


def test_probe_targets_the_cdn_over_https() -> None:
    assert PROBE_HOST == ("cdn.jsdelivr.net", 443)


def test_can_reach_a_closed_local_port_is_false_quickly() -> None:
    port = closed_local_port()
    started = time.monotonic()
    assert can_reach(("127.0.0.1", port), timeout=1.0) is False
    assert time.monotonic() - started < 0.5


def test_can_reach_a_listening_local_port() -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as server:
        server.bind(("127.0.0.1", 0))
        server.listen(1)
        assert can_reach(server.getsockname(), timeout=1.0) is True
