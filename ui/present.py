"""The presentation deck in the app: the session's deck, presenting mode and its controls.

The deck lives in the session (``DECK_KEY``); the slide being presented in
``SLIDE_KEY`` (``None`` when not presenting). Opening a slide makes its saved
view the current view (:func:`ui.view.show`) and switches to its page, so a
slide is the real page drawn from the saved URL state. While presenting, the
URL carries ``deck`` (a shipped deck's id, or the deck packed by
:func:`geo.deck.encode`), ``slide`` and ``present=1``, so a reload or a shared
link opens the same slide.
"""

from __future__ import annotations

import urllib.parse
from collections.abc import Mapping
from dataclasses import replace
from datetime import date

import streamlit as st
from streamlit.navigation.page import StreamlitPage

from geo import deck as decks
from geo import markup
from geo.brief.content import slide_brief
from geo.brief.layout import brief_png
from geo.deck import Deck, DeckError
from geo.i18n import LANGUAGES, t, translator
from geo.loaders import Atlas
from geo.markup import markdown_text
from geo.screens import BY_NAME, BY_SLUG, HOME
from geo.slides import default_title, slide_sources
from geo.state import Options, ViewState
from geo.userlayers import deck_layer, from_deck
from ui import team, view
from ui.data import map_model_of
from ui.exports import lazy_download
from ui.userlayers import add_layer, new_ident, session_layers

DECK_KEY = "atlas_deck"
REF_KEY = "atlas_deck_ref"
SLIDE_KEY = "atlas_slide"
ARRIVED_KEY = "atlas_slide_arrived"
# The parts of a view the audience may change during a slide: pan, zoom, click a borough, colonia or AGEB.
LIVE_FIELDS = ("lat", "lon", "z", "sel", "col", "ageb")
ARRIVAL_TOLERANCE = 0.002  # degrees: the map reports its centre a few metres off
MAP_STATE_KEY = "atlas_map"  # what the Map page's st_folium last reported (pages/map.py MAP_KEY)
STARTED_KEY = "atlas_deck_url_read"
ERROR_KEY = "atlas_deck_error"
LANG_KEY = "deck_lang"

# Presenting: no sidebar, header or toolbar; full width and large type.
PRESENTING_CSS = """
<style>
section[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="stHeader"],
[data-testid="stToolbar"], [data-testid="stDecoration"], [data-testid="stSidebarNav"] {display:none !important}
.stMainBlockContainer, .block-container {max-width:100% !important;padding:1rem 2.5rem 9rem !important}
.stApp {font-size:1.3rem}
.stMainBlockContainer h1 {display:none}
.deck-title {font-size:2.4rem;font-weight:700;line-height:1.15;margin:0 0 .2rem}
.deck-sub {font-size:1rem;color:#444}
.deck-note {font-size:1.35rem;line-height:1.4;margin:.3rem 0}
.deck-sources {font-size:.95rem;color:#222}
.deck-count {font-size:1.1rem;font-weight:600;text-align:center}
.st-key-deck_footer {position:fixed;left:0;right:0;bottom:0;z-index:999990;background:#fff;
  border-top:2px solid #555;padding:.4rem 2.5rem .5rem;gap:.3rem}
</style>
"""

# Arrow keys, Page Up/Down (what presentation clickers send) and Escape press the
# deck's buttons. Installed once per page; keys pressed while the map (an iframe of
# the same origin) has focus are caught there too, so a clicker works wherever focus is.
KEYBOARD_JS = """
<script>
(() => {
  const w = window.parent && window.parent.document ? window.parent : window;
  if (w.__atlasDeckKeys) return;
  w.__atlasDeckKeys = true;
  const keys = {ArrowRight: "deck_next", PageDown: "deck_next", ArrowLeft: "deck_prev",
                PageUp: "deck_prev", Escape: "deck_exit"};
  const press = (event) => {
    const key = keys[event.key];
    const target = event.target;
    if (!key || event.altKey || event.ctrlKey || event.metaKey) return;
    if (target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName))) return;
    const button = w.document.querySelector(`.st-key-${key} button`);
    if (!button || button.disabled) return;
    event.preventDefault();
    event.stopPropagation();
    button.click();
  };
  const watch = (doc) => {
    if (!doc || doc.__atlasDeckKeys) return;
    doc.__atlasDeckKeys = true;
    doc.addEventListener("keydown", press, true);
  };
  watch(w.document);
  w.setInterval(() => {
    for (const frame of w.document.querySelectorAll("iframe")) {
      try { watch(frame.contentDocument); } catch (e) { /* another origin: not ours */ }
    }
  }, 500);
})();
</script>
"""


