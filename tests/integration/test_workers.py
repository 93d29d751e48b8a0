"""Workers as devices: online state, workers that come and go, deletion, and large farms."""

from __future__ import annotations

import asyncio
import time
from datetime import timedelta
from typing import Any

import pytest
from freezegun.api import FrozenDateTimeFactory
from homeassistant.const import (
    EVENT_HOMEASSISTANT_FINAL_WRITE,
    STATE_OFF,
    STATE_ON,
    STATE_UNAVAILABLE,
)
from homeassistant.core import Event, EventStateChangedData, HomeAssistant, callback
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers import entity_registry as er
from homeassistant.setup import async_setup_component
from homeassistant.util import dt as dt_util
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.typing import WebSocketGenerator

from custom_components.mining_pool import async_remove_config_entry_device
from custom_components.mining_pool.const import (
    DOMAIN,
    OPTION_REMOVE_AFTER_DAYS,
    OPTION_WORKER_DEVICES,
)
from simulator import Fault, ManualClock, Simulator

from .conftest import (
    BRAIINS_TOKEN,
    POOLS,
    UNIQUE_IDS,
    make_entry,
    setup_entry,
    tick,
    truth,
    worker_device,
    worker_entity,
)

ACCOUNT_SENSORS = {
    "btccom": "sensor.btc_com_btc_spica",
    "f2pool_v1": "sensor.f2pool_btc_alice",
    "f2pool_v2": "sensor.f2pool_ltc_bob",
    "braiins": "sensor.braiins_pool_btc_satoshi",
}
EVENTS = {
    "btccom": "event.btc_com_btc_spica_last_status_change",
    "f2pool_v1": "event.f2pool_btc_alice_last_status_change",
    "f2pool_v2": "event.f2pool_ltc_bob_last_status_change",
    "braiins": "event.braiins_pool_btc_satoshi_last_status_change",
}
# Long enough for every pool to call a silent worker offline: BTC.com after 15 minutes without
# a share, F2Pool v1 after the 30-minute threshold of the integration's option.
SILENCE = timedelta(minutes=35)
# The real clock, out of freezegun's reach: it swaps every module attribute that is a time
# function, but not one held inside a container.
WALL_CLOCK = {"perf_counter": time.perf_counter}
REFRESH = timedelta(minutes=5)


def state_of(hass: HomeAssistant, entity_id: str) -> str:
    state = hass.states.get(entity_id)
    assert state is not None, entity_id
    return state.state


async def run_for(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, sim: Simulator, span: timedelta
) -> None:
    """Let refreshes happen every 5 minutes for ``span``."""
    for _ in range(int(span / REFRESH)):
        await tick(hass, freezer, sim, REFRESH)


@pytest.mark.parametrize("pool", POOLS)
async def test_worker_goes_offline_and_comes_back(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, simulator: Simulator, pool: str
) -> None:
    await setup_entry(hass, make_entry(pool, simulator))
    account = truth(simulator, pool)
    offline = f"{ACCOUNT_SENSORS[pool]}_workers_offline"
    assert state_of(hass, worker_entity(pool, "worker-3")) == STATE_ON
    before = int(state_of(hass, offline))
    events: list[tuple[str, str]] = []

    @callback
    def record(event: Event[EventStateChangedData]) -> None:
        new_state = event.data["new_state"]
        if (
            new_state is not None
            and new_state.entity_id == EVENTS[pool]
            and "event_type" in new_state.attributes
        ):
            events.append((new_state.attributes["event_type"], new_state.attributes["worker"]))

    hass.bus.async_listen("state_changed", record)
    simulator.set_worker_online(account, "worker-3", online=False)
    await run_for(hass, freezer, simulator, SILENCE)
    # Off, not unavailable: the pool answered, the worker stopped.
    assert state_of(hass, worker_entity(pool, "worker-3")) == STATE_OFF
    assert int(state_of(hass, offline)) == before + 1
    assert events == [("offline", "worker-3")]
    event_state = hass.states.get(EVENTS[pool])
    assert event_state is not None
    assert event_state.attributes["sensor"] == worker_entity(pool, "worker-3")
    assert "offline_since" not in event_state.attributes
    offline_since = event_state.state
    simulator.set_worker_online(account, "worker-3", online=True)
    await tick(hass, freezer, simulator, REFRESH)
    assert state_of(hass, worker_entity(pool, "worker-3")) == STATE_ON
    assert int(state_of(hass, offline)) == before
    assert events == [("offline", "worker-3"), ("online", "worker-3")]
    # Back: the event says since when the worker was offline, the time of the "offline" one.
    event_state = hass.states.get(EVENTS[pool])
    assert event_state is not None
    assert dt_util.parse_datetime(event_state.attributes["offline_since"]) == (
        dt_util.parse_datetime(offline_since)
    )


