"""The web workspace: partners, their history, each run's report, and a JSON API, over the
same database as the command line."""

from __future__ import annotations

import asyncio
import contextlib
import secrets
import shutil
import tempfile
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from starlette.applications import Starlette
from starlette.background import BackgroundTask
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from auditcrawl._exceptions import AuditcrawlError, InputFileError, RunNotFoundError
from auditcrawl.bundle import write_evidence_bundle
from auditcrawl.claims import parse_claims
from auditcrawl.overview import partner_rows, run_rows, schedule_rows
from auditcrawl.pipeline import validate_url
from auditcrawl.rechecks import parse_every, schedule_recheck
from auditcrawl.report import render_report, report_pdf_or_why, screenshot_files
from auditcrawl.rules import CHECK_IDS, diff_runs
from auditcrawl.screenshots import data_folder
from auditcrawl.settings import Settings, load_settings
from auditcrawl.storage import Store, build_export, remove_schedule, validate_export
from auditcrawl.wacz import write_wacz

from ._audits import Audits
from ._batches import Batches, batch_page, batch_summary, new_batch
from ._decisions import AUDITOR_COOKIE, auditor_cookie, decide_page, render_run, review_page, sign_in_name
from ._openapi import OPENAPI
from ._pages import render_page
from ._security import SESSION_COOKIE, Guard, read_form, session_value

__all__ = ["create_app"]

COLOURS = {"met": "#1a7f37", "needs_review": "#bf8700", "not_met": "#cf222e"}
CHECK_FILTERS = [
    (f"{c}:{s}", f"{c} {s.replace('_', ' ')}") for c in CHECK_IDS for s in ("met", "not_met", "needs_review")
]


def _store(request: Request) -> Store:
    store: Store = request.app.state.store
    return store


def _filtered(rows: list[dict[str, Any]], q: str, status: str, check: str, sort: str) -> list[dict[str, Any]]:
    if q:
        rows = [r for r in rows if q.lower() in f"{r['applicant']} {r['home_url']}".lower()]
    if status:
        rows = [r for r in rows if r["status"] == status]
    if ":" in check:
        check_id, verdict = check.split(":", 1)
        rows = [r for r in rows if r["checks"].get(check_id) == verdict]
    if sort == "last_audit":
        rows = sorted(rows, key=lambda r: str(r["last_audit"] or ""), reverse=True)
    return rows


async def partners(request: Request) -> Response:
    params = {k: request.query_params.get(k, "") for k in ("q", "status", "check", "sort")}
    rows = _filtered(await partner_rows(_store(request)), **params)

    def query(**changes: str) -> str:
        return urlencode({**{k: v for k, v in params.items() if v}, **changes})

    context = {"title": "Partners", "rows": rows, "check_filters": CHECK_FILTERS, "query": query, **params}
    return render_page("partners.html.j2", context)


async def history(request: Request) -> Response:
    name = request.path_params["name"]
    runs = await run_rows(_store(request), name)
    if not runs:
        raise HTTPException(404, f"no runs for {name!r}")
    context = {"title": f"{runs[0]['applicant']}: runs", "runs": runs, "chart": runs[::-1], "colours": COLOURS}
    return render_page("history.html.j2", context)


async def diff(request: Request) -> Response:
    """The same comparison as `auditcrawl diff RUN_A RUN_B`."""
    store = _store(request)
    before = await build_export(store, request.query_params.get("from", ""))
    after = await build_export(store, request.query_params.get("to", ""))
    result = diff_runs(before, after)
    return render_page(
        "diff.html.j2", {"title": f"Changes: {after['run']['applicant'] or after['run']['home_url']}", "result": result}
    )


