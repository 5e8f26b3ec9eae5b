/* The outlet counter's service worker (scope /outlet/), built with Workbox served from our own origin.
 *
 * Keeps the counter's offline page and its scripts and styles (precached; fingerprinted URLs). A
 * counter page asked for with no network (or none within NETWORK_SECONDS) is answered with the
 * offline page, which counter.js fills from the device's store: the day's list, a pickup, the code
 * look-up. Nothing personal is kept here: the pickups live in IndexedDB, per staff member and outlet,
 * and signing out clears both (Clear-Site-Data). Written per language: {{ current_language() }}.
 */
/* global importScripts, workbox */
importScripts({{ (workbox ~ "workbox-sw.js")|tojson }});
workbox.setConfig({modulePathPrefix: {{ workbox|tojson }}, debug: false});

var SHELL = {{ shell_url|tojson }};
var NO_OFFLINE = {{ no_offline|tojson }};
var NETWORK_SECONDS = 6;

workbox.core.setCacheNameDetails({prefix: "ocop-counter"});
workbox.precaching.precacheAndRoute([
  {url: SHELL, revision: {{ shell_revision|tojson }}}
{%- for url in assets %},
  {url: {{ url|tojson }}, revision: null}
{%- endfor %}
]);
workbox.precaching.cleanupOutdatedCaches();

// Counter pages: the network when there is one, else the offline page.
workbox.routing.registerRoute(
  function (options) {
    var url = options.url;
    return options.request.mode === "navigate" && url.origin === self.location.origin &&
      url.pathname.indexOf({{ url_for('outlet.index')|tojson }}) === 0 &&
      NO_OFFLINE.indexOf(url.pathname) === -1;
  },
  new workbox.strategies.NetworkOnly({
    networkTimeoutSeconds: NETWORK_SECONDS,
    plugins: [{
      handlerDidError: function () { return workbox.precaching.matchPrecache(SHELL); }
    }]
  })
);

self.addEventListener("install", function () { self.skipWaiting(); });
self.addEventListener("activate", function (event) { event.waitUntil(self.clients.claim()); });
self.addEventListener("message", function (event) {
  if (event.data && event.data.type === "counter-wipe") {  // signing out: nothing stays behind
    event.waitUntil(caches.keys().then(function (names) {
      return Promise.all(names.map(function (name) { return caches.delete(name); }));
    }));
  }
});
