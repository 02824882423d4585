"""A finished folium map as one HTML file that opens from disk, with no server and no internet.

A presenter downloads the map the page shows and opens it in a meeting room
browser. folium's page loads Leaflet and its plugins from CDNs (or, in the
Atlas's offline mode, from ``/app/static/vendor/``, which a file opened from
disk cannot reach either). :func:`standalone_html` renders the map and, with
``inline_assets=True``, replaces every ``<script src>`` and
``<link rel=stylesheet>`` that :mod:`geo.assets` has installed in
``static/vendor/`` by the file's content; the stylesheets' fonts and images
become ``data:`` URIs. The map's own data (the TopoJSON of the boroughs, the
site markers) is already inside folium's script.

Whatever still has to come from outside (a script that is not vendored, the
basemap tiles) is named in an HTML comment and in a visible note in the file,
in the view's language.

Pure Python: no Streamlit import.
"""

from __future__ import annotations

import base64
import mimetypes
import posixpath
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import folium
from folium.raster_layers import TileLayer, WmsTileLayer

from geo import markup
from geo.assets.manifest import DROPPED, LEAFLET, MANIFEST
from geo.i18n import DEFAULT_LANGUAGE, t
from geo.paths import VENDOR_DIR

#: Where a local asset URL's vendor-relative path starts (``/app/static/vendor/<path>``).
_VENDOR_MARK = "/static/vendor/"
_SCRIPT_TAG = re.compile(r"""<script\b[^>]*?\bsrc\s*=\s*(["'])([^"']+)\1[^>]*>\s*</script>""", re.IGNORECASE)
_LINK_TAG = re.compile(r"<link\b[^>]*>", re.IGNORECASE)
_ATTR = r"""\b{name}\s*=\s*(["'])([^"']*)\1"""
_CSS_URL = re.compile(r"""url\(\s*(['"]?)([^'")]+?)\1\s*\)""", re.IGNORECASE)
_FONT_FACE = re.compile(r"@font-face\s*\{[^}]*\}", re.IGNORECASE)
_FONT_SRC = re.compile(r"(\bsrc\s*:\s*)([^;}]*)", re.IGNORECASE)
# Older browsers' font formats; every browser that runs Leaflet 1.9 reads woff2.
_PREFERRED_FONT = re.compile(r"\.woff2$|format\(\s*['\"]woff2['\"]\s*\)", re.IGNORECASE)
_CLOSE_SCRIPT = re.compile(r"</(script)", re.IGNORECASE)
_CLOSE_STYLE = re.compile(r"</(style)", re.IGNORECASE)
_DATA_TYPES = {
    ".woff2": "font/woff2",
    ".woff": "font/woff",
    ".ttf": "font/ttf",
    ".otf": "font/otf",
    ".eot": "application/vnd.ms-fontobject",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".gif": "image/gif",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".webp": "image/webp",
}
#: Leaflet's default marker images. Leaflet finds them through a CSS url() it
#: cuts at "marker-icon.png", which a data: URI defeats, so they are set in JS.
_LEAFLET_ICONS = {
    "iconUrl": "dist/images/marker-icon.png",
    "iconRetinaUrl": "dist/images/marker-icon-2x.png",
    "shadowUrl": "dist/images/marker-shadow.png",
}
_LEAFLET_JS = f"{LEAFLET.vendor_dir}/dist/leaflet.js"
NOTE_CLASS = "atlas-standalone-note"


@dataclass
class Inlined:
    """What :func:`inline_page` did to a page: the HTML and what it still loads from outside."""

    html: str
    inlined: list[str] = field(default_factory=list)
    external: list[str] = field(default_factory=list)


def vendor_path(url: str) -> str | None:
    """The vendor-relative path of a CDN or served-locally asset URL, ``None`` if not vendored."""
    if url in MANIFEST:
        return MANIFEST[url].vendor_path
    path = urlsplit(url).path
    if _VENDOR_MARK in path and not urlsplit(url).netloc:
        return posixpath.normpath(path.split(_VENDOR_MARK, 1)[1])
    return None


def cdn_url(url: str) -> str:
    """The CDN URL for a served-locally asset URL (a file opened from disk cannot reach the server)."""
    path = vendor_path(url)
    if path is None or url in MANIFEST:
        return url
    for cdn, vendored in MANIFEST.items():
        if vendored.vendor_path == path:
            return cdn
    return url


def _vendor_file(vendor_dir: Path, path: str) -> Path | None:
    """The file for a vendor-relative path, ``None`` if absent or outside the vendor folder."""
    if path.startswith(("../", "/")) or path == "..":
        return None
    candidate = vendor_dir / path
    return candidate if candidate.is_file() else None


def data_uri(file: Path) -> str:
    """A ``data:`` URI holding ``file``."""
    mime = (
        _DATA_TYPES.get(file.suffix.lower())
        or mimetypes.guess_type(file.name)[0]
        or "application/octet-stream"
    )
    return f"data:{mime};base64,{base64.b64encode(file.read_bytes()).decode('ascii')}"


