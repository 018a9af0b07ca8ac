/* The Clearinghouse service worker: the app shell from a versioned cache, pages network-first
   with a copy kept for reading offline, the outbox replayed when the network returns.
   Written by hand (no Workbox): the shell's hashed URLs are only known to the server. */
'use strict';

const CONFIG = {{ config|safe }};
const SHELL_CACHE = 'clearinghouse-shell-' + CONFIG.version;
const SHELL_PREFIX = 'clearinghouse-shell-';
const PAGES_CACHE = 'clearinghouse-pages';
const KEPT_CACHE = 'clearinghouse-kept';
const PAGES_LIMIT = 150;
// On a slow link a page may take long; after this the stored copy is shown while it arrives.
const NETWORK_TIMEOUT = 6000;
const STORED_AT = 'X-Offline-Stored-At';
// Sign-in, account and admin pages carry one-time tokens: never kept.
const NEVER_KEPT = /^\/[^/]+\/(accounts|admin)\//;

function sameOriginStatic(address) {
  const url = new URL(address, self.location.origin);
  return url.origin === self.location.origin && url.pathname.startsWith(CONFIG.staticUrl);
}

// The outbox (its own app) may not be installed: the worker works without it.
if (CONFIG.outbox && sameOriginStatic(CONFIG.outbox)) {
  try {
    importScripts(CONFIG.outbox);
  } catch (error) {
    console.warn('Outbox script not loaded', error);
  }
}

self.addEventListener('install', (event) => {
  event.waitUntil(caches.open(SHELL_CACHE).then((cache) => cache.addAll(CONFIG.shell)).then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches.keys()
      .then((names) => Promise.all(
        names.filter((name) => name.startsWith(SHELL_PREFIX) && name !== SHELL_CACHE).map((name) => caches.delete(name))))
      .then(() => self.clients.claim()));
});

self.addEventListener('sync', (event) => {
  if (event.tag === 'outbox' && self.ClearinghouseOutbox) {
    event.waitUntil(self.ClearinghouseOutbox.replayAll());
  }
});

self.addEventListener('message', (event) => {
  const data = event.data || {};
  // A page loaded before this worker controlled it: store it now, so it opens offline too.
  if (data.type === 'visited' && typeof data.url === 'string') {
    const url = new URL(data.url, self.location.origin);
    // A sign-in page fetched again could race the sign-in itself; it is never stored anyway.
    if (url.origin === self.location.origin && !NEVER_KEPT.test(url.pathname)) {
      event.waitUntil(fetch(url.href, {credentials: 'same-origin'})
        .then((response) => remember(url.href, response))
        .catch(() => undefined));
    }
  }
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin || url.pathname.startsWith('/api/')) return;
  if (url.pathname.startsWith(CONFIG.staticUrl)) {
    event.respondWith(staticFile(request));
  } else if (request.mode === 'navigate') {
    event.respondWith(navigate(event));
  } else {
    // Documents kept with a page (and anything else stored) when the network is gone.
    event.respondWith(fetch(request).catch(() => caches.match(request, {ignoreVary: true})
      .then((copy) => copy || Response.error())));
  }
});

// Static files have hashed names: a stored one never changes.
async function staticFile(request) {
  const stored = await caches.match(request, {ignoreVary: true});
  if (stored) return stored;
  const response = await fetch(request);
  if (response.ok) {
    const cache = await caches.open(SHELL_CACHE);
    await cache.put(request, response.clone());
  }
  return response;
}

function pageAddress(address) {
  const url = new URL(address);
  url.hash = '';
  return url.href;
}

function worthKeeping(address, response) {
  // A followed redirect would file the page arrived at under the address asked for.
  if (!response.ok || response.type !== 'basic' || response.redirected) return false;
  if (!(response.headers.get('Content-Type') || '').startsWith('text/html')) return false;
  if (/no-store/i.test(response.headers.get('Cache-Control') || '')) return false;
  return !NEVER_KEPT.test(new URL(address).pathname);
}

async function stamped(response) {
  const headers = new Headers(response.headers);
  // The body read here is decoded and later rewritten: the sent length and coding no longer hold.
  headers.delete('Content-Length');
  headers.delete('Content-Encoding');
  headers.set(STORED_AT, new Date().toISOString());
  return new Response(await response.blob(), {status: response.status, statusText: response.statusText, headers});
}

// Stores a page in the bounded pages cache, the newest last, and the offline page of its language.
async function remember(address, response) {
  if (!worthKeeping(address, response)) return;
  const key = pageAddress(address);
  const copy = await stamped(response);
  const cache = await caches.open(PAGES_CACHE);
  // put() replaces the older copy in one step (a failed read above leaves it in place) and
  // moves the page to the end of keys(), so the oldest pages are trimmed first.
  await cache.put(key, copy);
  const keys = await cache.keys();
  await Promise.all(keys.slice(0, Math.max(0, keys.length - PAGES_LIMIT)).map((old) => cache.delete(old)));
  await storeOfflinePage(key);
}

function offlinePageFor(address) {
  const prefix = new URL(address).pathname.split('/')[1];
  return CONFIG.offlinePages[prefix] || CONFIG.offlinePages[CONFIG.defaultPrefix];
}

// Stored without the person's cookies: the shell cache outlives a sign-out, so its header must
// name no one.
async function storeOfflinePage(address) {
  const page = offlinePageFor(address);
  const cache = await caches.open(SHELL_CACHE);
  if (!(await cache.match(page, {ignoreVary: true}))) {
    const response = await fetch(page, {credentials: 'omit'});
    if (response.ok) await cache.put(page, response);
  }
}

// A page from the browser's store says so, in its banner's attributes: a stored copy shows the
// banner with its date, the offline page standing in for another is marked as such.
async function marked(copy, attributes) {
  const html = (await copy.text()).replace('data-served="network"', attributes);
  const headers = new Headers(copy.headers);
  headers.delete('Content-Length');
  headers.delete('Content-Encoding');
  return new Response(html, {status: 200, headers});
}

// The newer of the visited and the kept copy, marked so that the page shows its banner.
async function storedCopy(address) {
  const key = pageAddress(address);
  const copies = (await Promise.all([PAGES_CACHE, KEPT_CACHE].map(
    (name) => caches.open(name).then((cache) => cache.match(key, {ignoreVary: true}))))).filter(Boolean);
  if (!copies.length) return null;
  copies.sort((a, b) => (b.headers.get(STORED_AT) || '').localeCompare(a.headers.get(STORED_AT) || ''));
  const copy = copies[0];
  const storedAt = (copy.headers.get(STORED_AT) || '').replace(/[^0-9TZ:.-]/g, '');
  return marked(copy, 'data-served="cache" data-stored-at="' + storedAt + '"');
}

async function navigate(event) {
  const address = event.request.url;
  const network = fetch(event.request).then((response) => {
    // Stored in the background: the page is shown as soon as it arrives.
    event.waitUntil(remember(address, response.clone()).catch(() => undefined));
    return response;
  });
  event.waitUntil(network.catch(() => undefined));
  const slow = new Promise((resolve) => setTimeout(resolve, NETWORK_TIMEOUT, null));
  try {
    const first = await Promise.race([network, slow]);
    if (first) return first;
  } catch (error) {
    // No network: the stored copy, if any, below.
  }
  const copy = await storedCopy(address);
  if (copy) return copy;
  try {
    return await network;
  } catch (error) {
    const offline = await caches.match(offlinePageFor(address), {ignoreVary: true});
    return offline ? marked(offline, 'data-served="fallback"') : Response.error();
  }
}
