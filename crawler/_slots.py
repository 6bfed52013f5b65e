"""Per-host politeness: a minimum gap between two request starts to one host."""

from __future__ import annotations

import asyncio

from ._clock import Clock, LoopClock

__all__ = ["HostSlot", "SlotTable"]


class HostSlot:
    def __init__(self, clock: Clock) -> None:
        self._clock = clock
        self._lock = asyncio.Lock()
        self._next_at = float("-inf")
        self.delay = 0.0  # raised by robots.txt Crawl-delay once known

    async def wait(self, delay: float) -> None:
        """Return when a request to this host may start, reserving the next start."""
        gap = max(delay, self.delay)
        async with self._lock:
            now = self._clock.now()
            if now < self._next_at:
                await self._clock.sleep(self._next_at - now)
            self._next_at = self._clock.now() + gap


class SlotTable:
    def __init__(self, clock: Clock | None = None) -> None:
        self._clock = clock or LoopClock()
        self._slots: dict[str, HostSlot] = {}

    def get(self, host: str) -> HostSlot:
        slot = self._slots.get(host)
        if slot is None:
            slot = self._slots[host] = HostSlot(self._clock)
        return slot
