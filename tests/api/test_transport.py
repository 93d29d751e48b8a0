"""The transport with aioresponses: failures a loopback server cannot produce on demand.

Every exception aiohttp can raise, a connection that drops in the middle of a body, redirects
(which the library never follows), bare HTTP 401 and 403 pages and hostile ``Retry-After``
headers, for each of the three clients. The aiohttp exceptions are built with the request URL,
the access key, the puid and the token in their text, as aiohttp's own are: none of it may reach
the library's error.
"""

from __future__ import annotations

import errno
import inspect
import math
import re
import socket
import ssl
import traceback
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

import aiohttp
import pytest
from aiohttp import client_exceptions
from aioresponses import aioresponses
from multidict import CIMultiDict, CIMultiDictProxy
from yarl import URL

from custom_components.mining_pool.api import (
    AuthenticationError,
    BtcComClient,
    CannotConnectError,
    F2PoolV1Client,
    F2PoolV2Client,
    InvalidResponseError,
    MiningPoolError,
    RateLimitedError,
    RedirectError,
    errors,
)
from custom_components.mining_pool.api import __all__ as exported

from .conftest import fixture_bytes

ACCESS_KEY = "ak-Secret-7f3e9d"
PUID = 7734215
TOKEN = "tok-Secret-91bc4a"
SECRETS = (ACCESS_KEY, str(PUID), TOKEN)
BTCCOM_ORIGIN = "https://pool.example.test"
F2POOL_ORIGIN = "https://api.example.test"
EVIL_LOCATION = "https://evil.example.test:8443/steal?x=1"
EVIL_ORIGIN = "https://evil.example.test:8443"
# What a URL in an error's text would show: a scheme, a configured path, a query.
URL_FRAGMENTS = (
    "://",
    "example.test/",
    "/v1",
    "/v2",
    "earn-stats",
    "account/info",
    "hash_rate",
    "assets/balance",
    "bitcoin/alice",
    "access_key",
    "puid=",
    "steal",
    "x=1",
)
REDIRECT_STATUSES = (301, 302, 303, 307, 308)
HTML = "<html><head><title>403 Forbidden</title></head><body>nginx</body></html>"
HOSTILE_RETRY_AFTER = (
    "²",
    "١٢٠",
    "9" * 400,
    "Wed, 31 Dec 9999 23:59:59 GMT",
    "-5",
    "nan",
)


@dataclass(frozen=True)
class Call:
    """One read of one client: the request it makes and a fixture answer it accepts."""

    name: str
    method: str
    origin: str
    url: re.Pattern[str]
    read: Callable[[aiohttp.ClientSession], Awaitable[object]]
    good_body: bytes

    @property
    def leak(self) -> str:
        """The request as aiohttp's exceptions would quote it, secrets included."""
        return (
            f"{self.method} {self.origin}/v1/x?access_key={ACCESS_KEY}&puid={PUID} "
            f"F2P-API-SECRET: {TOKEN}"
        )


def btccom_client(session: aiohttp.ClientSession) -> BtcComClient:
    return BtcComClient(session, access_key=ACCESS_KEY, puid=PUID, endpoint="pool.example.test")


def v1_client(session: aiohttp.ClientSession) -> F2PoolV1Client:
    return F2PoolV1Client(
        session, currency="bitcoin", account="alice", token=TOKEN, base_url=F2POOL_ORIGIN
    )


def v2_client(session: aiohttp.ClientSession) -> F2PoolV2Client:
    return F2PoolV2Client(
        session, currency="litecoin", account="bob", token=TOKEN, base_url=F2POOL_ORIGIN
    )


async def btccom_account_info(session: aiohttp.ClientSession) -> object:
    return await btccom_client(session).account_info()


async def btccom_earn_stats(session: aiohttp.ClientSession) -> object:
    return await btccom_client(session).earn_stats()


async def v1_account_data(session: aiohttp.ClientSession) -> object:
    return await v1_client(session).account_data()


async def v2_balance(session: aiohttp.ClientSession) -> object:
    return await v2_client(session).balance()


async def v2_hashrate(session: aiohttp.ClientSession) -> object:
    return await v2_client(session).hashrate()


