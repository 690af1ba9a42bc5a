"""The Butler's settings as entities: switches, selects and the backup folder, both ways."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import timedelta
import time

import aiohttp
from freezegun.api import FrozenDateTimeFactory
from homeassistant.config_entries import SOURCE_REAUTH
from homeassistant.const import STATE_OFF, STATE_ON, STATE_UNKNOWN, EntityCategory
from homeassistant.core import HomeAssistant, State
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers import entity_registry as er
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry, async_fire_time_changed

from .conftest import MACHINE_ID, SERVER_NAME, async_settle, async_wait_until, entity_id_of
from .helpers import states_written, task_status
from .plex_simulator import PlexSimulator

# What evidence.py ties to a task: its `*Behavior` setting shows on the task's device.
TASK_BEHAVIORS = {
    "GenerateMediaIndexFiles": "GenerateBIFBehavior",
    "GenerateChapterThumbs": "GenerateChapterThumbBehavior",
    "ButlerTaskGenerateIntroMarkers": "GenerateIntroMarkerBehavior",
    "ButlerTaskGenerateCreditsMarkers": "GenerateCreditsMarkerBehavior",
    "ButlerTaskGenerateVoiceActivity": "GenerateVADBehavior",
    "LoudnessAnalysis": "LoudnessAnalysisBehavior",
}
SWITCH = f"{MACHINE_ID}_BackupDatabase_enabled"
WINDOW_START = f"{MACHINE_ID}_ButlerStartHour"
WINDOW_END = f"{MACHINE_ID}_ButlerEndHour"
MUSIC_ANALYSIS = f"{MACHINE_ID}_MusicAnalysisBehavior"
BACKUP_PATH = f"{MACHINE_ID}_ButlerDatabaseBackupPath"


def _state(hass: HomeAssistant, platform: str, unique_id: str) -> State:
    state = hass.states.get(entity_id_of(hass, platform, unique_id))
    assert state is not None, unique_id
    return state


async def _switch(hass: HomeAssistant, unique_id: str, service: str) -> None:
    await hass.services.async_call(
        "switch", service, {"entity_id": entity_id_of(hass, "switch", unique_id)}, blocking=True
    )


async def _select(hass: HomeAssistant, unique_id: str, option: str) -> None:
    await hass.services.async_call(
        "select",
        "select_option",
        {"entity_id": entity_id_of(hass, "select", unique_id), "option": option},
        blocking=True,
    )


async def test_a_switch_for_each_task_with_a_setting(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    plex_server: PlexSimulator,
    entity_registry: er.EntityRegistry,
) -> None:
    """On the task's device, as the server stores it; none for a task without a setting."""
    switches = {
        entry.unique_id: entry
        for entry in er.async_entries_for_config_entry(entity_registry, init_integration.entry_id)
        if entry.domain == "switch"
    }
    with_setting = {
        name for name in plex_server.tasks if f"ButlerTask{name}" in plex_server.preferences
    }
    assert set(switches) == {f"{MACHINE_ID}_{name}_enabled" for name in with_setting}
    assert "AutomaticUpdates" not in with_setting
    for name in with_setting:
        entry = switches[f"{MACHINE_ID}_{name}_enabled"]
        status = entity_registry.async_get(
            entity_id_of(hass, "sensor", f"{MACHINE_ID}_{name}_status")
        )
        assert entry.device_id == status.device_id
        assert entry.entity_category is EntityCategory.CONFIG
        state = hass.states.get(entry.entity_id)
        on = plex_server.preferences[f"ButlerTask{name}"] == "1"
        assert state.state == (STATE_ON if on else STATE_OFF), name
        assert state.attributes["task_name"] == name
    assert _state(hass, "switch", f"{MACHINE_ID}_RefreshLibraries_enabled").state == STATE_OFF
    assert task_status(hass, "RefreshLibraries") == "disabled"


