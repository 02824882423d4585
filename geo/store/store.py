"""The store: published layers and decks with their versions, and the audit log, over either backend.

Every write is one transaction that first takes the store's write lock (the
row of the store-wide version: ``BEGIN IMMEDIATE`` on SQLite, a row lock on
PostgreSQL), checks in that transaction that the editor may write, bumps the
store-wide version and writes the item, its version and an audit entry. A
process killed in the middle leaves no trace: the database rolls the
transaction back and readers keep the last committed version.

Reads never wait for a write (WAL on SQLite, MVCC on PostgreSQL) and each read
runs in one snapshot. Versions never change once written, so
``read_layer(layer_id, version)`` with an explicit version may be cached for
ever; :meth:`Store.catalogue` gives the store-wide version and every current
item in one snapshot, the thing to cache per store version.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal

from sqlalchemy import Connection, Engine, LargeBinary, Row, and_, bindparam, func, insert, select, update

from geo.deck import Deck, pick, to_json
from geo.errors import StoreError
from geo.store import accounts, frames
from geo.store.engine import WRITE
from geo.store.schema import audit, items, layer_rows, meta, versions
from geo.userlayers import UserLayer
from geo.vocabulary import ITEM_ID

Family = Literal["layer", "deck"]
#: The ``kind`` of a deck's item (a layer's is its :data:`geo.importing.columns.Kind`).
DECK_KIND = "deck"
_SLUG_LENGTH = 48
_NOT_SLUG = re.compile(r"[^a-z0-9]+")


@dataclass(frozen=True)
class Record:
    """One version of a published layer or deck, as lists and history show it.

    ``ident`` is the stable id (slug-safe: ``[a-z0-9][a-z0-9-]*``, for URLs and
    deck slides); ``kind`` is the layer's kind or ``"deck"``; ``name`` the
    user's name for the layer or the deck's title in its language; ``rows`` the
    layer's row count or the deck's slide count; ``current``: the version
    readers get; ``deleted``: the item is deleted (an editor can undelete it);
    ``restored_from``: the version this one restored.
    """

    family: Family
    ident: str
    version: int
    kind: str
    name: str
    source: str
    unit: str
    file: str
    mapping: Mapping[str, str]
    rows: int
    editor: str
    published_at: datetime
    sha256: str
    store_version: int
    restored_from: int | None
    current: bool
    deleted: bool


@dataclass(frozen=True)
class Catalogue:
    """Every current layer and deck (deleted ones too, flagged) at one store version, read in one snapshot."""

    version: int
    layers: tuple[Record, ...]
    decks: tuple[Record, ...]


@dataclass(frozen=True)
class AuditEntry:
    """One line of the audit log: who did what to which item, with the file's sha256 and check summary."""

    at: datetime
    editor: str
    action: str
    family: str | None
    ident: str | None
    version: int | None
    sha256: str | None
    summary: Mapping[str, Any] | None
    store_version: int | None


def as_utc(moment: datetime) -> datetime:
    """SQLite gives back naive times: they were written in UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def slug(text: str) -> str:
    """A slug-safe id from a user's name for a layer or deck (accents dropped; ``item`` if nothing is left)."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return _NOT_SLUG.sub("-", ascii_text.lower()).strip("-")[:_SLUG_LENGTH].strip("-") or "item"


def _record(row: Row) -> Record:
    return Record(
        family=row.family,
        ident=row.item_id,
        version=row.version,
        kind=row.kind,
        name=row.name,
        source=row.source,
        unit=row.unit,
        file=row.file,
        mapping=dict(row.mapping),
        rows=row.row_count,
        editor=row.editor,
        published_at=as_utc(row.published_at),
        sha256=row.sha256,
        store_version=row.store_version,
        restored_from=row.restored_from,
        current=row.version == row.current,
        deleted=row.deleted,
    )


def _listing(family: Family) -> Any:
    """The select of every version of ``family``'s items with their item's current version and deletion."""
    return (
        select(versions, items.c.kind, items.c.current, items.c.deleted)
        .join(items, and_(items.c.family == versions.c.family, items.c.item_id == versions.c.item_id))
        .where(versions.c.family == family)
    )


