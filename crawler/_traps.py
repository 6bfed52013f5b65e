"""Crawler-trap filter: each rule a cheap test on the URL alone."""

from __future__ import annotations

import re
from collections import Counter
from urllib.parse import parse_qsl, urlsplit

__all__ = ["trap_reason"]

MAX_SEGMENTS = 12
MAX_SEGMENT_REPEATS = 2
MAX_QUERY_PARAMS = 6
MAX_URL_LENGTH = 2000
_YEAR = re.compile(r"(?<!\d)([12]\d\d\d)(?!\d)")
_CALENDAR = re.compile(r"(calendar|date=|day=|month=|year=|/\d{4}/\d{1,2}/\d{1,2}/?$)", re.I)


def trap_reason(url: str, min_year: int, max_year: int) -> str | None:
    """Why a URL looks like a crawler trap, or None."""
    if len(url) > MAX_URL_LENGTH:
        return f"URL longer than {MAX_URL_LENGTH} characters"
    parts = urlsplit(url)
    segments = [s for s in parts.path.split("/") if s]
    if len(segments) > MAX_SEGMENTS:
        return f"more than {MAX_SEGMENTS} path segments"
    repeats = Counter(segments).most_common(1)
    if repeats and repeats[0][1] > MAX_SEGMENT_REPEATS:
        return f"path segment {repeats[0][0]!r} repeated {repeats[0][1]} times"
    if len(parse_qsl(parts.query, keep_blank_values=True)) > MAX_QUERY_PARAMS:
        return f"more than {MAX_QUERY_PARAMS} query parameters"
    if _CALENDAR.search(url):
        for year in _YEAR.findall(url):
            if not min_year <= int(year) <= max_year:
                return f"calendar URL for the year {year}"
    return None
