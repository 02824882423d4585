"""What a slide says about itself: a default title, a one-line summary and its sources.

Pure functions of the data and a view (the sources: of the view's map model,
:mod:`geo.mapmodel`), so the deck editor, the presenting footer and the tests
agree on them.
"""

from __future__ import annotations

from geo.areamodel import COLONIA_INDICATOR, INDEX_YEAR
from geo.i18n import t
from geo.indicators import NEIGHBOURHOOD_REGISTRY, REGISTRY
from geo.mapmodel import MapModel
from geo.screens import BY_SLUG, HOME
from geo.state import ViewState
from geo.userindicator import source_of
from geo.vocabulary import AGEB_LEVEL, BOROUGH_LEVEL, PCMB, UTOPIAS


def page_name(page: str, lang: str) -> str:
    """The translated name of a page, by its URL path."""
    return BY_SLUG[page].title(lang)


def shown_indicator(page: str, state: ViewState, lang: str) -> tuple[str, int]:
    """The title and year of what a view on ``page`` shades: at the AGEB or colonia level, on a page
    that shades those areas (the map), theirs; else the view's borough indicator."""
    if "areas" in BY_SLUG[page].cites and state.level != BOROUGH_LEVEL:
        shaded = state.aind if state.level == AGEB_LEVEL else COLONIA_INDICATOR
        return NEIGHBOURHOOD_REGISTRY[shaded].title(lang), INDEX_YEAR
    return REGISTRY[state.ind].title(lang), state.year


def default_title(page: str, state: ViewState, lang: str, borough_names: dict[str, str]) -> str:
    """A title for a slide whose author gave none: the page, the indicator and year, the borough."""
    indicator, year = shown_indicator(page, state, lang)
    title = t("deck.default_title", lang, page=page_name(page, lang), indicator=indicator, year=year)
    return f"{title} · {borough_names[state.sel]}" if state.sel in borough_names else title


def summary(state: ViewState, lang: str, borough_names: dict[str, str], page: str = HOME.slug) -> str:
    """One line on what the view on ``page`` filters: indicator, year, boroughs, programmes and statuses."""
    boroughs = ", ".join(borough_names.get(code, code) for code in state.boro) or t("deck.all_boroughs", lang)
    indicator, year = shown_indicator(page, state, lang)
    return t(
        "deck.summary",
        lang,
        indicator=indicator,
        year=year,
        boroughs=boroughs,
        programmes=", ".join(t(f"labels.programme.{p}", lang) for p in state.prog) or "—",
        statuses=", ".join(t(f"labels.status.{s}", lang) for s in state.status) or "—",
    )


def slide_sources(model: MapModel, page: str) -> list[str]:
    """The sources of what a slide on ``page`` shows (short names), for its source line.

    Read from the view's map model: the indicator as the map cites it (on a
    page that shades AGEBs or colonias at the view's level, their source
    instead), then the sites and the PCMB figures where the slide's page shows them,
    then the source line of each of the visitor's layers (marked as theirs) where it shows those.
    """
    lang, programmes, cites = model.lang, model.view.prog, BY_SLUG[page].cites
    names = []
    if "areas" in cites and model.areas is not None:
        names.append(model.areas.citation)
    elif "indicator" in cites:
        names.append(model.indicator_citation)
    if "sites" in cites and UTOPIAS in programmes:
        names.append(t("deck.sites_source", lang))
    if "pcmb" in cites and PCMB in programmes:
        names.append(t("deck.pcmb_source", lang))
    if "user" in cites:
        names.extend(source_of(layer, lang) for layer in model.user_layers)
    return list(dict.fromkeys(names))
