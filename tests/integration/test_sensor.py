"""The account sensors of each pool, pinned with snapshots and checked against the simulator."""

from __future__ import annotations

from decimal import Decimal

import pytest
from homeassistant.core import HomeAssistant
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers import entity_registry as er
from syrupy.assertion import SnapshotAssertion

from custom_components.mining_pool.const import DOMAIN, OPTION_HASHRATE_UNIT
from custom_components.mining_pool.sensor import coin_amount, significant
from simulator import Simulator

from .conftest import (
    POOLS,
    START,
    UNIQUE_IDS,
    coin_state,
    devices_of,
    entities_of,
    make_entry,
    setup_entry,
)


@pytest.mark.usefixtures("entity_registry_enabled_by_default")
@pytest.mark.parametrize("pool", POOLS)
async def test_sensors(
    hass: HomeAssistant,
    entity_registry: er.EntityRegistry,
    device_registry: dr.DeviceRegistry,
    snapshot: SnapshotAssertion,
    simulator: Simulator,
    pool: str,
) -> None:
    entry = make_entry(pool, simulator)
    await setup_entry(hass, entry)
    assert entities_of(hass, entity_registry, entry.entry_id) == snapshot(name="entities")
    devices = devices_of(device_registry, entry.entry_id)
    assert devices == snapshot(name="devices")
    assert [DOMAIN, UNIQUE_IDS[pool]] in devices[0]["identifiers"]


async def test_btccom_values_match_the_pool(hass: HomeAssistant, simulator: Simulator) -> None:
    await setup_entry(hass, make_entry("btccom", simulator))
    truth = simulator.world.btccom[7734215]
    view = truth.view()
    balance = hass.states.get("sensor.btc_com_btc_spica_balance")
    assert balance is not None
    assert Decimal(balance.state) == truth.balance - truth.pending_payout
    assert balance.attributes["unit_of_measurement"] == "BTC"
    hashrate = hass.states.get("sensor.btc_com_btc_spica_hashrate")
    assert hashrate is not None
    assert hashrate.attributes["unit_of_measurement"] == "TH/s"
    assert float(hashrate.state) == pytest.approx(view.average(900) / 1e12, rel=5e-3)
    online = hass.states.get("sensor.btc_com_btc_spica_workers_online")
    assert online is not None
    assert int(online.state) == sum(
        worker.btccom_status(START) == "ACTIVE" for worker in truth.workers.values()
    )
    paid = hass.states.get("sensor.btc_com_btc_spica_last_payment")
    assert paid is not None
    assert truth.last_payment_time is not None
    assert paid.state == truth.last_payment_time.isoformat()
    # BTC.com reports neither 1-hour hashrate nor total revenue.
    assert hass.states.get("sensor.btc_com_btc_spica_hashrate_1_h") is None
    assert hass.states.get("sensor.btc_com_btc_spica_total_revenue") is None


async def test_f2pool_values_match_the_pool(hass: HomeAssistant, simulator: Simulator) -> None:
    await setup_entry(hass, make_entry("f2pool_v1", simulator))
    await setup_entry(hass, make_entry("f2pool_v2", simulator))
    alice = simulator.world.f2pool["bitcoin", "alice"]
    bob = simulator.world.f2pool["litecoin", "bob"]
    v1_balance = hass.states.get("sensor.f2pool_btc_alice_balance")
    assert v1_balance is not None
    # Exact decimals, rounded to the coin's 8: no float dust, never "4.04E-9".
    assert v1_balance.state == coin_state(alice.balance)
    v2_revenue = hass.states.get("sensor.f2pool_ltc_bob_total_revenue")
    assert v2_revenue is not None
    assert v2_revenue.state == coin_state(Decimal(repr(float(bob.total_income))))
    assert v2_revenue.attributes["unit_of_measurement"] == "LTC"
    v2_hashrate = hass.states.get("sensor.f2pool_ltc_bob_hashrate")
    assert v2_hashrate is not None
    assert v2_hashrate.attributes["unit_of_measurement"] == "GH/s"
    # Three significant digits, as a pool's dashboard shows them.
    assert float(v2_hashrate.state) == pytest.approx(bob.hashrate_hs(START) / 1e9, rel=5e-3)
    assert len(v2_hashrate.state.replace(".", "").strip("0")) <= 3
    dead = hass.states.get("sensor.f2pool_ltc_bob_workers_dead")
    assert dead is not None
    assert int(dead.state) == sum(
        worker.f2pool_status(START) == 2 for worker in bob.workers.values()
    )
    # The legacy API gives no worker state: no "dead" count, and no yesterday's earnings.
    assert hass.states.get("sensor.f2pool_btc_alice_workers_dead") is None
    assert hass.states.get("sensor.f2pool_btc_alice_earnings_yesterday") is None


async def test_hashrate_unit_option(hass: HomeAssistant, simulator: Simulator) -> None:
    await setup_entry(hass, make_entry("f2pool_v2", simulator, {OPTION_HASHRATE_UNIT: "MH/s"}))
    bob = simulator.world.f2pool["litecoin", "bob"]
    state = hass.states.get("sensor.f2pool_ltc_bob_hashrate")
    assert state is not None
    assert state.attributes["unit_of_measurement"] == "MH/s"
    assert float(state.state) == pytest.approx(bob.hashrate_hs(START) / 1e6, rel=5e-3)


@pytest.mark.parametrize(
    ("amount", "decimals", "shown"),
    [
        (Decimal("4.042116096E-9"), 8, "0.00000000"),
        (Decimal("0.001681341240483665"), 8, "0.00168134"),
        (0.1 + 0.2, 8, "0.30000000"),
        (Decimal("12.345"), 2, "12.34"),
        # Past the 28 digits of Python's default decimal context.
        (Decimal(-(2**70)), 8, "-1180591620717411303424.00000000"),
    ],
)
def test_amounts_are_rounded_to_the_coin_and_written_in_full(
    amount: Decimal | float, decimals: int, shown: str
) -> None:
    assert coin_amount(amount, decimals) == shown


@pytest.mark.parametrize(
    ("hashrate", "shown"),
    [(1140.2, "1140"), (1.1449, "1.14"), (0.000012345, "0.0000123"), (0.0, "0"), (97.978, "98")],
)
def test_hashrates_have_three_significant_digits(hashrate: float, shown: str) -> None:
    assert significant(hashrate) == shown
