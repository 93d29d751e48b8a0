"""Client of the BTC.com pool API v1.

Every call is ``GET https://{endpoint}/v1/{path}?access_key=...&puid=...`` and answers
``{"data": ..., "err_no": 0}``; errors come as HTTP 200 with a non-zero ``err_no``. Earnings are
integer satoshi; hashrates are a number plus a unit letter.
"""

from __future__ import annotations

import asyncio
import logging
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from http import HTTPStatus
from typing import Any, Final, Literal

import aiohttp
from yarl import URL

from . import _input
from ._http import (
    DEFAULT_TIMEOUT,
    SMALL_BODY_BYTES,
    Response,
    gather_all,
    raise_for_status,
    read,
    send,
)
from ._parse import (
    Notices,
    as_date,
    as_float,
    as_int,
    as_name,
    as_satoshi,
    as_str,
    as_time,
    decode_json,
    mapping,
    optional_sequence,
)
from .errors import (
    AuthenticationError,
    CannotConnectError,
    InvalidResponseError,
)
from .models import (
    MAX_WORKERS,
    AccountInfo,
    DailyEarning,
    EarnHistoryPage,
    Earnings,
    HashrateStats,
    Payment,
    Worker,
    WorkerCounts,
    WorkerList,
    WorkerPage,
    WorkerStats,
    WorkerStatus,
)

_LOGGER = logging.getLogger(__name__)
POOL_NAME: Final = "BTC.com"


@dataclass(frozen=True, slots=True)
class Endpoint:
    """A regional API host of BTC.com, as the API document lists them."""

    key: str
    coin: str
    region: str
    host: str


ENDPOINTS: Final = (
    Endpoint("btc_cn", "BTC", "China", "cn-pool.api.btc.com"),
    Endpoint("btc_sz", "BTC", "Shenzhen, China", "sz-pool.api.btc.com"),
    Endpoint("btc_us", "BTC", "America", "us-pool.api.btc.com"),
    Endpoint("btc_eu", "BTC", "Europe", "eu-pool.api.btc.com"),
    Endpoint("bch_cn", "BCH", "China", "cn-bccpool.api.btc.com"),
    Endpoint("bch_sz", "BCH", "Shenzhen, China", "sz-bccpool.api.btc.com"),
    Endpoint("bch_us", "BCH", "America", "us-bccpool.api.btc.com"),
    Endpoint("sbtc_cn", "SBTC", "China", "cn-sbtcpool.api.btc.com"),
    Endpoint("ubtc_cn", "UBTC", "China", "cn-ubtcpool.api.btc.com"),
)
ENDPOINTS_BY_KEY: Final = {endpoint.key: endpoint for endpoint in ENDPOINTS}
# The single host the documentation has named since 2018.
GLOBAL_HOST: Final = "pool.api.btc.com"

UNIT_FACTORS: Final = {
    "H": 1.0,
    "K": 1e3,
    "M": 1e6,
    "G": 1e9,
    "T": 1e12,
    "P": 1e15,
    "E": 1e18,
    "Z": 1e21,
}
# err_no values that mean the access key, the puid or a watcher link was refused.
_AUTH_ERRORS: Final = frozenset({20001, 20002, 401})
_OPERATION_FAILED: Final = 2
EARN_HISTORY_MAX_PAGE_SIZE: Final = 50
# BTC.com documents no maximum for the worker list; larger pages mean fewer requests.
WORKER_PAGE_SIZE: Final = 1000
# However small the pages a pool sends, no more than this many are read for one list.
_MAX_WORKER_PAGES: Final = 200
# A page of 1,000 rows is some 600 KB; this leaves room for long names and extra keys.
_WORKER_PAGE_BYTES: Final = 4 * 1024 * 1024
_CONCURRENT_PAGES: Final = 4
_STATUSES: Final = {
    "ACTIVE": WorkerStatus.ONLINE,
    "INACTIVE": WorkerStatus.OFFLINE,
    "DEAD": WorkerStatus.DEAD,
}

type WorkerFilter = Literal["active", "inactive", "dead", "all"]


