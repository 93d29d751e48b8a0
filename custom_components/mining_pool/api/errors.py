"""The errors of the pool client library: the only exceptions its public calls raise.

Messages are written for people and never contain a URL, an access key, a puid or a token:
the library builds its own messages instead of wrapping aiohttp's, whose text carries the
full request URL (and so the BTC.com access key).
"""

from __future__ import annotations


class MiningPoolError(Exception):
    """Base of every error the library raises."""


class InvalidInputError(MiningPoolError, ValueError):
    """A value given to the library (currency, account, key, host) is malformed.

    Raised before any request is made.
    """

    def __init__(self, field: str, message: str) -> None:
        """Name the field at fault, so that a form can show the error beside it."""
        super().__init__(message)
        self.field = field


class AuthenticationError(MiningPoolError):
    """The pool refused the credentials (access key, puid, token).

    ``definite`` is true where the pool said so in its own words (BTC.com's ``err_no``, F2Pool
    v2's ``code``); a bare HTTP 401 or 403 may also come from a proxy, a CDN or a firewall page
    that is gone at the next try, so callers may wait for it to repeat.
    """

    def __init__(self, message: str, *, definite: bool = True) -> None:
        """Say whether the pool itself named the credentials as wrong."""
        super().__init__(message)
        self.definite = definite


class AccountNotFoundError(MiningPoolError):
    """The pool does not know this account, address or currency."""


class RateLimitedError(MiningPoolError):
    """The pool asks the client to slow down (or has blacklisted it for a while)."""

    def __init__(self, message: str, retry_after: float | None = None) -> None:
        """Keep the delay the pool asked for, in seconds, where it gave one."""
        super().__init__(message)
        self.retry_after = retry_after


class CannotConnectError(MiningPoolError):
    """The pool could not be reached or did not complete the request.

    Covers DNS failures, refused and reset connections, timeouts and HTTP 5xx answers.
    """


class RedirectError(CannotConnectError):
    """The pool answered with a redirect, which the library never follows.

    Following it would send the credentials to wherever the answer points. ``location`` is the
    new origin only (scheme, host and port), never its path or query, so that it can be shown to
    the user, who may enter it as the pool's new address.
    """

    def __init__(self, message: str, location: str) -> None:
        """Keep the origin the pool pointed to."""
        super().__init__(message)
        self.location = location


class InvalidResponseError(MiningPoolError):
    """The pool answered with something the library cannot read.

    Not JSON, JSON of an unexpected shape, or an error code of an unknown kind.
    """


class AnswerTooLargeError(InvalidResponseError):
    """The pool's answer was larger than the library reads for that request."""
