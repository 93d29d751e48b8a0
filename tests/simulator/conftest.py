"""Fixtures of the simulator's tests: a world on a manual clock, served on 127.0.0.1."""

import json
from collections.abc import AsyncIterator, Mapping
from datetime import UTC, datetime
from typing import Any

import pytest
from aiohttp import ClientSession
from yarl import URL

from simulator import ManualClock, Simulator

START = datetime(2026, 11, 1, 12, 3, 7, 250000, tzinfo=UTC)
ACCESS_KEY = "ak-demo"
PUID = 1001
TOKEN = "tok-demo"
SECRET = "F2P-API-SECRET"


def build(clock: ManualClock, seed: int = 1) -> Simulator:
    """Return a simulator with the accounts every test starts from."""
    sim = Simulator(seed=seed, clock=clock)
    sim.add_btccom_account(access_key=ACCESS_KEY, puid=PUID, workers=12, user_name="spica")
    sim.add_f2pool_account(currency="bitcoin", account="alice", workers=12)
    sim.add_f2pool_account(currency="litecoin", account="bob", workers=12, token=TOKEN)
    return sim


@pytest.fixture(autouse=True)
def _sockets(socket_enabled: None) -> None:
    """Let the tests open sockets (pytest-socket still allows only 127.0.0.1)."""
    del socket_enabled


@pytest.fixture
def clock() -> ManualClock:
    """A clock at an instant that is not on a slot boundary."""
    return ManualClock(START)


@pytest.fixture
def sim(clock: ManualClock) -> Simulator:
    """The simulator, not yet serving."""
    return build(clock)


@pytest.fixture
async def pools(sim: Simulator) -> AsyncIterator[Pools]:
    """The simulator serving, with a client session to call it."""
    async with sim.running(), ClientSession() as session:
        yield Pools(sim, session)


class Pools:
    """Calls the three fake APIs over HTTP and returns what came back."""

    def __init__(self, sim: Simulator, session: ClientSession) -> None:
        """Call this simulator with this session."""
        self.sim = sim
        self.session = session

    async def get(self, url: str, headers: Mapping[str, str] | None = None) -> tuple[int, str]:
        """GET a URL as given (already percent-encoded); return status and text."""
        async with self.session.get(URL(url, encoded=True), headers=headers) as response:
            return response.status, await response.text()

    async def btccom_raw(
        self, path: str, *, access_key: str | None = ACCESS_KEY, puid: object = PUID, **query: Any
    ) -> tuple[int, str, str]:
        """GET /v1/{path}; return status, content type and text."""
        params = {key: str(value) for key, value in query.items()}
        if access_key is not None:
            params["access_key"] = access_key
        if puid is not None:
            params["puid"] = str(puid)
        url = f"{self.sim.btccom_url}/v1/{path}"
        async with self.session.get(url, params=params) as response:
            return response.status, response.content_type, await response.text()

    async def btccom(self, path: str, **query: Any) -> Any:
        """GET /v1/{path} and return the parsed envelope (HTTP 200 asserted)."""
        status, content_type, text = await self.btccom_raw(path, **query)
        assert (status, content_type) == (200, "application/json")
        return json.loads(text)

    async def v1(self, path: str, token: str | None = None) -> tuple[int, str]:
        """GET an F2Pool v1 path (percent-encoded as given)."""
        headers = {SECRET: token} if token is not None else None
        return await self.get(f"{self.sim.f2pool_url}{path}", headers)

    async def v1_json(self, path: str, token: str | None = None) -> Any:
        """GET an F2Pool v1 path and parse the JSON (HTTP 200 asserted)."""
        status, text = await self.v1(path, token)
        assert status == 200, text
        return json.loads(text)

    async def v2_raw(
        self, endpoint: str, body: object, token: str | None = TOKEN
    ) -> tuple[int, str]:
        """POST /v2/{endpoint}; body bytes/str are sent as they are, anything else as JSON."""
        headers = {"Content-Type": "application/json"}
        if token is not None:
            headers[SECRET] = token
        data = body if isinstance(body, bytes | str) else json.dumps(body)
        url = f"{self.sim.f2pool_url}/v2/{endpoint}"
        async with self.session.post(url, data=data, headers=headers) as response:
            return response.status, await response.text()

    async def v2(self, endpoint: str, body: object | None = None, token: str | None = TOKEN) -> Any:
        """POST /v2/{endpoint} for bob (by default) and parse the JSON (HTTP 200 asserted)."""
        if body is None:
            body = {"currency": "litecoin", "mining_user_name": "bob"}
        status, text = await self.v2_raw(endpoint, body, token)
        assert status == 200, text
        return json.loads(text)
