"""Config flow of the Mining Pool integration: add, reauthenticate and reconfigure accounts."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import voluptuous as vol
from homeassistant.config_entries import (
    ConfigEntry,
    ConfigFlowResult,
    OptionsFlowWithReload,
)
from homeassistant.core import callback
from homeassistant.helpers.selector import (
    BooleanSelector,
    NumberSelector,
    NumberSelectorConfig,
    NumberSelectorMode,
    SelectSelector,
    SelectSelectorConfig,
    SelectSelectorMode,
)

from .account import build_account, hashrate_unit
from .api import Capability, InvalidInputError
from .const import (
    DEFAULT_OFFLINE_MINUTES,
    DEFAULT_REMOVE_AFTER_DAYS,
    DEFAULT_WORKER_DEVICES,
    DOMAIN,
    HASHRATE_UNITS,
    MAX_OFFLINE_MINUTES,
    MAX_REMOVE_AFTER_DAYS,
    MIN_OFFLINE_MINUTES,
    MIN_REMOVE_AFTER_DAYS,
    OPTION_HASHRATE_UNIT,
    OPTION_OFFLINE_MINUTES,
    OPTION_REMOVE_AFTER_DAYS,
    OPTION_WORKER_DEVICES,
)
from .pool import on_form
from .pools import POOLS, pool_of

WHOLE_NUMBER_OPTIONS = {OPTION_OFFLINE_MINUTES, OPTION_REMOVE_AFTER_DAYS}
# Equihash's hashrates count solutions, every other algorithm's count hashes.
SOLUTION_UNIT_SUFFIX = "Sol/s"


def hashrate_units(data: Mapping[str, Any]) -> list[str]:
    """The units the account's hashrates can be shown in: those of its algorithm's kind."""
    solutions = hashrate_unit(data, {}).endswith(SOLUTION_UNIT_SUFFIX)
    return [unit for unit in HASHRATE_UNITS if unit.endswith(SOLUTION_UNIT_SUFFIX) == solutions]


class MiningPoolConfigFlow(*(pool.flow for pool in POOLS.values()), domain=DOMAIN):  # type: ignore[misc]
    """Adds an account of any pool in the registry; each pool's steps come from its module."""

    VERSION = 2
    MINOR_VERSION = 1

    @staticmethod
    @callback
    def async_get_options_flow(config_entry: ConfigEntry) -> MiningPoolOptionsFlow:
        """Options: hashrate unit, worker devices and, where needed, the offline threshold."""
        return MiningPoolOptionsFlow()

    async def async_step_user(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """Choose the pool."""
        return self.async_show_menu(step_id="user", menu_options=list(POOLS))

    async def async_step_reauth(self, entry_data: Mapping[str, Any]) -> ConfigFlowResult:
        """The pool refused the credentials: ask for new ones."""
        return await self.async_step_reauth_confirm()

    async def async_step_reauth_confirm(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """New credentials, in the fields the account's pool asks for."""
        entry = self._get_reauth_entry()
        self.description = pool_of(entry.data)
        schema = self.description.flow.reauth_schema(entry.data)
        errors: dict[str, str] = {}
        if user_input is not None:
            updates = {str(key): user_input.get(str(key), "") for key in schema.schema}
            errors, _ = await self.validate({**entry.data, **updates})
            errors = on_form(errors, schema)
            if not errors:
                return self.async_update_reload_and_abort(entry, data_updates=updates)
        return self.async_show_form(
            step_id="reauth_confirm",
            data_schema=self.add_suggested_values_to_schema(schema, user_input),
            errors=errors,
            description_placeholders={"account": entry.title, **self.redirect_placeholder()},
        )

    async def async_step_reconfigure(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Change how the account is reached; the account itself stays the same."""
        entry = self._get_reconfigure_entry()
        self.description = pool_of(entry.data)
        flow = self.description.flow
        schema = flow.reconfigure_schema(entry.data)
        errors: dict[str, str] = {}
        if user_input is not None:
            data = flow.reconfigured(entry.data, user_input)
            # Settings of another account (a preset of another coin) are refused unasked.
            await self.async_set_unique_id(self.description.unique_id(data))
            self._abort_if_unique_id_mismatch(reason="account_mismatch")
            errors, _ = await self.validate(data)
            errors = on_form(errors, schema)
            if not errors:
                return self.async_update_reload_and_abort(entry, data=data)
        # The stored secrets are never shown; what the user just typed is kept.
        suggested = {
            **{
                key: value
                for key, value in entry.data.items()
                if key not in self.description.secrets
            },
            **(user_input or {}),
        }
        return self.async_show_form(
            step_id="reconfigure",
            data_schema=self.add_suggested_values_to_schema(schema, suggested),
            errors=errors,
            description_placeholders={"account": entry.title, **self.redirect_placeholder()},
        )


def whole_number(low: int, high: int, unit: str) -> NumberSelector:
    """A box for a whole number of minutes or days between ``low`` and ``high``."""
    return NumberSelector(
        NumberSelectorConfig(
            min=low, max=high, step=1, mode=NumberSelectorMode.BOX, unit_of_measurement=unit
        )
    )


class MiningPoolOptionsFlow(OptionsFlowWithReload):
    """Hashrate unit, worker devices and, where the pool gives no worker status, offline time."""

    async def async_step_init(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """One form for every option; the entry reloads with them."""
        if user_input is not None:
            # Number selectors give floats; the options are whole minutes and days.
            options = {
                key: int(value) if key in WHOLE_NUMBER_OPTIONS else value
                for key, value in user_input.items()
            }
            return self.async_create_entry(data=options)
        data = self.config_entry.data
        units = hashrate_units(data)
        fields: dict[vol.Marker, Any] = {
            vol.Required(OPTION_HASHRATE_UNIT): SelectSelector(
                SelectSelectorConfig(options=units, mode=SelectSelectorMode.DROPDOWN)
            ),
            vol.Required(OPTION_WORKER_DEVICES): BooleanSelector(),
            vol.Required(OPTION_REMOVE_AFTER_DAYS): whole_number(
                MIN_REMOVE_AFTER_DAYS, MAX_REMOVE_AFTER_DAYS, "d"
            ),
        }
        try:
            provides = build_account(self.hass, data).provides
        except InvalidInputError:
            provides = frozenset()
        if Capability.WORKERS in provides and Capability.WORKER_STATUS not in provides:
            # Without the pool's word on each worker, the last share tells whether it mines.
            fields[vol.Required(OPTION_OFFLINE_MINUTES)] = whole_number(
                MIN_OFFLINE_MINUTES, MAX_OFFLINE_MINUTES, "min"
            )
        unit = hashrate_unit(data, self.config_entry.options)
        current = {
            OPTION_OFFLINE_MINUTES: DEFAULT_OFFLINE_MINUTES,
            OPTION_WORKER_DEVICES: DEFAULT_WORKER_DEVICES,
            OPTION_REMOVE_AFTER_DAYS: DEFAULT_REMOVE_AFTER_DAYS,
            **self.config_entry.options,
            # A unit of another kind (stored before the list followed the algorithm) is not offered.
            OPTION_HASHRATE_UNIT: unit if unit in units else hashrate_unit(data, {}),
        }
        return self.async_show_form(
            step_id="init",
            data_schema=self.add_suggested_values_to_schema(vol.Schema(fields), current),
        )
