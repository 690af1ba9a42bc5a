"""Headless Chromium driven over the DevTools protocol: open pages, read their text, screenshot.

Home Assistant's frontend renders inside shadow roots, which `--dump-dom` leaves out: the text is
read by walking them in the page instead.
"""

from __future__ import annotations

import asyncio
import base64
from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager, suppress
import itertools
import json
import os
from pathlib import Path
import shutil
from typing import Any

import aiohttp

# Headless, as root in a container, and never reaching out to Google's services.
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--no-default-browser-check",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
    "--hide-scrollbars",
    "--mute-audio",
    "--remote-debugging-address=127.0.0.1",
    "--remote-debugging-port=0",
)
START_TIMEOUT = 30.0
COMMAND_TIMEOUT = 60.0
STOP_TIMEOUT = 10.0

# The text of the page, shadow roots included.
DEEP_TEXT = """
(() => {
  const parts = [];
  const walk = (node) => {
    if (node.nodeType === Node.TEXT_NODE) { parts.push(node.textContent); return; }
    if (node.shadowRoot) walk(node.shadowRoot);
    for (const child of node.childNodes) walk(child);
  };
  walk(document);
  return parts.join(" ").replace(/\\s+/g, " ");
})()
"""


# Click the button of the entity row (a button entity's "Press") whose text contains the label.
PRESS_ROW_BUTTON = """
((label) => {
  const rows = [];
  const walk = (node) => {
    if (node.tagName === "HUI-BUTTON-ENTITY-ROW") rows.push(node);
    if (node.shadowRoot) walk(node.shadowRoot);
    for (const child of node.children || []) walk(child);
  };
  walk(document);
  const text = (node) => {
    const parts = [];
    const collect = (n) => {
      if (n.nodeType === Node.TEXT_NODE) parts.push(n.textContent);
      if (n.shadowRoot) collect(n.shadowRoot);
      for (const child of n.childNodes) collect(child);
    };
    collect(node);
    return parts.join(" ").replace(/\\s+/g, " ");
  };
  const buttons = (node, found = []) => {
    if (/^(HA-BUTTON|MWC-BUTTON|BUTTON)$/.test(node.tagName || "")) found.push(node);
    if (node.shadowRoot) buttons(node.shadowRoot, found);
    for (const child of node.children || []) buttons(child, found);
    return found;
  };
  for (const row of rows) {
    if (!text(row).includes(label)) continue;
    const [button] = buttons(row);
    if (!button) return false;
    button.click();
    return true;
  }
  return false;
})
"""


class BrowserError(Exception):
    """Chromium failed or answered an error."""


def find_chromium() -> str | None:
    """Return the Chromium to use: $CHROMIUM, or chromium (Debian), chromium-browser, chrome."""
    candidates = [os.environ.get("CHROMIUM", "")]
    candidates += ["chromium", "chromium-browser", "google-chrome", "google-chrome-stable"]
    for candidate in candidates:
        if candidate and (path := shutil.which(candidate)):
            return path
    return None


