"""What Streamlit would render as more than text in a Markdown string, and in an HTML snippet.

Streamlit draws Markdown with react-markdown, remark-gfm, remark-math and
plugins of its own. Its structure (CommonMark, tables, strikethrough) is read
here with markdown-it-py. On top of it come the transforms Streamlit runs on
the text *after* backslash escapes are resolved, which a backslash therefore
cannot stop: GitHub's autolink literals (web and e-mail addresses; the
regular expressions below are remark-gfm's) and ``:shortcode:`` emoji and
icons. LaTeX (``$``) and directives (``:red[…]``) are syntax a backslash does
escape, so they are looked for in the text that was not escaped.

The oracle errs on the side of finding too much: a test that asserts it finds
nothing is a strong one.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

from markdown_it import MarkdownIt
from markdown_it.token import Token

# text_join would merge escaped characters into the text around them; kept apart, an unescaped
# "$" can be told from an escaped one.
_MARKDOWN = MarkdownIt("commonmark").enable(["table", "strikethrough"]).disable("text_join")
_ACTIVE_TOKENS = {"link_open", "image", "html_inline", "html_block"}
_WEB = re.compile(r"(https?://|www(?=\.))([-.\w]+)", re.IGNORECASE | re.ASCII)
_EMAIL = re.compile(r"[-.\w+]+@[-\w]+(?:\.[-\w]+)+", re.ASCII)
_SHORTCODE = re.compile(r":[\w+-]+:", re.ASCII)
_MATH = re.compile(r"\$")
_DIRECTIVE = re.compile(r":[a-z][a-z0-9-]*\[", re.IGNORECASE)


def _literals(text: str) -> list[str]:
    """Autolink literals and shortcodes in a run of text (escapes resolved)."""
    found = [f"shortcode {m[0]}" for m in _SHORTCODE.finditer(text)]
    found += [f"e-mail link {m[0]}" for m in _EMAIL.finditer(text) if not re.search(r"[-\d_]$", m[0])]
    for match in _WEB.finditer(text):
        domain = ("www" if match[1].lower() == "www" else "") + match[2]
        if "." in domain.strip("."):
            found.append(f"web link {match[0]}")
    return found


def active_markup(source: str) -> list[str]:
    """Every link, image, HTML, formula, directive or shortcode Streamlit would make of ``source``.

    Formatting (bold, italics, code, line breaks) is not counted: it is how
    the catalogue's own texts look.
    """
    source = source.replace(":material/", ":material_")  # as Streamlit does before parsing
    found: list[str] = []
    for block in tokens(source):
        if block.type in _ACTIVE_TOKENS:
            found.append(f"{block.type} {block.content!r}")
        run = ""
        for token in [*(block.children or []), None]:
            if token is not None and token.type in ("text", "text_special"):
                if token.type == "text":
                    found += [f"formula in {token.content!r}" for _ in _MATH.finditer(token.content)]
                    found += [f"directive {m[0]}" for m in _DIRECTIVE.finditer(token.content)]
                run += token.content
                continue
            found += _literals(run)
            run = ""
            if token is not None and token.type in _ACTIVE_TOKENS:
                found.append(f"{token.type} {token.attrs or token.content!r}")
    return found


def tokens(source: str) -> list[Token]:
    """The block tokens of ``source`` (inline ones are their children), escaped characters apart."""
    return _MARKDOWN.parse(source)


def rendered_text(source: str) -> str | None:
    """The text of ``source`` if it is one paragraph of nothing but text, else None."""
    blocks = tokens(source)
    if not blocks:
        return ""
    if [b.type for b in blocks] != ["paragraph_open", "inline", "paragraph_close"]:
        return None
    children = blocks[1].children or []
    if any(c.type not in ("text", "text_special") for c in children):
        return None
    return "".join(c.content for c in children)


class _Tags(HTMLParser):
    """Collects event handlers, ``javascript:`` URLs, references to the payloads' host and alerting scripts."""

    def __init__(self, host: str) -> None:
        super().__init__(convert_charrefs=True)
        self.host = host
        self.found: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._in_script = tag == "script"
        for name, value in attrs:
            value = value or ""
            if name.startswith("on") or "javascript:" in value.lower() or self.host in value:
                self.found.append(f"<{tag} {name}={value!r}>")

    def handle_data(self, data: str) -> None:
        if self._in_script and "alert(" in data:
            self.found.append(f"<script>{data[:60]}")


def active_html(body: str, host: str) -> list[str]:
    """Tags in an HTML snippet that run script, or fetch from or link to ``host``."""
    parser = _Tags(host)
    parser.feed(body)
    parser.close()
    return parser.found