CALLS = (
    Call(
        "btccom.account_info",
        "GET",
        BTCCOM_ORIGIN,
        re.compile(r"^https://pool\.example\.test/v1/account/info\?"),
        btccom_account_info,
        fixture_bytes("btccom", "account_info"),
    ),
    Call(
        "btccom.earn_stats",
        "GET",
        BTCCOM_ORIGIN,
        re.compile(r"^https://pool\.example\.test/v1/account/earn-stats\?"),
        btccom_earn_stats,
        fixture_bytes("btccom", "earn_stats"),
    ),
    Call(
        "f2pool_v1.account_data",
        "GET",
        F2POOL_ORIGIN,
        re.compile(r"^https://api\.example\.test/bitcoin/alice$"),
        v1_account_data,
        fixture_bytes("f2pool_v1", "account_real"),
    ),
    Call(
        "f2pool_v2.balance",
        "POST",
        F2POOL_ORIGIN,
        re.compile(r"^https://api\.example\.test/v2/assets/balance$"),
        v2_balance,
        fixture_bytes("f2pool_v2", "balance"),
    ),
    Call(
        "f2pool_v2.hashrate",
        "POST",
        F2POOL_ORIGIN,
        re.compile(r"^https://api\.example\.test/v2/hash_rate/info$"),
        v2_hashrate,
        fixture_bytes("f2pool_v2", "hash_rate_info"),
    ),
)
CALL_IDS = [call.name for call in CALLS]
# One read per client, where a test needs no more.
ONE_PER_CLIENT = (CALLS[1], CALLS[2], CALLS[4])
ONE_PER_CLIENT_IDS = [call.name for call in ONE_PER_CLIENT]


# --- aiohttp's exceptions, built as aiohttp builds them, with the secrets in their text ---------

LEAK = f"GET {BTCCOM_ORIGIN}/v1/worker?access_key={ACCESS_KEY}&puid={PUID} token={TOKEN}"
LEAK_URL = f"{BTCCOM_ORIGIN}/v1/worker?access_key={ACCESS_KEY}&puid={PUID}&token={TOKEN}"


def connection_key() -> Any:
    """The ConnectionKey of aiohttp, with whatever fields this version gives it."""
    values = {
        "host": "pool.example.test",
        "port": 443,
        "is_ssl": True,
        "ssl": True,
        "proxy": None,
        "proxy_auth": None,
        "proxy_headers_hash": None,
        "server_hostname": None,
    }
    key_type = aiohttp.client_reqrep.ConnectionKey
    return key_type(**{field: values[field] for field in key_type._fields})


def request_info() -> aiohttp.RequestInfo:
    headers = CIMultiDictProxy(CIMultiDict({"F2P-API-SECRET": TOKEN}))
    return aiohttp.RequestInfo(URL(LEAK_URL), "GET", headers, URL(LEAK_URL))


def response_error(kind: type[aiohttp.ClientResponseError]) -> Callable[[], BaseException]:
    def build() -> BaseException:
        return kind(
            request_info(),
            (),
            status=400,
            message=LEAK,
            headers=CIMultiDict({"Location": LEAK_URL}),
        )

    return build


def connector_error(kind: type[aiohttp.ClientConnectorError]) -> Callable[[], BaseException]:
    def build() -> BaseException:
        return kind(connection_key(), OSError(errno.ECONNREFUSED, LEAK))

    return build


