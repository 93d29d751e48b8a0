"""The fault matrix: every pool API times every fault, through the real integration.

For each case the integration stays loaded, only what depends on the failed data goes
unavailable, one warning and one info line are logged, it recovers with correct values, an
authentication failure asks for new credentials, and no secret shows anywhere.
"""

from __future__ import annotations

import json
import logging
import time
import traceback
from dataclasses import dataclass
from datetime import timedelta

import pytest
from freezegun.api import FrozenDateTimeFactory
from homeassistant.components import persistent_notification
from homeassistant.config_entries import SOURCE_REAUTH, ConfigEntryState
from homeassistant.const import STATE_UNAVAILABLE, STATE_UNKNOWN
from homeassistant.core import HomeAssistant
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers import entity_registry as er
from homeassistant.helpers import issue_registry as ir
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_time_changed,
)

from custom_components.mining_pool.const import DOMAIN, REQUEST_TIMEOUT_SECONDS
from custom_components.mining_pool.diagnostics import async_get_config_entry_diagnostics
from simulator import Fault, Simulator

from .conftest import POOLS, SECRETS, make_entry, setup_entry

HTML = "<html><body><h1>Bad Gateway</h1></body></html>"
HASHRATE = {
    "btccom": "sensor.btc_com_btc_spica_hashrate",
    "f2pool_v1": "sensor.f2pool_btc_alice_hashrate",
    "f2pool_v2": "sensor.f2pool_ltc_bob_hashrate",
    "braiins": "sensor.braiins_pool_btc_satoshi_hashrate",
}
BALANCE = {
    "btccom": "sensor.btc_com_btc_spica_balance",
    "f2pool_v1": "sensor.f2pool_btc_alice_balance",
    "f2pool_v2": "sensor.f2pool_ltc_bob_balance",
    "braiins": "sensor.braiins_pool_btc_satoshi_balance",
}
# The endpoint each pool's hashrate comes from, and the field that carries it.
ACTIVITY = {
    "btccom": ("btccom", "/realtime/hashrate", "shares_15m"),
    "f2pool_v1": ("f2pool_v1", "account", "hashrate"),
    "f2pool_v2": ("f2pool_v2", "hash_rate/info", "hash_rate"),
    "braiins": ("braiins", "/accounts/profile/json/btc/", "hash_rate_5m"),
}
WORKER_LIST = {
    "btccom": ("btccom", "/worker", {"page": 1, "page_count": 1, "data": "workers"}),
    "f2pool_v1": ("f2pool_v1", "account", {"workers": "workers"}),
    "f2pool_v2": ("f2pool_v2", "hash_rate/worker/list", {"workers": "workers"}),
    "braiins": ("braiins", "/accounts/workers/json/btc/", {"btc": {"workers": "workers"}}),
}
# The real clock, out of freezegun's reach.
WALL_CLOCK = {"sleep": time.sleep}


@dataclass(frozen=True)
class Case:
    """A fault, and what the hashrate sensor shows while it lasts."""

    fault: Fault | None
    shows: str = STATE_UNAVAILABLE
    pools: tuple[str, ...] = POOLS
    auth: bool = False
    workers: bool = False


