"""Redaction of secrets in log text: API keys, Authorization headers, key-like query values.

The keys themselves live only in the OS keyring, but a log line or a traceback can still pick
one up (an exception that quotes a header, a URL with `?key=`). Every log handler formats
through `RedactingFormatter`, so nothing that looks like a secret reaches the log file or the
console; `remember()` adds an exact value (a key just read from the keyring) to the list.
"""

from __future__ import annotations

import logging
import re

MASK = "[redacted]"
_known: set[str] = set()

_PATTERNS = [
    # Provider key shapes: OpenAI/Anthropic (sk-...), Google (AIza...), GitHub, Groq, xAI, HF.
    re.compile(r"\b(?:sk|rk|pk)-[A-Za-z0-9_\-]{16,}"),
    re.compile(r"\bAIza[0-9A-Za-z_\-]{30,}"),
    re.compile(r"\b(?:ghp|gho|ghs|github_pat|gsk|xai|hf)_[A-Za-z0-9_]{16,}"),
    re.compile(r"\bxai-[A-Za-z0-9]{16,}"),
    re.compile(r"(?i)(?<=bearer )[A-Za-z0-9._~+/=\-]{8,}"),
]
# A value after a secret-sounding name: headers, JSON/TOML fields, query parameters.
_NAMED = re.compile(
    r"(?i)((?:authorization|proxy-authorization|x-api-key|x-goog-api-key|api[-_]?key|"
    r"access[-_]?token|auth[-_]?token|secret|password|[?&](?:key|token|sig))"
    r"[\"']?\s*[:=]\s*[\"']?(?:bearer\s+|basic\s+|token\s+)?)([^\s\"',;&)#]{4,})"
)


def remember(secret: str) -> None:
    """Redact this exact value from now on (for secrets with no recognisable shape)."""
    if len(secret) >= 8:
        _known.add(secret)


def redact(text: str) -> str:
    for secret in _known:
        text = text.replace(secret, MASK)
    for pattern in _PATTERNS:
        text = pattern.sub(MASK, text)
    return _NAMED.sub(lambda m: m.group(1) + MASK, text)


class RedactingFormatter(logging.Formatter):
    """Formats as usual (message, arguments, traceback), then redacts the whole text."""

    def format(self, record: logging.LogRecord) -> str:
        return redact(super().format(record))
