"""The demo end to end: a real Home Assistant, the simulated Plex server, headless Chromium.

Onboarding and the config flow go through Home Assistant's HTTP API as the frontend's would;
entities are checked in the entity registry and the states; buttons are pressed through the API
and the simulator must receive the calls; the server's device page is loaded in Chromium at
1400 x 1000 and checked, a task's device is reached from it with one click, and a button on it is
clicked. The dashboard of docs/dashboard.yaml shows the Plex Butler card: it must
show every task, and a start button in it must reach the server. The device pages and the card
(light and dark) are saved as screenshots in build/screenshots/, git-ignored: a test run leaves
the tree as it was, and `scripts/screenshots` puts them in docs/.
"""

from __future__ import annotations

import asyncio
import contextlib
from importlib.util import find_spec
import json
from pathlib import Path
from typing import Any

import aiohttp
import pytest
import yaml

from tests.plex_simulator import PlexSimulator

from . import card_page
from .browser import Page, launch
from .card_page import wait_for_card
from .conftest import PLEX_TOKEN, REPO, RUNNING_TASK, SCREENSHOTS, HomeAssistantProcess
from .ha_client import HomeAssistantApi, HomeAssistantError, entities_by_unique_id

DOCS = REPO / "docs"
DASHBOARD_URL_PATH = "plex-butler"
PRESSED_TASK = "RefreshLocalMedia"
# Its last run is the newest backup's day, from the backup folder.
BACKUP_TASK = "BackupDatabase"
# Runs the Butler finishes while Home Assistant looks: they show in the server's debug log.
LOGGED_TASKS = ("GarbageCollectBlobs", "GenerateBlurHashes")
LOGGED_RUN_SECONDS = 2.0
CLICKED_TASK = "CleanOldBundles"
SERVER_LIBRARY_BUTTONS = (
    "Empty trash of all libraries",
    "Clean bundles",
    "Optimize database now",
    "Scan all libraries",
)
CARD_TASK = "OptimizeDatabase"
SWITCHED_TASK = "CleanOldCacheFiles"
STATE_TIMEOUT = 30.0
HA_RUNNING_TIMEOUT = 120.0
PAGE_TIMEOUT = 120.0
WINDOW = (1400, 1000)
CARD_WINDOW_HEIGHT = 2000
# The first visit's link: slow enough that the card's script runs before the frontend's own.
FIRST_VISIT_BYTES_PER_SECOND = 400_000

# Click the link to a device (on a device page, its parts are listed as links); False if none.
CLICK_DEVICE_LINK = """
((deviceId) => {
  const walk = (node) => {
    if (node.tagName === "A" && (node.getAttribute("href") || "").endsWith(`/device/${deviceId}`)) {
      node.click();
      return true;
    }
    if (node.shadowRoot && walk(node.shadowRoot)) return true;
    for (const child of node.children || []) if (walk(child)) return true;
    return false;
  };
  return walk(document);
})
"""

# Click the innermost element whose own text starts with the given text; False if none.
CLICK_TEXT = """
((wanted) => {
  const walk = (node) => {
    if (node.shadowRoot && walk(node.shadowRoot)) return true;
    for (const child of node.children || []) if (walk(child)) return true;
    const own = [...(node.childNodes || [])]
      .filter((child) => child.nodeType === Node.TEXT_NODE)
      .map((child) => child.textContent)
      .join("")
      .trim();
    if (node.click && own.startsWith(wanted)) {
      node.click();
      return true;
    }
    return false;
  };
  return walk(document);
})
"""

# What the dashboard's card picker does with the card: list it, make its first configuration, and
# show its visual editor (here inside <home-assistant>: from 2026.11 on, the form's pickers take
# their connection from it), which reads back the text it shows.
CARD_PICKER = """
(async () => {
  const card = customElements.get("plex-butler-card");
  const root = document.querySelector("home-assistant");
  const hass = root.hass;
  const stub = card.getStubConfig(hass);
  const editor = card.getConfigElement();
  editor.hass = hass;
  editor.setConfig({ type: "custom:plex-butler-card", ...stub });
  root.appendChild(editor);
  await editor.updateComplete;
  await new Promise((resolve) => setTimeout(resolve, 1000));  // the form's selector renders
  const text = (node, parts = []) => {
    if (node.nodeType === Node.TEXT_NODE) parts.push(node.textContent);
    if (node.shadowRoot) text(node.shadowRoot, parts);
    for (const child of node.childNodes) text(child, parts);
    return parts;
  };
  const shown = text(editor).join(" ").replace(/\\s+/g, " ");
  editor.remove();
  return {
    listed: (window.customCards || []).some((entry) => entry.type === "plex-butler-card"),
    stub,
    editor: shown,
  };
})()
"""


