"""The fake F2Pool legacy API (v1): GET /{currency}/{user} and /{currency}/{user}/{worker}.

Endpoint keys: "account" (also with ?multi_account=...), "worker_history", and "unknown" for
any other path. Errors are plain text: "404: Not Found", "401: Unauthorized" (an account
created with a token and a missing or wrong F2P-API-SECRET header), and, rate limited,
"503: GateWay Timeout".
"""

import math

from aiohttp import web

from .faults import Fault, Reply, status_reply, text_reply
from .state import SLOT, SLOTS_PER_DAY, F2PoolAccount, WorkerStats, World, mean_ratio
from .wire import decimal_literal, iso_fraction, iso_z, path_segments, raw, whole

UNKNOWN = "unknown"
SECRET_HEADER = "F2P-API-SECRET"  # noqa: S105 (a header name, not a secret)
RATE_LIMITED = "503: GateWay Timeout"
VALUE_PLACES = 18
PAYOUT_PLACES = 24
LONG_ARRAY = 11


def rate_number(value: float, *, huge: bool) -> int | float:
    """A hashrate as F2Pool sends it: an integer, or (huge) a float with a fraction."""
    if not huge or not value:
        return whole(value)
    rounded = round(value, 2)
    return rounded if rounded != int(rounded) else rounded + 0.01


def coins(account: F2PoolAccount, units: int, places: int | None = None) -> str:
    """An amount as an exact JSON number literal of whole coins."""
    return raw(decimal_literal(units, account.decimals, places=places))


class F2PoolV1Api:
    """Answers F2Pool legacy v1 requests for the world's F2Pool accounts."""

    name = "f2pool_v1"

    def __init__(self, world: World) -> None:
        """Serve this world."""
        self.world = world

    def endpoint(self, request: web.BaseRequest) -> str:
        """Return the endpoint key of a request."""
        match path_segments(request.raw_path):
            case [_, _]:
                return "account"
            case [_, _, _]:
                return "worker_history"
            case _:
                return UNKNOWN

    def fault_reply(self, fault: Fault) -> Reply | None:
        """Return the answer a fault dictates before the request is looked at, or None."""
        if fault.rate_limit:
            return text_reply(503, RATE_LIMITED)
        if fault.auth_failure:
            return text_reply(401)
        return status_reply(fault)

    def _allowed(self, account: F2PoolAccount, request: web.BaseRequest) -> bool:
        return account.token is None or request.headers.get(SECRET_HEADER) == account.token

    def _account(self, request: web.BaseRequest, currency: str, user: str) -> F2PoolAccount | Reply:
        account = self.world.f2pool.get((currency, user))
        if account is None:
            return text_reply(404)
        if not self._allowed(account, request):
            return text_reply(401)
        return account

    async def answer(
        self,
        request: web.BaseRequest,
        endpoint: str,
        fault: Fault | None,  # noqa: ARG002 (no fault shapes F2Pool v1's data)
    ) -> Reply:
        """Answer one request."""
        if endpoint == UNKNOWN:
            return text_reply(404)
        if request.method != "GET":
            return text_reply(405)
        currency, user, *worker_name = path_segments(request.raw_path)
        account = self._account(request, currency, user)
        if isinstance(account, Reply):
            return account
        ts = self.world.ts
        if worker_name:
            return worker_history(account, worker_name[0], ts)
        names = request.query.getall("multi_account", [])
        if not names:
            return Reply(payload=account_json(account, ts))
        payload: dict[str, object] = {}
        for name in names:
            other = self.world.f2pool.get((currency, name))
            if other is not None and self._allowed(other, request):
                payload[name] = account_json(other, ts)
        return Reply(payload=payload)


def worker_history(account: F2PoolAccount, name: str, ts: float) -> Reply:
    """The 24-hour history of one worker, {"hashrate_history": {iso: H/s}}, or 404."""
    worker = account.workers.get(name)
    if worker is None:
        return text_reply(404)
    start = (math.floor(ts / SLOT) - SLOTS_PER_DAY) * SLOT
    series = account.series(start, ts, [worker])
    huge = account.quirks.huge_integers
    history = {
        iso_z(start + index * SLOT): rate_number(hashes / SLOT, huge=huge)
        for index, hashes in enumerate(series.hashes[:SLOTS_PER_DAY])
    }
    return Reply(payload={"hashrate_history": history})


