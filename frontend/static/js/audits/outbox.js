// The walk's outbox: audit points saved without a connection, kept in IndexedDB until they
// are sent (like the report form's outbox). Each point is removed as soon as the server has
// stored it, and the database itself is deleted when the outbox is empty. A point carries the
// phone's own id (client_id), so one sent twice (an answer lost on the way) is stored once.

const DB_NAME = 'mh-audit-outbox';
const STORE = 'points';

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

async function exists() {
  if (!window.indexedDB) return false;
  if (!indexedDB.databases) return true;
  return (await indexedDB.databases()).some((d) => d.name === DB_NAME);
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

/** Keep a point that could not be sent: {walk: id, point: JSON string, photo: Blob|null}. */
export function keepPoint(entry) {
  return withStore('readwrite', (store) => request(store.add({ created: Date.now(), ...entry })));
}

/** Every point waiting to be sent, oldest first. */
export async function waitingPoints() {
  if (!(await exists())) return [];
  return withStore('readonly', (store) => request(store.getAll()));
}

/** Remove a point (sent, or refused for good); the database goes with the last one. */
export async function dropPoint(id) {
  await withStore('readwrite', (store) => request(store.delete(id)));
  const left = await withStore('readonly', (store) => request(store.count()));
  if (left === 0) await request(indexedDB.deleteDatabase(DB_NAME)).catch(() => null);
}
