"""The fake Braiins Pool monitoring API: GET /accounts/{what}/json/btc/ with a token header.

Endpoint keys (request counts and faults): /accounts/profile/json/btc/,
/accounts/workers/json/btc/, /accounts/rewards/json/btc/, /accounts/payouts/json/btc/ (each with
or without the trailing slash), and "unknown" for any other path (HTTP 404, plain text).
The token is read from Pool-Auth-Token, X-Pool-Auth-Token, SlushPool-Auth-Token or
X-SlushPool-Auth-Token; a missing or unknown one is HTTP 403 with the text "Invalid Access Profile
token". rewards and payouts take from/to as YYYY-MM-DD (HTTP 400 where malformed or reversed).
With Quirks.min_request_interval, requests above the account's rate are ignored (IGNORED).
"""

import asyncio
import math
from datetime import UTC, date, datetime, timedelta

from aiohttp import web

from .faults import DEFAULT_RETRY_AFTER, IGNORED, Fault, Reply, status_reply, text_reply
from .quirks import HOSTILE_USER_NAME_SUFFIX
from .state import DAY, BraiinsAccount, WorkerStats, World
from .wire import decimal_literal, path_segments, raw

ENDPOINTS = {
    what: f"/accounts/{what}/json/btc/" for what in ("profile", "workers", "rewards", "payouts")
}
UNKNOWN = "unknown"
TOKEN_HEADERS = (
    "Pool-Auth-Token",
    "X-Pool-Auth-Token",
    "SlushPool-Auth-Token",
    "X-SlushPool-Auth-Token",
)
REFUSAL = "Invalid Access Profile token"
# Braiins' units, from Gh/s up: the index is the power of 1000 above Gh/s.
UNITS = ("Gh/s", "Th/s", "Ph/s", "Eh/s")
GIGA = 1e9
# Hashrates keep this many significant digits, whatever the unit.
SIGNIFICANT = 6
REWARD_PLACES = 8
DEFAULT_REWARD_DAYS = 90
REQUEST_DELAY = 600
ZERO_REWARD = "0.00000000"


def natural_unit(hashrate: float) -> int:
    """Return the index in UNITS that shows this H/s with 1 to 3 integer digits (Gh/s at least)."""
    index = 0
    while index < len(UNITS) - 1 and hashrate >= GIGA * 1000 ** (index + 1):
        index += 1
    return index


class BraiinsApi:
    """Answers Braiins Pool requests for the world's Braiins accounts."""

    name = "braiins"

    def __init__(self, world: World) -> None:
        """Serve this world."""
        self.world = world

    def endpoint(self, request: web.BaseRequest) -> str:
        """Return the endpoint key of a request."""
        match path_segments(request.raw_path):
            case ["accounts", what, "json", "btc", *rest] if what in ENDPOINTS and rest in (
                [],
                [""],
            ):
                return ENDPOINTS[what]
            case _:
                return UNKNOWN

    def fault_reply(self, fault: Fault) -> Reply | None:
        """Return the answer a fault dictates before the request is looked at, or None."""
        if fault.rate_limit:
            return text_reply(429, **{"Retry-After": DEFAULT_RETRY_AFTER})
        if fault.auth_failure:
            return text_reply(403, REFUSAL)
        return status_reply(fault)

    def _account(self, request: web.BaseRequest) -> BraiinsAccount | None:
        for header in TOKEN_HEADERS:
            token = request.headers.get(header)
            if token:
                return self.world.braiins.get(token)
        return None

    def _ignored(self, account: BraiinsAccount) -> bool:
        """Whether this request comes too soon after the account's previous accepted one."""
        interval = account.quirks.min_request_interval
        if interval is None:
            return False
        now = asyncio.get_running_loop().time()
        if account.last_request is not None and now - account.last_request < interval:
            return True
        account.last_request = now
        return False

    async def answer(
        self,
        request: web.BaseRequest,
        endpoint: str,
        fault: Fault | None,  # noqa: ARG002 (no fault shapes Braiins' data)
    ) -> Reply:
        """Answer one request."""
        if endpoint == UNKNOWN:
            return text_reply(404)
        if request.method != "GET":
            return text_reply(405)
        account = self._account(request)
        if account is None:
            return text_reply(403, REFUSAL)
        if self._ignored(account):
            return IGNORED
        return _Answer(account, self.world.ts).reply(endpoint, request)


def _day(request: web.BaseRequest, name: str, default: date) -> date | None:
    text = request.query.get(name)
    if text is None:
        return default
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


