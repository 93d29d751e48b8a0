"""The base entities of the Mining Pool integration: the account's and a worker's."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterable
from typing import Any, cast

from homeassistant.const import MAJOR_VERSION, MINOR_VERSION
from homeassistant.core import callback
from homeassistant.helpers.device_registry import DeviceEntryType, DeviceInfo
from homeassistant.helpers.entity import Entity, EntityDescription
from homeassistant.helpers.update_coordinator import CoordinatorEntity

from .const import DOMAIN
from .coordinator import MiningPoolConfigEntry, MiningPoolCoordinator
from .pools import pool_of
from .workers import (
    WorkerBook,
    WorkerView,
    account_unique_id,
    worker_device_id,
    worker_device_name,
    worker_unique_id,
)

WORKERS_PER_BATCH = 200
# Home Assistant 2026.8 links a device to its parent by registry id and deprecates the link by
# identifier, the only one 2026.3 knows.
LINK_BY_DEVICE_ID = (MAJOR_VERSION, MINOR_VERSION) >= (2026, 8)


def account_device_info(entry: MiningPoolConfigEntry) -> DeviceInfo:
    """The device of a pool account: a service, named like its entry."""
    pool = pool_of(entry.data)
    return DeviceInfo(
        identifiers={(DOMAIN, str(entry.unique_id))},
        entry_type=DeviceEntryType.SERVICE,
        manufacturer=pool.manufacturer,
        model=entry.runtime_data.account.coin,
        name=entry.title,
        configuration_url=pool.website,
    )


class MiningPoolEntity(CoordinatorEntity[MiningPoolCoordinator]):
    """An entity of a pool account."""

    _attr_has_entity_name = True

    def __init__(
        self,
        entry: MiningPoolConfigEntry,
        coordinator: MiningPoolCoordinator,
        description: EntityDescription,
    ) -> None:
        """Attach the entity to the account's device."""
        super().__init__(coordinator)
        self.entity_description = description
        self._attr_unique_id = account_unique_id(str(entry.unique_id), description.key)
        self._attr_device_info = account_device_info(entry)


class MiningPoolWorkerEntity(CoordinatorEntity[MiningPoolCoordinator]):
    """An entity of one worker, on the worker's own device linked to the account's."""

    _attr_has_entity_name = True

    def __init__(
        self,
        entry: MiningPoolConfigEntry,
        coordinator: MiningPoolCoordinator,
        workers: WorkerBook,
        description: EntityDescription,
        key: str,
    ) -> None:
        """Attach the entity to the device of the worker ``key``."""
        super().__init__(coordinator)
        self.entity_description = description
        self.key = key
        self.workers = workers
        view = workers.views.get(key)
        label = view.label if view is not None else key
        account = str(entry.unique_id)
        self._attr_unique_id = worker_unique_id(account, key, description.key)
        link: dict[str, Any] = (
            {"via_device_id": entry.runtime_data.account_device_id}
            if LINK_BY_DEVICE_ID
            else {"via_device": (DOMAIN, account)}
        )
        self._attr_device_info = cast(
            "DeviceInfo",
            {
                "identifiers": {(DOMAIN, worker_device_id(account, key))},
                "name": worker_device_name(entry.title, label),
                "manufacturer": pool_of(entry.data).manufacturer,
                "model": entry.runtime_data.account.coin,
                **link,
            },
        )

    @property
    def available(self) -> bool:
        """Unavailable while the pool's worker list cannot be read, not only when it fails."""
        return super().available and self.coordinator.workers_listed

    @property
    def view(self) -> WorkerView | None:
        """The worker as the last refresh saw it; None while the pool does not list it."""
        return self.workers.views.get(self.key)


def add_worker_entities(
    entry: MiningPoolConfigEntry,
    platform: str,
    build: Callable[[WorkerBook, str], Iterable[Entity]],
    add_entities: Callable[[Iterable[Entity]], None],
) -> None:
    """Add the entities of every worker now, and of each new worker at the refresh it appears."""
    workers = entry.runtime_data.workers
    coordinator = entry.runtime_data.coordinator
    if workers is None:
        return
    known = workers.known.setdefault(platform, set())

    async def add_in_batches(names: list[str]) -> None:
        for start in range(0, len(names), WORKERS_PER_BATCH):
            batch = names[start : start + WORKERS_PER_BATCH]
            add_entities(entity for key in batch for entity in build(workers, key))
            # Let the event loop breathe between batches: a farm of thousands of workers
            # must not hold it for the whole set-up.
            await asyncio.sleep(0)

    @callback
    def add_new_workers() -> None:
        new = [key for key in workers.views if key not in known]
        if not new:
            return
        known.update(new)
        if len(new) <= WORKERS_PER_BATCH:
            add_entities(entity for key in new for entity in build(workers, key))
            return
        entry.async_create_task(
            coordinator.hass, add_in_batches(new), f"{DOMAIN} add {platform} of workers"
        )

    add_new_workers()
    entry.async_on_unload(coordinator.async_add_listener(add_new_workers))
