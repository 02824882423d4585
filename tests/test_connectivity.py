"""Offline mode: ATLAS_OFFLINE decides when set, otherwise a connection probe does; no real network."""

from __future__ import annotations

import socket
import time

import pytest

from geo.connectivity import ENV_VAR, PROBE_HOST, can_reach, offline_mode


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


# --- the environment variable --------------------------------------------------------------------


@pytest.mark.parametrize("value", ["1", "true", "TRUE", "yes", "on", " 1 "])
def test_offline_forced_without_probing(value: str) -> None:
    probe = FakeProbe(reachable=True)
    assert offline_mode({ENV_VAR: value}, probe=probe) is True
    assert probe.calls == 0


@pytest.mark.parametrize("value", ["0", "false", "False", "no", "off"])
def test_online_forced_without_probing(value: str) -> None:
    probe = FakeProbe(reachable=False)
    assert offline_mode({ENV_VAR: value}, probe=probe) is False
    assert probe.calls == 0


@pytest.mark.parametrize(("reachable", "offline"), [(True, False), (False, True)])
def test_unset_variable_asks_the_probe(reachable: bool, offline: bool) -> None:
    probe = FakeProbe(reachable)
    assert offline_mode({}, probe=probe) is offline
    assert probe.calls == 1


@pytest.mark.parametrize("value", ["", "  ", "maybe"])
def test_empty_or_unknown_value_asks_the_probe(value: str) -> None:
    probe = FakeProbe(reachable=False)
    assert offline_mode({ENV_VAR: value}, probe=probe) is True
    assert probe.calls == 1


def test_other_variables_are_ignored() -> None:
    probe = FakeProbe(reachable=True)
    assert offline_mode({"OFFLINE": "1", "ATLAS_ONLINE": "0"}, probe=probe) is False
    assert probe.calls == 1


def test_reads_the_process_environment_by_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ENV_VAR, "1")
    probe = FakeProbe(reachable=True)
    assert offline_mode(probe=probe) is True
    monkeypatch.setenv(ENV_VAR, "0")
    assert offline_mode(probe=probe) is False
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
