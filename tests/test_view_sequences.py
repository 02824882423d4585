"""The view through random sequences of actions: URL, widgets and session always agree.

Hundreds of generated sequences drive ``ui.view`` itself (the one owner of the
view) against a small model of what Streamlit 1.67 does between runs: the
browser keeps each widget's *label* and sends it back on every run, where it
is turned into a value with the labels of the new run. A select box drawn in
English and read back after a switch to French is how a second language
switch once crashed the map page. After every action and run:

- the URL written for the view parses back to the same view, with no notice;
- every filter widget shows the view's value, under a label of the view's language;
- the view is valid for the data (the year exists for the indicator, the selection is a borough).

A few dozen sequences also run through AppTest on the real app.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from geo import state as urlstate
from geo.deck import slide_from_view, slide_state
from geo.i18n import LANGUAGES, t
from geo.indicators import NEIGHBOURHOOD_REGISTRY, REGISTRY
from geo.loaders import load_atlas
from geo.state import Options, ViewState, change, default_state, parse_query, to_query
from geo.vocabulary import AGEB_INDICATORS, AGEB_LEVEL, LEVELS, PROGRAMMES, STATUSES
from tests.apptest_support import run_app, view_widget
from ui import view

ATLAS = load_atlas()
OPTIONS = view.options_for(ATLAS, offline=True, language="es")
BOROUGHS = OPTIONS.boroughs
# Keys a click or a search may give: real colonias and AGEBs, none, and one of the other kind.
AREA_KEYS = ("", "07-291", "15-040", "0900700011301", "0900200010010", "99-999")


def labeller(name: str, lang: str) -> Callable[[object], str]:
    """What a widget shows for a value in ``lang``: the format functions of ``ui.view.filters``."""
    groups = {"scheme": "scheme", "palette": "palette", "base": "basemap", "level": "level"}
    if name == "ind":
        return lambda value: REGISTRY[str(value)].title(lang)
    if name == "aind":
        return lambda value: NEIGHBOURHOOD_REGISTRY[str(value)].title(lang)
    if name in groups:
        return lambda value: t(f"labels.{groups[name]}.{value}", lang)
    return repr


def widget_options(name: str, state: ViewState) -> list[object]:
    """The options a select box offers for ``state`` (others take any value)."""
    return {
        "ind": list(OPTIONS.indicator_years),
        "year": OPTIONS.indicator_years[state.ind],
        "scheme": list(urlstate.SCHEMES),
        "palette": list(urlstate.PALETTES),
        "base": list(urlstate.BASEMAPS),
        "level": list(LEVELS),
        "aind": list(AGEB_INDICATORS),
    }.get(name, [])


@dataclass
class Browser:
    """One visitor's session as Streamlit keeps it, and the labels the browser holds."""

    session: dict = field(default_factory=dict)
    labels: dict[str, tuple[str, str]] = field(default_factory=dict)  # widget key -> (name, label)

    def run(self) -> None:
        """A script run: widget values come back from their labels, then the filters are drawn."""
        current = self.session[view.VIEW_KEY]
        for widget_key, (name, label) in self.labels.items():
            choices = widget_options(name, current)
            if choices:
                shown = {labeller(name, current.lang)(option): option for option in choices}
                # Streamlit 1.67: a label that is no option of this run comes back as the raw string.
                self.session[widget_key] = shown.get(label, label)
        drawn = {}
        for name, shown in view.widget_values(current).items():
            widget_key = view.bind(name)["key"]
            # A widget new under its key starts at the value bind() gives it: the view's.
            value = self.session.setdefault(widget_key, shown)
            drawn[widget_key] = (name, labeller(name, current.lang)(value))
        self.labels = drawn

    def pick(self, name: str, value: object) -> None:
        """The visitor changes widget ``name``: its ``on_change`` runs, then the script."""
        widget_key = view.key(name)
        self.labels[widget_key] = (name, labeller(name, self.session[view.VIEW_KEY].lang)(value))
        self.session[widget_key] = value
        bound = view.bind(name)
        bound["on_change"](*bound["args"])
        self.run()


