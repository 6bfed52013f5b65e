"""`auditcrawl scheduler`: APScheduler runs due rechecks, with its job store in the same database.

Schedules survive restarts (the jobs live in the database); a run missed while the
scheduler was down is caught up once (coalesce); one partner never has two crawls at once
(max_instances, and the crawl lock across processes); several partners run at once.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import signal
from datetime import UTC, timedelta
from pathlib import Path
from typing import Any

from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.interval import IntervalTrigger

from auditcrawl.storage import Applicant, Schedule, Store, list_schedules, sync_url

from .rechecks import recheck_partner
from .settings import load_settings

__all__ = ["JOB_PREFIX", "run_scheduled_job", "run_scheduler"]

log = logging.getLogger(__name__)

JOB_PREFIX = "schedule-"
RESYNC_SECONDS = 10.0  # how often schedules added or removed by other processes are picked up
STOP_GRACE_SECONDS = 20.0  # how long interrupted rechecks get to store what they fetched


async def run_scheduled_job(schedule_id: int, db_url: str, base_flags: dict[str, Any] | None = None) -> None:
    """The job APScheduler runs (by reference, so it survives restarts): one recheck.

    Settings: defaults < config file < environment < the scheduler's flags < the schedule's own options."""
    async with Store(db_url) as store:
        pairs = {s.id: (s, p) for s, p in await list_schedules(store)}
        if schedule_id not in pairs:
            log.info("schedule %s is gone: nothing to do", schedule_id)
            return
        schedule, partner = pairs[schedule_id]
        config = os.environ.get("AUDITCRAWL_CONFIG")
        flags = {**(base_flags or {}), **schedule.options, "db": db_url}
        settings = load_settings(Path(config) if config else None, os.environ, flags)
        outcome = await recheck_partner(store, partner, settings)
    if outcome.skipped:
        log.info("recheck of %s skipped: %s", partner.name, outcome.skipped)
    else:
        log.info(
            "recheck of %s: run %s %s, %d regression(s)",
            partner.name,
            outcome.run_id,
            outcome.run_status,
            len(outcome.regressions),
        )


def _trigger(schedule: Schedule) -> IntervalTrigger:
    return IntervalTrigger(seconds=schedule.every_seconds, start_date=schedule.created_at, timezone=UTC)


def sync_jobs(
    scheduler: AsyncIOScheduler, schedules: list[tuple[Schedule, Applicant]], db_url: str, base_flags: dict[str, Any]
) -> None:
    """Make the job store match the schedule table; a job that exists keeps its next run time."""
    wanted = {f"{JOB_PREFIX}{s.id}": (s, p) for s, p in schedules}
    for job in scheduler.get_jobs():
        if job.id.startswith(JOB_PREFIX) and job.id not in wanted:
            job.remove()
    for job_id, (schedule, partner) in wanted.items():
        job = scheduler.get_job(job_id)
        if job is None:
            scheduler.add_job(
                "auditcrawl.scheduler:run_scheduled_job",
                _trigger(schedule),
                id=job_id,
                name=partner.name,
                args=[schedule.id, db_url, base_flags],
            )
            log.info("scheduled %s every %s", partner.name, timedelta(seconds=schedule.every_seconds))
            continue
        if list(job.args) != [schedule.id, db_url, base_flags]:
            job.modify(args=[schedule.id, db_url, base_flags])
        if isinstance(job.trigger, IntervalTrigger) and job.trigger.interval.total_seconds() != schedule.every_seconds:
            job.reschedule(_trigger(schedule))


async def run_scheduler(
    db_url: str, base_flags: dict[str, Any] | None = None, stop: asyncio.Event | None = None
) -> None:
    stop = stop or asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    defaults: dict[str, Any] = {"coalesce": True, "max_instances": 1, "misfire_grace_time": None}
    scheduler = AsyncIOScheduler(
        jobstores={"default": SQLAlchemyJobStore(url=sync_url(db_url))}, job_defaults=defaults, timezone=UTC
    )
    async with Store(db_url) as store:
        scheduler.start()  # jobs already in the store run now if they were missed (once: coalesce)
        log.info("scheduler started on %s", db_url.split("@")[-1])
        try:
            while not stop.is_set():
                sync_jobs(scheduler, list(await list_schedules(store)), db_url, base_flags or {})
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(stop.wait(), RESYNC_SECONDS)
        finally:
            scheduler.shutdown(wait=False)
            # a recheck still running is interrupted: its run is marked partial, what it fetched is kept
            running = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
            for task in running:
                task.cancel()
            if running:
                await asyncio.wait(running, timeout=STOP_GRACE_SECONDS)
            log.info("scheduler stopped")
