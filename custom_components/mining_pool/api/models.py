"""Typed, immutable models shared by every pool the library reads.

One model for all pools: a value a pool does not provide is ``None``. Hashrates are floats in
hashes per second (H/s), coin amounts are exact ``Decimal`` values in whole coins, and times are
timezone-aware ``datetime`` values in UTC.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from enum import StrEnum
from typing import Final

# An account keeps at most this many workers: a larger farm (or a pool that lists garbage) is
# read up to here, and the snapshot says it was cut.
MAX_WORKERS: Final = 20_000


class Capability(StrEnum):
    """A value an account's reads fill in; what a pool does not fill in stays ``None``.

    Callers create a view of a value only where the account provides it.
    """

    HASHRATE = "hashrate"
    HASHRATE_LAST_HOUR = "hashrate_last_hour"
    HASHRATE_LAST_DAY = "hashrate_last_day"
    STALE_HASHRATE_LAST_HOUR = "stale_hashrate_last_hour"
    STALE_HASHRATE_LAST_DAY = "stale_hashrate_last_day"
    BALANCE = "balance"
    TOTAL_PAID = "total_paid"
    PENDING_PAYOUTS = "pending_payouts"
    EARNINGS_TODAY = "earnings_today"
    EARNINGS_YESTERDAY = "earnings_yesterday"
    EARNINGS_LAST_DAY = "earnings_last_day"
    TOTAL_REVENUE = "total_revenue"
    LAST_PAYMENT_TIME = "last_payment_time"
    WORKERS_ACTIVE = "workers_active"
    WORKERS_INACTIVE = "workers_inactive"
    WORKERS_DEAD = "workers_dead"
    WORKERS_TOTAL = "workers_total"
    # The worker list, and what each worker carries besides its name.
    WORKERS = "workers"
    WORKER_ID = "worker_id"
    WORKER_STATUS = "worker_status"
    WORKER_HASHRATE = "worker_hashrate"
    WORKER_HASHRATE_LAST_HOUR = "worker_hashrate_last_hour"
    WORKER_HASHRATE_LAST_DAY = "worker_hashrate_last_day"
    WORKER_STALE_HASHRATE_LAST_DAY = "worker_stale_hashrate_last_day"
    WORKER_REJECT_PERCENT = "worker_reject_percent"
    WORKER_LAST_SHARE_TIME = "worker_last_share_time"
    # Braiins Pool's words: workers mining below their alert limit, workers whose monitoring is
    # disabled, the previous UTC day's average hashrate, the reward estimated for the current
    # block, and each worker's scoring hashrate.
    WORKERS_LOW = "workers_low"
    WORKERS_DISABLED = "workers_disabled"
    HASHRATE_YESTERDAY = "hashrate_yesterday"
    ESTIMATED_REWARD = "estimated_reward"
    WORKER_HASHRATE_SCORING = "worker_hashrate_scoring"


class WorkerStatus(StrEnum):
    """What the pool says of a worker."""

    ONLINE = "online"
    OFFLINE = "offline"
    DEAD = "dead"
    UNKNOWN = "unknown"
    # Mines, below its expected hashrate (Braiins Pool's "low").
    LOW = "low"
    # The pool does not judge it: its monitoring is disabled (Braiins Pool's "dis").
    DISABLED = "disabled"


@dataclass(frozen=True, slots=True, kw_only=True)
class HashrateStats:
    """The hashrates of an account, each averaged over the window its name gives (H/s)."""

    current: float | None = None
    last_hour: float | None = None
    last_day: float | None = None
    stale_last_hour: float | None = None
    stale_last_day: float | None = None
    # The average over the previous UTC day.
    yesterday: float | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Earnings:
    """Balances and earnings of an account, in whole coins."""

    balance: Decimal | None = None
    total_paid: Decimal | None = None
    pending_payouts: Decimal | None = None
    earnings_today: Decimal | None = None
    earnings_yesterday: Decimal | None = None
    earnings_last_day: Decimal | None = None
    total_revenue: Decimal | None = None
    last_payment_time: datetime | None = None
    # What the pool expects to pay for the block being mined now.
    estimated_reward: Decimal | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class WorkerCounts:
    """How many workers an account has in each state.

    ``low`` workers mine below their expected hashrate and count among the ``active`` ones too;
    ``disabled`` ones have monitoring disabled, so the pool does not say whether they mine.
    """

    active: int | None = None
    inactive: int | None = None
    dead: int | None = None
    total: int | None = None
    low: int | None = None
    disabled: int | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Worker:
    """One mining machine (or process) of an account."""

    name: str
    worker_id: str | None = None
    status: WorkerStatus = WorkerStatus.UNKNOWN
    hashrate: float | None = None
    hashrate_last_hour: float | None = None
    hashrate_last_day: float | None = None
    stale_hashrate_last_hour: float | None = None
    stale_hashrate_last_day: float | None = None
    reject_percent: float | None = None
    last_share_time: datetime | None = None
    hashrate_scoring: float | None = None

    def is_online(self, now: datetime, offline_after: timedelta) -> bool:
        """Tell whether the worker mines, for pools that do not report a status themselves.

        The pool's own status wins where it has one (a worker below its expected hashrate still
        mines); otherwise, and where the pool's monitoring of the worker is disabled, a worker is
        online while it has a hashrate and its last share is more recent than ``offline_after``.
        """
        if self.status not in (WorkerStatus.UNKNOWN, WorkerStatus.DISABLED):
            return self.status in (WorkerStatus.ONLINE, WorkerStatus.LOW)
        if not self.hashrate or self.last_share_time is None:
            return False
        return now - self.last_share_time <= offline_after


@dataclass(frozen=True, slots=True, kw_only=True)
class Payment:
    """One payout from the pool to the miner's wallet."""

    time: datetime | None = None
    amount: Decimal | None = None
    tx_id: str | None = None
    address: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class HashratePoint:
    """One point of a hashrate history."""

    time: datetime
    hashrate: float | None = None
    stale_hashrate: float | None = None
    online_workers: int | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class AccountSnapshot:
    """Everything one refresh read of an account."""

    hashrate: HashrateStats = field(default_factory=HashrateStats)
    earnings: Earnings = field(default_factory=Earnings)
    worker_counts: WorkerCounts = field(default_factory=WorkerCounts)
    workers: tuple[Worker, ...] | None = None
    payments: tuple[Payment, ...] = ()
    hashrate_history: tuple[HashratePoint, ...] = ()
    # The pool lists more workers than MAX_WORKERS: ``workers`` holds the first of them only.
    workers_capped: bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class AccountInfo:
    """Who the account is, as BTC.com's ``/account/info`` tells it."""

    user_id: int | None = None
    user_name: str | None = None
    region: str | None = None
    address: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class WorkerStats:
    """BTC.com's ``/worker/stats``: worker counts and the account's recent hashrates."""

    counts: WorkerCounts
    hashrate_1m: float | None = None
    hashrate_5m: float | None = None
    hashrate_15m: float | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class DailyEarning:
    """One day of BTC.com's earn history."""

    day: date | None
    earnings: Decimal | None = None
    paid_amount: Decimal | None = None
    payment: Payment | None = None
    payment_mode: str | None = None
    earnings_rate: float | None = None
    difficulty: int | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class EarnHistoryPage:
    """One page of BTC.com's earn history."""

    page: int
    page_count: int
    total_count: int | None
    days: tuple[DailyEarning, ...]

    @property
    def payments(self) -> tuple[Payment, ...]:
        """The payouts among these days, newest first as the pool lists them."""
        return tuple(day.payment for day in self.days if day.payment is not None)


@dataclass(frozen=True, slots=True, kw_only=True)
class WorkerPage:
    """One page of BTC.com's worker list."""

    page: int
    page_count: int
    total_count: int | None
    workers: tuple[Worker, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class WorkerList:
    """The workers of an account as read, and whether the pool listed more than were kept."""

    workers: tuple[Worker, ...]
    capped: bool = False
