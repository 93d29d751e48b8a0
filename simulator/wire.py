"""What goes on the wire: JSON with exact number literals, times and hashrate units."""

import json
import math
import re
from datetime import datetime
from urllib.parse import unquote

from .state import to_datetime

UNIT_LETTERS = ("", "K", "M", "G", "T", "P", "E", "Z")
_RAW_MARK = "\x00#"
_RAW_JSON = re.compile(r'"\\u0000#([^"]*)"')
_SURROGATE = re.compile("[\ud800-\udfff]")


def raw(literal: str) -> str:
    """Wrap a number literal so that dumps() writes it unquoted, digit for digit."""
    return _RAW_MARK + literal


def unraw(value: str) -> str | None:
    """Return the literal wrapped by raw(), or None for an ordinary string."""
    return value[len(_RAW_MARK) :] if value.startswith(_RAW_MARK) else None


def dumps(payload: object) -> bytes:
    """Encode compact JSON: UTF-8, raw() literals unquoted, lone surrogates escaped."""
    text = json.dumps(payload, ensure_ascii=False, separators=(",", ":"))
    text = _RAW_JSON.sub(r"\1", text)
    return _SURROGATE.sub(lambda found: f"\\u{ord(found[0]):04x}", text).encode()


def decimal_literal(units: int, decimals: int, *, places: int | None = None) -> str:
    """Write an amount of smallest units in whole coins: "0", "1.5", or padded to places."""
    sign = "-" if units < 0 else ""
    whole, rest = divmod(abs(units), 10**decimals)
    digits = f"{rest:0{decimals}d}"
    digits = (digits + "0" * places)[:places] if places is not None else digits.rstrip("0")
    return f"{sign}{whole}.{digits}" if digits else f"{sign}{whole}"


def iso_z(ts: float) -> str:
    """Write unix seconds as 2017-12-21T11:40:00Z."""
    return to_datetime(ts).strftime("%Y-%m-%dT%H:%M:%SZ")


def iso_fraction(ts: float, form: str) -> str:
    """Write unix seconds with microseconds (...19.810789Z) or milliseconds (...19.810Z)."""
    when: datetime = to_datetime(ts)
    if form == "milli":
        return when.strftime("%Y-%m-%dT%H:%M:%S.") + f"{when.microsecond // 1000:03d}Z"
    return when.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def sql_time(ts: float) -> str:
    """Write unix seconds as 2017-02-13 01:45:37 (UTC)."""
    return to_datetime(ts).strftime("%Y-%m-%d %H:%M:%S")


def natural_unit(hashrate: float) -> int:
    """Return the index in UNIT_LETTERS that shows this H/s with 1 to 3 integer digits."""
    index = 0
    while index < len(UNIT_LETTERS) - 1 and hashrate >= 1000 ** (index + 1):
        index += 1
    return index


def in_unit(hashrate: float, unit: int, letter: str | None) -> tuple[float, str]:
    """Return (number, letter) for an H/s in a unit; letter overrides the sent letter.

    A known override letter also rescales the number; an unknown one keeps the natural scale.
    """
    if letter is not None and letter in UNIT_LETTERS:
        unit = UNIT_LETTERS.index(letter)
    return hashrate / 1000**unit, UNIT_LETTERS[unit] if letter is None else letter


def fixed(value: float, places: int) -> str:
    """Write a number with a fixed number of decimals ("22.88")."""
    return f"{value:.{places}f}"


def whole(value: float) -> int:
    """Return a non-negative float as an int, rounding half up."""
    return math.floor(value + 0.5) if value > 0 else 0


def path_segments(raw_path: str) -> list[str]:
    """Split a raw request path (query dropped) on "/" and percent-decode each segment alone.

    So "a%2Fb" stays one segment "a/b" and "%2E%2E" is a segment "..", never a step up.
    """
    path = raw_path.split("?", 1)[0]
    return [unquote(segment) for segment in path.split("/")[1:]]
