"""What a user reads of an account's worker events: the entity's name, and its id kept."""

from __future__ import annotations

from homeassistant.const import STATE_UNKNOWN
from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er

from custom_components.mining_pool.const import DOMAIN, WORKER_STATUS_KEY
from simulator import Simulator

from .conftest import make_entry, setup_entry


async def test_worker_events_read_as_the_last_change(
    hass: HomeAssistant, simulator: Simulator
) -> None:
    """Before any worker changes, "Last status change: Unknown" says what is true."""
    await setup_entry(hass, make_entry("f2pool_v2", simulator))
    state = hass.states.get("event.f2pool_ltc_bob_last_status_change")
    assert state is not None
    assert state.state == STATE_UNKNOWN
    assert state.attributes["friendly_name"] == "F2Pool LTC bob Last status change"
    assert state.attributes["event_types"] == ["offline", "online"]


async def test_worker_events_keep_the_id_of_an_existing_install(
    hass: HomeAssistant, simulator: Simulator, entity_registry: er.EntityRegistry
) -> None:
    """An install from before the new name keeps its entity id, which automations use."""
    entry = make_entry("f2pool_v2", simulator)
    entry.add_to_hass(hass)
    entity_registry.async_get_or_create(
        "event",
        DOMAIN,
        f"{entry.unique_id}:{WORKER_STATUS_KEY}",
        suggested_object_id="f2pool_ltc_bob_worker_status",
        config_entry=entry,
    )
    await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    state = hass.states.get("event.f2pool_ltc_bob_worker_status")
    assert state is not None
    assert state.attributes["friendly_name"] == "F2Pool LTC bob Last status change"
    assert hass.states.get("event.f2pool_ltc_bob_last_status_change") is None
