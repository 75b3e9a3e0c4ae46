"""Probes against a fake API on loopback: every outcome, and the key reaching only its origin."""

from __future__ import annotations

import asyncio
import json
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from keyring.errors import KeyringLocked

from outage_radar.cli.probe import probe as probe_command
from outage_radar.core.catalog import CatalogError, Probe, Service, parse_catalog
from outage_radar.core.credentials import Credentials
from outage_radar.core.probe_runner import FAST_RETRY, ProbeRunner
from outage_radar.core.probes import Outcome, ProbeResult, run_probe, sparkline
from tests.fakeapi import FakeApi, MemoryKeyring

KEY = "sk-probe-7d3f9a1b2c4e6f8a0b1c"


@pytest.fixture
def api() -> Iterator[FakeApi]:
    srv = FakeApi(key=KEY).start()
    yield srv
    srv.stop()


@pytest.fixture
def other() -> Iterator[FakeApi]:
    """A second origin (another port): a redirect target that must never see the key."""
    srv = FakeApi(key=KEY).start()
    yield srv
    srv.stop()


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def bearer(url: str) -> Probe:
    return Probe(url, "openai", "bearer")


OUTCOMES = [
    ("/ok", KEY, Outcome.OK, 200),
    ("/ok", "sk-wrong", Outcome.AUTH_FAILED, 401),
    ("/forbidden", KEY, Outcome.AUTH_FAILED, 403),
    ("/limited", KEY, Outcome.RATE_LIMITED, 429),
    ("/broken", KEY, Outcome.SERVER_ERROR, 500),
    ("/unavailable", KEY, Outcome.SERVER_ERROR, 503),
    ("/portal", KEY, Outcome.BAD_RESPONSE, 200),
    ("/gone", KEY, Outcome.BAD_RESPONSE, 404),
]


@pytest.mark.parametrize(("path", "key", "outcome", "status"), OUTCOMES)
async def test_each_answer_is_classified(
    api: FakeApi, path: str, key: str, outcome: Outcome, status: int
) -> None:
    result = await run_probe("openai-api", bearer(api.url(path)), key)
    assert (result.outcome, result.http_status) == (outcome, status)
    assert result.latency_ms is not None and 0 <= result.latency_ms < 2000
    assert result.service == "openai-api" and result.checked_at.tzinfo is not None
    assert KEY not in repr(result)


async def test_a_slow_api_times_out_within_the_deadline(api: FakeApi) -> None:
    start = time.monotonic()
    result = await run_probe("x", bearer(api.url("/slow")), KEY, deadline=0.5)
    assert result.outcome is Outcome.TIMEOUT and result.http_status is None
    assert time.monotonic() - start < 1.5


async def test_a_closed_port_is_unreachable() -> None:
    result = await run_probe("x", bearer(f"http://127.0.0.1:{closed_port()}/v1/models"), KEY)
    assert result.outcome is Outcome.UNREACHABLE and result.detail == "connection refused"
    assert result.latency_ms is None and result.http_status is None


@pytest.mark.parametrize("auth", ["bearer", "header:x-api-key", "header:x-goog-api-key"])
async def test_a_redirect_is_not_followed_and_the_other_origin_never_sees_the_key(
    api: FakeApi, other: FakeApi, auth: str
) -> None:
    api.redirect_to = other.url("/ok")
    probe = Probe(api.url("/redirect"), "k", auth, (("anthropic-version", "2023-06-01"),))
    result = await run_probe("anthropic-api", probe, KEY)
    assert result.outcome is Outcome.REDIRECTED and result.http_status == 302
    assert "not followed" in result.detail and other.base in result.detail
    assert other.seen() == []  # not a single request, so no header at all
    (path, headers), *_ = api.seen()
    name = "Authorization" if auth == "bearer" else auth.removeprefix("header:")
    sent = {k.lower(): v for k, v in headers.items()}
    assert sent[name.lower()] == (f"Bearer {KEY}" if auth == "bearer" else KEY)
    assert sent["anthropic-version"] == "2023-06-01"


async def test_the_key_goes_in_the_named_header_only(api: FakeApi) -> None:
    api.header, api.prefix = "x-api-key", ""
    probe = Probe(api.url("/ok"), "anthropic", "header:x-api-key")
    assert (await run_probe("a", probe, KEY)).outcome is Outcome.OK
    headers = {k.lower(): v for k, v in api.seen()[0][1].items()}
    assert "authorization" not in headers
    assert [k for k, v in headers.items() if KEY in v] == ["x-api-key"]


async def test_no_key_is_ever_sent_over_plain_http_to_another_machine() -> None:
    result = await run_probe("x", bearer("http://api.example.invalid/v1/models"), KEY)
    assert result.outcome is Outcome.BAD_RESPONSE and "not https" in result.detail


