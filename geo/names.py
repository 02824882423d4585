"""Place names compared the way people type them: without case, accents or extra spaces.

Shared by the neighbourhood build (IECM borough names against INEGI's) and the
colonia search (what a visitor types against the IECM's upper-case names).
"""

from __future__ import annotations

import unicodedata


def normalise_name(text: str) -> str:
    """Fold case, accents and spacing, so "ALVARO OBREGON" matches "Álvaro Obregón"."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return " ".join(ascii_text.casefold().split())