async def schedules(request: Request) -> Response:
    audits: Audits = request.app.state.audits
    values: dict[str, Any] = {}
    errors: dict[str, str] = {}
    if request.method == "POST":
        values, _ = await read_form(request)
        flags, errors = _audit_request(values, audits)
        for name, check in (("every", parse_every), ("webhook", validate_url)):
            if values.get(name):
                try:
                    check(values[name])
                except AuditcrawlError as exc:
                    errors[name] = str(exc)
        if not values.get("every"):
            errors["every"] = "give an interval, like 30d"
        if not values.get("applicant"):
            errors["applicant"] = "give the partner's name"
        if not errors:
            await schedule_recheck(
                _store(request),
                values["applicant"],
                validate_url(values["home_url"]),
                parse_every(values["every"]),
                every=values["every"].strip(),
                webhook=values.get("webhook") or None,
                options=flags,
            )
            return RedirectResponse("/schedules", status_code=303)
    rows = await schedule_rows(_store(request))
    for row in rows:
        row["options_text"] = row["flags"] or "defaults"
    context = {
        "title": "Scheduled rechecks",
        "rows": rows,
        "csrf": request.state.csrf,
        "values": values,
        "errors": errors,
    }
    return render_page("schedules.html.j2", context, 400 if errors else 200)


async def remove_schedule_page(request: Request) -> Response:
    await read_form(request)  # checks the CSRF token
    try:
        await remove_schedule(_store(request), int(request.path_params["schedule_id"]))
    except (AuditcrawlError, ValueError) as exc:
        raise HTTPException(404, str(exc)) from None
    return RedirectResponse("/schedules", status_code=303)


async def run_page(request: Request) -> Response:
    run_id = request.path_params["run_id"]
    audits: Audits = request.app.state.audits
    if audits.running(run_id):  # refreshes itself (no script) until the crawl ends, then shows the report
        progress = audits.progress[run_id]
        return render_page("progress.html.j2", {"title": f"Auditing: run {run_id}", "progress": progress})
    return await render_run(request, run_id)


async def run_bundle(request: Request) -> Response:
    """The evidence bundle (as `auditcrawl bundle`), written to a temporary file and sent."""
    document = await build_export(_store(request), request.path_params["run_id"])
    folder = Path(tempfile.mkdtemp(prefix="auditcrawl-bundle-"))
    target = folder / f"auditcrawl-{document['run']['id']}.zip"
    pdf = await report_pdf_or_why(document, request.app.state.settings.crawl.browser_path)
    await asyncio.to_thread(
        write_evidence_bundle, document, lambda source: render_report(document, replay_source=source), target, pdf=pdf
    )
    return FileResponse(
        target, media_type="application/zip", filename=target.name, background=BackgroundTask(shutil.rmtree, folder)
    )


async def run_wacz(request: Request) -> Response:
    """The run's WACZ package (as `auditcrawl bundle --wacz`), for ReplayWeb.page."""
    document = await build_export(_store(request), request.path_params["run_id"])
    folder = Path(tempfile.mkdtemp(prefix="auditcrawl-wacz-"))
    target = folder / f"{document['run']['id']}.wacz"
    try:
        await asyncio.to_thread(write_wacz, document, target)
    except InputFileError as exc:
        shutil.rmtree(folder)
        raise HTTPException(404, str(exc)) from None
    return FileResponse(
        target,
        media_type="application/wacz+zip",
        filename=target.name,
        background=BackgroundTask(shutil.rmtree, folder),
    )


async def run_screenshot(request: Request) -> Response:
    """A screenshot the run's export names (only those: no other file of the data folder is served)."""
    document = await build_export(_store(request), request.path_params["run_id"])
    files = screenshot_files(document)
    number = int(request.path_params["number"])
    if number >= len(files) or not Path(files[number][1]).is_file():
        raise HTTPException(404, "no such screenshot on this machine")
    return FileResponse(files[number][1], media_type="image/png")


async def api_runs(request: Request) -> Response:
    return JSONResponse(await run_rows(_store(request), request.query_params.get("applicant")))


async def api_run(request: Request) -> Response:
    document = await build_export(_store(request), request.path_params["run_id"])
    validate_export(document)
    return JSONResponse(document)


