"""The workspace's side of the auditor's decisions: who decides, the forms on a run's page, and the
list of partners with items waiting for a decision. Decisions go through the same `decide` as
the command line, so both store the same rows."""

from __future__ import annotations

from datetime import date
from typing import Any
from urllib.parse import quote, unquote

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from auditcrawl._exceptions import DecisionError
from auditcrawl.overview import partner_rows
from auditcrawl.report import render_report
from auditcrawl.review import DecisionRequest, decide
from auditcrawl.rules import CHECK_IDS, KINDS
from auditcrawl.storage import Store, build_export

from ._pages import render_page
from ._security import read_form

__all__ = [
    "AUDITOR_COOKIE",
    "auditor_cookie",
    "auditor_of",
    "decide_page",
    "render_run",
    "review_page",
    "sign_in_name",
]

AUDITOR_COOKIE = "auditcrawl_auditor"


def auditor_cookie(name: str) -> str:
    return quote(name, safe="")


def auditor_of(request: Request) -> str | None:
    """The auditor's name: from the trusted proxy's header when the server was told one (--user-header),
    else as given at sign-in."""
    header: str | None = request.app.state.user_header
    if header:
        return request.headers.get(header, "").strip() or None
    raw = request.cookies.get(AUDITOR_COOKIE)
    return unquote(raw).strip() or None if raw else None


async def render_run(request: Request, run_id: str, error: str | None = None) -> HTMLResponse:
    """A run's report in the workspace, with decision forms for the auditor."""
    store: Store = request.app.state.store
    document = await build_export(store, run_id)
    decide_with = {"csrf": request.state.csrf, "auditor": auditor_of(request), "kinds": KINDS, "error": error}
    html = render_report(document, workspace=True, decide=decide_with)
    return HTMLResponse(html, status_code=400 if error else 200)


def _request(run_id: str, form: dict[str, str], auditor: str) -> DecisionRequest:
    decision = form.get("decision", "")
    check = form.get("check") or None
    published: date | None = None
    if form.get("published"):
        try:
            published = date.fromisoformat(form["published"])
        except ValueError:
            raise DecisionError(f"published {form['published']!r} is not a date YYYY-MM-DD") from None
    if check is None and decision not in ("accept", "reject"):
        raise DecisionError("a decision on a page accepts or rejects it")
    return DecisionRequest(
        run_id=run_id,
        reason=form.get("reason", ""),
        by=auditor,
        url=form.get("url") or None,
        accept=None if check else decision == "accept",
        published=published,
        on_aws=form.get("on_aws") == "yes",
        kind=form.get("kind") or None,
        industrial={"yes": True, "no": False}.get(form.get("industrial", "")),
        check_id=check,
        verdict=decision if check else None,
    )


async def decide_page(request: Request) -> Response:
    """POST /runs/{run_id}/decisions: record one decision from the run page's forms."""
    form, _ = await read_form(request)  # checks the CSRF token
    run_id = request.path_params["run_id"]
    auditor = auditor_of(request)
    if auditor is None:
        raise HTTPException(403, "sign in with your name to record decisions")
    try:
        recorded = await decide(request.app.state.store, _request(run_id, form, auditor), request.app.state.settings)
    except DecisionError as exc:
        return await render_run(request, run_id, error=str(exc))
    d = recorded.decision
    anchor = d.check_id or (d.checks[0] if d.checks else CHECK_IDS[0])
    return RedirectResponse(f"/runs/{d.run_id}#check-{anchor}", status_code=303)


async def review_page(request: Request) -> Response:
    """GET /review: partners whose latest run has items waiting for a decision, longest waiting first."""
    rows = [r for r in await partner_rows(request.app.state.store) if r.get("open")]
    rows.sort(key=lambda r: str(r["finished_at"]))
    return render_page("review.html.j2", {"title": "To review", "rows": rows})


def sign_in_name(form: dict[str, Any]) -> str | None:
    """The name given at sign-in: one line, not empty, at most 100 characters."""
    name = " ".join(str(form.get("name", "")).split())
    return name[:100] or None
