"""A searchable tree of catalog services by category, each with its components to pick from."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import QLineEdit, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget

from ..core.catalog import CATEGORIES, Service
from .labels import plain

ID_ROLE = Qt.ItemDataRole.UserRole
CHECKED = Qt.CheckState.Checked
UNCHECKED = Qt.CheckState.Unchecked


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
        self.search = QLineEdit()
        self.search.setPlaceholderText("Search services…")
        self.search.setClearButtonEnabled(True)
        self.tree = QTreeWidget()
        self.tree.setHeaderHidden(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.search)
        layout.addWidget(self.tree)
        self._items: dict[str, QTreeWidgetItem] = {}
        self._fill(list(services), set(selected), components or {}, watched or {})
        self.search.textChanged.connect(self.set_filter)
        self.tree.itemChanged.connect(lambda *_: self.changed.emit())

    def _fill(
        self,
        services: list[Service],
        selected: set[str],
        components: Mapping[str, Sequence[str]],
        watched: Mapping[str, Sequence[str]],
    ) -> None:
        groups: dict[str, list[Service]] = {}
        for service in services:
            groups.setdefault(service.category, []).append(service)
        order = [c for c in CATEGORIES if c in groups] + [c for c in groups if c not in CATEGORIES]
        for category in order:
            top = QTreeWidgetItem([CATEGORIES.get(category, plain(category, 40))])
            top.setFlags(Qt.ItemFlag.ItemIsEnabled)
            self.tree.addTopLevelItem(top)
            for service in groups[category]:
                item = QTreeWidgetItem([plain(service.name, 60)])
                item.setData(0, ID_ROLE, service.id)
                item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                item.setCheckState(0, CHECKED if service.id in selected else UNCHECKED)
                names = list(dict.fromkeys(components.get(service.id, ())))
                picked = watched.get(service.id)
                for name in names:
                    child = QTreeWidgetItem([plain(name, 60)])
                    child.setData(0, ID_ROLE, name)
                    child.setFlags(child.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                    on = picked is None or name in picked
                    child.setCheckState(0, CHECKED if on else UNCHECKED)
                    item.addChild(child)
                top.addChild(item)
                self._items[service.id] = item
            top.setExpanded(True)

    def selected(self) -> list[str]:
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
        needle = text.strip().casefold()
        root = self.tree.invisibleRootItem()
        for top in _children(root):
            group_hit = needle in top.text(0).casefold()
            shown = 0
            for item in _children(top):
                hit = not needle or group_hit or needle in item.text(0).casefold()
                hit = hit or any(needle in c.text(0).casefold() for c in _children(item))
                item.setHidden(not hit)
                shown += hit
            top.setHidden(shown == 0)


def _children(item: QTreeWidgetItem) -> list[QTreeWidgetItem]:
    return [c for i in range(item.childCount()) if (c := item.child(i)) is not None]
