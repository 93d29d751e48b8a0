"""The account a config entry describes, read from its settings alone.

Light on purpose: the config flow imports it, and must not load the platforms with it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from homeassistant.core import HomeAssistant
from homeassistant.helpers.aiohttp_client import async_get_clientsession

from .api import BTCCOM_ALGORITHM, CURRENCIES_BY_NAME, PoolAccount, PoolKind, open_account
from .const import (
    ALGORITHM_UNITS,
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
    ENDPOINT_CUSTOM,
    HASHRATE_UNITS,
    OPTION_HASHRATE_UNIT,
    POOL_BTCCOM,
    REFRESH_DEADLINE_SECONDS,
    REQUEST_TIMEOUT_SECONDS,
)


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
        deadline=REFRESH_DEADLINE_SECONDS,
    )


def hashrate_unit(data: Mapping[str, Any], options: Mapping[str, Any]) -> str:
    """The unit of the account's hashrates: the user's choice, else the algorithm's usual one."""
    unit = options.get(OPTION_HASHRATE_UNIT)
    if unit in HASHRATE_UNITS:
        return str(unit)
    return ALGORITHM_UNITS.get(account_algorithm(data), "H/s")
