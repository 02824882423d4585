"""The presentation deck in the app (AppTest): add, reorder, edit, save, load, present, bad input."""

from __future__ import annotations

import json
import urllib.parse
from dataclasses import replace
from datetime import date

import pytest
from streamlit.testing.v1 import AppTest

from geo import deck as decks
from geo import markup
from geo.brief.content import MapBrief, map_brief, slide_brief
from geo.brief.layout import brief_png
from geo.i18n import t
from geo.loaders import load_atlas, load_neighbourhoods
from geo.mapmodel import map_model, needs_neighbourhoods
from geo.markup import markdown_text
from tests.apptest_support import run_app, shown_figures, shown_html, view_widget
from tests.markdown_oracle import active_markup
from ui import present
from ui import view as ui_view
from ui.view import VIEW_KEY, options_for

pytestmark = pytest.mark.usefixtures("offline_app")
SAMPLE = "utopias-poverty-iztapalapa"


def deck_of(at: AppTest) -> decks.Deck:
    return at.session_state[present.DECK_KEY]


def add_view(at: AppTest, title: str = "", note: str = "") -> AppTest:
    at.text_input(key="deck_new_title").set_value(title)
    at.text_area(key="deck_new_note").set_value(note)
    return at.button(key="deck_add").click().run()


def slide_titles(at: AppTest) -> list[str]:
    return [deck_of(at).text(slide.title, "en") for slide in deck_of(at).slides]


def open_deck_page(at: AppTest) -> AppTest:
    at.switch_page("pages/deck.py").run()
    assert not at.exception, at.exception
    return at


def test_adding_views_from_two_pages_builds_a_deck() -> None:
    at = run_app()
    add_view(at, "Poverty, whole city", "Darker means more need.")
    view_widget(at, "ind").set_value("population_total").run()
    view_widget(at, "boro").set_value(["09007"]).run()
    add_view(at)  # no title: one is made from the view
    at.switch_page("pages/compare.py").run()
    add_view(at, "Ranking")
    assert not at.exception, at.exception
    deck = deck_of(at)
    assert [s.page for s in deck.slides] == ["atlas", "atlas", "compare-boroughs"]
    assert slide_titles(at) == ["Poverty, whole city", "Map: Total population, 2020", "Ranking"]
    assert deck.slides[0].view == {}
    assert deck.slides[0].note == {"en": "Darker means more need."}
    assert deck.slides[1].view == {"ind": "population_total", "boro": "09007"}
    assert deck.slides[2].view == {"ind": "population_total", "boro": "09007"}
    assert "3" in at.expander[-1].label if at.expander else True
    assert at.text_input(key="deck_new_title").value == "", "the form is cleared for the next slide"


def test_deck_page_reorders_edits_and_deletes() -> None:
    at = run_app()
    for title in ("One", "Two", "Three"):
        add_view(at, title)
    open_deck_page(at)
    at.button(key="deck_down_0").click().run()
    assert slide_titles(at) == ["Two", "One", "Three"]
    at.button(key="deck_up_2").click().run()
    assert slide_titles(at) == ["Two", "Three", "One"]
    assert at.button(key="deck_up_0").disabled
    assert at.button(key="deck_down_2").disabled
    at.text_input(key="deck_title_1").set_value("Three, renamed")
    at.text_area(key="deck_note_1").set_value("A note")
    at.button(key="deck_save_1").click().run()
    assert slide_titles(at) == ["Two", "Three, renamed", "One"]
    assert deck_of(at).slides[1].note == {"en": "A note"}
    at.button(key="deck_delete_0").click().run()
    assert slide_titles(at) == ["Three, renamed", "One"]
    assert at.text_input(key="deck_title_0").value == "Three, renamed", (
        "inputs follow the slides after a delete"
    )
    assert "<p><strong>1. Three, renamed</strong></p>" in shown_html(at)


