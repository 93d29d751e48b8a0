"""Faults a test can inject, and how an answer is shaped and written with them."""

import asyncio
import contextlib
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from http import HTTPStatus
from typing import Final

from aiohttp import web

from . import hostile
from .hostile import Serials
from .wire import dumps, unraw

NO_DATA: Final = object()
TRICKLE_CHUNK = 64
TRICKLE_MAX_CHUNKS = 50
DEFAULT_RETRY_AFTER = "60"
REDIRECT_DEFAULT = HTTPStatus.FOUND


@dataclass(frozen=True, kw_only=True, slots=True)
class Fault:
    """A misbehaviour of the next answers of one endpoint (every field optional).

    Attributes:
        status: answer this HTTP status; alone and >= 400 the body is plain text
            "503: Service Unavailable" style, otherwise the normal body gets this status.
        body: answer exactly this body (HTTP 200 unless status says otherwise).
        content_type: the Content-Type to send (default application/json or text/plain).
        headers: extra response headers (e.g. {"Retry-After": "1"}).
        hang: never answer: wait until the simulator stops (or an hour), then drop the socket.
        delay: seconds to wait before answering.
        malformed_json: a JSON body that looks right but does not parse (a trailing comma).
        truncated: the body is cut in half (Content-Length matches the cut body).
        drop_connection: send the headers and half the body, then reset the connection.
        err_no: BTC.com answers its envelope error with this err_no (msg as err_msg).
        code: F2Pool v2 answers {"code": code, "msg": msg}.
        msg: the message of err_no/code (a default per code otherwise).
        data: replace BTC.com's data (or an F2Pool body) with this JSON value (a list, None, a
            string...).
        remove_fields: drop these keys from every object of the JSON body.
        type_drift: every number becomes a string, and zero becomes "-".
        auth_failure: the API's authentication error (BTC.com err_no 20001, F2Pool v1 HTTP 401,
            F2Pool v2 code 5010, Braiins HTTP 403 "Invalid Access Profile token").
        rate_limit: F2Pool v1 answers HTTP 503 "503: GateWay Timeout"; BTC.com, F2Pool v2 and
            Braiins answer HTTP 429 with Retry-After (60, or headers' value). (Braiins' own
            limit ignores requests instead: Quirks.min_request_interval.)
        trickle: send the body in small chunks (64 bytes, at most 50 chunks) with this many
            seconds between them.
        size: pad the JSON body with trailing spaces to this many bytes (still valid JSON).
        redirect: answer a redirect to this origin ("http://host:port") instead: the status
            given in status if it is 3xx (else 302), an empty body and the header
            "Location: <redirect><the request's raw path and query>", so a client that follows
            it carries the query (BTC.com's access_key) and its headers to that origin.
        endless_pages: BTC.com /worker answers every page asked with page_count 1000,
            total_count 1000 * page_size and page_size rows of workers never listed before,
            "ghost-<page>-<i>" (i from 1, each with its own worker_id), mining and ACTIVE.
        hostile_numbers: every JSON number, and every string that holds a number (BTC.com's
            "22.880"), becomes 1e999999999999999999 (a literal, or that string); BTC.com's
            err_no and worker_id are kept; every object gets the extra field
            "x_tiny": 1e-999999999999999999999 (a literal).
        hostile_times: every time moves to the edge of the calendar: ISO times (F2Pool v1
            hashrate_history keys, payout times, worker last shares) become
            "9999-12-31T23:59:59-14:00" and "0001-01-01T00:00:00+14:00" in turn (so a
            hashrate_history keeps two keys), BTC.com "YYYY-MM-DD HH:MM:SS" times become
            "9999-12-31 23:59:59", and the unix times (last_share_time, last_share_at,
            timestamp, paid_time, created_at, payment_time, last_payment_time,
            first_share_time, mining_date, settle_date, and Braiins' last_share,
            requested_at_ts, resolved_at_ts, calculation_date) become 253402300800 and
            -62135596801 in turn (a string where the field was one).
        fresh_units: every unit field (BTC.com shares_unit, shares_15m_unit, shares_1d_unit,
            the unit of {size, unit}, the alert's hashrate_unit; Braiins hash_rate_unit) gets a
            unit never sent before: "X1", "X2", ..., counted per simulator.
        unknown_statuses: every worker status is one never sent before: BTC.com status and
            worker_status, Braiins state (and payout status) "ZOMBIE1", "ZOMBIE2", ...; F2Pool v2
            status 7, 8, ... (counted per simulator).
        times: apply to the next N requests only, then clear itself (None: until cleared).
    """

    status: int | None = None
    body: str | bytes | None = None
    content_type: str | None = None
    headers: Mapping[str, str] = field(default_factory=dict)
    hang: bool = False
    delay: float = 0.0
    malformed_json: bool = False
    truncated: bool = False
    drop_connection: bool = False
    err_no: int | None = None
    code: int | None = None
    msg: str | None = None
    data: object = NO_DATA
    remove_fields: tuple[str, ...] = ()
    type_drift: bool = False
    auth_failure: bool = False
    rate_limit: bool = False
    trickle: float = 0.0
    size: int | None = None
    redirect: str | None = None
    endless_pages: bool = False
    hostile_numbers: bool = False
    hostile_times: bool = False
    fresh_units: bool = False
    unknown_statuses: bool = False
    times: int | None = None


