"""The library's bounds: a deadline per read, a worker cap, and large answers read off the loop.

The loop-lag probe prints what it measured (``pytest -s`` shows it): speed is a figure here,
not a time limit. What is asserted is that a large answer is read in a worker thread.
"""

from __future__ import annotations

import asyncio
import gc
import threading
import time
import tracemalloc
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from unittest.mock import patch

import aiohttp
import pytest

from custom_components.mining_pool.api import (
    MAX_WORKERS,
    AnswerTooLargeError,
    CannotConnectError,
    F2PoolV2Client,
    InvalidResponseError,
    PoolKind,
    _http,
    f2pool_v2,
    open_account,
)
from simulator import Fault, ManualClock, Simulator

from .conftest import answer

START = datetime(2026, 11, 1, 12, 3, 7, tzinfo=UTC)
ACCESS_KEY = "ak-Secret-7f3e9d"
PUID = 7734215
TOKEN = "tok-Secret-91bc4a"
# Enough workers for an F2Pool v2 worker list of about 12 MB, near the 16 MB answer cap.
LARGE_FARM = 40_000
PROBE_STEP = 0.01


@pytest.fixture
async def served() -> AsyncIterator[Simulator]:
    sim = Simulator(seed=29, clock=ManualClock(START))
    sim.add_btccom_account(access_key=ACCESS_KEY, puid=PUID, workers=6)
    async with sim.running():
        yield sim


async def test_a_read_ends_within_its_deadline(served: Simulator) -> None:
    # Each answer comes within the request timeout, but the read as a whole cannot.
    served.set_fault("btccom", "/worker/stats", Fault(delay=1))
    async with aiohttp.ClientSession() as session:
        account = open_account(
            session,
            PoolKind.BTCCOM,
            access_key=ACCESS_KEY,
            puid=PUID,
            endpoint=served.btccom_url,
            timeout=30,
            deadline=0.2,
        )
        started = time.monotonic()
        with pytest.raises(CannotConnectError, match=r"within 0\.2 s"):
            await account.activity()
        given_up = time.monotonic() - started
        # Let the server finish the answer nobody waits for any more.
        await asyncio.sleep(1)
    assert given_up < 1


async def test_endless_pages_are_read_to_the_cap_only(served: Simulator) -> None:
    served.set_fault("btccom", "/worker", Fault(endless_pages=True))
    async with aiohttp.ClientSession() as session:
        account = open_account(
            session, PoolKind.BTCCOM, access_key=ACCESS_KEY, puid=PUID, endpoint=served.btccom_url
        )
        snapshot = await account.activity()
    # A thousand pages claimed; the twenty the cap needs are read.
    assert served.request_counts["btccom:/worker"] == 20
    assert snapshot.workers is not None
    assert len(snapshot.workers) == MAX_WORKERS
    assert snapshot.workers_capped


async def test_a_farm_within_the_cap_is_not_capped(served: Simulator) -> None:
    async with aiohttp.ClientSession() as session:
        account = open_account(
            session, PoolKind.BTCCOM, access_key=ACCESS_KEY, puid=PUID, endpoint=served.btccom_url
        )
        snapshot = await account.activity()
    assert snapshot.workers is not None
    assert len(snapshot.workers) == 6
    assert not snapshot.workers_capped


async def large_worker_list() -> bytes:
    """The v2 worker list of a large farm, as the simulator writes it."""
    sim = Simulator(seed=29, clock=ManualClock(START))
    sim.add_f2pool_account(currency="litecoin", account="bob", workers=LARGE_FARM, token=TOKEN)
    async with sim.running(), aiohttp.ClientSession() as session:
        response = await session.post(
            f"{sim.f2pool_url}/v2/hash_rate/worker/list",
            json={"mining_user_name": "bob", "currency": "litecoin"},
            headers={"F2P-API-SECRET": TOKEN},
        )
        return await response.read()


