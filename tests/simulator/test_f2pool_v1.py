"""The fake F2Pool legacy API: account JSON, multi_account, worker history, errors, quirks."""

import json
import math
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from simulator import F2PoolAccount, ManualClock, Quirks, Simulator

from .conftest import TOKEN, Pools

SEED_KEYS = [
    "balance",
    "hashes_last_day",
    "value",
    "stale_hashes_rejected_last_day",
    "workers",
    "value_workers",
    "value_last_day",
    "hashrate_history",
    "stale_hashes_rejected_last_hour",
    "paid",
    "hashes_last_hour",
    "worker_length_online",
    "payout_history",
    "worker_length",
    "hashrate",
]
# The keys real answers carry after the seed's (../shared/docs/pool-apis.md), in their order.
REAL_KEYS = [
    "fixed_balance",
    "fixed_value",
    "hashrate_history_local",
    "last",
    "local_hash",
    "ori_hashes_last_day",
    "ori_hashrate",
    "ori_value_last_day",
    "payout_history_fee",
    "value_change",
    "value_today",
]
CURRENCIES = [
    "bitcoin",
    "bitcoin-cash",
    "litecoin",
    "ethereum-classic",
    "ethereumpow",
    "zec",
    "zen",
    "dash",
    "handshake",
    "kadena",
    "nervos",
    "raven",
    "conflux",
    "aleo-test3",
    "etc-zil",
    "kaspa",
    "ironfish",
    "bells",
    "microvisionchain",
    "zephyr",
    "nexa",
]
BY_ADDRESS = ["siacoin-new", "ravenp", "zilliqa-etc-zil", "zilliqa-etc", "dynex"]


def exact(text: str) -> dict[str, object]:
    """Parse JSON keeping decimals exact."""
    parsed: dict[str, object] = json.loads(text, parse_float=Decimal)
    return parsed


def alice(pools: Pools) -> F2PoolAccount:
    return pools.sim.world.f2pool["bitcoin", "alice"]


def quirky(pools: Pools, name: str, **quirks: object) -> F2PoolAccount:
    return pools.sim.add_f2pool_account(
        currency="bitcoin",
        account=name,
        workers=4,
        quirks=Quirks(**quirks),  # type: ignore[arg-type]
    )


async def test_account_json_has_the_seed_shape_and_the_real_keys(pools: Pools) -> None:
    status, text = await pools.v1("/bitcoin/alice")
    assert status == 200
    body = exact(text)
    assert list(body) == SEED_KEYS + REAL_KEYS
    account = alice(pools)
    now = pools.sim.clock.now()
    assert body["balance"] == account.balance
    assert body["paid"] == account.total_paid
    assert body["value"] == account.total_income
    assert body["value_last_day"] == account.earnings_last_24h
    assert account.balance == account.total_income - account.total_paid
    assert body["worker_length"] == 12
    assert body["worker_length_online"] == sum(w.online(now) for w in account.workers.values())
    assert body["hashrate"] == math.floor(account.hashrate_hs() + 0.5)
    assert pools.sim.request_counts["f2pool_v1:account"] == 1


async def test_worker_arrays(pools: Pools) -> None:
    body = await pools.v1_json("/bitcoin/alice")
    account = alice(pools)
    now = pools.sim.clock.now()
    workers = {row[0]: row for row in body["workers"]}
    assert list(workers) == list(account.workers)
    row = workers["worker-4"]
    worker = account.workers["worker-4"]
    assert len(row) == 8
    assert row[1] == math.floor(worker.hashrate_hs(now) + 0.5)
    assert row[2] == int(worker.average_hs(now, 3600) * 3600)
    assert row[4] == int(worker.average_hs(now, 86400) * 86400)
    assert row[4] > 2**53
    assert row[3] == int(row[2] * worker.stale_ratio)
    assert row[5] == int(row[4] * worker.stale_ratio)
    share = worker.last_share(now)
    assert share is not None
    assert row[6] == share.strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    assert row[7] is False
    assert body["hashes_last_day"] == sum(row[4] for row in body["workers"])
    assert body["hashes_last_hour"] == sum(row[2] for row in body["workers"])
    assert body["stale_hashes_rejected_last_day"] == sum(row[5] for row in body["workers"])
    assert body["stale_hashes_rejected_last_hour"] == sum(row[3] for row in body["workers"])


