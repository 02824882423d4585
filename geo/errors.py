"""The one error the data layer raises, worded for the person who must fix it."""

from __future__ import annotations

from pathlib import Path


class DataError(Exception):
    """A shipped or supplied data file is missing, unreadable or fails validation.

    Carries the file and the command that rebuilds it so the app can show a
    page that says what to do instead of a traceback.
    """

    def __init__(self, path: Path | str, problems: list[str], rebuild: str = "") -> None:
        self.path = Path(path)
        self.problems = problems
        self.rebuild = rebuild
        detail = "; ".join(problems[:5]) + (f" (+{len(problems) - 5} more)" if len(problems) > 5 else "")
        super().__init__(f"{self.path.name}: {detail}")
