"""Braiins Pool: a Bitcoin account, read with the token of one of its access profiles."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from typing import Any, ClassVar, Final

import voluptuous as vol
from homeassistant.config_entries import ConfigFlowResult
from homeassistant.core import HomeAssistant
from homeassistant.helpers.aiohttp_client import async_get_clientsession
from homeassistant.util.hass_dict import HassKey

from .api import AccountIdentity, BraiinsAccount, BraiinsClient, PoolAccount, RequestPacer
from .api.braiins import DEFAULT_BASE_URL, MIN_REQUEST_INTERVAL
from .pool import (
    ERROR_AUTH,
    ERROR_CONNECTION,
    PASSWORD,
    SECTION_ADVANCED,
    URL,
    PoolDescription,
    PoolFlow,
    advanced_address,
    flatten,
)

POOL: Final = "braiins"
CONF_TOKEN: Final = "token"  # noqa: S105 (a field name)
CONF_BASE_URL: Final = "base_url"
# The account's name as the pool gave it when it was added: what the entry stands for.
CONF_USER: Final = "user"
# Braiins asks for at most one request per five seconds; tests may shorten it.
REQUEST_INTERVAL = MIN_REQUEST_INTERVAL
# One pacer per API address, shared by every entry and flow of this Home Assistant.
PACERS: HassKey[dict[str, RequestPacer]] = HassKey(f"{POOL}_pacers")


def open_account(
    hass: HomeAssistant, data: Mapping[str, Any], timeout: float, deadline: float
) -> PoolAccount:
    """The reader of the account, paced at Braiins' documented rate."""
    base_url = str(data.get(CONF_BASE_URL) or DEFAULT_BASE_URL)
    account = BraiinsAccount(
        BraiinsClient(
            async_get_clientsession(hass),
            token=str(data.get(CONF_TOKEN) or ""),
            base_url=base_url,
            timeout=timeout,
            pacer=_pacer(hass, base_url),
        )
    )
    account.deadline = deadline
    return account


def _pacer(hass: HomeAssistant, base_url: str) -> RequestPacer:
    """The pacer every reader of one address shares: the flow's check, each account's reads.

    Braiins' limit is per client, not per account or token, so two accounts read from one Home
    Assistant take turns too.
    """
    pacers = hass.data.setdefault(PACERS, {})
    if base_url not in pacers:
        pacers[base_url] = RequestPacer(REQUEST_INTERVAL)
    return pacers[base_url]


def unique_id(data: Mapping[str, Any]) -> str:
    """A digest of the account's name (a token changes with every new one; the name stays).

    Where the pool named no one, the token stands in.
    """
    digest = hashlib.sha256(str(data.get(CONF_USER) or data[CONF_TOKEN]).encode()).hexdigest()[:16]
    return f"{POOL}_btc_{digest}"


def title(data: Mapping[str, Any], identity: AccountIdentity) -> str:
    """Pool, coin and the account's name."""
    return f"Braiins Pool BTC {identity.name or data.get(CONF_USER) or 'account'}"


class BraiinsFlow(PoolFlow):
    """The token of an access profile that may read the web APIs, and the API's address."""

    ERROR_FIELDS: ClassVar[Mapping[str, str]] = {
        ERROR_AUTH: CONF_TOKEN,
        "token": CONF_TOKEN,
        ERROR_CONNECTION: CONF_BASE_URL,
        "base_url": CONF_BASE_URL,
    }

    @classmethod
    def placeholders(cls, data: Mapping[str, Any]) -> dict[str, str]:  # noqa: ARG003
        """The API's own address."""
        return {"default_url": DEFAULT_BASE_URL}

    @classmethod
    def reauth_schema(cls, data: Mapping[str, Any]) -> vol.Schema:  # noqa: ARG003
        """A new token."""
        return vol.Schema({vol.Required(CONF_TOKEN): PASSWORD})

    @classmethod
    def reconfigure_schema(cls, data: Mapping[str, Any]) -> vol.Schema:  # noqa: ARG003
        """Another address, and optionally a new token."""
        return vol.Schema({vol.Optional(CONF_TOKEN): PASSWORD, vol.Required(CONF_BASE_URL): URL})

    async def async_step_braiins(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """The token (and, in the advanced section, the address) of a Braiins Pool account."""
        self.description = BRAIINS
        schema = vol.Schema(
            {
                vol.Required(CONF_TOKEN): PASSWORD,
                vol.Required(SECTION_ADVANCED): advanced_address(CONF_BASE_URL, DEFAULT_BASE_URL),
            }
        )
        if user_input is None:
            return self.async_show_form(
                step_id="braiins",
                data_schema=schema,
                description_placeholders=self.form_placeholders(),
            )
        data = flatten(user_input)
        errors, identity = await self.validate(data)
        # The entry stands for the account the token reads, by the name the pool gave it.
        data[CONF_USER] = identity.name or ""
        return await self.finish("braiins", data, schema, user_input, errors, identity)


BRAIINS: Final = PoolDescription(
    key=POOL,
    manufacturer="Braiins",
    website="https://pool.braiins.com/",
    flow=BraiinsFlow,
    open=open_account,
    unique_id=unique_id,
    title=title,
    algorithm=lambda _data: "sha256",
    secrets=frozenset({CONF_TOKEN}),
    personal=frozenset({CONF_USER}),
)
