"""Safe HTML snippets: escaping, links only for http(s), and browsable URLs for source references."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from geo.markup import WORD_JOINER, link, markdown_code, markdown_text, source_pairs, text, to_url
from tests import hostile
from tests.markdown_oracle import active_markup, rendered_text, tokens

HOSTILE_NAME = "<img src=x onerror=alert(1)>"
# A real reference from data/indicators.csv: its path has spaces.
SPACED_REF = (
    "github:elviramg/poverty_project_frontend/data/indicadores de pobreza municipal_2010.csv"
    "@77714205e75e6d90af3756cba70bdedbacb1d65d"
)
SPACED_URL = (
    "https://github.com/elviramg/poverty_project_frontend/blob/77714205e75e6d90af3756cba70bdedbacb1d65d"
    "/data/indicadores%20de%20pobreza%20municipal_2010.csv"
)


# --- text ----------------------------------------------------------------------------------------


def test_text_escapes_a_hostile_name() -> None:
    assert text(HOSTILE_NAME) == "&lt;img src=x onerror=alert(1)&gt;"


def test_text_escapes_quotes_and_ampersands() -> None:
    assert text("""Tom & "Jerry's" """) == "Tom &amp; &quot;Jerry&#x27;s&quot; "


def test_text_of_none_and_numbers() -> None:
    assert text(None) == ""
    assert text(43.89) == "43.89"


def test_text_keeps_accents() -> None:
    assert text("Álvaro Obregón") == "Álvaro Obregón"


# --- markdown_text and markdown_code ------------------------------------------------------------

# Text that often means something in Markdown: its special characters, line breaks, the payloads.
MARKDOWNISH = st.lists(
    st.one_of(
        st.sampled_from(list("\\`*_{}[]()#+-.!|<>~$:&=@/\"' \n\r\t0123456789aw")),
        st.sampled_from(hostile.payloads()),
        st.sampled_from(["http://", "www.", "evil.example", ":material/", "&amp;", "    ", "\u2028", "\x00"]),
        st.text(max_size=5),
    ),
    max_size=12,
).map("".join)


def as_typed(value: str) -> str:
    """Text as a reader compares it: white space aside, word joiners aside, NUL read as U+FFFD."""
    return " ".join(value.replace(WORD_JOINER, "").replace("\x00", "\ufffd").split())


def test_markdown_text_shows_names_as_typed() -> None:
    assert markdown_text("*Coyoacán* $5 [x](y)") == r"\*Coyoacán\* \$5 \[x\]\(y\)"
    assert markdown_text(None) == ""
    assert markdown_text(43) == "43"


def test_markdown_text_breaks_addresses_and_shortcodes_with_an_invisible_joiner() -> None:
    assert markdown_text("www.evil.example :smile:") == (
        f"www{WORD_JOINER}\\.evil{WORD_JOINER}\\.example \\:{WORD_JOINER}smile\\:{WORD_JOINER}"
    )


def test_markdown_text_keeps_one_line() -> None:
    assert markdown_text("a\r\r# b\n\n    c\u2028d\te") == "a \\# b c d e"


def test_markdown_text_keeps_no_break_spaces() -> None:
    """French numbers are held together by a narrow no-break space: it stays."""
    assert markdown_text("1\u202f386 y\xa0b") == "1\u202f386 y\xa0b"


def test_the_payloads_are_markup_when_not_escaped() -> None:
    """The oracle is not blind: most payloads, shown raw, would be links, images, HTML or formulas."""
    assert sum(bool(active_markup(payload)) for payload in hostile.payloads()) >= 30


@pytest.mark.parametrize("payload", hostile.payloads())
def test_markdown_text_of_a_payload_renders_as_that_text(payload: str) -> None:
    assert not active_markup(markdown_text(payload))
    assert as_typed(rendered_text(markdown_text(payload))) == as_typed(payload)


@settings(max_examples=400, deadline=None)
@given(st.one_of(st.text(), MARKDOWNISH))
def test_markdown_text_is_always_plain_text(value: str) -> None:
    escaped = markdown_text(value)
    assert not active_markup(escaped)
    shown = rendered_text(escaped)
    assert shown is not None, f"{escaped!r} is more than one paragraph of text"
    assert as_typed(shown) == as_typed(value)


@settings(max_examples=400, deadline=None)
@given(st.one_of(st.text(), MARKDOWNISH))
def test_markdown_code_is_always_one_code_span(value: str) -> None:
    code = markdown_code(value)
    assert not active_markup(code)
    [paragraph] = [token for token in tokens(code) if token.type == "inline"]
    assert [child.type for child in paragraph.children] == ["code_inline"]
    assert as_typed(paragraph.children[0].content) == as_typed(value.replace("`", "'"))


def test_markdown_code_of_a_line_break_attack() -> None:
    """Two carriage returns end a paragraph, and a code span with it (a bug: the image showed)."""
    assert markdown_code("x=\r\r![a](http://evil.example/p.png)") == "`x= ![a](http://evil.example/p.png)`"
    assert markdown_code("") == "` `"


# --- link ----------------------------------------------------------------------------------------


def test_link_for_https_url_labelled_with_host() -> None:
    assert link("https://www.coneval.org.mx/Medicion/") == (
        '<a href="https://www.coneval.org.mx/Medicion/" target="_blank" rel="noopener noreferrer">'
        "www.coneval.org.mx</a>"
    )


def test_link_for_http_url_with_label() -> None:
    assert link("  http://aldf.gob.mx/note.html  ", "ALDF note") == (
        '<a href="http://aldf.gob.mx/note.html" target="_blank" rel="noopener noreferrer">ALDF note</a>'
    )


def test_link_escapes_url_and_label() -> None:
    html = link('https://example.org/?a=1&b="x"', HOSTILE_NAME)
    assert html == (
        '<a href="https://example.org/?a=1&amp;b=&quot;x&quot;" target="_blank" rel="noopener noreferrer">'
        "&lt;img src=x onerror=alert(1)&gt;</a>"
    )


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("javascript:alert(1)", "javascript:alert(1)"),
        ("JavaScript:alert(document.cookie)", "JavaScript:alert(document.cookie)"),
        ("data:text/html,<script>alert(1)</script>", "data:text/html,&lt;script&gt;alert(1)&lt;/script&gt;"),
        ("/relative/path.html", "/relative/path.html"),
        ("//evil.example/x", "//evil.example/x"),
        ("https://", "https://"),
        ("ftp://example.org/file", "ftp://example.org/file"),
    ],
)
def test_link_for_anything_but_http_is_escaped_text(url: str, expected: str) -> None:
    assert link(url) == expected
    assert "<a" not in link(url)


def test_link_that_is_not_http_shows_its_label() -> None:
    assert link("javascript:alert(1)", "Click <b>me</b>") == "Click &lt;b&gt;me&lt;/b&gt;"


# --- to_url --------------------------------------------------------------------------------------


def test_to_url_github_reference() -> None:
    ref = "github:cuentadesanti/pobreza-marginacion/data/processed/municipal_components_2020.csv@f9051b8356693613b1fcaf681fdbaaa9b18bd715"
    assert to_url(ref) == (
        "https://github.com/cuentadesanti/pobreza-marginacion/blob/f9051b8356693613b1fcaf681fdbaaa9b18bd715"
        "/data/processed/municipal_components_2020.csv"
    )


def test_to_url_github_reference_with_spaces_in_the_path() -> None:
    assert to_url(SPACED_REF) == SPACED_URL
    assert to_url(f"  {SPACED_REF} (2010 municipal table)  ") == SPACED_URL


def test_to_url_github_reference_with_short_commit_and_remark() -> None:
    ref = "github:itsebasvz/linuxitOS-HackODS2026/datos/coneval_clean_2020.csv@78f9546 (derived from https://x.org)"
    assert to_url(ref) == (
        "https://github.com/itsebasvz/linuxitOS-HackODS2026/blob/78f9546/datos/coneval_clean_2020.csv"
    )


def test_to_url_plain_url_up_to_the_first_space() -> None:
    assert (
        to_url("https://periodismoyambiente.com.mx/?p=42361") == "https://periodismoyambiente.com.mx/?p=42361"
    )
    assert to_url("http://aldf.gob.mx/a.html (ALDF, 2014)") == "http://aldf.gob.mx/a.html"


@pytest.mark.parametrize(
    "ref",
    [
        "coords: public GitHub file, (public GitHub file; repository not identified)",
        "javascript:alert(1)",
        "INEGI Censo 2020",
        "github:owner/repo/file.csv",  # no commit
        "",
    ],
)
def test_to_url_none_for_notes_and_other_schemes(ref: str) -> None:
    assert to_url(ref) is None


# --- source_pairs --------------------------------------------------------------------------------


def test_source_pairs_labels() -> None:
    sources = (
        "github:alan2santos1/deportecdmx2/data/raw/manual/utopias-base-catalog.json@0a8eef54b034974eabd252b8bacc82b2965d89df"
        " (third-party catalogue citing cineenlaciudad.cdmx.gob.mx/sedes/)"
        " | https://www.amorxiztapalapa.com/utopia/utopia-meyehualco"
        " | https://heraldodemexico.com.mx/opinion/2021/7/23/x.html (El Heraldo, 23 Jul 2021)"
        " | coords: public GitHub file, (repository not identified)"
        f" | {SPACED_REF}"
    )
    assert source_pairs(sources) == [
        (
            "github.com/alan2santos1/deportecdmx2 (third-party catalogue citing cineenlaciudad.cdmx.gob.mx/sedes/)",
            "https://github.com/alan2santos1/deportecdmx2/blob/0a8eef54b034974eabd252b8bacc82b2965d89df"
            "/data/raw/manual/utopias-base-catalog.json",
        ),
        ("www.amorxiztapalapa.com", "https://www.amorxiztapalapa.com/utopia/utopia-meyehualco"),
        (
            "heraldodemexico.com.mx (El Heraldo, 23 Jul 2021)",
            "https://heraldodemexico.com.mx/opinion/2021/7/23/x.html",
        ),
        ("coords: public GitHub file, (repository not identified)", ""),
        ("github.com/elviramg/poverty_project_frontend", SPACED_URL),
    ]


def test_source_pairs_skips_empty_parts() -> None:
    assert source_pairs(" | https://a.org |  | ") == [("a.org", "https://a.org")]
    assert source_pairs("") == []


def test_source_pairs_keeps_hostile_notes_as_plain_text() -> None:
    assert source_pairs(f"{HOSTILE_NAME} | javascript:alert(1)") == [
        (HOSTILE_NAME, ""),
        ("javascript:alert(1)", ""),
    ]
