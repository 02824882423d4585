"""Presentation decks: ordered saved views with a title and a note each.

A slide is a page of the Atlas plus the URL parameters of a view on it, so a
slide shows exactly what its author saw. Titles and notes are the author's
words, kept per language (a slide written in Spanish and translated to French
shows the French text in French and the Spanish text elsewhere). The
presenter's language and contrast are theirs, not the slide's, so they are not
stored in slides.

Decks travel as JSON files (download/upload) and in URLs (compressed). Loading
never half-works: :func:`parse_deck` either returns a valid deck or raises
:class:`DeckError` listing every problem, and the caller keeps its old deck.
The JSON is read within bounds (:mod:`geo.safejson`: size, encoding, depth,
numbers) and validated with a JSON Schema (structure, sizes) and every slide's
view through :func:`geo.state.parse_query` against the shipped data (an
unknown indicator or borough is an error, not a silent default). Problems are
Markdown (pages show them in ``st.error``) in which the file's own words are
escaped, so they show as typed.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
import zlib
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import jsonschema

from geo import paths, safejson
from geo.i18n import DEFAULT_LANGUAGE, LANGUAGES, t
from geo.markup import markdown_text
from geo.screens import SLIDE_SLUGS
from geo.state import Options, ViewState, parse_query, to_query

FORMAT = "cdmx-inclusion-atlas-deck"
VERSION = 1
# The presenter's own settings: never stored in a slide.
PRESENTER_PARAMS = frozenset({"lang", "contrast"})
MAX_SLIDES = 60
MAX_TITLE = 120
MAX_NOTE = 1200
MAX_FILE_BYTES = 256_000
# A deck nests four levels (deck, slides, slide, view) and holds one small number (its version).
LIMITS = safejson.Limits(max_bytes=MAX_FILE_BYTES, max_depth=8, max_number=20)
URL_PREFIX = "z"  # deck=z.<compressed JSON>; anything else names a shipped deck
DECK_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,60}$")

_TEXT = {
    "anyOf": [
        {"type": "string", "maxLength": MAX_TITLE},
        {
            "type": "object",
            "propertyNames": {"enum": list(LANGUAGES)},
            "additionalProperties": {"type": "string", "maxLength": MAX_TITLE},
            "minProperties": 1,
        },
    ]
}
_NOTE = {
    "anyOf": [
        {"type": "string", "maxLength": MAX_NOTE},
        {
            "type": "object",
            "propertyNames": {"enum": list(LANGUAGES)},
            "additionalProperties": {"type": "string", "maxLength": MAX_NOTE},
        },
    ]
}
SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "required": ["format", "version", "slides"],
    "properties": {
        "format": {"const": FORMAT},
        "version": {"const": VERSION},
        "title": _TEXT,
        "lang": {"enum": list(LANGUAGES)},
        "sources": {"type": "string", "maxLength": MAX_NOTE},
        "slides": {
            "type": "array",
            "maxItems": MAX_SLIDES,
            "items": {
                "type": "object",
                "required": ["title", "page", "view"],
                "additionalProperties": False,
                "properties": {
                    "title": _TEXT,
                    "note": _NOTE,
                    "page": {"enum": list(SLIDE_SLUGS)},
                    "view": {
                        "type": "object",
                        "additionalProperties": {"type": "string", "maxLength": 200},
                        "maxProperties": 30,
                    },
                },
            },
        },
    },
}


class DeckError(ValueError):
    """A deck file or link that cannot be used; ``problems`` says why, one line each."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


def _texts(value: str | Mapping[str, str] | None, lang: str) -> dict[str, str]:
    """Turn a JSON text (a string in the deck's language, or one per language) into a dict."""
    if value is None:
        return {}
    if isinstance(value, str):
        return {lang: value} if value else {}
    return {code: text for code, text in value.items() if text}