def test_saving_and_loading_a_deck_gives_the_same_slides(downloads: dict[str, bytes]) -> None:
    at = run_app()
    add_view(at, "First")
    view_widget(at, "ind").set_value("extreme_poverty_pct").run()
    add_view(at, "Second", "with a note")
    open_deck_page(at)
    saved = downloads["atlas-deck.json"]
    assert json.loads(saved)["slides"][1]["view"] == {"ind": "extreme_poverty_pct"}
    before = deck_of(at)

    colleague = open_deck_page(run_app())
    assert not deck_of(colleague).slides if present.DECK_KEY in colleague.session_state else True
    colleague.file_uploader(key="deck_upload").set_value(("atlas-deck.json", saved, "application/json")).run()
    assert not colleague.error, [e.value for e in colleague.error]
    assert deck_of(colleague) == before


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"not json at all", "Not a JSON file"),
        (json.dumps({"format": "other", "version": 1, "slides": []}).encode(), "Not an Atlas deck"),
        (
            json.dumps(
                {
                    "format": decks.FORMAT,
                    "version": 1,
                    "slides": [{"title": "x", "page": "atlas", "view": {"sel": "09099"}}],
                }
            ).encode(),
            "Slide 1",
        ),
    ],
)
def test_a_bad_deck_file_gives_a_clear_error_and_changes_nothing(content: bytes, message: str) -> None:
    at = run_app()
    add_view(at, "Keep me")
    open_deck_page(at)
    before = deck_of(at)
    at.file_uploader(key="deck_upload").set_value(("evil.json", content, "application/json")).run()
    errors = [e.value for e in at.error]
    assert errors[0] == f'Could not load "{markdown_text("evil.json")}"; the current deck is unchanged:'
    assert any(message in e for e in errors[1:]), errors
    assert deck_of(at) == before
    assert slide_titles(at) == ["Keep me"]


@pytest.mark.parametrize(
    "name",
    ["![x](http://evil.example/p.png).json", "[win](http://evil.example).json", "www.evil.example.json"],
)
def test_an_uploaded_file_name_shows_as_text(name: str) -> None:
    """The file's name was Markdown in the error box: an outside image was fetched, a link shown."""
    at = open_deck_page(run_app())
    at.file_uploader(key="deck_upload").set_value((name, b"[1]", "application/json")).run()
    assert at.error[0].value == f'Could not load "{markdown_text(name)}"; the current deck is unchanged:'
    assert not [found for error in at.error for found in active_markup(error.value)]


def test_slide_and_deck_titles_from_a_file_show_as_text() -> None:
    """Slide titles in the list and the deck's title were Markdown: a link showed in the page."""
    at = open_deck_page(run_app())
    pixel = "![x](http://evil.example/p.png)"
    document = {
        "format": decks.FORMAT,
        "version": 1,
        "lang": "en",
        "title": f"[Deck](http://evil.example) {pixel}",
        "slides": [{"title": f"{pixel} www.evil.example", "page": "atlas", "view": {}}],
    }
    upload = json.dumps(document).encode()
    at.file_uploader(key="deck_upload").set_value(("deck.json", upload, "application/json")).run()
    assert not at.error, [e.value for e in at.error]
    assert [h.value for h in at.subheader] == [
        markdown_text(document["title"]),
        t("team.decks_heading", "en"),
    ]
    assert f"<p><strong>1. {markup.text(document['slides'][0]['title'])}</strong></p>" in shown_html(at)
    assert not [found for m in [*at.markdown, *at.subheader] for found in active_markup(m.value)]


def test_the_sample_deck_opens_from_the_page_and_from_a_url() -> None:
    at = open_deck_page(run_app())
    at.button(key="deck_open_sample").click().run()
    sample = deck_of(at)
    assert len(sample.slides) == 7
    linked = open_deck_page(run_app(deck=SAMPLE))
    assert deck_of(linked) == sample
    packed = open_deck_page(run_app(deck=decks.encode(sample)))
    assert deck_of(packed) == sample


def test_a_bad_deck_link_says_why_on_every_page_and_the_app_still_works() -> None:
    at = run_app(deck="no-such-deck")
    assert any(f'There is no deck called "{markdown_text("no-such-deck")}"' in w.value for w in at.warning), (
        "said on the map"
    )
    at = open_deck_page(at)
    assert any(f'There is no deck called "{markdown_text("no-such-deck")}"' in w.value for w in at.warning), (
        "and on the deck page"
    )
    at = run_app(deck="z.garbage", present="1")
    assert not at.exception
    assert at.session_state[present.SLIDE_KEY] is None if present.SLIDE_KEY in at.session_state else True
    assert "Sites on the map" in shown_figures(at), "the map page shows as usual"
    assert any("The deck link is damaged or incomplete." in w.value for w in at.warning), "and says why"


def test_presenting_walks_the_slides_and_keeps_its_place_in_the_url() -> None:
    atlas = load_atlas()
    options = options_for(atlas, offline=True, language="en")
    sample = decks.from_reference(SAMPLE, options, "en")
    at = run_app(deck=SAMPLE, present="1")
    for number, slide in enumerate(sample.slides, start=1):
        assert not at.exception, at.exception
        expected = decks.slide_state(slide, options, lang="en", contrast=False)
        assert at.session_state[VIEW_KEY] == expected
        assert at.query_params["slide"] == str(number)
        assert at.query_params["deck"] == SAMPLE
        bodies = [h.proto.body for h in at.get("html")]
        assert any(f">{sample.text(slide.title, 'en')}<" in b.replace("&#x27;", "'") for b in bodies)
        assert any("deck-sources" in b and "Sources:" in b for b in bodies), "every slide has a source line"
        if slide.view.get("level") == "agebs":
            assert any("deck-sources" in b and "CONAPO (2020)" in b for b in bodies), "the AGEBs' source"
        assert any(f"Slide {number} of {len(sample.slides)}" in b for b in bodies)
        if number < len(sample.slides):
            at.button(key="deck_next").click().run()
    assert at.button(key="deck_next").disabled
    at.button(key="deck_prev").click().run()
    assert at.query_params["slide"] == str(len(sample.slides) - 1)
    at.button(key="deck_exit").click().run()
    assert "present" not in at.query_params


