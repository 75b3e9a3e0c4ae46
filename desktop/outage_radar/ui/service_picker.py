"""A searchable tree of catalog services by category, each with its components to pick from.

Shared by the welcome window and Settings, so both stay easy to scan with 40+ services: headers
in CATEGORIES order, and a search box that hides what does not match (never unticks it).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import QLabel, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget

from ..core.catalog import CATEGORIES, Catalog, Service
from ..core.state import NO_FEED
from .labels import plain
from .widgets import ReturnField

ID_ROLE = Qt.ItemDataRole.UserRole
MATCH_ROLE = Qt.ItemDataRole.UserRole + 1  # the casefolded text a search looks in
CHECKED = Qt.CheckState.Checked
UNCHECKED = Qt.CheckState.Unchecked


def _groups(services: list[Service]) -> dict[str, list[Service]]:
    """Services by category in CATEGORIES order (Catalog.by_category), then any other category."""
    groups = Catalog(tuple(services)).by_category()
    for service in services:
        if service.category not in CATEGORIES:  # not in a valid catalog, but never drop one
            groups.setdefault(service.category, []).append(service)
    return groups


def _haystack(*parts: str) -> str:
    # One field per line, so a search never matches across the end of one and the next.
    return "\n".join(parts).casefold()


class ServicePicker(QWidget):
    """Checked services are watched; under a service, checked components are the watched ones."""

    changed = Signal()

    def __init__(
        self,
        services: Iterable[Service],
        selected: Iterable[str],
        *,
        components: Mapping[str, Sequence[str]] | None = None,
        watched: Mapping[str, Sequence[str]] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.search = ReturnField()
        self.search.setPlaceholderText("Search services by name or category…")
        self.search.setClearButtonEnabled(True)
        self.tree = QTreeWidget()
        self.tree.setHeaderHidden(True)
        self.count = QLabel()
        self.count.setTextFormat(Qt.TextFormat.PlainText)
        self.empty = QLabel()  # shown when a search matches nothing
        self.empty.setTextFormat(Qt.TextFormat.PlainText)  # it repeats what the user typed
        self.empty.setWordWrap(True)
        self.empty.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.search)
        layout.addWidget(self.tree, 1)
        layout.addWidget(self.empty)
        layout.addWidget(self.count)
        self._items: dict[str, QTreeWidgetItem] = {}
        self._fill(list(services), set(selected), components or {}, watched or {})
        self._update_count()
        self.search.textChanged.connect(self.set_filter)
        self.tree.itemChanged.connect(self._on_item_changed)

    def _fill(
        self,
        services: list[Service],
        selected: set[str],
        components: Mapping[str, Sequence[str]],
        watched: Mapping[str, Sequence[str]],
    ) -> None:
        for category, group in _groups(services).items():
            title = CATEGORIES.get(category, plain(category, 40))
            top = QTreeWidgetItem([title])
            top.setFlags(Qt.ItemFlag.ItemIsEnabled)
            bold = top.font(0)
            bold.setBold(True)  # headings must not read as one more service to tick
            top.setFont(0, bold)
            self.tree.addTopLevelItem(top)
            for service in group:
                item = self._service_item(service, service.id in selected, title)
                names = list(dict.fromkeys(components.get(service.id, ())))
                picked = watched.get(service.id)
                for name in names:
                    child = QTreeWidgetItem([plain(name, 60)])
                    child.setData(0, ID_ROLE, name)
                    child.setFlags(child.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                    on = picked is None or name in picked
                    child.setCheckState(0, CHECKED if on else UNCHECKED)
                    item.addChild(child)
                match = _haystack(item.data(0, MATCH_ROLE), *names)
                item.setData(0, MATCH_ROLE, match)
                top.addChild(item)
                self._items[service.id] = item
            top.setExpanded(True)

    def _service_item(self, service: Service, on: bool, title: str) -> QTreeWidgetItem:
        name = plain(service.name, 60) or service.id
        # Said up front: a link-only service is listed in the tray with its links, never polled.
        text = f"{name} ({NO_FEED})" if service.link_only else name
        item = QTreeWidgetItem([text])
        item.setData(0, ID_ROLE, service.id)
        item.setData(0, MATCH_ROLE, _haystack(name, service.id, service.category, title))
        if service.link_only:
            item.setToolTip(0, "Listed with its links; the provider publishes no status feed")
        item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
        item.setCheckState(0, CHECKED if on else UNCHECKED)
        return item

    def selected(self) -> list[str]:
        """Every ticked service, shown or hidden by the search."""
        return [key for key, item in self._items.items() if item.checkState(0) == CHECKED]

    def set_selected(self, key: str, on: bool) -> None:
        if key in self._items:
            self._items[key].setCheckState(0, CHECKED if on else UNCHECKED)

    def watched_components(self) -> dict[str, list[str]]:
        """Only services where the user unchecked some components (absent = all watched)."""
        out: dict[str, list[str]] = {}
        for key, item in self._items.items():
            children = _children(item)
            kept = [str(c.data(0, ID_ROLE)) for c in children if c.checkState(0) == CHECKED]
            if children and len(kept) < len(children):
                out[key] = kept
        return out

    def visible_services(self) -> list[str]:
        return [key for key, item in self._items.items() if not item.isHidden()]

    @Slot(str)
    def set_filter(self, text: str) -> None:
        """Show the services whose name, id, category or a component contains `text`."""
        needle = text.strip().casefold()
        shown = 0
        for top in _children(self.tree.invisibleRootItem()):
            in_group = 0
            for item in _children(top):
                hit = needle in str(item.data(0, MATCH_ROLE))
                item.setHidden(not hit)
                in_group += hit
            top.setHidden(in_group == 0)
            shown += in_group
        self.empty.setText(f"No service matches “{plain(text, 60)}”.")
        self.empty.setVisible(bool(needle) and shown == 0)

    @Slot(QTreeWidgetItem, int)
    def _on_item_changed(self, _item: QTreeWidgetItem, _column: int) -> None:
        self._update_count()
        self.changed.emit()

    def _update_count(self) -> None:
        # Ticks hidden by a search still count: say how many, so none is forgotten.
        self.count.setText(f"{len(self.selected())} of {len(self._items)} services picked")


def _children(item: QTreeWidgetItem) -> list[QTreeWidgetItem]:
    return [c for i in range(item.childCount()) if (c := item.child(i)) is not None]
