"""The end-to-end tests drive Home Assistant as a process of its own, never the test harness's.

They also run on the newest environment, which has no test harness (it would pin an older Home
Assistant): nothing here may need one of its fixtures.
"""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def auto_enable_custom_integrations() -> None:
    """Take the place of the shared fixture: the process loads the integration from its config."""
