"""The base entity of the Mining Pool integration."""

from __future__ import annotations

from homeassistant.helpers.device_registry import DeviceEntryType, DeviceInfo
from homeassistant.helpers.entity import EntityDescription
from homeassistant.helpers.update_coordinator import CoordinatorEntity

from .api import PoolKind
from .const import DOMAIN
from .coordinator import MiningPoolConfigEntry, MiningPoolCoordinator

MANUFACTURERS = {
    PoolKind.BTCCOM: "BTC.com",
    PoolKind.F2POOL_V1: "F2Pool",
    PoolKind.F2POOL_V2: "F2Pool",
}
WEBSITES = {
    PoolKind.BTCCOM: "https://pool.btc.com/",
    PoolKind.F2POOL_V1: "https://www.f2pool.com/",
    PoolKind.F2POOL_V2: "https://www.f2pool.com/",
}


def account_device_info(entry: MiningPoolConfigEntry) -> DeviceInfo:
    """The device of a pool account: a service, named like its entry."""
    account = entry.runtime_data.account
    return DeviceInfo(
        identifiers={(DOMAIN, str(entry.unique_id))},
        entry_type=DeviceEntryType.SERVICE,
        manufacturer=MANUFACTURERS[account.kind],
        model=account.coin,
        name=entry.title,
        configuration_url=WEBSITES[account.kind],
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
        self._attr_unique_id = f"{entry.unique_id}_{description.key}"
        self._attr_device_info = account_device_info(entry)
