"""Property-based tests: whatever a pool sends, only the library's own errors come out.

Answers are built from arbitrary JSON, and from JSON shaped like each document with arbitrary
values in its known fields, so that the readers' deep paths are reached too.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from dataclasses import fields
from datetime import datetime
from decimal import Decimal
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from custom_components.mining_pool.api import MiningPoolError, btccom, f2pool_v1, f2pool_v2
from custom_components.mining_pool.api._parse import as_decimal, as_float, as_int, as_time, mapping

from .conftest import answer

SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=12)
    | st.sampled_from(["-", "", "0", "1e999999", "NaN", "-1", "2015-02-09 06:46:17", "T"])
    | st.decimals(allow_nan=False, allow_infinity=False).map(str)
)
JSON = st.recursive(
    SCALARS,
    lambda children: st.lists(children, max_size=4)
    | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=12,
)


def shaped(keys: list[str], value: st.SearchStrategy[Any] = JSON) -> st.SearchStrategy[Any]:
    """Objects with some of ``keys``, each holding an arbitrary JSON value."""
    return st.dictionaries(st.sampled_from(keys), value, max_size=len(keys))


WORKER_ROW = shaped(
    [
        "worker_id",
        "worker_name",
        "shares_15m",
        "shares_15m_pure",
        "shares_unit",
        "shares_1h",
        "reject_percent",
        "last_share_time",
        "status",
        "worker_status",
    ],
    SCALARS,
)
BTCCOM_DATA = (
    JSON
    | shaped(["unpaid", "total_paid", "pending_payouts", "earnings_today", "last_payment_time"])
    | shaped(["shares_15m", "shares_15m_unit", "shares_1d", "shares_1d_unit"], SCALARS)
    | shaped(["workers_active", "workers_dead", "shares_1m", "shares_unit"], SCALARS)
    | st.fixed_dictionaries(
        {"data": st.lists(WORKER_ROW | JSON, max_size=4) | JSON},
        optional={"page": SCALARS, "page_count": SCALARS},
    )
    | st.fixed_dictionaries(
        {
            "list": st.lists(
                shaped(
                    [
                        "date",
                        "earnings",
                        "paid_amount",
                        "payment_time",
                        "payment_tx",
                        "address",
                        "diff",
                    ],
                    SCALARS,
                )
                | JSON,
                max_size=4,
            )
            | JSON
        }
    )
)
BTCCOM_ENVELOPE = JSON | st.fixed_dictionaries(
    {"err_no": st.sampled_from([0, "0", 1, 2, 401, 20001, 99]) | SCALARS, "data": BTCCOM_DATA},
    optional={"err_msg": JSON},
)
F2POOL_V1_ROW = st.lists(SCALARS, max_size=12) | JSON
F2POOL_V1 = (
    JSON
    | shaped(
        [
            "balance",
            "paid",
            "value",
            "hashrate",
            "hashes_last_day",
            "worker_length",
            "worker_length_online",
            "value_today",
        ]
    )
    | st.fixed_dictionaries(
        {
            "workers": st.lists(F2POOL_V1_ROW, max_size=4) | JSON,
            "payout_history": st.lists(st.lists(SCALARS, max_size=4) | JSON, max_size=3) | JSON,
            "hashrate_history": st.dictionaries(SCALARS.map(str), SCALARS, max_size=3) | JSON,
        }
    )
)
HASH_RATE_INFO = shaped(["name", "hash_rate", "h1_hash_rate", "h24_hash_rate"], SCALARS) | JSON
F2POOL_V2 = (
    JSON
    | st.fixed_dictionaries({"code": SCALARS}, optional={"msg": SCALARS})
    | st.fixed_dictionaries({"balance_info": shaped(["balance", "paid", "total_income"]) | JSON})
    | st.fixed_dictionaries({"info": HASH_RATE_INFO})
    | st.fixed_dictionaries(
        {
            "workers": st.lists(
                shaped(["hash_rate_info", "status", "last_share_at"]) | JSON, max_size=4
            )
            | JSON
        }
    )
    | st.fixed_dictionaries(
        {
            "history": st.lists(
                shaped(["timestamp", "hash_rate", "online_miners"]) | JSON, max_size=4
            )
            | JSON
        }
    )
    | st.fixed_dictionaries(
        {
            "transactions": st.lists(
                shaped(
                    ["payout_extra", "created_at"], shaped(["value", "paid_time", "tx_id"]) | JSON
                )
                | JSON,
                max_size=4,
            )
            | JSON
        }
    )
)
PROPERTY_SETTINGS = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


def body_of(document: Any) -> bytes:
    return json.dumps(document, default=str).encode()


def assert_well_typed(model: Any) -> None:
    """Every field of a model holds a value of its declared kind: no NaN, no naive time."""
    values = list(model) if isinstance(model, tuple) else [model]
    for value in values:
        if not hasattr(value, "__dataclass_fields__"):
            continue
        for item in fields(value):
            content = getattr(value, item.name)
            if isinstance(content, float):
                assert math.isfinite(content)
            if isinstance(content, datetime):
                assert content.tzinfo is not None
            if isinstance(content, Decimal):
                assert content.is_finite()
            if hasattr(content, "__dataclass_fields__") or isinstance(content, tuple):
                assert_well_typed(content)


def read_or_library_error(read: Callable[[], Any]) -> None:
    try:
        model = read()
    except MiningPoolError:
        return
    assert_well_typed(model)


@PROPERTY_SETTINGS
@given(envelope=BTCCOM_ENVELOPE, status=st.sampled_from([200, 200, 200, 404, 429, 500]))
def test_btccom_readers(envelope: Any, status: int) -> None:
    response = answer(body_of(envelope), status)
    reader = btccom.HashrateReader()
    parsers = [
        btccom.parse_account_info,
        btccom.parse_earn_stats,
        lambda data: btccom.parse_earn_history(data, 1),
        lambda data: btccom.parse_realtime_hashrate(data, reader),
        lambda data: btccom.parse_worker_stats(data, reader),
        lambda data: btccom.parse_worker_page(data, 1, reader),
    ]
    for parse in parsers:
        read_or_library_error(lambda parse=parse: parse(mapping(btccom.unwrap(response), "data")))


@PROPERTY_SETTINGS
@given(document=F2POOL_V1)
def test_f2pool_v1_reader(document: Any) -> None:
    read_or_library_error(
        lambda: f2pool_v1.parse_account(
            mapping(f2pool_v1.unwrap(answer(body_of(document))), "account")
        )
    )


@PROPERTY_SETTINGS
@given(document=F2POOL_V2)
def test_f2pool_v2_readers(document: Any) -> None:
    response = answer(body_of(document))
    for parse in (
        f2pool_v2.parse_balance,
        f2pool_v2.parse_workers,
        f2pool_v2.parse_history,
        f2pool_v2.parse_payouts,
        lambda data: f2pool_v2.parse_hashrate_info(mapping(data.get("info"), "info")),
    ):
        read_or_library_error(lambda parse=parse: parse(f2pool_v2.unwrap(response)))


@PROPERTY_SETTINGS
@given(body=st.binary(max_size=64))
def test_any_bytes(body: bytes) -> None:
    for unwrap in (btccom.unwrap, f2pool_v1.unwrap, f2pool_v2.unwrap):
        read_or_library_error(lambda unwrap=unwrap: unwrap(answer(body)))


@PROPERTY_SETTINGS
@given(value=JSON)
def test_scalar_readers_never_raise(value: Any) -> None:
    number = as_decimal(value)
    assert number is None or number.is_finite()
    rate = as_float(value)
    assert rate is None or math.isfinite(rate)
    whole = as_int(value)
    assert whole is None or isinstance(whole, int)
    when = as_time(value)
    assert when is None or when.tzinfo is not None
