"""The readers of each pool's documents, fed with fixture files shaped like real answers."""

from __future__ import annotations

import logging
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest

from custom_components.mining_pool.api import (
    AccountNotFoundError,
    AuthenticationError,
    CannotConnectError,
    InvalidResponseError,
    RateLimitedError,
    WorkerStatus,
    btccom,
    f2pool_v1,
    f2pool_v2,
)

from .conftest import answer, fixture_bytes


def btccom_data(name: str) -> object:
    return btccom.unwrap(answer(fixture_bytes("btccom", name)))


def test_btccom_account_info() -> None:
    info = btccom.parse_account_info(btccom_data("account_info"))
    assert info.user_id == 88888
    assert info.user_name == "spica"
    assert info.region == "America"
    # The seed's address has a trailing space.
    assert info.address == "3NA8hsjfdgVkmmVS9moHmkZsVCoLxUkvvv"


def test_btccom_earn_stats_are_satoshi_as_strings_or_numbers() -> None:
    earnings = btccom.parse_earn_stats(btccom_data("earn_stats"))
    assert earnings.total_paid == Decimal("0.81687163")
    assert earnings.balance == Decimal("0.03127419")
    assert earnings.pending_payouts == Decimal(0)
    assert earnings.earnings_today == Decimal("0.01529631")
    assert earnings.earnings_yesterday == Decimal("0.02741089")
    assert earnings.last_payment_time == datetime(2017, 2, 13, 1, 45, 37, tzinfo=UTC)
    assert earnings.total_revenue is None


def test_btccom_earn_stats_no_values() -> None:
    earnings = btccom.parse_earn_stats(btccom_data("earn_stats_never_paid"))
    assert earnings.last_payment_time is None
    assert earnings.earnings_yesterday is None
    assert earnings.balance is None
    assert earnings.total_paid == Decimal(0)


def test_btccom_earn_history() -> None:
    page = btccom.parse_earn_history(btccom_data("earn_history"), 1)
    assert (page.page, page.page_count, page.total_count) == (1, 3, 102)
    unpaid_day, paid_day = page.days
    assert unpaid_day.day == date(2017, 2, 13)
    assert unpaid_day.payment is None
    assert unpaid_day.difficulty == 422170566884
    assert paid_day.day == date(2017, 2, 12)
    assert paid_day.earnings == Decimal("13.80002903")
    assert paid_day.earnings_rate == pytest.approx(0.044)
    assert paid_day.payment_mode == "PPS"
    assert paid_day.payment is not None
    assert paid_day.payment.time == datetime(2017, 2, 13, 1, 45, 37, tzinfo=UTC)
    assert paid_day.payment.amount == Decimal("13.80002903")
    assert paid_day.payment.tx_id is not None
    assert paid_day.payment.tx_id.startswith("466af581")
    assert page.payments == (paid_day.payment,)


def test_btccom_realtime_hashrate_units() -> None:
    stats = btccom.parse_realtime_hashrate(
        btccom_data("realtime_hashrate"), btccom.HashrateReader()
    )
    assert stats.current == pytest.approx(22.88e15)
    assert stats.last_day == pytest.approx(23.33e15)
    assert stats.last_hour is None


def test_btccom_unknown_unit_is_hs_and_logged_once(caplog: pytest.LogCaptureFixture) -> None:
    reader = btccom.HashrateReader()
    data = btccom_data("realtime_hashrate_unknown_unit")
    with caplog.at_level(logging.WARNING):
        first = btccom.parse_realtime_hashrate(data, reader)
        second = btccom.parse_realtime_hashrate(data, reader)
    assert first == second
    assert first.current == 1500.0
    assert first.last_day == 7.0
    warnings = [record for record in caplog.records if "not known" in record.getMessage()]
    # One line for unknown units ("" and "X" alike), however many times they are read.
    assert len(warnings) == 1


def test_btccom_worker_stats() -> None:
    stats = btccom.parse_worker_stats(btccom_data("worker_stats"), btccom.HashrateReader())
    assert stats.counts.active == 1999
    assert stats.counts.inactive == 1
    assert stats.counts.dead == 1
    assert stats.counts.total == 2000
    assert stats.hashrate_1m == pytest.approx(22.55e15)
    assert stats.hashrate_15m == pytest.approx(22.85e15)


def test_btccom_worker_list_nested_data_and_drift() -> None:
    page = btccom.parse_worker_page(btccom_data("worker_list"), 1, btccom.HashrateReader())
    assert (page.page, page.page_count, page.total_count) == (6, 7, 13)
    active, dead = page.workers
    assert active.worker_id == "-1956288636539691820"
    assert active.name == "rig01.s9"
    assert active.status is WorkerStatus.ONLINE
    # The raw H/s of shares_15m_pure wins over the rounded "108.800" T.
    assert active.hashrate == 108838651715475.0
    assert active.hashrate_last_hour == pytest.approx(107.2e12)
    assert active.reject_percent == 0.0
    assert active.last_share_time == datetime(2017, 2, 13, 1, 45, 37, tzinfo=UTC)
    assert dead.status is WorkerStatus.DEAD
    assert dead.hashrate == 0.0
    assert dead.reject_percent is None
    assert dead.last_share_time == datetime(2015, 2, 9, 6, 46, 17, tzinfo=UTC)


