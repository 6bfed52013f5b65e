"""The compact crawl graph: click paths through redirects, links per page, edges handed out once."""

from __future__ import annotations

from auditcrawl.crawler import CrawlGraph, Edge

H = "https://p.com/"


def _graph(pairs: list[tuple[str, str]], aliases: dict[str, str] | None = None) -> CrawlGraph:
    graph = CrawlGraph.of(
        H, [Edge(H + a if a else H, H + b, "", "main", "2026-01-05" if b == "dated" else None) for a, b in pairs]
    )
    for requested, final in (aliases or {}).items():
        graph.add_alias(H + requested, H + final)
    return graph


def test_click_paths_are_shortest_and_follow_redirects() -> None:
    graph = _graph([("", "a"), ("a", "b"), ("", "old"), ("new", "deep"), ("b", "deep")], {"old": "new"})
    paths = graph.click_paths()
    assert paths[H] == [H]
    assert paths[H + "new"] == [H, H + "new"]  # the link to /old lands on /new
    assert paths[H + "deep"] == [H, H + "new", H + "deep"]  # through the redirect: 2 clicks, not 3
    assert H + "old" not in paths


def test_redirect_target_without_links_still_gets_a_path() -> None:
    paths = _graph([("", "moved")], {"moved": "final"}).click_paths()
    assert paths[H + "final"] == [H, H + "final"]


def test_unreachable_pages_have_no_path() -> None:
    paths = _graph([("island", "x")]).click_paths()
    assert H + "x" not in paths and H + "island" not in paths
    assert paths == {H: [H]}


def test_links_from_and_dated_edges() -> None:
    graph = _graph([("", "a"), ("", "old"), ("", "dated")], {"old": "new"})
    assert graph.links_from(H) == [H + "a", H + "new", H + "dated"]
    assert graph.links_from(H + "nowhere") == []
    assert [e.target for e in graph.dated_edges] == [H + "dated"]


def test_new_edges_are_handed_out_once_and_stored_ones_never() -> None:
    graph = _graph([("", "a")])
    assert [e.target for e in graph.take_new_edges()] == [H + "a"]
    assert graph.take_new_edges() == []
    graph.add_edges([Edge(H, H + "b", "", "main")], stored=True)
    assert graph.take_new_edges() == []
    assert graph.click_paths()[H + "b"] == [H, H + "b"]


def test_click_paths_of_a_graph_without_the_home_page() -> None:
    paths = CrawlGraph(home=H).click_paths()  # the home page failed: it has no links
    assert dict(paths) == {H: [H]} and len(paths) == 1


def test_click_paths_taken_before_the_graph_grows_stay_as_they_were() -> None:
    graph = _graph([("", "a")])
    paths = graph.click_paths()
    graph.add_edges([Edge(H + "a", H + "later", "", "main")])
    assert H + "later" not in paths and dict(paths) == {H: [H], H + "a": [H, H + "a"]}
    assert graph.click_paths()[H + "later"] == [H, H + "a", H + "later"]
