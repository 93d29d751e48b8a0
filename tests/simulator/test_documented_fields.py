"""Every field the sources document, on every endpoint the simulator serves, with default quirks.

The field lists are read from the sources, not from the simulator: BTC.com and F2Pool v1 from the
seeds (../shared/seeds/), the keys later documentation and real answers add from
../shared/docs/pool-apis.md (F2Pool v2 entirely), and Braiins Pool from its Academy page
(docs/braiins.md, source 2). Lightning rows are not checked: the simulator pays on-chain only.
"""

from dataclasses import dataclass
from typing import Any

from simulator import Quirks

from .conftest import TOKEN, Pools

BRAIINS_TOKEN = "br-fields"
BOB: dict[str, object] = {"currency": "litecoin", "mining_user_name": "bob"}


@dataclass(frozen=True)
class Rows:
    """A non-empty list whose every item has these fields."""

    fields: Any


@dataclass(frozen=True)
class Keyed:
    """A non-empty object whose every value (keyed by a name the pool chose) has these fields."""

    fields: Any


def missing(value: object, fields: object, path: str = "") -> list[str]:
    """Return the paths of the documented fields that the value lacks (or that are null)."""
    if fields is None:
        return [path] if value is None else []
    if isinstance(fields, Rows | Keyed):
        return _missing_in_items(value, fields, path)
    assert isinstance(fields, dict)
    if not isinstance(value, dict):
        return [path or "."]
    gaps: list[str] = []
    for key, inner in fields.items():
        where = f"{path}.{key}"
        gaps += [where] if key not in value else missing(value[key], inner, where)
    return gaps


def _missing_in_items(value: object, fields: Rows | Keyed, path: str) -> list[str]:
    rows = isinstance(fields, Rows)
    where = f"{path}[]" if rows else f"{path}{{}}"
    if rows and isinstance(value, list) and value:
        items: list[object] = value
    elif not rows and isinstance(value, dict) and value:
        items = list(value.values())
    else:
        return [where]
    inner = where if rows else path
    return [gap for item in items for gap in missing(item, fields.fields, inner)]


def flat(*names: str) -> dict[str, None]:
    """Fields that hold a value each."""
    return dict.fromkeys(names)


# BTC.com pool API v1: the seed (000_...), then pool-apis.md for what newer docs add.
EARN_STATS_SEED = flat(
    "total_paid",
    "pending_payouts",
    "last_payment_time",
    "earnings_today",
    "earnings_yesterday",
    "unpaid",
)
BTCCOM: dict[str, dict[str, Any]] = {
    "account/info": {
        **flat("user_id", "user_name", "address", "nmc_address", "rebates_address", "region"),
        "contact": {"mail": None, "phone": flat("country", "number")},
        "alert": flat(
            "hashrate_max",
            "hashrate_value",
            "hashrate_unit",
            "hashrate_alert",
            "miner_max",
            "miner_value",
            "miner_alert",
            "alert_interval",
        ),
    },
    "account/earn-stats": {
        **EARN_STATS_SEED,
        **flat("relative_pps_rate", "amount_100t"),
        "hashrate_yesterday": flat("size", "unit"),
        "shares_1d": flat("size", "unit"),
    },
    "account/earn-history": {
        **flat("page", "page_size", "page_count", "total_count"),
        "list": Rows(
            flat(
                "date",
                "earnings",
                "payment_time",
                "payment_tx",
                "address",
                "paid_amount",
                "diff",
                "payment_mode",
                "earnings_rate",
            )
        ),
    },
    "realtime/hashrate": flat("shares_15m", "shares_15m_unit", "shares_1d", "shares_1d_unit"),
    "worker/stats": flat(
        "workers_active",
        "workers_inactive",
        "workers_dead",
        "shares_1m",
        "shares_5m",
        "shares_15m",
        "workers_total",
        "shares_unit",
    ),
}
BTCCOM_WORKER_ROW = flat(
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
)