# Whether the error must say "cannot connect", or may also say "invalid response".
CONNECT = "connect"
EITHER = "either"
_FACTORIES: dict[str, tuple[Callable[[], BaseException], str]] = {
    "ClientError": (lambda: aiohttp.ClientError(LEAK), EITHER),
    "ClientConnectionError": (lambda: aiohttp.ClientConnectionError(LEAK), CONNECT),
    "ClientConnectionResetError": (
        lambda: client_exceptions.ClientConnectionResetError(errno.ECONNRESET, LEAK),
        CONNECT,
    ),
    "ClientOSError": (lambda: aiohttp.ClientOSError(errno.ECONNRESET, LEAK), CONNECT),
    "ClientConnectorError": (connector_error(aiohttp.ClientConnectorError), CONNECT),
    "ClientConnectorDNSError": (
        lambda: client_exceptions.ClientConnectorDNSError(
            connection_key(), OSError(socket.EAI_NONAME, LEAK)
        ),
        CONNECT,
    ),
    "ClientProxyConnectionError": (connector_error(aiohttp.ClientProxyConnectionError), CONNECT),
    "UnixClientConnectorError": (
        lambda: client_exceptions.UnixClientConnectorError(
            LEAK, connection_key(), OSError(errno.ENOENT, LEAK)
        ),
        CONNECT,
    ),
    "ClientSSLError": (connector_error(aiohttp.ClientSSLError), CONNECT),
    "ClientConnectorSSLError": (
        lambda: aiohttp.ClientConnectorSSLError(connection_key(), ssl.SSLError(1, LEAK)),
        CONNECT,
    ),
    "ClientConnectorCertificateError": (
        lambda: aiohttp.ClientConnectorCertificateError(
            connection_key(), ssl.SSLCertVerificationError(1, LEAK)
        ),
        CONNECT,
    ),
    "ServerConnectionError": (lambda: aiohttp.ServerConnectionError(LEAK), CONNECT),
    "ServerDisconnectedError": (lambda: aiohttp.ServerDisconnectedError(LEAK), CONNECT),
    "ServerTimeoutError": (lambda: aiohttp.ServerTimeoutError(LEAK), CONNECT),
    "ConnectionTimeoutError": (
        lambda: client_exceptions.ConnectionTimeoutError(LEAK),
        CONNECT,
    ),
    "SocketTimeoutError": (lambda: client_exceptions.SocketTimeoutError(LEAK), CONNECT),
    "ServerFingerprintMismatch": (
        lambda: aiohttp.ServerFingerprintMismatch(
            ACCESS_KEY.encode(), TOKEN.encode(), "pool.example.test", PUID
        ),
        CONNECT,
    ),
    "ClientPayloadError": (lambda: aiohttp.ClientPayloadError(LEAK), EITHER),
    "ClientResponseError": (response_error(aiohttp.ClientResponseError), EITHER),
    "ContentTypeError": (response_error(aiohttp.ContentTypeError), EITHER),
    "WSServerHandshakeError": (response_error(aiohttp.WSServerHandshakeError), EITHER),
    "ClientHttpProxyError": (response_error(aiohttp.ClientHttpProxyError), EITHER),
    "TooManyRedirects": (response_error(aiohttp.TooManyRedirects), EITHER),
    "InvalidURL": (lambda: aiohttp.InvalidURL(LEAK_URL, LEAK), EITHER),
    "InvalidUrlClientError": (
        lambda: client_exceptions.InvalidUrlClientError(LEAK_URL, LEAK),
        EITHER,
    ),
    "InvalidUrlRedirectClientError": (
        lambda: client_exceptions.InvalidUrlRedirectClientError(LEAK_URL, LEAK),
        EITHER,
    ),
    "RedirectClientError": (lambda: client_exceptions.RedirectClientError(LEAK), EITHER),
    "NonHttpUrlClientError": (
        lambda: client_exceptions.NonHttpUrlClientError(LEAK_URL),
        EITHER,
    ),
    "NonHttpUrlRedirectClientError": (
        lambda: client_exceptions.NonHttpUrlRedirectClientError(LEAK_URL),
        EITHER,
    ),
    # aiohttp 3.14 and later.
    "UploadAbortedError": (
        lambda: client_exceptions.UploadAbortedError(LEAK),  # type: ignore[attr-defined]
        EITHER,
    ),
    # Not aiohttp's, but a request raises them too.
    "asyncio.TimeoutError": (lambda: TimeoutError(LEAK), CONNECT),
    "OSError": (lambda: OSError(errno.ENETUNREACH, LEAK), CONNECT),
    "ConnectionResetError": (lambda: ConnectionResetError(errno.ECONNRESET, LEAK), CONNECT),
}
NOT_AIOHTTP = {"asyncio.TimeoutError", "OSError", "ConnectionResetError"}
# Only the classes this version of aiohttp has.
EXCEPTIONS = {
    name: entry
    for name, entry in _FACTORIES.items()
    if name in NOT_AIOHTTP or getattr(client_exceptions, name, None) is not None
}


def aiohttp_client_errors() -> set[str]:
    """Every ClientError class aiohttp defines, found by walking the class tree."""
    found: set[str] = set()
    pending: list[type] = [aiohttp.ClientError]
    while pending:
        kind = pending.pop()
        if kind.__module__.startswith("aiohttp") and kind.__name__ not in found:
            found.add(kind.__name__)
            pending.extend(kind.__subclasses__())
    return found


# --- fixtures and checks ------------------------------------------------------------------------


class MockedResponse(aiohttp.ClientResponse):
    """A response aioresponses can build on aiohttp 3.14 too.

    aioresponses 0.7.9 does not pass the ``stream_writer`` that aiohttp 3.14 requires
    (pnuckowski/aioresponses#289); the request was sent in full, so only its size is read.
    """

    def __init__(self, method: str, url: URL, **kwargs: Any) -> None:
        """Add the argument aiohttp 3.14 requires where this version has it."""
        if "stream_writer" in inspect.signature(aiohttp.ClientResponse.__init__).parameters:
            kwargs.setdefault("stream_writer", SimpleNamespace(output_size=0))
        super().__init__(method, url, **kwargs)


