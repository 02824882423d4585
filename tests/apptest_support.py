"""Opening the app in AppTest (the ``offline_app`` fixture is in conftest.py)."""

from __future__ import annotations

import re
from collections.abc import Iterator

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


def view_widget(at: AppTest, name: str):
    """The widget bound to view field ``name`` (``ui.view.key``: its key changes with each redraw)."""
    pattern = re.compile(rf"^v\.{re.escape(name)}\.\d+$")
    for kind in ("selectbox", "multiselect", "checkbox", "radio", "slider", "select_slider", "toggle"):
        for widget in getattr(at, kind):
            if pattern.match(widget.key or ""):
                return widget
    raise KeyError(name)


def _nodes(node: object) -> Iterator[object]:
    yield node
    for child in getattr(node, "children", {}).values():
        yield from _nodes(child)


# Elements whose body Streamlit renders as Markdown (text, captions, alerts, headings, toasts).
_MARKDOWN_BODIES = {"Markdown", "Alert", "Heading", "Toast"}


def shown_markdown(at: AppTest) -> list[str]:
    """Every text of the last run that the browser renders as Markdown: bodies, labels, help."""
    texts = []
    for node in _nodes(at._tree):
        proto = getattr(node, "proto", None)
        if proto is None:
            continue
        if type(proto).__name__ in _MARKDOWN_BODIES:
            texts.append(proto.body)
        texts += [getattr(proto, f) for f in ("label", "help", "placeholder") if hasattr(proto, f)]
    return [text for text in texts if isinstance(text, str) and text]


def shown_html(at: AppTest) -> list[str]:
    """Every HTML snippet of the last run (``st.html``)."""
    return [
        node.proto.body for node in _nodes(at._tree) if type(getattr(node, "proto", None)).__name__ == "Html"
    ]
