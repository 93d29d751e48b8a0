"""The fake F2Pool API v2: POST /v2/{path}, a JSON body, the token in F2P-API-SECRET.

Endpoint keys: assets/balance, hash_rate/info, hash_rate/info_list, hash_rate/worker/list,
hash_rate/history, hash_rate/worker/history, assets/transactions/list, and "unknown" (HTTP 404).
Errors are HTTP 200 {"code": N, "msg": "error_type: description"}: 5010 for a missing or wrong
token (or the token of another account), 5001 for anything wrong in the parameters, and for a
hash_rate/* request of a currency outside the hashrate module (bitcoin, bitcoin-cash, litecoin).
"""

import json
import math
from collections.abc import Mapping
from typing import Any

from aiohttp import web

from .faults import DEFAULT_RETRY_AFTER, Fault, Reply, status_reply, text_reply
from .state import (
    DAY,
    SLOT,
    F2PoolAccount,
    Worker,
    WorkerStats,
    World,
    f2pool_status,
    mean_ratio,
    mix,
)
from .wire import path_segments

ENDPOINTS = {
    "assets/balance",
    "hash_rate/info",
    "hash_rate/info_list",
    "hash_rate/worker/list",
    "hash_rate/history",
    "hash_rate/worker/history",
    "assets/transactions/list",
}
UNKNOWN = "unknown"
SECRET_HEADER = "F2P-API-SECRET"  # noqa: S105 (a header name, not a secret)
PARAMS_ERROR = 5001
# F2Pool's documentation: the hashrate module (hash_rate/*) serves these currencies only.
HASHRATE_CURRENCIES = frozenset({"bitcoin", "bitcoin-cash", "litecoin"})
PERMISSION_DENIED = 5010
MAX_REQS = 100
ACCOUNT_HISTORY = 30 * DAY
WORKER_HISTORY = 3 * DAY
TRANSACTION_TYPES = {"revenue", "payout", "all"}
# FPPS credits a day in two parts, the block subsidy (pps) and the transaction fees (tx_fee).
TX_FEE_PERCENT = 3
FEE_RATE = 0.04
# The documentation names payout_extra.wallet_type without listing its values.
WALLET_TYPE = "default"


class ApiError(Exception):
    """A v2 error answer."""

    def __init__(self, code: int, message: str) -> None:
        """Carry the code and the whole message ("params error: ...")."""
        super().__init__(message)
        self.code = code


def error_reply(code: int, message: str) -> Reply:
    """Return the v2 error body {"code", "msg"} in HTTP 200."""
    return Reply(payload={"code": code, "msg": message})


def _params(description: str) -> ApiError:
    return ApiError(PARAMS_ERROR, f"params error: {description}")


def _integer(body: Mapping[str, Any], name: str, default: int) -> int:
    value = body.get(name, default)
    if isinstance(value, bool) or not isinstance(value, int):
        raise _params(f"{name} must be an integer")
    return int(value)


def _coins(account: F2PoolAccount, units: int) -> float:
    return units / account.scale


def hash_rate_info(name: str, rows: list[WorkerStats]) -> dict[str, object]:
    """HashRateInfo: the rates of an account (or one worker) in H/s."""
    return {
        "name": name,
        "hash_rate": float(sum(s.hashrate for s in rows)),
        "h1_hash_rate": sum(s.avg_1h for s in rows),
        "h24_hash_rate": sum(s.avg_24h for s in rows),
        "h1_stale_hash_rate": sum(s.stale_1h for s in rows) / 3600,
        "h24_stale_hash_rate": sum(s.stale_24h for s in rows) / DAY,
        "h24_delay_hash_rate": sum(s.avg_24h * s.worker.delay_ratio for s in rows),
        "local_hash_rate": sum(s.hashrate * s.worker.local_ratio for s in rows),
        "h24_local_hash_rate": sum(s.avg_24h * s.worker.local_ratio for s in rows),
    }


