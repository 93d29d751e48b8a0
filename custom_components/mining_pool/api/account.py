"""One interface over the pool APIs, for callers that watch an account.

Each pool is read with its own requests, but every account answers the same three questions:
who it is (a light request that checks the credentials), what it is doing now (hashrates and
workers) and what it has earned (balances and payouts). Where one document carries everything
(F2Pool's legacy API), ``separate_earnings`` is false and ``activity`` fills in the earnings.

Each read of an account ends within its deadline, however slowly the pool answers, and keeps
at most ``MAX_WORKERS`` workers (the snapshot says when it had to cut).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from enum import StrEnum
from typing import Final

import aiohttp

from ._http import DEFAULT_DEADLINE, DEFAULT_TIMEOUT, gather_all, within_deadline
from .braiins import DEFAULT_BASE_URL as BRAIINS_BASE_URL
from .braiins import POOL_NAME as BRAIINS_NAME
from .braiins import BraiinsClient
from .btccom import ENDPOINTS_BY_KEY, BtcComClient
from .btccom import POOL_NAME as BTCCOM_NAME
from .errors import AnswerTooLargeError
from .f2pool_v1 import DEFAULT_BASE_URL, F2PoolV1Client
from .f2pool_v1 import POOL_NAME as F2POOL_NAME
from .f2pool_v2 import MAX_ACCOUNT_HISTORY, F2PoolV2Client, count_workers
from .models import MAX_WORKERS, AccountSnapshot, Capability, Earnings, Worker

# BTC.com's coins are all mined with SHA-256.
BTCCOM_ALGORITHM: Final = "sha256"

# What every pool's ``activity`` fills in.
_ACTIVITY: Final = frozenset(
    {
        Capability.HASHRATE,
        Capability.HASHRATE_LAST_DAY,
        Capability.WORKERS_ACTIVE,
        Capability.WORKERS_INACTIVE,
        Capability.WORKERS_TOTAL,
        Capability.WORKERS,
        Capability.WORKER_HASHRATE,
        Capability.WORKER_LAST_SHARE_TIME,
    }
)
# What every pool's ``earnings`` fills in.
_EARNINGS: Final = frozenset(
    {
        Capability.BALANCE,
        Capability.TOTAL_PAID,
        Capability.EARNINGS_TODAY,
        Capability.LAST_PAYMENT_TIME,
    }
)
# F2Pool's hashrates over the last hour and the stale ones, for the account and each worker.
_F2POOL_ACTIVITY: Final = frozenset(
    {
        Capability.HASHRATE_LAST_HOUR,
        Capability.STALE_HASHRATE_LAST_HOUR,
        Capability.STALE_HASHRATE_LAST_DAY,
        Capability.WORKER_HASHRATE_LAST_HOUR,
        Capability.WORKER_HASHRATE_LAST_DAY,
        Capability.WORKER_STALE_HASHRATE_LAST_DAY,
    }
)


class PoolKind(StrEnum):
    """Which API an account is read through."""

    BTCCOM = "btccom"
    F2POOL_V1 = "f2pool_v1"
    F2POOL_V2 = "f2pool_v2"
    BRAIINS = "braiins"


@dataclass(frozen=True, slots=True, kw_only=True)
class AccountIdentity:
    """What the pool says of who the account is."""

    name: str | None = None


class PoolAccount(ABC):
    """A pool account, read through whichever API it uses.

    ``deadline`` bounds each of the three reads, all its requests together, in seconds.
    """

    kind: PoolKind
    pool_name: str
    coin: str
    algorithm: str
    separate_earnings: bool = True
    # What the account's reads fill in (the rest stays None).
    provides: frozenset[Capability]
    deadline: float = DEFAULT_DEADLINE

    async def identify(self) -> AccountIdentity:
        """Make one light request that fails if the credentials or the account are wrong."""
        return await within_deadline(self.pool_name, self._identify(), self.deadline)

    async def activity(self, *, with_workers: bool = True) -> AccountSnapshot:
        """Read hashrates and worker counts, and the worker list if ``with_workers``."""
        return await within_deadline(
            self.pool_name, self._activity(with_workers=with_workers), self.deadline
        )

    async def earnings(self) -> AccountSnapshot:
        """Read balances, earnings and payouts."""
        return await within_deadline(self.pool_name, self._earnings(), self.deadline)

    @property
    def reads_activity(self) -> bool:
        """Whether the pool serves this account's hashrates and workers (``activity``)."""
        return Capability.HASHRATE in self.provides

    @abstractmethod
    async def _identify(self) -> AccountIdentity: ...

    @abstractmethod
    async def _activity(self, *, with_workers: bool) -> AccountSnapshot: ...

    @abstractmethod
    async def _earnings(self) -> AccountSnapshot: ...


