"""Diagnostics: the settings and last data of an account, with every secret redacted."""

from __future__ import annotations

import json

import pytest
from homeassistant.core import HomeAssistant
from pytest_homeassistant_custom_component.components.diagnostics import (
    get_diagnostics_for_config_entry,
)
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator
from syrupy.assertion import SnapshotAssertion

from custom_components.mining_pool.pools import POOLS as REGISTRY
from simulator import Simulator

from .conftest import POOLS, SECRETS, make_entry, setup_entry


@pytest.mark.parametrize("pool", POOLS)
async def test_diagnostics(
    hass: HomeAssistant,
    hass_client: ClientSessionGenerator,
    simulator: Simulator,
    snapshot: SnapshotAssertion,
    pool: str,
) -> None:
    entry = make_entry(pool, simulator)
    await setup_entry(hass, entry)
    diagnostics = await get_diagnostics_for_config_entry(hass, hass_client, entry)
    text = json.dumps(diagnostics)
    for secret in (*SECRETS, "alice", "bob", "satoshi"):
        assert secret not in text
    for payout in [
        *simulator.world.btccom[7734215].payouts,
        *simulator.world.f2pool["litecoin", "bob"].payouts,
    ]:
        assert payout.address not in text
        assert payout.txid not in text
    settings = diagnostics["entry"]["data"]
    assert settings["pool"] in REGISTRY
    # The simulator's port changes from run to run.
    for key in ("custom_host", "base_url"):
        if key in settings:
            assert settings[key].startswith("http://127.0.0.1:")
            settings[key] = "http://127.0.0.1:<port>"
    assert diagnostics == snapshot
