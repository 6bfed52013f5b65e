"""Decisions as facts the rules weigh (rules/_decided.py), and when a stored decision applies to a run
(storage/_decisions.standing): table-driven, no crawl, no database."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from auditcrawl.rules import CheckDecision, Decisions, PageDecision, PageFacts, judge
from auditcrawl.settings import AuditSettings
from auditcrawl.storage import DecisionRow, standing

from .factories import HOME, facts_for, outcome_of

AS_OF = date(2026, 6, 1)
CS_A, CS_B = "https://p.com/case-studies/a/", "https://p.com/case-studies/b/"
POST_A, POST_B = "https://p.com/blog/a/", "https://p.com/blog/b/"


def site() -> dict[str, PageFacts]:
    """Two case studies (B names no cloud) and two posts (B undated), all industrial and linked from home."""
    facts = {
        CS_A: facts_for(CS_A, "case_study"),
        CS_B: facts_for(CS_B, "case_study"),
        POST_A: facts_for(POST_A, "thought_leadership", published=date(2026, 5, 1)),
        POST_B: facts_for(POST_B, "thought_leadership"),
    }
    facts[CS_B].clouds = []
    return facts


def decided(*decisions: PageDecision | CheckDecision) -> dict[str, str]:
    outcome = outcome_of([(HOME, url) for url in (CS_A, CS_B, POST_A, POST_B)])
    judgment = judge(site(), outcome, AuditSettings(as_of=AS_OF), Decisions.of(decisions))
    return {c: r.status for c, r in judgment.final.items() if c != "3.1"}


def page(url: str, accepted: bool, **facts: object) -> PageDecision:
    return PageDecision(url, accepted, "ann", AS_OF, "checked by hand", **facts)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("decisions", "expected"),
    [
        ((), {"2.2": "needs_review", "3.2": "needs_review"}),
        # a date in the window dates the undated post; accepting it alone does not
        ((page(POST_B, True, published=date(2026, 3, 10)),), {"2.2": "needs_review", "3.2": "met"}),
        ((page(POST_B, True),), {"2.2": "needs_review", "3.2": "needs_review"}),
        ((page(POST_B, True, published=date(2024, 3, 10)),), {"2.2": "needs_review", "3.2": "not_met"}),
        # accepting the no-cloud case study settles its doubt; --on-aws says the same as a fact
        ((page(CS_B, True),), {"2.2": "met", "3.2": "needs_review"}),
        ((page(CS_B, False, on_aws=True),), {"2.2": "not_met", "3.2": "needs_review"}),
        # rejected: not a case study (kind), not industrial, or just rejected with a reason
        ((page(CS_B, False, kind="other"),), {"2.2": "not_met", "3.2": "needs_review"}),
        ((page(CS_A, False, industrial=False),), {"2.2": "not_met", "3.2": "needs_review"}),
        ((page(POST_B, False),), {"2.2": "needs_review", "3.2": "not_met"}),
        # a verdict set on a check, whatever the items say
        ((CheckDecision("3.2", "met", "ann", AS_OF, "seen the webinar"),), {"2.2": "needs_review", "3.2": "met"}),
    ],
)
def test_decisions_are_facts_the_rules_weigh(decisions: tuple[PageDecision, ...], expected: dict[str, str]) -> None:
    assert decided(*decisions) == expected


def test_the_crawls_facts_are_left_as_they_were() -> None:
    facts = site()
    outcome = outcome_of([(HOME, url) for url in facts])
    decision = page(POST_B, True, published=date(2026, 3, 10))
    judgment = judge(facts, outcome, AuditSettings(as_of=AS_OF), Decisions([decision]))
    assert facts[POST_B].published is None and facts[POST_B].auditor is None
    assert (judgment.found["3.2"].status, judgment.final["3.2"].status) == ("needs_review", "met")
    item = next(e for e in judgment.final["3.2"].evidence if e.url == POST_B)
    assert item.date_source == "auditor" and decision.note in item.reasons


def _row(id: int, url: str | None, digest: str | None, run: str = "r1", check: str | None = None) -> DecisionRow:
    return DecisionRow(
        id=id,
        home_url=HOME,
        run_id=run,
        url=url,
        check_id=check,
        decision="met" if check else "accept",
        reason="x",
        made_by="ann",
        made_at=datetime(2026, 5, 2, tzinfo=UTC),
        content_digest=digest,
    )


@pytest.mark.parametrize(
    ("rows", "run", "digests", "expected"),
    [
        ([_row(1, CS_A, "d1")], "r2", {CS_A: "d1"}, {1: (True, None)}),
        ([_row(1, CS_A, "d1")], "r2", {CS_A: "d2"}, {1: (False, "changed since decided on 2026-05-02 by ann")}),
        ([_row(1, CS_A, "d1")], "r2", {}, {1: (False, "the page is not among this run's pages")}),
        (
            [_row(1, CS_A, "d1"), _row(2, CS_A, "d1")],
            "r1",
            {CS_A: "d1"},
            {1: (False, "superseded by decision 2"), 2: (True, None)},
        ),
        ([_row(1, None, None, check="3.2")], "r1", {}, {1: (True, None)}),
        ([_row(1, None, None, check="3.2")], "r2", {}, {1: (False, "a verdict set on run r1 holds for that run")}),
    ],
)
def test_when_a_decision_applies_to_a_run(
    rows: list[DecisionRow], run: str, digests: dict[str, str | None], expected: dict[int, tuple[bool, str | None]]
) -> None:
    assert {i: (s.applies, s.why_not) for i, s in standing(rows, run, digests).items()} == expected