async def _wait_for_source(api: HomeAssistantApi, entity_id: str, source: str) -> None:
    """Wait until a Last run sensor has a time, known from `source`."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + STATE_TIMEOUT
    while True:
        current = (await api.states())[entity_id]
        if current["state"] != "unknown" and current["attributes"].get("source") == source:
            return
        assert loop.time() < deadline, f"{entity_id} is {current}, not a run from {source}"
        await asyncio.sleep(0.5)


async def _wait_for_state(api: HomeAssistantApi, entity_id: str, state: str) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + STATE_TIMEOUT
    while (current := (await api.states())[entity_id]["state"]) != state:
        assert loop.time() < deadline, f"{entity_id} is {current!r}, not {state!r}"
        await asyncio.sleep(0.5)


def _calls(simulator: PlexSimulator) -> list[tuple[str, str]]:
    return [(request.method, request.path) for request in simulator.requests]


async def _wait_for_call(simulator: PlexSimulator, call: tuple[str, str]) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + STATE_TIMEOUT
    while call not in _calls(simulator):
        assert loop.time() < deadline, f"the simulator never received {call}"
        await asyncio.sleep(0.2)


async def _log_in(page: Page, api: HomeAssistantApi) -> None:
    """Give the browser the API's tokens, where the frontend keeps its own."""
    await page.open(f"{api.base_url}/manifest.json")  # any page of Home Assistant's origin
    tokens = json.dumps(json.dumps(api.browser_tokens()))
    await page.evaluate(f"localStorage.setItem('hassTokens', {tokens})")


async def _settled_screenshot(page: Page) -> bytes:
    await page.evaluate("document.fonts.ready.then(() => true)")
    await asyncio.sleep(2)  # the cards' first animations
    return await page.screenshot()


def _margin(box: dict[str, float], margin: float = 8) -> dict[str, float]:
    """The box, with a margin of the page around it."""
    return {
        "x": box["x"] - margin,
        "y": box["y"] - margin,
        "width": box["width"] + 2 * margin,
        "height": box["height"] + 2 * margin,
    }


