"""The currencies F2Pool's API serves, by the names its URLs use.

The list is the 26 of the F2Pool API document. Five of them name an account by its wallet
address instead of a user name.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from .errors import InvalidInputError


@dataclass(frozen=True, slots=True)
class Currency:
    """One currency of F2Pool: its URL name, ticker, display name and mining algorithm."""

    name: str
    ticker: str
    display_name: str
    algorithm: str
    by_address: bool = False


CURRENCIES: Final = (
    Currency("bitcoin", "BTC", "Bitcoin", "sha256"),
    Currency("bitcoin-cash", "BCH", "Bitcoin Cash", "sha256"),
    Currency("litecoin", "LTC", "Litecoin", "scrypt"),
    Currency("ethereum-classic", "ETC", "Ethereum Classic", "etchash"),
    Currency("ethereumpow", "ETHW", "EthereumPoW", "ethash"),
    Currency("zec", "ZEC", "Zcash", "equihash"),
    Currency("zen", "ZEN", "Horizen", "equihash"),
    Currency("dash", "DASH", "Dash", "x11"),
    Currency("handshake", "HNS", "Handshake", "blake2b_sha3"),
    Currency("kadena", "KDA", "Kadena", "blake2s"),
    Currency("nervos", "CKB", "Nervos CKB", "eaglesong"),
    Currency("raven", "RVN", "Ravencoin (user name)", "kawpow"),
    Currency("conflux", "CFX", "Conflux", "octopus"),
    Currency("aleo-test3", "ALEO", "Aleo", "aleo"),
    Currency("etc-zil", "ETC+ZIL", "ETC + Zilliqa", "etchash"),
    Currency("kaspa", "KAS", "Kaspa", "kheavyhash"),
    Currency("ironfish", "IRON", "Iron Fish", "fishhash"),
    Currency("bells", "BEL", "Bells", "scrypt"),
    Currency("microvisionchain", "SPACE", "MicroVisionChain", "sha256"),
    Currency("zephyr", "ZEPH", "Zephyr", "randomx"),
    Currency("nexa", "NEXA", "Nexa", "nexapow"),
    Currency("siacoin-new", "SC", "Siacoin", "blake2b", by_address=True),
    Currency("ravenp", "RVN", "Ravencoin (address)", "kawpow", by_address=True),
    Currency("zilliqa-etc-zil", "ZIL", "Zilliqa (ETC + ZIL)", "etchash", by_address=True),
    Currency("zilliqa-etc", "ETC", "Ethereum Classic (Zilliqa)", "etchash", by_address=True),
    Currency("dynex", "DNX", "Dynex", "dynexsolve", by_address=True),
)
CURRENCIES_BY_NAME: Final = {currency.name: currency for currency in CURRENCIES}


def currency(name: str) -> Currency:
    """Return the currency of this URL name; an unknown one is refused before any request."""
    found = CURRENCIES_BY_NAME.get(name) if isinstance(name, str) else None
    if found is None:
        raise InvalidInputError("currency", "F2Pool does not serve this currency")
    return found
