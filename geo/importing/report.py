"""The check report as tables, in the reader's language: a summary by severity and finding, then row by row.

Both are plain DataFrames of text (the page shows them with ``st.dataframe``,
which never interprets markup): the findings' texts hold the file's values as
written. Plain Python: no Streamlit.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from geo.i18n import translator
from geo.importing.findings import SEVERITIES, Finding, summary


def summary_table(findings: Iterable[Finding], lang: str) -> pd.DataFrame:
    """One line per (severity, finding code): how many, and the first such finding as an example.

    Most serious first, then the most frequent.
    """
    tr = translator(lang)
    findings = tuple(findings)
    counts = summary(findings)
    first = {}
    for finding in findings:
        first.setdefault((finding.severity, finding.code), finding)
    order = sorted(counts, key=lambda pair: (SEVERITIES.index(pair[0]), -counts[pair], pair[1]))
    return pd.DataFrame(
        [[tr(f"your_data.severity.{severity}"), counts[(severity, code)], first[(severity, code)].text(lang)]
         for severity, code in order],
        columns=[tr("your_data.report.severity"), tr("your_data.report.count"), tr("your_data.report.example")],
    )  # fmt: skip


def findings_table(findings: Iterable[Finding], lang: str) -> pd.DataFrame:
    """Every finding, in row order (the whole file's first): row, column, severity and what was found."""
    tr = translator(lang)
    ordered = sorted(findings, key=lambda finding: (finding.row is not None, finding.row or 0))
    return pd.DataFrame(
        {
            tr("your_data.report.row"): pd.array([finding.row for finding in ordered], dtype="Int64"),
            tr("your_data.report.column"): [finding.column or "" for finding in ordered],
            tr("your_data.report.severity"): [
                tr(f"your_data.severity.{finding.severity}") for finding in ordered
            ],
            tr("your_data.report.finding"): [finding.text(lang) for finding in ordered],
        }
    )
