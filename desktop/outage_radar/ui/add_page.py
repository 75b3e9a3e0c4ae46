"""'Add a status page': paste a URL, detect and preview it, then add it as a custom page."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterable
from urllib.parse import urlsplit

from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
)
from qasync import asyncSlot

from ..core.check import PagePreview
from ..core.failures import Failure, Kind
from ..core.links import safe_url
from ..core.model import Level, Snapshot
from ..core.settings import CustomPage
from ..core.urls import slug
from .labels import page_problem, plain
from .widgets import ReturnField, plain_label

Preview = Callable[[str], Awaitable[PagePreview]]
PREVIEW_TIMEOUT = 30.0


def page_id(url: str, taken: Iterable[str]) -> str:
    """A stable id like 'custom-status.acme.example', unique among `taken`."""
    base = "custom-" + (slug(url, 48) or "page")
    used, key, n = set(taken), base, 2
    while key in used:
        key, n = f"{base}-{n}", n + 1
    return key


def describe(snapshot: Snapshot) -> str:
    """The preview line: what was found at the URL, in plain words."""
    if snapshot.level is Level.UNKNOWN:
        return page_problem(snapshot.failure)
    name = plain(snapshot.page_name, 60) or "Status page"
    bits = [f"{name}: {snapshot.level.label}", f"{len(snapshot.components)} components"]
    if snapshot.incidents:
        bits.append(f"{len(snapshot.incidents)} open incidents")
    return " · ".join(bits)


class AddPageBox(QGroupBox):
    changed = Signal()

    def __init__(self, preview: Preview | None, pages: Iterable[CustomPage], taken: Iterable[str]):
        super().__init__("Add a status page")
        self.preview_fn = preview
        self.pages = list(pages)
        self.taken = set(taken)
        self.url = ReturnField()
        self.url.setPlaceholderText("https://status.example.com")
        self.check = QPushButton("Check")
        self.name = ReturnField()
        self.name.setPlaceholderText("Name shown in the menu")
        self.add = QPushButton("Add")
        self.add.setEnabled(False)
        self.result = plain_label()
        self.list = QListWidget()
        self.list.setMaximumHeight(96)  # the service tree above gets the room
        self.remove = QPushButton("Remove selected")
        row = QHBoxLayout()
        row.addWidget(self.url, 1)
        row.addWidget(self.check)
        row2 = QHBoxLayout()
        row2.addWidget(self.name, 1)
        row2.addWidget(self.add)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.result)
        layout.addLayout(row2)
        layout.addWidget(self.list)
        layout.addWidget(self.remove)
        self._found: tuple[str, PagePreview] | None = None
        self.check.clicked.connect(self.on_check)
        self.url.returnPressed.connect(self.on_check)
        self.add.clicked.connect(self.on_add)
        self.name.returnPressed.connect(self.on_add)
        self.remove.clicked.connect(self.on_remove)
        self.check.setEnabled(preview is not None)
        self._relist()

    def _relist(self) -> None:
        self.list.clear()
        for page in self.pages:
            item = QListWidgetItem(f"{plain(page.name, 60)} — {plain(page.url, 80)}")
            self.list.addItem(item)

    @asyncSlot()  # type: ignore[untyped-decorator]
    async def on_check(self) -> None:
        url = safe_url(self.url.text(), user_typed=True)
        self._found = None
        self.add.setEnabled(False)
        if url is None:
            self.result.setText("Enter a web address starting with https:// (or http://).")
            return
        if self.preview_fn is None:
            return
        self.result.setText("Checking…")
        self.check.setEnabled(False)
        try:
            async with asyncio.timeout(PREVIEW_TIMEOUT):
                found = await self.preview_fn(url)
        except TimeoutError:
            found = PagePreview(Snapshot.failed(Failure(Kind.TIMEOUT, "no answer in time")))
        except Exception as exc:  # the preview must never take the window down
            found = PagePreview(Snapshot.failed(Failure(Kind.INTERNAL, exc.__class__.__name__)))
        finally:
            self.check.setEnabled(True)
        snapshot = found.snapshot
        self.result.setText(describe(snapshot))
        if snapshot.level is not Level.UNKNOWN:
            self._found = (url, found)
            if not self.name.text().strip():
                self.name.setText(plain(snapshot.page_name, 60) or urlsplit(url).hostname or "")
            self.add.setEnabled(True)

    @Slot()
    def on_add(self) -> None:
        if self._found is None:
            return
        url, found = self._found
        name = plain(self.name.text(), 60) or urlsplit(url).hostname or url
        key = page_id(url, self.taken | {p.id for p in self.pages})
        page = CustomPage(key, name, url, platform=found.platform, endpoint=found.endpoint)
        self.pages.append(page)
        self._found = None
        self.add.setEnabled(False)
        self.url.clear()
        self.name.clear()
        self.result.setText(f"Added {name}.")
        self._relist()
        self.changed.emit()

    @Slot()
    def on_remove(self) -> None:
        row = self.list.currentRow()
        if 0 <= row < len(self.pages):
            del self.pages[row]
            self._relist()
            self.changed.emit()
