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
.atlas-table{border-collapse:collapse;font-size:0.85em;width:100%}
.atlas-table th,.atlas-table td{border-bottom:1px solid #ddd;padding:4px 6px;text-align:left;vertical-align:top}
.atlas-table th{background:#f4f4f6}
.atlas-table td.v{white-space:nowrap}
.atlas-sources{font-size:0.8em;margin-top:6px}
.atlas-sources li{overflow-wrap:anywhere}
.atlas-sites{font-size:0.9em;padding-left:18px}
</style>
"""

# For projectors and low vision: black on white, larger type, strong focus rings.
HIGH_CONTRAST_CSS = """
<style>
html, body, .stApp, [data-testid="stSidebar"] {background:#fff !important;color:#000 !important}
.stApp {font-size:1.15rem}
.stApp p, .stApp li, .stApp label, .stApp td, .stApp th {color:#000 !important}
[data-testid="stCaptionContainer"], [data-testid="stCaptionContainer"] *, [data-testid="stMetricLabel"] *,
.atlas-legend .n, .atlas-legend .meta, .atlas-legend .unit {color:#000 !important}
.atlas-legend .swatch {border:2px solid #000}
.atlas-table th, .atlas-table td {border-bottom:2px solid #000}
a {color:#0000cc !important;text-decoration:underline !important}
*:focus-visible {outline:3px solid #000 !important;outline-offset:2px}
</style>
"""


def apply(*, high_contrast: bool = False) -> None:
    """Add the Atlas styles to the page (once per run, before any page content)."""
    st.html(CSS + (HIGH_CONTRAST_CSS if high_contrast else ""))
