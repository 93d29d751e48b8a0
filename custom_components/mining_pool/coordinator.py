"""Coordinators of the Mining Pool integration: the only place that maps the library's errors."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from enum import StrEnum

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import ConfigEntryAuthFailed
from homeassistant.helpers.update_coordinator import DataUpdateCoordinator, UpdateFailed

from .api import (
    AccountSnapshot,
    AuthenticationError,
    MiningPoolError,
    PoolAccount,
    RateLimitedError,
)
from .const import DOMAIN, LOGGER


class DataKind(StrEnum):
    """The two speeds data changes at: what the farm does, and what it has earned."""

    ACTIVITY = "activity"
    EARNINGS = "earnings"


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
        with_workers: bool = False,
    ) -> None:
        """Set up a coordinator for ``kind`` of data."""
        super().__init__(
            hass,
            LOGGER,
            config_entry=entry,
            name=f"{DOMAIN} {kind} {entry.title}",
            update_interval=update_interval,
        )
        self.account = account
        self.kind = kind
        self.with_workers = with_workers

    async def _async_update_data(self) -> AccountSnapshot:
        """Read the account, turning library errors into Home Assistant's."""
        try:
            if self.kind is DataKind.ACTIVITY:
                return await self.account.activity(with_workers=self.with_workers)
            return await self.account.earnings()
        except AuthenticationError as err:
            raise ConfigEntryAuthFailed(
                translation_domain=DOMAIN, translation_key="auth_failed"
            ) from err
        except RateLimitedError as err:
            raise UpdateFailed(
                translation_domain=DOMAIN,
                translation_key="rate_limited",
                retry_after=err.retry_after,
            ) from err
        except MiningPoolError as err:
            raise UpdateFailed(
                translation_domain=DOMAIN,
                translation_key="update_failed",
                translation_placeholders={"error": str(err)},
            ) from err


@dataclass(kw_only=True)
class MiningPoolRuntimeData:
    """What a loaded entry holds: the account reader and its coordinators."""

    account: PoolAccount
    activity: MiningPoolCoordinator
    earnings: MiningPoolCoordinator

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
