"""The fake Braiins Pool over HTTP: shapes, tokens, worker states, ledger, units, rate, faults."""

import asyncio
import json
import math
from datetime import timedelta
from decimal import Decimal
from typing import Any

import aiohttp
import pytest

from simulator import HOSTILE_NAMES, HOSTILE_USER_NAME_SUFFIX, Fault, Quirks
from simulator.state import BraiinsAccount

from .conftest import START, Pools

TOKEN = "br-demo"
PROFILE = "/accounts/profile/json/btc/"
WORKERS = "/accounts/workers/json/btc/"
REWARDS = "/accounts/rewards/json/btc/"
PAYOUTS = "/accounts/payouts/json/btc/"
ELSEWHERE = "http://127.0.0.1:9"
UNIT_FACTORS = {"Gh/s": 1e9, "Th/s": 1e12, "Ph/s": 1e15, "Eh/s": 1e18}


def braiins(pools: Pools, token: str = TOKEN, workers: int = 12, **quirks: Any) -> BraiinsAccount:
    return pools.sim.add_braiins_account(
        token=token, workers=workers, user_name="satoshi", quirks=Quirks(**quirks)
    )


async def get(
    pools: Pools, path: str, token: str | None = TOKEN, header: str = "Pool-Auth-Token"
) -> tuple[int, str, str]:
    headers = {header: token} if token is not None else {}
    async with pools.session.get(
        f"{pools.sim.braiins_url}{path}", headers=headers, allow_redirects=False
    ) as response:
        return response.status, response.content_type, await response.text()


async def body(pools: Pools, path: str, token: str = TOKEN) -> Any:
    status, content_type, text = await get(pools, path, token)
    assert (status, content_type) == (200, "application/json"), text
    return json.loads(text)


async def test_profile(pools: Pools) -> None:
    truth = braiins(pools)
    profile = await body(pools, PROFILE)
    assert profile["username"] == "satoshi"
    btc = profile["btc"]
    assert btc["current_balance"] == f"{truth.balance:.8f}"
    assert btc["today_reward"] == f"{truth.earnings_today:.8f}"
    assert btc["all_time_reward"] == f"{truth.total_income:.8f}"
    assert btc["estimated_reward"] == f"{truth.estimated_reward:.8f}"
    assert Decimal(btc["all_time_reward"]) == sum(credit.amount for credit in truth.credits)
    factor = UNIT_FACTORS[btc["hash_rate_unit"]]
    assert btc["hash_rate_unit"] == "Ph/s"
    assert btc["hash_rate_5m"] * factor == pytest.approx(truth.average_hs(300), rel=1e-5)
    assert btc["hash_rate_24h"] * factor == pytest.approx(truth.average_hs(86400), rel=1e-5)
    states = [truth.braiins_state(name) for name in truth.workers]
    for state in ("ok", "low", "off", "dis"):
        assert btc[f"{state}_workers"] == states.count(state)
    assert btc["low_workers"] > 0
    assert all(isinstance(btc[key], int) for key in ("shares_5m", "shares_24h"))


@pytest.mark.parametrize(
    "header",
    ["Pool-Auth-Token", "X-Pool-Auth-Token", "SlushPool-Auth-Token", "X-SlushPool-Auth-Token"],
)
async def test_every_documented_token_header(pools: Pools, header: str) -> None:
    braiins(pools)
    status, _, text = await get(pools, PROFILE, header=header)
    assert status == 200
    assert json.loads(text)["username"] == "satoshi"


async def test_refusals_and_unknown_paths(pools: Pools) -> None:
    braiins(pools)
    assert await get(pools, PROFILE, token="wrong") == (
        403,
        "text/plain",
        "Invalid Access Profile token",
    )
    assert (await get(pools, PROFILE, token=None))[0] == 403
    assert (await get(pools, "/accounts/profile/json/btc"))[0] == 200
    assert (await get(pools, "/accounts/profile/json/ltc/"))[:2] == (404, "text/plain")
    assert (await get(pools, "/accounts/profile/json/btc/x"))[0] == 404
    async with pools.session.post(
        f"{pools.sim.braiins_url}{PROFILE}", headers={"Pool-Auth-Token": TOKEN}
    ) as response:
        assert response.status == 405
    assert pools.sim.request_counts["braiins:unknown"] == 2
    assert pools.sim.request_counts["braiins:/accounts/profile/json/btc/"] == 4
    with pytest.raises(ValueError, match="already exists"):
        braiins(pools)


