// The judge's pages without network: every page under /judge/ and every static file they use
// is fetched from the network first and kept; offline, the last copy kept is shown. Saving
// never goes through the cache (only GET requests are kept).
var CACHE = "judge-pages-v1";

self.addEventListener("install", function () { self.skipWaiting(); });
self.addEventListener("activate", function (event) { event.waitUntil(self.clients.claim()); });

self.addEventListener("fetch", function (event) {
  var request = event.request;
  var url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) { return; }
  if (/\.(xlsx|pdf)$/.test(url.pathname) || url.pathname === "/judge/sw.js") { return; }
  event.respondWith(fetch(request).then(function (response) {
    if (response.ok && !response.redirected) {
      var copy = response.clone();
      caches.open(CACHE).then(function (cache) { cache.put(request, copy); });
    }
    return response;
  }).catch(function () {
    return caches.match(request).then(function (kept) { return kept || Response.error(); });
  }));
});
