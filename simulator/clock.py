"""Clocks: a manual one for tests, the real one for the demo."""

from datetime import UTC, datetime, timedelta
from typing import Protocol


class Clock(Protocol):
    """Anything that tells the simulator what time it is (an aware UTC datetime)."""

    def now(self) -> datetime:
        """Return the current time."""
        ...


class RealClock:
    """The wall clock, in UTC."""

    def now(self) -> datetime:
        """Return the current time."""
        return datetime.now(UTC)


class ManualClock:
    """A clock that moves only when told to, so that tests are exact and repeatable."""

    def __init__(self, start: datetime) -> None:
        """Start the clock at an aware datetime."""
        if start.tzinfo is None:
            raise ValueError("the start time must be timezone-aware")
        self._now = start.astimezone(UTC)

    def now(self) -> datetime:
        """Return the current time."""
        return self._now

    def advance(self, delta: timedelta) -> datetime:
        """Move the clock forward by delta and return the new time."""
        if delta < timedelta(0):
            raise ValueError("a ManualClock only moves forward")
        self._now += delta
        return self._now
