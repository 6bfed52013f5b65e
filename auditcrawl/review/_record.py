"""Recording an auditor's decision: checked, judged with the run, stored with the new verdicts."""

from __future__ import annotations

import getpass
import os
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from auditcrawl.crawler import canonicalize
from auditcrawl.rules import CHECK_IDS, KINDS, find_facts
from auditcrawl.storage import DecisionRow, Store, page_digests, record_decision, restate_verdicts

from .._exceptions import DecisionError
from ..settings import Settings
from ._judged import StoredRun, applying, as_rules, load_run

__all__ = ["DecisionRequest", "Recorded", "auditor_name", "decide"]


def auditor_name(given: str | None = None) -> str:
    """Who decides: --by, else AUDITCRAWL_AUDITOR, else the OS user."""
    for name in (given, os.environ.get("AUDITCRAWL_AUDITOR")):
        if name and name.strip():
            return name.strip()
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


@dataclass
class DecisionRequest:
    """One decision as the command line or the workspace gives it."""

    run_id: str
    reason: str
    by: str
    url: str | None = None  # a decision on a page ...
    accept: bool | None = None
    published: date | None = None
    on_aws: bool = False
    kind: str | None = None
    industrial: bool | None = None
    check_id: str | None = None  # ... or a verdict on a check
    verdict: str | None = None

    def facts(self) -> dict[str, Any]:
        found: dict[str, Any] = {}
        if self.published is not None:
            found["published"] = self.published.isoformat()
        if self.on_aws:
            found["on_aws"] = True
        if self.kind is not None:
            found["kind"] = self.kind
        if self.industrial is not None:
            found["industrial"] = self.industrial
        return found


@dataclass
class Recorded:
    decision: DecisionRow
    before: dict[str, str]  # check -> status, before the decision
    after: dict[str, str]
    hints: list[str] = field(default_factory=list)  # what the decision could not settle
    later: dict[str, tuple[dict[str, str], dict[str, str]]] = field(default_factory=dict)  # run -> before, after


def _check_request(request: DecisionRequest, stored: StoredRun) -> str | None:
    """The item's URL as the run knows it (None for a verdict on a check); DecisionError for bad input."""
    if not request.reason.strip():
        raise DecisionError("a decision needs a reason (--reason TEXT)")
    if request.check_id is not None:
        if request.check_id not in CHECK_IDS:
            raise DecisionError(f"no check {request.check_id!r}: use one of {', '.join(CHECK_IDS)}")
        if request.verdict not in ("met", "not_met"):
            raise DecisionError("a verdict on a check is met or not_met (--verdict)")
        return None
    if request.accept is None:
        raise DecisionError("a decision on a page accepts or rejects it (--accept or --reject)")
    if request.kind is not None and request.kind not in KINDS:
        raise DecisionError(f"--kind {request.kind!r} is not a kind: use one of {', '.join(KINDS)}")
    if request.published is not None and request.published > stored.settings.as_of:
        raise DecisionError(
            f"--published {request.published.isoformat()} is after the run's audit date "
            f"{stored.settings.as_of.isoformat()}"
        )
    given = request.url or ""
    f = find_facts(stored.facts, stored.outcome, canonicalize(given) or given) or find_facts(
        stored.facts, stored.outcome, given
    )
    if f is None:
        raise DecisionError(f"{request.url} is not a page the checks of run {stored.run.id} considered")
    return f.key


async def _apply_to_later_runs(
    store: Store, decided: StoredRun, row: DecisionRow, current: Settings
) -> dict[str, tuple[dict[str, str], dict[str, str]]]:
    """The partner's runs after the one decided on that read the page with the same content: the
    decision applies to them as well, so their verdicts are judged again and stored."""
    changed: dict[str, tuple[dict[str, str], dict[str, str]]] = {}
    run = decided.run
    for other in await store.list_runs(run.applicant):
        same_partner = other.applicant_id == run.applicant_id and (run.applicant_id or other.home_url == run.home_url)
        if not same_partner or other.id == run.id or other.started_at <= run.started_at:
            continue
        if (await page_digests(store, other.id, [row.url or ""])).get(row.url or "") != row.content_digest:
            continue
        try:
            later = await load_run(store, other.id, current)
        except DecisionError:
            continue  # still crawling, or stored without what judging it needs
        old = {c.check_id: c.status for c in (await store.run_checks(other.id))[0]}
        _history, _standings, decisions = await applying(store, later.run)
        judgment = later.judge(decisions)
        await restate_verdicts(store, other.id, judgment.found, judgment.final)
        changed[other.id] = (old, {c: r.status for c, r in judgment.final.items()})
    return changed


async def decide(store: Store, request: DecisionRequest, current: Settings) -> Recorded:
    """Check a decision, judge the run again with it, and store both in one transaction. Nothing
    is stored when the decision is refused (DecisionError, RunNotFoundError)."""
    stored = await load_run(store, request.run_id, current)
    url = _check_request(request, stored)
    _history, _standings, decisions = await applying(store, stored.run)
    stored_checks, stored_items = await store.run_checks(stored.run.id)  # the answer as it stands
    before = {c.check_id: c.status for c in stored_checks}
    checks_of = [c for c in CHECK_IDS if any(e.check_id == c and e.url == url for e in stored_items)]
    row = DecisionRow(
        applicant_id=stored.run.applicant_id,
        home_url=stored.run.home_url,
        run_id=stored.run.id,
        url=url,
        check_id=request.check_id,
        checks=checks_of,
        decision=str(request.verdict) if request.check_id else ("accept" if request.accept else "reject"),
        facts=request.facts(),
        reason=request.reason.strip(),
        made_by=request.by,
        content_digest=stored.digests.get(url) if url else None,
    )
    judgment = stored.judge(decisions.replacing(as_rules(row)))
    await record_decision(store, row, judgment.found, judgment.final)
    after: dict[str, str] = {c: r.status for c, r in judgment.final.items()}
    later = await _apply_to_later_runs(store, stored, row, current) if url else {}
    hints = []
    f = stored.facts.get(url or "")
    undated = f is not None and f.published is None and request.published is None
    if undated and request.accept and "thought_leadership" in (f and f.kind, request.kind):
        hints.append("the item is still undated: give --published YYYY-MM-DD for it to count for 3.2")
    return Recorded(row, before, after, hints, later)
