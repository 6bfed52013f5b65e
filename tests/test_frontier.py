from __future__ import annotations

from auditcrawl.crawler._frontier import MAX_QUERY_VARIANTS_PER_PATH, Frontier


def _order(f: Frontier) -> list[str]:
    order = []
    while (entry := f.pop()) is not None:
        order.append(entry.url.rstrip("/").rsplit("/", 1)[-1])
    return order


def test_the_radius_first_cues_best_first_then_by_clicks_then_the_rest() -> None:
    f = Frontier(radius=4)
    f.push("https://p.com/footer-link", priority=0.1, depth=1, source="link")
    f.push("https://p.com/case-studies/", priority=1.4, depth=2, source="link")
    f.push("https://p.com/deep-case", priority=1.4, depth=3, source="link")
    f.push("https://p.com/blog/", priority=1.2, depth=1, source="link")
    f.push("https://p.com/other", priority=0.3, depth=1, source="link")
    f.push("https://p.com/two-clicks", priority=0.5, depth=2, source="link")
    f.push("https://p.com/beyond-case", priority=1.6, depth=5, source="link")
    f.push("https://p.com/from-sitemap", priority=0.05, depth=10, source="sitemap")
    f.push("https://aws.example/case", priority=1.5, depth=2, source="offsite", offsite=True)
    assert _order(f) == [
        "case-studies",  # evidence cues within the radius, best first
        "deep-case",
        "blog",
        "other",  # then the rest of the radius, one click before two
        "footer-link",
        "two-clicks",
        "beyond-case",  # then what cannot be evidence by itself or lies deeper, best first
        "case",
        "from-sitemap",
    ]


def test_each_url_once_unless_found_closer_to_home() -> None:
    f = Frontier(radius=4)
    assert f.push("https://p.com/a", priority=0.1, depth=3, source="link") is True
    assert f.push("https://p.com/a", priority=0.1, depth=3, source="link") is False
    assert f.push("https://p.com/a", priority=0.1, depth=1, source="link") is True  # a shorter path moves it up
    assert f.push("https://p.com/s", priority=0.05, depth=10, source="sitemap") is True
    assert f.push("https://p.com/s", priority=0.1, depth=2, source="link") is True  # linked after all
    assert len(f) == 2
    popped = [f.pop(), f.pop(), f.pop()]
    assert [(e.url, e.depth, e.source) for e in popped if e is not None] == [
        ("https://p.com/a", 1, "link"),
        ("https://p.com/s", 2, "link"),
    ]
    assert popped[2] is None and f.remaining() == []


def test_query_explosion_is_capped_per_path() -> None:
    f = Frontier()
    accepted = sum(f.push(f"https://p.com/search?q={i}", priority=1, depth=1, source="link") for i in range(100))
    assert accepted == MAX_QUERY_VARIANTS_PER_PATH
    assert f.skipped["query variants"] == 100 - MAX_QUERY_VARIANTS_PER_PATH
