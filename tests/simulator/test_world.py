"""The world behind the servers: time, outages, earnings, payouts, determinism and scale."""

import json
import time
from datetime import UTC, datetime, timedelta

import pytest
from aiohttp import ClientSession

from simulator import ManualClock, Simulator
from simulator.state import BLOCK, DAY, F2POOL_COINS, Worker, btccom_status, mix, to_datetime

from .conftest import ACCESS_KEY, PUID, START, TOKEN, Pools, build

AUTH = f"access_key={ACCESS_KEY}&puid={PUID}"
PATHS = [
    ("btccom", f"/v1/account/info?{AUTH}"),
    ("btccom", f"/v1/account/earn-stats?{AUTH}"),
    ("btccom", f"/v1/account/earn-history?{AUTH}"),
    ("btccom", f"/v1/realtime/hashrate?{AUTH}"),
    ("btccom", f"/v1/worker/stats?{AUTH}"),
    ("btccom", f"/v1/worker?{AUTH}"),
    ("btccom", f"/v1/worker/groups?{AUTH}"),
    ("f2pool", "/bitcoin/alice"),
    ("f2pool", "/bitcoin/alice/worker-1"),
]
V2 = [
    "assets/balance",
    "hash_rate/info",
    "hash_rate/worker/list",
    "hash_rate/history",
    "assets/transactions/list",
]


async def snapshot(sim: Simulator, session: ClientSession) -> list[bytes]:
    """Every answer of the simulator's accounts, byte for byte."""
    bodies = []
    for server, path in PATHS:
        base = sim.btccom_url if server == "btccom" else sim.f2pool_url
        async with session.get(f"{base}{path}") as response:
            bodies.append(await response.read())
    body = {"currency": "litecoin", "mining_user_name": "bob"}
    for endpoint in V2:
        url = f"{sim.f2pool_url}/v2/{endpoint}"
        async with session.post(url, json=body, headers={"F2P-API-SECRET": TOKEN}) as response:
            bodies.append(await response.read())
    return bodies


async def test_same_seed_same_bytes() -> None:
    first, second = build(ManualClock(START)), build(ManualClock(START))
    other = build(ManualClock(START), seed=2)
    async with first.running(), second.running(), other.running(), ClientSession() as session:
        one = await snapshot(first, session)
        two = await snapshot(second, session)
        three = await snapshot(other, session)
    assert one == two
    assert all(a != b for a, b in zip(one[1:], three[1:], strict=True))


async def test_a_worker_forced_offline_and_back(pools: Pools) -> None:
    sim = pools.sim
    account = sim.world.btccom[PUID]
    worker = account.workers["worker-3"]
    sim.set_worker_online(account, "worker-3", online=False)
    stopped = sim.clock.now()
    assert not worker.online(stopped)
    assert worker.hashrate_hs(stopped) == 0

    async def status() -> str:
        rows = (await pools.btccom("worker", filter="worker-3"))["data"]["data"]
        assert len(rows) == 1
        return str(rows[0]["status"])

    assert await status() == "ACTIVE"
    sim.advance(timedelta(minutes=16))
    assert await status() == "INACTIVE"
    assert worker.f2pool_status(sim.clock.now()) == 1
    hour = worker.average_hs(sim.clock.now(), 3600)
    assert worker.average_hs(sim.clock.now(), 900) == 0
    assert 0.6 * worker.base_hs < hour < 0.85 * worker.base_hs
    sim.advance(timedelta(hours=24))
    assert await status() == "DEAD"
    assert worker.f2pool_status(sim.clock.now()) == 2
    last = worker.last_share(sim.clock.now())
    assert last is not None
    assert stopped - timedelta(seconds=16) < last <= stopped
    sim.set_worker_online(account, "worker-3", online=True)
    sim.advance(timedelta(seconds=30))
    assert await status() == "ACTIVE"
    assert worker.hashrate_hs(sim.clock.now()) > 0
    sim.set_worker_online(account, "worker-3", online=None)
    assert worker.forced_at(sim.clock.now().timestamp()) is None


async def test_forced_state_reaches_every_api(pools: Pools) -> None:
    sim = pools.sim
    bob = sim.world.f2pool["litecoin", "bob"]
    before = await pools.v1_json("/litecoin/bob", token=TOKEN)
    online_before = before["worker_length_online"]
    sim.set_worker_online(bob, "worker-1", online=False)
    sim.set_worker_online(bob, "worker-1", online=False)
    sim.advance(timedelta(minutes=20))
    legacy = await pools.v1_json("/litecoin/bob", token=TOKEN)
    row = next(row for row in legacy["workers"] if row[0] == "worker-1")
    assert row[1] == 0
    assert legacy["worker_length_online"] <= online_before
    workers = (await pools.v2("hash_rate/worker/list"))["workers"]
    current = next(w for w in workers if w["hash_rate_info"]["name"] == "worker-1")
    assert current["status"] == 1
    assert current["last_share_at"] == int(datetime.fromisoformat(row[6]).timestamp())
    assert not bob.view().stats("worker-1").online


