"""A hostile or broken pool, through the real integration: nothing it sends can hurt Home Assistant.

Each class of attack has its own test: redirects that would carry the credentials away, worker
names that would break Home Assistant's storage, farms and name rotations that would flood the
registries, values that would raise outside the library, unknown values that would flood the
log, and bare refusals that would ask for new credentials.
"""

from __future__ import annotations

import contextlib
import logging
import unicodedata
from collections.abc import AsyncIterator
from datetime import timedelta
from unittest.mock import patch

import pytest
from freezegun.api import FrozenDateTimeFactory
from homeassistant.config_entries import SOURCE_REAUTH, ConfigEntryState
from homeassistant.const import EVENT_HOMEASSISTANT_FINAL_WRITE, STATE_UNAVAILABLE
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers import entity_registry as er
from homeassistant.helpers import issue_registry as ir
from homeassistant.helpers.json import json_bytes

from custom_components.mining_pool.const import (
    DOMAIN,
    OPTION_WORKER_DEVICES,
)
from custom_components.mining_pool.coordinator import worker_cap_issue_id
from custom_components.mining_pool.pool_btccom import (
    CONF_ACCESS_KEY,
    CONF_COIN,
    CONF_CUSTOM_HOST,
)
from simulator import HOSTILE_NAMES, Fault, ManualClock, Quirks, Simulator

from .conftest import (
    ACCESS_KEY,
    BRAIINS_TOKEN,
    POOLS,
    PUID,
    SECRETS,
    TOKEN,
    make_entry,
    setup_entry,
    tick,
    worker_entity,
)
from .test_config_flow import btccom_custom_form
from .test_faults import ACTIVITY, HASHRATE, HTML, WORKER_LIST

REFRESH = timedelta(minutes=5)
WORKERS = 6
# What the hostile quirk adds to each account's workers.
HOSTILE = len(HOSTILE_NAMES)
UNSAFE = {"Cc", "Cf", "Cs", "Zl", "Zp"}


@contextlib.asynccontextmanager
async def demo_accounts(clock: ManualClock, quirks: Quirks) -> AsyncIterator[Simulator]:
    """The four demo accounts, served, each with these quirks."""
    sim = Simulator(seed=29, clock=clock)
    sim.add_btccom_account(
        access_key=ACCESS_KEY, puid=PUID, workers=WORKERS, user_name="spica", quirks=quirks
    )
    sim.add_f2pool_account(currency="bitcoin", account="alice", workers=WORKERS, quirks=quirks)
    sim.add_f2pool_account(
        currency="litecoin", account="bob", workers=WORKERS, token=TOKEN, quirks=quirks
    )
    sim.add_braiins_account(
        token=BRAIINS_TOKEN, workers=WORKERS, user_name="satoshi", quirks=quirks
    )
    async with sim.running():
        yield sim


@pytest.fixture
async def hostile(sim_clock: ManualClock) -> AsyncIterator[Simulator]:
    """The demo accounts, each listing workers with hostile names besides its own."""
    async with demo_accounts(sim_clock, Quirks(hostile_names=True)) as sim:
        yield sim


@pytest.fixture
async def rotating(sim_clock: ManualClock) -> AsyncIterator[Simulator]:
    """The demo accounts, whose workers get new names at every answer."""
    async with demo_accounts(sim_clock, Quirks(rotating_names=True)) as sim:
        yield sim


@pytest.fixture
async def elsewhere(sim_clock: ManualClock) -> AsyncIterator[Simulator]:
    """Another host, where a redirect points: it must never be asked anything."""
    sim = Simulator(seed=30, clock=sim_clock)
    async with sim.running():
        yield sim


def worker_devices(hass: HomeAssistant, entry_id: str) -> list[dr.DeviceEntry]:
    return [
        device
        for device in dr.async_entries_for_config_entry(dr.async_get(hass), entry_id)
        if device.entry_type is None
    ]


def cap_issue(hass: HomeAssistant, entry_id: str) -> ir.IssueEntry | None:
    """The repair issue an entry raises while its farm is past the worker cap."""
    return ir.async_get(hass).async_get_issue(DOMAIN, worker_cap_issue_id(entry_id))


