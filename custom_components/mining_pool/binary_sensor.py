"""A binary sensor per worker: on while it mines, off when it is offline or dead."""

from __future__ import annotations

from homeassistant.components.binary_sensor import (
    BinarySensorDeviceClass,
    BinarySensorEntity,
    BinarySensorEntityDescription,
)
from homeassistant.const import Platform
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .coordinator import MiningPoolConfigEntry
from .entity import MiningPoolWorkerEntity, add_worker_entities

PARALLEL_UPDATES = 0

# Named "Online" (its entity id ends in _online); its states are translated "Online" and
# "Offline", the words of the pools and of the State sensor, not "Connected"/"Disconnected".
ONLINE = BinarySensorEntityDescription(
    key="online",
    translation_key="online",
    device_class=BinarySensorDeviceClass.CONNECTIVITY,
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: MiningPoolConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add a binary sensor for every worker, now and as workers appear."""
    coordinator = entry.runtime_data.coordinator
    add_worker_entities(
        entry,
        Platform.BINARY_SENSOR,
        lambda workers, key: [MiningPoolWorkerOnline(entry, coordinator, workers, ONLINE, key)],
        async_add_entities,
    )


class MiningPoolWorkerOnline(MiningPoolWorkerEntity, BinarySensorEntity):
    """Whether a worker mines.

    An offline worker is off, not unavailable: unavailable means the pool cannot be read, so an
    automation can tell a stopped miner from a lost connection.
    """

    @property
    def is_on(self) -> bool:
        """On while the worker mines; a worker the pool stopped listing does not."""
        view = self.view
        return view is not None and view.online
