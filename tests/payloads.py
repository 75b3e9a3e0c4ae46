"""Builders for status payloads served by the fake server in integration and desktop tests."""

from __future__ import annotations

import json
from typing import Any

_INDICATOR = {
    "operational": "none",
    "degraded_performance": "minor",
    "partial_outage": "major",
    "major_outage": "critical",
    "under_maintenance": "maintenance",
}
_IMPACT = {
    "degraded_performance": "minor",
    "partial_outage": "major",
    "major_outage": "critical",
}


def summary(
    status: str = "operational",
    *,
    name: str = "Example",
    components: tuple[str, ...] = ("API", "Web"),
    incident: str | None = None,
    update: str = "We are investigating elevated error rates.",
    incident_id: str = "inc1",
    url: str = "https://status.example.com",
) -> bytes:
    """A Statuspage v2 summary.json where every component has `status`."""
    comps = [
        {"id": f"c{i}", "name": n, "status": status, "group_id": None, "group": False}
        for i, n in enumerate(components)
    ]
    incidents: list[dict[str, Any]] = []
    if incident is not None:
        incidents.append(
            {
                "id": incident_id,
                "name": incident,
                "status": "investigating",
                "impact": _IMPACT.get(status, "minor"),
                "created_at": "2026-11-21T10:05:00Z",
                "updated_at": "2026-11-21T10:10:00Z",
                "started_at": "2026-11-21T10:05:00Z",
                "shortlink": f"{url}/incidents/{incident_id}",
                "components": comps,
                "incident_updates": [
                    {
                        "id": "u1",
                        "status": "investigating",
                        "body": update,
                        "display_at": "2026-11-21T10:10:00Z",
                    }
                ],
            }
        )
    doc = {
        "page": {"id": "p1", "name": name, "url": url, "updated_at": "2026-11-21T10:10:00Z"},
        "status": {"indicator": _INDICATOR[status], "description": status},
        "components": comps,
        "incidents": incidents,
        "scheduled_maintenances": [],
    }
    return json.dumps(doc).encode()


def catalog(entries: list[tuple[str, str, str]], *, platform: str = "statuspage") -> str:
    """A user catalog TOML with (id, name, url) entries."""
    parts = []
    for key, name, url in entries:
        parts.append(
            f'[[service]]\nid = "{key}"\nname = "{name}"\nurl = "{url}"\nplatform = "{platform}"\n'
        )
    return "\n".join(parts)
