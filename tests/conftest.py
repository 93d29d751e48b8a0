"""Shared fixtures: Home Assistant loads the integration from this repository.

The integration is imported here, before any test starts Home Assistant, so that the name
``custom_components`` is this repository's package and not the test harness's own folder.
"""

from __future__ import annotations

import pytest

from custom_components.mining_pool.const import DOMAIN

assert DOMAIN == "mining_pool"


@pytest.fixture(autouse=True)
def auto_enable_custom_integrations(enable_custom_integrations: None) -> None:
    """Let every test load custom_components/mining_pool."""
