"""Destination safety: every TCP connection the crawler opens is checked here.

The check sits in the network backend under httpx, so it covers the first
request, every redirect hop, robots.txt and sitemaps alike, and the connection
goes to the very address that was checked (no second DNS lookup to rebind).
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
import ssl
from collections.abc import Iterable, Mapping
from typing import Any, Protocol

import httpcore
import httpx
from httpcore._utils import is_socket_readable  # the check httpcore's own streams use

from auditcrawl._exceptions import UnsafeDestinationError

__all__ = [
    "AddressPolicy",
    "Resolver",
    "StaticResolver",
    "SystemResolver",
    "destination_problem",
    "guarded_transport",
    "refusal_reason",
]

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
_NAT64 = ipaddress.ip_network("64:ff9b::/96")
_NAT64_LOCAL = ipaddress.ip_network("64:ff9b:1::/48")


def _embedded_ipv4(ip: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 form wraps (mapped, 6to4, Teredo, NAT64, compatible)."""
    if ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    if ip.sixtofour is not None:
        return ip.sixtofour
    if ip.teredo is not None:
        return ip.teredo[1]
    if ip in _NAT64 or ip in _NAT64_LOCAL:
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    if int(ip) >> 32 == 0 and int(ip) > 1:  # deprecated IPv4-compatible ::a.b.c.d
        return ipaddress.IPv4Address(int(ip))
    return None


def refusal_reason(ip: IPAddress) -> str | None:
    """Why an address is not a public unicast destination, or None when it is."""
    if isinstance(ip, ipaddress.IPv6Address):
        inner = _embedded_ipv4(ip)
        if inner is not None:
            reason = refusal_reason(inner)
            return f"{reason} (wrapped in {ip})" if reason else None
    for test, label in (
        (ip.is_unspecified, "unspecified"),
        (ip.is_loopback, "loopback"),
        (ip.is_link_local, "link-local"),
        (ip.is_multicast, "multicast"),
        (ip.is_reserved, "reserved"),
        (ip.is_private, "private"),
    ):
        if test:
            return f"{label} address {ip}"
    if not ip.is_global:  # CGNAT 100.64/10 and the other special-purpose blocks
        return f"non-public address {ip}"
    return None


class AddressPolicy:
    def __init__(self, allow_private: bool) -> None:
        self.allow_private = allow_private

    def check(self, ip: IPAddress) -> str | None:
        return None if self.allow_private else refusal_reason(ip)


class Resolver(Protocol):
    async def resolve(self, host: str, port: int) -> list[str]: ...


class NoSuchHostError(httpcore.ConnectError):
    """The name does not exist (not a temporary resolver failure): a link to it is dead, as a 404 is."""


# getaddrinfo's answers for a name that does not exist; any other failure may pass.
_NO_SUCH_NAME = frozenset(
    code for code in (getattr(socket, "EAI_NONAME", None), getattr(socket, "EAI_NODATA", None)) if code is not None
)


class SystemResolver:
    """getaddrinfo through the event loop; also turns 2130706433 or 0x7f.0.0.1 into 127.0.0.1."""

    async def resolve(self, host: str, port: int) -> list[str]:
        loop = asyncio.get_running_loop()
        try:
            infos = await loop.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except socket.gaierror as exc:
            error = NoSuchHostError if exc.errno in _NO_SUCH_NAME else httpcore.ConnectError
            raise error(f"cannot resolve {host}: {exc.strerror}") from None
        return list(dict.fromkeys(str(info[4][0]) for info in infos))


class StaticResolver:
    """Fixed answers for chosen names (tests, demos); other names go to the system resolver,
    or fail when `strict` (so a test never sends a DNS query off the machine)."""

    def __init__(self, table: Mapping[str, str | Iterable[str]], *, strict: bool = False) -> None:
        self._table = {k.lower(): [v] if isinstance(v, str) else list(v) for k, v in table.items()}
        self._fallback = None if strict else SystemResolver()

    @property
    def table(self) -> dict[str, list[str]]:
        return {host: list(ips) for host, ips in self._table.items()}

    async def resolve(self, host: str, port: int) -> list[str]:
        answer = self._table.get(host.lower().rstrip("."))
        if answer is not None:
            return list(answer)
        if self._fallback is None:
            raise NoSuchHostError(f"cannot resolve {host}: not a known name here")
        return await self._fallback.resolve(host, port)


