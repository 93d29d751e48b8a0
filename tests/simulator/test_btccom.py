"""The fake BTC.com pool API v1: every endpoint, every error, every BTC.com quirk."""

import json
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from simulator import BtcComAccount, ManualClock, Quirks, Simulator, Worker

from .conftest import ACCESS_KEY, PUID, Pools

STATUSES = ("ACTIVE", "INACTIVE", "DEAD")
EARN_STATS_SEED_KEYS = (
    "total_paid",
    "pending_payouts",
    "last_payment_time",
    "earnings_today",
    "earnings_yesterday",
    "unpaid",
)
UNITS = {"": 1, "K": 1e3, "M": 1e6, "G": 1e9, "T": 1e12, "P": 1e15, "E": 1e18}


def btc(sim: Simulator) -> BtcComAccount:
    return sim.world.btccom[PUID]


def quirky(pools: Pools, puid: int, **quirks: object) -> BtcComAccount:
    return pools.sim.add_btccom_account(
        access_key=f"ak-{puid}",
        puid=puid,
        workers=6,
        quirks=Quirks(**quirks),  # type: ignore[arg-type]
    )


async def test_account_info(pools: Pools) -> None:
    body = await pools.btccom("account/info")
    account = btc(pools.sim)
    assert body["err_no"] == 0
    assert "err_msg" not in body
    data = body["data"]
    assert data["user_name"] == "spica"
    assert data["user_id"] == account.user_id
    assert data["address"] == account.address
    assert data["address"].startswith("3")
    assert data["contact"]["phone"] == {"country": "86", "number": "133****3333"}
    assert data["alert"]["alert_interval"] == 6
    assert pools.sim.request_counts["btccom:/account/info"] == 1


async def test_earn_stats_match_the_truth(pools: Pools) -> None:
    data = (await pools.btccom("account/earn-stats"))["data"]
    account = btc(pools.sim)
    assert all(isinstance(data[key], str) for key in EARN_STATS_SEED_KEYS)
    assert Decimal(data["total_paid"]) / 10**8 == account.total_paid
    assert Decimal(data["earnings_yesterday"]) / 10**8 == account.earnings_yesterday
    assert Decimal(data["earnings_today"]) / 10**8 == account.earnings_today
    assert int(data["earnings_today"]) > 0
    assert Decimal(data["pending_payouts"]) / 10**8 == account.pending_payout
    unpaid = Decimal(data["unpaid"]) / 10**8
    assert unpaid == account.balance - account.pending_payout
    last = account.last_payment_time
    assert last is not None
    assert data["last_payment_time"] == str(int(last.timestamp()))
    assert account.total_paid == sum(payout.amount for payout in account.payouts) > 0


async def test_earn_stats_before_any_payment(pools: Pools) -> None:
    quirky(pools, 2001, empty_account=True, seed_keys_only=True)
    data = (await pools.btccom("account/earn-stats", access_key="ak-2001", puid=2001))["data"]
    assert data == {
        "total_paid": "0",
        "pending_payouts": "0",
        "last_payment_time": "0",
        "earnings_today": "0",
        "earnings_yesterday": "0",
        "unpaid": "0",
    }


async def test_earn_stats_numbers_and_newer_keys(pools: Pools) -> None:
    quirky(pools, 2002, numbers_as_strings=False)
    data = (await pools.btccom("account/earn-stats", access_key="ak-2002", puid=2002))["data"]
    assert isinstance(data["total_paid"], int)
    assert isinstance(data["last_payment_time"], int)
    assert data["relative_pps_rate"] == "0.0452"
    assert int(data["amount_100t"]) > 0
    assert data["hashrate_yesterday"]["unit"] == "T"
    assert data["hashrate_yesterday"]["size"] > 0
    assert set(data["shares_1d"]) == {"size", "unit"}


