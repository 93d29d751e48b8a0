"""Serve the demo accounts on real time: ``python -m simulator [--seed N] [--workers N]``."""

import argparse
import asyncio
import signal
import sys
from collections.abc import Sequence

from . import Simulator

DEMO_PUID = 1001
DEMO_ACCESS_KEY = "demo-access-key"
DEMO_TOKEN = "demo-token"  # noqa: S105 (the demo credential, printed on purpose)
DEMO_BRAIINS_TOKEN = "demo-braiins-token"  # noqa: S105 (the demo credential, printed on purpose)
DEMO_BRAIINS_USER = "vega"


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """Parse the command line."""
    parser = argparse.ArgumentParser(
        prog="python -m simulator",
        description="Fake BTC.com, F2Pool and Braiins Pool servers for the demo.",
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (127.0.0.1)")
    parser.add_argument("--btccom-port", type=int, default=8081, help="BTC.com port (8081)")
    parser.add_argument("--f2pool-port", type=int, default=8082, help="F2Pool port (8082)")
    parser.add_argument("--braiins-port", type=int, default=8083, help="Braiins Pool port (8083)")
    parser.add_argument("--seed", type=int, default=1, help="seed of the world (1)")
    parser.add_argument("--workers", type=int, default=12, help="workers per account (12)")
    return parser.parse_args(argv)


def build_demo(seed: int, workers: int) -> Simulator:
    """Return a simulator on real time with the four demo accounts."""
    sim = Simulator(seed=seed)
    sim.add_btccom_account(
        access_key=DEMO_ACCESS_KEY, puid=DEMO_PUID, coin="BTC", workers=workers, user_name="spica"
    )
    sim.add_f2pool_account(currency="bitcoin", account="user", workers=workers)
    sim.add_f2pool_account(currency="litecoin", account="demo", workers=workers, token=DEMO_TOKEN)
    sim.add_braiins_account(token=DEMO_BRAIINS_TOKEN, workers=workers, user_name=DEMO_BRAIINS_USER)
    return sim


def banner(sim: Simulator) -> str:
    """Return the text that tells how to reach the running demo."""
    btc = sim.btccom_url
    f2p = sim.f2pool_url
    bra = sim.braiins_url
    auth = f"access_key={DEMO_ACCESS_KEY}&puid={DEMO_PUID}"
    v2_body = '{"currency": "litecoin", "mining_user_name": "demo"}'
    return "\n".join(
        [
            f"BTC.com pool API v1:  {btc}/v1/   access_key={DEMO_ACCESS_KEY}  puid={DEMO_PUID}",
            f"F2Pool v1 and v2:     {f2p}/      bitcoin/user (no token); litecoin/demo "
            f"(token {DEMO_TOKEN})",
            f"Braiins Pool:         {bra}/  {DEMO_BRAIINS_USER} (token {DEMO_BRAIINS_TOKEN}; "
            "one request per 5 s)",
            "",
            "Try:",
            f"  curl '{btc}/v1/account/info?{auth}'",
            f"  curl '{btc}/v1/account/earn-stats?{auth}'",
            f"  curl '{btc}/v1/account/earn-history?{auth}&page=1&page_size=50'",
            f"  curl '{btc}/v1/realtime/hashrate?{auth}'",
            f"  curl '{btc}/v1/worker/stats?{auth}'",
            f"  curl '{btc}/v1/worker?{auth}&status=all&page=1&page_size=50'",
            f"  curl '{btc}/v1/worker/groups?{auth}'",
            f"  curl {f2p}/bitcoin/user",
            f"  curl '{f2p}/bitcoin/user?multi_account=user&multi_account=user'",
            f"  curl {f2p}/bitcoin/user/worker-1",
            f"  curl -H 'F2P-API-SECRET: {DEMO_TOKEN}' {f2p}/litecoin/demo",
            f"  curl -X POST {f2p}/v2/assets/balance -H 'Content-Type: application/json' "
            f"-H 'F2P-API-SECRET: {DEMO_TOKEN}' -d '{v2_body}'",
            f"  curl -X POST {f2p}/v2/hash_rate/worker/list -H 'Content-Type: application/json' "
            f"-H 'F2P-API-SECRET: {DEMO_TOKEN}' -d '{v2_body}'",
            f"  curl -H 'Pool-Auth-Token: {DEMO_BRAIINS_TOKEN}' {bra}/accounts/profile/json/btc/",
            f"  curl -H 'Pool-Auth-Token: {DEMO_BRAIINS_TOKEN}' {bra}/accounts/workers/json/btc/",
            "",
            "Ctrl-C stops.",
        ]
    )


async def serve(args: argparse.Namespace, stop: asyncio.Event | None = None) -> None:
    """Serve the demo until stop is set (by default: until SIGINT or SIGTERM)."""
    sim = build_demo(args.seed, args.workers)
    if stop is None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(signum, stop.set)
    await sim.start(
        args.host,
        btccom_port=args.btccom_port,
        f2pool_port=args.f2pool_port,
        braiins_port=args.braiins_port,
    )
    try:
        print(banner(sim), flush=True)
        await stop.wait()
    finally:
        await sim.stop()


def main(argv: Sequence[str] | None = None) -> int:
    """Run the demo; return the exit status."""
    asyncio.run(serve(parse_args(argv)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
