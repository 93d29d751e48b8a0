"""A client library for the APIs of the BTC.com and F2Pool mining pools.

It knows nothing of Home Assistant: every call takes the caller's ``aiohttp.ClientSession``,
returns immutable models, and raises only the errors of ``errors``.
"""

from .account import (
    BTCCOM_ALGORITHM,
    AccountIdentity,
    BtcComAccount,
    F2PoolV1Account,
    F2PoolV2Account,
    PoolAccount,
    PoolKind,
    open_account,
)
from .btccom import ENDPOINTS, ENDPOINTS_BY_KEY, GLOBAL_HOST, BtcComClient, Endpoint
from .currencies import CURRENCIES, CURRENCIES_BY_NAME, Currency
from .errors import (
    AccountNotFoundError,
    AnswerTooLargeError,
    AuthenticationError,
    CannotConnectError,
    InvalidInputError,
    InvalidResponseError,
    MiningPoolError,
    RateLimitedError,
    RedirectError,
)
from .f2pool_v1 import F2PoolV1Client
from .f2pool_v2 import F2PoolV2Client
from .models import (
    MAX_WORKERS,
    AccountInfo,
    AccountSnapshot,
    DailyEarning,
    EarnHistoryPage,
    Earnings,
    HashratePoint,
    HashrateStats,
    Payment,
    Worker,
    WorkerCounts,
    WorkerList,
    WorkerPage,
    WorkerStats,
    WorkerStatus,
)

__all__ = [
    "BTCCOM_ALGORITHM",
    "CURRENCIES",
    "CURRENCIES_BY_NAME",
    "ENDPOINTS",
    "ENDPOINTS_BY_KEY",
    "GLOBAL_HOST",
    "MAX_WORKERS",
    "AccountIdentity",
    "AccountInfo",
    "AccountNotFoundError",
    "AccountSnapshot",
    "AnswerTooLargeError",
    "AuthenticationError",
    "BtcComAccount",
    "BtcComClient",
    "CannotConnectError",
    "Currency",
    "DailyEarning",
    "EarnHistoryPage",
    "Earnings",
    "Endpoint",
    "F2PoolV1Account",
    "F2PoolV1Client",
    "F2PoolV2Account",
    "F2PoolV2Client",
    "HashratePoint",
    "HashrateStats",
    "InvalidInputError",
    "InvalidResponseError",
    "MiningPoolError",
    "Payment",
    "PoolAccount",
    "PoolKind",
    "RateLimitedError",
    "RedirectError",
    "Worker",
    "WorkerCounts",
    "WorkerList",
    "WorkerPage",
    "WorkerStats",
    "WorkerStatus",
    "open_account",
]
