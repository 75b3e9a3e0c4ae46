"""Hostile status-page text and links, a Statuspage payload carrying them, and the checks.

A real status page can carry anything in a name, a title or an update: markup, `&` and `_`
(Qt mnemonics), bidi overrides, NUL and escape sequences, 5,000-character titles, emoji. Every
sink must show it literally, elided, without control characters, and interpret nothing.
"""

from __future__ import annotations

import json
import unicodedata

MARKUP = '<b>bold</b> <a href="file:///etc/passwd">x</a> <img src=x onerror=alert(1)>'
AMP = "R&D _under_ & Co"
BIDI = "invoice\u202egnp.exe\u202c \u2066iso\u2069 \u200fmark"
CONTROL = "nul\x00 bell\x07 esc\x1b[31mred\x1b[0m del\x7f tab\tend"
LONG = "L" * 5000
EMOJI = "🔥 outage 🚨 👩\u200d💻"
TEXTS = {"markup": MARKUP, "amp": AMP, "bidi": BIDI, "control": CONTROL, "long": LONG}
TEXTS["emoji"] = EMOJI

BAD_LINKS = [
    "file:///etc/passwd",
    "javascript:alert(1)",
    "smb://evil.example/share",
    "vscode://evil.example/cmd",
    "data:text/html,<script>alert(1)</script>",
    "http://plain.example/incident",  # http from a payload: the user did not type it
    "https://user@evil.example/x",
    "//evil.example/scheme-relative",
    "https://ok.example/\u202eevil",
    "https://ok.example/" + "a" * 3000,
]
GOOD_LINK = "https://ok.example/incidents/1"

_INVISIBLE = {0x200E, 0x200F, 0x200B, 0x200C, 0x2060, 0xFEFF}
_INVISIBLE |= set(range(0x202A, 0x202F)) | set(range(0x2066, 0x206A))


def payload(name: str = "Hostile " + EMOJI, links: list[str] | None = None) -> bytes:
    """A Statuspage summary: hostile page, component, incident and maintenance text."""
    links = links if links is not None else [GOOD_LINK, *BAD_LINKS]
    comps = [
        {"id": f"c-{k}", "name": v, "status": "major_outage", "group": False, "group_id": None}
        for k, v in TEXTS.items()
    ]
    incidents = [
        {
            "id": f"i{n}",
            "name": f"{key} {TEXTS[key]}",
            "status": "investigating",
            "impact": "critical",
            "created_at": "2026-11-21T10:05:00Z",
            "updated_at": "2026-11-21T10:10:00Z",
            "shortlink": links[n % len(links)],
            "components": [],
            "incident_updates": [
                {"id": f"u{n}", "status": "investigating", "body": TEXTS[key] + "\nsecond line"}
            ],
        }
        for n, key in enumerate(TEXTS)
    ]
    incidents += [
        {
            "id": f"link{n}",
            "name": f"link {n}",
            "status": "investigating",
            "impact": "critical",
            "created_at": "2026-11-21T10:05:00Z",
            "shortlink": url,
            "components": [],
            "incident_updates": [],
        }
        for n, url in enumerate(links)
    ]
    maint = {
        "id": "m1",
        "name": MARKUP + AMP,
        "status": "in_progress",
        "scheduled_for": "2026-11-21T09:00:00Z",
        "scheduled_until": "2026-11-21T23:00:00Z",
        "shortlink": "javascript:alert(2)",
        "components": [],
    }
    return json.dumps(
        {
            "page": {"id": "p", "name": name, "url": "https://status.hostile.example"},
            "status": {"indicator": "critical", "description": MARKUP},
            "components": comps,
            "incidents": incidents,
            "scheduled_maintenances": [maint],
        }
    ).encode()


def assert_safe(text: str, limit: int, *, lines: bool = False) -> None:
    """No control, bidi or invisible characters; each line at most `limit` characters."""
    for ch in text:
        if ch == "\n" and lines:
            continue
        assert ord(ch) not in _INVISIBLE, (hex(ord(ch)), text[:120])
        assert unicodedata.category(ch) not in ("Cc", "Cs", "Co"), (hex(ord(ch)), text[:120])
    longest = max(len(line) for line in text.split("\n"))
    assert longest <= limit, (longest, text[:120])