@pytest.fixture
def browser(monkeypatch: pytest.MonkeyPatch) -> Callable[[ViewState], Browser]:
    def open_with(state: ViewState) -> Browser:
        opened = Browser()
        opened.session.update({view.VIEW_KEY: state, view.OPTIONS_KEY: OPTIONS})
        monkeypatch.setattr("ui.view.st.session_state", opened.session)
        opened.run()
        return opened

    return open_with


def check(browser: Browser, where: str) -> None:
    """The invariant: one view, shown the same by the URL and by every widget."""
    state: ViewState = browser.session[view.VIEW_KEY]
    reloaded = parse_query({**to_query(state, OPTIONS), "lang": state.lang}, OPTIONS)
    assert reloaded == state, where
    assert not reloaded.notices, where
    assert state.year in OPTIONS.indicator_years[state.ind], where
    assert state.sel in ("", *BOROUGHS), where
    assert state.col in ("", *OPTIONS.colonias), where
    assert state.ageb in ("", *OPTIONS.agebs), where
    for name, value in view.widget_values(state).items():
        shown = browser.session[view.key(name)]
        if name == "boro":  # the chips stay in the order picked; the view keeps them sorted
            assert sorted(shown) == value, f"{where}: widget {name}"
            continue
        assert shown == value, f"{where}: widget {name}"
        assert browser.labels[view.key(name)] == (name, labeller(name, state.lang)(value)), where


# --- actions ---------------------------------------------------------------------------------------

boroughs = st.lists(st.sampled_from(BOROUGHS), unique=True, max_size=4)
widget_picks = st.one_of(
    st.tuples(st.just("lang"), st.sampled_from(LANGUAGES)),
    st.tuples(st.just("ind"), st.sampled_from(list(OPTIONS.indicator_years))),
    st.tuples(st.just("year"), st.integers(0, 10)),  # an index into the indicator's years
    st.tuples(
        st.sampled_from([f"prog.{p}" for p in PROGRAMMES] + [f"status.{s}" for s in STATUSES]), st.booleans()
    ),
    st.tuples(st.just("opened"), st.integers(*OPTIONS.opened_years)),
    st.tuples(st.just("boro"), boroughs),
    st.tuples(st.just("scheme"), st.sampled_from(urlstate.SCHEMES)),
    st.tuples(st.just("k"), st.sampled_from(urlstate.CLASS_COUNTS)),
    st.tuples(st.just("palette"), st.sampled_from(urlstate.PALETTES)),
    st.tuples(st.sampled_from(["reach", "contrast"]), st.booleans()),
    st.tuples(st.just("level"), st.sampled_from(LEVELS)),
    st.tuples(st.just("aind"), st.sampled_from(AGEB_INDICATORS)),
)
actions = st.one_of(
    st.tuples(st.just("widget"), widget_picks),
    st.tuples(st.just("chart"), boroughs),
    st.tuples(st.just("click"), st.sampled_from(("", *BOROUGHS))),
    st.tuples(st.just("pick_area"), st.tuples(st.sampled_from(("col", "ageb")), st.sampled_from(AREA_KEYS))),
    st.tuples(st.just("pan"), st.tuples(st.floats(19.1, 19.6), st.floats(-99.4, -98.9), st.integers(8, 18))),
    st.tuples(st.just("slide"), st.tuples(st.sampled_from(list(OPTIONS.indicator_years)), boroughs)),
    st.tuples(st.just("reload"), st.none()),
)


