"""Sources page: every dataset with its source, terms, vintage and build command, and what the
neighbourhood layers' build reports (keys that did not join, repairs, simplification, coverage).

Headings are in the view's language; dataset titles, descriptions and source
names are shown as written in ``data/datapackage.json`` and the indicator table;
keys and names from the build report as written, escaped.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from geo import markup
from geo.boundaries import ATTRIBUTION as BOUNDARIES_SOURCE
from geo.formatting import format_count
from geo.i18n import translator
from geo.indicators import REGISTRY, shown_sources
from geo.layerreport import report_findings
from geo.units import unit_label
from ui.data import get_atlas, get_neighbourhoods
from ui.view import current_view

atlas = get_atlas()
catalogue = atlas.catalogue
lang = current_view().lang
tr = translator(lang)

st.title(tr("sources.title"))
st.markdown(tr("sources.intro"))

for resource in catalogue["resources"]:
    st.subheader(resource["title"])
    st.markdown(resource.get("description", ""))
    links = "".join(
        f"<li>{markup.link(src['path'], src['title']) if markup.to_url(src['path']) else markup.text(src['title'] + ' — ' + src['path'])}</li>"
        for src in resource.get("sources", [])
    )
    terms = "; ".join(
        markup.link(lic["path"], lic["title"]) if lic.get("path") else markup.text(lic["title"])
        for lic in resource.get("licenses", [])
    )
    vintage = resource.get("vintage") or tr("sources.not_stated")
    st.html(
        f"<ul>{links}</ul><p><b>{markup.text(tr('sources.terms'))}</b> {terms}"
        f"<br><b>{markup.text(tr('sources.vintage'))}</b> {markup.text(vintage)}"
        f"<br><b>{markup.text(tr('sources.file'))}</b> <code>data/{markup.text(resource['path'])}</code>"
        f" · <b>{markup.text(tr('sources.rebuilt_by'))}</b> <code>{markup.text(resource.get('build', ''))}</code></p>"
    )

st.subheader(tr("sources.indicators"))
rows = atlas.indicators.drop_duplicates(["indicator", "year", "source", "source_url"])
columns = {key: tr(f"sources.column.{key}") for key in ("indicator", "year", "unit", "source", "link")}
st.dataframe(
    pd.DataFrame(
        {
            columns["indicator"]: [REGISTRY[i].title(lang) for i in rows["indicator"]],
            columns["year"]: rows["year"].astype(str),
            columns["unit"]: [unit_label(u, lang) for u in rows["unit"]],
            columns["source"]: shown_sources(atlas.indicators, rows, lang),
            columns["link"]: [markup.to_url(u.split(" | ")[0]) for u in rows["source_url"]],
        }
    ),
    hide_index=True,
    column_config={
        columns["link"]: st.column_config.LinkColumn(columns["link"], display_text=tr("sources.column.open"))
    },
)
derived = [ind for ind in REGISTRY.values() if ind.derived_from]
st.markdown(f"**{tr('sources.derived')}** " + "; ".join(f"{d.title(lang)} = {d.note(lang)}" for d in derived))
st.caption(tr("sources.boundaries", attribution=BOUNDARIES_SOURCE))

# Last: the neighbourhood layers load on first use, and a broken file stops the page only here.
layers = get_neighbourhoods()
st.subheader(tr("sources.layers.title"))
st.html(f"<p>{markup.text(tr('sources.layers.intro'))}</p>")
colonia_names = dict(zip(layers.colonias["cveut"], layers.colonias["name"], strict=True))
for finding in report_findings(layers.report, atlas.borough_names, colonia_names, lang):
    st.html(f"<p><b>{markup.text(finding.title)}.</b> {markup.text(finding.text)}</p>")
    if finding.rows:
        with st.expander(tr("sources.layers.list", n=format_count(len(finding.rows), lang))):
            st.html(markup.table(list(finding.columns), [list(row) for row in finding.rows]))
