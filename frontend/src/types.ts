// The few parts of Home Assistant's frontend objects the card reads (the `hass` object).

export interface HassEntity {
  entity_id: string;
  state: string;
  attributes: Record<string, unknown>;
}

// hass.entities: the entity registry as the frontend keeps it for display.
export interface EntityRegistryEntry {
  entity_id: string;
  platform: string;
  device_id?: string | null;
  translation_key?: string | null;
  name?: string | null;
}

// hass.devices: the device registry.
export interface DeviceRegistryEntry {
  id: string;
  name: string | null;
  name_by_user: string | null;
  config_entries: string[];
  // When the device was registered (seconds since the epoch).
  created_at?: number;
  via_device_id?: string | null;
  // A part of another device (Home Assistant 2026.10 and later).
  parent_device_id?: string | null;
}

// The user's language and, from their profile, the first day of a week ("language": the
// language's own, or a weekday's name).
export interface Locale {
  language: string;
  first_weekday?: string;
}

export interface HomeAssistant {
  states: Record<string, HassEntity>;
  entities: Record<string, EntityRegistryEntry>;
  devices: Record<string, DeviceRegistryEntry>;
  locale: Locale;
  // Home Assistant's own time zone: a day it names is a day there.
  config: { time_zone: string };
  language?: string;
  callService(domain: string, service: string, data: Record<string, unknown>): Promise<unknown>;
  // Present on every release the integration supports; the card still copes without it.
  formatEntityState?(stateObj: HassEntity, state?: string): string;
}

export interface PlexButlerCardConfig {
  type: string;
  // The server: its Plex Butler config entry. Optional when there is only one server.
  config_entry_id?: string;
}
