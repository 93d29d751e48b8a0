"""Hostile modes, byte for byte: redirects, names, endless pages, absurd numbers and times.

Also names that rotate, units and statuses never seen before, and bare HTML error pages.
"""

import json
import math
from collections.abc import Iterator, Mapping
from datetime import datetime, timedelta
from typing import Any

import pytest
from yarl import URL

from simulator import HOSTILE_NAMES, HOSTILE_USER_NAME_SUFFIX, Fault, Quirks
from simulator.wire import dumps

from .conftest import ACCESS_KEY, PUID, START, TOKEN, Pools

AUTH = {"access_key": ACCESS_KEY, "puid": str(PUID)}
ELSEWHERE = "http://127.0.0.1:9"
HUGE = "1e999999999999999999"
TINY = "1e-999999999999999999999"
LATE_ISO = "9999-12-31T23:59:59-14:00"
EARLY_ISO = "0001-01-01T00:00:00+14:00"
LATE_UNIX = 253402300800
EARLY_UNIX = -62135596801
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


def leaves(value: object, key: str = "") -> Iterator[tuple[str, object]]:
    """Every (key, scalar) of a JSON value; list items carry their list's key."""
    if isinstance(value, dict):
        for name, item in value.items():
            yield from leaves(item, name)
    elif isinstance(value, list):
        for item in value:
            yield from leaves(item, key)
    else:
        yield key, value


def objects(value: object) -> Iterator[dict[str, Any]]:
    """Every JSON object inside a value, the value included."""
    if isinstance(value, dict):
        yield value
        for item in value.values():
            yield from objects(item)
    elif isinstance(value, list):
        for item in value:
            yield from objects(item)


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


# Hostile numbers.


async def test_hostile_numbers_on_f2pool_v1(pools: Pools) -> None:
    pools.sim.set_fault("f2pool_v1", "account", Fault(hostile_numbers=True))
    raw = await v1_bytes(pools, "/bitcoin/alice")
    assert raw.startswith(f'{{"balance":{HUGE},'.encode())
    assert f'"x_tiny":{TINY}}}'.encode() in raw
    body = strict(raw)
    numbers = [value for _, value in leaves(body) if type(value) in {int, float}]
    assert numbers
    assert all(value in {math.inf, 0.0} for value in numbers)
    assert all(obj["x_tiny"] == 0.0 for obj in objects(body))
    assert body["workers"][0][0] == "worker-1"
    assert body["workers"][0][7] is False


async def test_hostile_numbers_on_btccom(pools: Pools) -> None:
    pools.sim.set_fault("btccom", "*", Fault(hostile_numbers=True))
    for path in ("worker", "account/earn-stats", "realtime/hashrate", "account/earn-history"):
        raw = await btccom_bytes(pools, path)
        assert raw.startswith(b'{"err_no":0,"data":{')
        body = strict(raw)
        for key, value in leaves(body):
            if key in {"err_no", "worker_id"}:
                continue
            if isinstance(value, str):
                assert value == HUGE or not value.lstrip("-").replace(".", "").isdigit()
            elif type(value) in {int, float}:
                assert value in {math.inf, 0.0}
        assert all("x_tiny" in obj for obj in objects(body))
    rows = strict(await btccom_bytes(pools, "worker"))["data"]["data"]
    account = pools.sim.world.btccom[PUID]
    assert {row["worker_id"] for row in rows} == {w.worker_id for w in account.workers.values()}
    assert {row["shares_15m"] for row in rows} == {HUGE}
    assert {row["last_share_time"] for row in rows} == {math.inf}


async def test_hostile_numbers_on_f2pool_v2(pools: Pools) -> None:
    hostile_f2pool(pools, "eve")
    pools.sim.set_fault("f2pool_v2", "*", Fault(hostile_numbers=True))
    raw = await v2_bytes(pools, "assets/balance")
    assert (
        raw
        == (
            f'{{"balance_info":{{"balance":{HUGE},"paid":{HUGE},"total_income":{HUGE},'
            f'"yesterday_income":{HUGE},"estimated_today_income":{HUGE},"x_tiny":{TINY}}},'
            f'"x_tiny":{TINY}}}'
        ).encode()
    )
    rows = strict(await v2_bytes(pools, "hash_rate/worker/list"))["workers"]
    assert {row["status"] for row in rows} == {math.inf}
    assert {row["hash_rate_info"]["h24_hash_rate"] for row in rows} == {math.inf}


# Hostile times.


async def test_hostile_times_on_f2pool_v1(pools: Pools) -> None:
    pools.sim.set_fault("f2pool_v1", "*", Fault(hostile_times=True))
    body = strict(await v1_bytes(pools, "/bitcoin/alice"))
    assert set(body["hashrate_history"]) == {LATE_ISO, EARLY_ISO}
    assert body["payout_history"]
    times = [row[6] for row in body["workers"]] + [row[0] for row in body["payout_history"]]
    assert set(times) == {LATE_ISO, EARLY_ISO}
    assert [row[6] for row in body["workers"][:4]] == [LATE_ISO, EARLY_ISO] * 2
    assert body["balance"] > 0
    history = strict(await v1_bytes(pools, "/bitcoin/alice/worker-1"))["hashrate_history"]
    assert set(history) == {LATE_ISO, EARLY_ISO}


