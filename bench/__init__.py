"""``python -m bench``: what the Atlas map costs a browser, against a naive map and an empty page.

See ``bench/README.md``. Modules: ``measure`` (servers, Chromium, CDP),
``payload`` (decoding Streamlit's websocket messages), ``report`` (figures,
targets, table, JSON), ``cli`` (the command). ``naive_app.py`` and
``empty_app.py`` are the two reference pages Streamlit serves.
"""
