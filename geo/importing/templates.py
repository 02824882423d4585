"""The downloadable template of each kind of layer: a CSV header row in the visitor's language, documented.

A template holds no rows (no invented sites or figures): only the column
names, which :func:`template_help` explains column by column. The CSV is
UTF-8 with a byte-order mark, so Excel opens its accented names correctly.
"""

from __future__ import annotations

import codecs
import csv
import io

from geo.i18n import t

#: The columns of each kind's template, in order (catalogue ids: ``import_read.template.column.<id>``).
TEMPLATE_COLUMNS: dict[str, tuple[str, ...]] = {
    "sites": (
        "name",
        "programme",
        "year",
        "status",
        "amount",
        "source",
        "latitude",
        "longitude",
        "borough",
        "colonia",
        "colonia_key",
        "ageb",
    ),
    "boundaries": ("key", "name", "value", "source", "wkt"),
    "indicators": ("area_key", "area_name", "borough", "indicator", "value", "unit", "year", "source"),
}


def template_columns(kind: str, lang: str) -> tuple[str, ...]:
    """The header of ``kind``'s template in ``lang`` (``KeyError`` for an unknown kind)."""
    return tuple(t(f"import_read.template.column.{column}", lang) for column in TEMPLATE_COLUMNS[kind])


def template_csv(kind: str, lang: str) -> bytes:
    """``kind``'s template: its header row only, as UTF-8 CSV with a byte-order mark."""
    buffer = io.StringIO()
    csv.writer(buffer).writerow(template_columns(kind, lang))
    return codecs.BOM_UTF8 + buffer.getvalue().encode("utf-8")


def template_help(kind: str, lang: str) -> str:
    """What ``kind``'s template is for and what each column holds, one line per column (plain text)."""
    lines = [t(f"import_read.template.intro.{kind}", lang)]
    lines.extend(
        f"{name}: {t(f'import_read.template.{kind}.{column}', lang)}"
        for column, name in zip(TEMPLATE_COLUMNS[kind], template_columns(kind, lang), strict=True)
    )
    return "\n".join(lines)
