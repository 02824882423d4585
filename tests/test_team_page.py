"""The team's store on the "Your data" page, through AppTest: sign in, publish, restore, delete, and who sees what.

Each test has a store of its own (an SQLite file in a temporary folder named
by ``ATLAS_STORE``) with SYNTHETIC accounts; the layer published is the
SYNTHETIC CSV of tests/your_data_fixtures.py. A new AppTest is a new visitor.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import update
from streamlit.testing.v1 import AppTest

from e2e.harness import free_port
from geo import users
from geo.i18n import t
from geo.store import Store, open_store
from geo.store.schema import users as accounts
from tests.apptest_support import run_app
from tests.markdown_oracle import rendered_text
from tests.test_deck_page import add_view, open_deck_page
from tests.test_your_data_page import PAGE, _button, _uploaded
from tests.your_data_fixtures import INSIDE, sites_csv
from ui import team
from ui.present import DECK_KEY, SLIDE_KEY

EDITOR, VIEWER = "ana.editora", "victor"
PASSWORD = "synthetic password for tests"


@pytest.fixture
def team_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Store:
    folder = tmp_path / "synthetic-team-store"
    monkeypatch.setenv("ATLAS_STORE", str(folder))
    store = open_store(folder)
    users.add(store, EDITOR, PASSWORD, "editor")
    users.add(store, VIEWER, PASSWORD, "viewer")
    return store


def _html(at: AppTest, css: str) -> list[str]:
    return [html.value for html in at.get("html") if f"class='{css}'" in html.value]


def _sign_in(at: AppTest, name: str, password: str = PASSWORD) -> AppTest:
    [name_box] = [box for box in at.text_input if box.label == t("team.name", "en")]
    [password_box] = [box for box in at.text_input if box.label == t("team.password", "en")]
    name_box.input(name)
    password_box.input(password)
    [submit] = [button for button in at.button if button.label == t("team.sign_in", "en")]
    submit.click().run()
    assert not at.exception
    return at


def _confirmed_layer() -> AppTest:
    at = _uploaded(sites_csv())
    next(radio for radio in at.radio if radio.key.endswith(".outside")).set_value("drop").run()
    _button(at, ".confirm").click().run()
    assert not at.exception
    return at


def _write_buttons(at: AppTest) -> list[str]:
    return [
        b.key for b in at.button if (b.key or "").startswith(("team.publish", "team.restore", "team.delete"))
    ]


def _team_sites(at: AppTest) -> str | None:
    at.switch_page("pages/map.py").run()
    assert not at.exception
    lines = _html(at, "atlas-team-sites")
    return lines[0] if lines else None


def test_a_visitor_sees_no_write_control_and_a_sign_in_form(team_store: Store) -> None:
    at = _confirmed_layer()
    assert _write_buttons(at) == []
    assert any(t("team.none_published", "en") in html for html in _html(at, "atlas-note"))
    assert [box.label for box in at.text_input if box.label == t("team.password", "en")]


def test_a_wrong_password_signs_nobody_in_and_repeated_failures_are_refused(team_store: Store) -> None:
    at = run_app()
    at.switch_page(PAGE).run()
    for _ in range(users.MAX_FAILURES):
        _sign_in(at, EDITOR, "not the password at all")
        assert t("team.bad_password", "en") in " ".join(_html(at, "atlas-team-error"))
    _sign_in(at, EDITOR)  # the right password, too late: the name is locked for a while
    assert t("team.rate_limited", "en") in " ".join(_html(at, "atlas-team-error"))
    assert not [b for b in at.button if b.key == "team.sign_out"]
    actions = [entry.action for entry in team_store.audit()]
    assert actions.count("sign_in_failed") == users.MAX_FAILURES
    assert "sign_in_refused" in actions


def test_an_editor_publishes_and_another_visitor_sees_the_layer_without_write_controls(
    team_store: Store,
) -> None:
    at = _confirmed_layer()
    _sign_in(at, EDITOR)
    assert t("team.signed_in", "en", name=EDITOR) in " ".join(_html(at, "atlas-note"))
    _button(at, "team.publish.layer1").click().run()
    assert not at.exception
    [said] = _html(at, "atlas-team-notice")
    assert "version 1" in said
    assert _html(at, "atlas-user-layer") == [], "published, the layer is the team's, no longer the session's"
    [audit] = [frame.value for frame in at.dataframe]
    assert list(audit.iloc[:2, 2]) == [t("team.actions.publish", "en"), t("team.actions.account_added", "en")]
    [record] = team_store.catalogue().layers
    assert (record.rows, record.editor, record.version) == (INSIDE, EDITOR, 1)
    [entry] = [entry for entry in team_store.audit() if entry.action.startswith("publish")]
    assert len(entry.sha256 or "") == 64
    assert entry.summary["rows"] == INSIDE

    other = run_app()
    assert f": {INSIDE}" in (_team_sites(other) or "")
    other.switch_page(PAGE).run()
    assert _write_buttons(other) == []
    assert any(record.ident in html for html in _html(other, "atlas-team-layer"))


def test_an_editor_restores_an_earlier_version_and_deletes_and_undeletes(team_store: Store) -> None:
    at = _confirmed_layer()
    _sign_in(at, EDITOR)
    _button(at, "team.publish.layer1").click().run()
    [record] = team_store.catalogue().layers
    # a second version of the same layer from another upload: this time the site outside the city is kept
    smaller = _uploaded(sites_csv())
    smaller.session_state["atlas_team_identity"] = EDITOR
    next(radio for radio in smaller.radio if radio.key.endswith(".outside")).set_value("keep").run()
    _button(smaller, ".confirm").click().run()
    next(box for box in smaller.selectbox if box.key == "team.target.layer1").set_value(record.ident).run()
    _button(smaller, "team.publish.layer1").click().run()
    assert [r.version for r in team_store.versions(record.ident)] == [1, 2]
    assert team_store.catalogue().layers[0].rows != INSIDE

    at.run()
    _button(at, f"team.restore.layer.{record.ident}").click().run()
    assert not at.exception
    [current] = team_store.catalogue().layers
    assert (current.version, current.rows, current.restored_from) == (3, INSIDE, 1)

    _button(at, f"team.delete.layer.{record.ident}").click().run()
    assert _team_sites(run_app()) is None, "a deleted layer is drawn for nobody"
    at.switch_page(PAGE).run()
    _button(at, f"team.delete.layer.{record.ident}").click().run()  # now "undo the deletion"
    assert f": {INSIDE}" in (_team_sites(run_app()) or "")


def test_a_write_after_the_editor_lost_the_right_is_refused_on_the_server_and_logged(
    team_store: Store,
) -> None:
    """The buttons were drawn for an editor; the account is made a viewer before the click."""
    at = _confirmed_layer()
    _sign_in(at, EDITOR)
    with team_store.writing() as connection:
        connection.execute(update(accounts).where(accounts.c.name == EDITOR).values(role="viewer"))
    _button(at, "team.publish.layer1").click().run()
    assert t("team.refused", "en") in " ".join(_html(at, "atlas-team-error"))
    assert team_store.catalogue().layers == ()
    assert any(entry.action == "refused:write" and entry.editor == EDITOR for entry in team_store.audit())


def test_an_editor_publishes_the_deck_and_another_visitor_opens_its_link_presenting(
    team_store: Store,
) -> None:
    at = run_app()
    add_view(at, "Pobreza, toda la ciudad (SYNTHETIC deck)")
    open_deck_page(at)
    assert not [b for b in at.button if b.key == "team.publish.deck"], "no publish before signing in"
    _sign_in(at, EDITOR)
    _button(at, "team.publish.deck").click().run()
    assert not at.exception
    [record] = team_store.catalogue().decks
    assert (record.rows, record.editor, record.version) == (1, EDITOR, 1)

    colleague = run_app(deck=f"team.{record.ident}", present="1")
    assert not colleague.exception
    assert colleague.session_state[SLIDE_KEY] == 0
    assert colleague.query_params["deck"] == f"team.{record.ident}"

    viewer = open_deck_page(run_app())
    assert any(record.ident in html for html in _html(viewer, "atlas-team-deck"))
    assert _write_buttons(viewer) == []
    _button(viewer, f"team.open.{record.ident}").click().run()
    assert [s.title["en"] for s in viewer.session_state[DECK_KEY].slides] == [
        "Pobreza, toda la ciudad (SYNTHETIC deck)"
    ]


def test_a_link_to_a_deck_the_team_never_published_says_so(team_store: Store) -> None:
    at = run_app(deck="team.no-such-deck", present="1")
    assert not at.exception
    assert SLIDE_KEY not in at.session_state or at.session_state[SLIDE_KEY] is None
    assert any("no-such-deck" in (rendered_text(warning.value) or "") for warning in at.warning)


def test_a_published_layer_has_a_stable_id_a_link_and_a_slide_can_name(team_store: Store) -> None:
    at = _confirmed_layer()
    _sign_in(at, EDITOR)
    _button(at, "team.publish.layer1").click().run()
    [record] = team_store.catalogue().layers

    viewer = run_app()
    viewer.switch_page(PAGE).run()
    _button(viewer, f"team.show.{record.ident}").click().run()
    assert not viewer.exception
    assert viewer.query_params["pub"] == record.ident
    assert f": {INSIDE}" in (_team_sites(viewer) or "")
    [only] = _html(viewer, "atlas-team-pub")
    assert "sitios" in only
    add_view(viewer, "Con los sitios del equipo")
    assert viewer.session_state[DECK_KEY].slides[0].view["pub"] == record.ident

    gone = run_app(pub="obra-borrada")
    assert _team_sites(gone) is None
    [said] = _html(gone, "atlas-team-pub")
    assert "obra-borrada" in said
    _button(gone, "team.pub_all").click().run()
    assert "pub" not in gone.query_params
    assert f": {INSIDE}" in (_team_sites(gone) or "")
    assert _team_sites(run_app(pub="-")) is None
    assert f": {INSIDE}" in (_team_sites(run_app()) or ""), "with no pub, every published layer is drawn"


def test_a_store_that_is_down_leaves_the_atlas_working_and_is_not_asked_at_every_rerun(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """ATLAS_DATABASE_URL names a PostgreSQL nobody listens on (a loopback port left free)."""
    monkeypatch.setenv("ATLAS_DATABASE_URL", f"postgresql+psycopg://atlas@127.0.0.1:{free_port()}/atlas")
    monkeypatch.setattr(team, "_DOWN_SINCE", {})
    attempts: list[object] = []
    real = team.open_store
    monkeypatch.setattr(team, "open_store", lambda target=None: attempts.append(target) or real(target))
    at = run_app()
    at.switch_page(PAGE).run()
    assert not at.exception
    assert any(t("team.unavailable", "en") in html for html in _html(at, "atlas-note"))
    at.switch_page("pages/map.py").run()
    at.switch_page("pages/deck.py").run()
    assert not at.exception
    assert len(attempts) == 1, "a store that failed is left alone for a while, not asked at every rerun"
