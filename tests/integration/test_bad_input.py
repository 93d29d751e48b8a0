"""Bad input from a user or a server: clear errors, nothing lost, states within their types."""

from __future__ import annotations

import json
import math
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import unquote

import pytest
from freezegun.api import FrozenDateTimeFactory
from homeassistant.config_entries import SOURCE_USER
from homeassistant.const import STATE_UNAVAILABLE, STATE_UNKNOWN
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResult, FlowResultType, InvalidData
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from custom_components.mining_pool.const import (
    DOMAIN,
)
from custom_components.mining_pool.pool_btccom import (
    CONF_ACCESS_KEY,
    CONF_COIN,
    CONF_CUSTOM_HOST,
    CONF_ENDPOINT,
    CONF_PUID,
)
from custom_components.mining_pool.pool_f2pool import (
    CONF_ACCOUNT,
    CONF_API_VERSION,
    CONF_BASE_URL,
    CONF_CURRENCY,
    CONF_TOKEN,
)
from simulator import Fault, Simulator

from .conftest import ACCESS_KEY, PUID, TOKEN, coin_state, make_entry, setup_entry, tick


async def flow_to(hass: HomeAssistant, pool: str, first: dict[str, Any]) -> FlowResult:
    result = await hass.config_entries.flow.async_init(DOMAIN, context={"source": SOURCE_USER})
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"next_step_id": pool}
    )
    return await hass.config_entries.flow.async_configure(result["flow_id"], first)


@pytest.mark.parametrize(
    ("access_key", "puid", "field"),
    [
        ("has a space", str(PUID), CONF_ACCESS_KEY),
        ("k" * 300, str(PUID), CONF_ACCESS_KEY),
        ("key\nX-Injected: 1", str(PUID), CONF_ACCESS_KEY),
        (ACCESS_KEY, "12a", CONF_PUID),
        (ACCESS_KEY, "-5", CONF_PUID),
        (ACCESS_KEY, "", CONF_PUID),
    ],
)
async def test_btccom_malformed_then_valid(
    hass: HomeAssistant, simulator: Simulator, access_key: str, puid: str, field: str
) -> None:
    result = await flow_to(
        hass, "btccom", {CONF_ENDPOINT: "custom", CONF_ACCESS_KEY: access_key, CONF_PUID: puid}
    )
    custom = {CONF_CUSTOM_HOST: simulator.btccom_url, CONF_COIN: "BTC"}
    result = await hass.config_entries.flow.async_configure(result["flow_id"], custom)
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {field: "invalid_input"}
    assert simulator.request_counts.total() == 0
    # Corrected in the same flow, without a reload.
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"],
        {CONF_ENDPOINT: "custom", CONF_ACCESS_KEY: ACCESS_KEY, CONF_PUID: str(PUID)},
    )
    result = await hass.config_entries.flow.async_configure(result["flow_id"], custom)
    assert result["type"] is FlowResultType.CREATE_ENTRY


@pytest.mark.parametrize(
    ("account", "token", "field"),
    [
        ("x" * 10_000, TOKEN, CONF_ACCOUNT),
        ("bo\tb", TOKEN, CONF_ACCOUNT),
        ("   ", TOKEN, CONF_ACCOUNT),
        ("bob", "tok en", CONF_TOKEN),
        ("bob", "t" * 300, CONF_TOKEN),
    ],
)
async def test_f2pool_malformed_then_valid(
    hass: HomeAssistant, simulator: Simulator, account: str, token: str, field: str
) -> None:
    result = await flow_to(hass, "f2pool", {CONF_API_VERSION: "v2", CONF_CURRENCY: "litecoin"})
    advanced = {"advanced": {CONF_BASE_URL: simulator.f2pool_url}}
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_ACCOUNT: account, CONF_TOKEN: token, **advanced}
    )
    assert result["errors"] == {field: "invalid_input"}
    assert simulator.request_counts.total() == 0
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_ACCOUNT: "bob", CONF_TOKEN: TOKEN, **advanced}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY


