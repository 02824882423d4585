"""The hostile-input suite: malformed URLs, script and Markdown payloads, bad deck files (generated).

The inputs come from ``tests/hostile.py``. Every one of them runs against the
pure functions that read it (``geo.state.parse_query``,
``geo.deck.from_reference``, ``geo.deck.parse_deck``): none may raise, every
result is a valid view or a clear :class:`DeckError`, and nothing shown is
more than text (``tests/markdown_oracle.py``). A sample runs through the app
in AppTest: no exception, nothing from a visitor rendered as a link, image,
HTML or formula, and the view or deck left as it was when the input was bad.
"""

from __future__ import annotations

import re
import string

import pytest
from streamlit.testing.v1 import AppTest

from geo import deck as decks
from geo import markup
from geo.i18n import LANGUAGES, catalogue, t
from geo.loaders import load_atlas
from geo.state import Options, default_state, parse_query, to_query
from tests import hostile
from tests.apptest_support import run_app, shown_html, shown_markdown
from tests.markdown_oracle import active_html, active_markup
from ui import present
from ui.view import DECK_PARAMS, VIEW_KEY, options_for

QUERIES = hostile.queries()
REFERENCES = hostile.deck_references()
BAD_FILES = hostile.bad_deck_files()
PAYLOADS = hostile.payloads()
# A URL cannot carry a parameter with no value at all (an empty list): the app never sees one.
APP_QUERIES = [query for query in QUERIES if [] not in query.values()][::19]


def _pattern(template: str) -> re.Pattern[str]:
    """A catalogue text with any value in its placeholders."""
    parts = string.Formatter().parse(template)
    return re.compile(
        "".join(re.escape(text) + (".*" if name else "") for text, name, _, _ in parts) + r"\Z", re.S
    )


# The deck's error messages in every language: a clear error is one of them.
_DECK_ERRORS = [
    _pattern(text)
    for key, texts in catalogue().items()
    if key.startswith("deck.error.")
    for text in texts.values()
]


@pytest.fixture(scope="module")
def options() -> Options:
    return options_for(load_atlas(), offline=True)


def markup_in(texts: list[str] | tuple[str, ...]) -> list[str]:
    return [found for text in texts for found in active_markup(text)]


def assert_clear(error: decks.DeckError) -> None:
    """Every problem is a catalogue message, with nothing in it rendered as more than text."""
    assert error.problems
    for problem in error.problems:
        assert any(template.match(problem) for template in _DECK_ERRORS), problem
    assert not markup_in(error.problems), error.problems


# --- the pure functions: every generated input ------------------------------------------------


def test_the_families_are_large_enough() -> None:
    assert len(QUERIES) >= 200
    assert len(PAYLOADS) >= 30
    assert len(BAD_FILES) >= 25


@pytest.mark.parametrize("query", QUERIES, ids=lambda q: next(iter(q)))
def test_a_malformed_query_falls_back_to_a_valid_view(options: Options, query: dict) -> None:
    state = parse_query(query, options, other=DECK_PARAMS)
    assert not markup_in(state.notices), state.notices
    again = parse_query(to_query(state, options), options)
    assert again == state, "the view is one the URL can hold"
    assert not again.notices
    [key] = query
    if state.notices:
        assert state == default_state(options), "a bad parameter changes nothing"
        assert len(state.notices) == 1
        assert f"`{key}" in state.notices[0]
    if key in DECK_PARAMS:
        assert state == default_state(options)
        assert not state.notices


@pytest.mark.parametrize("reference", REFERENCES + PAYLOADS, ids=lambda r: r[:24])
def test_a_deck_link_opens_a_deck_or_says_why(options: Options, reference: str) -> None:
    lang = LANGUAGES[len(reference) % len(LANGUAGES)]
    try:
        deck = decks.from_reference(reference, options, lang)
    except decks.DeckError as exc:
        assert_clear(exc)
    else:
        assert reference in decks.shipped_decks(), f"{reference[:80]!r} opened a deck"
        assert deck.slides


@pytest.mark.parametrize("name", BAD_FILES)
def test_a_bad_deck_file_is_refused_with_a_clear_reason(options: Options, name: str) -> None:
    lang = LANGUAGES[len(name) % len(LANGUAGES)]
    with pytest.raises(decks.DeckError) as caught:
        decks.parse_deck(BAD_FILES[name], options, lang)
    assert_clear(caught.value)


def payload_deck(options: Options) -> decks.Deck:
    return decks.parse_deck(hostile.payload_deck(), options, "en")


def test_payloads_in_a_deck_are_kept_as_the_author_typed_them(options: Options) -> None:
    deck = payload_deck(options)
    assert [s.title["en"] for s in deck.slides] == [p[: decks.MAX_TITLE].strip() for p in PAYLOADS[:60]]
    assert deck.title == {"en": PAYLOADS[0]}


# --- the app (AppTest): a sample ----------------------------------------------------------------


def assert_only_text(at: AppTest) -> None:
    """No exception, and nothing on the page that a visitor's input turned into markup."""
    assert not at.exception, at.exception
    assert not markup_in(shown_markdown(at))
    assert not [found for body in shown_html(at) for found in active_html(body, hostile.HOST)]