def capped(snapshot: AccountSnapshot) -> AccountSnapshot:
    """Keep at most ``MAX_WORKERS`` workers, and say so where the pool lists more."""
    workers = snapshot.workers
    if workers is None or len(workers) <= MAX_WORKERS:
        return snapshot
    # The same workers are kept at every refresh, whatever order the pool lists them in.
    kept = sorted(workers, key=lambda worker: worker.name)[:MAX_WORKERS]
    return replace(snapshot, workers=tuple(kept), workers_capped=True)


class BtcComAccount(PoolAccount):
    """A BTC.com sub-account."""

    kind = PoolKind.BTCCOM
    pool_name = BTCCOM_NAME
    algorithm = BTCCOM_ALGORITHM
    provides = (
        _ACTIVITY
        | _EARNINGS
        | {
            Capability.WORKERS_DEAD,
            Capability.WORKER_ID,
            Capability.WORKER_STATUS,
            Capability.WORKER_REJECT_PERCENT,
            Capability.PENDING_PAYOUTS,
            Capability.EARNINGS_YESTERDAY,
        }
    )

    def __init__(self, client: BtcComClient, coin: str) -> None:
        """Wrap a client; ``coin`` is the coin of the endpoint (BTC, BCH, SBTC, UBTC)."""
        self.client = client
        self.coin = coin

    async def _identify(self) -> AccountIdentity:
        """Read ``/account/info``."""
        info = await self.client.account_info()
        return AccountIdentity(name=info.user_name)

    async def _activity(self, *, with_workers: bool) -> AccountSnapshot:
        """Read the realtime hashrate, worker stats and the worker list (to the cap)."""
        if not with_workers:
            hashrate, stats = await gather_all(
                self.client.realtime_hashrate(), self.client.worker_stats()
            )
            return AccountSnapshot(hashrate=hashrate, worker_counts=stats.counts)
        hashrate, stats, listed = await gather_all(
            self.client.realtime_hashrate(), self.client.worker_stats(), self.client.worker_list()
        )
        return AccountSnapshot(
            hashrate=hashrate,
            worker_counts=stats.counts,
            workers=listed.workers,
            workers_capped=listed.capped,
        )

    async def _earnings(self) -> AccountSnapshot:
        """Read the earn stats, which carry the last payment's time too."""
        return AccountSnapshot(earnings=await self.client.earn_stats())


class F2PoolV1Account(PoolAccount):
    """An F2Pool account read through the legacy API: one document holds everything."""

    kind = PoolKind.F2POOL_V1
    pool_name = F2POOL_NAME
    separate_earnings = False
    # No worker status: callers tell a mining worker by its last share.
    provides = (
        _ACTIVITY
        | _EARNINGS
        | _F2POOL_ACTIVITY
        | {Capability.EARNINGS_LAST_DAY, Capability.TOTAL_REVENUE}
    )

    def __init__(self, client: F2PoolV1Client) -> None:
        """Wrap a client."""
        self.client = client
        self.coin = client.currency.ticker
        self.algorithm = client.currency.algorithm

    async def _identify(self) -> AccountIdentity:
        """Read the account document (the legacy API has nothing lighter)."""
        await self.client.account_data()
        return AccountIdentity(name=self.client.account)

    async def _activity(self, *, with_workers: bool) -> AccountSnapshot:
        """Read the account document, earnings included."""
        snapshot = capped(await self.client.account_data())
        return snapshot if with_workers else replace(snapshot, workers=None)

    async def _earnings(self) -> AccountSnapshot:
        """Read the account document (the same one ``activity`` reads)."""
        return capped(await self.client.account_data())