CASES = {
    "timeout": Case(Fault(hang=True)),
    "connection refused": Case(None),
    "reset mid-body": Case(Fault(drop_connection=True)),
    "http 500": Case(Fault(status=500)),
    "http 502 html": Case(Fault(status=502, body=HTML, content_type="text/html")),
    "http 503 html": Case(Fault(status=503, body=HTML, content_type="text/html")),
    "http 503 text": Case(
        Fault(status=503, body="503: GateWay Timeout", content_type="text/plain")
    ),
    "http 404": Case(Fault(status=404, body="404: Not Found", content_type="text/plain")),
    "http 429 retry-after": Case(Fault(status=429, headers={"Retry-After": "120"})),
    "http 429 bare": Case(Fault(status=429)),
    "invalid json": Case(Fault(malformed_json=True)),
    "truncated json": Case(Fault(truncated=True)),
    "list for an object": Case(Fault(data=[])),
    "null data": Case(Fault(data=None)),
    "string for the worker list": Case(None, workers=True),
    "err_no 20001": Case(Fault(err_no=20001), pools=("btccom",), auth=True),
    "unknown err_no": Case(Fault(err_no=30117), pools=("btccom",)),
    "code 5010": Case(Fault(code=5010), pools=("f2pool_v2",), auth=True),
    "unknown code": Case(Fault(code=5999, msg="internal error: new"), pools=("f2pool_v2",)),
    "required field missing": Case(None, shows=STATE_UNKNOWN),
    "numbers as strings and dashes": Case(Fault(type_drift=True), shows="value"),
    "20 MB body": Case(Fault(size=20_000_000)),
    "slow trickle": Case(Fault(trickle=0.5), shows="value"),
    "redirect 302": Case(Fault(status=302, redirect="http://127.0.0.1:9")),
    "redirect 308 to http": Case(Fault(status=308, redirect="http://127.0.0.1:9")),
    "http 401 html": Case(Fault(status=401, body=HTML, content_type="text/html"), auth=True),
    "http 403 html": Case(Fault(status=403, body=HTML, content_type="text/html"), auth=True),
    "numbers past any range": Case(Fault(hostile_numbers=True), shows=STATE_UNKNOWN),
    "times at the calendar's edges": Case(Fault(hostile_times=True), shows="value"),
    "http 429 retry-after not ascii": Case(Fault(status=429, headers={"Retry-After": "١٢٠"})),
}
MATRIX = [(pool, name) for name, case in CASES.items() for pool in case.pools]


async def run_time(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, sim: Simulator, span: timedelta
) -> None:
    """Let ``span`` of time pass in 5-minute steps, letting each refresh run to its end.

    A refresh that waits (a slow body, a request that hangs until its timeout) is given time
    a quarter of a second at a time, so that its own timers fire as they would.
    """
    step = timedelta(minutes=5)
    for _ in range(int(span / step)):
        freezer.tick(step)
        sim.advance(step)
        async_fire_time_changed(hass)
        for _ in range(int(REQUEST_TIMEOUT_SECONDS + 5) * 4):
            await hass.async_block_till_done()
            if not any(task.get_name().startswith(DOMAIN) for task in hass._background_tasks):
                break
            await hass.async_add_executor_job(WALL_CLOCK["sleep"], 0.01)
            freezer.tick(timedelta(seconds=0.25))
            async_fire_time_changed(hass)
        await hass.async_block_till_done(wait_background_tasks=True)


def apply(case: Case, pool: str, sim: Simulator) -> None:
    api, endpoint, field = ACTIVITY[pool]
    if case.workers:
        api, endpoint, data = WORKER_LIST[pool]
        sim.set_fault(api, endpoint, Fault(data=data))
    elif case.fault is not None:
        sim.set_fault(api, endpoint, case.fault)
    elif case.shows == STATE_UNKNOWN:
        sim.set_fault(api, endpoint, Fault(remove_fields=(field,)))


def pool_records(caplog: pytest.LogCaptureFixture, level: int) -> list[logging.LogRecord]:
    return [
        record
        for record in caplog.records
        if record.name.startswith("custom_components.mining_pool") and record.levelno == level
    ]


def outage_lines(
    caplog: pytest.LogCaptureFixture, entry: MockConfigEntry
) -> list[logging.LogRecord]:
    """Home Assistant's line for an account whose refresh failed (once per outage)."""
    lines = (
        f"Error fetching {DOMAIN} {entry.title} data: ",
        f"Authentication failed while fetching {DOMAIN} {entry.title} data: ",
    )
    return [
        record
        for record in pool_records(caplog, logging.ERROR)
        if record.getMessage().startswith(lines)
    ]


