"""Regression alerts: a JSON payload posted to the partner's webhook, retried, kept until delivered."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import httpx

from auditcrawl.storage import Store, pending_alerts, record_delivery

__all__ = ["ATTEMPTS_PER_RUN", "deliver_pending"]

log = logging.getLogger(__name__)

ATTEMPTS_PER_RUN = 3
BACKOFF = 0.5


async def _post(client: httpx.AsyncClient, url: str, payload: dict[str, Any]) -> str | None:
    error = None
    for attempt in range(ATTEMPTS_PER_RUN):
        try:
            response = await client.post(url, json=payload)
            if response.status_code < 300:
                return None
            error = f"HTTP {response.status_code}"
        except httpx.HTTPError as exc:
            error = f"{type(exc).__name__}: {exc}"[:300]
        await asyncio.sleep(BACKOFF * 2**attempt)
    return error


async def deliver_pending(store: Store, user_agent: str) -> tuple[int, int]:
    """Post every undelivered alert (this run's and earlier runs' failures). Returns (delivered, failed)."""
    delivered = failed = 0
    async with httpx.AsyncClient(timeout=10, headers={"User-Agent": user_agent}, trust_env=False) as client:
        for alert in await pending_alerts(store):
            error = await _post(client, alert.webhook, alert.payload)
            await record_delivery(store, alert, error)
            if error is None:
                delivered += 1
                log.info("alert for run %s delivered to %s", alert.run_id, alert.webhook)
            else:
                failed += 1
                log.warning(
                    "alert for run %s not delivered to %s (%s); it is kept for the next run",
                    alert.run_id,
                    alert.webhook,
                    error,
                )
    return delivered, failed
