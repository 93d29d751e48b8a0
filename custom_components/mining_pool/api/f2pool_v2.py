"""Client of F2Pool's current API (v2): ``POST /v2/{path}`` with a JSON body and a token.

Errors come as ``{"code": N, "msg": "error_type: description"}``; a successful answer is the
payload itself. Amounts are whole coins and hashrates H/s, both as JSON numbers.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime, timedelta
from http import HTTPStatus
from typing import Any, Final

import aiohttp
from yarl import URL

from . import _input, currencies
from ._http import (
    DEFAULT_TIMEOUT,
    MAX_BODY_BYTES,
    SMALL_BODY_BYTES,
    Response,
    raise_for_status,
    read,
    send,
)
from ._parse import (
    Notices,
    as_decimal,
    as_float,
    as_int,
    as_name,
    as_str,
    as_time,
    consumed,
    decode_json,
    mapping,
    optional_sequence,
)
from .currencies import Currency
from .errors import (
    AccountNotFoundError,
    AuthenticationError,
    InvalidInputError,
    InvalidResponseError,
)
from .f2pool_v1 import DEFAULT_BASE_URL, POOL_NAME, TOKEN_HEADER
from .models import (
    Earnings,
    HashratePoint,
    HashrateStats,
    Payment,
    Worker,
    WorkerCounts,
    WorkerStatus,
)

_LOGGER = logging.getLogger(__name__)
_PERMISSION_DENIED: Final = 5010
# The only parameters are the currency (checked before sending) and the account, so a
# "params error" means the pool does not know the account.
_PARAMS_ERROR: Final = 5001
_STATUSES: Final = {0: WorkerStatus.ONLINE, 1: WorkerStatus.OFFLINE, 2: WorkerStatus.DEAD}
HISTORY_STEP: Final = timedelta(minutes=10)
MAX_ACCOUNT_HISTORY: Final = timedelta(days=30)
MAX_WORKER_HISTORY: Final = timedelta(days=3)
MAX_INFO_LIST: Final = 100
# F2Pool's API document: the hashrate module (every hash_rate/* call) serves these currencies
# only; the assets module (balance, transactions) serves all of them.
HASHRATE_CURRENCIES: Final = frozenset({"bitcoin", "bitcoin-cash", "litecoin"})
# 30 days of 10-minute points are some 1.3 MB.
_HISTORY_BYTES: Final = 4 * 1024 * 1024


class F2PoolV2Client:
    """Reads one F2Pool account (user name or wallet address) with an API token."""

    def __init__(
        self,
        session: aiohttp.ClientSession,
        *,
        currency: str,
        account: str,
        token: str,
        base_url: str = DEFAULT_BASE_URL,
        timeout: float = DEFAULT_TIMEOUT,
    ) -> None:
        """Check the currency, the account and the token's form."""
        self._session = session
        self.currency: Currency = currencies.currency(currency)
        self.account = _input.account(account)
        self._headers = {TOKEN_HEADER: _input.secret(token, "token")}
        self._base = _input.base_url(base_url, "base_url")
        self._timeout = timeout
        self._notices = Notices(_LOGGER, POOL_NAME)
        self.serves_hashrate = self.currency.name in HASHRATE_CURRENCIES

    def __repr__(self) -> str:
        """Name the currency only: the account and the token stay out of logs."""
        return f"F2PoolV2Client(currency={self.currency.name!r})"

    def _account_body(
        self, currency: Currency | None = None, account: str | None = None
    ) -> dict[str, str]:
        currency = currency or self.currency
        key = "address" if currency.by_address else "mining_user_name"
        return {key: account or self.account, "currency": currency.name}

    async def _post[T](
        self,
        path: str,
        body: Mapping[str, Any],
        parse: Callable[[Mapping[str, Any]], T],
        max_bytes: int = SMALL_BODY_BYTES,
    ) -> T:
        _LOGGER.debug("POST /v2/%s to %s", path, self._base.host)
        response = await send(
            self._session,
            "POST",
            URL(f"{self._base}/v2/{path}", encoded=True),
            pool=POOL_NAME,
            json_body=dict(body),
            headers=self._headers,
            time_limit=self._timeout,
            max_bytes=max_bytes,
        )
        return await read(POOL_NAME, lambda answer: parse(unwrap(answer)), response)

    async def balance(self) -> Earnings:
        """Read ``assets/balance``: balance, paid, income today, yesterday and in all."""
        return await self._post("assets/balance", self._account_body(), parse_balance)

    def _hashrate_body(self) -> dict[str, str]:
        """The account's part of a hash_rate/* body; refused where F2Pool serves no hashrate."""
        if not self.serves_hashrate:
            raise _not_in_hashrate_module(self.currency)
        return self._account_body()

    async def hashrate(self) -> HashrateStats:
        """Read ``hash_rate/info``: current, 1-hour and 24-hour hashrates and stale rates."""
        return await self._post(
            "hash_rate/info",
            self._hashrate_body(),
            lambda data: parse_hashrate_info(mapping(data.get("info"), "the hashrate info")),
        )

    async def hashrates(
        self, accounts: Sequence[tuple[str, str]]
    ) -> dict[tuple[str, str], HashrateStats]:
        """Read ``hash_rate/info_list`` for up to 100 ``(currency, account)`` pairs at once."""
        if not 0 < len(accounts) <= MAX_INFO_LIST:
            raise InvalidInputError("accounts", f"give 1 to {MAX_INFO_LIST} accounts")
        pairs = [(currencies.currency(name), _input.account(account)) for name, account in accounts]
        for currency, _ in pairs:
            if currency.name not in HASHRATE_CURRENCIES:
                raise _not_in_hashrate_module(currency)

        def parse(data: Mapping[str, Any]) -> dict[tuple[str, str], HashrateStats]:
            infos = [
                mapping(item, "a hashrate info")
                for item in optional_sequence(data.get("info"), "the hashrate list")
            ]
            found = {as_name(info.get("name")): parse_hashrate_info(info) for info in infos}
            return {
                (currency.name, account): found[account]
                for currency, account in pairs
                if account in found
            }

        return await self._post(
            "hash_rate/info_list",
            {"reqs": [self._account_body(currency, account) for currency, account in pairs]},
            parse,
        )

    async def workers(self) -> tuple[Worker, ...]:
        """Read ``hash_rate/worker/list``: every worker with its status (0, 1 or 2)."""
        return await self._post(
            "hash_rate/worker/list",
            self._hashrate_body(),
            lambda data: parse_workers(data, self._notices),
            MAX_BODY_BYTES,
        )

    async def hashrate_history(
        self, duration: timedelta = timedelta(days=1), interval: timedelta = HISTORY_STEP
    ) -> tuple[HashratePoint, ...]:
        """Read ``hash_rate/history``: the account's hashrate over up to 30 days."""
        body = {**self._hashrate_body(), **_window(duration, interval, MAX_ACCOUNT_HISTORY)}
        return await self._post("hash_rate/history", body, parse_history, _HISTORY_BYTES)

    async def worker_history(
        self,
        worker: str,
        duration: timedelta = timedelta(days=1),
        interval: timedelta = HISTORY_STEP,
    ) -> tuple[HashratePoint, ...]:
        """Read ``hash_rate/worker/history``: one worker's hashrate over up to 3 days."""
        body = {
            **self._hashrate_body(),
            **_window(duration, interval, MAX_WORKER_HISTORY),
            "worker_name": _input.account(worker, "worker"),
        }
        return await self._post("hash_rate/worker/history", body, parse_history, _HISTORY_BYTES)

    async def payouts(self, start: datetime, end: datetime) -> tuple[Payment, ...]:
        """Read the payouts between ``start`` and ``end`` (``assets/transactions/list``)."""
        if end <= start:
            raise InvalidInputError("end", "the end of the period must come after its start")
        body = {
            **self._account_body(),
            "type": "payout",
            "start_time": int(start.timestamp()),
            "end_time": int(end.timestamp()),
        }
        return await self._post("assets/transactions/list", body, parse_payouts, _HISTORY_BYTES)