def test_user_catalogs_may_probe_loopback_over_http_only() -> None:
    def service(url: str, *, user: bool = True) -> object:
        table = {"id": "lab", "name": "Lab", "url": "https://status.lab.example"}
        table |= {"category": "api", "platform": "statuspage"}
        table["probe"] = {"url": url, "key": "lab"}
        return parse_catalog({"service": [table]}, user=user, origin="mine.toml").services[0]

    for url in ("http://127.0.0.1:8080/v1/models", "http://localhost/v1", "http://[::1]:9/m"):
        assert service(url).probe.url == url  # type: ignore[attr-defined]
    for url in ("http://api.lab.example/v1", "http://127.0.0.1.evil.example/", "ftp://127.0.0.1/"):
        with pytest.raises(CatalogError, match="probe.url must be an https"):
            service(url)
    with pytest.raises(CatalogError, match="probe.url must be an https"):
        service("http://127.0.0.1:8080/v1/models", user=False)  # never in the shipped catalog


def test_sparkline_shows_the_trend_and_failures() -> None:
    def result(ms: int | None, outcome: Outcome = Outcome.OK) -> ProbeResult:
        from datetime import datetime

        return ProbeResult("x", outcome, datetime.now().astimezone(), ms)

    line = sparkline([result(100), result(400), result(250), result(None, Outcome.TIMEOUT)])
    assert line == "▁█▅×"
    assert sparkline([result(80), result(80)]) == "▅▅"


def services_file(tmp_path: Path, api: FakeApi) -> Path:
    path = tmp_path / "catalog.toml"
    path.write_text(
        "[[service]]\n"
        'id = "lab-api"\nname = "Lab API"\nurl = "https://status.lab.example"\n'
        'platform = "statuspage"\n'
        f'[service.probe]\nurl = "{api.url("/ok")}"\nkey = "lab"\n'
        "[[service]]\n"
        'id = "nokey-api"\nname = "No key API"\nurl = "https://status.nokey.example"\n'
        'platform = "statuspage"\n'
        f'[service.probe]\nurl = "{api.url("/ok")}"\nkey = "nokey"\n'
    )
    return path


async def test_the_runner_probes_only_services_with_keys_and_reads_keys_off_thread(
    tmp_path: Path, api: FakeApi
) -> None:
    from outage_radar.core.catalog import load_file

    keys = MemoryKeyring()
    store = Credentials(keys)
    store.set("lab", KEY)
    keys.threads.clear()
    seen: list[ProbeResult] = []
    runner = ProbeRunner(list(load_file(services_file(tmp_path, api))), store.get, interval=300)
    runner.add_listener(seen.append)
    results = await runner.probe_due()
    assert [(r.service, r.outcome) for r in results] == [("lab-api", Outcome.OK)]
    assert seen == results and runner.recent("lab-api") == results
    assert runner.recent("nokey-api") == []
    assert keys.threads and threading.main_thread().name not in keys.threads
    assert await runner.probe_due() == []  # nothing is due before the interval
    api.key = "sk-rotated"  # the provider now refuses the stored key
    runner.check_now()
    (refused,) = await runner.probe_due()
    assert refused.outcome is Outcome.AUTH_FAILED
    assert [r.outcome for r in runner.recent("lab-api")] == [Outcome.OK, Outcome.AUTH_FAILED]


def lab(sid: str, url: str) -> Service:
    table = {"id": sid, "name": sid.title(), "url": "https://status.lab.example"}
    table |= {"platform": "statuspage", "probe": {"url": url, "key": "lab"}}
    return parse_catalog({"service": [table]}, user=True, origin="t").services[0]


async def test_failures_are_re_probed_soon_but_refused_keys_and_locked_keyrings_wait(
    api: FakeApi,
) -> None:
    keys = MemoryKeyring()
    store = Credentials(keys)
    store.set("lab", KEY)
    services = [lab("broken", api.url("/broken")), lab("refused", api.url("/forbidden"))]
    runner = ProbeRunner(services, store.get, interval=300)
    now = asyncio.get_running_loop().time()
    await runner.probe_due()
    # A server error is checked again soon, to confirm an outage (or dismiss a blip) quickly.
    assert runner._slots["broken"].next_at <= now + FAST_RETRY + 1
    # A refused key stays refused: retrying soon would only add noise.
    assert runner._slots["refused"].next_at >= now + 300
    keys.fail = KeyringLocked("Failed to unlock the collection!")
    runner.check_now()
    assert await runner.probe_due() == []
    assert runner.problem is not None and "locked" in runner.problem
    # No timer retry: a locked keyring would pop an unlock prompt every round.
    assert all(slot.next_at == float("inf") for slot in runner._slots.values())


async def test_probe_command_prints_the_json_the_issue_specifies(
    tmp_path: Path, api: FakeApi, capsys: pytest.CaptureFixture[str]
) -> None:
    keys = MemoryKeyring()
    Credentials(keys).set("lab", KEY)
    code = await asyncio.to_thread(
        probe_command, services_file(tmp_path, api), as_json=True, store=Credentials(keys)
    )
    out = capsys.readouterr()
    doc = json.loads(out.out)
    assert code == 0
    (entry,) = doc["probes"]
    assert {"service", "outcome", "latency_ms", "http_status", "checked_at"} <= entry.keys()
    assert (entry["service"], entry["outcome"], entry["http_status"]) == ("lab-api", "ok", 200)
    assert KEY not in out.out + out.err
