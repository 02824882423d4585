"""Hostile inputs, generated: script and Markdown payloads, malformed URL queries, bad deck files.

Every family is built from a small grammar (what to attack × where to point it ×
how to wrap it) rather than listed by hand, so a new vector or a new URL
parameter multiplies through. Every payload that fetches or links points at
:data:`HOST`, a name that cannot resolve (RFC 2606), so a test can look for it.
"""

from __future__ import annotations

import base64
import codecs
import json
import random
import zlib
from collections.abc import Iterator
from dataclasses import fields

from geo import deck as decks
from geo.state import ViewState
from ui.view import DECK_PARAMS

HOST = "evil.example"
TARGETS = (f"http://{HOST}/p.png", f"//{HOST}/p.png", "javascript:alert(1)")

# --- script and Markdown payloads --------------------------------------------------------------

# Each vector is a template for one target URL ({u}); the ones without {u} are repeated harmlessly.
_VECTORS = (
    "![x]({u})",  # a Markdown image: the tracking pixel
    "[click]({u})",
    "<{u}>",
    "[ref][1]\n\n[1]: {u}",
    '<img src="{u}" onerror=alert(1)>',
    "<script src='{u}'>alert(1)</script>",
    '"><svg onload=alert(1) href="{u}">',
    "' onmouseover='alert(1)' x='{u}",
    '<a href="{u}">x</a><!-- {u} -->',
    "<iframe src={u}></iframe>",
)
_LITERALS = (
    f"www.{HOST}/p.png",
    f"http://{HOST}",
    f"mail@{HOST}",
    ":material/warning: :streamlit: :smile:",
    ":red[red] :blue-background[x] :small[s]",
    "$x^2$ and $$\\int_0^1$$",
    "# Big\n> quote\n- item\n1. item\n---",
    "| a | b |\n|---|---|\n| 1 | 2 |",
    "**bold** _it_ ~~strike~~ `code`",
    "&lt;script&gt;alert(1)&lt;/script&gt; &#106;avascript:alert(1)",
    "\r\r![x](http://evil.example/p.png)",
    "\u202e\u200b\x00\ttab  \\ back\\slash `tick`",
    "{{ 7*7 }} {% if true %}x{% endif %} {# c #}",  # Jinja tags: branca renders a map's script twice
)
_WRAPS = ("{}", "Iztapalapa {} 2020")


def payloads() -> list[str]:
    """Script and Markdown payloads: every vector aimed at every target, then every literal, wrapped."""
    aimed = [vector.format(u=url) for vector in _VECTORS for url in TARGETS]
    return [wrap.format(p) for p in (*aimed, *_LITERALS) for wrap in _WRAPS]


# --- malformed URL queries ---------------------------------------------------------------------

VIEW_PARAMS = tuple(f.name for f in fields(ViewState) if f.name != "notices")


def _bad_values() -> Iterator[str | list[str]]:
    """Values no view parameter accepts (or that must not break one): types, sizes, encodings."""
    yield from ("", " ", "-1", "0", "1.5", "1e309", "nan", "-inf", "0x10", "1_0", "٣", "２０２０")
    yield from ("true", "null", "[]", "{}", "a,b,,c", ",,,", "x" * 201, "9" * 5000, "é" * 199)
    yield from ("%00", "\x00", "\u202eevil", "𝟙𝟚", "\ud7ff", "<script>alert(1)</script>")
    yield from (["1", "2"], ["", "x" * 300], [])


def queries() -> list[dict[str, str | list[str]]]:
    """One bad value for one parameter per query, for every view and deck parameter."""
    return [{key: value} for key in (*VIEW_PARAMS, *sorted(DECK_PARAMS)) for value in _bad_values()]


def packed(raw: bytes) -> str:
    """A ``deck=z.…`` link value carrying ``raw`` (packed the way :func:`geo.deck.encode` packs a deck)."""
    return decks.URL_PREFIX + "." + base64.urlsafe_b64encode(zlib.compress(raw, 9)).decode().rstrip("=")


def deck_references() -> list[str]:
    """``deck=`` values: deep, long-numbered, huge, truncated and foreign payloads, and strange names."""
    links = [packed(raw) for raw in bad_deck_files().values()]
    return [
        *links,
        links[0][:-7],
        decks.URL_PREFIX + ".",
        decks.URL_PREFIX + ".%%%",
        decks.URL_PREFIX + "." + "A" * 5001,
        decks.URL_PREFIX + "." + base64.urlsafe_b64encode(b"not zlib").decode(),
        decks.URL_PREFIX + ".ñ",
        "../../etc/passwd",
        "Utopias-Poverty-Iztapalapa",
        "x" * 10_000,
        *payloads()[:6],
    ]