async def test_hostile_times_on_btccom(pools: Pools) -> None:
    hostile_btccom(pools, 3003, last_share_time_format="datetime", extra_keys=True)
    pools.sim.set_fault("btccom", "*", Fault(hostile_times=True))
    rows = strict(await btccom_bytes(pools, "worker", 3003))["data"]["data"]
    assert {row["last_share_time"] for row in rows} == {"9999-12-31 23:59:59"}
    assert [row["first_share_time"] for row in rows[:3]] == [LATE_UNIX, EARLY_UNIX, LATE_UNIX]
    unix_rows = strict(await btccom_bytes(pools, "worker"))["data"]["data"]
    assert {row["last_share_time"] for row in unix_rows} == {LATE_UNIX, EARLY_UNIX}
    stats = strict(await btccom_bytes(pools, "account/earn-stats"))["data"]
    assert stats["last_payment_time"] == str(LATE_UNIX)
    history = strict(await btccom_bytes(pools, "account/earn-history"))["data"]["list"]
    payment_times = {row["payment_time"] for row in history}
    assert "9999-12-31 23:59:59" in payment_times
    assert payment_times <= {"9999-12-31 23:59:59", str(LATE_UNIX), str(EARLY_UNIX)}
    assert history[0]["date"] == 20261101


async def test_hostile_times_on_f2pool_v2(pools: Pools) -> None:
    hostile_f2pool(pools, "eve")
    pools.sim.set_fault("f2pool_v2", "*", Fault(hostile_times=True))
    rows = strict(await v2_bytes(pools, "hash_rate/worker/list"))["workers"]
    assert [row["last_share_at"] for row in rows[:2]] == [LATE_UNIX, EARLY_UNIX]
    points = strict(await v2_bytes(pools, "hash_rate/history"))["history"]
    assert {point["timestamp"] for point in points} == {LATE_UNIX, EARLY_UNIX}
    entries = strict(await v2_bytes(pools, "assets/transactions/list"))["transactions"]
    stamps = [value for key, value in leaves(entries) if key.endswith(("_at", "_time", "_date"))]
    assert stamps
    assert set(stamps) == {LATE_UNIX, EARLY_UNIX}


async def test_rewrites_keep_what_they_do_not_know(pools: Pools) -> None:
    data = {
        "timestamp": None,
        "paid_time": True,
        "created_at": {"last_share_at": "-", "settle_date": "1793530800", "x": "2026-11-01"},
        "workers": [{"status": None}, {"status": False}, {"worker_status": 1.5}],
    }
    pools.sim.set_fault(
        "f2pool_v1", "account", Fault(data=data, hostile_times=True, unknown_statuses=True)
    )
    assert strict(await v1_bytes(pools, "/bitcoin/alice")) == {
        "timestamp": None,
        "paid_time": True,
        "created_at": {"last_share_at": "-", "settle_date": str(LATE_UNIX), "x": "2026-11-01"},
        "workers": [{"status": None}, {"status": False}, {"worker_status": 1.5}],
    }


# Fresh units and unknown statuses.


async def test_fresh_units(pools: Pools) -> None:
    hostile_btccom(pools, 3004, extra_keys=True)
    pools.sim.set_fault("btccom", "*", Fault(fresh_units=True))
    first = strict(await btccom_bytes(pools, "worker"))["data"]["data"]
    assert [row["shares_unit"] for row in first] == [f"X{i}" for i in range(1, 13)]
    second = strict(await btccom_bytes(pools, "worker"))["data"]["data"]
    assert [row["shares_unit"] for row in second] == [f"X{i}" for i in range(13, 25)]
    realtime = strict(await btccom_bytes(pools, "realtime/hashrate"))["data"]
    assert (realtime["shares_15m_unit"], realtime["shares_1d_unit"]) == ("X25", "X26")
    stats = strict(await btccom_bytes(pools, "account/earn-stats", 3004))["data"]
    assert (stats["hashrate_yesterday"]["unit"], stats["shares_1d"]["unit"]) == ("X27", "X28")
    assert float(realtime["shares_15m"]) > 0


async def test_unknown_statuses(pools: Pools) -> None:
    hostile_f2pool(pools, "eve")
    pools.sim.set_fault("btccom", "*", Fault(unknown_statuses=True))
    pools.sim.set_fault("f2pool_v2", "*", Fault(unknown_statuses=True))
    rows = strict(await btccom_bytes(pools, "worker"))["data"]["data"]
    assert [row["status"] for row in rows] == [f"ZOMBIE{i}" for i in range(1, 13)]
    worker_id = rows[0]["worker_id"]
    detail = strict(await btccom_bytes(pools, f"worker/{worker_id}"))["data"]
    assert detail["worker_status"] == "ZOMBIE13"
    workers = strict(await v2_bytes(pools, "hash_rate/worker/list"))["workers"]
    assert [row["status"] for row in workers] == list(range(7, 19))
    again = strict(await v2_bytes(pools, "hash_rate/worker/list"))["workers"]
    assert [row["status"] for row in again] == list(range(19, 31))


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
