"""The three clients against the simulator over real HTTP on 127.0.0.1.

Values are compared with the simulator's own truth, not with numbers copied into the test.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import aiohttp
import pytest

from custom_components.mining_pool.api import (
    CURRENCIES,
    AccountNotFoundError,
    AuthenticationError,
    BtcComClient,
    F2PoolV1Client,
    F2PoolV2Client,
    WorkerStatus,
)
from simulator import ManualClock, Quirks, Simulator

START = datetime(2026, 11, 1, 12, 3, 7, tzinfo=UTC)
ACCESS_KEY = "ak-Secret-7f3e9d"
PUID = 7734215
TOKEN = "tok-Secret-91bc4a"
STATUS_NAMES = {
    "ACTIVE": WorkerStatus.ONLINE,
    "INACTIVE": WorkerStatus.OFFLINE,
    "DEAD": WorkerStatus.DEAD,
}
V2_STATUSES = {0: WorkerStatus.ONLINE, 1: WorkerStatus.OFFLINE, 2: WorkerStatus.DEAD}


def address_of(currency: str) -> str:
    """A made-up account name, or a wallet-shaped one for the address currencies."""
    return f"{currency[:3]}1q9demo0wallet0address0x7" if currency in BY_ADDRESS else "miner"


BY_ADDRESS = {currency.name for currency in CURRENCIES if currency.by_address}


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(START)


@pytest.fixture
def sim(clock: ManualClock) -> Simulator:
    sim = Simulator(seed=7, clock=clock)
    sim.add_btccom_account(access_key=ACCESS_KEY, puid=PUID, workers=12, user_name="spica")
    sim.add_f2pool_account(currency="bitcoin", account="alice", workers=12)
    sim.add_f2pool_account(currency="litecoin", account="bob", workers=12, token=TOKEN)
    return sim


@pytest.fixture
async def served(sim: Simulator) -> AsyncIterator[Simulator]:
    async with sim.running():
        yield sim


@pytest.fixture
async def session() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as client_session:
        yield client_session


def btccom(served: Simulator, session: aiohttp.ClientSession, **kwargs: object) -> BtcComClient:
    arguments: dict[str, object] = {
        "access_key": ACCESS_KEY,
        "puid": PUID,
        "endpoint": served.btccom_url,
        **kwargs,
    }
    return BtcComClient(session, **arguments)  # type: ignore[arg-type]


async def test_btccom_account_and_earnings(
    served: Simulator, session: aiohttp.ClientSession
) -> None:
    truth = served.world.btccom[PUID]
    client = btccom(served, session)
    info = await client.account_info()
    assert info.user_name == "spica"
    assert info.user_id == truth.user_id
    earnings = await client.earn_stats()
    assert earnings.total_paid == truth.total_paid
    assert earnings.pending_payouts == truth.pending_payout
    assert earnings.balance == truth.balance - truth.pending_payout
    assert earnings.earnings_today == truth.earnings_today
    assert earnings.earnings_yesterday == truth.earnings_yesterday
    assert earnings.last_payment_time == truth.last_payment_time
    assert truth.payouts, "30 days of history include payouts"


async def test_btccom_earn_history_pages(served: Simulator, session: aiohttp.ClientSession) -> None:
    client = btccom(served, session)
    first = await client.earn_history(page=1, page_size=10)
    second = await client.earn_history(page=2, page_size=10)
    assert first.page == 1
    assert second.page == 2
    assert len(first.days) == 10
    assert first.total_count is not None
    assert first.page_count == -(-first.total_count // 10)
    # Newest first, and the pages do not overlap.
    days = [day.day for day in (*first.days, *second.days)]
    assert days == sorted(days, reverse=True)
    assert len(set(days)) == 20
    paid = served.world.btccom[PUID].payouts
    listed = {payment.time for page in (first, second) for payment in page.payments}
    assert listed <= {payout.time for payout in paid}


async def test_btccom_hashrates_and_worker_counts(
    served: Simulator, session: aiohttp.ClientSession
) -> None:
    view = served.world.btccom[PUID].view()
    client = btccom(served, session)
    realtime = await client.realtime_hashrate()
    # BTC.com sends three significant digits in the unit it picks.
    assert realtime.current == pytest.approx(view.average(900), rel=5e-3)
    assert realtime.last_day == pytest.approx(view.average(86400), rel=5e-3)
    stats = await client.worker_stats()
    workers = await client.workers()
    statuses = Counter(worker.status for worker in workers)
    assert stats.counts.active == statuses[WorkerStatus.ONLINE]
    assert stats.counts.inactive == statuses[WorkerStatus.OFFLINE]
    assert stats.counts.dead == statuses[WorkerStatus.DEAD]
    assert stats.counts.total == len(workers) == 12
    assert stats.hashrate_15m == pytest.approx(view.average(900), rel=5e-3)
    truth = served.world.btccom[PUID]
    for worker in workers:
        assert worker.worker_id is not None
        assert int(worker.worker_id) < 2**63
        assert worker.status is STATUS_NAMES[truth.workers[worker.name].btccom_status(START)]
        assert worker.hashrate == pytest.approx(view.stats(worker.name).averages[2], rel=1e-6)


async def test_btccom_every_page_of_a_large_farm(
    clock: ManualClock, session: aiohttp.ClientSession
) -> None:
    sim = Simulator(seed=3, clock=clock)
    sim.add_btccom_account(access_key=ACCESS_KEY, puid=PUID, workers=2500)
    async with sim.running():
        client = btccom(sim, session)
        workers = await client.workers()
        assert len(workers) == 2500
        assert len({worker.worker_id for worker in workers}) == 2500
        assert sim.request_counts["btccom:/worker"] == 3
        dead = await client.workers("dead")
        assert dead
        assert all(worker.status is WorkerStatus.DEAD for worker in dead)


async def test_btccom_quirks(
    clock: ManualClock,
    session: aiohttp.ClientSession,
    caplog: pytest.LogCaptureFixture,
) -> None:
    sim = Simulator(seed=5, clock=clock)
    quirks = Quirks(
        numbers_as_strings=False,
        mixed_types=True,
        last_share_time_format="datetime",
        extra_keys=True,
        unit_letter="X",
        err_msg_form="object",
    )
    sim.add_btccom_account(access_key=ACCESS_KEY, puid=PUID, workers=8, quirks=quirks)
    async with sim.running():
        client = btccom(sim, session)
        view = sim.world.btccom[PUID].view()
        with caplog.at_level(logging.WARNING):
            realtime = await client.realtime_hashrate()
            await client.realtime_hashrate()
            workers = await client.workers()
        # An unknown unit letter is read as H/s, and said once.
        assert realtime.current is not None
        assert realtime.current < view.average(900)
        assert sum("not known" in record.getMessage() for record in caplog.records) == 1
        assert len(workers) == 8
        assert all(
            worker.last_share_time is None or worker.last_share_time.tzinfo for worker in workers
        )
        truth = sim.world.btccom[PUID]
        for worker in workers:
            expected = truth.workers[worker.name].last_share(START)
            if expected is not None and worker.last_share_time is not None:
                assert abs(worker.last_share_time - expected) < timedelta(seconds=1)
        earnings = await client.earn_stats()
        assert earnings.total_paid == truth.total_paid
        history = await client.earn_history()
        assert all(day.day is not None for day in history.days)
        wrong = btccom(sim, session, access_key="wrong-key")
        with pytest.raises(AuthenticationError):
            await wrong.account_info()


async def test_btccom_refuses_wrong_credentials(
    served: Simulator, session: aiohttp.ClientSession
) -> None:
    with pytest.raises(AuthenticationError, match="20001"):
        await btccom(served, session, access_key="not-the-key").earn_stats()
    with pytest.raises(AuthenticationError):
        await btccom(served, session, puid=42).earn_stats()


def v1(
    served: Simulator, session: aiohttp.ClientSession, currency: str, account: str, **kw: object
) -> F2PoolV1Client:
    return F2PoolV1Client(
        session,
        currency=currency,
        account=account,
        base_url=served.f2pool_url,
        **kw,  # type: ignore[arg-type]
    )


@pytest.mark.parametrize("currency", [currency.name for currency in CURRENCIES])
async def test_f2pool_v1_every_currency(
    clock: ManualClock, session: aiohttp.ClientSession, currency: str
) -> None:
    sim = Simulator(seed=11, clock=clock)
    truth = sim.add_f2pool_account(currency=currency, account=address_of(currency), workers=4)
    async with sim.running():
        snapshot = await v1(sim, session, currency, address_of(currency)).account_data()
    assert snapshot.earnings.balance == truth.balance
    assert snapshot.earnings.total_paid == truth.total_paid
    assert snapshot.earnings.total_revenue == truth.total_income
    assert snapshot.earnings.earnings_last_day == truth.earnings_last_24h
    assert snapshot.worker_counts.total == 4
    assert snapshot.workers is not None
    assert {worker.name for worker in snapshot.workers} == set(truth.workers)
    # F2Pool sends whole H/s.
    assert snapshot.hashrate.current == pytest.approx(truth.hashrate_hs(START), rel=1e-9, abs=1)
    assert len(snapshot.hashrate_history) == 144
    assert {(payment.time, payment.amount, payment.tx_id) for payment in snapshot.payments} == {
        (payout.time, payout.amount, payout.txid) for payout in truth.payouts
    }
    assert sim.requested_paths == [f"/{currency}/{address_of(currency)}"]


async def test_f2pool_v1_multi_account_and_worker_history(
    served: Simulator, session: aiohttp.ClientSession
) -> None:
    served.add_f2pool_account(currency="bitcoin", account="carol", workers=3)
    client = v1(served, session, "bitcoin", "alice")
    accounts = await client.accounts(["carol", "alice"])
    assert set(accounts) == {"alice", "carol"}
    assert accounts["carol"].worker_counts.total == 3
    assert accounts["alice"].earnings.balance == served.world.f2pool["bitcoin", "alice"].balance
    assert served.requested_paths[-1] == ("/bitcoin/alice?multi_account=alice&multi_account=carol")
    history = await client.worker_history("worker-1")
    assert len(history) == 144
    assert history[0].time < history[-1].time
    with pytest.raises(AccountNotFoundError):
        await client.worker_history("no-such-worker")


async def test_f2pool_v1_token_and_missing_account(
    served: Simulator, session: aiohttp.ClientSession
) -> None:
    with pytest.raises(AuthenticationError):
        await v1(served, session, "litecoin", "bob").account_data()
    with pytest.raises(AuthenticationError):
        await v1(served, session, "litecoin", "bob", token="wrong-token").account_data()
    snapshot = await v1(served, session, "litecoin", "bob", token=TOKEN).account_data()
    assert snapshot.earnings.balance == served.world.f2pool["litecoin", "bob"].balance
    with pytest.raises(AccountNotFoundError):
        await v1(served, session, "bitcoin", "nobody").account_data()


@pytest.mark.parametrize(
    "quirks",
    [
        Quirks(worker_array_length=9, iso_fraction="milli"),
        Quirks(worker_array_length=11, huge_integers=True, extra_keys=True),
        Quirks(null_txid=True, never_shared_worker="null"),
        Quirks(never_shared_worker="empty"),
        Quirks(empty_account=True),
    ],
    ids=["array-9", "array-11-huge", "null-txid", "empty-last-share", "empty-account"],
)
async def test_f2pool_v1_quirks(
    clock: ManualClock, session: aiohttp.ClientSession, quirks: Quirks
) -> None:
    sim = Simulator(seed=13, clock=clock)
    truth = sim.add_f2pool_account(currency="bitcoin", account="quirky", workers=6, quirks=quirks)
    async with sim.running():
        snapshot = await v1(sim, session, "bitcoin", "quirky").account_data()
    assert snapshot.earnings.balance == truth.balance
    assert snapshot.workers is not None
    assert {worker.name for worker in snapshot.workers} == set(truth.workers)
    for worker in snapshot.workers:
        expected = truth.workers[worker.name].last_share(START)
        assert worker.last_share_time == expected
        assert worker.hashrate == pytest.approx(
            truth.workers[worker.name].hashrate_hs(START), rel=1e-9, abs=1
        )
    if quirks.null_txid:
        assert snapshot.payments[0].tx_id is None or any(
            payment.tx_id is None for payment in snapshot.payments
        )
    if quirks.empty_account:
        assert snapshot.workers == ()
        assert snapshot.payments == ()
        assert all(point.hashrate == 0 for point in snapshot.hashrate_history)


def as_double(amount: Decimal) -> Decimal:
    """The amount as it reads once sent as a JSON double."""
    return Decimal(repr(float(amount)))


def v2(served: Simulator, session: aiohttp.ClientSession, **kw: object) -> F2PoolV2Client:
    arguments: dict[str, object] = {
        "currency": "litecoin",
        "account": "bob",
        "token": TOKEN,
        "base_url": served.f2pool_url,
        **kw,
    }
    return F2PoolV2Client(session, **arguments)  # type: ignore[arg-type]


async def test_f2pool_v2_every_endpoint(served: Simulator, session: aiohttp.ClientSession) -> None:
    truth = served.world.f2pool["litecoin", "bob"]
    client = v2(served, session)
    earnings = await client.balance()
    # v2 sends amounts as doubles: equal to the truth within a double's precision.
    assert earnings.balance == as_double(truth.balance)
    assert earnings.total_paid == as_double(truth.total_paid)
    assert earnings.total_revenue == as_double(truth.total_income)
    assert earnings.earnings_yesterday == as_double(truth.earnings_yesterday)
    assert earnings.earnings_today == as_double(truth.earnings_today)
    hashrate = await client.hashrate()
    assert hashrate.current == pytest.approx(truth.hashrate_hs(START), rel=1e-9)
    assert hashrate.last_hour == pytest.approx(truth.average_hs(3600), rel=1e-9)
    workers = await client.workers()
    assert {worker.name for worker in workers} == set(truth.workers)
    for worker in workers:
        assert worker.status is V2_STATUSES[truth.workers[worker.name].f2pool_status(START)]
    history = await client.hashrate_history()
    assert len(history) == 144
    worker_history = await client.worker_history("worker-2", duration=timedelta(hours=6))
    assert len(worker_history) == 36
    payouts = await client.payouts(START - timedelta(days=30), START)
    assert {payout.amount for payout in payouts} == {
        as_double(payout.amount)
        for payout in truth.payouts
        if payout.time >= START - timedelta(days=30)
    }
    listed = await client.hashrates([("litecoin", "bob")])
    assert set(listed) == {("litecoin", "bob")}
    assert listed["litecoin", "bob"].current == pytest.approx(hashrate.current)
    with pytest.raises(AccountNotFoundError):
        await client.hashrates([("litecoin", "bob"), ("litecoin", "nobody")])


async def test_f2pool_v2_errors(served: Simulator, session: aiohttp.ClientSession) -> None:
    with pytest.raises(AuthenticationError, match="5010"):
        await v2(served, session, token="wrong-token").balance()
    with pytest.raises(AccountNotFoundError, match="5001"):
        await v2(served, session, account="nobody").balance()
    # An account without a token is not served by v2 at all.
    with pytest.raises(AuthenticationError):
        await v2(served, session, currency="bitcoin", account="alice").balance()
