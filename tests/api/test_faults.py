"""Every fault the simulator can inject ends in the library's own error, with no secret in it."""

from __future__ import annotations

import logging
import socket
import traceback
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime

import aiohttp
import pytest

from custom_components.mining_pool.api import (
    AccountNotFoundError,
    AnswerTooLargeError,
    AuthenticationError,
    BraiinsClient,
    BtcComClient,
    CannotConnectError,
    F2PoolV1Client,
    F2PoolV2Client,
    InvalidResponseError,
    MiningPoolError,
    RateLimitedError,
)
from simulator import Fault, ManualClock, Simulator

from .test_input import HOSTILE_NAMES

START = datetime(2026, 11, 1, 12, 3, 7, tzinfo=UTC)
ACCESS_KEY = "ak-Secret-7f3e9d"
PUID = 7734215
TOKEN = "tok-Secret-91bc4a"
BRAIINS_TOKEN = "brTok-Secret-77aa10"
SECRETS = (ACCESS_KEY, str(PUID), TOKEN, BRAIINS_TOKEN)


@dataclass(frozen=True)
class Pool:
    """How a test reads one API: which simulator endpoint it hits, and the call."""

    api: str
    endpoint: str
    read: Callable[[Simulator, aiohttp.ClientSession, float], Awaitable[object]]


async def read_btccom(sim: Simulator, session: aiohttp.ClientSession, limit: float) -> object:
    client = BtcComClient(
        session, access_key=ACCESS_KEY, puid=PUID, endpoint=sim.btccom_url, timeout=limit
    )
    return await client.earn_stats()


async def read_v1(sim: Simulator, session: aiohttp.ClientSession, limit: float) -> object:
    client = F2PoolV1Client(
        session,
        currency="litecoin",
        account="bob",
        token=TOKEN,
        base_url=sim.f2pool_url,
        timeout=limit,
    )
    return (await client.account_data()).earnings


async def read_v2(sim: Simulator, session: aiohttp.ClientSession, limit: float) -> object:
    client = F2PoolV2Client(
        session,
        currency="litecoin",
        account="bob",
        token=TOKEN,
        base_url=sim.f2pool_url,
        timeout=limit,
    )
    return await client.balance()


async def read_braiins(sim: Simulator, session: aiohttp.ClientSession, limit: float) -> object:
    client = BraiinsClient(
        session, token=BRAIINS_TOKEN, base_url=sim.braiins_url, timeout=limit, min_interval=0
    )
    return (await client.profile()).earnings


BTCCOM = Pool("btccom", "/account/earn-stats", read_btccom)
V1 = Pool("f2pool_v1", "account", read_v1)
V2 = Pool("f2pool_v2", "assets/balance", read_v2)
BRAIINS = Pool("braiins", "/accounts/profile/json/btc/", read_braiins)
POOLS = {"btccom": BTCCOM, "f2pool_v1": V1, "f2pool_v2": V2, "braiins": BRAIINS}
HTML = "<html><body><h1>502 Bad Gateway</h1></body></html>"

# (fault, expected error per API); None means the read succeeds.
CASES: dict[str, tuple[Fault, dict[str, type[MiningPoolError] | None]]] = {
    "hang": (Fault(hang=True), dict.fromkeys(POOLS, CannotConnectError)),
    "reset mid-body": (Fault(drop_connection=True), dict.fromkeys(POOLS, CannotConnectError)),
    "truncated": (Fault(truncated=True), dict.fromkeys(POOLS, InvalidResponseError)),
    "malformed json": (Fault(malformed_json=True), dict.fromkeys(POOLS, InvalidResponseError)),
    "http 500": (Fault(status=500), dict.fromkeys(POOLS, CannotConnectError)),
    "http 502 html": (
        Fault(status=502, body=HTML, content_type="text/html"),
        dict.fromkeys(POOLS, CannotConnectError),
    ),
    "http 503 text": (
        Fault(status=503, body="Service Unavailable", content_type="text/plain"),
        {
            "btccom": CannotConnectError,
            "f2pool_v1": RateLimitedError,
            "f2pool_v2": CannotConnectError,
            "braiins": CannotConnectError,
        },
    ),
    "http 404": (
        Fault(status=404, body="404: Not Found", content_type="text/plain"),
        {
            "btccom": CannotConnectError,
            "f2pool_v1": AccountNotFoundError,
            "f2pool_v2": InvalidResponseError,
            "braiins": CannotConnectError,
        },
    ),
    "rate limit": (Fault(rate_limit=True), dict.fromkeys(POOLS, RateLimitedError)),
    "http 429 bare": (Fault(status=429), dict.fromkeys(POOLS, RateLimitedError)),
    "20 MB body": (Fault(size=20_000_000), dict.fromkeys(POOLS, AnswerTooLargeError)),
    "slow trickle": (Fault(trickle=0.005), dict.fromkeys(POOLS)),
    "list for an object": (Fault(data=[]), dict.fromkeys(POOLS, InvalidResponseError)),
    "null data": (Fault(data=None), dict.fromkeys(POOLS, InvalidResponseError)),
    "string data": (Fault(data="workers"), dict.fromkeys(POOLS, InvalidResponseError)),
    "auth failure": (Fault(auth_failure=True), dict.fromkeys(POOLS, AuthenticationError)),
    "numbers as strings": (Fault(type_drift=True), dict.fromkeys(POOLS)),
}


