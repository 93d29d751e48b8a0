"""The simulated world: accounts, workers, their hashrate, earnings and payouts.

Every number derives from (seed, names, time) through cheap integer hashing, so one seed and one
clock always give the same answers, and an account of 50,000 workers costs little. Inside, times
are unix seconds (floats); the public truth methods take and return aware datetimes.

The model:

* A worker's hashrate is its base rate times a factor that drifts every 10-minute slot (the
  factor is shared by the workers of one of 16 groups), and zero while the worker is offline.
* A worker is offline during its scheduled outages (each 6-hour block holds one with chance
  0.12, from 10 minutes to 3 hours long: about 3 % of workers are offline at any time), after it
  died (0.5 % of the initial workers stopped days before the account was created), before it was
  added, and whenever a test forces it offline.
* Each closed UTC day credits its hashes times the coin's reward per hash. When the balance
  reaches the payout threshold, the whole balance (rounded down to the payout step) is paid
  between 01:30 and 02:00 UTC the next morning.
* An account opens with 30 days of history. Days that ended before the account was created use
  the expected availability and the shared drift instead of each worker's outages and group
  drift (cheap for 50,000 workers); later days sum every worker exactly.
"""

import hashlib
import itertools
import math
import struct
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import ClassVar

from .clock import Clock
from .quirks import HOSTILE_NAMES, Quirks

SLOT = 600
SLOTS_PER_DAY = 144
BLOCK = 6 * 3600
DAY = 86400
HISTORY_DAYS = 30
GROUPS = 16
OUTAGE_CHANCE = 0.12
DEAD_CHANCE = 0.005
AVAILABILITY = 1 - OUTAGE_CHANCE * (9.5 * SLOT) / BLOCK
ACTIVE_WINDOW = 900
PAY_DELAY = 5400
PAY_SPREAD = 1800
LOOKBACK_LIMIT = 400 * DAY
AVERAGE_WINDOWS = (60, 300, 900, 3600, DAY)
IDLE_WORKER = "idle-rig"

_MASK = (1 << 64) - 1
_SIGN = 1 << 63
_GOLDEN = 0x9E3779B97F4A7C15
_BASE58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"


def mix(*parts: int) -> int:
    """Return a 64-bit hash of integers (chained splitmix64 finalisers): cheap, deterministic."""
    value = 0x243F6A8885A308D3
    for part in parts:
        value = ((value ^ (part & _MASK)) + _GOLDEN) & _MASK
        value = ((value ^ (value >> 30)) * 0xBF58476D1CE4E5B9) & _MASK
        value = ((value ^ (value >> 27)) * 0x94D049BB133111EB) & _MASK
        value ^= value >> 31
    return value


def fraction(value: int) -> float:
    """Map a 64-bit hash to a float in [0, 1)."""
    return (value >> 11) / (1 << 53)


def text_key(text: str) -> int:
    """Return a stable 64-bit key of a text (names, currencies)."""
    digest = hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=8).digest()
    return int.from_bytes(digest, "big")


def hex_digest(*parts: int) -> str:
    """Return 64 hex digits derived from integers (transaction ids)."""
    data = b"".join(part.to_bytes(8, "big") for part in (p & _MASK for p in parts))
    return hashlib.blake2b(data, digest_size=32).hexdigest()


def base58(key: int, length: int) -> str:
    """Return a base58 text of this length derived from a key (wallet addresses)."""
    return "".join(_BASE58[mix(key, index) % len(_BASE58)] for index in range(length))


def to_datetime(ts: float) -> datetime:
    """Return the aware UTC datetime of unix seconds."""
    return datetime.fromtimestamp(ts, UTC)


def worker_key(name: str, ordinal: int) -> str:
    """Return the key of a worker in Account.workers: its name, "<name>#<n + 1>" for ordinal n."""
    return f"{name}#{ordinal + 1}" if ordinal else name


def day_of(ts: float) -> int:
    """Return the UTC day number (days since 1970-01-01) of unix seconds."""
    return math.floor(ts / DAY)


def mean_ratio(workers: Iterable[Worker], ratio: Callable[[Worker], float]) -> float:
    """Return a worker ratio (stale, delay, local) averaged with base rates as weights."""
    total = weighted = 0.0
    for worker in workers:
        total += worker.base_hs
        weighted += ratio(worker) * worker.base_hs
    return weighted / total if total else 0.0


def btccom_status(last_share: float | None, ts: float) -> str:
    """Return BTC.com's worker status at ts for a worker whose last share was last_share."""
    if last_share is None or ts - last_share > DAY:
        return "DEAD"
    return "ACTIVE" if ts - last_share <= ACTIVE_WINDOW else "INACTIVE"


def braiins_state(*, online: bool, low: bool, last_share: float | None, ts: float) -> str:
    """Return Braiins Pool's worker state at ts: ok, low, off, or dis (gone for over a day)."""
    if online:
        return "low" if low else "ok"
    return "dis" if last_share is None or ts - last_share > DAY else "off"


def f2pool_status(*, online: bool, last_share: float | None, ts: float) -> int:
    """Return F2Pool v2's worker status at ts: 0 online, 1 offline, 2 expired (> 24 h)."""
    if online:
        return 0
    return 2 if last_share is None or ts - last_share > DAY else 1


@dataclass(frozen=True, slots=True)
class CoinSpec:
    """What mining one coin looks like in the simulator.

    Attributes:
        symbol: the ticker.
        worker_hs: the hashrate of a typical worker, H/s.
        daily_per_worker: coins a typical worker earns in a day.
        by_address: F2Pool names the account by a wallet address.
        difficulty: the network difficulty BTC.com's earn-history shows.
    """

    symbol: str
    worker_hs: float
    daily_per_worker: float
    by_address: bool = False
    difficulty: int = 0


