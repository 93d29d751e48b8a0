"""The coordinator of a pool account: the only place that maps the library's errors."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from functools import partial
from typing import NoReturn

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import ConfigEntryAuthFailed
from homeassistant.helpers import issue_registry as ir
from homeassistant.helpers.update_coordinator import DataUpdateCoordinator, UpdateFailed
from homeassistant.util import dt as dt_util

from .api import (
    MAX_WORKERS,
    AccountSnapshot,
    AuthenticationError,
    MiningPoolError,
    PoolAccount,
    RateLimitedError,
    RedirectError,
)
from .const import (
    BACKOFF_CAP,
    BARE_AUTH_FAILURES_FOR_REAUTH,
    DOMAIN,
    EARNINGS_INTERVAL,
    LOGGER,
    MAX_RETRY_AFTER,
    REFRESH_INTERVAL,
)
from .workers import WorkerBook


class DataKind(StrEnum):
    """The two speeds data changes at: what the farm does, and what it has earned."""

    ACTIVITY = "activity"
    EARNINGS = "earnings"


@dataclass(frozen=True, slots=True, kw_only=True)
class AccountData:
    """What the last refresh knows of an account: its activity and its earnings.

    The earnings are read less often; between their reads (and while a read of them fails)
    they are the last ones read.
    """

    activity: AccountSnapshot
    earnings: AccountSnapshot

    def part(self, kind: DataKind) -> AccountSnapshot:
        """The snapshot that holds ``kind`` of data."""
        return self.activity if kind is DataKind.ACTIVITY else self.earnings


class MiningPoolCoordinator(DataUpdateCoordinator[AccountData]):
    """Reads one pool account: its activity at every refresh, its earnings when they are due.

    One coordinator per account, so that Home Assistant's own log lines (one when the account
    cannot be read, one when it can again) come once per account.
    """

    config_entry: MiningPoolConfigEntry

    def __init__(
        self,
        hass: HomeAssistant,
        entry: MiningPoolConfigEntry,
        account: PoolAccount,
        *,
        workers: WorkerBook | None = None,
    ) -> None:
        """Set up the account's coordinator; ``workers`` keeps worker devices."""
        interval = REFRESH_INTERVAL if account.reads_activity else EARNINGS_INTERVAL
        super().__init__(
            hass,
            LOGGER,
            config_entry=entry,
            name=f"{DOMAIN} {entry.title}",
            update_interval=interval,
        )
        self.account = account
        self.normal_interval = interval
        self._failures = 0
        self.workers = workers
        # False while the pool's worker list cannot be read: worker entities are unavailable.
        self.workers_listed = True
        # False while the last read of the earnings failed: their entities are unavailable.
        self.earnings_current = True
        self._earnings_due: datetime | None = None
        # Bare HTTP 401/403 answers in a row: a proxy's or a firewall's page is not the pool's
        # word, so only a repeat asks the user for new credentials.
        self._bare_refusals = 0
        # Set-up has no later refresh to confirm a bare refusal with: it asks again at once.
        self._has_read = False

    def _backoff(self, asked: float | None) -> float:
        """Seconds until the next try: doubling with each failure, or what the pool asked."""
        self._failures += 1
        interval = self.normal_interval.total_seconds()
        growing = min(interval * 2**self._failures, BACKOFF_CAP.total_seconds())
        wait: float = min(max(growing, asked or 0.0), MAX_RETRY_AFTER.total_seconds())
        return wait

    async def _read(self, read: Callable[[], Awaitable[AccountSnapshot]]) -> AccountSnapshot:
        """Read once; while setting up, a bare refusal is asked again at once.

        Set-up has no later refresh to confirm a bare HTTP 401/403 with, and without a
        confirmation the entry would retry for ever instead of asking for new credentials.
        """
        try:
            return await read()
        except AuthenticationError as err:
            if err.definite or self._has_read:
                raise
        self._bare_refusals += 1
        return await read()

    def _update_failed(self, err: Exception) -> UpdateFailed:
        """The failure Home Assistant is told of, with the wait before the next try."""
        if isinstance(err, RedirectError):
            return UpdateFailed(
                translation_domain=DOMAIN,
                translation_key="redirected",
                translation_placeholders={"location": err.location},
                retry_after=self._backoff(None),
            )
        if isinstance(err, RateLimitedError):
            return UpdateFailed(
                translation_domain=DOMAIN,
                translation_key="rate_limited",
                retry_after=self._backoff(err.retry_after),
            )
        if not isinstance(err, MiningPoolError):
            # The library lets only its own errors out; should anything else come, the
            # account backs off like any failure instead of logging a traceback per refresh.
            LOGGER.debug("Unexpected error reading %s", self.config_entry.title, exc_info=err)
        return UpdateFailed(
            translation_domain=DOMAIN,
            translation_key="update_failed",
            translation_placeholders={
                "error": str(err) if isinstance(err, MiningPoolError) else type(err).__name__
            },
            retry_after=self._backoff(None),
        )

    async def _async_update_data(self) -> AccountData:
        """Read the account, turning library errors into Home Assistant's."""
        account = self.account
        now = dt_util.utcnow()
        earnings_due = self.data is None or self._earnings_due is None or now >= self._earnings_due
        reads: list[Callable[[], Awaitable[AccountSnapshot]]] = []
        if account.reads_activity:
            reads.append(partial(account.activity, with_workers=self.workers is not None))
        if earnings_due and (account.separate_earnings or not account.reads_activity):
            reads.append(account.earnings)
        outcomes = await asyncio.gather(
            *(self._read(read) for read in reads), return_exceptions=True
        )
        activity = outcomes.pop(0) if account.reads_activity else None
        earnings = outcomes.pop(0) if outcomes else None
        if isinstance(activity, BaseException):
            self._failed(activity)
        if isinstance(earnings, BaseException) and (
            activity is None or self.data is None or isinstance(earnings, AuthenticationError)
        ):
            # The activity stands on its own, except where the earnings are all there is, at
            # set-up, and when the pool refuses the credentials.
            self._failed(earnings)
        self._failures = 0
        self._bare_refusals = 0
        self._has_read = True
        if activity is not None:
            activity = self._track_workers(activity)
        if isinstance(earnings, BaseException):
            # The activity stands; the earnings shown are the last ones read, unavailable.
            self._earnings_failed(earnings, now)
            earnings = None
        elif earnings is not None:
            self._earnings_read(now)
        elif activity is not None and not account.separate_earnings:
            # One document carries both.
            earnings = activity
        previous = self.data
        return AccountData(
            activity=activity or AccountSnapshot(),
            earnings=earnings or (previous.earnings if previous is not None else AccountSnapshot()),
        )

    def _earnings_read(self, now: datetime) -> None:
        self._earnings_due = now + EARNINGS_INTERVAL
        if not self.earnings_current:
            LOGGER.info("The earnings of %s can be read again", self.config_entry.title)
        self.earnings_current = True

    def _earnings_failed(self, err: BaseException, now: datetime) -> None:
        """Try the earnings again at the next refresh, or when the pool asked to wait."""
        asked = err.retry_after if isinstance(err, RateLimitedError) else None
        wait = min(
            max(self.normal_interval.total_seconds(), asked or 0.0),
            MAX_RETRY_AFTER.total_seconds(),
        )
        self._earnings_due = now + timedelta(seconds=wait)
        if self.earnings_current:
            LOGGER.warning(
                "The earnings of %s cannot be read: %s",
                self.config_entry.title,
                err if isinstance(err, MiningPoolError) else type(err).__name__,
            )
        self.earnings_current = False

    def _failed(self, err: BaseException) -> NoReturn:
        """Raise what Home Assistant is told of a failed refresh."""
        if isinstance(err, AuthenticationError):
            if not err.definite:
                self._bare_refusals += 1
            if err.definite or self._bare_refusals >= BARE_AUTH_FAILURES_FOR_REAUTH:
                raise ConfigEntryAuthFailed(
                    translation_domain=DOMAIN, translation_key="auth_failed"
                ) from err
            raise UpdateFailed(
                translation_domain=DOMAIN,
                translation_key="auth_unconfirmed",
                retry_after=self._backoff(None),
            ) from err
        # Any other failure ends a run of bare refusals.
        self._bare_refusals = 0
        if not isinstance(err, Exception):
            raise err
        raise self._update_failed(err) from err

    def _track_workers(self, snapshot: AccountSnapshot) -> AccountSnapshot:
        """Hand the worker list to the worker book; past what one answer holds, say so."""
        if self.workers is None:
            return snapshot
        self.workers_listed = snapshot.workers is not None
        if snapshot.workers is None:
            # The pool's worker list was past what one answer may hold.
            self._report_worker_cap(full=snapshot.workers_capped)
            return snapshot
        snapshot = self.workers.update(snapshot, dt_util.utcnow())
        self._report_worker_cap(full=self.workers.full)
        return snapshot

    def _report_worker_cap(self, *, full: bool) -> None:
        """Raise a repair issue while the account has more workers than it keeps devices for."""
        issue_id = worker_cap_issue_id(self.config_entry.entry_id)
        if not full:
            ir.async_delete_issue(self.hass, DOMAIN, issue_id)
            return
        ir.async_create_issue(
            self.hass,
            DOMAIN,
            issue_id,
            is_fixable=False,
            severity=ir.IssueSeverity.WARNING,
            translation_key="too_many_workers",
            translation_placeholders={
                "account": self.config_entry.title,
                "cap": f"{MAX_WORKERS:,}",
            },
        )


def worker_cap_issue_id(entry_id: str) -> str:
    """The repair issue an entry raises while its farm is larger than the worker cap."""
    return f"too_many_workers_{entry_id}"


@dataclass(kw_only=True)
class MiningPoolRuntimeData:
    """What a loaded entry holds: the account reader, its coordinator and its workers."""

    account: PoolAccount
    coordinator: MiningPoolCoordinator
    workers: WorkerBook | None = field(default=None)
    account_device_id: str = ""


type MiningPoolConfigEntry = ConfigEntry[MiningPoolRuntimeData]
