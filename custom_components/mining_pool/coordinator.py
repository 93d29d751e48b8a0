"""Coordinators of the Mining Pool integration: the only place that maps the library's errors."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field, replace
from datetime import timedelta
from enum import StrEnum

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import ConfigEntryAuthFailed
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers import issue_registry as ir
from homeassistant.helpers.update_coordinator import DataUpdateCoordinator, UpdateFailed
from homeassistant.util import dt as dt_util

from .api import (
    MAX_WORKERS,
    AccountSnapshot,
    AuthenticationError,
    Capability,
    MiningPoolError,
    PoolAccount,
    RateLimitedError,
    RedirectError,
    WorkerCounts,
)
from .const import (
    BACKOFF_CAP,
    BARE_AUTH_FAILURES_FOR_REAUTH,
    DOMAIN,
    LOGGER,
    MAX_NEW_WORKERS_PER_REFRESH,
    MAX_RETRY_AFTER,
)
from .workers import WorkerTracker, WorkerView, worker_device_id


class DataKind(StrEnum):
    """The two speeds data changes at: what the farm does, and what it has earned."""

    ACTIVITY = "activity"
    EARNINGS = "earnings"


@dataclass(kw_only=True)
class WorkerSettings:
    """How an account's workers are kept as devices."""

    tracker: WorkerTracker
    offline_after: timedelta
    remove_after: timedelta


class AccountHealth:
    """Whether an account can be read, over all its coordinators, said once per change."""

    def __init__(self, title: str) -> None:
        """Start readable."""
        self.title = title
        self.failing: set[DataKind] = set()

    def update(self, kind: DataKind, error: BaseException | None) -> None:
        """Record how a refresh of ``kind`` ended; log when the account as a whole changes."""
        was_failing = bool(self.failing)
        if error is None:
            self.failing.discard(kind)
        else:
            self.failing.add(kind)
        if self.failing and not was_failing:
            LOGGER.warning("%s cannot be read: %s", self.title, error)
        elif was_failing and not self.failing:
            LOGGER.info("%s can be read again", self.title)


class _NoRecoveryLine(logging.Filter):
    """Drops Home Assistant's per-coordinator "recovered" line: AccountHealth says it once."""

    def filter(self, record: logging.LogRecord) -> bool:
        return record.msg != "Fetching %s data recovered"


COORDINATOR_LOGGER = LOGGER.getChild("coordinator")
COORDINATOR_LOGGER.addFilter(_NoRecoveryLine())


