"""A small HTTP server for sites held in memory: the bundled demo and the test suite.

It serves on loopback only, answers by Host header and path, and records every
request so tests can assert what the crawler asked for.
"""

from __future__ import annotations

import hashlib
import mimetypes
import sys
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

import httpx

from auditcrawl.crawler import AddressPolicy, StaticResolver, guarded_transport

__all__ = ["LoopbackTransport", "Page", "SiteServer", "folders_resolver"]


@dataclass(frozen=True)
class Page:
    body: bytes | str = b""
    status: int = 200
    content_type: str = "text/html; charset=utf-8"
    headers: Mapping[str, str] = field(default_factory=dict)
    delay: float = 0.0  # seconds before answering: a slow site, for tests that stop a crawl midway


# Look up a page by (host without port, path with query); None means 404.
Resolver = Callable[[str, str], Page | None]

_NOT_FOUND = Page("<!doctype html><title>Not found</title><h1>Not found</h1>", status=404)


def routes_resolver(routes: Mapping[str, Page]) -> Resolver:
    """Routes keyed by "/path", or by "host/path" for one virtual host only."""

    def resolve(host: str, target: str) -> Page | None:
        path = urlsplit(target).path or "/"
        for key in (f"{host}{target}", f"{host}{path}", target, path):
            if key in routes:
                return routes[key]
        return None

    return resolve


def folders_resolver(roots: Mapping[str, Path]) -> Resolver:
    """Static web roots by host name, as a static host serves them: `/a/` is `/a/index.html`,
    `/a` is the file `a` or, when that is a folder, its index.html."""
    resolved = {host.lower(): root.resolve() for host, root in roots.items()}

    def resolve(host: str, target: str) -> Page | None:
        root = resolved.get(host)
        if root is None:
            return None
        path = (root / unquote(urlsplit(target).path).lstrip("/")).resolve()
        if not path.is_relative_to(root):
            return None
        if path.is_dir():
            path = path / "index.html"
        if not path.is_file():
            return None
        kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        if kind.startswith("text/") or kind.endswith("xml"):
            kind += "; charset=utf-8"
        return Page(path.read_bytes(), content_type=kind)

    return resolve


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:
        host = (self.headers.get("Host") or "").rsplit(":", 1)[0].lower()
        self.server.log.append((host, self.path, self.headers.get("User-Agent", "")))
        page = self.server.resolve(host, self.path) or _NOT_FOUND
        if page.delay:
            time.sleep(page.delay)
        body = page.body.encode("utf-8") if isinstance(page.body, str) else page.body
        etag = f'"{hashlib.sha1(body).hexdigest()[:16]}"'
        if page.status == 200 and self.headers.get("If-None-Match") == etag:
            self.server.not_modified += 1
            self.send_response(304)
            self.send_header("ETag", etag)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        self.send_response(page.status)
        if page.status == 200:
            self.send_header("ETag", etag)
        if page.content_type:
            self.send_header("Content-Type", page.content_type)
        for name, value in page.headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:  # quiet: the log list records requests
        return


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    resolve: Resolver
    log: list[tuple[str, str, str]]
    not_modified: int

    def handle_error(self, request: object, client_address: object) -> None:
        # A client that went away mid-answer (a killed crawl) is not the server's error.
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)  # type: ignore[arg-type]


class SiteServer:
    """`with SiteServer(routes) as server:` serves on 127.0.0.1 at a free port."""

    def __init__(self, routes: Mapping[str, Page] | Resolver, host: str = "127.0.0.1") -> None:
        self._server = _Server((host, 0), _Handler)
        self.set_routes(routes)
        self._server.log = []
        self._server.not_modified = 0
        self._thread = threading.Thread(target=self._server.serve_forever, name="siteserver", daemon=True)

    def set_routes(self, routes: Mapping[str, Page] | Resolver) -> None:
        """Serve other pages from now on (sites that must know their own port, sites that change)."""
        self._server.resolve = routes if callable(routes) else routes_resolver(routes)

    @property
    def port(self) -> int:
        return int(self._server.server_address[1])

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def not_modified(self) -> int:
        """How many requests were answered 304 (their If-None-Match matched the page's ETag)."""
        return int(self._server.not_modified)

    @property
    def requests(self) -> list[tuple[str, str, str]]:
        """(host, path, user agent) of every request so far."""
        return list(self._server.log)

    def url(self, path: str = "/", host: str | None = None) -> str:
        return f"http://{host or '127.0.0.1'}:{self.port}{path}"

    def start(self) -> SiteServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def __enter__(self) -> SiteServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


class LoopbackTransport(httpx.AsyncBaseTransport):
    """Real requests to a loopback SiteServer standing in for other hosts, https included.

    The names resolve to 127.0.0.1 through the resolver override (no DNS query leaves the
    machine), and every URL, http or https, any port, is sent as plain http to the server's
    port: links to a site's own https origin reach the served copy."""

    def __init__(self, server: SiteServer, names: Iterable[str]) -> None:
        self.port = server.port
        resolver = StaticResolver({name: "127.0.0.1" for name in names}, strict=True)
        self.inner = guarded_transport(resolver, AddressPolicy(allow_private=True), httpx.Limits())

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        request.url = request.url.copy_with(scheme="http", port=self.port)
        return await self.inner.handle_async_request(request)

    async def aclose(self) -> None:
        await self.inner.aclose()
