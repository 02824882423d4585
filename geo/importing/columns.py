"""Which column of a visitor's file plays which role: guessed from the headers (and a code column's values).

A guess is a starting point the user corrects: :data:`Roles` is a plain
``{role: column}`` dict, and the check reads only what it names. Headers are
compared folded (:func:`geo.colonias.search_key`: no case, accents or
punctuation), in Spanish and English, the most specific role first, so
"nombre de la colonia" is the colonia's name and not the site's. A column with
a generic code header ("cvegeo", "clave") is given the role its values fit:
AGEB keys, colonia keys or borough codes.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Literal

import pandas as pd

from geo.colonias import search_key
from geo.importing.values import ageb_code, borough_code, cell_text, colonia_code, parse_number

Kind = Literal["sites", "boundaries", "indicators"]
KINDS: tuple[Kind, ...] = ("sites", "boundaries", "indicators")
# role → column; the user may change any entry before the check.
Roles = dict[str, str]

# Roles that place a row: coordinates first, then area keys from the finest unit to the coarsest.
LOCATION_ROLES = ("lat", "lon", "ageb", "colonia_key", "colonia_name", "borough")
ATTRIBUTE_ROLES = ("name", "programme", "year", "date", "status", "amount", "source")
ROLES: dict[Kind, tuple[str, ...]] = {
    "sites": (*ATTRIBUTE_ROLES, *LOCATION_ROLES),
    "boundaries": ("key", "name", "value"),
    "indicators": ("ageb", "colonia_key", "colonia_name", "borough", "value", "year"),
}
# Folded header words per role, in the order they are tried (most specific roles first).
HEADERS: dict[str, tuple[str, ...]] = {
    "ageb": ("ageb", "cve ageb", "clave ageb", "cvegeo ageb"),
    "colonia_key": ("cveut", "cve ut", "clave ut", "cve col", "cve colonia", "clave colonia", "id colonia"),
    "colonia_name": (
        "colonia",
        "nombre colonia",
        "nom col",
        "nomut",
        "nom ut",
        "neighbourhood",
        "neighborhood",
    ),
    "borough": ("alcaldia", "borough", "municipio", "delegacion", "cve mun", "nom mun", "nomgeo", "mun"),
    "lat": ("lat", "latitud", "latitude", "y", "coord y", "coordenada y"),
    "lon": ("lon", "long", "longitud", "longitude", "lng", "x", "coord x", "coordenada x"),
    "year": ("ano", "anio", "year", "ejercicio"),
    "date": ("fecha", "date"),
    "status": ("estatus", "status", "estado", "situacion", "etapa"),
    "amount": ("monto", "importe", "amount", "presupuesto", "costo", "inversion", "budget", "cost"),
    "source": ("fuente", "source", "referencia", "url", "enlace", "liga"),
    "programme": ("programa", "programme", "program"),
    "name": ("nombre", "name", "nombre proyecto", "proyecto", "sitio", "site", "titulo", "title", "nom"),
    "key": ("cvegeo", "cveut", "clave", "cve", "key", "id", "codigo", "code", "folio"),
    "value": ("valor", "value", "indicador", "indicator", "total", "porcentaje", "percent", "tasa", "rate"),
}
# Headers that say "a code" without saying of what: the values decide.
CODE_HEADERS = ("cvegeo", "clave", "cve", "codigo", "code", "key", "id", "clave geo")
# Share of a column's non-empty cells that must fit for a value-based guess.
FIT_SHARE = 0.8
_WIDE_YEAR = re.compile(r"(?:[a-z]+ )?((?:19|20)\d{2})")


def header_words(column: object) -> str:
    """A header folded to words: "LATITUD_WGS84" → "latitud wgs84", "Año" → "ano"."""
    return search_key(str(column))


def _score(words: str, synonym: str) -> int:
    """2 when the header is the synonym, 1 when it contains it as whole words (synonyms of 3+ letters)."""
    if words == synonym:
        return 2
    return int(len(synonym) >= 3 and f" {synonym} " in f" {words} ")


def _best(columns: Iterable[str], synonyms: tuple[str, ...], taken: set[str]) -> str | None:
    """The free column whose header fits the synonyms best (exact before contained, then file order)."""
    scored = [
        (max((_score(header_words(column), synonym) for synonym in synonyms), default=0), -order, column)
        for order, column in enumerate(columns)
        if column not in taken
    ]
    best = max(scored, default=(0, 0, None))
    return best[2] if best[0] else None


def _cells(series: pd.Series) -> list[str]:
    """The column's non-empty cells as text."""
    return [text for text in map(cell_text, series) if text is not None]


def _fits(series: pd.Series, test: Callable[[str], bool]) -> bool:
    """Whether most non-empty cells pass ``test`` (and there is at least one)."""
    cells = _cells(series)
    return bool(cells) and sum(map(test, cells)) >= FIT_SHARE * len(cells)


def code_role(series: pd.Series) -> str | None:
    """The unit a column of codes keys, from its values: "ageb", "colonia_key", "borough" or None."""
    if _fits(series, lambda text: len(ageb_code(text)) == 13 and ageb_code(text).startswith("09")):
        return "ageb"
    if _fits(series, lambda text: bool(re.fullmatch(r"\d{2}-\d{3}", colonia_code(text)))):
        return "colonia_key"
    if _fits(series, lambda text: bool(re.fullmatch(r"09\d{3}", borough_code(text)))):
        return "borough"
    return None


def is_numeric(series: pd.Series) -> bool:
    """Whether most non-empty cells of a column are numbers (amounts and indicator values)."""
    return _fits(series, lambda text: parse_number(text, grouped=True) is not None)


def year_columns(frame: pd.DataFrame) -> dict[str, int]:
    """Columns headed by a year ("2015", "año 2020", "pob_2010"): a wide indicator table, column → year."""
    found: dict[str, int] = {}
    for column in frame.columns:
        match = _WIDE_YEAR.fullmatch(header_words(column))
        if match:
            found[str(column)] = int(match.group(1))
    return found


def guess_roles(frame: pd.DataFrame, kind: Kind) -> Roles:
    """Guess which column plays each role of ``kind`` (:data:`ROLES`); roles with no fitting column are absent.

    Code columns go by their values first, then headers in :data:`HEADERS`
    order; each column plays one role at most. An indicator table with year
    columns (:func:`year_columns`) is wide: it gets no ``value`` role.
    """
    columns = [str(column) for column in frame.columns if column != "geometry"]
    wanted = ROLES[kind]
    roles: Roles = {}
    if kind != "boundaries":
        for column in columns:
            if _best([column], CODE_HEADERS + HEADERS["colonia_name"], set()) is None:
                continue
            role = code_role(frame[column])
            if role in wanted and role not in roles:
                roles[role] = column
    wide = kind == "indicators" and bool(year_columns(frame))
    for role in HEADERS:
        if role not in wanted or role in roles or (role == "value" and wide):
            continue
        synonyms = HEADERS[role]
        if kind == "boundaries" and role == "key":
            synonyms += HEADERS["ageb"] + HEADERS["colonia_key"]
        if kind == "boundaries" and role == "name":
            synonyms += HEADERS["colonia_name"] + HEADERS["borough"]
        column = _best(columns, synonyms, set(roles.values()))
        if column is not None:
            roles[role] = column
    if "value" in wanted and "value" not in roles and not wide:
        free = [column for column in columns if column not in roles.values() and is_numeric(frame[column])]
        if free:
            roles["value"] = free[0]
    return {role: roles[role] for role in wanted if role in roles}
