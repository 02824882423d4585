"""People by CONAPO marginalisation grade, per borough: stacked bars from the AGEB table.

The borough figures of the rest of the page average over a whole borough;
CONAPO grades every urban AGEB (a few blocks), so here each borough's people
are split by the grade of the AGEB they live in. The grades keep the colours of
the AGEB map's grade classes (:func:`geo.classify.palette` of the view's
palette), most need first from the left, so the bars can be read against each
other where they start: at the high grades.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence

import pandas as pd
import plotly.graph_objects as go

from geo import markup
from geo.charts._common import NO_TRACE_BOX, bar_highlight, layout, source_line, title
from geo.classify import NO_DATA_COLOUR, palette
from geo.formatting import format_count, format_value
from geo.i18n import t
from geo.vocabulary import HIGH_GRADES, MARGINALISATION_GRADES, grade_key

#: The table's column of each grade's people, least need first.
GRADE_COLUMNS = {grade: f"people_{grade_key(grade)}" for grade in MARGINALISATION_GRADES}
#: People of AGEBs with a population but no grade (none in CONAPO 2020, kept apart if there are any).
NO_GRADE = "people_no_grade"
#: The AGEB columns the chart reads, and cites (``NeighbourhoodLayers.fields``).
FIELDS = ("pob_total", "gm_2020")


def grade_colours(palette_name: str) -> dict[str, str]:
    """Each grade's colour: the AGEB map's grade classes (:func:`geo.classify.ordinal_classes`)."""
    return dict(zip(MARGINALISATION_GRADES, palette(palette_name, len(MARGINALISATION_GRADES)), strict=True))


def grade_people_data(
    agebs: pd.DataFrame,
    fields: pd.DataFrame,
    *,
    names: Mapping[str, str],
    selected: Iterable[str] = (),
) -> pd.DataFrame:
    """Return one row per borough of ``names``: its AGEBs' people in each grade, most in high grades first.

    People are CONAPO's census population (``pob_total``) of the AGEBs keyed
    to the borough, whether or not the AGEB has a polygon. An AGEB with people
    but no grade counts in :data:`NO_GRADE`; an AGEB without a population (no
    row in CONAPO's index) adds no people and is counted in ``unknown_agebs``.
    Columns: cvegeo, borough, the :data:`GRADE_COLUMNS`, :data:`NO_GRADE`,
    people (their sum), people_high (grades :data:`HIGH_GRADES`), high_share,
    agebs, unknown_agebs, selected, year, source, source_url. Ties are broken by name.
    """
    codes = list(names)
    rows = agebs[agebs["borough"].isin(codes)]
    column = rows["gm_2020"].map(GRADE_COLUMNS).fillna(NO_GRADE)
    people = (
        rows.groupby([rows["borough"], column])["pob_total"]
        .sum()
        .unstack(fill_value=0.0)
        .reindex(index=codes, columns=[*GRADE_COLUMNS.values(), NO_GRADE], fill_value=0.0)
        .astype(float)
    )
    counts = rows.groupby("borough").agg(
        agebs=("cvegeo", "size"), unknown_agebs=("pob_total", lambda p: int(p.isna().sum()))
    )
    counts = counts.reindex(codes, fill_value=0).astype(int)
    cited = fields.loc[list(FIELDS)]
    table = pd.DataFrame({"cvegeo": codes, "borough": [names[code] for code in codes]}).join(
        people.reset_index(drop=True)
    )
    table["people"] = people.sum(axis=1).to_numpy()
    table["people_high"] = people[[GRADE_COLUMNS[grade] for grade in HIGH_GRADES]].sum(axis=1).to_numpy()
    table["high_share"] = (table["people_high"] / table["people"].where(table["people"] > 0)).astype(float)
    table["agebs"] = counts["agebs"].to_numpy()
    table["unknown_agebs"] = counts["unknown_agebs"].to_numpy()
    table["selected"] = table["cvegeo"].isin(set(selected))
    table["year"] = int(fields.loc["gm_2020", "year"])
    table["source"] = "; ".join(dict.fromkeys(cited["source"]))
    table["source_url"] = "; ".join(dict.fromkeys(cited["source_url"]))
    return table.sort_values(["people_high", "borough"], ascending=[False, True]).reset_index(drop=True)


def grade_parts(columns: Mapping[str, str], palette_name: str, lang: str) -> list[tuple[str, str, str, str]]:
    """The (column, name, colour, pattern) of each grade's part of a bar, "Muy alto" first (at zero).

    ``columns`` gives each grade charted its column, least need first.
    """
    colours = grade_colours(palette_name)
    return [
        (columns[grade], t(f"labels.grade.{grade_key(grade)}", lang), colours[grade], "")
        for grade in reversed(columns)
    ]


def stack_grades(
    table: pd.DataFrame,
    parts: Sequence[tuple[str, str, str, str]],
    *,
    labels: Sequence[str],
    key: str,
    hover: str,
    share: Callable[[float, pd.Series], float],
    lang: str,
) -> go.Figure:
    """Stacked horizontal bars, one per row of ``table`` (top first), one trace per part, the first at zero.

    ``parts`` are (column, name, colour, pattern); ``labels`` the rows' escaped
    names; ``key`` the column of each mark's code (``customdata``); ``hover``
    the catalogue key of a part's hover text (``grade``, ``people``, ``share``),
    whose share (0–1) ``share`` gives from the part's people and its row.
    Rows with ``selected`` are highlighted (:func:`geo.charts._common.bar_highlight`).
    """
    fig = go.Figure()
    rows = [row for _, row in table.iterrows()]
    for column, name, colour, pattern in parts:
        style = bar_highlight(table["selected"].tolist(), colour)
        style["marker"]["pattern"] = {"shape": pattern, "fgcolor": "#555555"}
        texts = [
            t(
                hover,
                lang,
                grade=name,
                people=format_count(row[column], lang),
                share=format_value(100 * share(row[column], row), "percent", lang),
            )
            for row in rows
        ]
        fig.add_trace(
            go.Bar(
                x=table[column].tolist(),
                y=list(labels),
                orientation="h",
                name=markup.text(name),
                customdata=table[key].tolist(),
                hovertext=[
                    f"<b>{label}</b><br>{markup.text(text)}"
                    for label, text in zip(labels, texts, strict=True)
                ],
                hovertemplate="%{hovertext}" + NO_TRACE_BOX,
                **style,
            )
        )
    fig.update_layout(
        barmode="stack", legend={"title": {"text": markup.text(t("charts.grades.legend", lang))}}
    )
    fig.update_yaxes(categoryorder="array", categoryarray=list(labels), autorange="reversed")
    return fig


def _share(part: float, whole: float, lang: str) -> str:
    return format_value(100 * part / whole if whole else float("nan"), "percent", lang)


def grade_people(
    agebs: pd.DataFrame,
    fields: pd.DataFrame,
    *,
    names: Mapping[str, str],
    lang: str,
    palette_name: str = "ylorrd",
    selected: Iterable[str] = (),
) -> tuple[go.Figure, pd.DataFrame]:
    """Stacked horizontal bars, one per borough: its people by the grade of their AGEB.

    Most people in high grades on top; within a bar the grades run from
    "Muy alto" (darkest, at zero) to "Muy bajo", then a grey, hatched part for
    people without a grade if there are any. Selected boroughs keep full colour
    and an outline.
    """
    table = grade_people_data(agebs, fields, names=names, selected=selected)
    parts = grade_parts(GRADE_COLUMNS, palette_name, lang)
    if table[NO_GRADE].gt(0).any():
        parts.append((NO_GRADE, t("charts.grades.no_grade", lang), NO_DATA_COLOUR, "x"))
    fig = stack_grades(
        table,
        parts,
        labels=[markup.text(name) for name in table["borough"]],
        key="cvegeo",
        hover="charts.grades.hover",
        share=lambda people, row: people / row["people"] if row["people"] else float("nan"),
        lang=lang,
    )
    year = int(table["year"].iloc[0])
    note = t("charts.grades.note", lang, unknown=format_count(int(table["unknown_agebs"].sum()), lang))
    cited = [(source, year) for source in fields.loc[list(FIELDS), "source"]]
    layout(
        fig,
        title(t("charts.grades.title", lang, year=year), note),
        t("charts.grades.axis_x", lang, year=year),
        t("charts.ranking.axis_y", lang),
        source_line(cited, lang),
        height=600,
        lang=lang,
    )
    return fig, table


def describe_grade_people(table: pd.DataFrame, *, lang: str) -> str:
    """Text alternative of :func:`grade_people`: the borough with most people in high grades, and the city's."""
    top = table.iloc[0]
    people, high = float(table["people"].sum()), float(table["people_high"].sum())
    return t(
        "charts.describe.grades",
        lang,
        year=int(top["year"]),
        top=top["borough"],
        top_people=format_count(top["people_high"], lang),
        top_share=_share(top["people_high"], top["people"], lang),
        none=format_count(int(table["people_high"].eq(0).sum()), lang),
        high=format_count(high, lang),
        people=format_count(people, lang),
        share=_share(high, people, lang),
    )
