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

A deck file also carries the visitor's session layers shown when its slides
were saved (:class:`DeckLayer`: the cleaned layer's GeoJSON, name and source),
up to :data:`MAX_LAYER_BYTES` in all; a layer over the limit is left out and
named in ``missing``, so the reopened deck says so instead of failing. Links
never carry layers (they would not fit in a URL): a link names them as missing.
A carried layer is a stranger's file: ``geo.userlayers.from_deck`` reads it
again through :mod:`geo.importing` before it is drawn.
"""

from __future__ import annotations

import base64
import binascii
import json
import zlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import jsonschema

from geo import paths, safejson
from geo.i18n import DEFAULT_LANGUAGE, LANGUAGES, t
from geo.markup import markdown_text
from geo.screens import SLIDE_SLUGS
from geo.state import Options, ViewState, parse_query, to_query
from geo.vocabulary import ITEM_ID

FORMAT = "cdmx-inclusion-atlas-deck"
VERSION = 1
# The presenter's own settings: never stored in a slide.
PRESENTER_PARAMS = frozenset({"lang", "contrast"})
MAX_SLIDES = 60
MAX_TITLE = 120
MAX_NOTE = 1200
MAX_FILE_BYTES = 256_000
#: The session layers one deck file carries, in all: their GeoJSON as written in the file (bytes).
MAX_LAYER_BYTES = 500_000
MAX_LAYERS = 10
LAYER_KINDS = ("sites", "boundaries")
# A deck nests four levels (deck, slides, slide, view) and holds one small number (its version).
# A link or a shipped deck carries no layer; a deck file's layers are each one string in it, read on
# its own when restored.
LINK_LIMITS = safejson.Limits(max_bytes=MAX_FILE_BYTES, max_depth=8, max_number=20)
LIMITS = replace(LINK_LIMITS, max_bytes=MAX_FILE_BYTES + MAX_LAYER_BYTES)
URL_PREFIX = "z"  # deck=z.<compressed JSON>; anything else names a shipped deck
TEAM_PREFIX = "team"  # deck=team.<id>: a deck published in the team's store (ui.team)

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
        "layers": {
            "type": "array",
            "maxItems": MAX_LAYERS,
            "items": {
                "type": "object",
                "required": ["name", "kind", "geojson"],
                "additionalProperties": False,
                "properties": {
                    "name": {"type": "string", "maxLength": MAX_TITLE},
                    "source": {"type": "string", "maxLength": MAX_NOTE},
                    "kind": {"enum": list(LAYER_KINDS)},
                    "geojson": {"type": "string", "maxLength": MAX_LAYER_BYTES},
                },
            },
        },
        "missing_layers": {
            "type": "array",
            "maxItems": MAX_SLIDES,
            "items": {"type": "string", "maxLength": MAX_TITLE},
        },
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
class DeckLayer:
    """A session layer inside a deck: the user's name and source for it, its kind, its cleaned GeoJSON text."""

    name: str
    source: str
    kind: str
    geojson: str

    @property
    def size(self) -> int:
        """The bytes its GeoJSON takes in the deck file (as a JSON string, escapes included)."""
        return len(json.dumps(self.geojson, ensure_ascii=False).encode("utf-8"))


@dataclass(frozen=True)
class Deck:
    """An ordered list of slides, written in ``lang``, with the session layers they showed.

    ``missing`` names the layers its slides showed that it does not carry (over :data:`MAX_LAYER_BYTES`).
    """

    slides: tuple[Slide, ...] = ()
    title: Mapping[str, str] = field(default_factory=dict)
    lang: str = DEFAULT_LANGUAGE
    sources: str = ""
    layers: tuple[DeckLayer, ...] = ()
    missing: tuple[str, ...] = ()

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


def carry(deck: Deck, layers: Sequence[DeckLayer]) -> Deck:
    """Carry ``layers`` (shown on a slide just saved) in ``deck``, within :data:`MAX_LAYER_BYTES` in all.

    A layer already carried or already missing is not added twice; one that
    does not fit (or past :data:`MAX_LAYERS`) is named in ``missing`` instead.
    """
    carried, missing = list(deck.layers), list(deck.missing)
    for layer in layers:
        if layer in carried or layer.name in missing:
            continue
        room = MAX_LAYER_BYTES - sum(each.size for each in carried)
        if layer.size <= room and len(carried) < MAX_LAYERS:
            carried.append(layer)
        else:
            missing.append(layer.name[:MAX_TITLE])
    return replace(deck, layers=tuple(carried), missing=tuple(missing))


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
    if deck.layers:
        document["layers"] = [
            {"name": layer.name, "source": layer.source, "kind": layer.kind, "geojson": layer.geojson}
            for layer in deck.layers
        ]
    if deck.missing:
        document["missing_layers"] = list(deck.missing)
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


def parse_deck(
    raw: bytes | str, options: Options, lang: str = DEFAULT_LANGUAGE, *, limits: safejson.Limits = LIMITS
) -> Deck:
    """Read a deck from JSON text, or raise :class:`DeckError` with every problem (in ``lang``).

    Every slide's view must parse without a single notice: a deck saved with
    another version of the data (a borough code or year that does not exist
    here) is refused, not shown half-right.
    """
    try:
        document = safejson.loads(raw, limits)
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
    deck = Deck(
        slides=tuple(slides),
        title=_texts(document.get("title"), deck_lang),
        lang=deck_lang,
        sources=document.get("sources", ""),
        missing=tuple(document.get("missing_layers", ())),
    )
    # Layers past the limit in all (a file not written by the Atlas) are named missing, not refused.
    layers = [
        DeckLayer(item["name"], item.get("source", ""), item["kind"], item["geojson"])
        for item in document.get("layers", ())
    ]
    return carry(deck, layers)


def slide_state(slide: Slide, options: Options, *, lang: str, contrast: bool) -> ViewState:
    """The view a slide shows, in the presenter's language and contrast."""
    return replace(parse_query({**slide.view, "lang": lang}, options), contrast=contrast, notices=())


# --- links and shipped decks ------------------------------------------------------------------------


def encode(deck: Deck) -> str:
    """Pack ``deck`` into a URL parameter value (compressed, URL-safe base64); its layers are named missing."""
    linked = replace(deck, layers=(), missing=(*deck.missing, *(layer.name for layer in deck.layers)))
    packed = zlib.compress(to_json(linked).encode("utf-8"), 9)
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
        return parse_deck(raw, options, lang, limits=LINK_LIMITS)
    if not ITEM_ID.match(reference) or reference not in shipped_decks():
        raise DeckError([t("deck.error.unknown", lang, name=markdown_text(reference[:60]))])
    return parse_deck((shipped_dir() / f"{reference}.json").read_bytes(), options, lang, limits=LINK_LIMITS)
