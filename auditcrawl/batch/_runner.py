"""Auditing a roster: every applicant a normal run (stored, exportable, resumable), several at once.

Applicants on different sites are audited concurrently; the crawl concurrency is shared out
among them, so the round never has more requests in flight than one crawl with the same
setting, and each site keeps its own politeness. Applicants on one site wait for each other.
Running the same roster again finds its runs (they carry the roster's key): a finished run is
left alone, a killed one is finished, a row with none is audited.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from auditcrawl.crawler import Network, SiteScope
from auditcrawl.rules import CHECK_IDS
from auditcrawl.storage import Run, Store, build_export

from .._exceptions import AuditcrawlError
from ..pipeline import run_audit
from ..report import render_report, report_pdf
from ..resume import RESUMABLE, resume_audit
from ..settings import Settings
from ._roster import Roster, RosterRow

__all__ = ["RowState", "run_batch"]

log = logging.getLogger(__name__)


@dataclass
class RowState:
    """One applicant of the round, as the live display and the summary show it."""

    row: RosterRow
    state: str = "waiting"  # waiting | crawling | done | kept (finished before) | error
    run_id: str | None = None
    status: str | None = None  # the run's: complete | partial | failed
    pages: int = 0
    started: float | None = None
    finished: float | None = None
    checks: dict[str, str] = field(default_factory=dict)
    evidence: dict[str, int] = field(default_factory=dict)
    report: str | None = None
    error: str | None = None

    def elapsed(self, now: float) -> float:
        if self.started is None:
            return 0.0
        return (self.finished or now) - self.started


Update = Callable[[RowState], None]


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:40] or "applicant"


async def _earlier_run(store: Store, row: RosterRow, key: str) -> Run | None:
    """This roster's newest run for the row, if any (same applicant, same roster key)."""
    for run in await store.list_runs(row.applicant):
        if run.options.get("batch") == key:
            return run
    return None


def _site(url: str) -> str:
    """Which applicants share a site, and so its politeness: the registrable domain and the port."""
    return f"{SiteScope(url).domain}:{urlsplit(url).port or ''}"


class _Round:
    def __init__(
        self,
        roster: Roster,
        settings: Settings,
        store: Store,
        network: Network,
        update: Update,
        reports: Path | None,
        pdf: bool,
    ) -> None:
        self.roster, self.settings, self.store, self.network = roster, settings, store, network
        self.update, self.reports, self.pdf = update, reports, pdf
        self.states = [RowState(row) for row in roster.rows]
        groups: dict[str, list[RowState]] = {}
        for state in self.states:
            groups.setdefault(_site(state.row.home_url), []).append(state)
        self.groups = list(groups.values())
        concurrency = settings.crawl.concurrency
        self.parallel = max(1, min(len(self.groups), concurrency))
        self.each = max(1, concurrency // self.parallel)

    def settings_for(self, row: RosterRow) -> Settings:
        crawl = dataclasses.replace(self.settings.crawl, concurrency=self.each)
        audit = dataclasses.replace(self.settings.audit, as_of=row.as_of or self.settings.audit.as_of)
        return dataclasses.replace(self.settings, crawl=crawl, audit=audit)

    async def audit(self, state: RowState) -> None:
        row, key = state.row, self.roster.key(self.settings.audit.as_of)

        def progress(fetched: int, _queued: int, _url: str) -> None:
            state.pages = fetched
            self.update(state)

        earlier = await _earlier_run(self.store, row, key)
        state.started = time.monotonic()
        if earlier is not None and earlier.status not in RESUMABLE:
            state.state = "kept"
            state.run_id = earlier.id
        else:
            state.state = "crawling"
            self.update(state)
            if earlier is not None and not earlier.options.get("claims_given"):
                report = await resume_audit(
                    earlier.id, self.settings_for(row), self.store, network=self.network, on_progress=progress
                )
            else:  # no run yet (or a killed one with claims, which are not stored: audited anew)
                report = await run_audit(
                    row.home_url,
                    self.settings_for(row),
                    self.store,
                    applicant=row.applicant,
                    network=self.network,
                    on_progress=progress,
                    claims=row.claims,
                    tags={"batch": key, "roster_row": row.number},
                )
            state.state, state.run_id = "done", report.run_id
        await self.settle(state)

    async def settle(self, state: RowState) -> None:
        assert state.run_id is not None
        document = await build_export(self.store, state.run_id)
        state.status = document["run"]["status"]
        state.pages = document["run"]["pages_fetched"]
        state.checks = {c: document["checks"][c]["status"] for c in CHECK_IDS}
        state.evidence = {c: len(document["checks"][c]["evidence"]) for c in CHECK_IDS}
        if self.reports is not None:
            base = self.reports / f"{_slug(state.row.applicant)}-{state.run_id}"
            target = base.with_suffix(".pdf" if self.pdf else ".html")
            if self.pdf:
                target.write_bytes(await report_pdf(document, self.settings.crawl.browser_path))
            else:
                target.write_text(render_report(document), encoding="utf-8")
            state.report = str(target)
        state.finished = time.monotonic()
        self.update(state)

    async def group(self, states: list[RowState], slots: asyncio.Semaphore) -> None:
        for state in states:  # applicants on one site, one after another
            async with slots:
                try:
                    await self.audit(state)
                except AuditcrawlError as exc:
                    state.state, state.error, state.finished = "error", str(exc), time.monotonic()
                    log.warning("%s: %s", state.row.applicant, exc)
                    self.update(state)


async def run_batch(
    roster: Roster,
    settings: Settings,
    store: Store,
    *,
    network: Network = Network(),
    update: Update = lambda state: None,
    reports: Path | None = None,
    pdf: bool = False,
) -> list[RowState]:
    """Audit every applicant of the roster (see the module); their states, in roster order.
    `reports`: the folder each applicant's report is written to (PDF with `pdf`)."""
    round_ = _Round(roster, settings, store, network, update, reports, pdf)
    if reports is not None:
        reports.mkdir(parents=True, exist_ok=True)
    slots = asyncio.Semaphore(round_.parallel)
    for state in round_.states:
        update(state)
    await asyncio.gather(*(round_.group(states, slots) for states in round_.groups))
    return round_.states
