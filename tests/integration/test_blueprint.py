"""The worker-offline blueprint, loaded into a real automation."""

from __future__ import annotations

import asyncio
import shutil
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from freezegun.api import FrozenDateTimeFactory
from homeassistant.components.automation import DOMAIN as AUTOMATION
from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import STATE_UNAVAILABLE
from homeassistant.core import HomeAssistant, ServiceCall
from homeassistant.setup import async_setup_component
from homeassistant.util import dt as dt_util
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_time_changed,
    async_mock_service,
)

from custom_components.mining_pool.const import (
    OPTION_HASHRATE_UNIT,
    OPTION_REMOVE_AFTER_DAYS,
    OPTION_WORKER_DEVICES,
)
from simulator import Fault, Simulator

from .conftest import make_entry, setup_entry, truth
from .test_workers import EVENTS

BLUEPRINT = (
    Path(__file__).parents[2] / "blueprints" / "automation" / "mining_pool" / "worker_offline.yaml"
)
REFRESH = timedelta(minutes=5)


def automation_run(task: asyncio.Task[Any]) -> bool:
    """Whether a task runs an automation's actions (named so, or its script's run)."""
    coro = task.get_coro()
    return "automation" in task.get_name() or (
        coro is not None and getattr(coro, "__qualname__", "").startswith("Script.")
    )


async def settle(hass: HomeAssistant) -> None:
    """Wait for the integration's work, not for every task.

    An automation run that waits for a worker to come back is a task, and waiting for it (as
    ``hass.async_block_till_done`` does) would wait forever.
    """
    while pending := [
        task
        for task in hass._tasks | hass._background_tasks
        if not task.done() and not automation_run(task)
    ]:
        await asyncio.wait(pending)
    # The automation's own steps: a few turns of the loop.
    for _ in range(20):
        await asyncio.sleep(0)


async def tick(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, sim: Simulator, delta: timedelta
) -> None:
    """Move both clocks and wait for the integration's refreshes."""
    freezer.tick(delta)
    sim.advance(delta)
    async_fire_time_changed(hass)
    await settle(hass)


@pytest.fixture
def blueprint_folder(hass: HomeAssistant, tmp_path: Path) -> None:
    """Install the repository's blueprint where Home Assistant looks for blueprints."""
    hass.config.config_dir = str(tmp_path)
    target = tmp_path / "blueprints" / "automation" / "mining_pool"
    target.mkdir(parents=True)
    shutil.copy(BLUEPRINT, target / BLUEPRINT.name)


async def watch(hass: HomeAssistant, accounts: list[str], minutes: int) -> list[ServiceCall]:
    """An automation made from the blueprint, watching ``accounts``; the notifications it sends."""
    notified = async_mock_service(hass, "test", "notify")
    assert await async_setup_component(
        hass,
        AUTOMATION,
        {
            AUTOMATION: {
                "use_blueprint": {
                    "path": "mining_pool/worker_offline.yaml",
                    "input": {
                        "account": accounts,
                        "minutes": minutes,
                        "notify": [
                            {
                                "action": "test.notify",
                                "data": {"title": "{{ title }}", "message": "{{ message }}"},
                            }
                        ],
                    },
                }
            }
        },
    )
    await hass.async_block_till_done()
    return notified


def texts(notified: list[ServiceCall]) -> list[str]:
    return [call.data["message"] for call in notified]


@pytest.mark.usefixtures("blueprint_folder")
async def test_notifies_when_a_worker_stays_offline_and_when_it_is_back(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, simulator: Simulator
) -> None:
    await setup_entry(hass, make_entry("f2pool_v2", simulator))
    notified = await watch(hass, [EVENTS["f2pool_v2"]], 10)
    bob = truth(simulator, "f2pool_v2")

    # A short outage: back before 10 minutes, no notification.
    simulator.set_worker_online(bob, "worker-5", online=False)
    await tick(hass, freezer, simulator, REFRESH)
    simulator.set_worker_online(bob, "worker-5", online=True)
    await tick(hass, freezer, simulator, REFRESH)
    assert notified == []

    simulator.set_worker_online(bob, "worker-3", online=False)
    await tick(hass, freezer, simulator, REFRESH)
    await tick(hass, freezer, simulator, REFRESH)
    assert notified == []
    await tick(hass, freezer, simulator, REFRESH)
    assert len(notified) == 1
    assert notified[0].data == {
        "title": "worker-3 is offline (F2Pool LTC bob)",
        "message": "worker-3 of F2Pool LTC bob has not been mining for 10 minutes.",
    }

    simulator.set_worker_online(bob, "worker-3", online=True)
    await tick(hass, freezer, simulator, REFRESH)
    assert len(notified) == 2
    assert notified[1].data == {
        "title": "worker-3 is back (F2Pool LTC bob)",
        "message": "worker-3 of F2Pool LTC bob is mining again, after 15 minutes offline.",
    }


@dataclass
class Farm:
    """What a disruption acts on: Home Assistant, its clock, the pool and the account's entry."""

    hass: HomeAssistant
    freezer: FrozenDateTimeFactory
    sim: Simulator
    entry: MockConfigEntry


async def fail_one_read(farm: Farm) -> None:
    farm.sim.set_fault("f2pool_v2", "*", Fault(status=503, body="down", content_type="text/plain"))
    await tick(farm.hass, farm.freezer, farm.sim, REFRESH)
    assert farm.hass.states.get(EVENTS["f2pool_v2"]).state == STATE_UNAVAILABLE  # type: ignore[union-attr]
    farm.sim.clear_faults()
    await tick(farm.hass, farm.freezer, farm.sim, REFRESH)