async def secret_free_places(
    hass: HomeAssistant,
    entry: MockConfigEntry,
    caplog: pytest.LogCaptureFixture,
) -> int:
    """Assert that no secret shows anywhere a user or a log reader can see; count the places."""
    places: list[str] = [record.getMessage() for record in caplog.records]
    places += [
        "".join(traceback.format_exception(record.exc_info[1]))
        for record in caplog.records
        if record.exc_info and record.exc_info[1]
    ]
    error = entry.runtime_data.coordinator.last_exception
    if error is not None:
        places += [str(error), repr(error), "".join(traceback.format_exception(error))]
    places.append(json.dumps(await async_get_config_entry_diagnostics(hass, entry)))
    places += [repr(issue) for issue in ir.async_get(hass).issues.values()]
    places += [
        json.dumps(notification, default=str)
        for notification in persistent_notification._async_get_or_create_notifications(
            hass
        ).values()
    ]
    places += [repr(state) for state in hass.states.async_all()]
    places += [
        repr(device)
        for device in dr.async_entries_for_config_entry(dr.async_get(hass), entry.entry_id)
    ]
    places += [
        repr(entity)
        for entity in er.async_entries_for_config_entry(er.async_get(hass), entry.entry_id)
    ]
    places += [entry.title, str(entry.unique_id)]
    for place in places:
        for secret in SECRETS:
            assert secret not in place
    return len(places)


@pytest.mark.parametrize(("pool", "case_name"), MATRIX)
async def test_fault(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    simulator: Simulator,
    caplog: pytest.LogCaptureFixture,
    pool: str,
    case_name: str,
) -> None:
    caplog.set_level(logging.DEBUG)
    case = CASES[case_name]
    entry = make_entry(pool, simulator)
    await setup_entry(hass, entry)
    btccom, f2pool, braiins = simulator.btccom_url, simulator.f2pool_url, simulator.braiins_url
    caplog.clear()

    if case_name == "connection refused":
        await simulator.stop()
    else:
        apply(case, pool, simulator)
    # Refreshes at 5, 15 and 35 minutes: the interval doubles after each failure.
    await run_time(hass, freezer, simulator, timedelta(minutes=35))

    assert entry.state is ConfigEntryState.LOADED
    # Nothing unhandled: no traceback, and no error line but Home Assistant's own one saying
    # that the account cannot be read.
    assert not [
        record for record in caplog.records if record.exc_info and record.levelno > logging.DEBUG
    ]
    assert [
        record.getMessage()
        for record in caplog.records
        if record.levelno >= logging.ERROR and record not in outage_lines(caplog, entry)
    ] == []
    flows = hass.config_entries.flow.async_progress_by_handler(DOMAIN)
    if case.auth:
        assert [flow["context"]["source"] for flow in flows] == [SOURCE_REAUTH]
    else:
        assert flows == []
    hashrate = hass.states.get(HASHRATE[pool])
    balance = hass.states.get(BALANCE[pool])
    assert hashrate is not None
    assert balance is not None
    if case.shows == "value":
        assert hashrate.state not in (STATE_UNAVAILABLE, STATE_UNKNOWN)
        assert pool_records(caplog, logging.WARNING) == []
        assert outage_lines(caplog, entry) == []
    else:
        assert hashrate.state == case.shows
        if case.shows == STATE_UNAVAILABLE:
            # One line when the account became unreachable, however many refreshes failed.
            assert len(outage_lines(caplog, entry)) == 1
            # An account that cannot be read shows nothing it read before as current.
            assert balance.state == STATE_UNAVAILABLE
    places = await secret_free_places(hass, entry, caplog)
    assert places > 20
    if case.auth:
        return

    simulator.clear_faults()
    if case_name == "connection refused":
        await simulator.start(
            btccom_port=int(btccom.rsplit(":", 1)[1]),
            f2pool_port=int(f2pool.rsplit(":", 1)[1]),
            braiins_port=int(braiins.rsplit(":", 1)[1]),
        )
    # The next try is at most 40 minutes away; then the normal interval again.
    await run_time(hass, freezer, simulator, timedelta(minutes=40))
    recovered = hass.states.get(HASHRATE[pool])
    assert recovered is not None
    assert recovered.state not in (STATE_UNAVAILABLE, STATE_UNKNOWN)
    assert float(recovered.state) > 0
    if case.shows == STATE_UNAVAILABLE:
        # One line when the account became unreachable, one when it was back.
        assert len(outage_lines(caplog, entry)) == 1
        back = [
            record
            for record in pool_records(caplog, logging.INFO)
            if record.getMessage() == f"Fetching {DOMAIN} {entry.title} data recovered"
        ]
        assert len(back) == 1
    await secret_free_places(hass, entry, caplog)


