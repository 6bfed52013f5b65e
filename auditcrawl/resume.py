"""Taking up a run whose process died (SIGKILL, power cut, OOM): `auditcrawl crawl --resume RUN_ID`.

The stored pages count as fetched and their links are queued again; responses the run had
archived (WARC) but not yet stored are handled from the archive; the crawl then carries on
under the same run id with the settings the run started with, so the verdicts are the ones
an uninterrupted crawl gives.
"""

from __future__ import annotations

import logging
import os
from datetime import UTC, datetime

from auditcrawl.crawler import CrawledPage, Network, ResumePoint, StoredPage, read_archive
from auditcrawl.rules import PageFacts
from auditcrawl.storage import Run, Store, page_facts

from ._exceptions import ResumeError
from .pipeline import AuditReport, ProgressHandler, archive_path, audit_run, this_process
from .settings import Settings

__all__ = ["RESUMABLE", "resume_audit"]

log = logging.getLogger(__name__)

RESUMABLE = ("running", "partial")


def _still_running(run: Run) -> bool:
    process = run.options.get("process") or {}
    pid = process.get("pid")
    if process.get("host") != this_process()["host"] or not isinstance(pid, int):
        return False  # another machine's run: its owner knows whether it died
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return pid != os.getpid()


async def resume_audit(
    run_id: str,
    settings: Settings,
    store: Store,
    *,
    network: Network = Network(),
    on_progress: ProgressHandler | None = None,
) -> AuditReport:
    run = await store.get_run(run_id)
    if run.status not in RESUMABLE:
        raise ResumeError(f"run {run.id} is {run.status}: only a crawl that was killed or interrupted can be resumed")
    if run.status == "running" and _still_running(run):
        raise ResumeError(f"run {run.id} is still crawling (process {run.options['process']['pid']})")
    if run.options.get("claims_given"):
        raise ResumeError(
            f"run {run.id} was started with claims, which are not stored: start a new crawl with the claims file"
        )
    if run.status == "partial" and (await store.run_checks(run.id))[0]:
        raise ResumeError(
            f"run {run.id} finished with verdicts (partial: a limit was hit); start a new crawl with higher limits"
        )
    settings = settings.as_started(run.options, run.as_of)
    facts: list[PageFacts] = []
    pages: list[StoredPage] = []
    home: CrawledPage | None = None
    for row in await store.run_pages(run.id):
        f = page_facts(row)
        facts.append(f)
        pages.append(
            StoredPage(row.url, row.final_url, row.depth, row.offsite, f.robots_blocked, f.nofollow, f.error, f.status)
        )
        if row.source == "seed":
            home = CrawledPage(**f.fetch_fields())
    edges = await store.run_links(run.id)
    warc = archive_path(settings.storage.db, run.id)
    archive = read_archive(warc)
    if archive.truncated:
        # The process died while writing a record: cut it off, or every reader would stop there.
        os.truncate(warc, archive.complete_bytes)
    stored = {p.url for p in pages} | {p.final_url for p in pages}
    archived = [r for url, r in archive.results.items() if url not in stored]
    log.info("resuming run %s: %d pages stored, %d more in the archive", run.id, len(pages), len(archived))
    resumed = [*run.options.get("resumed", []), datetime.now(UTC).isoformat(timespec="seconds")]
    run = await store.reopen_run(run.id, {"process": this_process(), "resumed": resumed})
    point = ResumePoint(pages=pages, edges=edges, archived=archived, redirects=archive.redirects, home=home)
    return await audit_run(
        run,
        settings,
        store,
        network=network,
        on_progress=on_progress,
        resume_from=point,
        stored_facts=facts,
    )
