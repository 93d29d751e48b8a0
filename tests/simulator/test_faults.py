"""Faults: every kind on the wire, scoping by API and endpoint, and times."""

import asyncio
import json
import time

import aiohttp
import pytest

from simulator import Fault

from .conftest import ACCESS_KEY, PUID, TOKEN, Pools

AUTH = {"access_key": ACCESS_KEY, "puid": str(PUID)}


async def test_status_alone_answers_plain_text(pools: Pools) -> None:
    pools.sim.set_fault("btccom", "/account/info", Fault(status=500))
    status, content_type, text = await pools.btccom_raw("account/info")
    assert (status, content_type, text) == (500, "text/plain", "500: Internal Server Error")
    status, _, _ = await pools.btccom_raw("account/earn-stats")
    assert status == 200


async def test_status_with_body_content_type_and_headers(pools: Pools) -> None:
    fault = Fault(
        status=502,
        body="<html>Bad Gateway</html>",
        content_type="text/html",
        headers={"X-Cache": "MISS"},
    )
    pools.sim.set_fault("f2pool_v1", "account", fault)
    async with pools.session.get(f"{pools.sim.f2pool_url}/bitcoin/alice") as response:
        assert response.status == 502
        assert response.content_type == "text/html"
        assert response.headers["X-Cache"] == "MISS"
        assert await response.text() == "<html>Bad Gateway</html>"


async def test_body_bytes_with_http_200(pools: Pools) -> None:
    pools.sim.set_fault("f2pool_v2", "assets/balance", Fault(body=b'{"unexpected": true}'))
    assert await pools.v2("assets/balance") == {"unexpected": True}


async def test_a_success_status_keeps_the_body(pools: Pools) -> None:
    pools.sim.set_fault("btccom", "/account/info", Fault(status=203))
    status, _, text = await pools.btccom_raw("account/info")
    assert status == 203
    assert json.loads(text)["data"]["user_name"] == "spica"


async def test_content_type_on_a_normal_body(pools: Pools) -> None:
    pools.sim.set_fault("btccom", "*", Fault(content_type="text/html"))
    status, content_type, text = await pools.btccom_raw("worker/stats")
    assert (status, content_type) == (200, "text/html")
    assert json.loads(text)["err_no"] == 0


async def test_rate_limits(pools: Pools) -> None:
    for api in ("btccom", "f2pool_v1", "f2pool_v2"):
        pools.sim.set_fault(api, "*", Fault(rate_limit=True))
    async with pools.session.get(f"{pools.sim.btccom_url}/v1/worker", params=AUTH) as response:
        assert response.status == 429
        assert response.headers["Retry-After"] == "60"
    assert await pools.v1("/bitcoin/alice") == (503, "503: GateWay Timeout")
    assert (await pools.v2_raw("assets/balance", {}))[0] == 429
    pools.sim.set_fault("f2pool_v2", "*", Fault(rate_limit=True, headers={"Retry-After": "2"}))
    url = f"{pools.sim.f2pool_url}/v2/hash_rate/info"
    async with pools.session.post(url, json={}) as response:
        assert (response.status, response.headers["Retry-After"]) == (429, "2")


async def test_auth_failures(pools: Pools) -> None:
    for api in ("btccom", "f2pool_v1", "f2pool_v2"):
        pools.sim.set_fault(api, "*", Fault(auth_failure=True))
    body = await pools.btccom("account/info")
    assert body == {"err_no": 20001, "data": None, "err_msg": "permissions denied"}
    assert await pools.v1("/bitcoin/alice") == (401, "401: Unauthorized")
    answer = await pools.v2("assets/balance")
    assert answer["code"] == 5010


async def test_envelope_and_v2_error_codes(pools: Pools) -> None:
    pools.sim.set_fault("btccom", "/worker", Fault(err_no=2))
    assert await pools.btccom("worker") == {
        "err_no": 2,
        "data": None,
        "err_msg": "Operation failed",
    }
    pools.sim.set_fault("btccom", "/worker", Fault(err_no=777, msg="strange"))
    assert (await pools.btccom("worker"))["err_msg"] == "strange"
    pools.sim.set_fault("btccom", "/worker", Fault(err_no=778))
    assert (await pools.btccom("worker"))["err_msg"] == "error"
    pools.sim.set_fault("f2pool_v2", "hash_rate/info", Fault(code=5002, msg="busy: try later"))
    assert await pools.v2("hash_rate/info") == {"code": 5002, "msg": "busy: try later"}
    pools.sim.set_fault("f2pool_v2", "hash_rate/info", Fault(code=1))
    assert await pools.v2("hash_rate/info") == {"code": 1, "msg": "error: code 1"}