@pytest.mark.parametrize(
    ("fixture", "error"),
    [
        ("error_permission_denied", AuthenticationError),
        ("error_watcher", AuthenticationError),
        ("error_unauthorized", AuthenticationError),
        ("error_operation_failed", CannotConnectError),
        ("error_parameter", InvalidResponseError),
        ("error_unknown", InvalidResponseError),
    ],
)
def test_btccom_err_no(fixture: str, error: type[Exception]) -> None:
    with pytest.raises(error, match="err_no"):
        btccom_data(fixture)


@pytest.mark.parametrize(
    ("status", "body", "error"),
    [
        (404, "404: Not Found", CannotConnectError),
        (429, "", RateLimitedError),
        (401, "", AuthenticationError),
        (502, "<html>Bad Gateway</html>", CannotConnectError),
        (418, "", InvalidResponseError),
        (200, "<html>maintenance</html>", InvalidResponseError),
        (200, "[]", InvalidResponseError),
        (200, '{"unexpected": 1}', InvalidResponseError),
    ],
)
def test_btccom_bad_answers(status: int, body: str, error: type[Exception]) -> None:
    with pytest.raises(error):
        btccom.unwrap(answer(body, status))


def test_f2pool_v1_seed_example() -> None:
    snapshot = f2pool_v1.parse_account(
        f2pool_v1.unwrap(answer(fixture_bytes("f2pool_v1", "account_seed")))
    )
    assert snapshot.earnings.balance == Decimal("0.000045036645168645")
    assert snapshot.earnings.total_revenue == Decimal("0.000045036645168645")
    assert snapshot.earnings.last_payment_time == datetime(2017, 11, 1, tzinfo=UTC)
    assert snapshot.payments[0].amount == Decimal("1.010047060000000000000000")
    assert snapshot.payments[0].tx_id is not None
    assert snapshot.worker_counts.total == 0
    assert snapshot.workers is not None
    (worker,) = snapshot.workers
    assert worker.name == "minerx01"
    assert worker.hashrate == 12650560751040.0
    # Position 4 is a count of hashes over 24 hours: divided by 86400 it is a rate close to
    # the current hashrate, which is how the count was recognised.
    assert worker.hashrate_last_day == pytest.approx(1084452716521979904 / 86400)
    assert worker.last_share_time == datetime(2018, 6, 19, 10, 2, 19, 810789, tzinfo=UTC)
    assert worker.status is WorkerStatus.UNKNOWN
    assert [point.hashrate for point in snapshot.hashrate_history] == [0.0]


def test_f2pool_v1_real_answer_quirks() -> None:
    snapshot = f2pool_v1.parse_account(
        f2pool_v1.unwrap(answer(fixture_bytes("f2pool_v1", "account_real")))
    )
    assert snapshot.earnings.balance == Decimal("0.00512345678901234567")
    assert snapshot.earnings.earnings_today == Decimal("0.00021")
    assert snapshot.earnings.earnings_last_day == Decimal("0.00061234")
    assert snapshot.earnings.total_paid == Decimal("1.23456789")
    assert snapshot.hashrate.current == pytest.approx(76936493634245.97)
    assert snapshot.hashrate.last_day == pytest.approx(6647313050000000000 / 86400)
    assert snapshot.hashrate.last_hour == pytest.approx(276970000000000000 / 3600)
    assert snapshot.hashrate.stale_last_day == pytest.approx(13294626100000000 / 86400)
    assert snapshot.worker_counts.active == 2
    assert snapshot.worker_counts.inactive == 1
    # A null txid is kept as no value; the newest payout is the last payment.
    assert snapshot.payments[0].tx_id is None
    assert snapshot.earnings.last_payment_time == datetime(2024, 4, 30, tzinfo=UTC)
    assert [point.time.minute for point in snapshot.hashrate_history] == [0, 10]
    assert snapshot.workers is not None
    eleven, nine_as_string, nine, four = snapshot.workers  # the nameless row is skipped
    assert eleven.name == "s19-a"
    assert eleven.last_share_time == datetime(2024, 5, 1, 10, 19, 19, tzinfo=UTC)
    assert nine_as_string.hashrate == pytest.approx(38468246817122.99)
    assert nine_as_string.last_share_time == datetime(2024, 5, 1, 10, 19, 18, 123456, tzinfo=UTC)
    assert nine.last_share_time is None
    assert four.hashrate_last_hour == 0.0
    assert four.hashrate_last_day is None
    assert four.last_share_time is None
    now = datetime(2024, 5, 1, 10, 30, tzinfo=UTC)
    assert eleven.is_online(now, timedelta(minutes=30))
    assert not eleven.is_online(now, timedelta(minutes=5))
    assert not nine.is_online(now, timedelta(days=1))


