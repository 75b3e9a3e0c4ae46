"""Small widgets every window uses the same way."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QLabel, QLineEdit


def plain_label(text: str = "") -> QLabel:
    """A wrapping label that shows its text as written: network text is never read as markup."""
    label = QLabel(text)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    return label


class ReturnField(QLineEdit):
    """A line edit whose Return stays its own: it runs the field's action (returnPressed) only.

    A QLineEdit passes Return on to its dialog, which presses the default button: in Settings,
    Return in the URL, key or search field would save and close the window instead.
    """

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt override)
        super().keyPressEvent(event)
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            event.accept()
