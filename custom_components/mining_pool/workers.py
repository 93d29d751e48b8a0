"""Worker devices: who each worker is, whether it mines, when it was last listed, if deleted.

A worker is the pool's stable id where the pool has one, else its name. Its device and entities
carry structured identifiers (``<account>:worker:<key>``) in which the key's text is quoted, so
that no account or worker name can forge another's.

What the tracker remembers is stored, so that a restart neither brings back a worker the user
deleted nor restarts the countdown of a worker that left the pool.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Final, NamedTuple, NotRequired, TypedDict
from urllib.parse import quote

from homeassistant.core import HomeAssistant
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers import entity_registry as er
from homeassistant.helpers.storage import Store
from homeassistant.util import dt as dt_util

from .api import MAX_WORKERS, AccountSnapshot, Capability, PoolAccount, Worker, WorkerCounts
from .const import DOMAIN, LOGGER, MAX_NEW_WORKERS_PER_REFRESH

STORAGE_VERSION: Final = 1
# Listing times change at every refresh; writing them once a minute at most is plenty.
SAVE_DELAY: Final = 60
# 0.1.0 stored its workers by name under this key; 2.1 moves them to ``STORAGE_KEY``.
LEGACY_STORAGE_KEY: Final = "{domain}.{entry_id}.workers"
STORAGE_KEY: Final = "{domain}.{entry_id}.worker_keys"
SEPARATOR: Final = ":"
BY_ID: Final = "id"
BY_NAME: Final = "name"


def _part(text: str) -> str:
    """Text inside an identifier: every character that could separate parts is quoted."""
    return quote(text, safe="")


def worker_device_name(account: str, label: str) -> str:
    """The name of a worker's device: its account's, then its own.

    Workers of two accounts often share names ("worker-1"), and new entity ids are made from
    the device's name.
    """
    return f"{account} {label}"


def name_key(name: str) -> str:
    """The key of a worker known by its name only."""
    return f"{BY_NAME}{SEPARATOR}{_part(name)}"


def worker_key(worker: Worker, *, by_id: bool) -> str:
    """Who a worker is: the pool's stable id where it gives one (``by_id``), else its name."""
    if by_id and worker.worker_id:
        return f"{BY_ID}{SEPARATOR}{_part(worker.worker_id)}"
    return name_key(worker.name)


def account_unique_id(entry_unique_id: str, key: str) -> str:
    """The unique id of an entity of the account itself."""
    return f"{entry_unique_id}{SEPARATOR}{key}"


def worker_device_id(entry_unique_id: str, key: str) -> str:
    """The device identifier of the worker ``key`` of an account."""
    return f"{entry_unique_id}{SEPARATOR}worker{SEPARATOR}{key}"


def worker_unique_id(entry_unique_id: str, key: str, entity_key: str) -> str:
    """The unique id of an entity of a worker."""
    return f"{worker_device_id(entry_unique_id, key)}{SEPARATOR}{entity_key}"


def worker_of_device(entry_unique_id: str, identifier: str) -> str | None:
    """The worker key a device identifier of this account stands for; None for any other."""
    prefix = worker_device_id(entry_unique_id, "")
    if not identifier.startswith(prefix):
        return None
    kind, separator, text = identifier.removeprefix(prefix).partition(SEPARATOR)
    if kind not in (BY_ID, BY_NAME) or not separator or SEPARATOR in text:
        return None
    return f"{kind}{SEPARATOR}{text}"


@dataclass(frozen=True, slots=True)
class WorkerView:
    """A worker as its entities show it: the pool's data, whether it mines, and its label.

    ``label`` is the worker's name, followed by the pool's id where another worker of the
    account has the same name.
    """

    worker: Worker
    online: bool
    label: str


class _Stored(TypedDict):
    last_seen: dict[str, str]
    deleted: dict[str, str]
    offline_since: NotRequired[dict[str, str]]


class WorkerChange(NamedTuple):
    """A worker whose mining state flipped at the last refresh.

    ``offline_since`` is, for a worker back online, when it stopped: kept across restarts, so
    that the "online" event says how long the worker was away.
    """

    online: bool
    label: str
    offline_since: datetime | None = None


