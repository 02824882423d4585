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


class StoreError(Exception):
    """A store or account operation that cannot be done, said as what is wrong and what to do.

    ``reason`` is a stable short code a page maps to its own translated text
    (``not_found``, ``deleted``, ``kind``, ``bad_id``, ``no_version``,
    ``not_editor``, ``rate_limited``, ``bad_role``, ``weak_password``, ``unavailable``);
    ``problem`` names the layer, deck, account or database concerned and ``fix``
    says what to do (English, for logs and the command line).
    """

    def __init__(self, reason: str, problem: str, fix: str = "") -> None:
        self.reason = reason
        self.problem = problem
        self.fix = fix
        super().__init__(f"{problem}: {fix}" if fix else problem)
