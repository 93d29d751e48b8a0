"""One HTTP exchange with a pool, with every transport failure turned into a library error.

aiohttp's exceptions carry the request URL (and so the BTC.com access key) in their text. They
are never chained: the library's error is raised outside the ``except`` block, so that it holds
no reference to the original exception either.

Redirects are never followed: aiohttp would send the query (BTC.com's access key) and the
headers (F2Pool's token) to wherever the pool points, even to another host or to plain http.
A redirect is an error that names the new origin, for the user to enter it.
"""

from __future__ import annotations

import asyncio
import gc
import logging
import math
import re
import threading
from collections.abc import Callable, Coroutine, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from http import HTTPStatus
from typing import Any, Final

import aiohttp
from multidict import CIMultiDictProxy
from yarl import URL

from ._parse import safe_text
from .errors import (
    AnswerTooLargeError,
    AuthenticationError,
    CannotConnectError,
    InvalidResponseError,
    MiningPoolError,
    RateLimitedError,
    RedirectError,
)

_LOGGER = logging.getLogger(__name__)

DEFAULT_TIMEOUT = 30.0
# The largest answer read: F2Pool's worker list of a 40,000-worker farm (about 16 MB, each row
# some 400 bytes). Requests that need less ask for less (``max_bytes``).
MAX_BODY_BYTES = 16 * 1024 * 1024
# Enough for any answer but a worker list or a history: a few kilobytes are usual.
SMALL_BODY_BYTES: Final = 1024 * 1024
_CHUNK = 64 * 1024
# Answers at least this large are decoded and read in a worker thread: a 16 MB answer takes
# seconds to read, which would hold the caller's event loop.
OFF_LOOP_BYTES: Final = 256 * 1024
# One read of an account (all its requests) ends within this, whatever the pool does.
DEFAULT_DEADLINE: Final = 120.0
_RETRY_AFTER_SECONDS = re.compile(r"[0-9]{1,10}")
_MAX_ORIGIN_LENGTH: Final = 300


@dataclass(frozen=True, slots=True)
class Response:
    """What a pool answered: status, headers and the whole body."""

    status: int
    headers: CIMultiDictProxy[str]
    body: bytes


class _BodyTooLargeError(Exception):
    pass


# Large answers are read one at a time in the whole process: decoding one takes many times its
# size in memory, and the collector's pause (see _without_collections) is one switch to hold.
_LARGE_READS = threading.Lock()


async def send(
    session: aiohttp.ClientSession,
    method: str,
    url: URL,
    *,
    pool: str,
    params: Mapping[str, str] | None = None,
    json_body: Any = None,
    headers: Mapping[str, str] | None = None,
    time_limit: float = DEFAULT_TIMEOUT,
    max_bytes: int = SMALL_BODY_BYTES,
) -> Response:
    """Make one request and read the whole answer, at most ``max_bytes``, or raise."""
    failure: MiningPoolError
    try:
        async with session.request(
            method,
            url,
            params=params,
            json=json_body,
            headers=headers,
            timeout=aiohttp.ClientTimeout(total=time_limit),
            allow_redirects=False,
        ) as response:
            if _is_redirect(response.status):
                failure = _redirect_error(pool, url, response)
            else:
                body = await _read_body(response, max_bytes)
                return Response(response.status, response.headers, body)
    except TimeoutError:
        failure = CannotConnectError(f"{pool} did not answer within {time_limit:g} s")
    except aiohttp.ClientConnectorError:
        failure = CannotConnectError(f"could not connect to {pool}")
    except (aiohttp.ServerDisconnectedError, aiohttp.ClientPayloadError):
        failure = CannotConnectError(f"{pool} closed the connection before answering fully")
    except aiohttp.ClientResponseError:
        failure = InvalidResponseError(f"{pool} sent a malformed HTTP answer")
    except (aiohttp.ClientError, OSError):
        failure = CannotConnectError(f"the connection to {pool} failed")
    except _BodyTooLargeError:
        failure = AnswerTooLargeError(f"{pool}'s answer is larger than {max_bytes:,} bytes")
    raise failure


def _is_redirect(status: int) -> bool:
    return HTTPStatus.MULTIPLE_CHOICES <= status < HTTPStatus.BAD_REQUEST and (
        status != HTTPStatus.NOT_MODIFIED
    )


def _redirect_error(pool: str, url: URL, response: aiohttp.ClientResponse) -> MiningPoolError:
    """The error of a redirect: it names the origin pointed to, never its path or query."""
    origin = _origin(url, response.headers.get("Location"))
    if origin is None:
        return InvalidResponseError(
            f"{pool} answered HTTP {response.status} without a valid new address"
        )
    return RedirectError(
        f"{pool} answered with a redirect to {origin}, which is not followed: "
        "if the pool has moved, enter its new address",
        origin,
    )


