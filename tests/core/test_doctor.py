"""'Is it just me?' end to end on loopback: one doctor run per verdict, as a user reads it."""

from __future__ import annotations

import asyncio
import json
import socket
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from datetime import datetime
from pathlib import Path

import pytest

from outage_radar.cli.doctor import doctor
from outage_radar.core import settings as settings_store
from outage_radar.core.credentials import Credentials
from outage_radar.core.doctor import (
    Connectivity,
    HostCheck,
    Verdict,
    connectivity,
    proxy_for,
    summarize,
    verdict,
)
from outage_radar.core.failures import Failure, Kind
from outage_radar.core.model import Level, Snapshot
from outage_radar.core.probes import Outcome, ProbeResult
from tests import payloads
from tests.builders import service
from tests.fakeapi import FakeApi, MemoryKeyring
from tests.fakeserver import FakeServer

KEY = "sk-doctor-0a9b8c7d6e5f4a3b2c1d"


@pytest.fixture
def api() -> Iterator[FakeApi]:
    srv = FakeApi(key=KEY).start()
    yield srv
    srv.stop()


def dead_url(path: str = "/") -> str:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}{path}"


def setup(tmp_path: Path, page: str, probe: str, neutral: list[str], key: str | None) -> tuple:
    settings_store.save(settings_store.Settings(neutral_hosts=neutral))
    path = tmp_path / "catalog.toml"
    path.write_text(
        f'[[service]]\nid = "lab-api"\nname = "Lab API"\nurl = "{page}"\n'
        f'platform = "statuspage"\n[service.probe]\nurl = "{probe}"\nkey = "lab"\n'
    )
    keys = MemoryKeyring()
    if key is not None:
        Credentials(keys).set("lab", key)
    return path, Credentials(keys)


def run_doctor(
    capsys: pytest.CaptureFixture[str], path: Path, store: Credentials
) -> tuple[int, dict]:
    code = doctor(path, [], as_json=True, store=store)
    out = capsys.readouterr()
    assert KEY not in out.out + out.err
    return code, json.loads(out.out)


def test_all_good(
    tmp_path: Path, server: FakeServer, api: FakeApi, capsys: pytest.CaptureFixture[str]
) -> None:
    page = server.set("/api/v2/summary.json", payloads.summary())
    neutral = [server.set("/", b"<html>hi</html>", content_type="text/html")]
    path, store = setup(tmp_path, page, api.url("/ok"), neutral, KEY)
    code, doc = run_doctor(capsys, path, store)
    (report,) = doc["services"]
    assert (code, report["verdict"]) == (0, "all_good")
    assert report["summary"].startswith("All good: the status page says operational and your key")
    assert report["probe"]["outcome"] == "ok" and report["key"] == "stored"
    assert doc["connection"]["online"] and doc["connection"]["dns"]
    assert doc["elapsed_ms"] < 5000


def test_the_provider_is_down_for_everyone(
    tmp_path: Path, server: FakeServer, api: FakeApi, capsys: pytest.CaptureFixture[str]
) -> None:
    page = server.set(
        "/api/v2/summary.json", payloads.summary("major_outage", incident="API errors")
    )
    neutral = [server.set("/", b"ok", content_type="text/plain")]
    path, store = setup(tmp_path, page, api.url("/broken"), neutral, KEY)
    code, doc = run_doctor(capsys, path, store)
    (report,) = doc["services"]
    assert (code, report["verdict"]) == (1, "provider_down")
    assert "status page says major outage" in report["summary"]
    assert report["probe"]["outcome"] == "server_error"


def test_failing_for_you_only_points_at_the_key(
    tmp_path: Path, server: FakeServer, api: FakeApi, capsys: pytest.CaptureFixture[str]
) -> None:
    page = server.set("/api/v2/summary.json", payloads.summary())
    neutral = [server.set("/", b"ok", content_type="text/plain")]
    path, store = setup(tmp_path, page, api.url("/ok"), neutral, "sk-revoked-key")
    code, doc = run_doctor(capsys, path, store)
    (report,) = doc["services"]
    assert (code, report["verdict"]) == (1, "failing_for_you")
    assert report["summary"].startswith("Failing for you only: check your key, quota or network")
    assert "refused your key (HTTP 401)" in report["summary"]


