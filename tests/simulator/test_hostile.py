"""Hostile modes, byte for byte: redirects, hostile worker and user names, endless pages.

Also names that rotate and bare HTML error pages.
"""

import json
from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

import pytest
from yarl import URL

from simulator import HOSTILE_NAMES, HOSTILE_USER_NAME_SUFFIX, Fault, Quirks
from simulator.wire import dumps

from .conftest import ACCESS_KEY, PUID, START, TOKEN, Pools

AUTH = {"access_key": ACCESS_KEY, "puid": str(PUID)}
ELSEWHERE = "http://127.0.0.1:9"
HTML = "<html><body><h1>403 Forbidden</h1></body></html>"
EVE = {"currency": "bitcoin", "mining_user_name": "eve"}


async def btccom_bytes(pools: Pools, path: str, puid: int = PUID, **query: Any) -> bytes:
    """GET /v1/{path} of a BTC.com account whose access key is ak-demo (PUID) or ak-{puid}."""
    access_key = ACCESS_KEY if puid == PUID else f"ak-{puid}"
    params = {"access_key": access_key, "puid": str(puid)} | {k: str(v) for k, v in query.items()}
    async with pools.session.get(f"{pools.sim.btccom_url}/v1/{path}", params=params) as response:
        assert response.status == 200
        return await response.read()


async def v1_bytes(pools: Pools, path: str) -> bytes:
    url = f"{pools.sim.f2pool_url}{path}"
    async with pools.session.get(url, headers={"F2P-API-SECRET": TOKEN}) as response:
        assert response.status == 200
        return await response.read()


async def v2_bytes(pools: Pools, endpoint: str, body: Mapping[str, object] = EVE) -> bytes:
    url = f"{pools.sim.f2pool_url}/v2/{endpoint}"
    async with pools.session.post(url, json=body, headers={"F2P-API-SECRET": TOKEN}) as response:
        assert response.status == 200
        return await response.read()


def strict(raw: bytes) -> Any:
    """Parse a body as strict UTF-8 JSON (no NaN or Infinity names)."""

    def refuse(name: str) -> None:
        raise ValueError(name)

    return json.loads(raw.decode("utf-8"), parse_constant=refuse)


def hostile_btccom(pools: Pools, puid: int, **quirks: Any) -> None:
    pools.sim.add_btccom_account(
        access_key=f"ak-{puid}", puid=puid, workers=12, user_name="spica", quirks=Quirks(**quirks)
    )


def hostile_f2pool(pools: Pools, account: str, **quirks: Any) -> None:
    pools.sim.add_f2pool_account(
        currency="bitcoin", account=account, workers=12, token=TOKEN, quirks=Quirks(**quirks)
    )


# Redirects.


async def test_redirect_carries_path_and_query_to_the_other_origin(pools: Pools) -> None:
    pools.sim.set_fault("btccom", "/account/info", Fault(redirect=ELSEWHERE))
    url = f"{pools.sim.btccom_url}/v1/account/info"
    async with pools.session.get(url, params=AUTH, allow_redirects=False) as response:
        assert response.status == 302
        location = response.headers["Location"]
        assert await response.read() == b""
    assert location == f"{ELSEWHERE}/v1/account/info?access_key={ACCESS_KEY}&puid={PUID}"
    assert location == ELSEWHERE + pools.sim.requested_paths[-1]


@pytest.mark.parametrize(("status", "sent"), [(None, 302), (301, 301), (308, 308), (500, 302)])
async def test_redirect_status(pools: Pools, status: int | None, sent: int) -> None:
    pools.sim.set_fault("f2pool_v1", "*", Fault(redirect=ELSEWHERE, status=status))
    url = URL(f"{pools.sim.f2pool_url}/bitcoin/alice?multi_account=alice&x=%2F", encoded=True)
    async with pools.session.get(url, allow_redirects=False) as response:
        assert response.status == sent
        assert response.headers["Location"] == (
            f"{ELSEWHERE}/bitcoin/alice?multi_account=alice&x=%2F"
        )
        assert await response.read() == b""


async def test_redirect_of_a_post(pools: Pools) -> None:
    pools.sim.set_fault("f2pool_v2", "assets/balance", Fault(redirect=ELSEWHERE, status=307))
    url = f"{pools.sim.f2pool_url}/v2/assets/balance?probe=1"
    headers = {"F2P-API-SECRET": TOKEN}
    async with pools.session.post(
        url, json=EVE, headers=headers, allow_redirects=False
    ) as response:
        assert response.status == 307
        assert response.headers["Location"] == f"{ELSEWHERE}/v2/assets/balance?probe=1"
        assert await response.read() == b""


