"""How much an uploaded file may hold, stated once, and the refusal raised when a file is over a limit or unsafe.

A reader that must stop raises :class:`Refused` with the finding that says
why; :func:`geo.importing.read.read_upload` turns it into the upload's
findings, so the caller never sees an exception.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from geo.importing.findings import Finding

MB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    """The caps on one upload. The defaults are the Atlas's; tests pass smaller ones."""

    upload_bytes: int = 20 * MB
    #: The declared uncompressed size of all members of a zip archive together.
    zip_bytes: int = 100 * MB
    zip_members: int = 50
    #: Declared uncompressed size ÷ compressed size of one member above which it is taken for a bomb…
    zip_ratio: int = 200
    #: …when that member would expand to more than this (small members compress as they like).
    zip_ratio_from_bytes: int = 1 * MB
    rows: int = 100_000
    columns: int = 500
    vertices: int = 2_000_000


LIMITS = Limits()


def megabytes(size: int) -> int:
    """``size`` bytes in whole megabytes, rounded up: a file over a limit (whole megabytes) never reads as equal to it."""
    return math.ceil(size / MB)


class Refused(Exception):
    """The file (or archive) cannot be read at all: ``finding`` says why, as an error with no row."""

    def __init__(self, code: str, **detail: str | int | float) -> None:
        super().__init__(code)
        self.finding = Finding(code, "error", detail=detail)
