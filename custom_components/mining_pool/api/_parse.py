"""Tolerant readers for the values pools send: the library's trust boundary.

Pools send a number as a number or as a numeric string, and ``"-"``, ``""`` or null for "no
value". Scalars are read leniently: what cannot be read is no value (``None``). Containers are
read strictly: an object where a list belongs (or the reverse) is an ``InvalidResponseError``,
because it means the answer is not the document the library asked for.

Whatever crosses this boundary is safe to store and show: text is valid Unicode that encodes
as UTF-8, holds no control, format (bidi, zero-width) or separator characters, is NFC-normalized
and capped in length; numbers are finite and of a bounded magnitude; times fall in 1970-2200.
"""

from __future__ import annotations

import hashlib
import json
import logging
import unicodedata
from collections.abc import Iterator, Mapping
from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any, Final

from .errors import InvalidResponseError

SATOSHI_PER_COIN = Decimal(100_000_000)
# No pool value is this large or this small; refusing them keeps arithmetic cheap and exact.
_MAX_MAGNITUDE = 40
_MIN_MAGNITUDE = -40
# Beyond this many seconds (2200-01-01) a "timestamp" is not one.
_MAX_UNIX_TIME = 7_258_118_400
_EPOCH: Final = datetime(1970, 1, 1, tzinfo=UTC)
_LATEST: Final = datetime.fromtimestamp(_MAX_UNIX_TIME, UTC)
# Longer integers are no pool's: Python refuses to read them past 4,300 digits anyway.
_MAX_INT_DIGITS: Final = 100
# Text a pool sends (transaction ids, addresses, user names) is cut to this many characters.
MAX_TEXT_LENGTH: Final = 256
# Worker names name devices and entities: long enough for any real host name or label.
MAX_NAME_LENGTH: Final = 64
# Control, format (bidi overrides, zero-width), surrogate, line and paragraph separators.
_UNSAFE_CATEGORIES: Final = frozenset({"Cc", "Cf", "Cs", "Zl", "Zp"})
_NAME_DIGEST_LENGTH: Final = 8
# What an unknown value is shown as in a log line, at most.
_SHOWN_LENGTH: Final = 32


def decode_json(body: bytes) -> Any:
    """Decode a JSON body exactly: floats become ``Decimal`` so that no digit is lost.

    A number no pool could mean (an exponent past ``Decimal``'s range, thousands of digits)
    is read as null, so that one such field, even one the library ignores, costs only itself.
    """
    try:
        return json.loads(body, parse_float=_json_decimal, parse_int=_json_int)
    except (ValueError, RecursionError, ArithmeticError):
        pass
    # Raised here, outside the handler, so that the decoder's error (which quotes the body) is
    # not kept as its context.
    raise InvalidResponseError("the pool's answer is not valid JSON")


def _json_decimal(text: str) -> Decimal | None:
    try:
        return Decimal(text)
    except ArithmeticError:
        return None


def _json_int(text: str) -> int | None:
    return int(text) if len(text) <= _MAX_INT_DIGITS else None


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


def consumed(rows: list[Any]) -> Iterator[Any]:
    """Yield the rows of a decoded list, letting go of each once it has been read.

    Freeing a large answer all at once (hundreds of thousands of objects) holds the interpreter
    for tens of milliseconds, and so the event loop too; row by row, the cost is spread over the
    reading, which lets other threads run in between.
    """
    for index, row in enumerate(rows):
        rows[index] = None
        yield row


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


def as_str(value: Any, limit: int = MAX_TEXT_LENGTH) -> str | None:
    """Read a text value, made safe; empty text and ``"-"`` are no value.

    Numbers become their text (BTC.com sends worker ids as numbers or strings).
    """
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | Decimal):
        text = str(value)
        return text if len(text) <= limit else None
    if not isinstance(value, str):
        return None
    text = safe_text(value)[:limit]
    return text if text not in ("", "-") else None


def safe_text(value: str) -> str:
    """Make text from a pool safe to store, log and show.

    Lone surrogates (which cannot be written as UTF-8), control characters, format characters
    (bidi overrides, zero-width spaces and joiners: an emoji sequence falls apart into its
    emoji, which stay readable) and line separators are removed; the rest is NFC-normalized
    and stripped.
    """
    if value.isascii() and value.isprintable():
        return value.strip()
    kept = "".join(char for char in value if unicodedata.category(char) not in _UNSAFE_CATEGORIES)
    return unicodedata.normalize("NFC", kept).strip()


def as_name(value: Any) -> str | None:
    """Read a worker's name: safe text of at most ``MAX_NAME_LENGTH`` characters.

    A name that had to be changed to be safe (characters removed, or cut) ends in a short
    digest of what the pool sent, so that two names that differ only in what was removed stay
    two workers. Names that needed no change, the usual case, are kept as they are, but for
    spaces at either end and the composed (NFC) form of accented letters.
    """
    if isinstance(value, str):
        clean = safe_text(value)
        if clean == unicodedata.normalize("NFC", value.strip()) and len(clean) <= MAX_NAME_LENGTH:
            return clean if clean not in ("", "-") else None
        raw = value.encode("utf-8", "surrogatepass")
        digest = hashlib.sha256(raw).hexdigest()[:_NAME_DIGEST_LENGTH]
        head = clean[: MAX_NAME_LENGTH - _NAME_DIGEST_LENGTH - 2].rstrip()
        return f"{head} ~{digest}" if head else f"~{digest}"
    return as_str(value, MAX_NAME_LENGTH)


def shown(value: Any) -> str:
    """A pool's value as a log line may quote it: safe, short, and clearly quoted."""
    text = safe_text(value) if isinstance(value, str) else safe_text(repr(value))
    if len(text) > _SHOWN_LENGTH:
        text = f"{text[:_SHOWN_LENGTH]}…"
    return repr(text)


class Notices:
    """Logs what a pool sends that the library does not know, once per kind.

    One instance lives as long as the client of one account, so that a pool that sends a new
    unknown unit in every row of every answer is logged once, not once per row.
    """

    def __init__(self, logger: logging.Logger, pool: str) -> None:
        """Log to ``logger`` about ``pool``."""
        self._logger = logger
        self._pool = pool
        self._said: set[str] = set()

    def once(self, kind: str, value: Any, consequence: str) -> None:
        """Say, the first time only, that the pool sent an unknown ``kind`` of value."""
        if kind in self._said:
            return
        self._said.add(kind)
        self._logger.warning(
            "%s sent the %s %s, which is not known; %s (logged once)",
            self._pool,
            kind,
            shown(value),
            consequence,
        )


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
        parsed = parsed.replace(tzinfo=UTC)
    try:
        # An offset can carry a time at the calendar's edge past its end.
        moment = parsed.astimezone(UTC)
    except (OverflowError, ValueError):
        return None
    return moment if _EPOCH < moment <= _LATEST else None


def as_date(value: Any) -> date | None:
    """Read BTC.com's day numbers: ``20170213`` or ``"20160724"``."""
    text = as_str(value)
    if text is None:
        return None
    try:
        return datetime.strptime(f"{text.strip()}+0000", "%Y%m%d%z").date()
    except ValueError:
        return None
