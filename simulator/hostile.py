"""The hostile faults' rewrites of an answer: absurd numbers and times, never-seen units, statuses.

Each function takes the JSON value an endpoint would send and returns the rewritten value; the
values a rewrite invents are counted per simulator (Serials), so none is ever sent twice.
"""

import itertools
import re
from typing import Final

from .wire import raw, unraw

HUGE_NUMBER: Final = "1e999999999999999999"
TINY_NUMBER: Final = "1e-999999999999999999999"
TINY_FIELD: Final = "x_tiny"
LATE_ISO: Final = "9999-12-31T23:59:59-14:00"
EARLY_ISO: Final = "0001-01-01T00:00:00+14:00"
LATE_DATETIME: Final = "9999-12-31 23:59:59"
LATE_UNIX: Final = 253402300800
EARLY_UNIX: Final = -62135596801
UNIX_TIME_KEYS: Final = frozenset(
    {
        "last_share_time",
        "last_share_at",
        "timestamp",
        "paid_time",
        "created_at",
        "payment_time",
        "last_payment_time",
        "first_share_time",
        "mining_date",
        "settle_date",
        "last_share",
        "requested_at_ts",
        "resolved_at_ts",
        "calculation_date",
    }
)
KEPT_NUMBER_KEYS: Final = frozenset({"err_no", "worker_id"})
STATUS_KEYS: Final = frozenset({"status", "worker_status", "state"})
FIRST_UNKNOWN_CODE: Final = 7
_NUMBER = re.compile(r"-?\d+(\.\d+)?")
_ISO = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z")
_DATETIME = re.compile(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}")


class Serials:
    """The counters of invented units ("X1", ...), words ("ZOMBIE1", ...) and codes (7, ...)."""

    def __init__(self) -> None:
        """Start every counter at its first value."""
        self.units = itertools.count(1)
        self.words = itertools.count(1)
        self.codes = itertools.count(FIRST_UNKNOWN_CODE)


def numbers(value: object) -> object:
    """Make every number (and numeric string) huge and give every object a tiny extra field.

    BTC.com's err_no and worker_id keep their values: the one says the data is valid, the other
    names a row.
    """
    if isinstance(value, dict):
        shaped = {
            key: item if key in KEPT_NUMBER_KEYS else numbers(item) for key, item in value.items()
        }
        return shaped | {TINY_FIELD: raw(TINY_NUMBER)}
    if isinstance(value, list):
        return [numbers(item) for item in value]
    return _huge(value)


def _huge(value: object) -> object:
    if isinstance(value, str) and unraw(value) is None:
        return HUGE_NUMBER if _NUMBER.fullmatch(value) else value
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        return value
    return raw(HUGE_NUMBER)


def times(value: object) -> object:
    """Move every time to the edge of the calendar, far future and far past in turn."""
    return _Times().shape(value)


class _Times:
    """One answer's rewrite of times: ISO and unix times alternate between their two edges."""

    def __init__(self) -> None:
        self.isos = itertools.cycle((LATE_ISO, EARLY_ISO))
        self.unix = itertools.cycle((LATE_UNIX, EARLY_UNIX))

    def shape(self, value: object) -> object:
        if isinstance(value, dict):
            return {
                self.text(key): self.unix_time(item) if key in UNIX_TIME_KEYS else self.shape(item)
                for key, item in value.items()
            }
        if isinstance(value, list):
            return [self.shape(item) for item in value]
        if isinstance(value, str):
            return self.text(value)
        return value

    def text(self, value: str) -> str:
        if _ISO.fullmatch(value):
            return next(self.isos)
        if _DATETIME.fullmatch(value):
            return LATE_DATETIME
        return value

    def unix_time(self, value: object) -> object:
        if isinstance(value, str):
            return str(next(self.unix)) if _NUMBER.fullmatch(value) else self.text(value)
        if isinstance(value, int | float) and not isinstance(value, bool):
            return next(self.unix)
        return self.shape(value)


def units(value: object, serials: Serials) -> object:
    """Give every unit field ("unit", "..._unit") a unit letter never sent before."""
    if isinstance(value, dict):
        return {
            key: f"X{next(serials.units)}"
            if (key == "unit" or key.endswith("_unit")) and isinstance(item, str)
            else units(item, serials)
            for key, item in value.items()
        }
    if isinstance(value, list):
        return [units(item, serials) for item in value]
    return value


def statuses(value: object, serials: Serials) -> object:
    """Give every worker status a value never sent before: a word, or (F2Pool v2) a code."""
    if isinstance(value, dict):
        return {
            key: _status(item, serials) if key in STATUS_KEYS else statuses(item, serials)
            for key, item in value.items()
        }
    if isinstance(value, list):
        return [statuses(item, serials) for item in value]
    return value


def _status(value: object, serials: Serials) -> object:
    if isinstance(value, str):
        return f"ZOMBIE{next(serials.words)}"
    if isinstance(value, int) and not isinstance(value, bool):
        return next(serials.codes)
    return value
