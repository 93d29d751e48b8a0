"""Set-up, unload, and what the coordinators do when the pool fails and comes back."""

from __future__ import annotations

import logging
from datetime import timedelta

import pytest
from freezegun.api import FrozenDateTimeFactory
from homeassistant.config_entries import SOURCE_REAUTH, ConfigEntryState
from homeassistant.const import STATE_UNAVAILABLE
from homeassistant.core import HomeAssistant
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers import entity_registry as er
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.mining_pool.const import (
    DOMAIN,
    EARNINGS_INTERVAL,
    OPTION_HASHRATE_UNIT,
    OPTION_REMOVE_AFTER_DAYS,
)
from custom_components.mining_pool.pool_btccom import (
    CONF_PUID,
)
from simulator import Fault, Simulator

from .conftest import POOLS, TITLES, UNIQUE_IDS, entry_data, make_entry, setup_entry, tick

ACTIVITY_ENDPOINT = {
    "btccom": ("btccom", "/worker/stats"),
    "f2pool_v1": ("f2pool_v1", "account"),
    "f2pool_v2": ("f2pool_v2", "hash_rate/info"),
    "braiins": ("braiins", "/accounts/profile/json/btc/"),
}
HASHRATE_SENSOR = {
    "btccom": "sensor.btc_com_btc_spica_hashrate",
    "f2pool_v1": "sensor.f2pool_btc_alice_hashrate",
    "f2pool_v2": "sensor.f2pool_ltc_bob_hashrate",
    "braiins": "sensor.braiins_pool_btc_satoshi_hashrate",
}


@pytest.mark.parametrize("pool", POOLS)
async def test_setup_and_unload(hass: HomeAssistant, simulator: Simulator, pool: str) -> None:
    entry = make_entry(pool, simulator)
    await setup_entry(hass, entry)
    assert entry.state is ConfigEntryState.LOADED
    assert hass.states.get(HASHRATE_SENSOR[pool]) is not None
    await hass.config_entries.async_unload(entry.entry_id)
    await hass.async_block_till_done()
    assert entry.state is ConfigEntryState.NOT_LOADED
    state = hass.states.get(HASHRATE_SENSOR[pool])
    assert state is not None
    assert state.state == STATE_UNAVAILABLE


async def test_legacy_f2pool_reads_one_document_per_refresh(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, simulator: Simulator
) -> None:
    await setup_entry(hass, make_entry("f2pool_v1", simulator))
    assert simulator.request_counts["f2pool_v1:account"] == 1
    await tick(hass, freezer, simulator, timedelta(minutes=5))
    assert simulator.request_counts["f2pool_v1:account"] == 2


async def test_earnings_are_read_less_often(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, simulator: Simulator
) -> None:
    await setup_entry(hass, make_entry("f2pool_v2", simulator))
    for _ in range(6):
        await tick(hass, freezer, simulator, timedelta(minutes=5))
    # Activity every 5 minutes; earnings only once 30 minutes have passed.
    assert simulator.request_counts["f2pool_v2:hash_rate/info"] == 7
    assert simulator.request_counts["f2pool_v2:assets/balance"] == 2
    assert timedelta(minutes=30) == EARNINGS_INTERVAL


async def test_upgrade_from_0_1_0_drops_the_refresh_interval(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    simulator: Simulator,
    entity_registry: er.EntityRegistry,
) -> None:
    # An entry as 0.1.0 stored it, with a 2-minute refresh the user had set, and an entity
    # the user renamed.
    entry = MockConfigEntry(
        domain=DOMAIN,
        title=TITLES["btccom"],
        unique_id=UNIQUE_IDS["btccom"],
        data=entry_data("btccom", simulator),
        options={"refresh_minutes": 2, OPTION_HASHRATE_UNIT: "PH/s", OPTION_REMOVE_AFTER_DAYS: 3},
        entry_id="entry_btccom",
        version=1,
        minor_version=1,
    )
    entry.add_to_hass(hass)
    renamed = entity_registry.async_get_or_create(
        "sensor",
        DOMAIN,
        f"{UNIQUE_IDS['btccom']}_hashrate",
        config_entry=entry,
        suggested_object_id="farm_hashrate",
    )
    entity_registry.async_update_entity(renamed.entity_id, name="Farm")
    await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()

    assert entry.state is ConfigEntryState.LOADED
    assert (entry.version, entry.minor_version) == (2, 1)
    # The interval is gone; every other option stays.
    assert dict(entry.options) == {OPTION_HASHRATE_UNIT: "PH/s", OPTION_REMOVE_AFTER_DAYS: 3}
    state = hass.states.get("sensor.farm_hashrate")
    assert state is not None
    assert state.name == "Farm"
    assert state.attributes["unit_of_measurement"] == "PH/s"
    # The pool's pace now: nothing after 2 minutes, the next read at 5.
    simulator.reset_counters()
    await tick(hass, freezer, simulator, timedelta(minutes=2))
    assert simulator.request_counts["btccom:/worker/stats"] == 0
    await tick(hass, freezer, simulator, timedelta(minutes=3))
    assert simulator.request_counts["btccom:/worker/stats"] == 1