@pytest.mark.parametrize("pool", POOLS)
async def test_unreachable_pool_makes_workers_unavailable(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, simulator: Simulator, pool: str
) -> None:
    await setup_entry(hass, make_entry(pool, simulator))
    simulator.set_fault(
        pool,
        "*",
        Fault(status=503, body="down", content_type="text/plain"),
    )
    await tick(hass, freezer, simulator, REFRESH)
    assert state_of(hass, worker_entity(pool, "worker-1")) == STATE_UNAVAILABLE
    assert (
        state_of(hass, worker_entity(pool, "worker-1", "hashrate", "sensor")) == STATE_UNAVAILABLE
    )


@pytest.mark.parametrize("pool", POOLS)
async def test_new_worker_appears_without_reload(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    simulator: Simulator,
    device_registry: dr.DeviceRegistry,
    pool: str,
) -> None:
    entry = make_entry(pool, simulator)
    await setup_entry(hass, entry)
    assert hass.states.get(worker_entity(pool, "new-rig")) is None
    simulator.add_worker(truth(simulator, pool), "new-rig")
    await tick(hass, freezer, simulator, REFRESH)
    assert state_of(hass, worker_entity(pool, "new-rig")) == STATE_ON
    assert float(state_of(hass, worker_entity(pool, "new-rig", "hashrate", "sensor"))) > 0
    names = {
        device.name for device in dr.async_entries_for_config_entry(device_registry, entry.entry_id)
    }
    assert worker_device(pool, "new-rig") in names


@pytest.mark.parametrize("pool", POOLS)
async def test_vanished_worker_is_removed_after_the_threshold(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    simulator: Simulator,
    device_registry: dr.DeviceRegistry,
    entity_registry: er.EntityRegistry,
    pool: str,
) -> None:
    entry = make_entry(pool, simulator, {OPTION_REMOVE_AFTER_DAYS: 1})
    await setup_entry(hass, entry)
    simulator.remove_worker(truth(simulator, pool), "worker-2")
    await tick(hass, freezer, simulator, REFRESH)
    # Not listed any more: not mining, but kept for now.
    assert state_of(hass, worker_entity(pool, "worker-2")) == STATE_OFF
    assert state_of(hass, worker_entity(pool, "worker-2", "hashrate", "sensor")) == "unknown"
    await tick(hass, freezer, simulator, timedelta(hours=23))
    assert hass.states.get(worker_entity(pool, "worker-2")) is not None
    await tick(hass, freezer, simulator, timedelta(hours=1, minutes=5))
    names = {
        device.name for device in dr.async_entries_for_config_entry(device_registry, entry.entry_id)
    }
    assert worker_device(pool, "worker-2") not in names
    assert worker_device(pool, "worker-1") in names
    assert entity_registry.async_get(worker_entity(pool, "worker-2")) is None
    assert hass.states.get(worker_entity(pool, "worker-2")) is None


