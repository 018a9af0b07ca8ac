/* The outbox: forms sent while offline are kept in IndexedDB and sent once when the network
 * returns. The first part (storage and replay) runs in a page and in the service worker, so it
 * touches no DOM; the second part wires the pages. Plain IndexedDB: four small operations do
 * not need a library. The server acts on each submission identifier once (outbox middleware),
 * so a replay that is cut off and sent again does no harm. */
(function (self) {
  "use strict";

  var DB_NAME = "clearinghouse-outbox";
  var STORE = "submissions";
  var TOKEN_URL = "/outbox/token";
  // A "sending" mark older than this belongs to a page closed mid-send. Sending it again is
  // safe: the server answers a repeated identifier as the first time.
  var SENDING_EXPIRES_MS = 60 * 1000;
  // Receipts of sent forms are kept a week.
  var RECEIPT_KEPT_MS = 7 * 24 * 60 * 60 * 1000;
  // Refusals a replay cannot change. Signed out is not one: the form is sent again once its
  // writer has signed in again.
  var FINAL = { invalid: 1, conflict: 1, forbidden: 1, gone: 1 };

  function openDatabase() {
    return new Promise(function (resolve, reject) {
      var request = self.indexedDB.open(DB_NAME, 1);
      request.onupgradeneeded = function () {
        request.result.createObjectStore(STORE, { keyPath: "id" });
      };
      request.onsuccess = function () { resolve(request.result); };
      request.onerror = function () { reject(request.error); };
    });
  }

  // Runs work(store) in one transaction; resolves with what work's last request produced.
  function withStore(mode, work) {
    return openDatabase().then(function (db) {
      return new Promise(function (resolve, reject) {
        var transaction = db.transaction(STORE, mode);
        var result;
        transaction.oncomplete = function () { db.close(); resolve(result); };
        transaction.onabort = transaction.onerror = function () { db.close(); reject(transaction.error); };
        work(transaction.objectStore(STORE), function (value) { result = value; });
      });
    });
  }

  function all() {
    return withStore("readonly", function (store, done) {
      var request = store.getAll();
      request.onsuccess = function () { done(request.result); };
    });
  }

  function get(id) {
    return withStore("readonly", function (store, done) {
      var request = store.get(id);
      request.onsuccess = function () { done(request.result); };
    });
  }

  function put(item) {
    item.updated = Date.now();
    return withStore("readwrite", function (store, done) {
      store.put(item);
      done(item);
    });
  }

  // Keeps a draft unless the form was sent meanwhile: read and write in one transaction, so a
  // draft saved while the form is being sent never turns it back into a draft.
  function putDraft(item) {
    item.updated = Date.now();
    return withStore("readwrite", function (store, done) {
      var request = store.get(item.id);
      request.onsuccess = function () {
        var known = request.result;
        if (known && known.status !== "draft") { done(null); return; }
        if (known) { item.created = known.created; }
        store.put(item);
        done(item);
      };
    });
  }

  function remove(id) {
    return withStore("readwrite", function (store) { store.delete(id); });
  }

  // Marks a queued item "sending" inside one readwrite transaction: IndexedDB runs those one at
  // a time, so of a page and the service worker replaying together only one gets the item.
  function take(id) {
    return withStore("readwrite", function (store, done) {
      var request = store.get(id);
      request.onsuccess = function () {
        var item = request.result;
        var now = Date.now();
        var stale = item && item.status === "sending" && now - (item.sendingSince || 0) > SENDING_EXPIRES_MS;
        if (!item || (item.status !== "queued" && !stale)) { done(null); return; }
        item.status = "sending";
        item.sendingSince = now;
        item.updated = now;
        store.put(item);
        done(item);
      };
    });
  }

  function freshToken() {
    return fetch(TOKEN_URL, { credentials: "same-origin", cache: "no-store" }).then(function (response) {
      if (!response.ok) { throw new Error("token " + response.status); }
      return response.json();
    });
  }

  function formDataOf(item, token) {
    var data = new FormData();
    item.fields.forEach(function (field) {
      var name = field[0];
      var value = field[1];
      if (name === "csrfmiddlewaretoken") { return; }
      if (value && typeof value === "object" && value.blob) {
        data.append(name, value.blob, value.filename);
      } else {
        data.append(name, value);
      }
    });
    data.set("csrfmiddlewaretoken", token);
    data.set("submission_id", item.id);
    return data;
  }

  // A form waits for the person who wrote it ("" for no one signed in): a shared browser
  // never sends one person's form in another's session.
  function ownerOf(item) { return item.person || ""; }

  // Sends one item (already taken); records the server's answer on it. ``follow``: the page
  // will open where the form leads, so the server leaves its messages ("Draft saved.") there.
  function send(item, follow) {
    return freshToken().then(function (session) {
      if (session.person !== ownerOf(item)) { return { outcome: "waiting" }; }
      return fetch(item.url, {
        method: "POST",
        body: formDataOf(item, session.token),
        credentials: "same-origin",
        cache: "no-store",
        headers: {
          "X-Outbox": "1", "X-Outbox-Follow": follow ? "1" : "0",
          "X-CSRFToken": session.token, "X-Submission-Id": item.id
        }
      }).then(function (response) { return response.json(); });
    }).then(function (answer) {
      item.outcome = answer.outcome;
      item.message = answer.message || "";
      item.errors = answer.errors || [];
      if (answer.outcome === "sent") {
        item.status = "sent";
        item.location = answer.location || "";
        item.sentAt = Date.now();
      } else if (FINAL[answer.outcome]) {
        item.status = "failed";
        item.location = answer.location || "";
      } else {
        // Busy, the server failed, or another person's session: try again later.
        item.status = "queued";
      }
      return put(item);
    }, function () {
      // No network, or an answer that is not the outbox's (a proxy's page): try again later.
      item.status = "queued";
      item.attempts = (item.attempts || 0) + 1;
      return put(item);
    });
  }

  function sendOne(id, follow) {
    return take(id).then(function (item) { return item ? send(item, follow) : get(id); });
  }

  // Sends every queued item, one after the other (a slow link carries one form at a time).
  function replayAll() {
    return all().then(function (items) {
      var now = Date.now();
      var chain = Promise.resolve();
      items.forEach(function (item) {
        if (item.status === "sent" && now - (item.sentAt || 0) > RECEIPT_KEPT_MS) {
          chain = chain.then(function () { return remove(item.id); });
        } else if (item.status === "queued" || item.status === "sending") {
          chain = chain.then(function () { return sendOne(item.id); });
        }
      });
      return chain;
    }).then(notify, function (error) { notify(); throw error; });
  }

  // Pages (and the service worker's clients) redraw when the outbox changes.
  function notify() {
    if (self.BroadcastChannel) {
      var channel = new self.BroadcastChannel("clearinghouse-outbox");
      channel.postMessage("changed");
      channel.close();
    }
  }

  function newId() {
    if (self.crypto && self.crypto.randomUUID) { return self.crypto.randomUUID(); }
    var bytes = self.crypto.getRandomValues(new Uint8Array(16));
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    var hex = Array.prototype.map.call(bytes, function (b) { return (b + 0x100).toString(16).slice(1); }).join("");
    return hex.slice(0, 8) + "-" + hex.slice(8, 12) + "-" + hex.slice(12, 16) + "-" + hex.slice(16, 20) + "-" + hex.slice(20);
  }

  self.ClearinghouseOutbox = {
    replayAll: replayAll,
    sendOne: sendOne,
    ownerOf: ownerOf,
    all: all,
    get: get,
    put: put,
    putDraft: putDraft,
    remove: remove,
    newId: newId,
    notify: notify
  };

  if (typeof document === "undefined") { return; }

  /* ---- In a page ---------------------------------------------------------------------- */

  var outbox = self.ClearinghouseOutbox;

  function notice(key, form) {
    var source = document.getElementById("outbox-notices");
    var found = source && source.content.querySelector('[data-notice="' + key + '"]');
    if (!found) { return; }
    var shown = document.querySelector(".outbox-notice") || document.createElement("div");
    shown.className = "outbox-notice notice";
    shown.setAttribute("role", "status");
    shown.replaceChildren(found.cloneNode(true));
    if (!shown.isConnected) { form.parentNode.insertBefore(shown, form); }
    shown.scrollIntoView({ block: "nearest" });
  }

  function label(form) {
    var heading = document.querySelector("main h1");
    return (heading ? heading.textContent : document.title).trim();
  }

  function fieldsOf(form, submitter) {
    var data = submitter ? new FormData(form, submitter) : new FormData(form);
    var fields = [];
    data.forEach(function (value, name) {
      if (typeof value === "string") {
        fields.push([name, value]);
      } else if (value.size > 0 || value.name) {
        fields.push([name, { blob: value, filename: value.name }]);
      }
    });
    return fields;
  }

  function ensureId(form) {
    var input = form.querySelector('input[name="submission_id"]');
    if (!input) {
      input = document.createElement("input");
      input.type = "hidden";
      input.name = "submission_id";
      form.appendChild(input);
    }
    if (!input.value) { input.value = outbox.newId(); }
    return input.value;
  }

  function itemFor(form, status, submitter) {
    return {
      id: ensureId(form),
      status: status,
      url: new URL(form.getAttribute("action") || location.href, location.href).href,
      page: location.pathname + location.search.replace(/([?&])outbox=[^&]*&?/, "$1").replace(/[?&]$/, ""),
      fields: fieldsOf(form, submitter),
      title: document.title,
      label: label(form),
      language: document.documentElement.lang,
      person: currentPerson(),
      created: Date.now(),
      message: "",
      errors: []
    };
  }

  function currentPerson() { return document.body.dataset.person || ""; }

  // This person's items only: on a shared browser the others' wait unseen for their owners.
  function ownItems() {
    return outbox.all().then(function (items) {
      return items.filter(function (item) { return outbox.ownerOf(item) === currentPerson(); });
    });
  }

  function keep(form, status, submitter) {
    var item = itemFor(form, status, submitter);
    return outbox.get(item.id).then(function (known) {
      if (known) { item.created = known.created; }
      return outbox.put(item);
    }).then(function (saved) { outbox.notify(); return saved; });
  }

  function registerSync() {
    if (!("serviceWorker" in navigator)) { return; }
    navigator.serviceWorker.getRegistration().then(function (registration) {
      if (registration && registration.sync) { return registration.sync.register("outbox"); }
    }).catch(function () { /* no background sync: the next page load replays */ });
  }

  function restore(form, item) {
    form.querySelectorAll('input[type="checkbox"], input[type="radio"]').forEach(function (input) {
      if (input.name in kept(item)) { input.checked = false; }
    });
    form.querySelectorAll("select[multiple] option").forEach(function (option) {
      if (option.parentNode.name in kept(item)) { option.selected = false; }
    });
    item.fields.forEach(function (field) {
      var name = field[0];
      var value = field[1];
      if (typeof value !== "string" || name === "csrfmiddlewaretoken" || name === "action") { return; }
      var inputs = form.querySelectorAll('[name="' + CSS.escape(name) + '"]');
      inputs.forEach(function (input) {
        if (input.type === "checkbox" || input.type === "radio") {
          if (input.value === value) { input.checked = true; }
        } else if (input.tagName === "SELECT" && input.multiple) {
          Array.prototype.forEach.call(input.options, function (option) {
            if (option.value === value) { option.selected = true; }
          });
        } else if (input.type !== "file" && input.type !== "hidden") {
          input.value = value;
        } else if (name === "submission_id") {
          input.value = value;
        }
      });
    });
    ensureIdValue(form, item.id);
  }

  function kept(item) {
    var names = {};
    item.fields.forEach(function (field) { names[field[0]] = true; });
    return names;
  }

  function ensureIdValue(form, id) {
    ensureId(form);
    form.querySelector('input[name="submission_id"]').value = id;
  }

  // What a person sends online still goes through the outbox's answer, so a network cut
  // mid-send keeps the form instead of showing the browser's error page.
  function submitted(event) {
    var form = event.target;
    if (!form.matches("form[data-outbox]") || form.dataset.outboxNative === "1") { return; }
    event.preventDefault();
    // A draft saved after this would turn the queued form back into a draft.
    clearTimeout(draftTimers.get(form));
    var submitter = event.submitter;
    ensureId(form);
    keep(form, "queued", submitter).then(function (item) {
      // Background sync only for what could not be sent now: registered for a form being
      // sent, it would let the worker take the form from under the page.
      if (!navigator.onLine) { notice("queued", form); registerSync(); return; }
      return outbox.sendOne(item.id, true).then(function (answered) { settle(form, submitter, answered); });
    }).catch(function () {
      // IndexedDB unavailable (private mode, full disk): send as without the outbox.
      nativeSubmit(form, submitter);
    });
  }

  function settle(form, submitter, item) {
    if (item && item.outcome === "signed_out") { notice("signed_out", form); return; }
    if (!item || item.status === "queued") { notice("queued", form); registerSync(); return; }
    // Being sent by another replay (the worker, another tab): wait for its answer, or take
    // the form over once that replay is stale (closed mid-send).
    if (item.status === "sending") {
      setTimeout(function () {
        outbox.sendOne(item.id, true).then(function (now) { settle(form, submitter, now); });
      }, 500);
      return;
    }
    if (item.status === "sent") {
      outbox.remove(item.id).then(function () {
        outbox.notify();
        location.assign(item.location || location.href);
      });
      return;
    }
    // Refused: the server shows the page with its messages as it always did; nothing was saved.
    outbox.remove(item.id).then(function () { nativeSubmit(form, submitter); });
  }

  function nativeSubmit(form, submitter) {
    form.dataset.outboxNative = "1";
    form.requestSubmit(submitter && submitter.form === form ? submitter : undefined);
  }

  // While offline, what a person types is kept as a draft.
  var draftTimers = new WeakMap();
  function typed(event) {
    var form = event.target.form;
    if (!form || !form.matches("form[data-outbox]") || navigator.onLine) { return; }
    clearTimeout(draftTimers.get(form));
    draftTimers.set(form, setTimeout(function () {
      ensureId(form);
      outbox.putDraft(itemFor(form, "draft")).then(function (saved) {
        if (saved) { outbox.notify(); notice("draft", form); }
      });
    }, 400));
  }

  // A form opened again finds its draft (or, with ?outbox=<id>, the item to correct).
  function restoreForms() {
    var forms = document.querySelectorAll("form[data-outbox]");
    if (!forms.length) { return Promise.resolve(); }
    var wanted = new URLSearchParams(location.search).get("outbox");
    return ownItems().then(function (items) {
      forms.forEach(function (form) {
        var url = new URL(form.getAttribute("action") || location.href, location.href).href;
        var match = items.filter(function (item) {
          if (wanted) { return item.id === wanted; }
          return item.status === "draft" && item.page === location.pathname && item.url.split("?")[0] === url.split("?")[0];
        })[0];
        if (match) {
          restore(form, match);
          notice("restored", form);
          if (match.status !== "draft") {
            match.status = "draft";
            outbox.put(match).then(outbox.notify);
          }
        }
      });
    });
  }

  function updateCount() {
    var badge = document.querySelector(".outbox-count");
    if (!badge) { return Promise.resolve(); }
    return ownItems().then(function (items) {
      var waiting = items.filter(function (item) { return item.status !== "sent"; }).length;
      badge.textContent = waiting ? String(waiting) : "";
      badge.hidden = !waiting;
    });
  }

  /* ---- The outbox page ---------------------------------------------------------------- */

  function statusLabel(status) {
    var source = document.getElementById("outbox-statuses");
    var found = source && source.content.querySelector('[data-status="' + status + '"]');
    return found ? found.textContent : status;
  }

  function correctUrl(item) {
    var url = new URL(item.page, location.href);
    url.searchParams.set("outbox", item.id);
    return url.pathname + url.search;
  }

  function drawPage() {
    var page = document.querySelector("[data-outbox-page]");
    if (!page) { return Promise.resolve(); }
    var list = page.querySelector("[data-outbox-items]");
    var template = document.getElementById("outbox-item");
    return ownItems().then(function (items) {
      items.sort(function (a, b) { return b.created - a.created; });
      list.replaceChildren();
      items.forEach(function (item) {
        var row = template.content.firstElementChild.cloneNode(true);
        var slot = function (name) { return row.querySelector('[data-slot="' + name + '"]'); };
        row.dataset.id = item.id;
        row.dataset.status = item.status;
        slot("label").textContent = item.label || item.title;
        slot("status").textContent = statusLabel(item.status);
        var when = new Date(item.sentAt || item.updated || item.created);
        slot("time").dateTime = when.toISOString();
        slot("time").textContent = when.toLocaleString(document.documentElement.lang || undefined);
        slot("message").textContent = item.status === "queued" || item.status === "draft" ? "" : item.message;
        item.errors.forEach(function (text) {
          if (text === item.message) { return; }
          var li = document.createElement("li");
          li.textContent = text;
          slot("errors").appendChild(li);
        });
        if (item.status === "sent" && item.location) {
          slot("location").href = item.location;
          slot("location").hidden = false;
        }
        if (item.outcome === "conflict") {
          slot("current").href = item.page;
          slot("current").hidden = false;
        }
        slot("correct").href = correctUrl(item);
        slot("correct").hidden = item.status === "sent";
        // A send left half-way (the browser stopped the worker) may be taken over after a minute.
        var stale = item.status === "sending" && Date.now() - (item.sendingSince || 0) > SENDING_EXPIRES_MS;
        row.querySelector('[data-action="send"]').hidden = item.status !== "queued" && !stale;
        list.appendChild(row);
      });
      page.querySelector("[data-outbox-empty]").hidden = items.length > 0;
    });
  }

  function pageClicked(event) {
    var button = event.target.closest("[data-action], [data-outbox-send-all]");
    if (!button) { return; }
    if (button.hasAttribute("data-outbox-send-all")) {
      outbox.replayAll().then(refresh, refresh);
      return;
    }
    var id = button.closest("[data-id]").dataset.id;
    if (button.dataset.action === "send") {
      outbox.sendOne(id).then(refresh, refresh);
    } else if (button.dataset.action === "delete") {
      var question = document.getElementById("outbox-confirm-delete");
      if (question && !window.confirm(question.content.textContent.trim())) { return; }
      outbox.remove(id).then(function () { outbox.notify(); refresh(); });
    }
  }

  function refresh() {
    return Promise.all([updateCount(), drawPage()]).catch(function () { /* no IndexedDB */ });
  }

  // A replay that could not reach the server (the link is back but not yet up, or drops again;
  // a busy server) leaves forms queued. While the page is open they are tried again, waiting
  // longer each time, rather than only at the next page load or "online" event. Forms waiting
  // for another person's session wait for a sign-in, which loads a page.
  var RETRY_MS = [30000, 60000, 120000, 300000];
  var retries = 0;
  var retryTimer = null;

  function retryLater() {
    clearTimeout(retryTimer);
    retryTimer = null;
    return outbox.all().then(function (items) {
      var waiting = items.some(function (item) {
        return item.status === "queued" && item.outcome !== "waiting";
      });
      if (!waiting) { retries = 0; return; }
      retryTimer = setTimeout(replay, RETRY_MS[Math.min(retries, RETRY_MS.length - 1)]);
      retries += 1;
    }).catch(function () { /* no IndexedDB */ });
  }

  function replay() {
    if (!navigator.onLine) { return refresh(); }
    return outbox.replayAll().then(refresh, refresh).then(retryLater);
  }

  function start() {
    var page = document.querySelector("[data-outbox-page]");
    if (page) {
      page.hidden = false;
      document.querySelector("[data-outbox-needs-script]").hidden = true;
      page.addEventListener("click", pageClicked);
    }
    document.addEventListener("submit", submitted);
    document.addEventListener("input", typed);
    document.addEventListener("change", typed);
    self.addEventListener("online", replay);
    if (self.BroadcastChannel) {
      new self.BroadcastChannel("clearinghouse-outbox").onmessage = refresh;
    }
    restoreForms().catch(function () { /* no IndexedDB: forms work as without it */ });
    replay();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})(self);