async def test_unknown_currency_is_refused_on_its_field(hass: HomeAssistant) -> None:
    result = await hass.config_entries.flow.async_init(DOMAIN, context={"source": SOURCE_USER})
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"next_step_id": "f2pool"}
    )
    with pytest.raises(InvalidData) as caught:
        await hass.config_entries.flow.async_configure(
            result["flow_id"], {CONF_API_VERSION: "v2", CONF_CURRENCY: "dogecoin"}
        )
    assert CONF_CURRENCY in caught.value.schema_errors


@pytest.mark.parametrize(
    "name",
    ["a/b", "a?b=c", "a#b", "a%2Fb", "..", "with space", "矿工-01", "../v2/assets/balance"],
)
async def test_hostile_account_names_reach_only_their_account(
    hass: HomeAssistant, simulator: Simulator, name: str
) -> None:
    truth = simulator.add_f2pool_account(currency="bitcoin", account=name, workers=2)
    result = await flow_to(hass, "f2pool", {CONF_API_VERSION: "v1", CONF_CURRENCY: "bitcoin"})
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"],
        {CONF_ACCOUNT: name, "advanced": {CONF_BASE_URL: simulator.f2pool_url}},
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    await hass.async_block_till_done()
    assert simulator.requested_paths
    for path in simulator.requested_paths:
        segments = path.split("?")[0].split("/")
        assert segments[:2] == ["", "bitcoin"]
        assert len(segments) == 3
        assert unquote(segments[2]) == name
    assert simulator.request_counts["f2pool_v1:unknown"] == 0
    balance = [
        state for state in hass.states.async_all("sensor") if state.entity_id.endswith("_balance")
    ]
    assert len(balance) == 1
    assert balance[0].state == coin_state(truth.balance)


SCALAR = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.sampled_from(["-", "", "1e400", "NaN", "0", "12.5", "2024-05-01T10:00:00Z", "x"])
)
JSON = st.recursive(
    SCALAR,
    lambda inner: st.lists(inner, max_size=3)
    | st.dictionaries(st.text(max_size=6), inner, max_size=3),
    max_leaves=8,
)
WORKER_ROW = st.lists(SCALAR, max_size=11).map(lambda row: ["worker-1", *row[1:]])
ACCOUNT_DOCUMENT = st.fixed_dictionaries(
    {},
    optional=dict.fromkeys(
        (
            "balance",
            "paid",
            "value",
            "value_last_day",
            "value_today",
            "hashrate",
            "hashes_last_day",
            "hashes_last_hour",
            "stale_hashes_rejected_last_day",
            "stale_hashes_rejected_last_hour",
            "worker_length",
            "worker_length_online",
        ),
        SCALAR,
    )
    | {
        "workers": st.lists(WORKER_ROW, max_size=3) | JSON,
        "payout_history": st.lists(st.lists(SCALAR, max_size=3), max_size=2) | JSON,
        "hashrate_history": st.dictionaries(SCALAR.map(str), SCALAR, max_size=2) | JSON,
    },
)


def assert_within_type(hass: HomeAssistant, units: dict[str, str | None]) -> None:
    """Every state is unavailable, unknown, or a value of the entity's kind in its unit."""
    for state in hass.states.async_all():
        if not state.entity_id.startswith(("sensor.", "binary_sensor.")):
            continue
        if state.entity_id in units:
            # The unit never changes between polls.
            assert state.attributes.get("unit_of_measurement") == units[state.entity_id]
        if state.state in (STATE_UNAVAILABLE, STATE_UNKNOWN):
            continue
        if state.entity_id.startswith("binary_sensor."):
            assert state.state in ("on", "off")
        elif state.attributes.get("device_class") == "timestamp":
            assert datetime.fromisoformat(state.state).tzinfo is not None
        else:
            assert math.isfinite(float(state.state))


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(document=ACCOUNT_DOCUMENT)
async def test_any_answer_keeps_states_in_their_types(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    simulator: Simulator,
    document: dict[str, Any],
) -> None:
    if hass.config_entries.async_entries(DOMAIN) == []:
        await setup_entry(hass, make_entry("f2pool_v1", simulator))
    units = {
        state.entity_id: state.attributes.get("unit_of_measurement")
        for state in hass.states.async_all()
    }
    simulator.set_fault("f2pool_v1", "account", Fault(body=json.dumps(document), times=1))
    await tick(hass, freezer, simulator, timedelta(minutes=30))
    assert_within_type(hass, units)
