"""The pools the integration reads, each described in its own module.

Adding a pool: a client in ``api/``, a module here with its ``PoolDescription`` and flow steps,
its line in ``POOLS``, a simulator module and its texts in ``translations/``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from .const import CONF_POOL
from .pool import PoolDescription, PoolFlow
from .pool_braiins import BRAIINS
from .pool_btccom import BTCCOM
from .pool_f2pool import F2POOL

POOLS: Final[dict[str, PoolDescription]] = {pool.key: pool for pool in (BTCCOM, F2POOL, BRAIINS)}


def pool_of(data: Mapping[str, Any]) -> PoolDescription:
    """The pool an entry's (or a flow's) data belongs to."""
    return POOLS[data[CONF_POOL]]


__all__ = ["POOLS", "PoolDescription", "PoolFlow", "pool_of"]
