"""The parts the controller drives, built by the app and handed to the controller's constructor.

Each optional part stands for a feature the run may lack (no history in a test, no keyring):
the controller checks for it where the feature's window opens, nowhere else.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from ..core.alerts import Alert
from ..core.catalog import Service
from ..core.settings import Settings
from ..core.state import ServiceState

if TYPE_CHECKING:
    from ..core.credentials import Credentials
    from ..core.early_warning import Lead
    from ..core.probes import ProbeResult
    from .add_page import Preview
    from .doctor_box import Diagnose
    from .history_window import HistoryReader


class MonitorLike(Protocol):
    @property
    def states(self) -> Mapping[str, ServiceState]: ...
    def check_now(self) -> None: ...
    def set_services(self, services: Sequence[Service]) -> None: ...
    def set_interval(self, seconds: float) -> None: ...


class ProbesLike(Protocol):
    @property
    def problem(self) -> str | None: ...
    def recent(self, service: str) -> list[ProbeResult]: ...
    def check_now(self) -> None: ...
    def set_services(self, services: Sequence[Service]) -> None: ...
    def set_interval(self, seconds: float) -> None: ...


class NotifierLike(Protocol):
    async def show(self, alert: Alert) -> None: ...


class NoProbes:
    """A run without API probes: nothing to probe, nothing to show."""

    problem: str | None = None

    def recent(self, service: str) -> list[ProbeResult]:
        return []

    def check_now(self) -> None:
        pass

    def set_services(self, services: Sequence[Service]) -> None:
        pass

    def set_interval(self, seconds: float) -> None:
        pass


@dataclass
class Parts:
    """What the controller drives, built by the app before the controller."""

    monitor: MonitorLike
    notifier: NotifierLike
    services: Callable[[Settings], list[Service]]  # the services these settings watch
    all_services: Callable[[], list[Service]]  # every service the user may pick
    probes: ProbesLike = field(default_factory=NoProbes)
    settings_path: Path | None = None
    history: HistoryReader | None = None  # None: no History window
    credentials: Credentials | None = None  # None: no API keys section
    diagnose: Diagnose | None = None  # None: no "Is it just me?"
    preview: Preview | None = None  # None: no "Check" for an added page
    record_lead: Callable[[Lead], None] = field(default=lambda lead: None)  # into the history
