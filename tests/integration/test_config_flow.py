"""The config flow: every step, error, abort, reauth, reconfigure and options path."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
import voluptuous as vol
from homeassistant.config_entries import SOURCE_USER, ConfigEntryState
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResult, FlowResultType, InvalidData, section
from pytest_homeassistant_custom_component.common import MockConfigEntry

import custom_components.mining_pool
from custom_components.mining_pool import pool_f2pool
from custom_components.mining_pool.account import build_account
from custom_components.mining_pool.api import ENDPOINTS_BY_KEY, BraiinsAccount, Endpoint
from custom_components.mining_pool.const import (
    DOMAIN,
    OPTION_HASHRATE_UNIT,
    OPTION_OFFLINE_MINUTES,
    OPTION_REMOVE_AFTER_DAYS,
    OPTION_WORKER_DEVICES,
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

from .conftest import ACCESS_KEY, BRAIINS_TOKEN, PUID, TOKEN, UNIQUE_IDS, make_entry, setup_entry

ADDRESS = "sia1qdemo0wallet0address0for0the0flow0test"
INTEGRATION = Path(custom_components.mining_pool.__file__).parent
TRANSLATIONS = {
    language: json.loads((INTEGRATION / "translations" / f"{language}.json").read_text("utf-8"))
    for language in ("en", "zh-Hans", "zh-Hant")
}


async def start(hass: HomeAssistant, pool: str) -> FlowResult:
    """Open the flow and pick the pool from the menu."""
    result = await hass.config_entries.flow.async_init(DOMAIN, context={"source": SOURCE_USER})
    assert result["type"] is FlowResultType.MENU
    assert result["menu_options"] == ["btccom", "f2pool", "braiins"]
    return await hass.config_entries.flow.async_configure(result["flow_id"], {"next_step_id": pool})


async def submit(hass: HomeAssistant, result: FlowResult, data: dict[str, Any]) -> FlowResult:
    return await hass.config_entries.flow.async_configure(result["flow_id"], data)


def filled(result: FlowResult | vol.Schema) -> dict[str, Any]:
    """What a form shows filled in (suggested values), by field; a section's as its own dict."""
    schema = result if isinstance(result, vol.Schema) else result["data_schema"]
    values: dict[str, Any] = {}
    for key, value in schema.schema.items():
        if isinstance(value, section):
            values[str(key)] = filled(value.schema)
        elif (suggestion := (key.description or {}).get("suggested_value")) is not None:
            values[str(key)] = suggestion
    return values


def collapsed(result: FlowResult) -> bool:
    """Whether the form's Advanced section is shown folded."""
    (advanced,) = (
        value for key, value in result["data_schema"].schema.items() if str(key) == "advanced"
    )
    return bool(advanced.options["collapsed"])


async def btccom_custom_form(hass: HomeAssistant, access_key: str = ACCESS_KEY) -> FlowResult:
    result = await start(hass, "btccom")
    assert result["step_id"] == "btccom"
    result = await submit(
        hass,
        result,
        {CONF_ENDPOINT: "custom", CONF_ACCESS_KEY: access_key, CONF_PUID: f" {PUID} "},
    )
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "btccom_custom"
    return result


async def test_btccom_custom_host(hass: HomeAssistant, simulator: Simulator) -> None:
    result = await btccom_custom_form(hass)
    result = await submit(hass, result, {CONF_CUSTOM_HOST: simulator.btccom_url, CONF_COIN: "BTC"})
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["title"] == "BTC.com BTC spica"
    assert result["data"] == {
        "pool": "btccom",
        CONF_ENDPOINT: "custom",
        CONF_CUSTOM_HOST: simulator.btccom_url,
        CONF_COIN: "BTC",
        CONF_ACCESS_KEY: ACCESS_KEY,
        CONF_PUID: str(PUID),
    }
    assert result["result"].unique_id == UNIQUE_IDS["btccom"]
    await hass.async_block_till_done()
    assert result["result"].state is ConfigEntryState.LOADED


