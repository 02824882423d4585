"""The borough panel as safe HTML: every figure with its year and a numbered source.

A narrow side panel cannot hold long source names in a column, so each value
carries a footnote number and the sources are listed once underneath, each
linked where it has a URL. Headings and statuses are in the view's language;
indicator values, names and sources are formatted or shown as in the data.
"""

from __future__ import annotations

import pandas as pd

from geo import markup
from geo.areamodel import AgebProfile, grade_names
from geo.colonias import ColoniaSummary
from geo.coverage import sites_source
from geo.formatting import format_count, format_value
from geo.i18n import translator
from geo.indicators import REGISTRY, display_value
from geo.vocabulary import MARGINALISATION_GRADES

#: A colonia less urban than this (share of its area in AGEBs with data) says so in its panel.
URBAN_SHARE_NOTED = 0.95


def profile_html(profile: pd.DataFrame, lang: str = "en") -> str:
    """Return a borough's figures (from ``geo.filters.borough_profile``) with footnoted sources."""
    tr = translator(lang)
    sources: dict[tuple[str, str], int] = {}
    rows = []
    for row in profile.itertuples():
        key = (row.source, row.source_url)
        number = sources.setdefault(key, len(sources) + 1)
        shown = display_value(row.indicator, row.value, row.category, lang)
        rows.append(
            f"<tr><td>{markup.text(REGISTRY[row.indicator].title(lang))}</td><td>{row.year}</td>"
            f"<td class='v'>{markup.text(shown)}<sup>{number}</sup></td></tr>"
        )
    notes = []
    for (name, url), number in sources.items():
        pairs = markup.source_pairs(url)
        links = ", ".join(markup.link(link, label) if link else markup.text(label) for label, link in pairs)
        notes.append(f"<li value='{number}'>{markup.text(name)}{' — ' + links if links else ''}</li>")
    headers = "".join(f"<th>{markup.text(tr(f'panel.{key}'))}</th>" for key in ("indicator", "year", "value"))
    summary = markup.text(tr("panel.sources", n=len(sources)))
    return (
        f"<table class='atlas-table'><thead><tr>{headers}</tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table>"
        f"<details class='atlas-sources'><summary>{summary}</summary><ol>{''.join(notes)}</ol></details>"
    )


def sites_html(sites: pd.DataFrame, lang: str = "en") -> str:
    """Return a borough's sites as a list: name, status, and whether it is on the map."""
    tr = translator(lang)
    off_map = f" · {tr('panel.not_on_the_map')}"
    items = "".join(
        f"<li>{markup.text(site.name)} ({markup.text(tr(f'labels.status.{site.status}').lower())}"
        f"{'' if site.geometry is not None else markup.text(off_map)})</li>"
        for site in sites.itertuples()
    )
    return f"<ul class='atlas-sites'>{items}</ul>"


def ageb_html(profile: AgebProfile, lang: str = "en") -> str:
    """Return an AGEB's figures (from :func:`geo.areamodel.ageb_profile`), each with its unit, then the one source."""
    tr = translator(lang)
    rows = "".join(
        f"<tr><td>{markup.text(label)}</td><td class='v'>{markup.text(value)}"
        f"<br><span class='unit'>{markup.text(unit)}</span></td></tr>"
        for label, value, unit in profile.rows
    )
    headers = "".join(f"<th>{markup.text(tr(f'panel.{key}'))}</th>" for key in ("indicator", "value"))
    cited = (
        markup.link(profile.source_url, profile.source) if profile.source_url else markup.text(profile.source)
    )
    return (
        f"<table class='atlas-table'><thead><tr>{headers}</tr></thead><tbody>{rows}</tbody></table>"
        f"<p class='atlas-source'>{markup.text(tr('legend.source'))} {cited} ({profile.year})</p>"
    )


def colonia_html(summary: ColoniaSummary, borough_name: str, lang: str = "en") -> str:
    """Return a colonia's panel: estimated people by grade, share in high marginalisation, nearest open UTOPÍA.

    Every population is an area-weighted estimate and says so; where no AGEB
    with data overlaps the colonia, the figures read "no data".
    """
    tr = translator(lang)
    missing = tr("labels.missing")
    total = summary.population_estimate
    lines = [
        (tr("areas.panel.borough"), borough_name or missing),
        (tr("areas.panel.population"), format_count(total, lang) if total is not None else missing),
        (
            tr("areas.panel.high_share"),
            format_value(100 * summary.high_share, "percent", lang)
            if summary.high_share is not None
            else missing,
        ),
    ]
    site = summary.nearest_site
    lines.append(
        (
            tr("areas.panel.nearest"),
            tr("areas.panel.nearest_value", name=site.name, distance=format_count(site.distance_m, lang))
            if site is not None
            else missing,
        )
    )
    facts = "".join(
        f"<tr><td>{markup.text(k)}</td><td class='v'>{markup.text(v)}</td></tr>" for k, v in lines
    )
    grades = dict(zip(MARGINALISATION_GRADES, grade_names(lang), strict=True))
    by_grade = "".join(
        f"<tr><td>{markup.text(grades[grade])}</td><td class='v'>{markup.text(format_count(people, lang))}</td></tr>"
        for grade, people in reversed(summary.people_by_grade.items())
    )
    notes = [tr("areas.panel.estimate_note"), tr("areas.colonia_source"), sites_source(lang)]
    if summary.urban_share < URBAN_SHARE_NOTED:
        notes.insert(
            0, tr("areas.panel.partly_urban", share=format_value(100 * summary.urban_share, "percent", lang))
        )
    grade_table = (
        f"<table class='atlas-table'><thead><tr><th>{markup.text(tr('areas.panel.grade'))}</th>"
        f"<th>{markup.text(tr('areas.panel.people'))}</th></tr></thead><tbody>{by_grade}</tbody></table>"
        if by_grade
        else ""
    )
    return f"<table class='atlas-table'><tbody>{facts}</tbody></table>{grade_table}" + "".join(
        f"<p class='atlas-source'>{markup.text(note)}</p>" for note in notes
    )