def _css_target(css_path: str, ref: str) -> str | None:
    """Vendor-relative path of a stylesheet's relative ``url()``; ``None`` for data:, fragments, absolute URLs."""
    ref = ref.strip()
    if ref.startswith(("data:", "#")) or re.match(r"^([a-z][a-z0-9+.-]*:|//|/)", ref, re.IGNORECASE):
        return None
    ref = re.split(r"[?#]", ref, maxsplit=1)[0]
    return posixpath.normpath(posixpath.join(posixpath.dirname(css_path), ref))


def _font_face(block: str, css_path: str, vendor_dir: Path, embedded: set[str]) -> str:
    """One ``@font-face`` rule with its font as a data: URI, or ``""`` if it has none to give.

    Only the woff2 entry of a ``src`` list is kept when there is one. A font
    file is embedded once: a later rule on the same file (Font Awesome's
    version 4 and 5 compatibility families) is left out rather than
    repeating hundreds of kilobytes.
    """
    found = _FONT_SRC.search(block)
    if found is None or "data:" in found.group(2):
        return block
    entries = [entry.strip() for entry in re.split(r",(?![^(]*\))", found.group(2)) if entry.strip()]
    preferred = [entry for entry in entries if _PREFERRED_FONT.search(entry)]
    kept: list[str] = []
    for entry in preferred or entries:
        ref = _CSS_URL.search(entry)
        target = _css_target(css_path, ref.group(2)) if ref else None
        file = _vendor_file(vendor_dir, target) if target else None
        if file is None:
            continue
        if target in embedded:
            return ""
        embedded.add(target)
        kept.append(entry.replace(ref.group(0), f'url("{data_uri(file)}")'))
    if not kept:
        return ""
    return block[: found.start(2)] + ",".join(kept) + block[found.end(2) :]


def inline_css(css: str, css_path: str, vendor_dir: Path = VENDOR_DIR) -> str:
    """A vendored stylesheet with its fonts and images as data: URIs (absent files dropped).

    ``css_path`` is the stylesheet's vendor-relative path, which its relative
    ``url()`` references start from.
    """
    embedded: set[str] = set()
    css = _FONT_FACE.sub(lambda match: _font_face(match.group(0), css_path, vendor_dir, embedded), css)

    def replace(match: re.Match[str]) -> str:
        target = _css_target(css_path, match.group(2))
        if target is None:
            return match.group(0)
        file = _vendor_file(vendor_dir, target)
        return f'url("{data_uri(file)}")' if file else "none"

    return _CSS_URL.sub(replace, css)


def _leaflet_icons(vendor_dir: Path) -> str:
    """JS that points Leaflet's default marker at data: URIs (empty if its images are missing)."""
    icons = {
        name: _vendor_file(vendor_dir, f"{LEAFLET.vendor_dir}/{path}")
        for name, path in _LEAFLET_ICONS.items()
    }
    if not all(icons.values()):
        return ""
    options = ",".join(f'{name}:"{data_uri(file)}"' for name, file in icons.items() if file)
    return f"<script>L.Icon.Default.imagePath='';L.Icon.Default.mergeOptions({{{options}}});</script>"


def _attr(tag: str, name: str) -> str | None:
    found = re.search(_ATTR.format(name=name), tag, re.IGNORECASE)
    return found.group(2) if found else None


def inline_page(html: str, *, inline_assets: bool, vendor_dir: Path = VENDOR_DIR) -> Inlined:
    """Replace a page's vendored ``<script src>``/stylesheet links by their content.

    Links that cannot be inlined (``inline_assets=False``, or the file is not
    installed) point at the CDN, never at the Atlas server, and are listed in
    ``external``. folium links that :data:`geo.assets.manifest.DROPPED` says the Atlas
    does not need are removed when inlining, as offline mode does.
    """
    result = Inlined(html)

    def script(match: re.Match[str]) -> str:
        url = match.group(2)
        path = vendor_path(url)
        file = _vendor_file(vendor_dir, path) if inline_assets and path else None
        if file is None:
            if inline_assets and url in DROPPED:
                return ""
            result.external.append(cdn_url(url))
            return match.group(0).replace(url, markup.text(cdn_url(url)))
        result.inlined.append(path)
        code = _CLOSE_SCRIPT.sub(r"<\\/\1", file.read_text(encoding="utf-8"))
        extra = _leaflet_icons(vendor_dir) if path == _LEAFLET_JS else ""
        return f"<script>/* {path} */\n{code}\n</script>{extra}"

    def link(match: re.Match[str]) -> str:
        tag = match.group(0)
        href = _attr(tag, "href")
        if href is None or "stylesheet" not in (_attr(tag, "rel") or "").lower():
            return tag
        path = vendor_path(href)
        file = _vendor_file(vendor_dir, path) if inline_assets and path else None
        if file is None:
            if inline_assets and href in DROPPED:
                return ""
            result.external.append(cdn_url(href))
            return tag.replace(href, markup.text(cdn_url(href)))
        result.inlined.append(path)
        css = _CLOSE_STYLE.sub(r"<\\/\1", inline_css(file.read_text(encoding="utf-8"), path, vendor_dir))
        return f"<style>/* {path} */\n{css}\n</style>"

    html = _SCRIPT_TAG.sub(script, html)
    result.html = _LINK_TAG.sub(link, html)
    return result


