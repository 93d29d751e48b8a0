"""BTC.com: a sub-account of one coin, read with an access key and its puid."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from typing import Any, ClassVar, Final

import voluptuous as vol
from homeassistant.config_entries import ConfigFlowResult
from homeassistant.core import HomeAssistant
from homeassistant.helpers.aiohttp_client import async_get_clientsession
from homeassistant.helpers.selector import (
    SelectSelector,
    SelectSelectorConfig,
    SelectSelectorMode,
)

from .api import (
    BTCCOM_ALGORITHM,
    ENDPOINTS,
    ENDPOINTS_BY_KEY,
    AccountIdentity,
    BtcComAccount,
    BtcComClient,
    PoolAccount,
)
from .pool import (
    ERROR_ACCOUNT,
    ERROR_AUTH,
    ERROR_CONNECTION,
    PASSWORD,
    TEXT,
    PoolDescription,
    PoolFlow,
    on_form,
)

POOL: Final = "btccom"
CONF_ENDPOINT: Final = "endpoint"
CONF_CUSTOM_HOST: Final = "custom_host"
CONF_COIN: Final = "coin"
CONF_ACCESS_KEY: Final = "access_key"
CONF_PUID: Final = "puid"
ENDPOINT_CUSTOM: Final = "custom"
COINS: Final = ["BTC", "BCH", "SBTC", "UBTC"]
# The custom host form's examples: BTC.com's own API host, and an address of a local proxy.
EXAMPLE_HOST: Final = "pool.api.btc.com"
EXAMPLE_URL: Final = "http://127.0.0.1:8081"

ENDPOINT_SELECTOR = SelectSelector(
    SelectSelectorConfig(
        options=[*(endpoint.key for endpoint in ENDPOINTS), ENDPOINT_CUSTOM],
        translation_key=CONF_ENDPOINT,
        mode=SelectSelectorMode.DROPDOWN,
    )
)
COIN_SELECTOR = SelectSelector(
    SelectSelectorConfig(options=COINS, mode=SelectSelectorMode.DROPDOWN)
)


def open_account(
    hass: HomeAssistant, data: Mapping[str, Any], timeout: float, deadline: float
) -> PoolAccount:
    """The reader of a sub-account, at a preset endpoint or a host of the user's."""
    endpoint = str(data.get(CONF_ENDPOINT) or "")
    preset = ENDPOINTS_BY_KEY.get(endpoint)
    client = BtcComClient(
        async_get_clientsession(hass),
        access_key=str(data.get(CONF_ACCESS_KEY) or ""),
        puid=data.get(CONF_PUID) or "",
        endpoint=str(data.get(CONF_CUSTOM_HOST) or "") if endpoint == ENDPOINT_CUSTOM else endpoint,
        timeout=timeout,
    )
    account = BtcComAccount(client, preset.coin if preset else str(data.get(CONF_COIN) or "BTC"))
    account.deadline = deadline
    return account


def unique_id(data: Mapping[str, Any]) -> str:
    """The coin and a digest of the puid, which is kept out of ids (they reach logs)."""
    digest = hashlib.sha256(str(data[CONF_PUID]).encode()).hexdigest()[:16]
    return f"{POOL}_{str(data[CONF_COIN]).lower()}_{digest}"


def title(data: Mapping[str, Any], identity: AccountIdentity) -> str:
    """Pool, coin and the sub-account's name."""
    return f"BTC.com {data[CONF_COIN]} {identity.name or 'account'}"


