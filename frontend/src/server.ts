// What the card shows, found in Home Assistant's registries: no list of tasks anywhere.

import type { StringKey } from "./strings";
import type {
  DeviceRegistryEntry,
  EntityRegistryEntry,
  HomeAssistant,
  PlexButlerCardConfig,
} from "./types";

export const DOMAIN = "plex_butler";

// The entities of one task, by their translation key; each carries the task's name.
const TASK_ROLES = {
  task_status: "status",
  last_run: "lastRun",
  next_run: "nextRun",
  start_task: "start",
  stop_task: "stop",
} as const;

// The entities of the whole server.
const SERVER_ROLES = {
  maintenance_running: "maintenance",
  live_updates: "liveUpdates",
  running_tasks: "runningTasks",
  start_all_tasks: "startAll",
  stop_all_tasks: "stopAll",
} as const;

type TaskRole = (typeof TASK_ROLES)[keyof typeof TASK_ROLES];
type ServerRole = (typeof SERVER_ROLES)[keyof typeof SERVER_ROLES];

export interface Task {
  name: string;
  title: string;
  entities: Partial<Record<TaskRole, string>>;
}

export interface Server {
  device: DeviceRegistryEntry;
  entities: Partial<Record<ServerRole, string>>;
  tasks: Task[];
}

// The devices that hold a server's own entities (a task's device, if any, links to one of them),
// the one registered first first.
export function serverDevices(hass: HomeAssistant): DeviceRegistryEntry[] {
  const ids = new Set(
    Object.values(hass.entities)
      .filter((entity) => entity.platform === DOMAIN && entity.translation_key === "running_tasks")
      .map((entity) => entity.device_id),
  );
  return Object.values(hass.devices)
    .filter((device) => ids.has(device.id))
    .sort((a, b) => (a.created_at ?? 0) - (b.created_at ?? 0));
}

// The configured server's device, or why there is none to show. A card without a server shows
// the one set up first: what it showed while there was one goes on when another is added.
export function pickServer(
  hass: HomeAssistant,
  config: PlexButlerCardConfig,
): DeviceRegistryEntry | StringKey {
  const servers = serverDevices(hass);
  const entryId = config.config_entry_id;
  if (entryId) {
    return servers.find((device) => device.config_entries.includes(entryId)) ?? "unknown_server";
  }
  return servers[0] ?? "no_server";
}

// The status bears no name of its own on a task's device: the device's name is the task's title.
function taskDeviceName(
  hass: HomeAssistant,
  entity: EntityRegistryEntry,
  server: DeviceRegistryEntry,
): string | null {
  const device = entity.device_id ? hass.devices[entity.device_id] : undefined;
  if (!device || device.id === server.id) return null;
  return device.name_by_user || device.name;
}

export function readServer(hass: HomeAssistant, device: DeviceRegistryEntry): Server {
  // Each task's entities are on a device that is a part of the server's (Home Assistant
  // 2026.10 and later) or linked to it (before); the server's own are on its device.
  const devices = new Set([device.id]);
  for (const other of Object.values(hass.devices)) {
    if (other.parent_device_id === device.id || other.via_device_id === device.id) {
      devices.add(other.id);
    }
  }
  const server: Server = { device, entities: {}, tasks: [] };
  const tasks = new Map<string, Task>();
  for (const entity of Object.values(hass.entities)) {
    if (entity.platform !== DOMAIN || !devices.has(entity.device_id ?? "")) continue;
    const key = entity.translation_key ?? "";
    if (key in SERVER_ROLES) {
      server.entities[SERVER_ROLES[key as keyof typeof SERVER_ROLES]] = entity.entity_id;
      continue;
    }
    // An unavailable entity has no attributes: its task is left out until it is back.
    const name = hass.states[entity.entity_id]?.attributes.task_name;
    if (!(key in TASK_ROLES) || typeof name !== "string") continue;
    let task = tasks.get(name);
    if (!task) {
      task = { name, title: name, entities: {} };
      tasks.set(name, task);
    }
    const role = TASK_ROLES[key as keyof typeof TASK_ROLES];
    task.entities[role] = entity.entity_id;
    if (role === "status") task.title = entity.name || taskDeviceName(hass, entity, device) || name;
  }
  // Running tasks first, so that with two dozen rows they are in sight; then by title.
  const running = (task: Task) => hass.states[task.entities.status ?? ""]?.state === "running";
  server.tasks = [...tasks.values()]
    .filter((task) => task.entities.status)
    .sort(
      (a, b) =>
        Number(running(b)) - Number(running(a)) ||
        a.title.localeCompare(b.title, hass.locale.language),
    );
  return server;
}
