"""Tests for the service catalog: the built-in data and the rules user catalogs must follow."""

from __future__ import annotations

import re
from dataclasses import fields
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from outage_radar.core import sources
from outage_radar.core.catalog import (
    CATEGORIES,
    MAX_FILE_BYTES,
    Catalog,
    CatalogError,
    Service,
    load_builtin,
    load_file,
    parse_catalog,
    service_from_url,
)

REQUIRED_IDS = {
    "chatgpt", "openai-api", "codex", "claude", "anthropic-api", "claude-code", "claude-console",
    "gemini", "gemini-api", "gemini-aistudio", "copilot", "cursor", "windsurf", "perplexity",
    "mistral", "groq", "cohere", "huggingface", "together", "replicate", "deepseek", "grok",
    "azure-openai", "aws-bedrock", "openrouter", "elevenlabs", "midjourney", "lovable", "v0",
    "notion-ai", "runway", "stability", "fireworks", "pinecone", "langsmith", "cerebras",
}  # fmt: skip
RETIRED_IDS = {"sora", "character-ai"}  # Sora closed in 2026; Character.AI's page was deleted
LINK_ONLY_IDS = {"mistral", "midjourney", "gemini-aistudio"}  # no public feed we can read
CATALOG_TOML = Path(__file__).resolve().parents[2] / "resources" / "catalog.toml"
PROVIDERS_MD = Path(__file__).resolve().parents[3] / "shared" / "PROVIDERS.md"
# Hosts PROVIDERS.md says are gone or moved away from; no built-in entry may point at them.
GONE_MARKERS = ("replicatestatus", "character.ai", "status.jetbrains.ai")


def _urls(service: Service) -> list[str]:
    links = [getattr(service.links, f.name) for f in fields(service.links)]
    probe = [service.probe.url] if service.probe else []
    return [service.url, *service.endpoints, *probe, *(u for u in links if u)]


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "mine.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_builtin_catalog_is_complete() -> None:
    catalog = load_builtin()
    assert len(catalog) >= 40
    assert REQUIRED_IDS <= set(catalog.ids())
    assert len(set(catalog.ids())) == len(catalog)
    assert load_builtin() is catalog  # cached


def test_retired_services_are_gone_everywhere() -> None:
    catalog = load_builtin()
    assert not RETIRED_IDS & set(catalog.ids())
    for service in catalog:
        assert not RETIRED_IDS & set(service.alternatives), service.id
        assert "sora" not in " ".join(service.components).casefold(), service.id


def test_link_only_services_have_links_and_no_feed() -> None:
    catalog = load_builtin()
    link_only = {s.id for s in catalog if s.link_only}
    assert LINK_ONLY_IDS <= link_only
    for sid in link_only:
        service = catalog.get(sid)
        assert service and service.platform == "link" and service.endpoints == ()
        assert service.links.status == service.url and not service.components


def test_every_category_is_used() -> None:
    groups = load_builtin().by_category()
    assert list(groups) == list(CATEGORIES)  # each one non-empty, in display order
    assert all(label.strip() for label in CATEGORIES.values())


def _comment_blocks(text: str) -> list[tuple[str, str]]:
    """(id, the comment lines right above its [[service]]) for every entry in the file."""
    lines = text.splitlines()
    blocks = []
    for at, line in enumerate(lines):
        if line.strip() != "[[service]]":
            continue
        above = []
        for prev in reversed(lines[:at]):
            if not prev.startswith("#"):
                break
            above.append(prev)
        sid = next(x for x in lines[at + 1 :] if x.startswith("id = ")).split('"')[1]
        blocks.append((sid, "\n".join(reversed(above))))
    return blocks


def test_every_builtin_entry_names_its_sources_and_check_date() -> None:
    blocks = _comment_blocks(CATALOG_TOML.read_text(encoding="utf-8"))
    assert [sid for sid, _ in blocks] == list(load_builtin().ids())
    for sid, comment in blocks:
        assert "source" in comment.casefold(), f"{sid}: no source comment above [[service]]"
        assert re.search(r"\b2026-\d\d-\d\d\b", comment), f"{sid}: no date checked"


