"""Client of F2Pool's legacy API (v1): ``GET /{currency}/{user}``.

Errors come as plain text, ``404: Not Found`` (unknown currency, user or address) and
``503: GateWay Timeout`` (too many requests). Amounts are whole coins; hashrates are H/s, but
the per-worker and per-account "hashes" fields are counts over an hour or a day.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from http import HTTPStatus
from typing import Any, Final

import aiohttp
from yarl import URL

from . import _input, currencies
from ._http import (
    DEFAULT_TIMEOUT,
    MAX_BODY_BYTES,
    Response,
    raise_for_status,
    read,
    retry_after,
    send,
)
from ._parse import (
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
    per_second,
    sequence,
)
from .currencies import Currency
from .errors import AccountNotFoundError, RateLimitedError
from .models import (
    AccountSnapshot,
    Earnings,
    HashratePoint,
    HashrateStats,
    Payment,
    Worker,
    WorkerCounts,
)

_LOGGER = logging.getLogger(__name__)
POOL_NAME: Final = "F2Pool"
DEFAULT_BASE_URL: Final = "https://api.f2pool.com"
TOKEN_HEADER: Final = "F2P-API-SECRET"  # noqa: S105 (the header's name, not a secret)
HOUR: Final = 3600
DAY: Final = 86400


class F2PoolV1Client:
    """Reads one F2Pool account (user name or wallet address) of one currency."""

    def __init__(
        self,
        session: aiohttp.ClientSession,
        *,
        currency: str,
        account: str,
        token: str | None = None,
        base_url: str = DEFAULT_BASE_URL,
        timeout: float = DEFAULT_TIMEOUT,
    ) -> None:
        """Check the currency and the account's form; the token is optional on v1."""
        self._session = session
        self.currency: Currency = currencies.currency(currency)
        self.account = _input.account(account)
        self._headers = {TOKEN_HEADER: _input.secret(token, "token")} if token else {}
        self._base = _input.base_url(base_url, "base_url")
        self._timeout = timeout

    def __repr__(self) -> str:
        """Name the currency only: the account and the token stay out of logs."""
        return f"F2PoolV1Client(currency={self.currency.name!r})"

    async def _get[T](
        self,
        *segments: str,
        parse: Callable[[Any], T],
        params: Sequence[tuple[str, str]] | None = None,
    ) -> T:
        path = "/".join(_input.path_segment(segment) for segment in segments)
        _LOGGER.debug("GET %s account data from %s", self.currency.name, self._base.host)
        url = URL(f"{self._base}/{path}", encoded=True)
        if params:
            url = url.with_query(params)
        response = await send(
            self._session,
            "GET",
            url,
            pool=POOL_NAME,
            headers=self._headers,
            time_limit=self._timeout,
            # The account document carries every worker.
            max_bytes=MAX_BODY_BYTES,
        )
        return await read(POOL_NAME, lambda answer: parse(unwrap(answer)), response)

    async def account_data(self) -> AccountSnapshot:
        """Read the account: hashrates, earnings, workers, payouts and hashrate history."""
        return await self._get(
            self.currency.name,
            self.account,
            parse=lambda data: parse_account(mapping(data, "the account")),
        )

    async def accounts(self, others: Sequence[str]) -> dict[str, AccountSnapshot]:
        """Read this account and ``others`` of the same currency in one ``multi_account`` call."""
        names = [self.account, *(_input.account(name) for name in others)]
        unique = list(dict.fromkeys(names))

        def parse(data: Any) -> dict[str, AccountSnapshot]:
            accounts = mapping(data, "the accounts")
            return {
                name: parse_account(mapping(accounts[name], "an account"))
                for name in unique
                if name in accounts
            }

        return await self._get(
            self.currency.name,
            self.account,
            parse=parse,
            params=[("multi_account", name) for name in unique],
        )

    async def worker_history(self, worker: str) -> tuple[HashratePoint, ...]:
        """Read one worker's hashrate over the last 24 hours."""
        return await self._get(
            self.currency.name,
            self.account,
            _input.account(worker, "worker"),
            parse=lambda data: _history(
                mapping(data, "the worker history").get("hashrate_history")
            ),
        )