async def test_histories_and_payouts(pools: Pools) -> None:
    body = exact((await pools.v1("/bitcoin/alice"))[1])
    account = alice(pools)
    history = body["hashrate_history"]
    assert isinstance(history, dict)
    stamps = list(history)
    assert len(stamps) == 144
    assert stamps[0] == "2026-10-31T12:00:00Z"
    assert stamps[-1] == "2026-11-01T11:50:00Z"
    assert all(isinstance(value, int) and value > 0 for value in history.values())
    payouts = body["payout_history"]
    assert isinstance(payouts, list)
    assert len(payouts) == len(account.payouts) > 0
    newest = account.payouts[-1]
    assert payouts[0] == [newest.time.strftime("%Y-%m-%dT%H:%M:%SZ"), newest.txid, newest.amount]
    assert len(str(payouts[0][2]).split(".")[1]) == 24
    values = body["value_workers"]
    assert isinstance(values, dict)
    assert set(values) == set(account.workers)
    assert all(len(str(value).split(".")[1]) == 18 for value in values.values())
    assert float(sum(values.values())) == pytest.approx(float(account.total_income), rel=1e-6)


async def test_worker_history(pools: Pools) -> None:
    account = alice(pools)
    body = await pools.v1_json("/bitcoin/alice/worker-2")
    assert list(body) == ["hashrate_history"]
    history = body["hashrate_history"]
    assert len(history) == 144
    series = account.series(
        datetime.fromisoformat("2026-10-31T12:00:00Z").timestamp(),
        pools.sim.clock.now().timestamp(),
        [account.workers["worker-2"]],
    )
    assert list(history.values()) == [math.floor(h / 600 + 0.5) for h in series.hashes[:144]]
    assert pools.sim.request_counts["f2pool_v1:worker_history"] == 1
    assert (await pools.v1("/bitcoin/alice/worker-99")) == (404, "404: Not Found")


async def test_multi_account(pools: Pools) -> None:
    pools.sim.add_f2pool_account(currency="bitcoin", account="carol", workers=2)
    pools.sim.add_f2pool_account(currency="bitcoin", account="dave", workers=2, token="other")
    body = await pools.v1_json(
        "/bitcoin/alice?multi_account=alice&multi_account=carol&multi_account=dave"
        "&multi_account=nobody"
    )
    assert list(body) == ["alice", "carol"]
    assert list(body["carol"]) == SEED_KEYS + REAL_KEYS
    assert body["carol"]["worker_length"] == 2
    single = await pools.v1_json("/bitcoin/alice")
    assert body["alice"] == single
    assert (await pools.v1("/bitcoin/nobody?multi_account=alice"))[0] == 404


@pytest.mark.parametrize("currency", CURRENCIES + BY_ADDRESS)
async def test_every_currency(pools: Pools, currency: str) -> None:
    name = "user" if currency in CURRENCIES else "1AddressOfTheMiner"
    account = pools.sim.add_f2pool_account(currency=currency, account=name, workers=2)
    body = await pools.v1_json(f"/{currency}/{name}")
    assert body["worker_length"] == 2
    if currency in BY_ADDRESS:
        assert account.address == name
    assert (await pools.v1(f"/{currency}/someone-else"))[0] == 404


@pytest.mark.parametrize(
    "path",
    ["/dogecoin/alice", "/bitcoin/bob", "/litecoin/alice", "/bitcoin", "/", "/bitcoin/alice/a/b"],
)
async def test_not_found(pools: Pools, path: str) -> None:
    status, text = await pools.v1(path)
    assert (status, text) == (404, "404: Not Found")


async def test_only_get(pools: Pools) -> None:
    async with pools.session.post(f"{pools.sim.f2pool_url}/bitcoin/alice") as response:
        assert response.status == 405


async def test_token_on_v1(pools: Pools) -> None:
    assert await pools.v1("/litecoin/bob") == (401, "401: Unauthorized")
    assert await pools.v1("/litecoin/bob", token="wrong") == (401, "401: Unauthorized")
    assert (await pools.v1_json("/litecoin/bob", token=TOKEN))["worker_length"] == 12
    assert (await pools.v1("/bitcoin/alice", token="anything"))[0] == 200
    assert (await pools.v1("/litecoin/bob/worker-1", token=TOKEN))[0] == 200