_SHA256 = CoinSpec("BTC", 110e12, 0.0005, difficulty=126_411_437_451_912)

BTCCOM_COINS: dict[str, CoinSpec] = {
    "BTC": _SHA256,
    "BCH": CoinSpec("BCH", 110e12, 0.0015, difficulty=484_286_340_832),
    "SBTC": CoinSpec("SBTC", 14e12, 0.02, difficulty=2_305_521_984),
    "UBTC": CoinSpec("UBTC", 14e12, 0.03, difficulty=1_104_986_211),
}

F2POOL_COINS: dict[str, CoinSpec] = {
    "bitcoin": _SHA256,
    "bitcoin-cash": BTCCOM_COINS["BCH"],
    "litecoin": CoinSpec("LTC", 9.5e9, 0.1),
    "ethereum-classic": CoinSpec("ETC", 2.4e9, 0.5),
    "ethereumpow": CoinSpec("ETHW", 2.4e9, 1.5),
    "zec": CoinSpec("ZEC", 420e3, 0.05),
    "zen": CoinSpec("ZEN", 420e3, 0.2),
    "dash": CoinSpec("DASH", 1.7e12, 0.02),
    "handshake": CoinSpec("HNS", 4e12, 40.0),
    "kadena": CoinSpec("KDA", 29e12, 8.0),
    "nervos": CoinSpec("CKB", 3e12, 400.0),
    "raven": CoinSpec("RVN", 60e6, 30.0),
    "conflux": CoinSpec("CFX", 90e6, 6.0),
    "aleo-test3": CoinSpec("ALEO", 1.2e6, 1.0),
    "etc-zil": CoinSpec("ETC", 2.4e9, 0.5),
    "kaspa": CoinSpec("KAS", 21e12, 300.0),
    "ironfish": CoinSpec("IRON", 12e9, 1.0),
    "bells": CoinSpec("BEL", 9.5e9, 1.0),
    "microvisionchain": CoinSpec("SPACE", 3e12, 2.0),
    "zephyr": CoinSpec("ZEPH", 30e3, 0.05),
    "nexa": CoinSpec("NEXA", 2e9, 10000.0),
    "siacoin-new": CoinSpec("SC", 20e12, 500.0, by_address=True),
    "ravenp": CoinSpec("RVN", 60e6, 30.0, by_address=True),
    "zilliqa-etc-zil": CoinSpec("ZIL", 2.4e9, 5.0, by_address=True),
    "zilliqa-etc": CoinSpec("ETC", 2.4e9, 0.5, by_address=True),
    "dynex": CoinSpec("DNX", 5e3, 1.0, by_address=True),
}


@dataclass(frozen=True, slots=True)
class Credit:
    """One closed UTC day's earnings, credited to the balance at the end of that day.

    Attributes:
        day: the UTC day.
        at: when it was credited (the next midnight), unix seconds.
        units: the amount in the account's smallest unit (satoshi for BTC.com, 1e-18 coin for
            F2Pool).
        amount: the same in whole coins.
        hashes: the hashes the account submitted that day.
    """

    day: date
    at: float
    units: int
    amount: Decimal
    hashes: float


@dataclass(frozen=True, slots=True)
class Payout:
    """One payout of the whole balance.

    Attributes:
        day: the UTC day whose credit took the balance over the threshold.
        at: when it is paid, unix seconds.
        units: the amount in the account's smallest unit.
        amount: the same in whole coins.
        txid: the transaction id (the truth, even when a quirk hides it).
        address: the wallet paid.
    """

    day: date
    at: float
    units: int
    amount: Decimal
    txid: str
    address: str

    @property
    def time(self) -> datetime:
        """When it was paid."""
        return to_datetime(self.at)


