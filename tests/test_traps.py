from __future__ import annotations

import pytest

from auditcrawl.crawler import trap_reason


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("https://p.com/blog/post/", None),
        ("https://p.com/events/calendar/2026/05/", None),
        ("https://p.com/events/calendar/2391/05/", "calendar URL for the year 2391"),
        ("https://p.com/events/?date=1887-01-01", "calendar URL for the year 1887"),
        ("https://p.com/a/b/a/b/a/b/", "path segment 'a' repeated 3 times"),
        ("https://p.com/" + "/".join(f"s{i}" for i in range(13)), "more than 12 path segments"),
        ("https://p.com/search?a=1&b=2&c=3&d=4&e=5&f=6&g=7", "more than 6 query parameters"),
        ("https://p.com/" + "x" * 2100, "URL longer than 2000 characters"),
    ],
)
def test_trap_table(url: str, reason: str | None) -> None:
    assert trap_reason(url, 1995, 2027) == reason
