"""The Mining Pool integration: BTC.com, F2Pool and Braiins Pool accounts in Home Assistant."""

from __future__ import annotations

from datetime import timedelta
from functools import partial

from homeassistant.const import Platform
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import ConfigEntryError
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers import entity_registry as er
from homeassistant.helpers import issue_registry as ir
from homeassistant.util import dt as dt_util

from .account import build_account, hashrate_unit
from .api import Capability, InvalidInputError
from .const import (
    DEFAULT_OFFLINE_MINUTES,
    DEFAULT_REMOVE_AFTER_DAYS,
    DEFAULT_WORKER_DEVICES,
    DOMAIN,
    LEGACY_OPTION_REFRESH_MINUTES,
    OPTION_OFFLINE_MINUTES,
    OPTION_REMOVE_AFTER_DAYS,
    OPTION_WORKER_DEVICES,
    WORKER_STATUS_KEY,
)
from .coordinator import (
    MiningPoolConfigEntry,
    MiningPoolCoordinator,
    MiningPoolRuntimeData,
    worker_cap_issue_id,
)
from .entity import account_device_info
from .hashrate_statistics import async_carry_over
from .pools import pool_of
from .workers import (
    WorkerBook,
    WorkerSettings,
    WorkerTracker,
    account_unique_id,
    async_migrate_legacy_store,
    async_remove_legacy_store,
    name_key,
    worker_device_id,
    worker_of_device,
    worker_unique_id,
)

PLATFORMS = [Platform.BINARY_SENSOR, Platform.EVENT, Platform.SENSOR]
# The entry layout from which the refresh interval is no longer stored.
MINOR_VERSION_WITHOUT_REFRESH = 2
# The entry layout with structured ids (``<account>:<key>``, workers by key).
VERSION_STRUCTURED_IDS = 2


async def async_migrate_entry(hass: HomeAssistant, entry: MiningPoolConfigEntry) -> bool:
    """Bring an entry stored by an earlier release up to this one's layout.

    1.1 to 1.2: the refresh interval is no longer an option (Home Assistant's rule for polling
    integrations); the pool's pace is the integration's, and other options are kept.
    1.x to 2.1: ids are structured, so that no account or worker name can forge another's.
    Every device and entity keeps its registry entry (entity id, name, area, disabled flag,
    history); only the ids inside change. The entry's own id is the pool's current one.
    """
    if entry.version > VERSION_STRUCTURED_IDS:
        # Written by a newer release: this one cannot read it.
        return False
    if entry.version == 1 and entry.minor_version < MINOR_VERSION_WITHOUT_REFRESH:
        options = {
            key: value
            for key, value in entry.options.items()
            if key != LEGACY_OPTION_REFRESH_MINUTES
        }
        hass.config_entries.async_update_entry(
            entry, options=options, minor_version=MINOR_VERSION_WITHOUT_REFRESH
        )
    if entry.version == 1:
        unique_id = pool_of(entry.data).unique_id(entry.data)
        _migrate_registries(hass, entry, str(entry.unique_id), unique_id)
        await async_migrate_legacy_store(hass, entry.entry_id)
        hass.config_entries.async_update_entry(
            entry, unique_id=unique_id, version=VERSION_STRUCTURED_IDS, minor_version=1
        )
    return True


def _migrate_registries(
    hass: HomeAssistant, entry: MiningPoolConfigEntry, old: str, new: str
) -> None:
    """Move the devices and entities of 0.1.0 (ids joined with ``_``) to structured ids.

    A device's identifier says whose it is (the account's, or the worker's by name); each
    entity's key is what its id adds to its device's identifier.
    """
    devices = dr.async_get(hass)
    entities = er.async_get(hass)
    worker_prefix = f"{old}_worker_"
    for device in dr.async_entries_for_config_entry(devices, entry.entry_id):
        for domain, identifier in device.identifiers:
            if domain != DOMAIN:
                continue
            if identifier == old:
                new_identifier = new
                entity_id_of = partial(account_unique_id, new)
            elif identifier.startswith(worker_prefix):
                key = name_key(identifier.removeprefix(worker_prefix))
                new_identifier = worker_device_id(new, key)
                entity_id_of = partial(worker_unique_id, new, key)
            else:
                continue
            devices.async_update_device(device.id, new_identifiers={(DOMAIN, new_identifier)})
            for entity in er.async_entries_for_device(
                entities, device.id, include_disabled_entities=True
            ):
                if entity.config_entry_id == entry.entry_id and entity.unique_id.startswith(
                    f"{identifier}_"
                ):
                    entities.async_update_entity(
                        entity.entity_id,
                        new_unique_id=entity_id_of(entity.unique_id.removeprefix(f"{identifier}_")),
                    )
            break
    # An entity that lost its device is the account's where its key is no worker's.
    for entity in er.async_entries_for_config_entry(entities, entry.entry_id):
        key = entity.unique_id.removeprefix(f"{old}_")
        if (
            entity.device_id is None
            and key != entity.unique_id
            and not (key.startswith("worker_") and key != WORKER_STATUS_KEY)
        ):
            entities.async_update_entity(
                entity.entity_id, new_unique_id=account_unique_id(new, key)
            )