def test_scheduled_outages_come_and_go(clock: ManualClock) -> None:
    sim = build(clock)
    account = sim.world.f2pool["bitcoin", "alice"]
    seen: dict[str, list[bool]] = {name: [] for name in account.workers}
    for _ in range(6 * 24):
        now = clock.now()
        for name, worker in account.workers.items():
            seen[name].append(worker.online(now))
        sim.advance(timedelta(minutes=10))
    flapped = [name for name, states in seen.items() if False in states and states[-1]]
    assert flapped
    offline = sum(states.count(False) for states in seen.values())
    assert 0.005 < offline / (12 * 144) < 0.1


def test_outage_edges() -> None:
    clock = ManualClock(START)
    sim = build(clock)
    worker = next(iter(sim.world.f2pool["bitcoin", "alice"].workers.values()))
    first = int(START.timestamp()) // BLOCK
    block = next(k for k in range(first, first + 1000) if worker.outage(k) is not None)
    outage = worker.outage(block)
    assert outage is not None
    start, end = outage
    assert not worker.is_online_at(start)
    assert worker.is_online_at(end)
    assert worker.offline_intervals(start - 100, end + 100) == [(start, end)]
    assert worker.offline_and_state(start - 100, start + 1)[1] is False
    last = worker.last_share_at(end - 1)
    assert last is not None
    assert start - 15 <= last <= start
    came_back = worker.last_share_at(end + 0.5)
    assert came_back == end


def test_dead_and_never_shared_workers() -> None:
    clock = ManualClock(START)
    sim = Simulator(seed=3, clock=clock)
    account = sim.add_f2pool_account(currency="litecoin", account="many", workers=600)
    dead = [worker for worker in account.workers.values() if worker.dead_since is not None]
    assert dead
    now = clock.now()
    worker = dead[0]
    assert worker.btccom_status(now) == "DEAD"
    assert worker.f2pool_status(now) == 2
    share = worker.last_share(now)
    assert share is not None
    assert worker.dead_since is not None
    assert share <= to_datetime(worker.dead_since)
    never = Worker(account, "never", created=0.0, never_shared=True)
    assert never.last_share(now) is None
    assert never.offline_intervals(10.0, 20.0) == [(10.0, 20.0)]
    assert never.offline_intervals(20.0, 10.0) == []
    assert btccom_status(None, 0.0) == "DEAD"
    gone = Worker(account, "gone", created=0.0)
    gone.force(1.0, state=False)
    assert gone.last_share_at(1000 * DAY) is None


def test_added_and_removed_workers(clock: ManualClock) -> None:
    sim = build(clock)
    account = sim.world.f2pool["bitcoin", "alice"]
    worker = sim.add_worker(account, "new-rig")
    assert worker.online(clock.now())
    assert worker.created == clock.now().timestamp()
    assert account.view().stats("new-rig").avg_24h < worker.base_hs / 100
    with pytest.raises(ValueError, match="already exists"):
        sim.add_worker(account, "new-rig")
    with pytest.raises(ValueError, match="NUL"):
        sim.add_worker(account, "bad\x00name")
    sim.advance(timedelta(hours=1))
    assert account.view().stats("new-rig").avg_1h > 0
    sim.remove_worker(account, "worker-2")
    assert "worker-2" not in account.workers
    with pytest.raises(KeyError):
        account.view().stats("worker-2")
    sim.set_worker_online(account, "new-rig", online=False)
    sim.set_worker_online(account, "new-rig", online=True)
    assert account.workers["new-rig"].online(clock.now())


def test_earnings_accrue_and_payouts_happen(clock: ManualClock) -> None:
    sim = build(clock)
    account = sim.world.btccom[PUID]
    today = account.earnings_today
    closed = len(account.credits)
    sim.advance(timedelta(hours=3))
    assert account.earnings_today > today
    paid_before = len(account.payouts)
    balance_before = account.balance
    sim.advance(timedelta(days=1))
    assert len(account.credits) == closed + 1
    newest = account.credits[-1]
    assert newest.day == (START + timedelta(days=0)).date()
    assert account.earnings_yesterday == newest.amount > 0
    for _ in range(4):
        if len(account.payouts) > paid_before:
            break
        sim.advance(timedelta(days=1))
    assert len(account.payouts) > paid_before
    payout = account.payouts[-1]
    assert payout.amount >= account.threshold
    assert payout.time.hour == 1
    assert account.balance < payout.amount
    assert account.total_paid == sum(p.amount for p in account.payouts)
    assert account.total_income == account.balance + account.total_paid
    assert balance_before >= 0