def tile_hosts(fmap: folium.Map) -> list[str]:
    """The hosts a map's tile layers load their images from, each once."""
    hosts: list[str] = []
    for element in _walk(fmap):
        url = getattr(element, "tiles", None) if isinstance(element, TileLayer) else None
        if isinstance(element, WmsTileLayer):
            url = element.url
        host = urlsplit(url).netloc if isinstance(url, str) else ""
        if host and host not in hosts:
            hosts.append(host)
    return hosts


def _walk(element: folium.Element) -> Iterable[folium.Element]:
    yield element
    for child in element._children.values():  # folium keeps children in this private dict
        yield from _walk(child)


def _hosts(urls: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(urlsplit(url).netloc or url for url in urls))


def _comment(text: str) -> str:
    """An HTML comment that nothing in ``text`` can close early."""
    return "<!-- " + text.replace("--", "- -").replace(">", "&gt;") + " -->"


def _note(messages: list[str]) -> str:
    body = "<br>".join(markup.text(message) for message in messages)
    style = (
        "position:fixed;top:8px;left:50%;transform:translateX(-50%);z-index:10000;max-width:80%;"
        "background:#fff3cd;color:#3d2e00;border:1px solid #c9a227;border-radius:4px;"
        "padding:6px 10px;font:13px/1.4 sans-serif;box-shadow:0 1px 4px rgba(0,0,0,.25)"
    )
    close = (
        '<button type="button" aria-label="×" onclick="this.parentNode.remove()" style="float:right;'
        'margin:-2px -4px 0 10px;border:0;background:none;font:16px/1 sans-serif;cursor:pointer">×</button>'
    )
    return f'<div class="{NOTE_CLASS}" role="note" style="{style}">{close}{body}</div>'


def standalone_html(
    m: folium.Map,
    *,
    inline_assets: bool,
    vendor_dir: Path = VENDOR_DIR,
    lang: str = DEFAULT_LANGUAGE,
    title: str = "",
    overlay_html: str = "",
) -> str:
    """Render a finished map (layers added to it) as one HTML document.

    ``inline_assets=True`` embeds every vendored script and stylesheet, so the
    file draws the map from ``file://`` with no internet; anything left to load
    from outside is named in a comment and a visible note in ``lang``.
    ``title`` becomes the document title; ``overlay_html`` (trusted HTML, e.g.
    :func:`legend_overlay`) is placed over the map.
    """
    page = inline_page(m.get_root().render(), inline_assets=inline_assets, vendor_dir=vendor_dir)
    messages: list[str] = []
    if page.external:
        messages.append(t("exports.standalone.needs_internet", lang, hosts=", ".join(_hosts(page.external))))
    tiles = tile_hosts(m)
    if tiles:
        messages.append(t("exports.standalone.tiles", lang, hosts=", ".join(tiles)))
    head = f"<title>{markup.text(title)}</title>" if title else ""
    if messages:
        listed = " ".join(messages) + " " + " ".join(page.external)
        head = _comment(listed) + "\n" + head
    html = page.html.replace("<head>", "<head>\n" + head, 1)
    body = (_note(messages) if messages else "") + overlay_html
    return html.replace("<body>", "<body>\n" + body, 1) if body else html


def legend_overlay(title: str, items: Iterable[tuple[str, str]], lines: Iterable[str] = ()) -> str:
    """A legend box for the bottom left of a standalone map: swatches, then small text lines.

    ``items`` are (colour, label) pairs; every text is escaped.
    """
    rows = "".join(
        f'<div><span style="display:inline-block;width:14px;height:14px;margin-right:6px;'
        f'vertical-align:-2px;border:1px solid #666;background:{markup.text(colour)}"></span>'
        f"{markup.text(label)}</div>"
        for colour, label in items
    )
    small = "".join(
        f'<div style="font-size:11px;color:#333;margin-top:3px">{markup.text(line)}</div>' for line in lines
    )
    style = (
        "position:fixed;bottom:56px;left:10px;z-index:1000;max-width:340px;max-height:70vh;overflow:auto;"
        "background:rgba(255,255,255,.94);"
        "border:1px solid #999;border-radius:4px;padding:8px 10px;font:13px/1.45 sans-serif;color:#111"
    )
    return (
        f'<div class="atlas-standalone-legend" style="{style}"><b>{markup.text(title)}</b>{rows}{small}</div>'
    )
