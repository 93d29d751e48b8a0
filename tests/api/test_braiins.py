"""The Braiins Pool client: fixture answers, every error path, the simulator, and the rate."""

from __future__ import annotations

import asyncio
import itertools
import logging
import traceback
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from types import SimpleNamespace

import aiohttp
import pytest

from custom_components.mining_pool.api import (
    AuthenticationError,
    BraiinsAccount,
    BraiinsClient,
    CannotConnectError,
    InvalidInputError,
    InvalidResponseError,
    PoolKind,
    RateLimitedError,
    RequestPacer,
    WorkerStatus,
    braiins,
    open_account,
)
from simulator import ManualClock, Quirks, Simulator

from .conftest import answer, fixture_bytes

START = datetime(2026, 11, 1, 12, 3, 7, tzinfo=UTC)
TOKEN = "brTok-Secret-5d21c9"
FAST = 0.01
STATES = {
    "ok": WorkerStatus.ONLINE,
    "low": WorkerStatus.LOW,
    "off": WorkerStatus.OFFLINE,
    "dis": WorkerStatus.DISABLED,
}


def read_fixture(name: str) -> object:
    return braiins.unwrap(answer(fixture_bytes("braiins", name)))


@pytest.fixture
def sim() -> Simulator:
    simulator = Simulator(seed=29, clock=ManualClock(START))
    simulator.add_braiins_account(token=TOKEN, workers=12, user_name="satoshi")
    return simulator


@pytest.fixture
async def served(sim: Simulator) -> AsyncIterator[Simulator]:
    async with sim.running():
        yield sim


@pytest.fixture
async def session() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as client_session:
        yield client_session


def client(
    served: Simulator, session: aiohttp.ClientSession, **kwargs: float | str | RequestPacer
) -> BraiinsClient:
    arguments: dict[str, float | str | RequestPacer] = {
        "token": TOKEN,
        "base_url": served.braiins_url,
        "min_interval": FAST,
        **kwargs,
    }
    return BraiinsClient(session, **arguments)  # type: ignore[arg-type]


# --- fixture answers -----------------------------------------------------------------------------


def test_profile_fixture() -> None:
    reader = braiins.HashrateReader()
    profile = braiins.parse_profile(read_fixture("profile"), reader)  # type: ignore[arg-type]
    assert profile.user_name == "satoshi_miner"
    assert profile.hashrate.current == 27_978e9
    assert profile.hashrate.last_hour == 28_191e9
    assert profile.hashrate.last_day == 28_357e9
    assert profile.hashrate.yesterday == 28_197e9
    assert profile.earnings.balance == Decimal("0.01234567")
    assert profile.earnings.earnings_today == Decimal("0.00016667")
    assert profile.earnings.total_revenue == Decimal("0.15000000")
    assert profile.earnings.estimated_reward == Decimal("0.00011940")
    counts = profile.worker_counts
    assert (counts.active, counts.low, counts.inactive, counts.disabled, counts.total) == (
        3,
        1,
        1,
        1,
        5,
    )
    assert counts.dead is None


def test_unknown_unit_is_logged_once_and_dropped(caplog: pytest.LogCaptureFixture) -> None:
    reader = braiins.HashrateReader()
    data = read_fixture("profile_unknown_unit")
    with caplog.at_level(logging.WARNING):
        first = braiins.parse_profile(data, reader)  # type: ignore[arg-type]
        second = braiins.parse_profile(data, reader)  # type: ignore[arg-type]
    assert first.hashrate.current is None
    assert second.hashrate.last_day is None
    assert first.earnings.balance == Decimal("0.01234567")
    assert first.worker_counts.active == 2
    lines = [record.getMessage() for record in caplog.records]
    assert len(lines) == 1
    assert "'Qh/s'" in lines[0]