async def test_selects_and_the_backup_folder(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    plex_server: PlexSimulator,
    entity_registry: er.EntityRegistry,
) -> None:
    """Behaviours on their task's device or the server's; the window; the backup folder."""
    for task, setting in TASK_BEHAVIORS.items():
        state = _state(hass, "select", f"{MACHINE_ID}_{task}_behavior")
        assert state.state == plex_server.preferences[setting], task
        assert state.attributes["options"] == ["never", "scheduled", "asap"]
        assert state.attributes["task_name"] == task
        entry = entity_registry.async_get(state.entity_id)
        status = entity_registry.async_get(
            entity_id_of(hass, "sensor", f"{MACHINE_ID}_{task}_status")
        )
        assert entry.device_id == status.device_id
        assert entry.entity_category is EntityCategory.CONFIG

    # Tied to no task: on the server's device, named as Plex Web names the setting.
    running = entity_registry.async_get(entity_id_of(hass, "sensor", f"{MACHINE_ID}_running_tasks"))
    music = _state(hass, "select", MUSIC_ANALYSIS)
    assert music.state == "scheduled"
    assert music.name == f"{SERVER_NAME} Analyze audio tracks for sonic features"
    assert entity_registry.async_get(music.entity_id).device_id == running.device_id

    start, end = _state(hass, "select", WINDOW_START), _state(hass, "select", WINDOW_END)
    assert (start.state, end.state) == ("02:00", "05:00")
    assert start.attributes["options"] == [f"{hour:02}:00" for hour in range(24)]
    assert start.name == f"{SERVER_NAME} Maintenance window begins"
    assert end.name == f"{SERVER_NAME} Maintenance window ends"

    backup = _state(hass, "sensor", BACKUP_PATH)
    assert backup.state == "Plug-in Support/Databases"
    assert backup.name == f"{SERVER_NAME} Backup folder"
    entry = entity_registry.async_get(backup.entity_id)
    assert entry.entity_category is EntityCategory.DIAGNOSTIC
    assert entry.device_id == running.device_id
    for unique_id in (WINDOW_START, WINDOW_END, MUSIC_ANALYSIS):
        entry = entity_registry.async_get(entity_id_of(hass, "select", unique_id))
        assert entry.entity_category is EntityCategory.CONFIG
        assert entry.device_id == running.device_id


async def test_turning_a_task_off_and_on(
    hass: HomeAssistant, init_integration: MockConfigEntry, plex_server: PlexSimulator
) -> None:
    """The server's task list follows the switch, and so does the task's status."""
    next_run = entity_id_of(hass, "sensor", f"{MACHINE_ID}_BackupDatabase_next_run")
    assert hass.states.get(next_run).state != STATE_UNKNOWN
    # On already: the server hears it again, the state is not written again.
    reported = _state(hass, "switch", SWITCH).last_reported
    await _switch(hass, SWITCH, "turn_on")
    assert plex_server.requests[-1].query == {"ButlerTaskBackupDatabase": "1"}
    assert _state(hass, "switch", SWITCH).last_reported == reported

    await _switch(hass, SWITCH, "turn_off")
    assert plex_server.requests[-1].query == {"ButlerTaskBackupDatabase": "0"}
    assert plex_server.tasks["BackupDatabase"].enabled is False
    assert _state(hass, "switch", SWITCH).state == STATE_OFF
    await async_wait_until(hass, lambda: task_status(hass, "BackupDatabase") == "disabled")
    assert hass.states.get(next_run).state == STATE_UNKNOWN

    await _switch(hass, SWITCH, "turn_on")
    assert plex_server.requests[-1].query == {"ButlerTaskBackupDatabase": "1"}
    assert plex_server.tasks["BackupDatabase"].enabled is True
    assert _state(hass, "switch", SWITCH).state == STATE_ON
    await async_wait_until(hass, lambda: task_status(hass, "BackupDatabase") == "idle")
    assert hass.states.get(next_run).state != STATE_UNKNOWN


@pytest.mark.polling_only
async def test_a_write_shows_without_live_updates(
    hass: HomeAssistant, init_integration: MockConfigEntry, plex_server: PlexSimulator
) -> None:
    """Without the websocket the switch shows what was written; the task list is read again."""
    polls = sum(request.path == "/butler" for request in plex_server.requests)
    await _switch(hass, SWITCH, "turn_off")
    assert _state(hass, "switch", SWITCH).state == STATE_OFF
    await async_wait_until(hass, lambda: task_status(hass, "BackupDatabase") == "disabled")
    assert sum(request.path == "/butler" for request in plex_server.requests) == polls + 1


