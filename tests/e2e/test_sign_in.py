"""Sign in with Plex end to end: a real Home Assistant, a simulated plex.tv, headless Chromium.

Home Assistant gets the simulated plex.tv's address through a `sitecustomize` module on its
PYTHONPATH that sets the sign-in's base URLs when Home Assistant imports the flow (nothing in
the integration reads an address from outside). The flow starts as the frontend starts it;
Chromium opens the sign-in page the external step names, clicks its button, and follows it to
the integration's callback, which moves the flow on; the next step creates the entry.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncGenerator, Awaitable, Callable
import json
from pathlib import Path

import aiohttp
import pytest

from custom_components.plex_butler.sign_in_flow import AUTH_CALLBACK_PATH
from tests.plex_simulator import PlexSimulator
from tests.plextv_simulator import PlexTvSimulator, connection, server_resource

from .browser import Page, launch
from .conftest import PLEX_TOKEN, SCREENSHOTS, HomeAssistantProcess
from .ha_client import HomeAssistantApi
from .test_demo import CLICK_TEXT

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


# The flow id of the frontend's config flow dialog (a user's flows are not listed by the API).
DIALOG_FLOW_ID = """
(() => {
  const walk = (node) => {
    if (node.tagName === "DIALOG-DATA-ENTRY-FLOW" && node._step) return node._step.flow_id;
    for (const child of [node.shadowRoot, ...(node.children || [])].filter(Boolean)) {
      const found = walk(child);
      if (found) return found;
    }
    return null;
  };
  return walk(document);
})()
"""
WINDOW = (1000, 760)
DIALOG_TIMEOUT = 90.0


async def _log_in(page: Page, api: HomeAssistantApi) -> None:
    """Give the browser the API's tokens, where the frontend keeps its own."""
    await page.open(f"{api.base_url}/manifest.json")  # any page of Home Assistant's origin
    tokens = json.dumps(json.dumps(api.browser_tokens()))
    await page.evaluate(f"localStorage.setItem('hassTokens', {tokens})")


async def _screenshot(page: Page) -> bytes:
    await page.evaluate("document.fonts.ready.then(() => true)")
    await asyncio.sleep(2)  # the dialog's opening animation
    return await page.screenshot()


async def test_the_menu_and_the_server_pick_in_the_browser(
    chromium: str,
    plex_tv: PlexTvSimulator,
    simulated_plex: PlexSimulator,
    home_assistant: HomeAssistantProcess,
    tmp_path: Path,
) -> None:
    """The frontend's dialog shows the menu, then (signed in) the pick of two servers.

    Both are saved in build/screenshots/ (`scripts/screenshots` puts them in docs/).
    """
    api = home_assistant.api
    basement = PlexSimulator(
        token=PLEX_TOKEN, machine_identifier="f" * 40, friendly_name="Basement Plex"
    )
    await basement.start()
    try:
        plex_tv.resources = [
            server_resource(s.friendly_name, s.machine_identifier, [connection(s.url)])
            for s in (simulated_plex, basement)
        ]
        assert await api.onboard("Demo", "demo", "demo-password") is True
        await api.wait_until_running(HA_RUNNING_TIMEOUT)
        async with (
            aiohttp.ClientSession() as session,
            launch(chromium, tmp_path / "chromium", session, *WINDOW) as page,
        ):
            await _log_in(page, api)
            await page.open(f"{api.base_url}/config/integrations/dashboard/add?domain=plex_butler")
            # The frontend asks first whether to set up the integration the address names.
            await page.wait_for_texts(["Do you want to set up Plex Butler?"], DIALOG_TIMEOUT)
            assert await page.evaluate(f"{CLICK_TEXT}({json.dumps('OK')})")
            try:
                await page.wait_for_texts(
                    ["Sign in with Plex", "Enter the URL and token"], DIALOG_TIMEOUT
                )
            except AssertionError:
                (tmp_path / "debug.png").write_bytes(await page.screenshot())
                raise
            (SCREENSHOTS / "setup-menu.png").write_bytes(await _screenshot(page))

            listening = await _progress_listeners(api)
            assert await page.evaluate(f"{CLICK_TEXT}({json.dumps('Sign in with Plex')})")
            await _wait(lambda: bool(plex_tv.pins))
            # The dialog hears of the sign-in through an event it subscribes to only once it shows
            # the external step: a callback before that is lost, and the dialog waits for ever.
            await _wait_async(lambda: _progress_listeners(api), listening)
            # The user signs in in plex.tv's window, which comes back to the callback.
            plex_tv.sign_in()
            flow_id = await page.evaluate(DIALOG_FLOW_ID)
            assert flow_id, "no config flow dialog"
            async with session.get(
                f"{api.base_url}{AUTH_CALLBACK_PATH}", params={"flow_id": flow_id}
            ) as response:
                assert response.status == 200
            try:
                await page.wait_for_texts(
                    ["Choose a server", simulated_plex.friendly_name], DIALOG_TIMEOUT
                )
            except AssertionError:
                (tmp_path / "debug.png").write_bytes(await page.screenshot())
                raise
            (SCREENSHOTS / "setup-server-pick.png").write_bytes(await _screenshot(page))
    finally:
        await basement.stop()


async def _wait(condition: Callable[[], bool], within: float = DIALOG_TIMEOUT) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + within
    while not condition():
        assert loop.time() < deadline, "the condition did not come true in time"
        await asyncio.sleep(0.2)


async def _progress_listeners(api: HomeAssistantApi) -> int:
    """How many listen to the flows' progress (the dialog does, while it shows an external step)."""
    events = await api.request("GET", "/api/events")
    return sum(e["listener_count"] for e in events if e["event"] == "data_entry_flow_progressed")


async def _wait_async(count: Callable[[], Awaitable[int]], above: int) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + DIALOG_TIMEOUT
    while await count() <= above:
        assert loop.time() < deadline, "the dialog did not subscribe in time"
        await asyncio.sleep(0.2)