def test_workers_fixture() -> None:
    listed = braiins.parse_workers(read_fixture("workers"), braiins.HashrateReader())  # type: ignore[arg-type]
    assert not listed.capped
    workers = {worker.name: worker for worker in listed.workers}
    assert [worker.name for worker in listed.workers] == sorted(workers)
    assert {name: worker.status for name, worker in workers.items()} == {
        "satoshi_miner.s19-a": WorkerStatus.ONLINE,
        "satoshi_miner.s19-b": WorkerStatus.LOW,
        "satoshi_miner.s9": WorkerStatus.OFFLINE,
        "satoshi_miner.old": WorkerStatus.DISABLED,
        "satoshi_miner.new": WorkerStatus.ONLINE,
    }
    low = workers["satoshi_miner.s19-b"]
    # Exact: 69.329 Th/s is 69,329,000,000,000 H/s, not a float's neighbour.
    assert low.hashrate == 69_329_000_000_000.0
    assert low.hashrate_scoring == 69_191_000_000_000.0
    assert low.hashrate_last_day == 68_113_000_000_000.0
    assert low.last_share_time == datetime.fromtimestamp(1793534582, UTC)
    # Numbers sent as strings, and a worker in Gh/s beside others in Th/s.
    assert workers["satoshi_miner.new"].hashrate == 96.25e12
    assert workers["satoshi_miner.s9"].hashrate_last_hour == 3120.5e9
    now = datetime.fromtimestamp(1793534600, UTC)
    online = {name for name, worker in workers.items() if worker.is_online(now, timedelta(hours=1))}
    # Low still mines; a disabled worker is judged by its last share (long ago).
    assert online == {"satoshi_miner.s19-a", "satoshi_miner.s19-b", "satoshi_miner.new"}


def test_unknown_state_is_logged_once(caplog: pytest.LogCaptureFixture) -> None:
    row = {"state": "zombie", "hash_rate_unit": "Th/s", "hash_rate_5m": 1}
    # A row that is no object, or has no name, is skipped.
    data = {"btc": {"workers": {"a": row, "b": row, "": row, "c": "not a row"}}}
    reader = braiins.HashrateReader()
    with caplog.at_level(logging.WARNING):
        listed = braiins.parse_workers(data, reader)
    assert [(worker.name, worker.status) for worker in listed.workers] == [
        ("a", WorkerStatus.UNKNOWN),
        ("b", WorkerStatus.UNKNOWN),
    ]
    assert [record.getMessage().count("'zombie'") for record in caplog.records] == [1]


