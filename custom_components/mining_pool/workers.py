"""Worker devices: whether each worker mines, when each was last listed, and which were deleted.

What the tracker remembers is stored, so that a restart neither brings back a worker the user
deleted nor restarts the countdown of a worker that left the pool.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Final, TypedDict

from homeassistant.core import HomeAssistant
from homeassistant.helpers.storage import Store
from homeassistant.util import dt as dt_util

from .api import MAX_WORKERS, Worker
from .const import DOMAIN

STORAGE_VERSION: Final = 1
# Listing times change at every refresh; writing them once a minute at most is plenty.
SAVE_DELAY: Final = 60


@dataclass(frozen=True, slots=True)
class WorkerView:
    """A worker as its entities show it: the pool's data and whether it mines now."""

    worker: Worker
    online: bool


class _Stored(TypedDict):
    last_seen: dict[str, str]
    deleted: dict[str, str]


class WorkerTracker:
    """Remembers, per account, when each worker was last listed and which ones were deleted."""

    def __init__(self, hass: HomeAssistant, entry_id: str) -> None:
        """Use a store of its own for this entry."""
        self._store: Store[_Stored] = Store(hass, STORAGE_VERSION, f"{DOMAIN}.{entry_id}.workers")
        self.last_seen: dict[str, datetime] = {}
        self.deleted: dict[str, datetime] = {}

    async def async_load(self) -> None:
        """Read what was stored; unreadable times are dropped."""
        stored = await self._store.async_load()
        if stored is None:
            return
        self.last_seen = _times(stored.get("last_seen", {}))
        self.deleted = _times(stored.get("deleted", {}))

    async def async_flush(self) -> None:
        """Write what is pending now, instead of after the save delay."""
        await self._store.async_save(self._data())

    async def async_remove(self) -> None:
        """Delete the store (the entry is being removed)."""
        await self._store.async_remove()

    def _schedule_save(self) -> None:
        self._store.async_delay_save(self._data, SAVE_DELAY)

    def _data(self) -> _Stored:
        return {
            "last_seen": {name: when.isoformat() for name, when in self.last_seen.items()},
            "deleted": {name: when.isoformat() for name, when in self.deleted.items()},
        }

    def listed(
        self, names: Iterable[str], now: datetime, *, limit: int | None = None
    ) -> tuple[set[str], bool]:
        """Record that the pool lists these workers now; return those that keep a device.

        Workers already tracked keep theirs. New ones join, in name order, while fewer than
        ``MAX_WORKERS`` are tracked, at most ``limit`` of them at a time. The second value
        tells whether the cap (not the limit) turned a worker away.
        """
        kept: set[str] = set()
        new: list[str] = []
        for name in names:
            if name in self.last_seen:
                self.last_seen[name] = now
                kept.add(name)
            else:
                new.append(name)
        room = max(0, MAX_WORKERS - len(self.last_seen))
        for name in sorted(new)[: room if limit is None else min(room, limit)]:
            self.last_seen[name] = now
            kept.add(name)
        self._schedule_save()
        return kept, len(new) > room

    def known(self, names: Iterable[str], now: datetime) -> None:
        """Start the countdown of workers that have devices but no listing time yet."""
        for name in names:
            self.last_seen.setdefault(name, now)
        self._schedule_save()

    def stale(self, now: datetime, keep_for: timedelta) -> list[str]:
        """The workers last listed longer ago than ``keep_for``; they are forgotten."""
        gone = [name for name, when in self.last_seen.items() if now - when > keep_for]
        for name in gone:
            del self.last_seen[name]
            self.deleted.pop(name, None)
        if gone:
            self._schedule_save()
        return gone

    def delete(self, name: str, now: datetime) -> None:
        """The user deleted the worker's device: keep it hidden until it mines again."""
        self.deleted[name] = now
        self._schedule_save()

    def is_hidden(self, name: str, *, online: bool) -> bool:
        """Whether a deleted worker stays hidden; one that mines again comes back."""
        if name not in self.deleted:
            return False
        if online:
            del self.deleted[name]
            self._schedule_save()
            return False
        return True


def _times(stored: dict[str, str]) -> dict[str, datetime]:
    times = {}
    for name, text in stored.items():
        when = dt_util.parse_datetime(text)
        if when is not None:
            times[name] = when
    return times


def worker_device_id(entry_unique_id: str, worker: str) -> str:
    """The device identifier of a worker of an account."""
    return f"{entry_unique_id}_worker_{worker}"


def worker_of_device(entry_unique_id: str, identifier: str) -> str | None:
    """The worker name a device identifier stands for, or None for the account's device."""
    prefix = f"{entry_unique_id}_worker_"
    return identifier.removeprefix(prefix) if identifier.startswith(prefix) else None
