"""The Atlas view as URL query parameters, both ways.

A view (indicator, year, filters, class scheme, map centre and zoom, selected
borough, language, contrast) round-trips through the URL so a copied link
reproduces it. Parsing never fails: an unknown or malformed parameter falls
back to its default and yields a notice, in the view's language, that the page
shows. Defaults are left out of the URL, except the language: a link opens in
the language it was copied in, whatever the browser of whoever opens it.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace

from geo.i18n import DEFAULT_LANGUAGE, LANGUAGES, t
from geo.markup import markdown_code
from geo.vocabulary import AGEB_INDICATORS, ITEM_ID, LEVELS, MAX_PUBLISHED, NO_PUBLISHED, PROGRAMMES, STATUSES

SCHEMES = ("quantiles", "natural_breaks", "equal_interval")
PALETTES = ("ylorrd", "viridis", "cividis")
BASEMAPS = ("none", "osm")
CLASS_COUNTS = (3, 4, 5, 6, 7)
DEFAULT_INDICATOR = "poverty_pct"
DEFAULT_CENTER = (19.32, -99.15)
DEFAULT_ZOOM = 10
ZOOM_RANGE = (8, 18)
MAX_PARAM_LENGTH = 200


@dataclass(frozen=True)
class Options:
    """What the shipped data allows a view to choose from."""

    indicator_years: Mapping[str, list[int]]
    boroughs: tuple[str, ...]
    opened_years: tuple[int, int]
    default_basemap: str = "osm"
    default_language: str = DEFAULT_LANGUAGE
    colonias: frozenset[str] = frozenset()
    agebs: frozenset[str] = frozenset()


@dataclass(frozen=True)
class ViewState:
    """One view of the Atlas. Field names are the URL parameter names."""

    ind: str
    year: int
    prog: tuple[str, ...] = PROGRAMMES
    status: tuple[str, ...] = STATUSES
    opened: int = 0
    boro: tuple[str, ...] = ()
    sel: str = ""
    scheme: str = SCHEMES[0]
    k: int = 5
    palette: str = PALETTES[0]
    base: str = "osm"
    lat: float = DEFAULT_CENTER[0]
    lon: float = DEFAULT_CENTER[1]
    z: int = DEFAULT_ZOOM
    reach: bool = False
    cmp: str = ""
    lang: str = DEFAULT_LANGUAGE
    contrast: bool = False
    level: str = LEVELS[0]
    aind: str = AGEB_INDICATORS[0]
    col: str = ""
    ageb: str = ""
    #: The team's published layers drawn (their ids); () draws all of them, ("-",) none.
    pub: tuple[str, ...] = ()
    notices: tuple[str, ...] = field(default=(), compare=False)


def default_state(options: Options) -> ViewState:
    """Return the view a new visitor sees: poverty, latest year, everything shown."""
    indicator = (
        DEFAULT_INDICATOR if DEFAULT_INDICATOR in options.indicator_years else min(options.indicator_years)
    )
    return ViewState(
        ind=indicator,
        year=max(options.indicator_years[indicator]),
        opened=options.opened_years[1],
        base=options.default_basemap,
        lang=options.default_language,
    )


def _first(value: str | list[str]) -> str:
    if isinstance(value, list):
        return value[-1] if value else ""
    return value


def _choice(raw: str, allowed: tuple[str, ...] | list[str]) -> str | None:
    return raw if raw in allowed else None


def _published(raw: str) -> tuple[str, ...] | None:
    """Published layer ids, comma-separated (or ``-`` for none); whether they exist is the map's to say."""
    ids = tuple(dict.fromkeys(part for part in raw.split(",") if part))
    if ids == (NO_PUBLISHED,):
        return ids
    if not ids or len(ids) > MAX_PUBLISHED or not all(ITEM_ID.match(part) for part in ids):
        return None
    return ids


def _int_in(raw: str, low: int, high: int) -> int | None:
    try:
        number = int(raw)
    except ValueError:
        return None
    return number if low <= number <= high else None


