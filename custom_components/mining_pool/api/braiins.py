"""Client of Braiins Pool's (formerly Slush Pool) monitoring API.

Every call is ``GET https://pool.braiins.com/accounts/{what}/json/btc/`` with the access profile's
token in the ``Pool-Auth-Token`` header. Answers are JSON objects keyed by the coin (``btc``);
hashrates are numbers in the unit ``hash_rate_unit`` names ("Gh/s", "Th/s"...), rewards are
whole bitcoin sent as strings, payouts are satoshi. A wrong token is answered HTTP 403 with a text
body. Braiins asks for about one request per five seconds and silently ignores requests above
it, so each client spaces the starts of its requests by ``min_interval`` (see docs/braiins.md).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal
from http import HTTPStatus
from typing import Any, Final

import aiohttp
from yarl import URL

from . import _input
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
    as_satoshi,
    as_str,
    as_time,
    consumed,
    decode_json,
    mapping,
    optional_sequence,
)
from .errors import AuthenticationError, CannotConnectError, InvalidInputError
from .models import (
    MAX_WORKERS,
    DailyEarning,
    Earnings,
    HashrateStats,
    Payment,
    Worker,
    WorkerCounts,
    WorkerList,
    WorkerStatus,
)

_LOGGER = logging.getLogger(__name__)
POOL_NAME: Final = "Braiins Pool"
DEFAULT_BASE_URL: Final = "https://pool.braiins.com"
# Braiins' documented safe rate: about one request per five seconds.
MIN_REQUEST_INTERVAL: Final = 5.0
TOKEN_HEADER: Final = "Pool-Auth-Token"  # noqa: S105 (the header's name, not a secret)
COIN: Final = "btc"
# The text Braiins answers a wrong or missing token with.
REFUSAL_TEXT: Final = b"invalid access profile token"
# Exact powers of ten, so that 69.329 Th/s is 69329000000000 H/s, not a float's neighbour.
UNIT_FACTORS: Final = {
    unit: Decimal(10) ** (3 * power)
    for power, unit in enumerate(("h/s", "kh/s", "mh/s", "gh/s", "th/s", "ph/s", "eh/s", "zh/s"))
}
_STATES: Final = {
    "ok": WorkerStatus.ONLINE,
    "low": WorkerStatus.LOW,
    "off": WorkerStatus.OFFLINE,
    "dis": WorkerStatus.DISABLED,
}
# Longest interval a caller may ask for: an hour between two requests is no monitoring.
_MAX_INTERVAL: Final = 3600.0
# A year of daily rewards or payouts is some 100 KB.
_HISTORY_BYTES: Final = 4 * 1024 * 1024
_FAILED_PAYOUT: Final = "failed"


@dataclass(frozen=True, slots=True, kw_only=True)
class BraiinsProfile:
    """Braiins Pool's user profile: who the account is, its hashrates, workers and rewards."""

    user_name: str | None = None
    hashrate: HashrateStats = field(default_factory=HashrateStats)
    earnings: Earnings = field(default_factory=Earnings)
    worker_counts: WorkerCounts = field(default_factory=WorkerCounts)


class HashrateReader:
    """Reads hashrates in the unit Braiins names as H/s; an unknown unit is logged once."""

    def __init__(self) -> None:
        """Start with nothing unknown seen."""
        self.notices = Notices(_LOGGER, POOL_NAME)

    def factor(self, unit: Any) -> Decimal | None:
        """Return the H/s of one ``unit``, or None (logged once) where it is not known."""
        text = unit.strip().lower() if isinstance(unit, str) else ""
        found = UNIT_FACTORS.get(text)
        if found is None:
            self.notices.once("hashrate unit", unit or "", "its hashrates are not shown")
        return found

    @staticmethod
    def rate(value: Any, factor: Decimal | None) -> float | None:
        """Return ``value`` (a number or numeric string) times ``factor`` as H/s, or None."""
        number = as_decimal(value)
        if number is None or factor is None:
            return None
        return as_float(number * factor)


class RequestPacer:
    """Spaces the starts of requests by ``min_interval`` seconds, for whoever shares it."""

    def __init__(self, min_interval: float = MIN_REQUEST_INTERVAL) -> None:
        """Start with no request made."""
        self.min_interval = float(min_interval)
        self._spacing = asyncio.Lock()
        self._last_start: float | None = None

    async def turn(self) -> None:
        """Hold until ``min_interval`` has passed since the previous request started."""
        async with self._spacing:
            loop = asyncio.get_running_loop()
            if self._last_start is not None:
                due = self._last_start + self.min_interval
                await asyncio.sleep(max(0.0, due - loop.time()))
                if loop.time() < due:
                    # A timer may fire early by the clock's resolution.
                    await asyncio.sleep(due - loop.time())
            self._last_start = loop.time()


