"""JSON from strangers, read within bounds: size, encoding, nesting depth, numbers.

Python's :func:`json.loads` recurses once per nesting level (a document nested
20,000 deep raises ``RecursionError``), converts integers of any length (past
4,300 digits it raises ``ValueError``) and accepts ``NaN`` and ``Infinity``,
which JSON does not. A file or link a visitor hands the Atlas is small and
shallow, so :func:`loads` checks the size, the encoding and the depth before
parsing and every number while parsing, and refuses anything else with a
:class:`Refused` that names the bound; it never raises anything else.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from itertools import accumulate
from typing import Any

# A string (escapes included), or one left open at the end of a broken document. Possessive and
# anchored at the opening quote, so the scan is linear whatever the text.
_STRING = re.compile(r'"(?:[^"\\]|\\.?)*+"?', re.DOTALL)
_NOT_A_BRACKET = re.compile(r"[^\[\]{}]+")
BOM = "\ufeff"


@dataclass(frozen=True)
class Limits:
    """How much JSON a caller accepts."""

    max_bytes: int
    max_depth: int
    max_number: int  # characters in one number, sign and exponent included


class Refused(ValueError):
    """The text is not JSON within the limits; ``reason`` names which bound, ``details`` fill its message."""

    def __init__(self, reason: str, **details: object) -> None:
        super().__init__(reason)
        self.reason = reason
        self.details = details


def depth(text: str) -> int:
    """The deepest nesting of arrays and objects in ``text``, brackets inside strings aside."""
    brackets = _NOT_A_BRACKET.sub("", _STRING.sub("", text))
    return max(accumulate(1 if b in "[{" else -1 for b in brackets), default=0)


def _number(limits: Limits, convert: Callable[[str], float]) -> Callable[[str], float]:
    """A parser for one kind of JSON number that refuses long and non-finite ones."""

    def parse(literal: str) -> float:
        if len(literal) > limits.max_number:
            raise Refused("long_number", n=limits.max_number)
        value = convert(literal)
        if not math.isfinite(value):
            raise Refused("not_a_number", value=literal)
        return value

    return parse


def _constant(literal: str) -> None:
    """NaN, Infinity and -Infinity: Python's extensions, not JSON."""
    raise Refused("not_a_number", value=literal)


def loads(raw: bytes | str, limits: Limits) -> Any:
    """Parse UTF-8 JSON text (a byte order mark allowed) within ``limits``, or raise :class:`Refused`.

    Reasons: ``too_big`` (``kb``), ``not_utf8``, ``too_deep`` (``n``),
    ``long_number`` (``n``), ``not_a_number`` (``value``: NaN, Infinity or a
    number too large for a float), ``not_json`` (``detail``: the parser's).
    """
    if len(raw) > limits.max_bytes:
        raise Refused("too_big", kb=limits.max_bytes // 1000)
    try:
        text = raw.decode("utf-8") if isinstance(raw, bytes) else raw
        # A lone surrogate (from a str, or later from a \ud800 escape) cannot be sent to a browser.
        text.encode("utf-8")
    except UnicodeError as exc:
        raise Refused("not_utf8") from exc
    text = text.removeprefix(BOM)
    if "\x00" in text:  # UTF-16 or UTF-32 without a byte order mark reads as UTF-8 with NULs
        raise Refused("not_utf8")
    if depth(text) > limits.max_depth:
        raise Refused("too_deep", n=limits.max_depth)
    try:
        document = json.loads(
            text,
            parse_int=_number(limits, int),
            parse_float=_number(limits, float),
            parse_constant=_constant,
        )
        json.dumps(document, ensure_ascii=False).encode("utf-8")
    except json.JSONDecodeError as exc:
        raise Refused("not_json", detail=str(exc)) from exc
    except UnicodeError as exc:
        raise Refused("not_utf8") from exc
    return document
