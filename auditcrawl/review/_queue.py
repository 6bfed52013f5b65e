"""The review queue of a run: what only an auditor can settle, the items that would change a verdict first.

An item is a candidate the tool could not settle (undated, of uncertain kind, on no named cloud), a
page decided on before whose content has changed since, or a check left undecided for a reason no
page decision settles (unread pages, an unreachable home page): that one takes a verdict on the check.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from datetime import timedelta
from typing import Any

from auditcrawl.rules import CHECK_IDS, CheckResult, Decisions, PageDecision
from auditcrawl.storage import CheckRow, EvidenceRow, Store

from ..settings import Settings
from ._judged import StoredRun, applying, load_run

__all__ = ["ReviewItem", "open_items", "review_queue"]

SIMULATED = 40  # items whose effect on the verdicts is tried out; the rest are listed after them


@dataclass
class ReviewItem:
    check_id: str
    url: str | None  # None: the check itself needs a verdict
    title: str | None
    why: list[str]
    status: str  # the check's status now
    changes_verdict: bool = False
    changed_since: str | None = None  # "changed since decided on DATE by NAME"
    would: list[str] = field(default_factory=list)  # "accept: 3.2 needs_review -> met"

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def open_items(checks: Sequence[CheckRow], evidence: Sequence[EvidenceRow]) -> int:
    """How many items of a stored run wait for a decision (without judging it again)."""
    waiting = {(e.check_id, e.url) for e in evidence if not e.counted and e.extra.get("to_confirm")}
    undecided = [c for c in checks if c.status == "needs_review" and not any(k == c.check_id for k, _ in waiting)]
    return len(waiting) + len(undecided)


def _effects(stored: StoredRun, decisions: Decisions, base: dict[str, CheckResult], url: str) -> list[str]:
    """What accepting or rejecting the item would do to the verdicts (an undated one accepted with a date)."""
    f = stored.facts.get(url)
    out = []
    for accepted in (True, False):
        published = stored.settings.as_of - timedelta(days=1) if accepted and f and f.published is None else None
        trial = PageDecision(url, accepted, "trial", stored.settings.as_of, "trial", published=published)
        final = stored.judge(decisions.replacing(trial)).final
        for check_id in CHECK_IDS:
            if final[check_id].status != base[check_id].status:
                verb = "accept with a date in the window" if published else ("accept" if accepted else "reject")
                out.append(f"{verb}: {check_id} {base[check_id].status} -> {final[check_id].status}")
    return out


async def review_queue(store: Store, run_id: str, current: Settings) -> tuple[StoredRun, list[ReviewItem]]:
    stored = await load_run(store, run_id, current)
    history, standings, decisions = await applying(store, stored.run)
    final = stored.judge(decisions).final
    items: list[ReviewItem] = []
    listed: set[tuple[str, str]] = set()
    changed = {d.url: standings[d.id].why_not for d in history if d.id and d.url and standings[d.id].changed}
    for check_id in CHECK_IDS:
        result = final[check_id]
        for e in result.rejected + result.evidence:
            if not (e.extra.get("to_confirm") or e.url in changed) or (check_id, e.url) in listed:
                continue
            listed.add((check_id, e.url))
            items.append(ReviewItem(check_id, e.url, e.title, e.reasons[:3], result.status, False, changed.get(e.url)))
        if result.status == "needs_review" and not any(i.check_id == check_id for i in items):
            why = [*result.reasons[:4], f"no page decision settles it: decide the check (--check {check_id})"]
            items.append(ReviewItem(check_id, None, result.summary, why, result.status, True))
    for item in items[:SIMULATED]:
        if item.url is not None:
            item.would = _effects(stored, decisions, final, item.url)
            item.changes_verdict = bool(item.would)
    items.sort(key=lambda i: (not i.changes_verdict, CHECK_IDS.index(i.check_id), i.url or ""))
    return stored, items
