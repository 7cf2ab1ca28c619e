// The outbox: reports made without a connection, kept in IndexedDB until they are sent.
// It holds only reports that are NOT yet sent; each is removed as soon as the server has
// stored it, and the database itself is deleted when the outbox is empty, so nothing about a
// sent report stays on a shared phone.
import { $ } from '../lib/dom.js';
import { tn } from '../lib/i18n.js';

const DB_NAME = 'mh-outbox';
const STORE = 'reports';

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
export async function addToOutbox(entry) {
  const id = await withStore('readwrite', (store) =>
    request(store.add({ created: Date.now(), report: entry.report, photos: entry.photos || [] })));
  await refreshOutboxStatus();
  return id;
}

/** Every report waiting to be sent. */
export async function outboxEntries() {
  if (!(await exists())) return [];
  return withStore('readonly', (store) => request(store.getAll()));
}

/** Remove a report (sent, or refused for good); the database goes with the last one. */
export async function removeFromOutbox(id) {
  await withStore('readwrite', (store) => request(store.delete(id)));
  const left = await withStore('readonly', (store) => request(store.count()));
  if (left === 0) await request(indexedDB.deleteDatabase(DB_NAME)).catch(() => null);
  await refreshOutboxStatus();
}

async function count() {
  if (!(await exists())) return 0;
  return withStore('readonly', (store) => request(store.count()));
}

/** The line under the title: how many reports wait on this phone (never their content). */
export async function refreshOutboxStatus() {
  const line = $('queue-status');
  if (!line) return 0;
  const n = await count().catch(() => 0);
  line.hidden = n === 0;
  line.textContent = n
    ? tn('{n} report is kept on this phone, not yet sent. It is sent when the connection returns.',
      '{n} reports are kept on this phone, not yet sent. They are sent when the connection returns.', n)
    : '';
  return n;
}
