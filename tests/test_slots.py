"""Per-host politeness slots, on a driven clock: the gap between two request starts to one host."""

from __future__ import annotations

import asyncio
import itertools

import pytest

from auditcrawl.crawler._slots import SlotTable

from .factories import DrivenClock


@pytest.mark.parametrize(
    ("delay", "crawl_delay", "requests", "pauses"),
    [
        (0.0, 0.0, 3, []),  # no delay: nobody waits
        (1.0, 0.0, 3, [1.0, 1.0]),  # the first request starts at once
        (1.0, 2.5, 3, [2.5, 2.5]),  # a larger Crawl-delay wins
        (3.0, 2.5, 2, [3.0]),  # a smaller one does not
    ],
)
async def test_requests_to_one_host_start_a_gap_apart(
    delay: float, crawl_delay: float, requests: int, pauses: list[float]
) -> None:
    clock = DrivenClock()
    slot = SlotTable(clock).get("p.com")
    slot.delay = crawl_delay
    starts = []
    for _ in range(requests):
        await slot.wait(delay)
        starts.append(clock.now())
    assert clock.pauses == pauses
    assert all(b - a >= max(delay, crawl_delay) for a, b in itertools.pairwise(starts))


async def test_concurrent_requests_queue_and_other_hosts_do_not_wait() -> None:
    clock = DrivenClock()
    table = SlotTable(clock)
    starts: dict[str, list[float]] = {"a.com": [], "b.com": []}

    async def request(host: str) -> None:
        await table.get(host).wait(0.5)
        starts[host].append(clock.now())

    await asyncio.gather(*(request("a.com") for _ in range(3)), request("b.com"))
    assert starts["a.com"] == [0.0, 0.5, 1.0]
    assert len(starts["b.com"]) == 1 and table.get("b.com") is not table.get("a.com")
