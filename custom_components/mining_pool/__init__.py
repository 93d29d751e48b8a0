"""The Mining Pool integration: BTC.com and F2Pool accounts in Home Assistant."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from datetime import timedelta
from typing import Any

from homeassistant.const import Platform
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import ConfigEntryError
from homeassistant.helpers.aiohttp_client import async_get_clientsession

from .api import (
    BTCCOM_ALGORITHM,
    CURRENCIES_BY_NAME,
    InvalidInputError,
    PoolAccount,
    PoolKind,
    open_account,
)
from .const import (
    API_V1,
    CONF_ACCESS_KEY,
    CONF_ACCOUNT,
    CONF_API_VERSION,
    CONF_BASE_URL,
    CONF_COIN,
    CONF_CURRENCY,
    CONF_CUSTOM_HOST,
    CONF_ENDPOINT,
    CONF_POOL,
    CONF_PUID,
    CONF_TOKEN,
    DEFAULT_REFRESH_MINUTES,
    DOMAIN,
    EARNINGS_INTERVAL,
    ENDPOINT_CUSTOM,
    OPTION_REFRESH_MINUTES,
    POOL_BTCCOM,
    REQUEST_TIMEOUT_SECONDS,
)
from .coordinator import (
    DataKind,
    MiningPoolConfigEntry,
    MiningPoolCoordinator,
    MiningPoolRuntimeData,
)

PLATFORMS = [Platform.SENSOR]


def pool_kind(data: Mapping[str, Any]) -> PoolKind:
    """Which API the settings of an entry (or of a flow) read the account through."""
    if data[CONF_POOL] == POOL_BTCCOM:
        return PoolKind.BTCCOM
    return PoolKind.F2POOL_V1 if data.get(CONF_API_VERSION) == API_V1 else PoolKind.F2POOL_V2


def account_algorithm(data: Mapping[str, Any]) -> str:
    """The mining algorithm of the account an entry describes, known without a request."""
    if data[CONF_POOL] == POOL_BTCCOM:
        return BTCCOM_ALGORITHM
    return CURRENCIES_BY_NAME[data[CONF_CURRENCY]].algorithm


def build_account(hass: HomeAssistant, data: Mapping[str, Any]) -> PoolAccount:
    """Build the reader of the account an entry (or a flow) describes.

    Raises ``InvalidInputError`` where a setting is malformed.
    """
    endpoint = data.get(CONF_ENDPOINT)
    return open_account(
        async_get_clientsession(hass),
        pool_kind(data),
        access_key=data.get(CONF_ACCESS_KEY),
        puid=data.get(CONF_PUID),
        endpoint=data.get(CONF_CUSTOM_HOST) if endpoint == ENDPOINT_CUSTOM else endpoint,
        coin=data.get(CONF_COIN),
        currency=data.get(CONF_CURRENCY),
        account=data.get(CONF_ACCOUNT),
        token=data.get(CONF_TOKEN) or None,
        base_url=data.get(CONF_BASE_URL) or None,
        timeout=REQUEST_TIMEOUT_SECONDS,
    )


async def async_setup_entry(hass: HomeAssistant, entry: MiningPoolConfigEntry) -> bool:
    """Set up a pool account from a config entry."""
    try:
        account = build_account(hass, entry.data)
    except InvalidInputError as err:
        raise ConfigEntryError(
            translation_domain=DOMAIN,
            translation_key="invalid_settings",
            translation_placeholders={"field": err.field},
        ) from err
    refresh = timedelta(minutes=entry.options.get(OPTION_REFRESH_MINUTES, DEFAULT_REFRESH_MINUTES))
    activity = MiningPoolCoordinator(
        hass, entry, account, kind=DataKind.ACTIVITY, update_interval=refresh
    )
    earnings = (
        MiningPoolCoordinator(
            hass,
            entry,
            account,
            kind=DataKind.EARNINGS,
            update_interval=max(refresh, EARNINGS_INTERVAL),
        )
        if account.separate_earnings
        else activity
    )
    runtime = MiningPoolRuntimeData(account=account, activity=activity, earnings=earnings)
    # Both first reads run at once; each is awaited to its end before any failure is raised.
    outcomes = await asyncio.gather(
        *(coordinator.async_config_entry_first_refresh() for coordinator in runtime.coordinators),
        return_exceptions=True,
    )
    for outcome in outcomes:
        if isinstance(outcome, BaseException):
            raise outcome
    entry.runtime_data = runtime
    await hass.config_entries.async_forward_entry_setups(entry, PLATFORMS)
    return True


async def async_unload_entry(hass: HomeAssistant, entry: MiningPoolConfigEntry) -> bool:
    """Unload a config entry."""
    return await hass.config_entries.async_unload_platforms(entry, PLATFORMS)
