"""The one place that opens links: every URL passes the link policy before the OS sees it."""

from __future__ import annotations

import logging

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices

from ..core.links import safe_url

log = logging.getLogger(__name__)


def open_url(url: str | None, *, user_typed: bool = False) -> bool:
    """Open `url` in the browser if the link policy allows it; False when refused or failed."""
    safe = safe_url(url, user_typed=user_typed)
    if safe is None:
        # Never log the refused URL itself: it is untrusted text and may be huge.
        log.warning("refused to open a link that is not https")
        return False
    qurl = QUrl(safe, QUrl.ParsingMode.StrictMode)
    if not qurl.isValid() or qurl.scheme() not in ("https", "http"):
        log.warning("refused to open a link Qt reads differently")
        return False
    return bool(QDesktopServices.openUrl(qurl))
