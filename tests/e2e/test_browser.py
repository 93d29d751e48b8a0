"""Home Assistant in a real browser: sign in, the config flow dialog, the example dashboard.

Debian's chromium (``scripts/test`` installs it) driven by Playwright; the screenshots land in
docs/images/, where the README shows them.
"""

from __future__ import annotations

import shutil
from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp
import pytest

from demo.__main__ import account_flows
from demo.homeassistant import REPOSITORY, HomeAssistantApi, HomeAssistantProcess
from simulator import Simulator
from simulator.__main__ import build_demo

from .test_end_to_end import free_port

pytest.importorskip("hass_frontend", reason="Home Assistant's frontend is not on the floor leg")
playwright = pytest.importorskip("playwright.async_api")
CHROMIUM = shutil.which("chromium")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="scripts/test installs chromium")

USERNAME = "browser"
PASSWORD = "browser-test-password"
IMAGES = REPOSITORY / "docs" / "images"
# The flags that keep Chromium from reaching for the network it does not have.
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
TIMEOUT_MS = 60_000


@pytest.fixture(autouse=True)
def _loopback_sockets(socket_enabled: None) -> None:
    """Reach the Home Assistant process and the simulator on 127.0.0.1."""


@pytest.fixture
async def simulator() -> AsyncIterator[Simulator]:
    sim = build_demo(seed=5, workers=12)
    # The dashboard shows the offline workers: make sure there is one.
    sim.set_worker_online(sim.world.f2pool["litecoin", "demo"], "worker-7", online=False)
    await sim.start()
    yield sim
    await sim.stop()


@pytest.fixture
async def home_assistant(tmp_path: Path, simulator: Simulator) -> AsyncIterator[str]:
    process = HomeAssistantProcess(tmp_path / "config", free_port())
    await process.start()
    async with aiohttp.ClientSession() as session:
        api = HomeAssistantApi(session, process.url)
        await api.sign_in(USERNAME, PASSWORD)
        for steps in account_flows(simulator):
            assert (await api.add_entry(steps))["type"] == "create_entry"
    yield process.url
    await process.stop()


async def test_config_flow_and_dashboard_in_a_browser(home_assistant: str) -> None:
    IMAGES.mkdir(parents=True, exist_ok=True)
    async with playwright.async_playwright() as driver:
        browser = await driver.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_FLAGS
        )
        page = await browser.new_page(viewport={"width": 1280, "height": 900})
        page.set_default_timeout(TIMEOUT_MS)

        await page.goto(f"{home_assistant}/")
        await page.locator("input[name=username]").fill(USERNAME)
        await page.locator("input[name=password]").fill(PASSWORD)
        await page.keyboard.press("Enter")
        await page.wait_for_url("**/home/**")

        await page.goto(f"{home_assistant}/config/integrations/dashboard/add?domain=mining_pool")
        # "Do you want to set up Mining Pool?"
        await page.get_by_role("button", name="OK").click()
        await page.get_by_text("Which pool is the account at?").wait_for()
        await page.get_by_text("Braiins Pool", exact=True).click()
        await page.get_by_text("Braiins Pool account", exact=True).first.wait_for()
        await page.wait_for_timeout(1000)
        await page.screenshot(path=IMAGES / "config_flow.png")

        await page.goto(f"{home_assistant}/mining-pool/farm")
        await page.get_by_text("Offline workers").wait_for()
        for text in (
            "BTC.com BTC spica",
            "F2Pool LTC demo",
            "Braiins Pool BTC vega",
            "Total paid",
            "Estimated reward",
            "Workers low",
            "Workers",
        ):
            await page.get_by_text(text, exact=True).first.wait_for()
        # The Markdown cards list the workers from the registry: worker-7 of the litecoin
        # account is offline (its Online sensor reads Offline, never Disconnected), and every
        # account's twelve workers have a row.
        offline = page.get_by_role("listitem").filter(has_text="worker-7 of F2Pool LTC demo:")
        await offline.get_by_text("Offline for").wait_for()
        assert await page.get_by_role("cell", name="Offline", exact=True).count() >= 1
        assert await page.get_by_text("Disconnected").count() == 0
        assert await page.get_by_role("cell", name="worker-12", exact=True).count() == 4
        await page.wait_for_timeout(2000)
        await page.screenshot(path=IMAGES / "dashboard.png", full_page=True)

        await page.goto(f"{home_assistant}/config/integrations/integration/mining_pool")
        for title in (
            "BTC.com BTC spica",
            "F2Pool BTC user",
            "F2Pool LTC demo",
            "Braiins Pool BTC vega",
        ):
            await page.get_by_text(title, exact=True).first.wait_for()
        # The page opens the first entry's devices: fold them so that the four entries show.
        rows = page.locator("ha-config-entry-row")
        assert await rows.count() == 4
        expanded = page.locator("ha-config-entry-row ha-icon-button.expand-button.expanded")
        for _ in range(await expanded.count()):
            await expanded.first.click()
        await expanded.first.wait_for(state="detached")
        await page.get_by_text("worker-1", exact=True).first.wait_for(state="hidden")
        await page.mouse.move(0, 0)  # no button left highlighted under the pointer
        await page.wait_for_timeout(500)
        await page.screenshot(path=IMAGES / "integration.png")
        await browser.close()

    for name in ("config_flow.png", "dashboard.png", "integration.png"):
        assert (IMAGES / name).stat().st_size > 10_000