async def test_earn_history_pages_newest_first(pools: Pools) -> None:
    account = btc(pools.sim)
    data = (await pools.btccom("account/earn-history", page=1, page_size=5))["data"]
    closed = account.credits
    assert data["page"] == "1"
    assert data["page_size"] == "5"
    assert data["total_count"] == len(closed) + 1 == 31
    assert data["page_count"] == 7
    rows = data["list"]
    assert [row["date"] for row in rows] == [20261101, 20261031, 20261030, 20261029, 20261028]
    assert rows[0]["earnings"] == 0
    assert rows[1]["earnings"] == closed[-1].units
    paid = {payout.day.strftime("%Y%m%d"): payout for payout in account.payouts}
    for row in rows[1:]:
        payout = paid.get(str(row["date"]))
        if payout is None:
            assert (row["payment_time"], row["payment_tx"], row["paid_amount"]) == ("0", "", 0)
        else:
            assert row["payment_tx"] == payout.txid
            assert row["paid_amount"] == payout.units
            assert row["payment_time"] == payout.time.strftime("%Y-%m-%d %H:%M:%S")
            assert row["address"] == account.address
        assert row["payment_mode"] == "PPS"
        assert row["diff"] == account.spec.difficulty
        assert row["earnings_rate"] > 0
    last = (await pools.btccom("account/earn-history", page=7, page_size=5))["data"]["list"]
    assert len(last) == 1
    assert last[0]["earnings"] == closed[0].units


@pytest.mark.parametrize("query", [{"page": 0}, {"page": "x"}, {"page_size": 51}, {"page_size": 0}])
async def test_earn_history_bad_pages(pools: Pools, query: dict[str, object]) -> None:
    body = await pools.btccom("account/earn-history", **query)
    assert body == {"err_no": 1, "data": None, "err_msg": "parameter error"}


async def test_realtime_hashrate_sums_the_workers(pools: Pools) -> None:
    data = (await pools.btccom("realtime/hashrate"))["data"]
    account = btc(pools.sim)
    view = account.view()
    assert data["shares_15m_unit"] == data["shares_1d_unit"] == "P"
    assert float(data["shares_15m"]) * 1e15 == pytest.approx(view.average(900), rel=0.01)
    assert float(data["shares_1d"]) * 1e15 == pytest.approx(view.average(86400), rel=0.01)
    assert len(data["shares_15m"].split(".")[1]) == 2
    total = sum(
        worker.average_hs(pools.sim.clock.now(), 900) for worker in account.workers.values()
    )
    assert total == pytest.approx(view.average(900))


async def test_worker_stats_agree_with_the_list(pools: Pools) -> None:
    account = btc(pools.sim)
    account.set_online("worker-2", state=False)
    pools.sim.advance(timedelta(minutes=20))
    stats = (await pools.btccom("worker/stats"))["data"]
    rows = (await pools.btccom("worker"))["data"]["data"]
    by_status = {name: sum(row["status"] == name for row in rows) for name in STATUSES}
    assert stats["workers_active"] == by_status["ACTIVE"] >= 9
    assert stats["workers_inactive"] == by_status["INACTIVE"] >= 1
    assert stats["workers_dead"] == by_status["DEAD"] == 0
    assert next(row for row in rows if row["worker_name"] == "worker-2")["status"] == "INACTIVE"
    assert stats["workers_total"] == len(rows) == 12
    factor = UNITS[stats["shares_unit"]]
    total = sum(float(row["shares_15m_pure"]) for row in rows)
    assert float(stats["shares_15m"]) * factor == pytest.approx(total, rel=0.01)
    now = pools.sim.clock.now()
    assert {row["worker_name"]: row["status"] for row in rows} == {
        name: worker.btccom_status(now) for name, worker in account.workers.items()
    }


async def test_worker_rows(pools: Pools) -> None:
    account = btc(pools.sim)
    now = pools.sim.clock.now()
    data = (await pools.btccom("worker"))["data"]
    assert (data["page"], data["page_size"], data["page_count"], data["total_count"]) == (
        1,
        50,
        1,
        12,
    )
    row = next(row for row in data["data"] if row["worker_name"] == "worker-3")
    worker = account.workers["worker-3"]
    assert row["worker_id"] == worker.worker_id
    assert isinstance(row["worker_id"], str)
    assert -(2**63) <= int(row["worker_id"]) < 2**63
    assert row["shares_unit"] == "T"
    assert len(row["shares_15m"].split(".")[1]) == 3
    assert float(row["shares_15m_pure"]) == pytest.approx(worker.average_hs(now, 900), abs=1)
    assert float(row["shares_1m"]) * 1e12 == pytest.approx(worker.average_hs(now, 60), rel=1e-3)
    share = worker.last_share(now)
    assert share is not None
    assert row["last_share_time"] == int(share.timestamp())
    assert row["status"] == "ACTIVE"
    assert row["reject_percent"] == f"{worker.stale_ratio * 100:.4f}"
    assert set(row) == {
        "worker_id",
        "worker_name",
        "shares_1m",
        "shares_5m",
        "shares_15m",
        "shares_1m_pure",
        "shares_5m_pure",
        "shares_15m_pure",
        "shares_unit",
        "reject_percent",
        "last_share_time",
        "status",
    }


