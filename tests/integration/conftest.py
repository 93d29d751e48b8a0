"""Fixtures of the integration's tests: the simulator serving three accounts, and their entries."""

from __future__ import annotations

import hashlib
import json
from collections.abc import AsyncIterator, Generator
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any
from unittest.mock import PropertyMock, patch

import pytest
from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers import entity_registry as er
from homeassistant.util import slugify
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_time_changed,
)
from syrupy.assertion import SnapshotAssertion
from syrupy.extensions.amber import AmberSnapshotExtension

from custom_components.mining_pool.const import (
    CONF_POOL,
    DOMAIN,
)
from custom_components.mining_pool.pool_btccom import (
    CONF_ACCESS_KEY,
    CONF_COIN,
    CONF_CUSTOM_HOST,
    CONF_ENDPOINT,
    CONF_PUID,
    ENDPOINT_CUSTOM,
)
from custom_components.mining_pool.pool_btccom import (
    POOL as POOL_BTCCOM,
)
from custom_components.mining_pool.pool_f2pool import (
    API_V1,
    API_V2,
    CONF_ACCOUNT,
    CONF_API_VERSION,
    CONF_BASE_URL,
    CONF_CURRENCY,
    CONF_TOKEN,
)
from custom_components.mining_pool.pool_f2pool import (
    POOL as POOL_F2POOL,
)
from simulator import ManualClock, Simulator
from simulator.state import Account

START = datetime(2026, 11, 1, 12, 3, 7, tzinfo=UTC)
ACCESS_KEY = "ak-Secret-7f3e9d"
PUID = 7734215
TOKEN = "tok-Secret-91bc4a"
BRAIINS_TOKEN = "brai-Secret-5d07e2"
SECRETS = (ACCESS_KEY, str(PUID), TOKEN, BRAIINS_TOKEN)
POOLS = ("btccom", "f2pool_v1", "f2pool_v2", "braiins")


@pytest.fixture(autouse=True)
def _loopback_sockets(socket_enabled: None) -> None:
    """Let Home Assistant reach the simulator (pytest-socket still allows only 127.0.0.1)."""


@pytest.fixture(autouse=True)
def _no_deprecated_calls(caplog: pytest.LogCaptureFixture) -> Generator[None]:
    """Home Assistant reports each deprecated call of a custom integration: this one makes none."""
    yield
    reports = [
        record.getMessage()
        for phase in ("setup", "call")
        for record in caplog.get_records(phase)
        if record.name == "homeassistant.helpers.frame" and DOMAIN in record.getMessage()
    ]
    assert not reports


@pytest.fixture(autouse=True)
def _braiins_unpaced() -> Generator[None]:
    """Braiins Pool's five seconds between requests would be real seconds in these tests."""
    with patch("custom_components.mining_pool.pool_braiins.REQUEST_INTERVAL", 0.0):
        yield


@pytest.fixture
def entity_registry_enabled_by_default() -> Generator[None]:
    """Create the entities that are disabled by default too."""
    with patch(
        "homeassistant.helpers.entity.Entity.entity_registry_enabled_default",
        return_value=True,
        new_callable=PropertyMock,
    ):
        yield


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Freeze Home Assistant's clock at START in every integration test, from its first fixture."""
    here = Path(__file__).parent
    for item in items:
        if here in item.path.parents:
            item.add_marker(pytest.mark.freeze_time(START))


@pytest.fixture
def sim_clock() -> ManualClock:
    """The simulator's clock, at the same instant as Home Assistant's frozen one."""
    return ManualClock(START)


@pytest.fixture
async def simulator(sim_clock: ManualClock) -> AsyncIterator[Simulator]:
    """A BTC.com account, F2Pool bitcoin (v1) and litecoin (v2) accounts, a Braiins account."""
    sim = Simulator(seed=29, clock=sim_clock)
    sim.add_btccom_account(access_key=ACCESS_KEY, puid=PUID, workers=6, user_name="spica")
    sim.add_f2pool_account(currency="bitcoin", account="alice", workers=6)
    sim.add_f2pool_account(currency="litecoin", account="bob", workers=6, token=TOKEN)
    sim.add_braiins_account(token=BRAIINS_TOKEN, workers=6, user_name="satoshi")
    async with sim.running():
        yield sim


def entry_data(pool: str, sim: Simulator) -> dict[str, Any]:
    """What the config flow stores for each pool's demo account."""
    if pool == "btccom":
        return {
            CONF_POOL: POOL_BTCCOM,
            CONF_ENDPOINT: ENDPOINT_CUSTOM,
            CONF_CUSTOM_HOST: sim.btccom_url,
            CONF_COIN: "BTC",
            CONF_ACCESS_KEY: ACCESS_KEY,
            CONF_PUID: str(PUID),
        }
    if pool == "braiins":
        return {
            CONF_POOL: "braiins",
            CONF_TOKEN: BRAIINS_TOKEN,
            CONF_BASE_URL: sim.braiins_url,
            "user": "satoshi",
        }
    if pool == "f2pool_v1":
        return {
            CONF_POOL: POOL_F2POOL,
            CONF_API_VERSION: API_V1,
            CONF_CURRENCY: "bitcoin",
            CONF_ACCOUNT: "alice",
            CONF_BASE_URL: sim.f2pool_url,
        }
    return {
        CONF_POOL: POOL_F2POOL,
        CONF_API_VERSION: API_V2,
        CONF_CURRENCY: "litecoin",
        CONF_ACCOUNT: "bob",
        CONF_TOKEN: TOKEN,
        CONF_BASE_URL: sim.f2pool_url,
    }


