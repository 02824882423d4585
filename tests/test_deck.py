"""Decks: editing, JSON and link round trips, refusal of bad files, the sample deck against the data."""

from __future__ import annotations

import codecs
import json
from dataclasses import replace

import pytest

from geo import deck as decks
from geo import markup
from geo.deck import Deck, DeckError
from geo.i18n import LANGUAGES
from geo.loaders import Atlas, NeighbourhoodLayers, load_atlas, load_neighbourhoods
from geo.mapmodel import map_model
from geo.screens import SLIDE_SLUGS
from geo.slides import default_title, slide_sources, summary
from geo.state import Options, default_state, to_query
from geo.vocabulary import HIGH_GRADES
from tests.hostile import packed
from tests.markdown_oracle import active_markup
from ui.view import options_for

SAMPLE = "utopias-poverty-iztapalapa"


@pytest.fixture(scope="module")
def atlas() -> Atlas:
    return load_atlas()


@pytest.fixture(scope="module")
def options(atlas: Atlas) -> Options:
    return options_for(atlas, offline=True, language="en")


@pytest.fixture(scope="module")
def layers() -> NeighbourhoodLayers:
    return load_neighbourhoods()


@pytest.fixture
def three(options: Options) -> Deck:
    """A synthetic three-slide deck (test data, not shipped)."""
    base = default_state(options)
    return Deck(
        slides=tuple(
            decks.slide_from_view(page, replace(base, k=k), options, f"Slide {k}", f"note {k}", "en")
            for page, k in (("atlas", 3), ("compare-boroughs", 4), ("borough-profile", 6))
        ),
        lang="en",
    )


def titles(deck: Deck) -> list[str]:
    return [deck.text(slide.title, "en") for slide in deck.slides]


# --- editing ----------------------------------------------------------------------------------------


def test_a_slide_keeps_the_view_but_not_the_presenters_language_or_contrast(options: Options) -> None:
    state = replace(
        default_state(options), ind="extreme_poverty_pct", year=2015, sel="09007", lang="fr", contrast=True
    )
    slide = decks.slide_from_view("atlas", state, options, "  Title ", "", "fr")
    assert slide.view == {"ind": "extreme_poverty_pct", "year": "2015", "sel": "09007"}
    assert slide.title == {"fr": "Title"}
    assert slide.note == {}
    shown = decks.slide_state(slide, options, lang="es", contrast=False)
    assert (shown.ind, shown.year, shown.sel, shown.lang, shown.contrast) == (
        "extreme_poverty_pct",
        2015,
        "09007",
        "es",
        False,
    )
    assert to_query(replace(shown, lang="fr", contrast=True), options) == to_query(state, options)


def test_move_reorders_and_stops_at_the_ends(three: Deck) -> None:
    assert titles(decks.move(three, 0, 1)) == ["Slide 4", "Slide 3", "Slide 6"]
    assert titles(decks.move(three, 2, -2)) == ["Slide 6", "Slide 3", "Slide 4"]
    assert titles(decks.move(three, 0, -1)) == titles(three)
    assert titles(decks.move(three, 2, 5)) == titles(three)


def test_delete_and_add(three: Deck) -> None:
    assert titles(decks.delete(three, 1)) == ["Slide 3", "Slide 6"]
    assert titles(decks.add(three, three.slides[0])) == ["Slide 3", "Slide 4", "Slide 6", "Slide 3"]


def test_a_full_deck_refuses_one_more(three: Deck) -> None:
    full = replace(three, slides=three.slides[:1] * decks.MAX_SLIDES)
    with pytest.raises(DeckError, match=str(decks.MAX_SLIDES)):
        decks.add(full, three.slides[0])


def test_edit_changes_one_language_only(three: Deck) -> None:
    edited = decks.edit(three, 1, "fr", title="Diapositive", note="")
    assert edited.slides[1].title == {"en": "Slide 4", "fr": "Diapositive"}
    assert edited.slides[1].note == {"en": "note 4"}
    assert edited.text(edited.slides[1].title, "fr") == "Diapositive"
    assert edited.text(edited.slides[1].title, "es") == "Slide 4", "no Spanish text: the deck's own language"
    assert edited.slides[0] == three.slides[0]


# --- JSON and links ---------------------------------------------------------------------------------


def test_json_round_trip(three: Deck, options: Options) -> None:
    text = decks.to_json(three)
    assert json.loads(text)["format"] == decks.FORMAT
    assert decks.parse_deck(text.encode(), options) == three


