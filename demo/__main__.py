"""The demo: ``python -m demo`` (``scripts/develop``).

Starts the simulator with its four living demo accounts and a real Home Assistant that loads
this repository's integration, signs in (onboarding a new instance), adds the four accounts
through the config flow's HTTP API (Braiins Pool's takes some seconds: it answers one request
per 5 s), prints where to look, and serves until Ctrl-C or SIGTERM, which stops everything it
started.
"""

from __future__ import annotations

import argparse
import asyncio
import signal
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import aiohttp

from simulator import Simulator
from simulator.__main__ import (
    DEMO_ACCESS_KEY,
    DEMO_BRAIINS_TOKEN,
    DEMO_PUID,
    DEMO_TOKEN,
    build_demo,
)

from .homeassistant import (
    REPOSITORY,
    RESTART_EXIT_CODE,
    HomeAssistantApi,
    HomeAssistantProcess,
)

USERNAME = "demo"
PASSWORD = "mining-pool-demo"  # noqa: S105 (the demo's printed login)


def account_flows(sim: Simulator) -> list[list[dict[str, Any]]]:
    """The config flow steps that add the four demo accounts, as a user would fill them."""
    return [
        [
            {"next_step_id": "btccom"},
            {"endpoint": "custom", "access_key": DEMO_ACCESS_KEY, "puid": str(DEMO_PUID)},
            {"custom_host": sim.btccom_url, "coin": "BTC"},
        ],
        [
            {"next_step_id": "f2pool"},
            {"api_version": "v1", "currency": "bitcoin"},
            {"account": "user", "advanced": {"base_url": sim.f2pool_url}},
        ],
        [
            {"next_step_id": "f2pool"},
            {"api_version": "v2", "currency": "litecoin"},
            {"account": "demo", "token": DEMO_TOKEN, "advanced": {"base_url": sim.f2pool_url}},
        ],
        [
            {"next_step_id": "braiins"},
            {"token": DEMO_BRAIINS_TOKEN, "advanced": {"base_url": sim.braiins_url}},
        ],
    ]


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    """Parse the command line."""
    parser = argparse.ArgumentParser(prog="scripts/develop", description=__doc__)
    parser.add_argument("--port", type=int, default=8123, help="Home Assistant's port (8123)")
    parser.add_argument("--btccom-port", type=int, default=8081, help="BTC.com simulator (8081)")
    parser.add_argument("--f2pool-port", type=int, default=8082, help="F2Pool simulator (8082)")
    parser.add_argument(
        "--braiins-port", type=int, default=8083, help="Braiins Pool simulator (8083)"
    )
    parser.add_argument(
        "--config", type=Path, default=REPOSITORY / ".demo", help="configuration folder (.demo/)"
    )
    return parser.parse_args(argv)


async def run(args: argparse.Namespace) -> int:
    """Bring the demo up and serve until cancelled; take down whatever was started."""
    print("Starting the simulator", flush=True)
    sim = build_demo(seed=1, workers=12)
    await sim.start(
        btccom_port=args.btccom_port,
        f2pool_port=args.f2pool_port,
        braiins_port=args.braiins_port,
    )
    hass = HomeAssistantProcess(args.config, args.port)
    try:
        print(f"Starting Home Assistant on {hass.url} (log: {hass.log})", flush=True)
        await hass.start()
        async with aiohttp.ClientSession() as session:
            api = HomeAssistantApi(session, hass.url)
            await api.sign_in(USERNAME, PASSWORD)
            entries = await api.get("/api/config/config_entries/entry?domain=mining_pool")
            if not entries:
                for steps in account_flows(sim):
                    print(f"Adding the {steps[0]['next_step_id']} account", flush=True)
                    result = await api.add_entry(steps)
                    print(f"  added {result.get('title')}: {result.get('type')}", flush=True)
        print(
            f"\nHome Assistant: {hass.url}  (user {USERNAME}, password {PASSWORD})\n"
            f"Simulator: BTC.com {sim.btccom_url}, F2Pool {sim.f2pool_url}, "
            f"Braiins Pool {sim.braiins_url}\n"
            f"Log: {hass.log}\nCtrl-C stops everything.",
            flush=True,
        )
        while (code := await hass.wait()) == RESTART_EXIT_CODE:
            print("Home Assistant restarts", flush=True)
            await hass.start()
        print(f"Home Assistant exited with {code}: see {hass.log}", file=sys.stderr, flush=True)
        return 1
    finally:
        await hass.stop()
        await sim.stop()


async def serve(args: argparse.Namespace) -> int:
    """Run the demo; the first SIGINT or SIGTERM, at any phase, cancels it: it stops everything."""
    demo = asyncio.current_task()
    if demo is None:
        raise RuntimeError("serve runs as a task")
    loop = asyncio.get_running_loop()
    stopping: list[int] = []

    def stop(signum: int) -> None:
        if not stopping:
            stopping.append(signum)
            print("\nStopping", flush=True)
            demo.cancel()

    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop, signum)
    try:
        return await run(args)
    except asyncio.CancelledError:
        if not stopping:
            raise
        return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Run the demo until Ctrl-C or SIGTERM."""
    try:
        return asyncio.run(serve(parse_args(argv)))
    except (OSError, RuntimeError, TimeoutError, aiohttp.ClientError) as err:
        print(f"The demo stopped: {err}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
