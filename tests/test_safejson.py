"""JSON read within bounds: every refusal is a :class:`Refused` naming the bound, never a crash."""

from __future__ import annotations

import codecs
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from geo.safejson import Limits, Refused, depth, loads

LIMITS = Limits(max_bytes=300_000, max_depth=8, max_number=20)


def refusal(raw: bytes | str) -> tuple[str, dict]:
    with pytest.raises(Refused) as caught:
        loads(raw, LIMITS)
    return caught.value.reason, caught.value.details


@pytest.mark.parametrize("levels", [9, 1000, 20_000, 40_000])
def test_deep_nesting_is_refused_before_parsing(levels: int) -> None:
    """Nested 20,000 deep, json.loads raised RecursionError: the page showed a traceback."""
    assert refusal("[" * levels + "]" * levels) == ("too_deep", {"n": 8})
    assert refusal('{"a": ' * levels + "1" + "}" * levels)[0] == "too_deep"


def test_nesting_up_to_the_limit_is_read() -> None:
    assert loads("[" * 8 + "]" * 8, LIMITS) == [[[[[[[[]]]]]]]]


def test_brackets_inside_strings_do_not_count() -> None:
    text = json.dumps({"title": "[[[[{{{{ \\" + '" ]]]' + "[" * 50})
    assert depth(text) == 1
    assert loads(text, LIMITS)["title"].endswith("[" * 50)


@pytest.mark.parametrize("number", ["1" * 21, "1" * 4301, "-" + "9" * 30, "1." + "0" * 30, "1e" + "0" * 30])
def test_long_numbers_are_refused(number: str) -> None:
    """A 4,301-digit integer made json.loads raise ValueError: the page showed a traceback."""
    assert refusal(f'{{"version": {number}}}') == ("long_number", {"n": 20})


@pytest.mark.parametrize("literal", ["NaN", "Infinity", "-Infinity", "1e999", "-1e400"])
def test_numbers_json_does_not_have_are_refused(literal: str) -> None:
    assert refusal(f"[{literal}]") == ("not_a_number", {"value": literal})


@pytest.mark.parametrize(
    "raw",
    [
        "[1]".encode("utf-16"),
        "[1]".encode("utf-16-le"),
        "[1]".encode("utf-32"),
        b"\xff\xfe\xfd",
        '["Año"]'.encode("latin-1"),
        '["\\ud800"]',
        '["\\udfff x"]',
        "[\ud800]",
    ],
)
def test_text_that_is_not_utf8_is_refused(raw: bytes | str) -> None:
    assert refusal(raw) == ("not_utf8", {})


def test_a_utf8_byte_order_mark_is_allowed() -> None:
    assert loads(codecs.BOM_UTF8 + b'{"a": "\xc3\xb1"}', LIMITS) == {"a": "ñ"}
    assert loads("\ufeff[1]", LIMITS) == [1]


def test_size_is_checked_first() -> None:
    assert refusal(b" " * 300_001 + b"[") == ("too_big", {"kb": 300})


@pytest.mark.parametrize("raw", ["", "{", "[1,]", "'a'", '{"a" 1}', '"\\'])
def test_broken_json_says_where(raw: str) -> None:
    reason, details = refusal(raw)
    assert reason == "not_json"
    assert "line 1" in details["detail"]


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=200) | st.text(max_size=200).map(str.encode))
def test_any_bytes_give_json_or_a_refusal(raw: bytes) -> None:
    try:
        loads(raw, LIMITS)
        reason = "read"
    except Refused as exc:
        reason = exc.reason
    assert reason in {"read", "too_big", "not_utf8", "too_deep", "long_number", "not_a_number", "not_json"}


@settings(max_examples=200, deadline=None)
@given(
    st.recursive(
        st.none() | st.booleans() | st.integers(-999, 999) | st.text(),
        lambda c: st.lists(c) | st.dictionaries(st.text(), c),
        max_leaves=20,
    )
)
def test_small_json_reads_back_as_json_loads_reads_it(document: object) -> None:
    text = json.dumps(document)
    if depth(text) <= LIMITS.max_depth:
        assert loads(text, LIMITS) == json.loads(text)