class WorkerTracker:
    """Remembers, per account, when each worker was last listed and which ones were deleted.

    It also keeps since when each worker that does not mine has not.
    """

    def __init__(self, hass: HomeAssistant, entry_id: str) -> None:
        """Use a store of its own for this entry."""
        self._store: Store[_Stored] = Store(
            hass, STORAGE_VERSION, STORAGE_KEY.format(domain=DOMAIN, entry_id=entry_id)
        )
        self.last_seen: dict[str, datetime] = {}
        self.deleted: dict[str, datetime] = {}
        self.offline_since: dict[str, datetime] = {}

    async def async_load(self) -> None:
        """Read what was stored; unreadable times are dropped."""
        stored = await self._store.async_load()
        if stored is None:
            return
        self.last_seen = _times(stored.get("last_seen", {}))
        self.deleted = _times(stored.get("deleted", {}))
        self.offline_since = _times(stored.get("offline_since", {}))

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
            "last_seen": {key: when.isoformat() for key, when in self.last_seen.items()},
            "deleted": {key: when.isoformat() for key, when in self.deleted.items()},
            "offline_since": {key: when.isoformat() for key, when in self.offline_since.items()},
        }

    def listed(
        self, keys: Iterable[str], now: datetime, *, limit: int | None = None
    ) -> tuple[set[str], bool]:
        """Record that the pool lists these workers now; return those that keep a device.

        Workers already tracked keep theirs. New ones join, in key order, while fewer than
        ``MAX_WORKERS`` are tracked, at most ``limit`` of them at a time. The second value
        tells whether the cap (not the limit) turned a worker away.
        """
        kept: set[str] = set()
        new: list[str] = []
        for key in keys:
            if key in self.last_seen:
                self.last_seen[key] = now
                kept.add(key)
            else:
                new.append(key)
        room = max(0, MAX_WORKERS - len(self.last_seen))
        for key in sorted(new)[: room if limit is None else min(room, limit)]:
            self.last_seen[key] = now
            kept.add(key)
        self._schedule_save()
        return kept, len(new) > room

    def known(self, keys: Iterable[str], now: datetime) -> None:
        """Start the countdown of workers that have devices but no listing time yet."""
        for key in keys:
            self.last_seen.setdefault(key, now)
        self._schedule_save()

    def rekey(self, old: str, new: str) -> None:
        """The worker ``old`` is from now on known as ``new``."""
        if (seen := self.last_seen.pop(old, None)) is not None:
            self.last_seen[new] = seen
        if (deleted := self.deleted.pop(old, None)) is not None:
            self.deleted[new] = deleted
        if (since := self.offline_since.pop(old, None)) is not None:
            self.offline_since[new] = since
        self._schedule_save()

    def stale(self, now: datetime, keep_for: timedelta) -> list[str]:
        """The workers last listed longer ago than ``keep_for``; they are forgotten."""
        gone = [key for key, when in self.last_seen.items() if now - when > keep_for]
        for key in gone:
            del self.last_seen[key]
            self.deleted.pop(key, None)
            self.offline_since.pop(key, None)
        if gone:
            self._schedule_save()
        return gone

    def mining(self, online: Mapping[str, bool], now: datetime) -> dict[str, datetime]:
        """Record which workers mine now; return, for each one back, since when it did not."""
        back: dict[str, datetime] = {}
        stopped = False
        for key, mines in online.items():
            if mines:
                if (since := self.offline_since.pop(key, None)) is not None:
                    back[key] = since
            elif key not in self.offline_since:
                self.offline_since[key] = now
                stopped = True
        if back or stopped:
            self._schedule_save()
        return back

    def delete(self, key: str, now: datetime) -> None:
        """The user deleted the worker's device: keep it hidden until it mines again."""
        self.deleted[key] = now
        self._schedule_save()

    def is_hidden(self, key: str, *, online: bool) -> bool:
        """Whether a deleted worker stays hidden; one that mines again comes back."""
        if key not in self.deleted:
            return False
        if online:
            del self.deleted[key]
            self._schedule_save()
            return False
        return True


