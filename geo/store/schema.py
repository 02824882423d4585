"""The store's tables as the Python code sees them (SQLAlchemy Core); the migrations create them.

Geometries are WKB bytes here on both backends: on SQLite the column is a
BLOB, on PostGIS a ``geometry(Geometry, 4326)`` column with a GiST index that
:mod:`geo.store.store` writes with ``ST_GeomFromWKB`` and reads with
``ST_AsBinary``. Attributes are one JSON object per row, with the layer's
column names and dtypes kept on its version so a read gives back the frame
that was published.

Two families of items share the version machinery: ``layer`` (a published
:class:`~geo.userlayers.UserLayer`) and ``deck`` (a deck's JSON). An item's
``current`` version is the one readers get; ``content`` names the version
whose rows or body hold a version's data, so a restore is a new version that
points at old data instead of copying it.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    DateTime,
    ForeignKeyConstraint,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
)

metadata = MetaData()

#: One row (``id`` 1): the store-wide version, bumped by every write that changes what readers see.
meta = Table(
    "atlas_meta",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("version", BigInteger, nullable=False),
)

items = Table(
    "atlas_items",
    metadata,
    Column("family", String(8), primary_key=True),
    Column("item_id", String(64), primary_key=True),
    Column("kind", String(16), nullable=False),
    Column("current", Integer, nullable=False),
    Column("deleted", Boolean, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

versions = Table(
    "atlas_versions",
    metadata,
    Column("family", String(8), primary_key=True),
    Column("item_id", String(64), primary_key=True),
    Column("version", Integer, primary_key=True),
    Column("content", Integer, nullable=False),
    Column("store_version", BigInteger, nullable=False),
    Column("editor", String(320), nullable=False),
    Column("published_at", DateTime(timezone=True), nullable=False),
    Column("name", Text, nullable=False),
    Column("source", Text, nullable=False),
    Column("unit", Text, nullable=False),
    Column("file", Text, nullable=False),
    Column("mapping", JSON, nullable=False),
    Column("columns", JSON, nullable=False),
    Column("body", Text),
    Column("sha256", String(64), nullable=False),
    Column("row_count", Integer, nullable=False),
    Column("restored_from", Integer),
    ForeignKeyConstraint(["family", "item_id"], ["atlas_items.family", "atlas_items.item_id"]),
)

layer_rows = Table(
    "atlas_layer_rows",
    metadata,
    Column("item_id", String(64), primary_key=True),
    Column("version", Integer, primary_key=True),
    Column("position", Integer, primary_key=True),
    Column("attributes", JSON, nullable=False),
    Column("geometry", LargeBinary, nullable=False),
)

audit = Table(
    "atlas_audit",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("editor", String(320), nullable=False),
    Column("action", String(32), nullable=False),
    Column("family", String(8)),
    Column("item_id", String(64)),
    Column("version", Integer),
    Column("sha256", String(64)),
    Column("summary", JSON),
    Column("store_version", BigInteger),
)

users = Table(
    "atlas_users",
    metadata,
    Column("name", String(40), primary_key=True),
    Column("role", String(8), nullable=False),
    Column("password_hash", Text, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("changed_at", DateTime(timezone=True), nullable=False),
)

editor_sessions = Table(
    "atlas_editor_sessions",
    metadata,
    Column("token_hash", String(64), primary_key=True),
    Column("name", String(40), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("expires_at", DateTime(timezone=True), nullable=False),
)

login_attempts = Table(
    "atlas_login_attempts",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("name", String(320), nullable=False),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("ok", Boolean, nullable=False),
)
