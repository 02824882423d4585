"""Opening the app in AppTest (the ``offline_app`` fixture is in conftest.py)."""

from __future__ import annotations

import re

from streamlit.testing.v1 import AppTest

from geo import paths

APP = str(paths.ROOT / "app.py")


def run_app(**params: str) -> AppTest:
    """Run the app once with ``params`` in the URL (in English unless ``lang`` says otherwise)."""
    params.setdefault("lang", "en")
    at = AppTest.from_file(APP, default_timeout=60)
    for key, value in params.items():
        at.query_params[key] = value
    return at.run()


def view_widget(at: AppTest, name: str):
    """The widget bound to view field ``name`` (``ui.view.key``: its key changes with each redraw)."""
    pattern = re.compile(rf"^v\.{re.escape(name)}\.\d+$")
    for kind in ("selectbox", "multiselect", "checkbox", "radio", "slider", "select_slider", "toggle"):
        for widget in getattr(at, kind):
            if pattern.match(widget.key or ""):
                return widget
    raise KeyError(name)
