"""CDMX Inclusion Atlas: data loading, validation, joins, classification and builders.

Everything in this package is plain Python (no Streamlit calls), so it can be
tested and reused outside the app. The page layer in ``pages/`` calls into it.
"""
