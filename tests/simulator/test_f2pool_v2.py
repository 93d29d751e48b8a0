"""The fake F2Pool API v2: every endpoint, its errors, and agreement with v1."""

import json
from datetime import timedelta
from decimal import Decimal

import pytest

from simulator import F2PoolAccount, Quirks

from .conftest import TOKEN, Pools

BOB: dict[str, object] = {"currency": "litecoin", "mining_user_name": "bob"}
INFO_KEYS = {
    "name",
    "hash_rate",
    "h1_hash_rate",
    "h24_hash_rate",
    "h1_stale_hash_rate",
    "h24_stale_hash_rate",
    "h24_delay_hash_rate",
    "local_hash_rate",
    "h24_local_hash_rate",
}


def bob(pools: Pools) -> F2PoolAccount:
    return pools.sim.world.f2pool["litecoin", "bob"]


async def test_balance_matches_v1_and_the_truth(pools: Pools) -> None:
    body = await pools.v2("assets/balance")
    assert "code" not in body
    info = body["balance_info"]
    account = bob(pools)
    assert info["balance"] == float(account.balance)
    assert info["paid"] == float(account.total_paid)
    assert info["total_income"] == float(account.total_income)
    assert info["yesterday_income"] == float(account.earnings_yesterday)
    assert info["estimated_today_income"] == float(account.earnings_today)
    legacy = await pools.v1_json("/litecoin/bob", token=TOKEN)
    assert legacy["balance"] == info["balance"]
    assert legacy["paid"] == info["paid"]
    assert legacy["value"] == info["total_income"]
    assert pools.sim.request_counts["f2pool_v2:assets/balance"] == 1


async def test_account_names(pools: Pools) -> None:
    by_user_name = await pools.v2("assets/balance", {"currency": "litecoin", "user_name": "bob"})
    assert by_user_name == await pools.v2("assets/balance")
    wallet = "LWalletAddressOfBob"
    pools.sim.add_f2pool_account(currency="ravenp", account=wallet, workers=2, token=TOKEN)
    by_address = await pools.v2("assets/balance", {"currency": "ravenp", "address": wallet})
    assert set(by_address["balance_info"]) == {
        "balance",
        "paid",
        "total_income",
        "yesterday_income",
        "estimated_today_income",
    }


@pytest.mark.parametrize(
    "endpoint",
    ["hash_rate/info", "hash_rate/worker/list", "hash_rate/history", "hash_rate/worker/history"],
)
async def test_hashrate_module_serves_three_currencies(pools: Pools, endpoint: str) -> None:
    pools.sim.add_f2pool_account(currency="kaspa", account="carol", workers=2, token=TOKEN)
    body = {"currency": "kaspa", "mining_user_name": "carol", "worker_name": "worker-1"}
    refused = await pools.v2(endpoint, body)
    assert refused == {
        "code": 5001,
        "msg": "params error: currency 'kaspa' is not supported by the hashrate module",
    }
    listed = await pools.v2("hash_rate/info_list", {"reqs": [body]})
    assert listed["code"] == 5001
    # The assets module serves it.
    balance = await pools.v2("assets/balance", body)
    assert set(balance["balance_info"]) >= {"balance", "paid", "total_income"}


async def test_hash_rate_info(pools: Pools) -> None:
    body = await pools.v2("hash_rate/info")
    assert body["currency"] == "litecoin"
    info = body["info"]
    assert set(info) == INFO_KEYS
    assert info["name"] == "bob"
    account = bob(pools)
    assert info["hash_rate"] == pytest.approx(account.hashrate_hs())
    assert info["h1_hash_rate"] == pytest.approx(account.average_hs(3600))
    assert info["h24_hash_rate"] == pytest.approx(account.average_hs(86400))
    assert 0 < info["h24_stale_hash_rate"] < info["h24_hash_rate"] / 50
    assert 0 < info["h24_delay_hash_rate"] < info["h24_hash_rate"] / 100
    assert info["local_hash_rate"] == pytest.approx(info["hash_rate"], rel=0.04)
    legacy = await pools.v1_json("/litecoin/bob", token=TOKEN)
    assert info["h24_hash_rate"] * 86400 == pytest.approx(legacy["hashes_last_day"], rel=1e-9)
    assert info["h1_stale_hash_rate"] * 3600 == pytest.approx(
        legacy["stale_hashes_rejected_last_hour"], rel=1e-9
    )


