"""The card alone in Chromium: its rows' order and buttons, its server, its clock, Start all.

As in test_card.py, the bundle gets a `hass` object made here (registries and states); the page's
clock is set to a moment of the browser's own time zone, so that relative times are exact.
"""

from __future__ import annotations

import json
from typing import Any

from .browser import Page

# A Thursday, 20:00 in the browser's time zone, as [year, month from 0, day, hour, minute].
NOW = [2026, 11, 3, 20, 0]

# Build `hass` from the servers given and draw a card with `config`, its clock at `now`; keep the
# card as `window.card` and the service calls as `window.calls`.
RENDER = """
(async ({ servers, config, now, language }) => {
  const RealDate = window.RealDate ?? Date;
  window.RealDate = RealDate;
  const fixed = new RealDate(...now).getTime();
  window.Date = class extends RealDate {
    constructor(...parts) { if (parts.length) super(...parts); else super(fixed); }
    static now() { return fixed; }
  };
  const at = (parts) => (parts ? new RealDate(...parts).toISOString() : "unknown");
  const entities = {}, states = {}, devices = {};
  const add = (server, key, state, attributes = {}, name = null) => {
    const entityId = `${key.split(":")[0]}.${server.id}_${key.split(":")[1]}`;
    entities[entityId] = {
      entity_id: entityId, platform: "plex_butler", device_id: server.id,
      translation_key: key.split(":")[1].replace(/^.*__/, ""), name,
    };
    states[entityId] = { entity_id: entityId, state, attributes };
  };
  for (const server of servers) {
    devices[server.id] = {
      id: server.id, name: server.name, name_by_user: null, config_entries: [server.entry],
      created_at: server.created_at,
    };
    add(server, "sensor:running_tasks", "0");
    add(server, "button:start_all_tasks", "unknown", {
      may_install_server_update: server.may_install_server_update ?? false,
    });
    for (const [name, task] of Object.entries(server.tasks)) {
      const attributes = { task_name: name };
      add(server, `sensor:${name}__task_status`, task.status, attributes, name);
      add(server, `sensor:${name}__next_run`, at(task.next_run), attributes);
      add(server, `sensor:${name}__last_run`, at(task.last_run), attributes);
      add(server, `button:${name}__start_task`, "unknown", attributes);
      add(server, `button:${name}__stop_task`, "unknown", attributes);
    }
  }
  window.calls = [];
  const hass = {
    states, entities, devices,
    locale: { language, first_weekday: "language" },
    config: { time_zone: "UTC" },
    callService: async (domain, service, data) => {
      window.calls.push(`${domain}.${service} ${data.entity_id}`);
    },
    formatEntityState: (stateObj) => stateObj.state,
  };
  await customElements.whenDefined("plex-butler-card");
  window.card?.remove();
  const card = document.createElement("plex-butler-card");
  card.setConfig({ type: "custom:plex-butler-card", ...config });
  card.hass = hass;
  document.body.appendChild(card);
  await card.updateComplete;
  window.card = card;
})
"""

READ = """
(async () => {
  await window.card.updateComplete;
  const root = window.card.shadowRoot;
  const text = (node) => node ? node.textContent.replace(/\\s+/g, " ").trim() : null;
  return {
    name: text(root.querySelector(".name")),
    message: text(root.querySelector(".message")),
    confirm: text(root.querySelector(".confirm span")),
    calls: window.calls,
    rows: [...root.querySelectorAll("[data-task]")].map((row) => {
      const button = row.querySelector("button");
      return {
        name: row.dataset.task,
        next_run: text(row.querySelector(".next_run")),
        last_run: text(row.querySelector(".last_run")),
        button: button.className,
        disabled: button.disabled,
        title: button.getAttribute("title"),
      };
    }),
  };
})()
"""

CLICK = """
((selector) => {
  const node = window.card.shadowRoot.querySelector(selector);
  if (!node) return false;
  node.click();
  return true;
})
"""


def _server(server_id: str, tasks: dict[str, dict[str, Any]], **extra: Any) -> dict[str, Any]:
    server = {"id": server_id, "entry": f"entry_{server_id}", "name": server_id.title()}
    return server | {"tasks": tasks, "created_at": 1_700_000_000} | extra


async def _render(
    page: Page,
    servers: list[dict[str, Any]],
    config: dict[str, Any] | None = None,
    language: str = "en",
) -> dict[str, Any]:
    options = {"servers": servers, "config": config or {}, "now": NOW, "language": language}
    await page.evaluate(f"{RENDER}({json.dumps(options)})")
    return dict(await page.evaluate(READ))


async def _click(page: Page, selector: str) -> dict[str, Any]:
    assert await page.evaluate(f"{CLICK}({json.dumps(selector)})"), selector
    return dict(await page.evaluate(READ))


IDLE: dict[str, Any] = {"status": "idle"}