class F2PoolV2Api:
    """Answers F2Pool v2 requests for the world's F2Pool accounts that have a token."""

    name = "f2pool_v2"

    def __init__(self, world: World) -> None:
        """Serve this world."""
        self.world = world

    def endpoint(self, request: web.BaseRequest) -> str:
        """Return the endpoint key of a request."""
        segments = path_segments(request.raw_path)
        key = "/".join(segments[1:])
        # A decoded "%2F" inside one segment must not join two segments into an endpoint.
        if segments[0] != "v2" or any("/" in segment for segment in segments):
            return UNKNOWN
        return key if key in ENDPOINTS else UNKNOWN

    def fault_reply(self, fault: Fault) -> Reply | None:
        """Return the answer a fault dictates before the request is looked at, or None."""
        if fault.rate_limit:
            return text_reply(429, **{"Retry-After": DEFAULT_RETRY_AFTER})
        if fault.auth_failure:
            return error_reply(PERMISSION_DENIED, "permission denied: invalid api secret")
        if fault.code is not None:
            return error_reply(fault.code, fault.msg or f"error: code {fault.code}")
        return status_reply(fault)

    async def answer(
        self,
        request: web.BaseRequest,
        endpoint: str,
        fault: Fault | None,  # noqa: ARG002 (no fault shapes F2Pool v2's data)
    ) -> Reply:
        """Answer one request."""
        if endpoint == UNKNOWN:
            return text_reply(404, "404 page not found")
        if request.method != "POST":
            return text_reply(405)
        token = request.headers.get(SECRET_HEADER, "")
        body = await self._body(request, token)
        if isinstance(body, Reply):
            return body
        try:
            payload = getattr(_Answer(self.world, token, body), endpoint.replace("/", "_"))()
        except ApiError as error:
            return error_reply(error.code, str(error))
        return Reply(payload=payload)

    async def _body(self, request: web.BaseRequest, token: str) -> dict[str, Any] | Reply:
        known = {account.token for account in self.world.f2pool.values() if account.token}
        if token not in known:
            return error_reply(PERMISSION_DENIED, "permission denied: invalid api secret")
        try:
            body = json.loads(await request.read())
        except ValueError:
            return error_reply(PARAMS_ERROR, "params error: the body is not JSON")
        if not isinstance(body, dict):
            return error_reply(PARAMS_ERROR, "params error: the body must be a JSON object")
        return body