def test_readme_lists_every_builtin_service() -> None:
    readme = (CATALOG_TOML.parents[1] / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Built-in services", 1)[1].split("\n## ", 1)[0]
    rows = [line.split("|")[1:-1] for line in section.splitlines() if line.startswith("| ")]
    listed = {c[1].strip().strip("`"): c for c in rows if c[1].strip().startswith("`")}
    catalog = load_builtin()
    assert list(listed) == list(catalog.ids())
    for service in catalog:
        name, _, category, page, platform = (c.strip() for c in listed[service.id][:5])
        assert (name, category, platform) == (service.name, CATEGORIES[service.category],
                                              f"`{service.platform}`")  # fmt: skip
        assert page.endswith(f"]({service.url})"), service.id


@pytest.mark.skipif(not PROVIDERS_MD.is_file(), reason="../shared/PROVIDERS.md is not present")
def test_no_entry_points_at_a_page_providers_md_marks_gone() -> None:
    facts = PROVIDERS_MD.read_text(encoding="utf-8").casefold()
    assert all(marker in facts for marker in GONE_MARKERS)  # the list still mirrors the file
    for service in load_builtin():
        for url in _urls(service):
            host = (urlsplit(url).hostname or "").casefold()
            assert not any(marker in host for marker in GONE_MARKERS), (service.id, url)


@pytest.mark.parametrize("service", load_builtin().services, ids=lambda s: s.id)
def test_builtin_service_is_well_formed(service: Service) -> None:
    catalog = load_builtin()
    assert not service.user
    assert service.category in CATEGORIES
    assert service.platform in sources.PLATFORMS
    assert bool(service.endpoints) != service.link_only
    assert all(alt in catalog.ids() and alt != service.id for alt in service.alternatives)
    for url in _urls(service):
        assert urlsplit(url).scheme == "https", url
    links = service.links
    assert links.status and links.support and links.x and links.reddit and links.tool
    assert links.x.startswith("https://x.com/search?q=") and links.x.endswith("&f=live")
    assert links.reddit.startswith("https://www.reddit.com/search/?q=")


@pytest.mark.parametrize(
    ("sid", "platform", "components"),
    [
        # status.openai.com's groups are APIs, ChatGPT and Codex: there is no part called "API"
        ("openai-api", "incidentio", ("APIs",)),
        ("chatgpt", "incidentio", ("ChatGPT",)),
        ("codex", "incidentio", ("Codex",)),
        ("claude", "statuspage", ("claude.ai",)),
        ("anthropic-api", "statuspage", ("Claude API (api.anthropic.com)",)),
        ("claude-code", "statuspage", ("Claude Code",)),
        ("claude-console", "statuspage", ("Claude Console (platform.claude.com)",)),
        ("copilot", "statuspage", ("Copilot", "Copilot AI Model Providers")),
        ("windsurf", "statuspage", ("Cascade", "Windsurf Tab")),
        ("replicate", "cloudflare", ("Replicate",)),
        ("perplexity", "incidentio", ()),  # moved off Instatus; its own page, read whole
        ("deepseek", "flashduty", ()),
        ("openrouter", "datadog", ()),
    ],
)
def test_builtin_scopes_follow_the_real_pages(
    sid: str, platform: str, components: tuple[str, ...]
) -> None:
    service = load_builtin().get(sid)
    assert service and (service.platform, service.components) == (platform, components)


def test_builtin_moves_and_probes() -> None:
    catalog = load_builtin()
    claude_api = catalog.get("anthropic-api")
    assert claude_api and claude_api.probe and claude_api.probe.auth == "header:x-api-key"
    assert ("anthropic-version", "2023-06-01") in claude_api.probe.headers
    assert claude_api.links.tool == "https://platform.claude.com"  # the Console moved there
    gemini, bedrock = catalog.get("gemini"), catalog.get("aws-bedrock")
    assert gemini and gemini.product == "npdyhgECDJ6tB66MxXyo"
    assert bedrock and bedrock.platform == "aws" and bedrock.product == "BEDROCK"
    deepseek, replicate = catalog.get("deepseek"), catalog.get("replicate")
    assert deepseek and deepseek.url == "https://status.deepseek.com"
    assert replicate and replicate.url == "https://www.cloudflarestatus.com"
    aistudio = catalog.get("gemini-aistudio")
    assert aistudio and aistudio.url == "https://aistudio.google.com/status"
    assert aistudio.probe and aistudio.probe.auth == "header:x-goog-api-key"
    probed = {s.id for s in catalog if s.probe}
    assert {"openai-api", "anthropic-api", "gemini-aistudio", "mistral", "groq", "cohere"} <= probed
    assert all(s.probe is None or s.probe.url.startswith("https://") for s in catalog)
    assert catalog.get("nope") is None


def test_by_category_keeps_category_order() -> None:
    groups = load_builtin().by_category()
    assert list(groups) == [c for c in CATEGORIES if c in groups]
    assert {s.id for s in groups["coding"]} >= {"codex", "claude-code", "copilot", "cursor"}
    assert sum(len(g) for g in groups.values()) == len(load_builtin())


def test_user_file_minimum_fields(tmp_path: Path) -> None:
    text = '[[service]]\nid = "acme"\nname = " Acme "\nurl = "https://status.acme.io"\n'
    catalog = load_file(_write(tmp_path, text))
    (service,) = catalog
    assert isinstance(catalog, Catalog)
    assert (service.id, service.name, service.category) == ("acme", "Acme", "api")
    assert service.user
    assert service.links.status == "https://status.acme.io"
    assert service.links.x and "Acme%20down" in service.links.x
    assert service.platform in (*sources.PLATFORMS, "auto")
    if service.platform == "auto":
        assert service.endpoints == ("https://status.acme.io",)


@pytest.mark.parametrize(
    ("url", "platform"),
    [
        ("https://status.acme.io/api/v2/summary.json", "statuspage"),
        ("https://status.acme.io/proxy/status.acme.io", "incidentio"),
        ("https://status.acme.io/index.json", "betterstack"),
        ("https://status.acme.io/history.rss", "feed"),
        ("https://status.acme.io", "auto"),  # a bare page: detected by the monitor at run time
    ],
)
def test_user_platform_is_guessed_from_url_shape(url: str, platform: str) -> None:
    data = {"service": [{"id": "acme", "name": "Acme", "url": url}]}
    (service,) = parse_catalog(data, user=True, origin="t")
    assert service.platform == platform
    auto = platform == "auto"
    assert service.endpoints == ((url,) if auto else sources.endpoints(platform, url))


def test_http_only_in_user_catalogs() -> None:
    table: dict[str, Any] = {"id": "lan", "name": "LAN", "url": "http://status.lan"}
    table |= {"category": "api", "platform": "statuspage", "links": {"support": "http://help.lan"}}
    (service,) = parse_catalog({"service": [table]}, user=True, origin="mine.toml")
    assert service.url == "http://status.lan" and service.links.support == "http://help.lan"
    with pytest.raises(CatalogError, match=r"catalog\.toml: service 'lan': url must be an https"):
        parse_catalog({"service": [table]}, user=False, origin="catalog.toml")


_PROBE = {"url": "https://a.io/m", "key": "k"}


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"id": None}, "#1: id must be a non-empty string"),
        ({"id": "Bad Id"}, "id must be 1-64"),
        ({"name": " "}, "'a': name must be"),
        ({"url": None}, "url is required"),
        ({"url": "ftp://a.io"}, "url must be an http"),
        ({"url": "https://u:p@a.io"}, "credentials"),
        ({"url": "https://a.io:99999"}, "url is not a valid URL"),
        ({"platform": "x"}, "platform must be"),
        ({"category": "x"}, "category must be"),
        ({"colour": 1}, "unknown keys: colour"),
        ({"alternatives": ["a"]}, "alternatives has unknown ids or itself: a"),
        ({"components": "c"}, "components must"),
        ({"links": {"x": "nope"}}, "links.x is not a valid URL|links.x must be"),
        ({"links": {"mastodon": "https://m.io"}}, "links has unknown keys: mastodon"),
        ({"probe": {"key": "k"}}, "probe.url is required"),
        ({"probe": {"url": "http://a.io/m", "key": "k"}}, "probe.url must be an https"),
        ({"probe": _PROBE | {"auth": "basic"}}, "probe.auth must be"),
        ({"probe": _PROBE | {"headers": {"bad name": "v"}}}, "probe.headers has a name"),
        ({"probe": _PROBE | {"headers": {"x-v": "a\nb"}}}, "probe.headers.x-v must be one line"),
    ],
)
def test_user_service_rules(change: dict[str, Any], message: str) -> None:
    service = {"id": "a", "name": "x", "url": "https://a.io"} | change
    service = {k: v for k, v in service.items() if v is not None}
    with pytest.raises(CatalogError, match=message):
        parse_catalog({"service": [service]}, user=True, origin="mine.toml")


