"""What the library refuses before it sends anything, and how it encodes what it accepts."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from urllib.parse import unquote

import aiohttp
import pytest

from custom_components.mining_pool.api import (
    CURRENCIES,
    ENDPOINTS,
    BtcComClient,
    F2PoolV1Client,
    F2PoolV2Client,
    InvalidInputError,
)
from custom_components.mining_pool.api._input import path_segment

HOSTILE_NAMES = [
    "a/b",
    "a?b=c",
    "a#b",
    "a%2Fb",
    "..",
    ".",
    "../../v2/assets/balance",
    "with space",
    "矿工-01",
    "x" * 256,
]


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_path_segment_is_one_segment(name: str) -> None:
    segment = path_segment(name)
    assert "/" not in segment
    assert "?" not in segment
    assert "#" not in segment
    assert " " not in segment
    assert segment.isascii()
    assert segment.strip(".") != ""
    assert unquote(segment) == name


def test_currency_table_matches_the_seed() -> None:
    assert len(CURRENCIES) == 26
    by_address = [currency.name for currency in CURRENCIES if currency.by_address]
    assert by_address == ["siacoin-new", "ravenp", "zilliqa-etc-zil", "zilliqa-etc", "dynex"]
    assert len({currency.name for currency in CURRENCIES}) == 26


def test_btccom_presets_match_the_seed() -> None:
    assert [endpoint.host for endpoint in ENDPOINTS] == [
        "cn-pool.api.btc.com",
        "sz-pool.api.btc.com",
        "us-pool.api.btc.com",
        "eu-pool.api.btc.com",
        "cn-bccpool.api.btc.com",
        "sz-bccpool.api.btc.com",
        "us-bccpool.api.btc.com",
        "cn-sbtcpool.api.btc.com",
        "cn-ubtcpool.api.btc.com",
    ]
    assert {endpoint.coin for endpoint in ENDPOINTS} == {"BTC", "BCH", "SBTC", "UBTC"}


async def test_btccom_accepts_preset_host_and_url() -> None:
    async with aiohttp.ClientSession() as session:
        for endpoint in ("btc_us", "pool.api.btc.com", "http://127.0.0.1:8080/", "host:443"):
            client = BtcComClient(session, access_key="k", puid=1, endpoint=endpoint)
            assert "k" not in repr(client).replace("BtcComClient", "")
        assert client.puid == "1"


@pytest.mark.parametrize(
    ("arguments", "field"),
    [
        ({"access_key": "", "puid": 1, "endpoint": "btc_us"}, "access_key"),
        ({"access_key": "has space", "puid": 1, "endpoint": "btc_us"}, "access_key"),
        ({"access_key": "k\r\nX-Evil: 1", "puid": 1, "endpoint": "btc_us"}, "access_key"),
        ({"access_key": "k" * 257, "puid": 1, "endpoint": "btc_us"}, "access_key"),
        ({"access_key": "k", "puid": "12a", "endpoint": "btc_us"}, "puid"),
        ({"access_key": "k", "puid": -1, "endpoint": "btc_us"}, "puid"),
        ({"access_key": "k", "puid": True, "endpoint": "btc_us"}, "puid"),
        ({"access_key": "k", "puid": 1, "endpoint": "not a host"}, "endpoint"),
        ({"access_key": "k", "puid": 1, "endpoint": "ftp://example.org"}, "endpoint"),
        ({"access_key": "k", "puid": 1, "endpoint": "https://u:p@example.org"}, "endpoint"),
        ({"access_key": "k", "puid": 1, "endpoint": "https://example.org/?a=1"}, "endpoint"),
        ({"access_key": "k", "puid": 1, "endpoint": "https://example.org:99999"}, "endpoint"),
        ({"access_key": "k", "puid": 1, "endpoint": "http://[::1"}, "endpoint"),
    ],
)
async def test_btccom_refuses_malformed_input(arguments: dict[str, object], field: str) -> None:
    async with aiohttp.ClientSession() as session:
        with pytest.raises(InvalidInputError) as caught:
            BtcComClient(session, **arguments)  # type: ignore[arg-type]
    assert caught.value.field == field


@pytest.mark.parametrize(
    ("arguments", "field"),
    [
        ({"currency": "dogecoin", "account": "a"}, "currency"),
        ({"currency": "bitcoin", "account": ""}, "account"),
        ({"currency": "bitcoin", "account": "   "}, "account"),
        ({"currency": "bitcoin", "account": "a\nb"}, "account"),
        ({"currency": "bitcoin", "account": "x" * 10_000}, "account"),
        ({"currency": "bitcoin", "account": "a", "token": "t t"}, "token"),
        ({"currency": "bitcoin", "account": "a", "base_url": "nowhere at all"}, "base_url"),
    ],
)
async def test_f2pool_refuses_malformed_input(arguments: dict[str, object], field: str) -> None:
    async with aiohttp.ClientSession() as session:
        with pytest.raises(InvalidInputError) as caught:
            F2PoolV1Client(session, **arguments)  # type: ignore[arg-type]
        assert caught.value.field == field
        with pytest.raises(InvalidInputError) as caught:
            F2PoolV2Client(session, **{"token": "tok", **arguments})  # type: ignore[arg-type]
        assert caught.value.field == field


async def test_f2pool_v2_refuses_bad_windows_before_sending() -> None:
    async with aiohttp.ClientSession() as session:
        client = F2PoolV2Client(session, currency="litecoin", account="a", token="t")
        with pytest.raises(InvalidInputError, match="multiple of 10 minutes"):
            await client.hashrate_history(interval=timedelta(minutes=15))
        with pytest.raises(InvalidInputError, match="30 days"):
            await client.hashrate_history(duration=timedelta(days=31))
        with pytest.raises(InvalidInputError, match="3 days"):
            await client.worker_history("w", duration=timedelta(days=4))
        with pytest.raises(InvalidInputError):
            await client.hashrates([])
        with pytest.raises(InvalidInputError):
            await client.hashrates([("litecoin", "a")] * 101)
        now = datetime(2026, 1, 1, tzinfo=UTC)
        with pytest.raises(InvalidInputError, match="after its start"):
            await client.payouts(now, now)
        assert repr(client) == "F2PoolV2Client(currency='litecoin')"
