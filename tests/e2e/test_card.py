"""The card alone in Chromium: what each task's last run reads, from its sensor's attributes.

The bundle is loaded from a page served on 127.0.0.1 and given a `hass` object made here (the
registries and states it reads), so each case is one task row; no Home Assistant runs.
"""

from __future__ import annotations

import json
from typing import Any

from .browser import Page

HOURS = 3600
# A day of Home Assistant's zone starts at 23:00 UTC the day before: the card shows that day.
TIME_ZONE = "Europe/Berlin"
BACKUP_DAY_START = "2026-11-26T23:00:00+00:00"

# Each task: its Last run sensor's state (a time `ago` seconds back, or "unknown") and attributes.
CASES: dict[str, dict[str, Any]] = {
    "NotSeen": {"state": "unknown", "attributes": {"source": None, "not_seen_reason": None}},
    "DebugLogOff": {
        "state": "unknown",
        "attributes": {"source": None, "not_seen_reason": "debug_log_off"},
    },
    "Observed": {"ago": 5 * HOURS, "attributes": {"source": "observed"}},
    "ServerLog": {"ago": 2 * HOURS, "attributes": {"source": "server_log"}},
    "StartedHere": {"ago": 3 * 60, "attributes": {"source": "started_here"}},
    "Backup": {
        "state": BACKUP_DAY_START,
        "attributes": {"source": "backup_file", "precision": "day"},
    },
    # Remembered by a version that did not store how a run was known.
    "OlderVersion": {"ago": 2 * 24 * HOURS, "attributes": {"source": None}},
}

# Render a card for the cases in a language; return each row's last run: text, hint, tooltip.
RENDER = """
(async ({ cases, language, timeZone }) => {
  const entities = {
    "sensor.running_tasks": {
      entity_id: "sensor.running_tasks", platform: "plex_butler", device_id: "server",
      translation_key: "running_tasks",
    },
  };
  const states = {};
  for (const [name, { state, ago, attributes }] of Object.entries(cases)) {
    for (const [key, value] of [
      ["task_status", "idle"],
      ["last_run", state ?? new Date(Date.now() - ago * 1000).toISOString()],
    ]) {
      const entityId = `sensor.${name.toLowerCase()}_${key}`;
      entities[entityId] = {
        entity_id: entityId, platform: "plex_butler", device_id: "server", translation_key: key,
        name: key === "task_status" ? name : null,
      };
      const extra = key === "last_run" ? attributes : {};
      states[entityId] = {
        entity_id: entityId, state: value, attributes: { task_name: name, ...extra },
      };
    }
  }
  const hass = {
    states,
    entities,
    devices: {
      server: { id: "server", name: "Plex", name_by_user: null, config_entries: ["entry"] },
    },
    locale: { language },
    config: { time_zone: timeZone },
    callService: async () => undefined,
    formatEntityState: (stateObj) => `exactly ${stateObj.state}`,
  };
  await customElements.whenDefined("plex-butler-card");
  document.querySelector("plex-butler-card")?.remove();
  const card = document.createElement("plex-butler-card");
  card.setConfig({ type: "custom:plex-butler-card" });
  card.hass = hass;
  document.body.appendChild(card);
  await card.updateComplete;
  const text = (node) => node ? node.textContent.replace(/\\s+/g, " ").trim() : null;
  return Object.fromEntries([...card.shadowRoot.querySelectorAll("[data-task]")].map((row) => {
    const lastRun = row.querySelector(".last_run");
    return [row.dataset.task, {
      text: text(lastRun),
      source: text(lastRun.querySelector(".source")),
      hint: text(lastRun.querySelector(".hint")),
      title: lastRun.getAttribute("title"),
    }];
  }));
})
"""


async def _last_runs(page: Page, language: str) -> dict[str, dict[str, str | None]]:
    options = {"cases": CASES, "language": language, "timeZone": TIME_ZONE}
    return dict(await page.evaluate(f"{RENDER}({json.dumps(options)})"))


async def test_last_run_says_how_it_is_known(card_page: Page) -> None:
    """Not seen yet (and why), each source beside the time, and a backup's day alone."""
    rows = await _last_runs(card_page, "en")

    assert rows["NotSeen"] == {
        "text": "Last run: not seen yet",
        "source": None,
        "hint": None,
        "title": "not seen yet",
    }
    assert rows["DebugLogOff"] == {
        "text": "Last run: not seen yet · the server's debug log is off",
        "source": None,
        "hint": "· the server's debug log is off",
        "title": "Its runs show only in the server's debug log, which is off.",
    }
    for name, shown in (
        ("Observed", "5 hours ago · seen"),
        ("ServerLog", "2 hours ago · server log"),
        ("StartedHere", "3 minutes ago · started here"),
    ):
        assert rows[name]["text"] == f"Last run: {shown}", rows[name]
        assert rows[name]["hint"] is None
        assert rows[name]["title"] is not None
        assert rows[name]["title"].startswith("exactly 20"), rows[name]  # the exact time
    # Only the day is known: the day of Home Assistant's zone, no time, no "hours ago".
    assert rows["Backup"] == {
        "text": "Last run: Nov 27, 2026 · backup file",
        "source": "· backup file",
        "hint": None,
        "title": "Nov 27, 2026",
    }
    assert rows["OlderVersion"]["text"] == "Last run: 2 days ago"
    assert rows["OlderVersion"]["source"] is None
    assert not any("never" in str(row["text"]) for row in rows.values())


# Per language: a run not seen, why, and the backup file's source.
WORDS = {
    "de": ("noch nicht gesehen", "das Debug-Log des Servers ist aus", "Sicherungsdatei"),
    "fr": ("pas encore vue", "le journal de débogage du serveur est désactivé", "fichier de"),
    "es": ("aún no vista", "el registro de depuración del servidor está", "copia de"),
    "nl": ("nog niet gezien", "het debuglogboek van de server staat uit", "back-upbestand"),
    "it": ("non ancora vista", "il log di debug del server è disattivato", "file di backup"),
}


async def test_last_run_in_each_language(card_page: Page) -> None:
    """The card's own words for a run not seen, why, and a source, in its other languages."""
    for language, (not_seen, hint, backup) in WORDS.items():
        rows = await _last_runs(card_page, language)
        assert not_seen in str(rows["NotSeen"]["text"]), rows
        assert hint in str(rows["DebugLogOff"]["hint"]), rows
        assert backup in str(rows["Backup"]["source"]), rows
        assert "27" in str(rows["Backup"]["text"]), rows
        assert str(rows["ServerLog"]["source"]).startswith("· "), rows
