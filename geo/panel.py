"""The borough panel as safe HTML: every figure with its year and a numbered source.

A narrow side panel cannot hold long source names in a column, so each value
carries a footnote number and the sources are listed once underneath, each
linked where it has a URL.
"""

from __future__ import annotations

import pandas as pd

from geo import markup
from geo.indicators import REGISTRY, display_value
from geo.mapview import STATUS_LABELS


def profile_html(profile: pd.DataFrame, lang: str = "en") -> str:
    """Return a borough's figures (from ``geo.filters.borough_profile``) with footnoted sources."""
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
    return (
        "<table class='atlas-table'><thead><tr><th>Indicator</th><th>Year</th><th>Value</th></tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table>"
        f"<details class='atlas-sources'><summary>Sources ({len(sources)})</summary><ol>{''.join(notes)}</ol></details>"
    )


def sites_html(sites: pd.DataFrame) -> str:
    """Return a borough's sites as a list: name, status, and whether it is on the map."""
    items = "".join(
        f"<li>{markup.text(site.name)} ({markup.text(STATUS_LABELS[site.status].lower())}"
        f"{'' if site.geometry is not None else ' · not on the map'})</li>"
        for site in sites.itertuples()
    )
    return f"<ul class='atlas-sites'>{items}</ul>"
