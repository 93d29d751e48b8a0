"""One interface over the three APIs: what each account reads, and with how many requests."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import aiohttp
import pytest

from custom_components.mining_pool.api import (
    AccountSnapshot,
    BraiinsAccount,
    BtcComAccount,
    CannotConnectError,
    Capability,
    F2PoolV1Account,
    F2PoolV2Account,
    InvalidInputError,
    PoolKind,
    WorkerStatus,
    open_account,
)
from custom_components.mining_pool.api._http import retry_after
from simulator import Fault, ManualClock, Simulator

START = datetime(2026, 11, 1, 12, 3, 7, tzinfo=UTC)


@pytest.fixture
async def sim() -> AsyncIterator[Simulator]:
    simulator = Simulator(seed=23, clock=ManualClock(START))
    simulator.add_btccom_account(access_key="ak", puid=1, coin="BCH", workers=6, user_name="x")
    simulator.add_f2pool_account(currency="bitcoin", account="alice", workers=6)
    simulator.add_f2pool_account(currency="litecoin", account="bob", workers=6, token="tok")
    simulator.add_braiins_account(token="br-tok", workers=6, user_name="erin")
    async with simulator.running():
        yield simulator


@pytest.fixture
async def session() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as client_session:
        yield client_session


async def test_btccom_account(sim: Simulator, session: aiohttp.ClientSession) -> None:
    account = open_account(
        session, PoolKind.BTCCOM, access_key="ak", puid="1", endpoint=sim.btccom_url, coin="BCH"
    )
    assert isinstance(account, BtcComAccount)
    assert (account.kind, account.coin, account.algorithm) == (PoolKind.BTCCOM, "BCH", "sha256")
    assert (await account.identify()).name == "x"
    activity = await account.activity()
    assert activity.workers is not None
    assert len(activity.workers) == activity.worker_counts.total == 6
    sim.reset_counters()
    light = await account.activity(with_workers=False)
    assert light.workers is None
    assert "btccom:/worker" not in sim.request_counts
    assert light.worker_counts == activity.worker_counts
    sim.reset_counters()
    earnings = await account.earnings()
    truth = sim.world.btccom[1]
    assert earnings.earnings.total_paid == truth.total_paid
    assert earnings.earnings.last_payment_time == truth.last_payment_time
    # One request: nothing shown needs the earn history.
    assert sim.request_counts == {"btccom:/account/earn-stats": 1}


async def test_btccom_preset_names_the_coin(session: aiohttp.ClientSession) -> None:
    account = open_account(session, PoolKind.BTCCOM, access_key="ak", puid=1, endpoint="bch_us")
    assert account.coin == "BCH"


async def test_f2pool_v1_account_reads_one_document(
    sim: Simulator, session: aiohttp.ClientSession
) -> None:
    account = open_account(
        session, PoolKind.F2POOL_V1, currency="bitcoin", account="alice", base_url=sim.f2pool_url
    )
    assert isinstance(account, F2PoolV1Account)
    assert not account.separate_earnings
    assert (account.coin, account.algorithm) == ("BTC", "sha256")
    assert (await account.identify()).name == "alice"
    activity = await account.activity()
    assert activity.earnings.balance == sim.world.f2pool["bitcoin", "alice"].balance
    assert activity.workers is not None
    assert (await account.activity(with_workers=False)).workers is None
    assert (await account.earnings()).earnings == activity.earnings
    assert sim.request_counts["f2pool_v1:account"] == 4


async def test_f2pool_v2_account(sim: Simulator, session: aiohttp.ClientSession) -> None:
    account = open_account(
        session,
        PoolKind.F2POOL_V2,
        currency="litecoin",
        account="bob",
        token="tok",
        base_url=sim.f2pool_url,
    )
    assert isinstance(account, F2PoolV2Account)
    assert (account.coin, account.algorithm) == ("LTC", "scrypt")
    assert (await account.identify()).name == "bob"
    activity = await account.activity()
    truth = sim.world.f2pool["litecoin", "bob"]
    assert activity.workers is not None
    assert activity.worker_counts.total == len(truth.workers)
    # The counts need the worker list even when the workers are not kept.
    light = await account.activity(with_workers=False)
    assert light.workers is None
    assert light.worker_counts == activity.worker_counts
    earnings = await account.earnings_at(START)
    paid = [payout.time for payout in truth.payouts if payout.time > START - timedelta(days=30)]
    assert earnings.earnings.last_payment_time == max(paid, default=None)
    assert len(earnings.payments) == len(paid)


async def test_open_account_checks_settings(session: aiohttp.ClientSession) -> None:
    with pytest.raises(InvalidInputError) as caught:
        open_account(session, PoolKind.F2POOL_V2, currency="bitcoin", account="a")
    assert caught.value.field == "token"
    with pytest.raises(InvalidInputError) as caught:
        open_account(session, PoolKind.BTCCOM, access_key="ak", endpoint="btc_us")
    assert caught.value.field == "puid"


def test_retry_after_forms() -> None:
    now = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)
    assert retry_after({"Retry-After": " 30 "}, now) == 30.0
    assert retry_after({"Retry-After": "Sun, 01 Nov 2026 12:02:00 GMT"}, now) == 120.0
    assert retry_after({"Retry-After": "Sun, 01 Nov 2026 11:00:00 GMT"}, now) == 0.0
    assert retry_after({"Retry-After": "soon"}, now) is None
    assert retry_after({}, now) is None


async def test_a_failed_request_cancels_its_siblings(
    sim: Simulator, session: aiohttp.ClientSession
) -> None:
    account = open_account(
        session, PoolKind.BTCCOM, access_key="ak", puid=1, endpoint=sim.btccom_url, timeout=30
    )
    sim.set_fault("btccom", "/realtime/hashrate", Fault(hang=True))
    sim.set_fault("btccom", "/worker/stats", Fault(status=500))
    loop = asyncio.get_running_loop()
    started = loop.time()
    with pytest.raises(CannotConnectError, match="HTTP 500"):
        await account.activity(with_workers=False)
    # The hanging request was cancelled, not waited for until its 30 s timeout.
    assert loop.time() - started < 10


async def test_f2pool_v2_outside_the_hashrate_module(
    sim: Simulator, session: aiohttp.ClientSession
) -> None:
    truth = sim.add_f2pool_account(currency="kaspa", account="carol", workers=3, token="tok")
    account = open_account(
        session,
        PoolKind.F2POOL_V2,
        currency="kaspa",
        account="carol",
        token="tok",
        base_url=sim.f2pool_url,
    )
    assert isinstance(account, F2PoolV2Account)
    assert not account.reads_activity
    sim.reset_counters()
    # The token and the account are checked through the assets module, which serves Kaspa.
    assert (await account.identify()).name == "carol"
    assert sim.request_counts == {"f2pool_v2:assets/balance": 1}
    assert await account.activity() == AccountSnapshot()
    with pytest.raises(InvalidInputError, match="Bitcoin, Bitcoin Cash and Litecoin"):
        await account.client.workers()
    with pytest.raises(InvalidInputError) as refused:
        await account.client.hashrates([("kaspa", "carol")])
    assert refused.value.field == "currency"
    # Nothing was asked of the hashrate module.
    assert sim.request_counts == {"f2pool_v2:assets/balance": 1}
    earnings = await account.earnings()
    assert earnings.earnings.total_revenue is not None
    assert earnings.earnings.total_revenue > 0
    assert earnings.earnings.balance == pytest.approx(truth.balance, abs=1e-8)


def _filled(snapshot: AccountSnapshot) -> set[Capability]:
    """The capabilities whose values a snapshot carries (not None) for the account or a worker."""
    account_values = {
        Capability.HASHRATE: snapshot.hashrate.current,
        Capability.HASHRATE_LAST_HOUR: snapshot.hashrate.last_hour,
        Capability.HASHRATE_LAST_DAY: snapshot.hashrate.last_day,
        Capability.STALE_HASHRATE_LAST_HOUR: snapshot.hashrate.stale_last_hour,
        Capability.STALE_HASHRATE_LAST_DAY: snapshot.hashrate.stale_last_day,
        Capability.BALANCE: snapshot.earnings.balance,
        Capability.TOTAL_PAID: snapshot.earnings.total_paid,
        Capability.PENDING_PAYOUTS: snapshot.earnings.pending_payouts,
        Capability.EARNINGS_TODAY: snapshot.earnings.earnings_today,
        Capability.EARNINGS_YESTERDAY: snapshot.earnings.earnings_yesterday,
        Capability.EARNINGS_LAST_DAY: snapshot.earnings.earnings_last_day,
        Capability.TOTAL_REVENUE: snapshot.earnings.total_revenue,
        Capability.LAST_PAYMENT_TIME: snapshot.earnings.last_payment_time,
        Capability.ESTIMATED_REWARD: snapshot.earnings.estimated_reward,
        Capability.HASHRATE_YESTERDAY: snapshot.hashrate.yesterday,
        Capability.WORKERS_LOW: snapshot.worker_counts.low,
        Capability.WORKERS_DISABLED: snapshot.worker_counts.disabled,
        Capability.WORKERS_ACTIVE: snapshot.worker_counts.active,
        Capability.WORKERS_INACTIVE: snapshot.worker_counts.inactive,
        Capability.WORKERS_DEAD: snapshot.worker_counts.dead,
        Capability.WORKERS_TOTAL: snapshot.worker_counts.total,
        Capability.WORKERS: snapshot.workers,
    }
    filled = {capability for capability, value in account_values.items() if value is not None}
    for worker in snapshot.workers or ():
        worker_values = {
            Capability.WORKER_ID: worker.worker_id,
            Capability.WORKER_STATUS: None if worker.status is WorkerStatus.UNKNOWN else 1,
            Capability.WORKER_HASHRATE: worker.hashrate,
            Capability.WORKER_HASHRATE_LAST_HOUR: worker.hashrate_last_hour,
            Capability.WORKER_HASHRATE_LAST_DAY: worker.hashrate_last_day,
            Capability.WORKER_STALE_HASHRATE_LAST_DAY: worker.stale_hashrate_last_day,
            Capability.WORKER_REJECT_PERCENT: worker.reject_percent,
            Capability.WORKER_LAST_SHARE_TIME: worker.last_share_time,
            Capability.WORKER_HASHRATE_SCORING: worker.hashrate_scoring,
        }
        filled |= {capability for capability, value in worker_values.items() if value is not None}
    return filled


@pytest.mark.parametrize(
    ("kind", "settings"),
    [
        (PoolKind.BTCCOM, {"access_key": "ak", "puid": "1", "coin": "BCH"}),
        (PoolKind.F2POOL_V1, {"currency": "bitcoin", "account": "dave"}),
        (PoolKind.F2POOL_V2, {"currency": "litecoin", "account": "bob", "token": "tok"}),
        (PoolKind.F2POOL_V2, {"currency": "kaspa", "account": "carol", "token": "tok"}),
        (PoolKind.BRAIINS, {"token": "br-tok"}),
    ],
)
async def test_an_account_provides_what_its_reads_fill_in(
    sim: Simulator, session: aiohttp.ClientSession, kind: PoolKind, settings: dict[str, str]
) -> None:
    """``provides`` is exactly what a full account's reads fill in: entities rely on it."""
    sim.add_f2pool_account(currency="kaspa", account="carol", workers=3, token="tok")
    sim.add_f2pool_account(currency="bitcoin", account="dave", workers=6)
    urls = {PoolKind.BTCCOM: sim.btccom_url, PoolKind.BRAIINS: sim.braiins_url}
    url = urls.get(kind, sim.f2pool_url)
    account = open_account(
        session,
        kind,
        **settings,
        **({"endpoint": url} if kind is PoolKind.BTCCOM else {"base_url": url}),
    )
    if isinstance(account, BraiinsAccount):
        account.client.min_interval = 0.01
    filled = _filled(await account.activity()) | _filled(await account.earnings())
    assert filled == set(account.provides)


