"""An install of 0.1.0 upgrades without losing anything: ids, names, areas, flags and history.

The registries and the worker store are built as 0.1.0 left them: ids joined with ``_``
(``<account>_<key>``, ``<account>_worker_<name>_<key>``), F2Pool accounts by their name,
workers by name, a refresh interval in the options.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from freezegun.api import FrozenDateTimeFactory
from homeassistant.components.recorder import Recorder
from homeassistant.components.recorder.history import get_significant_states
from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import STATE_ON
from homeassistant.core import HomeAssistant
from homeassistant.helpers import area_registry as ar
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers import entity_registry as er
from homeassistant.util import dt as dt_util
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.components.recorder.common import (
    async_wait_recording_done,
)
from pytest_homeassistant_custom_component.typing import RecorderInstanceContextManager

from custom_components.mining_pool.const import DOMAIN, OPTION_HASHRATE_UNIT
from simulator import Simulator

from .conftest import (
    PUID,
    START,
    TITLES,
    UNIQUE_IDS,
    entry_data,
    tick,
    truth,
    worker_device,
    worker_entity,
)

LEGACY_IDS = {
    "btccom": UNIQUE_IDS["btccom"],
    "f2pool_v2": "f2pool_litecoin_bob",
}


@pytest.fixture
def mock_recorder_before_hass(async_test_recorder: RecorderInstanceContextManager) -> None:
    """Prepare the recorder's database before Home Assistant starts (recorder_mock needs it)."""


def legacy_registries(hass: HomeAssistant, entry: MockConfigEntry, legacy: str) -> dict[str, Any]:
    """The account's and worker-1's devices and entities as 0.1.0 created them."""
    devices = dr.async_get(hass)
    entities = er.async_get(hass)
    areas = ar.async_get(hass)
    office = areas.async_create("Office")
    garage = areas.async_create("Garage")
    account = devices.async_get_or_create(
        config_entry_id=entry.entry_id, identifiers={(DOMAIN, legacy)}, name=entry.title
    )
    devices.async_update_device(account.id, area_id=office.id)
    worker = devices.async_get_or_create(
        config_entry_id=entry.entry_id,
        identifiers={(DOMAIN, f"{legacy}_worker_worker-1")},
        name="worker-1",
    )
    devices.async_update_device(worker.id, area_id=garage.id, name_by_user="Rig one")

    def entity(domain: str, unique_id: str, device: dr.DeviceEntry, object_id: str) -> str:
        return entities.async_get_or_create(
            domain,
            DOMAIN,
            unique_id,
            config_entry=entry,
            device_id=device.id,
            suggested_object_id=object_id,
        ).entity_id

    ids = {
        "hashrate": entity("sensor", f"{legacy}_hashrate", account, "farm_hashrate"),
        "balance": entity("sensor", f"{legacy}_balance", account, "wallet"),
        "events": entity("event", f"{legacy}_worker_status", account, "farm_events"),
        "online": entity("binary_sensor", f"{legacy}_worker_worker-1_online", worker, "rig_1"),
        "worker_hashrate": entity(
            "sensor", f"{legacy}_worker_worker-1_hashrate", worker, "rig_1_hashrate"
        ),
    }
    entities.async_update_entity(ids["hashrate"], name="Farm")
    entities.async_update_entity(ids["balance"], disabled_by=er.RegistryEntryDisabler.USER)
    return {"ids": ids, "account": account.id, "worker": worker.id, "garage": garage.id}