class Worker:
    """One mining machine of an account (its truth methods take an aware datetime).

    Attributes:
        name: the worker name.
        worker_id: BTC.com's id, a signed 64-bit number as a string, from the seed, the name and
            the ordinal.
        ordinal: 0 for the first machine of its name; n for the n-th further machine that
            shares the name (the shared_name quirk), derived from the name salted with n.
        base_hs: its nominal hashrate in H/s (0 for a worker that never shared).
        group: which of the 16 drift groups it follows.
        stale_ratio: the share of its hashes that are stale.
        delay_ratio: the share of its hashes that are delayed (F2Pool v2).
        local_ratio: local (miner-reported) hashrate over pool hashrate (F2Pool v2).
        host: the address F2Pool v2 reports for it.
        created: when it started, unix seconds.
        dead_since: when it stopped for good (unix seconds), or None.
        never_shared: it never submitted a share.
    """

    __slots__ = (
        "_account",
        "_changes",
        "base_hs",
        "created",
        "dead_since",
        "delay_ratio",
        "group",
        "host",
        "key",
        "local_ratio",
        "name",
        "never_shared",
        "ordinal",
        "share_period_us",
        "share_phase_us",
        "stale_ratio",
        "worker_id",
    )

    def __init__(
        self,
        account: Account,
        name: str,
        *,
        created: float,
        dead_since: float | None = None,
        never_shared: bool = False,
        ordinal: int = 0,
    ) -> None:
        """Derive a worker from its account's key, its name and (when not 0) its ordinal."""
        secret = (account.key & _MASK).to_bytes(8, "big")
        data = name.encode("utf-8", "surrogatepass")
        digest = (
            hashlib.blake2b(data, key=secret, salt=ordinal.to_bytes(16, "big")).digest()
            if ordinal
            else hashlib.blake2b(data, key=secret).digest()
        )
        words: tuple[int, ...] = struct.unpack(">8Q", digest)
        key, spread, stale, delay, local, signed, octets, share = words
        self._account = account
        self._changes: list[tuple[float, bool | None]] = []
        self.name = name
        self.key = key
        self.group = key % GROUPS
        self.base_hs = (
            0.0 if never_shared else account.spec.worker_hs * (0.6 + 0.8 * fraction(spread))
        )
        self.stale_ratio = 0.001 + 0.009 * fraction(stale)
        self.delay_ratio = 0.0005 + 0.002 * fraction(delay)
        self.local_ratio = 0.97 + 0.06 * fraction(local)
        self.worker_id = str(signed - (1 << 64) if signed & _SIGN else signed)
        self.host = f"10.{octets & 255}.{(octets >> 8) & 255}.{(octets >> 16) & 255}"
        self.share_period_us = 5_000_000 + share % 10_000_000
        self.share_phase_us = (share >> 32) % self.share_period_us
        self.created = created
        self.dead_since = dead_since
        self.never_shared = never_shared
        self.ordinal = ordinal

    def force(self, ts: float, state: bool | None) -> None:  # noqa: FBT001
        """From ts on, force the worker online (True), offline (False) or back to its schedule."""
        if self._changes and self._changes[-1][0] >= ts:
            self._changes = [change for change in self._changes if change[0] < ts]
        self._changes.append((ts, state))

    def renamed(self, name: str) -> Worker:
        """Return a new worker under another name, started, stopped and forced like this one."""
        worker = Worker(
            self._account,
            name,
            created=self.created,
            dead_since=self.dead_since,
            never_shared=self.never_shared,
            ordinal=self.ordinal,
        )
        for when, state in self._changes:
            worker.force(when, state)
        return worker

    def forced_at(self, ts: float) -> bool | None:
        """Return the forced state in effect at ts, or None when the schedule rules."""
        state: bool | None = None
        for when, change in self._changes:
            if when > ts:
                break
            state = change
        return state

    def outage(self, block: int) -> tuple[float, float] | None:
        """Return the scheduled outage in this 6-hour block, or None."""
        value = mix(self.key, block)
        if fraction(value) >= OUTAGE_CHANCE:
            return None
        length = SLOT * (1 + (value & 0xFFFF) % 18)
        start = block * BLOCK + SLOT // 2 + (value >> 16) % (BLOCK - length - SLOT)
        return float(start), float(start + length)

    def is_online_at(self, ts: float) -> bool:
        """Return whether the worker is hashing at ts (unix seconds)."""
        if self.never_shared or ts < self.created:
            return False
        forced = self.forced_at(ts) if self._changes else None
        if forced is not None:
            return forced
        if self.dead_since is not None and ts >= self.dead_since:
            return False
        outage = self.outage(math.floor(ts / BLOCK))
        return outage is None or not outage[0] <= ts < outage[1]

    def offline_intervals(self, start: float, end: float) -> list[tuple[float, float]]:
        """Return the merged periods within [start, end) when the worker is offline."""
        return self.offline_and_state(start, end)[0]

    def offline_and_state(self, start: float, end: float) -> tuple[list[tuple[float, float]], bool]:
        """Return offline_intervals(start, end) and whether the worker is online at end."""
        if self.never_shared:
            return ([(start, end)] if start < end else []), False
        blocks = range(math.floor(start / BLOCK), math.floor(end / BLOCK) + 1)
        if not self._changes and self.dead_since is None and self.created <= start:
            gaps: list[tuple[float, float]] = []
            online = True
            for block in blocks:
                outage = self.outage(block)
                if outage is not None:
                    low, high = max(outage[0], start), min(outage[1], end)
                    if low < high:
                        gaps.append((low, high))
                    if block == blocks[-1] and outage[0] <= end < outage[1]:
                        online = False
            return gaps, online
        points = {start, end, self.created}
        for block in blocks:
            points.update(self.outage(block) or ())
        points.update(when for when, _ in self._changes)
        if self.dead_since is not None:
            points.add(self.dead_since)
        cuts = sorted(point for point in points if start <= point <= end)
        merged: list[list[float]] = []
        for low, high in itertools.pairwise(cuts):
            if self.is_online_at((low + high) / 2):
                continue
            if merged and merged[-1][1] == low:
                merged[-1][1] = high
            else:
                merged.append([low, high])
        return [(low, high) for low, high in merged], self.is_online_at(end)

    def tick_before(self, ts: float) -> float:
        """Return the last moment at or before ts when the worker's share clock ticked."""
        now_us = math.floor(ts * 1_000_000)
        ticks = (now_us - self.share_phase_us) // self.share_period_us
        return (self.share_phase_us + ticks * self.share_period_us) / 1_000_000

    def last_share_at(
        self,
        ts: float,
        known: tuple[Sequence[tuple[float, float]], bool] | None = None,
        since: float = 0.0,
    ) -> float | None:
        """Return the time of the last share at or before ts (unix seconds), or None.

        known, when given, is offline_and_state(since, ts) with since at least 15 s before ts.
        """
        if self.never_shared:
            return None
        window = float(DAY)
        if known is None:
            since = ts - window
            known = self.offline_and_state(since, ts)
        gaps, online = known
        if online:
            tick = self.tick_before(ts)
            back = gaps[-1][1] if gaps and gaps[-1][1] > tick else tick
            return self._account.round_share(back)
        while True:
            if not gaps or gaps[-1][1] < ts:
                # It stopped at ts itself: it was hashing until this very moment.
                online_from = gaps[-1][1] if gaps else since
                return self._account.round_share(max(self.tick_before(ts), online_from))
            if gaps[-1][0] > since:
                online_from = gaps[-2][1] if len(gaps) > 1 else since
                stopped = gaps[-1][0]
                return self._account.round_share(max(self.tick_before(stopped), online_from))
            window *= 8
            if window > LOOKBACK_LIMIT:
                return None
            since = ts - window
            gaps = self.offline_intervals(since, ts)

    def online(self, now: datetime) -> bool:
        """Return whether the worker is hashing now."""
        return self.is_online_at(now.timestamp())

    def hashrate_hs(self, now: datetime) -> float:
        """Return its hashrate now, H/s (zero when offline)."""
        ts = now.timestamp()
        if not self.is_online_at(ts):
            return 0.0
        return self.base_hs * self._account.factor(self.group, math.floor(ts / SLOT))

    def average_hs(self, now: datetime, seconds: float) -> float:
        """Return its average hashrate over the seconds before now, H/s."""
        ts = now.timestamp()
        start = ts - seconds
        total = self._account.integral(self.group, start, ts)
        for low, high in self.offline_intervals(start, ts):
            total -= self._account.integral(self.group, low, high)
        return max(self.base_hs * total / seconds, 0.0)

    def last_share(self, now: datetime) -> datetime | None:
        """Return the time of its last share, or None if it never shared."""
        found = self.last_share_at(now.timestamp())
        return None if found is None else to_datetime(found)

    def btccom_status(self, now: datetime) -> str:
        """Return BTC.com's status now: ACTIVE (< 15 min), INACTIVE, DEAD (> 24 h)."""
        return btccom_status(self.last_share_at(now.timestamp()), now.timestamp())

    def f2pool_status(self, now: datetime) -> int:
        """Return F2Pool v2's status now: 0 online, 1 offline, 2 expired (> 24 h)."""
        ts = now.timestamp()
        return f2pool_status(online=self.is_online_at(ts), last_share=self.last_share_at(ts), ts=ts)