class HashrateReader:
    """Reads BTC.com's number-plus-unit-letter hashrates as H/s.

    An empty or unknown letter is read as H/s. What the pool sends that is not known (a unit
    letter, a worker status) is logged once per kind for the reader's life, however many rows
    carry it.
    """

    def __init__(self) -> None:
        """Start with nothing unknown seen."""
        self.notices = Notices(_LOGGER, POOL_NAME)

    def __call__(self, value: Any, unit: Any) -> float | None:
        """Return ``value`` (a number or numeric string) in ``unit`` as H/s."""
        number = as_float(value)
        if number is None:
            return None
        letter = unit.strip().upper() if isinstance(unit, str) else ""
        factor = UNIT_FACTORS.get(letter)
        if factor is None:
            self.notices.once("hashrate unit", unit or "", "reading it as H/s")
            factor = 1.0
        return number * factor


class BtcComClient:
    """Reads one BTC.com sub-account (a puid) with its access key."""

    def __init__(
        self,
        session: aiohttp.ClientSession,
        *,
        access_key: str,
        puid: int | str,
        endpoint: str,
        timeout: float = DEFAULT_TIMEOUT,
    ) -> None:
        """Check the credentials' form; ``endpoint`` is a preset key, a host or a base URL."""
        self._session = session
        self._access_key = _input.secret(access_key, "access_key")
        self._puid = _input.puid(puid)
        preset = ENDPOINTS_BY_KEY.get(endpoint)
        self._base = _input.base_url(preset.host if preset else endpoint)
        self._timeout = timeout
        self._hashrate = HashrateReader()

    def __repr__(self) -> str:
        """Name the host only: the access key and the puid stay out of logs."""
        return f"BtcComClient(endpoint={self._base.host!r})"

    @property
    def puid(self) -> str:
        """The sub-account this client reads."""
        return self._puid

    async def _get[T](
        self,
        path: str,
        what: str,
        parse: Callable[[Mapping[str, Any]], T],
        max_bytes: int = SMALL_BODY_BYTES,
        **params: str | int,
    ) -> T:
        query = {"access_key": self._access_key, "puid": self._puid}
        query.update({name: str(value) for name, value in params.items()})
        _LOGGER.debug("GET /v1%s from %s", path, self._base.host)
        response = await send(
            self._session,
            "GET",
            URL(f"{self._base}/v1{path}", encoded=True),
            pool=POOL_NAME,
            params=query,
            time_limit=self._timeout,
            max_bytes=max_bytes,
        )
        return await read(POOL_NAME, lambda answer: parse(mapping(unwrap(answer), what)), response)

    async def account_info(self) -> AccountInfo:
        """Read ``/account/info``: who the account is (used to check the credentials)."""
        return await self._get("/account/info", "account info", parse_account_info)

    async def earn_stats(self) -> Earnings:
        """Read ``/account/earn-stats``: balances and earnings, converted from satoshi."""
        return await self._get("/account/earn-stats", "earn stats", parse_earn_stats)

    async def earn_history(
        self, page: int = 1, page_size: int = EARN_HISTORY_MAX_PAGE_SIZE
    ) -> EarnHistoryPage:
        """Read one page of ``/account/earn-history`` (``page_size`` 1 to 50)."""
        page = max(1, page)
        page_size = max(1, min(page_size, EARN_HISTORY_MAX_PAGE_SIZE))
        return await self._get(
            "/account/earn-history",
            "earn history",
            lambda data: parse_earn_history(data, page),
            page=page,
            page_size=page_size,
        )

    async def realtime_hashrate(self) -> HashrateStats:
        """Read ``/realtime/hashrate``: the 15-minute and 24-hour hashrates."""
        return await self._get(
            "/realtime/hashrate",
            "realtime hashrate",
            lambda data: parse_realtime_hashrate(data, self._hashrate),
        )

    async def worker_stats(self) -> WorkerStats:
        """Read ``/worker/stats``: worker counts and the 1, 5 and 15-minute hashrates."""
        return await self._get(
            "/worker/stats", "worker stats", lambda data: parse_worker_stats(data, self._hashrate)
        )

    async def worker_page(
        self,
        page: int = 1,
        *,
        status: WorkerFilter = "all",
        page_size: int = WORKER_PAGE_SIZE,
    ) -> WorkerPage:
        """Read one page of ``/worker``, whose rows sit in the nested ``data.data``.

        Rows beyond ``page_size`` are not read: the pool was not asked for them.
        """
        return await self._get(
            "/worker",
            "worker list",
            lambda data: parse_worker_page(data, page, self._hashrate, page_size),
            max_bytes=_WORKER_PAGE_BYTES,
            status=status,
            page=page,
            page_size=page_size,
        )

    async def workers(self, status: WorkerFilter = "all") -> tuple[Worker, ...]:
        """Read the pages of ``/worker``, a few at a time, up to ``MAX_WORKERS`` workers."""
        return (await self.worker_list(status)).workers

    async def worker_list(self, status: WorkerFilter = "all") -> WorkerList:
        """Read the pages of ``/worker`` up to ``MAX_WORKERS`` workers, and say if it cut.

        However many pages the pool claims, no more are read than the worker cap needs.
        """
        first = await self.worker_page(1, status=status)
        limit = asyncio.Semaphore(_CONCURRENT_PAGES)

        async def fetch(page: int) -> WorkerPage:
            async with limit:
                return await self.worker_page(page, status=status)

        # Enough pages for the worker cap and no more, at the size the pool answered with.
        rows = max(1, len(first.workers))
        last_page = min(first.page_count, math.ceil(MAX_WORKERS / rows), _MAX_WORKER_PAGES)
        rest: list[WorkerPage] = await gather_all(
            *(fetch(page) for page in range(2, last_page + 1))
        )
        seen: dict[str, Worker] = {}
        for worker_page in (first, *rest):
            for worker in worker_page.workers:
                # A worker can move between pages while they are read: keep its first row.
                seen.setdefault(worker.worker_id or worker.name, worker)
        # Past the cap the same workers are kept at every refresh: the first by name.
        kept = sorted(seen.values(), key=lambda worker: worker.name)[:MAX_WORKERS]
        return WorkerList(
            workers=tuple(kept), capped=first.page_count > last_page or len(seen) > MAX_WORKERS
        )


