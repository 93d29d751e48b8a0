"""Long-term statistics of the account sensors across a day boundary and a payout.

Home Assistant's recorder runs; time passes from START over two UTC midnights (the simulator
credits each closed day at midnight) and the payout that the second day's credit triggers
(paid between 01:30 and 02:00 UTC the next morning). Every 5-minute period is compiled, as the
recorder does every 5 minutes, and the hourly statistics it produces are checked against the
simulator's ledger: sums only grow, and only by what was earned or paid.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from decimal import Decimal
from typing import Any

import pytest
from freezegun.api import FrozenDateTimeFactory
from homeassistant.components.recorder import Recorder
from homeassistant.components.recorder.models import StatisticMeanType
from homeassistant.components.recorder.statistics import (
    get_metadata,
    statistics_during_period,
    update_statistics_issues,
    validate_statistics,
)
from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er
from homeassistant.helpers import issue_registry as ir
from homeassistant.util import dt as dt_util
from pytest_homeassistant_custom_component.components.recorder.common import (
    async_wait_recording_done,
    do_adhoc_statistics,
)
from pytest_homeassistant_custom_component.typing import RecorderInstanceContextManager

from custom_components.mining_pool.const import (
    DOMAIN,
    EARNINGS_INTERVAL,
    OPTION_HASHRATE_UNIT,
    OPTION_REMOVE_AFTER_DAYS,
    OPTION_WORKER_DEVICES,
)
from simulator import Credit, Payout, Simulator
from simulator.state import Account

from .conftest import POOLS, START, UNIQUE_IDS, make_entry, setup_entry, tick, truth

PERIOD = timedelta(minutes=5)
HOUR = timedelta(hours=1)
# The two UTC midnights the test runs over: the first credits START's day, the second credits
# the next day, whose credit takes the balance over the payout threshold.
MIDNIGHT = datetime.combine(START.date() + timedelta(days=1), time(), UTC)
SECOND_MIDNIGHT = MIDNIGHT + timedelta(days=1)
END = SECOND_MIDNIGHT + 3 * HOUR
LAST_HOUR = END - HOUR

# The state class of each coin sensor: sums only for running totals that only grow.
COIN_STATE_CLASSES = {
    "balance": "measurement",
    "total_paid": "total_increasing",
    "pending_payouts": "measurement",
    "earnings_today": "measurement",
    "earnings_yesterday": "measurement",
    "earnings_last_day": "measurement",
    "total_revenue": "total_increasing",
}
COIN_SENSORS = {
    "btccom": ("balance", "total_paid", "pending_payouts", "earnings_today", "earnings_yesterday"),
    "f2pool_v1": ("balance", "total_paid", "earnings_today", "earnings_last_day", "total_revenue"),
    "f2pool_v2": ("balance", "total_paid", "earnings_today", "earnings_yesterday", "total_revenue"),
}
TOTALS = {"total", "total_increasing"}

type Rows = dict[datetime, dict[str, Any]]


@pytest.fixture
def mock_recorder_before_hass(async_test_recorder: RecorderInstanceContextManager) -> None:
    """Prepare the recorder's database before Home Assistant starts (recorder_mock needs it)."""


class Run:
    """Moves Home Assistant's clock and the simulator's together, compiling statistics as it goes.

    The recorder's own 5-minute timer is off in tests: every 5-minute period that has ended is
    compiled here instead, in order; the period that closes an hour also compiles the hour.
    """

    def __init__(self, hass: HomeAssistant, freezer: FrozenDateTimeFactory, sim: Simulator) -> None:
        """Start at the 5-minute period that holds START."""
        self.hass = hass
        self.freezer = freezer
        self.sim = sim
        self.period = START.replace(minute=START.minute - START.minute % 5, second=0)

    async def until(self, when: datetime, step: timedelta) -> None:
        """Move on by ``step`` until ``when``, compiling every period that ended meanwhile."""
        while dt_util.utcnow() < when:
            await tick(self.hass, self.freezer, self.sim, step)
            while self.period + PERIOD <= dt_util.utcnow():
                do_adhoc_statistics(self.hass, start=self.period)
                self.period += PERIOD
            await async_wait_recording_done(self.hass)


