// The Plex Butler card: every task of one server, its state, runs and the button that applies.

import { LitElement, css, html, nothing } from "lit";
import type { TemplateResult } from "lit";

import { DOMAIN, pickServer, readServer, serverDevices } from "./server";
import type { Server, Task } from "./server";
import { localize, relativeTime } from "./strings";
import type { StringKey } from "./strings";
import type { HassEntity, HomeAssistant, PlexButlerCardConfig } from "./types";

// Relative times ("5 minutes ago") move on between state changes.
const CLOCK_INTERVAL_MS = 30_000;

// How a last run is known (its sensor's `source`); a run without one shows its time only.
const SOURCES = new Map<string, StringKey>([
  ["observed", "source_observed"],
  ["server_log", "source_server_log"],
  ["backup_file", "source_backup_file"],
  ["started_here", "source_started_here"],
]);

export class PlexButlerCard extends LitElement {
  static properties = {
    hass: { attribute: false },
    _config: { state: true },
    _confirming: { state: true },
  };

  declare hass: HomeAssistant;
  declare _config: PlexButlerCardConfig;
  // Start all waits for a yes: it may install a server update.
  declare _confirming: boolean;
  private _clock?: number;

  static getConfigElement(): HTMLElement {
    return document.createElement("plex-butler-card-editor");
  }

  static getStubConfig(hass: HomeAssistant): Partial<PlexButlerCardConfig> {
    const [server] = serverDevices(hass);
    return server ? { config_entry_id: server.config_entries[0] } : {};
  }

  setConfig(config: PlexButlerCardConfig): void {
    this._config = config;
  }

  getCardSize(): number {
    const server = this.hass && this._config ? this._server() : undefined;
    return 2 + (typeof server === "object" ? server.tasks.length : 0);
  }

  getGridOptions(): Record<string, number> {
    return { columns: 12, min_columns: 6 };
  }

  connectedCallback(): void {
    super.connectedCallback();
    this._clock = window.setInterval(() => this.requestUpdate(), CLOCK_INTERVAL_MS);
  }

  disconnectedCallback(): void {
    super.disconnectedCallback();
    window.clearInterval(this._clock);
  }

  private _t(key: StringKey): string {
    return localize(this.hass.locale.language, key);
  }

  private _server(): Server | StringKey {
    const device = pickServer(this.hass, this._config);
    return typeof device === "string" ? device : readServer(this.hass, device);
  }

  private _state(entityId: string | undefined): HassEntity | undefined {
    return entityId ? this.hass.states[entityId] : undefined;
  }

  private _format(stateObj: HassEntity): string {
    return this.hass.formatEntityState?.(stateObj) ?? stateObj.state;
  }

  private _nextRun(entityId: string | undefined): TemplateResult | typeof nothing {
    const stateObj = this._state(entityId);
    if (!stateObj || stateObj.state === "unavailable") return nothing;
    const when = new Date(stateObj.state);
    // Unknown for a disabled task: the Butler does not run it.
    const text = Number.isNaN(when.getTime())
      ? this._t("never")
      : relativeTime(this.hass.locale, when, new Date());
    return html`<span class="next_run" title=${this._format(stateObj)}
      >${this._t("next_run")}: ${text}</span
    >`;
  }

  // When the task last ran and how that is known (its source); or that no run was seen, and why.
  private _lastRun(entityId: string | undefined): TemplateResult | typeof nothing {
    const stateObj = this._state(entityId);
    if (!stateObj || stateObj.state === "unavailable") return nothing;
    const { source, precision, not_seen_reason: reason } = stateObj.attributes;
    const language = this.hass.locale.language;
    const when = new Date(stateObj.state);
    let text: string;
    let title: string;
    let note: { kind: "source" | "hint"; key: StringKey } | undefined;
    if (Number.isNaN(when.getTime())) {
      text = this._t("not_seen");
      title = text;
      if (reason === "debug_log_off") {
        note = { kind: "hint", key: "debug_log_off" };
        title = this._t("debug_log_off_detail");
      }
    } else {
      // A backup's file name holds its day only: that day, in Home Assistant's time zone.
      text =
        precision === "day"
          ? new Intl.DateTimeFormat(language, {
              dateStyle: "medium",
              timeZone: this.hass.config.time_zone,
            }).format(when)
          : relativeTime(this.hass.locale, when, new Date());
      title = precision === "day" ? text : this._format(stateObj);
      const key = typeof source === "string" ? SOURCES.get(source) : undefined;
      if (key) note = { kind: "source", key };
    }
    return html`<span class="last_run" title=${title}
      >${this._t("last_run")}: ${text}${note
        ? html`<span class=${note.kind}> · ${this._t(note.key)}</span>`
        : nothing}</span
    >`;
  }

