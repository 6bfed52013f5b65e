"""robots.txt per RFC 9309, decided by Protego, cached per origin."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from protego import Protego

__all__ = ["RobotsCache", "RobotsResponse", "RobotsRules", "product_token"]

log = logging.getLogger(__name__)

MAX_ROBOTS_BYTES = 500 * 1024  # RFC 9309: parse at least 500 KiB
MAX_LINE_BYTES = 16_663  # Google's parser keeps this much of a line (a 16,664-byte buffer, terminator included)
_USER_AGENT_KEYS = frozenset({"user-agent", "useragent", "user agent"})
# Directives (and the misspellings Google's parser accepts) that belong inside a group.
_KNOWN_KEYS = frozenset(
    {
        "allow",
        "disallow",
        "crawl-delay",
        "sitemap",
        "site-map",
        "request-rate",
        "visit-time",
        "host",
        "dissallow",
        "dissalow",
        "disalow",
        "diasllow",
        "disallaw",
        "noindex",
        "clean-param",
    }
)


def _as_google_reads_it(text: str) -> str:
    """Bring a robots.txt to what Google's parser (the reference) decides on, before Protego:
    a line is cut at 16,663 bytes; "User-agent: Foo Bar" names the agent "Foo"; and a line
    with an unknown directive does not end a group of User-agent lines."""
    lines = []
    for raw in text.splitlines():
        line = raw.encode("utf-8")[:MAX_LINE_BYTES].decode("utf-8", errors="ignore")
        key, colon, value = line.partition(":")
        name = key.strip().lower()
        if colon and name in _USER_AGENT_KEYS:
            tokens = value.split("#", 1)[0].split()
            line = f"User-agent: {tokens[0] if tokens else ''}"
        elif colon and name and not name.startswith("#") and name not in _KNOWN_KEYS:
            continue
        lines.append(line)
    return "\n".join(lines) + "\n"


def product_token(user_agent: str) -> str:
    """The token robots.txt groups are matched against: 'auditcrawl' in 'auditcrawl/0.1 (...)'."""
    words = user_agent.strip().split("/", 1)[0].split()
    return words[0] if words else ""


@dataclass(frozen=True)
class RobotsResponse:
    status: int | None  # None when the host could not be reached
    body: bytes = b""
    error: str | None = None  # why it could not be fetched
    no_such_host: bool = False  # the host's name does not exist


@dataclass
class RobotsRules:
    """The decision for one origin. `mode` says where it came from."""

    mode: str  # "parsed" | "allow_all" (4xx) | "disallow_all" (5xx, unreachable: nothing may be fetched)
    parser: Protego | None = None
    note: str = ""
    sitemaps: list[str] = field(default_factory=list)
    no_such_host: bool = False  # the host's name does not exist: nothing there to fetch

    @classmethod
    def from_response(cls, response: RobotsResponse) -> RobotsRules:
        if response.status is None:
            detail = f" ({response.error})" if response.error else ""
            note = f"robots.txt unreachable{detail}: treated as disallow all"
            return cls("disallow_all", note=note, no_such_host=response.no_such_host)
        if 500 <= response.status < 600:
            return cls("disallow_all", note=f"robots.txt answered {response.status}: treated as disallow all")
        if 400 <= response.status < 500:
            return cls("allow_all", note=f"robots.txt answered {response.status}: no restrictions")
        if response.status != 200:
            return cls("allow_all", note=f"robots.txt answered {response.status}: no restrictions")
        text = response.body[:MAX_ROBOTS_BYTES].decode("utf-8-sig", errors="replace")
        try:
            parser = Protego.parse(_as_google_reads_it(text))
        except Exception as exc:  # Protego raises plain errors on garbage; garbage means no rules
            log.warning("unparseable robots.txt (%s): allowing all", exc)
            return cls("allow_all", note="robots.txt could not be parsed: no restrictions")
        return cls("parsed", parser=parser, sitemaps=list(parser.sitemaps))

    def allowed(self, url: str, token: str) -> bool:
        if self.mode == "allow_all":
            return True
        if self.mode == "disallow_all" or self.parser is None:
            return False
        if urlsplit(url).path == "/robots.txt":
            return True
        return bool(self.parser.can_fetch(url, token))

    def crawl_delay(self, token: str) -> float | None:
        if self.parser is None:
            return None
        delay = self.parser.crawl_delay(token)
        return float(delay) if delay is not None else None


Loader = Callable[[str], Awaitable[RobotsResponse]]


class RobotsCache:
    """Fetches each origin's robots.txt once, even under concurrent requests."""

    def __init__(self, load: Loader) -> None:
        self._load = load
        self._rules: dict[str, RobotsRules] = {}
        self._locks: dict[str, asyncio.Lock] = {}

    @staticmethod
    def origin(url: str) -> str:
        parts = urlsplit(url)
        return f"{parts.scheme}://{parts.netloc}"

    async def rules_for(self, url: str) -> RobotsRules:
        origin = self.origin(url)
        if origin in self._rules:
            return self._rules[origin]
        lock = self._locks.setdefault(origin, asyncio.Lock())
        async with lock:
            if origin not in self._rules:
                response = await self._load(origin + "/robots.txt")
                self._rules[origin] = RobotsRules.from_response(response)
        return self._rules[origin]

    def known(self) -> dict[str, RobotsRules]:
        return dict(self._rules)