@pytest.mark.parametrize(("task", "setting"), TASK_BEHAVIORS.items())
async def test_a_task_behavior_round_trip(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    plex_server: PlexSimulator,
    task: str,
    setting: str,
) -> None:
    """Each option picked is what the server stores, and what the select then shows."""
    unique_id = f"{MACHINE_ID}_{task}_behavior"
    for option in ("never", "asap", "scheduled"):
        await _select(hass, unique_id, option)
        assert plex_server.requests[-1].query == {setting: option}
        assert plex_server.preferences[setting] == option
        assert _state(hass, "select", unique_id).state == option


async def test_a_server_behavior_round_trip(
    hass: HomeAssistant, init_integration: MockConfigEntry, plex_server: PlexSimulator
) -> None:
    """The behaviour tied to no task writes its own setting."""
    await _select(hass, MUSIC_ANALYSIS, "asap")
    assert plex_server.preferences["MusicAnalysisBehavior"] == "asap"
    assert _state(hass, "select", MUSIC_ANALYSIS).state == "asap"


async def test_window_hours_move_the_next_run(
    hass: HomeAssistant, init_integration: MockConfigEntry, plex_server: PlexSimulator
) -> None:
    """A new start hour is stored as the hour alone, and the next-run estimate follows it."""
    next_run = entity_id_of(hass, "sensor", f"{MACHINE_ID}_BackupDatabase_next_run")

    def next_run_hour() -> int:
        return dt_util.as_local(dt_util.parse_datetime(hass.states.get(next_run).state)).hour

    assert next_run_hour() == 2
    await _select(hass, WINDOW_START, "23:00")
    await _select(hass, WINDOW_END, "04:00")
    assert [request.query for request in plex_server.requests[-2:]] == [
        {"ButlerStartHour": "23"},
        {"ButlerEndHour": "4"},
    ]
    assert (
        plex_server.preferences["ButlerStartHour"],
        plex_server.preferences["ButlerEndHour"],
    ) == (
        "23",
        "4",
    )
    assert _state(hass, "select", WINDOW_START).state == "23:00"
    assert _state(hass, "select", WINDOW_END).state == "04:00"
    assert next_run_hour() == 23
    # A randomized task runs in the middle of the window, which now spans midnight.
    randomized = entity_id_of(hass, "sensor", f"{MACHINE_ID}_DeepMediaAnalysis_next_run")
    assert dt_util.as_local(dt_util.parse_datetime(hass.states.get(randomized).state)).hour == 1


async def test_changes_made_on_the_server_show_live(
    hass: HomeAssistant, init_integration: MockConfigEntry, plex_server: PlexSimulator
) -> None:
    """What Plex Web changes reaches each entity through the websocket, without a poll."""
    polls = sum(request.path == "/butler" for request in plex_server.requests)
    await plex_server.set_preference("ButlerTaskCleanOldBundles", "0")
    await plex_server.set_preference("GenerateBIFBehavior", "never")
    await plex_server.set_preference("MusicAnalysisBehavior", "asap")
    await plex_server.set_preference("ButlerEndHour", "7")
    await plex_server.set_preference("ButlerDatabaseBackupPath", "/mnt/backups/plex")

    await async_wait_until(
        hass, lambda: _state(hass, "sensor", BACKUP_PATH).state == "/mnt/backups/plex"
    )
    assert _state(hass, "switch", f"{MACHINE_ID}_CleanOldBundles_enabled").state == STATE_OFF
    assert _state(hass, "select", f"{MACHINE_ID}_GenerateMediaIndexFiles_behavior").state == (
        "never"
    )
    assert _state(hass, "select", MUSIC_ANALYSIS).state == "asap"
    assert _state(hass, "select", WINDOW_END).state == "07:00"
    # The switch's task follows once the task list was read again: once for the burst.
    await async_wait_until(hass, lambda: task_status(hass, "CleanOldBundles") == "disabled")
    await async_settle(hass)
    assert sum(request.path == "/butler" for request in plex_server.requests) == polls + 1