class BraiinsClient:
    """Reads one Braiins Pool account with an access profile's token."""

    def __init__(
        self,
        session: aiohttp.ClientSession,
        *,
        token: str,
        base_url: str = DEFAULT_BASE_URL,
        timeout: float = DEFAULT_TIMEOUT,
        min_interval: float = MIN_REQUEST_INTERVAL,
        pacer: RequestPacer | None = None,
    ) -> None:
        """Check the token's form and the address; requests start ``min_interval`` s apart.

        Clients that share a ``pacer`` (every client of one host, say) space their requests
        together, and ``min_interval`` is the pacer's.
        """
        self._session = session
        self._headers = {TOKEN_HEADER: _input.secret(token, "token")}
        self._base = _input.base_url(base_url, "base_url")
        if (
            isinstance(min_interval, bool)
            or not isinstance(min_interval, int | float)
            or not 0 <= min_interval <= _MAX_INTERVAL
        ):
            raise InvalidInputError(
                "min_interval", f"the interval must be 0 to {_MAX_INTERVAL:g} seconds"
            )
        self._timeout = timeout
        self.pacer = pacer or RequestPacer(min_interval)
        self._hashrate = HashrateReader()

    @property
    def min_interval(self) -> float:
        """Seconds between the starts of two requests."""
        return self.pacer.min_interval

    @min_interval.setter
    def min_interval(self, seconds: float) -> None:
        self.pacer.min_interval = seconds

    def __repr__(self) -> str:
        """Name the host only: the token stays out of logs."""
        return f"BraiinsClient(host={self._base.host!r})"

    async def _get[T](
        self,
        what: str,
        parse: Callable[[Any], T],
        max_bytes: int = SMALL_BODY_BYTES,
        params: Mapping[str, str] | None = None,
    ) -> T:
        await self.pacer.turn()
        _LOGGER.debug("GET %s from %s", what, self._base.host)
        response = await send(
            self._session,
            "GET",
            URL(f"{self._base}/accounts/{what}/json/{COIN}/", encoded=True),
            pool=POOL_NAME,
            params=params,
            headers=self._headers,
            time_limit=self._timeout,
            max_bytes=max_bytes,
        )
        return await read(POOL_NAME, lambda answer: parse(unwrap(answer)), response)

    async def profile(self) -> BraiinsProfile:
        """Read ``/accounts/profile``: user name, hashrates, worker counts and rewards."""
        return await self._get("profile", lambda data: parse_profile(data, self._hashrate))

    async def workers(self) -> WorkerList:
        """Read ``/accounts/workers``: every worker, up to ``MAX_WORKERS`` (first by name)."""
        return await self._get(
            "workers", lambda data: parse_workers(data, self._hashrate), MAX_BODY_BYTES
        )

    async def daily_rewards(self, start: date, end: date) -> tuple[DailyEarning, ...]:
        """Read ``/accounts/rewards``: each day's total reward from ``start`` to ``end``."""
        return await self._get("rewards", parse_daily_rewards, _HISTORY_BYTES, _period(start, end))

    async def payouts(self, start: date, end: date) -> tuple[Payment, ...]:
        """Read ``/accounts/payouts``: the on-chain and Lightning payouts, oldest first."""
        return await self._get("payouts", parse_payouts, _HISTORY_BYTES, _period(start, end))


def _period(start: date, end: date) -> dict[str, str]:
    if end < start:
        raise InvalidInputError("end", "the end of the period must not come before its start")
    return {"from": start.isoformat(), "to": end.isoformat()}


def unwrap(response: Response) -> Mapping[str, Any]:
    """Check an answer and decode it, or raise the error its status or text means.

    A 401 or 403 carrying Braiins' own refusal text is a definite refusal of the token; a bare
    one (a proxy's or a firewall's page) is not. Braiins' 404 is no such API at this address.
    """
    if response.status in (HTTPStatus.UNAUTHORIZED, HTTPStatus.FORBIDDEN) and _is_refusal(
        response.body
    ):
        raise AuthenticationError(f"{POOL_NAME} refused the access token")
    if response.status == HTTPStatus.NOT_FOUND:
        raise CannotConnectError(f"no {POOL_NAME} API at this address (HTTP 404)")
    raise_for_status(response, POOL_NAME)
    return mapping(decode_json(response.body), f"{POOL_NAME}'s answer")


def _is_refusal(body: bytes) -> bool:
    return REFUSAL_TEXT in body[:1024].lower()


def _coin(data: Mapping[str, Any], what: str) -> Mapping[str, Any]:
    return mapping(data.get(COIN), what)