@dataclass(frozen=True, slots=True)
class WorkerStats:
    """One worker as seen at one instant: the truth behind every worker row.

    Attributes:
        worker: the worker.
        online: hashing right now.
        hashrate: H/s right now.
        avg_1m: average H/s over the last minute (likewise avg_5m, avg_15m, avg_1h, avg_24h).
        hashes_1h: hashes of the last hour, as F2Pool v1 sends them (likewise hashes_24h).
        stale_1h: stale hashes of the last hour (likewise stale_24h).
        last_share: unix seconds of its last share, or None.
    """

    worker: Worker
    online: bool
    hashrate: float
    avg_1m: float
    avg_5m: float
    avg_15m: float
    avg_1h: float
    avg_24h: float
    hashes_1h: int
    hashes_24h: int
    stale_1h: int
    stale_24h: int
    last_share: float | None

    @property
    def averages(self) -> tuple[float, float, float, float, float]:
        """The averages over AVERAGE_WINDOWS (1 min, 5 min, 15 min, 1 h, 24 h)."""
        return (self.avg_1m, self.avg_5m, self.avg_15m, self.avg_1h, self.avg_24h)


@dataclass(slots=True)
class Series:
    """Hashes per 10-minute slot over a window, and workers online at each slot start.

    Attributes:
        first_slot: the number of the first slot (unix seconds / 600).
        hashes: hashes submitted in each slot (within the window).
        online: workers online at each slot start.
    """

    first_slot: int
    hashes: list[float]
    online: list[int]

    @property
    def total(self) -> float:
        """All hashes of the window."""
        return sum(self.hashes)


class _SeriesBuilder:
    """Sums workers into a Series: group base rates, minus what offline periods did not hash."""

    def __init__(self, account: Account, start: float, end: float) -> None:
        self.account = account
        self.start = start
        self.end = end
        self.first = math.floor(start / SLOT)
        size = max(math.ceil(end / SLOT) - self.first, 0)
        self.missing = [0.0] * size
        self.offline = [0] * (size + 1)
        self.base = [0.0] * GROUPS
        self.count = 0

    def add(self, worker: Worker, gaps: Iterable[tuple[float, float]]) -> None:
        self.count += 1
        self.base[worker.group] += worker.base_hs
        for low, high in gaps:
            if worker.base_hs:
                slot = math.floor(low / SLOT)
                while slot * SLOT < high:
                    overlap = min(high, (slot + 1) * SLOT) - max(low, slot * SLOT)
                    factor = self.account.factor(worker.group, slot)
                    self.missing[slot - self.first] += worker.base_hs * factor * overlap
                    slot += 1
            self.offline[math.ceil(low / SLOT) - self.first] += 1
            self.offline[math.ceil(high / SLOT) - self.first] -= 1

    def build(self) -> Series:
        hashes: list[float] = []
        online: list[int] = []
        offline = 0
        groups = [group for group in range(GROUPS) if self.base[group]]
        for index, missing in enumerate(self.missing):
            slot = self.first + index
            overlap = min(self.end, (slot + 1) * SLOT) - max(self.start, slot * SLOT)
            full = sum(self.base[group] * self.account.factor(group, slot) for group in groups)
            hashes.append(max(full * overlap - missing, 0.0))
            offline += self.offline[index]
            online.append(self.count - offline)
        return Series(self.first, hashes, online)


