"""One cell of a visitor's file read as what it should hold: text, a number, a year, a date, a status, a code.

Each reader returns the value and what it had to assume, so the check can
report it; none of them guesses past what the text says. Cells come as text
(tables) or as whatever a spatial file typed them (an integer key 9007 that
lost its leading zero, a float 9007.0 from a spreadsheet).
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass
from functools import lru_cache

import pandas as pd

from geo.i18n import LANGUAGES, t
from geo.names import normalise_name
from geo.vocabulary import PCMB, PROGRAMMES, STATUSES, UTOPIAS

# The years an imported site or project may carry: the first UTOPÍAS and PCMB lists, then today.
FIRST_YEAR = 2007
# What a status cell says, folded (geo.names.normalise_name), beyond the Atlas's own labels in es/en/fr.
STATUS_WORDS: dict[str, tuple[str, ...]] = {
    "open": (
        *("abierta", "abierto", "operando", "en operacion", "en funcionamiento", "inaugurada", "inaugurado"),
        *("opened", "operating", "in operation", "activa", "activo"),
    ),
    "under_construction": (
        "en construccion",
        "construccion",
        "en obra",
        "obra",
        "in construction",
        "building",
    ),
    "announced": (
        *("anunciada", "anunciado", "proyectada", "proyectado", "en proyecto", "planeada", "planeado"),
        *("planned", "proposed", "propuesta"),
    ),
}
OTHER_STATUS = "other"
# What a programme cell says, folded, beyond the Atlas's own labels in es/en/fr: the programmes' full
# and former names (the PCMB has been "Programa Comunitario de Mejoramiento Barrial", then "... Barrial
# y Comunitario", then "Mejoramiento Barrial para el Bienestar") and their short forms.
PROGRAMME_WORDS: dict[str, tuple[str, ...]] = {
    UTOPIAS: (
        "utopia",
        "utopias",
        "unidades de transformacion y organizacion para la inclusion y la armonia social",
    ),
    PCMB: (
        *(
            "mejoramiento barrial",
            "programa comunitario de mejoramiento barrial",
            "mejoramiento barrial y comunitario",
        ),
        *("programa de mejoramiento barrial y comunitario", "mejoramiento barrial para el bienestar"),
        *("neighbourhood improvement", "neighborhood improvement", "amelioration des quartiers"),
    ),
}
OTHER_PROGRAMME = "other"

_BLANKS = re.compile(r"[\s\u00a0\u2009\u202f]+")
_PLAIN_NUMBER = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?", re.IGNORECASE)
_GROUPED_COMMAS = re.compile(r"[+-]?\d{1,3}(?:,\d{3})+(?:\.\d+)?")
_GROUPED_DOTS = re.compile(r"[+-]?\d{1,3}(?:\.\d{3}){2,}(?:,\d+)?")
_CURRENCY = re.compile(r"^mxn|(?:mxn|pesos)$", re.IGNORECASE)
_YEAR = re.compile(r"(\d{4})(?:\.0+)?")
_ISO_DATE = re.compile(r"(\d{4})[-/](\d{1,2})[-/](\d{1,2})(?:[ T][\d:.]+)?")
_ISO_MONTH = re.compile(r"(\d{4})-(\d{1,2})")
_DAY_FIRST = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})")
_INTEGRAL = re.compile(r"(\d+)\.0+")
_COLONIA_KEY = re.compile(r"(\d{1,2})-(\d{1,3})")


@dataclass(frozen=True)
class Number:
    """A number read from a cell; ``decimal_comma`` says a comma was read as the decimal point."""

    value: float
    decimal_comma: bool = False


def cell_text(value: object) -> str | None:
    """The cell as text, None when empty; integral floats lose their ``.0`` (9007.0 → "9007")."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float):
        if not math.isfinite(value):
            return None
        return str(int(value)) if value.is_integer() else repr(value)
    text = str(value)
    return text if text.strip() else None


def parse_number(text: str, *, grouped: bool) -> Number | None:
    """Read a number written the way people write them; None when the text is not one number.

    A comma is a decimal point ("19,35" → 19.35) unless ``grouped`` (amounts)
    and it separates thousands the Mexican way ("1,500" → 1500, "1,234.50").
    With both separators, the last one is the decimal point ("1.234,50").
    Coordinates are never grouped, so their single comma is always decimal.
    """
    plain = _BLANKS.sub("", text).replace("\u2212", "-")
    if grouped:
        plain = _CURRENCY.sub("", plain.replace("$", ""))
    comma = False
    if "," in plain and "." in plain:
        comma = plain.rfind(",") > plain.rfind(".")
        plain = plain.replace(".", "").replace(",", ".") if comma else plain.replace(",", "")
    elif "," in plain:
        if grouped and _GROUPED_COMMAS.fullmatch(plain):
            plain = plain.replace(",", "")
        else:
            comma = True
            plain = plain.replace(",", ".")
    elif grouped and _GROUPED_DOTS.fullmatch(plain):
        plain = plain.replace(".", "")
    if not _PLAIN_NUMBER.fullmatch(plain):
        return None
    value = float(plain)
    return Number(value, comma) if math.isfinite(value) else None