  private _percent(progress: number): string {
    const format = new Intl.NumberFormat(this.hass.locale.language, { style: "percent" });
    return format.format(progress / 100);
  }

  private _press(entityId: string): void {
    // A failure is shown by Home Assistant itself, as for any button.
    this.hass.callService("button", "press", { entity_id: entityId }).catch(() => undefined);
  }

  private _moreInfo(entityId: string | undefined): void {
    this.dispatchEvent(
      new CustomEvent("hass-more-info", { detail: { entityId }, bubbles: true, composed: true }),
    );
  }

  // A button of an entity; `disabled` says why it cannot be pressed, `press` what it does instead
  // of pressing the entity.
  private _button(
    kind: "start" | "stop",
    entityId: string | undefined,
    label: StringKey,
    { disabled, press }: { disabled?: StringKey; press?: (entityId: string) => void } = {},
  ): TemplateResult | typeof nothing {
    const stateObj = this._state(entityId);
    if (!stateObj || stateObj.state === "unavailable") return nothing;
    return html`<button
      class=${kind}
      ?disabled=${disabled !== undefined}
      title=${disabled ? this._t(disabled) : nothing}
      @click=${() => (press ?? this._press).call(this, stateObj.entity_id)}
    >
      <ha-icon icon=${kind === "start" ? "mdi:play" : "mdi:stop"}></ha-icon>${this._t(label)}
    </button>`;
  }

  // Start all, after a yes where it may install a server update (its button's attribute says).
  private _startAll(entityId: string): void {
    if (this._state(entityId)?.attributes.may_install_server_update === true) {
      this._confirming = true;
    } else {
      this._press(entityId);
    }
  }

  private _confirmation(entityId: string | undefined): TemplateResult | typeof nothing {
    if (!this._confirming || !entityId) return nothing;
    const answer = (start: boolean) => {
      this._confirming = false;
      if (start) this._press(entityId);
    };
    return html`<div class="confirm" role="alertdialog">
      <span>${this._t("update_warning")}</span>
      <div class="answers">
        <button class="start" data-answer="start" @click=${() => answer(true)}>
          <ha-icon icon="mdi:play"></ha-icon>${this._t("start_all")}
        </button>
        <button class="cancel" data-answer="cancel" @click=${() => answer(false)}>
          ${this._t("cancel")}
        </button>
      </div>
    </div>`;
  }

  private _chip(key: StringKey, entityId: string | undefined): TemplateResult | typeof nothing {
    const stateObj = this._state(entityId);
    if (!stateObj) return nothing;
    return html`<span class="chip ${stateObj.state}" data-chip=${key}
      >${this._t(key)}: ${this._format(stateObj)}</span
    >`;
  }

  private _progressBar(progress: number | undefined): TemplateResult {
    // Without a figure from the server, a faded full bar: it runs, how far is unknown.
    const width = progress ?? 100;
    return html`<div class="progress">
      <div class=${progress === undefined ? "bar unknown" : "bar"} style="width: ${width}%"></div>
    </div>`;
  }

  private _task(task: Task): TemplateResult {
    const status = this._state(task.entities.status)!;
    const running = status.state === "running";
    const { progress } = status.attributes;
    const percent = typeof progress === "number" ? progress : undefined;
    // Only the button that applies: stop while it runs, start otherwise; a task switched off on
    // the server shows its start greyed out.
    const kind = running ? "stop" : "start";
    const disabled = status.state === "disabled" ? "disabled_task" : undefined;
    const state = this._format(status);
    return html`<div class="task ${status.state}" data-task=${task.name}>
      <div class="main">
        <div class="title" @click=${() => this._moreInfo(task.entities.status)}>
          ${task.title}
          <span class="state">
            ${percent === undefined ? state : `${state} · ${this._percent(percent)}`}
          </span>
        </div>
        <div class="runs">
          ${this._lastRun(task.entities.lastRun)}
          ${this._nextRun(task.entities.nextRun)}
        </div>
        ${running ? this._progressBar(percent) : nothing}
      </div>
      ${this._button(kind, task.entities[kind], kind, { disabled })}
    </div>`;
  }

