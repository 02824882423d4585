"""The store, on both backends (SQLite and a throwaway PostGIS): publish, versions, restore, delete, audit.

Every test runs once per backend (``store_target`` in conftest.py); the PostGIS
half is skipped, saying why, when PostgreSQL or PostGIS is not installed.
The layers are SYNTHETIC (tests/store_support.py, tests/your_data_fixtures.py).
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pandas as pd
import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text

from geo import users
from geo.deck import Deck, Slide, to_json
from geo.errors import StoreError
from geo.importing.check import check_layer
from geo.importing.columns import guess_roles
from geo.importing.locate import load_units
from geo.importing.read import read_upload
from geo.store import Store, open_store
from geo.store.engine import MIGRATIONS
from geo.userlayers import UserLayer, check_frame, guess_kind
from tests.store_support import EDITOR, SHA, SUMMARY, synthetic_sites
from tests.your_data_fixtures import borough_indicator_csv, sites_csv


def _publish(store: Store, layer: UserLayer, layer_id: str | None = None):
    return store.publish_layer(layer, editor=EDITOR, sha256=SHA, report_summary=SUMMARY, layer_id=layer_id)


def _same_rows(read: UserLayer, published: UserLayer) -> None:
    pd.testing.assert_frame_equal(read.rows, published.rows.reset_index(drop=True))


def _checked(name: str, data: bytes) -> UserLayer:
    """A SYNTHETIC file through the real importer and check, as the "Your data" page confirms it."""
    upload = read_upload(name, data)
    kind = guess_kind(upload)
    frame = check_frame(upload, kind)
    checked = check_layer(frame, kind, guess_roles(frame, kind), load_units())
    return UserLayer("layer1", kind, "Mi capa <b>", "Archivo sintético", name, checked.layer, unit="%")


@pytest.mark.parametrize(
    ("name", "data", "kind"),
    [("sitios.csv", sites_csv(), "sites"), ("indicador.csv", borough_indicator_csv(), "indicators")],
    ids=["sites", "indicators"],
)
def test_a_checked_layer_reads_back_as_it_was_published(
    store: Store, name: str, data: bytes, kind: str
) -> None:
    layer = _checked(name, data)
    assert layer.kind == kind
    record = store.publish_layer(
        layer, editor=EDITOR, sha256=SHA, report_summary=SUMMARY, mapping={"name": "nombre"}
    )
    read = store.read_layer(record.ident)
    _same_rows(read, layer)
    assert (read.ident, read.kind, read.name, read.source, read.file, read.unit) == (
        record.ident,
        kind,
        "Mi capa <b>",
        "Archivo sintético",
        name,
        "%",
    )
    assert (record.version, record.rows, dict(record.mapping)) == (1, layer.count, {"name": "nombre"})


def test_each_publish_is_a_new_version_and_the_old_ones_stay_readable(store: Store) -> None:
    first, second = synthetic_sites(30, seed=1), synthetic_sites(40, seed=2)
    one = _publish(store, first)
    two = _publish(store, second, one.ident)
    assert (one.ident, one.version, two.ident, two.version) == (two.ident, 1, one.ident, 2)
    _same_rows(store.read_layer(one.ident), second)
    _same_rows(store.read_layer(one.ident, 1), first)
    history = store.versions(one.ident)
    assert [(record.version, record.rows, record.current) for record in history] == [
        (1, 30, False),
        (2, 40, True),
    ]
    assert [record.version for record in store.layers()] == [2]


def test_restore_makes_a_new_version_equal_to_the_old_one(store: Store) -> None:
    first, second = synthetic_sites(10, seed=1), synthetic_sites(12, seed=2)
    ident = _publish(store, first).ident
    _publish(store, second, ident)
    restored = store.restore(ident, 1, editor=EDITOR)
    assert (restored.version, restored.restored_from, restored.rows, restored.current) == (3, 1, 10, True)
    _same_rows(store.read_layer(ident), first)
    _same_rows(store.read_layer(ident, 2), second)  # the mistaken version stays in the history
    with pytest.raises(StoreError) as refused:
        store.restore(ident, 9, editor=EDITOR)
    assert refused.value.reason == "no_version"


def test_delete_hides_a_layer_until_an_editor_undoes_it(store: Store) -> None:
    layer = synthetic_sites(5)
    ident = _publish(store, layer).ident
    assert store.delete(ident, editor=EDITOR).deleted
    assert store.layers() == []
    assert [record.ident for record in store.layers(include_deleted=True)] == [ident]
    for blocked in (lambda: store.read_layer(ident), lambda: _publish(store, layer, ident)):
        with pytest.raises(StoreError) as refused:
            blocked()
        assert refused.value.reason == "deleted"
    _same_rows(store.read_layer(ident, 1), layer)  # its versions stay readable by number
    assert not store.undelete(ident, editor=EDITOR).deleted
    _same_rows(store.read_layer(ident), layer)
    assert [record.ident for record in store.layers()] == [ident]


def test_every_write_bumps_the_store_version_and_is_in_the_audit_log(store: Store) -> None:
    assert store.version() == 0
    ident = _publish(store, synthetic_sites(3)).ident
    _publish(store, synthetic_sites(4), ident)
    store.restore(ident, 1, editor=EDITOR)
    store.delete(ident, editor=EDITOR)
    store.undelete(ident, editor=EDITOR)
    assert store.version() == 5
    entries = store.audit(ident=ident)
    assert [(entry.action, entry.version, entry.store_version) for entry in entries] == [
        ("undelete", 3, 5),
        ("delete", 3, 4),
        ("restore", 3, 3),
        ("publish", 2, 2),
        ("publish", 1, 1),
    ]
    published = entries[-1]
    assert (published.editor, published.sha256, dict(published.summary)) == (EDITOR, SHA, SUMMARY)
    assert published.at.tzinfo is not None


def test_ids_are_url_safe_slugs_of_the_name_and_stay_with_the_layer(store: Store) -> None:
    layer = synthetic_sites(3, name="Obras públicas 2026 / Iztapalapa")
    first, second = _publish(store, layer), _publish(store, layer)
    assert (first.ident, second.ident) == (
        "obras-publicas-2026-iztapalapa",
        "obras-publicas-2026-iztapalapa-2",
    )
    assert _publish(store, synthetic_sites(3, name="Otro nombre"), first.ident).ident == first.ident
    mistakes = [
        (lambda: _publish(store, layer, "Not A Slug"), "bad_id"),
        (lambda: store.read_layer("nothing-here"), "not_found"),
        (lambda: store.versions("nothing-here"), "not_found"),
    ]
    mistakes.append((lambda: _publish(store, replace(layer, kind="boundaries"), first.ident), "kind"))
    for mistake, reason in mistakes:
        with pytest.raises(StoreError) as refused:
            mistake()
        assert refused.value.reason == reason
    assert store.version() == 3  # nothing refused was written


def test_only_editors_write_and_a_refused_write_is_logged(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    users.add(store, "vera", "viewer password 1", "viewer")
    layer = synthetic_sites(3)
    for identity in ("vera", "nobody", "someone@example.org"):
        with pytest.raises(StoreError) as refused:
            store.publish_layer(layer, editor=identity, sha256=SHA, report_summary=SUMMARY)
        assert refused.value.reason == "not_editor"
    assert store.version() == 0
    assert store.layers(include_deleted=True) == []
    assert [(entry.editor, entry.action) for entry in store.audit(limit=3)] == [
        ("someone@example.org", "refused:publish"),
        ("nobody", "refused:publish"),
        ("vera", "refused:publish"),
    ]
    monkeypatch.setenv("ATLAS_EDITOR_EMAILS", "Someone@Example.org, other@example.org")
    assert (
        store.publish_layer(layer, editor="someone@example.org", sha256=SHA, report_summary=SUMMARY).version
        == 1
    )


def _deck(title: str) -> Deck:
    slide = Slide(page="map", view={"ind": "poverty"}, title={"es": "Mapa sintético"})
    return Deck(slides=(slide,), title={"es": title}, lang="es")


def test_decks_are_published_versioned_restored_and_deleted_like_layers(store: Store) -> None:
    first, second = _deck("Informe sintético"), _deck("Informe sintético, revisado")
    record = store.publish_deck(first, editor=EDITOR)
    assert (record.ident, record.kind, record.name, record.rows) == (
        "informe-sintetico",
        "deck",
        "Informe sintético",
        1,
    )
    store.publish_deck(second, editor=EDITOR, deck_id=record.ident)
    assert store.read_deck(record.ident) == to_json(second)
    assert store.read_deck(record.ident, 1) == to_json(first)
    assert store.restore(record.ident, 1, editor=EDITOR, family="deck").version == 3
    assert store.read_deck(record.ident) == to_json(first)
    store.delete(record.ident, editor=EDITOR, family="deck")
    assert store.decks() == []
    assert store.layers(include_deleted=True) == []  # decks and layers are listed apart
    catalogue = store.catalogue()
    assert (catalogue.version, [deck.deleted for deck in catalogue.decks]) == (4, [True])


@pytest.mark.parametrize("backend", ["sqlite", "postgis"])
def test_migrations_build_the_schema_from_an_empty_database(
    backend: str, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    """The store migrates an empty database (PostGIS: without the extension either) once, then only checks."""
    if backend == "sqlite":
        target: str | Path = tmp_path / "empty"
    else:
        target = request.getfixturevalue("postgis").database(postgis=False)
    head = ScriptDirectory(str(MIGRATIONS)).get_current_head()
    for _ in range(2):
        store = open_store(target)
        with store.engine.connect() as connection:
            assert connection.execute(text("SELECT version_num FROM alembic_version")).scalar() == head
            tables = set(inspect(connection).get_table_names())
        assert {"atlas_items", "atlas_versions", "atlas_layer_rows", "atlas_audit", "atlas_users"} <= tables
        assert store.version() == 0
        store.close()


def test_readers_are_not_blocked_by_a_writer_and_see_the_last_commit(store: Store) -> None:
    ident = _publish(store, synthetic_sites(3)).ident
    with store.writing() as connection:
        store.bump(connection)  # a write in progress, holding the write lock
        assert store.version() == 1
        _same_rows(store.read_layer(ident), synthetic_sites(3))
    assert store.version() == 2


def test_postgis_keeps_geometries_in_wgs84_with_a_spatial_index(request: pytest.FixtureRequest) -> None:
    store = open_store(request.getfixturevalue("postgis").database())
    users.add(store, EDITOR, "synthetic password 1")
    _publish(store, synthetic_sites(3))
    with store.engine.connect() as connection:
        srids = connection.execute(text("SELECT DISTINCT ST_SRID(geometry) FROM atlas_layer_rows")).scalars()
        indexes = connection.execute(
            text("SELECT indexdef FROM pg_indexes WHERE tablename = 'atlas_layer_rows'")
        ).scalars()
        assert list(srids) == [4326]
        assert any("gist (geometry)" in index for index in indexes)
    store.close()
