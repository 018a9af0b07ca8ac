/* Offline reading on every page: registers the service worker, shows the "offline copy"
   banner, keeps pages offline on request and clears stored pages at sign-out.
   Texts come translated from the page (data attributes). */
(function () {
  'use strict';

  const DB_NAME = 'clearinghouse-offline';
  const KEPT_STORE = 'kept';
  const PAGES_CACHE = 'clearinghouse-pages';
  const KEPT_CACHE = 'clearinghouse-kept';
  const STORED_AT = 'X-Offline-Stored-At';
  const PERSON_KEY = 'clearinghouse-person';

  // Case, accents, Arabic vowel marks, tatweel and letter variants do not matter in a search.
  function normalise(text) {
    return (text || '').normalize('NFKD')
      .replace(/[\u0300-\u036f\u064b-\u065f\u0670\u06d6-\u06ed\u0640]/g, '')
      .replace(/[\u0622\u0623\u0625\u0671]/g, '\u0627')
      .replace(/\u0629/g, '\u0647')
      .replace(/\u0649/g, '\u064a')
      .toLocaleLowerCase()
      .replace(/\s+/g, ' ');
  }

  // Every word of the query appears in the text; Chinese is matched as written, without spaces.
  function matches(query, text) {
    const haystack = normalise(text);
    return normalise(query).split(' ').filter(Boolean).every((word) => haystack.includes(word));
  }

  function openDatabase() {
    return new Promise((resolve, reject) => {
      const opening = indexedDB.open(DB_NAME, 1);
      opening.onupgradeneeded = () => opening.result.createObjectStore(KEPT_STORE, {keyPath: 'url'});
      opening.onsuccess = () => resolve(opening.result);
      opening.onerror = () => reject(opening.error);
    });
  }

  function withStore(mode, work) {
    return openDatabase().then((db) => new Promise((resolve, reject) => {
      const transaction = db.transaction(KEPT_STORE, mode);
      const request = work(transaction.objectStore(KEPT_STORE));
      transaction.oncomplete = () => { db.close(); resolve(request.result); };
      transaction.onerror = () => { db.close(); reject(transaction.error); };
    }));
  }

  const kept = {
    all: () => withStore('readonly', (store) => store.getAll()),
    get: (url) => withStore('readonly', (store) => store.get(url)),
    put: (item) => withStore('readwrite', (store) => store.put(item)),
    remove: (url) => withStore('readwrite', (store) => store.delete(url)),
    clear: () => withStore('readwrite', (store) => store.clear()),
  };

  function pageAddress(address) {
    const url = new URL(address, location.href);
    url.hash = '';
    return url.href;
  }

  async function stamped(response) {
    const headers = new Headers(response.headers);
    // The body read here is decoded: the sent length and coding no longer hold.
    headers.delete('Content-Length');
    headers.delete('Content-Encoding');
    headers.set(STORED_AT, new Date().toISOString());
    return new Response(await response.blob(), {status: response.status, statusText: response.statusText, headers});
  }

  // The page itself and the documents of this site it links as its own (an event's materials).
  async function keepPage(panel) {
    const url = pageAddress(location.href);
    const documents = Array.from(document.querySelectorAll('[data-offline-documents] a[href]'))
      .map((link) => new URL(link.href, location.href))
      .filter((link) => link.origin === location.origin)
      .map((link) => pageAddress(link.href));
    const cache = await caches.open(KEPT_CACHE);
    for (const address of [url, ...documents]) {
      const response = await fetch(address, {credentials: 'same-origin'});
      if (!response.ok) throw new Error(address + ' ' + response.status);
      await cache.put(address, await stamped(response));
    }
    const main = document.querySelector('main');
    await kept.put({
      url: url,
      title: (document.querySelector('h1') || document).textContent.trim() || document.title,
      kind: panel.dataset.kind || '',
      language: document.documentElement.lang,
      keptAt: new Date().toISOString(),
      text: main ? main.innerText : '',
      documents: documents,
    });
  }

  async function removePage() {
    const url = pageAddress(location.href);
    const item = await kept.get(url);
    const cache = await caches.open(KEPT_CACHE);
    for (const address of [url, ...((item && item.documents) || [])]) await cache.delete(address);
    await kept.remove(url);
  }

  function showKept(panel, isKept) {
    panel.querySelector('[data-keep]').hidden = isKept;
    panel.querySelector('[data-unkeep]').hidden = !isKept;
  }

  function setUpKeepButtons() {
    const panel = document.querySelector('[data-keep-offline]');
    if (!panel || !('caches' in self) || !('indexedDB' in self)) return;
    const status = panel.querySelector('[role=status]');
    kept.get(pageAddress(location.href)).then((item) => { showKept(panel, Boolean(item)); panel.hidden = false; });
    panel.querySelector('[data-keep]').addEventListener('click', () => {
      keepPage(panel)
        .then(() => { showKept(panel, true); status.textContent = status.dataset.keptText; })
        .catch(() => { status.textContent = status.dataset.failedText; });
    });
    panel.querySelector('[data-unkeep]').addEventListener('click', () => {
      removePage().then(() => { showKept(panel, false); status.textContent = status.dataset.removedText; });
    });
  }

  // A page shown from the browser's store says so, with the date it was stored.
  function showBanner() {
    const banner = document.querySelector('[data-served]');
    if (!banner || banner.dataset.served !== 'cache') return;
    const storedAt = new Date(banner.dataset.storedAt);
    if (Number.isNaN(storedAt.getTime())) return;
    const date = new Intl.DateTimeFormat(document.documentElement.lang, {dateStyle: 'long', timeStyle: 'short'})
      .format(storedAt);
    banner.querySelector('li').textContent = banner.dataset.text.replace('{date}', date);
    banner.hidden = false;
  }

  function clearStored() {
    return Promise.all([caches.delete(PAGES_CACHE), caches.delete(KEPT_CACHE), kept.clear()]);
  }

  // On a shared computer, signing out leaves no page of the person behind.
  function clearOnSignOut() {
    document.querySelectorAll('form[data-offline-clear]').forEach((form) => {
      form.addEventListener('submit', (event) => {
        if (!('caches' in self)) return;
        event.preventDefault();
        const cleared = clearStored();
        // Never hold the sign-out back for long.
        const late = new Promise((resolve) => setTimeout(resolve, 2000));
        Promise.race([cleared, late]).catch(() => undefined).then(() => form.submit());
      });
    });
  }

  // Signed out another way (a session that expired, a closed account) or someone else signed
  // in: the pages stored for the person before go. Only a page from the network says who is
  // signed in now; a stored copy says who was.
  function forgetAnotherPerson() {
    const banner = document.querySelector('[data-served]');
    if (!banner || banner.dataset.served !== 'network' || !('caches' in self)) return;
    const person = document.body.dataset.person || '';
    let before = null;
    try {
      before = localStorage.getItem(PERSON_KEY);
      localStorage.setItem(PERSON_KEY, person);
    } catch (error) {
      return; // no storage here: the sign-out button still clears
    }
    if (before && before !== person) clearStored().catch(() => undefined);
  }

  function registerWorker() {
    const meta = document.querySelector('meta[name=service-worker]');
    if (!meta || !('serviceWorker' in navigator)) return;
    let address = meta.content;
    const outbox = document.body.dataset.outboxScript;
    if (outbox) address += '?outbox=' + encodeURIComponent(outbox);
    const firstVisit = !navigator.serviceWorker.controller;
    navigator.serviceWorker.register(address, {scope: '/'}).catch(() => undefined);
    if (firstVisit) {
      // This page came before the worker: ask it to store the page all the same.
      navigator.serviceWorker.ready.then((registration) => {
        if (registration.active) registration.active.postMessage({type: 'visited', url: location.href});
      });
    }
  }

  self.ClearinghouseOffline = {normalise: normalise, matches: matches, kept: kept, PAGES_CACHE: PAGES_CACHE};

  function start() {
    showBanner();
    forgetAnotherPerson();
    setUpKeepButtons();
    clearOnSignOut();
    registerWorker();
  }
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();
