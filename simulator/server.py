"""The Simulator: the world, three HTTP servers (BTC.com, F2Pool v1 + v2, Braiins), faults."""

import asyncio
import contextlib
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Protocol

from aiohttp import web

from .braiins import BraiinsApi
from .btccom import BtcComApi
from .clock import Clock, ManualClock, RealClock
from .f2pool_v1 import F2PoolV1Api
from .f2pool_v2 import F2PoolV2Api
from .faults import IGNORED, Fault, Reply, drop, redirect_reply, write
from .hostile import Serials
from .quirks import Quirks
from .state import (
    F2POOL_COINS,
    Account,
    BraiinsAccount,
    BtcComAccount,
    F2PoolAccount,
    Worker,
    World,
)
from .wire import path_segments

APIS = ("btccom", "f2pool_v1", "f2pool_v2", "braiins")
HANG_SECONDS = 3600.0
SHUTDOWN_TIMEOUT = 1.0
DEFAULT_WORKERS = 12


class PoolApi(Protocol):
    """One fake API: names a request's endpoint, answers it, and turns faults into answers."""

    name: str

    def endpoint(self, request: web.BaseRequest) -> str:
        """Return the endpoint key of a request."""
        ...

    def fault_reply(self, fault: Fault) -> Reply | None:
        """Return the answer a fault dictates on its own, or None."""
        ...

    async def answer(self, request: web.BaseRequest, endpoint: str, fault: Fault | None) -> Reply:
        """Answer one request (the fault armed on it, if any, may shape the data)."""
        ...


@dataclass(slots=True)
class _Armed:
    fault: Fault
    remaining: int | None


