"""How a table is shown: ``st.dataframe`` with its numbers as numbers, formatted per language."""

from __future__ import annotations

import streamlit as st
from pandas.api.types import is_bool_dtype

from geo.tables import ShownTable


def show_table(table: ShownTable) -> None:
    """Show ``table``: numeric columns as ``NumberColumn`` with their format, true/false ones as
    checkboxes, each headed by its label (or its name)."""
    frame = table.frame
    config: dict[str, object] = {}
    for column in frame.columns:
        label = table.labels.get(column, column)
        if column in table.formats:
            config[column] = st.column_config.NumberColumn(label, format=table.formats[column])
        elif is_bool_dtype(frame[column]):
            config[column] = st.column_config.CheckboxColumn(label)
        elif column in table.labels:
            config[column] = label
    st.dataframe(frame, hide_index=True, column_config=config)
