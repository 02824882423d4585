"""Derive the shipped tables in ``data/`` from the research brief.

The brief (``../shared/data-brief/``) is where researched facts arrive, each
with its source. It exists on development machines and in CI only, so the app
never reads it: this module turns it into the committed files the app loads,
keeping every source column and never filling a gap. Run it with
``python -m geo.build tables``.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pandas as pd

from geo import paths
from geo.vocabulary import UTOPIAS

BRIEF_INDICATORS = "alcaldia_indicators.csv"
BRIEF_SITES = "utopias.csv"
BRIEF_SITES_SECOND_PASS = "utopias_second_pass.csv"
BRIEF_PCMB = "pcmb_by_year.csv"

_STATUS_PREFIXES = ("under construction", "announced", "open")
_ISO_PREFIX = re.compile(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?(?=$|[\s(;,])")
_BOUND_PREFIX = re.compile(r"^(by|before)\s+(\d{4}(?:-\d{2}){0,2})\b")
_RANGE_PERIOD = re.compile(r"^(\d{4})(?:-(\d{4}))?$")
_LONG_REMARK = re.compile(r"\((?:[^()\s]+\s+){4,}[^()]*\)")
_COUNT = re.compile(r"^(>|<|~)?(\d+)$")
# A hedge in the leading clause ("by 2021-07 probably (…)") makes the date a guess, not a fact.
_HEDGE = re.compile(r"\b(probabl[ey]|possibly|perhaps|maybe|planned|expected)\b", re.IGNORECASE)


def _read_brief_csv(brief_dir: Path, name: str) -> pd.DataFrame:
    """Read a brief table as text, so codes such as ``09002`` keep their zeros."""
    return pd.read_csv(brief_dir / name, dtype=str, keep_default_na=False)


def build_indicators(brief_dir: Path = paths.DATA_BRIEF) -> pd.DataFrame:
    """Return the long indicator table (one row per borough, year and indicator).

    Numeric values go to ``value``; categorical ones (CONAPO's marginalisation
    grade) go to ``category`` so that ``value`` stays numeric.
    """
    raw = _read_brief_csv(brief_dir, BRIEF_INDICATORS)
    numeric = pd.to_numeric(raw["value"], errors="coerce")
    table = pd.DataFrame(
        {
            "cvegeo": raw["cvegeo"],
            "year": raw["year"].astype(int),
            "indicator": raw["indicator"],
            "value": numeric,
            "category": raw["value"].where(numeric.isna(), ""),
            "unit": raw["unit"],
            "source": raw["source_name"],
            "source_url": raw["source_url"],
        }
    )
    return table.sort_values(["indicator", "year", "cvegeo"], kind="stable").reset_index(drop=True)


def slugify(text: str) -> str:
    """Make a stable ASCII identifier from a site name (for URLs and joins).

    Parenthetical remarks of more than four words ("may be the same project
    as …") are editorial notes, not part of the name, and are left out.
    """
    name = _LONG_REMARK.sub("", text)
    ascii_text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def normalise_status(text: str) -> str:
    """Map the brief's free-text status to open / under construction / announced.

    The brief qualifies statuses ("open (third-party); announced Dec 2024");
    the leading phrase is the current status, the rest stays in ``status_detail``.
    """
    lowered = text.strip().lower()
    for status in _STATUS_PREFIXES:
        if lowered.startswith(status):
            return status.replace(" ", "_")
    msg = f"unrecognised status {text!r}"
    raise ValueError(msg)


def parse_opening(text: str) -> tuple[str, str]:
    """Read what the brief's ``opened`` text says for certain.

    Returns ``(date, kind)`` where ``date`` is a partial ISO date and ``kind`` is
    ``exact`` (opened on that day, month or year) or ``by`` (known to be open by
    then, e.g. "by 2021-07" or "before 2023-04-13"). Plans, expectations and
    hedged guesses ("probably 2021", "planned Jan 2026") are not openings and
    give ``("", "unknown")``: a gap stays a gap.
    """
    cleaned = text.strip()
    if _HEDGE.search(cleaned.split("(", 1)[0]):
        return "", "unknown"
    bound = _BOUND_PREFIX.match(cleaned)
    if bound:
        return bound.group(2), "by"
    iso = _ISO_PREFIX.match(cleaned)
    if iso:
        return "-".join(part for part in iso.groups() if part), "exact"
    return "", "unknown"


def build_sites(brief_dir: Path = paths.DATA_BRIEF) -> pd.DataFrame:
    """Return the UTOPÍAS sites, with the second pass's corrections applied.

    Where both files have a row (matched on name) the second pass wins, as the
    brief prescribes. Coordinates stay empty where the brief has none.
    """
    first = _read_brief_csv(brief_dir, BRIEF_SITES)
    second = _read_brief_csv(brief_dir, BRIEF_SITES_SECOND_PASS)
    unknown = set(second["name"]) - set(first["name"])
    if unknown:
        msg = f"second-pass rows with no first-pass row: {sorted(unknown)}"
        raise ValueError(msg)
    merged = first.set_index("name")
    merged["changes"] = ""
    merged.update(second.set_index("name"))
    merged = merged.reset_index()
    opening = merged["opened"].map(parse_opening)
    table = pd.DataFrame(
        {
            "site_id": merged["name"].map(slugify),
            "programme": UTOPIAS,
            "name": merged["name"],
            "borough": merged["alcaldia"],
            "colonia": merged["colonia"],
            "address": merged["address"],
            "status": merged["status"].map(normalise_status),
            "status_detail": merged["status"],
            "opened_text": merged["opened"],
            "opened_date": opening.str[0],
            "opened_kind": opening.str[1],
            "area_m2": pd.to_numeric(merged["area_m2"], errors="coerce"),
            "facilities": merged["main_facilities"],
            "lat": pd.to_numeric(merged["lat"], errors="coerce"),
            "lon": pd.to_numeric(merged["lon"], errors="coerce"),
            "location_precision": merged["location_precision"],
            "sources": merged["source_url"],
            "correction_note": merged["changes"],
        }
    )
    if table["site_id"].duplicated().any():
        msg = "two sites share an identifier; rename one in the brief"
        raise ValueError(msg)
    return table


def parse_period(period: str) -> tuple[int, int]:
    """Split a PCMB period ("2015" or "2007-2014") into its first and last year."""
    match = _RANGE_PERIOD.match(period.strip())
    if not match:
        msg = f"unrecognised PCMB period {period!r}"
        raise ValueError(msg)
    start = int(match.group(1))
    return start, int(match.group(2) or start)


def parse_count(text: str) -> tuple[float, str]:
    """Split a reported count such as ">150" into the number and its qualifier."""
    if not text.strip():
        return float("nan"), ""
    match = _COUNT.match(text.strip())
    if not match:
        msg = f"unrecognised project count {text!r}"
        raise ValueError(msg)
    return float(match.group(2)), match.group(1) or ""


def build_pcmb(brief_dir: Path = paths.DATA_BRIEF) -> pd.DataFrame:
    """Return the PCMB programme figures: one row per reported figure.

    Conflicting reports for the same period stay as separate rows, each with
    its source; periods with no report simply have no row.
    """
    raw = _read_brief_csv(brief_dir, BRIEF_PCMB)
    periods = raw["year"].map(parse_period)
    counts = raw["projects"].map(parse_count)
    return pd.DataFrame(
        {
            "period": raw["year"],
            "year_start": periods.str[0],
            "year_end": periods.str[1],
            "projects": counts.str[0],
            "projects_qualifier": counts.str[1],
            "budget_mxn": pd.to_numeric(raw["budget_mxn"], errors="coerce"),
            "source_url": raw["source_url"],
            "note": raw["note"],
        }
    )


def write_tables(brief_dir: Path = paths.DATA_BRIEF, data_dir: Path = paths.DATA_DIR) -> list[Path]:
    """Write the indicator, site and PCMB tables into ``data_dir``."""
    if not brief_dir.is_dir():
        msg = f"the data brief is not at {brief_dir}; it is needed to rebuild the tables"
        raise FileNotFoundError(msg)
    outputs = {
        paths.INDICATORS.name: build_indicators(brief_dir),
        paths.SITES.name: build_sites(brief_dir),
        paths.PCMB.name: build_pcmb(brief_dir),
    }
    written = []
    for name, table in outputs.items():
        target = data_dir / name
        table.to_csv(target, index=False, lineterminator="\n")
        written.append(target)
    return written
