"""Who a worker is: the pool's stable id where it has one, and ids no name can forge."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta

import pytest
from freezegun.api import FrozenDateTimeFactory
from homeassistant.const import STATE_OFF, STATE_ON
from homeassistant.core import HomeAssistant
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers import entity_registry as er
from hypothesis import assume, given
from hypothesis import strategies as st

from custom_components.mining_pool.api import Worker
from custom_components.mining_pool.const import DOMAIN
from custom_components.mining_pool.pool_f2pool import unique_id as f2pool_unique_id
from custom_components.mining_pool.workers import (
    account_unique_id,
    worker_device_id,
    worker_key,
    worker_of_device,
    worker_unique_id,
)
from simulator import ManualClock, Quirks, Simulator

from .conftest import ACCESS_KEY, PUID, make_entry, setup_entry, tick

# What the pools' unique ids are made of; entity keys are the integration's own words.
ENTRY_IDS = st.from_regex(r"[a-z0-9_-]{1,24}", fullmatch=True)
ENTITY_KEYS = st.sampled_from(["hashrate", "online", "worker_status", "hashrate_last_day"])
WORKERS = st.builds(
    lambda name, worker_id, by_id: (Worker(name=name, worker_id=worker_id), by_id),
    st.text(max_size=12),
    st.one_of(st.none(), st.text(max_size=8)),
    st.booleans(),
)


@given(ENTRY_IDS, WORKERS, ENTITY_KEYS, ENTRY_IDS, WORKERS, ENTITY_KEYS)
def test_no_name_forges_another_workers_id(
    first_entry: str,
    first: tuple[Worker, bool],
    first_entity: str,
    second_entry: str,
    second: tuple[Worker, bool],
    second_entity: str,
) -> None:
    first_key = worker_key(first[0], by_id=first[1])
    second_key = worker_key(second[0], by_id=second[1])
    assume((first_entry, first_key, first_entity) != (second_entry, second_key, second_entity))
    assert worker_unique_id(first_entry, first_key, first_entity) != worker_unique_id(
        second_entry, second_key, second_entity
    )
    # Nor can a worker's id be an account entity's.
    assert worker_unique_id(first_entry, first_key, first_entity) != account_unique_id(
        second_entry, second_entity
    )
    # A device identifier names its worker, and only for its own account.
    assert worker_of_device(first_entry, worker_device_id(first_entry, first_key)) == first_key
    if first_entry != second_entry:
        assert worker_of_device(second_entry, worker_device_id(first_entry, first_key)) is None


def test_the_example_of_the_issue_no_longer_collides() -> None:
    """Account "bob_worker_worker-3" and worker-3 of account "bob" shared an id in 0.1.0."""
    bob = f2pool_unique_id({"currency": "bitcoin", "account": "bob"})
    other = f2pool_unique_id({"currency": "bitcoin", "account": "bob_worker_worker-3"})
    worker = worker_key(Worker(name="worker-3"), by_id=False)
    assert worker_unique_id(bob, worker, "hashrate") != account_unique_id(other, "hashrate")


@pytest.fixture
async def twins(sim_clock: ManualClock) -> AsyncIterator[Simulator]:
    """A BTC.com account with two machines named "worker-1", each with its own id."""
    sim = Simulator(seed=29, clock=sim_clock)
    sim.add_btccom_account(
        access_key=ACCESS_KEY,
        puid=PUID,
        workers=6,
        user_name="spica",
        quirks=Quirks(shared_name=True),
    )
    async with sim.running():
        yield sim


async def test_workers_sharing_a_name_are_two_devices(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    twins: Simulator,
    device_registry: dr.DeviceRegistry,
    entity_registry: er.EntityRegistry,
) -> None:
    entry = make_entry("btccom", twins)
    await setup_entry(hass, entry)
    account = twins.world.btccom[PUID]
    first, second = account.workers["worker-1"], account.workers["worker-1#2"]
    assert first.worker_id != second.worker_id
    devices = {
        identifier: device
        for device in dr.async_entries_for_config_entry(device_registry, entry.entry_id)
        for _, identifier in device.identifiers
    }
    # Two devices, named so that a user tells them apart; the account counts seven workers.
    assert len(devices) == 8
    total = entity_registry.async_get_entity_id(
        "sensor", DOMAIN, account_unique_id(str(entry.unique_id), "workers_total")
    )
    assert total is not None
    state = hass.states.get(total)
    assert state is not None
    assert state.state == "7"
    online = {}
    for machine in (first, second):
        device = devices[f"{entry.unique_id}:worker:id:{machine.worker_id}"]
        assert device.name == f"{entry.title} worker-1 #{machine.worker_id}"
        (sensor,) = [
            entity.entity_id
            for entity in er.async_entries_for_device(entity_registry, device.id)
            if entity.domain == "binary_sensor"
        ]
        online[machine.worker_id] = sensor
    # Each is its own machine: one stops, the other mines on.
    twins.set_worker_online(account, "worker-1#2", online=False)
    for _ in range(7):
        await tick(hass, freezer, twins, timedelta(minutes=5))
    first_state = hass.states.get(online[first.worker_id])
    second_state = hass.states.get(online[second.worker_id])
    assert first_state is not None
    assert second_state is not None
    assert (first_state.state, second_state.state) == (STATE_ON, STATE_OFF)