@pytest.mark.timeout(900)
async def test_demo_end_to_end(
    chromium: str,
    simulated_plex: PlexSimulator,
    home_assistant: HomeAssistantProcess,
    tmp_path: Path,
) -> None:
    """From a new Home Assistant to a task started from the browser-visible device."""
    api = home_assistant.api
    simulator = simulated_plex

    # Onboarding, as the frontend does it.
    assert await api.onboard("Demo", "demo", "demo-password") is True
    assert all((await api.onboarding_steps()).values())
    # The 127.0.0.1-only settings are Home Assistant's own from the start: none is on trial, to
    # revert to every address (tests/test_demo_config.py: and no repair about them).
    async with api.websocket() as ws:
        with contextlib.suppress(HomeAssistantError):  # before 2026.10 there is no such command
            assert (await ws.call("http/config"))["pending"] is None
    await api.wait_until_running(HA_RUNNING_TIMEOUT)
    # From 2026.11 on, Home Assistant's Marketplace is there, and off: it would reach GitHub.
    marketplace = [
        (entry["state"], entry["disabled_by"]) for entry in await api.config_entries("marketplace")
    ]
    has_marketplace = find_spec("homeassistant.components.marketplace") is not None
    assert marketplace == ([("not_loaded", "user")] if has_marketplace else []), marketplace

    # The config flow.
    answer = await api.add_config_entry(
        "plex_butler", {"url": simulator.url, "token": PLEX_TOKEN, "verify_ssl": True}
    )
    assert answer["type"] == "create_entry", answer
    assert answer["title"] == simulator.friendly_name
    entry_id = answer["result"]["entry_id"]
    assert [entry["state"] for entry in await api.config_entries("plex_butler")] == ["loaded"]

    # Every task the server reports has its sensor and its buttons, with a state.
    async with api.websocket() as ws:
        registry = entities_by_unique_id(await ws.call("config/entity_registry/list"), entry_id)
        devices = await ws.call("config/device_registry/list")
    states = await api.states()
    machine = simulator.machine_identifier
    entity_ids: dict[tuple[str, str], str] = {}
    for task in simulator.tasks.values():
        for key, domain in (("status", "sensor"), ("start", "button"), ("stop", "button")):
            entry = registry.get(f"{machine}_{task.name}_{key}")
            assert entry is not None, f"no {key} {domain} for {task.name}"
            assert entry["entity_id"].split(".")[0] == domain
            assert entry["entity_id"] in states, f"{entry['entity_id']} has no state"
            entity_ids[task.name, key] = entry["entity_id"]
    for task in simulator.tasks.values():
        expected = (
            "running" if task.name == RUNNING_TASK else "idle" if task.enabled else "disabled"
        )
        assert states[entity_ids[task.name, "status"]]["state"] == expected, task.name
    # The server's device, and a device per task and per library as a part of it.
    [server] = [d for d in devices if ["plex_butler", machine] in d["identifiers"]]
    part_devices = {
        device["name"]: device
        for device in devices
        # A part of the server's device (2026.10 and later), or linked to it (before).
        if server["id"] in (device.get("parent_device_id"), device.get("via_device_id"))
    }
    libraries = {section.title for section in simulator.libraries.sections.values()}
    assert set(part_devices) == {task.title for task in simulator.tasks.values()} | libraries

    # How each last run is known: the newest backup's day; runs the debug log showed.
    last_run = {
        name: registry[f"{machine}_{name}_last_run"]["entity_id"]
        for name in (BACKUP_TASK, *LOGGED_TASKS)
    }
    await _wait_for_source(api, last_run[BACKUP_TASK], "backup_file")
    for name in LOGGED_TASKS:
        await simulator.butler.start_task(name, run_seconds=LOGGED_RUN_SECONDS)
    for name in LOGGED_TASKS:
        await _wait_for_state(api, entity_ids[name, "status"], "idle")
        await _wait_for_source(api, last_run[name], "server_log")

    # The buttons reach the server.
    status = entity_ids[PRESSED_TASK, "status"]
    await api.press(entity_ids[PRESSED_TASK, "start"])
    assert ("POST", f"/butler/{PRESSED_TASK}") in _calls(simulator)
    assert PRESSED_TASK in simulator.butler.running
    await _wait_for_state(api, status, "running")
    await api.press(entity_ids[PRESSED_TASK, "stop"])
    assert ("DELETE", f"/butler/{PRESSED_TASK}") in _calls(simulator)
    assert PRESSED_TASK not in simulator.butler.running
    await _wait_for_state(api, status, "idle")

    await _check_settings(api, simulator, registry)

    # The dashboard of the README: the card.
    dashboard: dict[str, Any] = yaml.safe_load((DOCS / "dashboard.yaml").read_text())
    await api.save_dashboard(
        DASHBOARD_URL_PATH, "Plex Butler", "mdi:broom", dashboard, replace=True
    )

    # The device page and the dashboard in a real browser.
    async with (
        aiohttp.ClientSession() as session,
        launch(chromium, tmp_path / "chromium", session, *WINDOW) as page,
    ):
        await _log_in(page, api)
        # A browser's first visit, to the card's dashboard: the card with every task, no error.
        await _check_first_visit(page, api, simulator)
        await page.open(f"{api.base_url}/config/devices/device/{server['id']}")
        # The server's page lists the first tasks and libraries, and a link to the others.
        titles = sorted(part_devices)
        shown = await page.wait_for_texts(
            [
                simulator.friendly_name,
                "Start all tasks",
                *SERVER_LIBRARY_BUTTONS,
                "Running tasks",
                *titles[:10],
            ],
            PAGE_TIMEOUT,
        )
        assert titles[10] not in shown
        (SCREENSHOTS / "device-page.png").write_bytes(await _settled_screenshot(page))
        # The library maintenance beside the Butler, from its button.
        assert await page.press_row_button("Optimize database now")
        await _wait_for_call(simulator, ("PUT", "/library/optimize"))
        assert await page.evaluate(f"{CLICK_TEXT}({json.dumps(f'+{len(titles) - 10} devices')})")
        await page.wait_for_texts(titles, PAGE_TIMEOUT)

        # A task is one click away: its device's page has its buttons, and one starts it.
        clicked = simulator.tasks[CLICKED_TASK]
        clicked_device = part_devices[clicked.title]["id"]
        assert await page.evaluate(f"{CLICK_DEVICE_LINK}({json.dumps(clicked_device)})")
        await page.wait_for_texts(
            [clicked.title, "Start", "Last run", "Next run", "Progress", "Enabled"],
            PAGE_TIMEOUT,
        )
        (SCREENSHOTS / "task-device-page.png").write_bytes(await _settled_screenshot(page))
        assert await page.press_row_button("Start")
        await _wait_for_call(simulator, ("POST", f"/butler/{CLICKED_TASK}"))
        assert CLICKED_TASK in simulator.butler.running

        await _check_card(page, api, simulator, entry_id)