def answer(mocked: aioresponses, url: re.Pattern[str], **kwargs: Any) -> None:
    """Register an answer, built with a response class this aiohttp accepts."""
    kwargs.setdefault("response_class", MockedResponse)
    mocked.add(url, **kwargs)


@pytest.fixture
def mocked() -> Iterator[aioresponses]:
    with aioresponses() as mock:
        yield mock


@pytest.fixture
async def session() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as client_session:
        yield client_session


def assert_clean(error: BaseException, *, allowed: tuple[str, ...] = ()) -> None:
    """No secret and no URL in the error's text, args or attributes; nothing chained.

    ``allowed`` names URL fragments the error may show (a redirect's new origin).
    """
    texts = [str(error), repr(error), *(repr(arg) for arg in error.args)]
    for text in texts:
        for secret in SECRETS:
            assert secret not in text, text
        for fragment in URL_FRAGMENTS:
            if fragment not in allowed:
                assert fragment not in text, text
    attributes = [repr(value) for value in vars(error).values()]
    for text in [*attributes, "".join(traceback.format_exception(error))]:
        for secret in SECRETS:
            assert secret not in text, text
    assert error.__cause__ is None
    assert error.__context__ is None


def requests_made(mocked: aioresponses) -> list[tuple[str, URL]]:
    """Every request the client made, in the order aioresponses recorded them."""
    return [(method, url) for (method, url), calls in mocked.requests.items() for _ in calls]


def assert_one_request(mocked: aioresponses, call: Call) -> None:
    made = requests_made(mocked)
    assert len(made) == 1, made
    ((method, url),) = made
    assert method == call.method
    assert str(url.origin()) == call.origin
    assert call.url.match(str(url))


def catch_elsewhere(mocked: aioresponses, call: Call) -> list[str]:
    """Answer any request to another origin with a good answer, and note that it was made."""
    followed: list[str] = []

    def note(url: URL, **_: Any) -> None:
        followed.append(str(url))

    elsewhere = re.compile(rf"^(?!{re.escape(call.origin)}/)")
    for method in ("GET", "POST"):
        answer(mocked, elsewhere, method=method, body=call.good_body, repeat=True, callback=note)
    return followed


async def read_failing(call: Call, session: aiohttp.ClientSession) -> MiningPoolError:
    with pytest.raises(MiningPoolError) as caught:
        await call.read(session)
    return caught.value


# --- the tests ----------------------------------------------------------------------------------


@pytest.mark.parametrize("call", CALLS, ids=CALL_IDS)
async def test_mocks_reach_the_reader(
    mocked: aioresponses, session: aiohttp.ClientSession, call: Call
) -> None:
    """The mocks are wired: a good answer is read, so the failures below are the library's."""
    answer(mocked, call.url, method=call.method, body=call.good_body)
    result = await call.read(session)
    assert_one_request(mocked, call)
    value = getattr(result, "user_name", None) or getattr(result, "balance", None)
    if call.name == "f2pool_v1.account_data":
        value = result.earnings.balance  # type: ignore[attr-defined]
    if call.name == "f2pool_v2.hashrate":
        value = result.current  # type: ignore[attr-defined]
    # The fixtures' own values: user_name, unpaid (satoshi), balance, balance_info, info.hash_rate.
    expected = {
        "btccom.account_info": "spica",
        "btccom.earn_stats": Decimal("0.03127419"),
        "f2pool_v1.account_data": Decimal("0.00512345678901234567"),
        "f2pool_v2.balance": Decimal("0.01234567"),
        "f2pool_v2.hashrate": 1.2e15,
    }
    assert value == expected[call.name]


def test_every_aiohttp_client_error_is_tried() -> None:
    assert aiohttp_client_errors() <= set(EXCEPTIONS)


def test_redirect_error_is_exported() -> None:
    assert errors.RedirectError is RedirectError
    assert "RedirectError" in exported
    assert issubclass(RedirectError, CannotConnectError)