def current_deck() -> Deck:
    """The session's deck (empty until a slide is added or a deck is opened)."""
    return st.session_state.get(DECK_KEY) or Deck()


def presenting() -> int | None:
    """The index of the slide being presented, or ``None``."""
    index = st.session_state.get(SLIDE_KEY)
    deck = current_deck()
    return index if index is not None and 0 <= index < len(deck.slides) else None


def set_deck(deck: Deck, reference: str | None = None) -> None:
    """Make ``deck`` the session's deck; ``reference`` is its shipped id, if it is one unchanged."""
    st.session_state[DECK_KEY] = deck
    st.session_state[REF_KEY] = reference
    st.session_state[ERROR_KEY] = []
    # The editor's inputs are keyed by slide number: after a move or delete they
    # must be rebuilt from the deck, not keep the text of the slide that was there.
    for key in [k for k in st.session_state if str(k).startswith(("deck_title_", "deck_note_"))]:
        del st.session_state[key]


def go_to(index: int, options: Options) -> None:
    """Open slide ``index``: its view becomes the current one (the page follows in :func:`follow`)."""
    deck = current_deck()
    index = min(max(index, 0), len(deck.slides) - 1)
    now = view.current_view()
    st.session_state[SLIDE_KEY] = index
    st.session_state[ARRIVED_KEY] = None
    view.show(decks.slide_state(deck.slides[index], options, lang=now.lang, contrast=now.contrast))


def stop_presenting() -> None:
    st.session_state[SLIDE_KEY] = None


def _arrived(slide: ViewState) -> bool:
    """Whether the map itself has reported the slide's centre and zoom (not an earlier slide's)."""
    reported = st.session_state.get(MAP_STATE_KEY) or {}
    center, zoom = reported.get("center") or {}, reported.get("zoom")
    return (
        zoom == slide.z
        and abs(center.get("lat", 999) - slide.lat) <= ARRIVAL_TOLERANCE
        and abs(center.get("lng", 999) - slide.lon) <= ARRIVAL_TOLERANCE
    )


def pin(options: Options) -> None:
    """While presenting, hold the view on the current slide's (call before the sidebar).

    The filters are hidden while presenting, so they always come from the
    slide: a rerun that the browser started before the slide changed (the map
    reporting its position, say) must not bring the previous slide's filters
    back. Pan, zoom and a clicked borough are the audience's once the map has
    reached the slide's position; until then the slide's win as well.
    """
    index = presenting()
    if index is None:
        return
    now = view.current_view()
    # Language and contrast are the presenter's, not the slide's.
    slide = decks.slide_state(current_deck().slides[index], options, lang=now.lang, contrast=now.contrast)
    live = {}
    if st.session_state.get(ARRIVED_KEY) == index or _arrived(slide):
        st.session_state[ARRIVED_KEY] = index
        live = {name: getattr(now, name) for name in LIVE_FIELDS}
    pinned = replace(slide, **live)
    if pinned != now:
        view.show(pinned)


def start(options: Options) -> None:
    """Read ``deck``/``slide``/``present`` from the URL, once per session, after the view.

    A bad deck reference leaves the session's deck alone and says why on
    whatever page opens, with the URL's other notices; a good one with
    ``present=1`` opens its slide (1 if not given).
    """
    if st.session_state.get(STARTED_KEY):
        return
    st.session_state[STARTED_KEY] = True
    params = st.query_params.to_dict()
    reference = params.get("deck")
    if not reference:
        return
    lang = view.current_view().lang
    try:
        deck = open_reference(reference, options, lang)
    except DeckError as exc:
        view.notify(exc.problems)
        return
    set_deck(deck, reference if not reference.startswith(decks.URL_PREFIX + ".") else None)
    restore_layers(deck)
    if params.get("present") == "1" and deck.slides:
        try:
            number = int(params.get("slide", "1"))
        except ValueError:
            number = 1
        go_to(number - 1, options)