def test_link_round_trip(three: Deck, options: Options) -> None:
    reference = decks.encode(three)
    assert reference.startswith("z.")
    assert all(c.isalnum() or c in "-_." for c in reference), "safe in a URL without quoting"
    assert decks.from_reference(reference, options) == three


def test_an_ageb_level_slide_keeps_its_level_indicator_colonia_and_ageb(
    options: Options, layers: NeighbourhoodLayers
) -> None:
    ageb = layers.agebs.loc[layers.agebs["on_map"] & (layers.agebs["borough"] == "09007"), "cvegeo"].iloc[0]
    colonia = layers.colonias.loc[layers.colonias["borough"] == "09007", "cveut"].iloc[0]
    state = replace(
        default_state(options), level="agebs", aind="ovsae", col=colonia, ageb=ageb, boro=("09007",), z=13
    )
    slide = decks.slide_from_view("atlas", state, options, "AGEBs", "", "en")
    assert {k: slide.view[k] for k in ("level", "aind", "col", "ageb")} == {
        "level": "agebs",
        "aind": "ovsae",
        "col": colonia,
        "ageb": ageb,
    }
    deck = Deck(slides=(slide,), lang="en")
    for loaded in (
        decks.parse_deck(decks.to_json(deck), options),
        decks.from_reference(decks.encode(deck), options),
    ):
        shown = decks.slide_state(loaded.slides[0], options, lang="en", contrast=False)
        assert (shown.level, shown.aind, shown.col, shown.ageb, shown.boro) == (
            "agebs",
            "ovsae",
            colonia,
            ageb,
            ("09007",),
        )
        assert to_query(shown, options) == to_query(state, options)


def test_hostile_text_survives_as_text(three: Deck, options: Options) -> None:
    hostile = decks.edit(three, 0, "en", title="<img src=x onerror=alert(1)>", note='=HYPERLINK("x")')
    assert (
        decks.parse_deck(decks.to_json(hostile), options).slides[0].title["en"]
        == "<img src=x onerror=alert(1)>"
    )


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda d: "{not json", "Not a JSON file"),
        (lambda d: json.dumps({**d, "format": "something-else"}), "Not an Atlas deck"),
        (lambda d: json.dumps({**d, "version": 99}), "Not an Atlas deck"),
        (lambda d: json.dumps({k: v for k, v in d.items() if k != "slides"}), "Not an Atlas deck"),
        (lambda d: json.dumps({**d, "slides": [{**d["slides"][0], "page": "admin"}]}), "Not an Atlas deck"),
        (
            lambda d: json.dumps({**d, "slides": [{**d["slides"][0], "view": {"ind": 3}}]}),
            "Not an Atlas deck",
        ),
        (
            lambda d: json.dumps({**d, "slides": [{**d["slides"][0], "title": "x" * 500}]}),
            "Not an Atlas deck",
        ),
        (lambda d: json.dumps({**d, "slides": [{**d["slides"][0], "view": {"boro": "09099"}}]}), "Slide 1"),
        (lambda d: json.dumps({**d, "slides": [{**d["slides"][0], "view": {"year": "1900"}}]}), "Slide 1"),
        (lambda d: json.dumps({**d, "slides": [{**d["slides"][0], "view": {"evil": "1"}}]}), "Slide 1"),
        (lambda d: json.dumps({**d, "slides": [{**d["slides"][0], "view": {"lang": "fr"}}]}), "presenter"),
        (lambda d: " " * (decks.LIMITS.max_bytes + 1), "larger than"),
        (lambda d: b"\xff\xfe\x00garbage", "Not a UTF-8 text file"),
    ],
)
def test_bad_decks_are_refused_with_a_reason(three: Deck, options: Options, mutate, message: str) -> None:
    document = json.loads(decks.to_json(three))
    with pytest.raises(DeckError) as caught:
        decks.parse_deck(mutate(document), options, "en")
    assert any(message in problem for problem in caught.value.problems), caught.value.problems


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (b"[" * 20_000 + b"]" * 20_000, "The file nests more than 8 levels deep"),
        (b'{"format": "cdmx-inclusion-atlas-deck", "version": ' + b"1" * 4301 + b"}", "a number of more"),
        (b'{"format": "cdmx-inclusion-atlas-deck", "version": NaN, "slides": []}', "holds NaN"),
        ("[1]".encode("utf-16"), "Not a UTF-8 text file"),
    ],
)
def test_deep_long_and_foreign_json_is_a_deck_error_from_a_file_or_a_link(
    options: Options, raw: bytes, message: str
) -> None:
    """Nested 20,000 deep or with a 4,301-digit number, the page showed RecursionError or ValueError."""
    for load in (
        lambda: decks.parse_deck(raw, options, "en"),
        lambda: decks.from_reference(packed(raw), options, "en"),
    ):
        with pytest.raises(DeckError) as caught:
            load()
        assert [message in p for p in caught.value.problems] == [True], caught.value.problems


