"""The share of each borough's people within walking reach of an open UTOPÍA, counted by AGEB.

Read from :class:`geo.dasymetric.ReachPeople` ``.by_borough``: every bar is
the combined figure (people of the urban AGEBs counted AGEB by AGEB, plus the
borough's rural remainder spread over the ground no AGEB covers), and its
hover, its table row and the caption say what each method added
(:func:`geo.dasymetric.method_label`, :func:`geo.dasymetric.method_note`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import pandas as pd
import plotly.graph_objects as go

from geo import markup
from geo.charts._common import (
    BAR,
    NO_TRACE_BOX,
    SAFE,
    bar_highlight,
    html_text,
    layout,
    source_line,
    title,
)
from geo.citations import citations
from geo.dasymetric import AGEB_DASYMETRIC, BOROUGH_AREAL_RURAL, COMBINED, METHODS, method_label, method_note
from geo.filters import HEADLINE_YEAR
from geo.formatting import format_count, format_distances, format_value
from geo.i18n import t

#: The table's column of the people within reach that each method counted.
METHOD_COLUMNS = {AGEB_DASYMETRIC: "people_within_ageb", BOROUGH_AREAL_RURAL: "people_within_rural"}
# Shorter distance darker and plain, longer lighter and hatched: told apart without hue.
DISTANCE_STYLES = ((BAR, ""), (SAFE[0], "/"))


def reach_share_data(
    by_borough: pd.DataFrame,
    *,
    names: Mapping[str, str],
    lang: str,
    selected: Iterable[str] = (),
) -> pd.DataFrame:
    """Return one row per borough of ``names`` and distance: its people within reach, combined and by method.

    ``by_borough`` is :attr:`geo.dasymetric.ReachPeople.by_borough`. The share
    is of the borough's whole population (0–1), people that cannot be placed
    included. ``methods`` names, in ``lang``, the methods that counted people
    in the borough. Boroughs are ordered by their share at the longest
    distance, highest first, then by name; distances shortest first.
    Columns: cvegeo, borough, distance_m, population, people_within,
    people_within_share, the :data:`METHOD_COLUMNS`, people_not_located, methods, selected.
    """
    rows = by_borough[by_borough["cvegeo"].isin(list(names))]
    keys = ["distance_m", "cvegeo"]
    combined = rows[rows["method"] == COMBINED].set_index(keys)
    per_method = rows[rows["method"].isin(METHODS)].pivot(index=keys, columns="method")
    within = per_method["people_within"].reindex(index=combined.index, columns=list(METHODS)).fillna(0.0)
    counted = per_method["population"].reindex(index=combined.index, columns=list(METHODS)).fillna(0.0) > 0
    table = pd.DataFrame(
        {
            "borough": combined.index.get_level_values("cvegeo").map(names),
            "population": combined["population"],
            "people_within": combined["people_within"],
            "people_within_share": combined["people_within_share"],
            **{column: within[method] for method, column in METHOD_COLUMNS.items()},
            "people_not_located": combined["people_not_located"],
            "methods": [
                "; ".join(method_label(method, lang) for method in METHODS if counted.loc[key, method])
                for key in combined.index
            ],
        }
    ).reset_index()
    table["selected"] = table["cvegeo"].isin(set(selected))
    longest = table[table["distance_m"] == table["distance_m"].max()]
    order = longest.sort_values(["people_within_share", "borough"], ascending=[False, True])["cvegeo"]
    rank = {code: number for number, code in enumerate(order)}
    table = table.sort_values(
        ["cvegeo", "distance_m"], key=lambda c: c.map(rank) if c.name == "cvegeo" else c
    )
    columns = ["cvegeo", "borough", "distance_m", "population", "people_within", "people_within_share"]
    columns += [*METHOD_COLUMNS.values(), "people_not_located", "methods", "selected"]
    return table[columns].reset_index(drop=True)


def _percent(share: float, lang: str) -> str:
    return format_value(100 * share, "percent", lang)


def _hover(row: pd.Series, lang: str) -> str:
    lines = [
        f"<b>{markup.text(row['borough'])}</b>",
        markup.text(
            t(
                "charts.people_reach.hover",
                lang,
                distance=format_distances([row["distance_m"]], lang),
                people=format_count(row["people_within"], lang),
                population=format_count(row["population"], lang),
                share=_percent(row["people_within_share"], lang),
            )
        ),
        *(
            html_text(
                "describe.item",
                lang,
                label=markup.text(method_label(method, lang)),
                value=markup.text(format_count(row[column], lang)),
            )
            for method, column in METHOD_COLUMNS.items()
        ),
    ]
    if row["people_not_located"] > 0:
        lines.append(
            markup.text(
                t(
                    "charts.people_reach.not_located",
                    lang,
                    people=format_count(row["people_not_located"], lang),
                )
            )
        )
    return "<br>".join(lines)


def reach_share(
    by_borough: pd.DataFrame,
    indicators: pd.DataFrame,
    fields: pd.DataFrame,
    *,
    names: Mapping[str, str],
    lang: str,
    selected: Iterable[str] = (),
) -> tuple[go.Figure, pd.DataFrame]:
    """Horizontal bars, one pair per borough: the share of its people within each walking distance.

    ``fields`` (:attr:`geo.loaders.NeighbourhoodLayers.fields`) cites the AGEB
    populations, ``indicators`` the boroughs' own. Selected boroughs keep full
    colour and an outline.
    """
    table = reach_share_data(by_borough, names=names, lang=lang, selected=selected)
    fig = go.Figure()
    for (distance, rows), (colour, pattern) in zip(
        table.groupby("distance_m"), DISTANCE_STYLES, strict=False
    ):
        style = bar_highlight(rows["selected"].tolist(), colour)
        style["marker"]["pattern"] = {"shape": pattern, "fgcolor": "white"}
        fig.add_trace(
            go.Bar(
                x=(100 * rows["people_within_share"]).tolist(),
                y=[markup.text(name) for name in rows["borough"]],
                orientation="h",
                name=markup.text(
                    t("charts.people_reach.legend", lang, distance=format_distances([distance], lang))
                ),
                customdata=rows["cvegeo"].tolist(),
                text=[markup.text(_percent(share, lang)) for share in rows["people_within_share"]],
                textposition="outside",
                hovertext=[_hover(row, lang) for _, row in rows.iterrows()],
                hovertemplate="%{hovertext}" + NO_TRACE_BOX,
                **style,
            )
        )
    labels = [markup.text(name) for name in dict.fromkeys(table["borough"])]
    fig.update_layout(barmode="group")
    fig.update_yaxes(categoryorder="array", categoryarray=labels, autorange="reversed")
    top = float(100 * table["people_within_share"].max()) if len(table) else 0.0
    fig.update_xaxes(range=[0, max(1.0, 1.15 * top)])  # room for the labels outside the bars
    ageb = fields.loc["pob_total"]
    cited = [
        (ageb["source"], int(ageb["year"])),
        *citations(indicators, "population_total", HEADLINE_YEAR, lang),
        (t("charts.source.sites", lang), t("charts.source.status_now", lang)),
    ]
    layout(
        fig,
        title(t("charts.people_reach.title", lang), t("charts.people_reach.note", lang, year=HEADLINE_YEAR)),
        t("charts.people_reach.axis_x", lang, year=HEADLINE_YEAR),
        t("charts.ranking.axis_y", lang),
        source_line(cited, lang),
        height=720,
        lang=lang,
    )
    return fig, table


def methods_text(lang: str) -> str:
    """How each method counts the people within reach, in ``lang``: one sentence group per method."""
    return " ".join(
        t("charts.describe.item", lang, label=method_label(method, lang), value=method_note(method, lang))
        for method in (*METHODS, COMBINED)
    )


def describe_reach_share(table: pd.DataFrame, *, lang: str) -> str:
    """Text alternative of :func:`reach_share`: at the longest distance the highest share and the lowest
    (or how many boroughs have nobody within reach), then the city's share at each distance."""
    longest = table[table["distance_m"] == table["distance_m"].max()]
    top, bottom = longest.iloc[0], longest.iloc[-1]
    nobody = int(longest["people_within"].eq(0).sum())
    city = table.groupby("distance_m")[["people_within", "population"]].sum()
    return t(
        "charts.describe.people_reach",
        lang,
        distance=format_distances([top["distance_m"]], lang),
        top=top["borough"],
        top_share=_percent(top["people_within_share"], lang),
        bottom=t("charts.describe.people_reach_nobody", lang, n=format_count(nobody, lang))
        if nobody
        else t(
            "charts.describe.people_reach_lowest",
            lang,
            borough=bottom["borough"],
            share=_percent(bottom["people_within_share"], lang),
        ),
        city="; ".join(
            t(
                "charts.describe.item",
                lang,
                label=format_distances([distance], lang),
                value=_percent(row["people_within"] / row["population"], lang),
            )
            for distance, row in city.iterrows()
        ),
    )
