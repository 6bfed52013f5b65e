"""The parts an audit is made of, each on its own: the run's pages (analysed, stored in batches,
kept in memory only while citable), the early stop, and the fetch of claimed pages."""

from __future__ import annotations

from collections import Counter
from datetime import date
from typing import Any

from auditcrawl.claims import fetch_claimed
from auditcrawl.crawler import CrawledPage, Crawler, CrawlGraph, Edge, Fetcher, FetchResult
from auditcrawl.early_stop import EarlyStop
from auditcrawl.rules import Claims, PageFacts
from auditcrawl.run_pages import FLUSH_EVERY, RunPages
from auditcrawl.settings import AuditSettings, CrawlSettings
from auditcrawl.siteserver import Page
from auditcrawl.storage import Run, Store

from .factories import HOME, facts_for, outcome_of

AS_OF = date(2026, 6, 1)
CASE_STUDY = b"""<html><head><title>Case study: Contoso Motors</title></head><body><main>
<h1>Case study: Contoso Motors</h1><p>Predictive maintenance with AWS IoT SiteWise and OPC UA; MES on AWS.</p>
</main></body></html>"""
PLAIN = b"<html><head><title>About us</title></head><body><main><p>Who we are.</p></main></body></html>"


def _page(url: str, body: bytes, **fields: Any) -> CrawledPage:
    result = FetchResult(url=url, final_url=url, status=200, content_type="text/html", body=body)
    page = CrawledPage.from_fetch(result, depth=1, source="link")
    for name, value in fields.items():
        setattr(page, name, value)
    return page


async def _pages(store: Store, **options: Any) -> RunPages:
    await store.create_run(Run(id="run000000001", home_url=HOME, as_of=AS_OF))
    return RunPages(store, "run000000001", CrawlGraph(home=HOME), as_of=AS_OF, **options)


async def test_pages_are_stored_in_batches_with_the_new_links(store: Store) -> None:
    pages = await _pages(store)
    pages.graph.add_edges([Edge(HOME, "https://p.com/p/0", "first", "main")])
    for i in range(FLUSH_EVERY - 1):
        await pages.take(_page(f"https://p.com/p/{i}", PLAIN))
    assert await store.run_pages("run000000001") == []  # not yet a full batch
    await pages.take(_page(f"https://p.com/p/{FLUSH_EVERY - 1}", PLAIN))
    assert len(await store.run_pages("run000000001")) == FLUSH_EVERY
    assert [e.target for e in await store.run_links("run000000001")] == ["https://p.com/p/0"]
    await pages.take(_page("https://p.com/case-studies/contoso/", CASE_STUDY))
    await pages.flush()
    rows = {r.final_url: r for r in await store.run_pages("run000000001")}
    assert len(rows) == FLUSH_EVERY + 1 and rows["https://p.com/case-studies/contoso/"].kind == "case_study"


async def test_only_pages_the_checks_may_cite_stay_in_memory(store: Store) -> None:
    pages = await _pages(store)
    case, about = "https://p.com/case-studies/contoso/", "https://p.com/about/"
    await pages.take(_page(case, CASE_STUDY))
    await pages.take(_page(about, PLAIN))
    assert set(pages.facts) == {case, about}  # until stored
    await pages.flush()
    assert set(pages.facts) == {case} and about in pages and about in pages.stored_only
    assert pages.candidates == Counter({"case_study": 1})


async def test_with_claims_every_page_stays_in_memory(store: Store) -> None:
    pages = await _pages(store, keep_all=True)
    await pages.take(_page("https://p.com/about/", PLAIN))
    await pages.flush()
    assert set(pages.facts) == {"https://p.com/about/"} and not pages.stored_only


async def test_a_page_reached_again_through_a_redirect_is_taken_once(store: Store) -> None:
    pages = await _pages(store)
    await pages.take(_page("https://p.com/case-studies/contoso/", CASE_STUDY))
    await pages.take(_page("https://p.com/case-studies/contoso/", CASE_STUDY, duplicate=True))
    await pages.flush()
    assert len(await store.run_pages("run000000001")) == 1


async def test_restored_pages_count_but_are_not_stored_again(store: Store) -> None:
    pages = await _pages(store)
    stored = [
        facts_for("https://p.com/case-studies/a", "case_study"),
        facts_for("https://p.com/x", "other", categories=[]),
    ]
    pages.restore(stored)
    await pages.flush()
    assert await store.run_pages("run000000001") == []
    assert set(pages.facts) == {"https://p.com/case-studies/a"} and "https://p.com/x" in pages


