"""``python -m simulator``: arguments, demo accounts, banner, serving and stopping."""

import asyncio
import json
import os
import re
import signal
import threading

import pytest
from aiohttp import ClientSession

from simulator import RealClock, Simulator
from simulator import __main__ as demo


def test_arguments() -> None:
    args = demo.parse_args([])
    assert (
        args.host,
        args.btccom_port,
        args.f2pool_port,
        args.braiins_port,
        args.seed,
        args.workers,
    ) == ("127.0.0.1", 8081, 8082, 8083, 1, 12)
    args = demo.parse_args(
        ["--seed", "7", "--workers", "3", "--btccom-port", "0", "--braiins-port", "0"]
    )
    assert (args.seed, args.workers, args.btccom_port, args.braiins_port) == (7, 3, 0, 0)


def test_demo_accounts() -> None:
    sim = demo.build_demo(seed=1, workers=5)
    assert isinstance(sim.clock, RealClock)
    btc = sim.world.btccom[1001]
    assert (btc.access_key, btc.user_name, len(btc.workers)) == ("demo-access-key", "spica", 5)
    assert sim.world.f2pool["bitcoin", "user"].token is None
    assert sim.world.f2pool["litecoin", "demo"].token == "demo-token"
    braiins = sim.world.braiins["demo-braiins-token"]
    assert (braiins.user_name, len(braiins.workers)) == ("vega", 5)


async def test_serve_prints_the_banner_and_answers(capsys: pytest.CaptureFixture[str]) -> None:
    args = demo.parse_args(
        ["--btccom-port", "0", "--f2pool-port", "0", "--braiins-port", "0", "--workers", "2"]
    )
    stop = asyncio.Event()
    task = asyncio.create_task(demo.serve(args, stop))
    printed = ""
    for _ in range(200):
        await asyncio.sleep(0.01)
        printed += capsys.readouterr().out
        if "Ctrl-C" in printed:
            break
    urls = re.findall(r"http://127\.0\.0\.1:\d+", printed)
    btccom, f2pool, braiins = urls[0], urls[1], urls[2]
    assert "access_key=demo-access-key" in printed
    assert f"curl {f2pool}/bitcoin/user" in printed
    assert "F2P-API-SECRET: demo-token" in printed
    assert f"curl -H 'Pool-Auth-Token: demo-braiins-token' {braiins}/accounts/profile" in printed
    async with ClientSession() as session:
        query = {"access_key": "demo-access-key", "puid": "1001"}
        async with session.get(f"{btccom}/v1/account/info", params=query) as response:
            assert (await response.json())["data"]["user_name"] == "spica"
        async with session.get(f"{f2pool}/bitcoin/user") as response:
            assert (await response.json())["worker_length"] == 2
        body = json.dumps({"currency": "litecoin", "mining_user_name": "demo"})
        headers = {"F2P-API-SECRET": "demo-token", "Content-Type": "application/json"}
        async with session.post(
            f"{f2pool}/v2/assets/balance", data=body, headers=headers
        ) as response:
            assert "balance_info" in await response.json()
        headers = {"Pool-Auth-Token": "demo-braiins-token"}
        async with session.get(
            f"{braiins}/accounts/workers/json/btc/", headers=headers
        ) as response:
            assert len((await response.json())["btc"]["workers"]) == 2
    stop.set()
    await asyncio.wait_for(task, 5)


def test_main_stops_on_sigterm(monkeypatch: pytest.MonkeyPatch) -> None:
    ready = threading.Event()
    banner = demo.banner

    def announce(sim: Simulator) -> str:
        ready.set()
        return banner(sim)

    def terminate() -> None:
        if ready.wait(10):
            os.kill(os.getpid(), signal.SIGTERM)

    monkeypatch.setattr(demo, "banner", announce)
    killer = threading.Thread(target=terminate)
    killer.start()
    assert (
        demo.main(
            ["--btccom-port", "0", "--f2pool-port", "0", "--braiins-port", "0", "--workers", "1"]
        )
        == 0
    )
    killer.join()
