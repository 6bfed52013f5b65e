"""The bundled sample partner site, served on loopback for `auditcrawl demo`.

Pages live in demo_site/ as package data. `{{nav}}` and `{{footer}}` include
the shared parts; `{{date:N}}`, `{{longdate:N}}` and `{{monthyear:N}}` are the
date N days before today, so the sample stays current whenever it is run.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from importlib import resources

from .siteserver import Page, SiteServer

__all__ = ["DemoSite", "demo_routes"]

_CONTENT_TYPES = {".html": "text/html; charset=utf-8", ".txt": "text/plain; charset=utf-8", ".xml": "application/xml"}
_PLACEHOLDER = re.compile(r"\{\{(\w+)(?::(\d+))?\}\}")


def _read(name: str) -> str:
    return resources.files("auditcrawl").joinpath("demo_site", name).read_text(encoding="utf-8")


def _render(text: str, today: date, base: str, parts: dict[str, str]) -> str:
    def substitute(match: re.Match[str]) -> str:
        name, days = match.group(1), int(match.group(2) or 0)
        day = today - timedelta(days=days)
        if name in parts:
            return parts[name]
        values = {
            "date": day.isoformat(),
            "longdate": f"{day:%B} {day.day}, {day.year}",
            "monthyear": f"{day:%B %Y}",
            "year": str(today.year),
            "base": base,
        }
        return values.get(name, match.group(0))

    return _PLACEHOLDER.sub(substitute, text)


def demo_routes(base: str, today: date | None = None) -> dict[str, Page]:
    today = today or date.today()
    parts = {"nav": _read("_nav.html"), "footer": _read("_footer.html")}
    parts = {k: _render(v, today, base, {}) for k, v in parts.items()}
    routes: dict[str, Page] = {}
    for line in _read("routes.txt").splitlines():
        fields = line.split("#", 1)[0].split()
        if not fields:
            continue
        path, name, *status = fields
        body = _render(_read(name), today, base, parts)
        suffix = name[name.rfind(".") :]
        routes[path] = Page(body, status=int(status[0]) if status else 200, content_type=_CONTENT_TYPES[suffix])
    return routes


class DemoSite:
    """`with DemoSite() as site:` serves the sample partner site at site.url."""

    def __init__(self, today: date | None = None) -> None:
        self._today = today
        self._routes: dict[str, Page] = {}
        self._server = SiteServer(lambda host, target: self._lookup(target))

    def _lookup(self, target: str) -> Page | None:
        path = target.split("?", 1)[0]
        return self._routes.get(path)

    @property
    def url(self) -> str:
        return self._server.base_url + "/"

    def __enter__(self) -> DemoSite:
        self._routes = demo_routes(self._server.base_url, self._today)
        self._server.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.stop()
