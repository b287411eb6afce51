// The embeddable registration widget (docs/widget.md), bundled by scripts/build-widget.mjs into
// public/widget.js. Snippet:
//   <script src="https://<app>/widget.js" async></script>
//   <div data-aqstream-event="<eventId>" data-locale="ru"></div>
// Every element with data-aqstream-event gets a widget (also ones added later: SPAs); the API is the
// origin the script came from.
import { Widget } from "./widget";
import { pickLang } from "./texts";

const script = document.currentScript as HTMLScriptElement | null;
const api = new URL("./", script?.src || location.href).href;
const mounted = new WeakSet<Element>();

function mount(el: Element): void {
  if (mounted.has(el) || !(el instanceof HTMLElement)) return;
  const eventId = el.dataset.aqstreamEvent;
  if (!eventId) return;
  mounted.add(el);
  new Widget(el, eventId, el.dataset.aqstreamApi || api, pickLang(el.dataset.locale, document.documentElement.getAttribute("lang"), navigator.languages ?? [navigator.language]));
}

function scan(): void {
  document.querySelectorAll("[data-aqstream-event]").forEach(mount);
}

scan();
if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", scan);
new MutationObserver(scan).observe(document.documentElement, { childList: true, subtree: true });
