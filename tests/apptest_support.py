"""Opening the app in AppTest (the ``offline_app`` fixture is in conftest.py)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from html.parser import HTMLParser

from streamlit.testing.v1 import AppTest

from geo import paths
from geo.figures import Figure
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


# Which part of a figure an element holds, by its class or else its tag.
_FIGURE_PARTS = {"dt": "label", "atlas-figure-value": "value", "p": "help"}


class _FigureReader(HTMLParser):
    """Read the figures back from ``geo.figures.figures_html``: each part's text, as a browser shows it."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.figures: list[dict[str, str]] = []
        self.part: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if found.get("data-figure") is not None:
            self.figures.append({"key": found["data-figure"] or "", "label": "", "value": "", "help": ""})
        self.part = _FIGURE_PARTS.get(found.get("class") or tag) if self.figures else None

    def handle_endtag(self, tag: str) -> None:
        self.part = None

    def handle_data(self, data: str) -> None:
        if self.part:
            self.figures[-1][self.part] += data


def read_figures(html: str) -> list[Figure]:
    """The figures in an HTML snippet, in order (none when it has none)."""
    reader = _FigureReader()
    reader.feed(html)
    return [Figure(**figure) for figure in reader.figures]


def shown_figures(at: AppTest) -> dict[str, Figure]:
    """The headline figures of the last run (``st.html`` from ``geo.figures``), by label."""
    return {figure.label: figure for body in shown_html(at) for figure in read_figures(body)}
