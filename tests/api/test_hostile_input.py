"""Hostile answers for every reader: arbitrary bytes, headers and statuses.

Bodies are arbitrary bytes, and documents shaped like each pool's with values ``json.dumps``
never writes: numbers past any float (``1e999999999999999999``), 5000-digit numbers, lone
surrogate escapes, raw invalid UTF-8, byte order marks, other encodings, deep nesting. Whatever
comes in, only the library's own errors come out, and every text a reader returns is safe to
store and show: valid UTF-8, no control or format character, at most 256 characters.
"""

from __future__ import annotations

import codecs
import json
import math
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, fields, is_dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from yarl import URL

from custom_components.mining_pool.api import (
    MiningPoolError,
    RateLimitedError,
    RedirectError,
    braiins,
    btccom,
    f2pool_v1,
    f2pool_v2,
)
from custom_components.mining_pool.api._http import Response
from custom_components.mining_pool.api._parse import mapping

from .conftest import answer

MAX_TEXT = 256
UNSAFE_CATEGORIES = frozenset({"Cc", "Cf"})
HOSTILE_SETTINGS = settings(
    max_examples=250,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
TEXT_SETTINGS = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@dataclass(frozen=True)
class Raw:
    """A JSON value written exactly as given, as ``json.dumps`` would never write it."""

    text: bytes


def dump(value: Any) -> bytes:
    """Write a document whose leaves may be ``Raw``."""
    if isinstance(value, Raw):
        return value.text
    if isinstance(value, dict):
        members = (json.dumps(str(key)).encode() + b":" + dump(item) for key, item in value.items())
        return b"{" + b",".join(members) + b"}"
    if isinstance(value, list):
        return b"[" + b",".join(dump(item) for item in value) + b"]"
    return json.dumps(value).encode()


HOSTILE_NUMBERS = [
    b"1e999999999999999999",
    b"-1e999999999999999999",
    b"1e-999999999999999999999",
    b"1" * 5000,
    b"1" * 5000 + b".5",
    b"0." + b"0" * 5000 + b"1",
    b"9" * 40 + b".0",
    b"NaN",
    b"Infinity",
    b"-Infinity",
    b"-0",
    b"-0.0e-0",
    b"18446744073709551616",
    b'"1e999999999999999999"',
    b'"' + b"9" * 5000 + b'"',
    b'"NaN"',
    b'"  -  "',
]
HOSTILE_STRINGS = [
    b'"\\ud800"',
    b'"a\\udfffb"',
    b'"\\udc00\\ud800"',
    b'"\\u202eexe.txt\\u202c"',
    b'"rig\\u200b01"',
    b'"\\ufeffrig"',
    b'"\\u2066isolate\\u2069"',
    b'"\\u0000"',
    b'"bell\\u0007"',
    b'"\\u001b[31mred\\u001b[0m"',
    b'"nel\\u0085"',
    b'"del\\u007f"',
    b'"line\\u2028break"',
    b'"tab\\there\\nnewline\\r"',
    b'"\\ud83d\\udc68\\u200d\\ud83d\\udcbb"',
    b'"e\\u0301"',
    b'"' + b"x" * 300 + b'"',
    b'"' + b"\\u00e9" * 300 + b'"',
    b'"' + b"\\u200b" * 300 + b"x" * 300 + b'"',
    b'"' + "\U0001f600".encode() * 300 + b'"',
    # Raw bytes inside a string: UTF-8 of a lone surrogate, invalid and overlong sequences.
    b'"\xed\xa0\x80"',
    b'"rig\xed\xbf\xbf"',
    b'"\xff\xfe"',
    b'"\xc0\xaf"',
    b'"\xe2\x80\xae"',
    b'"   "',
    b'"-"',
    b'""',
]
# A number where text belongs: 5002 characters once read as text.
LONG_NUMBER = b"1" * 5000 + b".5"
# A zero-width joiner (a format character) between two emoji.
EMOJI = b'"\\ud83d\\udc68\\u200d\\ud83d\\udcbb"'
DEEP = [b"[" * 100_000, b"[" * 100_000 + b"]" * 100_000, b"[" * 900 + b"]" * 900]
WHOLE_BODIES = [
    b"",
    b"null",
    b"[]",
    b"{}",
    b"\xef\xbb\xbf",
    b"\xef\xbb\xbf{}",
    b"\xef\xbb\xbf\xef\xbb\xbf{}",
    b"\xff\xfe{\x00}\x00",
    b"\xfe\xff\x00{\x00}",
    b"\x00\x00\xfe\xff",
    b'{"a": 1',
    b"404: Not Found",
    b"503: GateWay Timeout",
    b"<html><body>Forbidden</body></html>",
    *DEEP,
    *HOSTILE_NUMBERS,
    *HOSTILE_STRINGS,
]

# Any character at all, lone surrogates included, escaped as JSON writes them.
ANY_TEXT = st.text(st.characters(exclude_categories=()), max_size=300)
TEXT_LEAF = st.one_of(
    st.sampled_from(HOSTILE_STRINGS).map(Raw),
    ANY_TEXT.map(lambda text: Raw(json.dumps(text).encode())),
    st.sampled_from(HOSTILE_NUMBERS).map(Raw),
)
NUMBER_LEAF = st.one_of(
    st.sampled_from(HOSTILE_NUMBERS).map(Raw),
    st.integers(min_value=-(2**80), max_value=2**80),
    st.floats(allow_nan=False, allow_infinity=False),
    st.decimals(allow_nan=False, allow_infinity=False).map(
        lambda number: Raw(str(number).encode())
    ),
    st.sampled_from(["-", "", "0", "2015-02-09 06:46:17", "2026-11-01T12:00:00+14:00", "T"]),
)
LEAF = st.one_of(
    TEXT_LEAF,
    NUMBER_LEAF,
    st.none(),
    st.booleans(),
    st.sampled_from(DEEP[1:]).map(Raw),
    st.just([]),
    st.just({}),
)


def shaped(text: list[str], other: list[str]) -> st.SearchStrategy[dict[str, Any]]:
    """Objects with some of their text keys and other keys, each holding a hostile value."""
    return st.fixed_dictionaries(
        {},
        optional={
            **dict.fromkeys(text, TEXT_LEAF | LEAF),
            **dict.fromkeys(other, LEAF),
        },
    )


def rows(row: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.lists(row | LEAF, max_size=4) | LEAF


BTCCOM_WORKER = shaped(
    ["worker_name", "worker_id", "status", "worker_status"],
    [
        "shares_15m",
        "shares_15m_pure",
        "shares_unit",
        "shares_1h",
        "reject_percent",
        "last_share_time",
    ],
)
BTCCOM_DAY = shaped(
    ["payment_tx", "address", "payment_mode"],
    ["date", "earnings", "paid_amount", "payment_time", "earnings_rate", "diff"],
)
BTCCOM_DATA = st.fixed_dictionaries(
    {},
    optional={
        "user_id": LEAF,
        "user_name": TEXT_LEAF,
        "region": TEXT_LEAF,
        "address": TEXT_LEAF,
        "unpaid": NUMBER_LEAF,
        "total_paid": NUMBER_LEAF,
        "last_payment_time": LEAF,
        "list": rows(BTCCOM_DAY),
        "page": LEAF,
        "page_count": LEAF,
        "total_count": LEAF,
        "shares_15m": NUMBER_LEAF,
        "shares_15m_unit": TEXT_LEAF,
        "shares_1d": NUMBER_LEAF,
        "shares_unit": TEXT_LEAF,
        "workers_active": LEAF,
        "shares_1m": NUMBER_LEAF,
        "data": rows(BTCCOM_WORKER),
    },
)
BTCCOM_DOCUMENT = st.fixed_dictionaries(
    {"err_no": st.just(0) | LEAF, "data": BTCCOM_DATA | LEAF},
    optional={"err_msg": TEXT_LEAF},
)
F2POOL_V1_DOCUMENT = st.fixed_dictionaries(
    {},
    optional={
        "hashrate": NUMBER_LEAF,
        "balance": NUMBER_LEAF,
        "paid": NUMBER_LEAF,
        "value": NUMBER_LEAF,
        "hashes_last_day": NUMBER_LEAF,
        "worker_length": LEAF,
        "worker_length_online": LEAF,
        "workers": rows(st.lists(TEXT_LEAF | NUMBER_LEAF, max_size=9)),
        "payout_history": rows(st.lists(TEXT_LEAF | NUMBER_LEAF, max_size=4)),
        "hashrate_history": st.dictionaries(
            st.sampled_from(["2026-11-01T12:00:00Z", "0", "-", "9" * 40]) | ANY_TEXT,
            NUMBER_LEAF,
            max_size=3,
        )
        | LEAF,
    },
)
V2_INFO = shaped(["name"], ["hash_rate", "h1_hash_rate", "h24_hash_rate", "h1_stale_hash_rate"])
F2POOL_V2_DOCUMENT = st.fixed_dictionaries(
    {"code": st.just(0) | LEAF},
    optional={
        "msg": TEXT_LEAF,
        "balance_info": shaped([], ["balance", "paid", "total_income"]) | LEAF,
        "info": V2_INFO | LEAF,
        "workers": rows(
            st.fixed_dictionaries(
                {},
                optional={
                    "hash_rate_info": V2_INFO | LEAF,
                    "name": TEXT_LEAF,
                    "status": LEAF,
                    "last_share_at": LEAF,
                },
            )
        ),
        "history": rows(shaped([], ["timestamp", "hash_rate", "online_miners"])),
        "transactions": rows(
            st.fixed_dictionaries(
                {},
                optional={
                    "payout_extra": shaped(["tx_id", "address"], ["value", "paid_time"]) | LEAF,
                    "created_at": LEAF,
                },
            )
        ),
    },
)
BRAIINS_RATES = ["hash_rate_unit", "hash_rate_5m", "hash_rate_60m", "hash_rate_24h"]
BRAIINS_WORKER = shaped(["state", "hash_rate_unit"], [*BRAIINS_RATES, "last_share"])
BRAIINS_PAYOUT = shaped(
    ["tx_id", "destination", "status"], ["amount_sats", "resolved_at_ts", "requested_at_ts"]
)
BRAIINS_DOCUMENT = st.fixed_dictionaries(
    {},
    optional={
        "username": TEXT_LEAF,
        "btc": st.fixed_dictionaries(
            {},
            optional={
                **dict.fromkeys(BRAIINS_RATES, NUMBER_LEAF | TEXT_LEAF),
                "ok_workers": LEAF,
                "low_workers": LEAF,
                "current_balance": NUMBER_LEAF,
                "all_time_reward": NUMBER_LEAF,
                "workers": st.dictionaries(ANY_TEXT, BRAIINS_WORKER | LEAF, max_size=3) | LEAF,
                "daily_rewards": rows(shaped([], ["date", "total_reward"])),
                "onchain": rows(BRAIINS_PAYOUT),
            },
        )
        | LEAF,
        "onchain": rows(BRAIINS_PAYOUT),
        "lightning": rows(BRAIINS_PAYOUT),
    },
)
ENCODINGS = ["plain", "plain", "bom", "utf-16", "utf-16-be", "utf-32", "cut"]


def encoded(body: bytes, how: str) -> bytes:
    """The body as a pool might garble it: behind a BOM, in UTF-16 or 32, or cut short."""
    if how == "plain":
        return body
    if how == "bom":
        return codecs.BOM_UTF8 + body
    if how == "cut":
        return body[: len(body) // 2]
    try:
        text = body.decode("utf-8", "surrogatepass")
    except UnicodeDecodeError:
        return body
    return text.encode(how, "surrogatepass")


def bodies(document: st.SearchStrategy[Any]) -> st.SearchStrategy[bytes]:
    return st.one_of(
        st.binary(max_size=256),
        st.sampled_from(WHOLE_BODIES),
        st.builds(encoded, document.map(dump), st.sampled_from(ENCODINGS)),
    )


HEADER_VALUES = st.text(max_size=60) | st.sampled_from(
    [
        "²",
        "١٢٠",
        "9" * 400,
        "Wed, 31 Dec 9999 23:59:59 GMT",
        "Mon, 01 Jan 0001 00:00:00 GMT",
        "-5",
        "nan",
        "inf",
        "1e999",
        "120",
        "application/json; charset=utf-32",
        "text/html; charset=\x00",
        "https://evil.example.test:8443/steal?x=1",
        "http://[::1",
        "//evil.example.test/x",
        "javascript:alert(1)",
    ]
)
HEADERS = st.dictionaries(
    st.sampled_from(["Retry-After", "Content-Type", "Location", "Content-Length"]),
    HEADER_VALUES,
    max_size=4,
)
STATUSES = st.just(200) | st.integers(min_value=100, max_value=599)


# --- the contracts ------------------------------------------------------------------------------


def assert_clean_text(text: str) -> None:
    """Strict UTF-8, and no control or format character."""
    text.encode("utf-8")
    unsafe = [char for char in text if unicodedata.category(char) in UNSAFE_CATEGORIES]
    assert not unsafe, (text, unsafe)


def assert_safe_text(text: str) -> None:
    """Text a reader returns: clean, and 256 characters at most."""
    assert_clean_text(text)
    assert len(text) <= MAX_TEXT, (len(text), text[:40])


def assert_model_safe(value: Any) -> int:
    """Check every value of a model; return how many texts were checked."""
    checked = 0
    if isinstance(value, str):
        assert_safe_text(value)
        # The statuses are the library's own words: checked, but not counted as read text.
        return 0 if isinstance(value, Enum) else 1
    if isinstance(value, float):
        assert math.isfinite(value)
    elif isinstance(value, Decimal):
        assert value.is_finite()
    elif isinstance(value, datetime):
        assert value.tzinfo is not None
    elif isinstance(value, (tuple, list)):
        for item in value:
            checked += assert_model_safe(item)
    elif is_dataclass(value):
        for item in fields(value):
            checked += assert_model_safe(getattr(value, item.name))
    else:
        assert value is None or isinstance(value, (bool, int, date)), type(value)
    return checked


def assert_error_contract(error: MiningPoolError) -> None:
    """A library error: not chained, and its extra values within their contracts."""
    assert error.__cause__ is None
    assert error.__context__ is None
    if isinstance(error, RateLimitedError):
        delay = error.retry_after
        assert delay is None or (isinstance(delay, float) and math.isfinite(delay)), delay
        assert delay is None or delay >= 0, delay
    if isinstance(error, RedirectError):
        assert_clean_text(error.location)
        target = URL(error.location)
        assert target.scheme in ("http", "https")
        assert target.host
        assert target.path in ("", "/")
        assert not target.query_string
        assert not target.fragment


def outcome(read: Callable[[], Any]) -> int:
    """Run one reader: a model within its contract, or a library error. Anything else fails."""
    try:
        model = read()
    except MiningPoolError as error:
        assert_error_contract(error)
        return 0
    return assert_model_safe(model)


def read_btccom(response: Response) -> int:
    reader = btccom.HashrateReader()
    parsers: list[Callable[[Any], Any]] = [
        btccom.parse_account_info,
        btccom.parse_earn_stats,
        lambda data: btccom.parse_earn_history(data, 1),
        lambda data: btccom.parse_realtime_hashrate(data, reader),
        lambda data: btccom.parse_worker_stats(data, reader),
        lambda data: btccom.parse_worker_page(data, 1, reader),
    ]
    return sum(
        outcome(lambda parse=parse: parse(mapping(btccom.unwrap(response), "data")))
        for parse in parsers
    )


def read_f2pool_v1(response: Response) -> int:
    return outcome(
        lambda: f2pool_v1.parse_account(mapping(f2pool_v1.unwrap(response), "the account"))
    )


def read_f2pool_v2(response: Response) -> int:
    parsers: list[Callable[[Any], Any]] = [
        f2pool_v2.parse_balance,
        f2pool_v2.parse_workers,
        f2pool_v2.parse_history,
        f2pool_v2.parse_payouts,
        lambda data: f2pool_v2.parse_hashrate_info(mapping(data.get("info"), "the info")),
    ]
    return sum(outcome(lambda parse=parse: parse(f2pool_v2.unwrap(response))) for parse in parsers)


def read_braiins(response: Response) -> int:
    reader = braiins.HashrateReader()
    parsers: list[Callable[[Any], Any]] = [
        lambda data: braiins.parse_profile(data, reader),
        lambda data: braiins.parse_workers(data, reader),
        braiins.parse_daily_rewards,
        braiins.parse_payouts,
    ]
    return sum(outcome(lambda parse=parse: parse(braiins.unwrap(response))) for parse in parsers)


# --- the tests ----------------------------------------------------------------------------------


@HOSTILE_SETTINGS
@given(body=bodies(BTCCOM_DOCUMENT), status=STATUSES, headers=HEADERS)
@example(body=b"1e999999999999999999", status=200, headers={})
@example(body=b'{"err_no": 0, "data": {"unpaid": 1e999999999999999999}}', status=200, headers={})
@example(body=b'{"err_no": 1e-999999999999999999999, "data": {}}', status=200, headers={})
@example(body=b'{"err_no": 0, "data": ' + b"[" * 100_000, status=200, headers={})
@example(body=b'{"err_no": ' + b"1" * 5000 + b', "data": {}}', status=200, headers={})
@example(body=b"\xef\xbb\xbf" + b'{"err_no": 0, "data": {}}', status=200, headers={})
@example(body=b'{"err_no": 0, "data": {"user_name": "\\ud800"}}', status=200, headers={})
@example(body=b'{"err_no": 0, "data": {"user_name": "\xed\xa0\x80"}}', status=200, headers={})
@example(body=b'{"err_no": 0, "data": {"user_name": "\xff"}}', status=200, headers={})
@example(body=b'{"err_no": 0, "data": {"region": ' + LONG_NUMBER + b"}}", status=200, headers={})
@example(body=b'{"err_no": 0, "data": {"user_name": ' + EMOJI + b"}}", status=200, headers={})
@example(body=b'{"err_no": 20001, "data": null}', status=403, headers={})
@example(body=b"", status=429, headers={"Retry-After": "²"})
@example(body=b"", status=302, headers={"Location": "https://evil.example.test:8443/x?y=1"})
def test_btccom_any_answer(body: bytes, status: int, headers: dict[str, str]) -> None:
    read_btccom(answer(body, status, headers))


@HOSTILE_SETTINGS
@given(body=bodies(F2POOL_V1_DOCUMENT), status=STATUSES, headers=HEADERS)
@example(body=b'{"balance": 1e999999999999999999}', status=200, headers={})
@example(body=b'{"hashrate": 1e-999999999999999999999}', status=200, headers={})
@example(body=b'{"workers": ' + b"[" * 100_000, status=200, headers={})
@example(body=b'{"paid": ' + b"1" * 5000 + b"}", status=200, headers={})
@example(body=b'{"workers": [["\\ud800", 1]]}', status=200, headers={})
@example(body=b'{"workers": [["\xed\xa0\x80", 1]]}', status=200, headers={})
@example(body=b'{"workers": [[' + LONG_NUMBER + b", 1]]}", status=200, headers={})
@example(body=b'{"payout_history": [["2026-01-01", "\\u202etx", 1]]}', status=200, headers={})
@example(body=b"\xef\xbb\xbf" + b'{"balance": 1}', status=200, headers={})
@example(body=b"503: GateWay Timeout", status=200, headers={"Retry-After": "9" * 400})
def test_f2pool_v1_any_answer(body: bytes, status: int, headers: dict[str, str]) -> None:
    read_f2pool_v1(answer(body, status, headers))


@HOSTILE_SETTINGS
@given(body=bodies(F2POOL_V2_DOCUMENT), status=STATUSES, headers=HEADERS)
@example(body=b'{"balance_info": {"balance": 1e999999999999999999}}', status=200, headers={})
@example(body=b'{"code": 1e999999999999999999}', status=200, headers={})
@example(body=b'{"info": {"hash_rate": 1e-999999999999999999999}}', status=200, headers={})
@example(body=b'{"workers": ' + b"[" * 100_000, status=200, headers={})
@example(body=b'{"code": 0, "history": [' + b"1" * 5000 + b"]}", status=200, headers={})
@example(body=b'{"workers": [{"name": "\\udfff"}]}', status=200, headers={})
@example(body=b'{"workers": [{"name": "\xed\xa0\x80"}]}', status=200, headers={})
@example(body=b'{"workers": [{"name": ' + LONG_NUMBER + b"}]}", status=200, headers={})
@example(
    body=b'{"transactions": [{"payout_extra": {"tx_id": "\\u0000\\u202e"}}]}',
    status=200,
    headers={},
)
@example(body=b"\xef\xbb\xbf" + b'{"code": 0}', status=200, headers={})
@example(body=b'{"code": 5010, "msg": "permission denied: x"}', status=401, headers={})
def test_f2pool_v2_any_answer(body: bytes, status: int, headers: dict[str, str]) -> None:
    read_f2pool_v2(answer(body, status, headers))


@HOSTILE_SETTINGS
@given(body=bodies(BRAIINS_DOCUMENT), status=STATUSES, headers=HEADERS)
@example(body=b'{"btc": {"hash_rate_unit": "Gh/s", "hash_rate_5m": 1e999}}', status=200, headers={})
@example(body=b'{"btc": {"hash_rate_unit": "Eh/s", "hash_rate_5m": 9e39}}', status=200, headers={})
@example(body=b'{"btc": {"workers": {"\\ud800": {"state": "ok"}}}}', status=200, headers={})
@example(body=b'{"btc": {"workers": ' + b"[" * 100_000, status=200, headers={})
@example(body=b"Invalid Access Profile token", status=403, headers={})
@example(body=b"", status=302, headers={"Location": "https://evil.example.test:8443/x?y=1"})
def test_braiins_any_answer(body: bytes, status: int, headers: dict[str, str]) -> None:
    read_braiins(answer(body, status, headers))


@TEXT_SETTINGS
@given(text=TEXT_LEAF)
@example(text=Raw(b'"\\ud800"'))
@example(text=Raw(b'"\xed\xa0\x80"'))
@example(text=Raw(b'"\\u202eexe.txt"'))
@example(text=Raw(b'"rig\\u200b01"'))
@example(text=Raw(b'"\\ud83d\\udc68\\u200d\\ud83d\\udcbb"'))
@example(text=Raw(b'"\\u001b[31m"'))
@example(text=Raw(b'"' + b"x" * 300 + b'"'))
@example(text=Raw(b"1" * 5000 + b".5"))
@example(text=Raw(b'"' + b"\\u200b" * 300 + b"x" * 300 + b'"'))
def test_every_text_field_is_safe(text: Raw) -> None:
    """The same hostile text in every text field of every document each reader reads."""
    worker = {"worker_name": text, "worker_id": text, "status": text, "shares_15m": 1}
    day = {
        "date": 20260101,
        "paid_amount": 100,
        "payment_tx": text,
        "address": text,
        "payment_mode": text,
    }
    data = {
        "user_name": text,
        "region": text,
        "address": text,
        "list": [day],
        "data": [worker, {"worker_id": text, "worker_status": text}],
        "shares_unit": text,
    }
    read_btccom(answer(dump({"err_no": 0, "data": data})))
    v1 = {
        "workers": [[text, 1, 2, 3, 4, 5, 0]],
        "payout_history": [["2026-01-01T00:00:00Z", text, 1]],
    }
    read_f2pool_v1(answer(dump(v1)))
    info = {"name": text, "hash_rate": 1}
    payout = {"value": 1, "paid_time": 1767225600, "tx_id": text, "address": text}
    v2 = {
        "info": info,
        "workers": [{"hash_rate_info": info, "status": 0}, {"name": text, "status": 1}],
        "transactions": [{"payout_extra": payout}],
    }
    read_f2pool_v2(answer(dump(v2)))
    worker_row = {"state": text, "hash_rate_unit": text, "hash_rate_5m": 1}
    payout = {"tx_id": text, "destination": text, "status": text, "amount_sats": 1}
    document = {
        "username": text,
        "btc": {"workers": {"rig": worker_row}, "hash_rate_unit": text},
        "onchain": [payout],
    }
    read_braiins(answer(dump(document)))


def test_plain_text_is_read_and_checked() -> None:
    """The checks above see the text fields: plain text comes through, and is counted."""
    plain = Raw(b'"rig-01"')
    worker = {"worker_name": plain, "worker_id": 42, "status": "ACTIVE"}
    response = answer(dump({"err_no": 0, "data": {"user_name": plain, "data": [worker]}}))
    reader = btccom.HashrateReader()
    page = btccom.parse_worker_page(mapping(btccom.unwrap(response), "data"), 1, reader)
    assert [worker.name for worker in page.workers] == ["rig-01"]
    assert btccom.parse_account_info(mapping(btccom.unwrap(response), "data")).user_name == (
        "rig-01"
    )
    # user_name, worker name and worker id (42 as text).
    assert read_btccom(response) == 3
    v1 = answer(dump({"workers": [[plain, 1]], "payout_history": [[1767225600, plain, 1]]}))
    assert read_f2pool_v1(v1) == 2
    v2 = answer(dump({"workers": [{"name": plain, "status": 0}]}))
    assert read_f2pool_v2(v2) == 1
    payout = {"tx_id": plain, "destination": plain, "amount_sats": 1}
    document = {"username": plain, "btc": {"workers": {"rig-01": {}}, "onchain": [payout]}}
    # The user name, the worker's name, and the payout's transaction id and address.
    assert read_braiins(answer(dump(document))) == 4


@HOSTILE_SETTINGS
@given(value=HEADER_VALUES | ANY_TEXT)
@example(value="²")
@example(value="١٢٠")
@example(value="9" * 400)
@example(value="Wed, 31 Dec 9999 23:59:59 GMT")
@example(value="-5")
@example(value="nan")
def test_any_retry_after(value: str) -> None:
    headers = {"Retry-After": value}
    readers: list[Callable[[Response], Any]] = [
        btccom.unwrap,
        f2pool_v1.unwrap,
        f2pool_v2.unwrap,
        braiins.unwrap,
    ]
    responses = [(unwrap, answer(b"slow down", 429, headers)) for unwrap in readers]
    responses.append((f2pool_v1.unwrap, answer(b"503: GateWay Timeout", 503, headers)))
    for unwrap, response in responses:
        with pytest.raises(RateLimitedError) as caught:
            unwrap(response)
        delay = caught.value.retry_after
        assert delay is None or (isinstance(delay, float) and math.isfinite(delay)), delay
        assert delay is None or delay >= 0, delay
