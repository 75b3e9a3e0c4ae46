"""A loopback copy of status.openai.com's real structure: incident.io `/proxy/<host>` JSON.

Groups and parts are those PROVIDERS.md lists (late 2026); key names follow incident.io's
native proxy summary (structure.items with group/component, affected_components,
ongoing_incidents with component_impacts and rich-text updates). The compat summary beside it
is what incident.io serves at `/api/v2/summary.json`: no groups, a subset of the parts, and
incidents that list no components.
"""

from __future__ import annotations

import json
from itertools import count
from typing import Any

GROUPS: dict[str, tuple[str, ...]] = {
    "APIs": (
        "Chat Completions",
        "Responses",
        "Fine-tuning",
        "Embeddings",
        "Images",
        "Batch",
        "Audio",
        "Moderations",
        "Realtime",
        "Files",
        "Login",
        "Sora",
    ),
    "ChatGPT": (
        "Conversations",
        "Login",
        "ChatGPT Work",
        "Codex in ChatGPT Desktop",
        "Compliance API",
        "Search",
        "File uploads",
        "Voice mode",
        "GPTs",
        "Image Generation",
        "Deep Research",
        "Agent",
        "ChatGPT Atlas",
        "Sites",
        "Connectors/Apps",
    ),
    "Codex": ("Codex Web", "Codex API", "CLI", "VS Code extension"),
    # PROVIDERS.md lists no parts for these two; like the FedRAMP group in the CodexBar sample,
    # each holds one part of its own name.
    "FedRAMP": ("FedRAMP",),
    "Ads Platform": ("Ads Platform",),
}
# The two group ids PROVIDERS.md records; the rest are made-up ULIDs of the same shape.
GROUP_IDS = {"ChatGPT": "01K5H8S53SY1KMS4GQMNMZXTR1", "Codex": "01KMKF9EBTCD8BN9PG8DJZXRSQ"}
PAGE_ID = "01JMXBRMFE6N2NNT7DG6XZQ6PW"
INCIDENT_ID = "01KQ3V0F5W8J6G2R4T7Y9B1C3D"
INCIDENT = "Increased latency for the Responses API"
UPDATE = "We are seeing elevated latency on Responses and are investigating."
STARTED = "2026-11-21T10:05:00.000Z"


def _ulid(n: int) -> str:
    return f"01KA{n:022d}"  # digits are valid Crockford base32: 26 characters like a ULID


def ids(groups: dict[str, tuple[str, ...]] = GROUPS) -> dict[tuple[str, str], str]:
    """A stable id for every (group, part): `Login` in APIs and in ChatGPT are two parts."""
    numbers = count(1)
    return {(g, part): _ulid(next(numbers)) for g, parts in groups.items() for part in parts}


def _rich(text: str) -> dict[str, Any]:
    paragraph = {"type": "paragraph", "content": [{"type": "text", "text": text}]}
    return {"type": "doc", "content": [paragraph]}


def proxy(
    groups: dict[str, tuple[str, ...]] = GROUPS, *, incident: bool = True, host: str = ""
) -> bytes:
    """`/proxy/<host>`: the page with one ongoing incident on `Responses` only (when asked)."""
    part_ids = ids(groups)
    responses = next((i for (_, p), i in part_ids.items() if p == "Responses"), "")
    items = [
        {
            "group": {
                "id": GROUP_IDS.get(g, _ulid(900 + n)),
                "name": g,
                "hidden": False,
                "components": [
                    {"component_id": part_ids[(g, p)], "name": p, "hidden": False} for p in parts
                ],
            }
        }
        for n, (g, parts) in enumerate(groups.items())
    ]
    affected = []
    incidents: list[dict[str, Any]] = []
    if incident and responses:
        affected.append({"component_id": responses, "status": "degraded_performance"})
        incidents.append(_incident(responses, host))
    summary = {
        "id": PAGE_ID,
        "name": "OpenAI",
        "public_url": f"http://{host}" if host else "https://status.openai.com",
        "components": [{"id": i, "name": p} for (_, p), i in part_ids.items()],
        "affected_components": affected,
        "ongoing_incidents": incidents,
        "in_progress_maintenances": [],
        "scheduled_maintenances": [],
        "structure": {"items": items},
    }
    return json.dumps({"summary": summary}).encode()


def _incident(component: str, host: str) -> dict[str, Any]:
    return {
        "id": INCIDENT_ID,
        "name": INCIDENT,
        "status": "investigating",
        "published_at": STARTED,
        "affected_components": [{"component_id": component}],
        "component_impacts": [
            {
                "component_id": component,
                "status": "degraded_performance",
                "start_at": STARTED,
                "status_page_incident_id": INCIDENT_ID,
            }
        ],
        "updates": [
            {
                "id": "01KQ3V0F5W8J6G2R4T7Y9B1C3E",
                "message": _rich(UPDATE),
                "published_at": "2026-11-21T10:12:00.000Z",
                "to_status": "investigating",
            }
        ],
    }


def compat(groups: dict[str, tuple[str, ...]] = GROUPS, *, incident: bool = True) -> bytes:
    """`/api/v2/summary.json`: Statuspage's shape with ULIDs, no groups, no incident parts."""
    part_ids = ids(groups)
    comps = [
        {"id": i, "name": p, "status": "operational", "position": n}
        for n, ((_, p), i) in enumerate(part_ids.items())
        if n % 4  # the compat list is a changing subset of the parts
    ]
    incidents = []
    if incident:
        incidents.append(
            {
                "id": INCIDENT_ID,
                "name": INCIDENT,
                "status": "investigating",
                "impact": "minor",
                "shortlink": None,
                "created_at": STARTED,
                "updated_at": "2026-11-21T10:12:00.000Z",
                "incident_updates": [
                    {"status": "investigating", "body": UPDATE, "created_at": STARTED}
                ],
            }
        )
    doc = {
        "page": {"id": PAGE_ID, "name": "OpenAI", "url": "https://status.openai.com"},
        "status": {"indicator": "minor" if incident else "none", "description": "x"},
        "components": comps,
        "incidents": incidents,
    }
    return json.dumps(doc).encode()


def renamed(old: str, new: str) -> dict[str, tuple[str, ...]]:
    """GROUPS with one group renamed, in place."""
    return {new if g == old else g: parts for g, parts in GROUPS.items()}
