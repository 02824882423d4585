"""Translations: every key in es/en/fr, no interface text outside the catalogue, no English left in French.

Three checks, from the cheapest: the catalogue is complete and its
placeholders agree; no module passes a literal string to something that shows
text (``tests/i18n_lint.py``); and every page, rendered in Spanish and in
French, shows none of the English interface text.
"""

from __future__ import annotations

import json
import re
import string
from pathlib import Path

import pytest

from geo import i18n, paths
from geo.i18n import LANGUAGES, CatalogueError, language_of, load_catalogue, problems, t, translator
from geo.loaders import load_atlas
from tests import i18n_lint
from tests.apptest_support import run_app

PAGES = [
    "pages/map.py",
    "pages/compare.py",
    "pages/profile.py",
    "pages/programmes.py",
    "pages/sources.py",
    "pages/deck.py",
    "pages/your_data.py",
]


# --- the catalogue ----------------------------------------------------------------------------------


def test_every_key_has_all_three_languages_and_the_same_placeholders() -> None:
    catalogue = load_catalogue()
    assert len(catalogue) > 100
    assert problems(catalogue) == []


def test_problems_are_found(tmp_path: Path) -> None:
    (tmp_path / "demo.toml").write_text(
        'missing = { es = "Hola", en = "Hello" }\n'
        'empty = { es = "", en = "x", fr = "x" }\n'
        'fields = { es = "{n} sitios", en = "{count} sites", fr = "{n} sites" }\n'
        'extra = { es = "a", en = "a", fr = "a", de = "a" }\n'
        'fine = { es = "a", en = "a", fr = "a" }\n',
        encoding="utf-8",
    )
    found = problems(load_catalogue(tmp_path))
    assert found[0] == "demo.missing: no translation in fr"
    assert found[1] == "demo.empty: no translation in es"
    assert found[2].startswith("demo.fields: placeholders differ")
    assert found[3] == "demo.extra: unknown language de"
    assert len(found) == 4


def test_a_malformed_catalogue_file_is_refused(tmp_path: Path) -> None:
    (tmp_path / "bad.toml").write_text('title = "not a table of languages"\n', encoding="utf-8")
    with pytest.raises(CatalogueError, match=r"bad\.title"):
        load_catalogue(tmp_path)


def test_lookup_fills_placeholders_and_refuses_unknown_keys() -> None:
    assert t("deck.count", "fr", n=2, total=6) == "Diapositive 2 sur 6"
    assert translator("es")("deck.count", n=2, total=6) == "Diapositiva 2 de 6"
    with pytest.raises(KeyError):
        t("no.such.key", "en")


@pytest.mark.parametrize(
    ("locale", "language"),
    [
        ("fr-FR", "fr"),
        ("fr_CA", "fr"),
        ("en-US", "en"),
        ("EN", "en"),
        ("es-MX", "es"),
        ("de-DE", "es"),
        (None, "es"),
        ("", "es"),
    ],
)
def test_browser_locale_picks_the_language_and_others_get_spanish(locale: str | None, language: str) -> None:
    assert language_of(locale) == language


# --- literals that bypass the catalogue ------------------------------------------------------------


def test_no_interface_text_bypasses_the_translation_layer() -> None:
    assert i18n_lint.all_findings() == []


def test_the_lint_catches_a_literal(tmp_path: Path) -> None:
    module = tmp_path / "page.py"
    module.write_text(
        'import streamlit as st\nst.title("Hello there")\nst.button(tr("deck.add"), key="deck_add")\n'
        'st.metric(f"Population {year}", 3)\nst.caption(f"**{x}**")\n',
        encoding="utf-8",
    )
    found = [f.split(": ", 1)[1] for f in i18n_lint.findings(module, root=tmp_path)]
    assert found == ["'Hello there'", "'Population'"]


# --- no English left on a page in Spanish or French -------------------------------------------------


def _data_text() -> str:
    """Text the data carries (source names, notes, file descriptions): shown as published, not translated."""
    atlas = load_atlas()
    tables = [atlas.indicators, atlas.sites.drop(columns="geometry"), atlas.pcmb]
    parts = [table.astype(str).to_csv() for table in tables]
    parts.append((paths.DATA_DIR / "datapackage.json").read_text(encoding="utf-8"))
    return "\n".join(parts)