async def test_worker_states(pools: Pools) -> None:
    truth = braiins(pools, workers=8)
    rows = (await body(pools, WORKERS))["btc"]["workers"]
    assert set(rows) == set(truth.workers)
    states = {name: row["state"] for name, row in rows.items()}
    assert set(states.values()) == {"ok", "low"}
    low = [name for name, state in states.items() if state == "low"]
    for name in low:
        limit = truth.alert_limit(truth.workers[name])
        assert truth.view().stats(name).hashrate < limit
    pools.sim.set_worker_online(truth, "worker-1", online=False)
    pools.sim.advance(timedelta(hours=2))
    assert (await body(pools, WORKERS))["btc"]["workers"]["worker-1"]["state"] == "off"
    pools.sim.advance(timedelta(days=2))
    gone = (await body(pools, WORKERS))["btc"]["workers"]["worker-1"]
    assert gone["state"] == "dis"
    assert gone["hash_rate_5m"] == 0
    assert (await body(pools, PROFILE))["btc"]["dis_workers"] >= 1
    pools.sim.add_worker(truth, "rig-new")
    pools.sim.remove_worker(truth, "worker-2")
    rows = (await body(pools, WORKERS))["btc"]["workers"]
    assert "rig-new" in rows
    assert "worker-2" not in rows
    assert rows["rig-new"]["hash_rate_unit"] == "Th/s"
    assert START.timestamp() < rows["rig-new"]["last_share"] <= pools.sim.clock.now().timestamp()


async def test_same_seed_same_low_workers(pools: Pools) -> None:
    first = braiins(pools, token="a", workers=30)
    second = braiins(pools, token="a2", workers=30)
    low = {name for name in first.workers if first.braiins_state(name) == "low"}
    assert low == {name for name in first.workers if first.braiins_state(name) == "low"}
    assert 0 < len(low) < 30
    assert second.key != first.key


async def test_rewards_and_payouts(pools: Pools) -> None:
    truth = braiins(pools)
    days = (await body(pools, REWARDS))["btc"]["daily_rewards"]
    assert [row["total_reward"] for row in days] == [
        f"{credit.amount:.8f}" for credit in reversed(truth.credits)
    ]
    assert days[0]["date"] == int(truth.credits[-1].at) - 86400
    some = (await body(pools, f"{REWARDS}?from=2026-10-25&to=2026-10-27"))["btc"]["daily_rewards"]
    assert len(some) == 3
    for query in ("?from=2026-11-02&to=2026-11-01", "?from=yesterday", "?to=2026-13-01"):
        assert (await get(pools, REWARDS + query))[:2] == (400, "text/plain")
    payouts = await body(pools, f"{PAYOUTS}?from=2026-01-01&to=2026-12-31")
    assert payouts["lightning"] == []
    assert [
        (row["amount_sats"], row["tx_id"], row["resolved_at_ts"]) for row in payouts["onchain"]
    ] == [(payout.units, payout.txid, int(payout.at)) for payout in truth.payouts]
    assert {row["status"] for row in payouts["onchain"]} == {"confirmed"}
    last = truth.payouts[-1].time.date().isoformat()
    recent = (await body(pools, f"{PAYOUTS}?from={last}&to={last}"))["onchain"]
    assert [row["tx_id"] for row in recent] == [truth.payouts[-1].txid]


async def test_quirks(pools: Pools) -> None:
    braiins(pools, token="n", numbers_as_strings=False, null_txid=True, mixed_types=True)
    btc = (await body(pools, PROFILE, "n"))["btc"]
    assert isinstance(btc["current_balance"], float | int)
    assert isinstance(btc["hash_rate_5m"], str)
    payouts = (await body(pools, PAYOUTS, "n"))["onchain"]
    assert payouts[-1]["tx_id"] is None
    assert payouts[0]["tx_id"]
    small = braiins(pools, token="s", workers=1)
    one = (await body(pools, PROFILE, "s"))["btc"]
    assert one["hash_rate_unit"] == "Th/s"
    assert one["hash_rate_5m"] * 1e12 == pytest.approx(small.average_hs(300), rel=1e-5)
    braiins(pools, token="x", workers=3, hash_rate_unit="Xh/s")
    odd = (await body(pools, PROFILE, "x"))["btc"]
    assert odd["hash_rate_unit"] == "Xh/s"
    assert 1 <= odd["hash_rate_5m"] < 1000