def act(browser: Browser, action: tuple, open_with: Callable[[ViewState], Browser]) -> Browser:
    kind, detail = action
    now: ViewState = browser.session[view.VIEW_KEY]
    if kind == "widget":
        name, value = detail
        if name == "year":
            years = OPTIONS.indicator_years[now.ind]
            value = years[value % len(years)]
        if name == "aind" and now.level != AGEB_LEVEL:  # the box is drawn at the AGEB level only
            browser.pick("level", AGEB_LEVEL)
        browser.pick(name, value)
    elif kind == "chart":
        view.select_boroughs(tuple(detail))
        browser.run()
    elif kind == "click":
        view.update(sel=detail)
        browser.run()
    elif kind == "pick_area":  # a colonia found by name or clicked, an AGEB clicked (any key: bad ones drop)
        field_name, key = detail
        view.update(**{field_name: key})
        browser.run()
    elif kind == "pan":
        lat, lon, zoom = detail
        view.update(lat=round(lat, 3), lon=round(lon, 3), z=zoom)
        browser.run()
    elif kind == "slide":
        indicator, chosen = detail
        saved = slide_from_view(
            "atlas", change(now, OPTIONS, ind=indicator, boro=chosen), OPTIONS, "", "", "en"
        )
        view.show(slide_state(saved, OPTIONS, lang=now.lang, contrast=now.contrast))
        browser.run()
    else:  # a reload opens a new session on the URL
        return open_with(parse_query({**to_query(now, OPTIONS), "lang": now.lang}, OPTIONS))
    return browser


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(start=st.sampled_from(LANGUAGES), steps=st.lists(actions, max_size=12))
def test_any_sequence_keeps_url_widgets_and_session_together(
    browser: Callable[[ViewState], Browser], start: str, steps: list[tuple]
) -> None:
    current = browser(default_state(Options(**{**OPTIONS.__dict__, "default_language": start})))
    check(current, "opened")
    for number, action in enumerate(steps):
        current = act(current, action, browser)
        check(current, f"step {number}: {action}")


def test_the_sequences_that_crashed_the_map_page(browser: Callable[[ViewState], Browser]) -> None:
    """EN→FR→ES (a palette label came back) and ES→FR→ES (a scheme label came back)."""
    for languages in (("en", "fr", "es"), ("es", "fr", "es")):
        current = browser(replace_lang(default_state(OPTIONS), languages[0]))
        for lang in languages[1:]:
            current.pick("lang", lang)
            check(current, f"switched to {lang}")


def replace_lang(state: ViewState, lang: str) -> ViewState:
    return change(state, OPTIONS, lang=lang)


# --- the same through AppTest: a few dozen seeded sequences -----------------------------------------

APP_STEPS = {
    "lang": lambda rng, now: rng.choice([code for code in LANGUAGES if code != now.lang]),
    "ind": lambda rng, now: rng.choice(list(OPTIONS.indicator_years)),
    "status.announced": lambda rng, now: "announced" not in now.status,
    "prog.utopias": lambda rng, now: "utopias" not in now.prog,
    "boro": lambda rng, now: rng.sample(list(BOROUGHS), rng.randint(0, 2)),
    "palette": lambda rng, now: rng.choice(urlstate.PALETTES),
    "scheme": lambda rng, now: rng.choice(urlstate.SCHEMES),
    "level": lambda rng, now: rng.choice([level for level in LEVELS if level != now.level]),
}
PAGES = ("pages/map.py", "pages/compare.py", "pages/profile.py", "pages/sources.py")


@pytest.mark.usefixtures("offline_app")
@pytest.mark.parametrize("seed", range(24))
def test_seeded_sequences_in_the_app(seed: int) -> None:
    rng = random.Random(seed)
    at = run_app(lang=rng.choice(LANGUAGES))
    for step in range(4):
        now: ViewState = at.session_state[view.VIEW_KEY]
        choice = rng.choice([*APP_STEPS, "page", "reload"])
        if choice == "page":
            at.switch_page(rng.choice(PAGES)).run()
        elif choice == "reload":
            at = run_app(**dict(at.query_params))
        else:
            view_widget(at, choice).set_value(APP_STEPS[choice](rng, now)).run()
        where = f"seed {seed}, step {step}: {choice}"
        assert not at.exception, f"{where}: {at.exception}"
        now = at.session_state[view.VIEW_KEY]
        assert dict(at.query_params) == {**to_query(now, OPTIONS), "lang": now.lang}, where
        for name, value in view.widget_values(now).items():
            shown = view_widget(at, name).value
            assert (sorted(shown) if name == "boro" else shown) == value, f"{where}: widget {name}"
