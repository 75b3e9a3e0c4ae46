"""Link policy: only plain web pages are ever opened."""

from __future__ import annotations

import pytest

from outage_radar.core.catalog import Links, Service
from outage_radar.core.links import safe_url, search_links, status_url, tool_url


@pytest.mark.parametrize(
    "url",
    [
        "https://status.openai.com",
        "https://status.openai.com/incidents/01J?x=1#y",
        "  https://claude.ai/  ",
        "https://[::1]:8443/x",
    ],
)
def test_https_links_open(url: str) -> None:
    assert safe_url(url) == url.strip()


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "javascript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "smb://evil.example/share",
        "ms-settings:privacy",
        "vscode://x",
        "http://example.com",  # plain http only when the user typed it
        "https://",
        "https:///path-only",
        "https:\\\\evil.example",
        "https://evil.example/\x00",
        "https://evil .example",
        "https://openai.com@evil.example/",
        "https://example.com:99999/",
        "//example.com/x",
        "example.com",
        "",
        "https://example.com/" + "a" * 3000,
    ],
)
def test_everything_else_is_refused(url: str) -> None:
    assert safe_url(url) is None


def test_scheme_is_normalised() -> None:
    assert safe_url("HTTPS://Example.com/path") == "https://Example.com/path"


def test_non_strings_are_refused() -> None:
    assert safe_url(None) is None
    assert safe_url(b"https://example.com") is None


def test_http_only_when_user_typed() -> None:
    assert safe_url("http://intranet.example/status", user_typed=True) == (
        "http://intranet.example/status"
    )
    assert safe_url("file:///etc/passwd", user_typed=True) is None


def test_service_links_fall_back_to_searches() -> None:
    bare = Service("acme", "Acme & Co", "https://status.acme.example", "statuspage", ())
    assert status_url(bare) == "https://status.acme.example"
    assert tool_url(bare) == "https://status.acme.example"
    got = dict(search_links(bare))
    assert got["Search X"] == "https://x.com/search?q=Acme%20%26%20Co%20down&f=live"
    assert got["Search Reddit"].startswith("https://www.reddit.com/search/?q=Acme+%26+Co+down")
    assert got["Downdetector"] == "https://downdetector.com/search/?q=Acme+%26+Co"
    hostile = Service(
        "h",
        "H",
        "https://status.h.example",
        "statuspage",
        (),
        links=Links(status="javascript:alert(1)", x="file:///x", tool="smb://h/share"),
    )
    assert status_url(hostile) == "https://status.h.example"
    assert tool_url(hostile) == "https://status.h.example"
    assert dict(search_links(hostile))["Search X"].startswith("https://x.com/search?q=H")