def test_a_pending_payout(clock: ManualClock) -> None:
    sim = build(clock)
    account = sim.world.btccom[PUID]
    for _ in range(5):
        midnight = clock.now().replace(hour=0, minute=0, second=0, microsecond=0)
        clock.advance(midnight + timedelta(days=1, minutes=1) - clock.now())
        if account.pending_payout:
            break
    assert account.pending_payout >= account.threshold
    assert account.balance >= account.pending_payout
    pending = account.pending_payout
    sim.advance(timedelta(hours=3))
    assert account.pending_payout == 0
    assert account.payouts[-1].amount == pending


async def test_pending_payout_on_the_wire(pools: Pools) -> None:
    sim = pools.sim
    account = sim.world.btccom[PUID]
    assert isinstance(sim.clock, ManualClock)
    for _ in range(5):
        now = sim.clock.now()
        midnight = now.replace(hour=0, minute=0, second=0, microsecond=0)
        sim.advance(midnight + timedelta(days=1, minutes=1) - now)
        if account.pending_payout:
            break
    data = (await pools.btccom("account/earn-stats"))["data"]
    assert int(data["pending_payouts"]) == int(account.pending_payout * 10**8) > 0
    rows = (await pools.btccom("account/earn-history"))["data"]["list"]
    assert rows[1]["payment_time"] == "0"


async def test_time_moves_the_answers(pools: Pools) -> None:
    before = await pools.v1_json("/bitcoin/alice")
    pools.sim.advance(timedelta(days=3))
    after = await pools.v1_json("/bitcoin/alice")
    assert after["value"] > before["value"]
    assert len(after["payout_history"]) >= len(before["payout_history"])
    assert next(iter(after["hashrate_history"])) > next(iter(before["hashrate_history"]))


async def test_fifty_thousand_workers(pools: Pools) -> None:
    started = time.monotonic()
    account = pools.sim.add_f2pool_account(currency="bitcoin", account="farm", workers=50_000)
    big = pools.sim.add_btccom_account(access_key="farm-key", puid=5000, workers=50_000)
    status, text = await pools.v1("/bitcoin/farm")
    elapsed = time.monotonic() - started
    assert status == 200
    body = json.loads(text)
    assert body["worker_length"] == len(body["workers"]) == 50_000
    assert body["worker_length_online"] == account.view().workers_online > 45_000
    assert elapsed < 15
    rows = (await pools.btccom("worker", access_key="farm-key", puid=5000, page_size=5000, page=3))[
        "data"
    ]
    assert (rows["page_size"], rows["total_count"], len(rows["data"])) == (1000, 50_000, 1000)
    assert big.view().workers_online > 45_000


def test_advance_needs_a_manual_clock() -> None:
    sim = Simulator()
    with pytest.raises(TypeError):
        sim.advance(timedelta(minutes=1))
    sim.add_f2pool_account(currency="bitcoin", account="live", workers=1)
    assert sim.world.f2pool["bitcoin", "live"].now.tzinfo is UTC
    with pytest.raises(RuntimeError, match="not running"):
        _ = sim.btccom_url


def test_manual_clock() -> None:
    with pytest.raises(ValueError, match="timezone"):
        ManualClock(datetime(2026, 1, 1))  # noqa: DTZ001
    clock = ManualClock(START)
    with pytest.raises(ValueError, match="forward"):
        clock.advance(timedelta(seconds=-1))
    assert clock.advance(timedelta(minutes=5)) == START + timedelta(minutes=5)


def test_refused_accounts(clock: ManualClock) -> None:
    sim = build(clock)
    with pytest.raises(ValueError, match="already exists"):
        sim.add_btccom_account(access_key="x", puid=PUID)
    with pytest.raises(ValueError, match="already exists"):
        sim.add_f2pool_account(currency="bitcoin", account="alice")
    with pytest.raises(ValueError, match="does not serve"):
        sim.add_f2pool_account(currency="dogecoin", account="x")
    assert len(F2POOL_COINS) == 26


async def test_start_twice_and_context(clock: ManualClock) -> None:
    sim = build(clock)
    async with sim.running():
        with pytest.raises(RuntimeError, match="already running"):
            await sim.start()
        assert sim.btccom_url.startswith("http://127.0.0.1:")
    await sim.stop()


def test_hashing_is_stable() -> None:
    assert mix(1, 2, 3) == mix(1, 2, 3) != mix(1, 2, 4)
    assert mix(-1) == mix(2**64 - 1)


def test_a_view_at_another_time(clock: ManualClock) -> None:
    sim = build(clock)
    account = sim.world.f2pool["bitcoin", "alice"]
    later = clock.now() + timedelta(hours=1)
    assert account.view(later).now == later
    assert account.hashrate_hs(later) == account.view(later).hashrate
    assert account.view(later) is account.view(later)