async def test_an_unchanged_page_keeps_the_previous_runs_facts(store: Store) -> None:
    class Previous:
        run_id = "previous0001"

        def carried_over(self, url: str, **current: Any) -> PageFacts:
            f = facts_for(url, "case_study")
            f.not_modified, f.size, f.depth = True, 5000, current["depth"]
            return f

    pages = await _pages(store, previous=Previous())
    page = _page("https://p.com/case-studies/a", b"", not_modified=True, depth=3)
    f = pages.facts_of(page)
    assert (f.kind, f.not_modified, f.depth) == ("case_study", True, 3)
    await pages.take(page)
    assert pages.bytes_not_modified == 5000


def _met_facts() -> tuple[dict[str, PageFacts], list[tuple[str, str]]]:
    urls = {
        "https://p.com/industries/manufacturing/": "landing_page",
        "https://p.com/case-studies/a": "case_study",
        "https://p.com/case-studies/b": "case_study",
        "https://p.com/blog/a": "thought_leadership",
        "https://p.com/blog/b": "thought_leadership",
    }
    facts = {u: facts_for(u, k, published=date(2026, 5, 1)) for u, k in urls.items()}
    landing = facts["https://p.com/industries/manufacturing/"]
    landing.content_links = [u for u, k in urls.items() if k == "case_study"]  # links to the case studies
    return facts, [(HOME, u) for u in urls]


def test_early_stop_waits_for_enough_candidates_before_evaluating() -> None:
    facts, edges = _met_facts()
    candidates = Counter({"case_study": 1, "thought_leadership": 2})
    stop = EarlyStop(facts, candidates, AuditSettings(as_of=AS_OF))
    assert stop(outcome_of(edges)) is False and stop.evaluations == 0  # one case study of two: no look
    candidates["case_study"] += 1
    assert stop(outcome_of(edges)) is True and stop.evaluations == 1


def test_early_stop_does_not_look_again_until_something_changed() -> None:
    facts, edges = _met_facts()
    facts["https://p.com/industries/manufacturing/"].aws_signals = []  # 3.1 only needs_review: not settled
    candidates = Counter({"landing_page": 1, "case_study": 2, "thought_leadership": 2})
    stop = EarlyStop(facts, candidates, AuditSettings(as_of=AS_OF))
    outcome = outcome_of(edges)
    outcome.pages_fetched = 10
    assert stop(outcome) is False and stop.evaluations == 1
    outcome.pages_fetched = 15
    assert stop(outcome) is False and stop.evaluations == 1  # same candidates, not twice the pages
    outcome.pages_fetched = 20
    assert stop(outcome) is False and stop.evaluations == 2  # twice the pages: click paths may be shorter
    candidates["case_study"] += 1
    assert stop(outcome) is False and stop.evaluations == 3


async def test_claimed_pages_the_crawl_missed_are_fetched_and_counted(serve: Any) -> None:
    server = serve(
        {
            "/robots.txt": Page("User-agent: *\nDisallow: /private/\n", content_type="text/plain"),
            "/": Page(b"<html><body><a href='/about/'>About</a></body></html>"),
            "/old-case": Page("", status=301, headers={"Location": "/case-studies/contoso/"}),
            "/case-studies/contoso/": Page(CASE_STUDY),
        }
    )
    home = server.url("/")
    taken: list[CrawledPage] = []

    async def take(page: CrawledPage) -> None:
        taken.append(page)

    known = facts_for(server.url("/about/"), "other")
    claims = Claims(landing_page=known.url, case_studies=[server.url("/old-case"), server.url("/private/case")])
    async with Fetcher(CrawlSettings(delay=0, retries=0, allow_private=True)) as fetcher:
        crawler = Crawler(CrawlSettings(delay=0, allow_private=True), fetcher, CrawlGraph(home=home), on_page=take)
        fetched = await fetch_claimed(claims, crawler, {known.key: known})
    assert fetched == [server.url("/old-case"), server.url("/private/case")]  # the known page is not fetched again
    assert [(p.source, p.final_url) for p in taken] == [
        ("claim", server.url("/case-studies/contoso/")),
        ("claim", server.url("/private/case")),
    ]
    outcome = crawler.outcome
    assert outcome.pages_fetched == 1 and outcome.robots_blocked == [server.url("/private/case")]
    assert outcome.graph.resolve(server.url("/old-case")) == server.url("/case-studies/contoso/")
