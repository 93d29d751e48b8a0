"""Faithful fake servers of the BTC.com, F2Pool (legacy v1 and v2) and Braiins Pool APIs.

Tests build a deterministic world, serve it over HTTP on 127.0.0.1, bend it with quirks and
faults, move its clock, and compare what a client parsed with the simulator's own truth::

    sim = Simulator(seed=1, clock=ManualClock(datetime(2026, 11, 1, tzinfo=UTC)))
    account = sim.add_f2pool_account(currency="bitcoin", account="alice")
    async with sim.running():
        ...  # GET f"{sim.f2pool_url}/bitcoin/alice"
"""

from .clock import Clock, ManualClock, RealClock
from .faults import Fault
from .quirks import HOSTILE_NAMES, HOSTILE_USER_NAME_SUFFIX, Quirks
from .server import Simulator
from .state import (
    AccountView,
    BraiinsAccount,
    BtcComAccount,
    Credit,
    F2PoolAccount,
    Payout,
    Worker,
    WorkerStats,
)

__all__ = [
    "HOSTILE_NAMES",
    "HOSTILE_USER_NAME_SUFFIX",
    "AccountView",
    "BraiinsAccount",
    "BtcComAccount",
    "Clock",
    "Credit",
    "F2PoolAccount",
    "Fault",
    "ManualClock",
    "Payout",
    "Quirks",
    "RealClock",
    "Simulator",
    "Worker",
    "WorkerStats",
]