async def test_worker_list_query(pools: Pools) -> None:
    account = btc(pools.sim)
    for index in range(1, 4):
        account.set_online(f"worker-{index}", state=False)
    pools.sim.advance(timedelta(minutes=30))
    now = pools.sim.clock.now()
    truth = {name: worker.btccom_status(now) for name, worker in account.workers.items()}
    inactive = (await pools.btccom("worker", status="inactive"))["data"]
    names = [row["worker_name"] for row in inactive["data"]]
    assert names == sorted(name for name, status in truth.items() if status == "INACTIVE")
    assert {"worker-1", "worker-2", "worker-3"} <= set(names)
    active = (await pools.btccom("worker", status="ACTIVE"))["data"]
    assert active["total_count"] == list(truth.values()).count("ACTIVE") == 12 - len(names)
    assert (await pools.btccom("worker", status="dead"))["data"]["total_count"] == 0
    page = (await pools.btccom("worker", page=2, page_size=5))["data"]
    assert (page["page_count"], len(page["data"])) == (3, 5)
    assert page["data"][0]["worker_name"] == "worker-3"
    clamped = (await pools.btccom("worker", page_size=5000))["data"]
    assert clamped["page_size"] == 1000
    filtered = (await pools.btccom("worker", filter="KER-1"))["data"]
    assert [row["worker_name"] for row in filtered["data"]] == [
        "worker-1",
        "worker-10",
        "worker-11",
        "worker-12",
    ]
    ordered = (await pools.btccom("worker", order_by="shares_15m", asc=0))["data"]["data"]
    rates = [float(row["shares_15m_pure"]) for row in ordered]
    assert rates == sorted(rates, reverse=True)
    by_time = (await pools.btccom("worker", order_by="last_share_time"))["data"]["data"]
    times = [row["last_share_time"] for row in by_time]
    assert times == sorted(times)
    assert times[0] < times[-1]
    assert (await pools.btccom("worker", group=0))["data"]["total_count"] == 12
    assert (await pools.btccom("worker", group=7))["data"]["total_count"] == 0


@pytest.mark.parametrize(
    "query",
    [{"status": "sleepy"}, {"page": 0}, {"page_size": 0}, {"order_by": "x"}, {"asc": 2}],
)
async def test_worker_list_bad_query(pools: Pools, query: dict[str, object]) -> None:
    body = await pools.btccom("worker", **query)
    assert (body["err_no"], body["data"]) == (1, None)


async def test_worker_detail(pools: Pools) -> None:
    worker = btc(pools.sim).workers["worker-5"]
    data = (await pools.btccom(f"worker/{worker.worker_id}"))["data"]
    assert data["worker_name"] == "worker-5"
    assert data["worker_status"] == "ACTIVE"
    assert "status" not in data
    assert pools.sim.request_counts["btccom:/worker/{worker_id}"] == 1
    missing = await pools.btccom("worker/123")
    assert (missing["err_no"], missing["data"]) == (1, None)


async def test_worker_groups(pools: Pools) -> None:
    data = (await pools.btccom("worker/groups"))["data"]
    assert [(group["gid"], group["name"]) for group in data["list"]] == [
        (-1, "DEFAULT"),
        (0, "ALL"),
    ]
    assert data["list"][1]["workers_total"] == 12
    assert data["total_count"] == 2
    second = (await pools.btccom("worker/groups", page=2, page_size=1))["data"]
    assert [group["name"] for group in second["list"]] == ["ALL"]
    bad = await pools.btccom("worker/groups", page_size=0)
    assert bad["err_no"] == 1


@pytest.mark.parametrize(
    ("access_key", "puid", "err_no", "message"),
    [
        (None, PUID, 401, "unauthorized"),
        (ACCESS_KEY, None, 401, "unauthorized"),
        (ACCESS_KEY, "abc", 1, "parameter error"),
        ("wrong", PUID, 20001, "permissions denied"),
        (ACCESS_KEY, 9999, 20001, "permissions denied"),
    ],
)
async def test_authentication_errors(
    pools: Pools, access_key: str | None, puid: object, err_no: int, message: str
) -> None:
    status, content_type, text = await pools.btccom_raw(
        "account/info", access_key=access_key, puid=puid
    )
    assert (status, content_type) == (200, "application/json")
    assert json.loads(text) == {"err_no": err_no, "data": None, "err_msg": message}