# --- bad deck files ----------------------------------------------------------------------------


def _document() -> dict:
    """A valid deck document, to break one part at a time."""
    return {
        "format": decks.FORMAT,
        "version": decks.VERSION,
        "lang": "en",
        "title": "A deck",
        "slides": [{"title": "One", "page": "atlas", "view": {"ind": "poverty_pct"}}],
    }


def _with(path: tuple[object, ...], value: object) -> bytes:
    """The valid deck with ``value`` at ``path``."""
    document = _document()
    target = document
    for step in path[:-1]:
        target = target[step]
    target[path[-1]] = value
    return json.dumps(document).encode()


def _literal(path: tuple[object, ...], literal: str) -> bytes:
    """The valid deck with a JSON literal (not a Python value) at ``path``."""
    return _with(path, "__HOSTILE__").replace(b'"__HOSTILE__"', literal.encode())


def _nested(depth: int) -> str:
    return "[" * depth + "]" * depth


def bad_deck_files() -> dict[str, bytes]:
    """Deck files the Atlas must refuse with a clear reason, by what is wrong with them."""
    text = json.dumps(_document())
    noise = random.Random(8).randbytes(2048)
    files = {
        "empty": b"",
        "not JSON": b"not json at all",
        "truncated": text[: len(text) // 2].encode(),
        "HTML": b"<html><script>alert(1)</script></html>",
        "binary noise": noise,
        "PNG header": b"\x89PNG\r\n\x1a\n" + noise[:64],
        "zlib-compressed deck": zlib.compress(text.encode()),
        "UTF-16 with BOM": text.encode("utf-16"),
        "UTF-16 without BOM": text.encode("utf-16-le"),
        "UTF-32": text.encode("utf-32"),
        "BOM then not JSON": codecs.BOM_UTF8 + b"not json",
        "Latin-1": text.replace("A deck", "Año").encode("latin-1"),
        "lone surrogate": _literal(("title",), '"\\ud800"'),
        "too big": text.encode() + b" " * decks.LIMITS.max_bytes,
        "top level array": b"[" + text.encode() + b"]",
        "top level string": json.dumps(text).encode(),
        "top level null": b"null",
        "wrong format": _with(("format",), "other-deck"),
        "no slides": json.dumps({"format": decks.FORMAT, "version": 1}).encode(),
        "slides not a list": _with(("slides",), {"0": "x"}),
        "title a number": _with(("slides", 0, "title"), 5),
        "view value a number": _with(("slides", 0, "view", "year"), 2020),
        "unknown page": _with(("slides", 0, "page"), "admin"),
        "unknown indicator": _with(("slides", 0, "view", "ind"), "<img src=x onerror=alert(1)>"),
        "unknown borough": _with(("slides", 0, "view", "sel"), "09099"),
        "presenter setting in a slide": _with(("slides", 0, "view", "lang"), "fr"),
        "unknown view parameter": _with(("slides", 0, "view", f"![x](http://{HOST}/p.png)"), "1"),
        "too many slides": _with(("slides",), _document()["slides"] * (decks.MAX_SLIDES + 1)),
        "title too long": _with(("slides", 0, "title"), "x" * (decks.MAX_TITLE + 1)),
        "NaN": _literal(("version",), "NaN"),
        "Infinity": _literal(("version",), "-Infinity"),
        "float overflow": _literal(("version",), "1e999"),
    }
    for version in ("0", "2", '"1"', "1.5", "null", "true"):
        files[f"version {version}"] = _literal(("version",), version)
    for digits in (21, 4301, 100_000):
        files[f"{digits}-digit number"] = _literal(("version",), "1" * digits)
    for where, path in (("top level", ()), ("title", ("title",)), ("view", ("slides", 0, "view", "ind"))):
        for depth in (9, 1000, 20_000):
            files[f"{where} nested {depth} deep"] = (
                _nested(depth).encode() if not path else _literal(path, _nested(depth))
            )
    return files


def payload_deck() -> bytes:
    """A SYNTHETIC deck file whose title, slide titles and notes are the payloads (as many as fit)."""
    slides = [
        {"title": p[: decks.MAX_TITLE], "note": p, "page": "atlas", "view": {}}
        for p in payloads()[: decks.MAX_SLIDES]
    ]
    document = {**_document(), "title": payloads()[0], "slides": slides}
    return json.dumps(document).encode()
