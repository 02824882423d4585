"""The borough panel as safe HTML: every figure with its year and a numbered source.

A narrow side panel cannot hold long source names in a column, so each value
carries a footnote number and the sources are listed once underneath, each
linked where it has a URL. Headings and statuses are in the view's language;
indicator values, names and sources are formatted or shown as in the data.
"""

from __future__ import annotations

import pandas as pd

from geo import markup
from geo.i18n import translator
from geo.indicators import REGISTRY, display_value


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