def test_f2pool_v1_empty_account() -> None:
    snapshot = f2pool_v1.parse_account(
        f2pool_v1.unwrap(answer(fixture_bytes("f2pool_v1", "account_empty")))
    )
    assert snapshot.workers == ()
    assert snapshot.payments == ()
    assert snapshot.earnings.last_payment_time is None
    assert snapshot.worker_counts.total == 0
    assert snapshot.worker_counts.inactive == 0
    assert [point.hashrate for point in snapshot.hashrate_history] == [0.0, 0.0]


@pytest.mark.parametrize(
    ("status", "body", "error"),
    [
        (404, "404: Not Found", AccountNotFoundError),
        (200, "404: Not Found", AccountNotFoundError),
        (503, "503: GateWay Timeout", RateLimitedError),
        (200, "503: GateWay Timeout", RateLimitedError),
        (429, "", RateLimitedError),
        (401, "401: Unauthorized", AuthenticationError),
        (500, "<html>oops</html>", CannotConnectError),
        (200, '{"balance": 1', InvalidResponseError),
    ],
)
def test_f2pool_v1_error_answers(status: int, body: str, error: type[Exception]) -> None:
    with pytest.raises(error):
        f2pool_v1.unwrap(answer(body, status))


def test_f2pool_v1_retry_after_is_kept() -> None:
    with pytest.raises(RateLimitedError) as caught:
        f2pool_v1.unwrap(answer("503: GateWay Timeout", 503, {"Retry-After": "120"}))
    assert caught.value.retry_after == 120.0


def v2_data(name: str) -> object:
    return f2pool_v2.unwrap(answer(fixture_bytes("f2pool_v2", name)))


def test_f2pool_v2_balance() -> None:
    earnings = f2pool_v2.parse_balance(v2_data("balance"))
    assert earnings.balance == Decimal("0.01234567")
    assert earnings.total_paid == Decimal("2.5")
    assert earnings.total_revenue == Decimal("2.51234567")
    assert earnings.earnings_yesterday == Decimal("0.0061")
    assert earnings.earnings_today == Decimal("0.0025")


def test_f2pool_v2_hashrate_info() -> None:
    data = v2_data("hash_rate_info")
    stats = f2pool_v2.parse_hashrate_info(data["info"])  # type: ignore[index]
    assert stats.current == 1.2e15
    assert stats.last_hour == 1.1e15
    assert stats.last_day == 1.15e15
    assert stats.stale_last_hour == 1.1e12
    assert stats.stale_last_day == 2.3e12


def test_f2pool_v2_workers() -> None:
    workers = f2pool_v2.parse_workers(v2_data("worker_list"))
    assert [worker.name for worker in workers] == ["ltc-01", "ltc-02", "ltc-03", "ltc-04"]
    assert [worker.status for worker in workers] == [
        WorkerStatus.ONLINE,
        WorkerStatus.OFFLINE,
        WorkerStatus.DEAD,
        WorkerStatus.UNKNOWN,
    ]
    assert workers[0].hashrate == 1.5e9
    assert workers[0].stale_hashrate_last_day == 2e7
    assert workers[0].last_share_time == datetime(2024, 5, 1, 10, 19, 19, tzinfo=UTC)
    assert workers[2].last_share_time is None
    counts = f2pool_v2.count_workers(workers)
    assert (counts.active, counts.inactive, counts.dead, counts.total) == (1, 1, 1, 4)


def test_f2pool_v2_history_oldest_first() -> None:
    points = f2pool_v2.parse_history(v2_data("history"))
    assert [point.online_workers for point in points] == [11, 12]
    assert points[1].hashrate == 1.2e15
    assert points[1].stale_hashrate == 1e12


def test_f2pool_v2_payouts() -> None:
    payouts = f2pool_v2.parse_payouts(v2_data("transactions"))
    assert len(payouts) == 2
    assert payouts[0].amount == Decimal("0.5")
    assert payouts[0].time == datetime(2024, 5, 1, 1, tzinfo=UTC)
    assert payouts[0].tx_id == "ab12"
    # Without paid_time, the transaction's own time is used.
    assert payouts[1].time == datetime(2024, 4, 29, tzinfo=UTC)
    assert payouts[1].tx_id is None


@pytest.mark.parametrize(
    ("fixture", "error"),
    [
        ("error_permission_denied", AuthenticationError),
        ("error_params", AccountNotFoundError),
        ("error_unknown", InvalidResponseError),
    ],
)
def test_f2pool_v2_error_codes(fixture: str, error: type[Exception]) -> None:
    with pytest.raises(error, match="code"):
        v2_data(fixture)
