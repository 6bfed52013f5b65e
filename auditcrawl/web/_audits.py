"""Audits started from the workspace: each crawls in the server process as its own task (not in
the browser's request), reports its progress, and holds the partner's crawl lock while it runs."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from auditcrawl._exceptions import AuditcrawlError
from auditcrawl.pipeline import audit_run, new_run
from auditcrawl.rules import Claims
from auditcrawl.settings import Settings
from auditcrawl.storage import Store, acquire_lock, release_lock, upsert_partner

from ._tasks import ServerTasks

__all__ = ["Audits", "Progress"]

log = logging.getLogger(__name__)


@dataclass
class Progress:
    run_id: str
    pages_fetched: int = 0
    queued: int = 0
    url: str = ""
    done: bool = False
    error: str | None = None

    def as_dict(self) -> dict[str, Any]:
        state = "failed" if self.error else "finished" if self.done else "running"
        return {
            "run_id": self.run_id,
            "state": state,
            "pages_fetched": self.pages_fetched,
            "queued": self.queued,
            "url": self.url,
            "error": self.error,
        }


class Audits:
    """The crawls this server runs. Several at once; one at a time per partner (the crawl lock,
    shared with rechecks in other processes)."""

    def __init__(self, store: Store, settings_for: Callable[[dict[str, Any]], Settings]) -> None:
        self.store, self.settings_for = store, settings_for
        self.progress: dict[str, Progress] = {}
        self.tasks = ServerTasks()

    async def start(
        self, home_url: str, applicant: str | None, flags: dict[str, Any], claims: Claims | None = None
    ) -> str:
        """Create the run and start its crawl; raises AuditcrawlError (one line) for bad input."""
        settings = self.settings_for(flags)
        partner_id: int | None = None
        if applicant:
            partner = await upsert_partner(self.store, applicant, home_url)
            assert partner.id is not None
            if not await acquire_lock(self.store, partner.id):
                raise AuditcrawlError(f"{applicant} is being audited already: wait for that crawl to finish")
            partner_id = partner.id
        try:
            run = await new_run(home_url, settings, self.store, applicant=applicant, claims_given=claims is not None)
        except BaseException:
            if partner_id is not None:
                await release_lock(self.store, partner_id)
            raise
        progress = self.progress[run.id] = Progress(run.id)
        crawl = self._crawl(run.id, settings, progress, partner_id, claims)
        self.tasks.spawn(crawl, name=f"audit {run.id}")
        return run.id

    async def _crawl(
        self, run_id: str, settings: Settings, progress: Progress, partner_id: int | None, claims: Claims | None
    ) -> None:
        def update(fetched: int, queued: int, url: str) -> None:
            progress.pages_fetched, progress.queued, progress.url = fetched, queued, url

        try:
            run = await self.store.get_run(run_id)
            report = await audit_run(run, settings, self.store, on_progress=update, claims=claims)
            progress.pages_fetched = report.outcome.pages_fetched
        except asyncio.CancelledError:
            progress.error = "the server stopped: the run is partial and can be resumed (crawl --resume)"
            raise
        except Exception as exc:  # the run is marked failed in storage with the reason (audit_run)
            log.exception("audit %s failed", run_id)
            progress.error = f"{type(exc).__name__}: {exc}"
        finally:
            progress.done = True
            if partner_id is not None:
                with contextlib.suppress(Exception):
                    await asyncio.shield(release_lock(self.store, partner_id))

    def running(self, run_id: str) -> bool:
        progress = self.progress.get(run_id)
        return progress is not None and not progress.done

    async def stop(self) -> None:
        """Server shutdown: running crawls stop as Ctrl-C stops them (their runs are marked partial)."""
        await self.tasks.stop()
