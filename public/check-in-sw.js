// Service worker of the door scanner, registered by components/check-in/scanner.tsx with scope
// /check-in/. It keeps the scanner's shell so a reload without network still opens the scanner (the
// attendee list and the queue live in IndexedDB, not here):
// - scanner pages (/check-in/…, navigations): network first, the last good copy when offline;
// - Next's build assets (/_next/static/…, content-hashed, immutable) and the icons: cache first;
// - API answers (/api/…), RSC fetches and anything else: never cached, never touched.
const VERSION = "v1";
const SHELL = `aq-check-in-shell-${VERSION}`;
const STATIC = `aq-check-in-static-${VERSION}`;
const ICONS = ["/check-in-icon.svg", "/check-in-icon-192.png", "/check-in-icon-512.png"];

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches
      .open(STATIC)
      .then((cache) => cache.addAll(ICONS))
      .catch(() => undefined)
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      const keep = new Set([SHELL, STATIC]);
      for (const key of await caches.keys()) {
        if (key.startsWith("aq-check-in-") && !keep.has(key)) await caches.delete(key);
      }
      await self.clients.claim();
    })(),
  );
});

const isScannerPage = (url) => url.pathname.startsWith("/check-in/") && !url.pathname.endsWith("/webmanifest");
const isStaticAsset = (url) => url.pathname.startsWith("/_next/static/") || ICONS.includes(url.pathname);
const isRsc = (request, url) => request.headers.get("RSC") === "1" || url.searchParams.has("_rsc");

/** A page is worth keeping only as a plain 200 of our own origin (not a redirect to /login, not an error). */
const cacheablePage = (response) => response && response.ok && response.status === 200 && response.type === "basic" && !response.redirected;

async function pageNetworkFirst(request) {
  const url = new URL(request.url);
  const key = url.origin + url.pathname;
  try {
    const response = await fetch(request);
    if (cacheablePage(response)) {
      const cache = await caches.open(SHELL);
      await cache.put(key, response.clone());
    }
    return response;
  } catch {
    const cached = await caches.match(key, { cacheName: SHELL, ignoreVary: true });
    if (cached) return cached;
    return new Response(
      `<!doctype html><html><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>AqStream</title></head>` +
        `<body style="font-family:system-ui,sans-serif;background:#020617;color:#f8fafc;padding:24px">` +
        `<h1>Нет сети</h1><p>Сканер ещё не сохранён на этом телефоне: откройте его один раз с сетью.</p>` +
        `<h1 lang="en">Offline</h1><p lang="en">The scanner is not saved on this phone yet: open it once while online.</p></body></html>`,
      { status: 503, headers: { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" } },
    );
  }
}

async function staticCacheFirst(request) {
  const cached = await caches.match(request, { cacheName: STATIC, ignoreVary: true });
  if (cached) return cached;
  const response = await fetch(request);
  if (response.ok && response.type === "basic") {
    const cache = await caches.open(STATIC);
    await cache.put(request, response.clone());
  }
  return response;
}

self.addEventListener("fetch", (event) => {
  const { request } = event;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (url.pathname.startsWith("/api/")) return; // never cache API answers
  if (request.mode === "navigate" && isScannerPage(url)) {
    event.respondWith(pageNetworkFirst(request));
    return;
  }
  if (isRsc(request, url)) return;
  if (isStaticAsset(url)) event.respondWith(staticCacheFirst(request));
});

// The page sends what it loaded before this worker controlled it (the first visit), so the shell
// is complete without a second online visit.
self.addEventListener("message", (event) => {
  const data = event.data;
  if (!data || data.type !== "cache-urls" || !Array.isArray(data.urls)) return;
  event.waitUntil(
    (async () => {
      const [shell, assets] = await Promise.all([caches.open(SHELL), caches.open(STATIC)]);
      for (const raw of data.urls.slice(0, 200)) {
        let url;
        try {
          url = new URL(raw, self.location.origin);
        } catch {
          continue;
        }
        if (url.origin !== self.location.origin) continue;
        try {
          if (isStaticAsset(url)) {
            if (!(await assets.match(url.href, { ignoreVary: true }))) {
              const response = await fetch(url.href);
              if (response.ok) await assets.put(url.href, response);
            }
          } else if (isScannerPage(url)) {
            const key = url.origin + url.pathname;
            if (!(await shell.match(key, { ignoreVary: true }))) {
              const response = await fetch(key, { credentials: "same-origin" });
              if (cacheablePage(response)) await shell.put(key, response);
            }
          }
        } catch {
          // offline or gone: the next online visit fills it in
        }
      }
    })(),
  );
});