@pytest.mark.parametrize("exception", list(EXCEPTIONS))
@pytest.mark.parametrize("call", CALLS, ids=CALL_IDS)
async def test_request_exception(
    mocked: aioresponses, session: aiohttp.ClientSession, call: Call, exception: str
) -> None:
    build, kind = EXCEPTIONS[exception]
    raised = build()
    assert any(secret in str(raised) for secret in SECRETS), "the exception must carry a secret"
    answer(mocked, call.url, method=call.method, exception=raised)
    error = await read_failing(call, session)
    if kind == CONNECT:
        assert isinstance(error, CannotConnectError), repr(error)
    else:
        assert isinstance(error, (CannotConnectError, InvalidResponseError)), repr(error)
    assert not isinstance(error, RedirectError)
    assert_clean(error)
    assert_one_request(mocked, call)


def _dropping_reader(failure: BaseException) -> type[aiohttp.StreamReader]:
    class DroppingReader(aiohttp.StreamReader):
        """A body whose connection drops after the bytes already received."""

        def feed_eof(self) -> None:
            self.set_exception(failure)

    return DroppingReader


def dropped_response(failure: BaseException) -> type[aiohttp.ClientResponse]:
    """A response class whose body stops with ``failure`` instead of its end."""
    reader_type = _dropping_reader(failure)

    class DroppedResponse(MockedResponse):
        """aioresponses sets ``content`` once; the setter swaps in a dropping reader."""

        _dropping: aiohttp.StreamReader

        @property  # type: ignore[override]
        def content(self) -> aiohttp.StreamReader:
            return self._dropping

        @content.setter
        def content(self, reader: aiohttp.StreamReader) -> None:
            self._dropping = reader_type(reader._protocol, 2**16, loop=reader._loop)

    return DroppedResponse


MID_BODY = {
    "ClientPayloadError": lambda: aiohttp.ClientPayloadError(
        f"Response payload is not completed: {LEAK}"
    ),
    "ServerDisconnectedError": lambda: aiohttp.ServerDisconnectedError(LEAK),
    "ClientConnectionResetError": lambda: client_exceptions.ClientConnectionResetError(
        errno.ECONNRESET, LEAK
    ),
    "SocketTimeoutError": lambda: client_exceptions.SocketTimeoutError(LEAK),
    "asyncio.TimeoutError": lambda: TimeoutError(LEAK),
    "ConnectionResetError": lambda: ConnectionResetError(errno.ECONNRESET, LEAK),
}