def _float_in(raw: str, low: float, high: float) -> float | None:
    try:
        number = float(raw)
    except ValueError:
        return None
    return number if math.isfinite(number) and low <= number <= high else None


def _subset(raw: str, allowed: tuple[str, ...], *, empty_ok: bool) -> tuple[str, ...] | None:
    items = tuple(dict.fromkeys(part.strip() for part in raw.split(",") if part.strip()))
    if not items and not empty_ok:
        return None
    if any(item not in allowed for item in items):
        return None
    return tuple(item for item in allowed if item in items)


def parse_query(
    params: Mapping[str, str | list[str]], options: Options, *, other: frozenset[str] = frozenset()
) -> ViewState:
    """Build a view from URL parameters; bad ones fall back with a notice.

    Unknown parameter names are reported too, so a mistyped link is noticed;
    ``other`` names parameters that belong to another part of the app (the
    deck) and are neither parsed nor reported here.
    """
    state = default_state(options)
    notices: list[str] = []
    values: dict[str, object] = {}
    raw = {key: _first(value) for key, value in params.items() if key not in other}
    lang = raw.get("lang") if raw.get("lang") in LANGUAGES else state.lang

    def take(key: str, parsed: object, expected: str, **details: object) -> None:
        if parsed is None:
            notices.append(
                t(
                    "state.ignored",
                    lang,
                    param=markdown_code(key + "=" + raw[key][:40]),
                    expected=t(f"state.expected.{expected}", lang, **details),
                )
            )
        else:
            values[key] = parsed

    known = {f.name for f in fields(ViewState)} - {"notices"}
    for key in sorted(set(raw) - known):
        notices.append(t("state.unknown", lang, param=markdown_code(key[:40])))
    for key in sorted(set(raw) & known):
        if len(raw[key]) > MAX_PARAM_LENGTH:
            notices.append(t("state.too_long", lang, param=markdown_code(key)))
            del raw[key]

    if "ind" in raw:
        take("ind", _choice(raw["ind"], list(options.indicator_years)), "indicator")
    indicator = str(values.get("ind", state.ind))
    years = options.indicator_years[indicator]
    if "year" in raw:
        year = _int_in(raw["year"], 0, 9999)
        take(
            "year",
            year if year in years else None,
            "year",
            years=", ".join(map(str, years)),
        )
    if "year" not in values and indicator != state.ind:
        values["year"] = max(years)
    codes = f"{options.boroughs[0]}–{options.boroughs[-1]}" if options.boroughs else ""
    parsers: dict[str, tuple[object, str, dict[str, object]]] = {
        "prog": (lambda s: _subset(s, PROGRAMMES, empty_ok=True), "among", {"names": ", ".join(PROGRAMMES)}),
        "status": (lambda s: _subset(s, STATUSES, empty_ok=True), "among", {"names": ", ".join(STATUSES)}),
        "opened": (
            lambda s: _int_in(s, *options.opened_years),
            "year_range",
            {"low": options.opened_years[0], "high": options.opened_years[1]},
        ),
        "boro": (lambda s: _subset(s, options.boroughs, empty_ok=True), "boroughs", {"codes": codes}),
        "sel": (lambda s: _choice(s, options.boroughs), "borough", {"codes": codes}),
        "scheme": (lambda s: _choice(s, SCHEMES), "one_of", {"names": ", ".join(SCHEMES)}),
        "k": (
            lambda s: _int_in(s, CLASS_COUNTS[0], CLASS_COUNTS[-1]),
            "classes",
            {"low": CLASS_COUNTS[0], "high": CLASS_COUNTS[-1]},
        ),
        "palette": (lambda s: _choice(s, PALETTES), "one_of", {"names": ", ".join(PALETTES)}),
        "base": (lambda s: _choice(s, BASEMAPS), "one_of", {"names": ", ".join(BASEMAPS)}),
        "lat": (lambda s: _float_in(s, 18.5, 20.5), "latitude", {}),
        "lon": (lambda s: _float_in(s, -100.0, -98.0), "longitude", {}),
        "z": (lambda s: _int_in(s, *ZOOM_RANGE), "zoom", {"low": ZOOM_RANGE[0], "high": ZOOM_RANGE[1]}),
        "reach": (lambda s: {"1": True, "0": False}.get(s), "flag", {}),
        "contrast": (lambda s: {"1": True, "0": False}.get(s), "flag", {}),
        "cmp": (lambda s: _choice(s, options.boroughs), "borough", {"codes": codes}),
        "lang": (lambda s: _choice(s, LANGUAGES), "one_of", {"names": ", ".join(LANGUAGES)}),
        "level": (lambda s: _choice(s, LEVELS), "one_of", {"names": ", ".join(LEVELS)}),
        "aind": (lambda s: _choice(s, AGEB_INDICATORS), "one_of", {"names": ", ".join(AGEB_INDICATORS)}),
        "col": (lambda s: s if s in options.colonias else None, "colonia", {}),
        "ageb": (lambda s: s if s in options.agebs else None, "ageb", {}),
        "pub": (_published, "published", {"most": MAX_PUBLISHED}),
    }
    for key, (parse, expected, details) in parsers.items():
        if key in raw:
            take(key, parse(raw[key]), expected, **details)  # type: ignore[operator]
    return replace(state, **values, notices=tuple(notices))  # type: ignore[arg-type]


