"""The fake BTC.com pool API v1: GET /v1/..., an envelope {"err_no", "data"} always in HTTP 200.

Endpoint keys (for request counts and faults): /account/info, /account/earn-stats,
/account/earn-history, /realtime/hashrate, /worker/stats, /worker, /worker/{worker_id},
/worker/groups, and "unknown" for any other path (HTTP 404, plain text).
"""

import math
from collections.abc import Callable, Mapping
from typing import Any

from aiohttp import web

from .faults import DEFAULT_RETRY_AFTER, Fault, Reply, status_reply, text_reply
from .quirks import HOSTILE_USER_NAME_SUFFIX, Quirks
from .state import (
    DAY,
    BtcComAccount,
    Worker,
    WorkerStats,
    World,
    btccom_status,
    day_of,
    mix,
    to_datetime,
)
from .wire import fixed, in_unit, natural_unit, path_segments, sql_time, whole

ENDPOINTS = {
    ("account", "info"): "/account/info",
    ("account", "earn-stats"): "/account/earn-stats",
    ("account", "earn-history"): "/account/earn-history",
    ("realtime", "hashrate"): "/realtime/hashrate",
    ("worker", "stats"): "/worker/stats",
    ("worker",): "/worker",
    ("worker", "groups"): "/worker/groups",
}
WORKER_DETAIL = "/worker/{worker_id}"
UNKNOWN = "unknown"
UNAUTHORIZED = 401
PARAMETER_ERROR = 1
OPERATION_FAILED = 2
PERMISSION_DENIED = 20001
MESSAGES = {
    UNAUTHORIZED: "unauthorized",
    PARAMETER_ERROR: "parameter error",
    OPERATION_FAILED: "Operation failed",
    PERMISSION_DENIED: "permissions denied",
}
HISTORY_PAGE_MAX = 50
WORKER_PAGE_DEFAULT = 50
WORKER_PAGE_MAX = 1000
ENDLESS_PAGE_COUNT = 1000
STATUSES = {"active": "ACTIVE", "inactive": "INACTIVE", "dead": "DEAD"}
ORDERS: dict[str, Callable[[WorkerStats], Any]] = {
    "worker_name": lambda stats: stats.worker.name,
    "shares_1m": lambda stats: stats.avg_1m,
    "shares_5m": lambda stats: stats.avg_5m,
    "shares_15m": lambda stats: stats.avg_15m,
    "last_share_time": lambda stats: stats.last_share or 0,
    "reject_percent": lambda stats: stats.worker.stale_ratio,
}
MINER_AGENTS = ("Antminer S19 Pro", "Antminer S21", "WhatsMiner M50S", "Avalon A1366")


class ApiError(Exception):
    """An envelope error: err_no, its message, and the query field at fault."""

    def __init__(self, err_no: int, field: str) -> None:
        """Name the error and the field."""
        super().__init__(MESSAGES.get(err_no, "error"))
        self.err_no = err_no
        self.field = field


def envelope_error(
    err_no: int, message: str, field: str = "access_key", quirks: Quirks | None = None
) -> Reply:
    """Return an envelope error in the form the account's quirk says."""
    form = (quirks or Quirks()).err_msg_form
    payload: dict[str, object] = {"err_no": err_no, "data": None}
    if form == "null":
        payload["err_msg"] = None
    elif form == "string":
        payload["err_msg"] = message
    elif form == "object":
        payload["err_msg"] = {field: [message]}
    return Reply(payload=payload, envelope=True)


def _int(query: Mapping[str, str], name: str, default: int) -> int:
    text = query.get(name)
    if text is None:
        return default
    try:
        return int(text)
    except ValueError:
        raise ApiError(PARAMETER_ERROR, name) from None


def _page_count(total: int, size: int) -> int:
    return math.ceil(total / size)


def ghost(account: BtcComAccount, name: str, ts: float) -> WorkerStats:
    """A worker that only one page of endless_pages lists: mining at its base rate, ACTIVE."""
    worker = Worker(account, name, created=account.opened_at)
    rate = worker.base_hs
    hashes_1h, hashes_24h = int(rate * 3600), int(rate * DAY)
    return WorkerStats(
        worker=worker,
        online=True,
        hashrate=rate,
        avg_1m=rate,
        avg_5m=rate,
        avg_15m=rate,
        avg_1h=rate,
        avg_24h=rate,
        hashes_1h=hashes_1h,
        hashes_24h=hashes_24h,
        stale_1h=int(hashes_1h * worker.stale_ratio),
        stale_24h=int(hashes_24h * worker.stale_ratio),
        last_share=account.round_share(worker.tick_before(ts)),
    )