async def test_data_replacement(pools: Pools) -> None:
    pools.sim.set_fault("btccom", "/worker", Fault(data=[]))
    assert await pools.btccom("worker") == {"err_no": 0, "data": []}
    pools.sim.set_fault("btccom", "/worker", Fault(data=None))
    assert (await pools.btccom("worker"))["data"] is None
    pools.sim.set_fault("f2pool_v1", "account", Fault(data="maintenance"))
    assert await pools.v1_json("/bitcoin/alice") == "maintenance"
    pools.sim.set_fault("f2pool_v2", "assets/balance", Fault(data={"balance_info": None}))
    assert await pools.v2("assets/balance") == {"balance_info": None}


async def test_remove_fields_everywhere(pools: Pools) -> None:
    pools.sim.set_fault("btccom", "/worker", Fault(remove_fields=("shares_1m", "page")))
    data = (await pools.btccom("worker"))["data"]
    assert "page" not in data
    assert all("shares_1m" not in row and "shares_5m" in row for row in data["data"])
    pools.sim.set_fault("f2pool_v1", "account", Fault(remove_fields=("balance",)))
    assert "balance" not in await pools.v1_json("/bitcoin/alice")


async def test_type_drift(pools: Pools) -> None:
    pools.sim.set_fault("f2pool_v1", "account", Fault(type_drift=True))
    body = await pools.v1_json("/bitcoin/alice")
    assert isinstance(body["balance"], str)
    assert float(body["balance"]) > 0
    assert isinstance(body["hashrate"], str)
    assert body["workers"][0][7] is False
    assert isinstance(body["workers"][0][1], str)
    pools.sim.set_fault("btccom", "/account/earn-history", Fault(type_drift=True))
    rows = (await pools.btccom("account/earn-history"))["data"]["list"]
    assert rows[0]["earnings"] == "-"
    assert rows[0]["date"] == "20261101"
    assert rows[1]["earnings"].isdigit()
    pools.sim.set_fault("f2pool_v1", "account", Fault(type_drift=True, remove_fields=("paid",)))
    quirky = await pools.v1_json("/bitcoin/alice")
    assert "paid" not in quirky


async def test_empty_raw_zero_drifts_to_dash(pools: Pools) -> None:
    pools.sim.add_f2pool_account(currency="bitcoin", account="zero", workers=0)
    pools.sim.set_fault("f2pool_v1", "account", Fault(type_drift=True))
    body = await pools.v1_json("/bitcoin/zero")
    assert body["balance"] == "-"
    assert body["worker_length"] == "-"


async def test_malformed_json(pools: Pools) -> None:
    pools.sim.set_fault("btccom", "/account/info", Fault(malformed_json=True))
    _, _, text = await pools.btccom_raw("account/info")
    assert text.endswith(",}")
    with pytest.raises(json.JSONDecodeError):
        json.loads(text)
    pools.sim.set_fault("f2pool_v1", "account", Fault(malformed_json=True, data=[1, 2]))
    assert (await pools.v1("/bitcoin/alice"))[1] == "[1,2,]"
    pools.sim.set_fault("f2pool_v1", "account", Fault(malformed_json=True, data=5))
    assert (await pools.v1("/bitcoin/alice"))[1] == "5}"


