"""text.escape: the same output as html.escape, for markup sinks (tooltips, notifications)."""

from __future__ import annotations

import html

from hypothesis import given
from hypothesis import strategies as st

from outage_radar.core.text import escape


@given(st.text())
def test_escape_matches_the_standard_library(text: str) -> None:
    assert escape(text) == html.escape(text)
    assert escape(text, quote=False) == html.escape(text, quote=False)


def test_escape_defuses_markup() -> None:
    assert escape('<a href="x">&</a>') == "&lt;a href=&quot;x&quot;&gt;&amp;&lt;/a&gt;"