@dataclass(frozen=True, slots=True)
class AccountView:
    """An account as seen at one instant: the numbers every answer at that instant is built from.

    Attributes:
        ts: the instant, unix seconds.
        workers: the stats of every worker, in the account's order.
        history: (slot start, average H/s) of the 144 completed 10-minute slots, oldest first.
        hashes_today: hashes submitted since 00:00 UTC.
    """

    ts: float
    workers: list[WorkerStats]
    history: list[tuple[float, float]]
    hashes_today: float

    @property
    def now(self) -> datetime:
        """The instant."""
        return to_datetime(self.ts)

    @property
    def hashrate(self) -> float:
        """The account's hashrate now, H/s (the sum of its workers')."""
        return sum(stats.hashrate for stats in self.workers)

    def average(self, seconds: int) -> float:
        """The account's average H/s over one of the windows 60, 300, 900, 3600 or 86400 s."""
        index = AVERAGE_WINDOWS.index(seconds)
        return sum(stats.averages[index] for stats in self.workers)

    @property
    def workers_online(self) -> int:
        """How many workers are hashing now."""
        return sum(stats.online for stats in self.workers)

    def stats(self, name: str) -> WorkerStats:
        """Return the stats of one worker by name (KeyError if unknown; the first of a name)."""
        for stats in self.workers:
            if stats.worker.name == name:
                return stats
        raise KeyError(name)

    def stats_of(self, worker: Worker) -> WorkerStats:
        """Return the stats of this very worker (KeyError if it is not in the view)."""
        for stats in self.workers:
            if stats.worker is worker:
                return stats
        raise KeyError(worker.name)