@dataclass(slots=True)
class Reply:
    """An answer before a fault shapes its bytes.

    Attributes:
        status: the HTTP status.
        payload: the JSON value to send (ignored when text is set).
        text: a plain-text body instead of JSON.
        content_type: the Content-Type.
        headers: extra headers.
        envelope: the payload is BTC.com's envelope; Fault.data replaces payload["data"].
    """

    status: int = 200
    payload: object = None
    text: str | None = None
    content_type: str = "application/json"
    headers: dict[str, str] = field(default_factory=dict)
    envelope: bool = False


# What an API answers to a request it ignores: no answer at all (see Simulator._handle).
IGNORED: Final = Reply(status=0)


def text_reply(status: int, text: str | None = None, **headers: str) -> Reply:
    """Return a plain-text answer, by default "404: Not Found" style."""
    if text is None:
        text = f"{status}: {HTTPStatus(status).phrase}"
    return Reply(status=status, text=text, content_type="text/plain", headers=dict(headers))


def status_reply(fault: Fault) -> Reply | None:
    """Return the answer a fault's status/body dictate on its own, or None."""
    if fault.body is not None:
        body = fault.body.decode() if isinstance(fault.body, bytes) else fault.body
        return Reply(status=fault.status or 200, text=body, content_type="application/json")
    if fault.status is not None and fault.status >= HTTPStatus.BAD_REQUEST:
        return text_reply(fault.status)
    return None


def redirect_reply(fault: Fault, raw_path: str) -> Reply | None:
    """Return the redirect a fault asks for, to its origin with the request's path, or None."""
    if fault.redirect is None:
        return None
    status = fault.status
    if status is None or not HTTPStatus.MULTIPLE_CHOICES <= status < HTTPStatus.BAD_REQUEST:
        status = REDIRECT_DEFAULT
    return Reply(
        status=status,
        text="",
        content_type="text/plain",
        headers={"Location": fault.redirect + raw_path},
    )


def _without(value: object, fields: frozenset[str]) -> object:
    if isinstance(value, dict):
        return {key: _without(item, fields) for key, item in value.items() if key not in fields}
    if isinstance(value, list):
        return [_without(item, fields) for item in value]
    return value


def _drift(value: object) -> object:
    if isinstance(value, dict):
        return {key: _drift(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_drift(item) for item in value]
    if isinstance(value, str):
        literal = unraw(value)
        if literal is None:
            return value
        return "-" if float(literal) == 0 else literal
    if isinstance(value, bool) or not isinstance(value, int | float):
        return value
    return "-" if value == 0 else str(value)


def body_bytes(reply: Reply, fault: Fault | None, serials: Serials) -> bytes:
    """Return the body of a reply, shaped by a fault's payload changes."""
    if reply.text is not None:
        return reply.text.encode()
    payload = reply.payload
    if fault is not None:
        if fault.data is not NO_DATA:
            if reply.envelope and isinstance(payload, dict):
                payload = {**payload, "data": fault.data}
            else:
                payload = fault.data
        if fault.remove_fields:
            payload = _without(payload, frozenset(fault.remove_fields))
        if fault.type_drift:
            payload = _drift(payload)
        if fault.hostile_times:
            payload = hostile.times(payload)
        if fault.fresh_units:
            payload = hostile.units(payload, serials)
        if fault.unknown_statuses:
            payload = hostile.statuses(payload, serials)
        if fault.hostile_numbers:
            payload = hostile.numbers(payload)
    body = dumps(payload)
    if fault is not None and fault.size is not None and fault.size > len(body):
        body += b" " * (fault.size - len(body))
    return body


def damage(body: bytes, fault: Fault | None) -> bytes:
    """Break a body as the fault says: malformed JSON, or cut in half."""
    if fault is None:
        return body
    if fault.malformed_json:
        stripped = body.rstrip()
        closing = stripped[-1:]
        body = stripped[:-1] + b"," + closing if closing in {b"}", b"]"} else stripped + b"}"
    if fault.truncated:
        body = body[: len(body) // 2]
    return body


async def write(
    request: web.BaseRequest, reply: Reply, fault: Fault | None, serials: Serials
) -> web.StreamResponse:
    """Send a reply, with a fault's headers, status, trickling or dropped connection."""
    body = damage(body_bytes(reply, fault, serials), fault)
    headers = dict(reply.headers)
    content_type = reply.content_type
    status = reply.status
    if fault is not None:
        headers.update(fault.headers)
        content_type = fault.content_type or content_type
        if fault.redirect is None:
            status = fault.status or status
    if fault is None or not (fault.trickle or fault.drop_connection):
        response = web.Response(status=status, body=body, headers=headers)
        response.content_type = content_type
        return response
    stream = web.StreamResponse(status=status, headers=headers)
    stream.content_type = content_type
    stream.content_length = len(body)
    await stream.prepare(request)
    if fault.drop_connection:
        await stream.write(body[: len(body) // 2])
        drop(request)
        return stream
    size = max(TRICKLE_CHUNK, math.ceil(len(body) / TRICKLE_MAX_CHUNKS))
    with contextlib.suppress(ConnectionError):
        for start in range(0, len(body), size):
            if start:
                await asyncio.sleep(fault.trickle)
            await stream.write(body[start : start + size])
        await stream.write_eof()
    return stream


def drop(request: web.BaseRequest) -> None:
    """Reset the connection of a request."""
    transport = request.transport
    if transport is not None:
        transport.abort()
