"""The team's published layers and decks as widgets: the lists every visitor sees, and the editors' controls.

Used by the "Your data" page (layers, sign-in, audit log) and the
Presentation page (decks). Names, sources and ids come from editors' files
and typing: they are shown escaped, never as Markdown. Every control calls
:mod:`ui.team`, which checks the role on the server before writing.
"""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st

from geo import deck as decks
from geo import markup
from geo.formatting import format_count, format_day
from geo.i18n import translator
from geo.screens import HOME
from geo.store import Record
from geo.store.store import Family
from ui import present, team
from ui.view import current_options, update

_TEXT = {
    "layer": ("team.published_heading", "team.published_intro", "team.none_published"),
    "deck": ("team.decks_heading", "team.decks_intro", "team.none_published_decks"),
}


def _line(text: str, css: str = "atlas-note") -> None:
    st.html(f"<p class='{css}'>{markup.text(text)}</p>")


def notice() -> None:
    """What the last write did (or why it was refused), once."""
    said = team.take_notice()
    if said is not None:
        _line(said[1], "atlas-team-notice" if said[0] == "done" else "atlas-team-error")


def _records(family: Family, editor: bool) -> Sequence[Record] | None:
    found = team.catalogue()
    if found is None:
        return None
    records = found.layers if family == "layer" else found.decks
    return [record for record in records if editor or not record.deleted]


def _describe(record: Record, lang: str) -> str:
    tr = translator(lang)
    date = format_day(record.published_at.date().isoformat(), lang)
    if record.family == "deck":
        return tr("team.deck_line", n=format_count(record.rows, lang), version=record.version, date=date)
    return tr(
        "team.layer_line",
        kind=tr(f"your_data.kinds.{record.kind}"),
        n=format_count(record.rows, lang),
        version=record.version,
        date=date,
        source=record.source,
    )


def published(family: Family, lang: str) -> None:
    """The published layers or decks: every visitor sees the list; editors restore and delete.

    On the layers' page editors also read the audit log.
    """
    tr = translator(lang)
    heading, intro, empty = _TEXT[family]
    editor = team.is_editor()
    st.subheader(tr(heading))
    _line(tr(intro))
    records = _records(family, editor)
    if records is None:
        _line(tr("team.unavailable"))
        return
    if not records:
        _line(tr(empty))
    for record in records:
        deleted = "<br>" + markup.text(tr("team.deleted")) if record.deleted else ""
        st.html(
            f"<p class='atlas-team-{family}'><b>{markup.text(record.name)}</b> "
            f"<code>{markup.text(record.ident)}</code><br>{markup.text(_describe(record, lang))}{deleted}</p>"
        )
        if family == "deck" and not record.deleted:
            _deck_actions(record, lang)
        if family == "layer" and not record.deleted:
            _show_only(record, lang)
        if editor:
            _editor_controls(record, lang)
    if editor and family == "layer":
        with st.expander(tr("team.audit_heading")):
            st.dataframe(team.audit_table(lang), hide_index=True, width="stretch")


def _show_only(record: Record, lang: str) -> None:
    """Open the map with only this published layer (``pub=<id>`` in the URL, which a slide keeps)."""
    if st.button(translator(lang)("team.show_only"), key=f"team.show.{record.ident}"):
        update(pub=(record.ident,))
        st.switch_page(HOME.file)


def _open_deck(ident: str, lang: str) -> None:
    reference = f"{decks.TEAM_PREFIX}.{ident}"
    try:
        opened = present.open_reference(reference, current_options(), lang)
    except decks.DeckError as exc:
        st.session_state[present.ERROR_KEY] = exc.problems
        return
    present.set_deck(opened, reference)
    present.restore_layers(opened)


def _deck_actions(record: Record, lang: str) -> None:
    """Open a published deck in this session, or copy the link that presents it anywhere."""
    tr = translator(lang)
    open_col, link_col = st.columns([1, 3])
    open_col.button(
        tr("team.open_deck"), key=f"team.open.{record.ident}", on_click=_open_deck, args=(record.ident, lang)
    )
    with link_col.expander(tr("team.deck_link")):
        st.code(present.team_deck_link(record.ident, lang), language=None, wrap_lines=True)


def _editor_controls(record: Record, lang: str) -> None:
    """Restore an earlier version, delete or undo the deletion: an editor's controls for one item."""
    tr = translator(lang)
    earlier = [v for v in team.versions(record.ident, record.family) if v.version != record.version]
    version_col, restore_col, delete_col = st.columns(3)
    if earlier:
        chosen = version_col.selectbox(
            tr("team.versions"),
            earlier,
            format_func=lambda version: tr(
                "team.version_label",
                version=version.version,
                date=format_day(version.published_at.date().isoformat(), lang),
                editor=version.editor,
                n=format_count(version.rows, lang),
            ),
            key=f"team.version.{record.family}.{record.ident}",
        )
        restore_col.button(
            tr("team.restore"),
            key=f"team.restore.{record.family}.{record.ident}",
            on_click=team.restore,
            args=(record.ident, chosen.version, lang, record.family),
        )
    delete_col.button(
        tr("team.undelete" if record.deleted else "team.delete"),
        key=f"team.delete.{record.family}.{record.ident}",
        on_click=team.set_deleted,
        args=(record.ident, not record.deleted, lang, record.family),
    )


def publish_deck(deck: decks.Deck, lang: str) -> None:
    """An editor's "publish this deck": a new deck, or a new version of a published one."""
    if not team.is_editor() or not deck.slides:
        return
    tr = translator(lang)
    records = _records("deck", editor=True) or []
    target_col, button_col = st.columns(2)
    target = target_col.selectbox(
        tr("team.publish_as"),
        [None, *(record.ident for record in records if not record.deleted)],
        format_func=lambda ident: tr("team.publish_new_deck") if ident is None else ident,
        key="team.target.deck",
    )
    button_col.button(
        tr("team.publish_deck"),
        key="team.publish.deck",
        on_click=team.publish_deck,
        args=(deck, target, lang),
    )


def sign_in(lang: str) -> None:
    """Editors sign in (a local account, or the city's identity provider where configured)."""
    tr = translator(lang)
    script = team.cookie_script()
    if script is not None:
        st.html(script, unsafe_allow_javascript=True)
    who = team.identity()
    with st.expander(tr("team.sign_in_heading"), expanded=who is not None):
        if who is not None:
            _line(tr("team.signed_in" if team.is_editor() else "team.signed_in_viewer", name=who))
            st.button(tr("team.sign_out"), key="team.sign_out", on_click=team.sign_out)
            return
        if team.oidc_configured():
            st.button(tr("team.sign_in_oidc"), key="team.oidc", on_click=st.login)
        with st.form("team.sign_in", clear_on_submit=True):
            name = st.text_input(tr("team.name"), max_chars=40)
            password = st.text_input(tr("team.password"), type="password", max_chars=200)
            if st.form_submit_button(tr("team.sign_in")):
                problem = team.sign_in(name.strip(), password, lang)
                if problem is None:
                    st.rerun()
                _line(problem, "atlas-team-error")