def pool_warnings(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [
        record.getMessage()
        for record in caplog.records
        if record.name.startswith("custom_components.mining_pool")
        and record.levelno >= logging.WARNING
    ]


def assert_safe(text: str) -> None:
    """Text Home Assistant can store and show: UTF-8, no control, format or separator."""
    text.encode("utf-8")
    assert not {unicodedata.category(char) for char in text} & UNSAFE, repr(text)


# 1. Redirects: the credentials never leave for another origin.


@pytest.mark.parametrize("status", [301, 302, 303, 307, 308])
@pytest.mark.parametrize("pool", POOLS)
async def test_redirect_is_not_followed(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    simulator: Simulator,
    elsewhere: Simulator,
    caplog: pytest.LogCaptureFixture,
    pool: str,
    status: int,
) -> None:
    entry = make_entry(pool, simulator)
    await setup_entry(hass, entry)
    api = ACTIVITY[pool][0]
    simulator.set_fault(api, "*", Fault(status=status, redirect=elsewhere.f2pool_url))
    caplog.clear()
    await tick(hass, freezer, simulator, REFRESH)

    # Not one request reached the other host: no key, puid or token went there.
    assert elsewhere.requested_paths == []
    state = hass.states.get(HASHRATE[pool])
    assert state is not None
    assert state.state == STATE_UNAVAILABLE
    assert entry.state is ConfigEntryState.LOADED
    # The log names the new origin for the user, and nothing of the request.
    [warning] = pool_warnings(caplog)
    assert elsewhere.f2pool_url in warning
    assert "/v1/" not in warning
    assert "/v2/" not in warning
    assert "access_key" not in warning
    for secret in SECRETS:
        assert secret not in warning


async def test_flow_shows_a_redirect_on_the_address_field(
    hass: HomeAssistant, simulator: Simulator, elsewhere: Simulator
) -> None:
    simulator.set_fault("btccom", "*", Fault(status=301, redirect=elsewhere.btccom_url))
    result = await btccom_custom_form(hass)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_CUSTOM_HOST: simulator.btccom_url, CONF_COIN: "BTC"}
    )
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {CONF_CUSTOM_HOST: "redirected"}
    assert result["description_placeholders"]["location"] == elsewhere.btccom_url
    assert elsewhere.requested_paths == []
    assert hass.config_entries.async_entries(DOMAIN) == []

    # The user enters the address the pool pointed to; that one answers.
    simulator.clear_faults()
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_CUSTOM_HOST: simulator.btccom_url, CONF_COIN: "BTC"}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY


# 2. Names: whatever a pool calls its workers, Home Assistant can store and show it.


@pytest.mark.parametrize("pool", POOLS)
async def test_hostile_worker_names_are_made_safe(
    hass: HomeAssistant,
    hass_storage: dict[str, object],
    hostile: Simulator,
    pool: str,
) -> None:
    entry = make_entry(pool, hostile)
    await setup_entry(hass, entry)
    assert entry.state is ConfigEntryState.LOADED

    devices = worker_devices(hass, entry.entry_id)
    # Each device is named after its account, then its worker.
    prefix = f"{entry.title} "
    assert all(str(device.name).startswith(prefix) for device in devices)
    names = sorted(str(device.name).removeprefix(prefix) for device in devices)
    # Every hostile name is a worker of its own: none merged, none lost.
    assert len(names) == WORKERS + HOSTILE
    for name in names:
        assert_safe(name)
        assert len(name) <= 64
    # Ordinary names, Chinese and emoji included, are kept as the pool sent them.
    assert "矿机-一号" in names
    assert "⛏️-rig" in names
    assert "résumé" in names
    # A name that had to change says so with a digest of what was sent.
    assert any(name.startswith("riggpj.exe ~") for name in names)
    assert len([name for name in names if name.startswith("rrrr")]) == 1
    entities = er.async_entries_for_config_entry(er.async_get(hass), entry.entry_id)
    for entity in entities:
        assert_safe(entity.unique_id)
        assert_safe(entity.entity_id)
    for state in hass.states.async_all():
        json_bytes(state.as_dict())
    assert_safe(entry.title)

    # Home Assistant's registries are written to disk, with every worker in them.
    hass.bus.async_fire(EVENT_HOMEASSISTANT_FINAL_WRITE)
    await hass.async_block_till_done()
    stored = str(hass_storage["core.device_registry"])
    assert "矿机-一号" in stored
    assert "riggpj.exe ~" in stored