def test_a_decompression_bomb_link_is_too_big(options: Options) -> None:
    with pytest.raises(DeckError) as caught:
        decks.from_reference(packed(b" " * 50_000_000), options, "en")
    assert caught.value.problems == ["The file is larger than 256 kB; a deck is much smaller."]


def test_a_utf8_byte_order_mark_is_fine(three: Deck, options: Options) -> None:
    assert decks.parse_deck(codecs.BOM_UTF8 + decks.to_json(three).encode(), options) == three


@pytest.mark.parametrize(
    "mutate",
    [
        lambda d: {**d, "slides": [{**d["slides"][0], "page": "![x](http://evil.example/p.png)"}]},
        lambda d: {**d, "slides": [{**d["slides"][0], "view": {"[x](http://evil.example)": "1" * 300}}]},
        lambda d: {**d, "title": 5, "format": "<img src=x onerror=alert(1)> :material/warning:"},
    ],
)
def test_the_files_own_words_in_an_error_are_escaped(three: Deck, options: Options, mutate) -> None:
    """Schema errors quoted the file as Markdown: an image from another host showed in the error box."""
    document = json.loads(decks.to_json(three))
    with pytest.raises(DeckError) as caught:
        decks.parse_deck(json.dumps(mutate(document)), options, "en")
    assert not [found for problem in caught.value.problems for found in active_markup(problem)]
    assert all("evil" not in p or markup.WORD_JOINER in p for p in caught.value.problems)


def test_an_unknown_deck_name_is_escaped(options: Options) -> None:
    with pytest.raises(DeckError) as caught:
        decks.from_reference("![x](http://evil.example/p.png)", options, "en")
    assert caught.value.problems == [
        f'There is no deck called "{markup.markdown_text("![x](http://evil.example/p.png)")}".'
    ]
    assert not active_markup(caught.value.problems[0])


def test_deck_errors_speak_the_visitors_language(options: Options) -> None:
    with pytest.raises(DeckError) as caught:
        decks.parse_deck("{", options, "fr")
    assert caught.value.problems[0].startswith("Ce n’est pas un fichier JSON")


@pytest.mark.parametrize("reference", ["z.!!!!", "z.AAAA", "../etc/passwd", "nope", "x" * 300])
def test_bad_references_are_refused(reference: str, options: Options) -> None:
    with pytest.raises(DeckError):
        decks.from_reference(reference, options)


# --- the sample deck --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def sample(options: Options) -> Deck:
    return decks.from_reference(SAMPLE, options)


def test_the_sample_deck_ships_and_loads(sample: Deck) -> None:
    assert SAMPLE in decks.shipped_decks()
    assert len(sample.slides) >= 5
    assert {slide.page for slide in sample.slides} == set(SLIDE_SLUGS), "it shows every kind of slide"


def test_the_sample_deck_shows_iztapalapa_ageb_by_ageb(sample: Deck, options: Options) -> None:
    [slide] = [slide for slide in sample.slides if slide.view.get("level") == "agebs"]
    shown = decks.slide_state(slide, options, lang="en", contrast=False)
    assert slide.page == "atlas"
    assert (shown.level, shown.aind, shown.boro) == ("agebs", "gm_2020", ("09007",))
    assert "utopias" in shown.prog
    assert (shown.lat, shown.lon, shown.z) == (19.349, -99.057, 12), "centred on Iztapalapa"


def test_the_sample_deck_speaks_three_languages(sample: Deck) -> None:
    for slide in sample.slides:
        assert set(slide.title) == set(LANGUAGES)
        assert set(slide.note) == set(LANGUAGES)
    assert set(sample.title) == set(LANGUAGES)


def test_the_sample_deck_file_is_what_the_deck_writes(sample: Deck) -> None:
    shipped = (decks.shipped_dir() / f"{SAMPLE}.json").read_text(encoding="utf-8")
    assert json.loads(decks.to_json(sample)) == json.loads(shipped)