@dataclass(frozen=True, kw_only=True)
class Ledger:
    """What the simulator's account went through during the run, and the sensors showing it."""

    pool: str
    account: Account
    balance_at_start: Decimal
    first_day: Credit
    second_day: Credit
    payout: Payout
    ids: dict[str, str]


def shown_balance(pool: str, account: Account) -> Decimal:
    """The balance the pool reports: BTC.com leaves a decided payout out of it."""
    if pool == "btccom":
        return account.balance - account.pending_payout
    return account.balance


def coin(value: Decimal) -> Any:
    """A coin amount as the recorder holds it: from states rounded to 8 decimals, as floats.

    A level is off by at most half the last decimal; a sum adds one such rounding at each end
    of each run it adds up (before and after a payout).
    """
    return pytest.approx(float(value), rel=1e-9, abs=2e-8)


async def recorder_complaints(
    hass: HomeAssistant,
    recorder: Recorder,
    issue_registry: ir.IssueRegistry,
    caplog: pytest.LogCaptureFixture,
) -> list[str]:
    """What the recorder logged about the sensors: warnings, and the resets of totals it saw.

    It must find no validation issue and raise no repair.
    """
    assert await recorder.async_add_executor_job(validate_statistics, hass) == {}
    await recorder.async_add_executor_job(update_statistics_issues, hass)
    await hass.async_block_till_done()
    assert [issue for issue in issue_registry.issues.values() if issue.domain == "sensor"] == []
    return [
        record.getMessage()
        for record in caplog.records
        if record.name.startswith("homeassistant.components.sensor")
        and (record.levelno >= logging.WARNING or "new cycle" in record.getMessage())
    ]


async def hourly(hass: HomeAssistant, recorder: Recorder, entity_ids: set[str]) -> dict[str, Rows]:
    """The hourly long-term statistics of these entities, by entity and hour."""
    stats = await recorder.async_add_executor_job(
        statistics_during_period,
        hass,
        START - HOUR,
        None,
        entity_ids,
        "hour",
        None,
        {"mean", "min", "max", "sum", "state"},
    )
    return {
        entity_id: {datetime.fromtimestamp(row["start"], UTC): dict(row) for row in rows}
        for entity_id, rows in stats.items()
    }


def check_sum_rows(rows: Rows) -> list[float]:
    """Check the rows of a total: a sum on every hour from the first, never falling."""
    assert min(rows) == START.replace(minute=0, second=0)
    assert max(rows) == LAST_HOUR
    assert all(row["mean"] is None and row["min"] is None for row in rows.values())
    sums = [rows[hour]["sum"] for hour in sorted(rows)]
    assert sums == sorted(sums)
    assert sums[0] == 0
    return sums


def check_measurement_rows(rows: Rows) -> None:
    """Check the rows of a measurement: mean, min and max on every hour, and no sum."""
    assert max(rows) == LAST_HOUR
    for row in rows.values():
        assert row["sum"] is None
        assert row["state"] is None
        assert row["min"] <= row["mean"] + 1e-12
        assert row["mean"] <= row["max"] + 1e-12


def expected_statistics(
    hass: HomeAssistant, entity_ids: set[str]
) -> dict[str, tuple[bool, StatisticMeanType]]:
    """Which sensors get statistics, and of which kind: (has a sum, kind of mean).

    Those with a state class and a number; a sum for a total, a mean for a measurement.
    """
    expected: dict[str, tuple[bool, StatisticMeanType]] = {}
    for entity_id in entity_ids:
        state = hass.states.get(entity_id)
        assert state is not None
        state_class = state.attributes.get("state_class")
        if state_class is None or state.state in ("unknown", "unavailable"):
            continue
        if state_class in TOTALS:
            expected[entity_id] = (True, StatisticMeanType.NONE)
        else:
            expected[entity_id] = (False, StatisticMeanType.ARITHMETIC)
    return expected