async def test_deleted_worker_stays_deleted_until_it_mines(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    simulator: Simulator,
    device_registry: dr.DeviceRegistry,
    hass_ws_client: WebSocketGenerator,
) -> None:
    assert await async_setup_component(hass, "config", {})
    entry = make_entry("f2pool_v2", simulator)
    await setup_entry(hass, entry)
    account = truth(simulator, "f2pool_v2")
    client = await hass_ws_client(hass)

    def device_of(name: str) -> dr.DeviceEntry | None:
        return next(
            (
                device
                for device in dr.async_entries_for_config_entry(device_registry, entry.entry_id)
                if device.name == name
            ),
            None,
        )

    async def remove(device: dr.DeviceEntry) -> bool:
        # The command both tested Home Assistant versions know (2026.10 also has a newer one).
        await client.send_json_auto_id(
            {
                "type": "config/device_registry/remove_config_entry",
                "config_entry_id": entry.entry_id,
                "device_id": device.id,
            }
        )
        response: dict[str, Any] = await client.receive_json()
        if not response["success"]:
            # Refused by the integration, not for any other reason.
            assert response["error"]["code"] == "home_assistant_error", response
        return bool(response["success"])

    mining = device_of(worker_device("f2pool_v2", "worker-4"))
    assert mining is not None
    # A worker that is mining cannot be deleted, nor the account's own device.
    assert not await remove(mining)
    account_device = device_of(entry.title)
    assert account_device is not None
    assert not await remove(account_device)

    # F2Pool v2 reports the state itself: the next refresh shows the worker offline (and the
    # websocket's token, valid for 30 minutes, is still good).
    simulator.set_worker_online(account, "worker-4", online=False)
    await tick(hass, freezer, simulator, REFRESH)
    assert state_of(hass, worker_entity("f2pool_v2", "worker-4")) == STATE_OFF
    assert await remove(mining)
    await hass.async_block_till_done()
    assert device_of(worker_device("f2pool_v2", "worker-4")) is None
    await run_for(hass, freezer, simulator, REFRESH * 2)
    assert device_of(worker_device("f2pool_v2", "worker-4")) is None
    # Still deleted after a restart.
    await hass.config_entries.async_reload(entry.entry_id)
    await hass.async_block_till_done()
    await tick(hass, freezer, simulator, REFRESH)
    assert device_of(worker_device("f2pool_v2", "worker-4")) is None
    assert hass.states.get(worker_entity("f2pool_v2", "worker-4")) is None
    # Mining again, it comes back.
    simulator.set_worker_online(account, "worker-4", online=True)
    await tick(hass, freezer, simulator, REFRESH)
    assert device_of(worker_device("f2pool_v2", "worker-4")) is not None
    assert state_of(hass, worker_entity("f2pool_v2", "worker-4")) == STATE_ON


async def delete_an_offline_worker(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    simulator: Simulator,
    device_registry: dr.DeviceRegistry,
) -> MockConfigEntry:
    """Set up the F2Pool v2 account, take worker-4 offline and delete its device in the UI."""
    entry = make_entry("f2pool_v2", simulator)
    await setup_entry(hass, entry)
    simulator.set_worker_online(truth(simulator, "f2pool_v2"), "worker-4", online=False)
    await tick(hass, freezer, simulator, REFRESH)
    [device] = [
        device
        for device in dr.async_entries_for_config_entry(device_registry, entry.entry_id)
        if device.name == worker_device("f2pool_v2", "worker-4")
    ]
    # What deleting the device in the UI does: the integration agrees, then the device goes.
    assert await async_remove_config_entry_device(hass, entry, device)
    device_registry.async_remove_device(device.id)
    return entry


async def test_deletion_just_before_a_reload_or_removal_sticks(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    simulator: Simulator,
    device_registry: dr.DeviceRegistry,
    hass_storage: dict[str, Any],
) -> None:
    entry = await delete_an_offline_worker(hass, freezer, simulator, device_registry)
    # Reloaded within the tracker's one-minute save delay: the deletion is not lost.
    await hass.config_entries.async_reload(entry.entry_id)
    await hass.async_block_till_done()
    await tick(hass, freezer, simulator, REFRESH)
    names = {
        device.name for device in dr.async_entries_for_config_entry(device_registry, entry.entry_id)
    }
    assert worker_device("f2pool_v2", "worker-3") in names
    assert worker_device("f2pool_v2", "worker-4") not in names

    # Removed with a save pending: no file is left behind, now or after the delay.
    store = f"{DOMAIN}.{entry.entry_id}.worker_keys"
    assert store in hass_storage
    await hass.config_entries.async_remove(entry.entry_id)
    await hass.async_block_till_done()
    assert store not in hass_storage
    await tick(hass, freezer, simulator, timedelta(minutes=2))
    assert store not in hass_storage