async def test_entry_of_a_newer_release_is_not_loaded(
    hass: HomeAssistant, simulator: Simulator
) -> None:
    entry = MockConfigEntry(
        domain=DOMAIN,
        unique_id=UNIQUE_IDS["btccom"],
        data=entry_data("btccom", simulator),
        version=3,
    )
    await setup_entry(hass, entry)
    assert entry.state is ConfigEntryState.MIGRATION_ERROR


@pytest.mark.parametrize("pool", POOLS)
async def test_first_refresh_failing_retries_setup(
    hass: HomeAssistant, simulator: Simulator, pool: str
) -> None:
    simulator.set_fault(*ACTIVITY_ENDPOINT[pool], Fault(status=500))
    entry = make_entry(pool, simulator)
    await setup_entry(hass, entry)
    assert entry.state is ConfigEntryState.SETUP_RETRY
    assert hass.states.get(HASHRATE_SENSOR[pool]) is None


@pytest.mark.parametrize("pool", POOLS)
async def test_refused_credentials_at_setup_start_reauth(
    hass: HomeAssistant, simulator: Simulator, pool: str
) -> None:
    simulator.set_fault(*ACTIVITY_ENDPOINT[pool], Fault(auth_failure=True))
    entry = make_entry(pool, simulator)
    await setup_entry(hass, entry)
    assert entry.state is ConfigEntryState.SETUP_ERROR
    flows = hass.config_entries.flow.async_progress_by_handler(DOMAIN)
    assert [flow["context"]["source"] for flow in flows] == [SOURCE_REAUTH]


async def test_malformed_stored_settings(hass: HomeAssistant, simulator: Simulator) -> None:
    data = {**make_entry("btccom", simulator).data, CONF_PUID: "not-a-number"}
    bad = MockConfigEntry(domain=DOMAIN, title="broken", unique_id="broken", data=data)
    await setup_entry(hass, bad)
    assert bad.state is ConfigEntryState.SETUP_ERROR
    assert bad.reason is not None
    assert "puid" in bad.reason


@pytest.mark.parametrize("pool", POOLS)
async def test_unavailable_then_recovered(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    simulator: Simulator,
    caplog: pytest.LogCaptureFixture,
    pool: str,
) -> None:
    await setup_entry(hass, make_entry(pool, simulator))
    sensor = HASHRATE_SENSOR[pool]
    before = hass.states.get(sensor)
    assert before is not None
    assert before.state != STATE_UNAVAILABLE
    simulator.set_fault(*ACTIVITY_ENDPOINT[pool], Fault(status=502))
    caplog.clear()
    with caplog.at_level(logging.INFO, logger="custom_components.mining_pool"):
        for _ in range(3):
            await tick(hass, freezer, simulator, timedelta(minutes=5))
            state = hass.states.get(sensor)
            assert state is not None
            assert state.state == STATE_UNAVAILABLE
        failures = [
            record
            for record in caplog.records
            if record.name.startswith("custom_components.mining_pool")
            and record.levelno >= logging.WARNING
        ]
        # One line when the account becomes unreachable, however many refreshes fail.
        assert len(failures) == 1
        simulator.clear_faults()
        # The refreshes backed off (10, then 20 minutes): the next one is 20 minutes away.
        await tick(hass, freezer, simulator, timedelta(minutes=20))
    after = hass.states.get(sensor)
    assert after is not None
    assert after.state != STATE_UNAVAILABLE
    assert float(after.state) > 0
    # Home Assistant's own line when it is back.
    assert any(
        record.getMessage() == f"Fetching {DOMAIN} {TITLES[pool]} data recovered"
        for record in caplog.records
    )


