"""Editors' sign-ins that survive a reload: a random token in the browser, only its sha256 in the store.

A local account's sign-in (:func:`geo.users.verify`) is made for one browser
session; the page also hands that browser a token (:func:`start`), which a new
session of the same browser presents (:func:`identity`), on any server that
shares the store. A token lasts :data:`LIFETIME`, ends at sign-out
(:func:`end`), and is worth nothing once its account is gone. The store never
holds a token, only its hash, so reading the database signs nobody in.
Plain Python: no Streamlit.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, insert, select

from geo.store import Store
from geo.store.schema import editor_sessions, users

LIFETIME = timedelta(hours=8)
#: Longer than any token :func:`start` makes; anything longer is not looked up.
MAX_TOKEN = 64


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode("ascii", "replace")).hexdigest()


def start(store: Store, name: str) -> str:
    """A new token for ``name`` (just signed in), kept as a hash; expired ones are swept out."""
    token = secrets.token_urlsafe(32)
    now = datetime.now(UTC)
    with store.writing() as connection:
        connection.execute(delete(editor_sessions).where(editor_sessions.c.expires_at <= now))
        connection.execute(
            insert(editor_sessions).values(
                token_hash=_hash(token), name=name, created_at=now, expires_at=now + LIFETIME
            )
        )
    return token


def identity(store: Store, token: object) -> str | None:
    """The account a browser's token signs in, or None (no token, unknown, expired, or its account removed)."""
    if not isinstance(token, str) or not token or len(token) > MAX_TOKEN:
        return None
    with store.reading() as connection:
        return connection.execute(
            select(editor_sessions.c.name)
            .join(users, users.c.name == editor_sessions.c.name)
            .where(editor_sessions.c.token_hash == _hash(token))
            .where(editor_sessions.c.expires_at > datetime.now(UTC))
        ).scalar()


def end(store: Store, token: str | None) -> None:
    """Sign the browser out: its token no longer signs anyone in."""
    if token:
        with store.writing() as connection:
            connection.execute(delete(editor_sessions).where(editor_sessions.c.token_hash == _hash(token)))