async def read_with_probe(body: bytes) -> tuple[int, float, float, int, set[str]]:
    """Read a served answer while a probe measures the loop; return what both saw.

    Returns the workers read, the longest gap between the probe's turns, the read's wall time,
    the peak memory the read allocated, and the threads the reader ran in.
    """
    threads: set[str] = set()
    parse = f2pool_v2.parse_workers

    def recording(*args: object, **kwargs: object) -> object:
        threads.add(threading.current_thread().name)
        return parse(*args, **kwargs)  # type: ignore[arg-type]

    async def answer(_: aiohttp.web.Request) -> aiohttp.web.Response:
        return aiohttp.web.Response(body=body, content_type="application/json")

    app = aiohttp.web.Application()
    app.router.add_post("/v2/hash_rate/worker/list", answer)
    runner = aiohttp.web.AppRunner(app, access_log=None)
    await runner.setup()
    site = aiohttp.web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    gaps: list[float] = []
    stop = asyncio.Event()

    async def probe() -> None:
        last = time.perf_counter()
        while not stop.is_set():
            await asyncio.sleep(PROBE_STEP)
            now = time.perf_counter()
            gaps.append(now - last - PROBE_STEP)
            last = now

    try:
        async with aiohttp.ClientSession() as session:
            client = F2PoolV2Client(
                session,
                currency="litecoin",
                account="bob",
                token=TOKEN,
                base_url=f"http://127.0.0.1:{port}",
            )
            watcher = asyncio.create_task(probe())
            await asyncio.sleep(PROBE_STEP * 3)
            started = time.perf_counter()
            with patch.object(f2pool_v2, "parse_workers", recording):
                workers = await client.workers()
            wall = time.perf_counter() - started
            stop.set()
            await watcher
            # Memory is traced in a second read: tracing slows every allocation down.
            tracemalloc.start()
            await client.workers()
            peak = tracemalloc.get_traced_memory()[1]
            tracemalloc.stop()
    finally:
        await runner.cleanup()
    return len(workers), max(gaps), wall, peak, threads


async def test_a_large_answer_is_read_off_the_loop() -> None:
    # The test harness runs the loop in asyncio's debug mode, which Home Assistant does not:
    # it makes every turn of the loop wait longer for the interpreter lock.
    asyncio.get_running_loop().set_debug(False)
    body = await large_worker_list()
    assert _http.OFF_LOOP_BYTES < len(body) < _http.MAX_BODY_BYTES
    count, stall, wall, peak, threads = await read_with_probe(body)
    with patch.object(_http, "OFF_LOOP_BYTES", _http.MAX_BODY_BYTES + 1):
        _, stall_on_loop, wall_on_loop, _, threads_on_loop = await read_with_probe(body)
    print(  # noqa: T201 (the figures of the measurement, shown with pytest -s)
        f"\n{len(body) / 1e6:.1f} MB, {count} workers: read off the loop in {wall:.2f} s "
        f"(longest loop stall {stall * 1000:.0f} ms, peak {peak / 1e6:.0f} MB); "
        f"on the loop in {wall_on_loop:.2f} s (longest stall {stall_on_loop * 1000:.0f} ms)"
    )
    assert count == LARGE_FARM
    main = threading.main_thread().name
    assert threads_on_loop == {main}
    assert threads
    assert main not in threads


async def test_a_worker_list_past_the_answer_cap_keeps_the_hashrate() -> None:
    sim = Simulator(seed=29, clock=ManualClock(START))
    sim.add_f2pool_account(currency="litecoin", account="bob", workers=6, token=TOKEN)
    async with sim.running(), aiohttp.ClientSession() as session:
        sim.set_fault("f2pool_v2", "hash_rate/worker/list", Fault(size=_http.MAX_BODY_BYTES + 1))
        account = open_account(
            session,
            PoolKind.F2POOL_V2,
            currency="litecoin",
            account="bob",
            token=TOKEN,
            base_url=sim.f2pool_url,
        )
        snapshot = await account.activity()
    assert snapshot.hashrate.current is not None
    assert snapshot.hashrate.current > 0
    assert snapshot.workers is None
    assert snapshot.workers_capped


async def test_small_answers_have_a_small_cap(served: Simulator) -> None:
    # An answer of a few kilobytes padded to 2 MB is refused, not read.
    served.set_fault("btccom", "/account/earn-stats", Fault(size=2 * 1024 * 1024))
    async with aiohttp.ClientSession() as session:
        account = open_account(
            session, PoolKind.BTCCOM, access_key=ACCESS_KEY, puid=PUID, endpoint=served.btccom_url
        )
        with pytest.raises(AnswerTooLargeError, match="1,048,576 bytes"):
            await account.earnings()


@pytest.mark.parametrize("size", [10, _http.OFF_LOOP_BYTES])
async def test_what_a_reader_raises_leaves_as_a_library_error(size: int) -> None:
    def reader(_: _http.Response) -> None:
        raise ZeroDivisionError

    with pytest.raises(
        InvalidResponseError, match=r"could not be read \(ZeroDivisionError\)"
    ) as caught:
        await _http.read("Pool", reader, answer(b" " * size))
    assert caught.value.__context__ is None
    assert caught.value.__cause__ is None
    # The collector, paused for a large read, runs again however the read ended.
    assert gc.isenabled()
