"""Decks carrying a visitor's session layers: the round trip, the size limit, links, hostile layers.

The layers are the SYNTHETIC fixtures of tests/your_data_fixtures.py and tests/import_fixtures.py
(invented sites and squares, one hostile name), checked against the shipped units.
"""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from geo import deck as decks
from geo.deck import Deck, DeckLayer
from geo.importing.check import check_layer
from geo.importing.columns import guess_roles
from geo.importing.locate import load_units
from geo.importing.read import read_upload
from geo.legend import user_legend_html
from geo.loaders import load_atlas
from geo.mapmodel import map_model
from geo.slides import slide_sources
from geo.state import Options, default_state
from geo.userlayers import UserLayer, check_frame, deck_layer, from_deck, guess_kind
from tests import import_fixtures
from tests.your_data_fixtures import HOSTILE, sites_csv
from ui.view import options_for


def _layer(name: str, data: bytes, title: str) -> UserLayer:
    upload = read_upload(name, data)
    kind = guess_kind(upload)
    frame = check_frame(upload, kind)
    checked = check_layer(frame, kind, guess_roles(frame, kind), load_units())
    return UserLayer("layer1", kind, title, "Archivo sintético <b>", name, checked.layer)


@pytest.fixture(scope="module")
def options() -> Options:
    return options_for(load_atlas(), offline=True, language="en")


@pytest.fixture(scope="module")
def sites() -> UserLayer:
    return _layer("sitios.csv", sites_csv(), HOSTILE)


@pytest.fixture(scope="module")
def areas() -> UserLayer:
    data = import_fixtures.written(import_fixtures.squares(2), "a.geojson", driver="GeoJSON")["a.geojson"]
    return _layer("a.geojson", data, "Cuadros sintéticos")


def _one_slide(options: Options) -> Deck:
    slide = decks.slide_from_view("atlas", default_state(options), options, "A slide", "", "en")
    return Deck(slides=(slide,), lang="en")


def _rows(layer: UserLayer):  # type: ignore[no-untyped-def]
    return layer.rows.drop(columns=layer.rows.geometry.name).reset_index(drop=True)


@pytest.mark.parametrize("fixture", ["sites", "areas"])
def test_a_deck_file_carries_a_layer_and_restores_it_as_from_the_deck(
    fixture: str, options: Options, request: pytest.FixtureRequest
) -> None:
    layer: UserLayer = request.getfixturevalue(fixture)
    deck = decks.carry(_one_slide(options), [deck_layer(layer)])
    opened = decks.parse_deck(decks.to_json(deck), options)
    [carried] = opened.layers
    assert (carried.name, carried.source, carried.kind) == (layer.name, layer.source, layer.kind)
    restored = from_deck(carried, "layer7")
    assert restored is not None
    assert restored.from_deck
    assert restored.ident == "layer7"
    assert _rows(restored).equals(_rows(layer))
    original = layer.rows.geometry.reset_index(drop=True)
    assert restored.rows.geometry.geom_equals_exact(original, 1e-6).all()
    assert opened.missing == ()


def test_a_layer_over_the_limit_is_left_out_and_named_missing(options: Options, sites: UserLayer) -> None:
    big = DeckLayer("Too big", "", "sites", "x" * decks.MAX_LAYER_BYTES)
    deck = decks.carry(_one_slide(options), [deck_layer(sites), big])
    assert [layer.name for layer in deck.layers] == [sites.name]
    assert deck.missing == ("Too big",)
    opened = decks.parse_deck(decks.to_json(deck), options)
    assert opened.missing == ("Too big",)
    assert len(opened.layers) == 1
    assert len(decks.to_json(deck).encode("utf-8")) < decks.LIMITS.max_bytes


def test_carrying_the_same_layer_twice_adds_it_once(options: Options, sites: UserLayer) -> None:
    once = decks.carry(_one_slide(options), [deck_layer(sites)])
    assert decks.carry(once, [deck_layer(sites)]) == once


def test_a_file_whose_layers_exceed_the_limit_in_all_opens_with_them_missing(options: Options) -> None:
    # Not written by the Atlas: two layers each within the schema's length but over the limit together.
    half = DeckLayer("Half", "", "sites", "y" * (decks.MAX_LAYER_BYTES // 2 + 10))
    document = json.loads(decks.to_json(_one_slide(options)))
    document["layers"] = [{"name": f"L{n}", "kind": "sites", "geojson": half.geojson} for n in (1, 2)]
    opened = decks.parse_deck(json.dumps(document), options)
    assert [layer.name for layer in opened.layers] == ["L1"]
    assert opened.missing == ("L2",)


def test_a_link_carries_no_layer_and_names_it_missing(options: Options, sites: UserLayer) -> None:
    deck = decks.carry(_one_slide(options), [deck_layer(sites)])
    linked = decks.from_reference(decks.encode(deck), options)
    assert linked.layers == ()
    assert linked.missing == (sites.name,)


def test_a_deck_without_layers_is_written_as_before(options: Options) -> None:
    document = json.loads(decks.to_json(_one_slide(options)))
    assert "layers" not in document
    assert "missing_layers" not in document


def test_a_hostile_carried_layer_is_refused_or_read_with_known_values_only(sites: UserLayer) -> None:
    assert from_deck(DeckLayer("x", "", "sites", "not json at all"), "l") is None
    wrong_kind = deck_layer(sites)
    assert from_deck(replace(wrong_kind, kind="boundaries"), "l") is None  # points posing as areas
    collection = json.loads(wrong_kind.geojson)
    feature = collection["features"][0]["properties"]
    feature.update(precision="deck.error.schema", located_by="<script>", status="{0.__class__}", year="soon")
    feature.update(programme="labels.missing")
    restored = from_deck(replace(wrong_kind, geojson=json.dumps(collection)), "l")
    assert restored is not None
    row = restored.rows.iloc[0]
    assert row["located_by"] == "coordinates"
    assert row["precision"] == "import_check.precision.coordinates"
    assert row["status"] == "other"
    assert row["programme"] == "other"
    assert restored.rows["year"].isna().iloc[0]
    assert HOSTILE in set(restored.rows["name"])  # kept as text: every view escapes it


def test_a_deck_with_a_malformed_layer_entry_is_refused(options: Options) -> None:
    document = json.loads(decks.to_json(_one_slide(options)))
    document["layers"] = [{"name": "x", "kind": "indicators", "geojson": "{}"}]
    with pytest.raises(decks.DeckError):
        decks.parse_deck(json.dumps(document), options)


def test_a_restored_layer_says_it_came_from_the_deck_and_slides_showing_it_cite_its_source(
    options: Options, sites: UserLayer
) -> None:
    carried = decks.parse_deck(decks.to_json(decks.carry(_one_slide(options), [deck_layer(sites)])), options)
    restored = from_deck(carried.layers[0], "layer2")
    assert restored is not None
    legend = user_legend_html([restored], "en")
    assert "From a deck opened in this session" in legend
    assert "From a deck" not in user_legend_html([sites], "en"), "an uploaded layer says nothing of a deck"
    model = map_model(
        load_atlas(), replace(default_state(options), lang="en"), user_layers=[restored, restored]
    )
    cited = slide_sources(model, "atlas")
    assert cited.count("Archivo sintético <b> (your data)") == 1, "the user's source line, marked, once"
    assert "Archivo sintético <b> (your data)" in slide_sources(model, "compare-boroughs")
    assert not [source for source in slide_sources(model, "borough-profile") if "(your data)" in source]