@pytest.mark.parametrize("pool", POOLS)
async def test_one_hour_outage_is_polled_with_backoff(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, simulator: Simulator, pool: str
) -> None:
    await setup_entry(hass, make_entry(pool, simulator))
    api, endpoint, _ = ACTIVITY[pool]
    key = f"{api}:{endpoint}"
    simulator.reset_counters()
    simulator.set_fault(api, endpoint, Fault(status=503, body="down", content_type="text/plain"))
    await run_time(hass, freezer, simulator, timedelta(hours=1))
    # Every 5 minutes would be 12 requests; backing off (at 5, 15 and 35 minutes, the next
    # 30 minutes later: the cap) it is 3.
    assert simulator.request_counts[key] == 3
    simulator.clear_faults()
    await run_time(hass, freezer, simulator, timedelta(minutes=5))
    assert simulator.request_counts[key] == 4
    # Success restores the normal interval.
    await run_time(hass, freezer, simulator, timedelta(minutes=15))
    assert simulator.request_counts[key] == 7


async def test_pool_asking_to_wait_is_obeyed(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, simulator: Simulator
) -> None:
    await setup_entry(hass, make_entry("f2pool_v1", simulator))
    simulator.reset_counters()
    simulator.set_fault(
        "f2pool_v1", "account", Fault(status=503, headers={"Retry-After": "3600"}, body="503: x")
    )
    await run_time(hass, freezer, simulator, timedelta(minutes=60))
    # One try, then the hour the pool asked for.
    assert simulator.request_counts["f2pool_v1:account"] == 1
    await run_time(hass, freezer, simulator, timedelta(minutes=10))
    assert simulator.request_counts["f2pool_v1:account"] == 2


async def test_auth_failure_stops_polling(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, simulator: Simulator
) -> None:
    await setup_entry(hass, make_entry("btccom", simulator))
    simulator.reset_counters()
    simulator.set_fault("btccom", "*", Fault(auth_failure=True))
    await run_time(hass, freezer, simulator, timedelta(hours=1))
    # One refusal; then it waits for the user's new key (the earnings were not due yet).
    assert simulator.request_counts["btccom:/realtime/hashrate"] == 1
    assert "btccom:/account/earn-stats" not in simulator.request_counts


async def test_slow_answers_never_stack(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, simulator: Simulator
) -> None:
    await setup_entry(hass, make_entry("f2pool_v2", simulator))
    simulator.reset_counters()
    # Each answer takes 25 s, just under the 30 s a request may take.
    simulator.set_fault("f2pool_v2", "hash_rate/info", Fault(delay=25))
    await run_time(hass, freezer, simulator, timedelta(minutes=30))
    assert simulator.request_counts["f2pool_v2:hash_rate/info"] == 6
    state = hass.states.get(HASHRATE["f2pool_v2"])
    assert state is not None
    assert state.state not in (STATE_UNAVAILABLE, STATE_UNKNOWN)
