"""Local editor accounts: argon2 hashes, sign-in checks, the rate limit, the role check, the command line.

Accounts and passwords here are SYNTHETIC. One backend (SQLite) is enough:
the accounts are rows like any other, and the store suite covers both.
"""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from geo import users
from geo.errors import StoreError
from geo.paths import ROOT
from geo.store import Store, open_store
from geo.store.schema import users as accounts_table

PASSWORD = "synthetic password 1"


@pytest.fixture
def store(tmp_path: Path) -> Store:
    opened = open_store(tmp_path / "store")
    users.add(opened, "ana", PASSWORD)
    return opened


def test_only_an_argon2id_hash_of_the_password_is_kept(store: Store) -> None:
    with store.engine.connect() as connection:
        stored = connection.execute(select(accounts_table.c.password_hash)).scalar_one()
    assert stored.startswith("$argon2id$")
    assert PASSWORD not in stored


def test_the_right_password_signs_in_and_a_wrong_one_or_an_unknown_name_does_not(store: Store) -> None:
    assert users.verify(store, "ana", PASSWORD)
    assert not users.verify(store, "ana", PASSWORD + "x")
    assert not users.verify(store, "nobody", PASSWORD)
    assert [(entry.editor, entry.action) for entry in store.audit(limit=2)] == [
        ("nobody", "sign_in_failed"),
        ("ana", "sign_in_failed"),
    ]


def test_after_five_failures_a_name_is_refused_even_with_its_password(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    for _ in range(users.MAX_FAILURES):
        assert not users.verify(store, "ana", "guess")
    with pytest.raises(StoreError) as refused:
        users.verify(store, "ana", PASSWORD)
    assert refused.value.reason == "rate_limited"
    assert store.audit(limit=1)[0].action == "sign_in_refused"
    monkeypatch.setattr(users, "WINDOW", timedelta(0))  # the window has passed
    assert users.verify(store, "ana", PASSWORD)


def test_a_success_starts_the_count_of_failures_again(store: Store) -> None:
    for _ in range(users.MAX_FAILURES - 1):
        users.verify(store, "ana", "guess")
    assert users.verify(store, "ana", PASSWORD)
    assert not users.verify(store, "ana", "guess")
    assert users.verify(store, "ana", PASSWORD)


def test_require_editor_refuses_viewers_and_strangers_and_logs_it(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    users.add(store, "vera", PASSWORD, "viewer")
    users.require_editor(store, "ana")
    for identity in ("vera", "nobody", None, "boss@example.org"):
        with pytest.raises(StoreError) as refused:
            users.require_editor(store, identity)
        assert refused.value.reason == "not_editor"
    assert [entry.editor for entry in store.audit(limit=4)] == [
        "boss@example.org",
        "(anonymous)",
        "nobody",
        "vera",
    ]
    monkeypatch.setenv("ATLAS_EDITOR_EMAILS", "boss@example.org")
    users.require_editor(store, "Boss@Example.org")


@pytest.mark.parametrize(
    ("name", "password", "role", "reason"),
    [
        ("Ana Maria", PASSWORD, "editor", "bad_id"),
        ("ana@example.org", PASSWORD, "editor", "bad_id"),
        ("ana", "short", "editor", "weak_password"),
        ("ana", PASSWORD, "admin", "bad_role"),
    ],
)
def test_bad_names_short_passwords_and_unknown_roles_are_refused(
    store: Store, name: str, password: str, role: str, reason: str
) -> None:
    with pytest.raises(StoreError) as refused:
        users.add(store, name, password, role)  # type: ignore[arg-type]
    assert refused.value.reason == reason


def _cli(tmp_path: Path, *arguments: str, password: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "geo.users", *arguments],
        input=password + "\n",
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "ATLAS_STORE": str(tmp_path / "cli-store"), "ATLAS_DATABASE_URL": ""},
        timeout=120,
    )


def test_the_command_line_adds_an_account_with_the_password_from_stdin(tmp_path: Path) -> None:
    done = _cli(tmp_path, "add", "luis", "--role", "viewer", password="a synthetic passphrase")
    assert done.returncode == 0, done.stderr
    store = open_store(tmp_path / "cli-store")
    assert users.verify(store, "luis", "a synthetic passphrase")
    assert store.audit(limit=1)[0].action == "account_added"
    refused = _cli(tmp_path, "add", "luis", "a synthetic passphrase", password="")
    assert refused.returncode == 2  # a password on the command line is not an argument it takes
    assert "unrecognized arguments" in refused.stderr