def test_duplicate_ids_rejected(tmp_path: Path) -> None:
    one = '[[service]]\nid = "a"\nname = "A"\nurl = "https://a.io"\n'
    with pytest.raises(CatalogError, match="mine.toml: service 'a': id is a duplicate"):
        load_file(_write(tmp_path, one + one))


def test_alternatives_may_name_builtin_ids_but_not_unknown_ones() -> None:
    base = {"id": "a", "name": "A", "url": "https://a.io"}
    ok = parse_catalog({"service": [base | {"alternatives": ["chatgpt"]}]}, user=True, origin="t")
    assert ok.services[0].alternatives == ("chatgpt",)
    with pytest.raises(CatalogError, match="'a': alternatives has unknown ids or itself: ghost"):
        parse_catalog({"service": [base | {"alternatives": ["ghost"]}]}, user=True, origin="t")


@pytest.mark.parametrize(
    "text",
    ["[[service]\nid = 1", "service = 3\n", 'service = "x"\n', "service = [1, 2]\n", "[service]\n"],
)
def test_bad_files_raise_catalog_error(tmp_path: Path, text: str) -> None:
    with pytest.raises(CatalogError, match="mine.toml"):
        load_file(_write(tmp_path, text))


def test_unreadable_and_oversized_files(tmp_path: Path) -> None:
    with pytest.raises(CatalogError, match="cannot be read"):
        load_file(tmp_path / "missing.toml")
    with pytest.raises(CatalogError, match="larger than"):
        load_file(_write(tmp_path, "#" * (MAX_FILE_BYTES + 1)))
    (tmp_path / "bin.toml").write_bytes(b"\xff\xfe")
    with pytest.raises(CatalogError, match="UTF-8"):
        load_file(tmp_path / "bin.toml")


