"""The team's store in the app: published layers for every visitor, editors' sign-in, and their writes.

Reads are cached on the store's version (one cheap query a run), so many
sessions do not read the layers on every rerun; a version never changes, so
a layer's rows are cached by (id, version). Every write goes through
:func:`_write`, which asks the store, on the server, whether this session's
identity is an editor (:func:`geo.users.require_editor`, refusals logged):
hiding the buttons is not the check. The store checks again in the write's
own transaction.

An identity is a local account signed in here (kept in this session only) or,
where the city configured an identity provider (``[auth]`` in
``.streamlit/secrets.toml``), the e-mail address ``st.login`` signed in.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable
from dataclasses import replace
from typing import TypeVar

import pandas as pd
import streamlit as st
from sqlalchemy.exc import SQLAlchemyError
from streamlit.errors import StreamlitSecretNotFoundError

from geo import settings, signins, users
from geo.deck import Deck
from geo.errors import StoreError
from geo.i18n import t
from geo.settings import SettingError
from geo.store import Catalogue, Record, Store, open_store
from geo.store.accounts import role
from geo.store.store import Family
from geo.userlayers import UserLayer
from ui.userlayers import remove_layer

_LOG = logging.getLogger(__name__)
T = TypeVar("T")
_LOG_MESSAGE = "The team's store failed (%s)"
_IDENTITY = "atlas_team_identity"
#: The browser's cookie holding an editor's sign-in token (geo.signins), and the session's keys for it.
COOKIE = "atlas_editor"
_TOKEN = "atlas_team_token"
_COOKIE_READ = "atlas_team_cookie_read"
_COOKIE_WRITE = "atlas_team_cookie_write"
_NOTICE = "atlas_team_notice"
_FAILURES = (StoreError, SettingError, SQLAlchemyError, OSError)


def _target() -> str:
    """Which store the settings name (the cache key: a test or a server may point elsewhere)."""
    return settings.database_url() or str(settings.store_dir() or "")


@st.cache_resource(show_spinner=False)
def _open(target: str) -> Store:
    return open_store(target or None)


#: After the store failed to open or answer, a server process leaves it alone this long: a
#: database that is down must not hold up every visitor's every rerun.
RETRY_S = 30.0
_DOWN_SINCE: dict[str, float] = {}


def _mark_down(target: str) -> None:
    _DOWN_SINCE[target] = time.monotonic()


def get_store() -> Store | None:
    """The settings' store, opened once per process; None (logged) when it cannot be opened.

    While it is down (it failed less than :data:`RETRY_S` ago) it is not asked again.
    """
    try:
        target = _target()
    except SettingError:
        _LOG.exception(_LOG_MESSAGE, "settings")
        return None
    if time.monotonic() - _DOWN_SINCE.get(target, -RETRY_S) < RETRY_S:
        return None
    try:
        return _open(target)
    except _FAILURES:
        _LOG.exception(_LOG_MESSAGE, "open")
        _mark_down(target)
        return None


def _guarded(what: str, failed: T, read: Callable[[], T]) -> T:
    """``read()`` from the store; if the store fails, log it, leave the store alone a while, return ``failed``."""
    try:
        return read()
    except _FAILURES:
        _LOG.exception(_LOG_MESSAGE, what)
        _mark_down(_target())
        return failed


@st.cache_resource(show_spinner=False, max_entries=4)
def _catalogue(_store: Store, target: str, version: int) -> Catalogue:
    return _store.catalogue()


@st.cache_resource(show_spinner=False, max_entries=64)
def _layer(_store: Store, target: str, ident: str, version: int) -> UserLayer:
    return replace(_store.read_layer(ident, version), published=version)


#: How long a server process trusts the store's version before asking again: the sessions of one
#: process ask the store at most this often, and see a colleague's publish within this time.
VERSION_TTL_S = 2.0


@st.cache_resource(show_spinner=False, ttl=VERSION_TTL_S)
def _version(_store: Store, target: str) -> int:
    return _store.version()


def catalogue() -> Catalogue | None:
    """Every published layer and deck at the store's current version (cached on that version)."""
    store = get_store()
    if store is None:
        return None
    target = _target()
    return _guarded("catalogue", None, lambda: _catalogue(store, target, _version(store, target)))


