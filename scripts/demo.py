"""Make a starting Home Assistant a ready demo: onboarded, Plex Butler added, a dashboard.

scripts/develop runs `prepare` before it starts Home Assistant (it settles what the API cannot:
where Home Assistant listens, and in a new config dir two more things: see `prepare_config_dir`)
and `setup` once Home Assistant is starting.
`setup` goes through Home Assistant's HTTP and websocket API, as the frontend does. A second run
finds the owner account (its password is kept in config/.demo_credentials.json, git-ignored like
the rest of config/), the entry and the dashboard already there, and only prints where to go.
"""

from __future__ import annotations

import argparse
import asyncio
from contextlib import suppress
import json
import os
from pathlib import Path
import secrets
import sys

import aiohttp
import yaml

from tests.e2e.ha_client import HomeAssistantApi, HomeAssistantError, entities_by_unique_id
from tests.e2e.ha_config import prepare_config_dir

ROOT = Path(__file__).resolve().parent.parent
DASHBOARD_FILE = ROOT / "docs" / "dashboard.yaml"
DASHBOARD_URL_PATH = "plex-butler"
DOMAIN = "plex_butler"
ENTITIES_TIMEOUT = 60.0


def _parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    prepare = commands.add_parser("prepare", help="before Home Assistant's first start")
    prepare.add_argument("--config-dir", type=Path, default=ROOT / "config")
    prepare.add_argument("--port", type=int, default=8123, help="Home Assistant's, on 127.0.0.1")
    setup = commands.add_parser("setup", help="once Home Assistant is starting")
    setup.add_argument("--ha-url", default="http://127.0.0.1:8123")
    setup.add_argument("--plex-url", required=True, help="token: $PLEX_BUTLER_DEMO_TOKEN")
    setup.add_argument(
        "--no-verify-ssl", action="store_true", help="do not check the Plex server's certificate"
    )
    setup.add_argument(
        "--credentials",
        type=Path,
        default=ROOT / "config" / ".demo_credentials.json",
        help="where the owner's user name and password are kept",
    )
    setup.add_argument("--ha-pid", type=int, help="stop waiting if this process exits")
    setup.add_argument("--timeout", type=float, default=900.0, help="seconds to wait for HA")
    return parser.parse_args()


def _alive(pid: int | None) -> bool:
    """Return whether the process runs (a zombie, exited but not yet reaped, does not)."""
    if pid is None:
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    stat = Path(f"/proc/{pid}/stat")
    with suppress(OSError):
        return stat.read_text().rsplit(")", 1)[1].split()[0] != "Z"
    return True


def _credentials(path: Path) -> dict[str, str]:
    """Read the demo owner's credentials, or make new ones (kept readable by this user only)."""
    if path.exists():
        return dict(json.loads(path.read_text()))
    credentials = {"username": "demo", "password": secrets.token_urlsafe(9)}
    path.parent.mkdir(parents=True, exist_ok=True)
    path.touch(mode=0o600)
    path.write_text(json.dumps(credentials, indent=2) + "\n")
    return credentials


async def _wait_for_entry_entities(api: HomeAssistantApi, entry_id: str) -> None:
    """Wait until the entry's entities exist."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + ENTITIES_TIMEOUT
    while True:
        async with api.websocket() as ws:
            entities = entities_by_unique_id(await ws.call("config/entity_registry/list"), entry_id)
        if any(unique_id.endswith("_running_tasks") for unique_id in entities):
            return
        if loop.time() > deadline:
            raise HomeAssistantError("the Plex Butler entry has no entities: see the log")
        await asyncio.sleep(1)


async def _add_dashboard(api: HomeAssistantApi) -> None:
    """Add docs/dashboard.yaml: the card, which finds the demo's one server by itself."""
    config = yaml.safe_load(DASHBOARD_FILE.read_text())
    if await api.save_dashboard(
        DASHBOARD_URL_PATH, "Plex Butler", "mdi:broom", config, replace=False
    ):
        print(f"Added the dashboard of {DASHBOARD_FILE.relative_to(ROOT)}")


async def _run(args: argparse.Namespace) -> int:
    credentials = _credentials(args.credentials)
    async with aiohttp.ClientSession() as session:
        api = HomeAssistantApi(session, args.ha_url)
        print(
            f"Waiting for Home Assistant at {args.ha_url} (a first start also installs its "
            "frontend from the package index: from 20 seconds to a few minutes)",
            flush=True,
        )
        await api.wait_until_up(args.timeout, lambda: _alive(args.ha_pid))
        try:
            created = await api.onboard("Demo", credentials["username"], credentials["password"])
        except HomeAssistantError as error:
            print(
                f"Cannot log in to the existing Home Assistant in config/ ({error}): log in with "
                "your own account, or stop it and delete config/.storage to start afresh",
                file=sys.stderr,
            )
            return 1
        print("Created the owner account" if created else "Logged in with the demo account")
        await api.wait_until_running(args.timeout)

        user_input = {
            "url": args.plex_url,
            "token": os.environ["PLEX_BUTLER_DEMO_TOKEN"],
            "verify_ssl": not args.no_verify_ssl,
        }
        answer = await api.add_config_entry(DOMAIN, user_input)
        if answer["type"] == "create_entry":
            entry_id = answer["result"]["entry_id"]
            print(f"Added Plex Butler for {answer['title']} ({args.plex_url})")
        elif answer["type"] == "abort" and answer["reason"] == "already_configured":
            entry = (await api.config_entries(DOMAIN))[0]
            entry_id = entry["entry_id"]
            print(f"Plex Butler for {entry['title']} is already set up")
            if entry["state"] != "loaded":
                # Same server, other address (say, another PLEX_SIMULATOR_PORT): point it here.
                answer = await api.add_config_entry(DOMAIN, user_input, entry_id)
                print(
                    f"  It was not loaded ({entry['state']}); reconfigured: {answer.get('reason')}"
                )
        else:
            problem = answer.get("errors") or answer.get("reason") or answer
            print(f"Could not add Plex Butler for {args.plex_url}: {problem}", file=sys.stderr)
            return 1

        await _wait_for_entry_entities(api, entry_id)
        await _add_dashboard(api)
        async with api.websocket() as ws:
            devices = await ws.call("config/device_registry/list")
        device = next(device for device in devices if entry_id in device["config_entries"])

    base = args.ha_url
    print(
        "\nThe demo is ready. Open it in a browser and log in:\n"
        f"  Home Assistant  {base}\n"
        f"  User            {credentials['username']}\n"
        f"  Password        {credentials['password']}\n"
        f"  Plex server     {base}/config/devices/device/{device['id']}\n"
        f"  Dashboard       {base}/{DASHBOARD_URL_PATH}",
        flush=True,
    )
    return 0


def main() -> int:
    """Prepare the demo; return the exit status."""
    args = _parse_args()
    if args.command == "prepare":
        prepare_config_dir(args.config_dir, args.port)
        return 0
    try:
        return asyncio.run(_run(args))
    except (HomeAssistantError, TimeoutError, aiohttp.ClientError) as error:
        print(f"The demo could not be prepared: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:  # Ctrl-C: scripts/develop stops everything
        return 130


if __name__ == "__main__":
    sys.exit(main())