class Page:
    """One tab, over its DevTools websocket: one command at a time."""

    def __init__(self, socket: aiohttp.ClientWebSocketResponse) -> None:
        """Wrap the tab's DevTools connection."""
        self._socket = socket
        self._ids = itertools.count(1)

    async def send(self, method: str, **params: Any) -> dict[str, Any]:
        """Run a DevTools command and return its result."""
        command_id = next(self._ids)
        await self._socket.send_json({"id": command_id, "method": method, "params": params})
        while True:
            message = await asyncio.wait_for(self._socket.receive(), COMMAND_TIMEOUT)
            if message.type != aiohttp.WSMsgType.TEXT:
                raise BrowserError(f"DevTools connection ended during {method}: {message}")
            answer = message.json()
            if answer.get("id") != command_id:
                continue  # an event
            if "error" in answer:
                raise BrowserError(f"{method}: {answer['error']}")
            return dict(answer.get("result", {}))

    async def evaluate(self, expression: str) -> Any:
        """Evaluate JavaScript in the page and return its value (promises awaited)."""
        result = await self.send(
            "Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=True
        )
        if "exceptionDetails" in result:
            raise BrowserError(f"JavaScript failed: {result['exceptionDetails']}")
        return result["result"].get("value")

    async def open(self, url: str, within: float = 30.0) -> None:
        """Load url and wait (for up to `within` seconds) for its document to be complete."""
        await self.send("Page.navigate", url=url)
        loop = asyncio.get_running_loop()
        deadline = loop.time() + within
        # Page.navigate answers once the new document is there: wait for it to finish loading.
        while await self.evaluate("document.readyState") != "complete":
            if loop.time() > deadline:
                raise BrowserError(f"{url} did not load in {within} s")
            await asyncio.sleep(0.2)

    async def text(self) -> str:
        """Return the page's text, shadow roots included, with whitespace collapsed."""
        return str(await self.evaluate(DEEP_TEXT))

    async def wait_for_texts(self, texts: Iterable[str], within: float) -> str:
        """Wait until every one of texts is on the page; return the page's text.

        Raises AssertionError naming the missing ones when `within` seconds have passed.
        """
        wanted = list(texts)
        loop = asyncio.get_running_loop()
        deadline = loop.time() + within
        while True:
            text = await self.text()
            missing = [item for item in wanted if item not in text]
            if not missing:
                return text
            if loop.time() > deadline:
                raise AssertionError(
                    f"not on the page after {within} s: {missing}; the page shows: {text[:2000]}"
                )
            await asyncio.sleep(0.5)

    async def press_row_button(self, label: str) -> bool:
        """Click "Press" on the button entity row labelled label; False if there is none."""
        return bool(await self.evaluate(f"{PRESS_ROW_BUTTON}({json.dumps(label)})"))

    async def screenshot(self, clip: dict[str, float] | None = None) -> bytes:
        """Return what the window shows, or its part in clip (x, y, width, height), as a PNG."""
        options: dict[str, Any] = {"format": "png"}
        if clip is not None:
            options["clip"] = {**clip, "scale": 1}
        result = await self.send("Page.captureScreenshot", **options)
        return base64.b64decode(result["data"])

    async def resize(self, width: int, height: int) -> None:
        """Give the page a window of width x height pixels."""
        await self.send(
            "Emulation.setDeviceMetricsOverride",
            width=width,
            height=height,
            deviceScaleFactor=1,
            mobile=False,
        )

    async def throttle(self, bytes_per_second: float | None) -> None:
        """Have the page's downloads take their time, as on a slow link; None: at full speed."""
        await self.send("Network.enable")
        await self.send(
            "Network.emulateNetworkConditions",
            offline=False,
            latency=0,
            downloadThroughput=-1 if bytes_per_second is None else bytes_per_second,
            uploadThroughput=-1,
        )
        if bytes_per_second is None:
            await self.send("Network.disable")

    async def prefer_dark(self, dark: bool) -> None:
        """Have the page see the system's light or dark preference (prefers-color-scheme)."""
        scheme = "dark" if dark else "light"
        await self.send(
            "Emulation.setEmulatedMedia",
            features=[{"name": "prefers-color-scheme", "value": scheme}],
        )


async def _devtools_port(profile: Path, process: asyncio.subprocess.Process) -> int:
    """Read the port Chromium picked from the DevToolsActivePort file of its profile."""
    port_file = profile / "DevToolsActivePort"
    loop = asyncio.get_running_loop()
    deadline = loop.time() + START_TIMEOUT
    while loop.time() < deadline:
        if process.returncode is not None:
            raise BrowserError(f"Chromium exited at start with status {process.returncode}")
        with suppress(FileNotFoundError, ValueError, IndexError):
            return int(port_file.read_text().splitlines()[0])
        await asyncio.sleep(0.1)
    raise BrowserError(f"Chromium did not open its DevTools port in {START_TIMEOUT} s")


@asynccontextmanager
async def launch(
    executable: str,
    profile: Path,
    session: aiohttp.ClientSession,
    width: int = 1280,
    height: int = 800,
) -> AsyncIterator[Page]:
    """Start headless Chromium with a new profile folder and yield its tab; stop it afterwards."""
    with (profile.parent / "chromium.log").open("wb") as log:
        process = await asyncio.create_subprocess_exec(
            executable,
            *CHROMIUM_FLAGS,
            f"--user-data-dir={profile}",
            f"--window-size={width},{height}",
            "about:blank",
            stdin=asyncio.subprocess.DEVNULL,
            stdout=log,
            stderr=log,
        )
    try:
        port = await _devtools_port(profile, process)
        async with session.get(f"http://127.0.0.1:{port}/json/list") as response:
            targets = await response.json()
        target = next(target for target in targets if target["type"] == "page")
        async with session.ws_connect(target["webSocketDebuggerUrl"], max_msg_size=0) as socket:
            page = Page(socket)
            await page.resize(width, height)
            yield page
    finally:
        if process.returncode is None:
            process.terminate()
            try:
                await asyncio.wait_for(process.wait(), STOP_TIMEOUT)
            except TimeoutError:
                process.kill()
                await process.wait()