class Account:
    """What BTC.com and F2Pool accounts share: workers, the hashrate model and the ledger.

    Truth for tests (money in whole coins as Decimal, evaluated at the simulator's clock):
    ``workers`` (name -> Worker; with the shared_name quirk, the second machine named like the
    first worker is keyed "<name>#2", e.g. "worker-1#2", while its name stays "worker-1"),
    ``balance`` (credited minus paid, pending payout included),
    ``total_income`` (credited), ``total_paid``, ``pending_payout``, ``last_payment_time``,
    ``earnings_today`` (estimate from today's hashes), ``earnings_yesterday``,
    ``earnings_last_24h``, ``payouts`` (paid, oldest first), ``credits`` (closed days, oldest
    first), ``threshold``, ``hashrate_hs()``, ``average_hs(seconds)``, ``view()`` and
    ``generation`` (how many times the rotating_names quirk renamed the workers).

    Attributes:
        has_worker_ids: the pool tells workers apart by an id (BTC.com), not by name alone, so
            the shared_name quirk applies.
    """

    has_worker_ids: ClassVar[bool] = False

    def __init__(
        self,
        *,
        key: int,
        clock: Clock,
        spec: CoinSpec,
        decimals: int,
        payout_step: int,
        workers: int,
        quirks: Quirks,
        share_resolution: float,
        address: str,
    ) -> None:
        """Create the account, its workers and its history up to the clock's time."""
        self.key = key
        self.spec = spec
        self.quirks = quirks
        self.decimals = decimals
        self.scale: int = 10**decimals
        self.address = address
        self.share_resolution = share_resolution
        self._clock = clock
        self._factors: dict[int, float] = {}
        self._shared: dict[int, float] = {}
        self._version = 0
        self._view: tuple[tuple[float, int], AccountView] | None = None
        self.opened_at = clock.now().timestamp()
        history = 0 if quirks.empty_account else HISTORY_DAYS
        self._next_day = day_of(self.opened_at) - history
        start = float(self._next_day * DAY)
        self._units_per_hash = spec.daily_per_worker * self.scale / (spec.worker_hs * DAY)
        self._threshold = round(spec.daily_per_worker * 20 * self.scale)
        self._payout_step = payout_step
        self._credits: list[Credit] = []
        self._payouts: list[Payout] = []
        self._credited = 0
        self._scheduled = 0
        self.generation = 0
        self._first_names: dict[str, str] = {}
        self.workers: dict[str, Worker] = {}
        for index in range(1, 0 if quirks.empty_account else workers + 1):
            name = f"worker-{index}"
            worker = self.workers[name] = Worker(self, name, created=start)
            roll = mix(worker.key, 9)
            if fraction(roll) < DEAD_CHANCE:
                worker.dead_since = self.opened_at - DAY * (2 + roll % 4) - (roll >> 8) % DAY
        if quirks.shared_name and self.has_worker_ids and self.workers:
            first = next(iter(self.workers.values())).name
            self.workers[worker_key(first, 1)] = Worker(self, first, created=start, ordinal=1)
        if quirks.never_shared_worker is not None and not quirks.empty_account:
            self.workers[IDLE_WORKER] = Worker(self, IDLE_WORKER, created=start, never_shared=True)
        if quirks.hostile_names and not quirks.empty_account:
            for name in HOSTILE_NAMES:
                self.workers[name] = Worker(self, name, created=start)
                self.workers[name].force(start, state=True)
        self.settle()

    # The hashrate model.

    def shared_factor(self, slot: int) -> float:
        """Return the drift all of the account's workers share in a 10-minute slot.

        A daily wave of +-2 % and a noise of +-1.5 %.
        """
        found = self._shared.get(slot)
        if found is None:
            wave = 1 - abs(2 * (slot % SLOTS_PER_DAY) / SLOTS_PER_DAY - 1)
            found = 1 + 0.04 * (wave - 0.5) + 0.03 * (fraction(mix(self.key, slot)) - 0.5)
            self._shared[slot] = found
        return found

    def factor(self, group: int, slot: int) -> float:
        """Return the drift of a worker group in a 10-minute slot (shared drift, +-5 % own)."""
        index = slot * GROUPS + group
        found = self._factors.get(index)
        if found is None:
            own = 1 + 0.1 * (fraction(mix(self.key, slot, group)) - 0.5)
            found = self._factors[index] = self.shared_factor(slot) * own
        return found

    def integral(self, group: int, start: float, end: float) -> float:
        """Return the integral of a group's factor over [start, end) in seconds."""
        total = 0.0
        slot = math.floor(start / SLOT)
        while slot * SLOT < end:
            total += self.factor(group, slot) * (
                min(end, (slot + 1) * SLOT) - max(start, slot * SLOT)
            )
            slot += 1
        return total

    def round_share(self, ts: float) -> float:
        """Round a share time to the account's resolution (1 s or 1 µs)."""
        if self.share_resolution >= 1:
            return float(math.floor(ts))
        return round(ts, 6)

    def series(self, start: float, end: float, workers: Iterable[Worker] | None = None) -> Series:
        """Return the slot series of [start, end) of these workers (all by default)."""
        builder = _SeriesBuilder(self, start, end)
        for worker in self.workers.values() if workers is None else workers:
            builder.add(worker, worker.offline_intervals(start, end))
        return builder.build()

    def units_for(self, hashes: float) -> int:
        """Return the earnings of this many hashes in the smallest unit."""
        return int(hashes * self._units_per_hash)

    def coins(self, units: int) -> Decimal:
        """Return an amount of the smallest unit in whole coins."""
        return Decimal(units).scaleb(-self.decimals)

    def view(self, now: datetime | None = None) -> AccountView:
        """Return the account as seen now (cached while neither time nor workers change)."""
        return self.view_at((now or self._clock.now()).timestamp())

    def view_at(self, ts: float) -> AccountView:
        """Return the account as seen at ts, unix seconds (see view())."""
        if self._view is not None and self._view[0] == (ts, self._version):
            return self._view[1]
        self.settle(ts)
        view = self._build_view(ts)
        self._view = ((ts, self._version), view)
        return view

    def _build_view(self, ts: float) -> AccountView:
        current = math.floor(ts / SLOT)
        start = float((current - SLOTS_PER_DAY) * SLOT)
        builder = _SeriesBuilder(self, start, ts)
        integrals: dict[tuple[int, int], float] = {}
        huge = self.quirks.huge_integers
        stats: list[WorkerStats] = []
        for worker in self.workers.values():
            known = worker.offline_and_state(start, ts)
            gaps, online = known
            builder.add(worker, gaps)
            averages: list[float] = []
            for seconds in AVERAGE_WINDOWS:
                since = ts - seconds
                total = integrals.get((worker.group, seconds))
                if total is None:
                    total = integrals[worker.group, seconds] = self.integral(
                        worker.group, since, ts
                    )
                for low, high in gaps:
                    if high > since:
                        total -= self.integral(worker.group, max(low, since), high)
                averages.append(max(worker.base_hs * total / seconds, 0.0))
            hashes_1h = _count(averages[3] * 3600, worker.key, 1, huge=huge)
            hashes_24h = _count(averages[4] * DAY, worker.key, 2, huge=huge)
            stats.append(
                WorkerStats(
                    worker=worker,
                    online=online,
                    hashrate=worker.base_hs * self.factor(worker.group, current) if online else 0,
                    avg_1m=averages[0],
                    avg_5m=averages[1],
                    avg_15m=averages[2],
                    avg_1h=averages[3],
                    avg_24h=averages[4],
                    hashes_1h=hashes_1h,
                    hashes_24h=hashes_24h,
                    stale_1h=_count(hashes_1h * worker.stale_ratio, worker.key, 3, huge=huge),
                    stale_24h=_count(hashes_24h * worker.stale_ratio, worker.key, 4, huge=huge),
                    last_share=worker.last_share_at(ts, known, start),
                )
            )
        series = builder.build()
        history = [
            (float((series.first_slot + index) * SLOT), series.hashes[index] / SLOT)
            for index in range(SLOTS_PER_DAY)
        ]
        today = day_of(ts) * DAY // SLOT - series.first_slot
        return AccountView(ts, stats, history, sum(series.hashes[today:]))

    # The ledger.

    def settle(self, ts: float | None = None) -> None:
        """Credit every UTC day that has ended by ts and schedule the payouts they trigger."""
        if ts is None:
            ts = self._clock.now().timestamp()
        while (self._next_day + 1) * DAY <= ts:
            day = self._next_day
            start, end = float(day * DAY), float((day + 1) * DAY)
            if end <= self.opened_at:
                # Before the account existed: expected availability, shared drift only.
                base = sum(
                    worker.base_hs
                    for worker in self.workers.values()
                    if worker.dead_since is None or worker.dead_since > end
                )
                slots = range(day * SLOTS_PER_DAY, (day + 1) * SLOTS_PER_DAY)
                drift = sum(self.shared_factor(slot) for slot in slots)
                hashes = AVAILABILITY * base * drift * SLOT
            else:
                hashes = self.series(start, end).total
            units = self.units_for(hashes)
            when = date.fromordinal(date(1970, 1, 1).toordinal() + day)
            self._credits.append(Credit(when, end, units, self.coins(units), hashes))
            self._credited += units
            balance = self._credited - self._scheduled
            if balance >= self._threshold:
                paid = balance - balance % self._payout_step
                at = end + PAY_DELAY + mix(self.key, day) % PAY_SPREAD
                txid = hex_digest(self.key, day)
                self._payouts.append(
                    Payout(when, float(at), paid, self.coins(paid), txid, self.address)
                )
                self._scheduled += paid
            self._next_day += 1

    def changed(self) -> None:
        """Note that the workers changed (drops the cached view)."""
        self._version += 1

    def add_worker(self, name: str) -> Worker:
        """Add a worker that starts hashing now."""
        if name in self.workers:
            raise ValueError(f"worker {name!r} already exists")
        if "\x00" in name:
            raise ValueError("a worker name cannot contain NUL")
        ts = self._clock.now().timestamp()
        self.settle(ts)
        worker = self.workers[name] = Worker(self, name, created=ts)
        self.changed()
        return worker

    def rotate_names(self) -> None:
        """Rename every worker "<first name>-g<generation>", a name never used before.

        Machines that share a name keep sharing it (and their "#<n>" keys).
        """
        self.settle()
        self.generation += 1
        workers: dict[str, Worker] = {}
        first_names: dict[str, str] = {}
        for key, worker in self.workers.items():
            first = self._first_names.get(key, worker.name)
            new = f"{first}-g{self.generation}"
            new_key = worker_key(new, worker.ordinal)
            workers[new_key] = worker.renamed(new)
            first_names[new_key] = first
        self.workers, self._first_names = workers, first_names
        self.changed()

    def remove_worker(self, name: str) -> None:
        """Remove a worker (it disappears from every answer)."""
        self.settle()
        del self.workers[name]
        self.changed()

    def set_online(self, name: str, state: bool | None) -> None:  # noqa: FBT001
        """Force a worker online (True), offline (False), or back to its schedule (None)."""
        ts = self._clock.now().timestamp()
        self.settle(ts)
        self.workers[name].force(ts, state)
        self.changed()

    def credits_at(self, ts: float) -> list[Credit]:
        """Return the credits made by ts, oldest first."""
        self.settle(ts)
        return [credit for credit in self._credits if credit.at <= ts]

    def payouts_at(self, ts: float, *, pending: bool = False) -> list[Payout]:
        """Return the payouts paid by ts (or, with pending, scheduled but not paid yet)."""
        self.settle(ts)
        return [payout for payout in self._payouts if (payout.at > ts) is pending]

    def balance_units(self, ts: float) -> int:
        """Return the balance at ts: credited minus paid (a pending payout is still in it)."""
        credited = sum(credit.units for credit in self.credits_at(ts))
        return credited - sum(payout.units for payout in self.payouts_at(ts))

    def today_units(self, ts: float) -> int:
        """Return the estimated earnings of today so far at ts."""
        return self.units_for(self.view_at(ts).hashes_today)

    def yesterday_units(self, ts: float) -> int:
        """Return the earnings credited for yesterday (0 when there is no such day)."""
        closed = self.credits_at(ts)
        return closed[-1].units if closed and day_of(closed[-1].at) == day_of(ts) else 0

    def last_24h_units(self, ts: float) -> int:
        """Return the earnings of the hashes of the last 24 hours."""
        view = self.view_at(ts)
        return self.units_for(sum(stats.avg_24h for stats in view.workers) * DAY)

    # Truth for tests, at the simulator's clock.

    @property
    def now(self) -> datetime:
        """The simulator's time."""
        return self._clock.now()

    def hashrate_hs(self, now: datetime | None = None) -> float:
        """Return the account's hashrate now, H/s."""
        return self.view(now).hashrate

    def average_hs(self, seconds: int, now: datetime | None = None) -> float:
        """Return the account's average H/s over 60, 300, 900, 3600 or 86400 seconds."""
        return self.view(now).average(seconds)

    @property
    def balance(self) -> Decimal:
        """Credited minus paid, in coins (a payout not yet sent is still in it)."""
        return self.coins(self.balance_units(self.now.timestamp()))

    @property
    def total_income(self) -> Decimal:
        """Everything credited so far, in coins."""
        return self.coins(sum(credit.units for credit in self.credits))

    @property
    def total_paid(self) -> Decimal:
        """Everything paid so far, in coins."""
        return self.coins(sum(payout.units for payout in self.payouts))

    @property
    def pending_payout(self) -> Decimal:
        """A payout decided but not sent yet, in coins (0 when none)."""
        pending = self.payouts_at(self.now.timestamp(), pending=True)
        return self.coins(sum(payout.units for payout in pending))

    @property
    def last_payment_time(self) -> datetime | None:
        """When the last payout was sent, or None."""
        payouts = self.payouts
        return payouts[-1].time if payouts else None

    @property
    def earnings_today(self) -> Decimal:
        """Today's estimated earnings so far, in coins."""
        return self.coins(self.today_units(self.now.timestamp()))

    @property
    def earnings_yesterday(self) -> Decimal:
        """Yesterday's credited earnings, in coins."""
        return self.coins(self.yesterday_units(self.now.timestamp()))

    @property
    def earnings_last_24h(self) -> Decimal:
        """The earnings of the last 24 hours' hashes, in coins."""
        return self.coins(self.last_24h_units(self.now.timestamp()))

    @property
    def payouts(self) -> list[Payout]:
        """The payouts sent so far, oldest first."""
        return self.payouts_at(self.now.timestamp())

    @property
    def credits(self) -> list[Credit]:
        """The closed days credited so far, oldest first."""
        return self.credits_at(self.now.timestamp())

    @property
    def threshold(self) -> Decimal:
        """The balance that triggers a payout, in coins."""
        return self.coins(self._threshold)


