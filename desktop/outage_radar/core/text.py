"""Make untrusted network text safe to show as plain text anywhere."""

from __future__ import annotations

import re
import unicodedata

# Bidi overrides/isolates can make a title read backwards; zero-width marks hide text.
_INVISIBLE = dict.fromkeys(
    [0x200B, 0x200C, 0x200D, 0x200E, 0x200F, 0x2060, 0xFEFF]
    + list(range(0x202A, 0x202F))
    + list(range(0x2066, 0x206A))
)
_SPACES = re.compile(r"[ \t\r\f\v]+")
_LINES = re.compile(r"\n{3,}")


def clean(text: object, limit: int = 2000, *, single_line: bool = False) -> str:
    """Strip control and bidi characters, collapse blanks and cut to `limit` characters."""
    if not isinstance(text, str):
        return ""
    text = text.translate(_INVISIBLE)
    out = []
    for ch in text:
        if ch == "\n":
            out.append(" " if single_line else "\n")
        elif ch == "\t":
            out.append(" ")
        elif unicodedata.category(ch) in ("Cc", "Cs", "Co"):
            continue
        else:
            out.append(ch)
    text = _SPACES.sub(" ", "".join(out))
    text = _LINES.sub("\n\n", "\n".join(line.strip() for line in text.split("\n"))).strip()
    return elide(text, limit)


def elide(text: str, limit: int) -> str:
    """Cut text to at most `limit` characters, ending with an ellipsis when cut."""
    if limit <= 0 or len(text) <= limit:
        return text
    return text[: max(0, limit - 1)].rstrip() + "…"


_TAGS = re.compile(r"<[^>]{0,2000}>")
_MARKUP = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})
_QUOTES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#x27;"})


def escape(text: str, *, quote: bool = True) -> str:
    """html.escape without importing html: its entity table (0.3 MiB) only unescaping needs."""
    return text.translate(_QUOTES if quote else _MARKUP)


def strip_html(text: str) -> str:
    """Turn a feed's HTML fragment into plain text (tags dropped, entities decoded)."""
    import html

    text = re.sub(r"(?i)<br\s*/?>|</p>|</li>|</div>", "\n", text)
    return html.unescape(_TAGS.sub("", text))
