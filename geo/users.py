"""Local editor accounts in the store: made from the command line, passwords hashed with argon2.

For a city without an identity provider. ``python -m geo.users add NAME``
asks for the password twice (or reads one line from standard input when it is
not a terminal, for scripts), never from the command line, where ``ps`` and
the shell's history would show it. Passwords are hashed with argon2id
(argon2-cffi's defaults); only the hash is stored.

:func:`verify` is the sign-in check. Failed attempts are counted per name: after
:data:`MAX_FAILURES` in :data:`WINDOW` (since the last success) the name is
refused without checking the password until the window has passed, so a
guesser gets a handful of tries an hour, not thousands. Every failure and
every refusal goes to the audit log.

Where the city has an identity provider, editors sign in with Streamlit's
built-in OpenID Connect instead: ``st.login()`` with the provider in
``.streamlit/secrets.toml``::

    [auth]
    redirect_uri = "https://atlas.example.org/oauth2callback"
    cookie_secret = "<a long random string>"
    client_id = "..."
    client_secret = "..."
    server_metadata_url = "https://login.example.org/.well-known/openid-configuration"

The page then passes ``st.user.email`` as the editor identity: it is an editor
when ``ATLAS_EDITOR_EMAILS`` lists it, a viewer otherwise
(:mod:`geo.store.accounts`). Either way the store checks the role again in
every write's own transaction (:func:`require_editor` is the same check for a
page that wants to ask before it offers a form).
"""

from __future__ import annotations

import argparse
import getpass
import re
import sys
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import func, insert, select, update

from geo.errors import StoreError
from geo.store import Store, open_store
from geo.store.accounts import ROLES, Role, role
from geo.store.schema import login_attempts, users
from geo.store.store import as_utc

MAX_FAILURES = 5
WINDOW = timedelta(minutes=15)
MIN_PASSWORD = 12
NAME = re.compile(r"^[a-z0-9][a-z0-9._-]{0,39}$")
_HASHER = PasswordHasher()
# An unknown name's sign-in is checked against this, so it takes as long as a known one's.
_DUMMY = _HASHER.hash("not a password of anyone")


def add(store: Store, name: str, password: str, role_name: Role = "editor", *, by: str = "cli") -> None:
    """Create the account ``name``, or set its password and role if it exists (logged as ``by``)."""
    if not NAME.match(name):
        raise StoreError(
            "bad_id",
            f"{name!r} cannot be an account name",
            "use up to 40 lower-case letters, digits, dots, hyphens or underscores",
        )
    if role_name not in ROLES:
        raise StoreError("bad_role", f"{role_name!r} is not a role", f"use one of {', '.join(ROLES)}")
    if len(password) < MIN_PASSWORD:
        raise StoreError(
            "weak_password", "the password is too short", f"use at least {MIN_PASSWORD} characters"
        )
    digest = _HASHER.hash(password)
    now = datetime.now(UTC)
    with store.writing() as connection:
        exists = connection.execute(select(users.c.name).where(users.c.name == name)).first()
        if exists:
            connection.execute(
                update(users)
                .where(users.c.name == name)
                .values(role=role_name, password_hash=digest, changed_at=now)
            )
        else:
            connection.execute(
                insert(users).values(
                    name=name, role=role_name, password_hash=digest, created_at=now, changed_at=now
                )
            )
        store.log(
            connection,
            by,
            "account_changed" if exists else "account_added",
            summary={"name": name, "role": role_name},
        )


def verify(store: Store, name: str, password: str) -> bool:
    """Whether ``password`` is ``name``'s; raises ``rate_limited`` after too many recent failures.

    A wrong password and an unknown name fail alike (and cost the same hash
    time), so a guesser cannot tell which names exist.
    """
    now = datetime.now(UTC)
    with store.writing() as connection:
        last_success = connection.execute(
            select(func.max(login_attempts.c.at)).where(login_attempts.c.name == name, login_attempts.c.ok)
        ).scalar()
        since = max(now - WINDOW, as_utc(last_success)) if last_success else now - WINDOW
        failures = connection.execute(
            select(func.count())
            .select_from(login_attempts)
            .where(login_attempts.c.name == name, ~login_attempts.c.ok, login_attempts.c.at > since)
        ).scalar_one()
        if failures >= MAX_FAILURES:
            store.log(connection, name, "sign_in_refused", summary={"failures": failures})
            refused = True
        else:
            refused = False
            stored = connection.execute(select(users.c.password_hash).where(users.c.name == name)).scalar()
            ok = _matches(stored, password)
            connection.execute(insert(login_attempts).values(name=name, at=now, ok=ok))
            if not ok:
                store.log(connection, name, "sign_in_failed", summary={"failures": failures + 1})
    if refused:
        raise StoreError(
            "rate_limited",
            f"too many failed sign-ins for {name!r}",
            f"wait {int(WINDOW.total_seconds() // 60)} minutes, or ask an administrator to reset the password",
        )
    return ok


def _matches(stored: str | None, password: str) -> bool:
    """Check a password against a stored hash; an unknown name is checked against a throwaway hash."""
    try:
        return _HASHER.verify(stored or _DUMMY, password) and stored is not None
    except (VerificationError, InvalidHashError):
        return False


def require_editor(store: Store, identity: str | None) -> None:
    """Refuse (``not_editor``, logged) unless ``identity`` is an editor: call it on the server before a write."""
    with store.writing() as connection:
        if identity and role(connection, identity) == "editor":
            return
        store.log(connection, identity or "(anonymous)", "refused:write")
    raise StoreError(
        "not_editor",
        f"{identity or 'an anonymous visitor'!r} is not an editor",
        "sign in as an editor (python -m geo.users add NAME --role editor, or ATLAS_EDITOR_EMAILS)",
    )


def _read_password() -> str:
    """The new password: asked twice on a terminal, else the first line of standard input."""
    if not sys.stdin.isatty():
        return sys.stdin.readline().rstrip("\r\n")
    first = getpass.getpass("New password: ")
    if getpass.getpass("Again: ") != first:
        raise StoreError("weak_password", "the two passwords differ", "type the same password twice")
    return first


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m geo.users add NAME [--role editor|viewer]``: create an account or reset its password."""
    parser = argparse.ArgumentParser(prog="python -m geo.users", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    adding = commands.add_parser("add", help="create an account, or set its password and role")
    adding.add_argument("name")
    adding.add_argument("--role", choices=ROLES, default="editor")
    arguments = parser.parse_args(argv)
    try:
        store = open_store()
        add(store, arguments.name, _read_password(), arguments.role)
    except StoreError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(f"{arguments.name} is an account with the role {arguments.role}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