def _times(stored: dict[str, str]) -> dict[str, datetime]:
    times = {}
    for key, text in stored.items():
        when = dt_util.parse_datetime(text)
        if when is not None:
            times[key] = when
    return times


def _legacy_store(hass: HomeAssistant, entry_id: str) -> Store[_Stored]:
    return Store(hass, STORAGE_VERSION, LEGACY_STORAGE_KEY.format(domain=DOMAIN, entry_id=entry_id))


async def async_migrate_legacy_store(hass: HomeAssistant, entry_id: str) -> None:
    """Move what 0.1.0 stored by worker name to the store keyed by worker key."""
    legacy = _legacy_store(hass, entry_id)
    stored = await legacy.async_load()
    if stored is None:
        return
    moved: _Stored = {
        "last_seen": {name_key(name): when for name, when in stored.get("last_seen", {}).items()},
        "deleted": {name_key(name): when for name, when in stored.get("deleted", {}).items()},
    }
    await Store[_Stored](
        hass, STORAGE_VERSION, STORAGE_KEY.format(domain=DOMAIN, entry_id=entry_id)
    ).async_save(moved)
    await legacy.async_remove()


async def async_remove_legacy_store(hass: HomeAssistant, entry_id: str) -> None:
    """Delete what 0.1.0 stored, where an entry is removed before it was ever migrated."""
    await _legacy_store(hass, entry_id).async_remove()


@dataclass(kw_only=True)
class WorkerSettings:
    """How an account's workers are kept as devices."""

    tracker: WorkerTracker
    offline_after: timedelta
    remove_after: timedelta


