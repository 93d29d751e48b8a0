"""An event entity per account: a worker went offline, or came back."""

from __future__ import annotations

from typing import Any

from homeassistant.components.event import EventEntity, EventEntityDescription
from homeassistant.const import Platform
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers import entity_registry as er
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .binary_sensor import ONLINE
from .const import DOMAIN, EVENT_WORKER_OFFLINE, EVENT_WORKER_ONLINE, WORKER_STATUS_KEY
from .coordinator import MiningPoolConfigEntry, MiningPoolCoordinator
from .entity import MiningPoolEntity
from .workers import WorkerBook, WorkerChange, worker_unique_id

PARALLEL_UPDATES = 0

WORKER_STATUS = EventEntityDescription(
    key=WORKER_STATUS_KEY,
    translation_key=WORKER_STATUS_KEY,
    event_types=[EVENT_WORKER_OFFLINE, EVENT_WORKER_ONLINE],
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: MiningPoolConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the account's worker events where its workers are kept as devices."""
    runtime = entry.runtime_data
    if runtime.workers is not None:
        async_add_entities(
            [MiningPoolWorkerEvents(entry, runtime.coordinator, runtime.workers, WORKER_STATUS)]
        )


class MiningPoolWorkerEvents(MiningPoolEntity, EventEntity):
    """Fires "offline" or "online" with the worker's name, in the refresh its sensor flips."""

    def __init__(
        self,
        entry: MiningPoolConfigEntry,
        coordinator: MiningPoolCoordinator,
        workers: WorkerBook,
        description: EventEntityDescription,
    ) -> None:
        """Remember the account, to find each worker's binary sensor."""
        super().__init__(entry, coordinator, description)
        self._account = str(entry.unique_id)
        self._workers = workers

    @callback
    def _handle_coordinator_update(self) -> None:
        """Fire one event per worker whose state flipped, once its binary sensor shows it.

        The binary sensors hear the same refresh; the events wait for the loop's next turn so
        that an automation reading a worker's state sees the new one.
        """
        self.async_write_ha_state()
        if changed := dict(self._workers.changed):
            # Not started at once: it runs after every listener of this refresh has.
            self.coordinator.config_entry.async_create_task(
                self.hass, self._async_fire(changed), f"{DOMAIN} worker events", eager_start=False
            )

    async def _async_fire(self, changed: dict[str, WorkerChange]) -> None:
        registry = er.async_get(self.hass)
        for key, change in changed.items():
            unique_id = worker_unique_id(self._account, key, ONLINE.key)
            data: dict[str, Any] = {
                "worker": change.label,
                "sensor": registry.async_get_entity_id(Platform.BINARY_SENSOR, DOMAIN, unique_id),
            }
            if change.offline_since is not None:
                data["offline_since"] = change.offline_since.isoformat()
            self._trigger_event(
                EVENT_WORKER_ONLINE if change.online else EVENT_WORKER_OFFLINE, data
            )
            self.async_write_ha_state()
