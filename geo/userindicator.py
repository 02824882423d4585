"""A visitor's borough indicator table as the map's shading: their values for one year, marked as theirs.

A confirmed indicator layer keyed by borough offers one choice per year it
holds (:func:`borough_choices`); the chosen one shades the borough
choropleth instead of the shipped indicator (:func:`user_shading`), classed
like the shipped ones (mapclassify), boroughs the table lacks as "no data".
The choice is the visitor's only: it lives in their session, never in the
URL (nobody else has the layer).

Plain Python: no Streamlit.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from geo.classify import Classes, classify
from geo.i18n import t
from geo.indicators import Indicator
from geo.state import ViewState
from geo.userlayers import UserLayer

#: A choice of shading: (the layer's ``ident``, the year of its values).
Choice = tuple[str, int]
#: A user's values are numbers of unknown kind: shown with up to two decimals, no need direction.
USER_FORMAT = "number"
#: How the check says a row is located by its borough (``located_by`` of :func:`geo.importing.check.check_indicators`).
BY_BOROUGH = "borough"


@dataclass(frozen=True)
class UserIndicator(Indicator):
    """An indicator from a visitor's table: titled with the user's name for it, marked as theirs."""

    label: str = ""

    def title(self, lang: str = "en") -> str:
        return t("your_indicator.title", lang, name=self.label)


@dataclass(frozen=True, eq=False)
class UserShading:
    """The boroughs shaded by a visitor's values for one year, with the user's unit and source line."""

    indicator: UserIndicator
    year: int
    values: pd.Series
    classes: Classes
    unit: str
    sources: tuple[tuple[str, str | None], ...]


def _borough_rows(layer: UserLayer) -> pd.DataFrame:
    rows = layer.rows
    if layer.kind != "indicators" or rows.empty:
        return rows.iloc[0:0]
    return rows[(rows["located_by"] == BY_BOROUGH) & rows["year"].notna()]


def borough_choices(layers: Sequence[UserLayer]) -> tuple[Choice, ...]:
    """Every (layer, year) a borough-keyed indicator layer can shade the map with, latest year first.

    A table without years offers nothing: a shading is always of one year.
    """
    return tuple(
        (layer.ident, int(year))
        for layer in layers
        for year in sorted(_borough_rows(layer)["year"].unique(), reverse=True)
    )


def user_shading(layer: UserLayer, year: int, boroughs: pd.Series, view: ViewState) -> UserShading:
    """The shading of ``boroughs`` (their codes, in drawing order) by ``layer``'s values for ``year``."""
    rows = _borough_rows(layer)
    rows = rows[rows["year"] == year]
    values = rows.set_index("key")["value"].astype(float).reindex(pd.Index(boroughs, name="cvegeo"))
    classes = classify(values, view.scheme, view.k, view.palette, higher_is_worse=None)
    return UserShading(
        indicator=UserIndicator(id="user", fmt=USER_FORMAT, higher_is_worse=None, label=layer.name),
        year=year,
        values=values,
        classes=classes,
        unit=layer.unit or t("your_indicator.no_unit", view.lang),
        sources=((t("your_indicator.source", view.lang, source=layer.source), None),),
    )


def choice_label(layer: UserLayer, year: int, lang: str) -> str:
    """How the sidebar lists a choice: the user's name for the layer and the year (plain text)."""
    return t("your_indicator.choice", lang, name=layer.name, year=year)
