"""What the chart tests share: borough codes, a hostile name, synthetic sites, the source note."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import plotly.graph_objects as go

IZTAPALAPA = "09007"
MILPA_ALTA = "09009"
HOSTILE_NAME = "<img src=x onerror=alert(1)>"
ESCAPED_NAME = "&lt;img src=x onerror=alert(1)&gt;"
NNBSP = "\u202f"  # babel's (CLDR's) thousands separator for French


def source_note(fig: go.Figure) -> str:
    """The text of a figure's one source note (``geo.charts._common.layout``)."""
    notes = [note.text for note in fig.layout.annotations if note.name == "source"]
    assert len(notes) == 1
    return notes[0]


def synthetic_sites(*rows: tuple[str, str, str, str, str, str]) -> gpd.GeoDataFrame:
    """Synthetic sites from (name, programme, status, cvegeo, opened_kind, opened_date); none located."""
    frame = pd.DataFrame(
        rows, columns=["name", "programme", "status", "cvegeo", "opened_kind", "opened_date"]
    )
    return gpd.GeoDataFrame(frame, geometry=[None] * len(frame), crs="EPSG:4326")