# F2Pool legacy v1: the seed's vocabulary and example (003_...), then the keys real answers add.
F2POOL_V1_SEED = flat(
    "balance",
    "paid",
    "payout_history",
    "value",
    "value_last_day",
    "stale_hashes_rejected_last_day",
    "hashes_last_day",
    "hashrate",
    "hashrate_history",
    "worker_length",
    "worker_length_online",
    "workers",
    "value_workers",
    "stale_hashes_rejected_last_hour",
    "hashes_last_hour",
)
F2POOL_V1_REAL = flat(
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
)
# The seed's positions of a worker array: name, hashrate, 1 h hashes, 1 h stale, 24 h hashes,
# 24 h stale, last share, extension.
F2POOL_V1_WORKER_POSITIONS = 8
# The seed's payout_history items: time, transaction id, amount.
F2POOL_V1_PAYOUT_POSITIONS = 3

# F2Pool v2: pool-apis.md.
HASH_RATE_INFO = flat(
    "name",
    "hash_rate",
    "h1_hash_rate",
    "h24_hash_rate",
    "h1_stale_hash_rate",
    "h24_stale_hash_rate",
    "h24_delay_hash_rate",
    "local_hash_rate",
    "h24_local_hash_rate",
)
HISTORY = {
    "history": Rows(
        flat(
            "timestamp",
            "hash_rate",
            "stale_hash_rate",
            "delay_hash_rate",
            "local_hash_rate",
            "normal_reward",
            "delay_reward",
            "online_miners",
        )
    )
}
TRANSACTION = flat("id", "type", "changed_balance", "created_at")
MINING_EXTRA = flat(
    "mining_date", "settle_date", "pps", "pps_fee_rate", "tx_fee", "tx_fee_rate", "hash_rate"
)
PAYOUT_EXTRA = flat("value", "address", "tx_id", "paid_time", "wallet_type", "tip")
F2POOL_V2: dict[str, tuple[dict[str, object], dict[str, Any]]] = {
    "assets/balance": (
        {},
        {
            "balance_info": flat(
                "balance", "paid", "total_income", "yesterday_income", "estimated_today_income"
            )
        },
    ),
    "hash_rate/info": ({}, {"info": HASH_RATE_INFO, "currency": None}),
    "hash_rate/info_list": (
        {"reqs": [BOB]},
        {"info": Rows(HASH_RATE_INFO)},
    ),
    "hash_rate/worker/list": (
        {},
        {
            "workers": Rows(
                {"hash_rate_info": HASH_RATE_INFO, **flat("last_share_at", "status", "host")}
            )
        },
    ),
    "hash_rate/history": ({}, HISTORY),
    "hash_rate/worker/history": ({"worker_name": "worker-1"}, HISTORY),
    "assets/transactions/list": (
        {"type": "revenue"},
        {"transactions": Rows({**TRANSACTION, "mining_extra": MINING_EXTRA})},
    ),
}

# Braiins Pool: the Academy's monitoring page.
BRAIINS: dict[str, dict[str, Any]] = {
    "/accounts/profile/json/btc/": {
        "username": None,
        "btc": flat(
            "all_time_reward",
            "hash_rate_unit",
            "hash_rate_5m",
            "hash_rate_60m",
            "hash_rate_24h",
            "hash_rate_yesterday",
            "low_workers",
            "off_workers",
            "ok_workers",
            "dis_workers",
            "current_balance",
            "today_reward",
            "estimated_reward",
            "shares_5m",
            "shares_60m",
            "shares_24h",
            "shares_yesterday",
        ),
    },
    "/accounts/workers/json/btc/": {
        "btc": {
            "workers": Keyed(
                flat(
                    "last_share",
                    "state",
                    "hash_rate_unit",
                    "hash_rate_scoring",
                    "hash_rate_5m",
                    "hash_rate_60m",
                    "hash_rate_24h",
                    "shares_5m",
                    "shares_60m",
                    "shares_24h",
                )
            )
        }
    },
    "/accounts/rewards/json/btc/": {
        "btc": {
            "daily_rewards": Rows(
                flat(
                    "date",
                    "total_reward",
                    "mining_reward",
                    "bos_plus_reward",
                    "referral_bonus",
                    "referral_reward",
                    "calculation_date",
                )
            )
        }
    },
    "/accounts/payouts/json/btc/": {
        "onchain": Rows(
            flat(
                "financial_account_name",
                "requested_at_ts",
                "resolved_at_ts",
                "status",
                "amount_sats",
                "fee_sats",
                "destination",
                "tx_id",
                "trigger_type",
            )
        ),
        "lightning": None,
    },
}