def test_workers_past_the_cap_keep_the_first_by_name(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(braiins, "MAX_WORKERS", 2)
    rows = {name: {"state": "ok"} for name in ("c", "a", "b")}
    listed = braiins.parse_workers({"btc": {"workers": rows}}, braiins.HashrateReader())
    assert [worker.name for worker in listed.workers] == ["a", "b"]
    assert listed.capped


def test_rewards_fixture() -> None:
    days = braiins.parse_daily_rewards(read_fixture("rewards"))  # type: ignore[arg-type]
    assert [(day.day, day.earnings) for day in days] == [
        (date(2026, 10, 31), Decimal("0.00554321")),
        (date(2026, 10, 30), Decimal("0.00551234")),
    ]


def test_payouts_fixture() -> None:
    payments = braiins.parse_payouts(read_fixture("payouts"))  # type: ignore[arg-type]
    # The failed one paid nothing; Lightning has no transaction id or address.
    assert [(payment.time, payment.amount) for payment in payments] == [
        (datetime.fromtimestamp(1791078216, UTC), Decimal("0.01096420")),
        (datetime.fromtimestamp(1792896004, UTC), Decimal("0.00250000")),
    ]
    assert payments[0].tx_id is not None
    assert payments[0].tx_id.startswith("324f5d9c")
    assert payments[0].address == "bc1qzyt2xltpixx2ggkqsgf2sd66h6dt1lvrj7azpn"
    assert (payments[1].tx_id, payments[1].address) == (None, None)
    # Under the coin's key too.
    nested = braiins.parse_payouts({"btc": {"onchain": [{"amount_sats": 5, "requested_at_ts": 9}]}})
    assert [(payment.amount, payment.time) for payment in nested] == [
        (Decimal("0.00000005"), datetime.fromtimestamp(9, UTC))
    ]


# --- error paths ---------------------------------------------------------------------------------


@pytest.mark.parametrize("status", [401, 403])
def test_braiins_refusal_is_definite(status: int) -> None:
    with pytest.raises(AuthenticationError) as caught:
        braiins.unwrap(answer("Invalid Access Profile token", status))
    assert caught.value.definite is True


@pytest.mark.parametrize("status", [401, 403])
def test_a_bare_refusal_is_not_definite(status: int) -> None:
    with pytest.raises(AuthenticationError) as caught:
        braiins.unwrap(answer("<html><h1>403 Forbidden</h1></html>", status))
    assert caught.value.definite is False


@pytest.mark.parametrize(
    ("status", "body", "error"),
    [
        (404, "404: Not Found", CannotConnectError),
        (429, "slow down", RateLimitedError),
        (500, "oops", CannotConnectError),
        (400, "Invalid date range", InvalidResponseError),
        (200, "Invalid Access Profile token", InvalidResponseError),
        (200, "{", InvalidResponseError),
        (200, "[]", InvalidResponseError),
    ],
)
def test_errors(status: int, body: str, error: type[Exception]) -> None:
    with pytest.raises(error):
        braiins.unwrap(answer(body, status))


@pytest.mark.parametrize(
    ("document", "reader"),
    [
        ({"username": "x"}, "profile"),
        ({"btc": []}, "profile"),
        ({"btc": {"workers": []}}, "workers"),
        ({"btc": {"daily_rewards": {}}}, "rewards"),
        ({"onchain": {}}, "payouts"),
    ],
)
def test_documents_of_the_wrong_shape(document: dict[str, object], reader: str) -> None:
    readers = {
        "profile": lambda data: braiins.parse_profile(data, braiins.HashrateReader()),
        "workers": lambda data: braiins.parse_workers(data, braiins.HashrateReader()),
        "rewards": braiins.parse_daily_rewards,
        "payouts": braiins.parse_payouts,
    }
    with pytest.raises(InvalidResponseError):
        readers[reader](document)


async def test_input_is_checked_before_any_request(session: aiohttp.ClientSession) -> None:
    for arguments, field in [
        ({"token": ""}, "token"),
        ({"token": "two words"}, "token"),
        ({"token": TOKEN, "base_url": "ftp://pool.braiins.com"}, "base_url"),
        ({"token": TOKEN, "base_url": "https://pool.braiins.com?x=1"}, "base_url"),
        ({"token": TOKEN, "min_interval": -1}, "min_interval"),
        ({"token": TOKEN, "min_interval": float("nan")}, "min_interval"),
        ({"token": TOKEN, "min_interval": True}, "min_interval"),
    ]:
        with pytest.raises(InvalidInputError) as caught:
            BraiinsClient(session, **arguments)  # type: ignore[arg-type]
        assert caught.value.field == field
        assert TOKEN not in str(caught.value)
    good = BraiinsClient(session, token=TOKEN)
    assert good.min_interval == braiins.MIN_REQUEST_INTERVAL == 5.0
    assert repr(good) == "BraiinsClient(host='pool.braiins.com')"
    with pytest.raises(InvalidInputError) as caught:
        await good.payouts(date(2026, 11, 2), date(2026, 11, 1))
    assert caught.value.field == "end"


# --- against the simulator -----------------------------------------------------------------------


async def test_profile_against_the_truth(served: Simulator, session: aiohttp.ClientSession) -> None:
    truth = served.world.braiins[TOKEN]
    profile = await client(served, session).profile()
    assert profile.user_name == "satoshi"
    assert profile.earnings.balance == truth.balance
    assert profile.earnings.earnings_today == truth.earnings_today
    assert profile.earnings.total_revenue == truth.total_income
    assert profile.earnings.estimated_reward == truth.estimated_reward
    assert profile.hashrate.current == pytest.approx(truth.average_hs(300), rel=1e-3)
    assert profile.hashrate.last_day == pytest.approx(truth.average_hs(86400), rel=1e-3)
    yesterday = truth.credits[-1].hashes / 86400
    assert profile.hashrate.yesterday == pytest.approx(yesterday, rel=1e-3)
    states = [truth.braiins_state(name) for name in truth.workers]
    counts = profile.worker_counts
    assert counts.low == states.count("low") > 0
    assert counts.active == states.count("ok") + states.count("low")
    assert counts.inactive == states.count("off")
    assert counts.disabled == states.count("dis")
    assert counts.total == len(truth.workers) == 12
    assert served.request_counts == {"braiins:/accounts/profile/json/btc/": 1}


async def test_workers_against_the_truth(served: Simulator, session: aiohttp.ClientSession) -> None:
    truth = served.world.braiins[TOKEN]
    served.set_worker_online(truth, "worker-3", online=False)
    served.advance(timedelta(minutes=30))
    listed = await client(served, session).workers()
    workers = {worker.name: worker for worker in listed.workers}
    assert set(workers) == set(truth.workers)
    for name, worker in workers.items():
        assert worker.status is STATES[truth.braiins_state(name)]
        stats = truth.view().stats(name)
        assert worker.hashrate == pytest.approx(stats.avg_5m, rel=1e-3, abs=1e6)
        assert worker.last_share_time == truth.workers[name].last_share(truth.now)
    assert workers["worker-3"].status is WorkerStatus.OFFLINE
    assert workers["worker-3"].hashrate == 0


async def test_rewards_and_payouts_against_the_truth(
    served: Simulator, session: aiohttp.ClientSession
) -> None:
    truth = served.world.braiins[TOKEN]
    reader = client(served, session)
    today = START.date()
    days = await reader.daily_rewards(today - timedelta(days=9), today)
    closed = [credit for credit in truth.credits if credit.day >= today - timedelta(days=9)]
    assert [(day.day, day.earnings) for day in days] == [
        (credit.day, credit.amount) for credit in reversed(closed)
    ]
    payments = await reader.payouts(today - timedelta(days=30), today)
    paid = [payout for payout in truth.payouts if payout.time.date() >= today - timedelta(days=30)]
    assert paid
    assert [(payment.time, payment.amount, payment.tx_id) for payment in payments] == [
        (payout.time, payout.amount, payout.txid) for payout in paid
    ]


@pytest.mark.parametrize(
    "quirks",
    [
        {"numbers_as_strings": False},
        {"hash_rate_unit": "Gh/s"},
        {"hash_rate_unit": "Eh/s", "mixed_types": True},
    ],
)
async def test_units_and_number_forms(
    sim: Simulator, session: aiohttp.ClientSession, quirks: dict[str, object]
) -> None:
    truth = sim.add_braiins_account(token="tok-2", workers=3, quirks=Quirks(**quirks))  # type: ignore[arg-type]
    async with sim.running():
        reader = client(sim, session, token="tok-2")
        profile = await reader.profile()
        listed = await reader.workers()
    assert profile.earnings.balance == truth.balance
    rel = 1e-3 if quirks.get("hash_rate_unit") != "Eh/s" else 1e-2
    assert profile.hashrate.last_day == pytest.approx(truth.average_hs(86400), rel=rel)
    for worker in listed.workers:
        stats = truth.view().stats(worker.name)
        assert worker.hashrate_last_day == pytest.approx(stats.avg_24h, rel=1e-3, abs=1e15)


async def test_a_wrong_token_is_a_definite_refusal(
    served: Simulator, session: aiohttp.ClientSession, caplog: pytest.LogCaptureFixture
) -> None:
    wrong = "brTok-Wrong-000000"
    with caplog.at_level(logging.DEBUG), pytest.raises(AuthenticationError) as caught:
        await client(served, session, token=wrong).profile()
    assert caught.value.definite is True
    texts = [
        str(caught.value),
        repr(caught.value),
        "".join(traceback.format_exception(caught.value)),
    ]
    texts += [record.getMessage() for record in caplog.records]
    assert not [text for text in texts if wrong in text or TOKEN in text]
    assert caught.value.__context__ is None


# --- the rate ------------------------------------------------------------------------------------


def recording_session(starts: list[float]) -> aiohttp.ClientSession:
    """A session that notes, on the event loop's clock, when each request starts."""

    async def started(
        _session: aiohttp.ClientSession, _context: SimpleNamespace, _params: object
    ) -> None:
        starts.append(asyncio.get_running_loop().time())

    trace = aiohttp.TraceConfig()
    trace.on_request_start.append(started)
    return aiohttp.ClientSession(trace_configs=[trace])


def assert_spaced(starts: list[float], interval: float) -> None:
    gaps = [later - earlier for earlier, later in itertools.pairwise(starts)]
    assert gaps
    assert min(gaps) >= interval, gaps


async def test_requests_start_min_interval_apart(served: Simulator) -> None:
    starts: list[float] = []
    async with recording_session(starts) as session:
        account = open_account(session, PoolKind.BRAIINS, token=TOKEN, base_url=served.braiins_url)
        assert isinstance(account, BraiinsAccount)
        account.client.min_interval = 0.2
        await account.identify()
        await account.activity()
        await account.earnings()
        # Concurrent calls queue too.
        await asyncio.gather(account.client.profile(), account.client.workers())
    assert len(starts) == 6
    assert_spaced(starts, 0.2)
    assert starts[-1] - starts[0] < 0.2 * 5 + 1.0
    assert served.request_counts == {
        "braiins:/accounts/profile/json/btc/": 4,
        "braiins:/accounts/workers/json/btc/": 2,
    }


async def test_clients_sharing_a_pacer_take_turns(served: Simulator) -> None:
    """Two accounts (or a check and an account) of one address: one request at a time."""
    served.add_braiins_account(token="tok-other", workers=2)
    starts: list[float] = []
    pacer = RequestPacer(0.2)
    async with recording_session(starts) as session:
        first = client(served, session, pacer=pacer)
        second = client(served, session, token="tok-other", pacer=pacer)
        assert first.min_interval == second.min_interval == 0.2
        await asyncio.gather(first.profile(), second.profile(), first.workers())
    assert len(starts) == 3
    assert_spaced(starts, 0.2)


async def test_the_first_request_does_not_wait(served: Simulator) -> None:
    starts: list[float] = []
    async with recording_session(starts) as session:
        reader = client(served, session, min_interval=30)
        loop = asyncio.get_running_loop()
        began = loop.time()
        await reader.profile()
        assert loop.time() - began < 5
        with pytest.raises(TimeoutError):
            async with asyncio.timeout(0.2):
                await reader.profile()
    assert len(starts) == 1


async def test_requests_above_the_pool_rate_are_ignored(
    sim: Simulator, session: aiohttp.ClientSession
) -> None:
    truth = sim.add_braiins_account(
        token="tok-rate", workers=2, quirks=Quirks(min_request_interval=0.3)
    )
    async with sim.running():
        eager = client(sim, session, token="tok-rate", min_interval=0, timeout=0.5)
        assert (await eager.profile()).earnings.balance == truth.balance
        with pytest.raises(CannotConnectError, match="did not answer"):
            await eager.profile()
        polite = client(sim, session, token="tok-rate", min_interval=0.35)
        await asyncio.sleep(0.35)
        await polite.profile()
        await polite.workers()
        # Another token has its own budget.
        await client(sim, session).profile()
    assert sim.request_counts["braiins:/accounts/profile/json/btc/"] == 4
    assert sim.request_counts["braiins:/accounts/workers/json/btc/"] == 1


async def test_a_timer_that_fires_early_is_waited_out(
    session: aiohttp.ClientSession, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_sleep = asyncio.sleep
    asked: list[float] = []

    async def early(delay: float) -> None:
        # The first wake-up comes 50 ms early; the next one is on time.
        asked.append(delay)
        await real_sleep(max(0.0, delay - (0.05 if len(asked) == 1 else 0.0)))

    reader = BraiinsClient(session, token=TOKEN, min_interval=0.2)
    loop = asyncio.get_running_loop()
    await reader.pacer.turn()
    first = loop.time()
    monkeypatch.setattr(asyncio, "sleep", early)
    await reader.pacer.turn()
    assert loop.time() - first >= 0.2
    assert len(asked) == 2
    assert asked[1] > 0


def test_a_worker_row_that_is_no_object_costs_only_itself() -> None:
    answer = {
        "btc": {
            "workers": {
                "stray": 1e300,
                "also-stray": ["x"],
                "rig": {"state": "ok", "hash_rate_unit": "Gh/s", "hash_rate_5m": 2},
            }
        }
    }
    listed = braiins.parse_workers(answer, braiins.HashrateReader())
    assert [(worker.name, worker.hashrate) for worker in listed.workers] == [("rig", 2e9)]
