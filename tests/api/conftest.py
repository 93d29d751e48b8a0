"""Helpers for the client library's tests: fixture files and recorded answers."""

from __future__ import annotations

from pathlib import Path

import pytest
from multidict import CIMultiDict, CIMultiDictProxy

from custom_components.mining_pool.api._http import Response

FIXTURES = Path(__file__).parent.parent / "fixtures"


def fixture_bytes(pool: str, name: str) -> bytes:
    """Return a fixture file, a response body as a pool sends it."""
    return (FIXTURES / pool / f"{name}.json").read_bytes()


def answer(body: bytes | str, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    """Build the library's view of an HTTP answer from a status, headers and body."""
    raw = body.encode() if isinstance(body, str) else body
    return Response(status, CIMultiDictProxy(CIMultiDict(headers or {})), raw)


@pytest.fixture(autouse=True)
def _loopback_sockets(socket_enabled: None) -> None:
    """Let the clients reach the simulator (pytest-socket still allows only 127.0.0.1)."""
