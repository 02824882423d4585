"""Every environment variable the Atlas reads, in one place.

Each function reads the environment when it is called, never at import, so a
test can ``monkeypatch.setenv`` and the next call sees it. Unset or blank means
the default. A value that cannot mean what the variable names raises
:class:`SettingError` naming the variable and the values it takes, rather than
quietly falling back: ``ATLAS_OFFLINE=ture`` is a typo to fix, not a request to
probe the network. The README's "Settings" table says the same for users.

Settings
--------
ATLAS_OFFLINE : bool or unset (default unset)
    ``1``/``true``/``yes``/``on`` forces offline mode: the map's scripts come
    from ``static/vendor`` and there are no basemap tiles. ``0``/``false``/
    ``no``/``off`` forces online mode. Unset, a short connection attempt to
    the CDN decides, once per server process (:mod:`geo.connectivity`).
ATLAS_DATA_DIR : folder (default: the shipped ``data/``)
    Where the app reads its datasets and shared decks; tests point it at
    labelled synthetic copies. Must be an existing folder.
ATLAS_CHROME : executable (default: the browser kaleido finds)
    The Chrome or Chromium that draws chart PNG/SVG exports and the brief's
    charts (:mod:`geo.images`); a path that is not executable is reported
    when an image is asked for.
ATLAS_CHROMIUM : executable (default ``/usr/bin/chromium``)
    The headless Chromium the browser tests and ``python -m bench`` drive
    (:mod:`e2e.harness`); Playwright's own browser download is not used.
ATLAS_REQUIRE_VENDOR : bool (default ``0``)
    ``1`` makes the tests of the installed offline map scripts fail, instead
    of skip, when ``static/vendor`` is incomplete; ``make test`` sets it.
ATLAS_STORE : folder (default: ``store/`` in the project, git-ignored)
    Where the embedded store (:mod:`geo.store`) keeps its SQLite file;
    created on first use. Ignored when ``ATLAS_DATABASE_URL`` is set.
ATLAS_DATABASE_URL : SQLAlchemy URL or unset (default unset)
    A PostgreSQL + PostGIS database for the store, e.g.
    ``postgresql+psycopg://atlas@db.example/atlas``: what a team running
    several app servers uses. Must be a ``postgresql`` URL.
ATLAS_EDITOR_EMAILS : comma-separated e-mail addresses (default: none)
    The accounts signed in with the city's identity provider (Streamlit's
    ``st.login``) that are editors; everyone else signed in that way is a viewer.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Final

OFFLINE: Final = "ATLAS_OFFLINE"
DATA_DIR: Final = "ATLAS_DATA_DIR"
CHROME: Final = "ATLAS_CHROME"
CHROMIUM: Final = "ATLAS_CHROMIUM"
REQUIRE_VENDOR: Final = "ATLAS_REQUIRE_VENDOR"
STORE: Final = "ATLAS_STORE"
DATABASE_URL: Final = "ATLAS_DATABASE_URL"
EDITOR_EMAILS: Final = "ATLAS_EDITOR_EMAILS"

#: Every setting, in the order the docstring and the README table list them.
NAMES: Final = (OFFLINE, DATA_DIR, CHROME, CHROMIUM, REQUIRE_VENDOR, STORE, DATABASE_URL, EDITOR_EMAILS)

DEFAULT_CHROMIUM: Final = "/usr/bin/chromium"

_TRUE: Final = frozenset({"1", "true", "yes", "on"})
_FALSE: Final = frozenset({"0", "false", "no", "off"})


class SettingError(ValueError):
    """An environment variable holds a value the Atlas cannot use."""


def _raw(name: str) -> str:
    """The variable's value, stripped; empty when unset."""
    return os.environ.get(name, "").strip()


def _flag(name: str) -> bool | None:
    """A yes/no variable: True, False, or None when unset or blank."""
    value = _raw(name)
    if not value:
        return None
    if value.lower() in _TRUE:
        return True
    if value.lower() in _FALSE:
        return False
    raise SettingError(f"{name}={value!r} is not a yes/no value: use 1/0, true/false, yes/no or on/off")


def offline() -> bool | None:
    """``ATLAS_OFFLINE``: forced offline (True), forced online (False), or None to probe."""
    return _flag(OFFLINE)


def data_dir() -> Path | None:
    """``ATLAS_DATA_DIR``: the data folder to read instead of the shipped one, if set."""
    value = _raw(DATA_DIR)
    if not value:
        return None
    path = Path(value)
    if not path.is_dir():
        raise SettingError(f"{DATA_DIR}={value!r} is not a folder")
    return path


def chrome() -> str | None:
    """``ATLAS_CHROME``: the browser for chart images, if set (checked where it is used)."""
    return _raw(CHROME) or None


def chromium() -> str:
    """``ATLAS_CHROMIUM``: the headless Chromium of the browser tests and the benchmark."""
    return _raw(CHROMIUM) or DEFAULT_CHROMIUM


def require_vendor() -> bool:
    """``ATLAS_REQUIRE_VENDOR``: whether a missing offline map install fails the tests."""
    return _flag(REQUIRE_VENDOR) or False


def store_dir() -> Path | None:
    """``ATLAS_STORE``: the embedded store's folder, if set (created when the store opens)."""
    value = _raw(STORE)
    if not value:
        return None
    path = Path(value)
    if path.exists() and not path.is_dir():
        raise SettingError(f"{STORE}={value!r} is a file: name a folder for the store")
    return path


def database_url() -> str | None:
    """``ATLAS_DATABASE_URL``: the PostGIS database of the store, if set."""
    value = _raw(DATABASE_URL)
    if not value:
        return None
    if not value.startswith(("postgresql://", "postgresql+psycopg://")):
        raise SettingError(
            f"{DATABASE_URL} must be a PostgreSQL URL such as postgresql+psycopg://user@host/atlas, "
            f"not {value.split(':', 1)[0]!r}"
        )
    return value


def editor_emails() -> frozenset[str]:
    """``ATLAS_EDITOR_EMAILS``: the signed-in e-mail addresses that are editors (lower case)."""
    emails = frozenset(part.strip().lower() for part in _raw(EDITOR_EMAILS).split(",") if part.strip())
    broken = sorted(email for email in emails if "@" not in email)
    if broken:
        raise SettingError(f"{EDITOR_EMAILS} holds {broken[0]!r}, which is not an e-mail address")
    return emails
