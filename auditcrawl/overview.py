"""What the audit team looks at first: stored runs and partners as rows, newest first.
Shared by the command line (`runs`, `history`) and the web workspace."""

from __future__ import annotations

import math
import shlex
from datetime import UTC, datetime, timedelta
from typing import Any

from auditcrawl.rules import CHECK_IDS, THOUGHT_LEADERSHIP
from auditcrawl.storage import Schedule, Store, list_schedules

from .review import open_items

__all__ = ["INTERVAL_UNITS", "every_text", "options_as_flags", "partner_rows", "run_rows", "schedule_rows"]

INTERVAL_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}  # of `--every 30d`


async def run_rows(store: Store, applicant: str | None) -> list[dict[str, Any]]:
    """Runs newest first, each with its three verdicts."""
    rows = []
    for run in await store.list_runs(applicant):
        checks, _ = await store.run_checks(run.id)
        rows.append(
            {
                "id": run.id,
                "applicant": run.applicant,
                "home_url": run.home_url,
                "as_of": run.as_of.isoformat(),
                "started_at": run.started_at.isoformat(timespec="seconds"),
                "status": run.status,
                "pages_fetched": run.pages_fetched,
                "checks": {c.check_id: c.status for c in checks},
            }
        )
    return rows


def _next_recheck(schedule: Schedule, now: datetime | None = None) -> datetime:
    """The schedule's next run: its start plus the first whole number of intervals after now."""
    now = now or datetime.now(UTC)
    intervals = max(1, math.ceil((now - schedule.created_at) / timedelta(seconds=schedule.every_seconds)))
    return schedule.created_at + intervals * timedelta(seconds=schedule.every_seconds)


async def partner_rows(store: Store) -> list[dict[str, Any]]:
    """Every applicant and partner (by the name its runs carry) with its latest finished run's
    verdicts, the checks that regressed since the run before, 3.2's lapse date, and its schedule."""
    schedules = {p.name.lower(): (s, p) for s, p in await list_schedules(store)}
    by_name: dict[str, list[Any]] = {}
    for run in await store.list_runs():  # newest first
        if run.applicant and run.status != "running":
            by_name.setdefault(run.applicant.lower(), []).append(run)
    rows = []
    for key, runs in by_name.items():
        latest, previous = runs[0], runs[1] if len(runs) > 1 else None
        checks, evidence = await store.run_checks(latest.id)
        status = {c.check_id: c.status for c in checks}
        extra = next((c.extra or {} for c in checks if c.check_id == THOUGHT_LEADERSHIP), {})
        before: dict[str, str] = {}
        if previous is not None:
            before = {c.check_id: c.status for c in (await store.run_checks(previous.id))[0]}
        schedule = schedules.get(key)
        rows.append(
            {
                "applicant": latest.applicant,
                "home_url": latest.home_url,
                "status": schedule[1].status if schedule else "applicant",
                "last_run": latest.id,
                "last_audit": latest.as_of.isoformat(),
                "runs": len(runs),
                "checks": {c: status.get(c, "-") for c in CHECK_IDS},
                "regressions": [c for c in CHECK_IDS if before.get(c) == "met" and status.get(c) != "met"],
                "lapses_on": extra.get("lapses_on"),
                "open": open_items(checks, evidence),  # items waiting for the auditor's decision
                "finished_at": (latest.finished_at or latest.started_at).isoformat(),
                "expiring": bool(extra.get("expiring")),
                "every_seconds": schedule[0].every_seconds if schedule else None,
                "next_recheck": _next_recheck(schedule[0]).isoformat(timespec="minutes") if schedule else None,
            }
        )
    for key, (plan, partner) in schedules.items():  # approved, and not audited yet
        if key not in by_name:
            rows.append(
                {
                    "applicant": partner.name,
                    "home_url": partner.home_url,
                    "status": partner.status,
                    "last_run": None,
                    "last_audit": None,
                    "runs": 0,
                    "checks": dict.fromkeys(CHECK_IDS, "-"),
                    "regressions": [],
                    "lapses_on": None,
                    "expiring": False,
                    "every_seconds": plan.every_seconds,
                    "next_recheck": _next_recheck(plan).isoformat(timespec="minutes"),
                }
            )
    return sorted(rows, key=lambda r: str(r["applicant"]).lower())


def every_text(seconds: int) -> str:
    """An interval in its largest whole unit: 2592000 -> '30d' (for schedules stored before the text was)."""
    for unit, size in sorted(INTERVAL_UNITS.items(), key=lambda item: -item[1]):
        if seconds % size == 0:
            return f"{seconds // size}{unit}"
    return f"{seconds}s"


def options_as_flags(options: dict[str, Any]) -> str:
    """Crawl options as the command line takes them: {"delay": 0.5, "allow_private": True} gives
    '--delay 0.5 --allow-private'."""
    flags = []
    for name, value in options.items():
        flag = "--" + name.replace("_", "-")
        if value is True:
            flags.append(flag)
        elif value is not False and value is not None:
            flags.append(f"{flag} {shlex.quote(str(value))}")
    return " ".join(flags)


async def schedule_rows(store: Store) -> list[dict[str, Any]]:
    """Every schedule with its partner and the crawl options it was added with."""
    return [
        {
            "id": s.id,
            "applicant": p.name,
            "home_url": p.home_url,
            "every_seconds": s.every_seconds,
            "every": s.every or every_text(s.every_seconds),
            "webhook": p.webhook,
            "options": s.options,
            "flags": options_as_flags(s.options),
            "status": p.status,
            "created_at": s.created_at.isoformat(),
        }
        for s, p in await list_schedules(store)
    ]