def deck_problems(query: dict, options: Options) -> list[str]:
    """What a deck link in ``query`` cannot open says, with the URL's notices, on whatever page opens."""
    reference = query.get("deck")
    if isinstance(reference, list):  # a repeated parameter: st.query_params gives its last value
        reference = reference[-1] if reference else ""
    if not reference:
        return []
    try:
        decks.from_reference(reference, options, "en")
    except decks.DeckError as exc:
        return exc.problems
    return []


def open_deck_page(at: AppTest) -> AppTest:
    at.switch_page("pages/deck.py").run()
    assert_only_text(at)
    return at


@pytest.mark.usefixtures("offline_app")
@pytest.mark.parametrize("query", APP_QUERIES, ids=lambda q: next(iter(q)))
def test_a_malformed_url_in_the_app(options: Options, query: dict) -> None:
    at = run_app(**query)
    assert_only_text(at)
    expected = parse_query({"lang": "en", **query}, options, other=DECK_PARAMS)
    assert at.session_state[VIEW_KEY] == expected
    assert [w.value for w in at.warning] == [*expected.notices, *deck_problems(query, options)]


@pytest.mark.usefixtures("offline_app")
@pytest.mark.parametrize("reference", REFERENCES[::6], ids=lambda r: r[:30])
def test_a_broken_deck_link_in_the_app_changes_nothing(options: Options, reference: str) -> None:
    at = run_app(deck=reference, present="1", slide="9" * 5000)
    assert_only_text(at)
    assert not (at.session_state[present.DECK_KEY].slides if present.DECK_KEY in at.session_state else ())
    assert at.session_state[VIEW_KEY] == parse_query({"lang": "en"}, options)
    problems = deck_problems({"deck": reference}, options)
    assert problems, "the link is broken"
    assert [w.value for w in at.warning] == problems, "the reason is shown on the page it opens"
    open_deck_page(at)
    assert [w.value for w in at.warning] == problems, "and on the deck page"


@pytest.mark.usefixtures("offline_app")
def test_payloads_as_url_parameter_names_and_values() -> None:
    names = run_app(**{p: "1" for p in PAYLOADS})
    assert_only_text(names)
    assert len(names.warning) == len(PAYLOADS)
    values = run_app(**dict(zip(hostile.VIEW_PARAMS, PAYLOADS[1::2], strict=False)))
    assert_only_text(values)
    assert values.warning


@pytest.mark.usefixtures("offline_app")
def test_payloads_as_slide_titles_and_notes_typed_in_the_app() -> None:
    at = run_app()
    typed = PAYLOADS[::2]
    for payload in typed:
        at.text_input(key="deck_new_title").set_value(payload[: decks.MAX_TITLE])
        at.text_area(key="deck_new_note").set_value(payload)
        at.button(key="deck_add").click().run()
    assert_only_text(at)
    open_deck_page(at)
    assert len(at.session_state[present.DECK_KEY].slides) == len(typed)
    for index, payload in enumerate(reversed(typed[:6])):
        at.text_input(key=f"deck_title_{index}").set_value(payload[: decks.MAX_TITLE])
        at.text_area(key=f"deck_note_{index}").set_value(payload)
        at.button(key=f"deck_save_{index}").click().run()
        assert_only_text(at)
    at.button(key="deck_go_0").click().run()
    assert_only_text(at)
    title = markup.text(at.session_state[present.DECK_KEY].slides[0].title["en"])
    assert any(f'aria-level="1">{title}</div>' in body for body in shown_html(at)), (
        "the slide's title, escaped"
    )


@pytest.mark.usefixtures("offline_app")
def test_an_uploaded_deck_full_of_payloads_shows_them_as_text(options: Options) -> None:
    at = open_deck_page(run_app())
    upload = decks.to_json(payload_deck(options)).encode()
    at.file_uploader(key="deck_upload").set_value(("deck.json", upload, "application/json")).run()
    assert not at.error, [e.value for e in at.error]
    assert_only_text(at)
    assert len(at.session_state[present.DECK_KEY].slides) == decks.MAX_SLIDES


@pytest.mark.usefixtures("offline_app")
def test_bad_deck_files_with_hostile_names_leave_the_deck_as_it_was(options: Options) -> None:
    at = run_app()
    at.text_input(key="deck_new_title").set_value("Keep me")
    at.button(key="deck_add").click().run()
    open_deck_page(at)
    before = at.session_state[present.DECK_KEY]
    for (name, content), file_name in zip(BAD_FILES.items(), PAYLOADS, strict=False):
        at.file_uploader(key="deck_upload").set_value(
            (file_name + ".json", content, "application/json")
        ).run()
        assert_only_text(at)
        with pytest.raises(decks.DeckError) as caught:
            decks.parse_deck(content, options, "en")
        heading = t("deck.error.file", "en", name=markup.markdown_text(file_name + ".json"))
        assert [e.value for e in at.error] == [heading, *caught.value.problems], name
        assert at.session_state[present.DECK_KEY] == before, name
