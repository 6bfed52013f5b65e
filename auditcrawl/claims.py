"""The applicant's claims file (`--claims`): JSON or TOML with the URLs they submitted."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from auditcrawl.crawler import Crawler, SiteScope, canonicalize
from auditcrawl.rules import Claims, PageFacts, find_facts

from ._exceptions import InputFileError

__all__ = ["EVIDENCE_HOSTS", "fetch_claimed", "load_claims", "parse_claims"]

FIELDS = ("landing_page", "case_studies", "thought_leadership")
# Hosts where AWS publishes partner case studies: a claimed case study may live there.
EVIDENCE_HOSTS = ("aws.amazon.com", "partners.amazonaws.com")


def _url(value: Any, where: str, scope: SiteScope, off_site_ok: bool, name: str) -> str:
    if not isinstance(value, str):
        raise InputFileError(f"{name}: {where}: expected a URL string, got {type(value).__name__}")
    canonical = canonicalize(value)
    if canonical is None or "://" not in value:
        raise InputFileError(f"{name}: {where}: not an absolute http(s) URL: {value!r}")
    host = urlsplit(canonical).hostname or ""
    if not off_site_ok and not scope.contains(canonical) and not host.endswith(EVIDENCE_HOSTS):
        raise InputFileError(f"{name}: {where}: {value!r} is not on the partner's site ({scope.domain})")
    return canonical


def load_claims(path: Path, home_url: str) -> Claims:
    """Read and check a claims file; any problem is an InputFileError naming the field."""
    name = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputFileError(f"{name}: claims file not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputFileError(f"{name}: cannot read claims file ({getattr(exc, 'strerror', None) or exc})") from None
    return parse_claims(text, name, home_url)


def parse_claims(text: str, name: str, home_url: str) -> Claims:
    """Check the text of a claims file called `name` (TOML when it ends in .toml, else JSON)."""
    data: Any
    try:
        data = tomllib.loads(text) if name.lower().endswith(".toml") else json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputFileError(f"{name}: not valid JSON (line {exc.lineno}: {exc.msg})") from None
    except tomllib.TOMLDecodeError as exc:
        raise InputFileError(f"{name}: not valid TOML ({exc})") from None
    if not isinstance(data, dict):
        raise InputFileError(f"{name}: expected an object with {', '.join(FIELDS)}")
    unknown = sorted(set(data) - set(FIELDS))
    if unknown:
        raise InputFileError(f"{name}: unknown field {unknown[0]!r} (expected {', '.join(FIELDS)})")
    scope = SiteScope(home_url)
    landing = data.get("landing_page")
    lists: dict[str, list[str]] = {}
    for field in ("case_studies", "thought_leadership"):
        value = data.get(field, [])
        if not isinstance(value, list):
            raise InputFileError(f"{name}: {field}: expected a list of URLs, got {type(value).__name__}")
        # press articles and videos on other sites are legitimate thought leadership
        lists[field] = [
            _url(v, f"{field}[{i}]", scope, field == "thought_leadership", name) for i, v in enumerate(value)
        ]
    return Claims(
        landing_page=_url(landing, "landing_page", scope, False, name) if landing is not None else None,
        case_studies=lists["case_studies"],
        thought_leadership=lists["thought_leadership"],
    )


async def fetch_claimed(claims: Claims, crawler: Crawler, facts: dict[str, PageFacts]) -> list[str]:
    """Fetch each claimed URL the crawl did not reach, so that every claim gets a verdict.
    Returns the URLs fetched."""
    fetched = []
    for url, _kind in claims.items():
        if find_facts(facts, crawler.outcome, url) is None:
            await crawler.fetch_extra(url, source="claim")
            fetched.append(url)
    return fetched