def test_the_sample_decks_claims_hold_in_the_data(atlas: Atlas, layers: NeighbourhoodLayers) -> None:
    """The notes state no figures, only comparisons: check each against the shipped data."""
    ind = atlas.indicators
    population = ind[(ind["indicator"] == "population_total") & (ind["year"] == 2020)].set_index("cvegeo")[
        "value"
    ]
    assert population.idxmax() == "09007", "Iztapalapa is the most populous borough"
    poverty = ind[(ind["indicator"] == "poverty_pct") & (ind["year"] == 2020)].set_index("cvegeo")["value"]
    assert "09007" in poverty.nlargest(4).index, "one of those with the largest share in poverty"
    open_sites = atlas.sites[atlas.sites["status"] == "open"]
    assert (open_sites["cvegeo"] == "09007").sum() > len(open_sites) / 2, (
        "most open UTOPÍAS are in Iztapalapa"
    )
    agebs = layers.agebs[layers.agebs["has_index"]]
    high = agebs[agebs["gm_2020"].isin(HIGH_GRADES)].groupby("borough")["pob_total"].sum()
    assert high.idxmax() == "09007", "Iztapalapa has the most people in AGEBs of high or very high grade"
    located = open_sites[(open_sites["cvegeo"] == "09007") & open_sites.geometry.notna()]
    grades = located.sjoin(agebs[["gm_2020", "geometry"]], predicate="within")["gm_2020"]
    assert (grades == "Medio").sum() > len(located) / 2, (
        "most of its open UTOPÍAS stand in medium-grade AGEBs"
    )


# --- what a slide says about itself -----------------------------------------------------------------


def test_default_title_and_summary_are_translated(atlas: Atlas, options: Options) -> None:
    state = replace(default_state(options), sel="09007", boro=("09007", "09014"), status=("open",))
    assert default_title("atlas", state, "fr", atlas.borough_names) == (
        "Carte : Population en situation de pauvreté, 2020 · Iztapalapa"
    )
    line = summary(state, "es", atlas.borough_names)
    assert "Iztapalapa, Benito Juárez" in line
    assert "Abierta" in line


def test_slide_sources_name_the_indicator_sites_and_pcmb(atlas: Atlas, options: Options) -> None:
    state = replace(default_state(options), lang="en")
    model = map_model(atlas, state)
    on_map = slide_sources(model, "atlas")
    assert on_map[0].startswith("CONEVAL")
    assert any("utopias.csv" in s for s in on_map)
    assert not any("pcmb" in s for s in on_map)
    assert any("pcmb_by_year.csv" in s for s in slide_sources(model, "programmes-and-sites"))
    without_sites = slide_sources(map_model(atlas, replace(state, prog=("pcmb",))), "atlas")
    assert not any("utopias.csv" in s for s in without_sites)


def test_an_ageb_map_slide_cites_conapo_and_its_default_title_names_the_grade(
    atlas: Atlas, options: Options, layers: NeighbourhoodLayers
) -> None:
    state = replace(default_state(options), level="agebs", lang="en")
    model = map_model(atlas, state, neighbourhoods=lambda: layers)
    on_map = slide_sources(model, "atlas")
    assert on_map[0] == model.areas.citation == "CONAPO (2020)"
    assert not any("CONEVAL" in source for source in on_map), "the borough indicator is not on the map"
    assert any("utopias.csv" in source for source in on_map)
    assert slide_sources(model, "compare-boroughs")[0].startswith("CONEVAL"), "Compare still ranks boroughs"
    assert (
        default_title("atlas", state, "en", atlas.borough_names)
        == "Map: Urban marginalisation grade (AGEB), 2020"
    )
    assert default_title("compare-boroughs", state, "en", atlas.borough_names).endswith(
        "Population in poverty, 2020"
    )
    assert summary(state, "en", atlas.borough_names, "atlas").startswith(
        "Urban marginalisation grade (AGEB) (2020)"
    )


def test_a_derived_indicator_names_the_sources_of_its_inputs(atlas: Atlas, options: Options) -> None:
    state = replace(default_state(options), ind="poverty_persons_est", year=2020, lang="en")
    (line,) = slide_sources(map_model(atlas, state), "compare-boroughs")[:1]
    assert line.startswith("Atlas calculation from CONEVAL")
    assert "INEGI Censo" in line
