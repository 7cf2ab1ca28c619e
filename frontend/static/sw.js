// Mor Harita service worker: keeps the app shell (the map page, scripts, styles, Leaflet) so the
// page opens without a connection, and the public reference lists the report form needs
// (categories, the area outline, the mahalle list) so a report can be written offline. It never
// caches any other API answer (reports, tracking, moderation) and no page but the public map,
// whose HTML carries no report data: reports reach the page only through the API. Reports
// made offline are kept by report-form/outbox.js in IndexedDB until they are sent.
// The municipality she looks at is kept only in the address: nothing asked for one
// (?municipality=) is stored here; offline it gets the whole area's copy.
// The shell lists every module the map page runs (one missing, and the page does not start
// offline): `make lint` (frontend/scripts/check-modules.js) checks it against the imports.
// Nothing kept here may say what the site is for (a shared phone's browser lists its caches):
// the cache has a neutral name, and the copy of the map page gets its neutral heading
// (`data-neutral`). Quick exit (lib/quick-exit.js) deletes the cache and this worker.
// One staff page is kept too, in a cache of its own: the audit walk page of a signed-in
// volunteer (it carries her e-mail and her municipalities' mahalle, never a report or a walk),
// so a walk can be started and recorded offline. It is kept only as the server gave it to
// her (never a log-in page it redirected to), and deleted at log-out (lib/staff-nav.js), when
// the server no longer knows her (a redirect to /login), and by quick exit; a copy older than
// one session (the server's X-Offline-Max-Age) is deleted instead of opened.
const CACHE = 'static-v3'; // a new name whenever a module's exports change: no stale mix
const STAFF_CACHE = 'staff-v1'; // also named in lib/staff-nav.js, which deletes it at log-out
const WALK_PAGE = '/audits';
const REFERENCE = ['/api/v1/categories', '/api/v1/municipalities', '/api/v1/area', '/api/v1/mahalle'];
const SHELL = [
  '/',
  '/static/css/app.css',
  '/static/js/lib/quick-exit.js',
  '/static/js/lib/config.js',
  '/static/js/lib/dom.js',
  '/static/js/lib/i18n.js',
  '/static/js/lib/api.js',
  '/static/js/lib/municipality.js',
  '/static/js/pages/map.js',
  '/static/js/map/public-map.js',
  '/static/js/map/municipality-choice.js',
  '/static/js/map/categories.js',
  '/static/js/map/choropleth.js',
  '/static/js/map/points.js',
  '/static/js/map/report-list.js',
  '/static/js/map/services.js',
  '/static/js/map/audits.js',
  '/static/js/report-form.js',
  '/static/js/report-form/errors.js',
  '/static/js/report-form/when.js',
  '/static/js/report-form/where.js',
  '/static/js/report-form/what.js',
  '/static/js/report-form/metoo.js',
  '/static/js/report-form/about-you.js',
  '/static/js/report-form/steps.js',
  '/static/js/report-form/panel.js',
  '/static/js/report-form/result.js',
  '/static/js/report-form/send.js',
  '/static/js/report-form/submit.js',
  '/static/js/report-form/offline.js',
  '/static/js/report-form/outbox.js',
  '/vendor/leaflet/leaflet.js',
  '/vendor/leaflet/leaflet.css',
  '/vendor/leaflet/images/marker-icon.png',
  '/vendor/leaflet/images/marker-icon-2x.png',
  '/vendor/leaflet/images/marker-shadow.png',
  '/vendor/leaflet.markercluster/leaflet.markercluster.js',
  '/vendor/leaflet.markercluster/MarkerCluster.css',
  // The audit walk page's own modules and style (the page itself goes to STAFF_CACHE).
  '/static/css/audits.css',
  '/static/js/pages/audits.js',
  '/static/js/lib/staff-nav.js',
  '/static/js/audits/record.js',
  '/static/js/audits/review.js',
  '/static/js/audits/outbox.js',
  '/static/js/audits/send.js',
  ...REFERENCE,
];

// The map page's heading names its purpose; its offline copy shows the neutral title instead.
const HEADING = /(<h1\b[^>]*\bdata-neutral="([^"]*)"[^>]*>)[\s\S]*?(<\/h1>)/;

async function neutral(response) {
  const html = (await response.text()).replace(HEADING, '$1$2$3');
  return new Response(html, { headers: { 'Content-Type': 'text/html; charset=utf-8' } });
}

// Set by quick exit: from then on nothing is kept, so a late answer cannot refill the cache.
let forgotten = false;
// Moved at each log-out: a walk page fetched before it is not kept after it.
let staffGeneration = 0;

