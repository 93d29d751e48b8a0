"""Diagnostics of a pool account: settings and the last data read, secrets redacted."""

from __future__ import annotations

from dataclasses import asdict, replace
from datetime import datetime
from decimal import Decimal
from enum import Enum
from typing import Any

from homeassistant.components.diagnostics import async_redact_data
from homeassistant.core import HomeAssistant

from .coordinator import MiningPoolConfigEntry
from .pools import pool_of

# A farm can have thousands of workers: diagnostics show the first ones and the count.
SHOWN_WORKERS = 25
# What the library's models carry of the person: wallet addresses and transactions.
PERSONAL_ANSWERS = frozenset({"address", "tx_id"})


async def async_get_config_entry_diagnostics(
    hass: HomeAssistant, entry: MiningPoolConfigEntry
) -> dict[str, Any]:
    """Return the entry's settings and each coordinator's last data, redacted."""
    runtime = entry.runtime_data
    pool = pool_of(entry.data)
    to_redact = pool.secrets | pool.personal | PERSONAL_ANSWERS
    return {
        "entry": {
            "data": async_redact_data(dict(entry.data), to_redact),
            "options": dict(entry.options),
        },
        "pool": runtime.account.kind,
        "coin": runtime.account.coin,
        "data": {
            coordinator.kind: {
                "last_update_success": coordinator.last_update_success,
                "workers": None
                if coordinator.data is None or coordinator.data.workers is None
                else len(coordinator.data.workers),
                "snapshot": None
                if coordinator.data is None
                else async_redact_data(
                    _plain(
                        asdict(
                            replace(
                                coordinator.data,
                                workers=None
                                if coordinator.data.workers is None
                                else coordinator.data.workers[:SHOWN_WORKERS],
                            )
                        )
                    ),
                    to_redact,
                ),
            }
            for coordinator in runtime.coordinators
        },
    }


def _plain(value: Any) -> Any:
    """Turn the library's values into JSON: exact amounts as text, times in ISO 8601."""
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(item) for item in value]
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    return value