class F2PoolV2Account(PoolAccount):
    """An F2Pool account read through the v2 API with a token."""

    kind = PoolKind.F2POOL_V2
    pool_name = F2POOL_NAME
    _PROVIDES_EARNINGS: Final = _EARNINGS | {
        Capability.EARNINGS_YESTERDAY,
        Capability.TOTAL_REVENUE,
    }

    def __init__(self, client: F2PoolV2Client) -> None:
        """Wrap a client; outside F2Pool's hashrate module the account has earnings only."""
        self.client = client
        self.coin = client.currency.ticker
        self.algorithm = client.currency.algorithm
        self.provides = self._PROVIDES_EARNINGS
        if client.serves_hashrate:
            self.provides |= _ACTIVITY | _F2POOL_ACTIVITY
            self.provides |= {Capability.WORKERS_DEAD, Capability.WORKER_STATUS}

    async def _identify(self) -> AccountIdentity:
        """Read ``hash_rate/info`` (``assets/balance`` outside the hashrate module).

        Either checks the token and the account.
        """
        if self.reads_activity:
            await self.client.hashrate()
        else:
            await self.client.balance()
        return AccountIdentity(name=self.client.account)

    async def _activity(self, *, with_workers: bool) -> AccountSnapshot:
        """Read ``hash_rate/info`` and ``hash_rate/worker/list``.

        The worker list is needed for the counts even when the workers themselves are not.
        Outside the hashrate module there is nothing to read: the snapshot is empty.
        """
        if not self.reads_activity:
            return AccountSnapshot()
        hashrate, workers = await gather_all(self.client.hashrate(), self._workers_if_readable())
        if workers is None:
            # Past what one answer may hold: the hashrates still stand, the workers are cut.
            return AccountSnapshot(hashrate=hashrate, workers_capped=True)
        snapshot: AccountSnapshot = capped(
            AccountSnapshot(
                hashrate=hashrate, worker_counts=count_workers(workers), workers=workers
            )
        )
        return snapshot if with_workers else replace(snapshot, workers=None)

    async def _workers_if_readable(self) -> tuple[Worker, ...] | None:
        try:
            return await self.client.workers()
        except AnswerTooLargeError:
            return None

    async def _earnings(self) -> AccountSnapshot:
        return await self._earnings_at(datetime.now(UTC))

    async def earnings_at(self, now: datetime) -> AccountSnapshot:
        """Read ``assets/balance`` and the payouts of the 30 days before ``now``."""
        return await within_deadline(self.pool_name, self._earnings_at(now), self.deadline)

    async def _earnings_at(self, now: datetime) -> AccountSnapshot:
        balance, payouts = await gather_all(
            self.client.balance(), self.client.payouts(now - MAX_ACCOUNT_HISTORY, now)
        )
        times = [payout.time for payout in payouts if payout.time is not None]
        earnings: Earnings = replace(balance, last_payment_time=max(times, default=None))
        return AccountSnapshot(earnings=earnings, payments=payouts)


