"""The test tree itself: pytest collects tests/ and tests/browser/ as plain folders, not packages."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

TESTS = Path(__file__).resolve().parent


def test_every_test_module_has_a_basename_of_its_own() -> None:
    """Two test_x.py in different folders stop the whole run at collection ("import file mismatch")."""
    names = Counter(path.name for path in TESTS.rglob("test_*.py"))
    assert [name for name, count in names.items() if count > 1] == []