def unwrap(response: Response) -> Any:
    """Check a BTC.com answer and return its ``data``, or raise the error its ``err_no`` means."""
    if response.status == HTTPStatus.NOT_FOUND:
        raise CannotConnectError(f"no {POOL_NAME} pool API at this endpoint (HTTP 404)")
    if response.status in (HTTPStatus.UNAUTHORIZED, HTTPStatus.FORBIDDEN):
        _raise_own_auth_error(response)
    raise_for_status(response, POOL_NAME)
    envelope = mapping(decode_json(response.body), f"{POOL_NAME}'s answer")
    if "err_no" not in envelope and "data" not in envelope:
        raise InvalidResponseError(f"{POOL_NAME}'s answer has neither data nor err_no")
    err_no = as_int(envelope.get("err_no"))
    # No err_no (absent, null, "-") is no error: the data, if it is not there, fails its reader.
    if err_no is None or err_no == 0:
        return envelope.get("data")
    if err_no in _AUTH_ERRORS:
        raise _refused(err_no)
    if err_no == _OPERATION_FAILED:
        raise CannotConnectError(f"{POOL_NAME} could not complete the request (err_no 2)")
    raise InvalidResponseError(f"{POOL_NAME} answered with error err_no {err_no}")


def _refused(err_no: int | None) -> AuthenticationError:
    return AuthenticationError(
        f"{POOL_NAME} refused the access key for this account (err_no {err_no})"
    )


def _raise_own_auth_error(response: Response) -> None:
    """Where a 401 or 403 carries BTC.com's own credential error, raise that one."""
    try:
        envelope = decode_json(response.body)
    except InvalidResponseError:
        return
    if isinstance(envelope, Mapping) and (err_no := as_int(envelope.get("err_no"))) in _AUTH_ERRORS:
        raise _refused(err_no)


def parse_account_info(data: Mapping[str, Any]) -> AccountInfo:
    """Read the data of ``/account/info``."""
    return AccountInfo(
        user_id=as_int(data.get("user_id")),
        user_name=as_name(data.get("user_name")),
        region=as_str(data.get("region")),
        address=_stripped(data.get("address")),
    )


def parse_earn_stats(data: Mapping[str, Any]) -> Earnings:
    """Read the data of ``/account/earn-stats``."""
    return Earnings(
        balance=as_satoshi(data.get("unpaid")),
        total_paid=as_satoshi(data.get("total_paid")),
        pending_payouts=as_satoshi(data.get("pending_payouts")),
        earnings_today=as_satoshi(data.get("earnings_today")),
        earnings_yesterday=as_satoshi(data.get("earnings_yesterday")),
        last_payment_time=as_time(data.get("last_payment_time")),
    )


