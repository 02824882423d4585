"""Presentation page: the deck of saved views, to reorder, edit, save, load and present."""

from __future__ import annotations

import streamlit as st

from geo import deck as decks
from geo import markup
from geo.i18n import translator
from geo.markup import markdown_text
from geo.slides import page_name, summary
from ui import present, teamview
from ui.data import get_atlas
from ui.view import current_options, current_view

atlas = get_atlas()
view = current_view()
options = current_options()
tr = translator(view.lang)
deck = present.current_deck()
UPLOAD_KEY = "deck_upload"


def _load_upload() -> None:
    """Replace the deck with the uploaded file's, or keep it and say why (upload callback)."""
    uploaded = st.session_state.get(UPLOAD_KEY)
    if uploaded is None:
        return
    try:
        opened = decks.parse_deck(uploaded.getvalue(), options, view.lang)
    except decks.DeckError as exc:
        st.session_state[present.ERROR_KEY] = [
            tr("deck.error.file", name=markdown_text(uploaded.name)),
            *exc.problems,
        ]
        return
    present.set_deck(opened)
    unusable = present.restore_layers(opened)
    if unusable:
        st.session_state[present.ERROR_KEY] = [
            tr("deck.layers.unusable", names=", ".join(markdown_text(name) for name in unusable))
        ]


def _open_shipped(deck_id: str) -> None:
    try:
        present.set_deck(decks.from_reference(deck_id, options, view.lang), deck_id)
    except decks.DeckError as exc:
        st.session_state[present.ERROR_KEY] = exc.problems


def _save_edit(index: int) -> None:
    present.set_deck(
        decks.edit(
            present.current_deck(),
            index,
            view.lang,
            title=st.session_state[f"deck_title_{index}"],
            note=st.session_state[f"deck_note_{index}"],
        )
    )


def _change(operation, *args) -> None:  # type: ignore[no-untyped-def]
    """Apply a deck operation (move, delete) to the session's deck."""
    present.set_deck(operation(present.current_deck(), *args))


st.title(tr("deck.title"))
st.markdown(tr("deck.intro"))

for problem in st.session_state.get(present.ERROR_KEY) or []:
    st.error(problem, icon=":material/error:")
teamview.notice()

load_col, sample_col = st.columns(2)
with load_col:
    st.file_uploader(
        tr("deck.upload"), type=["json"], key=UPLOAD_KEY, on_change=_load_upload, help=tr("deck.upload_help")
    )
with sample_col:
    shipped = decks.shipped_decks()
    if shipped:
        chosen = st.selectbox(
            tr("deck.samples"),
            shipped,
            key="deck_sample",
            format_func=lambda deck_id: decks.shipped_title(deck_id, view.lang),
        )
        st.button(tr("deck.open_sample"), key="deck_open_sample", on_click=_open_shipped, args=(chosen,))

if deck.missing:
    missing = ", ".join(markdown_text(name) for name in deck.missing)
    st.warning(tr("deck.layers.missing", names=missing), icon=":material/warning:")
if deck.layers:
    carried = ", ".join(markdown_text(layer.name) for layer in deck.layers)
    st.caption(tr("deck.layers.carried", names=carried))

if not deck.slides:
    st.info(tr("deck.empty"), icon=":material/info:")
else:
    st.subheader(markdown_text(deck.text(deck.title, view.lang)) or tr("deck.untitled"))
    actions = st.columns(3)
    actions[0].button(
        tr("deck.present"),
        key="deck_present",
        icon=":material/slideshow:",
        type="primary",
        on_click=present.go_to,
        args=(0, options),
        use_container_width=True,
    )
    actions[1].download_button(
        tr("deck.download"),
        data=decks.to_json(deck).encode("utf-8"),
        file_name="atlas-deck.json",
        mime="application/json",
        key="deck_download",
        help=tr("deck.download_help", limit_kb=decks.MAX_LAYER_BYTES // 1000),
        icon=":material/download:",
        use_container_width=True,
    )
    actions[2].button(
        tr("deck.clear"),
        key="deck_clear",
        icon=":material/delete_sweep:",
        on_click=present.set_deck,
        args=(decks.Deck(),),
        use_container_width=True,
    )
    with st.expander(tr("deck.link")):
        st.caption(tr("deck.link_help"))
        st.code(present.deck_link(view.lang), language=None, wrap_lines=True)
    teamview.publish_deck(deck, view.lang)

    for index, slide in enumerate(deck.slides):
        state = decks.slide_state(slide, options, lang=view.lang, contrast=view.contrast)
        with st.container(border=True, key=f"deck_slide_{index}"):
            title = deck.text(slide.title, view.lang) or tr("deck.untitled")
            # The author's words as text (HTML-escaped), never as Markdown.
            st.html(f"<p><strong>{markup.text(f'{index + 1}. {title}')}</strong></p>")
            st.caption(
                f"{page_name(slide.page, view.lang)} · {summary(state, view.lang, atlas.borough_names, slide.page)}"
            )
            note = deck.text(slide.note, view.lang)
            if note:
                st.text(note)
            up, down, present_here, remove, _ = st.columns([1, 1, 1.6, 1, 1.4])
            up.button(
                tr("deck.up"),
                key=f"deck_up_{index}",
                icon=":material/arrow_upward:",
                disabled=index == 0,
                on_click=_change,
                args=(decks.move, index, -1),
            )
            down.button(
                tr("deck.down"),
                key=f"deck_down_{index}",
                icon=":material/arrow_downward:",
                disabled=index == len(deck.slides) - 1,
                on_click=_change,
                args=(decks.move, index, 1),
            )
            present_here.button(
                tr("deck.present_here"),
                key=f"deck_go_{index}",
                icon=":material/play_arrow:",
                on_click=present.go_to,
                args=(index, options),
            )
            remove.button(
                tr("deck.delete"),
                key=f"deck_delete_{index}",
                icon=":material/delete:",
                on_click=_change,
                args=(decks.delete, index),
            )
            with st.expander(tr("deck.edit")):
                st.text_input(
                    tr("deck.slide_title"),
                    value=slide.title.get(view.lang, ""),
                    key=f"deck_title_{index}",
                    max_chars=decks.MAX_TITLE,
                )
                st.text_area(
                    tr("deck.slide_note"),
                    value=slide.note.get(view.lang, ""),
                    key=f"deck_note_{index}",
                    max_chars=decks.MAX_NOTE,
                )
                st.button(tr("deck.save_edit"), key=f"deck_save_{index}", on_click=_save_edit, args=(index,))

teamview.published("deck", view.lang)
teamview.sign_in(view.lang)
