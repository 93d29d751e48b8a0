"""What the integration knows of a pool, and the flow steps every pool's own steps build on.

A pool's module describes it with a ``PoolDescription``; everything outside the pool modules
reads descriptions and never asks which pool an account is at.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, ClassVar, Final

import voluptuous as vol
from homeassistant.config_entries import ConfigFlow, ConfigFlowResult
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import section
from homeassistant.helpers.selector import TextSelector, TextSelectorConfig, TextSelectorType

from .api import (
    AccountIdentity,
    AccountNotFoundError,
    AuthenticationError,
    CannotConnectError,
    InvalidInputError,
    MiningPoolError,
    PoolAccount,
    RateLimitedError,
    RedirectError,
)
from .const import CONF_POOL, LOGGER, REFRESH_DEADLINE_SECONDS, REQUEST_TIMEOUT_SECONDS

# The selectors of the pools' forms.
PASSWORD = TextSelector(TextSelectorConfig(type=TextSelectorType.PASSWORD))
TEXT = TextSelector()
URL = TextSelector(TextSelectorConfig(type=TextSelectorType.URL))
# The collapsed section that holds a pool's API address.
SECTION_ADVANCED: Final = "advanced"

# What went wrong in a check of the settings, by the kind of field it belongs to.
ERROR_AUTH = "auth"
ERROR_ACCOUNT = "account"
ERROR_CONNECTION = "connection"


@dataclass(frozen=True, kw_only=True)
class PoolDescription:
    """One pool: how its accounts are set up, named, read and shown.

    Attributes:
        key: the pool's option in the flow's menu, stored in each entry's data as ``pool``.
        manufacturer: the name devices of its accounts and workers carry.
        website: where the user manages the account (the devices' link).
        flow: the config flow steps that add an account of this pool, and its reauth and
            reconfigure forms.
        open: builds the account's reader from an entry's data, with Home Assistant (its HTTP
            session, anything the pool's accounts share), the per-request timeout and the
            per-read deadline; raises ``InvalidInputError``.
        unique_id: one id per pool account, made of a fixed alphabet (letters, digits, ``_``
            and ``-``) so that ids built on it cannot be forged by account or worker names.
        title: the entry's name, from its data and what the pool said of the account.
        algorithm: the account's mining algorithm, known without a request.
        secrets: the data fields that are credentials: redacted, never shown back in a form.
        personal: other data fields that identify a person (an account name, a wallet).
    """

    key: str
    manufacturer: str
    website: str
    flow: type[PoolFlow]
    open: Callable[[HomeAssistant, Mapping[str, Any], float, float], PoolAccount]
    unique_id: Callable[[Mapping[str, Any]], str]
    title: Callable[[Mapping[str, Any], AccountIdentity], str]
    algorithm: Callable[[Mapping[str, Any]], str]
    secrets: frozenset[str]
    personal: frozenset[str] = frozenset()

    def open_account(self, hass: HomeAssistant, data: Mapping[str, Any]) -> PoolAccount:
        """The reader of the account ``data`` describes, with the integration's time limits."""
        return self.open(hass, data, REQUEST_TIMEOUT_SECONDS, REFRESH_DEADLINE_SECONDS)


def advanced_address(field: str, default: str) -> section:
    """The collapsed *Advanced* section with the API address, ``default`` unless changed."""
    return section(vol.Schema({vol.Required(field, default=default): URL}), {"collapsed": True})


def on_form(errors: Mapping[str, str], schema: vol.Schema) -> dict[str, str]:
    """Errors by the data field they belong to, placed where the form shows that field.

    A field in a section has its error at the section (the frontend shows errors of a form's
    own items only); an error of a field the form does not have goes to the form's message.
    """
    placed: dict[str, str] = {}
    for field, error in errors.items():
        place = "base"
        for key, value in schema.schema.items():
            if str(key) == field or (isinstance(value, section) and field in fields_of(value)):
                place = str(key)
                break
        placed.setdefault(place, error)
    return placed


def fields_of(form_section: section) -> set[str]:
    """The names of the fields a section holds."""
    return {str(key) for key in form_section.schema.schema}


def open_sections(
    schema: vol.Schema, values: Mapping[str, Any], errors: Mapping[str, str]
) -> vol.Schema:
    """The form shown again: a section opens where it has an error or a value of the user's.

    A collapsed section would hide the field the user has to correct, or a value they set.
    """
    return vol.Schema(
        {
            key: section(value.schema, {**value.options, "collapsed": False})
            if isinstance(value, section)
            and (str(key) in errors or changed_in(value, values.get(str(key)) or {}))
            else value
            for key, value in schema.schema.items()
        }
    )


def changed_in(form_section: section, values: Mapping[str, Any]) -> bool:
    """Whether ``values`` set a field of the section to something other than its default."""
    try:
        defaults = form_section.schema({})
    except vol.Invalid:
        # A section with a field that has no default is never folded away in the first place.
        return True
    return any(values.get(key) not in (None, "", default) for key, default in defaults.items())


def flatten(user_input: Mapping[str, Any]) -> dict[str, Any]:
    """Lift the fields of the advanced section to the top level, where the entry keeps them."""
    data = {key: value for key, value in user_input.items() if key != SECTION_ADVANCED}
    data.update(user_input.get(SECTION_ADVANCED, {}))
    return data


class PoolFlow(ConfigFlow):
    """The steps a pool's flow shares: check the settings, then create the entry or show why.

    The integration's flow inherits every pool's flow class, so a pool's steps are named after
    the pool (``async_step_<key>``, ``async_step_<key>_<more>``), its first step sets
    ``description``, and what differs between pools is asked of ``description.flow`` (class
    methods), never of ``self``, whose methods another pool's class could shadow.
    """

    # Which form field an error of each kind (and each malformed library input) is shown at.
    ERROR_FIELDS: ClassVar[Mapping[str, str]] = {}
    description: PoolDescription

    def __init__(self) -> None:
        """Start with nothing chosen."""
        self._data: dict[str, Any] = {}
        self._redirected_to = ""

    @classmethod
    def error_field(cls, kind: str, data: Mapping[str, Any]) -> str:  # noqa: ARG003
        """The form field an error of ``kind`` is shown at; the form's own message if none."""
        return cls.ERROR_FIELDS.get(kind, "base")

    @classmethod
    def placeholders(cls, data: Mapping[str, Any]) -> dict[str, str]:  # noqa: ARG003
        """What the pool's forms fill into their texts."""
        return {}

    @classmethod
    def reauth_schema(cls, data: Mapping[str, Any]) -> vol.Schema:
        """The form that asks for new credentials."""
        raise NotImplementedError

    @classmethod
    def reconfigure_schema(cls, data: Mapping[str, Any]) -> vol.Schema:
        """The form that changes how the account is reached."""
        raise NotImplementedError

    @classmethod
    def reconfigured(cls, data: Mapping[str, Any], user_input: Mapping[str, Any]) -> dict[str, Any]:
        """The entry's data after a reconfiguration; a secret left empty keeps the stored one."""
        return {**data, **{key: value for key, value in user_input.items() if value}}

    def form_placeholders(self) -> dict[str, str]:
        """The placeholders of the pool's forms and of the "redirected" error."""
        return {**self.description.flow.placeholders(self._data), **self.redirect_placeholder()}

    def redirect_placeholder(self) -> dict[str, str]:
        """The placeholder of the "redirected" error, where the pool redirected."""
        return {"location": self._redirected_to} if self._redirected_to else {}

    async def validate(self, data: dict[str, Any]) -> tuple[dict[str, str], AccountIdentity]:
        """Check the settings with one real request; return form errors by field.

        A redirect's new address is kept for the form's message.
        """
        kind, error = "", ""
        self._redirected_to = ""
        try:
            account = self.description.open_account(self.hass, data)
            identity = await account.identify()
        except InvalidInputError as err:
            kind, error = err.field, "invalid_input"
        except AuthenticationError:
            kind, error = ERROR_AUTH, "invalid_auth"
        except AccountNotFoundError:
            kind, error = ERROR_ACCOUNT, "account_not_found"
        except RedirectError as err:
            kind, error = ERROR_CONNECTION, "redirected"
            self._redirected_to = err.location
        except CannotConnectError:
            kind, error = ERROR_CONNECTION, "cannot_connect"
        except RateLimitedError:
            error = "rate_limited"
        except MiningPoolError:
            error = "unknown"
        except Exception:  # noqa: BLE001 (a form error, never an HTTP 500 for the user)
            LOGGER.exception("Unexpected error while checking a pool account")
            error = "unknown"
        else:
            return {}, identity
        return {self.description.flow.error_field(kind, data): error}, AccountIdentity()

    async def create(
        self, step_id: str, data: dict[str, Any], schema: vol.Schema, user_input: dict[str, Any]
    ) -> ConfigFlowResult:
        """Check the settings; create the entry, or show the form again with the errors."""
        errors, identity = await self.validate(data)
        return await self.finish(step_id, data, schema, user_input, errors, identity)

    async def finish(
        self,
        step_id: str,
        data: dict[str, Any],
        schema: vol.Schema,
        user_input: dict[str, Any],
        errors: dict[str, str],
        identity: AccountIdentity,
    ) -> ConfigFlowResult:
        """Create the entry where the check passed; otherwise show the form with the errors."""
        if not errors:
            data = {CONF_POOL: self.description.key, **data}
            await self.async_set_unique_id(self.description.unique_id(data))
            self._abort_if_unique_id_configured()
            return self.async_create_entry(title=self.description.title(data, identity), data=data)
        return self.show_again(step_id, schema, user_input, on_form(errors, schema))

    def show_again(
        self,
        step_id: str,
        schema: vol.Schema,
        user_input: Mapping[str, Any],
        errors: dict[str, str],
    ) -> ConfigFlowResult:
        """A form again with what the user entered, its sections open where they need to be."""
        return self.async_show_form(
            step_id=step_id,
            data_schema=self.add_suggested_values_to_schema(
                open_sections(schema, user_input, errors), user_input
            ),
            errors=errors,
            description_placeholders=self.form_placeholders(),
        )
