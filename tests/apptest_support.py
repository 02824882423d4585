"""Opening the app in AppTest (the ``offline_app`` fixture is in conftest.py)."""

from __future__ import annotations

import json
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


def select_in_chart(at: AppTest, key: str, *codes: str) -> AppTest:
    """Rerun the app as if the visitor had selected the marks whose ``customdata`` is ``codes`` in chart ``key``.

    AppTest has no browser to click in a plotly chart, so the selection is sent
    as the chart's widget state, the JSON Streamlit's frontend sends
    (``streamlit.elements.plotly_chart.PlotlySelectionState``), along with every
    other widget's state: the chart's ``on_select`` callback runs as after a click.
    """
    [chart] = [chart for chart in at.get("plotly_chart") if chart.key == key]
    states = at._tree.get_widget_states()
    state = states.widgets.add()
    state.id = chart.proto.id
    points = [{"customdata": code, "curve_number": 0, "point_index": n} for n, code in enumerate(codes)]
    state.string_value = json.dumps(
        {"selection": {"points": points, "point_indices": list(range(len(codes))), "box": [], "lasso": []}}
    )
    return at._run(states)


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
