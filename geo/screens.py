"""The Atlas's screens, declared once: what app.py navigates, decks save and slides cite.

Adding a screen is one entry here plus its page file (``pages/<name>.py``)
and its model. A screen's ``slug`` is its URL path, which saved decks and
shared links use: never change one. Every slug differs from its file's name on
purpose: a folder named ``pages/`` beside ``app.py`` also triggers Streamlit's
legacy multipage mode (see ``ui/compat.py``), whose page for ``pages/map.py``
would otherwise share the hash of the page named "map".
"""

from __future__ import annotations

from dataclasses import dataclass

from geo.i18n import t

#: What a slide's source line can cite: the view's indicator, the programme sites, the PCMB series,
#: the AGEBs or colonias a neighbourhood level shades (cited instead of the indicator), and the
#: visitor's own layers (their source lines, marked as theirs).
CITABLE = ("indicator", "sites", "pcmb", "areas", "user")


@dataclass(frozen=True)
class Screen:
    """One screen: its page file and title come from ``name``; ``slug`` is its URL path."""

    name: str
    slug: str
    icon: str
    slide: bool
    cites: tuple[str, ...] = ()

    @property
    def file(self) -> str:
        """The page script, relative to the app's folder."""
        return f"pages/{self.name}.py"

    def title(self, lang: str) -> str:
        """The screen's name in ``lang`` (``app.page.<name>`` in the catalogue)."""
        return t(f"app.page.{self.name}", lang)


SCREENS = (
    Screen("map", "atlas", ":material/map:", slide=True, cites=("indicator", "sites", "areas", "user")),
    Screen(
        "compare",
        "compare-boroughs",
        ":material/bar_chart:",
        slide=True,
        cites=("indicator", "sites", "user"),
    ),
    Screen(
        "profile", "borough-profile", ":material/location_city:", slide=True, cites=("indicator", "sites")
    ),
    Screen(
        "programmes",
        "programmes-and-sites",
        ":material/construction:",
        slide=True,
        cites=("indicator", "sites", "pcmb"),
    ),
    Screen("sources", "sources-and-terms", ":material/menu_book:", slide=False),
    Screen("deck", "presentation", ":material/slideshow:", slide=False),
    Screen("your_data", "your-data", ":material/upload_file:", slide=False),
)
#: The screen a visitor lands on.
HOME = SCREENS[0]
BY_SLUG = {screen.slug: screen for screen in SCREENS}
BY_NAME = {screen.name: screen for screen in SCREENS}
#: The slugs of the screens a deck's slide can show, in menu order.
SLIDE_SLUGS = tuple(screen.slug for screen in SCREENS if screen.slide)
