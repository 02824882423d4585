"""What checking a file found, as data: one finding per problem, repair or notice, row by row.

A finding names a catalogue key (``code``, e.g. ``import_read.encoding``)
whose text, in the reader's language, says what was found and what was done;
``detail`` fills its placeholders. Values in ``detail`` come from the file:
whoever shows them escapes them (they are data, never markup).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Literal

from geo.i18n import t

#: How much a finding matters: ``info`` (noted), ``repaired`` (fixed, counted), ``warning`` (the user
#: decides), ``error`` (the row or the file cannot be used).
Severity = Literal["info", "repaired", "warning", "error"]
SEVERITIES: tuple[Severity, ...] = ("error", "warning", "repaired", "info")


@dataclass(frozen=True)
class Finding:
    """One thing found in a file. ``row`` is the 1-based data row (None: the whole file)."""

    code: str
    severity: Severity
    row: int | None = None
    column: str | None = None
    detail: Mapping[str, str | int | float] = field(default_factory=dict)

    def text(self, lang: str = "en") -> str:
        """The finding in ``lang`` (plain text, with the file's values in it: escape before HTML)."""
        return t(self.code, lang, **self.detail)


def summary(findings: Iterable[Finding]) -> Counter[tuple[Severity, str]]:
    """How many findings of each (severity, code): the report's summary lines."""
    return Counter((finding.severity, finding.code) for finding in findings)


def blocking(findings: Iterable[Finding]) -> bool:
    """Whether a finding stops the whole file (an error with no row)."""
    return any(finding.severity == "error" and finding.row is None for finding in findings)
