"""A page that fails says so in the visitor's language; the trace goes to the server's log only.

Tracebacks name the server's files, so visitors never see one:
``.streamlit/config.toml`` sets ``client.showErrorDetails = "none"`` (Streamlit
then shows a generic note for an error outside a page), and :func:`run_page`
turns an error inside a page into a translated message, so the sidebar, the
language switch and the other pages keep working.
"""

from __future__ import annotations

import streamlit as st
from streamlit.logger import get_logger
from streamlit.navigation.page import StreamlitPage

from geo.i18n import t

_LOG = get_logger(__name__)
# For the people who run the server, not for visitors: log lines are not translated.
_LOG_MESSAGE = "The page %r (/%s) failed"


def run_page(page: StreamlitPage, lang: str) -> None:
    """Run ``page``; if it raises, log the trace and show ``app.failed`` in ``lang`` instead.

    Only ``Exception`` is caught: ``st.stop``, ``st.rerun`` and ``st.switch_page``
    signal with Streamlit's ``ScriptControlException`` (``StopException``,
    ``RerunException``), which derive from ``BaseException`` and pass through.
    """
    try:
        page.run()
    except Exception:
        _LOG.exception(_LOG_MESSAGE, page.title, page.url_path)
        st.error(t("app.failed", lang, page=page.title))