async def test_a_client_that_follows_hands_the_access_key_to_the_other_origin(
    pools: Pools,
) -> None:
    pools.sim.set_fault("btccom", "*", Fault(redirect=pools.sim.f2pool_url))
    url = f"{pools.sim.btccom_url}/v1/worker/stats"
    async with pools.session.get(url, params=AUTH) as response:
        assert response.status == 404
        assert response.url.origin() == URL(pools.sim.f2pool_url).origin()
    path = f"/v1/worker/stats?access_key={ACCESS_KEY}&puid={PUID}"
    assert pools.sim.requested_paths == [path, path]
    assert pools.sim.request_counts["f2pool_v1:worker_history"] == 1


# Hostile names, and the JSON that carries them.


def test_dumps_escapes_lone_surrogates_only() -> None:
    raw = dumps({"name": "rig-\ud800", "low": "\udfff!", "chinese": "矿机", "pick": "⛏️"})
    assert raw == (
        b'{"name":"rig-\\ud800","low":"\\udfff!","chinese":"'
        + "矿机".encode()
        + b'","pick":"'
        + "⛏️".encode()
        + b'"}'
    )
    assert json.loads(raw)["name"] == "rig-\ud800"


def test_hostile_names_cover_every_kind() -> None:
    assert "rig-\ud800" in HOSTILE_NAMES
    assert "rig\x00\x07\x1b[31m-red" in HOSTILE_NAMES
    assert "rig\u202egpj.exe" in HOSTILE_NAMES
    assert {"rig\u200b-1", "rig\ufeff-2", "re\u0301sume\u0301", "r" * 10000} <= set(HOSTILE_NAMES)
    assert {"矿机-一号", "⛏️-rig", "\u200b\u200c"} <= set(HOSTILE_NAMES)
    assert len(set(HOSTILE_NAMES)) == len(HOSTILE_NAMES)


async def test_hostile_names_on_btccom(pools: Pools) -> None:
    hostile_btccom(pools, 3001, hostile_names=True)
    raw = await btccom_bytes(pools, "worker", 3001, page_size=100)
    assert b'"worker_name":"rig-\\ud800"' in raw
    assert b'"worker_name":"rig\\u0000\\u0007\\u001b[31m-red"' in raw
    assert "矿机-一号".encode() in raw
    data = strict(raw)["data"]
    rows = {row["worker_name"]: row for row in data["data"]}
    assert data["total_count"] == len(rows) == 12 + len(HOSTILE_NAMES)
    assert set(HOSTILE_NAMES) <= set(rows)
    account = pools.sim.world.btccom[3001]
    for name in HOSTILE_NAMES:
        row = rows[name]
        assert row["status"] == "ACTIVE"
        assert float(row["shares_15m_pure"]) > 0
        assert START.timestamp() - row["last_share_time"] < 60
        assert row["worker_id"] == account.workers[name].worker_id
    assert len({row["worker_id"] for row in rows.values()}) == len(rows)
    info = strict(await btccom_bytes(pools, "account/info", 3001))["data"]
    assert info["user_name"] == "spica" + HOSTILE_USER_NAME_SUFFIX
    assert info["user_name"] == "spica\u202e\x07" + "x" * 5000
    assert account.user_name == "spica"


async def test_hostile_names_on_f2pool_v1(pools: Pools) -> None:
    hostile_f2pool(pools, "eve", hostile_names=True, extra_keys=True)
    raw = await v1_bytes(pools, "/bitcoin/eve")
    assert b'["rig-\\ud800",' in raw
    assert b'"rig-\\ud800":' in raw
    body = strict(raw)
    workers = {row[0]: row for row in body["workers"]}
    assert set(HOSTILE_NAMES) <= set(workers)
    assert set(HOSTILE_NAMES) <= set(body["value_workers"])
    assert body["worker_length"] == 12 + len(HOSTILE_NAMES)
    assert body["worker_length_online"] >= len(HOSTILE_NAMES)
    for name in HOSTILE_NAMES:
        row = workers[name]
        assert row[1] > 0
        assert START - datetime.fromisoformat(row[6]) < timedelta(minutes=1)


async def test_hostile_names_on_f2pool_v2(pools: Pools) -> None:
    hostile_f2pool(pools, "eve", hostile_names=True)
    raw = await v2_bytes(pools, "hash_rate/worker/list")
    assert b'"name":"rig-\\ud800"' in raw
    rows = {row["hash_rate_info"]["name"]: row for row in strict(raw)["workers"]}
    assert set(HOSTILE_NAMES) <= set(rows)
    for name in HOSTILE_NAMES:
        assert rows[name]["status"] == 0
        assert rows[name]["hash_rate_info"]["hash_rate"] > 0
        assert START.timestamp() - rows[name]["last_share_at"] < 60


async def test_hostile_workers_stay_online(pools: Pools) -> None:
    hostile_f2pool(pools, "eve", hostile_names=True)
    pools.sim.advance(timedelta(days=3, hours=5))
    account = pools.sim.world.f2pool["bitcoin", "eve"]
    now = pools.sim.clock.now()
    assert all(account.workers[name].online(now) for name in HOSTILE_NAMES)
    rows = strict(await v2_bytes(pools, "hash_rate/worker/list"))["workers"]
    statuses = {row["hash_rate_info"]["name"]: row["status"] for row in rows}
    assert {statuses[name] for name in HOSTILE_NAMES} == {0}


