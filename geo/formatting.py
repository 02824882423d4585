"""Numbers as people read them, per locale (babel).

Percent indicators arrive as percentages (43.89 means 43.89 %), counts as
persons; each format has one rendering so legends, tooltips and panels agree.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from datetime import date
from functools import cache

from babel import Locale
from babel.dates import format_date, format_skeleton
from babel.lists import format_list
from babel.numbers import format_decimal, get_group_symbol, get_minus_sign_symbol

from geo.i18n import t

LOCALES = {"es": "es_MX", "en": "en_US", "fr": "fr_FR"}
_PATTERNS = {
    "percent": ("#,##0.0", " %"),
    "count": ("#,##0", ""),
    "density": ("#,##0", " /km²"),
    "index": ("#,##0.000", ""),
    "years": ("#,##0.#", ""),
}


def locale_of(lang: str) -> str:
    """Return babel's locale for an Atlas language; English's for any other."""
    return LOCALES.get(lang, LOCALES["en"])


@cache
def _babel_locale(lang: str) -> Locale:
    """Babel's parsed locale for an Atlas language, parsed once: a map formats thousands of values."""
    return Locale.parse(locale_of(lang))


def join_list(items: Sequence[str], lang: str = "en") -> str:
    """Join ``items`` the way ``lang`` writes a list ("a, b and c", "a, b y c", "a, b et c")."""
    return format_list(list(items), locale=locale_of(lang)) if items else ""


def format_value(value: float | None, fmt: str, lang: str = "en") -> str:
    """Format one indicator value; a missing value reads as missing (``labels.missing``), not zero."""
    lang = lang if lang in LOCALES else "en"
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return t("labels.missing", lang)
    pattern, suffix = _pattern(fmt, lang)
    return format_decimal(value, format=pattern, locale=_babel_locale(lang)) + suffix


def _pattern(fmt: str, lang: str) -> tuple[str, str]:
    """Babel's number pattern of a format and the suffix written after it in ``lang``."""
    pattern, suffix = _PATTERNS.get(fmt, ("#,##0.##", ""))
    return pattern, "%" if fmt == "percent" and lang == "en" else suffix


def format_values(values: Iterable[float], fmt: str, lang: str = "en") -> list[str]:
    """Many values formatted as :func:`format_value` does each, faster: a user's layer has thousands.

    Babel reads the pattern again for every value (about 20 µs each, most of
    a 10,000-site layer's popups), so whole numbers under a pattern whose
    decimals are optional are written here with the locale's own group and
    minus symbols (the same text, tested); the rest go through Babel.
    """
    lang = lang if lang in LOCALES else "en"
    pattern, suffix = _pattern(fmt, lang)
    if pattern.partition(".")[2].strip("#"):
        return [format_value(value, fmt, lang) for value in values]
    locale = _babel_locale(lang)
    group, minus = get_group_symbol(locale), get_minus_sign_symbol(locale)

    def one(value: float) -> str:
        if value and float(value).is_integer() and abs(value) < 2**53:
            digits = f"{abs(int(value)):,}".replace(",", group)
            return (minus if value < 0 else "") + digits + suffix
        return format_value(value, fmt, lang)

    return [one(value) for value in values]


def format_count(value: float, lang: str = "en") -> str:
    """Format a whole number of things (people, sites)."""
    return format_value(value, "count", lang)


def format_distances(metres: Sequence[float], lang: str = "en") -> str:
    """Distances in metres as a list, shortest first ("800 m and 1,500 m")."""
    return join_list([f"{format_count(d, lang)} m" for d in sorted(metres)], lang)


def printf_format(fmt: str, lang: str = "en", unit: str = "") -> str:
    """Return a printf format that shows a number like :func:`format_value` does, for a table column.

    Streamlit's ``NumberColumn`` formats numbers in the browser with printf
    formats, so a table can keep its numbers as numbers (and sort them as
    numbers) yet show them in ``lang``'s way: thousands grouped with the
    locale's separator, the format's decimals and suffix, then `` unit``.
    One difference remains: the decimal mark is always ".", which printf has
    no way to change (French writes 43,9 %; the column shows 43.9 %).
    """
    lang = lang if lang in LOCALES else "en"
    pattern, suffix = _pattern(fmt, lang)
    group = get_group_symbol(locale_of(lang))
    grouping = "," if group == "," else f"'{group},"
    decimals = len(pattern.partition(".")[2])
    tail = suffix + (f" {unit}" if unit else "")
    return f"%{grouping}.{decimals}f" + tail.replace("%", "%%")


def plural_form(n: int, lang: str) -> str:
    """Return the catalogue's plural key for ``n`` things in ``lang``: "one" or "other".

    CLDR's rule: French says "0 site" and "1 site", Spanish and English "1 site" only.
    """
    return "one" if Locale.parse(locale_of(lang)).plural_form(n) == "one" else "other"


def format_day(iso: str, lang: str = "en") -> str:
    """Format an ISO date as people read it in ``lang``, keeping its precision.

    "2020-07-22" reads "22 juil. 2020" in French, "2021-07" "juil. 2021", "2024"
    stays "2024"; an empty or malformed value gives "" (shown as unknown by the caller).
    """
    locale = locale_of(lang)
    parts = (iso or "").strip().split("-")
    try:
        numbers = [int(part) for part in parts]
        if len(numbers) == 3:
            return format_date(date(*numbers), format="medium", locale=locale)
        if len(numbers) == 2:
            return format_skeleton("yMMM", date(numbers[0], numbers[1], 1), locale=locale)
        if len(numbers) == 1 and 1000 <= numbers[0] <= 9999:
            return str(numbers[0])
    except ValueError:
        return ""
    return ""