class BtcComFlow(PoolFlow):
    """Endpoint, access key and puid; a host of the user's on a second form."""

    ERROR_FIELDS: ClassVar[Mapping[str, str]] = {
        ERROR_AUTH: CONF_ACCESS_KEY,
        ERROR_ACCOUNT: CONF_PUID,
        ERROR_CONNECTION: CONF_ENDPOINT,
        "access_key": CONF_ACCESS_KEY,
        "puid": CONF_PUID,
        "endpoint": CONF_ENDPOINT,
    }

    @classmethod
    def error_field(cls, kind: str, data: Mapping[str, Any]) -> str:
        """A host of the user's has its own field."""
        field = super().error_field(kind, data)
        if field == CONF_ENDPOINT and data.get(CONF_ENDPOINT) == ENDPOINT_CUSTOM:
            return CONF_CUSTOM_HOST
        return field

    @classmethod
    def placeholders(cls, data: Mapping[str, Any]) -> dict[str, str]:  # noqa: ARG003
        """Examples of a host and of a full address, kept out of the texts."""
        return {"example_host": EXAMPLE_HOST, "example_url": EXAMPLE_URL}

    @classmethod
    def reauth_schema(cls, data: Mapping[str, Any]) -> vol.Schema:  # noqa: ARG003
        """A new access key."""
        return vol.Schema({vol.Required(CONF_ACCESS_KEY): PASSWORD})

    @classmethod
    def reconfigure_schema(cls, data: Mapping[str, Any]) -> vol.Schema:  # noqa: ARG003
        """Another endpoint or host of the same coin, and optionally a new key."""
        return vol.Schema(
            {
                vol.Required(CONF_ENDPOINT): ENDPOINT_SELECTOR,
                vol.Optional(CONF_CUSTOM_HOST): TEXT,
                vol.Optional(CONF_ACCESS_KEY): PASSWORD,
            }
        )

    @classmethod
    def reconfigured(cls, data: Mapping[str, Any], user_input: Mapping[str, Any]) -> dict[str, Any]:
        """A preset endpoint sets the coin, so that one of another coin is another account."""
        updated = super().reconfigured(data, user_input)
        if (preset := ENDPOINTS_BY_KEY.get(updated.get(CONF_ENDPOINT, ""))) is not None:
            updated[CONF_COIN] = preset.coin
        return updated

    @staticmethod
    def _btccom_schema() -> vol.Schema:
        return vol.Schema(
            {
                vol.Required(CONF_ENDPOINT, default=ENDPOINTS[2].key): ENDPOINT_SELECTOR,
                vol.Required(CONF_ACCESS_KEY): PASSWORD,
                vol.Required(CONF_PUID): TEXT,
            }
        )

    async def async_step_btccom(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """Endpoint, access key and puid of a BTC.com sub-account."""
        self.description = BTCCOM
        schema = self._btccom_schema()
        if user_input is None:
            return self.async_show_form(step_id="btccom", data_schema=schema)
        # A host and coin entered before (the key was refused on the way) stay for the next form.
        self._data = {**self._data, **user_input, CONF_PUID: str(user_input[CONF_PUID]).strip()}
        if user_input[CONF_ENDPOINT] == ENDPOINT_CUSTOM:
            return await self.async_step_btccom_custom()
        data = {key: value for key, value in self._data.items() if key != CONF_CUSTOM_HOST}
        data[CONF_COIN] = ENDPOINTS_BY_KEY[user_input[CONF_ENDPOINT]].coin
        return await self.create("btccom", data, schema, user_input)

    async def async_step_btccom_custom(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """The host (or base URL) and coin of a BTC.com endpoint that is not a preset."""
        schema = vol.Schema(
            {
                vol.Required(CONF_CUSTOM_HOST): TEXT,
                vol.Required(CONF_COIN, default=COINS[0]): COIN_SELECTOR,
            }
        )
        if user_input is None:
            return self.show_again("btccom_custom", schema, self._data, {})
        self._data = {**self._data, **user_input}
        errors, identity = await self.validate(self._data)
        if errors.keys() & {CONF_ACCESS_KEY, CONF_PUID}:
            # The key or the puid was refused: they are asked for on the first form.
            schema = self._btccom_schema()
            return self.show_again("btccom", schema, self._data, on_form(errors, schema))
        return await self.finish("btccom_custom", self._data, schema, user_input, errors, identity)


BTCCOM: Final = PoolDescription(
    key=POOL,
    manufacturer="BTC.com",
    website="https://pool.btc.com/",
    flow=BtcComFlow,
    open=open_account,
    unique_id=unique_id,
    title=title,
    algorithm=lambda _data: BTCCOM_ALGORITHM,
    secrets=frozenset({CONF_ACCESS_KEY}),
    personal=frozenset({CONF_PUID}),
)
