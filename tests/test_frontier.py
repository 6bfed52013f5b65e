from __future__ import annotations

from auditcrawl.crawler._frontier import MAX_QUERY_VARIANTS_PER_PATH, Frontier


def test_best_first_then_fewest_clicks_then_discovery_order() -> None:
    f = Frontier()
    f.push("https://p.com/footer-link", priority=0.1, depth=1, source="link")
    f.push("https://p.com/case-studies/", priority=1.4, depth=2, source="link")
    f.push("https://p.com/deep-case", priority=1.4, depth=3, source="link")
    f.push("https://p.com/blog/", priority=1.2, depth=1, source="link")
    f.push("https://p.com/other", priority=0.1, depth=1, source="link")
    order = []
    while (entry := f.pop()) is not None:
        order.append(entry.url.rstrip("/").rsplit("/", 1)[-1])
    assert order == ["case-studies", "deep-case", "blog", "footer-link", "other"]


def test_each_url_once() -> None:
    f = Frontier()
    assert f.push("https://p.com/a", priority=1, depth=1, source="link") is True
    assert f.push("https://p.com/a", priority=5, depth=0, source="link") is False
    assert len(f) == 1


def test_query_explosion_is_capped_per_path() -> None:
    f = Frontier()
    accepted = sum(f.push(f"https://p.com/search?q={i}", priority=1, depth=1, source="link") for i in range(100))
    assert accepted == MAX_QUERY_VARIANTS_PER_PATH
    assert f.skipped["query variants"] == 100 - MAX_QUERY_VARIANTS_PER_PATH