async def test_hostile_names(pools: Pools) -> None:
    account = alice(pools)
    for name in ("a/b", "..", "rig 1", "矿机-ü", "%41", "?x=1"):
        pools.sim.add_worker(account, name)
    pools.sim.add_f2pool_account(currency="bitcoin", account="x/y", workers=1)
    pools.sim.reset_counters()
    paths = [
        "/bitcoin/alice/a%2Fb",
        "/bitcoin/alice/%2E%2E",
        "/bitcoin/alice/rig%201",
        "/bitcoin/alice/%E7%9F%BF%E6%9C%BA-%C3%BC",
        "/bitcoin/alice/%2541",
        "/bitcoin/alice/%3Fx=1",
        "/bitcoin/x%2Fy",
    ]
    for path in paths:
        status, _ = await pools.v1(path)
        assert status == 200, path
    assert (await pools.v1("/bitcoin/alice/a/b"))[0] == 404
    assert (await pools.v1("/bitcoin/x/y"))[0] == 404
    assert (await pools.v1("/bitcoin/alice/A"))[0] == 404
    assert pools.sim.requested_paths == [
        *paths,
        "/bitcoin/alice/a/b",
        "/bitcoin/x/y",
        "/bitcoin/alice/A",
    ]
    assert pools.sim.request_counts["f2pool_v1:worker_history"] == 8
    assert pools.sim.request_counts["f2pool_v1:unknown"] == 1
    body = await pools.v1_json("/bitcoin/alice")
    assert {"a/b", "..", "rig 1", "矿机-ü"} <= {row[0] for row in body["workers"]}


async def test_worker_array_lengths(pools: Pools) -> None:
    quirky(pools, "nine", worker_array_length=9)
    quirky(pools, "eleven", worker_array_length=11)
    now = pools.sim.clock.now()
    nine = (await pools.v1_json("/bitcoin/nine"))["workers"][0]
    worker = pools.sim.world.f2pool["bitcoin", "nine"].workers[nine[0]]
    assert len(nine) == 9
    assert nine[8] == math.floor(worker.average_hs(now, 60) + 0.5)
    eleven = (await pools.v1_json("/bitcoin/eleven"))["workers"][0]
    assert len(eleven) == 11
    assert eleven[8:] == [0, 0, 0]


async def test_milliseconds_and_never_shared(pools: Pools) -> None:
    account = quirky(pools, "milli", iso_fraction="milli", never_shared_worker="empty")
    quirky(pools, "nulls", never_shared_worker="null")
    now = pools.sim.clock.now()
    body = await pools.v1_json("/bitcoin/milli")
    rows = {row[0]: row for row in body["workers"]}
    share = account.workers["worker-1"].last_share(now)
    assert share is not None
    assert share.microsecond == 0
    assert rows["worker-1"][6] == share.strftime("%Y-%m-%dT%H:%M:%S") + ".000Z"
    assert rows["idle-rig"][6] == ""
    assert rows["idle-rig"][1] == 0
    assert body["worker_length"] == 5
    assert account.workers["idle-rig"].last_share(now) is None
    nulls = {row[0]: row for row in (await pools.v1_json("/bitcoin/nulls"))["workers"]}
    assert nulls["idle-rig"][6] is None


async def test_huge_integers(pools: Pools) -> None:
    quirky(pools, "huge", huge_integers=True)
    body = await pools.v1_json("/bitcoin/huge")
    row = body["workers"][0]
    assert isinstance(row[1], float)
    assert row[1] != int(row[1])
    assert row[4] > 2**53
    assert int(float(row[4])) != row[4]
    assert body["hashes_last_day"] > 2**53
    assert isinstance(body["hashrate"], float)
    assert all(isinstance(value, float) for value in body["hashrate_history"].values())
    history = await pools.v1_json(f"/bitcoin/huge/{row[0]}")
    assert all(isinstance(value, float) for value in history["hashrate_history"].values())


async def test_null_txid_and_real_keys(pools: Pools) -> None:
    account = quirky(pools, "extra", null_txid=True)
    body = exact((await pools.v1("/bitcoin/extra"))[1])
    payouts = body["payout_history"]
    assert isinstance(payouts, list)
    assert payouts[0][1] is None
    assert payouts[0][2] == account.payouts[-1].amount
    assert all(item[1] for item in payouts[1:])
    assert body["last"] == {}
    assert body["fixed_balance"] == body["balance"]
    assert body["ori_hashes_last_day"] == body["hashes_last_day"]
    assert body["value_today"] == account.earnings_today


async def test_empty_account(pools: Pools) -> None:
    quirky(pools, "empty", empty_account=True)
    body = await pools.v1_json("/bitcoin/empty")
    assert body["workers"] == []
    assert body["worker_length"] == body["worker_length_online"] == 0
    assert body["payout_history"] == []
    assert body["value_workers"] == {}
    assert len(body["hashrate_history"]) == 144
    assert set(body["hashrate_history"].values()) == {0}
    assert (body["balance"], body["paid"], body["value"], body["hashrate"]) == (0, 0, 0, 0)


