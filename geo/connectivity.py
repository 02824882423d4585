"""Decide whether the Atlas runs offline (no CDN, no basemap tiles).

Meeting rooms, CI and this project's machines often have no internet. Offline
mode serves the map's JS/CSS from ``static/vendor`` and draws no basemap.
``ATLAS_OFFLINE`` (read by :mod:`geo.settings`) forces it on or off (tests
force it on); unset, a short connection attempt to the CDN decides.
"""

from __future__ import annotations

import socket
from collections.abc import Callable

from geo import settings

PROBE_HOST = ("cdn.jsdelivr.net", 443)
PROBE_TIMEOUT_S = 1.5


def can_reach(address: tuple[str, int] = PROBE_HOST, timeout: float = PROBE_TIMEOUT_S) -> bool:
    """Return True when a TCP connection to ``address`` opens within ``timeout``."""
    try:
        with socket.create_connection(address, timeout=timeout):
            return True
    except OSError:
        return False


def offline_mode(probe: Callable[[], bool] = can_reach) -> bool:
    """Return True when the Atlas should run offline (see module docstring)."""
    forced = settings.offline()
    return (not probe()) if forced is None else forced