class Store:
    """Published layers and decks, their versions and the audit log, in one database (see :func:`open_store`).

    Writes take ``editor``: the signed-in identity (a local account's name or
    an e-mail address, see :mod:`geo.store.accounts`). The store checks the role
    itself in the write's transaction; a viewer's or unknown identity's write
    is refused (``StoreError`` ``not_editor``) and logged in the audit log.
    """

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._postgres = engine.dialect.name == "postgresql"

    def close(self) -> None:
        """Close the pooled connections (the store can still be used: it reconnects)."""
        self.engine.dispose()

    # --- transactions -------------------------------------------------------------------------

    @contextmanager
    def reading(self) -> Iterator[Connection]:
        """A read-only transaction on one snapshot of the store."""
        connection = self.engine.connect()
        if self._postgres:
            connection = connection.execution_options(
                isolation_level="REPEATABLE READ", postgresql_readonly=True
            )
        with connection, connection.begin():
            yield connection

    @contextmanager
    def writing(self) -> Iterator[Connection]:
        """A write transaction holding the store's write lock; committed when the block ends without error.

        For modules that keep their own tables in the store (:mod:`geo.users`).
        Readers do not see it until it commits; it does not bump the store-wide
        version (call :meth:`bump` in it when readers' cached views must change).
        """
        with self.engine.connect().execution_options(**{WRITE: True}) as connection, connection.begin():
            if self._postgres:
                connection.execute(select(meta.c.version).where(meta.c.id == 1).with_for_update())
            yield connection

    @staticmethod
    def bump(connection: Connection) -> int:
        """Add one to the store-wide version inside a write transaction; the new version."""
        connection.execute(update(meta).where(meta.c.id == 1).values(version=meta.c.version + 1))
        return connection.execute(select(meta.c.version).where(meta.c.id == 1)).scalar_one()

    @staticmethod
    def log(connection: Connection, editor: str, action: str, **fields: Any) -> None:
        """Add an audit entry in the caller's transaction (``fields``: family, item_id, version, sha256, summary, store_version)."""
        connection.execute(insert(audit).values(at=datetime.now(UTC), editor=editor, action=action, **fields))

    def _edit(
        self,
        editor: str,
        action: str,
        family: Family,
        ident: str | None,
        work: Callable[[Connection, int], Record],
    ) -> Record:
        """Run ``work(connection, store_version)`` as one write of an editor, or log and refuse it."""
        with self.writing() as connection:
            if accounts.role(connection, editor) == "editor":
                return work(connection, self.bump(connection))
            self.log(connection, editor, "refused:" + action, family=family, item_id=ident)
        raise StoreError(
            "not_editor",
            f"{editor!r} may not {action} {family}s",
            "sign in as an editor (python -m geo.users add NAME --role editor, or ATLAS_EDITOR_EMAILS)",
        )

    # --- reading ----------------------------------------------------------------------------------

    def version(self) -> int:
        """The store-wide version: it changes with every publish, restore, delete and undelete."""
        with self.reading() as connection:
            return connection.execute(select(meta.c.version).where(meta.c.id == 1)).scalar_one()

    def catalogue(self) -> Catalogue:
        """The store-wide version and every item's current version, in one snapshot."""
        with self.reading() as connection:
            version = connection.execute(select(meta.c.version).where(meta.c.id == 1)).scalar_one()
            lists = {
                family: tuple(
                    _record(row)
                    for row in connection.execute(
                        _listing(family)
                        .where(versions.c.version == items.c.current)
                        .order_by(versions.c.item_id)
                    )
                )
                for family in ("layer", "deck")
            }
        return Catalogue(version, lists["layer"], lists["deck"])

    def layers(self, include_deleted: bool = False) -> list[Record]:
        """The published layers' current versions, by id (deleted ones only when asked)."""
        return [record for record in self.catalogue().layers if include_deleted or not record.deleted]

    def decks(self, include_deleted: bool = False) -> list[Record]:
        """The published decks' current versions, by id (deleted ones only when asked)."""
        return [record for record in self.catalogue().decks if include_deleted or not record.deleted]

    def versions(self, ident: str, family: Family = "layer") -> list[Record]:
        """Every version of a layer (or deck), oldest first; raises ``not_found`` for an unknown id."""
        with self.reading() as connection:
            rows = connection.execute(
                _listing(family).where(versions.c.item_id == ident).order_by(versions.c.version)
            ).all()
        if not rows:
            raise self._not_found(family, ident)
        return [_record(row) for row in rows]

    def _version_row(self, connection: Connection, family: Family, ident: str, version: int | None) -> Row:
        """The version row to read: the current one (refused when deleted) or the one asked for."""
        query = _listing(family).where(versions.c.item_id == ident)
        query = query.where(versions.c.version == (items.c.current if version is None else version))
        row = connection.execute(query).first()
        if row is None:
            if (
                version is not None
                and connection.execute(
                    select(items.c.item_id).where(items.c.family == family, items.c.item_id == ident)
                ).first()
            ):
                raise StoreError(
                    "no_version",
                    f"{family} {ident!r} has no version {version}",
                    "pick one of the versions its history lists",
                )
            raise self._not_found(family, ident)
        if version is None and row.deleted:
            raise StoreError(
                "deleted",
                f"{family} {ident!r} was deleted",
                "an editor can undelete it, or read one of its versions by number",
            )
        return row

    @staticmethod
    def _not_found(family: Family, ident: str) -> StoreError:
        return StoreError(
            "not_found",
            f"no published {family} has the id {ident!r}",
            f"check the link, or pick one from the list of published {family}s",
        )

    def read_layer(self, layer_id: str, version: int | None = None) -> UserLayer:
        """A published layer as a :class:`UserLayer` (``ident`` = its id), current version unless one is named."""
        with self.reading() as connection:
            row = self._version_row(connection, "layer", layer_id, version)
            geometry = (
                func.ST_AsBinary(layer_rows.c.geometry, type_=LargeBinary)
                if self._postgres
                else layer_rows.c.geometry
            )
            stored = connection.execute(
                select(layer_rows.c.attributes, geometry.label("geometry"))
                .where(layer_rows.c.item_id == layer_id, layer_rows.c.version == row.content)
                .order_by(layer_rows.c.position)
            ).all()
        rows = frames.frame(row.columns, [cells for cells, _ in stored], [shape for _, shape in stored])
        return UserLayer(
            ident=layer_id,
            kind=row.kind,
            name=row.name,
            source=row.source,
            file=row.file,
            rows=rows,
            unit=row.unit,
        )

    def read_deck(self, deck_id: str, version: int | None = None) -> str:
        """A published deck's JSON (parse it with :func:`geo.deck.parse_deck`), current version unless named."""
        with self.reading() as connection:
            row = self._version_row(connection, "deck", deck_id, version)
            return connection.execute(
                select(versions.c.body).where(
                    versions.c.family == "deck",
                    versions.c.item_id == deck_id,
                    versions.c.version == row.content,
                )
            ).scalar_one()

    def audit(self, limit: int = 200, ident: str | None = None) -> list[AuditEntry]:
        """The newest audit entries first (only those about ``ident`` when given)."""
        query = select(audit).order_by(audit.c.id.desc()).limit(limit)
        if ident is not None:
            query = query.where(audit.c.item_id == ident)
        with self.reading() as connection:
            rows = connection.execute(query).all()
        return [
            AuditEntry(
                **{
                    name: value for name, value in row._mapping.items() if name not in ("id", "at", "item_id")
                },
                at=as_utc(row.at),
                ident=row.item_id,
            )
            for row in rows
        ]

    # --- writing ------------------------------------------------------------------------------

    def _item(self, connection: Connection, family: Family, ident: str) -> Row | None:
        return connection.execute(
            select(items).where(items.c.family == family, items.c.item_id == ident)
        ).first()

    def _new_version(
        self,
        connection: Connection,
        family: Family,
        ident: str | None,
        name: str,
        kind: str,
    ) -> tuple[str, int]:
        """The id and version number a publish writes (a new item gets a free slug of its name)."""
        if ident is None:
            base = slug(name)
            taken = set(
                connection.execute(
                    select(items.c.item_id).where(items.c.family == family, items.c.item_id.like(base + "%"))
                ).scalars()
            )
            ident = next(
                c for c in (base, *(f"{base}-{n}" for n in range(2, len(taken) + 3))) if c not in taken
            )
        elif not ITEM_ID.match(ident):
            raise StoreError(
                "bad_id",
                f"{ident!r} cannot be a {family} id",
                "use lower-case letters, digits and hyphens (up to 61), starting with a letter or digit",
            )
        item = self._item(connection, family, ident)
        now = datetime.now(UTC)
        if item is None:
            connection.execute(
                insert(items).values(
                    family=family, item_id=ident, kind=kind, current=1, deleted=False, created_at=now
                )
            )
            return ident, 1
        if item.deleted:
            raise StoreError(
                "deleted",
                f"{family} {ident!r} was deleted",
                "undelete it before publishing a new version, or publish under another id",
            )
        if item.kind != kind:
            raise StoreError(
                "kind",
                f"{family} {ident!r} holds {item.kind}, not {kind}",
                "publish it under a new id",
            )
        return ident, self._next_version(connection, family, ident)

    @staticmethod
    def _next_version(connection: Connection, family: Family, ident: str) -> int:
        """The number of an existing item's next version, made its current one."""
        number = (
            1
            + connection.execute(
                select(func.max(versions.c.version)).where(
                    versions.c.family == family, versions.c.item_id == ident
                )
            ).scalar_one()
        )
        connection.execute(
            update(items).where(items.c.family == family, items.c.item_id == ident).values(current=number)
        )
        return number

    def publish_layer(
        self,
        layer: UserLayer,
        *,
        editor: str,
        sha256: str,
        report_summary: Mapping[str, Any],
        layer_id: str | None = None,
        mapping: Mapping[str, str] | None = None,
    ) -> Record:
        """Publish ``layer`` as a new version of ``layer_id`` (a new layer, id from its name, when None).

        ``sha256``: the uploaded file's; ``report_summary``: the check report's
        summary (e.g. counts by severity), kept in the audit log; ``mapping``:
        the column mapping the user confirmed (role → the file's column).
        Refused when the id is deleted or holds another kind.
        """
        rows = layer.rows

        def work(connection: Connection, store_version: int) -> Record:
            ident, number = self._new_version(connection, "layer", layer_id, layer.name, layer.kind)
            self._insert_version(
                connection,
                "layer",
                ident,
                number,
                number,
                store_version,
                editor,
                name=layer.name,
                source=layer.source,
                unit=layer.unit,
                file=layer.file,
                mapping=dict(mapping or {}),
                columns=frames.columns(rows),
                sha256=sha256,
                row_count=len(rows),
            )
            geometry = bindparam("wkb", type_=LargeBinary)
            statement = insert(layer_rows).values(
                item_id=ident,
                version=number,
                position=bindparam("position"),
                attributes=bindparam("cells"),
                geometry=func.ST_GeomFromWKB(geometry, 4326) if self._postgres else geometry,
            )
            batch: list[dict[str, Any]] = []
            for position, (cells, shape) in enumerate(frames.records(rows)):
                batch.append({"position": position, "cells": cells, "wkb": shape})
                if len(batch) == 2000:
                    connection.execute(statement, batch)
                    batch = []
            if batch:
                connection.execute(statement, batch)
            self.log(
                connection,
                editor,
                "publish",
                family="layer",
                item_id=ident,
                version=number,
                sha256=sha256,
                summary=dict(report_summary),
                store_version=store_version,
            )
            return self._read_record(connection, "layer", ident, number)

        return self._edit(editor, "publish", "layer", layer_id, work)

    def publish_deck(self, deck: Deck, *, editor: str, deck_id: str | None = None) -> Record:
        """Publish ``deck`` (the JSON :func:`geo.deck.to_json` writes) as a new version of ``deck_id``."""
        body = to_json(deck)
        title = pick(deck.title, deck.lang)
        sha256 = hashlib.sha256(body.encode("utf-8")).hexdigest()

        def work(connection: Connection, store_version: int) -> Record:
            ident, number = self._new_version(connection, "deck", deck_id, title or "deck", DECK_KIND)
            self._insert_version(
                connection,
                "deck",
                ident,
                number,
                number,
                store_version,
                editor,
                name=title,
                source=deck.sources,
                unit="",
                file="",
                mapping={},
                columns=[],
                body=body,
                sha256=sha256,
                row_count=len(deck.slides),
            )
            self.log(
                connection,
                editor,
                "publish",
                family="deck",
                item_id=ident,
                version=number,
                sha256=sha256,
                summary={"slides": len(deck.slides), "layers": len(deck.layers)},
                store_version=store_version,
            )
            return self._read_record(connection, "deck", ident, number)

        return self._edit(editor, "publish", "deck", deck_id, work)

    @staticmethod
    def _insert_version(
        connection: Connection,
        family: Family,
        ident: str,
        number: int,
        content: int,
        store_version: int,
        editor: str,
        **fields: Any,
    ) -> None:
        connection.execute(
            insert(versions).values(
                family=family,
                item_id=ident,
                version=number,
                content=content,
                store_version=store_version,
                editor=editor,
                published_at=datetime.now(UTC),
                **fields,
            )
        )

    def _read_record(self, connection: Connection, family: Family, ident: str, number: int) -> Record:
        row = connection.execute(
            _listing(family).where(versions.c.item_id == ident, versions.c.version == number)
        ).one()
        return _record(row)

    def restore(self, ident: str, version: int, *, editor: str, family: Family = "layer") -> Record:
        """Make a new version of a layer (or deck) equal to its ``version``; the old versions stay."""

        def work(connection: Connection, store_version: int) -> Record:
            old = self._version_row(connection, family, ident, version)
            if old.deleted:
                raise StoreError(
                    "deleted",
                    f"{family} {ident!r} was deleted",
                    "undelete it before restoring a version",
                )
            number = self._next_version(connection, family, ident)
            copied = {
                name: getattr(old, name)
                for name in ("name", "source", "unit", "file", "mapping", "columns", "sha256", "row_count")
            }
            self._insert_version(
                connection,
                family,
                ident,
                number,
                old.content,
                store_version,
                editor,
                restored_from=version,
                **copied,
            )
            self.log(
                connection,
                editor,
                "restore",
                family=family,
                item_id=ident,
                version=number,
                sha256=old.sha256,
                summary={"restored_from": version},
                store_version=store_version,
            )
            return self._read_record(connection, family, ident, number)

        return self._edit(editor, "restore", family, ident, work)

    def _set_deleted(self, ident: str, deleted: bool, editor: str, family: Family) -> Record:
        action = "delete" if deleted else "undelete"

        def work(connection: Connection, store_version: int) -> Record:
            item = self._item(connection, family, ident)
            if item is None:
                raise self._not_found(family, ident)
            connection.execute(
                update(items)
                .where(items.c.family == family, items.c.item_id == ident)
                .values(deleted=deleted)
            )
            self.log(
                connection,
                editor,
                action,
                family=family,
                item_id=ident,
                version=item.current,
                store_version=store_version,
            )
            return self._read_record(connection, family, ident, item.current)

        return self._edit(editor, action, family, ident, work)

    def delete(self, ident: str, *, editor: str, family: Family = "layer") -> Record:
        """Hide a layer (or deck) from readers; its versions stay and :meth:`undelete` brings it back."""
        return self._set_deleted(ident, True, editor, family)

    def undelete(self, ident: str, *, editor: str, family: Family = "layer") -> Record:
        """Undo :meth:`delete`: readers see the layer's (or deck's) current version again."""
        return self._set_deleted(ident, False, editor, family)