async def test_truncated(pools: Pools) -> None:
    full = (await pools.v1("/bitcoin/alice"))[1]
    pools.sim.set_fault("f2pool_v1", "account", Fault(truncated=True))
    status, text = await pools.v1("/bitcoin/alice")
    assert status == 200
    assert text == full[: len(full.encode()) // 2]
    with pytest.raises(json.JSONDecodeError):
        json.loads(text)


async def test_size_pads_to_valid_json(pools: Pools) -> None:
    size = 20 * 1024 * 1024
    pools.sim.set_fault("f2pool_v2", "assets/balance", Fault(size=size))
    url = f"{pools.sim.f2pool_url}/v2/assets/balance"
    headers = {"F2P-API-SECRET": TOKEN}
    body = {"currency": "litecoin", "mining_user_name": "bob"}
    async with pools.session.post(url, json=body, headers=headers) as response:
        raw = await response.read()
    assert len(raw) == size
    assert "balance_info" in json.loads(raw)


async def test_delay(pools: Pools) -> None:
    pools.sim.set_fault("btccom", "/account/info", Fault(delay=0.3))
    started = time.monotonic()
    body = await pools.btccom("account/info")
    assert time.monotonic() - started >= 0.3
    assert body["err_no"] == 0


async def test_trickle(pools: Pools) -> None:
    pools.sim.set_fault("btccom", "/account/info", Fault(trickle=0.02))
    started = time.monotonic()
    body = await pools.btccom("account/info")
    elapsed = time.monotonic() - started
    assert body["data"]["user_name"] == "spica"
    assert elapsed >= 0.02 * 4


async def test_trickle_to_a_client_that_leaves(pools: Pools) -> None:
    pools.sim.set_fault("f2pool_v1", "account", Fault(trickle=0.05))
    timeout = aiohttp.ClientTimeout(total=0.12)
    with pytest.raises(TimeoutError):
        async with pools.session.get(
            f"{pools.sim.f2pool_url}/bitcoin/alice", timeout=timeout
        ) as response:
            await response.read()
    await asyncio.sleep(0.2)
    pools.sim.clear_faults()
    assert (await pools.v1("/bitcoin/alice"))[0] == 200


async def test_drop_connection(pools: Pools) -> None:
    pools.sim.set_fault("f2pool_v1", "account", Fault(drop_connection=True))
    statuses: list[int] = []

    async def fetch() -> bytes:
        async with pools.session.get(f"{pools.sim.f2pool_url}/bitcoin/alice") as response:
            statuses.append(response.status)
            return await response.read()

    with pytest.raises(aiohttp.ClientPayloadError):
        await fetch()
    assert statuses == [200]
    pools.sim.clear_faults()
    assert (await pools.v1("/bitcoin/alice"))[0] == 200


async def test_hang_until_the_client_gives_up(pools: Pools) -> None:
    pools.sim.set_fault("btccom", "*", Fault(hang=True, times=1))
    timeout = aiohttp.ClientTimeout(total=0.2)
    started = time.monotonic()
    with pytest.raises(TimeoutError):
        async with pools.session.get(
            f"{pools.sim.btccom_url}/v1/account/info", params=AUTH, timeout=timeout
        ):
            pass
    assert time.monotonic() - started < 1
    assert (await pools.btccom("account/info"))["err_no"] == 0
    assert pools.sim.request_counts["btccom:/account/info"] == 2


async def test_times_then_clears(pools: Pools) -> None:
    pools.sim.set_fault("f2pool_v1", "account", Fault(status=500, times=2))
    statuses = [(await pools.v1("/bitcoin/alice"))[0] for _ in range(3)]
    assert statuses == [500, 500, 200]


async def test_endpoint_fault_wins_over_wildcard(pools: Pools) -> None:
    pools.sim.set_fault("f2pool_v2", "*", Fault(status=500))
    pools.sim.set_fault("f2pool_v2", "hash_rate/info", Fault(code=42))
    assert (await pools.v2_raw("assets/balance", {}))[0] == 500
    assert (await pools.v2("hash_rate/info"))["code"] == 42
    assert (await pools.v1("/bitcoin/alice"))[0] == 200
    pools.sim.clear_faults()
    assert "balance_info" in await pools.v2("assets/balance")


async def test_unknown_api_is_refused(pools: Pools) -> None:
    with pytest.raises(ValueError, match="unknown api"):
        pools.sim.set_fault("f2pool", "*", Fault(status=500))


async def test_counters(pools: Pools) -> None:
    await pools.btccom("worker", page=2)
    await pools.v1("/bitcoin/alice/worker-1")
    await pools.v2("assets/balance")
    assert pools.sim.request_counts == {
        "btccom:/worker": 1,
        "f2pool_v1:worker_history": 1,
        "f2pool_v2:assets/balance": 1,
    }
    assert pools.sim.requested_paths == [
        f"/v1/worker?page=2&access_key={ACCESS_KEY}&puid={PUID}",
        "/bitcoin/alice/worker-1",
        "/v2/assets/balance",
    ]
    pools.sim.reset_counters()
    assert not pools.sim.request_counts
    assert pools.sim.requested_paths == []