async def test_braiins_account(sim: Simulator, session: aiohttp.ClientSession) -> None:
    account = open_account(session, PoolKind.BRAIINS, token="br-tok", base_url=sim.braiins_url)
    assert isinstance(account, BraiinsAccount)
    assert account.client.min_interval == 5.0
    account.client.min_interval = 0.01
    assert (account.kind, account.coin, account.algorithm) == (PoolKind.BRAIINS, "BTC", "sha256")
    assert account.pool_name == "Braiins Pool"
    assert not account.separate_earnings
    assert account.reads_activity
    truth = sim.world.braiins["br-tok"]
    assert (await account.identify()).name == "erin"
    assert sim.request_counts == {"braiins:/accounts/profile/json/btc/": 1}
    sim.reset_counters()
    activity = await account.activity()
    # One refresh: the profile (hashrates, counts, balances) and the worker list.
    assert sim.request_counts == {
        "braiins:/accounts/profile/json/btc/": 1,
        "braiins:/accounts/workers/json/btc/": 1,
    }
    assert activity.earnings.balance == truth.balance
    assert activity.workers is not None
    assert len(activity.workers) == activity.worker_counts.total == 6
    sim.reset_counters()
    light = await account.activity(with_workers=False)
    assert light.workers is None
    assert light.worker_counts == activity.worker_counts
    assert (await account.earnings()).earnings == activity.earnings
    assert sim.request_counts == {"braiins:/accounts/profile/json/btc/": 2}
    with pytest.raises(InvalidInputError) as caught:
        open_account(session, PoolKind.BRAIINS, base_url=sim.braiins_url)
    assert caught.value.field == "token"
