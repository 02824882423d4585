"""The Atlas in Spanish, English and French: one catalogue, one lookup.

Every string a visitor reads goes through :func:`t`. The catalogue is a folder
of TOML files (``geo/locales/<area>.toml``), one per area of the interface, so
a translator edits one small file and ``<area>.<key>`` names each string:

.. code-block:: toml

    # geo/locales/map.toml
    title = { es = "UTOPÍAS y necesidad", en = "UTOPÍAS and need", fr = "UTOPÍAS et besoins" }

Placeholders use ``str.format`` names (``{n}``) and must be the same in all
three languages. Numbers and dates are formatted before they are passed in
(see :mod:`geo.formatting`), place names are never translated.
"""

from __future__ import annotations

import string
import tomllib
from collections.abc import Callable, Mapping
from functools import lru_cache
from pathlib import Path

LANGUAGES = ("es", "en", "fr")
DEFAULT_LANGUAGE = "es"
LANGUAGE_NAMES = {"es": "Español", "en": "English", "fr": "Français"}
CATALOGUE_DIR = Path(__file__).with_name("locales")


class CatalogueError(ValueError):
    """A catalogue file is malformed: a key lacks a language or its placeholders differ."""


def _flatten(prefix: str, table: Mapping[str, object], out: dict[str, dict[str, str]]) -> None:
    """Turn nested TOML tables into dotted keys; a table of language codes is one entry."""
    for name, value in table.items():
        key = f"{prefix}.{name}"
        if not isinstance(value, Mapping):
            raise CatalogueError(f"{key}: expected a table of translations, got {type(value).__name__}")
        if set(value) & set(LANGUAGES) or not value:
            out[key] = dict(value)  # type: ignore[arg-type]
        else:
            _flatten(key, value, out)


def placeholders(text: str) -> set[str]:
    """Return the ``{name}`` fields of a catalogue string."""
    return {field for _, field, _, _ in string.Formatter().parse(text) if field}


def load_catalogue(directory: Path = CATALOGUE_DIR) -> dict[str, dict[str, str]]:
    """Read every ``*.toml`` file of ``directory`` into ``{"area.key": {"es": …, "en": …, "fr": …}}``.

    Raises :class:`CatalogueError` on the first problem, so a broken catalogue
    stops the tests rather than showing a visitor a key name.
    """
    catalogue: dict[str, dict[str, str]] = {}
    for path in sorted(directory.glob("*.toml")):
        with path.open("rb") as handle:
            _flatten(path.stem, tomllib.load(handle), catalogue)
    return catalogue


def problems(catalogue: Mapping[str, Mapping[str, str]]) -> list[str]:
    """List every key that lacks a language, has an empty text or mismatched placeholders."""
    found: list[str] = []
    for key, texts in catalogue.items():
        missing = [lang for lang in LANGUAGES if not str(texts.get(lang, "")).strip()]
        if missing:
            found.append(f"{key}: no translation in {', '.join(missing)}")
            continue
        extra = sorted(set(texts) - set(LANGUAGES))
        if extra:
            found.append(f"{key}: unknown language {', '.join(extra)}")
        fields = {lang: placeholders(texts[lang]) for lang in LANGUAGES}
        if len({frozenset(f) for f in fields.values()}) > 1:
            found.append(f"{key}: placeholders differ between languages {fields}")
    return found


@lru_cache(maxsize=1)
def catalogue() -> dict[str, dict[str, str]]:
    """Return the shipped catalogue, read once per process."""
    return load_catalogue()


def t(key: str, lang: str, /, **values: object) -> str:
    """Return the text of ``key`` in ``lang``, with ``values`` filled in.

    An unknown key raises ``KeyError``: a string missing from the catalogue is
    a bug the tests must see, not something to paper over with English.
    """
    text = catalogue()[key][lang if lang in LANGUAGES else DEFAULT_LANGUAGE]
    return text.format(**values) if values else text


def translator(lang: str) -> Callable[..., str]:
    """Return ``t`` bound to ``lang``, for code that renders many strings."""

    def bound(key: str, /, **values: object) -> str:
        return t(key, lang, **values)

    return bound


def language_of(locale: str | None) -> str:
    """Map a browser locale (``"fr-CA"``, ``"en_US"``) to an Atlas language; others get Spanish."""
    code = (locale or "").replace("_", "-").split("-")[0].lower()
    return code if code in LANGUAGES else DEFAULT_LANGUAGE
