"""The neighbourhood layers' build report (``data/neighbourhoods_report.json``) in words, for the Sources page.

The build (:mod:`geo.neighbourhoods`) records what did not join, what it
repaired, what straddles a border and how far simplification moved the
shapes. :func:`report_findings` turns that record into sentences in the
reader's language, each with the rows behind it (keys, names, boroughs), so
the page can say plainly what the AGEB and colonia maps leave out or estimate.

Keys, place names and the build's own notes are data, returned as plain text:
the page escapes them. Pure Python: no Streamlit.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from geo.formatting import format_count, format_value
from geo.i18n import t, translator
from geo.vocabulary import MARGINALISATION_GRADES, grade_key


@dataclass(frozen=True)
class Finding:
    """One thing the build report says: a short title, a sentence, and the rows behind it (maybe none)."""

    title: str
    text: str
    columns: tuple[str, ...] = ()
    rows: tuple[tuple[str, ...], ...] = ()


def _metres(value: float, lang: str) -> str:
    """A distance in metres with its decimals (``25.7``), written the way ``lang`` writes numbers."""
    return format_value(value, "decimal", lang)


def _ageb_findings(report: Mapping, names: Mapping[str, str], lang: str) -> list[Finding]:
    tr = translator(lang)
    agebs = report["agebs"]
    key, borough = tr("sources.layers.column.key"), tr("sources.layers.column.borough")
    unjoined = agebs["index_rows_without_polygon"]
    no_row = agebs["polygons_without_index_row"]
    straddling = agebs["straddling_a_borough_line"]
    return [
        Finding(
            tr("sources.layers.join.title"),
            tr(
                "sources.layers.join.text",
                matched=format_count(agebs["matched"], lang),
                rows=format_count(agebs["index_rows"], lang),
                polygons=format_count(agebs["polygons"], lang),
            ),
        ),
        Finding(
            tr("sources.layers.no_polygon.title", n=format_count(len(unjoined), lang)),
            tr("sources.layers.no_polygon.text"),
            (key, borough, tr("sources.layers.column.people"), tr("sources.layers.column.grade")),
            tuple(
                (
                    row["cvegeo"],
                    names.get(row["borough"], row["borough"]),
                    format_count(row["pob_total"], lang),
                    _grade(row["gm_2020"], lang),
                )
                for row in unjoined
            ),
        ),
        Finding(
            tr("sources.layers.no_row.title", n=format_count(len(no_row), lang)),
            tr("sources.layers.no_row.text"),
            (key, borough),
            tuple((code, names.get(_borough_of(code), _borough_of(code))) for code in no_row),
        ),
        Finding(
            tr("sources.layers.straddling.title", n=format_count(len(straddling), lang)),
            tr("sources.layers.straddling.text", rule=agebs.get("straddle_rule", "")),
            (key, borough, tr("sources.layers.column.outside"), tr("sources.layers.column.also_in")),
            tuple(
                (
                    row["cvegeo"],
                    names.get(row["borough"], row["borough"]),
                    format_value(100 * row["share_outside"], "percent", lang),
                    ", ".join(names.get(code, code) for code in row["also_in"]),
                )
                for row in straddling
            ),
        ),
    ]


def _colonia_findings(
    report: Mapping, names: Mapping[str, str], colonia_names: Mapping[str, str], lang: str
) -> list[Finding]:
    tr = translator(lang)
    colonias = report["colonias"]
    key, name, borough = (tr(f"sources.layers.column.{c}") for c in ("key", "name", "borough"))
    repaired = colonias["geometries_repaired"]
    unmatched = colonias["borough_not_matched"]
    misplaced = colonias["borough_name_disagrees_with_location"]
    nested = colonias["nested_in_another_unit"]
    unestimated = colonias["without_population_estimate"]
    outside = tr("sources.layers.outside_city")
    return [
        Finding(
            tr("sources.layers.repaired.title", n=format_count(len(repaired), lang)),
            tr("sources.layers.repaired.text", units=format_count(colonias["units"], lang)),
            (key, name, tr("sources.layers.column.problem")),
            tuple((row["cveut"], row["name"], row["problem"]) for row in repaired),
        ),
        Finding(
            tr("sources.layers.unmatched.title", n=format_count(len(unmatched), lang)),
            tr("sources.layers.unmatched.text"),
            (key, name, tr("sources.layers.column.iecm_borough")),
            tuple((row["cveut"], row["nomut"], row["nomdt"]) for row in unmatched),
        ),
        Finding(
            tr("sources.layers.misplaced.title", n=format_count(len(misplaced), lang)),
            tr("sources.layers.misplaced.text"),
            (key, name, borough, tr("sources.layers.column.point_in")),
            tuple(
                (
                    row["cveut"],
                    row["name"],
                    names.get(row["borough"], row["borough"]),
                    names.get(row["point_in"], row["point_in"]) if row["point_in"] else outside,
                )
                for row in misplaced
            ),
        ),
        _colonia_keys(
            "nested",
            nested,
            colonia_names,
            lang,
            metres=_metres(colonias["overlap_resolution_max_move_m"], lang),
        ),
        _colonia_keys(
            "unestimated",
            unestimated,
            colonia_names,
            lang,
            total=format_count(colonias["population_estimate_total"], lang),
        ),
    ]


def _colonia_keys(
    finding: str, keys: list[str], colonia_names: Mapping[str, str], lang: str, **fields: str
) -> Finding:
    """A finding that lists colonias by key (``sources.layers.<finding>``), each with its name."""
    tr = translator(lang)
    return Finding(
        tr(f"sources.layers.{finding}.title", n=format_count(len(keys), lang)),
        tr(f"sources.layers.{finding}.text", **fields),
        (tr("sources.layers.column.key"), tr("sources.layers.column.name")),
        tuple((key, colonia_names.get(key, "")) for key in keys),
    )


def _simplification(report: Mapping, lang: str) -> Finding:
    tr = translator(lang)
    shapes = report["simplification"]
    repaired = [
        (tr(f"sources.layers.layer.{layer}"), code)
        for layer in ("agebs", "colonias")
        for code in shapes[layer]["repaired_after_quantisation"]
    ]
    return Finding(
        tr("sources.layers.simplified.title"),
        tr(
            "sources.layers.simplified.text",
            agebs=_metres(shapes["agebs"]["max_displacement_m"], lang),
            colonias=_metres(shapes["colonias"]["max_displacement_m"], lang),
            limit=_metres(shapes["limit_m"], lang),
            method=shapes["method"],
        ),
        (tr("sources.layers.column.layer"), tr("sources.layers.column.key")),
        tuple(repaired),
    )


def _grade(grade: str, lang: str) -> str:
    """One of CONAPO's grades in ``lang``; anything else as it is."""
    return t(f"labels.grade.{grade_key(grade)}", lang) if grade in MARGINALISATION_GRADES else grade


def _borough_of(ageb: str) -> str:
    """The borough code inside an AGEB key (state 2 + municipality 3 digits)."""
    return ageb[:5]


def _coverage(report: Mapping, lang: str) -> Finding:
    """How much of the city's population CONAPO's urban index covers, said plainly."""
    tr, coverage = translator(lang), report["urban_coverage"]
    return Finding(
        tr("sources.layers.coverage.title"),
        tr(
            "sources.layers.coverage.text",
            covered=format_count(coverage["index_population"], lang),
            city=format_count(coverage["city_population_2020"], lang),
            share=format_value(100 * coverage["share"], "percent", lang),
        ),
    )


def report_findings(
    report: Mapping, names: Mapping[str, str], colonia_names: Mapping[str, str], lang: str
) -> tuple[Finding, ...]:
    """What the build report says about the AGEBs, the colonias and their shapes, in ``lang``.

    ``names`` are the boroughs' by code; ``colonia_names`` the colonias' by
    key (the report names only some of them).
    """
    return (
        _coverage(report, lang),
        *_ageb_findings(report, names, lang),
        *_colonia_findings(report, names, colonia_names, lang),
        _simplification(report, lang),
    )