async def test_a_push_rewrites_no_unchanged_setting(
    hass: HomeAssistant, init_integration: MockConfigEntry, plex_server: PlexSimulator
) -> None:
    """Another setting changing, or a task running, writes none of the other settings' states."""
    entity_ids = [
        entity_id_of(hass, "switch", SWITCH),
        entity_id_of(hass, "switch", f"{MACHINE_ID}_OptimizeDatabase_enabled"),
        entity_id_of(hass, "select", f"{MACHINE_ID}_GenerateChapterThumbs_behavior"),
        entity_id_of(hass, "select", f"{MACHINE_ID}_LoudnessAnalysis_behavior"),
        entity_id_of(hass, "select", WINDOW_END),
        entity_id_of(hass, "select", MUSIC_ANALYSIS),
        entity_id_of(hass, "sensor", BACKUP_PATH),
    ]
    reported = {entity_id: hass.states.get(entity_id).last_reported for entity_id in entity_ids}
    start = entity_id_of(hass, "select", WINDOW_START)

    await plex_server.set_preference("ButlerStartHour", "3")
    await async_wait_until(hass, lambda: hass.states.get(start).state == "03:00")
    await plex_server.butler.start_task("GenerateChapterThumbs")
    await plex_server.set_preference("ButlerTaskBackupDatabase", "1")  # unchanged: no push
    await async_wait_until(hass, lambda: task_status(hass, "GenerateChapterThumbs") == "running")
    await async_settle(hass)
    assert {entity_id: hass.states.get(entity_id).last_reported for entity_id in entity_ids} == (
        reported
    )


async def test_a_long_backup_folder_keeps_its_end(
    hass: HomeAssistant, init_integration: MockConfigEntry, plex_server: PlexSimulator
) -> None:
    """A state holds 255 characters: a longer folder shows its end, which tells it apart."""
    folder = "/srv/" + "very-long-folder-name/" * 20 + "plex-backups"
    await plex_server.set_preference("ButlerDatabaseBackupPath", folder)
    await async_wait_until(hass, lambda: _state(hass, "sensor", BACKUP_PATH).state.endswith("ups"))
    state = _state(hass, "sensor", BACKUP_PATH).state
    assert len(state) == 255
    assert state == "…" + folder[-254:]


async def test_a_server_without_some_settings(
    hass: HomeAssistant, mock_config_entry: MockConfigEntry, plex_server: PlexSimulator
) -> None:
    """A setting the server does not list has no entity; neither has an odd behaviour."""
    for setting in (
        "ButlerTaskBackupDatabase",
        "ButlerStartHour",
        "ButlerDatabaseBackupPath",
        "GenerateBIFBehavior",
    ):
        del plex_server.preferences[setting]
    plex_server.preferences["MusicAnalysisBehavior"] = "sometimes"
    mock_config_entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(mock_config_entry.entry_id)
    await async_settle(hass)

    registry = er.async_get(hass)
    for platform, unique_id in (
        ("switch", SWITCH),
        ("select", WINDOW_START),
        ("select", MUSIC_ANALYSIS),
        ("select", f"{MACHINE_ID}_GenerateMediaIndexFiles_behavior"),
        ("sensor", BACKUP_PATH),
    ):
        assert registry.async_get_entity_id(platform, "plex_butler", unique_id) is None
    assert _state(hass, "select", WINDOW_END).state == "05:00"
    assert _state(hass, "switch", f"{MACHINE_ID}_OptimizeDatabase_enabled").state == STATE_ON
    assert await hass.config_entries.async_unload(mock_config_entry.entry_id)


async def test_odd_values_show_as_unknown(
    hass: HomeAssistant, init_integration: MockConfigEntry, plex_server: PlexSimulator
) -> None:
    """A value that no option stands for (a newer server's, say) reads unknown, not wrong."""
    odd = {"ButlerEndHour": 25, "LoudnessAnalysisBehavior": "later"}
    frame = {
        "type": "preference",
        "size": 2,
        "Setting": [{"id": k, "value": v} for k, v in odd.items()],
    }
    await plex_server.replay.apply_entry({"t": 0, "notification": {"NotificationContainer": frame}})
    behavior = f"{MACHINE_ID}_LoudnessAnalysis_behavior"
    await async_wait_until(hass, lambda: _state(hass, "select", behavior).state == STATE_UNKNOWN)
    assert _state(hass, "select", WINDOW_END).state == STATE_UNKNOWN


