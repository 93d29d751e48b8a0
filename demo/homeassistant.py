"""A Home Assistant process on loopback, and the HTTP calls a user's browser would make."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import socket
import subprocess
import sys
from http import HTTPStatus
from pathlib import Path
from typing import Any, Final

import aiohttp

REPOSITORY: Final = Path(__file__).resolve().parent.parent
CLIENT_ID: Final = "http://127.0.0.1/"
START_TIMEOUT: Final = 180.0
# Home Assistant stops in a second or two; one that takes longer is killed.
STOP_TIMEOUT: Final = 10.0
# The exit code of a restart asked for in Home Assistant (Settings > System > Restart).
RESTART_EXIT_CODE: Final = 100
LOG: Final = "home-assistant.log"
BLUEPRINTS: Final = Path("blueprints", "automation", "mining_pool")
CONFIGURATION: Final = """\
# Written by the demo (scripts/develop) at every start. Automations, scripts and scenes saved
# in the UI go to their own files, which it keeps. The port is set with --port.
homeassistant:
  name: Mining Pool demo
  time_zone: UTC
  country: US
  unit_system: metric
  currency: USD
  latitude: 0
  longitude: 0
  elevation: 0
frontend:
config:
recorder:
history:
automation: !include automations.yaml
script: !include scripts.yaml
scene: !include scenes.yaml
lovelace:
  dashboards:
    mining-pool:
      mode: yaml
      filename: dashboards/mining_pool.yaml
      title: Mining Pool
      icon: mdi:pickaxe
      show_in_sidebar: true
logger:
  default: warning
  logs:
    custom_components.mining_pool: info
"""
# Onboarding's location step sets up Google Translate, Met and Radio Browser, which need
# packages and a network the demo does not have: a new instance starts with that step done (and
# the analytics and discovered-integrations ones, which ask nothing the demo needs), so that
# onboarding only creates the user. Home Assistant's onboarding store, version 4 in 2026.3 to
# 2026.11.
ONBOARDING: Final = {
    "version": 4,
    "minor_version": 1,
    "key": "onboarding",
    "data": {"done": ["core_config", "analytics", "integration"]},
}


class HomeAssistantProcess:
    """``hass`` with a configuration folder of its own, linked to this repository's integration."""

    def __init__(self, config_dir: Path, port: int) -> None:
        """Use ``config_dir`` (created if needed) and serve on ``port``."""
        self.config_dir = config_dir
        self.port = port
        self.url = f"http://127.0.0.1:{port}"
        self.log = config_dir / LOG
        self._process: asyncio.subprocess.Process | None = None

    def prepare(self) -> None:
        """Write the configuration, link the repository's integration, dashboard and blueprints."""
        storage = self.config_dir / ".storage"
        new = not (storage / "auth").exists()
        storage.mkdir(parents=True, exist_ok=True)
        (self.config_dir / "configuration.yaml").write_text(CONFIGURATION)
        for included in ("automations.yaml", "scripts.yaml", "scenes.yaml"):
            (self.config_dir / included).touch()
        for folder in ("custom_components", "dashboards"):
            link = self.config_dir / folder
            if not link.exists():
                link.symlink_to(REPOSITORY / folder, target_is_directory=True)
        self._link_blueprints()
        if new:
            (storage / "onboarding").write_text(json.dumps(ONBOARDING))
        self._forget_another_port(storage / "http")

    def _link_blueprints(self) -> None:
        # One link per file: Home Assistant's blueprint search does not enter linked folders.
        folder = self.config_dir / BLUEPRINTS
        folder.mkdir(parents=True, exist_ok=True)
        for link in folder.iterdir():
            if link.is_symlink() and not link.exists():
                link.unlink()
        for blueprint in (REPOSITORY / BLUEPRINTS).glob("*.yaml"):
            link = folder / blueprint.name
            if not link.is_symlink():
                link.symlink_to(blueprint)

    def _forget_another_port(self, store: Path) -> None:
        """Drop Home Assistant's HTTP settings unless they serve ``port`` and nothing is on trial.

        Home Assistant takes its port from SETUP_PORT only while it has no HTTP settings of its
        own; a port changed in settings is on trial for 5 minutes, then reverted with a restart.
        """
        try:
            settings = json.loads(store.read_text())["data"]
            keep = settings["stable"]["server_port"] == self.port and settings["pending"] is None
        except FileNotFoundError:
            return
        except (ValueError, KeyError, TypeError):
            keep = False
        if not keep:
            store.unlink()

    def _check_port_free(self) -> None:
        with socket.socket() as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                probe.bind(("", self.port))
            except OSError as err:
                raise RuntimeError(
                    f"port {self.port} is in use: choose another with --port"
                ) from err

    async def start(self) -> None:
        """Start ``hass`` and wait until its HTTP API answers."""
        self._check_port_free()
        self.prepare()
        # Home Assistant logs to home-assistant.log itself: its console copy would be a second.
        self._process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "homeassistant",
            "--config",
            str(self.config_dir),
            "--skip-pip",
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env={**os.environ, "SETUP_PORT": str(self.port)},
        )
        loop = asyncio.get_running_loop()
        deadline = loop.time() + START_TIMEOUT
        async with aiohttp.ClientSession() as session:
            while loop.time() < deadline:
                if self._process.returncode is not None:
                    raise RuntimeError(
                        f"hass exited with {self._process.returncode}: see {self.log}"
                    )
                with contextlib.suppress(aiohttp.ClientError):
                    async with session.get(f"{self.url}/manifest.json") as response:
                        if response.status == HTTPStatus.OK:
                            return
                await asyncio.sleep(0.5)
        raise TimeoutError(f"hass did not answer within {START_TIMEOUT:g} s: see {self.log}")

    async def wait(self) -> int:
        """Wait until ``hass`` ends by itself; return its exit code."""
        if self._process is None:
            raise RuntimeError("hass is not running")
        return await self._process.wait()

    async def stop(self) -> None:
        """Stop ``hass`` as a user would (SIGTERM), killing it if it does not end in time."""
        process, self._process = self._process, None
        if process is None or process.returncode is not None:
            return
        process.terminate()
        try:
            await asyncio.wait_for(process.wait(), STOP_TIMEOUT)
        except TimeoutError:
            process.kill()
            await process.wait()


