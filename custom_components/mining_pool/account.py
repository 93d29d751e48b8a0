"""The account a config entry describes, read from its settings alone.

Light on purpose: the config flow imports it, and must not load the platforms with it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from homeassistant.core import HomeAssistant

from .api import PoolAccount
from .const import ALGORITHM_UNITS, HASHRATE_UNITS, OPTION_HASHRATE_UNIT
from .pools import pool_of


def build_account(hass: HomeAssistant, data: Mapping[str, Any]) -> PoolAccount:
    """Build the reader of the account an entry (or a flow) describes.

    Raises ``InvalidInputError`` where a setting is malformed.
    """
    return pool_of(data).open_account(hass, data)


def account_algorithm(data: Mapping[str, Any]) -> str:
    """The mining algorithm of the account an entry describes, known without a request."""
    return pool_of(data).algorithm(data)


def hashrate_unit(data: Mapping[str, Any], options: Mapping[str, Any]) -> str:
    """The unit of the account's hashrates: the user's choice, else the algorithm's usual one."""
    unit = options.get(OPTION_HASHRATE_UNIT)
    if unit in HASHRATE_UNITS:
        return str(unit)
    return ALGORITHM_UNITS.get(account_algorithm(data), "H/s")