def _not_in_hashrate_module(currency: Currency) -> InvalidInputError:
    return InvalidInputError(
        "currency",
        f"F2Pool's API v2 serves no hashrate for {currency.display_name}: "
        "only for Bitcoin, Bitcoin Cash and Litecoin",
    )


def unwrap(response: Response) -> Mapping[str, Any]:
    """Check a v2 answer and return it, or raise the error its ``code`` means.

    A 401 or 403 whose body is F2Pool's own error is read as that error; a bare one is not.
    """
    if response.status in (HTTPStatus.UNAUTHORIZED, HTTPStatus.FORBIDDEN):
        with contextlib.suppress(InvalidResponseError, AccountNotFoundError):
            _raise_for_code(mapping(decode_json(response.body), f"{POOL_NAME}'s answer"))
    raise_for_status(response, POOL_NAME)
    data = mapping(decode_json(response.body), f"{POOL_NAME}'s answer")
    _raise_for_code(data)
    return data


def _raise_for_code(data: Mapping[str, Any]) -> None:
    code = as_int(data.get("code", 0))
    if code == 0:
        return
    kind = (as_str(data.get("msg")) or "").partition(":")[0].strip().lower()
    if code == _PERMISSION_DENIED or kind == "permission denied":
        raise AuthenticationError(f"{POOL_NAME} refused the API token (code {code})")
    if code == _PARAMS_ERROR or kind == "params error":
        raise AccountNotFoundError(
            f"{POOL_NAME} does not know this account or currency (code {code})"
        )
    raise InvalidResponseError(f"{POOL_NAME} answered with error code {code}")


