"""A delimited text file (CSV, TSV…) → a table of text: its encoding and delimiter detected and said, never guessed silently.

Encodings: UTF-8 (with or without a byte-order mark), UTF-16 with a mark,
and the 8-bit encodings of Spanish-language exports (Windows-1252, Latin-1),
told apart by charset-normalizer among those two only (left free, it reads
Spanish as Central European and turns ``ñ`` into ``ń``). A file that is
UTF-8 in places and something else in others is read as UTF-8 and every row
with undecodable bytes is an error. Delimiters: comma, semicolon, tab and
vertical bar, picked by which splits the first rows most consistently.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections import Counter
from dataclasses import dataclass

import pandas as pd
from charset_normalizer import from_bytes

from geo.importing.findings import Finding
from geo.importing.limits import Limits, Refused
from geo.importing.table import build_table

#: Codec → the name a finding shows.
ENCODING_NAMES = {
    "utf-8": "UTF-8",
    "utf-8-sig": "UTF-8 (BOM)",
    "utf-16": "UTF-16",
    "cp1252": "Windows-1252",
    "latin-1": "ISO-8859-1 (Latin-1)",
}
_LEGACY = {"cp1252": "cp1252", "latin_1": "latin-1"}
#: Delimiter → the last part of its finding's catalogue key.
DELIMITERS = {",": "comma", ";": "semicolon", "\t": "tab", "|": "pipe"}
_UTF8_SEQUENCE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")
_NON_ASCII_WORD = re.compile(r"\w*[^\x00-\x7f]\w*")
_SEP_LINE = re.compile(r"^sep=(.)\r?\n")
_SAMPLE_CHARS = 65536
_SAMPLE_ROWS = 50
_REPLACEMENT = "\ufffd"


@dataclass(frozen=True)
class TextTable:
    """A text file read as a table: the frame of text, how it was read and what was found."""

    frame: pd.DataFrame
    encoding: str
    delimiter: str | None
    findings: tuple[Finding, ...]


def detect_encoding(data: bytes) -> str | None:
    """The codec of ``data`` (a key of :data:`ENCODING_NAMES`), or None when no supported one fits.

    Bytes that are UTF-8 in places (valid multi-byte sequences) but not
    throughout are still UTF-8: the caller reads them with replacements.
    """
    if data.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        if _UTF8_SEQUENCE.search(data):
            return "utf-8"
    else:
        return "utf-8"
    best = from_bytes(data, cp_isolation=list(_LEGACY)).best()
    return _LEGACY.get(best.encoding) if best is not None else None


def encoding_finding(encoding: str, text: str) -> Finding:
    """Which encoding was read: a notice for Unicode, a warning naming a sample word for an 8-bit guess."""
    name = ENCODING_NAMES[encoding]
    if encoding not in _LEGACY.values():
        return Finding("import_read.encoding", "info", detail={"encoding": name})
    sample = _NON_ASCII_WORD.search(text)
    word = sample.group()[:40] if sample else ""
    return Finding("import_read.encoding_legacy", "warning", detail={"encoding": name, "sample": word})


def _decode(data: bytes) -> tuple[str, str, bool]:
    """The text, its codec and whether bytes had to be replaced; refused when the bytes are not text."""
    encoding = detect_encoding(data)
    if encoding is None:
        raise Refused("import_read.undecodable")
    damaged = False
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError:
        if encoding == "cp1252":
            encoding, text = "latin-1", data.decode("latin-1")
        else:
            damaged, text = True, data.decode(encoding, errors="replace")
    return text, encoding, damaged


def _split(text: str, delimiter: str) -> list[list[str]]:
    """The first rows of ``text`` split by ``delimiter`` (quotes respected), blank rows left out."""
    rows: list[list[str]] = []
    try:
        for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter):
            if any(cell.strip() for cell in row):
                rows.append(row)
            if len(rows) == _SAMPLE_ROWS:
                break
    except csv.Error:
        return []
    return rows


def sniff_delimiter(text: str, prefer: str | None = None) -> str | None:
    """The delimiter that splits the first rows into the same number (≥ 2) of cells most often.

    Ties go to ``prefer`` (the one the file's extension names), then to more
    columns. None: no candidate splits the rows, the file is one column.
    """
    sample = text[:_SAMPLE_CHARS]
    if len(text) > _SAMPLE_CHARS and "\n" in sample:
        sample = sample[: sample.rindex("\n")]
    scores: dict[str, tuple[float, bool, int]] = {}
    for delimiter in DELIMITERS:
        rows = _split(sample, delimiter)
        if not rows:
            continue
        width, count = Counter(len(row) for row in rows).most_common(1)[0]
        if width >= 2:
            scores[delimiter] = (count / len(rows), delimiter == prefer, width)
    return max(scores, key=scores.__getitem__) if scores else None


def _unused_character(text: str) -> str:
    """A character absent from ``text``, to read a one-column file with the csv module (quotes respected)."""
    return next(char for char in "\x1f\x1e\x1d\x1c\x01" if char not in text)


def read_text(data: bytes, *, prefer: str | None, limits: Limits) -> TextTable:
    """Read delimited text; ``prefer`` is the delimiter the extension suggests (``"\\t"`` for ``.tsv``)."""
    text, encoding, damaged = _decode(data)
    findings = [encoding_finding(encoding, text)]
    if not text.strip():
        raise Refused("import_read.empty")
    csv.field_size_limit(max(csv.field_size_limit(), limits.upload_bytes))  # a long WKT outline is one field
    declared = _SEP_LINE.match(text)
    if declared and declared.group(1) in DELIMITERS:
        delimiter: str | None = declared.group(1)
        text = text[declared.end() :]
    else:
        delimiter = sniff_delimiter(text, prefer)
    if delimiter is None:
        findings.append(Finding("import_read.one_column", "warning"))
    rows = csv.reader(
        io.StringIO(text, newline=""), delimiter=delimiter or _unused_character(text), strict=True
    )
    try:
        frame, table_findings = build_table(rows, limits=limits, ragged=True)
    except csv.Error as error:
        raise Refused("import_read.quotes", line=rows.line_num) from error
    if delimiter is not None:
        key = f"import_read.delimiter.{DELIMITERS[delimiter]}"
        findings.append(Finding(key, "info", detail={"columns": len(frame.columns)}))
    if damaged:
        replaced = frame.apply(lambda column: column.str.contains(_REPLACEMENT, regex=False)).any(axis=1)
        findings.extend(
            Finding("import_read.undecodable_row", "error", row=int(n)) for n in frame.index[replaced]
        )
    return TextTable(frame, encoding, delimiter, (*findings, *table_findings))
