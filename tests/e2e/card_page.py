"""The Plex Butler card on a dashboard page: read what it shows, press its buttons, frame it."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
import json
from typing import Any

from .browser import Page

# The first plex-butler-card on the page, found through the dashboard's shadow roots.
FIND_CARD = """
(() => {
  const walk = (node) => {
    if (node.tagName === "PLEX-BUTLER-CARD") return node;
    for (const child of [node.shadowRoot, ...(node.children || [])]) {
      const found = child && walk(child);
      if (found) return found;
    }
    return null;
  };
  return walk(document);
})()
"""

# What the card shows: its header's text, where it is and its colour, and for each task row its
# text, buttons and progress bar.
READ_CARD = f"""
(() => {{
  const root = {FIND_CARD}?.shadowRoot;
  const header = root?.querySelector(".header");
  if (!header) return null;
  const text = (node) => node ? node.textContent.replace(/\\s+/g, " ").trim() : null;
  const haCard = root.querySelector("ha-card");
  const box = haCard.getBoundingClientRect();
  return {{
    header: text(header),
    background: getComputedStyle(haCard).backgroundColor,
    box: {{ x: box.x, y: box.y, width: box.width, height: box.height }},
    tasks: [...root.querySelectorAll("[data-task]")].map((row) => ({{
      name: row.dataset.task,
      title: text(row.querySelector(".title")),
      last_run: text(row.querySelector(".last_run")),
      buttons: [...row.querySelectorAll("button")].map((button) => button.className),
      disabled: [...row.querySelectorAll("button")].some((button) => button.disabled),
      next_run: text(row.querySelector(".next_run")),
      progress: row.querySelector(".progress") !== null,
    }})),
  }};
}})()
"""

PRESS = f"""
((task, kind) => {{
  const button = {FIND_CARD}?.shadowRoot
    ?.querySelector(`[data-task="${{task}}"] button.${{kind}}`);
  if (!button) return false;
  button.click();
  return true;
}})
"""


async def read_card(page: Page) -> dict[str, Any] | None:
    """Return what the card shows, or None while it is not rendered."""
    card = await page.evaluate(READ_CARD)
    return dict(card) if card else None


async def wait_for_card(
    page: Page, shows: Callable[[dict[str, Any]], bool], within: float
) -> dict[str, Any]:
    """Wait until what the card shows passes `shows`; return it (AssertionError after `within`)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + within
    while True:
        card = await read_card(page)
        if card is not None and shows(card):
            return card
        if loop.time() > deadline:
            raise AssertionError(f"the card does not show what is expected: {card}")
        await asyncio.sleep(0.5)


async def press(page: Page, task: str, kind: str) -> bool:
    """Click the card's start or stop button of a task; False if the card shows none."""
    return bool(await page.evaluate(f"{PRESS}({json.dumps(task)}, {json.dumps(kind)})"))
