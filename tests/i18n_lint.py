"""Find interface text that bypasses the translation layer (``geo.i18n.t``).

A static check over the source: a string literal with words in it, passed to a
call that shows text (``st.title``, ``st.button``, ``metric``, a plotly title,
a folium tooltip…), is a string a visitor reads in one language only. Text
that comes from ``t(...)``, from data or from a variable passes. Run it as
``python -m tests.i18n_lint`` to list what is left.
"""

from __future__ import annotations

import ast
import re
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# Calls whose positional arguments are shown as text.
SHOWS_TEXT = {
    "title", "header", "subheader", "caption", "markdown", "write", "text", "info", "warning", "error",
    "success", "toast", "metric", "Figure", "button", "download_button", "link_button", "page_link", "selectbox",
    "multiselect", "checkbox", "toggle", "radio", "slider", "select_slider", "text_input", "text_area",
    "number_input", "file_uploader", "expander", "tabs", "popover", "Page", "spinner", "status",
    "set_page_config", "Tooltip", "Popup", "FeatureGroup", "GeoJsonTooltip", "LayerControl",
    "legend_html", "update_layout", "update_xaxes", "update_yaxes", "add_annotation", "Column",
    "TextColumn", "NumberColumn", "LinkColumn", "table", "dataframe", "rename", "stop", "exception",
    "_title", "_layout", "_borough_tip",
}  # fmt: skip
# Keyword arguments that are shown as text, whatever the call.
TEXT_KEYWORDS = {
    "label", "help", "placeholder", "title", "page_title", "caption", "text", "name", "tooltip",
    "popup", "hovertemplate", "xaxis_title", "yaxis_title", "legend_title", "legend_title_text",
    "title_text", "alt", "description", "body", "show_spinner", "labels", "value_name", "var_name",
}  # fmt: skip
# Keyword arguments that never reach a reader.
SILENT_KEYWORDS = {
    "key", "icon", "mime", "file_name", "format", "url_path", "layout", "type", "unsafe_allow_html",
    "width", "height", "color", "colour", "position", "on_click", "on_change", "on_select", "selection_mode",
    "use_container_width", "gap", "vertical_alignment", "border", "anchor", "column_order", "hide_index",
    "x", "y", "size", "hover_name", "custom_data", "template", "barmode", "orientation", "textposition",
    "mode", "line_shape", "fill", "marker_color", "font", "margin", "sort", "sticky",
}  # fmt: skip
# Calls whose text is not the interface: the lookup itself, developer command lines.
NOT_INTERFACE = {"t", "tr", "translator", "ArgumentParser", "add_argument", "add_parser"}
WORD = re.compile(r"[A-Za-zÀ-ÿ]{2,}")
# Literals that are data or code, not prose: identifiers, units, file names, CSS.
ALLOWED = re.compile(
    r"^(?:[a-z0-9_]+|[\w.-]*/|\.(?:py|csv|geojson|json|html|png|svg|pdf)|[A-Z]{2,6}|UTOPÍAS|PCMB|MXN|km²|https?://\S*|[\w./-]+\.(?:py|csv|geojson|json|html|png|svg|pdf)"
    r"|%[^ ]*|<[^>]*>|\s*[.{#][\w-].*\{.*)$",
    re.DOTALL,
)


def _literal_parts(node: ast.AST) -> Iterator[tuple[int, str]]:
    """Yield the literal text in ``node``: a string, an f-string's fixed parts, a ``+`` of them."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        yield node.lineno, node.value
    elif isinstance(node, ast.JoinedStr):
        for value in node.values:
            if isinstance(value, ast.Constant):
                yield node.lineno, str(value.value)
    elif isinstance(node, ast.BinOp):
        yield from _literal_parts(node.left)
        yield from _literal_parts(node.right)
    elif isinstance(node, ast.IfExp):
        yield from _literal_parts(node.body)
        yield from _literal_parts(node.orelse)
    elif isinstance(node, (ast.List, ast.Tuple)):
        for element in node.elts:
            yield from _literal_parts(element)
    elif isinstance(node, ast.Dict):
        for value in node.values:
            if value is not None:
                yield from _literal_parts(value)


def _is_prose(text: str) -> bool:
    stripped = text.strip()
    return bool(WORD.search(stripped)) and not ALLOWED.match(stripped)


def _call_name(call: ast.Call) -> str:
    func = call.func
    if isinstance(func, ast.Attribute):
        return func.attr
    if isinstance(func, ast.Name):
        return func.id
    return ""


def findings(path: Path, root: Path = ROOT) -> Iterator[str]:
    """Yield ``path:line: text`` for each literal shown to a reader without translation."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    relative = path.relative_to(root)
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call) or _call_name(node) in NOT_INTERFACE:
            continue
        shown: list[ast.AST] = []
        if _call_name(node) in SHOWS_TEXT:
            shown.extend(node.args)
        shown.extend(kw.value for kw in node.keywords if kw.arg in TEXT_KEYWORDS)
        for argument in shown:
            for line, text in _literal_parts(argument):
                if _is_prose(text):
                    yield f"{relative}:{line}: {text.strip()[:70]!r}"


def scanned_files() -> list[Path]:
    """Every module that renders interface text."""
    return sorted(
        [
            ROOT / "app.py",
            *(ROOT / "pages").glob("*.py"),
            *(ROOT / "ui").glob("*.py"),
            *(ROOT / "geo").rglob("*.py"),
        ]
    )


def all_findings(paths: Iterable[Path] | None = None) -> list[str]:
    return [finding for path in (paths or scanned_files()) for finding in findings(path)]


if __name__ == "__main__":
    found = all_findings()
    print("\n".join(found) or "No untranslated interface text found.")
    sys.exit(1 if found else 0)