# 3. Unbounded work: a farm past the cap, and a pool that renames its workers.


async def test_farm_past_the_cap_keeps_counts_and_raises_a_repair(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, simulator: Simulator
) -> None:
    entry = make_entry("f2pool_v2", simulator)
    with patch("custom_components.mining_pool.workers.MAX_WORKERS", 4):
        await setup_entry(hass, entry)
        assert len(worker_devices(hass, entry.entry_id)) == 4
        # The account's counts still cover the whole farm.
        total = hass.states.get("sensor.f2pool_ltc_bob_workers")
        assert total is not None
        assert int(total.state) == WORKERS
        issue = cap_issue(hass, entry.entry_id)
        assert issue is not None
        assert issue.translation_key == "too_many_workers"
        assert issue.translation_placeholders == {
            "account": "F2Pool LTC bob",
            "cap": "20,000",
        }
        # Once the farm is within the cap again, the issue goes.
        account = simulator.world.f2pool["litecoin", "bob"]
        for worker in list(account.workers)[4:]:
            simulator.remove_worker(account, worker)
        await tick(hass, freezer, simulator, REFRESH)
        assert cap_issue(hass, entry.entry_id) is None


async def test_turning_worker_devices_off_answers_the_repair(
    hass: HomeAssistant, simulator: Simulator
) -> None:
    entry = make_entry("f2pool_v2", simulator)
    with patch("custom_components.mining_pool.workers.MAX_WORKERS", 4):
        await setup_entry(hass, entry)
        assert cap_issue(hass, entry.entry_id) is not None
        # What the repair suggests: no worker devices. The issue goes with them.
        hass.config_entries.async_update_entry(
            entry, options={**entry.options, OPTION_WORKER_DEVICES: False}
        )
        await hass.config_entries.async_reload(entry.entry_id)
        await hass.async_block_till_done()
    assert cap_issue(hass, entry.entry_id) is None
    assert worker_devices(hass, entry.entry_id) == []


async def test_worker_list_past_the_answer_cap(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, simulator: Simulator
) -> None:
    entry = make_entry("f2pool_v2", simulator)
    await setup_entry(hass, entry)
    simulator.set_fault("f2pool_v2", "hash_rate/worker/list", Fault(size=16 * 1024 * 1024 + 1))
    await tick(hass, freezer, simulator, REFRESH)
    # The hashrate is still read; the workers, which cannot be, are unavailable, not offline.
    hashrate = hass.states.get(HASHRATE["f2pool_v2"])
    assert hashrate is not None
    assert float(hashrate.state) > 0
    online = hass.states.get(worker_entity("f2pool_v2", "worker-1"))
    assert online is not None
    assert online.state == STATE_UNAVAILABLE
    assert cap_issue(hass, entry.entry_id) is not None
    simulator.clear_faults()
    await tick(hass, freezer, simulator, REFRESH)
    online = hass.states.get(worker_entity("f2pool_v2", "worker-1"))
    assert online is not None
    assert online.state == "on"
    assert cap_issue(hass, entry.entry_id) is None


async def test_farm_the_library_cut_keeps_the_pools_counts(
    hass: HomeAssistant, simulator: Simulator
) -> None:
    entry = make_entry("f2pool_v1", simulator)
    with (
        patch("custom_components.mining_pool.api.account.MAX_WORKERS", 4),
        patch("custom_components.mining_pool.workers.MAX_WORKERS", 4),
    ):
        await setup_entry(hass, entry)
    assert len(worker_devices(hass, entry.entry_id)) == 4
    # The legacy API's own counts stand in for the workers that were not read.
    total = hass.states.get("sensor.f2pool_btc_alice_workers")
    assert total is not None
    assert int(total.state) == WORKERS
    assert cap_issue(hass, entry.entry_id) is not None