def test_your_connection_is_down(
    tmp_path: Path, api: FakeApi, capsys: pytest.CaptureFixture[str]
) -> None:
    page = dead_url("/api/v2/summary.json")
    path, store = setup(tmp_path, page, dead_url("/v1/models"), [dead_url(), dead_url()], KEY)
    code, doc = run_doctor(capsys, path, store)
    (report,) = doc["services"]
    assert (code, report["verdict"]) == (3, "connection_down")
    assert report["summary"].startswith("Your connection is down: 0 of 2 neutral sites")
    assert not doc["connection"]["online"]


def test_no_page_and_no_key_is_unclear_and_says_why(
    tmp_path: Path, server: FakeServer, capsys: pytest.CaptureFixture[str]
) -> None:
    neutral = [server.set("/", b"ok", content_type="text/plain")]
    path, store = setup(tmp_path, dead_url("/api/v2/summary.json"), dead_url(), neutral, None)
    code, doc = run_doctor(capsys, path, store)
    (report,) = doc["services"]
    assert (code, report["verdict"], report["key"]) == (3, "unclear", "missing")
    assert "connection refused" in report["summary"] and "no key" in report["summary"]


def test_text_output_names_the_verdict_and_the_three_facts(
    tmp_path: Path, server: FakeServer, api: FakeApi, capsys: pytest.CaptureFixture[str]
) -> None:
    page = server.set("/api/v2/summary.json", payloads.summary())
    neutral = [server.set("/", b"ok", content_type="text/plain")]
    path, store = setup(tmp_path, page, api.url("/limited"), neutral, KEY)
    assert doctor(path, [], as_json=False, store=store) == 1
    out = capsys.readouterr().out
    assert "Your connection: 1 of 1 neutral sites reachable" in out
    assert "Lab API: Failing for you only: check your key, quota or network" in out
    assert "rate limit or quota (HTTP 429)" in out
    assert "Status page: operational" in out and "Your API key: rate limited (HTTP 429)" in out


async def test_dns_failure_is_reported_as_such(server: FakeServer) -> None:
    async def no_dns(host: str, port: int) -> bool:
        return False

    net = await connectivity([server.url("/"), "www.example.org"], resolver=no_dns)
    assert not net.dns and not net.online
    assert net.describe() == "DNS lookups fail for every neutral site"
    assert [h.url for h in net.hosts] == [server.url("/"), "https://www.example.org/"]
    assert server.hits == {}  # nothing is fetched when the name does not resolve


def test_neutral_hosts_must_be_https_except_loopback() -> None:
    from outage_radar.core.doctor import neutral_url

    assert neutral_url("www.wikipedia.org") == "https://www.wikipedia.org/"
    assert neutral_url("http://127.0.0.1:8080/") == "http://127.0.0.1:8080/"
    assert neutral_url("http://example.org/") is None


def _probe(outcome: Outcome) -> ProbeResult:
    return ProbeResult("x", outcome, datetime.now().astimezone(), 100, 200)


@pytest.mark.parametrize(
    ("page", "probe", "online", "expected"),
    [
        # The API answers even though other sites do not: not your connection.
        (Level.UNKNOWN, Outcome.OK, False, Verdict.ALL_GOOD),
        (Level.MAJOR_OUTAGE, Outcome.OK, True, Verdict.PROVIDER_DOWN),
        (Level.DEGRADED, None, False, Verdict.PROVIDER_DOWN),
        (Level.OPERATIONAL, Outcome.TIMEOUT, True, Verdict.FAILING_FOR_YOU),
        (Level.MAINTENANCE, None, True, Verdict.ALL_GOOD),
        (Level.UNKNOWN, Outcome.SERVER_ERROR, True, Verdict.UNCLEAR),
        (Level.UNKNOWN, Outcome.UNREACHABLE, False, Verdict.CONNECTION_DOWN),
    ],
)
def test_verdict_rules(page: Level, probe: Outcome | None, online: bool, expected: Verdict) -> None:
    net = Connectivity((HostCheck("https://a.example/", True, online),))
    assert verdict(page, _probe(probe) if probe else None, net) is expected


