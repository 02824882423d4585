"""Start the Atlas's server: ``python -m ui.serve run app.py [streamlit options]``.

The same as ``streamlit run``, without Streamlit's legacy ``pages/`` mode
(see :mod:`ui.compat`): started plainly, every session that opened while the
server's first run had not yet reached ``st.navigation`` ran under the
folder's file names, so a shared deep link (``/your-data``) opened with a
"Page not found" dialog for the first visitors after a restart.
"""

from __future__ import annotations

import sys

from streamlit.web import cli

from ui.compat import leave_legacy_pages_mode


def main(argv: list[str] | None = None) -> None:
    leave_legacy_pages_mode()
    cli.main(args=sys.argv[1:] if argv is None else argv, prog_name="streamlit")


if __name__ == "__main__":
    main()