@pytest.mark.parametrize("pool", POOLS)
async def test_renaming_pool_adds_few_devices_per_refresh(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, rotating: Simulator, pool: str
) -> None:
    entry = make_entry(pool, rotating)
    with (
        patch("custom_components.mining_pool.workers.MAX_NEW_WORKERS_PER_REFRESH", 2),
        patch("custom_components.mining_pool.workers.MAX_WORKERS", 11),
    ):
        await setup_entry(hass, entry)
        # The first refresh sets the farm up whole.
        assert len(worker_devices(hass, entry.entry_id)) == WORKERS
        counts = []
        for _ in range(4):
            await tick(hass, freezer, rotating, REFRESH)
            counts.append(len(worker_devices(hass, entry.entry_id)))
    # Six new names at every refresh: two join each time, until the cap of 11.
    assert counts == [8, 10, 11, 11]
    assert cap_issue(hass, entry.entry_id)


# 4. Values that would raise outside the library.


@pytest.mark.parametrize("pool", POOLS)
@pytest.mark.parametrize("fault", ["hostile_numbers", "hostile_times"])
async def test_hostile_values_never_raise(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    simulator: Simulator,
    caplog: pytest.LogCaptureFixture,
    pool: str,
    fault: str,
) -> None:
    entry = make_entry(pool, simulator)
    await setup_entry(hass, entry)
    caplog.clear()
    simulator.set_fault(ACTIVITY[pool][0], "*", Fault(**{fault: True}))
    for _ in range(3):
        await tick(hass, freezer, simulator, REFRESH)
    assert entry.state is ConfigEntryState.LOADED
    assert not [record for record in caplog.records if record.levelno >= logging.ERROR]
    assert not [record for record in caplog.records if record.exc_info]
    # Nothing out of range reaches a state: a number past any pool's is no value.
    for state in hass.states.async_all():
        json_bytes(state.as_dict())
    simulator.clear_faults()
    await tick(hass, freezer, simulator, REFRESH)
    state = hass.states.get(HASHRATE[pool])
    assert state is not None
    assert float(state.state) > 0


async def test_unexpected_error_backs_off_without_a_traceback(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    simulator: Simulator,
    caplog: pytest.LogCaptureFixture,
) -> None:
    entry = make_entry("f2pool_v2", simulator)
    await setup_entry(hass, entry)
    caplog.clear()
    simulator.reset_counters()
    with patch(
        "custom_components.mining_pool.api.account.F2PoolV2Account._activity",
        side_effect=RuntimeError("a bug"),
    ) as activity:
        for _ in range(7):
            await tick(hass, freezer, simulator, REFRESH)
        assert entry.state is ConfigEntryState.LOADED
        state = hass.states.get(HASHRATE["f2pool_v2"])
        assert state is not None
        assert state.state == STATE_UNAVAILABLE
        assert not [r for r in caplog.records if r.levelno >= logging.WARNING and r.exc_info]
        # Home Assistant's one line for the account that cannot be read, and nothing else.
        assert pool_warnings(caplog) == [
            f"Error fetching {DOMAIN} {entry.title} data: Reading the pool failed: RuntimeError"
        ]
    # Backing off: at 5, 15 (10 later) and 35 minutes (20 later), not seven times.
    assert activity.call_count == 3


async def test_flow_maps_an_unexpected_error_to_unknown(
    hass: HomeAssistant, simulator: Simulator
) -> None:
    result = await btccom_custom_form(hass)
    with patch(
        "custom_components.mining_pool.api.account.BtcComAccount._identify",
        side_effect=RuntimeError("a bug"),
    ):
        result = await hass.config_entries.flow.async_configure(
            result["flow_id"], {CONF_CUSTOM_HOST: simulator.btccom_url, CONF_COIN: "BTC"}
        )
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {"base": "unknown"}


# 5. Log flooding: an unknown value is said once per kind and account.


@pytest.mark.parametrize(
    ("pool", "fault", "kind"),
    [
        ("btccom", "fresh_units", "hashrate unit"),
        ("btccom", "unknown_statuses", "worker status"),
        ("f2pool_v2", "unknown_statuses", "worker status"),
    ],
)
async def test_unknown_values_are_logged_once(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    simulator: Simulator,
    caplog: pytest.LogCaptureFixture,
    pool: str,
    fault: str,
    kind: str,
) -> None:
    await setup_entry(hass, make_entry(pool, simulator))
    simulator.set_fault(WORKER_LIST[pool][0], "*", Fault(**{fault: True}))
    caplog.clear()
    for _ in range(4):
        await tick(hass, freezer, simulator, REFRESH)
    said = [message for message in pool_warnings(caplog) if kind in message]
    assert len(said) == 1
    assert "logged once" in said[0]
    # The workers are still shown: an unknown unit is read as H/s, a status as unknown.
    assert len(worker_devices(hass, f"entry_{pool}")) == WORKERS