async def test_btccom_wrong_key_goes_back_to_the_key(
    hass: HomeAssistant, simulator: Simulator
) -> None:
    result = await btccom_custom_form(hass, access_key="wrong-key")
    result = await submit(hass, result, {CONF_CUSTOM_HOST: simulator.btccom_url, CONF_COIN: "BTC"})
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "btccom"
    assert result["errors"] == {CONF_ACCESS_KEY: "invalid_auth"}
    # The key is shown where it was typed, with everything the user entered.
    assert filled(result) == {
        CONF_ENDPOINT: "custom",
        CONF_ACCESS_KEY: "wrong-key",
        CONF_PUID: str(PUID),
    }
    # Corrected without starting over: the custom host form follows again, filled in.
    result = await submit(
        hass, result, {CONF_ENDPOINT: "custom", CONF_ACCESS_KEY: ACCESS_KEY, CONF_PUID: str(PUID)}
    )
    assert result["step_id"] == "btccom_custom"
    assert filled(result) == {CONF_CUSTOM_HOST: simulator.btccom_url, CONF_COIN: "BTC"}
    result = await submit(hass, result, filled(result))
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["data"][CONF_ACCESS_KEY] == ACCESS_KEY


async def test_btccom_preset_after_a_custom_host(
    hass: HomeAssistant, simulator: Simulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A host typed before the key was refused does not follow the user to a preset."""
    # The European preset, served by the simulator: tests reach no other host.
    monkeypatch.setitem(
        ENDPOINTS_BY_KEY, "btc_eu", Endpoint("btc_eu", "BTC", "Europe", simulator.btccom_url)
    )
    result = await btccom_custom_form(hass, access_key="wrong-key")
    result = await submit(hass, result, {CONF_CUSTOM_HOST: simulator.btccom_url, CONF_COIN: "BCH"})
    assert result["step_id"] == "btccom"
    result = await submit(
        hass, result, {CONF_ENDPOINT: "btc_eu", CONF_ACCESS_KEY: ACCESS_KEY, CONF_PUID: str(PUID)}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["data"] == {
        "pool": "btccom",
        CONF_ENDPOINT: "btc_eu",
        CONF_COIN: "BTC",
        CONF_ACCESS_KEY: ACCESS_KEY,
        CONF_PUID: str(PUID),
    }


@pytest.mark.parametrize(
    ("host", "fault", "error"),
    [
        ("not a host", None, "invalid_input"),
        (None, Fault(status=500), "cannot_connect"),
        (None, Fault(rate_limit=True), "rate_limited"),
        (None, Fault(malformed_json=True), "unknown"),
    ],
)
async def test_btccom_custom_host_errors(
    hass: HomeAssistant,
    simulator: Simulator,
    host: str | None,
    fault: Fault | None,
    error: str,
) -> None:
    if fault is not None:
        simulator.set_fault("btccom", "/account/info", fault)
    result = await btccom_custom_form(hass)
    result = await submit(
        hass, result, {CONF_CUSTOM_HOST: host or simulator.btccom_url, CONF_COIN: "BTC"}
    )
    assert result["type"] is FlowResultType.FORM
    expected_field = CONF_CUSTOM_HOST if error in ("invalid_input", "cannot_connect") else "base"
    assert result["errors"] == {expected_field: error}
    simulator.clear_faults()
    result = await submit(hass, result, {CONF_CUSTOM_HOST: simulator.btccom_url, CONF_COIN: "BTC"})
    assert result["type"] is FlowResultType.CREATE_ENTRY


async def test_btccom_preset_with_malformed_puid(hass: HomeAssistant) -> None:
    result = await start(hass, "btccom")
    result = await submit(
        hass, result, {CONF_ENDPOINT: "btc_eu", CONF_ACCESS_KEY: ACCESS_KEY, CONF_PUID: "12a"}
    )
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "btccom"
    assert result["errors"] == {CONF_PUID: "invalid_input"}


async def test_btccom_same_account_twice(hass: HomeAssistant, simulator: Simulator) -> None:
    await setup_entry(hass, make_entry("btccom", simulator))
    result = await btccom_custom_form(hass)
    result = await submit(hass, result, {CONF_CUSTOM_HOST: simulator.btccom_url, CONF_COIN: "BTC"})
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "already_configured"


async def f2pool_form(hass: HomeAssistant, version: str, currency: str) -> FlowResult:
    result = await start(hass, "f2pool")
    assert result["step_id"] == "f2pool"
    return await submit(hass, result, {CONF_API_VERSION: version, CONF_CURRENCY: currency})


async def test_f2pool_v2(hass: HomeAssistant, simulator: Simulator) -> None:
    result = await f2pool_form(hass, "v2", "litecoin")
    assert result["step_id"] == "f2pool_user"
    assert result["description_placeholders"] == {
        "currency": "Litecoin",
        "default_url": "https://api.f2pool.com",
    }
    account = {
        CONF_ACCOUNT: "bob",
        CONF_TOKEN: "wrong-token",
        "advanced": {CONF_BASE_URL: simulator.f2pool_url},
    }
    result = await submit(hass, result, account)
    assert result["errors"] == {CONF_TOKEN: "invalid_auth"}
    result = await submit(hass, result, {**account, CONF_ACCOUNT: "nobody", CONF_TOKEN: TOKEN})
    assert result["errors"] == {CONF_ACCOUNT: "account_not_found"}
    result = await submit(hass, result, {**account, CONF_ACCOUNT: " bob ", CONF_TOKEN: TOKEN})
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["title"] == "F2Pool LTC bob"
    assert result["data"] == {
        "pool": "f2pool",
        CONF_API_VERSION: "v2",
        CONF_CURRENCY: "litecoin",
        CONF_ACCOUNT: "bob",
        CONF_TOKEN: TOKEN,
        CONF_BASE_URL: simulator.f2pool_url,
    }
    assert result["result"].unique_id == UNIQUE_IDS["f2pool_v2"]


@pytest.mark.parametrize(
    ("fault", "base_url", "errors"),
    [
        (
            Fault(status=503, body="busy", content_type="text/plain"),
            None,
            {"advanced": "cannot_connect"},
        ),
        (Fault(rate_limit=True), None, {"base": "rate_limited"}),
        (
            Fault(status=308, redirect="https://moved.example.test"),
            None,
            {"advanced": "redirected"},
        ),
        (Fault(code=5999, msg="new: thing"), None, {"base": "unknown"}),
        (None, "nowhere at all", {"advanced": "invalid_input"}),
    ],
)
async def test_f2pool_errors(
    hass: HomeAssistant,
    simulator: Simulator,
    fault: Fault | None,
    base_url: str | None,
    errors: dict[str, str],
) -> None:
    if fault is not None:
        simulator.set_fault("f2pool_v2", "hash_rate/info", fault)
    result = await f2pool_form(hass, "v2", "litecoin")
    account = {
        CONF_ACCOUNT: "bob",
        CONF_TOKEN: TOKEN,
        "advanced": {CONF_BASE_URL: base_url or simulator.f2pool_url},
    }
    result = await submit(hass, result, account)
    assert result["errors"] == errors
    # Everything entered is still there, and the address (not the default) shows.
    assert filled(result) == account
    assert not collapsed(result)
    simulator.clear_faults()
    result = await submit(
        hass, result, {**account, "advanced": {CONF_BASE_URL: simulator.f2pool_url}}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY


async def test_f2pool_v2_outside_the_hashrate_module(
    hass: HomeAssistant, simulator: Simulator
) -> None:
    simulator.add_f2pool_account(currency="kaspa", account="carol", workers=3, token=TOKEN)
    result = await f2pool_form(hass, "v2", "kaspa")
    assert result["step_id"] == "f2pool_user"
    simulator.reset_counters()
    result = await submit(
        hass,
        result,
        {
            CONF_ACCOUNT: "carol",
            CONF_TOKEN: TOKEN,
            "advanced": {CONF_BASE_URL: simulator.f2pool_url},
        },
    )
    # Checked through the balance: F2Pool's hashrate module does not serve Kaspa.
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["title"] == "F2Pool KAS carol"
    await hass.async_block_till_done()
    # The flow's check, then the set-up's one read of the earnings.
    assert simulator.request_counts == {
        "f2pool_v2:assets/balance": 2,
        "f2pool_v2:assets/transactions/list": 1,
    }
    entry = result["result"]
    assert entry.state is ConfigEntryState.LOADED
    # Its earnings, and nothing the pool does not serve: no hashrate, no workers.
    sensors = sorted(hass.states.async_entity_ids("sensor"))
    assert sensors == [
        "sensor.f2pool_kas_carol_balance",
        "sensor.f2pool_kas_carol_earnings_today",
        "sensor.f2pool_kas_carol_earnings_yesterday",
        "sensor.f2pool_kas_carol_last_payment",
        "sensor.f2pool_kas_carol_total_paid",
        "sensor.f2pool_kas_carol_total_revenue",
    ]
    assert hass.states.async_entity_ids("binary_sensor") == []
    assert hass.states.async_entity_ids("event") == []
    balance = hass.states.get("sensor.f2pool_kas_carol_balance")
    assert balance is not None
    assert float(balance.state) >= 0


async def test_f2pool_v1_address_without_token(hass: HomeAssistant, simulator: Simulator) -> None:
    simulator.add_f2pool_account(currency="siacoin-new", account=ADDRESS, workers=3)
    result = await f2pool_form(hass, "v1", "siacoin-new")
    assert result["step_id"] == "f2pool_legacy_address"
    result = await submit(
        hass, result, {CONF_ACCOUNT: ADDRESS, "advanced": {CONF_BASE_URL: simulator.f2pool_url}}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["title"] == "F2Pool SC sia1qd…w0test"
    assert CONF_TOKEN not in result["data"]


async def test_f2pool_v1_unknown_account(hass: HomeAssistant, simulator: Simulator) -> None:
    result = await f2pool_form(hass, "v1", "bitcoin")
    result = await submit(
        hass, result, {CONF_ACCOUNT: "nobody", "advanced": {CONF_BASE_URL: simulator.f2pool_url}}
    )
    assert result["errors"] == {CONF_ACCOUNT: "account_not_found"}


@pytest.mark.parametrize(
    ("pool", "field", "wrong", "right"),
    [
        ("btccom", CONF_ACCESS_KEY, "wrong-key", ACCESS_KEY),
        ("f2pool_v2", CONF_TOKEN, "wrong-token", TOKEN),
        ("braiins", CONF_TOKEN, "wrong-token", BRAIINS_TOKEN),
    ],
)
async def test_reauth(
    hass: HomeAssistant, simulator: Simulator, pool: str, field: str, wrong: str, right: str
) -> None:
    entry = make_entry(pool, simulator)
    entry_data = dict(entry.data)
    entry_data[field] = "stale-secret"
    entry = type(entry)(
        domain=DOMAIN, title=entry.title, unique_id=entry.unique_id, data=entry_data
    )
    await setup_entry(hass, entry)
    assert entry.state is ConfigEntryState.SETUP_ERROR
    (flow,) = hass.config_entries.flow.async_progress_by_handler(DOMAIN)
    result = await hass.config_entries.flow.async_configure(flow["flow_id"])
    assert result["step_id"] == "reauth_confirm"
    assert result["description_placeholders"]["account"] == entry.title
    result = await submit(hass, result, {field: wrong})
    assert result["errors"] == {field: "invalid_auth"}
    assert filled(result) == {field: wrong}
    result = await submit(hass, result, {field: right})
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reauth_successful"
    assert entry.data[field] == right
    await hass.async_block_till_done()
    assert entry.state is ConfigEntryState.LOADED


async def test_reauth_legacy_token_is_optional(hass: HomeAssistant, simulator: Simulator) -> None:
    entry = make_entry("f2pool_v1", simulator)
    await setup_entry(hass, entry)
    result = await entry.start_reauth_flow(hass)
    result = await submit(hass, result, {})
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reauth_successful"
    assert entry.data[CONF_TOKEN] == ""


async def test_reconfigure_btccom(hass: HomeAssistant, simulator: Simulator) -> None:
    entry = make_entry("btccom", simulator)
    await setup_entry(hass, entry)
    result = await entry.start_reconfigure_flow(hass)
    assert result["step_id"] == "reconfigure"
    # The stored key is never shown.
    assert filled(result) == {CONF_ENDPOINT: "custom", CONF_CUSTOM_HOST: simulator.btccom_url}
    result = await submit(hass, result, {CONF_ENDPOINT: "custom", CONF_ACCESS_KEY: "wrong-key"})
    assert result["errors"] == {CONF_ACCESS_KEY: "invalid_auth"}
    assert filled(result) == {
        CONF_ENDPOINT: "custom",
        CONF_CUSTOM_HOST: simulator.btccom_url,
        CONF_ACCESS_KEY: "wrong-key",
    }
    # An empty key keeps the stored one.
    result = await submit(hass, result, {CONF_ENDPOINT: "custom", CONF_ACCESS_KEY: ""})
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reconfigure_successful"
    assert entry.data[CONF_ACCESS_KEY] == ACCESS_KEY


async def test_reconfigure_to_another_coin_is_refused(
    hass: HomeAssistant, simulator: Simulator
) -> None:
    entry = make_entry("btccom", simulator)
    await setup_entry(hass, entry)
    result = await entry.start_reconfigure_flow(hass)
    result = await submit(hass, result, {CONF_ENDPOINT: "bch_us"})
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "account_mismatch"
    assert simulator.request_counts["btccom:/account/info"] == 0


async def test_reconfigure_f2pool_to_legacy_api(hass: HomeAssistant, simulator: Simulator) -> None:
    entry = make_entry("f2pool_v2", simulator)
    await setup_entry(hass, entry)
    result = await entry.start_reconfigure_flow(hass)
    result = await submit(hass, result, {CONF_API_VERSION: "v1", CONF_BASE_URL: "nowhere at all"})
    assert result["errors"] == {CONF_BASE_URL: "invalid_input"}
    result = await submit(
        hass, result, {CONF_API_VERSION: "v1", CONF_BASE_URL: simulator.f2pool_url}
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reconfigure_successful"
    assert entry.data[CONF_API_VERSION] == "v1"
    assert entry.data[CONF_TOKEN] == TOKEN
    await hass.async_block_till_done()
    assert entry.state is ConfigEntryState.LOADED
    assert simulator.request_counts["f2pool_v1:account"] >= 1


async def test_options_btccom(hass: HomeAssistant, simulator: Simulator) -> None:
    entry = make_entry("btccom", simulator)
    await setup_entry(hass, entry)
    result = await hass.config_entries.options.async_init(entry.entry_id)
    assert result["type"] is FlowResultType.FORM
    schema_keys = {str(key) for key in result["data_schema"].schema}
    assert schema_keys == {
        OPTION_HASHRATE_UNIT,
        OPTION_WORKER_DEVICES,
        OPTION_REMOVE_AFTER_DAYS,
    }
    result = await hass.config_entries.options.async_configure(
        result["flow_id"],
        {
            OPTION_HASHRATE_UNIT: "PH/s",
            OPTION_WORKER_DEVICES: True,
            OPTION_REMOVE_AFTER_DAYS: 3.0,
        },
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert entry.options == {
        OPTION_HASHRATE_UNIT: "PH/s",
        OPTION_WORKER_DEVICES: True,
        OPTION_REMOVE_AFTER_DAYS: 3,
    }
    await hass.async_block_till_done()
    state = hass.states.get("sensor.btc_com_btc_spica_hashrate")
    assert state is not None
    assert state.attributes["unit_of_measurement"] == "PH/s"


async def test_options_legacy_f2pool_offline_time(
    hass: HomeAssistant, simulator: Simulator
) -> None:
    entry = make_entry("f2pool_v1", simulator)
    await setup_entry(hass, entry)
    result = await hass.config_entries.options.async_init(entry.entry_id)
    schema_keys = {str(key) for key in result["data_schema"].schema}
    assert OPTION_OFFLINE_MINUTES in schema_keys
    result = await hass.config_entries.options.async_configure(
        result["flow_id"],
        {
            OPTION_HASHRATE_UNIT: "TH/s",
            OPTION_OFFLINE_MINUTES: 45.0,
            OPTION_WORKER_DEVICES: False,
            OPTION_REMOVE_AFTER_DAYS: 7,
        },
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert entry.options[OPTION_OFFLINE_MINUTES] == 45


async def test_braiins(hass: HomeAssistant, simulator: Simulator) -> None:
    result = await start(hass, "braiins")
    assert result["step_id"] == "braiins"
    assert result["description_placeholders"] == {"default_url": "https://pool.braiins.com"}
    account = {CONF_TOKEN: "wrong-token", "advanced": {CONF_BASE_URL: simulator.braiins_url}}
    result = await submit(hass, result, account)
    # Braiins answers a token it does not know with a text 403.
    assert result["errors"] == {CONF_TOKEN: "invalid_auth"}
    # Shown again as entered; the section stays open on the address the user typed.
    assert filled(result) == account
    assert not collapsed(result)
    result = await submit(hass, result, {**account, "advanced": {CONF_BASE_URL: "nowhere at all"}})
    assert result["errors"] == {"advanced": "invalid_input"}
    assert filled(result) == {**account, "advanced": {CONF_BASE_URL: "nowhere at all"}}
    assert not collapsed(result)
    result = await submit(hass, result, {**account, CONF_TOKEN: BRAIINS_TOKEN})
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["title"] == "Braiins Pool BTC satoshi"
    assert result["data"] == {
        "pool": "braiins",
        CONF_TOKEN: BRAIINS_TOKEN,
        CONF_BASE_URL: simulator.braiins_url,
        "user": "satoshi",
    }
    assert result["result"].unique_id == UNIQUE_IDS["braiins"]
    await hass.async_block_till_done()
    assert result["result"].state is ConfigEntryState.LOADED
    # The same account again, even with another token of it, is the same entry.
    result = await start(hass, "braiins")
    result = await submit(hass, result, {**account, CONF_TOKEN: BRAIINS_TOKEN})
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "already_configured"


async def test_reconfigure_braiins(hass: HomeAssistant, simulator: Simulator) -> None:
    entry = make_entry("braiins", simulator)
    await setup_entry(hass, entry)
    result = await entry.start_reconfigure_flow(hass)
    assert result["step_id"] == "reconfigure"
    # Only Braiins' own fields, and never the stored token.
    assert {str(key) for key in result["data_schema"].schema} == {CONF_TOKEN, CONF_BASE_URL}
    result = await submit(hass, result, {CONF_TOKEN: "", CONF_BASE_URL: "http://127.0.0.1:9"})
    assert result["errors"] == {CONF_BASE_URL: "cannot_connect"}
    result = await submit(hass, result, {CONF_TOKEN: "", CONF_BASE_URL: simulator.braiins_url})
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reconfigure_successful"
    assert entry.data[CONF_TOKEN] == BRAIINS_TOKEN


async def test_braiins_readers_of_one_address_take_turns(
    hass: HomeAssistant, simulator: Simulator
) -> None:
    """The flow's check, the entry's reads and another account share one pacer per address.

    Braiins' limit is per client: the library spaces the requests of whoever shares a pacer
    (``tests/api/test_braiins.py`` times them).
    """
    entry = make_entry("braiins", simulator)
    await setup_entry(hass, entry)
    reader = entry.runtime_data.account
    checked = build_account(hass, {**entry.data, CONF_TOKEN: "another-token"})
    assert isinstance(reader, BraiinsAccount)
    assert isinstance(checked, BraiinsAccount)
    assert checked.client.pacer is reader.client.pacer
    elsewhere = build_account(hass, {**entry.data, CONF_BASE_URL: "https://proxy.example"})
    assert isinstance(elsewhere, BraiinsAccount)
    assert elsewhere.client.pacer is not reader.client.pacer


@pytest.mark.parametrize(
    ("version", "currency", "step_id", "token_required"),
    [
        ("v2", "litecoin", "f2pool_user", True),
        ("v2", "siacoin-new", "f2pool_address", True),
        ("v1", "bitcoin", "f2pool_legacy_user", False),
        ("v1", "siacoin-new", "f2pool_legacy_address", False),
    ],
)
async def test_f2pool_forms_by_api(
    hass: HomeAssistant, version: str, currency: str, step_id: str, token_required: bool
) -> None:
    """Each API has its own forms, so that the token's help says what is true for it."""
    result = await f2pool_form(hass, version, currency)
    assert result["step_id"] == step_id
    (token,) = (key for key in result["data_schema"].schema if str(key) == CONF_TOKEN)
    assert isinstance(token, vol.Required) is token_required
    help_text = TRANSLATIONS["en"]["config"]["step"][step_id]["data_description"][CONF_TOKEN]
    assert ("Optional" in help_text) is not token_required
    assert "v1" not in help_text
    assert "v2" not in help_text
    # Folded while it holds the default address.
    assert collapsed(result)


async def test_f2pool_section_folded_unless_needed(
    hass: HomeAssistant, simulator: Simulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The section stays folded on an error elsewhere, and opens on an error of its own."""
    # The simulator stands in for F2Pool's own address, the default of the form.
    monkeypatch.setattr(pool_f2pool, "DEFAULT_URL", simulator.f2pool_url)
    result = await f2pool_form(hass, "v2", "litecoin")
    account = {
        CONF_ACCOUNT: "bob",
        CONF_TOKEN: "wrong-token",
        "advanced": {CONF_BASE_URL: simulator.f2pool_url},
    }
    result = await submit(hass, result, account)
    assert result["errors"] == {CONF_TOKEN: "invalid_auth"}
    assert filled(result) == account
    assert collapsed(result)
    simulator.set_fault("f2pool_v2", "hash_rate/info", Fault(status=503))
    result = await submit(hass, result, {**account, CONF_TOKEN: TOKEN})
    assert result["errors"] == {"advanced": "cannot_connect"}
    assert filled(result) == {**account, CONF_TOKEN: TOKEN}
    assert not collapsed(result)


async def test_btccom_forms_keep_input(hass: HomeAssistant, simulator: Simulator) -> None:
    result = await start(hass, "btccom")
    typed = {CONF_ENDPOINT: "btc_us", CONF_ACCESS_KEY: ACCESS_KEY, CONF_PUID: "12a"}
    result = await submit(hass, result, typed)
    assert result["errors"] == {CONF_PUID: "invalid_input"}
    assert filled(result) == typed
    result = await submit(hass, result, {**typed, CONF_ENDPOINT: "custom", CONF_PUID: str(PUID)})
    assert result["step_id"] == "btccom_custom"
    # The examples are placeholders: no address inside a translation.
    assert result["description_placeholders"] == {
        "example_host": "pool.api.btc.com",
        "example_url": "http://127.0.0.1:8081",
    }
    simulator.set_fault("btccom", "/account/info", Fault(status=500))
    result = await submit(hass, result, {CONF_CUSTOM_HOST: simulator.btccom_url, CONF_COIN: "BCH"})
    assert result["errors"] == {CONF_CUSTOM_HOST: "cannot_connect"}
    assert filled(result) == {CONF_CUSTOM_HOST: simulator.btccom_url, CONF_COIN: "BCH"}


@pytest.mark.parametrize(
    ("pool", "data", "units"),
    [
        ("btccom", {}, ["H/s", "kH/s", "MH/s", "GH/s", "TH/s", "PH/s", "EH/s"]),
        ("braiins", {}, ["H/s", "kH/s", "MH/s", "GH/s", "TH/s", "PH/s", "EH/s"]),
        ("f2pool_v1", {CONF_CURRENCY: "zec"}, ["Sol/s", "kSol/s", "MSol/s"]),
    ],
)
async def test_options_offer_the_algorithms_units(
    hass: HomeAssistant, simulator: Simulator, pool: str, data: dict[str, str], units: list[str]
) -> None:
    demo = make_entry(pool, simulator)
    entry = MockConfigEntry(
        domain=DOMAIN,
        title=demo.title,
        unique_id=demo.unique_id,
        data={**demo.data, **data},
        version=demo.version,
        minor_version=demo.minor_version,
    )
    entry.add_to_hass(hass)
    result = await hass.config_entries.options.async_init(entry.entry_id)
    (unit,) = (
        value for key, value in result["data_schema"].schema.items() if str(key) == "hashrate_unit"
    )
    assert unit.config["options"] == units
    assert filled(result)[OPTION_HASHRATE_UNIT] == ("kSol/s" if "Sol/s" in units else "TH/s")


async def test_options_replace_a_unit_of_another_kind(
    hass: HomeAssistant, simulator: Simulator
) -> None:
    """A solutions unit stored for a SHA-256 account is not offered back: the usual unit is."""
    entry = make_entry("btccom", simulator, options={OPTION_HASHRATE_UNIT: "kSol/s"})
    entry.add_to_hass(hass)
    result = await hass.config_entries.options.async_init(entry.entry_id)
    assert filled(result)[OPTION_HASHRATE_UNIT] == "TH/s"
    with pytest.raises(InvalidData):
        await hass.config_entries.options.async_configure(
            result["flow_id"],
            {
                OPTION_HASHRATE_UNIT: "kSol/s",
                OPTION_WORKER_DEVICES: True,
                OPTION_REMOVE_AFTER_DAYS: 7,
            },
        )
    # What a change does to the recorded statistics, as the dialog says it.
    texts_of_options = TRANSLATIONS["en"]["options"]["step"]["init"]["data_description"]
    assert "converts the recorded long-term statistics" in texts_of_options[OPTION_HASHRATE_UNIT]


def texts(tree: dict[str, Any], path: str = "") -> dict[str, str]:
    """Every string of a translation file, by its dotted key."""
    found: dict[str, str] = {}
    for key, value in tree.items():
        if isinstance(value, dict):
            found.update(texts(value, f"{path}{key}."))
        else:
            found[f"{path}{key}"] = value
    return found


@pytest.mark.parametrize("language", ["zh-Hans", "zh-Hant"])
def test_translations_have_the_same_keys_and_placeholders(language: str) -> None:
    english = texts(TRANSLATIONS["en"])
    other = texts(TRANSLATIONS[language])
    assert other.keys() == english.keys()
    for key, text in english.items():
        assert set(re.findall(r"{\w+}", other[key])) == set(re.findall(r"{\w+}", text)), key


@pytest.mark.parametrize("language", ["en", "zh-Hans", "zh-Hant"])
def test_translations_name_no_address_and_no_simulator(language: str) -> None:
    for key, text in texts(TRANSLATIONS[language]).items():
        assert "://" not in text, key
        assert "www." not in text, key
        for word in ("simulator", "模拟器", "模擬器"):
            assert word not in text.lower(), key


def test_translations_of_the_worker_entities() -> None:
    """Online reads "Online" or "Offline", with icons of its own; the event names what it shows."""
    entity = TRANSLATIONS["en"]["entity"]
    assert entity["binary_sensor"]["online"] == {
        "name": "Online",
        "state": {"on": "Online", "off": "Offline"},
    }
    assert entity["event"]["worker_status"]["name"] == "Last status change"
    assert entity["event"]["worker_status"]["state_attributes"]["sensor"]["name"] == (
        "Online sensor"
    )
    icons = json.loads((INTEGRATION / "icons.json").read_text(encoding="utf-8"))
    online = icons["entity"]["binary_sensor"]["online"]
    assert online["state"]["off"] != online["state"]["on"]
    assert icons["entity"]["sensor"]["hashrate"]["default"] not in (
        online["default"],
        *online["state"].values(),
    )
