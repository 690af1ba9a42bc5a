// The card's visual editor: pick the server by its Plex Butler entry.

import { LitElement, html, nothing } from "lit";
import type { TemplateResult } from "lit";

import { defineElement } from "./define";
import { DOMAIN } from "./server";
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

  render(): TemplateResult | typeof nothing {
    if (!this.hass || !this._config) return nothing;
    return html`<ha-form
      .hass=${this.hass}
      .data=${this._config}
      .schema=${SCHEMA}
      .computeLabel=${() => localize(this.hass.locale.language, "server")}
      @value-changed=${this._changed}
    ></ha-form>`;
  }

  private _changed(event: CustomEvent<{ value: PlexButlerCardConfig }>): void {
    this.dispatchEvent(
      new CustomEvent("config-changed", {
        detail: { config: event.detail.value },
        bubbles: true,
        composed: true,
      }),
    );
  }
}

defineElement("plex-butler-card-editor", PlexButlerCardEditor);
