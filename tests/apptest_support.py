"""Opening the app in AppTest (the ``offline_app`` fixture is in conftest.py)."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from geo import paths
from ui.first_paint import PAINTED_KEY

APP = str(paths.ROOT / "app.py")


def run_app(**params: str) -> AppTest:
    """Run the app once with ``params`` in the URL (in English unless ``lang`` says otherwise).

    AppTest has no browser, so no map reports back: the session starts as one whose
    first paint is done and draws the sidebar at once (``tests/test_first_paint.py``
    tests the first paint itself).
    """
    params.setdefault("lang", "en")
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state[PAINTED_KEY] = True
    for key, value in params.items():
        at.query_params[key] = value
    return at.run()