def _screen(addresses: list[str], policy: AddressPolicy) -> tuple[list[str], list[str]]:
    """The resolved addresses the policy allows, and why each of the others is refused."""
    allowed: list[str] = []
    refused: list[str] = []
    for address in addresses:
        try:
            reason = policy.check(ipaddress.ip_address(address.split("%", 1)[0]))
        except ValueError:
            reason = f"unparseable address {address!r}"
        (refused if reason else allowed).append(reason or address)
    return allowed, refused


def _refusal(host: str, refused: list[str]) -> str:
    return f"refused destination {host}: {refused[0] if refused else 'no address'}"


class _GuardedBackend(httpcore.AsyncNetworkBackend):
    def __init__(self, resolver: Resolver, policy: AddressPolicy) -> None:
        self._resolver = resolver
        self._policy = policy
        self._inner = httpcore.AnyIOBackend()

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        allowed, refused = _screen(await self._resolver.resolve(host, port), self._policy)
        if not allowed:
            raise UnsafeDestinationError(_refusal(host, refused))
        last_error: Exception | None = None
        for address in allowed:
            try:
                return _SocketCachingStream(
                    await self._inner.connect_tcp(address, port, timeout, local_address, socket_options)
                )
            except httpcore.ConnectError as exc:
                last_error = exc
        assert last_error is not None
        raise last_error

    async def sleep(self, seconds: float) -> None:
        await self._inner.sleep(seconds)


class _SocketCachingStream(httpcore.AsyncNetworkStream):
    """A connection's stream with its socket looked up once. httpcore asks every pooled connection
    "is_readable" on each request, and anyio answers by building all socket attributes (a
    getpeername system call among them) every time: a fifth of a fast crawl's CPU."""

    def __init__(self, inner: httpcore.AsyncNetworkStream) -> None:
        self._inner = inner
        self._socket = inner.get_extra_info("socket")

    async def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return await self._inner.read(max_bytes, timeout)

    async def write(self, buffer: bytes, timeout: float | None = None) -> None:
        await self._inner.write(buffer, timeout)

    async def aclose(self) -> None:
        await self._inner.aclose()

    async def start_tls(
        self, ssl_context: ssl.SSLContext, server_hostname: str | None = None, timeout: float | None = None
    ) -> httpcore.AsyncNetworkStream:
        return _SocketCachingStream(await self._inner.start_tls(ssl_context, server_hostname, timeout))

    def get_extra_info(self, info: str) -> Any:
        if info == "is_readable":
            return is_socket_readable(self._socket)
        if info == "socket":
            return self._socket
        return self._inner.get_extra_info(info)


async def destination_problem(resolver: Resolver, policy: AddressPolicy, host: str, port: int) -> str | None:
    """Why a connection to host:port would be refused, or None (the browser's requests ask this)."""
    try:
        addresses = await resolver.resolve(host, port)
    except httpcore.ConnectError as exc:
        return str(exc)
    allowed, refused = _screen(addresses, policy)
    return None if allowed else _refusal(host, refused)


def guarded_transport(
    resolver: Resolver, policy: AddressPolicy, limits: httpx.Limits, ssl_context: ssl.SSLContext | None = None
) -> httpx.AsyncHTTPTransport:
    """An httpx transport whose every connection passes the address policy."""
    context = ssl_context or httpx.create_ssl_context()
    transport = httpx.AsyncHTTPTransport(verify=context, limits=limits, trust_env=False)
    # httpx does not expose httpcore's network_backend; swap the pool it built.
    transport._pool = httpcore.AsyncConnectionPool(
        ssl_context=context,
        max_connections=limits.max_connections,
        max_keepalive_connections=limits.max_keepalive_connections,
        keepalive_expiry=limits.keepalive_expiry,
        network_backend=_GuardedBackend(resolver, policy),
    )
    return transport
