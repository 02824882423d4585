"""Short citations: a source's name without its provenance notes, and an indicator's sources.

Charts, the one-page brief and the slides' source lines cite sources in one
line; the full text (with the notes on how a figure reached the Atlas) stays
in the tables, the panels and the Sources page.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from geo.i18n import t
from geo.indicators import REGISTRY, rows_for
from geo.loaders import Atlas

#: Where the area of a borough comes from (inputs of derived indicators that are not indicators).
AREA_SOURCE = "INEGI Marco Geoestadístico"
_SOURCE_CUT = re.compile(r" \(|, |; |: | as | via ")


def short_source(source: str, limit: int = 80) -> str:
    """A source's name without its provenance notes ("CONEVAL Medición de la pobreza municipal 2020")."""
    head = _SOURCE_CUT.split(source.strip(), maxsplit=1)[0].strip()
    return head if len(head) <= limit else head[: limit - 1].rstrip() + "…"


def cite(names: Iterable[str], year: int) -> str:
    """ "name (year); …", each name once, the year left out where the name already has it."""
    return "; ".join(name if str(year) in name else f"{name} ({year})" for name in dict.fromkeys(names))


def indicator_sources(atlas: Atlas, indicator: str, year: int, lang: str) -> str:
    """The short citation of an indicator in a year; a derived indicator cites its inputs."""
    spec = REGISTRY[indicator]
    if spec.derived_from:
        inputs = [
            short_source(source)
            for name in spec.derived_from
            if name in REGISTRY
            for source in rows_for(atlas.indicators, name, year)["source"]
        ]
        cited = cite(inputs, year)
        if any(name not in REGISTRY for name in spec.derived_from):  # area_km2, from the boundaries
            cited += f"; {AREA_SOURCE}"
        return t("exports.brief.source_derived", lang, inputs=cited)
    return cite((short_source(s) for s in rows_for(atlas.indicators, indicator, year)["source"]), year)
