"""Voice: the sentences are attached again, one attach at a time, as servers come and go."""

from __future__ import annotations

import asyncio
from typing import Any

from homeassistant.core import HomeAssistant
import pytest

from custom_components.plex_butler.voice import triggers
from tests.conftest import async_settle, config_entry_for
from tests.helpers import async_answer, async_set_up_assist, starts_and_stops_sent
from tests.plex_simulator import PlexSimulator


async def test_a_server_loaded_during_an_attach_is_heard_once_it_is_done(
    hass: HomeAssistant,
    plex_server: PlexSimulator,
    second_server: PlexSimulator,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The second server's titles wait for the first attach, then come in the next one.

    The first attach is held until the second server is set up, so that it is still running when
    the second server asks for its sentences: which way it goes does not depend on timing.
    """
    release = asyncio.Event()
    attaches: list[int] = []
    real_initialize = triggers.async_initialize_triggers

    async def held_initialize(hass: HomeAssistant, config: list[Any], *args: Any) -> Any:
        attaches.append(len(config))
        await release.wait()
        return await real_initialize(hass, config, *args)

    monkeypatch.setattr(triggers, "async_initialize_triggers", held_initialize)
    entries = [
        config_entry_for(server, client_identifier=name)
        for server, name in ((plex_server, "first"), (second_server, "second"))
    ]
    for entry in entries:
        entry.add_to_hass(hass)
        assert await hass.config_entries.async_setup(entry.entry_id)
    assert len(attaches) == 1  # the second server waits for the first attach

    release.set()
    await async_settle(hass)
    await async_set_up_assist(hass)
    # Two attaches: one server, then both, with the "which server?" reply only two need.
    assert len(attaches) == 2
    assert attaches[1] == attaches[0] + 1
    assert await async_answer(hass, "start backup database on the Basement Plex") == (
        "Started Backup Database on Basement Plex."
    )
    # Sentences attached once: a second set would start the task twice.
    assert starts_and_stops_sent(second_server) == [("POST", "/butler/BackupDatabase")]
    assert starts_and_stops_sent(plex_server) == []
    assert await async_answer(hass, "start backup database") == (
        "Which Plex server, Basement Plex or Living Room Plex?"
    )
    for entry in entries:
        await hass.config_entries.async_unload(entry.entry_id)
    await hass.async_block_till_done()
    # Nothing of the first attach is left over: the sentences went with the servers.
    assert "Plex" not in await async_answer(hass, "start backup database")