async def _check_first_visit(page: Page, api: HomeAssistantApi, simulator: PlexSimulator) -> None:
    """The dashboard, opened first in a new browser profile, shows the card with every task.

    Nothing is cached yet, and the frontend's large bundles arrive after the card's small one, as
    on a slow link: the card runs before the frontend has set up its custom element registry.
    """
    dashboard: dict[str, Any] = yaml.safe_load((DOCS / "dashboard.yaml").read_text())
    await page.throttle(FIRST_VISIT_BYTES_PER_SECOND)
    try:
        await page.open(
            f"{api.base_url}/{DASHBOARD_URL_PATH}/{dashboard['views'][0]['path']}", PAGE_TIMEOUT
        )
        card = await wait_for_card(
            page, lambda card: len(card["tasks"]) == len(simulator.tasks), PAGE_TIMEOUT
        )
    finally:
        await page.throttle(None)
    assert {row["name"] for row in card["tasks"]} == set(simulator.tasks)
    assert "Custom element doesn't exist" not in await page.text()


async def _check_settings(
    api: HomeAssistantApi,
    simulator: PlexSimulator,
    registry: dict[str, dict[str, Any]],
) -> None:
    """Settings written through Home Assistant reach the server; the server's show in it."""
    machine = simulator.machine_identifier

    def entity_id(key: str) -> str:
        return str(registry[f"{machine}_{key}"]["entity_id"])

    switch = entity_id(f"{SWITCHED_TASK}_enabled")
    await api.call_service("switch", "turn_off", {"entity_id": switch})
    assert simulator.preferences[f"ButlerTask{SWITCHED_TASK}"] == "0"
    assert simulator.tasks[SWITCHED_TASK].enabled is False
    await _wait_for_state(api, switch, "off")
    await _wait_for_state(api, entity_id(f"{SWITCHED_TASK}_status"), "disabled")
    await api.call_service("switch", "turn_on", {"entity_id": switch})
    assert simulator.tasks[SWITCHED_TASK].enabled is True
    await _wait_for_state(api, entity_id(f"{SWITCHED_TASK}_status"), "idle")

    behavior = entity_id("GenerateMediaIndexFiles_behavior")
    await api.call_service("select", "select_option", {"entity_id": behavior, "option": "never"})
    assert simulator.preferences["GenerateBIFBehavior"] == "never"
    await _wait_for_state(api, behavior, "never")

    start = entity_id("ButlerStartHour")
    await api.call_service("select", "select_option", {"entity_id": start, "option": "04:00"})
    assert simulator.preferences["ButlerStartHour"] == "4"
    await _wait_for_state(api, start, "04:00")

    # Changed on the server, as in Plex Web: Home Assistant hears it through the websocket.
    await simulator.set_preference("ButlerEndHour", "7")
    await _wait_for_state(api, entity_id("ButlerEndHour"), "07:00")
    await simulator.set_preference("ButlerDatabaseBackupPath", "/srv/plex-backups")
    await _wait_for_state(api, entity_id("ButlerDatabaseBackupPath"), "/srv/plex-backups")


# What Home Assistant's own relative time (the device page's) says of each moment; null where
# the frontend has not defined it. Put in the card, it gets the frontend's language from the
# dashboard around it (later releases) or from `hass` (earlier ones).
FRONTEND_RELATIVE_TIMES = f"""
(async (moments) => {{
  const card = {card_page.FIND_CARD};
  const defined = customElements.whenDefined("ha-relative-time").then(() => true);
  const late = new Promise((resolve) => setTimeout(() => resolve(false), 10000));
  if (!(await Promise.race([defined, late]))) {{
    return null;
  }}
  const hass = document.querySelector("home-assistant").hass;
  const said = [];
  for (const moment of moments) {{
    const element = document.createElement("ha-relative-time");
    element.hass = hass;
    element.datetime = moment;
    card.shadowRoot.appendChild(element);
    await element.updateComplete;
    await new Promise((resolve) => setTimeout(resolve, 100));
    said.push(element.textContent.trim());
    element.remove();
  }}
  return said;
}})
"""


