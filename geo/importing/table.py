"""Rows of cells → a table of text, with a finding for every row or header that does not fit.

Every cell stays text: a code ``09007`` keeps its leading zero and a name
keeps every character it had (markup included: it is data). The frame's
index is each row's 1-based data row number (the row after the header is 1),
the number a finding names; rows that are entirely blank are left out, so the
index can have gaps.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from datetime import date, datetime, time

import numpy as np
import pandas as pd

from geo.importing.findings import Finding
from geo.importing.limits import Limits, Refused

#: At most this many one-cell rows (a title, a date) above the header are skipped.
TITLE_ROWS = 10


def cell_text(value: object) -> str:
    """A cell's value as text: integers without ``.0``, dates as ISO 8601, nothing as ``""``."""
    if value is None or value is pd.NaT:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool | np.bool_):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int | np.integer):
        return str(int(value))
    if isinstance(value, float | np.floating):
        number = float(value)
        if math.isnan(number):
            return ""
        return str(int(number)) if number.is_integer() and abs(number) < 1e15 else repr(number)
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time() else value.isoformat()
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, bytes):
        return value.hex()
    return str(value)


def _blank(cells: Sequence[str]) -> bool:
    """Whether no cell holds anything but spaces."""
    return not "".join(cells).strip()


def _filled(cells: Sequence[str]) -> int:
    """How many cells hold something."""
    return sum(1 for cell in cells if cell.strip())


def _rows_kept(rows: Iterable[list[str]], limits: Limits) -> list[tuple[int, list[str]]]:
    """The non-blank rows with their position, refused as soon as there are more than the limit allows."""
    kept: list[tuple[int, list[str]]] = []
    for position, cells in enumerate(rows):
        if not _blank(cells):
            kept.append((position, cells))
            if len(kept) > limits.rows + TITLE_ROWS + 1:
                raise Refused("import_read.too_many_rows", limit=limits.rows)
    return kept


def _title_rows(kept: Sequence[tuple[int, list[str]]]) -> int:
    """How many one-cell rows (a sheet's title) stand above a header of several cells."""
    for index, (_, cells) in enumerate(kept[: TITLE_ROWS + 1]):
        if _filled(cells) > 1:
            return index
    return 0


def _names(header: Sequence[tuple[int, str]], findings: list[Finding]) -> list[str]:
    """Column names from the header's (position, cell): blanks named by position (``#3``), repeats numbered."""
    names: list[str] = []
    for index, cell in header:
        name = cell.strip()
        if not name:
            name = f"#{index + 1}"
            findings.append(
                Finding("import_read.header_blank", "warning", column=name, detail={"column": name})
            )
        original, copy = name, 1
        while name in names:
            copy += 1
            name = f"{original} ({copy})"
        if name != original:
            findings.append(
                Finding(
                    "import_read.header_duplicate",
                    "warning",
                    column=name,
                    detail={"column": name, "original": original},
                )
            )
        names.append(name)
    return names


def _fit(cells: list[str], width: int, named: int, number: int, findings: list[Finding]) -> list[str]:
    """A text row cut or padded to ``width``, with a finding when the row has content past it or lacks named cells."""
    if len(cells) > width:
        if not _blank(cells[width:]):
            detail = {"cells": len(cells), "expected": width}
            findings.append(Finding("import_read.row_too_long", "error", row=number, detail=detail))
        return cells[:width]
    if len(cells) < named:
        detail = {"cells": len(cells), "expected": named}
        findings.append(Finding("import_read.row_too_short", "warning", row=number, detail=detail))
    return cells + [""] * (width - len(cells))


def build_table(
    rows: Iterable[list[str]], *, limits: Limits, ragged: bool
) -> tuple[pd.DataFrame, list[Finding]]:
    """A frame of text from ``rows`` (the first of several cells is the header) and what was found.

    ``ragged``: rows are lines of a text file, whose cell counts must match the
    header's (a finding per row that does not); otherwise (a sheet) a row is as
    wide as its last filled cell and columns without a header are named.
    Raises :class:`Refused` for a file with no rows under its header or over a limit.
    """
    kept = _rows_kept(rows, limits)
    if not kept:
        raise Refused("import_read.empty")
    findings: list[Finding] = []
    title = _title_rows(kept)
    if title:
        findings.append(Finding("import_read.title_rows", "info", detail={"count": title}))
    header_position, header = kept[title]
    body = kept[title + 1 :]
    if not body:
        raise Refused("import_read.no_rows")
    if len(body) > limits.rows:
        raise Refused("import_read.too_many_rows", limit=limits.rows)
    named = _extent(header)
    width = len(header) if ragged else max(named, max(_extent(cells) for _, cells in body))
    if width > limits.columns:
        raise Refused("import_read.too_many_columns", count=width, limit=limits.columns)
    numbers = [position - header_position for position, _ in body]
    if ragged:
        cells = [_fit(row, width, named, n, findings) for n, (_, row) in zip(numbers, body, strict=True)]
    else:
        cells = [row[:width] + [""] * (width - len(row)) for _, row in body]
    header = header[:width] + [""] * (width - len(header))
    keep = [i for i in range(width) if header[i].strip() or any(row[i].strip() for row in cells)]
    columns = _names([(i, header[i]) for i in keep], findings)
    frame = pd.DataFrame(
        cells if len(keep) == width else [[row[i] for i in keep] for row in cells],
        columns=columns,
        index=pd.Index(numbers, name="row"),
        dtype=object,
    )
    blank = numbers[-1] - len(numbers)
    if blank:
        findings.append(Finding("import_read.blank_rows", "info", detail={"count": blank}))
    return frame, findings


def _extent(cells: Sequence[str]) -> int:
    """One past a row's last filled cell."""
    return max((i + 1 for i, cell in enumerate(cells) if cell.strip()), default=0)
