"""Sign in with Plex end to end: a real Home Assistant, a simulated plex.tv, headless Chromium.

Home Assistant gets the simulated plex.tv's address through a `sitecustomize` module on its
PYTHONPATH that sets the sign-in's base URLs when Home Assistant imports the flow (nothing in
the integration reads an address from outside). The flow starts as the frontend starts it;
Chromium opens the sign-in page the external step names, clicks its button, and follows it to
the integration's callback, which moves the flow on; the next step creates the entry.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator
from pathlib import Path

import aiohttp
import pytest

from tests.plex_simulator import PlexSimulator
from tests.plextv_simulator import PlexTvSimulator, connection, server_resource

from .browser import launch
from .conftest import PLEX_TOKEN, HomeAssistantProcess

HA_RUNNING_TIMEOUT = 120.0
PAGE_TIMEOUT = 60.0

SITECUSTOMIZE = '''"""Point Plex Butler's sign-in at a simulated plex.tv (tests/e2e)."""

import importlib.abc
import importlib.util
import sys

TARGET = "custom_components.plex_butler.sign_in_flow"
URL = {url!r}


class _SimulatedPlexTv(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path, target=None):
        if name != TARGET:
            return None
        sys.meta_path.remove(self)
        spec = importlib.util.find_spec(name)
        run = spec.loader.exec_module

        def exec_module(module):
            run(module)
            module.PLEX_TV_URLS.update(plex_tv=URL, app=URL)

        spec.loader.exec_module = exec_module
        return spec


sys.meta_path.insert(0, _SimulatedPlexTv())
'''


@pytest.fixture(autouse=True)
async def plex_tv(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, socket_enabled: None
) -> AsyncGenerator[PlexTvSimulator]:
    """A simulated plex.tv, and Home Assistant's Python told where it is (before it starts)."""
    simulator = PlexTvSimulator()
    await simulator.start()
    hook = tmp_path / "plex_tv_hook"
    hook.mkdir()
    (hook / "sitecustomize.py").write_text(SITECUSTOMIZE.format(url=simulator.url))
    monkeypatch.setenv("PYTHONPATH", str(hook))
    try:
        yield simulator
    finally:
        await simulator.stop()


async def test_sign_in_with_plex_end_to_end(
    chromium: str,
    plex_tv: PlexTvSimulator,
    simulated_plex: PlexSimulator,
    home_assistant: HomeAssistantProcess,
    tmp_path: Path,
) -> None:
    """From the menu to a loaded entry, signed in through plex.tv's (simulated) page."""
    api = home_assistant.api
    plex_tv.resources = [
        server_resource(
            simulated_plex.friendly_name,
            simulated_plex.machine_identifier,
            [connection(simulated_plex.url)],
            token=PLEX_TOKEN,
        )
    ]
    assert await api.onboard("Demo", "demo", "demo-password") is True
    await api.wait_until_running(HA_RUNNING_TIMEOUT)

    menu = await api.start_flow("plex_butler")
    assert menu["type"] == "menu", menu
    assert menu["menu_options"] == ["sign_in", "manual"]
    step = await api.flow_step(menu["flow_id"], {"next_step_id": "sign_in"})
    assert step["type"] == "external", step
    assert step["url"].startswith(f"{plex_tv.url}/auth#!?")

    async with (
        aiohttp.ClientSession() as session,
        launch(chromium, tmp_path / "chromium", session) as page,
    ):
        await page.open(step["url"])
        await page.wait_for_texts(["Sign in to Plex"], PAGE_TIMEOUT)
        await page.evaluate("document.getElementById('sign-in').click(), true")
        # The page signs the PIN in and goes on to Home Assistant's callback.
        await page.wait_for_texts(["This window can be closed"], PAGE_TIMEOUT)
    [pin] = plex_tv.pins.values()
    assert pin.signed_in

    answer = await api.flow_step(menu["flow_id"], None)
    assert answer["type"] == "create_entry", answer
    assert answer["title"] == simulated_plex.friendly_name
    [entry] = await api.config_entries("plex_butler")
    assert entry["state"] == "loaded"
    log = (home_assistant.config_dir / "home-assistant.log").read_text()
    assert PLEX_TOKEN not in log
    assert plex_tv.account_token not in log
