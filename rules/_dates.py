"""Publication dates: cheapest trustworthy signal first, htmldate for the rest.

Never a modification date: JSON-LD dateModified, "last updated" lines,
copyright years and HTTP Last-Modified are not publication dates.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from htmldate import find_date

__all__ = ["DateFinding", "publication_date"]

log = logging.getLogger(__name__)

_JSONLD_KEYS = ("datePublished", "uploadDate", "dateCreated")
_META_KEYS = (
    "article:published_time", "og:published_time", "og:article:published_time", "datepublished",
    "publish-date", "publish_date", "pubdate", "publishdate", "dc.date.issued", "dcterms.issued",
    "citation_publication_date", "parsely-pub-date", "sailthru.date",
)
_ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
MIN_DATE = date(1995, 1, 1)


@dataclass(frozen=True)
class DateFinding:
    published: date
    source: str  # json-ld | meta | htmldate


def _iso(value: Any, as_of: date) -> date | None:
    if not isinstance(value, str):
        return None
    match = _ISO_DATE.search(value)
    if match is None:
        return None
    try:
        found = date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    except ValueError:
        return None
    return found if MIN_DATE <= found <= as_of else None


def _from_json_ld(items: list[dict[str, Any]], as_of: date) -> date | None:
    dates = [d for item in items for key in _JSONLD_KEYS if (d := _iso(item.get(key), as_of))]
    return min(dates) if dates else None


def _from_meta(meta: dict[str, str], as_of: date) -> date | None:
    dates = [d for key in _META_KEYS if (d := _iso(meta.get(key), as_of))]
    return min(dates) if dates else None


def publication_date(
    html: str, url: str, json_ld: list[dict[str, Any]], meta: dict[str, str], as_of: date
) -> DateFinding | None:
    """The page's original publication date, or None when the page does not show one."""
    found = _from_json_ld(json_ld, as_of)
    if found:
        return DateFinding(found, "json-ld")
    found = _from_meta(meta, as_of)
    if found:
        return DateFinding(found, "meta")
    try:
        text = find_date(
            html,
            url=url,
            original_date=True,
            extensive_search=True,
            min_date=datetime(MIN_DATE.year, 1, 1),
            max_date=datetime(as_of.year, as_of.month, as_of.day),
        )
    except Exception as exc:  # htmldate raises assorted errors on broken markup
        log.debug("htmldate failed on %s: %s", url, exc)
        return None
    if not text:
        return None
    found = date.fromisoformat(text)
    if found.month == 1 and found.day == 1:
        # htmldate's fallback to a copyright or bare year: not a publication date.
        return None
    return DateFinding(found, "htmldate")