@pytest.fixture
async def sim() -> AsyncIterator[Simulator]:
    simulator = Simulator(seed=17, clock=ManualClock(START))
    simulator.add_btccom_account(access_key=ACCESS_KEY, puid=PUID, workers=5)
    simulator.add_f2pool_account(currency="litecoin", account="bob", workers=5, token=TOKEN)
    simulator.add_braiins_account(token=BRAIINS_TOKEN, workers=5)
    async with simulator.running():
        yield simulator


@pytest.fixture
async def session() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as client_session:
        yield client_session


def assert_no_secret(error: BaseException, caplog: pytest.LogCaptureFixture) -> None:
    """No secret in the error, its repr, its traceback or any log line; nothing chained."""
    texts = [str(error), repr(error), "".join(traceback.format_exception(error))]
    texts += [record.getMessage() for record in caplog.records]
    for text in texts:
        for secret in SECRETS:
            assert secret not in text
    assert error.__cause__ is None
    assert error.__context__ is None


@pytest.mark.parametrize("api", list(POOLS))
@pytest.mark.parametrize("case", list(CASES))
async def test_fault(
    sim: Simulator,
    session: aiohttp.ClientSession,
    caplog: pytest.LogCaptureFixture,
    api: str,
    case: str,
) -> None:
    fault, expected = CASES[case]
    pool = POOLS[api]
    sim.set_fault(pool.api, pool.endpoint, fault)
    with caplog.at_level(logging.DEBUG):
        if expected[api] is None:
            result = await pool.read(sim, session, 5.0)
            assert result is not None
            return
        with pytest.raises(MiningPoolError) as caught:
            await pool.read(sim, session, 0.5)
    assert type(caught.value) is expected[api]
    assert_no_secret(caught.value, caplog)
    assert sim.request_counts[f"{pool.api}:{pool.endpoint}"] >= 1


@pytest.mark.parametrize("api", list(POOLS))
async def test_recovers_after_a_fault_clears(
    sim: Simulator, session: aiohttp.ClientSession, api: str
) -> None:
    pool = POOLS[api]
    sim.set_fault(pool.api, pool.endpoint, Fault(status=500, times=1))
    with pytest.raises(CannotConnectError):
        await pool.read(sim, session, 5.0)
    assert await pool.read(sim, session, 5.0) is not None


async def test_retry_after_is_read(sim: Simulator, session: aiohttp.ClientSession) -> None:
    sim.set_fault(
        "f2pool_v2", "assets/balance", Fault(rate_limit=True, headers={"Retry-After": "7"})
    )
    with pytest.raises(RateLimitedError) as caught:
        await read_v2(sim, session, 5.0)
    assert caught.value.retry_after == 7.0
    sim.set_fault("btccom", "/account/earn-stats", Fault(status=429))
    with pytest.raises(RateLimitedError) as caught:
        await read_btccom(sim, session, 5.0)
    assert caught.value.retry_after is None


@pytest.mark.parametrize(
    ("pool", "fault", "error"),
    [
        (BTCCOM, Fault(err_no=99999), InvalidResponseError),
        (BTCCOM, Fault(err_no=2), CannotConnectError),
        (V2, Fault(code=5999, msg="internal error: new"), InvalidResponseError),
        (V2, Fault(code=5010), AuthenticationError),
    ],
)
async def test_error_codes(
    sim: Simulator,
    session: aiohttp.ClientSession,
    caplog: pytest.LogCaptureFixture,
    pool: Pool,
    fault: Fault,
    error: type[MiningPoolError],
) -> None:
    sim.set_fault(pool.api, pool.endpoint, fault)
    with caplog.at_level(logging.DEBUG), pytest.raises(error) as caught:
        await pool.read(sim, session, 5.0)
    assert_no_secret(caught.value, caplog)


async def test_missing_fields_are_no_value(sim: Simulator, session: aiohttp.ClientSession) -> None:
    sim.set_fault("btccom", "/account/earn-stats", Fault(remove_fields=("unpaid",)))
    earnings = await read_btccom(sim, session, 5.0)
    assert earnings.balance is None  # type: ignore[attr-defined]
    assert earnings.total_paid == sim.world.btccom[PUID].total_paid  # type: ignore[attr-defined]


async def test_connection_refused(session: aiohttp.ClientSession) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    client = BtcComClient(
        session, access_key=ACCESS_KEY, puid=PUID, endpoint=f"http://127.0.0.1:{port}"
    )
    with pytest.raises(CannotConnectError) as caught:
        await client.earn_stats()
    assert ACCESS_KEY not in "".join(traceback.format_exception(caught.value))
    assert caught.value.__context__ is None


@pytest.mark.parametrize("name", HOSTILE_NAMES)
async def test_hostile_names_reach_exactly_their_account(
    session: aiohttp.ClientSession, name: str
) -> None:
    sim = Simulator(seed=19, clock=ManualClock(START))
    truth = sim.add_f2pool_account(currency="bitcoin", account=name, workers=2)
    sim.add_f2pool_account(currency="bitcoin", account="victim", workers=2)
    async with sim.running():
        client = F2PoolV1Client(session, currency="bitcoin", account=name, base_url=sim.f2pool_url)
        snapshot = await client.account_data()
    assert snapshot.earnings.balance == truth.balance
    (path,) = sim.requested_paths
    assert path.count("/") == 2
    assert path.startswith("/bitcoin/")
    assert "?" not in path
    assert "#" not in path
    assert path.isascii()