def _english_fragments() -> dict[str, set[str]]:
    """Per language, English catalogue fragments of three words or more that its translation lacks.

    Fragments that the data's own text also contains are left out: a source
    title or a file description is shown as published.
    """
    data = _data_text()
    catalogue = i18n.catalogue()
    fragments: dict[str, set[str]] = {lang: set() for lang in ("es", "fr")}
    for texts in catalogue.values():
        literal = [part for part, *_ in string.Formatter().parse(texts["en"])]
        for piece in literal:
            for sentence in re.split(r"[.;:()\n]", piece):
                sentence = sentence.strip(" ,'\"")
                if len(sentence.split()) < 3:
                    continue
                if sentence in data:
                    continue
                for lang in fragments:
                    if sentence not in texts[lang]:
                        fragments[lang].add(sentence)
    return fragments


def _visible_text(at) -> str:  # type: ignore[no-untyped-def]
    """Everything an AppTest run shows: text elements, widget labels and options, HTML, charts."""
    parts: list[str] = []
    for kind in (
        "title",
        "header",
        "subheader",
        "markdown",
        "caption",
        "text",
        "info",
        "warning",
        "error",
        "success",
    ):
        parts.extend(str(e.value) for e in at.get(kind))
    for kind in (
        "button",
        "checkbox",
        "toggle",
        "selectbox",
        "multiselect",
        "radio",
        "slider",
        "select_slider",
        "text_input",
        "text_area",
        "download_button",
        "expander",
        "tab",
    ):
        for widget in at.get(kind):
            parts.append(str(getattr(widget, "label", "")))
            parts.append(str(getattr(widget.proto, "help", "")))
            parts.extend(str(o) for o in getattr(widget, "options", []) or [])
    parts.extend(h.proto.body for h in at.get("html"))
    parts.extend(json.dumps(json.loads(c.proto.spec), ensure_ascii=False) for c in at.get("plotly_chart"))
    for component in at.get("component_instance"):
        parts.append(component.proto.json_args)
    return "\n".join(parts)


@pytest.fixture(scope="module")
def fragments() -> dict[str, set[str]]:
    return _english_fragments()


@pytest.mark.usefixtures("offline_app")
@pytest.mark.parametrize("lang", ["fr", "es"])
@pytest.mark.parametrize("page", PAGES)
def test_pages_in_spanish_and_french_show_no_english_interface_text(
    page: str, lang: str, fragments: dict[str, set[str]]
) -> None:
    at = run_app(lang=lang, sel="09007", reach="1", deck="utopias-poverty-iztapalapa")
    at.switch_page(page).run()
    assert not at.exception, at.exception
    shown = _visible_text(at)
    leaked = sorted(f for f in fragments[lang] if f in shown)
    assert leaked == [], f"English on {page} in {lang}: {leaked[:10]}"
    assert len(shown) > 500, "the page showed something to check"


@pytest.mark.usefixtures("offline_app")
def test_presenting_in_french_shows_no_english_interface_text(fragments: dict[str, set[str]]) -> None:
    at = run_app(lang="fr", deck="utopias-poverty-iztapalapa", present="1", slide="3")
    shown = _visible_text(at)
    assert "Diapositive 3 sur 7" in shown
    assert sorted(f for f in fragments["fr"] if f in shown) == []


def test_every_language_has_a_name_in_its_own_language() -> None:
    assert [i18n.LANGUAGE_NAMES[lang] for lang in LANGUAGES] == ["Español", "English", "Français"]


# --- the Atlas's own source lines, in the view's language ------------------------------------------


@pytest.mark.usefixtures("offline_app")
@pytest.mark.parametrize("lang", ["es", "fr"])
@pytest.mark.parametrize("page", ["pages/map.py", "pages/profile.py", "pages/compare.py", "pages/sources.py"])
def test_a_derived_indicator_source_line_is_in_the_view_language(page: str, lang: str) -> None:
    # Population density is derived by the Atlas; the walking reach cites the derived people in poverty.
    at = run_app(lang=lang, ind="density", year="2020", sel="09007", reach="1")
    at.switch_page(page).run()
    assert not at.exception, at.exception
    shown = _visible_text(at) + "\n".join(frame.value.to_csv() for frame in at.dataframe)
    derived_by = (
        t("indicators.density.source", lang).split(":")[0].rstrip()
    )  # "Calculado por el Atlas a partir de"
    assert derived_by in shown, "the page shows a derived indicator's source line"
    assert "Derived by the Atlas" not in shown
    assert t("indicators.area_km2.source", "en") not in shown
