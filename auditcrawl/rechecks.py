"""Rechecks of approved partners: crawl again (conditionally), compare, alert on regressions."""

from __future__ import annotations

import dataclasses
import logging
import re
from dataclasses import dataclass, field
from typing import Any

from auditcrawl.crawler import Network
from auditcrawl.rules import Claims, diff_runs
from auditcrawl.storage import (
    Applicant,
    Store,
    acquire_lock,
    add_alert,
    add_schedule,
    build_export,
    latest_run,
    load_previous,
    release_lock,
    upsert_partner,
)

from ._exceptions import UsageError
from .alerts import deliver_pending
from .overview import INTERVAL_UNITS
from .pipeline import run_audit
from .settings import Settings

__all__ = [
    "REGRESSION_EXIT_CODE",
    "RecheckOutcome",
    "parse_every",
    "recheck_partner",
    "schedule_recheck",
]


log = logging.getLogger(__name__)

REGRESSION_EXIT_CODE = 3


@dataclass
class RecheckOutcome:
    partner: str
    run_id: str | None = None
    skipped: str | None = None  # why no crawl happened (another crawl of the partner runs)
    run_status: str | None = None
    diff: dict[str, Any] | None = None
    regressions: list[dict[str, Any]] = field(default_factory=list)
    alerts: tuple[int, int] = (0, 0)  # delivered, failed


def alert_payload(partner: Applicant, document: dict[str, Any], diff: dict[str, Any]) -> dict[str, Any]:
    return {
        "event": "regression",
        "partner": partner.name,
        "home_url": partner.home_url,
        "run_id": document["run"]["id"],
        "previous_run_id": diff["from_run"],
        "as_of": document["run"]["as_of"],
        "checks": {check_id: check["status"] for check_id, check in document["checks"].items()},
        "regressions": [{k: c[k] for k in ("check", "from", "to", "reasons")} for c in diff["regressions"]],
    }


async def recheck_partner(
    store: Store,
    partner: Applicant,
    settings: Settings,
    *,
    network: Network = Network(),
) -> RecheckOutcome:
    """One recheck: never two crawls of a partner at once; unchanged pages cost a 304."""
    assert partner.id is not None
    outcome = RecheckOutcome(partner.name)
    if not await acquire_lock(store, partner.id):
        outcome.skipped = "another crawl of this partner is running"
        return outcome
    try:
        before = await latest_run(store, partner.id)
        previous = await load_previous(store, before.id) if before is not None else None
        claims = Claims(**partner.claims) if partner.claims else None
        report = await run_audit(
            partner.home_url,
            settings,
            store,
            applicant=partner.name,
            network=network,
            claims=claims,
            previous=previous,
        )
        outcome.run_id, outcome.run_status = report.run_id, report.status
        after_doc = await build_export(store, report.run_id)
        if before is not None:
            outcome.diff = diff_runs(await build_export(store, before.id), after_doc)
            outcome.regressions = outcome.diff["regressions"]
        if report.status == "failed":
            log.warning("recheck of %s failed: %s", partner.name, "; ".join(report.notes[:2]))
        if outcome.regressions:
            log.warning(
                "%s regressed: %s",
                partner.name,
                ", ".join(f"{c['check']} {c['from']}→{c['to']}" for c in outcome.regressions),
            )
            if partner.webhook and outcome.diff is not None:
                await add_alert(store, partner, report.run_id, alert_payload(partner, after_doc, outcome.diff))
    finally:
        await release_lock(store, partner.id)
    outcome.alerts = await deliver_pending(store, settings.crawl.user_agent)
    return outcome


def parse_every(text: str) -> int:
    """'30d', '12h', '90m', '45s', '2w' -> seconds."""
    m = re.fullmatch(r"\s*(\d+)\s*([smhdw])\s*", text.lower())
    if m is None or int(m.group(1)) == 0:
        raise UsageError(f"--every: expected a number and a unit (s, m, h, d, w), like 30d; got {text!r}")
    return int(m.group(1)) * INTERVAL_UNITS[m.group(2)]


async def schedule_recheck(
    store: Store,
    applicant: str,
    home_url: str,
    every_seconds: int,
    *,
    every: str | None = None,
    webhook: str | None = None,
    options: dict[str, Any] | None = None,
    claims: Claims | None = None,
) -> int:
    """Approve a partner and recheck it every interval with these crawl options (a partner has one
    schedule: adding again changes it). Returns the schedule's id."""
    claimed = dataclasses.asdict(claims) if claims else None
    partner = await upsert_partner(store, applicant, home_url, status="approved", webhook=webhook, claims=claimed)
    schedule = await add_schedule(store, partner, every_seconds, options or {}, every=every)
    assert schedule.id is not None
    return schedule.id