@st.cache_resource(show_spinner=False, max_entries=32)
def _deck_body(_store: Store, target: str, ident: str, version: int) -> str:
    return _store.read_deck(ident, version)


def published_deck(ident: str) -> str | None:
    """The JSON of the published deck ``ident`` (its current version), or None if there is no such deck."""
    found, store = catalogue(), get_store()
    if found is None or store is None:
        return None
    record = next((r for r in found.decks if r.ident == ident and not r.deleted), None)
    if record is None:
        return None
    return _guarded("deck", None, lambda: _deck_body(store, _target(), ident, record.version))


def published_layers() -> tuple[UserLayer, ...]:
    """The published layers every visitor sees (deleted ones left out); none when the store is unavailable."""
    found = catalogue()
    store = get_store()
    if found is None or store is None:
        return ()
    target = _target()
    return _guarded(
        "layer",
        (),
        lambda: tuple(
            _layer(store, target, record.ident, record.version)
            for record in found.layers
            if not record.deleted
        ),
    )


# --- who is signed in ---------------------------------------------------------------------------


def oidc_configured() -> bool:
    """Whether the city configured an identity provider for ``st.login`` (``[auth]`` in secrets.toml)."""
    try:
        return "auth" in st.secrets
    except (FileNotFoundError, KeyError, StreamlitSecretNotFoundError):
        return False


def identity() -> str | None:
    """Who this session is: the identity provider's e-mail address, else the local account signed in.

    A local sign-in is this session's, or, once per session, the one the
    browser's token (:data:`COOKIE`, :mod:`geo.signins`) still holds.
    """
    if oidc_configured() and st.user.is_logged_in and st.user.get("email"):
        return str(st.user.get("email")).strip().lower()
    if _IDENTITY not in st.session_state and not st.session_state.get(_COOKIE_READ):
        st.session_state[_COOKIE_READ] = True
        store, token = get_store(), st.context.cookies.get(COOKIE)
        if store is not None and token:
            try:
                name = signins.identity(store, token)
            except _FAILURES:
                _LOG.exception(_LOG_MESSAGE, "token")
                name = None
            if name:
                st.session_state[_IDENTITY] = name
                st.session_state[_TOKEN] = token
    return st.session_state.get(_IDENTITY)


def is_editor() -> bool:
    """Whether this session may write (asked of the store, for showing controls; writes ask again)."""
    who, store = identity(), get_store()
    if not who or store is None:
        return False
    try:
        with store.reading() as connection:
            return role(connection, who) == "editor"
    except _FAILURES:
        return False


def sign_in(name: str, password: str, lang: str) -> str | None:
    """Check a local account's password (rate-limited by the store): None when this session is now ``name``.

    Otherwise returns what to tell the visitor.
    """
    store = get_store()
    if store is None:
        return t("team.unavailable", lang)
    try:
        ok = users.verify(store, name, password)
    except StoreError as error:
        return t("team.rate_limited" if error.reason == "rate_limited" else "team.unavailable", lang)
    if not ok:
        return t("team.bad_password", lang)
    st.session_state[_IDENTITY] = name
    try:
        token = signins.start(store, name)
    except _FAILURES:  # signed in for this session only
        _LOG.exception(_LOG_MESSAGE, "token")
        return None
    st.session_state[_TOKEN] = token
    st.session_state[_COOKIE_WRITE] = token
    return None


def sign_out() -> None:
    """Sign this session and its browser out (the token ends in the store; the cookie is cleared)."""
    store, token = get_store(), st.session_state.pop(_TOKEN, None)
    st.session_state.pop(_IDENTITY, None)
    st.session_state[_COOKIE_READ] = True
    st.session_state[_COOKIE_WRITE] = ""
    if store is not None and token:
        try:
            signins.end(store, token)
        except _FAILURES:
            _LOG.exception(_LOG_MESSAGE, "token")
    if oidc_configured() and st.user.is_logged_in:
        st.logout()


def cookie_script() -> str | None:
    """The script that gives the browser its sign-in token (or takes it back), once after a change."""
    if _COOKIE_WRITE not in st.session_state:
        return None
    token = st.session_state.pop(_COOKIE_WRITE)
    age = int(signins.LIFETIME.total_seconds()) if token else 0
    cookie = json.dumps(f"{COOKIE}={token}; path=/; max-age={age}; SameSite=Strict")
    return (
        "<script>(() => { const d = window.parent && window.parent.document ? window.parent.document : document;"
        f" d.cookie = {cookie} + (location.protocol === 'https:' ? '; Secure' : ''); }})();</script>"
    )


