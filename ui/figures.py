"""How every chart is shown: the figure, its text alternative, its image downloads, its data."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from geo.charts.display import display_table
from geo.i18n import t
from geo.markup import markdown_text
from ui.exports import chart_downloads


def show_chart(
    figure: go.Figure,
    table: pd.DataFrame,
    description: str,
    key: str,
    lang: str,
    *,
    on_select: Callable[[], None] | None = None,
) -> None:
    """Show a chart with everything a reader may need besides the picture.

    ``on_select`` makes the chart's marks selectable (click, box, lasso) and is
    called with the selection in ``st.session_state[key]``.
    """
    selection = {"on_select": on_select, "selection_mode": ("points", "box", "lasso")} if on_select else {}
    st.plotly_chart(figure, key=key, config={"displaylogo": False}, **selection)
    st.caption(markdown_text(description))
    chart_downloads(figure, key, lang)
    with st.expander(t("charts.data_table", lang)):
        st.dataframe(display_table(table, lang), hide_index=True)
