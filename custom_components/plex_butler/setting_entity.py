"""The base of the entities that show one of the Butler's settings, and write it."""

from __future__ import annotations

from homeassistant.helpers.entity import EntityDescription

from .coordinator import PlexButlerCoordinator
from .entity import PlexButlerEntity, PlexButlerTaskEntity


class PlexButlerSettingEntity(PlexButlerEntity):
    """Shows one Butler setting; shows a value written here at once, the old one if refused."""

    setting: str
    _pending: str | None = None

    @property
    def stored_value(self) -> str | None:
        """The setting's value as the server last told it; None if it has no such setting."""
        return self.coordinator.data.settings.get(self.setting)

    @property
    def setting_value(self) -> str | None:
        """The value to show: the one being written, else the server's."""
        return self._pending if self._pending is not None else self.stored_value

    async def async_write_setting(self, value: str) -> None:
        """Write the setting; a refused write shows the old value again and raises."""
        # Shown at once, unless it is shown already: writing it again would be a rewrite.
        shown_at_once = value != self.setting_value
        self._pending = value
        if shown_at_once:
            self.async_write_ha_state()
        # The name users see: "Backup Database Enabled", not "ButlerTaskBackupDatabase".
        state = self.hass.states.get(self.entity_id)
        name = state.name if state is not None else self.entity_id
        try:
            await self.coordinator.async_write_setting(self.setting, value, name)
        finally:
            self._pending = None
            if shown_at_once:
                # That state was written outside the coordinator's updates: show what is now.
                self._shown = None
            self._handle_coordinator_update()


class PlexButlerServerSettingEntity(PlexButlerSettingEntity):
    """Shows one setting of the server, on its device; the description is keyed by its name."""

    def __init__(self, coordinator: PlexButlerCoordinator, description: EntityDescription) -> None:
        """Show the setting the description is keyed by."""
        super().__init__(coordinator, description)
        self.setting = description.key


class PlexButlerTaskSettingEntity(PlexButlerSettingEntity, PlexButlerTaskEntity):
    """Shows one setting of a task, on the task's device."""

    @property
    def stored_value(self) -> str | None:
        """The setting's value as the server last told it; None if it has no such setting."""
        state = self.coordinator.data.tasks.get(self.task_name)
        return state.settings.get(self.setting) if state is not None else None

    @property
    def extra_state_attributes(self) -> dict[str, str]:
        """The task's name, which the dashboard card groups by."""
        return {"task_name": self.task_name}