async def _check_card_clock(
    page: Page, api: HomeAssistantApi, rows: dict[str, dict[str, Any]]
) -> None:
    """Each next run reads in the card as Home Assistant's frontend says it on the device page."""
    states = await api.states()
    shown = {
        state["attributes"]["task_name"]: state["state"]
        for state in states.values()
        if state["entity_id"].endswith("next_run") and state["state"] not in ("unknown", "")
    }
    assert shown
    names = sorted(shown)
    frontend = await page.evaluate(
        f"{FRONTEND_RELATIVE_TIMES}({json.dumps([shown[name] for name in names])})"
    )
    assert frontend is not None, "the frontend defines no ha-relative-time on the dashboard"
    for name, said in zip(names, frontend, strict=True):
        assert rows[name]["next_run"].casefold() == f"next run: {said}".casefold(), (
            rows[name],
            said,
        )


async def _check_card(
    page: Page, api: HomeAssistantApi, simulator: PlexSimulator, entry_id: str
) -> None:
    """The card shows every task, starts one, follows it live, and offers its editor."""
    dashboard: dict[str, Any] = yaml.safe_load((DOCS / "dashboard.yaml").read_text())
    await page.resize(WINDOW[0], CARD_WINDOW_HEIGHT)  # the whole card in view, for its pictures
    await page.open(f"{api.base_url}/{DASHBOARD_URL_PATH}/{dashboard['views'][0]['path']}")
    card = await wait_for_card(
        page, lambda card: len(card["tasks"]) == len(simulator.tasks), PAGE_TIMEOUT
    )
    assert len(simulator.tasks) == 24
    rows = {row["name"]: row for row in card["tasks"]}
    assert set(rows) == set(simulator.tasks)
    for task in simulator.tasks.values():
        row = rows[task.name]
        assert row["title"].startswith(task.title), row
        running = task.name in simulator.butler.running
        # Only the button that applies; a progress bar while it runs.
        assert row["buttons"] == (["stop"] if running else ["start"]), row
        assert row["progress"] is running, row
        if task.name not in {PRESSED_TASK, CLICKED_TASK, RUNNING_TASK, BACKUP_TASK, *LOGGED_TASKS}:
            # The server logs at debug level: nothing says why a run might go unseen.
            assert row["last_run"] == "Last run: not seen yet", row
    assert rows[PRESSED_TASK]["last_run"].startswith("Last run: "), rows[PRESSED_TASK]
    assert "not seen yet" not in rows[PRESSED_TASK]["last_run"], rows[PRESSED_TASK]
    for name in LOGGED_TASKS:
        assert rows[name]["last_run"].endswith(" ago · server log"), rows[name]
    # A day, no time: "Last run: Nov 27, 2026 · backup file".
    backup = rows[BACKUP_TASK]["last_run"]
    assert backup.endswith(" · backup file"), backup
    assert " ago" not in backup, backup
    for text in ("Maintenance: Running", "Live updates: Connected", "Start all", "Stop all"):
        assert text in card["header"], card["header"]
    # The running tasks first, in sight; a task switched off on the server cannot be started.
    running = [row["name"] for row in card["tasks"][: len(simulator.butler.running)]]
    assert set(running) == set(simulator.butler.running), running
    for task in simulator.tasks.values():
        assert rows[task.name]["disabled"] is not task.enabled, rows[task.name]
    await _check_card_clock(page, api, rows)

    # Its start button reaches the server, and the card follows the task as it runs.
    assert await card_page.press(page, CARD_TASK, "start")
    await _wait_for_call(simulator, ("POST", f"/butler/{CARD_TASK}"))
    assert CARD_TASK in simulator.butler.running
    card = await wait_for_card(
        page,
        lambda card: any(
            row["name"] == CARD_TASK and row["buttons"] == ["stop"] for row in card["tasks"]
        ),
        STATE_TIMEOUT,
    )

    # In the card picker, with its visual editor and the server picked.
    picker = await page.evaluate(CARD_PICKER)
    assert picker["listed"] is True
    assert picker["stub"] == {"config_entry_id": entry_id}
    assert "Plex server" in picker["editor"], picker
    assert simulator.friendly_name in picker["editor"], picker

    # Light and dark follow the theme: pictures of both for the README.
    backgrounds = []
    for dark, name in ((False, "card-light.png"), (True, "card-dark.png")):
        await page.prefer_dark(dark)
        await page.evaluate("document.fonts.ready.then(() => true)")
        await asyncio.sleep(2)  # the theme's change and the cards' first animations
        card = await wait_for_card(page, lambda card: True, PAGE_TIMEOUT)
        backgrounds.append(card["background"])
        (SCREENSHOTS / name).write_bytes(await page.screenshot(_margin(card["box"])))
    assert backgrounds[0] != backgrounds[1], backgrounds