def parse_earn_history(data: Mapping[str, Any], page: int) -> EarnHistoryPage:
    """Read the data of ``/account/earn-history``."""
    days = tuple(
        _daily_earning(mapping(row, "an earn history row"))
        for row in optional_sequence(data.get("list"), "the earn history list")
    )
    return EarnHistoryPage(
        page=as_int(data.get("page")) or page,
        page_count=as_int(data.get("page_count")) or 1,
        total_count=as_int(data.get("total_count")),
        days=days,
    )


def parse_realtime_hashrate(data: Mapping[str, Any], hashrate: HashrateReader) -> HashrateStats:
    """Read the data of ``/realtime/hashrate``."""
    return HashrateStats(
        current=hashrate(data.get("shares_15m"), data.get("shares_15m_unit")),
        last_day=hashrate(data.get("shares_1d"), data.get("shares_1d_unit")),
    )


def parse_worker_stats(data: Mapping[str, Any], hashrate: HashrateReader) -> WorkerStats:
    """Read the data of ``/worker/stats``."""
    unit = data.get("shares_unit")
    return WorkerStats(
        counts=WorkerCounts(
            active=as_int(data.get("workers_active")),
            inactive=as_int(data.get("workers_inactive")),
            dead=as_int(data.get("workers_dead")),
            total=as_int(data.get("workers_total")),
        ),
        hashrate_1m=hashrate(data.get("shares_1m"), unit),
        hashrate_5m=hashrate(data.get("shares_5m"), unit),
        hashrate_15m=hashrate(data.get("shares_15m"), unit),
    )


def parse_worker_page(
    data: Mapping[str, Any],
    page: int,
    hashrate: HashrateReader,
    page_size: int = WORKER_PAGE_SIZE,
) -> WorkerPage:
    """Read the data of ``/worker``: paging fields around the rows in ``data.data``.

    At most ``page_size`` rows are read: a page longer than asked for is cut.
    """
    rows = optional_sequence(data.get("data"), "the worker list")[:page_size]
    return WorkerPage(
        page=as_int(data.get("page")) or page,
        page_count=as_int(data.get("page_count")) or 1,
        total_count=as_int(data.get("total_count")),
        workers=tuple(
            worker
            for row in rows
            if (worker := _worker(mapping(row, "a worker row"), hashrate)) is not None
        ),
    )


def _worker(row: Mapping[str, Any], hashrate: HashrateReader) -> Worker | None:
    name = as_name(row.get("worker_name")) or as_name(row.get("worker_id"))
    if name is None:
        return None
    unit = row.get("shares_unit")
    said = as_str(row.get("status")) or as_str(row.get("worker_status"))
    status = _STATUSES.get((said or "").upper())
    if status is None:
        if said is not None:
            hashrate.notices.once("worker status", said, "showing the worker's state as unknown")
        status = WorkerStatus.UNKNOWN
    return Worker(
        name=name,
        worker_id=as_str(row.get("worker_id")),
        status=status,
        hashrate=_first(
            as_float(row.get("shares_15m_pure")),
            hashrate(row.get("shares_15m"), unit),
        ),
        hashrate_last_hour=hashrate(row.get("shares_1h"), unit),
        reject_percent=as_float(row.get("reject_percent")),
        last_share_time=as_time(row.get("last_share_time")),
    )


def _daily_earning(row: Mapping[str, Any]) -> DailyEarning:
    paid = as_satoshi(row.get("paid_amount"))
    paid_at = as_time(row.get("payment_time"))
    payment = None
    if paid or paid_at is not None:
        payment = Payment(
            time=paid_at,
            amount=paid,
            tx_id=as_str(row.get("payment_tx")),
            address=_stripped(row.get("address")),
        )
    return DailyEarning(
        day=as_date(row.get("date")),
        earnings=as_satoshi(row.get("earnings")),
        paid_amount=paid,
        payment=payment,
        payment_mode=as_str(row.get("payment_mode")),
        earnings_rate=as_float(row.get("earnings_rate")),
        difficulty=as_int(row.get("diff")),
    )


def _stripped(value: Any) -> str | None:
    text = as_str(value)
    return text.strip() if text else None


def _first(*values: float | None) -> float | None:
    return next((value for value in values if value is not None), None)


__all__ = [
    "ENDPOINTS",
    "ENDPOINTS_BY_KEY",
    "GLOBAL_HOST",
    "BtcComClient",
    "Endpoint",
]