async def reload(farm: Farm) -> None:
    assert await farm.hass.config_entries.async_reload(farm.entry.entry_id)
    await settle(farm.hass)


async def change_options(farm: Farm) -> None:
    """The options dialog, saved with another number of days: the entry reloads."""
    options = farm.hass.config_entries.options
    form = await options.async_init(farm.entry.entry_id)
    await options.async_configure(
        form["flow_id"],
        {OPTION_HASHRATE_UNIT: "TH/s", OPTION_WORKER_DEVICES: True, OPTION_REMOVE_AFTER_DAYS: 3},
    )
    await settle(farm.hass)
    assert farm.entry.state is ConfigEntryState.LOADED
    assert farm.entry.runtime_data.workers.settings.remove_after == timedelta(days=3)


async def restart(farm: Farm) -> None:
    """What a restart does to the automation's runs and the account's entities.

    The runs end; the entities go, then come back with their last state.
    """
    hass = farm.hass
    await hass.services.async_call(AUTOMATION, "turn_off", {"entity_id": "all"}, blocking=True)
    await hass.services.async_call(AUTOMATION, "turn_on", {"entity_id": "all"}, blocking=True)
    assert await hass.config_entries.async_unload(farm.entry.entry_id)
    for state in hass.states.async_all():
        if state.entity_id.startswith(("event.", "binary_sensor.")):
            hass.states.async_remove(state.entity_id)
    assert await hass.config_entries.async_setup(farm.entry.entry_id)
    await settle(hass)
    assert hass.states.get(EVENTS["f2pool_v2"]).attributes["worker"] == "worker-3"  # type: ignore[union-attr]


@pytest.mark.usefixtures("blueprint_folder")
@pytest.mark.parametrize("disrupt", [fail_one_read, reload, change_options, restart])
async def test_one_notification_per_incident_and_per_recovery(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    simulator: Simulator,
    disrupt: Callable[[Farm], Awaitable[None]],
) -> None:
    entry = make_entry("f2pool_v2", simulator)
    await setup_entry(hass, entry)
    farm = Farm(hass, freezer, simulator, entry)
    notified = await watch(hass, [EVENTS["f2pool_v2"]], 10)
    bob = truth(simulator, "f2pool_v2")
    simulator.set_worker_online(bob, "worker-3", online=False)
    await tick(hass, freezer, simulator, REFRESH)
    offline_at = dt_util.utcnow()
    for _ in range(2):
        await tick(hass, freezer, simulator, REFRESH)
    assert len(notified) == 1
    # The event entity comes back with the "offline" event it had: no second notification.
    await disrupt(farm)
    for _ in range(3):
        await tick(hass, freezer, simulator, REFRESH)
    assert len(notified) == 1
    simulator.set_worker_online(bob, "worker-3", online=True)
    await tick(hass, freezer, simulator, REFRESH)
    away = (dt_util.utcnow() - offline_at) // timedelta(minutes=1)
    assert texts(notified) == [
        "worker-3 of F2Pool LTC bob has not been mining for 10 minutes.",
        f"worker-3 of F2Pool LTC bob is mining again, after {away} minutes offline.",
    ]
    # Nor does the "online" event, restored in turn, notify again.
    count = len(notified)
    await disrupt(farm)
    await tick(hass, freezer, simulator, REFRESH)
    assert len(notified) == count


@pytest.mark.usefixtures("blueprint_folder")
async def test_a_restart_while_waiting_still_reports_the_worker_back(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, simulator: Simulator
) -> None:
    entry = make_entry("f2pool_v2", simulator)
    await setup_entry(hass, entry)
    notified = await watch(hass, [EVENTS["f2pool_v2"]], 10)
    bob = truth(simulator, "f2pool_v2")
    simulator.set_worker_online(bob, "worker-3", online=False)
    await tick(hass, freezer, simulator, REFRESH)
    # Home Assistant restarts 5 minutes into the outage: the run waiting for the 10 minutes
    # ends with it, so the outage is not reported as it goes on.
    await restart(Farm(hass, freezer, simulator, entry))
    for _ in range(6):
        await tick(hass, freezer, simulator, REFRESH)
    assert notified == []
    # The integration kept since when the worker was offline: its return is reported.
    simulator.set_worker_online(bob, "worker-3", online=True)
    await tick(hass, freezer, simulator, REFRESH)
    assert texts(notified) == [
        "worker-3 of F2Pool LTC bob is mining again, after 35 minutes offline."
    ]


@pytest.mark.usefixtures("blueprint_folder")
async def test_one_automation_watches_several_accounts(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, simulator: Simulator
) -> None:
    for pool in ("f2pool_v2", "btccom"):
        await setup_entry(hass, make_entry(pool, simulator))
    notified = await watch(hass, [EVENTS["f2pool_v2"], EVENTS["btccom"]], 61)
    simulator.set_worker_online(truth(simulator, "f2pool_v2"), "worker-2", online=False)
    simulator.set_worker_online(truth(simulator, "btccom"), "worker-4", online=False)
    for _ in range(16):
        await tick(hass, freezer, simulator, REFRESH)
    assert sorted(texts(notified)) == [
        "worker-2 of F2Pool LTC bob has not been mining for 1 hour 1 minute.",
        "worker-4 of BTC.com BTC spica has not been mining for 1 hour 1 minute.",
    ]