def truth(sim: Simulator, pool: str) -> Account:
    """The simulator's account behind a pool's demo entry."""
    if pool == "btccom":
        return sim.world.btccom[PUID]
    if pool == "f2pool_v1":
        return sim.world.f2pool["bitcoin", "alice"]
    if pool == "braiins":
        return sim.world.braiins[BRAIINS_TOKEN]
    return sim.world.f2pool["litecoin", "bob"]


UNIQUE_IDS = {
    # The puid itself is kept out of ids: a digest of it stands in.
    "btccom": f"btccom_btc_{hashlib.sha256(str(PUID).encode()).hexdigest()[:16]}",
    # So is the account, which is a name or wallet the user typed.
    "f2pool_v1": f"f2pool_bitcoin_{hashlib.sha256(b'alice').hexdigest()[:16]}",
    "f2pool_v2": f"f2pool_litecoin_{hashlib.sha256(b'bob').hexdigest()[:16]}",
    # A Braiins entry stands for the account's name, which outlives any token.
    "braiins": f"braiins_btc_{hashlib.sha256(b'satoshi').hexdigest()[:16]}",
}
TITLES = {
    "btccom": "BTC.com BTC spica",
    "f2pool_v1": "F2Pool BTC alice",
    "f2pool_v2": "F2Pool LTC bob",
    "braiins": "Braiins Pool BTC satoshi",
}


def worker_device(pool: str, worker: str) -> str:
    """The name of a worker's device: its account's title, then the worker's name."""
    return f"{TITLES[pool]} {worker}"


def worker_entity(
    pool: str, worker: str, key: str = "online", domain: str = "binary_sensor"
) -> str:
    """The entity id a new install gives a worker's entity: made of its device's name."""
    return f"{domain}.{slugify(worker_device(pool, worker))}_{key}"


def coin_state(amount: Decimal | float) -> str:
    """What a sensor's state shows of an amount: rounded half to even to 8 decimals, in full."""
    return format(Decimal(str(amount)).quantize(Decimal("0.00000001")), "f")


def make_entry(pool: str, sim: Simulator, options: dict[str, Any] | None = None) -> MockConfigEntry:
    """A config entry of one pool's demo account."""
    return MockConfigEntry(
        domain=DOMAIN,
        title=TITLES[pool],
        unique_id=UNIQUE_IDS[pool],
        data=entry_data(pool, sim),
        options=options or {},
        entry_id=f"entry_{pool}",
        version=2,
        minor_version=1,
    )


async def tick(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, sim: Simulator, delta: timedelta
) -> None:
    """Move both clocks and let the refreshes that fall due run."""
    freezer.tick(delta)
    sim.advance(delta)
    async_fire_time_changed(hass)
    # Coordinators refresh in background tasks.
    await hass.async_block_till_done(wait_background_tasks=True)


async def setup_entry(hass: HomeAssistant, entry: MockConfigEntry) -> None:
    """Add an entry to Home Assistant and set it up."""
    entry.add_to_hass(hass)
    await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()


def _plain(value: Any) -> Any:
    """A registry or state value as plain JSON, the same on every Home Assistant version."""
    return json.loads(json.dumps(value, default=str, sort_keys=True))


def entities_of(
    hass: HomeAssistant, entity_registry: er.EntityRegistry, entry_id: str
) -> dict[str, Any]:
    """What a user sees of an entry's entities: registry settings, state and attributes.

    Home Assistant's own platform snapshot pins every registry field, and those fields differ
    between the two Home Assistant versions tested; this keeps the ones the integration sets.
    """
    entities: dict[str, Any] = {}
    for entry in sorted(
        er.async_entries_for_config_entry(entity_registry, entry_id),
        key=lambda registered: registered.entity_id,
    ):
        state = hass.states.get(entry.entity_id)
        entities[entry.entity_id] = _plain(
            {
                "unique_id": entry.unique_id,
                "translation_key": entry.translation_key,
                "original_name": entry.original_name,
                "device_class": entry.original_device_class,
                "entity_category": entry.entity_category,
                "disabled_by": entry.disabled_by,
                "options": {key: dict(value) for key, value in entry.options.items()},
                "state": None if state is None else state.state,
                "attributes": None if state is None else dict(state.attributes),
            }
        )
    return entities


def devices_of(device_registry: dr.DeviceRegistry, entry_id: str) -> list[Any]:
    """The devices of an entry, as a user sees them."""
    devices = dr.async_entries_for_config_entry(device_registry, entry_id)
    by_id = {device.id: device for device in devices}
    return sorted(
        (
            _plain(
                {
                    "identifiers": sorted(map(list, device.identifiers)),
                    "name": device.name,
                    "manufacturer": device.manufacturer,
                    "model": device.model,
                    "entry_type": device.entry_type,
                    "configuration_url": device.configuration_url,
                    "via_device": None
                    if device.via_device_id is None
                    else by_id[device.via_device_id].name,
                }
            )
            for device in devices
        ),
        key=lambda device: json.dumps(device["identifiers"]),
    )


@pytest.fixture
def snapshot(snapshot: SnapshotAssertion) -> SnapshotAssertion:
    """Syrupy's own format and folder on both legs (Home Assistant's differ between them)."""
    return snapshot.use_extension(AmberSnapshotExtension)
