"""Checks of what a caller gives the library, made before any request.

A user name or an address becomes exactly one URL path segment: it is percent-encoded with
nothing left safe, and a segment of dots alone is encoded too, so that no ``/``, ``?``, ``#``,
``..``, space or non-ASCII character can change which URL is called.
"""

from __future__ import annotations

import re
from urllib.parse import quote

from yarl import URL

from .errors import InvalidInputError

MAX_ACCOUNT_LENGTH = 256
MAX_SECRET_LENGTH = 256
_CONTROL_CHARACTERS = frozenset(map(chr, [*range(0x20), 0x7F]))
_SECRET = re.compile(r"[\x21-\x7e]+")
_PUID = re.compile(r"[0-9]{1,20}")
_HOST = re.compile(
    r"(?=.{1,253}(?::|$))[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
    r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*(?::[0-9]{1,5})?"
)


def account(value: str, field: str = "account") -> str:
    """Accept a user name or wallet address: 1 to 256 characters, no control characters."""
    if not isinstance(value, str) or not value.strip():
        raise InvalidInputError(field, "the account name or address is empty")
    if len(value) > MAX_ACCOUNT_LENGTH:
        raise InvalidInputError(
            field, f"the account name or address is longer than {MAX_ACCOUNT_LENGTH} characters"
        )
    if any(char in _CONTROL_CHARACTERS for char in value):
        raise InvalidInputError(field, "the account name or address has control characters")
    return value


def path_segment(value: str) -> str:
    """Percent-encode ``value`` as one path segment (to use in an already-encoded URL)."""
    encoded = quote(value, safe="")
    if encoded.strip(".") == "":
        return encoded.replace(".", "%2E")
    return encoded


def secret(value: str, field: str) -> str:
    """Accept an access key or token: printable ASCII without spaces, 256 characters at most."""
    if not isinstance(value, str) or not value:
        raise InvalidInputError(field, "the key is empty")
    if len(value) > MAX_SECRET_LENGTH or not _SECRET.fullmatch(value):
        raise InvalidInputError(
            field,
            "the key must be printable ASCII without spaces, "
            f"{MAX_SECRET_LENGTH} characters at most",
        )
    return value


def puid(value: int | str) -> str:
    """Accept a BTC.com puid: a whole number, given as a number or as its digits."""
    text = str(value).strip() if isinstance(value, (int, str)) else ""
    if isinstance(value, bool) or not _PUID.fullmatch(text):
        raise InvalidInputError("puid", "the puid must be a whole number")
    return text


def base_url(value: str, field: str = "endpoint") -> URL:
    """Accept a host (``us-pool.api.btc.com``, ``host:8080``) or an http(s) base URL.

    A bare host means HTTPS. A URL may carry a path prefix but no query, fragment or user info.
    """
    text = value.strip() if isinstance(value, str) else ""
    if "://" not in text:
        if not _HOST.fullmatch(text):
            raise InvalidInputError(field, "the host name is not valid")
        text = f"https://{text}"
    try:
        url = URL(text)
    except (ValueError, TypeError):
        raise InvalidInputError(field, "the address is not a valid URL") from None
    if (
        url.scheme not in ("http", "https")
        or not url.host
        or url.query_string
        or url.fragment
        or url.user is not None
    ):
        raise InvalidInputError(field, "the address must be an http:// or https:// URL")
    return url.with_path(url.path.rstrip("/"))