async def test_seed_example_account(pools: Pools) -> None:
    pools.sim.add_f2pool_account(currency="bitcoin", account="user", workers=1)
    body = await pools.v1_json("/bitcoin/user")
    assert body["worker_length"] == 1
    pools.sim.advance(timedelta(days=1))
    assert (await pools.v1_json("/bitcoin/user"))["hashrate"] > 0


async def test_shared_name_is_btccom_only(pools: Pools, clock: ManualClock) -> None:
    quirked = pools.sim.add_f2pool_account(
        currency="bitcoin", account="dup", workers=4, token=TOKEN, quirks=Quirks(shared_name=True)
    )
    assert list(quirked.workers) == ["worker-1", "worker-2", "worker-3", "worker-4"]
    plain = Simulator(seed=1, clock=clock)
    plain.add_f2pool_account(currency="bitcoin", account="dup", workers=4, token=TOKEN)
    body = {"currency": "bitcoin", "mining_user_name": "dup"}
    headers = {"F2P-API-SECRET": TOKEN}
    async with plain.running():
        answers = []
        for sim in (pools.sim, plain):
            bodies = []
            for path in ("/bitcoin/dup", "/bitcoin/dup/worker-1"):
                async with pools.session.get(f"{sim.f2pool_url}{path}", headers=headers) as got:
                    bodies.append(await got.read())
            for endpoint in ("hash_rate/worker/list", "hash_rate/info"):
                url = f"{sim.f2pool_url}/v2/{endpoint}"
                async with pools.session.post(url, json=body, headers=headers) as got:
                    bodies.append(await got.read())
            answers.append(bodies)
    assert answers[0] == answers[1]
    assert [row[0] for row in json.loads(answers[0][0])["workers"]] == [
        "worker-1",
        "worker-2",
        "worker-3",
        "worker-4",
    ]
    listed = json.loads(answers[0][2])["workers"]
    assert [row["hash_rate_info"]["name"] for row in listed] == [
        "worker-1",
        "worker-2",
        "worker-3",
        "worker-4",
    ]


async def test_seed_keys_only(pools: Pools) -> None:
    quirky(pools, "bare", seed_keys_only=True)
    body = await pools.v1_json("/bitcoin/bare")
    assert list(body) == SEED_KEYS


async def test_value_today_accrues_into_the_days_credit(pools: Pools) -> None:
    account = alice(pools)
    clock = pools.sim.clock
    noon = exact((await pools.v1("/bitcoin/alice"))[1])
    day = clock.now().date()
    midnight = datetime(day.year, day.month, day.day, tzinfo=UTC) + timedelta(days=1)
    pools.sim.advance(midnight - timedelta(seconds=1) - clock.now())
    late = exact((await pools.v1("/bitcoin/alice"))[1])
    pools.sim.advance(timedelta(seconds=2))
    after = exact((await pools.v1("/bitcoin/alice"))[1])
    credit = account.credits[-1]
    assert credit.day == day
    assert isinstance(noon["value_today"], Decimal)
    assert isinstance(late["value_today"], Decimal)
    assert isinstance(after["value_today"], Decimal)
    assert 0 < noon["value_today"] < late["value_today"] <= credit.amount
    # What the last second of the day earned, at most (the day's average, with margin).
    assert credit.amount - late["value_today"] < credit.amount * 2 / 86400
    assert 0 <= after["value_today"] < credit.amount * 2 / 86400
    assert after["value"] == late["value"] + credit.amount
    assert after["value_change"] == after["value_today"] - credit.amount
    assert late["fixed_value"] == late["value"]
    assert late["ori_value_last_day"] == late["value_last_day"]


async def test_last_day_values_agree(pools: Pools) -> None:
    account = alice(pools)
    body = exact((await pools.v1("/bitcoin/alice"))[1])
    hashes = body["hashes_last_day"]
    stale = body["stale_hashes_rejected_last_day"]
    assert isinstance(hashes, int)
    assert isinstance(stale, int)
    assert 0 < stale < hashes * 0.01
    one_unit = Decimal(1).scaleb(-account.decimals)
    assert abs(body["value_last_day"] - account.coins(account.units_for(hashes))) <= one_unit
    assert body["ori_hashes_last_day"] == hashes
    assert body["hashes_last_hour"] < hashes