# --- what editors do ----------------------------------------------------------------------------


def notice(kind: str, text: str) -> None:
    """Keep a line for the next run to show once (``kind``: ``done`` or ``error``)."""
    st.session_state[_NOTICE] = (kind, text)


def take_notice() -> tuple[str, str] | None:
    return st.session_state.pop(_NOTICE, None)


def _write(action: Callable[[Store, str], Record], done: Callable[[Record], str], lang: str) -> bool:
    """Run one write as this session's identity, after the server-side role check; say what happened.

    Returns whether it was written.
    """
    store, who = get_store(), identity()
    if store is None:
        notice("error", t("team.unavailable", lang))
        return False
    try:
        users.require_editor(store, who)
        record = action(store, who or "")
    except StoreError as error:
        refused = error.reason == "not_editor"
        notice("error", t("team.refused", lang) if refused else t("team.failed", lang, problem=error.problem))
        return False
    except _FAILURES:
        _LOG.exception(_LOG_MESSAGE, "write")
        _mark_down(_target())
        notice("error", t("team.unavailable", lang))
        return False
    _version.clear()  # this process shows the write at once; others within VERSION_TTL_S
    notice("done", done(record))
    return True


def publish(layer: UserLayer, layer_id: str | None, lang: str) -> None:
    """Publish a session layer for everyone (a new version of ``layer_id``, or a new layer).

    Published, it leaves the session: the map draws it as the team's, and a
    deck made afterwards names it instead of carrying a second copy.
    """
    summary = {"rows": layer.count, **layer.checked}
    published = _write(
        lambda store, who: store.publish_layer(
            layer,
            editor=who,
            sha256=layer.sha256,
            report_summary=summary,
            layer_id=layer_id,
            mapping=layer.mapping,
        ),
        lambda record: t(
            "team.published", lang, name=record.name, version=record.version, ident=record.ident
        ),
        lang,
    )
    if published:
        remove_layer(layer.ident)


def publish_deck(deck: Deck, deck_id: str | None, lang: str) -> None:
    """Publish the session's deck for everyone (a new version of ``deck_id``, or a new deck)."""
    _write(
        lambda store, who: store.publish_deck(deck, editor=who, deck_id=deck_id),
        lambda record: t(
            "team.published", lang, name=record.name, version=record.version, ident=record.ident
        ),
        lang,
    )


def restore(ident: str, version: int, lang: str, family: Family = "layer") -> None:
    _write(
        lambda store, who: store.restore(ident, version, editor=who, family=family),
        lambda record: t("team.restored", lang, old=version, version=record.version),
        lang,
    )


def set_deleted(ident: str, deleted: bool, lang: str, family: Family = "layer") -> None:
    def action(store: Store, who: str) -> Record:
        if deleted:
            return store.delete(ident, editor=who, family=family)
        return store.undelete(ident, editor=who, family=family)

    _write(action, lambda record: t("team.deleted" if deleted else "team.undelete", lang), lang)


def versions(ident: str, family: Family = "layer") -> list[Record]:
    store = get_store()
    return store.versions(ident, family) if store is not None else []


def _action(action: str, lang: str) -> str:
    """An audit action in ``lang`` ("refused:publish" reads as a refused write); an unknown one as recorded."""
    key = "refused" if action.startswith("refused:") else action
    try:
        return t(f"team.actions.{key}", lang)
    except KeyError:
        return action


def audit_table(lang: str, limit: int = 200) -> pd.DataFrame:
    """The audit log, newest first, as text cells under the view's column names."""
    store = get_store()
    entries = store.audit(limit) if store is not None else []
    rows = [
        (
            entry.at.strftime("%Y-%m-%d %H:%M:%S"),
            entry.editor,
            _action(entry.action, lang),
            entry.ident or "",
            "" if entry.version is None else str(entry.version),
            entry.sha256 or "",
            json.dumps(dict(entry.summary), ensure_ascii=False, sort_keys=True) if entry.summary else "",
        )
        for entry in entries
    ]
    return pd.DataFrame(rows, columns=t("team.audit_columns", lang).split("|"), dtype=str)
