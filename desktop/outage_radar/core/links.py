"""Link policy: which URLs may be opened, and the per-service links the menus offer."""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from .urls import search_urls, url_problem

if TYPE_CHECKING:
    from .catalog import Service


def safe_url(url: object, *, user_typed: bool = False) -> str | None:
    """The URL if it may be opened: https (or http the user typed) with a host (urls.url_problem);
    None for anything else. A link from a status page must never reach the OS otherwise."""
    if not isinstance(url, str) or url_problem(url := url.strip(), http=user_typed):
        return None
    return urlsplit(url).geturl()


def status_url(service: Service) -> str | None:
    return safe_url(service.links.status) or safe_url(service.url, user_typed=service.user)


def tool_url(service: Service) -> str | None:
    """Where a user goes to use the service instead (the alternative's own app or console)."""
    return safe_url(service.links.tool) or status_url(service)


def support_url(service: Service) -> str | None:
    return safe_url(service.links.support)


def search_links(service: Service) -> list[tuple[str, str]]:
    """'Search X', 'Search Reddit' and 'Downdetector' links: the catalog's, else a search."""
    search, links = search_urls(service.name), service.links
    return [
        ("Search X", safe_url(links.x) or search["x"]),
        ("Search Reddit", safe_url(links.reddit) or search["reddit"]),
        ("Downdetector", safe_url(links.downdetector) or search["downdetector"]),
    ]
