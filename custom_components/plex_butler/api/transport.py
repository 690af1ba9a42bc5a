"""How the client talks to a server over time: reconnect backoff, one request for a burst.

Plain Python without Home Assistant.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine, Hashable
from datetime import datetime, timedelta
import random
from typing import Any

type Starter = Callable[[Coroutine[Any, Any, Any], str], asyncio.Future[Any]]


class ReconnectBackoff:
    """Exponential backoff with jitter, reset by a connection that lasted `stable`.

    The delay doubles after each failure, up to a maximum. A connection that opens and fails at
    once (a proxy that closes it, a frame too large or garbled) must not reset it, or the client
    would reconnect every few seconds for ever.
    """

    def __init__(self, minimum: float, maximum: float, stable: timedelta) -> None:
        """Start at `minimum` seconds."""
        self._minimum = minimum
        self._maximum = maximum
        self._stable = stable
        self._delay = minimum
        self._connected_at: datetime | None = None

    def connected(self, now: datetime) -> None:
        """Note that a connection opened."""
        self._connected_at = now

    def next_delay(self, now: datetime) -> float:
        """Return the seconds to wait before the next attempt, after one ended at `now`."""
        if self._connected_at is not None and now - self._connected_at >= self._stable:
            self._delay = self._minimum
        self._connected_at = None
        delay = self._delay * random.uniform(0.8, 1.2)  # noqa: S311 - jitter, not cryptography
        self._delay = min(self._delay * 2, self._maximum)
        return delay


class SingleFlight:
    """Carries out one action per key at a time: who asks while it runs shares its outcome.

    A thousand presses of the same button in a burst send one request. The action runs as a
    task of its own, shielded from the callers: one of them giving up does not cancel it for
    the others.
    """

    def __init__(self, start: Starter) -> None:
        """Run actions as tasks made by `start(coroutine, name)`."""
        self._start = start
        self._pending: dict[Hashable, asyncio.Future[Any]] = {}

    async def run[ResultT](
        self, key: Hashable, action: Callable[[], Coroutine[Any, Any, ResultT]]
    ) -> ResultT:
        """Run `action`, or join the run of the same key already on its way."""
        pending = self._pending.get(key)
        if pending is None:
            pending = self._start(action(), str(key))
            if not pending.done():
                self._pending[key] = pending
                pending.add_done_callback(lambda _: self._pending.pop(key, None))
        result: ResultT = await asyncio.shield(pending)
        return result
