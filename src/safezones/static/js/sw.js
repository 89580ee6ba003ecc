// Keeps the protocol and incident pages readable without a network once they
// were opened: network first, the last copy when offline. Only these pages and
// our own static files are kept, and sign-out empties the cache.
const CACHE = "safezones-offline-v1";
const KEPT = ["/staff/protocol/", "/staff/incidents/", "/static/"];

self.addEventListener("install", () => self.skipWaiting());
self.addEventListener("activate", (event) => event.waitUntil(self.clients.claim()));

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) return;
  if (!KEPT.some((prefix) => url.pathname.startsWith(prefix)) || url.pathname.endsWith("/pdf/")) return;
  event.respondWith(
    fetch(request)
      .then((response) => {
        if (response.ok && !response.redirected) {
          const copy = response.clone();
          caches.open(CACHE).then((cache) => cache.put(request, copy));
        }
        return response;
      })
      .catch(() => caches.match(request).then((hit) => hit || Response.error())),
  );
});

self.addEventListener("message", (event) => {
  if (event.data === "forget") event.waitUntil(caches.delete(CACHE));
});