async def test_requests_above_the_rate_are_ignored(pools: Pools) -> None:
    braiins(pools, min_request_interval=0.3)
    braiins(pools, token="other")
    assert (await get(pools, PROFILE))[0] == 200
    with pytest.raises(TimeoutError):
        async with pools.session.get(
            f"{pools.sim.braiins_url}{PROFILE}",
            headers={"Pool-Auth-Token": TOKEN},
            timeout=aiohttp.ClientTimeout(total=0.2),
        ):
            pass
    # Without the quirk (another account), nothing is ignored.
    assert (await get(pools, PROFILE, "other"))[0] == 200
    assert (await get(pools, PROFILE, "other"))[0] == 200
    await asyncio.sleep(0.3)
    assert (await get(pools, WORKERS))[0] == 200
    assert pools.sim.request_counts["braiins:/accounts/profile/json/btc/"] == 4


async def test_faults(pools: Pools) -> None:
    braiins(pools)
    pools.sim.set_fault("braiins", "*", Fault(auth_failure=True, times=1))
    assert await get(pools, PROFILE) == (403, "text/plain", "Invalid Access Profile token")
    pools.sim.set_fault("braiins", WORKERS, Fault(rate_limit=True, times=1))
    async with pools.session.get(
        f"{pools.sim.braiins_url}{WORKERS}", headers={"Pool-Auth-Token": TOKEN}
    ) as response:
        assert (response.status, response.headers["Retry-After"]) == (429, "60")
    pools.sim.set_fault("braiins", PROFILE, Fault(data=[1], times=1))
    assert await body(pools, PROFILE) == [1]
    pools.sim.set_fault("braiins", PROFILE, Fault(status=500, times=1))
    assert await get(pools, PROFILE) == (500, "text/plain", "500: Internal Server Error")
    pools.sim.set_fault("braiins", PROFILE, Fault(redirect=ELSEWHERE, times=1))
    status, _, text = await get(pools, PROFILE)
    assert (status, text) == (302, "")
    assert (await body(pools, PROFILE))["username"] == "satoshi"


async def test_hostile_modes(pools: Pools) -> None:
    truth = braiins(pools, hostile_names=True)
    raw = (await get(pools, WORKERS))[2]
    assert '"rig-\\ud800":' in raw
    rows = json.loads(raw)["btc"]["workers"]
    assert set(HOSTILE_NAMES) <= set(rows)
    assert {rows[name]["state"] for name in HOSTILE_NAMES} <= {"ok", "low"}
    profile = await body(pools, PROFILE)
    assert profile["username"] == "satoshi" + HOSTILE_USER_NAME_SUFFIX
    assert len(truth.workers) == 12 + len(HOSTILE_NAMES)
    pools.sim.set_fault("braiins", "*", Fault(hostile_numbers=True, times=1))
    btc = (await body(pools, PROFILE))["btc"]
    assert btc["hash_rate_5m"] == math.inf
    assert btc["current_balance"] == "1e999999999999999999"
    pools.sim.set_fault("braiins", "*", Fault(hostile_times=True, fresh_units=True, times=1))
    rows = (await body(pools, WORKERS))["btc"]["workers"]
    assert {row["last_share"] for row in rows.values()} == {253402300800, -62135596801}
    assert all(row["hash_rate_unit"].startswith("X") for row in rows.values())
    pools.sim.set_fault("braiins", "*", Fault(unknown_statuses=True, times=1))
    rows = (await body(pools, WORKERS))["btc"]["workers"]
    assert all(row["state"].startswith("ZOMBIE") for row in rows.values())


async def test_rotating_names(pools: Pools) -> None:
    truth = braiins(pools, workers=3, rotating_names=True)
    first = set((await body(pools, WORKERS))["btc"]["workers"])
    second = set((await body(pools, WORKERS))["btc"]["workers"])
    assert first == {f"worker-{i}-g1" for i in range(1, 4)}
    assert second == {f"worker-{i}-g2" for i in range(1, 4)} == set(truth.workers)
    assert (await body(pools, PROFILE))["btc"]["ok_workers"] + (await body(pools, PROFILE))["btc"][
        "low_workers"
    ] == 3
    assert truth.generation == 2
