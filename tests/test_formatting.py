"""Numbers as readers of each language expect them (babel): percent, count, missing."""

from __future__ import annotations

import numpy as np
import pytest

from geo.formatting import format_count, format_day, format_value, format_values, plural_form
from geo.i18n import LANGUAGES

NNBSP = "\u202f"  # narrow no-break space: the French thousands separator in CLDR


@pytest.mark.parametrize(
    ("lang", "expected"),
    [("es", "43.9 %"), ("en", "43.9%"), ("fr", "43,9 %")],
)
def test_percent(lang: str, expected: str) -> None:
    assert format_value(43.89, "percent", lang) == expected


@pytest.mark.parametrize(
    ("lang", "expected"),
    [("es", "0.6 %"), ("en", "0.6%"), ("fr", "0,6 %")],
)
def test_small_percent_keeps_its_leading_zero(lang: str, expected: str) -> None:
    assert format_value(0.57, "percent", lang) == expected


@pytest.mark.parametrize(
    ("lang", "expected"),
    [("es", "100.0 %"), ("en", "100.0%"), ("fr", "100,0 %")],
)
def test_percent_keeps_one_decimal(lang: str, expected: str) -> None:
    assert format_value(100, "percent", lang) == expected


@pytest.mark.parametrize(
    ("lang", "expected"),
    [("es", "1,835,486"), ("en", "1,835,486"), ("fr", f"1{NNBSP}835{NNBSP}486")],
)
def test_count(lang: str, expected: str) -> None:
    assert format_value(1_835_486, "count", lang) == expected
    assert format_count(1_835_486.0, lang) == expected


@pytest.mark.parametrize("lang", LANGUAGES)
def test_zero_is_zero_not_missing(lang: str) -> None:
    assert format_count(0, lang) == "0"
    assert format_value(0.0, "percent", lang).startswith("0")


@pytest.mark.parametrize(
    ("lang", "expected"),
    [("es", "sin dato"), ("en", "no data"), ("fr", "pas de donnée")],
)
@pytest.mark.parametrize("missing", [None, float("nan"), np.nan, np.float64("nan")])
@pytest.mark.parametrize("fmt", ["percent", "count", "density", "index", "years"])
def test_missing_value(lang: str, expected: str, missing: float | None, fmt: str) -> None:
    assert format_value(missing, fmt, lang) == expected


@pytest.mark.parametrize(
    ("fmt", "value", "expected"),
    [
        ("density", 16_220.27, {"es": "16,220 /km²", "en": "16,220 /km²", "fr": f"16{NNBSP}220 /km²"}),
        ("index", 59.545, {"es": "59.545", "en": "59.545", "fr": "59,545"}),
        ("years", 31.0, {"es": "31", "en": "31", "fr": "31"}),
        ("years", 1234.5, {"es": "1,234.5", "en": "1,234.5", "fr": f"1{NNBSP}234,5"}),
    ],
)
def test_other_formats(fmt: str, value: float, expected: dict[str, str]) -> None:
    assert {lang: format_value(value, fmt, lang) for lang in LANGUAGES} == expected


def test_numpy_numbers_format_like_python_numbers() -> None:
    assert format_value(np.float64(43.89), "percent", "en") == "43.9%"
    assert format_count(np.int64(35), "fr") == "35"


def test_unknown_language_falls_back_to_english_throughout() -> None:
    assert format_value(43.89, "percent", "de") == "43.9%"
    assert format_count(1_835_486, "de") == "1,835,486"
    assert format_value(None, "percent", "de") == "no data"


def test_unknown_format_keeps_up_to_two_decimals() -> None:
    assert format_value(-1.256, "ratio", "en") == "-1.26"
    assert format_value(-1.256, "ratio", "fr") == "-1,26"


@pytest.mark.parametrize(
    ("iso", "lang", "expected"),
    [
        ("2020-07-22", "fr", "22 juil. 2020"),
        ("2020-07-22", "en", "Jul 22, 2020"),
        ("2020-07-22", "es", "22 jul 2020"),
        ("2021-07", "fr", "juil. 2021"),
        ("2024", "es", "2024"),
        ("", "en", ""),
        ("2021-13-01", "en", ""),
        ("soon", "fr", ""),
    ],
)
def test_dates_keep_their_precision_and_follow_the_language(iso: str, lang: str, expected: str) -> None:
    assert format_day(iso, lang) == expected


def test_plural_forms() -> None:
    assert [plural_form(n, "fr") for n in (0, 1, 2)] == ["one", "one", "other"]
    assert [plural_form(n, "es") for n in (0, 1, 2, 1_000_000)] == ["other", "one", "other", "other"]
    assert [plural_form(n, "en") for n in (0, 1, 2)] == ["other", "one", "other"]


@pytest.mark.parametrize("lang", ["es", "en", "fr", "de"])
@pytest.mark.parametrize("fmt", ["number", "count", "density", "years", "percent", "index"])
def test_many_values_are_formatted_as_one_at_a_time(fmt: str, lang: str) -> None:
    values = [0.0, -0.0, 7.0, -1234.0, 999.0, 1000.0, 1234567.0, 5_000_000.0, 2.0**60, 1234.5, -0.004, 12.345]
    assert format_values(values, fmt, lang) == [format_value(value, fmt, lang) for value in values]
