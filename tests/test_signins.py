"""Editors' sign-ins that survive a reload (geo/signins.py), on both store backends, with SYNTHETIC accounts."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, select, update

from geo import signins, users
from geo.store import Store
from geo.store.schema import editor_sessions
from geo.store.schema import users as accounts

PASSWORD = "synthetic password for tests"


def test_a_token_signs_its_account_in_until_sign_out_and_only_its_hash_is_kept(store: Store) -> None:
    users.add(store, "ana", PASSWORD)
    token = signins.start(store, "ana")
    assert signins.identity(store, token) == "ana"
    assert signins.identity(store, token + "x") is None
    assert signins.identity(store, None) is None
    assert signins.identity(store, "x" * 500) is None
    assert signins.identity(store, b"not text") is None
    with store.reading() as connection:
        kept = connection.execute(select(editor_sessions.c.token_hash)).scalars().all()
    assert token not in kept
    assert len(kept) == 1
    signins.end(store, token)
    assert signins.identity(store, token) is None


def test_an_expired_token_or_one_whose_account_is_gone_signs_nobody_in(store: Store) -> None:
    users.add(store, "ana", PASSWORD)
    users.add(store, "beto", PASSWORD)
    old, removed = signins.start(store, "ana"), signins.start(store, "beto")
    with store.writing() as connection:
        connection.execute(
            update(editor_sessions)
            .where(editor_sessions.c.name == "ana")
            .values(expires_at=datetime.now(UTC) - timedelta(seconds=1))
        )
        connection.execute(delete(accounts).where(accounts.c.name == "beto"))
    assert signins.identity(store, old) is None
    assert signins.identity(store, removed) is None
    signins.start(store, "ana")  # sweeps the expired token out
    with store.reading() as connection:
        names = connection.execute(select(editor_sessions.c.name)).scalars().all()
    assert sorted(names) == ["ana", "beto"]