// The walk page as the server gives it to the signed-in volunteer, or nothing: a redirect
// (to /login: she is not signed in any more) or a refusal deletes the copy instead.
async function keepWalkPage(response, since) {
  if (forgotten || since !== staffGeneration) return;
  const signedOut = response.type === 'opaqueredirect' || response.redirected
    || response.status === 401 || response.status === 403
    || (response.url && new URL(response.url).pathname !== WALK_PAGE);
  if (signedOut) {
    await caches.delete(STAFF_CACHE);
  } else if (response.ok) {
    // Stamped with the end of its use: a copy older than one session is never opened.
    const maxAge = Number(response.headers.get('X-Offline-Max-Age')) || 0;
    const headers = new Headers(response.headers);
    headers.set('X-Kept-Until', String(Date.now() + maxAge * 1000));
    const copy = new Response(await response.blob(), { status: response.status, headers });
    const cache = await caches.open(STAFF_CACHE);
    if (!forgotten && since === staffGeneration) await cache.put(WALK_PAGE, copy);
  }
}

// The kept walk page while it is young enough; an older one is deleted instead.
async function walkPageCopy() {
  if (!(await caches.has(STAFF_CACHE))) return null; // no cache is made for a phone with none
  const copy = await (await caches.open(STAFF_CACHE)).match(WALK_PAGE);
  if (copy && Number(copy.headers.get('X-Kept-Until')) > Date.now()) return copy;
  await caches.delete(STAFF_CACHE);
  return null;
}

self.addEventListener('message', (event) => {
  if (event.data === 'forget-staff') {
    staffGeneration += 1;
    // Answered once deleted, so log-out can wait for it (lib/staff-nav.js).
    event.waitUntil(caches.delete(STAFF_CACHE).then(() => event.ports[0]?.postMessage('forgotten')));
    return;
  }
  if (event.data === 'keep-walk-page') {
    // The page registered this worker on its first visit, so that visit was not seen here.
    const since = staffGeneration;
    event.waitUntil(fetch(WALK_PAGE, { credentials: 'same-origin' })
      .then((response) => keepWalkPage(response, since)).catch(() => null));
    return;
  }
  if (event.data !== 'forget') return;
  forgotten = true;
  event.waitUntil(caches.keys().then((keys) => Promise.all(keys.map((k) => caches.delete(k)))));
});

// Keep a copy of a good answer under `key` (the page itself only as its neutral copy).
async function keep(cache, key, response) {
  if (forgotten || !response.ok) return;
  await cache.put(key, key === '/' ? await neutral(response) : response);
}

self.addEventListener('install', (event) => {
  event.waitUntil(
    caches.open(CACHE)
      .then((cache) => Promise.all(SHELL.map((url) => fetch(url)
        .then((response) => keep(cache, url, response))
        .catch(() => null))))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys.filter((k) => k !== CACHE && k !== STAFF_CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

function isShellAsset(url) {
  return url.pathname.startsWith('/static/') || url.pathname.startsWith('/vendor/');
}

// The network when there is one (keeping a copy under `key`), else the last copy.
function networkFirst(request, key) {
  return fetch(request)
    .then((response) => {
      const copy = response.clone();
      // Opening would make the cache again: not after quick exit has deleted it.
      if (!forgotten) caches.open(CACHE).then((cache) => keep(cache, key, copy));
      return response;
    })
    .catch(() => caches.match(key));
}

// One municipality's answer: the network, never stored (the device must not remember which
// municipality she looked at); offline, the whole area's copy under `key`.
function networkOnly(request, key) {
  return fetch(request).catch(() => caches.match(key));
}

self.addEventListener('fetch', (event) => {
  const { request } = event;
  const url = new URL(request.url);
  if (forgotten || request.method !== 'GET' || url.origin !== self.location.origin) return;
  const oneMunicipality = url.searchParams.has('municipality');
  if (REFERENCE.includes(url.pathname)) {
    // Public reference lists; one municipality's is not kept.
    event.respondWith(oneMunicipality ? networkOnly(request, url.pathname) : networkFirst(request, url.pathname));
    return;
  }
  if (url.pathname.startsWith('/api/')) return; // always the network, never a cache

  if (request.mode === 'navigate' && url.pathname === WALK_PAGE && !url.search) {
    const since = staffGeneration;
    event.respondWith(
      fetch(request)
        .then((response) => {
          event.waitUntil(keepWalkPage(response.clone(), since));
          return response;
        })
        .catch(async () => (await walkPageCopy()) || Response.error()),
    );
    return;
  }
  if (request.mode === 'navigate') {
    if (url.pathname !== '/') return; // other pages (tracking, moderation) are never cached
    event.respondWith(oneMunicipality ? networkOnly(request, '/') : networkFirst(request, '/'));
    return;
  }

  if (isShellAsset(url)) {
    // The cached copy at once; a fresh one for next time.
    event.respondWith(
      caches.open(CACHE).then(async (cache) => {
        const cached = await cache.match(request, { ignoreSearch: true });
        const network = fetch(request)
          .then((response) => {
            keep(cache, request, response.clone());
            return response;
          })
          .catch(() => cached);
        return cached || network;
      }),
    );
  }
});