@pytest.mark.parametrize("pool", ["btccom", "f2pool_v2"])
async def test_upgrade_from_0_1_0_keeps_everything(
    recorder_mock: Recorder,
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    simulator: Simulator,
    hass_storage: dict[str, Any],
    pool: str,
) -> None:
    legacy = LEGACY_IDS[pool]
    entry = MockConfigEntry(
        domain=DOMAIN,
        title=TITLES[pool],
        unique_id=legacy,
        data=entry_data(pool, simulator),
        options={"refresh_minutes": 2, OPTION_HASHRATE_UNIT: "PH/s"},
        entry_id=f"entry_{pool}",
        version=1,
        minor_version=1,
    )
    entry.add_to_hass(hass)
    before = legacy_registries(hass, entry, legacy)
    ids = before["ids"]
    # 0.1.0's worker store, by name: worker-6 was deleted by the user.
    hass_storage[f"{DOMAIN}.{entry.entry_id}.workers"] = {
        "version": 1,
        "minor_version": 1,
        "key": f"{DOMAIN}.{entry.entry_id}.workers",
        "data": {
            "last_seen": {"worker-1": START.isoformat(), "worker-6": START.isoformat()},
            "deleted": {"worker-6": START.isoformat()},
        },
    }
    # worker-6 stopped mining a while ago.
    simulator.set_worker_online(truth(simulator, pool), "worker-6", online=False)
    await tick(hass, freezer, simulator, timedelta(minutes=30))
    # History recorded by 0.1.0.
    hass.states.async_set(ids["hashrate"], "0.0123", {"unit_of_measurement": "PH/s"})
    await async_wait_recording_done(hass)
    # 0.1.0 is stopped: its entities are no longer in the state machine.
    hass.states.async_remove(ids["hashrate"])
    freezer.tick(timedelta(minutes=1))

    await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()

    assert entry.state is ConfigEntryState.LOADED
    assert (entry.version, entry.minor_version) == (2, 1)
    assert entry.unique_id == UNIQUE_IDS[pool]
    assert dict(entry.options) == {OPTION_HASHRATE_UNIT: "PH/s"}
    assert_registries_kept(hass, simulator, entry, before, pool)
    assert f"{DOMAIN}.{entry.entry_id}.workers" not in hass_storage

    # The history recorded before the upgrade goes on under the same entity id.
    await tick(hass, freezer, simulator, timedelta(minutes=5))
    await async_wait_recording_done(hass)
    history = await recorder_mock.async_add_executor_job(
        get_significant_states,
        hass,
        START - timedelta(hours=1),
        dt_util.utcnow(),
        [ids["hashrate"]],
    )
    values = [state.state for state in history[ids["hashrate"]]]
    assert values[0] == "0.0123"
    assert float(values[-1]) > 0


def assert_registries_kept(
    hass: HomeAssistant,
    simulator: Simulator,
    entry: MockConfigEntry,
    before: dict[str, Any],
    pool: str,
) -> None:
    """Entity ids, names, flags, areas and deletions are as the user left them."""
    ids = before["ids"]
    entities = er.async_get(hass)
    devices = dr.async_get(hass)
    # Every entity keeps its id, and each is the one the integration now updates: no twin.
    mine = er.async_entries_for_config_entry(entities, entry.entry_id)
    assert {ids[key] for key in ids} <= {registered.entity_id for registered in mine}
    assert not [registered for registered in mine if registered.entity_id.endswith("_2")]
    for entity_id in ids.values():
        registered = entities.async_get(entity_id)
        assert registered is not None
        assert registered.unique_id.startswith(f"{UNIQUE_IDS[pool]}:")
    farm = hass.states.get(ids["hashrate"])
    assert farm is not None
    assert farm.name == "Farm"
    assert farm.attributes["unit_of_measurement"] == "PH/s"
    balance = entities.async_get(ids["balance"])
    assert balance is not None
    assert balance.disabled_by is er.RegistryEntryDisabler.USER
    assert hass.states.get(ids["balance"]) is None
    online = hass.states.get(ids["online"])
    assert online is not None
    assert online.state == STATE_ON
    # Devices keep their registry entries, areas and the names the user gave.
    account = devices.async_get(before["account"])
    assert account is not None
    assert account.identifiers == {(DOMAIN, UNIQUE_IDS[pool])}
    worker = devices.async_get(before["worker"])
    assert worker is not None
    assert (worker.area_id, worker.name_by_user) == (before["garage"], "Rig one")
    # The integration's own name for the device now starts with the account's.
    assert worker.name == worker_device(pool, "worker-1")
    if pool == "btccom":
        # BTC.com names its workers by a stable id: the device is the worker's by id now.
        worker_id = simulator.world.btccom[PUID].workers["worker-1"].worker_id
        assert worker.identifiers == {(DOMAIN, f"{UNIQUE_IDS[pool]}:worker:id:{worker_id}")}
    else:
        assert worker.identifiers == {(DOMAIN, f"{UNIQUE_IDS[pool]}:worker:name:worker-1")}
    # The worker the user deleted stays deleted.
    names = {device.name for device in dr.async_entries_for_config_entry(devices, entry.entry_id)}
    assert worker_device(pool, "worker-5") in names
    assert worker_device(pool, "worker-6") not in names
    # A worker that had no entities yet gets ids made of its account's name and its own.
    assert hass.states.get(worker_entity(pool, "worker-5")) is not None
