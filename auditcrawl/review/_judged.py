"""A stored run judged again: its pages, links and what the crawl knew, read back from storage and
handed to the rules with the auditor's decisions that apply to it. No crawling."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from auditcrawl.crawler import CrawlOutcome
from auditcrawl.rules import (
    CheckDecision,
    Claims,
    Coverage,
    Decisions,
    Judgment,
    PageDecision,
    PageFacts,
    judge,
)
from auditcrawl.settings import AuditSettings
from auditcrawl.storage import DecisionRow, Run, Standing, Store, page_digests, page_facts, partner_decisions, standing

from .._exceptions import DecisionError
from ..settings import Settings

__all__ = ["StoredRun", "applying", "as_rules", "load_run"]


def as_rules(d: DecisionRow) -> PageDecision | CheckDecision:
    """A stored decision as the rules take it."""
    on = d.made_at.date()
    if d.check_id is not None:
        return CheckDecision(d.check_id, "met" if d.decision == "met" else "not_met", d.made_by, on, d.reason)
    published = d.facts.get("published")
    return PageDecision(
        url=d.url or "",
        accepted=d.decision == "accept",
        by=d.made_by,
        on=on,
        reason=d.reason,
        kind=d.facts.get("kind"),
        published=date.fromisoformat(published) if published else None,
        on_aws=bool(d.facts.get("on_aws")),
        industrial=d.facts.get("industrial"),
    )


async def applying(store: Store, run: Run) -> tuple[Sequence[DecisionRow], dict[int, Standing], Decisions]:
    """The partner's decisions, whether each applies to the run, and those that do, for the rules."""
    history = await partner_decisions(store, run)
    digests = await page_digests(store, run.id, [d.url for d in history if d.url])
    standings = standing(history, run.id, digests)
    return history, standings, Decisions.of(as_rules(d) for d in history if d.id and standings[d.id].applies)


@dataclass
class StoredRun:
    """What judging a finished run again needs, read from storage."""

    run: Run
    settings: AuditSettings
    facts: dict[str, PageFacts]  # the pages the checks may cite, by key, in crawl order
    outcome: CrawlOutcome
    coverage: Coverage
    claims: Claims | None
    digests: dict[str, str | None] = field(default_factory=dict)  # every stored page's, by URL and final URL

    def judge(self, decisions: Decisions) -> Judgment:
        return judge(self.facts, self.outcome, self.settings, decisions, claims=self.claims, coverage=self.coverage)


async def load_run(store: Store, run_id: str, current: Settings) -> StoredRun:
    run = await store.get_run(run_id)
    if run.status == "running" or not (await store.run_checks(run.id))[0]:
        raise DecisionError(f"run {run.id} has no verdicts yet (it is crawling, or stopped before deciding)")
    judging = run.options.get("judging")
    if judging is None:
        raise DecisionError(
            f"run {run.id} was stored by an older auditcrawl, without what judging it again needs: "
            "crawl the partner again to decide on its items"
        )
    settings = current.as_started(run.options, run.as_of).audit
    claims_given = bool(run.options.get("claims_given"))
    facts: dict[str, PageFacts] = {}
    digests: dict[str, str | None] = {}
    for row in await store.run_pages(run.id):
        f = page_facts(row)
        digests.setdefault(row.url, f.content_digest)
        digests.setdefault(row.final_url, f.content_digest)
        if f.evidence_candidate or claims_given:
            facts.setdefault(f.key, f)
    outcome = CrawlOutcome.judged_again(run.home_url, judging["outcome"], await store.run_links(run.id))
    claims = None
    if claims_given:
        rows = await store.run_claims(run.id)
        claims = Claims(
            landing_page=next((c.url for c in rows if c.claimed_as == "landing_page"), None),
            case_studies=[c.url for c in rows if c.claimed_as == "case_study"],
            thought_leadership=[c.url for c in rows if c.claimed_as == "thought_leadership"],
        )
    return StoredRun(run, settings, facts, outcome, Coverage.from_stored(judging["coverage"]), claims, digests)
