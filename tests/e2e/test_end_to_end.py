"""A real Home Assistant process, driven over HTTP and WebSocket only, against the simulator.

Runs on the latest leg and in the newest environment, whose environments have Home Assistant's
frontend; the floor leg skips it.
"""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import sys
from collections.abc import AsyncIterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from demo.__main__ import account_flows
from demo.homeassistant import REPOSITORY, HomeAssistantApi, HomeAssistantProcess
from simulator import Simulator
from simulator.__main__ import DEMO_ACCESS_KEY, DEMO_BRAIINS_TOKEN, DEMO_TOKEN, build_demo

pytest.importorskip("hass_frontend", reason="Home Assistant's frontend is not on the floor leg")

USERNAME = "e2e"
PASSWORD = "end-to-end-password"
# A worker's state flips at the refresh asked for after the change: seconds, with slack.
FLIP_TIMEOUT = 60.0
# Entries set up again after a restart; Braiins Pool's reads are paced at one per 5 s.
LOAD_TIMEOUT = 120.0
# Ctrl-C stops the demo, Home Assistant included, within seconds at any phase.
STOP_TIMEOUT = 15.0
START_TIMEOUT = 240.0
BLUEPRINT = "mining_pool/worker_offline.yaml"


@pytest.fixture(autouse=True)
def _loopback_sockets(socket_enabled: None) -> None:
    """Reach the Home Assistant process and the simulator on 127.0.0.1."""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


@pytest.fixture
async def simulator() -> AsyncIterator[Simulator]:
    sim = build_demo(seed=3, workers=4)
    await sim.start()
    yield sim
    await sim.stop()


@pytest.fixture
async def home_assistant(tmp_path: Path) -> AsyncIterator[HomeAssistantProcess]:
    process = HomeAssistantProcess(tmp_path / "config", free_port())
    await process.start()
    yield process
    await process.stop()


async def entity_registry(api: HomeAssistantApi, entry_id: str) -> list[dict[str, Any]]:
    entities = await api.websocket({"type": "config/entity_registry/list"})
    return sorted(
        (entity for entity in entities if entity["config_entry_id"] == entry_id),
        key=lambda entity: entity["unique_id"],
    )


async def devices(api: HomeAssistantApi, entry_id: str) -> list[dict[str, Any]]:
    found = await api.websocket({"type": "config/device_registry/list"})
    return sorted(
        (device for device in found if entry_id in device["config_entries"]),
        key=lambda device: str(device["identifiers"]),
    )


async def state_of(api: HomeAssistantApi, entity_id: str) -> dict[str, Any]:
    state: dict[str, Any] = await api.get(f"/api/states/{entity_id}")
    return state


async def add_accounts(api: HomeAssistantApi, simulator: Simulator) -> dict[str, str]:
    """Add the four accounts through the flow, a wrong access key first; entry id by title.

    Braiins Pool's flow checks the token and sets the account up at one request per 5 s: its
    steps take seconds, well within the HTTP client's time limit.
    """
    btccom, legacy, current, braiins = account_flows(simulator)
    wrong = [btccom[0], {**btccom[1], "access_key": "not-the-key"}, btccom[2]]
    result = await api.add_entry(wrong)
    assert result["type"] == "form"
    assert result["step_id"] == "btccom"
    # The error comes back on its field.
    assert result["errors"] == {"access_key": "invalid_auth"}
    result = await api.flow_step(result["flow_id"], btccom[1])
    result = await api.flow_step(result["flow_id"], btccom[2])
    assert result["type"] == "create_entry"
    assert result["title"] == "BTC.com BTC spica"
    for steps in (legacy, current):
        assert (await api.add_entry(steps))["type"] == "create_entry"
    result = await api.add_entry(braiins)
    assert result["type"] == "create_entry"
    assert result["title"] == "Braiins Pool BTC vega"
    entries = await api.get("/api/config/config_entries/entry?domain=mining_pool")
    assert all(entry["state"] == "loaded" for entry in entries)
    return {entry["title"]: entry["entry_id"] for entry in entries}