class Simulator:
    """Fake BTC.com, F2Pool and Braiins Pool servers over one deterministic world.

    Attributes:
        seed: the seed every account derives from.
        clock: a ManualClock (tests) or the real clock (when none is given).
        request_counts: requests per "<api>:<endpoint>" (e.g. "btccom:/worker",
            "f2pool_v1:account", "f2pool_v2:assets/balance",
            "braiins:/accounts/profile/json/btc/").
        requested_paths: every raw request path (percent-encoded, with the query), in order.
    """

    def __init__(self, seed: int = 1, clock: Clock | None = None) -> None:
        """Create an empty world; add accounts, then start()."""
        self.seed = seed
        self.clock: Clock = clock or RealClock()
        self.world = World(seed, self.clock)
        self.request_counts: Counter[str] = Counter()
        self.requested_paths: list[str] = []
        self._faults: dict[tuple[str, str], _Armed] = {}
        self._serials = Serials()
        self._apis: dict[str, PoolApi] = {
            "btccom": BtcComApi(self.world),
            "f2pool_v1": F2PoolV1Api(self.world),
            "f2pool_v2": F2PoolV2Api(self.world),
            "braiins": BraiinsApi(self.world),
        }
        self._runners: list[web.BaseRunner] = []
        self._urls: dict[str, str] = {}
        self._stopping = asyncio.Event()

    # Accounts and workers.

    def add_btccom_account(
        self,
        *,
        access_key: str,
        puid: int,
        coin: str = "BTC",
        workers: int = DEFAULT_WORKERS,
        user_name: str | None = None,
        quirks: Quirks | None = None,
    ) -> BtcComAccount:
        """Add a BTC.com sub-account reached by access_key and puid."""
        if puid in self.world.btccom:
            raise ValueError(f"puid {puid} already exists")
        account = BtcComAccount(
            seed=self.seed,
            clock=self.clock,
            access_key=access_key,
            puid=puid,
            coin=coin,
            workers=workers,
            user_name=user_name or f"user{puid}",
            quirks=quirks or Quirks(),
        )
        self.world.btccom[puid] = account
        return account

    def add_f2pool_account(
        self,
        *,
        currency: str,
        account: str,
        workers: int = DEFAULT_WORKERS,
        token: str | None = None,
        quirks: Quirks | None = None,
    ) -> F2PoolAccount:
        """Add an F2Pool account (a user name, or an address for the address currencies).

        With a token, both v1 and v2 require it in F2P-API-SECRET; without, only v1 answers.
        """
        if currency not in F2POOL_COINS:
            raise ValueError(f"F2Pool does not serve {currency!r}")
        if (currency, account) in self.world.f2pool:
            raise ValueError(f"{currency}/{account} already exists")
        created = F2PoolAccount(
            seed=self.seed,
            clock=self.clock,
            currency=currency,
            name=account,
            workers=workers,
            token=token,
            quirks=quirks or Quirks(),
        )
        self.world.f2pool[currency, account] = created
        return created

    def add_braiins_account(
        self,
        *,
        token: str,
        workers: int = DEFAULT_WORKERS,
        user_name: str | None = None,
        quirks: Quirks | None = None,
    ) -> BraiinsAccount:
        """Add a Braiins Pool account reached by an access profile's token."""
        if token in self.world.braiins:
            raise ValueError("an account with this token already exists")
        account = BraiinsAccount(
            seed=self.seed,
            clock=self.clock,
            token=token,
            workers=workers,
            user_name=user_name or f"miner{len(self.world.braiins) + 1}",
            quirks=quirks or Quirks(),
        )
        self.world.braiins[token] = account
        return account

    def set_worker_online(self, account: Account, name: str, online: bool | None) -> None:  # noqa: FBT001
        """Force a worker offline (False) or online (True) from now on, or None: its schedule."""
        account.set_online(name, online)

    def add_worker(self, account: Account, name: str) -> Worker:
        """Add a worker that starts hashing now."""
        return account.add_worker(name)

    def remove_worker(self, account: Account, name: str) -> None:
        """Remove a worker from every answer."""
        account.remove_worker(name)

    def advance(self, delta: timedelta) -> None:
        """Move the ManualClock forward and settle every day that ended meanwhile."""
        if not isinstance(self.clock, ManualClock):
            raise TypeError("advance() needs a ManualClock")
        self.clock.advance(delta)
        accounts: list[Account] = [
            *self.world.btccom.values(),
            *self.world.f2pool.values(),
            *self.world.braiins.values(),
        ]
        for account in accounts:
            account.settle()

    # Faults and counters.

    def set_fault(self, api: str, endpoint: str, fault: Fault) -> None:
        """Make one endpoint of one API ("*": all of them) misbehave as the fault says."""
        if api not in APIS:
            raise ValueError(f"unknown api {api!r}; one of {', '.join(APIS)}")
        self._faults[api, endpoint] = _Armed(fault, fault.times)

    def clear_faults(self) -> None:
        """Remove every fault."""
        self._faults.clear()

    def reset_counters(self) -> None:
        """Forget the request counts and paths."""
        self.request_counts.clear()
        self.requested_paths.clear()

    def _take_fault(self, api: str, endpoint: str) -> Fault | None:
        key = (api, endpoint) if (api, endpoint) in self._faults else (api, "*")
        armed = self._faults.get(key)
        if armed is None:
            return None
        if armed.remaining is not None:
            armed.remaining -= 1
            if armed.remaining <= 0:
                del self._faults[key]
        return armed.fault

    # Serving.

    @property
    def btccom_url(self) -> str:
        """The base URL of the BTC.com server (paths start with /v1/)."""
        return self._url("btccom")

    @property
    def f2pool_url(self) -> str:
        """The base URL of the F2Pool server (v1 paths /{currency}/{user}, v2 under /v2/)."""
        return self._url("f2pool")

    @property
    def braiins_url(self) -> str:
        """The base URL of the Braiins Pool server (paths /accounts/{what}/json/btc/)."""
        return self._url("braiins")

    def _url(self, server: str) -> str:
        if server not in self._urls:
            raise RuntimeError("the simulator is not running")
        return self._urls[server]

    async def start(
        self,
        host: str = "127.0.0.1",
        *,
        btccom_port: int = 0,
        f2pool_port: int = 0,
        braiins_port: int = 0,
    ) -> None:
        """Start the three servers (port 0: a free port each)."""
        if self._runners:
            raise RuntimeError("the simulator is already running")
        self._stopping = asyncio.Event()
        self._urls["btccom"] = await self._serve(self._handle_btccom, host, btccom_port)
        self._urls["f2pool"] = await self._serve(self._handle_f2pool, host, f2pool_port)
        self._urls["braiins"] = await self._serve(self._handle_braiins, host, braiins_port)

    async def _serve(
        self,
        handler: Callable[[web.BaseRequest], Awaitable[web.StreamResponse]],
        host: str,
        port: int,
    ) -> str:
        # No access log: its lines would carry the BTC.com access key of every request's query.
        server = web.Server(handler, access_log=None)
        runner = web.ServerRunner(server, shutdown_timeout=SHUTDOWN_TIMEOUT)
        await runner.setup()
        self._runners.append(runner)
        await web.TCPSite(runner, host, port).start()
        bound = runner.addresses[0][1]
        return f"http://[{host}]:{bound}" if ":" in host else f"http://{host}:{bound}"

    async def stop(self) -> None:
        """Stop the servers (requests left hanging are dropped)."""
        self._stopping.set()
        runners, self._runners = self._runners, []
        for runner in runners:
            await runner.cleanup()
        self._urls.clear()

    @contextlib.asynccontextmanager
    async def running(self, host: str = "127.0.0.1") -> AsyncIterator[Simulator]:
        """Serve for the duration of an async with block."""
        await self.start(host)
        try:
            yield self
        finally:
            await self.stop()

    async def _handle_btccom(self, request: web.BaseRequest) -> web.StreamResponse:
        return await self._handle(self._apis["btccom"], request)

    async def _handle_f2pool(self, request: web.BaseRequest) -> web.StreamResponse:
        v2 = path_segments(request.raw_path)[0] == "v2"
        return await self._handle(self._apis["f2pool_v2" if v2 else "f2pool_v1"], request)

    async def _handle_braiins(self, request: web.BaseRequest) -> web.StreamResponse:
        return await self._handle(self._apis["braiins"], request)

    async def _hang(self, request: web.BaseRequest) -> web.StreamResponse:
        """Answer nothing until the simulator stops (or an hour passes), then drop the socket."""
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._stopping.wait(), HANG_SECONDS)
        drop(request)
        return web.Response(status=503)

    async def _handle(self, api: PoolApi, request: web.BaseRequest) -> web.StreamResponse:
        self.requested_paths.append(request.raw_path)
        endpoint = api.endpoint(request)
        self.request_counts[f"{api.name}:{endpoint}"] += 1
        fault = self._take_fault(api.name, endpoint)
        if fault is not None:
            if fault.delay:
                await asyncio.sleep(fault.delay)
            if fault.hang:
                return await self._hang(request)
        reply = None
        if fault is not None:
            reply = redirect_reply(fault, request.raw_path) or api.fault_reply(fault)
        if reply is None:
            reply = await api.answer(request, endpoint, fault)
        if reply is IGNORED:
            return await self._hang(request)
        return await write(request, reply, fault, self._serials)