async def test_the_settings_of_a_task_that_went_away(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    plex_server: PlexSimulator,
    entity_registry: er.EntityRegistry,
) -> None:
    """Its switch and select leave with the task's other entities."""
    del plex_server.tasks["BackupDatabase"], plex_server.tasks["LoudnessAnalysis"]
    await init_integration.runtime_data.async_refresh()
    await async_settle(hass)
    for platform, unique_id in (
        ("switch", SWITCH),
        ("select", f"{MACHINE_ID}_LoudnessAnalysis_behavior"),
    ):
        assert entity_registry.async_get_entity_id(platform, "plex_butler", unique_id) is None


Refusal = Callable[[PlexSimulator], Awaitable[None]]


async def _unknown_setting(server: PlexSimulator, status: int) -> None:
    del server.preferences["ButlerTaskBackupDatabase"]
    server.faults.unknown_preference_status = status


async def _refused_400(server: PlexSimulator) -> None:
    await _unknown_setting(server, 400)


async def _refused_403(server: PlexSimulator) -> None:
    await _unknown_setting(server, 403)


async def _server_error(server: PlexSimulator) -> None:
    server.faults.fail_with_500 = True


async def _server_down(server: PlexSimulator) -> None:
    await server.go_down()


async def _token_revoked(server: PlexSimulator) -> None:
    server.revoke_token()


@pytest.mark.parametrize(
    ("refusal", "message"),
    [
        (
            _refused_400,
            "{server} refused to change {setting}: it does not take this setting or this value",
        ),
        (
            _refused_403,
            "{server} refused to change {setting}: it does not take this setting or this value",
        ),
        (_server_error, "{server} did not change {setting}: PUT /:/prefs answered 500"),
        pytest.param(
            _server_down,
            "{server} did not change {setting}: Cannot talk to 127.0.0.1: ClientConnectorError",
            marks=pytest.mark.polling_only,
        ),
        (
            _token_revoked,
            "{server} refused the token, so {setting} was not changed. "
            "Re-authenticate with the server owner's token",
        ),
    ],
    ids=["400", "403", "500", "down", "401"],
)
async def test_a_refused_write_restores_the_state(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    plex_server: PlexSimulator,
    refusal: Refusal,
    message: str,
) -> None:
    """The switch shows the new value while it is written, then the old one, and says why."""
    entity_id = entity_id_of(hass, "switch", SWITCH)
    name = hass.states.get(entity_id).name
    written = states_written(hass, entity_id)
    await refusal(plex_server)
    with pytest.raises(HomeAssistantError) as err:
        await _switch(hass, SWITCH, "turn_off")
    assert str(err.value) == message.format(server=SERVER_NAME, setting=name)
    assert [state.state for state in written] == [STATE_OFF, STATE_ON]
    assert hass.states.get(entity_id).state == STATE_ON
    flows = [flow["context"]["source"] for flow in hass.config_entries.flow.async_progress()]
    assert flows == ([SOURCE_REAUTH] if refusal is _token_revoked else [])


async def test_a_write_that_timed_out(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    plex_server: PlexSimulator,
    freezer: FrozenDateTimeFactory,
) -> None:
    """Too late an answer: the old option again, and a message that it may have happened."""
    coordinator = init_integration.runtime_data
    coordinator.client._timeout = aiohttp.ClientTimeout(total=0.2)
    plex_server.faults.delay = 0.5
    entity_id = entity_id_of(hass, "select", WINDOW_START)
    written = states_written(hass, entity_id)

    select = hass.async_create_task(_select(hass, WINDOW_START, "06:00"))
    # Once the request reached the server, let a second pass: the client gives up first.
    for _ in range(500):
        if plex_server.requests and plex_server.requests[-1].method == "PUT":
            break
        await hass.async_add_executor_job(time.sleep, 0.01)
    freezer.tick(timedelta(seconds=1))
    async_fire_time_changed(hass)
    with pytest.raises(HomeAssistantError) as err:
        await select
    assert str(err.value) == (
        f"{SERVER_NAME} did not answer in time while changing "
        f"{hass.states.get(entity_id).name}. The change may still have been made"
    )
    assert [state.state for state in written] == ["06:00", "02:00"]
    # It was: the server's push shows it.
    await async_wait_until(hass, lambda: hass.states.get(entity_id).state == "06:00")
    assert plex_server.preferences["ButlerStartHour"] == "6"
