// Defines the card's elements in the custom element registry the frontend reads them from.
//
// The frontend's app bundle installs a scoped custom element registry polyfill, which puts a new
// registry in `window.customElements`. The integration's script loads beside that bundle (an
// extra module of the page): on a first visit, with nothing cached, it often runs first, and a
// definition made then lands in the browser's own registry, where the frontend never looks
// ("Custom element doesn't exist: plex-butler-card"). So each element is defined at once, and
// again once the frontend has defined its own (`home-assistant`: its definition reaches both
// registries) if the registry in use by then does not have it. The frontend's error card waits
// for that definition and replaces itself by the card.

const FRONTEND_ELEMENT = "home-assistant";

function defineIn(
  registry: CustomElementRegistry,
  name: string,
  element: CustomElementConstructor,
): boolean {
  if (registry.get(name)) return false;
  registry.define(name, element);
  return true;
}

export function defineElement(name: string, element: CustomElementConstructor): boolean {
  const registry = window.customElements;
  const defined = defineIn(registry, name, element);
  void registry.whenDefined(FRONTEND_ELEMENT).then(() => {
    if (window.customElements !== registry) defineIn(window.customElements, name, element);
  });
  return defined;
}