async def test_hash_rate_info_list(pools: Pools) -> None:
    pools.sim.add_f2pool_account(currency="bitcoin", account="bob2", workers=3, token=TOKEN)
    body = await pools.v2(
        "hash_rate/info_list",
        {"reqs": [BOB, {"currency": "bitcoin", "mining_user_name": "bob2"}]},
    )
    assert [info["name"] for info in body["info"]] == ["bob", "bob2"]
    single = (await pools.v2("hash_rate/info"))["info"]
    assert body["info"][0] == single
    too_many = await pools.v2("hash_rate/info_list", {"reqs": [BOB] * 101})
    assert too_many["code"] == 5001
    assert too_many["msg"].startswith("params error: ")
    for reqs in ([], "x", ["x"]):
        assert (await pools.v2("hash_rate/info_list", {"reqs": reqs}))["code"] == 5001
    alien = await pools.v2(
        "hash_rate/info_list", {"reqs": [{"currency": "bitcoin", "mining_user_name": "alice"}]}
    )
    assert alien["code"] == 5010


async def test_worker_list(pools: Pools) -> None:
    account = bob(pools)
    pools.sim.set_worker_online(account, "worker-7", online=False)
    pools.sim.advance(timedelta(minutes=30))
    now = pools.sim.clock.now()
    workers = (await pools.v2("hash_rate/worker/list"))["workers"]
    assert len(workers) == 12
    rows = {row["hash_rate_info"]["name"]: row for row in workers}
    for name, worker in account.workers.items():
        row = rows[name]
        assert set(row) == {"hash_rate_info", "last_share_at", "status", "host"}
        assert row["status"] == worker.f2pool_status(now)
        share = worker.last_share(now)
        assert share is not None
        assert row["last_share_at"] == int(share.timestamp())
        assert row["hash_rate_info"]["hash_rate"] == pytest.approx(worker.hashrate_hs(now))
        assert row["host"].startswith("10.")
    assert rows["worker-7"]["status"] == 1
    assert rows["worker-7"]["hash_rate_info"]["hash_rate"] == 0


async def test_history(pools: Pools) -> None:
    account = bob(pools)
    body = await pools.v2("hash_rate/history", {**BOB, "interval": 3600, "duration": 86400})
    points = body["history"]
    assert len(points) == 24
    assert set(points[0]) == {
        "timestamp",
        "hash_rate",
        "stale_hash_rate",
        "delay_hash_rate",
        "local_hash_rate",
        "normal_reward",
        "delay_reward",
        "online_miners",
    }
    stamps = [point["timestamp"] for point in points]
    assert stamps[-1] == 1793530800
    assert stamps == list(range(stamps[0], stamps[-1] + 1, 3600))
    series = account.series(stamps[0], stamps[-1] + 3600)
    assert points[0]["hash_rate"] == pytest.approx(sum(series.hashes[:6]) / 3600)
    assert points[0]["online_miners"] == series.online[0]
    assert all(0 < point["online_miners"] <= 12 for point in points)
    assert sum(point["normal_reward"] for point in points) == pytest.approx(
        float(account.earnings_last_24h), rel=0.01
    )
    default = (await pools.v2("hash_rate/history"))["history"]
    assert len(default) == 144
    month = await pools.v2("hash_rate/history", {**BOB, "interval": 86400, "duration": 2592000})
    assert len(month["history"]) == 30


@pytest.mark.parametrize(
    "window",
    [
        {"interval": 300},
        {"interval": 0},
        {"interval": "600"},
        {"interval": True},
        {"duration": 31 * 86400},
        {"interval": 3600, "duration": 600},
    ],
)
async def test_history_bad_windows(pools: Pools, window: dict[str, object]) -> None:
    body = await pools.v2("hash_rate/history", {**BOB, **window})
    assert body["code"] == 5001


async def test_worker_history(pools: Pools) -> None:
    account = bob(pools)
    body = await pools.v2("hash_rate/worker/history", {**BOB, "worker_name": "worker-3"})
    points = body["history"]
    assert len(points) == 144
    worker = account.workers["worker-3"]
    assert points[-1]["hash_rate"] == pytest.approx(
        account.series(points[-1]["timestamp"], points[-1]["timestamp"] + 600, [worker]).total / 600
    )
    assert {point["online_miners"] for point in points} <= {0, 1}
    too_long = {**BOB, "worker_name": "worker-3", "duration": 4 * 86400}
    assert (await pools.v2("hash_rate/worker/history", too_long))["code"] == 5001
    for name in ("worker-99", "", None):
        missing = await pools.v2("hash_rate/worker/history", {**BOB, "worker_name": name})
        assert missing["code"] == 5001


