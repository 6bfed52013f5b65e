"""Shared fixtures: loopback site servers, audit runs, and real databases (SQLite and PostgreSQL)."""

from __future__ import annotations

import dataclasses
import glob
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import uuid
from collections.abc import AsyncIterator, Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from auditcrawl.crawler import AddressPolicy, Network, Resolver
from auditcrawl.pipeline import AuditReport, run_audit
from auditcrawl.rules import Claims
from auditcrawl.settings import OPTION_FIELDS, Settings, load_settings
from auditcrawl.siteserver import Page, SiteServer
from auditcrawl.storage import Store, build_export, validate_export

from .sites import AS_OF

# Tests that need a server, a browser, a database or a CLI process are marked `integration`:
# by the fixtures they use, or by their module (`pytestmark`). `make test-fast` runs the rest.
INTEGRATION_FIXTURES = frozenset({"serve", "audit", "store", "db_url", "postgres_server", "webhook"})


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if INTEGRATION_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.integration)


@pytest.fixture(autouse=True)
def _unit_tests_stay_off_the_network(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """A test not marked `integration` that opens a connection or a listening socket fails at
    once, so the fast set stays what it claims to be."""
    if request.node.get_closest_marker("integration"):
        return

    def refuse(*_args: object, **_kwargs: object) -> None:
        raise AssertionError(f"{request.node.nodeid} uses the network: mark it integration (see tests/conftest.py)")

    for method in ("connect", "connect_ex", "bind"):
        monkeypatch.setattr(socket.socket, method, refuse)


@pytest.fixture
def serve() -> Iterator[Callable[[Mapping[str, Page]], SiteServer]]:
    """Start SiteServers on random loopback ports; all stopped at the end of the test."""
    servers: list[SiteServer] = []

    def start(routes: Mapping[str, Page]) -> SiteServer:
        server = SiteServer(routes).start()
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop()


def make_settings(db: str, **overrides: Any) -> Settings:
    """Test settings: command-line options go through load_settings, other crawl settings are replaced."""
    flags: dict[str, Any] = {"allow_private": True, "delay": 0.0, "as_of": AS_OF.isoformat(), "db": db}
    flags.update({k: v for k, v in overrides.items() if k in OPTION_FIELDS})
    settings = load_settings(None, {}, flags)
    crawl = {"screenshots": False, **{k: v for k, v in overrides.items() if k not in OPTION_FIELDS}}
    return dataclasses.replace(settings, crawl=dataclasses.replace(settings.crawl, **crawl))


@dataclass
class Audited:
    report: AuditReport
    document: dict[str, Any]
    db: str

    def status(self, check_id: str) -> str:
        return str(self.document["checks"][check_id]["status"])

    def statuses(self) -> tuple[str, str, str]:
        return (self.status("3.1"), self.status("2.2"), self.status("3.2"))

    def evidence_urls(self, check_id: str) -> set[str]:
        return {e["url"] for e in self.document["checks"][check_id]["evidence"]}

    def rejected(self, check_id: str) -> dict[str, list[str]]:
        return {e["url"]: e["reasons"] for e in self.document["checks"][check_id]["rejected"]}

    def reasons(self, check_id: str) -> str:
        return " | ".join(self.document["checks"][check_id]["reasons"])


@pytest.fixture
def audit(tmp_path: Path) -> Callable[..., Any]:
    """Audit a URL into a fresh SQLite file (or the database `db`) and return the verdicts and the validated export."""

    async def run(
        home_url: str,
        *,
        resolver: Resolver | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
        claims: Claims | None = None,
        policy: AddressPolicy | None = None,
        db: str | None = None,
        **flags: Any,
    ) -> Audited:
        settings = make_settings(db or f"sqlite:///{tmp_path}/audit-{uuid.uuid4().hex[:6]}.db", **flags)
        async with Store(settings.storage.db) as store:
            report = await run_audit(
                home_url, settings, store, network=Network(resolver, policy, transport), claims=claims
            )
            document = await build_export(store, report.run_id)
        validate_export(document)
        return Audited(report, document, settings.storage.db)

    return run


def default_signals() -> None:
    """`preexec_fn` of a child process a test interrupts: SIGINT and SIGTERM handled as by default, even
    when the test run itself was started in the background (which ignores SIGINT in its children)."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


# --- PostgreSQL: a private server on a random loopback port, started once per test session ---


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[str]:
    """Base URL of a throwaway PostgreSQL cluster. Missing binaries fail loudly: `make test` installs them."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/postgres"))
    if not found:
        pytest.fail(
            "PostgreSQL server binaries not found (Debian package 'postgresql'); run `make test`, which installs it"
        )
    bindir = Path(found[-1]).parent
    datadir = Path(tempfile.mkdtemp(prefix="auditcrawl-pg-"))
    as_root = os.geteuid() == 0
    prefix = ["runuser", "-u", "postgres", "--"] if as_root else []
    if as_root:
        shutil.chown(datadir, "postgres", "postgres")
    port = _free_port()
    subprocess.run(
        [*prefix, str(bindir / "initdb"), "-D", str(datadir), "-A", "trust", "-U", "postgres", "--no-sync"],
        check=True,
        capture_output=True,
    )
    options = f"-c listen_addresses=127.0.0.1 -c port={port} -k {datadir} -c fsync=off -c max_connections=200"
    subprocess.run(
        [*prefix, str(bindir / "pg_ctl"), "-D", str(datadir), "-o", options, "-l", str(datadir / "log"), "-w", "start"],
        check=True,
        capture_output=True,
    )
    try:
        yield f"postgresql+psycopg://postgres@127.0.0.1:{port}"
    finally:
        subprocess.run(
            [*prefix, str(bindir / "pg_ctl"), "-D", str(datadir), "-m", "immediate", "stop"], capture_output=True
        )
        shutil.rmtree(datadir, ignore_errors=True)


def _create_database(server: str) -> str:
    import psycopg

    name = f"t_{uuid.uuid4().hex[:10]}"
    dsn = server.replace("postgresql+psycopg://", "postgresql://") + "/postgres"
    deadline = time.monotonic() + 20
    while True:
        try:
            with psycopg.connect(dsn, autocommit=True) as conn:
                conn.execute(f'CREATE DATABASE "{name}"')
            return f"{server}/{name}"
        except psycopg.OperationalError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Every storage test runs against a real SQLite file and a real PostgreSQL database."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path}/store.db"
    return _create_database(request.getfixturevalue("postgres_server"))


@pytest.fixture
async def store(db_url: str) -> AsyncIterator[Store]:
    async with Store(db_url) as opened:
        yield opened


class WebhookReceiver:
    """A loopback endpoint that records the JSON posted to it (answering `status`)."""

    def __init__(self, status: int = 200) -> None:
        import json as _json
        import threading
        from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

        received: list[Any] = []
        self.received = received
        self.status = status
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                received.append(_json.loads(self.rfile.read(length) or b"null"))
                self.send_response(outer.status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, format: str, *args: object) -> None:
                return

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}/hook"

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()


@pytest.fixture
def webhook() -> Iterator[WebhookReceiver]:
    receiver = WebhookReceiver()
    yield receiver
    receiver.stop()