@asynccontextmanager
async def forward_proxy() -> AsyncIterator[tuple[str, list[str]]]:
    """A plain-HTTP forward proxy on loopback: it records each request line and relays it."""
    seen: list[str] = []

    async def relay(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        head = (await reader.readuntil(b"\r\n\r\n")).decode("latin-1")
        line = head.split("\r\n", 1)[0]
        seen.append(line)
        method, target, _ = line.split(" ")
        host_port, _, path = target.removeprefix("http://").partition("/")
        host, _, port = host_port.partition(":")
        up_reader, up_writer = await asyncio.open_connection(host, int(port or 80))
        up_writer.write(
            f"{method} /{path} HTTP/1.1\r\nHost: {host_port}\r\nConnection: close\r\n\r\n".encode()
        )
        writer.write(await up_reader.read())  # the upstream closes when it is done
        up_writer.close()
        await writer.drain()
        writer.close()

    proxy = await asyncio.start_server(relay, "127.0.0.1", 0)
    port = proxy.sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}", seen
    finally:
        proxy.close()
        await proxy.wait_closed()


def use_proxy(monkeypatch: pytest.MonkeyPatch, url: str) -> None:
    for var in ("HTTP_PROXY", "HTTPS_PROXY"):
        monkeypatch.setenv(var, url)
    monkeypatch.delenv("NO_PROXY", raising=False)  # the suite's own NO_PROXY spares loopback


async def no_dns(host: str, port: int) -> bool:
    return False  # local DNS fails, as it does on networks that only a proxy leads out of


async def test_behind_a_proxy_reachability_is_judged_through_it(
    server: FakeServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    neutral = server.set("/", b"ok", content_type="text/plain")
    async with forward_proxy() as (proxy, seen):
        use_proxy(monkeypatch, proxy)
        net = await connectivity([neutral], resolver=no_dns)
    assert seen == [f"GET {neutral} HTTP/1.1"] and server.hits == {"/": 1}
    assert net.online
    assert net.describe() == "1 of 1 neutral sites reachable through your proxy"
    assert net.to_json()["proxy"] == proxy.removeprefix("http://")


async def test_a_proxy_that_does_not_answer_is_named_not_dns(
    server: FakeServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    dead = dead_url("").removeprefix("http://")
    use_proxy(monkeypatch, f"http://user:secret@{dead}")
    net = await connectivity([server.url("/")], resolver=no_dns)
    assert not net.online and server.hits == {}
    assert net.describe() == f"no neutral site answers through your proxy ({dead})"
    page = Snapshot.failed(Failure(Kind.CONNECT))
    words = summarize(service("lab"), Verdict.CONNECTION_DOWN, page, None, net)
    assert words.startswith("Your connection is down: no neutral site answers through your proxy")
    assert "DNS" not in words and "secret" not in words


@pytest.mark.parametrize(
    ("env", "url", "proxy"),
    [
        ({"HTTPS_PROXY": "http://proxy.lan:3128"}, "https://www.example.org/", "proxy.lan:3128"),
        ({"ALL_PROXY": "http://u:p@proxy.lan:8080"}, "https://www.example.org/", "proxy.lan:8080"),
        ({"HTTPS_PROXY": "proxy.lan:3128"}, "https://www.example.org/", "proxy.lan:3128"),
        ({"HTTP_PROXY": "http://proxy.lan:3128"}, "https://www.example.org/", ""),
        ({"HTTPS_PROXY": "http://p:1", "NO_PROXY": "example.org"}, "https://www.example.org/", ""),
        ({"HTTPS_PROXY": "http://p:1", "NO_PROXY": ".example.org"}, "https://example.org/", "p:1"),
        ({"HTTPS_PROXY": "http://p:1", "NO_PROXY": "*"}, "https://www.example.org/", ""),
        ({}, "https://www.example.org/", ""),
    ],
)
def test_which_proxy_a_request_goes_through(
    monkeypatch: pytest.MonkeyPatch, env: dict[str, str], url: str, proxy: str
) -> None:
    monkeypatch.delenv("NO_PROXY", raising=False)
    for var, value in env.items():
        monkeypatch.setenv(var, value)
    assert proxy_for(url) == proxy
