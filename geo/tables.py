"""Tables as a page shows them: numbers kept as numbers, each numeric column with its format in the view's language.

A number turned into text in Python sorts as text when a reader clicks its
header ("10,123" before "9,876"). These builders keep the numbers and give
each numeric column a printf format (:func:`geo.formatting.printf_format`)
that ``ui.tables.show_table`` hands to Streamlit's ``NumberColumn``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import geopandas as gpd
import pandas as pd

from geo.formatting import printf_format
from geo.i18n import translator
from geo.mapview import opening_text
from geo.userindicator import USER_FORMAT


@dataclass(frozen=True)
class ShownTable:
    """A table for ``st.dataframe``: its ``frame``, the headers of columns named by code, the numeric formats."""

    frame: pd.DataFrame
    labels: dict[str, str] = field(default_factory=dict)
    formats: dict[str, str] = field(default_factory=dict)


def reach_table(coverage: pd.DataFrame, lang: str) -> ShownTable:
    """The walking reach per borough and distance (``geo.coverage.coverage_by_borough``), headed in ``lang``.

    The share is in percent; people are estimates, shown rounded.
    """
    tr = translator(lang)
    people = {
        tr("compare.reach.people"): "people_within_est",
        tr("compare.reach.poor_within"): "poor_within_est",
        tr("compare.reach.poor_beyond"): "poor_beyond_est",
    }
    distance, share = tr("compare.reach.distance"), tr("compare.reach.share")
    frame = pd.DataFrame(
        {
            tr("compare.reach.borough"): coverage["name"],
            distance: coverage["distance_m"].astype(int),
            share: coverage["share"].astype(float) * 100,
            **{header: coverage[column].astype(float) for header, column in people.items()},
        }
    )
    formats = {distance: printf_format("count", lang, "m"), share: printf_format("percent", lang)}
    formats |= {header: printf_format("count", lang) for header in people}
    return ShownTable(frame, formats=formats)


def user_indicator_table(table: pd.DataFrame, lang: str) -> ShownTable:
    """A visitor's indicator values by AGEB or colonia (``geo.charts.userindicator.user_indicator_data``), headed in ``lang``.

    The value's header carries the user's unit; the values keep up to two decimals, as the map shows them.
    """
    tr = translator(lang)
    value = tr("compare.user_indicator.value", unit=str(table["unit"].iloc[0]) if len(table) else "")
    headers = {
        "rank": tr("compare.user_indicator.rank"),
        "name": tr("compare.user_indicator.name"),
        "key": tr("compare.user_indicator.key"),
        "borough": tr("compare.user_indicator.borough"),
        "value": value,
    }
    frame = table[list(headers)].rename(columns=headers)
    return ShownTable(frame, formats={value: printf_format(USER_FORMAT, lang)})


SITE_COLUMNS = (
    "name", "borough", "colonia", "status", "status_detail", "opened", "opened_text", "area_m2",
    "facilities", "on_map", "location_precision", "sources",
)  # fmt: skip
# The catalogue key (programmes.sites.<key>) of each column's header, where it differs from the column.
_SITE_HEADERS = {"area_m2": "area", "location_precision": "location"}


def sites_table(sites: gpd.GeoDataFrame, lang: str) -> ShownTable:
    """The sites as the Programmes page lists them: status and opening in ``lang``, the area in m² as a number."""
    tr = translator(lang)
    frame = sites.assign(
        status=sites["status"].map(lambda status: tr(f"labels.status.{status}")),
        opened=[
            opening_text(day, kind, lang)
            for day, kind in zip(sites["opened_date"], sites["opened_kind"], strict=True)
        ],
        on_map=sites.geometry.notna(),
    )[list(SITE_COLUMNS)]
    frame = pd.DataFrame(frame).astype({"area_m2": float})
    labels = {column: tr(f"programmes.sites.{_SITE_HEADERS.get(column, column)}") for column in SITE_COLUMNS}
    return ShownTable(frame, labels=labels, formats={"area_m2": printf_format("count", lang)})