def test_the_checker_names_what_is_missing() -> None:
    fields = {"a": None, "b": {"c": None}, "d": Rows(flat("e")), "f": Keyed(flat("g"))}
    whole = {"a": 1, "b": {"c": "x"}, "d": [{"e": 0}], "f": {"rig": {"g": False}}}
    assert missing(whole, fields) == []
    gaps: dict[str, object] = {"a": None, "b": {}, "d": [{"e": 0}, {}], "f": {}}
    assert missing(gaps, fields) == [".a", ".b.c", ".d[].e", ".f{}"]


async def test_btccom(pools: Pools) -> None:
    for path, fields in BTCCOM.items():
        body = await pools.btccom(path)
        assert body["err_no"] == 0, path
        assert missing(body["data"], fields) == [], path
    listed = (await pools.btccom("worker"))["data"]
    fields = {
        **flat("page", "page_size", "page_count", "total_count"),
        "data": Rows({**BTCCOM_WORKER_ROW, "status": None}),
    }
    assert missing(listed, fields) == []
    worker_id = listed["data"][0]["worker_id"]
    detail = (await pools.btccom(f"worker/{worker_id}"))["data"]
    assert missing(detail, {**BTCCOM_WORKER_ROW, "worker_status": None}) == []
    groups = (await pools.btccom("worker/groups"))["data"]
    assert missing(groups, {"list": Rows(flat("gid", "name"))}) == []


async def test_btccom_seed_keys_only_keeps_the_seeds_fields(pools: Pools) -> None:
    pools.sim.add_btccom_account(
        access_key="ak-bare", puid=4242, workers=2, quirks=Quirks(seed_keys_only=True)
    )
    data = (await pools.btccom("account/earn-stats", access_key="ak-bare", puid=4242))["data"]
    assert set(data) == set(EARN_STATS_SEED)


async def test_f2pool_v1(pools: Pools) -> None:
    for path in ("/bitcoin/alice", "/litecoin/bob"):
        body = await pools.v1_json(path, TOKEN)
        assert missing(body, F2POOL_V1_SEED | F2POOL_V1_REAL) == [], path
        assert body["workers"], path
        assert all(len(row) >= F2POOL_V1_WORKER_POSITIONS for row in body["workers"]), path
        assert body["payout_history"], path
        assert all(len(item) == F2POOL_V1_PAYOUT_POSITIONS for item in body["payout_history"])
        assert body["value_workers"], path
    several = await pools.v1_json("/bitcoin/alice?multi_account=alice")
    assert missing(several, {"alice": F2POOL_V1_SEED | F2POOL_V1_REAL}) == []
    history = await pools.v1_json("/bitcoin/alice/worker-1")
    assert missing(history, {"hashrate_history": None}) == []
    assert history["hashrate_history"]


async def test_f2pool_v1_seed_keys_only(pools: Pools) -> None:
    pools.sim.add_f2pool_account(
        currency="bitcoin", account="bare", workers=2, quirks=Quirks(seed_keys_only=True)
    )
    body = await pools.v1_json("/bitcoin/bare")
    assert set(body) == set(F2POOL_V1_SEED)


async def test_f2pool_v2(pools: Pools) -> None:
    for endpoint, (extra, fields) in F2POOL_V2.items():
        body = await pools.v2(endpoint, {**BOB, **extra})
        assert "code" not in body, (endpoint, body)
        assert missing(body, fields) == [], endpoint
    payouts = await pools.v2("assets/transactions/list", {**BOB, "type": "payout"})
    fields = {"transactions": Rows({**TRANSACTION, "payout_extra": PAYOUT_EXTRA})}
    assert missing(payouts, fields) == []


async def test_braiins(pools: Pools) -> None:
    pools.sim.add_braiins_account(token=BRAIINS_TOKEN, workers=12, user_name="vega")
    for path, fields in BRAIINS.items():
        url = f"{pools.sim.braiins_url}{path}"
        async with pools.session.get(url, headers={"Pool-Auth-Token": BRAIINS_TOKEN}) as response:
            assert response.status == 200, path
            body = await response.json()
        assert missing(body, fields) == [], path