class _Answer:
    """The payload of one v2 request that passed the token check."""

    def __init__(self, world: World, token: str, body: Mapping[str, Any]) -> None:
        self.world = world
        self.token = token
        self.body = body
        self.ts = world.ts

    def account(self, request: Mapping[str, Any], *, hashrate: bool = False) -> F2PoolAccount:
        """Find the account a request names, checking the token against it.

        ``hashrate``: the request is one of the hashrate module's, which serves three currencies.
        """
        currency = request.get("currency")
        name = request.get("mining_user_name") or request.get("user_name") or request.get("address")
        if not isinstance(currency, str) or not currency:
            raise _params("currency is required")
        if not isinstance(name, str) or not name:
            raise _params("mining_user_name or address is required")
        if hashrate and currency not in HASHRATE_CURRENCIES:
            raise _params(f"currency {currency!r} is not supported by the hashrate module")
        account = self.world.f2pool.get((currency, name))
        if account is None:
            raise _params(f"no mining account {name!r} of currency {currency!r}")
        if account.token != self.token:
            raise ApiError(PERMISSION_DENIED, "permission denied: not your account")
        return account

    def worker(self, account: F2PoolAccount) -> Worker:
        """Find the worker the body names."""
        name = self.body.get("worker_name")
        if not isinstance(name, str) or not name:
            raise _params("worker_name is required")
        worker = account.workers.get(name)
        if worker is None:
            raise _params(f"no worker {name!r}")
        return worker

    def assets_balance(self) -> object:
        account, ts = self.account(self.body), self.ts
        paid = sum(payout.units for payout in account.payouts_at(ts))
        income = sum(credit.units for credit in account.credits_at(ts))
        return {
            "balance_info": {
                "balance": _coins(account, income - paid),
                "paid": _coins(account, paid),
                "total_income": _coins(account, income),
                "yesterday_income": _coins(account, account.yesterday_units(ts)),
                "estimated_today_income": _coins(account, account.today_units(ts)),
            }
        }

    def hash_rate_info(self) -> object:
        account = self.account(self.body, hashrate=True)
        return {
            "info": hash_rate_info(account.name, account.view_at(self.ts).workers),
            "currency": account.currency,
        }

    def hash_rate_info_list(self) -> object:
        requests = self.body.get("reqs")
        if not isinstance(requests, list) or not requests:
            raise _params("reqs must be a non-empty list")
        if len(requests) > MAX_REQS:
            raise _params(f"at most {MAX_REQS} reqs")
        infos = []
        for request in requests:
            if not isinstance(request, dict):
                raise _params("each req must be an object")
            account = self.account(request, hashrate=True)
            infos.append(hash_rate_info(account.name, account.view_at(self.ts).workers))
        return {"info": infos}

    def hash_rate_worker_list(self) -> object:
        account = self.account(self.body, hashrate=True)
        if account.quirks.rotating_names:
            account.rotate_names()
        workers = []
        for stats in account.view_at(self.ts).workers:
            last = stats.last_share
            workers.append(
                {
                    "hash_rate_info": hash_rate_info(stats.worker.name, [stats]),
                    "last_share_at": 0 if last is None else int(last),
                    "status": f2pool_status(online=stats.online, last_share=last, ts=self.ts),
                    "host": stats.worker.host,
                }
            )
        return {"workers": workers}

    def _history(self, account: F2PoolAccount, longest: int, worker: Worker | None) -> object:
        interval = _integer(self.body, "interval", SLOT)
        duration = _integer(self.body, "duration", DAY)
        if interval <= 0 or interval % SLOT:
            raise _params("interval must be a positive multiple of 600")
        if not interval <= duration <= longest:
            raise _params(f"duration must be between interval and {longest}")
        end = math.floor(self.ts / interval) * interval
        start = end - duration // interval * interval
        series = account.series(start, end, None if worker is None else [worker])
        sources = list(account.workers.values()) if worker is None else [worker]
        stale = mean_ratio(sources, lambda one: one.stale_ratio)
        delay = mean_ratio(sources, lambda one: one.delay_ratio)
        local = mean_ratio(sources, lambda one: one.local_ratio)
        per_point = interval // SLOT
        points = []
        for first in range(0, len(series.hashes), per_point):
            hashes = sum(series.hashes[first : first + per_point])
            rate = hashes / interval
            points.append(
                {
                    "timestamp": start + first * SLOT,
                    "hash_rate": rate,
                    "stale_hash_rate": rate * stale,
                    "delay_hash_rate": rate * delay,
                    "local_hash_rate": rate * local,
                    "normal_reward": _coins(account, account.units_for(hashes)),
                    "delay_reward": _coins(account, account.units_for(hashes * delay)),
                    "online_miners": series.online[first],
                }
            )
        return {"history": points}

    def hash_rate_history(self) -> object:
        return self._history(self.account(self.body, hashrate=True), ACCOUNT_HISTORY, None)

    def hash_rate_worker_history(self) -> object:
        account = self.account(self.body, hashrate=True)
        return self._history(account, WORKER_HISTORY, self.worker(account))

    def assets_transactions_list(self) -> object:
        account, ts = self.account(self.body), self.ts
        kind = self.body.get("type", "all")
        if kind not in TRANSACTION_TYPES:
            raise _params("type must be revenue, payout or all")
        start = _integer(self.body, "start_time", int(ts) - ACCOUNT_HISTORY)
        end = _integer(self.body, "end_time", int(ts))
        if start > end:
            raise _params("start_time is after end_time")
        entries: list[dict[str, object]] = []
        if kind in {"revenue", "all"}:
            for credit in account.credits_at(ts):
                if not start <= credit.at <= end:
                    continue
                tx_fee = credit.units * TX_FEE_PERCENT // 100
                entries.append(
                    {
                        "id": mix(account.key, int(credit.at), 1) >> 12,
                        "type": "revenue",
                        "changed_balance": _coins(account, credit.units),
                        "created_at": int(credit.at),
                        "payout_extra": None,
                        "mining_extra": {
                            "mining_date": int(credit.at) - DAY,
                            "settle_date": int(credit.at),
                            "pps": _coins(account, credit.units - tx_fee),
                            "pps_fee_rate": FEE_RATE,
                            "tx_fee": _coins(account, tx_fee),
                            "tx_fee_rate": FEE_RATE,
                            "hash_rate": credit.hashes / DAY,
                        },
                    }
                )
        if kind in {"payout", "all"}:
            payouts = account.payouts_at(ts)
            for payout in payouts:
                if not start <= payout.at <= end:
                    continue
                hidden = account.quirks.null_txid and payout is payouts[-1]
                entries.append(
                    {
                        "id": mix(account.key, int(payout.at), 2) >> 12,
                        "type": "payout",
                        "changed_balance": -_coins(account, payout.units),
                        "created_at": int(payout.at),
                        "payout_extra": {
                            "value": _coins(account, payout.units),
                            "address": payout.address,
                            "tx_id": None if hidden else payout.txid,
                            "paid_time": int(payout.at),
                            "wallet_type": WALLET_TYPE,
                            "tip": 0.0,
                        },
                        "mining_extra": None,
                    }
                )
        entries.sort(key=lambda entry: (str(entry["created_at"]).zfill(12), str(entry["type"])))
        return {"transactions": entries[::-1]}
