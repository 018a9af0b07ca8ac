/* The offline reading page: the pages kept and visited in this browser, a search over the kept
   ones that needs no network, and the storage they use. Uses ClearinghouseOffline (shell.js). */
(function () {
  'use strict';

  const root = document.querySelector('[data-offline-reading]');
  if (!root || !self.ClearinghouseOffline || !('caches' in self)) return;
  const offline = self.ClearinghouseOffline;
  const language = document.documentElement.lang;

  function item(url, title, detail) {
    const entry = document.createElement('li');
    const link = document.createElement('a');
    link.href = url;
    link.textContent = title || url;
    entry.append(link);
    if (detail) entry.append(' · ' + detail);
    return entry;
  }

  function formatDate(iso) {
    return new Intl.DateTimeFormat(language, {dateStyle: 'medium', timeStyle: 'short'}).format(new Date(iso));
  }

  let keptItems = [];

  function showKept(query) {
    const list = root.querySelector('[data-kept-list]');
    const shown = keptItems.filter((kept) => !query || offline.matches(query, kept.title + ' ' + kept.text));
    list.replaceChildren(...shown.map((kept) =>
      item(kept.url, kept.title, [kept.kind, formatDate(kept.keptAt)].filter(Boolean).join(' · '))));
    root.querySelector('[data-kept-empty]').hidden = keptItems.length > 0;
    root.querySelector('[data-no-match]').hidden = !(keptItems.length && query && !shown.length);
  }

  async function showVisited() {
    const cache = await caches.open(offline.PAGES_CACHE);
    const requests = (await cache.keys()).reverse();
    const own = new URL(root.dataset.path, location.href).href;
    const entries = [];
    for (const request of requests) {
      if (request.url === own) continue;
      const response = await cache.match(request, {ignoreVary: true});
      // A parsed document runs no script: only its title is read.
      const title = new DOMParser().parseFromString(await response.text(), 'text/html').title;
      entries.push(item(request.url, title.trim(), formatDate(response.headers.get('X-Offline-Stored-At'))));
    }
    root.querySelector('[data-visited-list]').replaceChildren(...entries);
    root.querySelector('[data-visited-empty]').hidden = entries.length > 0;
  }

  function megabytes(bytes) {
    return new Intl.NumberFormat(language, {style: 'unit', unit: 'megabyte', maximumFractionDigits: 1})
      .format(bytes / 1e6);
  }

  async function showStorage() {
    const paragraph = root.querySelector('[data-storage]');
    if (!navigator.storage || !navigator.storage.estimate) return;
    const estimate = await navigator.storage.estimate();
    paragraph.textContent = paragraph.dataset.text
      .replace('{used}', megabytes(estimate.usage || 0)).replace('{quota}', megabytes(estimate.quota || 0));
    const button = root.querySelector('[data-persist]');
    const status = root.querySelector('[data-persist-status]');
    button.parentElement.hidden = !navigator.storage.persist;
    button.addEventListener('click', () => navigator.storage.persist().then((granted) => {
      status.textContent = granted ? status.dataset.granted : status.dataset.refused;
    }));
  }

  root.hidden = false;
  // Shown in place of a page that was never stored: say so.
  root.querySelector('[data-not-stored]').hidden = location.pathname === root.dataset.path;
  const search = root.querySelector('[data-offline-search]');
  const input = search.querySelector('input');
  search.addEventListener('submit', (event) => { event.preventDefault(); showKept(input.value); });
  input.addEventListener('input', () => showKept(input.value));
  offline.kept.all().then((items) => {
    keptItems = items.sort((a, b) => b.keptAt.localeCompare(a.keptAt));
    showKept(input.value);
  });
  showVisited();
  showStorage();
})();