class BtcComApi:
    """Answers BTC.com pool API v1 requests for the world's BTC.com accounts."""

    name = "btccom"

    def __init__(self, world: World) -> None:
        """Serve this world."""
        self.world = world

    def endpoint(self, request: web.BaseRequest) -> str:
        """Return the endpoint key of a request."""
        match path_segments(request.raw_path):
            case ["v1", *rest] if tuple(rest) in ENDPOINTS:
                return ENDPOINTS[tuple(rest)]
            case ["v1", "worker", worker_id] if worker_id:
                return WORKER_DETAIL
            case _:
                return UNKNOWN

    def fault_reply(self, fault: Fault) -> Reply | None:
        """Return the answer a fault dictates before the request is looked at, or None."""
        if fault.rate_limit:
            return text_reply(429, **{"Retry-After": DEFAULT_RETRY_AFTER})
        if fault.auth_failure:
            return envelope_error(PERMISSION_DENIED, MESSAGES[PERMISSION_DENIED])
        if fault.err_no is not None:
            message = fault.msg or MESSAGES.get(fault.err_no, "error")
            return envelope_error(fault.err_no, message)
        return status_reply(fault)

    def _account(self, query: Mapping[str, str]) -> BtcComAccount | Reply:
        access_key, puid = query.get("access_key"), query.get("puid")
        if not access_key or not puid:
            field = "puid" if access_key else "access_key"
            return envelope_error(UNAUTHORIZED, MESSAGES[UNAUTHORIZED], field)
        if not (puid.isascii() and puid.isdigit()):
            return envelope_error(PARAMETER_ERROR, MESSAGES[PARAMETER_ERROR], "puid")
        account = self.world.btccom.get(int(puid))
        if account is None or account.access_key != access_key:
            quirks = account.quirks if account is not None else None
            return envelope_error(PERMISSION_DENIED, MESSAGES[PERMISSION_DENIED], quirks=quirks)
        return account

    async def answer(self, request: web.BaseRequest, endpoint: str, fault: Fault | None) -> Reply:
        """Answer one request (endless_pages shapes the worker list)."""
        if endpoint == UNKNOWN:
            return text_reply(404)
        if request.method != "GET":
            return text_reply(405)
        account = self._account(request.query)
        if isinstance(account, Reply):
            return account
        endless = fault is not None and fault.endless_pages
        answer = _Answer(account, self.world.ts, request.query, endless=endless)
        try:
            if endpoint == WORKER_DETAIL:
                data = answer.worker_detail(path_segments(request.raw_path)[2])
            else:
                data = getattr(answer, endpoint.strip("/").replace("/", "_").replace("-", "_"))()
        except ApiError as error:
            return envelope_error(error.err_no, str(error), error.field, account.quirks)
        payload: dict[str, object] = {"err_no": 0, "data": data}
        if account.quirks.err_msg_form == "null":
            payload["err_msg"] = None
        return Reply(payload=payload, envelope=True)