def test_presenting_in_french_shows_the_french_slide_text() -> None:
    at = run_app(deck=SAMPLE, present="1", slide="2", lang="fr")
    bodies = " ".join(h.proto.body for h in at.get("html"))
    assert "Iztapalapa, l’arrondissement le plus peuplé" in bodies
    assert "Diapositive 2 sur 7" in bodies
    assert "Sources :" in bodies
    assert [b.label for b in at.button if b.key == "deck_next"] == ["Suivante"]


def test_the_deck_link_opens_the_same_deck() -> None:
    at = run_app()
    add_view(at, "Only slide")
    open_deck_page(at)
    [link] = [c.value for c in at.code]
    query = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(link).query))
    assert query["present"] == "1"
    assert query["lang"] == "en"
    reopened = run_app(**query)
    assert deck_of(reopened) == deck_of(at)
    assert reopened.session_state[present.SLIDE_KEY] == 0


def test_the_audience_may_pick_an_ageb_and_a_colonia_on_an_ageb_slide() -> None:
    """Once the map is on the slide, a clicked AGEB or colonia stays (as a clicked borough does)."""
    at = run_app(deck=SAMPLE, present="1", slide="3")
    slide = at.session_state[VIEW_KEY]
    assert slide.level == "agebs"
    layers = load_neighbourhoods()
    ageb = layers.agebs.loc[layers.agebs["on_map"] & (layers.agebs["borough"] == "09007"), "cvegeo"].iloc[0]
    colonia = layers.colonias.loc[layers.colonias["borough"] == "09007", "cveut"].iloc[0]
    at.session_state[present.ARRIVED_KEY] = 2  # the map has reported the slide's position
    at.session_state[VIEW_KEY] = replace(slide, ageb=ageb, col=colonia)
    at.run()
    assert not at.exception, at.exception
    assert (at.session_state[VIEW_KEY].ageb, at.session_state[VIEW_KEY].col) == (ageb, colonia)
    assert at.session_state[VIEW_KEY].level == "agebs", "the rest of the view stays the slide's"


def test_the_presenter_switches_language_mid_deck() -> None:
    at = run_app(deck=SAMPLE, present="1", slide="2", lang="en")
    at.get("button_group")[0].set_value("fr").run()
    assert at.query_params["lang"] == "fr"
    assert at.query_params["slide"] == "2", "still on the same slide"
    bodies = " ".join(h.proto.body for h in at.get("html"))
    assert "Iztapalapa, l’arrondissement le plus peuplé" in bodies
    assert "Diapositive 2 sur 7" in bodies
    assert at.session_state[VIEW_KEY].lang == "fr"


@pytest.mark.parametrize(("number", "page"), [(3, "atlas"), (4, "atlas"), (6, "borough-profile")])
def test_the_slide_picture_shows_what_the_slide_shows(
    number: int,
    page: str,
    deferred: list[tuple[object, str | None, str | None]],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Slide 3 is a map by AGEB, slide 4 a map with walking reach, slide 6 a borough profile: each
    picture is its page's brief."""
    link = "http://localhost:8501/?present=1"
    monkeypatch.setattr(ui_view, "share_link", lambda state: link)
    at = run_app(deck=SAMPLE, present="1", slide=str(number))
    assert not at.exception, at.exception
    [make] = [make for make, _, name in deferred if name == f"cdmx-atlas-slide-{number}-en.png"]
    state = at.session_state[VIEW_KEY]
    atlas = load_atlas()
    layers = load_neighbourhoods() if needs_neighbourhoods(state) else None
    model = map_model(atlas, state, neighbourhoods=lambda: layers)
    expected = slide_brief(page, atlas, model, url=link, exported=date.today())
    assert make() == brief_png(expected)
    if state.level == "agebs":
        assert isinstance(expected, MapBrief)
        assert expected.map.areas is not None
        assert expected.frame.sources[0].endswith("CONAPO (2020)")
    elif page == "atlas":
        assert state.reach
        assert isinstance(expected, MapBrief)
        assert expected.map.reach is not None
    else:
        assert make() != brief_png(map_brief(model, url=link, exported=date.today())), "not the map brief"