@pytest.mark.parametrize("failure", list(MID_BODY))
@pytest.mark.parametrize("call", ONE_PER_CLIENT, ids=ONE_PER_CLIENT_IDS)
async def test_connection_drops_mid_body(
    mocked: aioresponses, session: aiohttp.ClientSession, call: Call, failure: str
) -> None:
    whole = call.good_body
    answer(
        mocked,
        call.url,
        method=call.method,
        body=whole[: len(whole) // 2],
        response_class=dropped_response(MID_BODY[failure]()),
    )
    error = await read_failing(call, session)
    assert isinstance(error, CannotConnectError), repr(error)
    assert not isinstance(error, RedirectError)
    assert_clean(error)
    assert_one_request(mocked, call)


def downgrade_of(call: Call) -> tuple[str, str]:
    """A redirect from https to http on the same host: the Location and its origin."""
    origin = call.origin.replace("https://", "http://")
    return f"{origin}/v1/account/earn-stats?access_key={ACCESS_KEY}&puid={PUID}", origin


@pytest.mark.parametrize("target", ["evil", "evil-with-secrets", "downgrade"])
@pytest.mark.parametrize("status", REDIRECT_STATUSES)
@pytest.mark.parametrize("call", CALLS, ids=CALL_IDS)
async def test_redirects_are_not_followed(
    mocked: aioresponses,
    session: aiohttp.ClientSession,
    call: Call,
    status: int,
    target: str,
) -> None:
    if target == "evil":
        location, origin = EVIL_LOCATION, EVIL_ORIGIN
    elif target == "evil-with-secrets":
        location = f"{EVIL_ORIGIN}/steal?x=1&access_key={ACCESS_KEY}&puid={PUID}&t={TOKEN}"
        origin = EVIL_ORIGIN
    else:
        location, origin = downgrade_of(call)
    followed = catch_elsewhere(mocked, call)
    answer(mocked, call.url, method=call.method, status=status, headers={"Location": location})
    with pytest.raises(RedirectError) as caught:
        await call.read(session)
    error = caught.value
    assert followed == []
    assert_one_request(mocked, call)
    assert isinstance(error, CannotConnectError)
    assert error.location == origin
    host = URL(origin).host
    assert host is not None
    assert host in str(error)
    assert "steal" not in str(error)
    assert "x=1" not in str(error)
    assert "?" not in str(error)
    assert_clean(error, allowed=("://",))


@pytest.mark.parametrize("status", REDIRECT_STATUSES)
@pytest.mark.parametrize("call", ONE_PER_CLIENT, ids=ONE_PER_CLIENT_IDS)
async def test_redirect_without_location(
    mocked: aioresponses, session: aiohttp.ClientSession, call: Call, status: int
) -> None:
    followed = catch_elsewhere(mocked, call)
    answer(mocked, call.url, method=call.method, status=status, body="Moved")
    error = await read_failing(call, session)
    assert type(error) is InvalidResponseError
    assert followed == []
    assert_one_request(mocked, call)
    assert_clean(error)


@pytest.mark.parametrize("status", [401, 403])
@pytest.mark.parametrize("call", ONE_PER_CLIENT, ids=ONE_PER_CLIENT_IDS)
async def test_bare_http_refusal_is_not_definite(
    mocked: aioresponses, session: aiohttp.ClientSession, call: Call, status: int
) -> None:
    answer(mocked, call.url, method=call.method, status=status, body=HTML, content_type="text/html")
    with pytest.raises(AuthenticationError) as caught:
        await call.read(session)
    assert caught.value.definite is False
    assert str(status) in str(caught.value)
    assert_clean(caught.value)
    assert_one_request(mocked, call)


@pytest.mark.parametrize(
    ("call", "body"),
    [
        (CALLS[0], fixture_bytes("btccom", "error_permission_denied")),
        (CALLS[1], fixture_bytes("btccom", "error_permission_denied")),
        (CALLS[1], fixture_bytes("btccom", "error_watcher")),
        (CALLS[3], fixture_bytes("f2pool_v2", "error_permission_denied")),
        (CALLS[4], fixture_bytes("f2pool_v2", "error_permission_denied")),
    ],
    ids=["btccom-info-20001", "btccom-stats-20001", "btccom-20002", "v2-balance", "v2-hashrate"],
)
async def test_pool_own_refusal_is_definite(
    mocked: aioresponses, session: aiohttp.ClientSession, call: Call, body: bytes
) -> None:
    answer(mocked, call.url, method=call.method, body=body)
    with pytest.raises(AuthenticationError) as caught:
        await call.read(session)
    assert caught.value.definite is True
    assert_clean(caught.value)
    assert_one_request(mocked, call)


def assert_delay(delay: object) -> None:
    assert delay is None or (isinstance(delay, float) and math.isfinite(delay) and delay >= 0), (
        delay
    )


@pytest.mark.parametrize(
    "value", HOSTILE_RETRY_AFTER, ids=["super2", "arabic", "huge", "y9999", "neg", "nan"]
)
@pytest.mark.parametrize("call", ONE_PER_CLIENT, ids=ONE_PER_CLIENT_IDS)
async def test_hostile_retry_after(
    mocked: aioresponses, session: aiohttp.ClientSession, call: Call, value: str
) -> None:
    answer(
        mocked,
        call.url,
        method=call.method,
        status=429,
        body="slow down",
        headers={"Retry-After": value},
    )
    with pytest.raises(RateLimitedError) as caught:
        await call.read(session)
    assert_delay(caught.value.retry_after)
    assert_clean(caught.value)


@pytest.mark.parametrize(
    "value", HOSTILE_RETRY_AFTER, ids=["super2", "arabic", "huge", "y9999", "neg", "nan"]
)
async def test_hostile_retry_after_on_f2pool_v1_503(
    mocked: aioresponses, session: aiohttp.ClientSession, value: str
) -> None:
    call = CALLS[2]
    answer(
        mocked,
        call.url,
        method=call.method,
        status=503,
        body="503: GateWay Timeout",
        headers={"Retry-After": value},
    )
    with pytest.raises(RateLimitedError) as caught:
        await call.read(session)
    assert_delay(caught.value.retry_after)


@pytest.mark.parametrize("call", ONE_PER_CLIENT, ids=ONE_PER_CLIENT_IDS)
async def test_plain_retry_after_is_kept(
    mocked: aioresponses, session: aiohttp.ClientSession, call: Call
) -> None:
    answer(
        mocked, call.url, method=call.method, status=429, body="", headers={"Retry-After": " 120 "}
    )
    with pytest.raises(RateLimitedError) as caught:
        await call.read(session)
    assert caught.value.retry_after == 120.0