@pytest.mark.parametrize("pool", POOLS)
async def test_refused_credentials_later_start_reauth(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, simulator: Simulator, pool: str
) -> None:
    entry = make_entry(pool, simulator)
    await setup_entry(hass, entry)
    simulator.set_fault(*ACTIVITY_ENDPOINT[pool], Fault(auth_failure=True))
    await tick(hass, freezer, simulator, timedelta(minutes=5))
    if pool == "f2pool_v1":
        # The legacy API refuses with a bare HTTP 401: only its repeat, at the next refresh
        # (10 minutes on, backing off), asks for new credentials.
        assert hass.config_entries.flow.async_progress_by_handler(DOMAIN) == []
        await tick(hass, freezer, simulator, timedelta(minutes=10))
    flows = hass.config_entries.flow.async_progress_by_handler(DOMAIN)
    assert [flow["context"]["source"] for flow in flows] == [SOURCE_REAUTH]
    assert flows[0]["context"]["entry_id"] == entry.entry_id


async def test_rate_limit_waits_as_asked(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, simulator: Simulator
) -> None:
    await setup_entry(hass, make_entry("f2pool_v2", simulator))
    simulator.set_fault(
        "f2pool_v2",
        "hash_rate/info",
        Fault(rate_limit=True, headers={"Retry-After": "900"}, times=1),
    )
    await tick(hass, freezer, simulator, timedelta(minutes=5))
    assert simulator.request_counts["f2pool_v2:hash_rate/info"] == 2
    # The pool asked for 15 minutes: the 5-minute refresh does not call it sooner.
    await tick(hass, freezer, simulator, timedelta(minutes=5))
    await tick(hass, freezer, simulator, timedelta(minutes=5))
    assert simulator.request_counts["f2pool_v2:hash_rate/info"] == 2
    await tick(hass, freezer, simulator, timedelta(minutes=6))
    assert simulator.request_counts["f2pool_v2:hash_rate/info"] == 3


async def test_remove_entry_leaves_nothing(
    hass: HomeAssistant,
    simulator: Simulator,
    entity_registry: er.EntityRegistry,
    device_registry: dr.DeviceRegistry,
) -> None:
    entry = make_entry("btccom", simulator)
    await setup_entry(hass, entry)
    assert er.async_entries_for_config_entry(entity_registry, entry.entry_id)
    await hass.config_entries.async_remove(entry.entry_id)
    await hass.async_block_till_done()
    assert not er.async_entries_for_config_entry(entity_registry, entry.entry_id)
    assert not dr.async_entries_for_config_entry(device_registry, entry.entry_id)
    assert hass.states.async_entity_ids("sensor") == []


async def test_earnings_failing_alone_leave_the_activity_shown(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    simulator: Simulator,
    caplog: pytest.LogCaptureFixture,
) -> None:
    await setup_entry(hass, make_entry("btccom", simulator))
    simulator.set_fault(
        "btccom", "/account/earn-stats", Fault(status=503, body="down", content_type="text/plain")
    )
    caplog.clear()
    balance, hashrate = "sensor.btc_com_btc_spica_balance", HASHRATE_SENSOR["btccom"]

    def shown(entity_id: str) -> str:
        state = hass.states.get(entity_id)
        assert state is not None
        return state.state

    with caplog.at_level(logging.INFO, logger="custom_components.mining_pool"):
        # The earnings are due after 30 minutes; their read fails, and is tried at each refresh.
        await tick(hass, freezer, simulator, EARNINGS_INTERVAL)
        await tick(hass, freezer, simulator, timedelta(minutes=5))
        assert shown(balance) == STATE_UNAVAILABLE
        assert float(shown(hashrate)) > 0
        warnings = [
            record.getMessage()
            for record in caplog.records
            if record.name.startswith("custom_components.mining_pool")
            and record.levelno >= logging.WARNING
        ]
        assert warnings == [
            f"The earnings of {TITLES['btccom']} cannot be read: BTC.com is unavailable (HTTP 503)"
        ]
        simulator.clear_faults()
        await tick(hass, freezer, simulator, timedelta(minutes=5))
    assert float(shown(balance)) > 0
    assert f"The earnings of {TITLES['btccom']} can be read again" in caplog.messages