async def test_unknown_paths_are_404(pools: Pools) -> None:
    status, content_type, text = await pools.btccom_raw("account/nothing")
    assert (status, content_type, text) == (404, "text/plain", "404: Not Found")
    status, _, _ = await pools.btccom_raw("worker/1/2")
    assert status == 404
    assert (await pools.get(f"{pools.sim.btccom_url}/v2/account/info"))[0] == 404
    assert (await pools.get(f"{pools.sim.btccom_url}/v1/account%2Finfo"))[0] == 404
    assert pools.sim.request_counts["btccom:unknown"] == 4
    async with pools.session.post(f"{pools.sim.btccom_url}/v1/account/info") as response:
        assert response.status == 405


@pytest.mark.parametrize(
    ("form", "expected"),
    [
        ("absent", {"err_no": 20001, "data": None}),
        ("null", {"err_no": 20001, "data": None, "err_msg": None}),
        ("string", {"err_no": 20001, "data": None, "err_msg": "permissions denied"}),
        (
            "object",
            {"err_no": 20001, "data": None, "err_msg": {"access_key": ["permissions denied"]}},
        ),
    ],
)
async def test_err_msg_forms(pools: Pools, form: str, expected: dict[str, object]) -> None:
    quirky(pools, 3001, err_msg_form=form)
    assert await pools.btccom("account/info", access_key="bad", puid=3001) == expected
    success = await pools.btccom("account/info", access_key="ak-3001", puid=3001)
    assert ("err_msg" in success) is (form == "null")
    if form == "object":
        error = await pools.btccom("worker", access_key="ak-3001", puid=3001, page=0)
        assert error["err_msg"] == {"page": ["parameter error"]}


async def test_mixed_types(pools: Pools) -> None:
    quirky(pools, 3002, mixed_types=True)
    query = {"access_key": "ak-3002", "puid": 3002}
    history = (await pools.btccom("account/earn-history", **query))["data"]
    assert (history["page"], history["page_size"]) == (1, 50)
    dates = [row["date"] for row in history["list"][:4]]
    assert [type(date) for date in dates] == [int, str, int, str]
    workers = (await pools.btccom("worker", **query))["data"]
    assert (workers["page"], workers["page_size"]) == ("1", "50")
    first, second = workers["data"][:2]
    assert isinstance(first["shares_1m"], str)
    assert isinstance(second["shares_1m"], int)
    assert isinstance(second["shares_5m"], str)
    groups = (await pools.btccom("worker/groups", **query))["data"]["list"]
    assert [group["gid"] for group in groups] == ["-1", "0"]


async def test_numbers_as_json_numbers(pools: Pools) -> None:
    quirky(pools, 3003, numbers_as_strings=False)
    query = {"access_key": "ak-3003", "puid": 3003}
    realtime = (await pools.btccom("realtime/hashrate", **query))["data"]
    assert isinstance(realtime["shares_15m"], float)
    stats = (await pools.btccom("worker/stats", **query))["data"]
    assert isinstance(stats["shares_1m"], float)
    row = (await pools.btccom("worker", **query))["data"]["data"][0]
    assert isinstance(row["shares_15m"], float)


async def test_last_share_time_as_datetime(pools: Pools) -> None:
    account = quirky(pools, 3004, last_share_time_format="datetime")
    row = (await pools.btccom("worker", access_key="ak-3004", puid=3004))["data"]["data"][0]
    share = account.workers[row["worker_name"]].last_share(pools.sim.clock.now())
    assert share is not None
    assert row["last_share_time"] == share.strftime("%Y-%m-%d %H:%M:%S")
    assert datetime.strptime(row["last_share_time"], "%Y-%m-%d %H:%M:%S").replace(
        tzinfo=UTC
    ) == share.replace(microsecond=0)


