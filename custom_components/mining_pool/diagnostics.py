"""Diagnostics of a pool account: settings and the last data read, secrets redacted."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, replace
from datetime import datetime
from decimal import Decimal
from enum import Enum
from typing import Any

from homeassistant.components.diagnostics import async_redact_data
from homeassistant.core import HomeAssistant

from .api import AccountSnapshot
from .coordinator import DataKind, MiningPoolConfigEntry
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
    coordinator = runtime.coordinator
    return {
        "entry": {
            "data": async_redact_data(dict(entry.data), to_redact),
            "options": dict(entry.options),
        },
        "pool": runtime.account.kind,
        "coin": runtime.account.coin,
        "provides": sorted(runtime.account.provides),
        "last_update_success": coordinator.last_update_success,
        "earnings_current": coordinator.earnings_current,
        "data": None
        if coordinator.data is None
        else {
            kind: _snapshot(coordinator.data.part(kind), to_redact)
            for kind in DataKind
            # Where one document carries both, it is shown once.
            if kind is DataKind.ACTIVITY
            or coordinator.data.earnings is not coordinator.data.activity
        },
    }


def _snapshot(snapshot: AccountSnapshot, to_redact: Iterable[str]) -> dict[str, Any]:
    """A snapshot with its first workers only, and the count of all."""
    return {
        "workers": None if snapshot.workers is None else len(snapshot.workers),
        "snapshot": async_redact_data(
            _plain(
                asdict(
                    replace(
                        snapshot,
                        workers=None
                        if snapshot.workers is None
                        else snapshot.workers[:SHOWN_WORKERS],
                    )
                )
            ),
            to_redact,
        ),
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
