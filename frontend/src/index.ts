// Registers the card, and lists it in the dashboard's card picker.

import { PlexButlerCard } from "./card";
import { defineElement } from "./define";
import "./editor";

declare global {
  interface Window {
    customCards?: { type: string; name: string; description: string; preview?: boolean }[];
  }
}

if (defineElement("plex-butler-card", PlexButlerCard)) {
  window.customCards = window.customCards ?? [];
  window.customCards.push({
    type: "plex-butler-card",
    name: "Plex Butler",
    description: "The maintenance tasks of a Plex Media Server: state, runs, start and stop.",
    preview: true,
  });
}