@pytest.mark.parametrize(
    ("letter", "sent", "scale"), [("", "", 1.0), ("G", "G", 1e9), ("X", "X", 1e12)]
)
async def test_unit_letter(pools: Pools, letter: str, sent: str, scale: float) -> None:
    account = quirky(pools, 3005, unit_letter=letter)
    data = (await pools.btccom("realtime/hashrate", access_key="ak-3005", puid=3005))["data"]
    assert data["shares_15m_unit"] == sent
    assert float(data["shares_15m"]) * scale == pytest.approx(account.view().average(900), rel=0.01)


async def test_extra_keys_on_rows(pools: Pools) -> None:
    quirky(pools, 3006, extra_keys=True)
    query = {"access_key": "ak-3006", "puid": 3006}
    row = (await pools.btccom("worker", **query))["data"]["data"][0]
    assert row["accept_count"] == "-"
    assert {"first_share_time", "miner_agent", "shares_1h", "reject_percent_1d", "is_top"} <= set(
        row
    )
    history = (await pools.btccom("account/earn-history", **query))["data"]["list"]
    assert all(item["more_than_pps96_rate"] == 0 for item in history)


async def test_null_txid(pools: Pools) -> None:
    account = quirky(pools, 3007, null_txid=True)
    rows = (await pools.btccom("account/earn-history", access_key="ak-3007", puid=3007))["data"]
    newest = account.payouts[-1]
    paid = [row for row in rows["list"] if row["paid_amount"]]
    assert paid[0]["payment_tx"] is None
    assert paid[0]["paid_amount"] == newest.units
    assert all(row["payment_tx"] for row in paid[1:])


async def test_empty_account(pools: Pools) -> None:
    quirky(pools, 3008, empty_account=True)
    query = {"access_key": "ak-3008", "puid": 3008}
    history = (await pools.btccom("account/earn-history", **query))["data"]
    assert (history["total_count"], history["list"]) == (0, [])
    stats = (await pools.btccom("worker/stats", **query))["data"]
    assert stats["workers_total"] == 0
    assert stats["shares_15m"] == "0.00"
    assert (await pools.btccom("worker", **query))["data"]["data"] == []


def twins(account: BtcComAccount) -> tuple[Worker, Worker]:
    """The two machines named "worker-1" of a shared_name account."""
    return account.workers["worker-1"], account.workers["worker-1#2"]


async def test_shared_name_lists_two_machines(pools: Pools) -> None:
    account = quirky(pools, 3009, shared_name=True)
    query = {"access_key": "ak-3009", "puid": 3009}
    first, second = twins(account)
    assert first.name == second.name == "worker-1"
    assert (first.ordinal, second.ordinal) == (0, 1)
    assert first.worker_id != second.worker_id
    assert first.base_hs != second.base_hs
    assert first.key != second.key
    again = Worker(account, "worker-1", created=second.created, ordinal=1)
    assert (again.worker_id, again.base_hs) == (second.worker_id, second.base_hs)
    data = (await pools.btccom("worker", **query))["data"]
    rows = data["data"]
    assert data["total_count"] == len(rows) == 7
    assert [row["worker_name"] for row in rows[:3]] == ["worker-1", "worker-1", "worker-2"]
    assert [row["worker_id"] for row in rows[:2]] == [first.worker_id, second.worker_id]
    assert len({row["worker_id"] for row in rows}) == 7
    now = pools.sim.clock.now()
    for row, worker in zip(rows[:2], (first, second), strict=True):
        assert float(row["shares_15m_pure"]) == pytest.approx(worker.average_hs(now, 900), abs=1)
    assert float(rows[0]["shares_15m_pure"]) != pytest.approx(float(rows[1]["shares_15m_pure"]))
    filtered = (await pools.btccom("worker", filter="worker-1", **query))["data"]["data"]
    assert [row["worker_id"] for row in filtered] == [first.worker_id, second.worker_id]


async def test_shared_name_details_by_worker_id(pools: Pools) -> None:
    account = quirky(pools, 3010, shared_name=True)
    query = {"access_key": "ak-3010", "puid": 3010}
    now = pools.sim.clock.now()
    details = []
    for worker in twins(account):
        data = (await pools.btccom(f"worker/{worker.worker_id}", **query))["data"]
        assert (data["worker_id"], data["worker_name"]) == (worker.worker_id, "worker-1")
        assert data["worker_status"] == worker.btccom_status(now) == "ACTIVE"
        assert float(data["shares_15m_pure"]) == pytest.approx(worker.average_hs(now, 900), abs=1)
        assert data["reject_percent"] == f"{worker.stale_ratio * 100:.4f}"
        details.append(data)
    assert details[0]["shares_15m_pure"] != details[1]["shares_15m_pure"]
    assert details[0]["reject_percent"] != details[1]["reject_percent"]
    assert account.worker_by_id(details[1]["worker_id"]) is account.workers["worker-1#2"]