def _origin(url: URL, location: str | None) -> str | None:
    if not location:
        return None
    try:
        target = url.join(URL(location.strip()))
        origin = str(target.origin())
    except (ValueError, TypeError):
        return None
    if target.scheme not in ("http", "https") or not target.host:
        return None
    origin = safe_text(origin)
    return origin if len(origin) <= _MAX_ORIGIN_LENGTH else None


async def _read_body(response: aiohttp.ClientResponse, max_bytes: int) -> bytes:
    if (response.content_length or 0) > max_bytes:
        raise _BodyTooLargeError
    chunks: list[bytes] = []
    size = 0
    async for chunk in response.content.iter_chunked(_CHUNK):
        size += len(chunk)
        if size > max_bytes:
            raise _BodyTooLargeError
        chunks.append(chunk)
    return b"".join(chunks)


def retry_after(headers: Mapping[str, str], now: datetime | None = None) -> float | None:
    """Read ``Retry-After`` as seconds, whether it is sent as seconds or as an HTTP date."""
    value = headers.get("Retry-After")
    if value is None:
        return None
    value = value.strip()
    if _RETRY_AFTER_SECONDS.fullmatch(value):
        return float(value)
    try:
        when = parsedate_to_datetime(value)
        if when.tzinfo is None:
            when = when.replace(tzinfo=UTC)
        seconds = (when - (now or datetime.now(UTC))).total_seconds()
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    return max(0.0, seconds) if math.isfinite(seconds) else None


def raise_for_status(response: Response, pool: str) -> None:
    """Map the HTTP statuses every pool shares; pool-specific ones are checked before."""
    status = response.status
    if HTTPStatus.OK <= status < HTTPStatus.MULTIPLE_CHOICES:
        return
    if status == HTTPStatus.TOO_MANY_REQUESTS:
        raise RateLimitedError(
            f"{pool} asks to slow down (HTTP 429)", retry_after(response.headers)
        )
    if status in (HTTPStatus.UNAUTHORIZED, HTTPStatus.FORBIDDEN):
        # A bare status: the pool's own error, where it has one, was looked for before.
        raise AuthenticationError(f"{pool} refused the credentials (HTTP {status})", definite=False)
    if status >= HTTPStatus.INTERNAL_SERVER_ERROR:
        raise CannotConnectError(f"{pool} is unavailable (HTTP {status})")
    raise InvalidResponseError(f"{pool} answered HTTP {status}")


async def read[T](pool: str, reader: Callable[[Response], T], response: Response) -> T:
    """Decode and read an answer, off the event loop where it is large.

    Only the library's own errors come out: anything else a reader raises on a hostile answer
    (it should raise none) becomes an ``InvalidResponseError``.
    """
    if len(response.body) < OFF_LOOP_BYTES:
        return _guarded(pool, reader, response)
    return await asyncio.to_thread(_without_collections, _guarded, pool, reader, response)


def _without_collections[**P, T](call: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
    """Run ``call`` with the garbage collector paused, one large read at a time.

    Reading a large answer makes hundreds of thousands of objects in a burst, which triggers
    full collections; a collection holds the interpreter lock for its whole length, so it would
    stall the caller's event loop even though the reading runs in another thread.
    """
    with _LARGE_READS:
        was_enabled = gc.isenabled()
        gc.disable()
        try:
            return call(*args, **kwargs)
        finally:
            if was_enabled:
                gc.enable()


def _guarded[T](pool: str, reader: Callable[[Response], T], response: Response) -> T:
    try:
        return reader(response)
    except MiningPoolError:
        raise
    except Exception as err:  # noqa: BLE001 (the trust boundary: nothing else may escape)
        kind = type(err).__name__
    _LOGGER.debug("Reading %s's answer failed with %s", pool, kind)
    raise InvalidResponseError(f"{pool}'s answer could not be read ({kind})")


async def within_deadline[T](pool: str, call: Coroutine[Any, Any, T], deadline: float) -> T:
    """Run every request of one read of an account, and give up past ``deadline`` seconds."""
    try:
        async with asyncio.timeout(deadline):
            return await call
    except TimeoutError:
        pass
    raise CannotConnectError(f"{pool} did not finish answering within {deadline:g} s")


async def gather_all(*calls: Coroutine[Any, Any, Any]) -> list[Any]:
    """Run requests concurrently; if one fails, cancel the others and raise its error."""
    tasks = [asyncio.ensure_future(call) for call in calls]
    try:
        return await asyncio.gather(*tasks)
    except BaseException:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        raise
