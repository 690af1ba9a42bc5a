"""Preparing a config dir for a Home Assistant to be started: what its API cannot settle.

Used by the end-to-end test and by `scripts/develop` (through `scripts/demo.py`), before Home
Assistant starts; it needs the Home Assistant it prepares for. `ha_client` talks to it after.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from importlib.util import find_spec
import json
from pathlib import Path
from typing import Any
import uuid

DEMO_HOST = "127.0.0.1"
HTTP_PACKAGE = Path("packages") / "http.yaml"


def _write_store(
    storage: Path, key: str, version: int, data: dict[str, Any], minor_version: int = 1
) -> None:
    """Write one of Home Assistant's `.storage` files, as Home Assistant itself does."""
    store = storage / key
    store.touch(mode=0o600)
    store.write_text(
        json.dumps({"version": version, "minor_version": minor_version, "key": key, "data": data})
    )


def _http_settings_schema() -> Callable[[dict[str, Any]], dict[str, Any]] | None:
    """The schema of the HTTP settings Home Assistant stores itself, if this release has one.

    From 2026.10 on (not 2026.2), Home Assistant keeps its `http:` settings in `.storage/http`
    and takes `http:` YAML once, as a trial to confirm, with a "deprecated YAML" repair (and,
    once taken, a repair for YAML still there).
    """
    try:
        from homeassistant.components.http import config
    except ImportError:
        return None
    if not hasattr(config, "KEY_YAML_MIGRATION_DONE"):
        return None
    schema: Callable[[dict[str, Any]], dict[str, Any]] = config.HTTP_STORAGE_SCHEMA
    return schema


def prepare_http(config_dir: Path, port: int) -> None:
    """Have Home Assistant listen on 127.0.0.1:port only, the way its release keeps the setting.

    A release that stores its HTTP settings gets them stored, as confirmed (the `stable` ones),
    with its YAML taken already: no `http:` YAML, no trial, no repair. A release that stores none
    (2026.2) gets `http:` YAML, as a package of configuration.yaml's. Run before every start: a
    config dir moved between releases gets what its release needs; a stored setting Home
    Assistant has once read is its own, and left alone.
    """
    package = config_dir / HTTP_PACKAGE
    if (schema := _http_settings_schema()) is None:
        package.parent.mkdir(parents=True, exist_ok=True)
        package.write_text(
            "# Written by scripts/demo.py prepare: this release keeps no HTTP settings itself.\n"
            f"http:\n  server_host: {DEMO_HOST}\n  server_port: {port}\n"
        )
        return
    package.unlink(missing_ok=True)
    storage = config_dir / ".storage"
    if (storage / "http").exists():
        return
    storage.mkdir(parents=True, exist_ok=True)
    stable = {
        **schema({"server_host": [DEMO_HOST], "server_port": port}),
        "created_at": datetime.now(UTC).isoformat(),
        "error": None,
        "error_message": None,
    }
    # The store's version 2.2: a confirmed setting, none on trial, the YAML taken.
    _write_store(
        storage,
        "http",
        2,
        {"stable": stable, "pending": None, "yaml_migration_done": True},
        minor_version=2,
    )


def _marketplace_entry() -> dict[str, Any] | None:
    """A Marketplace entry disabled by the user, on a release that sets the Marketplace up.

    From 2026.11 on, every start sets Home Assistant's Marketplace up (a default of its own, not
    part of default_config) and, without an entry, adds one that fetches its catalog from GitHub.
    An entry the user disabled keeps it off: none is added, and this one is not loaded.
    The fields a store of minor version 1 holds: Home Assistant adds the others as it loads it.
    """
    if find_spec("homeassistant.components.marketplace") is None:
        return None
    return {
        "entry_id": uuid.uuid4().hex,
        "domain": "marketplace",
        "title": "Marketplace",
        "source": "system",
        "data": {},
        "version": 1,
        "disabled_by": "user",
    }


def prepare_config_dir(config_dir: Path, port: int) -> bool:
    """Settle, before Home Assistant starts in config_dir, what the API cannot.

    - Where it listens: 127.0.0.1:port only (`prepare_http`), before every start.
    - Onboarding's location step (`core_config`) is marked done. Finishing it through the API
      makes Home Assistant add Met.no, Radio Browser, Google Translate and Shopping list entries:
      they install more packages, and Radio Browser (Met.no too, once there is a home location)
      reaches out to the internet. The other steps go through the API.
    - Home Assistant's network adapters (Settings > System > Network) are the loopback one only.
      Its HTTP client resolves `.local` names with an mDNS socket on port 5353 bound to the
      enabled adapters: this keeps those on 127.0.0.1 (one listening socket on all addresses
      remains, which Home Assistant always opens).
    - From 2026.11 on, the Marketplace is off: otherwise it reaches GitHub (`_marketplace_entry`).

    The last three only before the first start: returns False, changing neither, once Home
    Assistant has used config_dir.
    """
    storage = config_dir / ".storage"
    first_start = not storage.exists()
    if first_start:
        storage.mkdir(parents=True)
        _write_store(storage, "onboarding", 4, {"done": ["core_config"]})
        _write_store(storage, "core.network", 1, {"configured_adapters": ["lo"]})
        if (marketplace := _marketplace_entry()) is not None:
            _write_store(storage, "core.config_entries", 1, {"entries": [marketplace]})
    prepare_http(config_dir, port)
    return first_start
