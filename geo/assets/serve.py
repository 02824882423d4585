"""Point folium's maps at the vendored copies Streamlit serves, or back at the CDNs.

``use_local_assets()`` points folium's class-level ``default_js`` /
``default_css`` lists at the local URLs; ``use_cdn_assets()`` restores
folium's own CDN lists. ``apply_asset_mode("auto")`` picks local when the
vendored files are complete and leaves the CDNs alone otherwise.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Final, Literal

import folium
from folium.plugins import MarkerCluster

from geo.assets.manifest import DROPPED, MANIFEST, AssetError, missing_assets
from geo.paths import VENDOR_DIR

#: Where Streamlit serves ``static/vendor/`` (``server.enableStaticServing``).
#: Behind ``server.baseUrlPath = "atlas"`` pass ``"/atlas/app/static/vendor"``.
LOCAL_BASE_URL: Final = "/app/static/vendor"

Link = tuple[str, str]

#: The folium classes whose ``default_js``/``default_css`` the switch rewrites.
#: Subclasses without their own lists (FastMarkerCluster) follow automatically.
PATCHED_CLASSES: Final[tuple[type[folium.elements.JSCSSMixin], ...]] = (
    folium.Map,
    MarkerCluster,
    folium.TopoJson,
)

# Stored on each class, not in this module, so a module reload (Streamlit
# reloads edited modules) cannot mistake already-local lists for the originals.
_ORIGINALS_ATTR: Final = "_atlas_cdn_defaults"


def _cdn_defaults(cls: type[folium.elements.JSCSSMixin]) -> tuple[list[Link], ...]:
    """folium's own lists for ``cls``, captured before the first rewrite."""
    if _ORIGINALS_ATTR not in cls.__dict__:
        setattr(cls, _ORIGINALS_ATTR, (list(cls.default_js), list(cls.default_css)))
    js, css = getattr(cls, _ORIGINALS_ATTR)
    return list(js), list(css)


def cdn_urls() -> list[str]:
    """Every CDN URL the patched classes emit by default (folium's own lists)."""
    urls: list[str] = []
    for cls in PATCHED_CLASSES:
        js, css = _cdn_defaults(cls)
        urls += [url for _, url in (*js, *css)]
    return list(dict.fromkeys(urls))


def local_url(cdn_url: str, base_url: str = LOCAL_BASE_URL) -> str | None:
    """The served URL for a CDN file, ``None`` if local mode drops it."""
    if cdn_url in DROPPED:
        return None
    if cdn_url not in MANIFEST:
        raise AssetError(
            f"folium asks for {cdn_url}, which geo/assets/manifest.py MANIFEST does not "
            "cover (folium upgraded?): add it to MANIFEST or DROPPED"
        )
    return f"{base_url.rstrip('/')}/{MANIFEST[cdn_url].vendor_path}"


def _localise(links: Iterable[Link], base_url: str) -> list[Link]:
    """Rewrite (name, url) pairs to local URLs, leaving out dropped files."""
    out: list[Link] = []
    for name, url in links:
        local = local_url(url, base_url)
        if local is not None:
            out.append((name, local))
    return out


def use_local_assets(base_url: str = LOCAL_BASE_URL) -> None:
    """Make every folium map in this process load its JS/CSS from ``base_url``.

    Rewrites the class-level lists streamlit-folium reads, always starting from
    folium's originals, so calling it on every rerun is harmless. New lists are
    assigned (never mutated in place) so ``use_cdn_assets()`` can restore.
    """
    for cls in PATCHED_CLASSES:
        js, css = _cdn_defaults(cls)
        cls.default_js = _localise(js, base_url)
        cls.default_css = _localise(css, base_url)


def use_cdn_assets() -> None:
    """Put folium's own CDN lists back (tests; online-only deployments)."""
    for cls in PATCHED_CLASSES:
        js, css = _cdn_defaults(cls)
        cls.default_js = js
        cls.default_css = css


AssetMode = Literal["auto", "local", "cdn"]


def apply_asset_mode(
    mode: AssetMode = "auto",
    *,
    vendor_dir: Path = VENDOR_DIR,
    base_url: str = LOCAL_BASE_URL,
) -> Literal["local", "cdn"]:
    """Choose where maps load JS/CSS from; returns the choice made.

    ``auto`` serves the vendored copies when all of them are installed (works
    with or without internet) and keeps folium's CDNs otherwise, so a checkout
    without ``python -m geo.assets`` still draws maps online. ``local`` raises
    if files are missing rather than showing an empty map.
    """
    if mode == "cdn":
        use_cdn_assets()
        return "cdn"
    missing = missing_assets(vendor_dir)
    if missing:
        if mode == "local":
            raise AssetError(
                f"{len(missing)} vendored file(s) missing, e.g. {missing[0]}; run `python -m geo.assets`"
            )
        use_cdn_assets()
        return "cdn"
    use_local_assets(base_url)
    return "local"