class BraiinsAccount(PoolAccount):
    """A Braiins Pool account read with an access profile's token.

    Braiins answers about one request per five seconds, so each refresh makes as few as it can:
    the profile carries the hashrates, the worker counts and the balances (``activity`` fills
    in the earnings, as F2Pool's legacy API does), and the worker list is the only other read.
    """

    kind = PoolKind.BRAIINS
    pool_name = BRAIINS_NAME
    coin = "BTC"
    algorithm = "sha256"
    separate_earnings = False
    provides = frozenset(
        {
            Capability.HASHRATE,
            Capability.HASHRATE_LAST_HOUR,
            Capability.HASHRATE_LAST_DAY,
            Capability.HASHRATE_YESTERDAY,
            Capability.BALANCE,
            Capability.EARNINGS_TODAY,
            Capability.TOTAL_REVENUE,
            Capability.ESTIMATED_REWARD,
            Capability.WORKERS_ACTIVE,
            Capability.WORKERS_INACTIVE,
            Capability.WORKERS_LOW,
            Capability.WORKERS_DISABLED,
            Capability.WORKERS_TOTAL,
            Capability.WORKERS,
            Capability.WORKER_STATUS,
            Capability.WORKER_HASHRATE,
            Capability.WORKER_HASHRATE_LAST_HOUR,
            Capability.WORKER_HASHRATE_LAST_DAY,
            Capability.WORKER_HASHRATE_SCORING,
            Capability.WORKER_LAST_SHARE_TIME,
        }
    )

    def __init__(self, client: BraiinsClient) -> None:
        """Wrap a client."""
        self.client = client

    async def _identify(self) -> AccountIdentity:
        """Read the profile (one request), which checks the token."""
        return AccountIdentity(name=(await self.client.profile()).user_name)

    async def _activity(self, *, with_workers: bool) -> AccountSnapshot:
        """Read the profile, and the worker list if ``with_workers`` (one request after it)."""
        profile = await self.client.profile()
        snapshot = AccountSnapshot(
            hashrate=profile.hashrate,
            earnings=profile.earnings,
            worker_counts=profile.worker_counts,
        )
        if not with_workers:
            return snapshot
        listed = await self.client.workers()
        return replace(snapshot, workers=listed.workers, workers_capped=listed.capped)

    async def _earnings(self) -> AccountSnapshot:
        """Read the profile (the same one ``activity`` reads) for its balances."""
        return AccountSnapshot(earnings=(await self.client.profile()).earnings)


def open_account(
    session: aiohttp.ClientSession,
    kind: PoolKind,
    *,
    account: str | None = None,
    currency: str | None = None,
    token: str | None = None,
    access_key: str | None = None,
    puid: int | str | None = None,
    endpoint: str | None = None,
    coin: str | None = None,
    base_url: str | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    deadline: float = DEFAULT_DEADLINE,
) -> PoolAccount:
    """Build the account reader for ``kind`` from the settings a user gave.

    ``timeout`` bounds each request, ``deadline`` each read of the account (all its requests).
    Raises ``InvalidInputError`` (naming the field) where a setting is malformed.
    """
    reader = _open(
        session,
        kind,
        account=account,
        currency=currency,
        token=token,
        access_key=access_key,
        puid=puid,
        endpoint=endpoint,
        coin=coin,
        base_url=base_url,
        timeout=timeout,
    )
    reader.deadline = deadline
    return reader


def _open(
    session: aiohttp.ClientSession,
    kind: PoolKind,
    *,
    account: str | None,
    currency: str | None,
    token: str | None,
    access_key: str | None,
    puid: int | str | None,
    endpoint: str | None,
    coin: str | None,
    base_url: str | None,
    timeout: float,
) -> PoolAccount:
    if kind is PoolKind.BTCCOM:
        endpoint = endpoint or ""
        preset = ENDPOINTS_BY_KEY.get(endpoint)
        client = BtcComClient(
            session,
            access_key=access_key or "",
            puid=puid or "",
            endpoint=endpoint,
            timeout=timeout,
        )
        return BtcComAccount(client, preset.coin if preset else (coin or "BTC"))
    if kind is PoolKind.BRAIINS:
        return BraiinsAccount(
            BraiinsClient(
                session,
                token=token or "",
                base_url=base_url or BRAIINS_BASE_URL,
                timeout=timeout,
            )
        )
    if kind is PoolKind.F2POOL_V1:
        return F2PoolV1Account(
            F2PoolV1Client(
                session,
                currency=currency or "",
                account=account or "",
                token=token,
                base_url=base_url or DEFAULT_BASE_URL,
                timeout=timeout,
            )
        )
    return F2PoolV2Account(
        F2PoolV2Client(
            session,
            currency=currency or "",
            account=account or "",
            token=token or "",
            base_url=base_url or DEFAULT_BASE_URL,
            timeout=timeout,
        )
    )


__all__ = [
    "BTCCOM_ALGORITHM",
    "AccountIdentity",
    "BraiinsAccount",
    "BtcComAccount",
    "F2PoolV1Account",
    "F2PoolV2Account",
    "PoolAccount",
    "PoolKind",
    "open_account",
]
