from __future__ import annotations

import pytest

from auditcrawl.crawler import SiteScope, canonicalize, registrable_domain


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("HTTP://Example.COM:80/a/../b/./c?b=2&a=1#frag", "http://example.com/b/c?a=1&b=2"),
        ("https://example.com:443", "https://example.com/"),
        ("https://example.com:8443/x/", "https://example.com:8443/x/"),
        ("https://example.com/p?utm_source=nl&utm_medium=mail&id=3&gclid=x&fbclid=y", "https://example.com/p?id=3"),
        ("https://example.com/p;jsessionid=ABC?x=1", "https://example.com/p?x=1"),
        ("https://example.com/p?PHPSESSID=abc&page=2", "https://example.com/p?page=2"),
        ("https://example.com/caf%C3%A9 menu", "https://example.com/caf%C3%A9%20menu"),
        ("https://BÜCHER.example/", "https://xn--bcher-kva.example/"),
        ("https://[::1]:8080/", "https://[::1]:8080/"),
        ("http://2130706433/", "http://127.0.0.1/"),
        ("http://0x7f.0.0.1/", "http://127.0.0.1/"),
        ("http://0177.0.0.1/", "http://127.0.0.1/"),
        ("http://1.2.3.999/", None),
        ("mailto:sales@example.com", None),
        ("javascript:void(0)", None),
        ("ftp://example.com/file", None),
        ("file:///etc/passwd", None),
        ("http://", None),
        ("not a url", None),
    ],
)
def test_canonicalize(url: str, expected: str | None) -> None:
    assert canonicalize(url) == expected


def test_relative_links_resolve_against_the_page() -> None:
    assert (
        canonicalize("../case-studies/a?utm_campaign=x", base="https://p.com/blog/post/")
        == "https://p.com/blog/case-studies/a"
    )


@pytest.mark.parametrize(
    ("host", "domain"),
    [
        ("blog.partner.com", "partner.com"),
        ("www.partner.co.uk", "partner.co.uk"),
        ("news.partner.com.au", "partner.com.au"),
        ("partner.de", "partner.de"),
        ("127.0.0.1", "127.0.0.1"),
        ("intranet", "intranet"),
        ("blog.partner.test", "partner.test"),
    ],
)
def test_registrable_domain_uses_the_bundled_suffix_list(host: str, domain: str) -> None:
    assert registrable_domain(host) == domain


@pytest.mark.parametrize(
    ("url", "inside"),
    [
        ("https://partner.com/x", True),
        ("https://blog.partner.com/post", True),
        ("http://www.partner.com:8080/", True),
        ("https://partner.com.evil.net/", False),
        ("https://notpartner.com/", False),
        ("https://aws.amazon.com/partners/", False),
    ],
)
def test_site_scope(url: str, inside: bool) -> None:
    assert SiteScope("https://www.partner.com/").contains(url) is inside
