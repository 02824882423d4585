"""Within one borough, the colonias with most people in high marginalisation (estimates).

``data/colonias.csv`` gives each IECM colonia the people of the AGEBs it
overlaps, shared out by area (an estimate, labelled so everywhere), split by
the AGEB's CONAPO grade. The bars stack "Muy alto" and "Alto" in the AGEB
map's colours for those grades. Colonia names are data: escaped for plotly,
and made unique within a chart (plotly would merge two bars of one name).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence

import pandas as pd
import plotly.graph_objects as go

from geo import markup
from geo.areamodel import INDEX_YEAR
from geo.charts._common import layout, source_line, title
from geo.charts.grades import grade_parts, stack_grades
from geo.formatting import format_count
from geo.i18n import t
from geo.vocabulary import HIGH_GRADES, grade_key

TOP = 15
#: The colonia table's column of each high grade's estimated people.
HIGH_COLUMNS = {grade: f"people_{grade_key(grade)}" for grade in HIGH_GRADES}


def chosen_borough(sel: str, boro: Sequence[str], codes: Collection[str]) -> str | None:
    """The borough whose colonias are ranked: the one selected on the map, else the filter's first, else None."""
    for code in (sel, *boro):
        if code in codes:
            return code
    return None


def colonia_need_data(
    colonias: pd.DataFrame, borough: str, *, names: Mapping[str, str], top: int = TOP, selected: str = ""
) -> pd.DataFrame:
    """Return the ``top`` colonias of ``borough`` with most estimated people in high grades, most first.

    Only colonias with some such people are ranked; ties are broken by name,
    then key. Columns: rank, cveut, colonia, cvegeo, borough, the
    :data:`HIGH_COLUMNS`, people_high (their sum), population_estimate,
    people_high_share (0–1), selected.
    """
    rows = colonias[colonias["borough"] == borough]
    rows = rows.assign(people_high=rows[list(HIGH_COLUMNS.values())].sum(axis=1))
    rows = rows[rows["people_high"] > 0].sort_values(
        ["people_high", "name", "cveut"], ascending=[False, True, True]
    )
    rows = rows.head(top)
    return pd.DataFrame(
        {
            "rank": range(1, len(rows) + 1),
            "cveut": rows["cveut"].to_numpy(),
            "colonia": rows["name"].to_numpy(),
            "cvegeo": borough,
            "borough": names.get(borough, borough),
            **{column: rows[column].astype(float).to_numpy() for column in HIGH_COLUMNS.values()},
            "people_high": rows["people_high"].astype(float).to_numpy(),
            "population_estimate": rows["population_estimate"].astype(float).to_numpy(),
            "people_high_share": rows["people_high_share"].astype(float).to_numpy(),
            "selected": (rows["cveut"] == selected).to_numpy(),
        }
    )


def _labels(table: pd.DataFrame) -> list[str]:
    """Each colonia's name, escaped; a name shared by two bars gets its key too."""
    repeated = table["colonia"].duplicated(keep=False)
    return [
        markup.text(f"{name} ({key})" if twice else name)
        for name, key, twice in zip(table["colonia"], table["cveut"], repeated, strict=True)
    ]


def colonia_need(
    colonias: pd.DataFrame,
    borough: str,
    *,
    names: Mapping[str, str],
    lang: str,
    palette_name: str = "ylorrd",
    selected: str = "",
) -> tuple[go.Figure, pd.DataFrame] | None:
    """Stacked horizontal bars of the colonias of :func:`colonia_need_data`, or None if no colonia has any.

    The marks carry the colonia key (``cveut``) in ``customdata``; the
    ``selected`` colonia keeps full colour and an outline.
    """
    table = colonia_need_data(colonias, borough, names=names, selected=selected)
    if table.empty:
        return None
    fig = stack_grades(
        table,
        grade_parts(HIGH_COLUMNS, palette_name, lang),
        labels=_labels(table),
        key="cveut",
        hover="charts.colonias.hover",
        share=lambda _, row: row["people_high_share"],
        lang=lang,
    )
    with_any = int(
        (colonias.loc[colonias["borough"] == borough, list(HIGH_COLUMNS.values())].sum(axis=1) > 0).sum()
    )
    note = t(
        "charts.colonias.note", lang, n=format_count(len(table), lang), total=format_count(with_any, lang)
    )
    layout(
        fig,
        title(t("charts.colonias.title", lang, borough=table["borough"].iloc[0], year=INDEX_YEAR), note),
        t("charts.colonias.axis_x", lang, year=INDEX_YEAR),
        t("charts.colonias.axis_y", lang),
        source_line([(t("areas.colonia_citation", lang), INDEX_YEAR)], lang),
        height=200 + 28 * len(table),
        lang=lang,
    )
    return fig, table


def describe_colonia_need(table: pd.DataFrame, *, lang: str) -> str:
    """Text alternative of :func:`colonia_need`: how many colonias, the first and the last."""
    first, last = table.iloc[0], table.iloc[-1]
    return t(
        "charts.describe.colonias",
        lang,
        n=format_count(len(table), lang),
        borough=first["borough"],
        year=INDEX_YEAR,
        top=first["colonia"],
        top_people=format_count(first["people_high"], lang),
        last=last["colonia"],
        last_people=format_count(last["people_high"], lang),
    )