class WorkerBook:
    """The workers of one account as devices: who they are, which mine, which come and go.

    The coordinator hands it each worker list it reads; the platforms read ``views`` and add
    entities for keys they have not seen (``known``); the event entity reads ``changed``.
    """

    def __init__(
        self,
        hass: HomeAssistant,
        entry_id: str,
        entry_unique_id: str,
        account: PoolAccount,
        settings: WorkerSettings,
    ) -> None:
        """Keep the workers of the account of entry ``entry_id``."""
        self.hass = hass
        self.entry_id = entry_id
        self.entry_unique_id = entry_unique_id
        self.settings = settings
        self.tracker = settings.tracker
        self.by_id = Capability.WORKER_ID in account.provides
        # Without the pool's word on each worker, its counts are what the binary sensors show.
        self.counts_online = Capability.WORKER_STATUS not in account.provides
        self.views: dict[str, WorkerView] = {}
        # Workers whose mining state flipped at the last refresh: key -> (mines now, label).
        self.changed: dict[str, WorkerChange] = {}
        # The worker keys each platform has entities for.
        self.known: dict[str, set[str]] = {}
        self._first = True
        # Whether the last refresh turned workers away at the cap.
        self.full = False

    def update(self, snapshot: AccountSnapshot, now: datetime) -> AccountSnapshot:
        """Decide which workers mine, remember them, and remove those long gone."""
        listed = snapshot.workers or ()
        settings = self.settings
        keys = [worker_key(worker, by_id=self.by_id) for worker in listed]
        online = {
            key: worker.is_online(now, settings.offline_after)
            for key, worker in zip(keys, listed, strict=True)
        }
        if self.counts_online and not snapshot.workers_capped:
            # Past the worker cap, the pool's own counts cover the whole farm.
            mining = sum(online.values())
            snapshot = replace(
                snapshot,
                worker_counts=WorkerCounts(
                    active=mining, inactive=len(online) - mining, total=len(online)
                ),
            )
        if self.by_id:
            self._adopt_named_devices(listed, keys)
        tracker = self.tracker
        # A farm sets up whole; later, a pool that lists many new names at once (or new
        # names at every refresh) adds a few devices per refresh, and never past the cap.
        kept, full = tracker.listed(
            online, now, limit=None if self._first else MAX_NEW_WORKERS_PER_REFRESH
        )
        self._first = False
        self.full = full or snapshot.workers_capped
        for key in tracker.stale(now, settings.remove_after):
            self.remove_device(key)
        shared = Counter(worker.name for worker in listed)
        previous = self.views
        self.views = {
            key: WorkerView(
                worker,
                online[key],
                f"{worker.name} #{worker.worker_id}"
                if shared[worker.name] > 1 and worker.worker_id
                else worker.name,
            )
            for key, worker in zip(keys, listed, strict=True)
            if key in kept and not tracker.is_hidden(key, online=online[key])
        }
        vanished = {
            key: replace(view, online=False)
            for key, view in previous.items()
            if view.online and key not in self.views
        }
        back = tracker.mining(
            {key: view.online for key, view in (self.views | vanished).items()}, now
        )
        self.changed = {
            key: WorkerChange(view.online, view.label, back.get(key))
            for key, view in (self.views | vanished).items()
            if key in previous and previous[key].online != view.online
        }
        self._rename_devices(
            {
                key: view.label
                for key, view in self.views.items()
                if key in previous and previous[key].label != view.label
            }
        )
        return snapshot

    def _rename_devices(self, labels: dict[str, str]) -> None:
        """Name devices anew where a name became shared, or stopped being shared."""
        if not labels:
            return
        entry = self.hass.config_entries.async_get_entry(self.entry_id)
        account = entry.title if entry is not None else ""
        devices = dr.async_get(self.hass)
        for device in dr.async_entries_for_config_entry(devices, self.entry_id):
            for domain, identifier in device.identifiers:
                key = worker_of_device(self.entry_unique_id, identifier)
                if domain == DOMAIN and key in labels:
                    devices.async_update_device(
                        device.id, name=worker_device_name(account, labels[key])
                    )

    def _adopt_named_devices(self, listed: Iterable[Worker], keys: list[str]) -> None:
        """Give a device kept by name (as 0.1.0 kept them) to the worker now listed by id.

        Where several workers share the name, the first listed takes the device; the others
        get devices of their own.
        """
        for worker, key in zip(listed, keys, strict=True):
            legacy = name_key(worker.name)
            if key == legacy or key in self.tracker.last_seen:
                continue
            if legacy not in self.tracker.last_seen:
                continue
            self._rekey_device(legacy, key)
            self.tracker.rekey(legacy, key)

    def _rekey_device(self, old: str, new: str) -> None:
        """Move a worker's device and entities to a new key, keeping everything the user set."""
        devices = dr.async_get(self.hass)
        entities = er.async_get(self.hass)
        old_identifier = worker_device_id(self.entry_unique_id, old)
        new_identifier = worker_device_id(self.entry_unique_id, new)
        for device in dr.async_entries_for_config_entry(devices, self.entry_id):
            if (DOMAIN, old_identifier) not in device.identifiers:
                continue
            devices.async_update_device(device.id, new_identifiers={(DOMAIN, new_identifier)})
            for entity in er.async_entries_for_device(
                entities, device.id, include_disabled_entities=True
            ):
                entity_key = entity.unique_id.removeprefix(f"{old_identifier}{SEPARATOR}")
                entities.async_update_entity(
                    entity.entity_id,
                    new_unique_id=worker_unique_id(self.entry_unique_id, new, entity_key),
                )
            LOGGER.debug("Worker device %s is now known by the pool's id", device.id)

    def remove_device(self, key: str) -> None:
        """Remove a worker's device, and so its entities; it belongs to this entry alone."""
        registry = dr.async_get(self.hass)
        identifier = (DOMAIN, worker_device_id(self.entry_unique_id, key))
        for device in dr.async_entries_for_config_entry(registry, self.entry_id):
            if identifier in device.identifiers:
                registry.async_remove_device(device.id)
        self.forget(key)

    def forget(self, key: str) -> None:
        """Let the platforms add the worker's entities again if it comes back."""
        self.views.pop(key, None)
        for keys in self.known.values():
            keys.discard(key)