async def api_partners(request: Request) -> Response:
    return JSONResponse(await partner_rows(_store(request)))


async def openapi(request: Request) -> Response:
    return JSONResponse(OPENAPI)


async def login(request: Request) -> Response:
    """Sign in: the auditor's name (for the decisions they record; unless a trusted proxy names them)
    and, when the workspace has one, its access token."""
    token: str | None = request.app.state.token
    ask_name = not request.app.state.user_header
    if token is None and not ask_name:
        return RedirectResponse("/", status_code=303)
    target = request.query_params.get("next", "/")
    target = target if target.startswith("/") and not target.startswith("//") else "/"

    def form_page(error: str | None, status_code: int = 200) -> Response:
        context = {"title": "Sign in", "csrf": request.state.csrf, "error": error, "ask_name": ask_name}
        return render_page("login.html.j2", {**context, "ask_token": token is not None, "next": target}, status_code)

    if request.method == "GET":
        return form_page(None)
    form, _ = await read_form(request)
    if token is not None and not secrets.compare_digest(form.get("token", "").encode(), token.encode()):
        return form_page("Wrong token.", 401)
    name = sign_in_name(form)
    if ask_name and name is None:
        return form_page("Give your name: it is recorded with your decisions.", 400)
    response = RedirectResponse(target, status_code=303)
    if token is not None:
        response.set_cookie(SESSION_COOKIE, session_value(token), httponly=True, samesite="strict")
    if name is not None:
        response.set_cookie(AUDITOR_COOKIE, auditor_cookie(name), httponly=True, samesite="strict")
    return response


AUDIT_FIELDS = ("as_of", "max_pages", "delay", "concurrency", "render")


def _audit_request(values: dict[str, Any], audits: Audits) -> tuple[dict[str, Any], dict[str, str]]:
    """The flags of a new audit, and an error message per field (checked as the CLI checks them)."""
    flags: dict[str, Any] = {k: values[k] for k in AUDIT_FIELDS if values.get(k) not in (None, "")}
    if values.get("allow_private") in (True, "on", "1", "true"):
        flags["allow_private"] = True
    errors: dict[str, str] = {}
    try:
        validate_url(str(values.get("home_url") or ""))
    except AuditcrawlError as exc:
        errors["home_url"] = str(exc)
    for name, value in flags.items():
        try:
            audits.settings_for({name: value})
        except AuditcrawlError as exc:
            errors[name] = str(exc)
    return flags, errors


async def new_audit(request: Request) -> Response:
    audits: Audits = request.app.state.audits
    if request.method == "GET":
        context = {"title": "New audit", "csrf": request.state.csrf, "values": {}, "errors": {}}
        return render_page("new_audit.html.j2", context)
    values, files = await read_form(request)
    flags, errors = _audit_request(values, audits)
    claims = None
    if "claims" in files and "home_url" not in errors:
        upload = files["claims"]
        try:
            text = (await upload.read()).decode("utf-8")
            claims = parse_claims(text, upload.filename or "claims", validate_url(values["home_url"]))
        except UnicodeDecodeError:
            errors["claims"] = f"{upload.filename}: not UTF-8 text"
        except AuditcrawlError as exc:
            errors["claims"] = str(exc)
    if not errors:
        try:
            run_id = await audits.start(values["home_url"], values.get("applicant") or None, flags, claims)
            return RedirectResponse(f"/runs/{run_id}", status_code=303)
        except AuditcrawlError as exc:
            errors["form"] = str(exc)
    context = {"title": "New audit", "csrf": request.state.csrf, "values": values, "errors": errors}
    return render_page("new_audit.html.j2", context, 400)