class MiningPoolCoordinator(DataUpdateCoordinator[AccountSnapshot]):
    """Reads one kind of data of one pool account at the interval that kind needs."""

    config_entry: MiningPoolConfigEntry

    def __init__(
        self,
        hass: HomeAssistant,
        entry: MiningPoolConfigEntry,
        account: PoolAccount,
        *,
        kind: DataKind,
        update_interval: timedelta,
        health: AccountHealth,
        workers: WorkerSettings | None = None,
    ) -> None:
        """Set up a coordinator for ``kind`` of data; ``workers`` keeps worker devices."""
        super().__init__(
            hass,
            COORDINATOR_LOGGER,
            config_entry=entry,
            name=f"{DOMAIN} {kind} {entry.title}",
            update_interval=update_interval,
        )
        self.account = account
        self.health = health
        self.kind = kind
        self.normal_interval = update_interval
        self._failures = 0
        self.worker_settings = workers
        self.workers: dict[str, WorkerView] = {}
        # Workers whose mining state flipped at the last refresh: name -> mines now.
        self.changed_workers: dict[str, bool] = {}
        # The worker names each platform has entities for.
        self.known_workers: dict[str, set[str]] = {}
        self._first_workers = True
        # False while the pool's worker list cannot be read: worker entities are unavailable.
        self.workers_listed = True
        # Bare HTTP 401/403 answers in a row: a proxy's or a firewall's page is not the pool's
        # word, so only a repeat asks the user for new credentials.
        self._bare_refusals = 0
        # Set-up has no later refresh to confirm a bare refusal with: it asks again at once.
        self._has_read = False

    async def _async_refresh(
        self,
        log_failures: bool = True,  # noqa: FBT001, FBT002 (Home Assistant's signature)
        raise_on_auth_failed: bool = False,  # noqa: FBT001, FBT002
        scheduled: bool = False,  # noqa: FBT001, FBT002
        raise_on_entry_error: bool = False,  # noqa: FBT001, FBT002
    ) -> None:
        """Refresh; the account's health, not each coordinator, says when reading fails.

        Home Assistant logs each failing coordinator as an error; a pool that is down for a
        while is worth one warning per account, and one info line when it is back.
        """
        await super()._async_refresh(
            log_failures=False,
            raise_on_auth_failed=raise_on_auth_failed,
            scheduled=scheduled,
            raise_on_entry_error=raise_on_entry_error,
        )
        if self.last_update_success:
            self.health.update(self.kind, None)
        elif log_failures:
            self.health.update(self.kind, self.last_exception)

    def _backoff(self, asked: float | None) -> float:
        """Seconds until the next try: doubling with each failure, or what the pool asked."""
        self._failures += 1
        interval = self.normal_interval.total_seconds()
        growing = min(interval * 2**self._failures, BACKOFF_CAP.total_seconds())
        wait: float = min(max(growing, asked or 0.0), MAX_RETRY_AFTER.total_seconds())
        return wait

    async def _read_once(self) -> AccountSnapshot:
        if self.kind is DataKind.ACTIVITY:
            return await self.account.activity(with_workers=self.worker_settings is not None)
        return await self.account.earnings()

    async def _read(self) -> AccountSnapshot:
        """Read once; while setting up, a bare refusal is asked again at once.

        Set-up has no later refresh to confirm a bare HTTP 401/403 with, and without a
        confirmation the entry would retry for ever instead of asking for new credentials.
        """
        try:
            return await self._read_once()
        except AuthenticationError as err:
            if err.definite or self._has_read:
                raise
        self._bare_refusals += 1
        return await self._read_once()

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

    async def _async_update_data(self) -> AccountSnapshot:
        """Read the account, turning library errors into Home Assistant's."""
        try:
            snapshot = await self._read()
        except AuthenticationError as err:
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
        except Exception as err:
            # Any other failure ends a run of bare refusals.
            self._bare_refusals = 0
            raise self._update_failed(err) from err
        self._failures = 0
        self._bare_refusals = 0
        self._has_read = True
        if self.worker_settings is None:
            return snapshot
        self.workers_listed = snapshot.workers is not None
        if snapshot.workers is None:
            # The pool's worker list was past what one answer may hold.
            self._report_worker_cap(full=snapshot.workers_capped)
            return snapshot
        return self._track_workers(snapshot, self.worker_settings)

    def _track_workers(
        self, snapshot: AccountSnapshot, settings: WorkerSettings
    ) -> AccountSnapshot:
        """Decide which workers mine, remember them, and remove those long gone."""
        now = dt_util.utcnow()
        listed = snapshot.workers or ()
        online = {worker.name: worker.is_online(now, settings.offline_after) for worker in listed}
        if Capability.WORKER_STATUS not in self.account.provides and not snapshot.workers_capped:
            # Without the pool's word on each worker, count what the binary sensors show
            # (past the worker cap, the pool's own counts cover the whole farm).
            mining = sum(online.values())
            snapshot = replace(
                snapshot,
                worker_counts=WorkerCounts(
                    active=mining, inactive=len(online) - mining, total=len(online)
                ),
            )
        tracker = settings.tracker
        # A farm sets up whole; later, a pool that lists many new names at once (or new
        # names at every refresh) adds a few devices per refresh, and never past the cap.
        kept, full = tracker.listed(
            online, now, limit=None if self._first_workers else MAX_NEW_WORKERS_PER_REFRESH
        )
        self._first_workers = False
        self._report_worker_cap(full=full or snapshot.workers_capped)
        for name in tracker.stale(now, settings.remove_after):
            self.remove_worker_device(name)
        previous = {name: view.online for name, view in self.workers.items()}
        self.workers = {
            worker.name: WorkerView(worker, online[worker.name])
            for worker in listed
            if worker.name in kept
            and not tracker.is_hidden(worker.name, online=online[worker.name])
        }
        self.changed_workers = {
            name: view.online
            for name, view in self.workers.items()
            if name in previous and previous[name] != view.online
        }
        self.changed_workers.update(
            {
                name: False
                for name, was_online in previous.items()
                if was_online and name not in self.workers
            }
        )
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

    def remove_worker_device(self, name: str) -> None:
        """Remove a worker's device, and so its entities; it belongs to this entry alone."""
        registry = dr.async_get(self.hass)
        identifier = (DOMAIN, worker_device_id(str(self.config_entry.unique_id), name))
        for device in dr.async_entries_for_config_entry(registry, self.config_entry.entry_id):
            if identifier in device.identifiers:
                registry.async_remove_device(device.id)
        self.forget_worker(name)

    def forget_worker(self, name: str) -> None:
        """Let the platforms add the worker's entities again if it comes back."""
        self.workers.pop(name, None)
        for names in self.known_workers.values():
            names.discard(name)


def worker_cap_issue_id(entry_id: str) -> str:
    """The repair issue an entry raises while its farm is larger than the worker cap."""
    return f"too_many_workers_{entry_id}"


@dataclass(kw_only=True)
class MiningPoolRuntimeData:
    """What a loaded entry holds: the account reader and its coordinators.

    Where the pool serves the account no activity, ``activity`` is the earnings coordinator.
    """

    account: PoolAccount
    activity: MiningPoolCoordinator
    earnings: MiningPoolCoordinator
    tracker: WorkerTracker | None = field(default=None)
    account_device_id: str = ""

    @property
    def coordinators(self) -> tuple[MiningPoolCoordinator, ...]:
        """Each distinct coordinator once."""
        if self.earnings is self.activity:
            return (self.activity,)
        return (self.activity, self.earnings)

    def coordinator(self, kind: DataKind) -> MiningPoolCoordinator:
        """The coordinator that reads ``kind`` of data for this account."""
        return self.activity if kind is DataKind.ACTIVITY else self.earnings


type MiningPoolConfigEntry = ConfigEntry[MiningPoolRuntimeData]
