"""The workspace's HTML pages: its templates rendered with what every page needs."""

from __future__ import annotations

from typing import Any

from starlette.responses import HTMLResponse

from auditcrawl.report import templates
from auditcrawl.rules import CHECK_IDS

__all__ = ["render_page"]


def render_page(template: str, context: dict[str, Any], status_code: int = 200) -> HTMLResponse:
    return HTMLResponse(templates().get_template(template).render(check_ids=CHECK_IDS, **context), status_code)
