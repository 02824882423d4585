"""How a chart reaches the page besides its picture: its table as a reader sees it, its selected
borough marks, its text alternative as Markdown-safe text.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping

import pandas as pd

from geo.charts._common import indicator_label, programme_label
from geo.i18n import catalogue, t
from geo.units import unit_label

# Columns of the chart tables whose values are codes with a name in the catalogue.
_CODED_COLUMNS = ("programme", "indicator", "need_indicator", "unit", "need_unit", "shown_as")


def codes_from_selection(selection: Mapping[str, object], codes: Collection[str]) -> tuple[str, ...]:
    """Return the codes (boroughs, colonias) of the marks selected in a chart (Streamlit ``on_select``).

    Streamlit hands back ``{"selection": {"points": [{"customdata": …}, …]}}``
    (or just the inner ``{"points": …}``); ``customdata`` may be the code or
    a list whose first item is the code. Marks without a code of ``codes``
    are ignored.
    """
    inner = selection.get("selection", selection)
    points = inner.get("points", []) if isinstance(inner, Mapping) else []
    found: list[str] = []
    for point in points:
        data = point.get("customdata") if isinstance(point, Mapping) else None
        code = data[0] if isinstance(data, list | tuple) and data else data
        if isinstance(code, str) and code in codes and code not in found:
            found.append(code)
    return tuple(found)


def display_table(table: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Return a chart table as a reader sees it: headers in ``lang``, codes as names.

    Programme, indicator, unit and mark-kind codes become their names in
    ``lang``; place names, sources and numbers are left as they are, and a
    status code gives way to its label. The builders' own tables keep their
    machine-readable columns.
    """
    shown = table.copy()
    for column in _CODED_COLUMNS:
        if column not in shown:
            continue
        if column == "programme":
            shown[column] = shown[column].map(lambda p: programme_label(p, lang))
        elif column.endswith("indicator"):
            shown[column] = shown[column].map(lambda i: indicator_label(i, lang))
        elif column.endswith("unit"):
            shown[column] = shown[column].map(lambda u: unit_label(u, lang) if isinstance(u, str) else u)
        else:
            shown[column] = shown[column].map(lambda k: t(f"charts.shown_as.{k}", lang))
    if "status_label" in shown:
        shown = shown.drop(columns="status")  # the label says it in words
    names = catalogue()
    return shown.rename(
        columns={c: t(f"charts.column.{c}", lang) for c in shown.columns if f"charts.column.{c}" in names}
    )