async def check_states(api: HomeAssistantApi, simulator: Simulator) -> None:
    """The states are what the simulator serves."""
    user = simulator.world.f2pool["bitcoin", "user"]
    balance = await state_of(api, "sensor.f2pool_btc_user_balance")
    # The pool's exact amount, rounded to bitcoin's 8 decimals and written out in full.
    satoshi = Decimal("0.00000001")
    assert balance["state"] == format(user.balance.quantize(satoshi), "f")
    assert balance["attributes"]["unit_of_measurement"] == "BTC"
    paid = await state_of(api, "sensor.btc_com_btc_spica_total_paid")
    assert paid["state"] == format(simulator.world.btccom[1001].total_paid.quantize(satoshi), "f")
    assert (await state_of(api, "sensor.f2pool_ltc_demo_workers"))["state"] == "4"
    vega = simulator.world.braiins[DEMO_BRAIINS_TOKEN]
    balance = await state_of(api, "sensor.braiins_pool_btc_vega_balance")
    assert Decimal(balance["state"]) == vega.balance
    assert balance["attributes"]["unit_of_measurement"] == "BTC"
    assert (await state_of(api, "sensor.braiins_pool_btc_vega_workers"))["state"] == "4"
    hashrate = await state_of(api, "sensor.braiins_pool_btc_vega_hashrate")
    assert float(hashrate["state"]) > 0


async def take_a_worker_offline(api: HomeAssistantApi, simulator: Simulator, entry: str) -> None:
    """Its binary sensor turns off at the next refresh, asked for with Home Assistant's action."""
    options = await api.start_options_flow(entry)
    options = await api.options_step(
        options["flow_id"],
        {"hashrate_unit": "GH/s", "worker_devices": True, "remove_after_days": 7},
    )
    assert options["type"] == "create_entry"
    online = next(
        entity["entity_id"]
        for entity in await entity_registry(api, entry)
        if entity["unique_id"].endswith(":worker:name:worker-2:online")
    )
    # The options reload the entry: its entities are back once the reload is done.
    await wait_for_state(api, online, "on")
    simulator.set_worker_online(
        simulator.world.f2pool["litecoin", "demo"], "worker-2", online=False
    )
    # The refresh a user (or an automation) can ask for, instead of waiting for the pool's pace.
    await api.call_service("homeassistant", "update_entity", {"entity_id": online})
    await wait_for_state(api, online, "off")


async def wait_until_loaded(api: HomeAssistantApi) -> list[dict[str, Any]]:
    """Wait until every entry is set up, or fail after LOAD_TIMEOUT; return the entries."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + LOAD_TIMEOUT
    while True:
        entries: list[dict[str, Any]] = await api.get(
            "/api/config/config_entries/entry?domain=mining_pool"
        )
        if all(entry["state"] == "loaded" for entry in entries):
            return entries
        assert loop.time() < deadline, [(entry["title"], entry["state"]) for entry in entries]
        await asyncio.sleep(1)


async def wait_for_state(api: HomeAssistantApi, entity_id: str, state: str) -> None:
    """Wait until an entity shows ``state``, or fail after FLIP_TIMEOUT."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + FLIP_TIMEOUT
    while (await state_of(api, entity_id))["state"] != state:
        assert loop.time() < deadline, f"{entity_id} did not turn {state}"
        await asyncio.sleep(1)


async def test_real_home_assistant(
    home_assistant: HomeAssistantProcess, simulator: Simulator, tmp_path: Path
) -> None:
    async with aiohttp.ClientSession() as session:
        api = HomeAssistantApi(session, home_assistant.url)
        await api.sign_in(USERNAME, PASSWORD)
        entries = await add_accounts(api, simulator)
        assert set(entries) == {
            "BTC.com BTC spica",
            "F2Pool BTC user",
            "F2Pool LTC demo",
            "Braiins Pool BTC vega",
        }
        await check_states(api, simulator)
        await check_clean_start(api, home_assistant)
        await save_an_automation(api, home_assistant)
        demo_entry = entries["F2Pool LTC demo"]
        await take_a_worker_offline(api, simulator, demo_entry)

        # A restart loses and duplicates nothing.
        before = {
            entry_id: (await entity_registry(api, entry_id), await devices(api, entry_id))
            for entry_id in entries.values()
        }
        await home_assistant.stop()
        # Started again on another port: the demo's --port on an existing configuration.
        home_assistant.port = free_port()
        home_assistant.url = api.url = f"http://127.0.0.1:{home_assistant.port}"
        await home_assistant.start()
        await api.sign_in(USERNAME, PASSWORD)
        after = await wait_until_loaded(api)
        await check_http_settings(api, home_assistant.port)
        assert await automation_states(api) == ["on"]
        assert sorted(entry["entry_id"] for entry in after) == sorted(before)
        for entry_id, (entities, entry_devices) in before.items():
            assert [e["unique_id"] for e in await entity_registry(api, entry_id)] == [
                e["unique_id"] for e in entities
            ]
            assert [d["id"] for d in await devices(api, entry_id)] == [
                d["id"] for d in entry_devices
            ]

        # Removing an entry removes its entities and devices.
        await api.delete(f"/api/config/config_entries/entry/{demo_entry}")
        assert await entity_registry(api, demo_entry) == []
        assert await devices(api, demo_entry) == []
        states = await api.get("/api/states")
        assert not [s for s in states if s["entity_id"].startswith("sensor.f2pool_ltc_demo")]

    # One log, rotated at the restart.
    config = tmp_path / "config"
    logs = sorted(path.name for path in config.glob("*.log*") if path.stat().st_size)
    assert logs == ["home-assistant.log", "home-assistant.log.1"]
    log = "".join((config / name).read_text() for name in logs)
    for secret in (DEMO_ACCESS_KEY, DEMO_TOKEN, DEMO_BRAIINS_TOKEN):
        assert secret not in log
    for failure in ("deprecated", "Error setting up", "Failed to set up", "recovery mode"):
        assert failure.lower() not in log.lower()