def change(state: ViewState, options: Options, **changes: object) -> ViewState:
    """Return ``state`` with ``changes``, kept valid: the one way a view changes.

    Every change (a filter, a chart selection, a map click, a slide) goes
    through here, so the rules live in one place: the year follows the
    indicator (its latest year when the old one does not exist for it),
    tuples keep their canonical order, a selected borough exists, and URL
    notices are dropped once the visitor changes the view.
    """
    unknown = set(changes) - {f.name for f in fields(ViewState)}
    if unknown:
        msg = f"not fields of the view: {', '.join(sorted(unknown))}"
        raise TypeError(msg)
    values = dict(changes)
    for name, allowed in (("prog", PROGRAMMES), ("status", STATUSES), ("boro", options.boroughs)):
        if name in values:
            chosen = set(values[name])  # type: ignore[call-overload]
            values[name] = tuple(item for item in allowed if item in chosen)
    new = replace(state, **values)  # type: ignore[arg-type]
    years = options.indicator_years.get(new.ind)
    if years is None:
        new = replace(new, ind=state.ind)
        years = options.indicator_years[new.ind]
    if new.year not in years:
        new = replace(new, year=max(years))
    if new.sel and new.sel not in options.boroughs:
        new = replace(new, sel="")
    if new.cmp and (new.cmp not in options.boroughs or new.cmp == new.sel):
        new = replace(new, cmp="")
    if new.level not in LEVELS:
        new = replace(new, level=state.level)
    if new.aind not in AGEB_INDICATORS:
        new = replace(new, aind=state.aind)
    if new.col and new.col not in options.colonias:
        new = replace(new, col="")
    if new.ageb and new.ageb not in options.agebs:
        new = replace(new, ageb="")
    if new.pub and new.pub != state.pub and _published(",".join(new.pub)) != new.pub:
        new = replace(new, pub=state.pub)
    return replace(new, notices=()) if new != state else state


def to_query(state: ViewState, options: Options) -> dict[str, str]:
    """Return the URL parameters for ``state``, leaving out every default but the language."""
    default = default_state(options)
    query: dict[str, str] = {}
    for f in fields(ViewState):
        if f.name == "notices":
            continue
        value = getattr(state, f.name)
        if f.name == "year" and state.ind != default.ind:
            default_value: object = max(options.indicator_years[state.ind])
        else:
            default_value = getattr(default, f.name)
        if value == default_value and f.name != "lang":
            continue
        if isinstance(value, bool):
            query[f.name] = "1" if value else "0"
        elif isinstance(value, tuple):
            query[f.name] = ",".join(value)
        elif isinstance(value, float):
            query[f.name] = f"{value:.4f}"
        else:
            query[f.name] = str(value)
    return query
