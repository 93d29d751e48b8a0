"""The Mining Pool integration: BTC.com and F2Pool accounts in Home Assistant."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from homeassistant.const import Platform
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import ConfigEntryError
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers import entity_registry as er
from homeassistant.helpers import issue_registry as ir
from homeassistant.util import dt as dt_util

from .account import build_account
from .api import InvalidInputError
from .const import (
    DEFAULT_OFFLINE_MINUTES,
    DEFAULT_REMOVE_AFTER_DAYS,
    DEFAULT_WORKER_DEVICES,
    DOMAIN,
    EARNINGS_INTERVAL,
    LEGACY_OPTION_REFRESH_MINUTES,
    OPTION_OFFLINE_MINUTES,
    OPTION_REMOVE_AFTER_DAYS,
    OPTION_WORKER_DEVICES,
    REFRESH_INTERVAL,
    WORKER_STATUS_KEY,
)
from .coordinator import (
    AccountHealth,
    DataKind,
    MiningPoolConfigEntry,
    MiningPoolCoordinator,
    MiningPoolRuntimeData,
    WorkerSettings,
    worker_cap_issue_id,
)
from .entity import account_device_info
from .workers import WorkerTracker, worker_of_device

PLATFORMS = [Platform.BINARY_SENSOR, Platform.EVENT, Platform.SENSOR]
# The entry layout from which the refresh interval is no longer stored.
MINOR_VERSION_WITHOUT_REFRESH = 2


async def async_migrate_entry(hass: HomeAssistant, entry: MiningPoolConfigEntry) -> bool:
    """Bring an entry stored by an earlier release up to this one's layout.

    1.1 to 1.2: the refresh interval is no longer an option (Home Assistant's rule for polling
    integrations); the pool's pace is the integration's, and other options are kept.
    """
    if entry.version > 1:
        # Written by a newer release: this one cannot read it.
        return False
    if entry.minor_version < MINOR_VERSION_WITHOUT_REFRESH:
        options = {
            key: value
            for key, value in entry.options.items()
            if key != LEGACY_OPTION_REFRESH_MINUTES
        }
        hass.config_entries.async_update_entry(
            entry, options=options, minor_version=MINOR_VERSION_WITHOUT_REFRESH
        )
    return True


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
    # Outside F2Pool v2's hashrate module, the account has earnings only: no workers to keep.
    workers = await _async_worker_settings(hass, entry, wanted=account.reads_activity)
    health = AccountHealth(entry.title)
    activity = (
        MiningPoolCoordinator(
            hass,
            entry,
            account,
            kind=DataKind.ACTIVITY,
            update_interval=REFRESH_INTERVAL,
            health=health,
            workers=workers,
        )
        if account.reads_activity
        else None
    )
    earnings = (
        MiningPoolCoordinator(
            hass,
            entry,
            account,
            kind=DataKind.EARNINGS,
            update_interval=EARNINGS_INTERVAL,
            health=health,
        )
        if account.separate_earnings or activity is None
        else activity
    )
    runtime = MiningPoolRuntimeData(
        account=account,
        activity=activity or earnings,
        earnings=earnings,
        tracker=workers.tracker if workers else None,
    )
    # Both first reads run at once; each is awaited to its end before any failure is raised.
    outcomes = await asyncio.gather(
        *(coordinator.async_config_entry_first_refresh() for coordinator in runtime.coordinators),
        return_exceptions=True,
    )
    for outcome in outcomes:
        if isinstance(outcome, BaseException):
            raise outcome
    entry.runtime_data = runtime
    # The account's device first: worker devices link to it.
    runtime.account_device_id = (
        dr.async_get(hass)
        .async_get_or_create(config_entry_id=entry.entry_id, **account_device_info(entry))
        .id
    )
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
        name: device.id
        for device in dr.async_entries_for_config_entry(registry, entry.entry_id)
        for domain, identifier in device.identifiers
        if domain == DOMAIN
        and (name := worker_of_device(str(entry.unique_id), identifier)) is not None
    }
    if not (wanted and entry.options.get(OPTION_WORKER_DEVICES, DEFAULT_WORKER_DEVICES)):
        ir.async_delete_issue(hass, DOMAIN, worker_cap_issue_id(entry.entry_id))
        for device_id in worker_devices.values():
            registry.async_remove_device(device_id)
        entities = er.async_get(hass)
        if events := entities.async_get_entity_id(
            Platform.EVENT, DOMAIN, f"{entry.unique_id}_{WORKER_STATUS_KEY}"
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
    if (tracker := entry.runtime_data.tracker) is not None:
        await tracker.async_flush()
    return unloaded


async def async_remove_entry(hass: HomeAssistant, entry: MiningPoolConfigEntry) -> None:
    """Delete what the entry stored about its workers, and its repair issue."""
    ir.async_delete_issue(hass, DOMAIN, worker_cap_issue_id(entry.entry_id))
    await WorkerTracker(hass, entry.entry_id).async_remove()


async def async_remove_config_entry_device(
    hass: HomeAssistant, entry: MiningPoolConfigEntry, device: dr.DeviceEntry
) -> bool:
    """Let the user delete a worker's device, unless the worker is mining right now.

    A deleted worker stays away until it mines again. The account's device goes only with the
    entry.
    """
    names = [
        name
        for domain, identifier in device.identifiers
        if domain == DOMAIN
        and (name := worker_of_device(str(entry.unique_id), identifier)) is not None
    ]
    if not names:
        return False
    runtime = entry.runtime_data
    if runtime.tracker is None:
        return True
    name = names[0]
    view = runtime.activity.workers.get(name)
    if view is not None and view.online:
        return False
    runtime.tracker.delete(name, dt_util.utcnow())
    runtime.activity.forget_worker(name)
    return True