def worker_array(account: F2PoolAccount, stats: WorkerStats) -> list[object]:
    """One worker as the v1 array [name, hashrate, hashes 1 h, stale 1 h, hashes 24 h, ...]."""
    quirks = account.quirks
    last: object = None
    if stats.last_share is not None:
        last = iso_fraction(stats.last_share, quirks.iso_fraction)
    elif quirks.never_shared_worker == "empty":
        last = ""
    row: list[object] = [
        stats.worker.name,
        rate_number(stats.hashrate, huge=quirks.huge_integers),
        stats.hashes_1h,
        stats.stale_1h,
        stats.hashes_24h,
        stats.stale_24h,
        last,
        False,
    ]
    if quirks.worker_array_length == LONG_ARRAY:
        row += [0, 0, 0]
    elif quirks.worker_array_length > len(row):
        row.append(rate_number(stats.avg_1m, huge=quirks.huge_integers))
    return row


def account_json(account: F2PoolAccount, ts: float) -> dict[str, object]:
    """The account JSON of GET /{currency}/{user}, in the seed's key order."""
    quirks = account.quirks
    if quirks.rotating_names:
        account.rotate_names()
    huge = quirks.huge_integers
    view = account.view_at(ts)
    credited = sum(credit.units for credit in account.credits_at(ts))
    payouts = account.payouts_at(ts)
    paid = sum(payout.units for payout in payouts)
    balance = credited - paid
    hashes_day = sum(stats.hashes_24h for stats in view.workers)
    stale_day = sum(stats.stale_24h for stats in view.workers)
    value_last_day = account.last_24h_units(ts)
    hashrate = rate_number(view.hashrate, huge=huge)
    values = account.worker_values(ts)
    history = {iso_z(slot): rate_number(rate, huge=huge) for slot, rate in view.history}
    payout_history = [
        [
            iso_z(payout.at),
            None if quirks.null_txid and index == 0 else payout.txid,
            coins(account, payout.units, PAYOUT_PLACES),
        ]
        for index, payout in enumerate(reversed(payouts))
    ]
    body: dict[str, object] = {
        "balance": coins(account, balance),
        "hashes_last_day": hashes_day,
        "value": coins(account, credited),
        "stale_hashes_rejected_last_day": stale_day,
        "workers": [worker_array(account, stats) for stats in view.workers],
        "value_workers": {
            name: coins(account, units, VALUE_PLACES) for name, units in values.items()
        },
        "value_last_day": coins(account, value_last_day),
        "hashrate_history": history,
        "stale_hashes_rejected_last_hour": sum(stats.stale_1h for stats in view.workers),
        "paid": coins(account, paid),
        "hashes_last_hour": sum(stats.hashes_1h for stats in view.workers),
        "worker_length_online": view.workers_online,
        "payout_history": payout_history,
        "worker_length": len(view.workers),
        "hashrate": hashrate,
    }
    if not quirks.seed_keys_only:
        local = mean_ratio(account.workers.values(), lambda worker: worker.local_ratio)
        today = account.today_units(ts)
        body |= {
            "fixed_balance": coins(account, balance),
            "fixed_value": coins(account, credited),
            "hashrate_history_local": {
                iso_z(slot): rate_number(rate * local, huge=huge) for slot, rate in view.history
            },
            "last": {},
            "local_hash": rate_number(view.hashrate * local, huge=huge),
            "ori_hashes_last_day": hashes_day,
            "ori_hashrate": hashrate,
            "ori_value_last_day": coins(account, value_last_day),
            "payout_history_fee": [[*item, 0] for item in payout_history],
            "value_change": coins(account, today - account.yesterday_units(ts)),
            "value_today": coins(account, today),
        }
    return body
