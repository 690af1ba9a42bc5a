"""The demo's configuration: Home Assistant listens on 127.0.0.1 only and raises no HTTP repair.

What `scripts/demo.py prepare` writes (also for the end-to-end test) is read as Home Assistant
reads it at start: configuration.yaml with its packages, and the stored HTTP settings.
"""

from __future__ import annotations

import json
from pathlib import Path
import shutil
import socket
from typing import Any

from homeassistant import config as conf_util
from homeassistant.core import HomeAssistant
from homeassistant.helpers import issue_registry as ir
from homeassistant.setup import async_setup_component
import pytest

from .e2e.ha_config import HTTP_PACKAGE, prepare_config_dir

CONFIGURATION = Path(__file__).parent.parent / "config" / "configuration.yaml"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def _start_http(hass: HomeAssistant, config_dir: Path, hass_storage: dict[str, Any]) -> None:
    """Set up Home Assistant's HTTP server from config_dir, as a start does."""
    # The harness keeps Home Assistant's .storage in hass_storage.
    for store in (config_dir / ".storage").iterdir():
        hass_storage[store.name] = json.loads(store.read_text())
    hass.config.config_dir = str(config_dir)
    config = await conf_util.async_hass_config_yaml(hass)
    assert await async_setup_component(hass, "http", config)
    await hass.async_block_till_done()


@pytest.mark.usefixtures("socket_enabled")
async def test_the_demo_listens_on_loopback_without_an_http_repair(
    hass: HomeAssistant, tmp_path: Path, hass_storage: dict[str, Any]
) -> None:
    """A new demo: 127.0.0.1 and its port, and no repair that is not the integration's."""
    config_dir = tmp_path / "config"
    config_dir.mkdir()
    shutil.copy(CONFIGURATION, config_dir)
    port = _free_port()
    assert prepare_config_dir(config_dir, port) is True

    await _start_http(hass, config_dir, hass_storage)

    assert (hass.http.server_host, hass.http.server_port) == (["127.0.0.1"], port)
    assert (hass.config.api.host, hass.config.api.port) == ("127.0.0.1", port)
    issues = ir.async_get(hass).issues
    assert [issue_id for domain, issue_id in issues if domain == "http"] == []


async def test_a_second_prepare_keeps_what_home_assistant_stored(tmp_path: Path) -> None:
    """Once Home Assistant has its stored settings, prepare leaves them; YAML only where needed."""
    config_dir = tmp_path / "config"
    config_dir.mkdir()
    prepare_config_dir(config_dir, 8123)
    stored = config_dir / ".storage" / "http"
    if stored.exists():  # a release that keeps its HTTP settings: no YAML for it
        assert not (config_dir / HTTP_PACKAGE).exists()
        stored.write_text(stored.read_text().replace('"server_port": 8123', '"server_port": 8124'))
        before = stored.read_text()
        assert prepare_config_dir(config_dir, 8123) is False
        assert stored.read_text() == before
    else:  # 2026.2: the YAML package, written again before every start
        (config_dir / HTTP_PACKAGE).unlink()
        assert prepare_config_dir(config_dir, 8123) is False
        assert "server_host: 127.0.0.1" in (config_dir / HTTP_PACKAGE).read_text()
