"""The web workspace: partners, their history, each run's report, and a JSON API, over the
same database as the command line."""

from __future__ import annotations

import contextlib
import secrets
from collections.abc import AsyncIterator
from typing import Any
from urllib.parse import parse_qs, urlencode

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from auditcrawl._exceptions import RunNotFoundError
from auditcrawl.overview import partner_rows, run_rows
from auditcrawl.report import render_report, templates
from auditcrawl.rules import CHECK_IDS
from auditcrawl.storage import Store, build_export, validate_export

from ._openapi import OPENAPI
from ._security import CSRF_COOKIE, SESSION_COOKIE, Guard, csrf_ok, session_value

__all__ = ["create_app"]

CHECK_FILTERS = [
    (f"{c}:{s}", f"{c} {s.replace('_', ' ')}") for c in CHECK_IDS for s in ("met", "not_met", "needs_review")
]


def _store(request: Request) -> Store:
    store: Store = request.app.state.store
    return store


def _page(template: str, context: dict[str, Any], status_code: int = 200) -> HTMLResponse:
    return HTMLResponse(templates().get_template(template).render(check_ids=CHECK_IDS, **context), status_code)


def _filtered(rows: list[dict[str, Any]], q: str, status: str, check: str, sort: str) -> list[dict[str, Any]]:
    if q:
        rows = [r for r in rows if q.lower() in f"{r['applicant']} {r['home_url']}".lower()]
    if status:
        rows = [r for r in rows if r["status"] == status]
    if ":" in check:
        check_id, verdict = check.split(":", 1)
        rows = [r for r in rows if r["checks"].get(check_id) == verdict]
    if sort == "last_audit":
        rows = sorted(rows, key=lambda r: str(r["last_audit"]), reverse=True)
    return rows


async def partners(request: Request) -> Response:
    params = {k: request.query_params.get(k, "") for k in ("q", "status", "check", "sort")}
    rows = _filtered(await partner_rows(_store(request)), **params)

    def query(**changes: str) -> str:
        return urlencode({**{k: v for k, v in params.items() if v}, **changes})

    context = {"title": "Partners", "rows": rows, "check_filters": CHECK_FILTERS, "query": query, **params}
    return _page("partners.html.j2", context)


async def history(request: Request) -> Response:
    name = request.path_params["name"]
    runs = await run_rows(_store(request), name)
    if not runs:
        raise HTTPException(404, f"no runs for {name!r}")
    return _page("history.html.j2", {"title": f"{runs[0]['applicant']}: runs", "runs": runs})


async def run_page(request: Request) -> Response:
    document = await build_export(_store(request), request.path_params["run_id"])
    return HTMLResponse(render_report(document, workspace=True))


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
    token: str | None = request.app.state.token
    if token is None:
        return RedirectResponse("/", status_code=303)
    if request.method == "GET":
        # One token per browser: a second GET (the favicon, redirected here) must not replace the form's.
        csrf = request.cookies.get(CSRF_COOKIE) or secrets.token_urlsafe(24)
        form_page = _page("login.html.j2", {"title": "Sign in", "csrf": csrf, "error": None})
        form_page.set_cookie(CSRF_COOKIE, csrf, httponly=True, samesite="strict")
        return form_page
    form = {k: v[0] for k, v in parse_qs((await request.body()).decode("utf-8", "replace")).items()}
    if not csrf_ok(request, form.get("csrf")):
        return JSONResponse({"error": "missing or wrong CSRF token"}, status_code=403)
    if not secrets.compare_digest(form.get("token", "").encode(), token.encode()):
        again = {"title": "Sign in", "csrf": request.cookies[CSRF_COOKIE], "error": "Wrong token."}
        return _page("login.html.j2", again, 401)
    response = RedirectResponse("/", status_code=303)
    response.set_cookie(SESSION_COOKIE, session_value(token), httponly=True, samesite="strict")
    return response


async def _not_found(request: Request, exc: Exception) -> Response:
    message = str(exc.detail) if isinstance(exc, HTTPException) else str(exc)
    if request.url.path.startswith("/api/"):
        return JSONResponse({"error": message}, status_code=404)
    return _page("workspace.html.j2", {"title": f"Not found: {message}"}, 404)


def create_app(db_url: str, token: str | None = None) -> Starlette:
    """The workspace over one database; with a token, every page and API call needs it."""

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        async with Store(db_url) as store:
            app.state.store = store
            yield

    routes = [
        Route("/", partners),
        Route("/partners/{name}", history),
        Route("/runs/{run_id}", run_page),
        Route("/api/runs", api_runs),
        Route("/api/runs/{run_id}", api_run),
        Route("/api/partners", api_partners),
        Route("/api/openapi.json", openapi),
        Route("/login", login, methods=["GET", "POST"]),
    ]
    app = Starlette(
        routes=routes,
        lifespan=lifespan,
        middleware=[Middleware(Guard, token=token)],
        exception_handlers={RunNotFoundError: _not_found, 404: _not_found},
    )
    app.state.token = token
    return app
