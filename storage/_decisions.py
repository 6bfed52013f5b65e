"""Auditors' decisions: appended, never changed; a partner's, applied to each of its runs.

A decision on a page applies to a run when it is the newest on that page and the run read the page
with the content it was decided on (the same content digest). A verdict set on a check holds for
the run it was set on. Everything else stays on record, with why it does not apply.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import ColumnElement
from sqlmodel import col, or_, select

from auditcrawl.rules import CheckResult

from ._models import DecisionRow, PageRow, Run
from ._store import Store
from ._verdicts import write_verdicts

__all__ = [
    "Standing",
    "decisions_on",
    "page_digests",
    "partner_decisions",
    "record_decision",
    "restate_verdicts",
    "standing",
]


@dataclass(frozen=True)
class Standing:
    """Whether a decision applies to a run, and when not, why (for the export and the review queue)."""

    applies: bool
    why_not: str | None = None
    changed: bool = False  # the page's content changed since the decision: it is back for review


def _partner(applicant_id: int | None, home_url: str) -> ColumnElement[bool]:
    """The decisions that belong to a partner: by applicant, else by home URL."""
    if applicant_id is not None:
        return col(DecisionRow.applicant_id) == applicant_id
    return col(DecisionRow.applicant_id).is_(None) & (col(DecisionRow.home_url) == home_url)


async def partner_decisions(store: Store, run: Run) -> Sequence[DecisionRow]:
    """Every decision of the run's partner, oldest first: the partner's history."""
    async with store.session() as session:
        query = select(DecisionRow).where(_partner(run.applicant_id, run.home_url)).order_by(col(DecisionRow.id))
        return (await session.exec(query)).all()


async def page_digests(store: Store, run_id: str, urls: Iterable[str]) -> dict[str, str | None]:
    """The content digest of each of these pages as the run read them (by requested or final URL)."""
    wanted = sorted(set(urls))
    if not wanted:
        return {}
    async with store.session() as session:
        rows = (
            await session.exec(
                select(PageRow).where(
                    PageRow.run_id == run_id, or_(col(PageRow.url).in_(wanted), col(PageRow.final_url).in_(wanted))
                )
            )
        ).all()
    found: dict[str, str | None] = {}
    for row in rows:
        for url in (row.url, row.final_url):
            if url in wanted:
                found.setdefault(url, row.facts.get("content_digest"))
    return found


def _target(d: DecisionRow) -> tuple[str, ...]:
    return ("page", d.url or "") if d.check_id is None else ("check", d.run_id, d.check_id)


def standing(decisions: Sequence[DecisionRow], run_id: str, digests: dict[str, str | None]) -> dict[int, Standing]:
    """For each decision (by id), whether it applies to the run `run_id`, whose pages have `digests`."""
    newest: dict[tuple[str, ...], DecisionRow] = {}
    for d in decisions:
        newest[_target(d)] = d
    out: dict[int, Standing] = {}
    for d in decisions:
        assert d.id is not None
        latest = newest[_target(d)]
        if latest is not d:
            out[d.id] = Standing(False, f"superseded by decision {latest.id}")
        elif d.check_id is not None:
            same_run = d.run_id == run_id
            out[d.id] = Standing(same_run, None if same_run else f"a verdict set on run {d.run_id} holds for that run")
        elif d.url not in digests:
            out[d.id] = Standing(False, "the page is not among this run's pages")
        elif digests[d.url] != d.content_digest:
            when = d.made_at.date().isoformat()
            out[d.id] = Standing(False, f"changed since decided on {when} by {d.made_by}", changed=True)
        else:
            out[d.id] = Standing(True)
    return out


async def decisions_on(store: Store, run: Run) -> tuple[Sequence[DecisionRow], dict[int, Standing]]:
    """The partner's decisions, oldest first, and whether each applies to `run` (see standing)."""
    history = await partner_decisions(store, run)
    digests = await page_digests(store, run.id, [d.url for d in history if d.url])
    return history, standing(history, run.id, digests)


async def record_decision(
    store: Store, decision: DecisionRow, found: dict[str, CheckResult], final: dict[str, CheckResult]
) -> DecisionRow:
    """Append a decision (superseding the newest one on the same page, or on the same check of the
    run) and store the run's verdicts recomputed with it, in one transaction."""
    async with store.writing() as session:
        partners = select(DecisionRow).where(_partner(decision.applicant_id, decision.home_url))
        history = (await session.exec(partners.order_by(col(DecisionRow.id).desc()))).all()
        previous = next((d for d in history if _target(d) == _target(decision)), None)
        decision.supersedes = previous.id if previous is not None else None
        session.add(decision)
        await write_verdicts(session, decision.run_id, found, final)
        await session.commit()
    return decision


async def restate_verdicts(
    store: Store, run_id: str, found: dict[str, CheckResult], final: dict[str, CheckResult]
) -> None:
    """Store a run's verdicts judged again (a decision made on another run applies to it too)."""
    async with store.writing() as session:
        await write_verdicts(session, run_id, found, final)
        await session.commit()
