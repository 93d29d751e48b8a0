"""Constants of the Mining Pool integration."""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Final

DOMAIN: Final = "mining_pool"
LOGGER = logging.getLogger(__package__)

# Which pool of the registry an entry's account is at.
CONF_POOL: Final = "pool"

# Stored by 0.1.0, whose users could set the refresh interval; minor version 2 drops it.
LEGACY_OPTION_REFRESH_MINUTES: Final = "refresh_minutes"
OPTION_HASHRATE_UNIT: Final = "hashrate_unit"
OPTION_OFFLINE_MINUTES: Final = "offline_minutes"
OPTION_WORKER_DEVICES: Final = "worker_devices"
OPTION_REMOVE_AFTER_DAYS: Final = "remove_after_days"

# Pools average hashrates over 10 (F2Pool) to 15 minutes (BTC.com), so polling faster shows
# nothing new; F2Pool blacklists clients that go past about 15 requests a minute.
REFRESH_INTERVAL: Final = timedelta(minutes=5)
# Balances change when a day's earnings are credited or a payout is sent: twice an hour is plenty.
EARNINGS_INTERVAL: Final = timedelta(minutes=30)
# F2Pool's legacy API gives no worker status: a worker is offline once its last share is older.
DEFAULT_OFFLINE_MINUTES: Final = 30
MIN_OFFLINE_MINUTES: Final = 10
MAX_OFFLINE_MINUTES: Final = 1440
REQUEST_TIMEOUT_SECONDS: Final = 30.0
# One read of an account, all its requests (BTC.com's worker pages) together, ends within this.
REFRESH_DEADLINE_SECONDS: Final = 120.0
# After a failed refresh the next one waits twice as long as the last, up to this, so that a
# pool that is down (or blacklisting us) is not hammered; success restores the interval.
BACKOFF_CAP: Final = timedelta(minutes=30)
# A Retry-After longer than this is taken as this: a misconfigured server must not silence an
# account for days.
MAX_RETRY_AFTER: Final = timedelta(hours=6)
# A bare HTTP 401/403 (no word of the pool's own) asks for new credentials only when the
# account's reads meet this many of them in a row: a proxy's or firewall's page passes.
BARE_AUTH_FAILURES_FOR_REAUTH: Final = 2
# After the first refresh, at most this many new workers get devices per refresh, so that a
# pool that renames its workers at every answer cannot flood Home Assistant's registries.
MAX_NEW_WORKERS_PER_REFRESH: Final = 100
# A worker the pool no longer lists keeps its device this long, in case it comes back.
DEFAULT_REMOVE_AFTER_DAYS: Final = 7
MIN_REMOVE_AFTER_DAYS: Final = 1
MAX_REMOVE_AFTER_DAYS: Final = 90
DEFAULT_WORKER_DEVICES: Final = True

WORKER_STATUS_KEY: Final = "worker_status"
EVENT_WORKER_OFFLINE: Final = "offline"
EVENT_WORKER_ONLINE: Final = "online"

HASHRATE_UNITS: Final = {
    "H/s": 1.0,
    "kH/s": 1e3,
    "MH/s": 1e6,
    "GH/s": 1e9,
    "TH/s": 1e12,
    "PH/s": 1e15,
    "EH/s": 1e18,
    "Sol/s": 1.0,
    "kSol/s": 1e3,
    "MSol/s": 1e6,
}
# The unit each algorithm's hashrates are usually shown in, so that a farm reads as a few
# digits; Equihash counts solutions, not hashes.
ALGORITHM_UNITS: Final = {
    "sha256": "TH/s",
    "scrypt": "GH/s",
    "etchash": "MH/s",
    "ethash": "MH/s",
    "equihash": "kSol/s",
    "x11": "GH/s",
    "blake2b_sha3": "TH/s",
    "blake2s": "TH/s",
    "eaglesong": "TH/s",
    "kawpow": "MH/s",
    "octopus": "MH/s",
    "aleo": "MH/s",
    "kheavyhash": "TH/s",
    "fishhash": "GH/s",
    "randomx": "kH/s",
    "nexapow": "MH/s",
    "blake2b": "TH/s",
    "dynexsolve": "kH/s",
}