def parse_date(text: str) -> tuple[str, bool] | None:
    """The date as ISO text ("2021-07-15", "2021-07" or "2021") and whether it was written otherwise.

    Day-first numeric dates ("15/07/2021", the Mexican order) are read day
    first; a date that does not exist (31/02/2021) is None.
    """
    plain = text.strip()
    try:
        if match := _ISO_DATE.fullmatch(plain):
            year, month, day = (int(part) for part in match.groups())
            return dt.date(year, month, day).isoformat(), "/" in plain
        if match := _DAY_FIRST.fullmatch(plain):
            day, month, year = (int(part) for part in match.groups())
            return dt.date(year, month, day).isoformat(), True
    except ValueError:
        return None
    if (match := _ISO_MONTH.fullmatch(plain)) and 1 <= int(match.group(2)) <= 12:
        return f"{match.group(1)}-{int(match.group(2)):02d}", False
    if match := _YEAR.fullmatch(plain):
        return match.group(1), False
    return None


def parse_year(text: str) -> int | None:
    """The year a cell gives: a year ("2020", "2020.0") or the year of a date; None otherwise."""
    read = parse_date(text)
    return int(read[0][:4]) if read else None


def year_range() -> tuple[int, int]:
    """The plausible years of an imported row: :data:`FIRST_YEAR` to this year."""
    return FIRST_YEAR, dt.date.today().year


@lru_cache(maxsize=2)
def _word_index(kind: str) -> dict[str, str]:
    """Folded words → the Atlas's status or programme (``kind``): its labels in every language, then common words."""
    ids, words = {"status": (STATUSES, STATUS_WORDS), "programme": (PROGRAMMES, PROGRAMME_WORDS)}[kind]
    index = {normalise_name(t(f"labels.{kind}.{each}", lang)): each for each in ids for lang in LANGUAGES}
    index.update({normalise_name(each.replace("_", " ")): each for each in ids})
    index.update({word: each for each, said in words.items() for word in said})
    return index


def _folded(text: str) -> str:
    return normalise_name(text).strip(" .-_")


def parse_status(text: str) -> str:
    """The Atlas's status (:data:`geo.vocabulary.STATUSES`) a cell names, or :data:`OTHER_STATUS`."""
    return _word_index("status").get(_folded(text), OTHER_STATUS)


def parse_programme(text: str) -> str:
    """The Atlas's programme (:data:`geo.vocabulary.PROGRAMMES`) a cell names, or :data:`OTHER_PROGRAMME`.

    By the programme's name in any of the Atlas's languages or a known alias,
    whatever the accents and case ("Utopías", "MEJORAMIENTO BARRIAL").
    """
    return _word_index("programme").get(_folded(text), OTHER_PROGRAMME)


def borough_code(text: str) -> str:
    """A borough code as INEGI writes it: "9007", "9007.0", "7" or "007" → "09007"; other text unchanged."""
    plain = _integral(text)
    if plain.isdigit() and len(plain) == 4 and plain.startswith("9"):
        return f"0{plain}"
    if plain.isdigit() and len(plain) <= 3 and 2 <= int(plain) <= 17:
        return f"09{int(plain):03d}"
    return plain


def ageb_code(text: str) -> str:
    """An AGEB key of 13 characters: one of 12 that lost its leading zero gets it back."""
    plain = _integral(text).upper()
    return f"0{plain}" if len(plain) == 12 and plain.startswith("9") else plain


def colonia_code(text: str) -> str:
    """An IECM colonia key ``NN-NNN``: "7-291" → "07-291"; other text unchanged."""
    plain = text.strip()
    match = _COLONIA_KEY.fullmatch(plain)
    return f"{int(match.group(1)):02d}-{int(match.group(2)):03d}" if match else plain


def _integral(text: str) -> str:
    """A code cell without spaces and without a spreadsheet's ``.0``."""
    plain = text.strip()
    match = _INTEGRAL.fullmatch(plain)
    return match.group(1) if match else plain
