"""Tolerant readers for the values pools send.

Pools send a number as a number or as a numeric string, and ``"-"``, ``""`` or null for "no
value". Scalars are read leniently: what cannot be read is no value (``None``). Containers are
read strictly: an object where a list belongs (or the reverse) is an ``InvalidResponseError``,
because it means the answer is not the document the library asked for.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from .errors import InvalidResponseError

SATOSHI_PER_COIN = Decimal(100_000_000)
# No pool value is this large or this small; refusing them keeps arithmetic cheap and exact.
_MAX_MAGNITUDE = 40
_MIN_MAGNITUDE = -40
# Beyond this many seconds a "timestamp" is not one (year 10000 and later).
_MAX_UNIX_TIME = 253_402_300_799


def decode_json(body: bytes) -> Any:
    """Decode a JSON body exactly: floats become ``Decimal`` so that no digit is lost."""
    try:
        return json.loads(body, parse_float=Decimal)
    except (ValueError, RecursionError):
        pass
    # Raised here, outside the handler, so that the decoder's error (which quotes the body) is
    # not kept as its context.
    raise InvalidResponseError("the pool's answer is not valid JSON")


def mapping(value: Any, what: str) -> Mapping[str, Any]:
    """Return ``value`` where it is a JSON object, else fail naming ``what``."""
    if isinstance(value, Mapping):
        return value
    raise InvalidResponseError(f"{what} is not a JSON object")


def sequence(value: Any, what: str) -> list[Any]:
    """Return ``value`` where it is a JSON list, else fail naming ``what``."""
    if isinstance(value, list):
        return value
    raise InvalidResponseError(f"{what} is not a JSON list")


def optional_sequence(value: Any, what: str) -> list[Any]:
    """Like ``sequence``, but a missing or null list is an empty one."""
    return [] if value is None else sequence(value, what)


def as_decimal(value: Any) -> Decimal | None:
    """Read a number sent as a number or a numeric string; anything else is no value."""
    if isinstance(value, bool) or not isinstance(value, (Decimal, int, float, str)):
        return None
    try:
        number = Decimal(
            value.strip()
            if isinstance(value, str)
            else repr(value)
            if isinstance(value, float)
            else value
        )
    except InvalidOperation:
        return None
    if number.is_zero():
        return Decimal(0)
    if not number.is_finite() or not _MIN_MAGNITUDE <= number.adjusted() <= _MAX_MAGNITUDE:
        return None
    return number


def as_float(value: Any) -> float | None:
    """Read a number as a float (hashrates, percentages)."""
    number = as_decimal(value)
    if number is None:
        return None
    return float(number)


def as_int(value: Any) -> int | None:
    """Read a whole number, exactly, even above 2**53."""
    number = as_decimal(value)
    if number is None or number != number.to_integral_value():
        return None
    return int(number)


def as_str(value: Any) -> str | None:
    """Read a text value; empty text and ``"-"`` are no value, numbers become their text."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (int, Decimal)):
        return str(value)
    if isinstance(value, str) and value.strip() not in ("", "-"):
        return value
    return None


def as_satoshi(value: Any) -> Decimal | None:
    """Read an amount in satoshi and return it in whole coins."""
    number = as_decimal(value)
    return None if number is None else number / SATOSHI_PER_COIN


def per_second(count: Any, seconds: int) -> float | None:
    """Turn a count of hashes over ``seconds`` into a rate in H/s."""
    number = as_decimal(count)
    return None if number is None else as_float(number / seconds)


def as_time(value: Any) -> datetime | None:
    """Read a time sent as unix seconds, ISO 8601 or BTC.com's ``YYYY-MM-DD HH:MM:SS``.

    Zero and negative unix times are no value (BTC.com sends ``"0"`` for "never").
    """
    if isinstance(value, str):
        text = value.strip()
        if not text:
            return None
        try:
            return _from_unix(Decimal(text))
        except InvalidOperation:
            return _from_text(text)
    number = as_decimal(value)
    return None if number is None else _from_unix(number)


def _from_unix(seconds: Decimal) -> datetime | None:
    if not seconds.is_finite() or seconds <= 0 or seconds > _MAX_UNIX_TIME:
        return None
    return datetime.fromtimestamp(float(seconds), UTC)


def _from_text(text: str) -> datetime | None:
    try:
        # BTC.com's "2015-02-09 06:46:17" names no zone: it is read as UTC.
        parsed = datetime.strptime(f"{text}+0000", "%Y-%m-%d %H:%M:%S%z")
    except ValueError:
        try:
            parsed = datetime.fromisoformat(text)
        except ValueError:
            return None
    if parsed.tzinfo is None:
        return parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)


def as_date(value: Any) -> date | None:
    """Read BTC.com's day numbers: ``20170213`` or ``"20160724"``."""
    text = as_str(value)
    if text is None:
        return None
    try:
        return datetime.strptime(f"{text.strip()}+0000", "%Y%m%d%z").date()
    except ValueError:
        return None