async def test_account_sensors_only(
    hass: HomeAssistant,
    simulator: Simulator,
    device_registry: dr.DeviceRegistry,
) -> None:
    entry = make_entry("btccom", simulator)
    await setup_entry(hass, entry)
    assert len(dr.async_entries_for_config_entry(device_registry, entry.entry_id)) == 7
    hass.config_entries.async_update_entry(entry, options={OPTION_WORKER_DEVICES: False})
    await hass.config_entries.async_reload(entry.entry_id)
    await hass.async_block_till_done()
    (device,) = dr.async_entries_for_config_entry(device_registry, entry.entry_id)
    assert (DOMAIN, UNIQUE_IDS["btccom"]) in device.identifiers
    assert hass.states.get(worker_entity("btccom", "worker-1")) is None
    assert hass.states.get(EVENTS["btccom"]) is None
    assert state_of(hass, "sensor.btc_com_btc_spica_workers_online") == "6"
    simulator.reset_counters()
    await hass.config_entries.async_reload(entry.entry_id)
    await hass.async_block_till_done()
    # Without worker devices BTC.com's worker list is not read at all.
    assert "btccom:/worker" not in simulator.request_counts


@pytest.mark.parametrize("pool", ["btccom", "f2pool_v2"])
async def test_large_farm(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    sim_clock: object,
    pool: str,
    capsys: pytest.CaptureFixture[str],
) -> None:
    sim = Simulator(seed=31, clock=sim_clock)  # type: ignore[arg-type]
    if pool == "btccom":
        sim.add_btccom_account(
            access_key="ak-Secret-7f3e9d", puid=7734215, workers=5000, user_name="spica"
        )
    else:
        sim.add_f2pool_account(
            currency="litecoin", account="bob", workers=5000, token="tok-Secret-91bc4a"
        )
    async with sim.running():
        entry = make_entry(pool, sim)
        # Home Assistant's clock is frozen; these figures come from the real one.
        clock = WALL_CLOCK["perf_counter"]
        stalls: list[float] = []
        watching = True

        async def watch_the_loop() -> None:
            """Record how long the loop goes without letting this task run."""
            while watching:
                before = clock()
                await asyncio.sleep(0)
                stalls.append(clock() - before)

        watcher = asyncio.create_task(watch_the_loop())
        started = clock()
        await setup_entry(hass, entry)
        set_up = clock() - started
        started = clock()
        await tick(hass, freezer, sim, REFRESH)
        refreshed = clock() - started
        watching = False
        await watcher
        binary_sensors = hass.states.async_entity_ids("binary_sensor")
        assert len(binary_sensors) == 5000
        total = state_of(hass, f"{ACCOUNT_SENSORS[pool]}_workers")
        assert total == "5000"
        await hass.config_entries.async_unload(entry.entry_id)
        await hass.async_block_till_done()
    with capsys.disabled():
        print(  # noqa: T201 (a figure for the reader of the test run)
            f"\n5,000-worker {pool} account: set-up {set_up:.2f} s, one refresh "
            f"{refreshed:.2f} s, longest event-loop stall {max(stalls):.2f} s "
            f"(test harness, asyncio debug mode on)"
        )


async def test_a_deletion_is_written_when_home_assistant_stops(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    simulator: Simulator,
    device_registry: dr.DeviceRegistry,
    hass_storage: dict[str, Any],
) -> None:
    entry = await delete_an_offline_worker(hass, freezer, simulator, device_registry)
    # Stopping within the tracker's one-minute save delay: Home Assistant's last write has it.
    hass.bus.async_fire(EVENT_HOMEASSISTANT_FINAL_WRITE)
    await hass.async_block_till_done()
    stored = hass_storage[f"{DOMAIN}.{entry.entry_id}.worker_keys"]["data"]
    assert list(stored["deleted"]) == ["name:worker-4"]


async def test_a_braiins_worker_below_its_hashrate_mines_and_is_flagged(
    hass: HomeAssistant, sim_clock: ManualClock
) -> None:
    sim = Simulator(seed=29, clock=sim_clock)
    account = sim.add_braiins_account(token=BRAIINS_TOKEN, workers=12, user_name="satoshi")
    async with sim.running():
        states = {name: account.braiins_state(name) for name in account.workers}
        low = sorted(name for name, state in states.items() if state == "low")
        assert low, states
        await setup_entry(hass, make_entry("braiins", sim))
        for name in low:
            assert state_of(hass, worker_entity("braiins", name, "state", "sensor")) == "low"
            # Below its expected hashrate, it still mines: online, not offline.
            assert state_of(hass, worker_entity("braiins", name)) == STATE_ON
        assert state_of(hass, "sensor.braiins_pool_btc_satoshi_workers_low") == str(len(low))
        assert state_of(hass, "sensor.braiins_pool_btc_satoshi_workers_online") == str(
            sum(state in ("ok", "low") for state in states.values())
        )
