"""An Excel workbook (.xlsx) → one sheet as a table of text (openpyxl, read-only: the sheet is streamed).

The first visible sheet unless one is named; the sheet names are listed.
Cells become text as a person reads them in Excel: formulas by their last
computed value, dates as ISO 8601, and a number shown with leading zeros
(format ``00000``, how Excel keeps a code such as ``09007``) with its zeros.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

import openpyxl
import pandas as pd

from geo.importing.findings import Finding
from geo.importing.limits import Limits, Refused
from geo.importing.table import build_table, cell_text

if TYPE_CHECKING:
    from openpyxl.worksheet._read_only import ReadOnlyWorksheet

_ZEROS = re.compile(r"^0+$")


@dataclass(frozen=True)
class Sheet:
    """One sheet read as a table, and the names of all the workbook's sheets."""

    frame: pd.DataFrame
    name: str
    names: tuple[str, ...]
    findings: tuple[Finding, ...]


def _text(value: object, number_format: str) -> str:
    """A cell as text, padding an integer whose format is all zeros (``00000``) as Excel shows it."""
    if isinstance(value, bool) or not isinstance(value, int | float) or not _ZEROS.match(number_format or ""):
        return cell_text(value)
    return str(int(value)).zfill(len(number_format)) if float(value).is_integer() else cell_text(value)


def _rows(sheet: ReadOnlyWorksheet) -> Iterator[list[str]]:
    """Each row of a read-only sheet as text, as wide as the cells the file holds (not its declared size)."""
    sheet.reset_dimensions()
    for row in sheet.iter_rows():
        yield [_text(cell.value, getattr(cell, "number_format", "")) for cell in row]


def read_workbook(data: bytes, *, sheet: str | None, limits: Limits) -> Sheet:
    """Read ``sheet`` (default: the first visible one) of the workbook in ``data`` (already checked as a zip)."""
    workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        names = tuple(worksheet.title for worksheet in workbook.worksheets)
        if not names:
            raise Refused("import_read.no_rows")
        if sheet is None:
            visible = [ws.title for ws in workbook.worksheets if ws.sheet_state == "visible"]
            sheet = (visible or list(names))[0]
        elif sheet not in names:
            raise Refused("import_read.layer_missing", layer=sheet)
        frame, findings = build_table(_rows(workbook[sheet]), limits=limits, ragged=False)
    finally:
        workbook.close()
    return Sheet(frame, sheet, names, tuple(findings))