async def api_new_audit(request: Request) -> Response:
    audits: Audits = request.app.state.audits
    try:
        values = await request.json()
    except ValueError:
        return JSONResponse({"error": "the body is not JSON"}, status_code=400)
    if not isinstance(values, dict):
        return JSONResponse({"error": "the body must be a JSON object"}, status_code=400)
    flags, errors = _audit_request(values, audits)
    if errors:
        return JSONResponse({"error": "; ".join(errors.values()), "fields": errors}, status_code=400)
    try:
        run_id = await audits.start(str(values["home_url"]), values.get("applicant") or None, flags)
    except AuditcrawlError as exc:
        return JSONResponse({"error": str(exc)}, status_code=409)
    return JSONResponse({"run_id": run_id, "events": f"/api/runs/{run_id}/events"}, status_code=202)


async def run_events(request: Request) -> Response:
    run_id = request.path_params["run_id"]
    progress = request.app.state.audits.progress.get(run_id)
    if progress is not None:
        return JSONResponse(progress.as_dict())
    run = await _store(request).get_run(run_id)
    state = "running" if run.status == "running" else "finished"
    return JSONResponse({"run_id": run.id, "state": state, "status": run.status, "pages_fetched": run.pages_fetched})


async def _not_found(request: Request, exc: Exception) -> Response:
    message = str(exc.detail) if isinstance(exc, HTTPException) else str(exc)
    if request.url.path.startswith("/api/"):
        return JSONResponse({"error": message}, status_code=404)
    return render_page("workspace.html.j2", {"title": f"Not found: {message}"}, 404)


async def _forbidden(request: Request, exc: Exception) -> Response:
    return JSONResponse({"error": str(exc.detail) if isinstance(exc, HTTPException) else str(exc)}, status_code=403)


def create_app(
    db_url: str,
    token: str | None = None,
    settings_for: Callable[[dict[str, Any]], Settings] | None = None,
    *,
    user_header: str | None = None,
) -> Starlette:
    """The workspace over one database; with a token, every page and API call needs it.
    `settings_for` makes a new audit's settings from its form's flags (default: the defaults);
    `user_header` names the header a trusted reverse proxy sets to the signed-in auditor's name."""

    def defaults_with(flags: dict[str, Any]) -> Settings:
        return load_settings(None, {}, {**flags, "db": db_url})

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        async with Store(db_url) as store:
            app.state.store = store
            app.state.audits = Audits(store, settings_for or defaults_with)
            app.state.batches = Batches(store, settings_for or defaults_with, data_folder(db_url) / "batches")
            app.state.settings = (settings_for or defaults_with)({})
            try:
                yield
            finally:
                await app.state.batches.stop()
                await app.state.audits.stop()

    routes = [
        Route("/", partners),
        Route("/partners/{name:path}", history),  # a partner's name may hold a slash
        Route("/runs/{run_id}", run_page),
        Route("/runs/{run_id}/decisions", decide_page, methods=["POST"]),
        Route("/review", review_page),
        Route("/batches/new", new_batch, methods=["GET", "POST"]),
        Route("/batches/{batch_id}", batch_page),
        Route("/batches/{batch_id}/summary.{extension}", batch_summary),
        Route("/runs/{run_id}/bundle.zip", run_bundle),
        Route("/runs/{run_id}/run.wacz", run_wacz),
        Route("/runs/{run_id}/screenshots/{number:int}", run_screenshot),
        Route("/api/runs", api_runs),
        Route("/api/runs/{run_id}", api_run),
        Route("/api/partners", api_partners),
        Route("/api/openapi.json", openapi),
        Route("/login", login, methods=["GET", "POST"]),
        Route("/audits/new", new_audit, methods=["GET", "POST"]),
        Route("/api/audits", api_new_audit, methods=["POST"]),
        Route("/api/runs/{run_id}/events", run_events),
        Route("/diff", diff),
        Route("/schedules", schedules, methods=["GET", "POST"]),
        Route("/schedules/{schedule_id}/remove", remove_schedule_page, methods=["POST"]),
    ]
    app = Starlette(
        routes=routes,
        lifespan=lifespan,
        middleware=[Middleware(Guard, token=token)],
        exception_handlers={RunNotFoundError: _not_found, 404: _not_found, 403: _forbidden},
    )
    app.state.token, app.state.user_header = token, user_header
    return app