def open_reference(reference: str, options: Options, lang: str) -> Deck:
    """The deck a link names: one the team published (``team.<id>``), or :func:`geo.deck.from_reference`'s."""
    prefix = decks.TEAM_PREFIX + "."
    if not reference.startswith(prefix):
        return decks.from_reference(reference, options, lang)
    body = team.published_deck(reference[len(prefix) :])
    if body is None:
        raise DeckError([t("deck.error.unknown", lang, name=markdown_text(reference[:60]))])
    return decks.parse_deck(body, options, lang)


def page_path(page: StreamlitPage) -> str:
    """A page's URL path (its screen's slug); the default page has an empty one in Streamlit."""
    return page.url_path or HOME.slug


def follow(page: StreamlitPage, pages: Mapping[str, StreamlitPage]) -> None:
    """While presenting, switch to the page of the current slide (``pages`` by slug) if another is showing."""
    index = presenting()
    if index is None:
        return
    wanted = current_deck().slides[index].page
    if page_path(page) != wanted:
        st.switch_page(pages[wanted])


def url_params() -> dict[str, str]:
    """The deck's part of the URL while presenting (nothing otherwise)."""
    index = presenting()
    if index is None:
        return {}
    reference = st.session_state.get(REF_KEY) or decks.encode(current_deck())
    return {"deck": reference, "slide": str(index + 1), "present": "1"}


def deck_link(lang: str) -> str:
    """A link that opens the session's deck on its first slide, presenting, in ``lang``."""
    return _presenting_link(st.session_state.get(REF_KEY) or decks.encode(current_deck()), lang)


def team_deck_link(ident: str, lang: str) -> str:
    """A link that presents the team's published deck ``ident`` from its first slide, on any computer."""
    return _presenting_link(f"{decks.TEAM_PREFIX}.{ident}", lang)


def _presenting_link(reference: str, lang: str) -> str:
    query = urllib.parse.urlencode({"deck": reference, "present": "1", "lang": lang})
    page_url = (st.context.url or "").split("?")[0]
    root = page_url.rsplit("/", 1)[0] + "/" if page_url.count("/") > 2 else page_url
    return f"{root}?{query}"


def carried_layers() -> list[decks.DeckLayer]:
    """The session's layers a slide saved now shows, as a deck carries them."""
    return [deck_layer(layer) for layer in session_layers() if layer.kind in decks.LAYER_KINDS]


def restore_layers(deck: Deck) -> list[str]:
    """Add the layers ``deck`` carries to the session (once each); the names of those not usable.

    A layer with the name and source of one already restored from a deck is
    not added again (the same file opened twice).
    """
    have = {(layer.name, layer.source) for layer in session_layers() if layer.from_deck}
    unusable = []
    for carried in deck.layers:
        if (carried.name, carried.source) in have:
            continue
        layer = from_deck(carried, new_ident())
        if layer is None:
            unusable.append(carried.name)
        else:
            add_layer(layer)
    return unusable


def add_current_view(page: str, options: Options, atlas: Atlas, title: str, note: str) -> None:
    """Append the current view on ``page`` to the deck (sidebar button callback)."""
    state = view.current_view()
    deck = current_deck()
    if not deck.slides:
        deck = Deck(lang=state.lang)
    title = title.strip() or default_title(page, state, state.lang, atlas.borough_names)
    try:
        changed = decks.add(deck, decks.slide_from_view(page, state, options, title, note, state.lang))
        changed = decks.carry(changed, carried_layers())
    except DeckError as exc:
        st.session_state[ERROR_KEY] = exc.problems
        return
    set_deck(changed)
    st.session_state["deck_new_title"] = ""
    st.session_state["deck_new_note"] = ""
    st.toast(translator(state.lang)("deck.added", n=len(changed.slides)), icon=":material/check_circle:")


