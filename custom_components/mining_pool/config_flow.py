"""Config flow of the Mining Pool integration: add, reauthenticate and reconfigure accounts."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from typing import Any

import voluptuous as vol
from homeassistant.config_entries import (
    ConfigEntry,
    ConfigFlow,
    ConfigFlowResult,
    OptionsFlowWithReload,
)
from homeassistant.core import callback
from homeassistant.data_entry_flow import section
from homeassistant.helpers.selector import (
    BooleanSelector,
    NumberSelector,
    NumberSelectorConfig,
    NumberSelectorMode,
    SelectOptionDict,
    SelectSelector,
    SelectSelectorConfig,
    SelectSelectorMode,
    TextSelector,
    TextSelectorConfig,
    TextSelectorType,
)

from .account import build_account, hashrate_unit, pool_kind
from .api import (
    CURRENCIES,
    CURRENCIES_BY_NAME,
    ENDPOINTS,
    ENDPOINTS_BY_KEY,
    AccountIdentity,
    AccountNotFoundError,
    AuthenticationError,
    CannotConnectError,
    InvalidInputError,
    MiningPoolError,
    PoolKind,
    RateLimitedError,
    RedirectError,
)
from .const import (
    API_V1,
    API_V2,
    CONF_ACCESS_KEY,
    CONF_ACCOUNT,
    CONF_API_VERSION,
    CONF_BASE_URL,
    CONF_COIN,
    CONF_CURRENCY,
    CONF_CUSTOM_HOST,
    CONF_ENDPOINT,
    CONF_POOL,
    CONF_PUID,
    CONF_TOKEN,
    DEFAULT_OFFLINE_MINUTES,
    DEFAULT_REMOVE_AFTER_DAYS,
    DEFAULT_WORKER_DEVICES,
    DOMAIN,
    ENDPOINT_CUSTOM,
    HASHRATE_UNITS,
    LOGGER,
    MAX_OFFLINE_MINUTES,
    MAX_REMOVE_AFTER_DAYS,
    MIN_OFFLINE_MINUTES,
    MIN_REMOVE_AFTER_DAYS,
    OPTION_HASHRATE_UNIT,
    OPTION_OFFLINE_MINUTES,
    OPTION_REMOVE_AFTER_DAYS,
    OPTION_WORKER_DEVICES,
    POOL_BTCCOM,
    POOL_F2POOL,
)

SECTION_ADVANCED = "advanced"
WHOLE_NUMBER_OPTIONS = {OPTION_OFFLINE_MINUTES, OPTION_REMOVE_AFTER_DAYS}
F2POOL_API = "https://api.f2pool.com"
BTCCOM_COINS = ["BTC", "BCH", "SBTC", "UBTC"]
# Wallet addresses longer than this are shortened in titles to their first and last 6 characters.
SHORT_ADDRESS = 16

PASSWORD = TextSelector(TextSelectorConfig(type=TextSelectorType.PASSWORD))
TEXT = TextSelector()
URL = TextSelector(TextSelectorConfig(type=TextSelectorType.URL))
ENDPOINT_SELECTOR = SelectSelector(
    SelectSelectorConfig(
        options=[*(endpoint.key for endpoint in ENDPOINTS), ENDPOINT_CUSTOM],
        translation_key=CONF_ENDPOINT,
        mode=SelectSelectorMode.DROPDOWN,
    )
)
COIN_SELECTOR = SelectSelector(
    SelectSelectorConfig(options=BTCCOM_COINS, mode=SelectSelectorMode.DROPDOWN)
)
API_VERSION_SELECTOR = SelectSelector(
    SelectSelectorConfig(
        options=[API_V2, API_V1], translation_key=CONF_API_VERSION, mode=SelectSelectorMode.LIST
    )
)
CURRENCY_SELECTOR = SelectSelector(
    SelectSelectorConfig(
        options=[
            SelectOptionDict(
                value=currency.name, label=f"{currency.display_name} ({currency.ticker})"
            )
            for currency in CURRENCIES
        ],
        mode=SelectSelectorMode.DROPDOWN,
    )
)

# Which form field each library error belongs to, per pool.
SECRET_FIELD = {POOL_BTCCOM: CONF_ACCESS_KEY, POOL_F2POOL: CONF_TOKEN}
ACCOUNT_FIELD = {POOL_BTCCOM: CONF_PUID, POOL_F2POOL: CONF_ACCOUNT}
CONNECTION_FIELD = {POOL_BTCCOM: CONF_ENDPOINT, POOL_F2POOL: "base"}
INPUT_FIELDS = {
    "access_key": CONF_ACCESS_KEY,
    "puid": CONF_PUID,
    "endpoint": CONF_ENDPOINT,
    "account": CONF_ACCOUNT,
    "token": CONF_TOKEN,
    "currency": CONF_CURRENCY,
    "base_url": "base",
}


def unique_id(data: Mapping[str, Any]) -> str:
    """One id per pool account: BTC.com by coin and puid, F2Pool by currency and account.

    The puid is kept out of the id (which names devices and entities, and reaches logs): a
    digest of it is as unique.
    """
    if data[CONF_POOL] == POOL_BTCCOM:
        digest = hashlib.sha256(str(data[CONF_PUID]).encode()).hexdigest()[:16]
        return f"{POOL_BTCCOM}_{str(data[CONF_COIN]).lower()}_{digest}"
    return f"{POOL_F2POOL}_{data[CONF_CURRENCY]}_{data[CONF_ACCOUNT]}"


def title(data: Mapping[str, Any], identity: AccountIdentity) -> str:
    """The entry's (and the account device's) name: pool, coin and account."""
    if data[CONF_POOL] == POOL_BTCCOM:
        return f"BTC.com {data[CONF_COIN]} {identity.name or 'account'}"
    currency = CURRENCIES_BY_NAME[data[CONF_CURRENCY]]
    account = str(data[CONF_ACCOUNT])
    if currency.by_address and len(account) > SHORT_ADDRESS:
        account = f"{account[:6]}…{account[-6:]}"
    return f"F2Pool {currency.ticker} {account}"


def on_form(errors: dict[str, str], schema: vol.Schema) -> dict[str, str]:
    """Errors by a field the form has; an error of a field it does not have goes to the form."""
    fields = {str(key) for key in schema.schema}
    return {(field if field in fields else "base"): error for field, error in errors.items()}


def flatten(user_input: Mapping[str, Any]) -> dict[str, Any]:
    """Lift the fields of the advanced section to the top level, where the entry keeps them."""
    data = {key: value for key, value in user_input.items() if key != SECTION_ADVANCED}
    data.update(user_input.get(SECTION_ADVANCED, {}))
    return data


class MiningPoolConfigFlow(ConfigFlow, domain=DOMAIN):
    """Adds a BTC.com or F2Pool account."""

    VERSION = 1
    MINOR_VERSION = 2

    def __init__(self) -> None:
        """Start with nothing chosen."""
        self._data: dict[str, Any] = {}
        self._redirected_to = ""

    @staticmethod
    @callback
    def async_get_options_flow(config_entry: ConfigEntry) -> MiningPoolOptionsFlow:
        """Options: hashrate unit, worker devices and, for F2Pool v1, the offline threshold."""
        return MiningPoolOptionsFlow()

    async def _async_validate(self, data: dict[str, Any]) -> tuple[dict[str, str], AccountIdentity]:
        """Check the settings with one real request; return form errors by field.

        A redirect's new address is kept for the form's message.
        """
        pool = data[CONF_POOL]
        field, error = "base", ""
        self._redirected_to = ""
        try:
            identity = await build_account(self.hass, data).identify()
        except InvalidInputError as err:
            field, error = INPUT_FIELDS.get(err.field, "base"), "invalid_input"
        except AuthenticationError:
            field, error = SECRET_FIELD[pool], "invalid_auth"
        except AccountNotFoundError:
            field, error = ACCOUNT_FIELD[pool], "account_not_found"
        except RedirectError as err:
            field, error = CONNECTION_FIELD[pool], "redirected"
            self._redirected_to = err.location
        except CannotConnectError:
            field, error = CONNECTION_FIELD[pool], "cannot_connect"
        except RateLimitedError:
            error = "rate_limited"
        except MiningPoolError:
            error = "unknown"
        except Exception:  # noqa: BLE001 (a form error, never an HTTP 500 for the user)
            LOGGER.exception("Unexpected error while checking a pool account")
            error = "unknown"
        else:
            return {}, identity
        if field == CONF_ENDPOINT and data.get(CONF_ENDPOINT) == ENDPOINT_CUSTOM:
            field = CONF_CUSTOM_HOST
        return {field: error}, AccountIdentity()

    async def _async_create(
        self, step_id: str, data: dict[str, Any], schema: vol.Schema, user_input: dict[str, Any]
    ) -> ConfigFlowResult:
        errors, identity = await self._async_validate(data)
        return await self._async_finish(step_id, data, schema, user_input, errors, identity)

    async def _async_finish(
        self,
        step_id: str,
        data: dict[str, Any],
        schema: vol.Schema,
        user_input: dict[str, Any],
        errors: dict[str, str],
        identity: AccountIdentity,
    ) -> ConfigFlowResult:
        if not errors:
            await self.async_set_unique_id(unique_id(data))
            self._abort_if_unique_id_configured()
            return self.async_create_entry(title=title(data, identity), data=data)
        return self.async_show_form(
            step_id=step_id,
            data_schema=self.add_suggested_values_to_schema(schema, user_input),
            errors=errors,
            description_placeholders=self._placeholders(),
        )

    def _placeholders(self) -> dict[str, str]:
        currency = CURRENCIES_BY_NAME.get(self._data.get(CONF_CURRENCY, ""))
        return {
            "currency": currency.display_name if currency else "",
            "default_url": F2POOL_API,
            **self._redirect(),
        }

    def _redirect(self) -> dict[str, str]:
        """The placeholder of the "redirected" error, where the pool redirected."""
        return {"location": self._redirected_to} if self._redirected_to else {}

    async def async_step_user(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """Choose the pool."""
        return self.async_show_menu(step_id="user", menu_options=[POOL_BTCCOM, POOL_F2POOL])

    async def async_step_btccom(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """Endpoint, access key and puid of a BTC.com sub-account."""
        schema = self._btccom_schema()
        if user_input is None:
            return self.async_show_form(step_id="btccom", data_schema=schema)
        self._data = {CONF_POOL: POOL_BTCCOM, **user_input}
        self._data[CONF_PUID] = str(user_input[CONF_PUID]).strip()
        if user_input[CONF_ENDPOINT] == ENDPOINT_CUSTOM:
            return await self.async_step_btccom_custom()
        self._data[CONF_COIN] = ENDPOINTS_BY_KEY[user_input[CONF_ENDPOINT]].coin
        return await self._async_create("btccom", self._data, schema, user_input)

    @staticmethod
    def _btccom_schema() -> vol.Schema:
        return vol.Schema(
            {
                vol.Required(CONF_ENDPOINT, default=ENDPOINTS[2].key): ENDPOINT_SELECTOR,
                vol.Required(CONF_ACCESS_KEY): PASSWORD,
                vol.Required(CONF_PUID): TEXT,
            }
        )

    async def async_step_btccom_custom(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """The host (or base URL) and coin of a BTC.com endpoint that is not a preset."""
        schema = vol.Schema(
            {
                vol.Required(CONF_CUSTOM_HOST): TEXT,
                vol.Required(CONF_COIN, default=BTCCOM_COINS[0]): COIN_SELECTOR,
            }
        )
        if user_input is None:
            return self.async_show_form(step_id="btccom_custom", data_schema=schema)
        data = {**self._data, **user_input}
        errors, identity = await self._async_validate(data)
        if errors.keys() & {CONF_ACCESS_KEY, CONF_PUID}:
            # The key or the puid was refused: they are asked for on the first form.
            return self.async_show_form(
                step_id="btccom",
                data_schema=self.add_suggested_values_to_schema(self._btccom_schema(), self._data),
                errors=errors,
            )
        return await self._async_finish("btccom_custom", data, schema, user_input, errors, identity)

    async def async_step_f2pool(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """API version and currency of an F2Pool account."""
        if user_input is not None:
            self._data = {CONF_POOL: POOL_F2POOL, **user_input}
            if CURRENCIES_BY_NAME[user_input[CONF_CURRENCY]].by_address:
                return await self.async_step_f2pool_address()
            return await self.async_step_f2pool_user()
        return self.async_show_form(
            step_id="f2pool",
            data_schema=vol.Schema(
                {
                    vol.Required(CONF_API_VERSION, default=API_V2): API_VERSION_SELECTOR,
                    vol.Required(CONF_CURRENCY, default=CURRENCIES[0].name): CURRENCY_SELECTOR,
                }
            ),
        )

    async def async_step_f2pool_user(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """The user name (and token) of an F2Pool account."""
        return await self._async_f2pool_account("f2pool_user", user_input)

    async def async_step_f2pool_address(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """The wallet address (and token) of an F2Pool account of an address currency."""
        return await self._async_f2pool_account("f2pool_address", user_input)

    async def _async_f2pool_account(
        self, step_id: str, user_input: dict[str, Any] | None
    ) -> ConfigFlowResult:
        token = vol.Required if self._data[CONF_API_VERSION] == API_V2 else vol.Optional
        schema = vol.Schema(
            {
                vol.Required(CONF_ACCOUNT): TEXT,
                token(CONF_TOKEN): PASSWORD,
                vol.Required(SECTION_ADVANCED): section(
                    vol.Schema({vol.Required(CONF_BASE_URL, default=F2POOL_API): URL}),
                    {"collapsed": True},
                ),
            }
        )
        if user_input is None:
            return self.async_show_form(
                step_id=step_id, data_schema=schema, description_placeholders=self._placeholders()
            )
        data = {**self._data, **flatten(user_input)}
        data[CONF_ACCOUNT] = str(data[CONF_ACCOUNT]).strip()
        return await self._async_create(step_id, data, schema, user_input)

    async def async_step_reauth(self, entry_data: Mapping[str, Any]) -> ConfigFlowResult:
        """The pool refused the credentials: ask for new ones."""
        return await self.async_step_reauth_confirm()

    async def async_step_reauth_confirm(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """A new access key (BTC.com) or token (F2Pool)."""
        entry = self._get_reauth_entry()
        pool = entry.data[CONF_POOL]
        required = pool == POOL_BTCCOM or pool_kind(entry.data) is PoolKind.F2POOL_V2
        field = SECRET_FIELD[pool]
        schema = vol.Schema({(vol.Required if required else vol.Optional)(field): PASSWORD})
        errors: dict[str, str] = {}
        if user_input is not None:
            updates = {field: user_input.get(field, "")}
            errors, _ = await self._async_validate({**entry.data, **updates})
            errors = on_form(errors, schema)
            if not errors:
                return self.async_update_reload_and_abort(entry, data_updates=updates)
        return self.async_show_form(
            step_id="reauth_confirm",
            data_schema=schema,
            errors=errors,
            description_placeholders={"account": entry.title, **self._redirect()},
        )

    async def async_step_reconfigure(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Change how the account is reached; the account itself stays the same."""
        entry = self._get_reconfigure_entry()
        if entry.data[CONF_POOL] == POOL_BTCCOM:
            schema = vol.Schema(
                {
                    vol.Required(CONF_ENDPOINT): ENDPOINT_SELECTOR,
                    vol.Optional(CONF_CUSTOM_HOST): TEXT,
                    vol.Optional(CONF_ACCESS_KEY): PASSWORD,
                }
            )
        else:
            schema = vol.Schema(
                {
                    vol.Required(CONF_API_VERSION): API_VERSION_SELECTOR,
                    vol.Optional(CONF_TOKEN): PASSWORD,
                    vol.Required(CONF_BASE_URL): URL,
                }
            )
        errors: dict[str, str] = {}
        if user_input is not None:
            # A key or token left empty keeps the one the entry has.
            data = {**entry.data, **{key: value for key, value in user_input.items() if value}}
            preset = ENDPOINTS_BY_KEY.get(data.get(CONF_ENDPOINT, ""))
            if preset is not None:
                data[CONF_COIN] = preset.coin
            # A preset of another coin is another account: refused before any request.
            await self.async_set_unique_id(unique_id(data))
            self._abort_if_unique_id_mismatch(reason="account_mismatch")
            errors, _ = await self._async_validate(data)
            errors = on_form(errors, schema)
            if not errors:
                return self.async_update_reload_and_abort(entry, data=data)
        suggested = {**entry.data, **(user_input or {})}
        suggested.pop(CONF_ACCESS_KEY, None)
        suggested.pop(CONF_TOKEN, None)
        return self.async_show_form(
            step_id="reconfigure",
            data_schema=self.add_suggested_values_to_schema(schema, suggested),
            errors=errors,
            description_placeholders={"account": entry.title, **self._redirect()},
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
        fields: dict[vol.Marker, Any] = {
            vol.Required(OPTION_HASHRATE_UNIT): SelectSelector(
                SelectSelectorConfig(options=list(HASHRATE_UNITS), mode=SelectSelectorMode.DROPDOWN)
            ),
            vol.Required(OPTION_WORKER_DEVICES): BooleanSelector(),
            vol.Required(OPTION_REMOVE_AFTER_DAYS): whole_number(
                MIN_REMOVE_AFTER_DAYS, MAX_REMOVE_AFTER_DAYS, "d"
            ),
        }
        if pool_kind(self.config_entry.data) is PoolKind.F2POOL_V1:
            fields[vol.Required(OPTION_OFFLINE_MINUTES)] = whole_number(
                MIN_OFFLINE_MINUTES, MAX_OFFLINE_MINUTES, "min"
            )
        current = {
            OPTION_HASHRATE_UNIT: hashrate_unit(self.config_entry.data, self.config_entry.options),
            OPTION_OFFLINE_MINUTES: DEFAULT_OFFLINE_MINUTES,
            OPTION_WORKER_DEVICES: DEFAULT_WORKER_DEVICES,
            OPTION_REMOVE_AFTER_DAYS: DEFAULT_REMOVE_AFTER_DAYS,
            **self.config_entry.options,
        }
        return self.async_show_form(
            step_id="init",
            data_schema=self.add_suggested_values_to_schema(vol.Schema(fields), current),
        )