def test_empty_user_file_is_an_empty_catalog(tmp_path: Path) -> None:
    assert len(load_file(_write(tmp_path, "# nothing yet\n"))) == 0


def test_service_from_url() -> None:
    service = service_from_url(" http://Status.Example.com/Team/Page/ ", name="Team")
    assert (service.id, service.name) == ("status.example.com-team-page", "Team")
    assert service.user
    assert service.url == "http://Status.Example.com/Team/Page/"
    assert service_from_url("https://status.example.com").name == "status.example.com"
    for bad in ("notaurl", "ftp://x.io", "https://a:b@x.io", "https://"):
        with pytest.raises(CatalogError):
            service_from_url(bad)


# --- robustness ----------------------------------------------------------------------------

_scalars = st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=30)
_junk = st.recursive(
    _scalars,
    lambda kids: (
        st.lists(kids, max_size=4) | st.dictionaries(st.text(max_size=8), kids, max_size=4)
    ),
    max_leaves=20,
)
_plausible = st.sampled_from(
    ["a", "https://a.io", "http://b.io/api/v2/summary.json", "statuspage", "auto", "chat",
     "bearer", "header:x-k", "chatgpt", "", " "]
) | _junk  # fmt: skip
_keys = ["id", "name", "url", "endpoint", "platform", "category", "components", "product"]
_keys += ["alternatives", "links", "probe"]
_sub_keys = st.sampled_from(["url", "key", "auth", "headers", "x", "status", "tool"])
_value = (
    _plausible | st.lists(_plausible) | st.dictionaries(_sub_keys | st.text(max_size=8), _plausible)
)
_service_like = st.dictionaries(st.sampled_from(_keys), _value) | st.fixed_dictionaries(
    {"id": st.just("a"), "name": st.just("A"), "url": st.just("https://a.io")},
    optional={k: _value for k in _keys[3:]},
)


@settings(max_examples=300, deadline=None)
@given(
    data=_junk | st.fixed_dictionaries({"service": _junk | st.lists(_service_like, max_size=3)}),
    user=st.booleans(),
)
def test_parse_catalog_only_raises_catalog_error(data: Any, user: bool) -> None:
    try:
        catalog = parse_catalog(data, user=user, origin="fuzz")
    except CatalogError:
        return
    assert all(isinstance(s, Service) for s in catalog)