def sidebar_controls(page_path: str, options: Options, atlas: Atlas, state: ViewState) -> None:
    """ "Add this view to the deck" in the sidebar, on every page that can be a slide."""
    tr = translator(state.lang)
    deck = current_deck()
    with st.sidebar.expander(tr("deck.sidebar", n=len(deck.slides)), expanded=False):
        if BY_SLUG[page_path].slide:
            st.text_input(tr("deck.slide_title"), key="deck_new_title", max_chars=decks.MAX_TITLE)
            st.text_area(tr("deck.slide_note"), key="deck_new_note", max_chars=decks.MAX_NOTE, height=80)
            st.button(
                tr("deck.add"),
                key="deck_add",
                icon=":material/add_to_queue:",
                on_click=lambda: add_current_view(
                    page_path,
                    options,
                    atlas,
                    st.session_state.get("deck_new_title", ""),
                    st.session_state.get("deck_new_note", ""),
                ),
            )
        else:
            st.caption(tr("deck.not_a_slide"))
        st.page_link(BY_NAME["deck"].file, label=tr("deck.open_editor"), icon=":material/slideshow:")


def _switch_language() -> None:
    """The presenter changes language mid-deck."""
    chosen = st.session_state.get(LANG_KEY)
    if chosen in LANGUAGES:
        view.update(lang=chosen)


def slide_header(state: ViewState) -> None:
    """The slide's title (large) and note above the page; the page's own title is hidden."""
    deck = current_deck()
    slide = deck.slides[presenting()]
    note = deck.text(slide.note, state.lang)
    st.html(PRESENTING_CSS)
    st.html(
        f'<div class="deck-title" role="heading" aria-level="1">'
        f"{markup.text(deck.text(slide.title, state.lang))}</div>"
        + (
            f'<div class="deck-sub">{markup.text(deck.text(deck.title, state.lang))}</div>'
            if deck.title
            else ""
        )
        + (f'<div class="deck-note">{markup.text(note)}</div>' if note else "")
    )


def slide_footer(state: ViewState, options: Options, atlas: Atlas) -> None:
    """A bar fixed to the bottom: source line, slide number and the buttons keys and clickers press."""
    tr = translator(state.lang)
    index = presenting()
    deck = current_deck()
    slide = deck.slides[index]
    model = map_model_of(atlas, state)
    sources = slide_sources(model, slide.page)
    with st.container(key="deck_footer"):
        st.html(
            f'<div class="deck-sources">{markup.text(tr("deck.sources", sources=" · ".join(sources)))}</div>'
        )
        prev_col, count_col, next_col, exit_col, png_col, lang_col, keys_col = st.columns(
            [1.1, 1.1, 1.1, 0.9, 1.3, 1.3, 2.2], vertical_alignment="center"
        )
        prev_col.button(
            tr("deck.previous"),
            key="deck_prev",
            icon=":material/arrow_back:",
            disabled=index == 0,
            on_click=go_to,
            args=(index - 1, options),
            use_container_width=True,
        )
        count_col.html(
            f'<div class="deck-count" aria-live="polite">'
            f"{markup.text(tr('deck.count', n=index + 1, total=len(deck.slides)))}</div>"
        )
        next_col.button(
            tr("deck.next"),
            key="deck_next",
            icon=":material/arrow_forward:",
            disabled=index == len(deck.slides) - 1,
            on_click=go_to,
            args=(index + 1, options),
            use_container_width=True,
            type="primary",
        )
        exit_col.button(
            tr("deck.exit"),
            key="deck_exit",
            icon=":material/close:",
            on_click=stop_presenting,
            use_container_width=True,
        )
        link = view.share_link(state)  # now: the file is made later, outside this session's run
        lazy_download(
            png_col,
            tr("deck.slide_png"),
            lambda: brief_png(slide_brief(slide.page, atlas, model, url=link, exported=date.today())),
            file_name=f"cdmx-atlas-slide-{index + 1}-{state.lang}.png",
            mime="image/png",
            key="deck_png",
            help=tr("deck.slide_png_help"),
            stretch=True,
        )
        st.session_state[LANG_KEY] = state.lang
        lang_col.segmented_control(
            t("sidebar.language", state.lang),
            LANGUAGES,
            key=LANG_KEY,
            format_func=str.upper,
            label_visibility="collapsed",
            help=t("sidebar.language", state.lang),
            on_change=_switch_language,
        )
        keys_col.caption(tr("deck.keys"))
    st.html(KEYBOARD_JS, unsafe_allow_javascript=True)