def parse_profile(data: Mapping[str, Any], hashrate: HashrateReader) -> BraiinsProfile:
    """Read the answer of ``/accounts/profile``."""
    coin = _coin(data, "the profile")
    factor = hashrate.factor(coin.get("hash_rate_unit"))
    ok, low, off, disabled = (
        as_int(coin.get(f"{state}_workers")) for state in ("ok", "low", "off", "dis")
    )
    counts = (ok, low, off, disabled)
    return BraiinsProfile(
        user_name=as_name(data.get("username")),
        hashrate=HashrateStats(
            current=hashrate.rate(coin.get("hash_rate_5m"), factor),
            last_hour=hashrate.rate(coin.get("hash_rate_60m"), factor),
            last_day=hashrate.rate(coin.get("hash_rate_24h"), factor),
            yesterday=hashrate.rate(coin.get("hash_rate_yesterday"), factor),
        ),
        earnings=Earnings(
            balance=as_decimal(coin.get("current_balance")),
            earnings_today=as_decimal(coin.get("today_reward")),
            total_revenue=as_decimal(coin.get("all_time_reward")),
            estimated_reward=as_decimal(coin.get("estimated_reward")),
        ),
        worker_counts=WorkerCounts(
            active=None if ok is None or low is None else ok + low,
            inactive=off,
            low=low,
            disabled=disabled,
            total=None if None in counts else sum(count or 0 for count in counts),
        ),
    )


def parse_workers(data: Mapping[str, Any], hashrate: HashrateReader) -> WorkerList:
    """Read the answer of ``/accounts/workers``: a JSON object of workers keyed by name.

    Rows that are not objects or whose name is empty are skipped; past ``MAX_WORKERS`` the
    first by name are kept.
    """
    listed = _coin(data, "the workers").get("workers")
    rows = {} if listed is None else mapping(listed, "the worker list")
    workers = [
        worker
        for name, row in rows.items()
        if isinstance(row, Mapping) and (worker := _worker(name, row, hashrate)) is not None
    ]
    kept = sorted(workers, key=lambda worker: worker.name)[:MAX_WORKERS]
    return WorkerList(workers=tuple(kept), capped=len(workers) > MAX_WORKERS)


def _worker(key: str, row: Mapping[str, Any], hashrate: HashrateReader) -> Worker | None:
    name = as_name(key)
    if name is None:
        return None
    said = as_str(row.get("state"))
    status = _STATES.get((said or "").lower())
    if status is None:
        if said is not None:
            hashrate.notices.once("worker state", said, "showing the worker's state as unknown")
        status = WorkerStatus.UNKNOWN
    factor = hashrate.factor(row.get("hash_rate_unit"))
    return Worker(
        name=name,
        status=status,
        hashrate=hashrate.rate(row.get("hash_rate_5m"), factor),
        hashrate_last_hour=hashrate.rate(row.get("hash_rate_60m"), factor),
        hashrate_last_day=hashrate.rate(row.get("hash_rate_24h"), factor),
        hashrate_scoring=hashrate.rate(row.get("hash_rate_scoring"), factor),
        last_share_time=as_time(row.get("last_share")),
    )


def parse_daily_rewards(data: Mapping[str, Any]) -> tuple[DailyEarning, ...]:
    """Read the answer of ``/accounts/rewards``, newest day first."""
    days = []
    for item in consumed(
        optional_sequence(_coin(data, "the rewards").get("daily_rewards"), "the daily rewards")
    ):
        row = mapping(item, "a daily reward")
        when = as_time(row.get("date"))
        days.append(
            DailyEarning(
                day=None if when is None else when.astimezone(UTC).date(),
                earnings=as_decimal(row.get("total_reward")),
            )
        )
    return tuple(sorted(days, key=lambda day: day.day or date.min, reverse=True))


def parse_payouts(data: Mapping[str, Any]) -> tuple[Payment, ...]:
    """Read the answer of ``/accounts/payouts``: on-chain and Lightning payouts, oldest first.

    Failed payouts paid nothing and are left out. The lists sit at the top of the answer, or
    under the coin's key.
    """
    lists = _coin(data, "the payouts") if COIN in data else data
    payments: list[Payment] = []
    for kind in ("onchain", "lightning"):
        for item in optional_sequence(lists.get(kind), f"the {kind} payouts"):
            row = mapping(item, "a payout")
            if (as_str(row.get("status")) or "").lower() == _FAILED_PAYOUT:
                continue
            onchain = kind == "onchain"
            payments.append(
                Payment(
                    time=as_time(row.get("resolved_at_ts")) or as_time(row.get("requested_at_ts")),
                    amount=as_satoshi(row.get("amount_sats")),
                    tx_id=as_str(row.get("tx_id")) if onchain else None,
                    address=as_str(row.get("destination")) if onchain else None,
                )
            )
    return tuple(sorted(payments, key=lambda payment: payment.time or _EPOCH))


_EPOCH: Final = datetime(1970, 1, 1, tzinfo=UTC)


__all__ = [
    "DEFAULT_BASE_URL",
    "MIN_REQUEST_INTERVAL",
    "POOL_NAME",
    "BraiinsClient",
    "BraiinsProfile",
]
