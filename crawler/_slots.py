"""Per-host politeness: a minimum gap between two request starts to one host."""

from __future__ import annotations

import asyncio

__all__ = ["HostSlot", "SlotTable"]


class HostSlot:
    def __init__(self) -> None:
        self._lock = asyncio.Lock()
        self._next_at = 0.0
        self.delay = 0.0  # raised by robots.txt Crawl-delay once known

    async def wait(self, delay: float) -> None:
        """Return when a request to this host may start, reserving the next start."""
        loop = asyncio.get_running_loop()
        gap = max(delay, self.delay)
        async with self._lock:
            now = loop.time()
            if now < self._next_at:
                await asyncio.sleep(self._next_at - now)
            self._next_at = loop.time() + gap


class SlotTable:
    def __init__(self) -> None:
        self._slots: dict[str, HostSlot] = {}

    def get(self, host: str) -> HostSlot:
        slot = self._slots.get(host)
        if slot is None:
            slot = self._slots[host] = HostSlot()
        return slot
