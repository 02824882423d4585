"""Streamlit glue shared by the pages: cached data, the shared filters and URL state."""