def check_totals(ledger: Ledger, stats: dict[str, Rows]) -> datetime:
    """Check total_paid and total_revenue; return the hour the payout was read in."""
    payout, first_day, second_day = ledger.payout, ledger.first_day, ledger.second_day
    # total_paid: stays put over both midnights and grows by the payout, once, in the hour
    # the payout was read (the earnings are read every 30 minutes).
    paid = stats[ledger.ids["total_paid"]]
    paid_sums = check_sum_rows(paid)
    paid_hour = min(hour for hour, row in paid.items() if row["sum"] > 0)
    assert payout.time - HOUR < paid_hour <= payout.time + EARNINGS_INTERVAL + PERIOD
    assert paid[MIDNIGHT]["sum"] == 0
    assert paid[SECOND_MIDNIGHT]["sum"] == 0
    assert paid[paid_hour]["sum"] == coin(payout.amount)
    assert paid_sums[-1] == coin(payout.amount)
    assert len(set(paid_sums)) == 2
    assert paid[LAST_HOUR]["state"] == coin(ledger.account.total_paid)

    # total_revenue (F2Pool): grows by each day's credit at its midnight, not by the payout.
    if "total_revenue" in ledger.ids:
        revenue = stats[ledger.ids["total_revenue"]]
        check_sum_rows(revenue)
        assert revenue[MIDNIGHT - HOUR]["sum"] == 0
        assert revenue[MIDNIGHT]["sum"] == coin(first_day.amount)
        assert revenue[SECOND_MIDNIGHT - HOUR]["sum"] == coin(first_day.amount)
        assert revenue[SECOND_MIDNIGHT]["sum"] == coin(first_day.amount + second_day.amount)
        assert revenue[LAST_HOUR]["sum"] == coin(first_day.amount + second_day.amount)
        assert revenue[LAST_HOUR]["state"] == coin(ledger.account.total_income)
    return paid_hour


def check_levels(ledger: Ledger, stats: dict[str, Rows], paid_hour: datetime) -> None:
    """Check balance and pending_payouts: levels, with no sum to fall at a payout."""
    payout, first_day, second_day = ledger.payout, ledger.first_day, ledger.second_day
    balance = stats[ledger.ids["balance"]]
    after_first_day = ledger.balance_at_start + first_day.amount
    assert balance[MIDNIGHT - HOUR]["max"] == coin(ledger.balance_at_start)
    assert balance[MIDNIGHT]["min"] == coin(ledger.balance_at_start)
    assert balance[MIDNIGHT]["max"] == coin(after_first_day)
    assert balance[SECOND_MIDNIGHT - HOUR]["mean"] == coin(after_first_day)
    if ledger.pool == "btccom":
        # BTC.com moves the whole balance to "pending" when the payout is decided, at midnight.
        assert payout.amount == after_first_day + second_day.amount
        assert balance[SECOND_MIDNIGHT]["min"] == 0
        pending = stats[ledger.ids["pending_payouts"]]
        assert pending[SECOND_MIDNIGHT - HOUR]["max"] == 0
        assert pending[SECOND_MIDNIGHT]["max"] == coin(payout.amount)
        assert pending[paid_hour]["min"] == 0
    else:
        # F2Pool keeps the balance until the payout is sent.
        before_payout = after_first_day + second_day.amount
        assert balance[SECOND_MIDNIGHT]["max"] == coin(before_payout)
        assert balance[paid_hour]["max"] == coin(before_payout)
        assert balance[paid_hour]["min"] == coin(before_payout - payout.amount)
    assert balance[LAST_HOUR]["min"] == coin(shown_balance(ledger.pool, ledger.account))


