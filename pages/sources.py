"""Sources page: every dataset with its source, terms, vintage and build command.

Headings are in the view's language; dataset titles, descriptions and source
names are shown as written in ``data/datapackage.json`` and the indicator table.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from geo import markup
from geo.boundaries import ATTRIBUTION as BOUNDARIES_SOURCE
from geo.i18n import translator
from geo.indicators import REGISTRY, shown_sources
from geo.units import unit_label
from ui.data import get_atlas
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