class HomeAssistantApi:
    """The calls the frontend makes: sign-in, config flows, states, registries."""

    def __init__(self, session: aiohttp.ClientSession, url: str) -> None:
        """Talk to the Home Assistant at ``url``."""
        self.session = session
        self.url = url
        self.token = ""

    async def sign_in(self, username: str, password: str) -> None:
        """Create the owner on a new instance (onboarding), or sign in on an onboarded one."""
        async with self.session.get(f"{self.url}/api/onboarding") as response:
            # Once onboarded, Home Assistant no longer serves this view.
            onboarded = response.status == HTTPStatus.NOT_FOUND
            steps = {} if onboarded else {s["step"]: s["done"] for s in await response.json()}
        if not steps.get("user", True):
            code = (
                await self._post(
                    "/api/onboarding/users",
                    {
                        "client_id": CLIENT_ID,
                        "name": "Demo",
                        "username": username,
                        "password": password,
                        "language": "en",
                    },
                    auth=False,
                )
            )["auth_code"]
        else:
            flow = await self._post(
                "/auth/login_flow",
                {
                    "client_id": CLIENT_ID,
                    "handler": ["homeassistant", None],
                    "redirect_uri": CLIENT_ID,
                },
                auth=False,
            )
            code = (
                await self._post(
                    f"/auth/login_flow/{flow['flow_id']}",
                    {"client_id": CLIENT_ID, "username": username, "password": password},
                    auth=False,
                )
            )["result"]
        async with self.session.post(
            f"{self.url}/auth/token",
            data={"grant_type": "authorization_code", "code": code, "client_id": CLIENT_ID},
        ) as response:
            response.raise_for_status()
            self.token = (await response.json())["access_token"]
        for step, body in (
            ("core_config", {}),
            ("analytics", {}),
            ("integration", {"client_id": CLIENT_ID, "redirect_uri": CLIENT_ID}),
        ):
            if not steps.get(step, True):
                await self._post(f"/api/onboarding/{step}", body)

    async def _post(self, path: str, body: dict[str, Any], *, auth: bool = True) -> Any:
        headers = {"Authorization": f"Bearer {self.token}"} if auth else {}
        async with self.session.post(f"{self.url}{path}", json=body, headers=headers) as response:
            response.raise_for_status()
            return await response.json()

    async def post(self, path: str, body: dict[str, Any]) -> Any:
        """POST a JSON body to an API path as the signed-in user."""
        return await self._post(path, body)

    async def get(self, path: str) -> Any:
        """GET an API path as the signed-in user."""
        headers = {"Authorization": f"Bearer {self.token}"}
        async with self.session.get(f"{self.url}{path}", headers=headers) as response:
            response.raise_for_status()
            return await response.json()

    async def delete(self, path: str) -> Any:
        """DELETE an API path as the signed-in user."""
        headers = {"Authorization": f"Bearer {self.token}"}
        async with self.session.delete(f"{self.url}{path}", headers=headers) as response:
            response.raise_for_status()
            return await response.json()

    async def start_flow(self, handler: str = "mining_pool") -> dict[str, Any]:
        """Open a config flow, as the "Add integration" dialog does."""
        result: dict[str, Any] = await self._post(
            "/api/config/config_entries/flow", {"handler": handler, "show_advanced_options": False}
        )
        return result

    async def flow_step(self, flow_id: str, data: dict[str, Any]) -> dict[str, Any]:
        """Submit one step of a config flow."""
        result: dict[str, Any] = await self._post(
            f"/api/config/config_entries/flow/{flow_id}", data
        )
        return result

    async def start_options_flow(self, entry_id: str) -> dict[str, Any]:
        """Open an entry's options, as its "Configure" button does."""
        result: dict[str, Any] = await self._post(
            "/api/config/config_entries/options/flow", {"handler": entry_id}
        )
        return result

    async def options_step(self, flow_id: str, data: dict[str, Any]) -> dict[str, Any]:
        """Submit one step of an options flow."""
        result: dict[str, Any] = await self._post(
            f"/api/config/config_entries/options/flow/{flow_id}", data
        )
        return result

    async def call_service(self, domain: str, service: str, data: dict[str, Any]) -> Any:
        """Call a service action, as an automation or the developer tools do."""
        return await self._post(f"/api/services/{domain}/{service}", data)

    async def add_entry(self, steps: list[dict[str, Any]]) -> dict[str, Any]:
        """Run a config flow through ``steps`` and return its last result."""
        result = await self.start_flow()
        for data in steps:
            result = await self.flow_step(result["flow_id"], data)
        return result

    async def websocket(self, message: dict[str, Any]) -> Any:
        """Send one websocket command and return its result."""
        async with self.session.ws_connect(f"{self.url}/api/websocket") as socket:
            await socket.receive_json()
            await socket.send_json({"type": "auth", "access_token": self.token})
            await socket.receive_json()
            await socket.send_json({"id": 1, **message})
            reply = await socket.receive_json()
        if not reply.get("success"):
            raise RuntimeError(f"websocket {message['type']} failed: {reply.get('error')}")
        return reply["result"]