async def test_an_empty_account_stays_empty(pools: Pools) -> None:
    hostile_f2pool(pools, "eve", hostile_names=True, empty_account=True)
    assert strict(await v1_bytes(pools, "/bitcoin/eve"))["workers"] == []


# Endless pages.


async def test_endless_pages(pools: Pools) -> None:
    pools.sim.set_fault("btccom", "/worker", Fault(endless_pages=True))
    first = strict(await btccom_bytes(pools, "worker"))["data"]
    assert (first["page"], first["page_size"], first["page_count"], first["total_count"]) == (
        1,
        50,
        1000,
        50000,
    )
    assert [row["worker_name"] for row in first["data"]] == [f"ghost-1-{i}" for i in range(1, 51)]
    far = strict(await btccom_bytes(pools, "worker", page=5000, page_size=1000))["data"]
    assert (far["page"], far["page_count"], far["total_count"]) == (5000, 1000, 1_000_000)
    assert len(far["data"]) == 1000
    assert far["data"][-1]["worker_name"] == "ghost-5000-1000"
    ids = [row["worker_id"] for row in first["data"] + far["data"]]
    assert len(set(ids)) == len(ids) == 1050
    assert {row["status"] for row in far["data"]} == {"ACTIVE"}
    assert all(float(row["shares_15m_pure"]) > 0 for row in far["data"])
    assert all(START.timestamp() - row["last_share_time"] < 60 for row in far["data"])
    assert strict(await btccom_bytes(pools, "worker/stats"))["data"]["workers_total"] == 12


# Rotating names.


async def test_rotating_names_on_btccom(pools: Pools) -> None:
    hostile_btccom(pools, 3002, rotating_names=True)
    account = pools.sim.world.btccom[3002]
    seen: set[str] = set(account.workers)
    ids: set[str] = set()
    for generation in (1, 2, 3):
        rows = strict(await btccom_bytes(pools, "worker", 3002))["data"]["data"]
        names = {row["worker_name"] for row in rows}
        assert len(names) == 12
        assert not names & seen
        assert all(name.endswith(f"-g{generation}") for name in names)
        assert names == set(account.workers)
        assert not {row["worker_id"] for row in rows} & ids
        seen |= names
        ids |= {row["worker_id"] for row in rows}
    assert account.generation == 3
    newest = next(iter(account.workers.values()))
    detail = strict(await btccom_bytes(pools, f"worker/{newest.worker_id}", 3002))["data"]
    assert detail["worker_name"] == newest.name == "worker-1-g3"


async def test_rotating_names_on_f2pool(pools: Pools) -> None:
    hostile_f2pool(pools, "eve", rotating_names=True, never_shared_worker="null")
    account = pools.sim.world.f2pool["bitcoin", "eve"]
    account.set_online("worker-2", state=False)
    first = {row[0] for row in strict(await v1_bytes(pools, "/bitcoin/eve"))["workers"]}
    second = strict(await v2_bytes(pools, "hash_rate/worker/list"))["workers"]
    names = {row["hash_rate_info"]["name"] for row in second}
    assert first == {f"worker-{i}-g1" for i in range(1, 13)} | {"idle-rig-g1"}
    assert names == {f"worker-{i}-g2" for i in range(1, 13)} | {"idle-rig-g2"}
    statuses = {row["hash_rate_info"]["name"]: row["status"] for row in second}
    assert statuses["worker-2-g2"] == 1
    assert statuses["idle-rig-g2"] == 2
    third = strict(await v1_bytes(pools, "/bitcoin/eve"))
    assert {row[0] for row in third["workers"]} == set(account.workers)
    assert set(third["value_workers"]) == set(account.workers)
    assert account.generation == 3
    assert strict(await v2_bytes(pools, "hash_rate/info"))["info"]["name"] == "eve"
    assert account.generation == 3


# A wrong credential answered by a bare HTML page.


async def test_forbidden_html_page_on_every_api(pools: Pools) -> None:
    fault = Fault(status=403, body=HTML, content_type="text/html")
    for api in ("btccom", "f2pool_v1", "f2pool_v2"):
        pools.sim.set_fault(api, "*", fault)
    hostile_f2pool(pools, "eve")
    answers = []
    async with pools.session.get(f"{pools.sim.btccom_url}/v1/worker", params=AUTH) as response:
        answers.append((response.status, response.content_type, await response.text()))
    async with pools.session.get(f"{pools.sim.f2pool_url}/bitcoin/alice") as response:
        answers.append((response.status, response.content_type, await response.text()))
    url = f"{pools.sim.f2pool_url}/v2/assets/balance"
    async with pools.session.post(url, json=EVE, headers={"F2P-API-SECRET": TOKEN}) as response:
        answers.append((response.status, response.content_type, await response.text()))
    assert answers == [(403, "text/html", HTML)] * 3