def _count(value: float, key: int, which: int, *, huge: bool) -> int:
    """Return a hash count: what a double holds, or (huge) an exact odd integer beside it."""
    count = int(value)
    if huge and count:
        count += 1 - count % 2 + 2 * (mix(key, which) % 500)
    return count


class BtcComAccount(Account):
    """A BTC.com sub-account, reached by access_key and puid (amounts in satoshi).

    Attributes:
        access_key: the credential.
        puid: the sub-account id.
        coin: BTC, BCH, SBTC or UBTC (another name mines like BTC).
        user_name: the sub-account name.
        user_id: the BTC.com user id.
        region: the region account/info shows.
    """

    has_worker_ids: ClassVar[bool] = True

    def __init__(
        self,
        *,
        seed: int,
        clock: Clock,
        access_key: str,
        puid: int,
        coin: str,
        workers: int,
        user_name: str,
        quirks: Quirks,
    ) -> None:
        """Create the account with its workers and 30 days of history."""
        key = mix(seed, 1, puid)
        self.access_key = access_key
        self.puid = puid
        self.coin = coin
        self.user_name = user_name
        self.user_id = 80000 + mix(key, 1) % 20000
        self.region = "America"
        super().__init__(
            key=key,
            clock=clock,
            spec=BTCCOM_COINS.get(coin, _SHA256),
            decimals=8,
            payout_step=1,
            workers=workers,
            quirks=quirks,
            share_resolution=1.0,
            address="3" + base58(key, 33),
        )

    def worker_by_id(self, worker_id: str) -> Worker | None:
        """Return the worker with this BTC.com id, or None."""
        for worker in self.workers.values():
            if worker.worker_id == worker_id:
                return worker
        return None


