// The card's visual editor: pick the server by its Plex Butler entry. With one server set up, it
// writes that one's entry into the card, so that the card goes on showing it when another comes.

import { LitElement, html, nothing } from "lit";
import type { TemplateResult } from "lit";

import { defineElement } from "./define";
import { DOMAIN, serverDevices } from "./server";
import { localize } from "./strings";
import type { HomeAssistant, PlexButlerCardConfig } from "./types";

const SCHEMA = [{ name: "config_entry_id", selector: { config_entry: { integration: DOMAIN } } }];

export class PlexButlerCardEditor extends LitElement {
  static properties = {
    hass: { attribute: false },
    _config: { state: true },
  };

  declare hass: HomeAssistant;
  declare _config: PlexButlerCardConfig;

  setConfig(config: PlexButlerCardConfig): void {
    this._config = config;
  }

  updated(): void {
    if (!this.hass || !this._config || this._config.config_entry_id) return;
    const servers = serverDevices(this.hass);
    if (servers.length === 1) {
      this._write({ ...this._config, config_entry_id: servers[0].config_entries[0] });
    }
  }

  render(): TemplateResult | typeof nothing {
    if (!this.hass || !this._config) return nothing;
    return html`<ha-form
      .hass=${this.hass}
      .data=${this._config}
      .schema=${SCHEMA}
      .computeLabel=${() => localize(this.hass.locale.language, "server")}
      @value-changed=${(event: CustomEvent<{ value: PlexButlerCardConfig }>) =>
        this._write(event.detail.value)}
    ></ha-form>`;
  }

  private _write(config: PlexButlerCardConfig): void {
    this.dispatchEvent(
      new CustomEvent("config-changed", {
        detail: { config },
        bubbles: true,
        composed: true,
      }),
    );
  }
}

defineElement("plex-butler-card-editor", PlexButlerCardEditor);
