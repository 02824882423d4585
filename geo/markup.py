"""Safe HTML and Markdown snippets for tooltips, popups, legends and messages.

Folium tooltips and popups render HTML, and site names, addresses and sources
come from data files: every text goes through :func:`html.escape` here, and
only http(s) links become anchors, so a hostile name shows as text and runs
nothing. Streamlit renders Markdown in ``st.markdown``, ``st.error``,
``st.caption``, labels and toasts: text from a visitor, a URL or a file goes
through :func:`markdown_text` before it is put in one, so it shows as typed.
"""

from __future__ import annotations

import json
import re
from html import escape
from urllib.parse import quote, urlparse

# Every ASCII character with a meaning in CommonMark, GitHub's extensions (tables, strikethrough)
# or Streamlit's (LaTeX ``$``, ``:icon:`` and ``:color[…]`` directives); a backslash makes it literal.
_MARKDOWN_SPECIAL = re.compile(r"[\\`*_{}\[\]()#+\-.!|<>~$:&=]")
# Streamlit finds web addresses, e-mail addresses and ``:shortcodes:`` in the text *after* escapes
# are read (remark-gfm's autolink literals), so a backslash does not stop them; an invisible word
# joiner before every dot (no domain name) and after every colon (no scheme, no shortcode) does.
WORD_JOINER = "\u2060"
_MARKDOWN_ESCAPES = {".": WORD_JOINER + "\\.", ":": "\\:" + WORD_JOINER}
# Line breaks (CommonMark's and Unicode's) and the spaces and tabs that indent a code block; not the
# no-break spaces that hold numbers together ("1\u202f386").
_BREAKS = re.compile(r"[\t\n\v\f\r \x1c-\x1f\x85\u2028\u2029]+")

# github:owner/repo/path@commit; paths may contain spaces (brief files do).
_GITHUB_REF = re.compile(r"^github:([\w.-]+)/([\w.-]+)/(.+?)@([0-9a-f]{7,40})\b")


def text(value: object) -> str:
    """Escape any value for HTML text or attribute context."""
    return escape("" if value is None else str(value), quote=True)


def _one_line(value: object) -> str:
    """``value`` as text on one line, without space at either end."""
    return _BREAKS.sub(" ", str("" if value is None else value)).strip()


def markdown_text(value: object) -> str:
    """Escape any value to show as typed in Streamlit Markdown, on one line: nothing in it is markup.

    Line breaks and runs of spaces become one space: a line break could start
    a heading, a list or a code block.
    """
    line = _one_line(value)
    return _MARKDOWN_SPECIAL.sub(lambda m: _MARKDOWN_ESCAPES.get(m[0], "\\" + m[0]), line)


def markdown_code(value: object) -> str:
    """Show any value as inline code in Streamlit Markdown, on one line: never markup, never a link.

    A code span ends at the next backtick or blank line, so backticks become
    quotes and every line break a space; what is left is shown literally.
    """
    line = _one_line(value).replace("`", "'")
    return f"`{line or ' '}`"


def link(url: str, label: str | None = None) -> str:
    """Return an anchor for an http(s) URL, or the escaped text for anything else."""
    parsed = urlparse(url.strip())
    if parsed.scheme not in {"http", "https"} or not parsed.netloc:
        return text(label or url)
    return f'<a href="{text(url.strip())}" target="_blank" rel="noopener noreferrer">{text(label or parsed.netloc)}</a>'


def to_url(ref: str) -> str | None:
    """Return a browsable URL for a source reference, or None if it is not one.

    ``github:owner/repo/path@commit`` references point at that file at that
    commit; plain http(s) URLs are returned as they are (up to the first space).
    """
    ref = ref.strip()
    github = _GITHUB_REF.match(ref)
    if github:
        owner, repo, path, commit = github.groups()
        return f"https://github.com/{owner}/{repo}/blob/{commit}/{quote(path)}"
    url = ref.split(" ", 1)[0]
    parsed = urlparse(url)
    return url if parsed.scheme in {"http", "https"} and parsed.netloc else None


def source_pairs(sources: str) -> list[tuple[str, str]]:
    """Split a ``" | "``-separated source list into (label, url) pairs.

    A plain URL is labelled with its host (plus any remark after it); a
    ``github:`` reference with ``github.com/owner/repo`` (plus its remark);
    a note that is no link keeps its full text and an empty url.
    """
    pairs = []
    for raw in (part.strip() for part in sources.split(" | ")):
        if not raw:
            continue
        url = to_url(raw)
        github = _GITHUB_REF.match(raw)
        if github:
            pairs.append((f"github.com/{github.group(1)}/{github.group(2)}{raw[github.end() :]}", url or ""))
        elif url:
            pairs.append(((urlparse(url).netloc + " " + raw[len(url) :].strip()).strip(), url))
        else:
            pairs.append((raw, ""))
    return pairs


Cell = str | tuple[str, str | None]


def table(header: list[str], rows: list[list[Cell]], *, css_class: str = "atlas-table") -> str:
    """Return a plain HTML table; a ``(label, url)`` cell becomes a link.

    A light alternative to an interactive data grid for short, read-only lists
    (it needs no extra script in the browser), with every cell escaped.
    """

    def cell(value: Cell) -> str:
        if isinstance(value, tuple):
            label, url = value
            return link(url, label) if url else text(label)
        return text(value)

    head = "".join(f"<th>{text(h)}</th>" for h in header)
    body = "".join("<tr>" + "".join(f"<td>{cell(v)}</td>" for v in row) + "</tr>" for row in rows)
    return f"<table class='{text(css_class)}'><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


# A brace that would open a Jinja tag in branca's second pass over a rendered script.
_JINJA_OPENER = re.compile(r"\{(?=[{%#])")


def script_json(data: object) -> str:
    """Serialise ``data`` compactly for a ``<script>`` block.

    No spaces after separators (they add ~15 % to coordinate arrays), and
    ``<``, ``>`` and ``&`` escaped so no string can close the script element.
    ``{`` is escaped where it would open a Jinja tag (``{{``, ``{%``, ``{#``):
    branca parses a rendered element's script once more as a template, so a
    site name "{{ 7*7 }}" would otherwise be evaluated on the server. (JSON's
    own braces never form those pairs, so only string contents change.)
    """
    text = json.dumps(data, separators=(",", ":"), ensure_ascii=False)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return _JINJA_OPENER.sub(r"\\u007b", text)