def pick(texts: Mapping[str, str], lang: str, fallback: str = DEFAULT_LANGUAGE) -> str:
    """Return the text in ``lang``, else in ``fallback``, else in any language given."""
    for code in (lang, fallback, *LANGUAGES):
        if texts.get(code):
            return texts[code]
    return ""


@dataclass(frozen=True)
class Slide:
    """One saved view: where it is shown, what it shows, and the author's words about it."""

    page: str
    view: Mapping[str, str]
    title: Mapping[str, str] = field(default_factory=dict)
    note: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Deck:
    """An ordered list of slides, written in ``lang``."""

    slides: tuple[Slide, ...] = ()
    title: Mapping[str, str] = field(default_factory=dict)
    lang: str = DEFAULT_LANGUAGE
    sources: str = ""

    def text(self, texts: Mapping[str, str], lang: str) -> str:
        """The author's text in the presenter's language when there is one, else in the deck's."""
        return pick(texts, lang, self.lang)


# --- editing: every operation returns a new deck ------------------------------------------------


def slide_from_view(page: str, state: ViewState, options: Options, title: str, note: str, lang: str) -> Slide:
    """Capture ``state`` on ``page`` as a slide, without the presenter's own settings."""
    view = {k: v for k, v in to_query(state, options).items() if k not in PRESENTER_PARAMS}
    return Slide(page=page, view=view, title=_texts(title.strip(), lang), note=_texts(note.strip(), lang))


def add(deck: Deck, slide: Slide) -> Deck:
    """Append ``slide``; a full deck refuses with :class:`DeckError`."""
    if len(deck.slides) >= MAX_SLIDES:
        raise DeckError([t("deck.error.full", deck.lang, n=MAX_SLIDES)])
    return replace(deck, slides=(*deck.slides, slide))


def move(deck: Deck, index: int, offset: int) -> Deck:
    """Move slide ``index`` by ``offset`` places, stopping at either end."""
    target = min(max(index + offset, 0), len(deck.slides) - 1)
    slides = list(deck.slides)
    slides.insert(target, slides.pop(index))
    return replace(deck, slides=tuple(slides))


def delete(deck: Deck, index: int) -> Deck:
    """Remove slide ``index``."""
    return replace(deck, slides=deck.slides[:index] + deck.slides[index + 1 :])


def edit(deck: Deck, index: int, lang: str, *, title: str, note: str) -> Deck:
    """Set slide ``index``'s title and note in ``lang``; other languages keep theirs."""
    slide = deck.slides[index]
    titles = {**slide.title, lang: title.strip()}
    notes = {**slide.note, lang: note.strip()}
    changed = replace(
        slide, title={k: v for k, v in titles.items() if v}, note={k: v for k, v in notes.items() if v}
    )
    return replace(deck, slides=(*deck.slides[:index], changed, *deck.slides[index + 1 :]))


# --- JSON -------------------------------------------------------------------------------------------


def _json_text(texts: Mapping[str, str]) -> dict[str, str]:
    return {code: texts[code] for code in LANGUAGES if texts.get(code)}


