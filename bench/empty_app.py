"""Benchmark floor: an empty Streamlit page (a title only).

Served by ``python -m bench`` to measure what Streamlit itself costs a
browser (its frontend, its websocket session) before any map is drawn.
"""

import streamlit as st

st.title("Empty page")
