"""The workspace's guard: an access token (a bearer header for tools, a session cookie for
browsers), a CSRF token on every form, and response headers that keep pages inert."""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import secrets
from collections.abc import Awaitable, Callable

from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException
from starlette.middleware.base import BaseHTTPMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.types import ASGIApp

__all__ = ["CSRF_COOKIE", "SESSION_COOKIE", "Guard", "csrf_ok", "is_loopback", "read_form", "session_value"]

SESSION_COOKIE = "auditcrawl_session"
CSRF_COOKIE = "auditcrawl_csrf"
# Pages hold text read from partner sites: no script runs, nothing loads from elsewhere.
CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; form-action 'self'; "
    "frame-ancestors 'none'; base-uri 'none'"
)
OPEN_PATHS = frozenset({"/login"})


def is_loopback(host: str) -> bool:
    """Whether a bind address is reachable from this machine only."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def session_value(token: str) -> str:
    """The session cookie's value: derived from the token, so the cookie never holds the token itself."""
    return hmac.new(token.encode(), b"auditcrawl workspace session", hashlib.sha256).hexdigest()


def csrf_ok(request: Request, submitted: str | None) -> bool:
    """A form's CSRF token matches the cookie set with the form (double submit)."""
    expected = request.cookies.get(CSRF_COOKIE, "")
    return bool(expected) and submitted is not None and secrets.compare_digest(expected, submitted)


class Guard(BaseHTTPMiddleware):
    """Every response carries the security headers; every browser gets a CSRF token (a cookie,
    and `request.state.csrf` for forms); with an access token, every page and API call needs it.

    A request that changes something must be one a foreign page cannot forge: it carries the
    bearer token, or it is JSON (browsers send JSON across sites only after a CORS check this
    server never passes), or it carries the CSRF token of this browser in its form or header."""

    def __init__(self, app: ASGIApp, token: str | None) -> None:
        super().__init__(app)
        self.token = token

    async def dispatch(self, request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        known = request.cookies.get(CSRF_COOKIE)
        request.state.csrf = known or secrets.token_urlsafe(24)
        response = await self._authorised(request, call_next)
        if known is None:
            response.set_cookie(CSRF_COOKIE, request.state.csrf, httponly=True, samesite="strict")
        response.headers["Content-Security-Policy"] = CSP
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "no-referrer"
        response.headers["X-Frame-Options"] = "DENY"
        return response

    async def _authorised(self, request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        bearer = request.headers.get("authorization", "")
        if self.token is not None and bearer.startswith("Bearer "):
            if secrets.compare_digest(bearer[7:].encode(), self.token.encode()):
                return await call_next(request)
            return JSONResponse({"error": "wrong access token"}, status_code=401)
        signed_in = self.token is None or secrets.compare_digest(
            request.cookies.get(SESSION_COOKIE, ""), session_value(self.token)
        )
        if not signed_in and request.url.path not in OPEN_PATHS:
            if request.url.path.startswith("/api/"):
                return JSONResponse({"error": "this workspace needs its access token (Authorization: Bearer …)"}, 401)
            return RedirectResponse("/login", status_code=303)
        if request.method not in ("GET", "HEAD") and not await _unforgeable(request):
            return JSONResponse({"error": "missing or wrong CSRF token"}, status_code=403)
        return await call_next(request)


FORM_TYPES = frozenset({"application/x-www-form-urlencoded", "multipart/form-data"})


async def _unforgeable(request: Request) -> bool:
    """JSON, or this browser's CSRF token in a header; a form's token is checked where the form is
    read (the endpoint's `read_form`), since a middleware that reads the body takes it from the endpoint."""
    kind = request.headers.get("content-type", "").split(";")[0].strip()
    return kind == "application/json" or kind in FORM_TYPES or csrf_ok(request, request.headers.get("x-csrf-token"))


async def read_form(request: Request) -> tuple[dict[str, str], dict[str, UploadFile]]:
    """A posted form's fields and files, after checking its CSRF token (HTTP 403 when wrong).
    Every endpoint that takes a form reads it through here."""
    form = await request.form()
    submitted = form.get("csrf")
    if not csrf_ok(request, submitted if isinstance(submitted, str) else None):
        raise HTTPException(403, "missing or wrong CSRF token")
    fields = {k: v for k, v in form.items() if isinstance(v, str)}
    files = {k: v for k, v in form.items() if isinstance(v, UploadFile) and v.filename}
    return fields, files
