"""Coverage per check: which unread pages within the radius could be which check's evidence."""

from __future__ import annotations

import itertools
from datetime import date

import pytest

from auditcrawl.rules import evaluate, measure_coverage
from auditcrawl.rules._coverage import ruled_out
from auditcrawl.settings import AuditSettings

from .factories import HOME, facts_for, outcome_of

AS_OF = date(2026, 6, 1)


@pytest.mark.parametrize(
    ("url", "text", "why"),
    [
        ("https://p.com/terms-and-conditions/", "Terms", "a 'terms-and-conditions' page"),
        ("https://p.com/privacy.html", "", "a 'privacy' page"),
        ("https://p.com/de/impressum/", "Impressum", "a 'impressum' page"),
        ("https://p.com/thank-you/download/", "", "a 'thank-you' page"),
        ("https://p.com/tags/aws/", "AWS", "a 'tags' page"),
        ("https://p.com/blog/page/37/", "Older posts", "a page of a paginated list"),
        ("https://p.com/blog/category/news/", "News", "a category archive"),
        ("https://p.com/x/", "Contact us", "a link named 'Contact us'"),
        ("https://p.com/de/", "Deutsch", "a language switcher"),
        ("https://p.com/fr/", "FR", "a language switcher"),
        ("https://p.com/services/it/", "IT", None),
        ("https://p.com/de/case-studies/acme/", "Acme", "a language version of a page that was read"),
        ("https://p.com/case-studies/acme/", "Acme", None),
        ("https://p.com/blog/opc-ua-at-the-edge/", "OPC UA at the edge", None),
        ("https://p.com/contact-center-on-aws/", "Contact centers on AWS", None),
    ],
)
def test_pages_that_are_nobodys_evidence(url: str, text: str, why: str | None) -> None:
    assert ruled_out(url, text, frozenset({"case-studies/acme"})) == why


@pytest.mark.parametrize(
    ("url", "text", "checks"),
    [
        ("https://p.com/case-studies/fabrikam/", "Fabrikam", ("3.1", "2.2", "3.2")),
        ("https://p.com/blog/government-forms-made-easy/", "Government forms made easy", ("3.2",)),
        ("https://p.com/blog/mes-on-aws/", "MES on AWS", ("3.1", "2.2", "3.2")),
        ("https://p.com/blog/scada-historian-migration/", "Read more", ("3.1", "2.2", "3.2")),
        ("https://p.com/2018/08/14/machine-data/", "Machine data in 2018", ("3.1", "2.2")),
        ("https://p.com/2026/05/a-post/", "A post", ("3.2",)),
        ("https://p.com/news/2019-03-01-release.html", "Release 2.0", ()),
        ("https://p.com/industries/automotive/", "Automotive", ("3.1", "3.2")),
        ("https://p.com/partners/aws/", "AWS", ("3.1", "3.2")),
        ("https://p.com/about/team/", "Our team", ()),
    ],
)
def test_which_checks_an_unread_page_could_serve(url: str, text: str, checks: tuple[str, ...]) -> None:
    outcome = outcome_of([(HOME, url)], limits=["max_pages (5) reached with 40 URLs still queued"])
    outcome.unvisited, outcome.link_text = [url], {url: text}
    coverage = measure_coverage(outcome, AuditSettings(as_of=AS_OF))
    assert [u.url for u in coverage.unread] == [url]
    assert coverage.unread[0].checks == checks


def test_pages_beyond_the_radius_and_pages_nobody_needs_decide_nothing() -> None:
    chain = [HOME, *(f"https://p.com/{i}/" for i in range(1, 6)), "https://p.com/case-studies/deep/"]
    edges = list(itertools.pairwise(chain))
    terms, blocked = "https://p.com/terms/", "https://p.com/case-studies/forbidden/"
    edges += [(HOME, terms), ("https://p.com/5/", blocked)]
    facts = {u: facts_for(u, "other", categories=[]) for u in chain[:5]}
    outcome = outcome_of(edges, limits=["max_pages (5) reached with 2 URLs still queued"])
    outcome.unvisited = ["https://p.com/5/", chain[-1], terms]
    outcome.robots_blocked = [blocked]
    outcome.read = set(chain[:5])
    coverage = measure_coverage(outcome, AuditSettings(as_of=AS_OF))
    assert coverage.fetched == 5 and coverage.known == 6 and coverage.beyond == 3
    assert coverage.summary() == "pages within 4 clicks of home: 5 fetched / 6 known"
    assert [(u.url, u.checks) for u in coverage.unread] == [(terms, ())]
    checks = evaluate(facts, outcome, AuditSettings(as_of=AS_OF))
    assert {c.status for c in checks.values()} == {"not_met"}
    assert [note for note in coverage.notes() if "could not be evidence" in note and terms in note]


def test_a_robots_forbidden_case_study_link_within_the_radius_leaves_2_2_open() -> None:
    blocked = "https://p.com/customers/acme-plant-historian/"
    outcome = outcome_of([(HOME, blocked)])
    outcome.robots_blocked, outcome.link_text = [blocked], {blocked: "Acme"}
    checks = evaluate({}, outcome, AuditSettings(as_of=AS_OF))
    assert checks["2.2"].status == "needs_review"
    assert f"{blocked} (robots.txt forbids it)" in checks["2.2"].reasons[0]


def test_a_case_study_that_failed_to_load_leaves_2_2_open_and_a_dead_one_does_not() -> None:
    failing, dead = "https://p.com/case-studies/acme-mes/", "https://p.com/case-studies/old-mes/"
    outcome = outcome_of([(HOME, failing), (HOME, dead)])
    outcome.read = {HOME, dead}  # a 404 is an answer: the page is known to be gone
    outcome.failed = {failing: "HTTP 503"}
    coverage = measure_coverage(outcome, AuditSettings(as_of=AS_OF))
    assert [(u.url, u.why) for u in coverage.relevant("2.2")] == [(failing, "fetch failed: HTTP 503")]
    assert coverage.summary() == "pages within 4 clicks of home: 2 fetched / 3 known"
