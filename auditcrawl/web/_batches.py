"""Rosters uploaded to the workspace: the same round as `auditcrawl batch`, run in the server process,
with a page that shows each applicant's progress and offers the summary when the round ends.

The uploaded roster is kept in the data folder (batches/ID/), the reports beside it. Its runs are
normal runs: if the server stops mid-round, uploading the roster again finishes it."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from auditcrawl._exceptions import AuditcrawlError
from auditcrawl.batch import Roster, RowState, read_roster, run_batch, summary_bytes, summary_rows
from auditcrawl.settings import Settings
from auditcrawl.storage import Store

from ._pages import render_page
from ._security import read_form
from ._tasks import ServerTasks

__all__ = ["Batches", "batch_page", "batch_summary", "new_batch"]

log = logging.getLogger(__name__)

BATCH_FIELDS = ("as_of", "max_pages", "delay", "concurrency", "render")
_MEDIA = {
    "csv": "text/csv; charset=utf-8",
    "json": "application/json",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@dataclass
class BatchJob:
    id: str
    roster: Roster
    folder: Path
    states: dict[int, RowState] = field(default_factory=dict)  # by roster row number
    done: bool = False
    error: str | None = None

    def rows(self) -> list[RowState]:
        return [self.states.get(r.number) or RowState(r) for r in self.roster.rows]


class Batches:
    """The rounds this server runs, each as its own task."""

    def __init__(self, store: Store, settings_for: Callable[[dict[str, Any]], Settings], folder: Path) -> None:
        self.store, self.settings_for, self.folder = store, settings_for, folder
        self.jobs: dict[str, BatchJob] = {}
        self.tasks = ServerTasks()

    async def start(self, filename: str, data: bytes, flags: dict[str, Any]) -> str:
        """Keep the roster, check it whole, start the round; InputFileError (one line) for a bad roster."""
        settings = self.settings_for(flags)
        batch_id = uuid.uuid4().hex[:10]
        folder = self.folder / batch_id
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"roster{Path(filename).suffix.lower()}"
        path.write_bytes(data)
        try:
            roster = read_roster(path)
        except AuditcrawlError as exc:
            raise type(exc)(str(exc).replace(path.name, filename, 1)) from None
        job = self.jobs[batch_id] = BatchJob(batch_id, roster, folder)
        self.tasks.spawn(self._run(job, settings), name=f"batch {batch_id}")
        return batch_id

    async def _run(self, job: BatchJob, settings: Settings) -> None:
        def update(state: RowState) -> None:
            job.states[state.row.number] = state

        try:
            await run_batch(job.roster, settings, self.store, update=update, reports=job.folder / "reports")
        except AuditcrawlError as exc:
            job.error = str(exc)
        except Exception as exc:  # a round that breaks must say so on its page, not vanish
            log.exception("batch %s failed", job.id)
            job.error = f"internal error: {type(exc).__name__}: {exc}"
        finally:
            job.done = True

    async def stop(self) -> None:
        await self.tasks.stop()


async def new_batch(request: Request) -> Response:
    """GET: the upload form; POST: start the round and show its page."""
    batches: Batches = request.app.state.batches
    csrf = request.state.csrf
    if request.method == "GET":
        return render_page("new_batch.html.j2", {"title": "New batch", "csrf": csrf, "values": {}, "error": None})
    values, files = await read_form(request)
    flags: dict[str, Any] = {k: values[k] for k in BATCH_FIELDS if values.get(k)}
    if values.get("allow_private") in ("on", "1", "true"):
        flags["allow_private"] = True
    upload = files.get("roster")
    error = None if upload is not None else "choose the roster (CSV or XLSX) to upload"
    if upload is not None:
        try:
            batch_id = await batches.start(upload.filename or "roster", await upload.read(), flags)
            return RedirectResponse(f"/batches/{batch_id}", status_code=303)
        except AuditcrawlError as exc:
            error = str(exc)
    context = {"title": "New batch", "csrf": csrf, "values": values, "error": error}
    return render_page("new_batch.html.j2", context, 400)


def _job(request: Request) -> BatchJob:
    job = request.app.state.batches.jobs.get(request.path_params["batch_id"])
    if job is None:
        raise HTTPException(404, f"no batch {request.path_params['batch_id']!r} on this server")
    return job  # type: ignore[no-any-return]


async def batch_page(request: Request) -> Response:
    job = _job(request)
    rows = job.rows()
    finished = sum(1 for s in rows if s.finished is not None)
    title = f"Batch {job.id}: {job.roster.path.suffix[1:].upper()} roster of {len(rows)}"
    return render_page("batch.html.j2", {"title": title, "job": job, "rows": rows, "finished": finished})


async def batch_summary(request: Request) -> Response:
    job = _job(request)
    extension = request.path_params["extension"]
    if extension not in _MEDIA or not job.done:
        raise HTTPException(404, "the summary is ready when the round ends, as csv, xlsx or json")
    name = f"summary-{job.id}.{extension}"
    data = summary_bytes(Path(name), job.roster, summary_rows(job.roster, job.rows()))
    headers = {"Content-Disposition": f'attachment; filename="{name}"'}
    return Response(data, media_type=_MEDIA[extension], headers=headers)
