"""One HTTP exchange with a pool, with every transport failure turned into a library error.

aiohttp's exceptions carry the request URL (and so the BTC.com access key) in their text. They
are never chained: the library's error is raised outside the ``except`` block, so that it holds
no reference to the original exception either.
"""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from http import HTTPStatus
from typing import Any

import aiohttp
from multidict import CIMultiDictProxy
from yarl import URL

from .errors import (
    AuthenticationError,
    CannotConnectError,
    InvalidResponseError,
    MiningPoolError,
    RateLimitedError,
)

DEFAULT_TIMEOUT = 30.0
# Large enough for the F2Pool worker list of a 50,000-worker farm (about 8 MB), small enough
# that a runaway answer cannot exhaust memory.
MAX_BODY_BYTES = 16 * 1024 * 1024
_CHUNK = 64 * 1024


@dataclass(frozen=True, slots=True)
class Response:
    """What a pool answered: status, headers and the whole body."""

    status: int
    headers: CIMultiDictProxy[str]
    body: bytes


class _BodyTooLargeError(Exception):
    pass


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
) -> Response:
    """Make one request and read the whole answer, or raise a library error."""
    failure: MiningPoolError
    try:
        async with session.request(
            method,
            url,
            params=params,
            json=json_body,
            headers=headers,
            timeout=aiohttp.ClientTimeout(total=time_limit),
        ) as response:
            body = await _read_body(response)
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
        failure = InvalidResponseError(
            f"{pool}'s answer is larger than {MAX_BODY_BYTES // (1024 * 1024)} MB"
        )
    raise failure


async def _read_body(response: aiohttp.ClientResponse) -> bytes:
    if (response.content_length or 0) > MAX_BODY_BYTES:
        raise _BodyTooLargeError
    chunks: list[bytes] = []
    size = 0
    async for chunk in response.content.iter_chunked(_CHUNK):
        size += len(chunk)
        if size > MAX_BODY_BYTES:
            raise _BodyTooLargeError
        chunks.append(chunk)
    return b"".join(chunks)


def retry_after(headers: Mapping[str, str], now: datetime | None = None) -> float | None:
    """Read ``Retry-After`` as seconds, whether it is sent as seconds or as an HTTP date."""
    value = headers.get("Retry-After")
    if value is None:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


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
        raise AuthenticationError(f"{pool} refused the credentials (HTTP {status})")
    if status >= HTTPStatus.INTERNAL_SERVER_ERROR:
        raise CannotConnectError(f"{pool} is unavailable (HTTP {status})")
    raise InvalidResponseError(f"{pool} answered HTTP {status}")


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