def parse_balance(data: Mapping[str, Any]) -> Earnings:
    """Read the answer of ``assets/balance``."""
    info = mapping(data.get("balance_info"), "the balance")
    return Earnings(
        balance=as_decimal(info.get("balance")),
        total_paid=as_decimal(info.get("paid")),
        total_revenue=as_decimal(info.get("total_income")),
        earnings_yesterday=as_decimal(info.get("yesterday_income")),
        earnings_today=as_decimal(info.get("estimated_today_income")),
    )


def parse_workers(data: Mapping[str, Any], notices: Notices | None = None) -> tuple[Worker, ...]:
    """Read the answer of ``hash_rate/worker/list``; rows without a name are skipped.

    An unknown worker status is logged once per ``notices``.
    """
    notices = notices or Notices(_LOGGER, POOL_NAME)
    return tuple(
        worker
        for item in consumed(optional_sequence(data.get("workers"), "the worker list"))
        if (worker := _worker(mapping(item, "a worker"), notices)) is not None
    )


def parse_payouts(data: Mapping[str, Any]) -> tuple[Payment, ...]:
    """Read the payouts of an ``assets/transactions/list`` answer."""
    payments = []
    for item in optional_sequence(data.get("transactions"), "the transactions"):
        transaction = mapping(item, "a transaction")
        extra = transaction.get("payout_extra")
        if extra is None:
            continue
        payout = mapping(extra, "a payout")
        payments.append(
            Payment(
                time=as_time(payout.get("paid_time")) or as_time(transaction.get("created_at")),
                amount=as_decimal(payout.get("value")),
                tx_id=as_str(payout.get("tx_id")),
                address=as_str(payout.get("address")),
            )
        )
    return tuple(payments)


def count_workers(workers: Sequence[Worker]) -> WorkerCounts:
    """Count workers by the status the pool gave them."""
    statuses = [worker.status for worker in workers]
    return WorkerCounts(
        active=statuses.count(WorkerStatus.ONLINE),
        inactive=statuses.count(WorkerStatus.OFFLINE),
        dead=statuses.count(WorkerStatus.DEAD),
        total=len(statuses),
    )


def _window(duration: timedelta, interval: timedelta, longest: timedelta) -> dict[str, int]:
    step = int(interval.total_seconds())
    if step <= 0 or step % int(HISTORY_STEP.total_seconds()):
        raise InvalidInputError("interval", "the interval must be a multiple of 10 minutes")
    if not interval <= duration <= longest:
        raise InvalidInputError("duration", f"the duration must be at most {longest.days} days")
    return {"interval": step, "duration": int(duration.total_seconds())}


def parse_hashrate_info(info: Mapping[str, Any]) -> HashrateStats:
    """Read a HashRateInfo object."""
    return HashrateStats(
        current=as_float(info.get("hash_rate")),
        last_hour=as_float(info.get("h1_hash_rate")),
        last_day=as_float(info.get("h24_hash_rate")),
        stale_last_hour=as_float(info.get("h1_stale_hash_rate")),
        stale_last_day=as_float(info.get("h24_stale_hash_rate")),
    )


def _worker(item: Mapping[str, Any], notices: Notices) -> Worker | None:
    info = mapping(item.get("hash_rate_info") or {}, "a worker's hashrate info")
    name = as_name(info.get("name")) or as_name(item.get("name"))
    if name is None:
        return None
    stats = parse_hashrate_info(info)
    code = as_int(item.get("status"))
    status = None if code is None else _STATUSES.get(code)
    if status is None:
        if code is not None:
            notices.once("worker status", code, "showing the worker's state as unknown")
        status = WorkerStatus.UNKNOWN
    return Worker(
        name=name,
        status=status,
        hashrate=stats.current,
        hashrate_last_hour=stats.last_hour,
        hashrate_last_day=stats.last_day,
        stale_hashrate_last_hour=stats.stale_last_hour,
        stale_hashrate_last_day=stats.stale_last_day,
        last_share_time=as_time(item.get("last_share_at")),
    )


def parse_history(data: Mapping[str, Any]) -> tuple[HashratePoint, ...]:
    """Read the answer of ``hash_rate/history`` or ``hash_rate/worker/history``, oldest first."""
    points = []
    for item in optional_sequence(data.get("history"), "the hashrate history"):
        point = mapping(item, "a history point")
        time = as_time(point.get("timestamp"))
        if time is None:
            continue
        points.append(
            HashratePoint(
                time=time,
                hashrate=as_float(point.get("hash_rate")),
                stale_hashrate=as_float(point.get("stale_hash_rate")),
                online_workers=as_int(point.get("online_miners")),
            )
        )
    return tuple(sorted(points, key=lambda point: point.time))
