"""Who may write: the role of an identity, checked inside the store's own write transactions.

An identity is a local account's name (``python -m geo.users add NAME``) or
the e-mail address of someone signed in with the city's identity provider
(Streamlit's ``st.login``). A local account is an editor when its role says
so; an e-mail address is an editor when ``ATLAS_EDITOR_EMAILS`` lists it.
Local names cannot hold ``@``, so the two never mix.
"""

from __future__ import annotations

from typing import Literal

from sqlalchemy import Connection, select

from geo import settings
from geo.store.schema import users

Role = Literal["editor", "viewer"]
ROLES: tuple[Role, ...] = ("editor", "viewer")


def role(connection: Connection, identity: str) -> Role | None:
    """The identity's role, or None when it is neither an account nor a listed e-mail address."""
    if "@" in identity:
        return "editor" if identity.strip().lower() in settings.editor_emails() else "viewer"
    found = connection.execute(select(users.c.role).where(users.c.name == identity)).scalar()
    return found if found in ROLES else None