async def test_running_tasks_first_and_a_disabled_task_cannot_be_started(card_page: Page) -> None:
    """With two dozen rows the running ones are at the top; a disabled task's Start is greyed."""
    tasks = {f"Task{letter}": IDLE for letter in "ABCDEFGHIJKLMNOPQRSTUVWX"}
    tasks["TaskW"] = {"status": "running"}
    tasks["TaskC"] = {"status": "disabled"}
    card = await _render(card_page, [_server("plex", tasks)])

    names = [row["name"] for row in card["rows"]]
    assert names[0] == "TaskW"
    assert names[1:] == sorted(set(tasks) - {"TaskW"})
    rows = {row["name"]: row for row in card["rows"]}
    assert (rows["TaskW"]["button"], rows["TaskW"]["disabled"]) == ("stop", False)
    assert (rows["TaskA"]["button"], rows["TaskA"]["disabled"]) == ("start", False)
    disabled = rows["TaskC"]
    assert (disabled["button"], disabled["disabled"]) == ("start", True)
    assert disabled["title"] == (
        "Switched off on the server: turn its Enabled switch on to start it."
    )
    # Clicking it does nothing; another task's Start presses its button.
    after = await _click(card_page, '[data-task="TaskC"] button')
    assert after["calls"] == []
    after = await _click(card_page, '[data-task="TaskA"] button')
    assert after["calls"] == ["button.press button.plex_TaskA__start_task"]


async def test_a_second_server_leaves_the_card_on_its_first(card_page: Page) -> None:
    """A card made while there was one server goes on showing it when a second one is added."""
    first = _server("cellar", {"TaskA": IDLE})
    card = await _render(card_page, [first])
    assert card["name"] == "Cellar"
    # The second server is set up later; the registry may list it first.
    second = _server("attic", {"TaskB": IDLE}, created_at=1_800_000_000)
    card = await _render(card_page, [second, first])
    assert card["message"] is None
    assert card["name"] == "Cellar"
    assert [row["name"] for row in card["rows"]] == ["TaskA"]
    # A card that names its server shows that one.
    card = await _render(card_page, [second, first], {"config_entry_id": "entry_attic"})
    assert card["name"] == "Attic"


# The editor made with one server and a card without one: what it writes into the card.
EDITOR = """
(async () => {
  const editor = document.createElement("plex-butler-card-editor");
  const written = [];
  editor.addEventListener("config-changed", (event) => written.push(event.detail.config));
  editor.hass = window.card.hass;
  editor.setConfig({ type: "custom:plex-butler-card" });
  document.body.appendChild(editor);
  await editor.updateComplete;
  editor.remove();
  return written;
})()
"""


async def test_the_editor_writes_the_only_server_into_the_card(card_page: Page) -> None:
    """Opened with one server set up, the editor stores it: the card is tied to it from then on."""
    await _render(card_page, [_server("cellar", {"TaskA": IDLE})])
    written = await card_page.evaluate(EDITOR)
    assert written == [{"type": "custom:plex-butler-card", "config_entry_id": "entry_cellar"}]


# Next and last runs, against the clock at Thursday 20:00, and what Home Assistant's frontend says
# of the same moments on the device page (its relative time: hours under 22, then calendar days).
RUNS: dict[str, tuple[list[int], str]] = {
    # 54 hours on, but the third day from today: "In 3 days" on the device page.
    "Saturday": ([2026, 11, 6, 2, 0], "Next run: in 3 days"),
    "InHours": ([2026, 11, 4, 10, 0], "Next run: in 14 hours"),
    # 23 hours on: tomorrow.
    "Tomorrow": ([2026, 11, 4, 19, 0], "Next run: tomorrow"),
    "InWeeks": ([2026, 11, 17, 4, 0], "Next run: in 2 weeks"),
}


async def test_relative_times_read_as_on_the_device_page(card_page: Page) -> None:
    """The card counts as Home Assistant's frontend does, so both say the same at one moment."""
    tasks = {name: {"status": "idle", "next_run": when} for name, (when, _) in RUNS.items()}
    # 36 hours ago is yesterday, not "2 days ago".
    tasks["Yesterday"] = {"status": "idle", "last_run": [2026, 11, 2, 8, 0]}
    card = await _render(card_page, [_server("plex", tasks)])
    rows = {row["name"]: row for row in card["rows"]}
    for name, (_, shown) in RUNS.items():
        assert rows[name]["next_run"] == shown, name
    assert rows["Yesterday"]["last_run"] == "Last run: yesterday"
    german = await _render(card_page, [_server("plex", tasks)], language="de")
    rows = {row["name"]: row for row in german["rows"]}
    assert rows["Saturday"]["next_run"] == "Nächster Lauf: in 3 Tagen"


async def test_start_all_asks_first_when_it_may_install_an_update(card_page: Page) -> None:
    """Start all says it may install a server update, and presses only after a yes."""
    card = await _render(card_page, [_server("plex", {"TaskA": IDLE})])
    card = await _click(card_page, ".all button.start")
    assert (card["confirm"], card["calls"]) == (None, ["button.press button.plex_start_all_tasks"])

    updating = _server("plex", {"TaskA": IDLE}, may_install_server_update=True)
    await _render(card_page, [updating])
    card = await _click(card_page, ".all button.start")
    assert card["confirm"] == "Automatic updates are on: Start all may install a server update."
    assert card["calls"] == []
    card = await _click(card_page, '[data-answer="cancel"]')
    assert (card["confirm"], card["calls"]) == (None, [])
    await _click(card_page, ".all button.start")
    card = await _click(card_page, '[data-answer="start"]')
    assert (card["confirm"], card["calls"]) == (None, ["button.press button.plex_start_all_tasks"])
