"""A fault-injection HTTP server on loopback: real sockets, misbehaving on purpose."""

from __future__ import annotations

import asyncio
import contextlib
import gzip
import os
import threading
import zlib
from collections.abc import Awaitable, Callable

Handler = Callable[[asyncio.StreamWriter], Awaitable[None]]


def _head(status: str, headers: dict[str, str]) -> bytes:
    lines = [f"HTTP/1.1 {status}"] + [f"{k}: {v}" for k, v in headers.items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


async def _send(w: asyncio.StreamWriter, status: str, headers: dict[str, str], body: bytes = b"") -> None:
    w.write(_head(status, {"Content-Length": str(len(body)), "Connection": "close", **headers}) + body)
    await w.drain()


HTML = {"Content-Type": "text/html; charset=utf-8"}


class FaultServer:
    """Paths: /hang /headers-then-hang /trickle /short-body /bad-chunked /deflate-bomb /gzip-bomb
    /huge-declared /binary /bad-charset /long-line /deep /chain/N /loop /to-file /to-ftp /robots.txt"""

    def __init__(self, home_links: list[str]) -> None:
        self.home_links = home_links
        bomb = b"<html>" + b"a" * 50_000_000  # 50 MB that compress to about 50 KB: made once, served fast
        self.deflate_bomb, self.gzip_bomb = zlib.compress(bomb, 9), gzip.compress(bomb, 9)
        self.loop = asyncio.new_event_loop()
        self.ready = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.port = 0

    def _run(self) -> None:
        asyncio.set_event_loop(self.loop)
        server = self.loop.run_until_complete(asyncio.start_server(self._handle, "127.0.0.1", 0))
        self.port = server.sockets[0].getsockname()[1]
        self.ready.set()
        self.loop.run_forever()

    def __enter__(self) -> FaultServer:
        self.thread.start()
        self.ready.wait(5)
        return self

    def __exit__(self, *exc: object) -> None:
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(5)

    async def _handle(self, reader: asyncio.StreamReader, w: asyncio.StreamWriter) -> None:
        try:
            request = await reader.readuntil(b"\r\n\r\n")
            path = request.split(b" ", 2)[1].decode("latin-1")
            await self._respond(path, w)
        except (ConnectionError, asyncio.IncompleteReadError, asyncio.LimitOverrunError):
            pass
        finally:
            with contextlib.suppress(Exception):
                w.close()

    async def _respond(self, path: str, w: asyncio.StreamWriter) -> None:
        if path == "/":
            links = "".join(f'<a href="{link}">{link}</a> ' for link in self.home_links)
            await _send(w, "200 OK", HTML, f"<html><body><h1>Faults</h1>{links}</body></html>".encode())
        elif path == "/robots.txt":
            await _send(
                w,
                "200 OK",
                HTML,
                b"<html><body>robots? no, a web page " + os.urandom(200).hex().encode() + b"</body></html>",
            )
        elif path == "/hang":
            await asyncio.sleep(3600)
        elif path == "/headers-then-hang":
            w.write(_head("200 OK", {**HTML, "Content-Length": "100000"}) + b"<html>")
            await w.drain()
            await asyncio.sleep(3600)
        elif path == "/trickle":
            w.write(_head("200 OK", {**HTML, "Content-Length": "100000"}))
            for _ in range(3600):
                w.write(b"a")
                await w.drain()
                await asyncio.sleep(0.2)
        elif path == "/short-body":
            w.write(_head("200 OK", {**HTML, "Content-Length": "100000"}) + b"<html><body>cut short")
            await w.drain()
        elif path == "/bad-chunked":
            w.write(_head("200 OK", {**HTML, "Transfer-Encoding": "chunked"}) + b"zz\r\nnot a chunk\r\n")
            await w.drain()
        elif path == "/deflate-bomb":
            await _send(w, "200 OK", {**HTML, "Content-Encoding": "deflate"}, self.deflate_bomb)
        elif path == "/gzip-bomb":
            await _send(w, "200 OK", {**HTML, "Content-Encoding": "gzip"}, self.gzip_bomb)
        elif path == "/huge-declared":
            w.write(_head("200 OK", {**HTML, "Content-Length": str(10 * 1024**3)}) + b"<html>")
            await w.drain()
        elif path == "/binary":
            await _send(w, "200 OK", HTML, os.urandom(50_000))
        elif path == "/bad-charset":
            await _send(
                w,
                "200 OK",
                {"Content-Type": "text/html; charset=no-such-charset"},
                "<html><body>caf\u00e9 ".encode() + "caf\u00e9".encode("latin-1") + b"\xff\xfe</body></html>",
            )
        elif path == "/long-line":
            await _send(w, "200 OK", HTML, b"<html><body><p>" + b"word " * 400_000 + b"</p></body></html>")
        elif path == "/deep":
            await _send(
                w,
                "200 OK",
                HTML,
                b"<html><body>"
                + b"<div>" * 100_000
                + b'<a href="/">deep link</a>'
                + b"</div>" * 100_000
                + b"</body></html>",
            )
        elif path.startswith("/chain/"):
            n = int(path.rsplit("/", 1)[1])
            await _send(w, "302 Found", {"Location": f"/chain/{n + 1}"})
        elif path == "/loop":
            await _send(w, "301 Moved", {"Location": "/loop"})
        elif path == "/to-file":
            await _send(w, "302 Found", {"Location": "file:///etc/passwd"})
        elif path == "/to-ftp":
            await _send(w, "302 Found", {"Location": "ftp://127.0.0.1/x"})
        else:
            await _send(w, "404 Not Found", HTML, b"<html>not found</html>")