async def test_shared_name_counts_both_in_worker_stats(pools: Pools) -> None:
    account = quirky(pools, 3011, shared_name=True)
    query = {"access_key": "ak-3011", "puid": 3011}
    stats = (await pools.btccom("worker/stats", **query))["data"]
    assert (stats["workers_total"], stats["workers_active"], stats["workers_inactive"]) == (7, 7, 0)
    account.set_online("worker-1#2", state=False)
    pools.sim.advance(timedelta(minutes=20))
    now = pools.sim.clock.now()
    truth = [worker.btccom_status(now) for worker in account.workers.values()]
    assert truth.count("INACTIVE") >= 1
    stats = (await pools.btccom("worker/stats", **query))["data"]
    assert stats["workers_total"] == len(truth) == 7
    assert stats["workers_active"] == truth.count("ACTIVE")
    assert stats["workers_inactive"] == truth.count("INACTIVE")
    assert stats["workers_dead"] == truth.count("DEAD") == 0
    rows = (await pools.btccom("worker", **query))["data"]["data"]
    statuses = {row["worker_id"]: row["status"] for row in rows if row["worker_name"] == "worker-1"}
    first, second = twins(account)
    assert statuses == {first.worker_id: "ACTIVE", second.worker_id: "INACTIVE"}
    assert (first.btccom_status(now), second.btccom_status(now)) == ("ACTIVE", "INACTIVE")
    factor = UNITS[stats["shares_unit"]]
    total = sum(float(row["shares_15m_pure"]) for row in rows)
    assert float(stats["shares_15m"]) * factor == pytest.approx(total, rel=0.01)
    groups = (await pools.btccom("worker/groups", **query))["data"]["list"]
    assert [group["workers_total"] for group in groups] == [7, 7]


async def test_shared_name_adds_to_the_account_hashrate(pools: Pools, clock: ManualClock) -> None:
    account = quirky(pools, 3012, shared_name=True)
    plain = Simulator(seed=1, clock=clock).add_btccom_account(
        access_key="ak-3012", puid=3012, workers=6
    )
    now = pools.sim.clock.now()
    first, second = twins(account)
    assert second.hashrate_hs(now) > 0
    assert second.average_hs(now, 900) > 0
    view = account.view()
    rates = [worker.hashrate_hs(now) for worker in account.workers.values()]
    assert len(rates) == 7
    assert view.hashrate == pytest.approx(sum(rates))
    assert view.hashrate == pytest.approx(plain.view().hashrate + second.hashrate_hs(now))
    assert [stats.worker for stats in view.workers if stats.worker.name == "worker-1"] == [
        first,
        second,
    ]
    average = sum(worker.average_hs(now, 900) for worker in account.workers.values())
    assert view.average(900) == pytest.approx(average)
    assert view.average(900) == pytest.approx(
        plain.view().average(900) + second.average_hs(now, 900)
    )
    data = (await pools.btccom("realtime/hashrate", access_key="ak-3012", puid=3012))["data"]
    sent = float(data["shares_15m"]) * UNITS[data["shares_15m_unit"]]
    assert sent == pytest.approx(average, rel=0.01)
    assert sent != pytest.approx(plain.view().average(900), rel=0.05)
    assert account.credits[-1].hashes > plain.credits[-1].hashes


async def test_shared_name_survives_rotating_names(pools: Pools) -> None:
    account = quirky(pools, 3013, shared_name=True, rotating_names=True)
    query = {"access_key": "ak-3013", "puid": 3013}
    before = {worker.worker_id for worker in account.workers.values()}
    rows = (await pools.btccom("worker", **query))["data"]["data"]
    assert [row["worker_name"] for row in rows[:2]] == ["worker-1-g1", "worker-1-g1"]
    assert rows[0]["worker_id"] != rows[1]["worker_id"]
    assert not {row["worker_id"] for row in rows} & before
    assert list(account.workers)[-1] == "worker-1-g1#2"
    second = account.workers["worker-1-g1#2"]
    assert (second.name, second.worker_id) == ("worker-1-g1", rows[1]["worker_id"])