async def check_http_settings(api: HomeAssistantApi, port: int) -> None:
    """The port is Home Assistant's own setting, with no trial that reverts it in 5 minutes."""
    settings = await api.websocket({"type": "http/config"})
    assert settings["stable"]["server_port"] == port
    assert settings["active_config_type"] == "stable"
    assert settings["pending"] is None
    assert settings["revert_at"] is None


async def check_clean_start(api: HomeAssistantApi, home_assistant: HomeAssistantProcess) -> None:
    """Onboarding set nothing up that fails, no YAML is deprecated, the blueprints are there."""
    await check_http_settings(api, home_assistant.port)
    entries = await api.get("/api/config/config_entries/entry")
    assert [
        (entry["domain"], entry["state"]) for entry in entries if entry["state"] != "loaded"
    ] == []
    assert not {"google_translate", "met", "radio_browser"} & {entry["domain"] for entry in entries}
    assert (await api.websocket({"type": "repairs/list_issues"}))["issues"] == []
    blueprints = await api.websocket({"type": "blueprint/list", "domain": "automation"})
    assert BLUEPRINT in blueprints
    for included in ("automations.yaml", "scripts.yaml", "scenes.yaml"):
        assert (home_assistant.config_dir / included).is_file()


async def save_an_automation(api: HomeAssistantApi, home_assistant: HomeAssistantProcess) -> None:
    """Save an automation as the automation editor does: it runs, and lands in automations.yaml."""
    config = {
        "alias": "Worker status changed",
        "triggers": [{"trigger": "state", "entity_id": "event.f2pool_btc_user_last_status_change"}],
        "actions": [{"action": "persistent_notification.create", "data": {"message": "!"}}],
    }
    result = await api.post("/api/config/automation/config/worker_status_changed", config)
    assert result == {"result": "ok"}
    assert "worker_status_changed" in (home_assistant.config_dir / "automations.yaml").read_text()
    # Saving reloads the automations; the new one is on once the reload is through.
    for _ in range(50):
        if await automation_states(api) == ["on"]:
            break
        await asyncio.sleep(0.2)
    assert await automation_states(api) == ["on"]


async def automation_states(api: HomeAssistantApi) -> list[str]:
    states = await api.get("/api/states")
    return [state["state"] for state in states if state["entity_id"].startswith("automation.")]


async def test_ctrl_c_stops_the_demo_while_it_starts(tmp_path: Path) -> None:
    """Ctrl-C while the demo adds its accounts ends it, Home Assistant included, within seconds."""
    port = free_port()
    demo = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "demo",
        "--config",
        str(tmp_path / "config"),
        "--port",
        str(port),
        "--btccom-port",
        str(free_port()),
        "--f2pool-port",
        str(free_port()),
        "--braiins-port",
        str(free_port()),
        cwd=REPOSITORY,
        stdout=asyncio.subprocess.PIPE,
        start_new_session=True,
    )
    assert demo.stdout is not None
    try:
        # Braiins Pool's account, the last, takes the longest: one request per 5 s.
        async with asyncio.timeout(START_TIMEOUT):
            while (line := await demo.stdout.readline()) and b"Adding the braiins" not in line:
                pass
        assert line, "the demo ended before it added its accounts"
        demo.send_signal(signal.SIGINT)
        async with asyncio.timeout(STOP_TIMEOUT):
            assert await demo.wait() == 0
    finally:
        if demo.returncode is None:
            os.killpg(demo.pid, signal.SIGKILL)
            await demo.wait()
    output = (await demo.stdout.read()).decode()
    assert "Stopping" in output
    # Home Assistant is gone: its port is free.
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", port))
