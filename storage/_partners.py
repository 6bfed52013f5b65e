"""Partners, their schedules, crawl locks and pending alerts."""

from __future__ import annotations

import os
import socket
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlmodel import col, delete, func, select

from auditcrawl._exceptions import UsageError

from ._models import Alert, Applicant, CrawlLock, Run, Schedule, utcnow
from ._store import Store

__all__ = [
    "acquire_lock",
    "add_alert",
    "add_schedule",
    "due_schedules",
    "get_partner",
    "latest_run",
    "list_schedules",
    "pending_alerts",
    "record_delivery",
    "release_lock",
    "remove_schedule",
    "upsert_partner",
]

STALE_LOCK = timedelta(hours=6)  # a lock older than this belonged to a process that died


async def upsert_partner(
    store: Store,
    name: str,
    home_url: str,
    *,
    status: str | None = None,
    webhook: str | None = None,
    claims: dict[str, Any] | None = None,
) -> Applicant:
    async with store.session() as session:
        partner = (await session.exec(select(Applicant).where(func.lower(col(Applicant.name)) == name.lower()))).first()
        if partner is None:
            partner = Applicant(name=name, home_url=home_url)
        partner.home_url = home_url
        if status is not None:
            partner.status = status
        if webhook is not None:
            partner.webhook = webhook
        if claims is not None:
            partner.claims = claims
        session.add(partner)
        await session.commit()
        await session.refresh(partner)
        return partner


async def get_partner(store: Store, name: str) -> Applicant:
    async with store.session() as session:
        partner = (await session.exec(select(Applicant).where(func.lower(col(Applicant.name)) == name.lower()))).first()
    if partner is None:
        raise UsageError(f"no partner named {name!r} in this database")
    return partner


async def add_schedule(
    store: Store, partner: Applicant, every_seconds: int, options: dict[str, Any], every: str | None = None
) -> Schedule:
    """The partner's schedule (one a partner: adding again changes it), `every` the interval as given."""
    assert partner.id is not None
    async with store.session() as session:
        existing = (await session.exec(select(Schedule).where(Schedule.applicant_id == partner.id))).first()
        schedule = existing or Schedule(applicant_id=partner.id, every_seconds=every_seconds)
        schedule.every_seconds, schedule.options, schedule.every = every_seconds, options, every
        session.add(schedule)
        await session.commit()
        await session.refresh(schedule)
        return schedule


async def list_schedules(store: Store) -> Sequence[tuple[Schedule, Applicant]]:
    async with store.session() as session:
        rows = await session.exec(
            select(Schedule, Applicant).where(Schedule.applicant_id == Applicant.id).order_by(col(Schedule.id))
        )
        return list(rows.all())


async def remove_schedule(store: Store, schedule_id: int) -> None:
    async with store.session() as session:
        schedule = await session.get(Schedule, schedule_id)
        if schedule is None:
            raise UsageError(f"no schedule {schedule_id}")
        await session.delete(schedule)
        await session.commit()


async def latest_run(store: Store, applicant_id: int, *, finished_only: bool = True) -> Run | None:
    async with store.session() as session:
        query = select(Run).where(Run.applicant_id == applicant_id)
        if finished_only:
            query = query.where(col(Run.status).in_(("complete", "partial")))
        return (await session.exec(query.order_by(col(Run.started_at).desc()).limit(1))).first()


async def due_schedules(store: Store, now: datetime | None = None) -> list[tuple[Schedule, Applicant]]:
    """Schedules whose partner's last run (or the schedule itself) is older than the interval."""
    now = now or utcnow()
    due = []
    for schedule, partner in await list_schedules(store):
        assert partner.id is not None
        last = await latest_run(store, partner.id, finished_only=False)
        since = max(last.started_at, schedule.created_at) if last else schedule.created_at
        if since + timedelta(seconds=schedule.every_seconds) <= now:
            due.append((schedule, partner))
    return due


async def acquire_lock(store: Store, applicant_id: int) -> bool:
    """True when this process may crawl the partner now; False while another crawl runs."""
    holder = f"{socket.gethostname()}:{os.getpid()}"
    async with store.session() as session:
        await session.exec(
            delete(CrawlLock)
            .where(col(CrawlLock.applicant_id) == applicant_id)
            .where(col(CrawlLock.since) < utcnow() - STALE_LOCK)
        )
        await session.commit()
    try:
        async with store.session() as session:
            session.add(CrawlLock(applicant_id=applicant_id, holder=holder))
            await session.commit()
        return True
    except IntegrityError:
        return False


async def release_lock(store: Store, applicant_id: int) -> None:
    async with store.session() as session:
        await session.exec(delete(CrawlLock).where(col(CrawlLock.applicant_id) == applicant_id))
        await session.commit()


async def add_alert(store: Store, partner: Applicant, run_id: str, payload: dict[str, Any]) -> None:
    assert partner.id is not None and partner.webhook
    async with store.session() as session:
        session.add(Alert(applicant_id=partner.id, run_id=run_id, webhook=partner.webhook, payload=payload))
        await session.commit()


async def pending_alerts(store: Store) -> Sequence[Alert]:
    async with store.session() as session:
        return (
            await session.exec(select(Alert).where(col(Alert.delivered_at).is_(None)).order_by(col(Alert.id)))
        ).all()


async def record_delivery(store: Store, alert: Alert, error: str | None) -> None:
    async with store.session() as session:
        row = await session.get(Alert, alert.id)
        if row is None:
            return
        row.attempts += 1
        if error is None:
            row.delivered_at = utcnow()
        row.last_error = error
        session.add(row)
        await session.commit()