def to_json(deck: Deck) -> str:
    """Serialise ``deck`` as the JSON a colleague loads back (stable key order, UTF-8 text)."""
    document: dict[str, Any] = {"format": FORMAT, "version": VERSION, "lang": deck.lang}
    if deck.title:
        document["title"] = _json_text(deck.title)
    if deck.sources:
        document["sources"] = deck.sources
    document["slides"] = [
        {
            "title": _json_text(slide.title),
            **({"note": _json_text(slide.note)} if slide.note else {}),
            "page": slide.page,
            "view": dict(slide.view),
        }
        for slide in deck.slides
    ]
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def parse_deck(raw: bytes | str, options: Options, lang: str = DEFAULT_LANGUAGE) -> Deck:
    """Read a deck from JSON text, or raise :class:`DeckError` with every problem (in ``lang``).

    Every slide's view must parse without a single notice: a deck saved with
    another version of the data (a borough code or year that does not exist
    here) is refused, not shown half-right.
    """
    try:
        document = safejson.loads(raw, LIMITS)
    except safejson.Refused as exc:
        details = {name: markdown_text(str(value)[:120]) for name, value in exc.details.items()}
        raise DeckError([t(f"deck.error.{exc.reason}", lang, **details)]) from exc
    validator = jsonschema.Draft202012Validator(SCHEMA)
    errors = sorted(validator.iter_errors(document), key=lambda e: list(map(str, e.absolute_path)))
    if errors:
        raise DeckError(
            [
                t(
                    "deck.error.schema",
                    lang,
                    where=markdown_text("/".join(map(str, e.absolute_path))[:80] or "/"),
                    detail=markdown_text(e.message[:160]),
                )
                for e in errors[:8]
            ]
        )
    deck_lang = document.get("lang", DEFAULT_LANGUAGE)
    problems: list[str] = []
    slides: list[Slide] = []
    for number, item in enumerate(document["slides"], start=1):
        stray = sorted(PRESENTER_PARAMS & set(item["view"]))
        view = {k: v for k, v in item["view"].items() if k not in PRESENTER_PARAMS}
        state = parse_query({**view, "lang": lang}, options)
        problems.extend(t("deck.error.slide", lang, n=number, detail=notice) for notice in state.notices)
        if stray:
            problems.append(t("deck.error.presenter_param", lang, n=number, names=", ".join(stray)))
        slides.append(
            Slide(
                page=item["page"],
                view=view,
                title=_texts(item["title"], deck_lang),
                note=_texts(item.get("note"), deck_lang),
            )
        )
    if problems:
        raise DeckError(problems)
    return Deck(
        slides=tuple(slides),
        title=_texts(document.get("title"), deck_lang),
        lang=deck_lang,
        sources=document.get("sources", ""),
    )


def slide_state(slide: Slide, options: Options, *, lang: str, contrast: bool) -> ViewState:
    """The view a slide shows, in the presenter's language and contrast."""
    return replace(parse_query({**slide.view, "lang": lang}, options), contrast=contrast, notices=())


# --- links and shipped decks ------------------------------------------------------------------------


def encode(deck: Deck) -> str:
    """Pack ``deck`` into a URL parameter value (compressed, URL-safe base64)."""
    packed = zlib.compress(to_json(deck).encode("utf-8"), 9)
    return URL_PREFIX + "." + base64.urlsafe_b64encode(packed).decode("ascii").rstrip("=")


def shipped_dir() -> Path:
    """Where the sample decks live (``data/decks``)."""
    return paths.data_dir() / "decks"


def shipped_decks() -> list[str]:
    """The ids of the decks that ship with the Atlas."""
    return sorted(p.stem for p in shipped_dir().glob("*.json"))


def shipped_title(deck_id: str, lang: str) -> str:
    """A shipped deck's title in ``lang`` (its id if it has none), for choosing among them."""
    document = json.loads((shipped_dir() / f"{deck_id}.json").read_text(encoding="utf-8"))
    return pick(_texts(document.get("title"), document.get("lang", DEFAULT_LANGUAGE)), lang) or deck_id


def from_reference(reference: str, options: Options, lang: str = DEFAULT_LANGUAGE) -> Deck:
    """Open the deck a URL names: a shipped deck's id, or a deck packed by :func:`encode`."""
    if reference.startswith(URL_PREFIX + "."):
        payload = reference[len(URL_PREFIX) + 1 :]
        try:
            packed = base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))
            raw = zlib.decompressobj().decompress(packed, MAX_FILE_BYTES + 1)
        except (binascii.Error, ValueError, zlib.error) as exc:
            raise DeckError([t("deck.error.bad_link", lang)]) from exc
        return parse_deck(raw, options, lang)
    if not DECK_ID.match(reference) or reference not in shipped_decks():
        raise DeckError([t("deck.error.unknown", lang, name=markdown_text(reference[:60]))])
    return parse_deck((shipped_dir() / f"{reference}.json").read_bytes(), options, lang)
