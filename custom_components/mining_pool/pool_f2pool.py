"""F2Pool: an account of one currency (a user name, or a wallet address for a few currencies).

Read through the current API (v2, with a token) or the legacy one (v1, token optional).
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from typing import Any, ClassVar, Final

import voluptuous as vol
from homeassistant.config_entries import ConfigFlowResult
from homeassistant.core import HomeAssistant
from homeassistant.helpers.aiohttp_client import async_get_clientsession
from homeassistant.helpers.selector import (
    SelectOptionDict,
    SelectSelector,
    SelectSelectorConfig,
    SelectSelectorMode,
)

from .api import (
    CURRENCIES,
    CURRENCIES_BY_NAME,
    AccountIdentity,
    F2PoolV1Account,
    F2PoolV1Client,
    F2PoolV2Account,
    F2PoolV2Client,
    PoolAccount,
)
from .pool import (
    ERROR_ACCOUNT,
    ERROR_AUTH,
    ERROR_CONNECTION,
    PASSWORD,
    SECTION_ADVANCED,
    TEXT,
    URL,
    PoolDescription,
    PoolFlow,
    advanced_address,
    flatten,
)

POOL: Final = "f2pool"
CONF_API_VERSION: Final = "api_version"
CONF_CURRENCY: Final = "currency"
CONF_ACCOUNT: Final = "account"
CONF_TOKEN: Final = "token"  # noqa: S105 (a field name)
CONF_BASE_URL: Final = "base_url"
API_V1: Final = "v1"
API_V2: Final = "v2"
DEFAULT_URL: Final = "https://api.f2pool.com"
# Wallet addresses longer than this are shortened in titles to their first and last 6 characters.
SHORT_ADDRESS: Final = 16

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


def is_legacy(data: Mapping[str, Any]) -> bool:
    """Whether the account is read through the legacy API (v1)."""
    return data.get(CONF_API_VERSION) == API_V1


def open_account(
    hass: HomeAssistant, data: Mapping[str, Any], timeout: float, deadline: float
) -> PoolAccount:
    """The reader of the account, through the API version the entry chose."""
    currency = str(data.get(CONF_CURRENCY) or "")
    name = str(data.get(CONF_ACCOUNT) or "")
    base_url = str(data.get(CONF_BASE_URL) or DEFAULT_URL)
    account: PoolAccount
    if is_legacy(data):
        account = F2PoolV1Account(
            F2PoolV1Client(
                async_get_clientsession(hass),
                currency=currency,
                account=name,
                token=data.get(CONF_TOKEN) or None,
                base_url=base_url,
                timeout=timeout,
            )
        )
    else:
        account = F2PoolV2Account(
            F2PoolV2Client(
                async_get_clientsession(hass),
                currency=currency,
                account=name,
                token=str(data.get(CONF_TOKEN) or ""),
                base_url=base_url,
                timeout=timeout,
            )
        )
    account.deadline = deadline
    return account


def unique_id(data: Mapping[str, Any]) -> str:
    """The currency and a digest of the account, a name or wallet the user typed."""
    digest = hashlib.sha256(str(data[CONF_ACCOUNT]).encode()).hexdigest()[:16]
    return f"{POOL}_{data[CONF_CURRENCY]}_{digest}"


def title(data: Mapping[str, Any], identity: AccountIdentity) -> str:
    """Pool, ticker and account; a long wallet address is shortened."""
    currency = CURRENCIES_BY_NAME[data[CONF_CURRENCY]]
    account = str(data[CONF_ACCOUNT])
    if currency.by_address and len(account) > SHORT_ADDRESS:
        account = f"{account[:6]}…{account[-6:]}"
    return f"F2Pool {currency.ticker} {account}"


class F2PoolFlow(PoolFlow):
    """API version and currency, then the account (a user name or a wallet address)."""

    ERROR_FIELDS: ClassVar[Mapping[str, str]] = {
        ERROR_AUTH: CONF_TOKEN,
        ERROR_ACCOUNT: CONF_ACCOUNT,
        "token": CONF_TOKEN,
        "currency": CONF_CURRENCY,
        ERROR_CONNECTION: CONF_BASE_URL,
        "base_url": CONF_BASE_URL,
    }

    @classmethod
    def placeholders(cls, data: Mapping[str, Any]) -> dict[str, str]:
        """The currency's name, and the API's own address."""
        currency = CURRENCIES_BY_NAME.get(str(data.get(CONF_CURRENCY, "")))
        return {
            "currency": currency.display_name if currency else "",
            "default_url": DEFAULT_URL,
        }

    @classmethod
    def reauth_schema(cls, data: Mapping[str, Any]) -> vol.Schema:
        """A new token; the legacy API reads public accounts without one."""
        token = vol.Optional if is_legacy(data) else vol.Required
        return vol.Schema({token(CONF_TOKEN): PASSWORD})

    @classmethod
    def reconfigure_schema(cls, data: Mapping[str, Any]) -> vol.Schema:  # noqa: ARG003
        """Another API version or address, and optionally a new token."""
        return vol.Schema(
            {
                vol.Required(CONF_API_VERSION): API_VERSION_SELECTOR,
                vol.Optional(CONF_TOKEN): PASSWORD,
                vol.Required(CONF_BASE_URL): URL,
            }
        )

    async def async_step_f2pool(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """API version and currency of an F2Pool account."""
        self.description = F2POOL
        if user_input is not None:
            self._data = dict(user_input)
            form = "address" if CURRENCIES_BY_NAME[user_input[CONF_CURRENCY]].by_address else "user"
            if is_legacy(user_input):
                form = f"legacy_{form}"
            return await self._async_f2pool_account(f"f2pool_{form}", None)
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
        """The user name and token of an F2Pool account (v2)."""
        return await self._async_f2pool_account("f2pool_user", user_input)

    async def async_step_f2pool_address(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """The wallet address and token of an F2Pool account of an address currency (v2)."""
        return await self._async_f2pool_account("f2pool_address", user_input)

    async def async_step_f2pool_legacy_user(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """The user name (and optionally a token) of an F2Pool account (legacy v1)."""
        return await self._async_f2pool_account("f2pool_legacy_user", user_input)

    async def async_step_f2pool_legacy_address(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """The wallet address (and optionally a token) of an address currency (legacy v1)."""
        return await self._async_f2pool_account("f2pool_legacy_address", user_input)

    async def _async_f2pool_account(
        self, step_id: str, user_input: dict[str, Any] | None
    ) -> ConfigFlowResult:
        """One form per API and kind of account, so that each form's help says what is true."""
        token = vol.Optional if is_legacy(self._data) else vol.Required
        schema = vol.Schema(
            {
                vol.Required(CONF_ACCOUNT): TEXT,
                token(CONF_TOKEN): PASSWORD,
                vol.Required(SECTION_ADVANCED): advanced_address(CONF_BASE_URL, DEFAULT_URL),
            }
        )
        if user_input is None:
            return self.async_show_form(
                step_id=step_id,
                data_schema=schema,
                description_placeholders=self.form_placeholders(),
            )
        data = {**self._data, **flatten(user_input)}
        data[CONF_ACCOUNT] = str(data[CONF_ACCOUNT]).strip()
        return await self.create(step_id, data, schema, user_input)


F2POOL: Final = PoolDescription(
    key=POOL,
    manufacturer="F2Pool",
    website="https://www.f2pool.com/",
    flow=F2PoolFlow,
    open=open_account,
    unique_id=unique_id,
    title=title,
    algorithm=lambda data: CURRENCIES_BY_NAME[data[CONF_CURRENCY]].algorithm,
    secrets=frozenset({CONF_TOKEN}),
    # For five currencies the account is a wallet address.
    personal=frozenset({CONF_ACCOUNT}),
)