class _Answer:
    """The payload of one request that passed the token check."""

    def __init__(self, account: BraiinsAccount, ts: float) -> None:
        self.account = account
        self.quirks = account.quirks
        self.ts = ts
        self.today = datetime.fromtimestamp(ts, UTC).date()

    def reply(self, endpoint: str, request: web.BaseRequest) -> Reply:
        """Answer a request for one of the four endpoints."""
        if endpoint == ENDPOINTS["profile"]:
            return Reply(payload=self.profile())
        if endpoint == ENDPOINTS["workers"]:
            return Reply(payload=self.workers())
        start = _day(request, "from", self.today - timedelta(days=DEFAULT_REWARD_DAYS))
        end = _day(request, "to", self.today)
        if start is None or end is None or start > end:
            return text_reply(400, "Invalid date range")
        if endpoint == ENDPOINTS["rewards"]:
            return Reply(payload=self.rewards(start, end))
        return Reply(payload=self.payouts(start, end))

    def reward(self, units: int) -> object:
        """An amount of satoshi in whole bitcoin: a string of 8 decimals, or a JSON number."""
        text = decimal_literal(units, REWARD_PLACES, places=REWARD_PLACES)
        return text if self.quirks.numbers_as_strings else raw(text)

    def rates(self, values: list[float]) -> tuple[list[object], str]:
        """Hashrates in one unit (Braiins' pick, or the quirk's), and the unit's name."""
        unit = natural_unit(max(values, default=0.0))
        name = self.quirks.hash_rate_unit
        if name is not None and name in UNITS:
            unit = UNITS.index(name)
        numbers: list[object] = [
            float(f"{value / GIGA / 1000**unit:.{SIGNIFICANT}g}") for value in values
        ]
        if self.quirks.mixed_types:
            numbers = [str(number) for number in numbers]
        return numbers, UNITS[unit] if name is None else name

    def profile(self) -> object:
        account, ts = self.account, self.ts
        view = account.view_at(ts)
        yesterday = next(
            (
                credit.hashes / DAY
                for credit in account.credits_at(ts)
                if credit.day == self.today - timedelta(days=1)
            ),
            0.0,
        )
        rates, unit = self.rates(
            [view.average(300), view.average(3600), view.average(DAY), yesterday]
        )
        states = [account.state_of(stats, ts) for stats in view.workers]
        credited = sum(credit.units for credit in account.credits_at(ts))
        paid = sum(payout.units for payout in account.payouts_at(ts))
        name = account.user_name
        if self.quirks.hostile_names:
            name += HOSTILE_USER_NAME_SUFFIX
        return {
            "username": name,
            "btc": {
                "all_time_reward": self.reward(credited),
                "hash_rate_unit": unit,
                "hash_rate_5m": rates[0],
                "hash_rate_60m": rates[1],
                "hash_rate_24h": rates[2],
                "hash_rate_yesterday": rates[3],
                "low_workers": states.count("low"),
                "off_workers": states.count("off"),
                "ok_workers": states.count("ok"),
                "dis_workers": states.count("dis"),
                "current_balance": self.reward(credited - paid),
                "today_reward": self.reward(account.today_units(ts)),
                "estimated_reward": self.reward(account.last_24h_units(ts)),
                "shares_5m": _shares(view.average(300), 300),
                "shares_60m": _shares(view.average(3600), 3600),
                "shares_24h": _shares(view.average(DAY), DAY),
                "shares_yesterday": _shares(yesterday, DAY),
            },
        }

    def worker_row(self, stats: WorkerStats) -> dict[str, object]:
        """One worker as the workers object lists it under its name."""
        rates, unit = self.rates([stats.hashrate, stats.avg_5m, stats.avg_1h, stats.avg_24h])
        return {
            "last_share": 0 if stats.last_share is None else int(stats.last_share),
            "state": self.account.state_of(stats, self.ts),
            "hash_rate_unit": unit,
            "hash_rate_scoring": rates[0],
            "hash_rate_5m": rates[1],
            "hash_rate_60m": rates[2],
            "hash_rate_24h": rates[3],
            "shares_5m": _shares(stats.avg_5m, 300),
            "shares_60m": _shares(stats.avg_1h, 3600),
            "shares_24h": _shares(stats.avg_24h, DAY),
        }

    def workers(self) -> object:
        if self.quirks.rotating_names:
            self.account.rotate_names()
        rows: dict[str, object] = {}
        for stats in self.account.view_at(self.ts).workers:
            rows[stats.worker.name] = self.worker_row(stats)
        return {"btc": {"workers": rows}}

    def rewards(self, start: date, end: date) -> object:
        days = [credit for credit in self.account.credits_at(self.ts) if start <= credit.day <= end]
        return {
            "btc": {
                "daily_rewards": [
                    {
                        "date": int(credit.at) - DAY,
                        "total_reward": self.reward(credit.units),
                        "mining_reward": self.reward(credit.units),
                        "bos_plus_reward": ZERO_REWARD,
                        "referral_bonus": ZERO_REWARD,
                        "referral_reward": ZERO_REWARD,
                        "calculation_date": int(credit.at),
                    }
                    for credit in reversed(days)
                ]
            }
        }

    def payouts(self, start: date, end: date) -> object:
        payouts = self.account.payouts_at(self.ts)
        rows = []
        for payout in payouts:
            if not start <= payout.time.date() <= end:
                continue
            hidden = self.quirks.null_txid and payout is payouts[-1]
            rows.append(
                {
                    "financial_account_name": "Bitcoin Account",
                    "requested_at_ts": int(payout.at) - REQUEST_DELAY,
                    "resolved_at_ts": int(payout.at),
                    "status": "confirmed",
                    "amount_sats": payout.units,
                    "fee_sats": 0,
                    "destination": payout.address,
                    "tx_id": None if hidden else payout.txid,
                    "trigger_type": "triggered",
                }
            )
        return {"onchain": rows, "lightning": []}


def _shares(hashrate: float, seconds: int) -> int:
    """Active shares over a window, as Braiins counts them (difficulty-1 shares, roughly)."""
    return math.floor(hashrate * seconds / 2**32)
