// Offline support: registers the service worker (it caches the app shell, never API answers)
// and keeps reports made without a connection in IndexedDB until they are sent.
// The outbox holds only reports that are NOT yet sent; each is removed as soon as the server
// has stored it, and the database itself is deleted when the outbox is empty, so nothing about
// a sent report stays on a shared phone.
(function () {
  'use strict';

  const { t, tn } = window.MH;
  const DB_NAME = 'mh-outbox';
  const STORE = 'reports';

  if ('serviceWorker' in navigator) {
    window.addEventListener('load', () => {
      navigator.serviceWorker.register('/sw.js', { scope: '/' }).catch(() => {
        // No offline shell (private mode, blocked): the page works online all the same.
      });
    });
  }

  function request(req) {
    return new Promise((resolve, reject) => {
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error);
    });
  }

  function open() {
    const req = indexedDB.open(DB_NAME, 1);
    req.onupgradeneeded = () => req.result.createObjectStore(STORE, { keyPath: 'id', autoIncrement: true });
    return request(req);
  }

  /** True when the outbox database exists (asking must not create it). */
  async function exists() {
    if (!window.indexedDB) return false;
    if (!indexedDB.databases) return true;
    const names = (await indexedDB.databases()).map((d) => d.name);
    return names.includes(DB_NAME);
  }

  async function withStore(mode, fn) {
    const db = await open();
    try {
      const tx = db.transaction(STORE, mode);
      const result = await fn(tx.objectStore(STORE));
      await new Promise((resolve, reject) => {
        tx.oncomplete = resolve;
        tx.onerror = () => reject(tx.error);
        tx.onabort = () => reject(tx.error);
      });
      return result;
    } finally {
      db.close();
    }
  }

  /** Keep a report that could not be sent: {report: JSON string, photos: [Blob]}. */
  async function add(entry) {
    const id = await withStore('readwrite', (store) =>
      request(store.add({ created: Date.now(), report: entry.report, photos: entry.photos || [] })));
    await refreshStatus();
    return id;
  }

  async function all() {
    if (!(await exists())) return [];
    return withStore('readonly', (store) => request(store.getAll()));
  }

  async function remove(id) {
    await withStore('readwrite', (store) => request(store.delete(id)));
    const left = await withStore('readonly', (store) => request(store.count()));
    if (left === 0) await request(indexedDB.deleteDatabase(DB_NAME)).catch(() => null);
    await refreshStatus();
  }

  async function count() {
    if (!(await exists())) return 0;
    return withStore('readonly', (store) => request(store.count()));
  }

  /** The line under the title: how many reports wait on this phone (never their content). */
  async function refreshStatus() {
    const line = document.getElementById('queue-status');
    if (!line) return 0;
    const n = await count().catch(() => 0);
    line.hidden = n === 0;
    line.textContent = n
      ? tn('{n} report is kept on this phone, not yet sent. It is sent when the connection returns.',
        '{n} reports are kept on this phone, not yet sent. They are sent when the connection returns.', n)
      : '';
    return n;
  }

  window.MH = Object.assign(window.MH || {}, {
    outbox: { add, all, remove, count, refreshStatus, DB_NAME },
  });
})();
