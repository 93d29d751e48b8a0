"""Per-account quirks: the shapes real servers were seen to send besides the documented ones.

The defaults are the documented shapes: the seeds' examples, with the keys that later
documentation and real answers add to them (../shared/docs/pool-apis.md). Each field switches
one observed variant on, or, for tests, a hostile one.
"""

from dataclasses import dataclass
from typing import Final, Literal

type ErrMsgForm = Literal["absent", "null", "string", "object"]
type ShareTimeFormat = Literal["unix", "datetime"]
type IsoFraction = Literal["micro", "milli"]
type NeverShared = Literal["null", "empty"]

HOSTILE_NAMES: Final[tuple[str, ...]] = (
    "rig-\ud800",
    "rig\x00\x07\x1b[31m-red",
    "rig\u202egpj.exe",
    "rig\u200b-1",
    "rig\ufeff-2",
    "re\u0301sume\u0301",
    "r" * 10000,
    "矿机-一号",
    "⛏️-rig",
    "\u200b\u200c",
)
HOSTILE_USER_NAME_SUFFIX: Final = "\u202e\x07" + "x" * 5000


@dataclass(frozen=True, kw_only=True, slots=True)
class Quirks:
    """What an account's answers look like.

    Attributes:
        numbers_as_strings: BTC.com earn-stats, realtime/hashrate, worker/stats and worker rows
            send numbers as strings ("22.88", "81687163") as the seed does; False sends JSON
            numbers.
        mixed_types: types drift between rows and endpoints: earn-history page/page_size become
            numbers (the seed has strings) while worker-list page/page_size become strings
            ("6"), every other worker row has a numeric shares_1m beside string shares_5m,
            group gid values are strings ("-1"), every other earn-history date is a string.
        last_share_time_format: BTC.com worker last_share_time as a unix int ("unix") or as
            "YYYY-MM-DD HH:MM:SS" UTC ("datetime").
        err_msg_form: BTC.com err_msg on errors: absent, null, a string, or an object
            {field: [messages]}; with "null", successful answers also carry "err_msg": null
            (otherwise success omits it, as the seed says).
        worker_array_length: F2Pool v1 worker arrays of 8 entries (the seed), 9 (position 8 is a
            real-time hashrate, the one-minute average) or 11 (three trailing zeros).
        iso_fraction: F2Pool v1 last-share times with microseconds ("...19.810789Z") or with
            ".000Z" (the account then records share times to the whole second).
        null_txid: the newest payout has a null transaction id (F2Pool v1 payout_history, v2
            payout_extra.tx_id, BTC.com payment_tx); the truth keeps the real id.
        huge_integers: F2Pool v1 hashrates become floats with a fraction (76936493634245.97)
            and hash counts exact odd integers that a double cannot hold once above 2**53.
        extra_keys: the keys only some real answers carry (BTC.com earn-history rows
            more_than_pps96_rate; worker rows accept_count "-", first_share_time, miner_agent,
            shares_1h, reject_percent_1d, is_top).
        seed_keys_only: answers carry only the keys of the seeds' examples, as the seeds were
            written: F2Pool v1 without the keys real answers add (fixed_balance, fixed_value,
            hashrate_history_local, last, local_hash, ori_hashes_last_day, ori_hashrate,
            ori_value_last_day, payout_history_fee, value_change, value_today), BTC.com
            earn-stats without those newer documentation adds (relative_pps_rate, amount_100t,
            hashrate_yesterday, shares_1d).
        empty_account: the account has no workers and no history: workers [], worker_length 0,
            payout_history [], hashrate_history of zeros, earn-history without rows.
        never_shared_worker: adds a worker "idle-rig" that never submitted a share; F2Pool v1
            shows its last share as null ("null") or "" ("empty").
        unit_letter: the BTC.com unit letter to send instead of the natural one (G, T, P, E for
            the magnitude). A known letter (K M G T P E Z, or "" for H/s) also rescales the
            numbers; an unknown one ("X") is sent beside numbers in the natural unit.
        shared_name: the account gets a second machine named like its first worker (e.g. two
            "worker-1"), with its own worker_id, hashrate and schedule; it counts in the worker
            stats, the totals and the account's hashrate like any worker. BTC.com only (it tells
            the two apart by worker_id); F2Pool accounts, whose workers are known by name alone,
            ignore it.
        hash_rate_unit: Braiins Pool's hash_rate_unit to send instead of the one it picks for the
            magnitude (Gh/s up to Eh/s, so that numbers keep 1 to 3 integer digits, never below
            Gh/s). A known unit also rescales the numbers; an unknown one ("Xh/s") is sent beside
            numbers in the natural unit.
        min_request_interval: Braiins Pool's request limit, in seconds: a request for this
            account (by token) that starts sooner than this after the previous accepted one is
            ignored (counted, then never answered: the connection stays open until the client
            gives up). None (the default) answers every request, so that tests are not slowed.

    Braiins Pool reads numbers_as_strings as its rewards sent as strings ("0.15000000", as
    Braiins does) and mixed_types as its hashrates sent as strings too.
    """

    numbers_as_strings: bool = True
    mixed_types: bool = False
    last_share_time_format: ShareTimeFormat = "unix"
    err_msg_form: ErrMsgForm = "string"
    worker_array_length: Literal[8, 9, 11] = 8
    iso_fraction: IsoFraction = "micro"
    null_txid: bool = False
    huge_integers: bool = False
    extra_keys: bool = False
    seed_keys_only: bool = False
    empty_account: bool = False
    never_shared_worker: NeverShared | None = None
    unit_letter: str | None = None
    hostile_names: bool = False
    rotating_names: bool = False
    shared_name: bool = False
    hash_rate_unit: str | None = None
    min_request_interval: float | None = None