class F2PoolAccount(Account):
    """An F2Pool mining account (or wallet address), read by both v1 and v2 (1e-18 coin units).

    Attributes:
        currency: the URL name of the currency (bitcoin, litecoin, ...).
        name: the mining user name, or the wallet address for the five address currencies.
        token: the F2P-API-SECRET it requires, or None (v1 only, any header accepted).
    """

    def __init__(
        self,
        *,
        seed: int,
        clock: Clock,
        currency: str,
        name: str,
        workers: int,
        token: str | None,
        quirks: Quirks,
    ) -> None:
        """Create the account with its workers and 30 days of history."""
        spec = F2POOL_COINS[currency]
        key = mix(seed, 2, text_key(currency), text_key(name))
        self.currency = currency
        self.name = name
        self.token = token
        super().__init__(
            key=key,
            clock=clock,
            spec=spec,
            decimals=18,
            payout_step=10**10,
            workers=workers,
            quirks=quirks,
            share_resolution=1.0 if quirks.iso_fraction == "milli" else 1e-6,
            address=name if spec.by_address else spec.symbol[0] + base58(key, 33),
        )

    def worker_values(self, ts: float) -> dict[str, int]:
        """Return each worker's share of the credited earnings (value_workers), smallest unit."""
        total = sum(worker.base_hs for worker in self.workers.values())
        credited = sum(credit.units for credit in self.credits_at(ts))
        return (
            {
                name: credited * round(worker.base_hs * 1_000_000) // round(total * 1_000_000)
                for name, worker in self.workers.items()
            }
            if total
            else dict.fromkeys(self.workers, 0)
        )


class BraiinsAccount(Account):
    """A Braiins Pool account, reached by an access profile's token (amounts in satoshi).

    Some workers (about one in six, from the seed and the name) have an alert limit above what
    they hash: while mining, Braiins shows them "low"; the others' limit is half their rate.

    Attributes:
        token: the access profile's token.
        user_name: the account's user name.
    """

    LOW_CHANCE: ClassVar[float] = 1 / 6

    def __init__(
        self,
        *,
        seed: int,
        clock: Clock,
        token: str,
        workers: int,
        user_name: str,
        quirks: Quirks,
    ) -> None:
        """Create the account with its workers and 30 days of history."""
        key = mix(seed, 3, text_key(token))
        self.token = token
        self.user_name = user_name
        self.last_request: float | None = None
        super().__init__(
            key=key,
            clock=clock,
            spec=_SHA256,
            decimals=8,
            payout_step=1,
            workers=workers,
            quirks=quirks,
            share_resolution=1.0,
            address="bc1q" + base58(key, 38).lower(),
        )

    def alert_limit(self, worker: Worker) -> float:
        """Return the hashrate under which Braiins calls the worker "low", H/s."""
        low = fraction(mix(worker.key, 13)) < self.LOW_CHANCE
        return worker.base_hs * (1.25 if low else 0.5)

    def state_of(self, stats: WorkerStats, ts: float) -> str:
        """Return the worker's Braiins state (ok, low, off, dis) as seen at ts."""
        low = stats.hashrate < self.alert_limit(stats.worker)
        return braiins_state(online=stats.online, low=low, last_share=stats.last_share, ts=ts)

    def braiins_state(self, name: str, now: datetime | None = None) -> str:
        """Return the state Braiins shows for the worker keyed ``name`` now."""
        view = self.view(now)
        return self.state_of(view.stats_of(self.workers[name]), view.ts)

    @property
    def estimated_reward(self) -> Decimal:
        """The reward Braiins estimates for the block being mined: the last 24 hours' earnings."""
        return self.earnings_last_24h


class World:
    """Everything the servers answer from: the clock and the accounts by how they are reached.

    Attributes:
        seed: the seed every account derives from.
        clock: the clock.
        btccom: BTC.com accounts by puid.
        f2pool: F2Pool accounts by (currency, name).
        braiins: Braiins Pool accounts by token.
    """

    def __init__(self, seed: int, clock: Clock) -> None:
        """Start an empty world."""
        self.seed = seed
        self.clock = clock
        self.btccom: dict[int, BtcComAccount] = {}
        self.f2pool: dict[tuple[str, str], F2PoolAccount] = {}
        self.braiins: dict[str, BraiinsAccount] = {}

    @property
    def ts(self) -> float:
        """The current time, unix seconds."""
        return self.clock.now().timestamp()