# 6. A bare refusal asks for new credentials only when it repeats.


@pytest.mark.parametrize("status", [401, 403])
@pytest.mark.parametrize("pool", ["btccom", "f2pool_v2"])
async def test_a_single_bare_refusal_passes(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    simulator: Simulator,
    pool: str,
    status: int,
) -> None:
    entry = make_entry(pool, simulator)
    await setup_entry(hass, entry)
    api, endpoint, _ = ACTIVITY[pool]
    simulator.set_fault(
        api, endpoint, Fault(status=status, body=HTML, content_type="text/html", times=1)
    )
    await tick(hass, freezer, simulator, REFRESH)
    state = hass.states.get(HASHRATE[pool])
    assert state is not None
    assert state.state == STATE_UNAVAILABLE
    assert hass.config_entries.flow.async_progress_by_handler(DOMAIN) == []
    # The page is gone at the next try: the account is read again, nothing asked of the user.
    await tick(hass, freezer, simulator, 2 * REFRESH)
    state = hass.states.get(HASHRATE[pool])
    assert state is not None
    assert float(state.state) > 0
    assert hass.config_entries.flow.async_progress_by_handler(DOMAIN) == []

    # Refused twice in a row: now the credentials are asked for.
    simulator.set_fault(api, endpoint, Fault(status=status, body=HTML, content_type="text/html"))
    await tick(hass, freezer, simulator, REFRESH)
    assert hass.config_entries.flow.async_progress_by_handler(DOMAIN) == []
    await tick(hass, freezer, simulator, 2 * REFRESH)
    flows = hass.config_entries.flow.async_progress_by_handler(DOMAIN)
    assert [flow["context"]["source"] for flow in flows] == [SOURCE_REAUTH]


async def test_bare_refusals_with_another_failure_between_are_not_a_repeat(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, simulator: Simulator
) -> None:
    await setup_entry(hass, make_entry("btccom", simulator))
    api, endpoint, _ = ACTIVITY["btccom"]
    refusal = Fault(status=401, body=HTML, content_type="text/html", times=1)
    simulator.set_fault(api, endpoint, refusal)
    await tick(hass, freezer, simulator, REFRESH)
    simulator.set_fault(api, endpoint, Fault(status=500, times=1))
    await tick(hass, freezer, simulator, 2 * REFRESH)
    simulator.set_fault(api, endpoint, refusal)
    await tick(hass, freezer, simulator, 4 * REFRESH)
    assert simulator.request_counts[f"{api}:{endpoint}"] >= 4
    assert hass.config_entries.flow.async_progress_by_handler(DOMAIN) == []


async def test_reauthentication_shows_a_redirect(
    hass: HomeAssistant, simulator: Simulator, elsewhere: Simulator
) -> None:
    entry = make_entry("btccom", simulator)
    await setup_entry(hass, entry)
    simulator.set_fault("btccom", "*", Fault(status=302, redirect=elsewhere.btccom_url))
    result = await entry.start_reauth_flow(hass)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_ACCESS_KEY: ACCESS_KEY}
    )
    # The reauthentication form has no address field: the error shows on the form itself.
    assert result["errors"] == {"base": "redirected"}
    assert result["description_placeholders"]["location"] == elsewhere.btccom_url
    assert elsewhere.requested_paths == []


async def test_bare_refusal_at_set_up_is_asked_again_at_once(
    hass: HomeAssistant, simulator: Simulator
) -> None:
    entry = make_entry("f2pool_v2", simulator)
    simulator.set_fault(
        "f2pool_v2",
        "hash_rate/info",
        Fault(status=403, body=HTML, content_type="text/html", times=1),
    )
    await setup_entry(hass, entry)
    # The second try at once found the pool fine.
    assert entry.state is ConfigEntryState.LOADED
    assert hass.config_entries.flow.async_progress_by_handler(DOMAIN) == []
    assert simulator.request_counts["f2pool_v2:hash_rate/info"] == 2