  render(): TemplateResult | typeof nothing {
    if (!this.hass || !this._config) return nothing;
    const server = this._server();
    if (typeof server === "string") {
      return html`<ha-card><div class="message">${this._t(server)}</div></ha-card>`;
    }
    const { entities } = server;
    return html`<ha-card>
      <div class="header">
        <div class="name">${server.device.name_by_user ?? server.device.name ?? DOMAIN}</div>
        <div class="chips">
          ${this._chip("maintenance", entities.maintenance)}
          ${this._chip("live_updates", entities.liveUpdates)}
        </div>
        <div class="all">
          ${this._button("start", entities.startAll, "start_all", { press: this._startAll })}
          ${this._button("stop", entities.stopAll, "stop_all")}
        </div>
      </div>
      ${this._confirmation(entities.startAll)}
      ${server.tasks.length
        ? server.tasks.map((task) => this._task(task))
        : html`<div class="message">${this._t("no_tasks")}</div>`}
    </ha-card>`;
  }

  // Theme variables only, so that light and dark themes (and the user's own) apply.
  static styles = css`
    ha-card {
      padding: 8px 0;
      color: var(--primary-text-color);
    }
    .header {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: 8px;
      padding: 8px 16px 12px;
      border-bottom: 1px solid var(--divider-color);
    }
    .name {
      flex: 1 1 auto;
      font-size: var(--ha-card-header-font-size, 1.5em);
      line-height: 1.3;
    }
    .chips,
    .all {
      display: flex;
      flex-wrap: wrap;
      gap: 8px;
    }
    .chips {
      flex-basis: 100%;
      order: 1;
    }
    .chip {
      padding: 2px 10px;
      border-radius: 12px;
      font-size: 0.85em;
      background: var(--secondary-background-color);
      color: var(--secondary-text-color);
    }
    .chip.on {
      background: var(--primary-color);
      color: var(--text-primary-color);
    }
    .task {
      display: flex;
      align-items: center;
      gap: 12px;
      padding: 8px 16px;
      border-bottom: 1px solid var(--divider-color);
    }
    .task:last-child {
      border-bottom: none;
    }
    .main {
      flex: 1 1 auto;
      min-width: 0;
    }
    .title {
      font-weight: 500;
      cursor: pointer;
    }
    .state {
      margin-left: 4px;
      font-weight: normal;
      font-size: 0.85em;
      color: var(--secondary-text-color);
    }
    .running .state {
      color: var(--primary-color);
    }
    .disabled .title {
      color: var(--disabled-text-color);
    }
    .runs {
      display: flex;
      flex-wrap: wrap;
      column-gap: 16px;
      font-size: 0.85em;
      color: var(--secondary-text-color);
    }
    .progress {
      height: 4px;
      margin-top: 4px;
      border-radius: 2px;
      background: var(--divider-color);
      overflow: hidden;
    }
    .bar {
      height: 100%;
      background: var(--primary-color);
    }
    .bar.unknown {
      opacity: 0.4;
    }
    button {
      display: inline-flex;
      align-items: center;
      gap: 4px;
      flex: none;
      padding: 4px 12px 4px 8px;
      border: 1px solid var(--primary-color);
      border-radius: 16px;
      background: none;
      color: var(--primary-color);
      font: inherit;
      font-size: 0.9em;
      cursor: pointer;
    }
    button:disabled {
      border-color: var(--disabled-text-color);
      color: var(--disabled-text-color);
      cursor: default;
    }
    button.cancel {
      padding-left: 12px;
      border-color: var(--divider-color);
      color: var(--primary-text-color);
    }
    .confirm {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: 8px 12px;
      padding: 8px 16px;
      border-bottom: 1px solid var(--divider-color);
      background: var(--secondary-background-color);
    }
    .confirm span {
      flex: 1 1 16em;
    }
    .answers {
      display: flex;
      gap: 8px;
    }
    button.stop {
      border-color: var(--error-color);
      color: var(--error-color);
    }
    ha-icon {
      --mdc-icon-size: 18px;
    }
    .message {
      padding: 16px;
      color: var(--secondary-text-color);
    }
  `;
}
