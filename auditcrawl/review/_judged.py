"""A stored run judged again: its pages, links and what the crawl knew, read back from storage and
handed to the rules with the auditor's decisions that apply to it. No crawling."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

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
from auditcrawl.storage import (
    DecisionRow,
    PageRow,
    Run,
    Standing,
    Store,
    decisions_on,
    page_facts,
)

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
    history, standings = await decisions_on(store, run)
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


def _as_an_older_release_kept_it(run: Run, rows: Sequence[PageRow]) -> dict[str, Any]:
    """What judging a run again needs, rebuilt for a run stored before auditcrawl kept it: the home
    page and redirects from the page rows, the limits from the notes, the unread pages from the
    coverage the run reported (URLs per check). Runs from before coverage was reported cannot be."""
    reported = run.options.get("coverage")
    if not isinstance(reported, dict) or "unread" not in reported:
        raise DecisionError(
            f"run {run.id} was stored by an older auditcrawl without its coverage: crawl the partner again "
            "to decide on its items"
        )
    home = next((r for r in rows if r.source == "seed"), None)
    unread: dict[str, list[str]] = {}
    for check_id, urls in reported["unread"].items():
        for url in urls:
            unread.setdefault(url, []).append(check_id)
    return {
        "outcome": {
            "home": CrawlOutcome.home_as_stored(None if home is None else page_facts(home)),
            "aliases": {r.url: r.final_url for r in rows if r.url != r.final_url},
            "limits_hit": [n.removeprefix("limit hit: ") for n in run.notes if n.startswith("limit hit: ")],
            "render_failures": [],
            "unrendered": [],
            "browser_note": None,
            "interrupted": False,
            "sitemap_lastmod": {},
        },
        "coverage": {
            "radius": reported["radius"],
            "fetched": reported["fetched"],
            "beyond": 0,
            "unread": [[url, 0, "not read (as the run reported)", "", checks, None] for url, checks in unread.items()],
        },
    }


async def load_run(store: Store, run_id: str, current: Settings) -> StoredRun:
    run = await store.get_run(run_id)
    if run.status == "running" or not (await store.run_checks(run.id))[0]:
        raise DecisionError(f"run {run.id} has no verdicts yet (it is crawling, or stopped before deciding)")
    settings = current.as_started(run.options, run.as_of).audit
    claims_given = bool(run.options.get("claims_given"))
    facts: dict[str, PageFacts] = {}
    digests: dict[str, str | None] = {}
    rows = await store.run_pages(run.id)
    for row in rows:
        f = page_facts(row)
        digests.setdefault(row.url, f.content_digest)
        digests.setdefault(row.final_url, f.content_digest)
        if f.evidence_candidate or claims_given:
            facts.setdefault(f.key, f)
    judging = run.options.get("judging") or _as_an_older_release_kept_it(run, rows)
    outcome = CrawlOutcome.judged_again(run.home_url, judging["outcome"], await store.run_links(run.id))
    claims = None
    if claims_given:
        claimed = await store.run_claims(run.id)
        claims = Claims(
            landing_page=next((c.url for c in claimed if c.claimed_as == "landing_page"), None),
            case_studies=[c.url for c in claimed if c.claimed_as == "case_study"],
            thought_leadership=[c.url for c in claimed if c.claimed_as == "thought_leadership"],
        )
    return StoredRun(run, settings, facts, outcome, Coverage.from_stored(judging["coverage"]), claims, digests)
