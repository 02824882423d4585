"""Numbers as people read them, per locale (babel).

Percent indicators arrive as percentages (43.89 means 43.89 %), counts as
persons; each format has one rendering so legends, tooltips and panels agree.
"""

from __future__ import annotations

import math

from babel.numbers import format_decimal

LOCALES = {"es": "es_MX", "en": "en_US", "fr": "fr_FR"}
MISSING = {"es": "sin dato", "en": "no data", "fr": "pas de donnée"}
_PATTERNS = {
    "percent": ("#,##0.0", " %"),
    "count": ("#,##0", ""),
    "density": ("#,##0", " /km²"),
    "index": ("#,##0.000", ""),
    "years": ("#,##0.#", ""),
}


def format_value(value: float | None, fmt: str, lang: str = "en") -> str:
    """Format one indicator value; a missing value reads as missing, not zero."""
    lang = lang if lang in LOCALES else "en"
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return MISSING[lang]
    pattern, suffix = _PATTERNS.get(fmt, ("#,##0.##", ""))
    locale = LOCALES[lang]
    number = format_decimal(value, format=pattern, locale=locale)
    if fmt == "percent" and lang == "en":
        suffix = "%"
    return number + suffix


def format_count(value: float, lang: str = "en") -> str:
    """Format a whole number of things (people, sites)."""
    return format_value(value, "count", lang)