class _Answer:
    """The data of one successful request."""

    def __init__(
        self, account: BtcComAccount, ts: float, query: Mapping[str, str], *, endless: bool
    ) -> None:
        self.account = account
        self.quirks = account.quirks
        self.ts = ts
        self.query = query
        self.endless = endless

    def number(self, value: float, places: int = 0) -> object:
        """A number as the seed sends it (a string) or as a JSON number."""
        if self.quirks.numbers_as_strings:
            return fixed(value, places) if places else str(int(value))
        return round(value, places) if places else int(value)

    def rate(self, hashrate: float, places: int, unit: int | None = None) -> tuple[object, str]:
        """A hashrate as (number, unit letter)."""
        value, letter = in_unit(
            hashrate, natural_unit(hashrate) if unit is None else unit, self.quirks.unit_letter
        )
        return self.number(value, places), letter

    def account_info(self) -> object:
        account = self.account
        return {
            "user_id": account.user_id,
            "user_name": account.user_name
            + (HOSTILE_USER_NAME_SUFFIX if self.quirks.hostile_names else ""),
            "address": account.address,
            "nmc_address": "",
            "rebates_address": "",
            "region": account.region,
            "contact": {"mail": "", "phone": {"country": "86", "number": "133****3333"}},
            "alert": {
                "hashrate_max": "0",
                "hashrate_value": "0",
                "hashrate_unit": "T",
                "hashrate_alert": 0,
                "miner_max": "0",
                "miner_value": "0",
                "miner_alert": 0,
                "alert_interval": 6,
            },
        }

    def account_earn_stats(self) -> object:
        account, ts = self.account, self.ts
        paid = account.payouts_at(ts)
        pending = sum(payout.units for payout in account.payouts_at(ts, pending=True))
        last = str(int(paid[-1].at)) if paid else "0"
        data: dict[str, object] = {
            "total_paid": self.number(sum(payout.units for payout in paid)),
            "pending_payouts": self.number(pending),
            "last_payment_time": last if self.quirks.numbers_as_strings else int(last),
            "earnings_today": self.number(account.today_units(ts)),
            "earnings_yesterday": self.number(account.yesterday_units(ts)),
            "unpaid": self.number(account.balance_units(ts) - pending),
        }
        if not self.quirks.seed_keys_only:
            spec = account.spec
            yesterday = [c for c in account.credits_at(ts) if day_of(c.at) == day_of(ts)]
            rate_yesterday = yesterday[0].hashes / DAY if yesterday else 0.0
            size, unit = self.rate(rate_yesterday, 2)
            day_size, day_unit = self.rate(account.view_at(self.ts).average(DAY), 2)
            data |= {
                "relative_pps_rate": "0.0452",
                "amount_100t": str(int(spec.daily_per_worker / spec.worker_hs * 1e14 * 1e8)),
                "hashrate_yesterday": {"size": size, "unit": unit},
                "shares_1d": {"size": day_size, "unit": day_unit},
            }
        return data

    def account_earn_history(self) -> object:
        page = _int(self.query, "page", 1)
        size = _int(self.query, "page_size", HISTORY_PAGE_MAX)
        if page < 1:
            raise ApiError(PARAMETER_ERROR, "page")
        if not 1 <= size <= HISTORY_PAGE_MAX:
            raise ApiError(PARAMETER_ERROR, "page_size")
        account, ts = self.account, self.ts
        payouts = {payout.day: payout for payout in account.payouts_at(ts)}
        newest = max(payouts.values(), key=lambda payout: payout.at, default=None)
        days = [(credit.day, credit.units, credit.hashes) for credit in account.credits_at(ts)]
        if not self.quirks.empty_account:
            days.append((to_datetime(ts).date(), 0, 0.0))
        days.reverse()
        rows = []
        for index, (day, units, hashes) in enumerate(days[(page - 1) * size : page * size]):
            payout = payouts.get(day)
            stamp = int(day.strftime("%Y%m%d"))
            txid: str | None = payout.txid if payout else ""
            if payout is not None and payout is newest and self.quirks.null_txid:
                txid = None
            per_peta = hashes / DAY / 1e15
            row: dict[str, object] = {
                "date": str(stamp) if self.quirks.mixed_types and index % 2 else stamp,
                "earnings": units,
                "payment_time": sql_time(payout.at) if payout else "0",
                "payment_tx": txid,
                "address": payout.address if payout else "",
                "paid_amount": payout.units if payout else 0,
                "diff": account.spec.difficulty,
                "payment_mode": "PPS",
                "earnings_rate": round(units / 1e8 / per_peta, 4) if per_peta else 0,
            }
            if self.quirks.extra_keys:
                row["more_than_pps96_rate"] = 0
            rows.append(row)
        paging: list[object] = [page, size] if self.quirks.mixed_types else [str(page), str(size)]
        return {
            "page": paging[0],
            "page_size": paging[1],
            "page_count": _page_count(len(days), size),
            "total_count": len(days),
            "list": rows,
        }

    def realtime_hashrate(self) -> object:
        view = self.account.view_at(self.ts)
        short, short_unit = self.rate(view.average(900), 2)
        day, day_unit = self.rate(view.average(DAY), 2)
        return {
            "shares_15m": short,
            "shares_15m_unit": short_unit,
            "shares_1d": day,
            "shares_1d_unit": day_unit,
        }

    def _counts(self, stats: list[WorkerStats]) -> dict[str, int]:
        counts = dict.fromkeys(STATUSES.values(), 0)
        for one in stats:
            counts[btccom_status(one.last_share, self.ts)] += 1
        return counts

    def worker_stats(self) -> object:
        view = self.account.view_at(self.ts)
        averages = [view.average(60), view.average(300), view.average(900)]
        unit = natural_unit(max(averages))
        shares = [self.rate(value, 2, unit) for value in averages]
        counts = self._counts(view.workers)
        return {
            "workers_active": counts["ACTIVE"],
            "workers_inactive": counts["INACTIVE"],
            "workers_dead": counts["DEAD"],
            "shares_1m": shares[0][0],
            "shares_5m": shares[1][0],
            "shares_15m": shares[2][0],
            "workers_total": len(view.workers),
            "shares_unit": shares[0][1],
        }

    def worker_row(self, stats: WorkerStats, index: int, status_key: str = "status") -> object:
        """One worker as /worker lists it (or, with worker_status, as /worker/{id} shows it)."""
        worker, quirks = stats.worker, self.quirks
        averages = (stats.avg_1m, stats.avg_5m, stats.avg_15m)
        unit = natural_unit(max(averages) or worker.base_hs)
        shares = [self.rate(value, 3, unit) for value in averages]
        if quirks.mixed_types and index % 2:
            shares[0] = (round(in_unit(stats.avg_1m, unit, quirks.unit_letter)[0]), shares[0][1])
        last: object = int(stats.last_share or 0)
        if quirks.last_share_time_format == "datetime" and stats.last_share is not None:
            last = sql_time(stats.last_share)
        reject = fixed(worker.stale_ratio * 100 if stats.avg_15m else 0, 4)
        row: dict[str, object] = {
            "worker_id": worker.worker_id,
            "worker_name": worker.name,
            "shares_1m": shares[0][0],
            "shares_5m": shares[1][0],
            "shares_15m": shares[2][0],
            "shares_1m_pure": str(whole(stats.avg_1m)),
            "shares_5m_pure": str(whole(stats.avg_5m)),
            "shares_15m_pure": str(whole(stats.avg_15m)),
            "shares_unit": shares[0][1],
            "reject_percent": reject,
            "last_share_time": last,
            status_key: btccom_status(stats.last_share, self.ts),
        }
        if quirks.extra_keys:
            row |= {
                "accept_count": "-",
                "first_share_time": int(worker.created),
                "miner_agent": MINER_AGENTS[mix(worker.key, 12) % len(MINER_AGENTS)],
                "shares_1h": self.rate(stats.avg_1h, 3, unit)[0],
                "reject_percent_1d": fixed(worker.stale_ratio * 100 if stats.avg_24h else 0, 4),
                "is_top": 0,
            }
        return row

    def worker(self) -> object:
        query = self.query
        status = query.get("status", "all").lower()
        if status != "all" and status not in STATUSES:
            raise ApiError(PARAMETER_ERROR, "status")
        page = _int(query, "page", 1)
        size = min(_int(query, "page_size", WORKER_PAGE_DEFAULT), WORKER_PAGE_MAX)
        group = _int(query, "group", -1)
        asc = _int(query, "asc", 1)
        order = query.get("order_by", "worker_name")
        if page < 1 or size < 1 or order not in ORDERS or asc not in {0, 1}:
            raise ApiError(PARAMETER_ERROR, "page" if page < 1 or size < 1 else "order_by")
        paging: list[object] = [str(page), str(size)] if self.quirks.mixed_types else [page, size]
        if self.endless:
            return {
                "page": paging[0],
                "page_size": paging[1],
                "page_count": ENDLESS_PAGE_COUNT,
                "total_count": ENDLESS_PAGE_COUNT * size,
                "data": [
                    self.worker_row(ghost(self.account, f"ghost-{page}-{index}", self.ts), index)
                    for index in range(1, size + 1)
                ],
            }
        if self.quirks.rotating_names:
            self.account.rotate_names()
        text = query.get("filter", "").lower()
        selected = [
            stats
            for stats in self.account.view_at(self.ts).workers
            if group in {-1, 0}
            and text in stats.worker.name.lower()
            and (status == "all" or btccom_status(stats.last_share, self.ts) == STATUSES[status])
        ]
        selected.sort(key=ORDERS[order], reverse=not asc)
        rows = [
            self.worker_row(stats, index)
            for index, stats in enumerate(selected[(page - 1) * size : page * size])
        ]
        return {
            "page": paging[0],
            "page_size": paging[1],
            "page_count": _page_count(len(selected), size),
            "total_count": len(selected),
            "data": rows,
        }

    def worker_detail(self, worker_id: str) -> object:
        worker = self.account.worker_by_id(worker_id)
        if worker is None:
            raise ApiError(PARAMETER_ERROR, "worker_id")
        stats = self.account.view_at(self.ts).stats_of(worker)
        return self.worker_row(stats, 0, "worker_status")

    def worker_groups(self) -> object:
        page = _int(self.query, "page", 1)
        size = _int(self.query, "page_size", WORKER_PAGE_DEFAULT)
        if page < 1 or size < 1:
            raise ApiError(PARAMETER_ERROR, "page" if page < 1 else "page_size")
        view = self.account.view_at(self.ts)
        counts = self._counts(view.workers)
        shares, unit = self.rate(view.average(900), 3)
        groups = []
        for gid, name in ((-1, "DEFAULT"), (0, "ALL")):
            groups.append(
                {
                    "gid": str(gid) if self.quirks.mixed_types else gid,
                    "name": name,
                    "sort_id": gid + 1,
                    "workers_active": counts["ACTIVE"],
                    "workers_inactive": counts["INACTIVE"],
                    "workers_dead": counts["DEAD"],
                    "workers_total": len(view.workers),
                    "shares_15m": shares,
                    "shares_unit": unit,
                }
            )
        return {
            "page": page,
            "page_size": size,
            "page_count": _page_count(len(groups), size),
            "total_count": len(groups),
            "list": groups[(page - 1) * size : page * size],
        }