async def test_transactions(pools: Pools) -> None:
    account = bob(pools)
    body = await pools.v2("assets/transactions/list", {**BOB, "type": "all"})
    entries = body["transactions"]
    created = [entry["created_at"] for entry in entries]
    assert created == sorted(created, reverse=True)
    payouts = [entry for entry in entries if entry["type"] == "payout"]
    revenues = [entry for entry in entries if entry["type"] == "revenue"]
    in_window = [p for p in account.payouts if p.time.timestamp() >= created[-1]]
    assert len(payouts) == len(in_window) > 0
    newest = payouts[0]
    truth = account.payouts[-1]
    assert newest["payout_extra"] == {
        "value": float(truth.amount),
        "address": truth.address,
        "tx_id": truth.txid,
        "paid_time": int(truth.at),
        "wallet_type": "default",
        "tip": 0.0,
    }
    assert newest["changed_balance"] == -float(truth.amount)
    assert newest["mining_extra"] is None
    assert revenues[0]["changed_balance"] == float(account.credits[-1].amount)
    assert revenues[0]["payout_extra"] is None
    assert revenues[0]["mining_extra"]["settle_date"] == revenues[0]["created_at"]
    for revenue in revenues:
        extra = revenue["mining_extra"]
        assert 0 < extra["tx_fee"] < extra["pps"]
        assert extra["pps"] + extra["tx_fee"] == pytest.approx(revenue["changed_balance"])
    only = await pools.v2("assets/transactions/list", {**BOB, "type": "payout"})
    assert only["transactions"] == payouts
    earned = await pools.v2("assets/transactions/list", {**BOB, "type": "revenue"})
    assert earned["transactions"] == revenues
    recent = {**BOB, "type": "payout", "start_time": payouts[0]["created_at"]}
    assert (await pools.v2("assets/transactions/list", recent))["transactions"] == payouts[:1]
    start = revenues[1]["created_at"]
    window = {**BOB, "type": "all", "start_time": start, "end_time": start + 86399}
    inside = (await pools.v2("assets/transactions/list", window))["transactions"]
    assert revenues[1] in inside
    assert revenues[0] not in inside
    assert all(start <= entry["created_at"] < start + 86400 for entry in inside)
    bad: list[dict[str, object]] = [
        {"type": "gift"},
        {"start_time": 10, "end_time": 5},
        {"start_time": "x"},
    ]
    for extra in bad:
        assert (await pools.v2("assets/transactions/list", {**BOB, **extra}))["code"] == 5001


async def test_null_txid(pools: Pools) -> None:
    pools.sim.add_f2pool_account(
        currency="litecoin", account="nul", workers=12, token=TOKEN, quirks=Quirks(null_txid=True)
    )
    body = {"currency": "litecoin", "mining_user_name": "nul", "type": "payout"}
    payouts = (await pools.v2("assets/transactions/list", body))["transactions"]
    assert payouts[0]["payout_extra"]["tx_id"] is None
    assert all(entry["payout_extra"]["tx_id"] for entry in payouts[1:])


@pytest.mark.parametrize(
    ("body", "token", "code"),
    [
        (BOB, None, 5010),
        (BOB, "wrong", 5010),
        ({"currency": "bitcoin", "mining_user_name": "alice"}, TOKEN, 5010),
        ({"currency": "litecoin", "mining_user_name": "nobody"}, TOKEN, 5001),
        ({"currency": "dogecoin", "mining_user_name": "bob"}, TOKEN, 5001),
        ({"mining_user_name": "bob"}, TOKEN, 5001),
        ({"currency": "litecoin"}, TOKEN, 5001),
        ({"currency": "litecoin", "mining_user_name": 7}, TOKEN, 5001),
        ("not json", TOKEN, 5001),
        ("[1, 2]", TOKEN, 5001),
    ],
)
async def test_errors(pools: Pools, body: object, token: str | None, code: int) -> None:
    status, text = await pools.v2_raw("assets/balance", body, token)
    assert status == 200
    answer = json.loads(text)
    assert answer["code"] == code
    prefix = "permission denied: " if code == 5010 else "params error: "
    assert answer["msg"].startswith(prefix)
    assert set(answer) == {"code", "msg"}


async def test_token_of_another_account(pools: Pools) -> None:
    pools.sim.add_f2pool_account(currency="litecoin", account="eve", workers=1, token="eve-token")
    status, text = await pools.v2_raw("assets/balance", BOB, "eve-token")
    assert (status, json.loads(text)["code"]) == (200, 5010)


async def test_unknown_paths_and_methods(pools: Pools) -> None:
    status, text = await pools.v2_raw("assets/nothing", BOB)
    assert (status, text) == (404, "404 page not found")
    assert (await pools.v2_raw("assets%2Fbalance", BOB))[0] == 404
    assert (await pools.get(f"{pools.sim.f2pool_url}/v2/assets/balance"))[0] == 405
    assert pools.sim.request_counts["f2pool_v2:unknown"] == 2


async def test_exact_amounts(pools: Pools) -> None:
    body = json.loads((await pools.v1("/litecoin/bob", token=TOKEN))[1], parse_float=Decimal)
    assert body["balance"] == bob(pools).balance
