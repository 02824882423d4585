"""Decide whether the Atlas runs offline (no CDN, no basemap tiles).

Meeting rooms, CI and this project's machines often have no internet. Offline
mode serves the map's JS/CSS from ``static/vendor`` and draws no basemap.
``ATLAS_OFFLINE=1`` forces it (tests do), ``ATLAS_OFFLINE=0`` forbids it;
otherwise a short connection attempt to the CDN decides.
"""

from __future__ import annotations

import os
import socket
from collections.abc import Mapping

ENV_VAR = "ATLAS_OFFLINE"
PROBE_HOST = ("cdn.jsdelivr.net", 443)
PROBE_TIMEOUT_S = 1.5


def can_reach(address: tuple[str, int] = PROBE_HOST, timeout: float = PROBE_TIMEOUT_S) -> bool:
    """Return True when a TCP connection to ``address`` opens within ``timeout``."""
    try:
        with socket.create_connection(address, timeout=timeout):
            return True
    except OSError:
        return False


def offline_mode(environ: Mapping[str, str] = os.environ, probe=can_reach) -> bool:
    """Return True when the Atlas should run offline (see module docstring)."""
    setting = environ.get(ENV_VAR, "").strip().lower()
    if setting in {"1", "true", "yes", "on"}:
        return True
    if setting in {"0", "false", "no", "off"}:
        return False
    return not probe()