async def async_setup_entry(hass: HomeAssistant, entry: MiningPoolConfigEntry) -> bool:
    """Set up a pool account from a config entry."""
    try:
        account = build_account(hass, entry.data)
    except InvalidInputError as err:
        raise ConfigEntryError(
            translation_domain=DOMAIN,
            translation_key="invalid_settings",
            translation_placeholders={"field": err.field},
        ) from err
    # Where the pool serves no workers (or the user wants none), there are none to keep.
    settings = await _async_worker_settings(
        hass, entry, wanted=Capability.WORKERS in account.provides
    )
    workers = (
        WorkerBook(hass, entry.entry_id, str(entry.unique_id), account, settings)
        if settings is not None
        else None
    )
    coordinator = MiningPoolCoordinator(hass, entry, account, workers=workers)
    await coordinator.async_config_entry_first_refresh()
    entry.runtime_data = MiningPoolRuntimeData(
        account=account, coordinator=coordinator, workers=workers
    )
    # The account's device first: worker devices link to it.
    entry.runtime_data.account_device_id = (
        dr.async_get(hass)
        .async_get_or_create(config_entry_id=entry.entry_id, **account_device_info(entry))
        .id
    )
    # Before the sensors show the unit the options now give.
    await async_carry_over(hass, entry.entry_id, hashrate_unit(entry.data, entry.options))
    await hass.config_entries.async_forward_entry_setups(entry, PLATFORMS)
    return True


async def _async_worker_settings(
    hass: HomeAssistant, entry: MiningPoolConfigEntry, *, wanted: bool
) -> WorkerSettings | None:
    """Load the worker tracker, or remove every worker device where there are to be none.

    There are none where the user wants none, or where the pool serves no workers (``wanted``
    false); then the worker cap's repair issue has nothing left to say either.
    """
    registry = dr.async_get(hass)
    worker_devices = {
        key: device.id
        for device in dr.async_entries_for_config_entry(registry, entry.entry_id)
        for domain, identifier in device.identifiers
        if domain == DOMAIN
        and (key := worker_of_device(str(entry.unique_id), identifier)) is not None
    }
    if not (wanted and entry.options.get(OPTION_WORKER_DEVICES, DEFAULT_WORKER_DEVICES)):
        ir.async_delete_issue(hass, DOMAIN, worker_cap_issue_id(entry.entry_id))
        for device_id in worker_devices.values():
            registry.async_remove_device(device_id)
        entities = er.async_get(hass)
        if events := entities.async_get_entity_id(
            Platform.EVENT, DOMAIN, account_unique_id(str(entry.unique_id), WORKER_STATUS_KEY)
        ):
            entities.async_remove(events)
        return None
    tracker = WorkerTracker(hass, entry.entry_id)
    await tracker.async_load()
    tracker.known(worker_devices, dt_util.utcnow())
    return WorkerSettings(
        tracker=tracker,
        offline_after=timedelta(
            minutes=entry.options.get(OPTION_OFFLINE_MINUTES, DEFAULT_OFFLINE_MINUTES)
        ),
        remove_after=timedelta(
            days=entry.options.get(OPTION_REMOVE_AFTER_DAYS, DEFAULT_REMOVE_AFTER_DAYS)
        ),
    )


async def async_unload_entry(hass: HomeAssistant, entry: MiningPoolConfigEntry) -> bool:
    """Unload a config entry; what the worker tracker has not written yet is written now.

    Otherwise a reload would read the store before its delayed write (a worker deleted just
    before would come back), and a removal would see the write re-create the file it deleted.
    """
    unloaded = await hass.config_entries.async_unload_platforms(entry, PLATFORMS)
    if (workers := entry.runtime_data.workers) is not None:
        await workers.tracker.async_flush()
    return unloaded


async def async_remove_entry(hass: HomeAssistant, entry: MiningPoolConfigEntry) -> None:
    """Delete what the entry stored about its workers, and its repair issue."""
    ir.async_delete_issue(hass, DOMAIN, worker_cap_issue_id(entry.entry_id))
    await WorkerTracker(hass, entry.entry_id).async_remove()
    await async_remove_legacy_store(hass, entry.entry_id)


async def async_remove_config_entry_device(
    hass: HomeAssistant, entry: MiningPoolConfigEntry, device: dr.DeviceEntry
) -> bool:
    """Let the user delete a worker's device, unless the worker is mining right now.

    A deleted worker stays away until it mines again. The account's device goes only with the
    entry.
    """
    keys = [
        key
        for domain, identifier in device.identifiers
        if domain == DOMAIN
        and (key := worker_of_device(str(entry.unique_id), identifier)) is not None
    ]
    if not keys:
        return False
    workers = entry.runtime_data.workers
    if workers is None:
        return True
    key = keys[0]
    view = workers.views.get(key)
    if view is not None and view.online:
        return False
    workers.tracker.delete(key, dt_util.utcnow())
    workers.forget(key)
    return True