def check_daily_figures(ledger: Ledger, stats: dict[str, Rows], hass: HomeAssistant) -> None:
    """Check today's estimate, the rolling 24 hours and yesterday's earnings: no sums."""
    ids = ledger.ids
    # earnings_today: the estimate's drop at midnight is a measurement's minimum, not a reset.
    if ids["earnings_today"] in stats:
        today = stats[ids["earnings_today"]]
        for midnight in (MIDNIGHT, SECOND_MIDNIGHT):
            assert today[midnight - HOUR]["max"] > 10 * today[midnight]["min"]
    else:
        # F2Pool's legacy API sends today's earnings only among its extra keys.
        assert ledger.pool == "f2pool_v1"
    # earnings_last_day (F2Pool v1): a rolling 24 hours, close to the day just credited.
    if "earnings_last_day" in ids:
        rolling = stats[ids["earnings_last_day"]]
        assert rolling[MIDNIGHT]["mean"] == pytest.approx(float(ledger.first_day.amount), rel=1e-2)
        assert rolling[SECOND_MIDNIGHT]["mean"] == pytest.approx(
            float(ledger.second_day.amount), rel=1e-2
        )
    # earnings_yesterday: a closed day's figure, whose statistics are that figure, no sum.
    if "earnings_yesterday" in ids:
        yesterday = hass.states.get(ids["earnings_yesterday"])
        assert yesterday is not None
        assert float(yesterday.state) == coin(ledger.second_day.amount)
        assert stats[ids["earnings_yesterday"]][LAST_HOUR]["mean"] == pytest.approx(
            coin(ledger.second_day.amount)
        )


@pytest.mark.usefixtures("entity_registry_enabled_by_default")
# Braiins Pool's ledger (rewards and payouts) joins with the history features of issue 11.
@pytest.mark.parametrize("pool", [pool for pool in POOLS if pool != "braiins"])
async def test_long_term_statistics_over_a_day_boundary_and_a_payout(
    recorder_mock: Recorder,
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    entity_registry: er.EntityRegistry,
    issue_registry: ir.IssueRegistry,
    caplog: pytest.LogCaptureFixture,
    simulator: Simulator,
    pool: str,
) -> None:
    # The harness logs every SQL statement at INFO: thousands of lines, and most of the time.
    caplog.set_level(logging.WARNING, logger="sqlalchemy.engine")
    entry = make_entry(pool, simulator)
    await setup_entry(hass, entry)
    account = truth(simulator, pool)
    balance_at_start = shown_balance(pool, account)

    run = Run(hass, freezer, simulator)
    await run.until(MIDNIGHT - HOUR, HOUR)
    await run.until(MIDNIGHT + HOUR, PERIOD)
    await run.until(SECOND_MIDNIGHT - HOUR, HOUR)
    await run.until(END, PERIOD)

    # The ledger the run went through: two credited days, and one payout of the balance.
    first_day, second_day = account.credits[-2:]
    assert (first_day.at, second_day.at) == (MIDNIGHT.timestamp(), SECOND_MIDNIGHT.timestamp())
    payout = account.payouts[-1]
    assert payout.day == second_day.day
    assert SECOND_MIDNIGHT < payout.time < END
    assert account.pending_payout == 0

    ids = {
        key: entity_registry.async_get_entity_id("sensor", DOMAIN, f"{UNIQUE_IDS[pool]}:{key}")
        for key in COIN_SENSORS[pool]
    }
    for key, entity_id in ids.items():
        assert entity_id is not None
        state = hass.states.get(entity_id)
        assert state is not None
        assert state.attributes.get("state_class") == COIN_STATE_CLASSES[key]
        assert state.attributes.get("device_class") is None
    ledger = Ledger(
        pool=pool,
        account=account,
        balance_at_start=balance_at_start,
        first_day=first_day,
        second_day=second_day,
        payout=payout,
        ids={key: str(entity_id) for key, entity_id in ids.items()},
    )

    # Statistics exist for exactly the sensors with a state class and a number (account and
    # worker sensors alike), with a sum exactly when the state class is a total.
    sensors = {
        registered.entity_id
        for registered in er.async_entries_for_config_entry(entity_registry, entry.entry_id)
        if registered.domain == "sensor"
    }
    expected = expected_statistics(hass, sensors)
    metadata = await recorder_mock.async_add_executor_job(
        lambda: get_metadata(hass, statistic_ids=sensors)
    )
    assert {
        entity_id: (meta["has_sum"], meta["mean_type"]) for entity_id, (_, meta) in metadata.items()
    } == expected
    stats = await hourly(hass, recorder_mock, sensors)
    assert set(stats) == set(expected)
    for entity_id, rows in stats.items():
        if expected[entity_id][0]:
            check_sum_rows(rows)
        else:
            check_measurement_rows(rows)

    paid_hour = check_totals(ledger, stats)
    check_levels(ledger, stats, paid_hour)
    check_daily_figures(ledger, stats, hass)

    # The recorder sees nothing wrong: no validation issue, no repair, no reset or dip logged.
    assert await recorder_complaints(hass, recorder_mock, issue_registry, caplog) == []


