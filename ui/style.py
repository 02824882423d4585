"""Page styles for the HTML the Atlas renders itself (legend, plain tables)."""

from __future__ import annotations

import streamlit as st

CSS = """
<style>
.atlas-legend ul{list-style:none;padding:0;margin:4px 0;display:flex;flex-wrap:wrap;gap:4px 14px}
.atlas-legend li{display:flex;align-items:center;gap:6px}
.atlas-legend .swatch{display:inline-block;width:18px;height:14px;border:1px solid #888}
.atlas-legend .n,.atlas-legend .meta,.atlas-legend .unit{color:#555;font-size:0.85em}
.atlas-legend .source{font-size:0.85em}
.atlas-user-legend ul{display:block}
.atlas-user-legend li{display:block;margin-bottom:4px}
.atlas-table{border-collapse:collapse;font-size:0.85em;width:100%}
.atlas-table th,.atlas-table td{border-bottom:1px solid #ddd;padding:4px 6px;text-align:left;vertical-align:top}
.atlas-table th{background:#f4f4f6}
.atlas-table td.v{white-space:nowrap}
.atlas-sources{font-size:0.8em;margin-top:6px}
.atlas-sources li{overflow-wrap:anywhere}
.atlas-sites{font-size:0.9em;padding-left:18px}
dl.atlas-figures{display:grid;grid-template-columns:repeat(auto-fit,minmax(10rem,1fr));gap:0.5rem 1rem;margin:0 0 0.5rem;padding:0}
.atlas-figure{position:relative;min-width:0}
.atlas-figure dt{font-size:0.875rem;opacity:0.75;padding-right:1.6rem;font-weight:normal}
.atlas-figure dd{margin:0}
.atlas-figure-value{font-size:2.25rem;line-height:1.25}
.atlas-figure summary{position:absolute;top:0;right:0;list-style:none;cursor:pointer;width:1.1rem;height:1.1rem;
border:1px solid currentColor;border-radius:50%;font-size:0.75rem;line-height:1.05rem;text-align:center;opacity:0.75}
.atlas-figure summary::-webkit-details-marker{display:none}
.atlas-figure details p{font-size:0.85rem;margin:0.25rem 0 0}
.atlas-sr{position:absolute;width:1px;height:1px;margin:-1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
</style>
"""

# For projectors and low vision: black on white, larger type, strong focus rings.
HIGH_CONTRAST_CSS = """
<style>
html, body, .stApp, [data-testid="stSidebar"] {background:#fff !important;color:#000 !important}
.stApp {font-size:1.15rem}
.stApp p, .stApp li, .stApp label, .stApp td, .stApp th {color:#000 !important}
[data-testid="stCaptionContainer"], [data-testid="stCaptionContainer"] *,
.atlas-figure dt, .atlas-figure summary, .atlas-figure dd, .atlas-legend .n, .atlas-legend .meta, .atlas-legend .unit {color:#000 !important}
.atlas-legend .swatch {border:2px solid #000}
.atlas-table th, .atlas-table td {border-bottom:2px solid #000}
.atlas-figure dt, .atlas-figure summary {opacity:1}
.atlas-figure summary {border-width:2px}
a {color:#0000cc !important;text-decoration:underline !important}
*:focus-visible {outline:3px solid #000 !important;outline-offset:2px}
</style>
"""


def apply(*, high_contrast: bool = False) -> None:
    """Add the Atlas styles to the page (once per run, before any page content)."""
    st.html(CSS + (HIGH_CONTRAST_CSS if high_contrast else ""))
