"""What a slide says about itself: a default title, a one-line summary and its sources.

Pure functions of the data and a view, so the deck editor, the presenting
footer and the tests agree on them.
"""

from __future__ import annotations

from geo.citations import indicator_sources
from geo.i18n import t
from geo.indicators import REGISTRY
from geo.loaders import Atlas
from geo.screens import BY_SLUG
from geo.state import ViewState


def page_name(page: str, lang: str) -> str:
    """The translated name of a page, by its URL path."""
    return BY_SLUG[page].title(lang)


def default_title(page: str, state: ViewState, lang: str, borough_names: dict[str, str]) -> str:
    """A title for a slide whose author gave none: the page, the indicator and year, the borough."""
    title = t(
        "deck.default_title",
        lang,
        page=page_name(page, lang),
        indicator=REGISTRY[state.ind].title(lang),
        year=state.year,
    )
    return f"{title} · {borough_names[state.sel]}" if state.sel in borough_names else title


def summary(state: ViewState, lang: str, borough_names: dict[str, str]) -> str:
    """One line on what the view filters: indicator, year, boroughs, programmes and statuses."""
    boroughs = ", ".join(borough_names.get(code, code) for code in state.boro) or t("deck.all_boroughs", lang)
    return t(
        "deck.summary",
        lang,
        indicator=REGISTRY[state.ind].title(lang),
        year=state.year,
        boroughs=boroughs,
        programmes=", ".join(t(f"labels.programme.{p}", lang) for p in state.prog) or "—",
        statuses=", ".join(t(f"labels.status.{s}", lang) for s in state.status) or "—",
    )


def slide_sources(atlas: Atlas, state: ViewState, page: str, lang: str) -> list[str]:
    """The sources of what a slide shows (short names, first seen first), for its source line."""
    cites = BY_SLUG[page].cites
    names = [indicator_sources(atlas, state.ind, state.year, lang)] if "indicator" in cites else []
    if "sites" in cites and "utopias" in state.prog:
        names.append(t("deck.sites_source", lang))
    if "pcmb" in cites and "pcmb" in state.prog:
        names.append(t("deck.pcmb_source", lang))
    return names