async def test_a_new_hashrate_unit_converts_the_recorded_statistics(
    recorder_mock: Recorder,
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    entity_registry: er.EntityRegistry,
    issue_registry: ir.IssueRegistry,
    caplog: pytest.LogCaptureFixture,
    simulator: Simulator,
) -> None:
    caplog.set_level(logging.WARNING, logger="sqlalchemy.engine")
    entry = make_entry("f2pool_v2", simulator)
    await setup_entry(hass, entry)
    hashrates = {
        registered.entity_id
        for registered in er.async_entries_for_config_entry(entity_registry, entry.entry_id)
        if registered.domain == "sensor"
        and registered.unit_of_measurement == "GH/s"
        and not registered.disabled
    }
    # The account's hashrates and each worker's.
    assert len(hashrates) == 3 + len(truth(simulator, "f2pool_v2").workers)
    run = Run(hass, freezer, simulator)
    changed_at = START + 3 * HOUR
    await run.until(changed_at, PERIOD)
    before = await hourly(hass, recorder_mock, hashrates)
    assert set(before) == hashrates

    options = hass.config_entries.options
    form = await options.async_init(entry.entry_id)
    await options.async_configure(
        form["flow_id"],
        {OPTION_HASHRATE_UNIT: "MH/s", OPTION_WORKER_DEVICES: True, OPTION_REMOVE_AFTER_DAYS: 7},
    )
    await hass.async_block_till_done()
    await async_wait_recording_done(hass)
    await run.until(changed_at + 3 * HOUR, PERIOD)

    metadata = await recorder_mock.async_add_executor_job(
        lambda: get_metadata(hass, statistic_ids=hashrates)
    )
    assert {meta["unit_of_measurement"] for _, meta in metadata.values()} == {"MH/s"}
    # The registry has the new unit too: the next set-up finds nothing left to convert.
    units = {entity_registry.entities[entity_id].unit_of_measurement for entity_id in hashrates}
    assert units == {"MH/s"}
    after = await hourly(hass, recorder_mock, hashrates)
    for entity_id, rows in before.items():
        # What was recorded in GH/s reads in MH/s: a thousand times the number.
        for hour, row in rows.items():
            for field in ("mean", "min", "max"):
                assert after[entity_id][hour][field] == pytest.approx(row[field] * 1000)
        # And the hours since go on in MH/s, with no gap past the hour of the change.
        later = [hour for hour in after[entity_id] if hour >= changed_at]
        assert len(later) >= 2
    account_hashrate = "sensor.f2pool_ltc_bob_hashrate"
    last = max(after[account_hashrate])
    assert after[account_hashrate][last]["mean"] == pytest.approx(
        truth(simulator, "f2pool_v2").hashrate_hs(last) / 1e6, rel=0.2
    )

    # No repair and no validation issue. The recorder skips the one 5-minute period that holds
    # states in both units, and says so once per sensor.
    warnings = await recorder_complaints(hass, recorder_mock, issue_registry, caplog)
    assert len(warnings) == len(hashrates)
    assert all(" is changing, got multiple " in warning for warning in warnings)
