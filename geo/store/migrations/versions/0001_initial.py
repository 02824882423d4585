"""The first schema: items and their versions, layer rows, the audit log, editor accounts.

Revision ID: 0001
Revises:
Create Date: 2026-11-29
"""

import sqlalchemy as sa
from alembic import op
from geoalchemy2 import Geometry

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

WHEN = sa.DateTime(timezone=True)


def _geometry() -> sa.types.TypeEngine:
    """PostGIS: a geometry column in WGS 84 (its GiST index is made below); SQLite: WKB bytes."""
    if op.get_bind().dialect.name == "postgresql":
        return Geometry("GEOMETRY", srid=4326, spatial_index=False)
    return sa.LargeBinary()


def upgrade() -> None:
    postgres = op.get_bind().dialect.name == "postgresql"
    if postgres:
        op.execute("CREATE EXTENSION IF NOT EXISTS postgis")
    op.create_table(
        "atlas_meta",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("version", sa.BigInteger, nullable=False),
    )
    op.execute("INSERT INTO atlas_meta (id, version) VALUES (1, 0)")
    op.create_table(
        "atlas_items",
        sa.Column("family", sa.String(8), primary_key=True),
        sa.Column("item_id", sa.String(64), primary_key=True),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("current", sa.Integer, nullable=False),
        sa.Column("deleted", sa.Boolean, nullable=False),
        sa.Column("created_at", WHEN, nullable=False),
    )
    op.create_table(
        "atlas_versions",
        sa.Column("family", sa.String(8), primary_key=True),
        sa.Column("item_id", sa.String(64), primary_key=True),
        sa.Column("version", sa.Integer, primary_key=True),
        sa.Column("content", sa.Integer, nullable=False),
        sa.Column("store_version", sa.BigInteger, nullable=False),
        sa.Column("editor", sa.String(320), nullable=False),
        sa.Column("published_at", WHEN, nullable=False),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("source", sa.Text, nullable=False),
        sa.Column("unit", sa.Text, nullable=False),
        sa.Column("file", sa.Text, nullable=False),
        sa.Column("mapping", sa.JSON, nullable=False),
        sa.Column("columns", sa.JSON, nullable=False),
        sa.Column("body", sa.Text),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("row_count", sa.Integer, nullable=False),
        sa.Column("restored_from", sa.Integer),
        sa.ForeignKeyConstraint(["family", "item_id"], ["atlas_items.family", "atlas_items.item_id"]),
    )
    op.create_table(
        "atlas_layer_rows",
        sa.Column("item_id", sa.String(64), primary_key=True),
        sa.Column("version", sa.Integer, primary_key=True),
        sa.Column("position", sa.Integer, primary_key=True),
        sa.Column("attributes", sa.JSON, nullable=False),
        sa.Column("geometry", _geometry(), nullable=False),
    )
    if postgres:
        op.create_index(
            "atlas_layer_rows_geometry", "atlas_layer_rows", ["geometry"], postgresql_using="gist"
        )
    op.create_table(
        "atlas_audit",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("at", WHEN, nullable=False),
        sa.Column("editor", sa.String(320), nullable=False),
        sa.Column("action", sa.String(32), nullable=False),
        sa.Column("family", sa.String(8)),
        sa.Column("item_id", sa.String(64)),
        sa.Column("version", sa.Integer),
        sa.Column("sha256", sa.String(64)),
        sa.Column("summary", sa.JSON),
        sa.Column("store_version", sa.BigInteger),
    )
    op.create_index("atlas_audit_at", "atlas_audit", ["at"])
    op.create_table(
        "atlas_users",
        sa.Column("name", sa.String(40), primary_key=True),
        sa.Column("role", sa.String(8), nullable=False),
        sa.Column("password_hash", sa.Text, nullable=False),
        sa.Column("created_at", WHEN, nullable=False),
        sa.Column("changed_at", WHEN, nullable=False),
    )
    op.create_table(
        "atlas_login_attempts",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("name", sa.String(320), nullable=False),
        sa.Column("at", WHEN, nullable=False),
        sa.Column("ok", sa.Boolean, nullable=False),
    )
    op.create_index("atlas_login_attempts_name_at", "atlas_login_attempts", ["name", "at"])


def downgrade() -> None:
    for table in (
        "atlas_login_attempts",
        "atlas_users",
        "atlas_audit",
        "atlas_layer_rows",
        "atlas_versions",
        "atlas_items",
        "atlas_meta",
    ):
        op.drop_table(table)
