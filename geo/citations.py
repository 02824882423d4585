"""Short citations: a source's name without its provenance notes, and an indicator's sources.

Charts, the one-page brief and the slides' source lines cite sources in one
line; the full text (with the notes on how a figure reached the Atlas) stays
in the tables, the panels and the Sources page.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import pandas as pd

from geo.formatting import join_list
from geo.i18n import t
from geo.indicators import REGISTRY, rows_for
from geo.loaders import Atlas

_SOURCE_CUT = re.compile(r" \(|, |; |: | as | via ")


def short_source(source: str, limit: int = 80) -> str:
    """A source's name without its provenance notes ("CONEVAL Medición de la pobreza municipal 2020")."""
    head = _SOURCE_CUT.split(source.strip(), maxsplit=1)[0].strip()
    return head if len(head) <= limit else head[: limit - 1].rstrip() + "…"


def cite(names: Iterable[str], year: int) -> str:
    """ "name (year); …", each name once, the year left out where the name already has it."""
    return "; ".join(name if str(year) in name else f"{name} ({year})" for name in dict.fromkeys(names))


def citations(indicators: pd.DataFrame, indicator: str, year: int, lang: str) -> list[tuple[str, int]]:
    """Short source names of an indicator-year, each with the year; a derived indicator cites its inputs.

    An input that is not an indicator (the area) is cited as ``indicators.<input>.citation``.
    """
    spec = REGISTRY.get(indicator)
    if spec is not None and spec.derived_from:
        inputs: list[str] = []
        for name in spec.derived_from:
            if name in REGISTRY:
                inputs += [cited for cited, _ in citations(indicators, name, year, lang)]
            else:
                inputs.append(t(f"indicators.{name}.citation", lang))
        listed = join_list(list(dict.fromkeys(inputs)), lang)
        return [(t("charts.source.calculation", lang, inputs=listed), year)]
    rows = rows_for(indicators, indicator, year)
    return [(short_source(source), year) for source in dict.fromkeys(rows["source"])]


def indicator_sources(atlas: Atlas, indicator: str, year: int, lang: str) -> str:
    """The short citation of an indicator in a year, on one line (:func:`citations`, then :func:`cite`)."""
    return cite((name for name, _ in citations(atlas.indicators, indicator, year, lang)), year)