def unwrap(response: Response) -> Any:
    """Check a legacy answer and decode it, or raise the error its status or text means."""
    # The plain-text errors may also come with HTTP 200.
    head = response.body[:16].lstrip()[:3]
    if response.status == HTTPStatus.NOT_FOUND or head == b"404":
        raise AccountNotFoundError(f"{POOL_NAME} does not know this account or currency")
    if response.status == HTTPStatus.SERVICE_UNAVAILABLE or head == b"503":
        raise RateLimitedError(
            f"{POOL_NAME} is refusing requests for a while (503)", retry_after(response.headers)
        )
    raise_for_status(response, POOL_NAME)
    return decode_json(response.body)


def parse_account(data: Mapping[str, Any]) -> AccountSnapshot:
    """Read one account document of the legacy API; unknown keys are ignored."""
    total = as_int(data.get("worker_length"))
    online = as_int(data.get("worker_length_online"))
    payments = tuple(
        _payment(sequence(item, "a payout"))
        for item in optional_sequence(data.get("payout_history"), "the payout history")
    )
    paid_times = [payment.time for payment in payments if payment.time is not None]
    workers = tuple(
        worker
        for row in consumed(optional_sequence(data.get("workers"), "the worker list"))
        if (worker := _worker(sequence(row, "a worker"))) is not None
    )
    return AccountSnapshot(
        hashrate=HashrateStats(
            current=as_float(data.get("hashrate")),
            last_hour=per_second(data.get("hashes_last_hour"), HOUR),
            last_day=per_second(data.get("hashes_last_day"), DAY),
            stale_last_hour=per_second(data.get("stale_hashes_rejected_last_hour"), HOUR),
            stale_last_day=per_second(data.get("stale_hashes_rejected_last_day"), DAY),
        ),
        earnings=Earnings(
            balance=as_decimal(data.get("balance")),
            total_paid=as_decimal(data.get("paid")),
            earnings_today=as_decimal(data.get("value_today")),
            earnings_last_day=as_decimal(data.get("value_last_day")),
            total_revenue=as_decimal(data.get("value")),
            last_payment_time=max(paid_times, default=None),
        ),
        worker_counts=WorkerCounts(
            active=online,
            inactive=total - online if total is not None and online is not None else None,
            total=total,
        ),
        workers=workers,
        payments=payments,
        hashrate_history=_history(data.get("hashrate_history")),
    )


def _worker(row: list[Any]) -> Worker | None:
    """Read a worker array by position; extra positions are ignored, missing ones are None."""

    def at(position: int) -> Any:
        return row[position] if position < len(row) else None

    name = as_name(at(0))
    if name is None:
        return None
    return Worker(
        name=name,
        hashrate=as_float(at(1)),
        hashrate_last_hour=per_second(at(2), HOUR),
        stale_hashrate_last_hour=per_second(at(3), HOUR),
        hashrate_last_day=per_second(at(4), DAY),
        stale_hashrate_last_day=per_second(at(5), DAY),
        last_share_time=as_time(at(6)),
    )


def _payment(item: list[Any]) -> Payment:
    time, tx_id, amount = (*item, None, None, None)[:3]
    return Payment(time=as_time(time), tx_id=as_str(tx_id), amount=as_decimal(amount))


def _history(value: Any) -> tuple[HashratePoint, ...]:
    if value is None:
        return ()
    points = [
        HashratePoint(time=time, hashrate=as_float(rate))
        for key, rate in mapping(value, "the hashrate history").items()
        if (time := as_time(key)) is not None
    ]
    return tuple(sorted(points, key=lambda point: point.time))
