"""The worker-offline blueprint, loaded into a real automation."""

from __future__ import annotations

import asyncio
import shutil
from datetime import timedelta
from pathlib import Path

import pytest
from freezegun.api import FrozenDateTimeFactory
from homeassistant.components.automation import DOMAIN as AUTOMATION
from homeassistant.core import HomeAssistant
from homeassistant.setup import async_setup_component
from pytest_homeassistant_custom_component.common import (
    async_fire_time_changed,
    async_mock_service,
)

from simulator import Simulator

from .conftest import make_entry, setup_entry

BLUEPRINT = (
    Path(__file__).parents[2] / "blueprints" / "automation" / "mining_pool" / "worker_offline.yaml"
)
REFRESH = timedelta(minutes=5)


async def tick(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, sim: Simulator, delta: timedelta
) -> None:
    """Move both clocks and wait for the integration's refreshes.

    Not for every task: an automation run that waits for a worker to come back is one, and
    waiting for it would wait forever.
    """
    freezer.tick(delta)
    sim.advance(delta)
    async_fire_time_changed(hass)
    while pending := [
        task
        for task in hass._tasks | hass._background_tasks
        if not task.done() and "automation" not in task.get_name()
    ]:
        await asyncio.wait(pending)
    # The automation's own steps: a few turns of the loop.
    for _ in range(20):
        await asyncio.sleep(0)


@pytest.fixture
def blueprint_folder(hass: HomeAssistant, tmp_path: Path) -> None:
    """Install the repository's blueprint where Home Assistant looks for blueprints."""
    hass.config.config_dir = str(tmp_path)
    target = tmp_path / "blueprints" / "automation" / "mining_pool"
    target.mkdir(parents=True)
    shutil.copy(BLUEPRINT, target / BLUEPRINT.name)


@pytest.mark.usefixtures("blueprint_folder")
async def test_notifies_when_a_worker_stays_offline_and_when_it_is_back(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, simulator: Simulator
) -> None:
    await setup_entry(hass, make_entry("f2pool_v2", simulator))
    notified = async_mock_service(hass, "test", "notify")
    assert await async_setup_component(
        hass,
        AUTOMATION,
        {
            AUTOMATION: {
                "use_blueprint": {
                    "path": "mining_pool/worker_offline.yaml",
                    "input": {
                        "account": "event.f2pool_ltc_bob_last_status_change",
                        "minutes": 10,
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
    bob = simulator.world.f2pool["litecoin", "bob"]

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
        "title": "Worker worker-3 is offline",
        "message": "worker-3 has not been mining for 10 minutes.",
    }

    simulator.set_worker_online(bob, "worker-3", online=True)
    await tick(hass, freezer, simulator, REFRESH)
    assert len(notified) == 2
    assert notified[1].data == {
        "title": "Worker worker-3 is back",
        "message": "worker-3 is mining again.",
    }
