// The walk's outbox: what a volunteer recorded without a connection, kept in IndexedDB until
// it is sent (like the report form's outbox). `walks` holds a walk started offline (its phone
// id, `local-…`, until the server gives it one) or a submit that waits for the connection;
// `points` the scored points. Each entry is removed as soon as the server has stored it, and
// the database itself is deleted when the outbox is empty. A point carries the phone's own id
// (client_id), so one sent twice (an answer lost on the way) is stored once.

const DB_NAME = 'mh-audit-outbox';
const POINTS = 'points';
const WALKS = 'walks';

function request(req) {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

function open() {
  const req = indexedDB.open(DB_NAME, 2);
  req.onupgradeneeded = () => {
    const db = req.result;
    if (!db.objectStoreNames.contains(POINTS)) db.createObjectStore(POINTS, { keyPath: 'id', autoIncrement: true });
    if (!db.objectStoreNames.contains(WALKS)) db.createObjectStore(WALKS, { keyPath: 'key' });
  };
  return request(req);
}

async function exists() {
  if (!window.indexedDB) return false;
  if (!indexedDB.databases) return true;
  return (await indexedDB.databases()).some((d) => d.name === DB_NAME);
}

async function withStore(name, mode, fn) {
  const db = await open();
  try {
    const tx = db.transaction(name, mode);
    const result = await fn(tx.objectStore(name));
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

async function dropIfEmpty() {
  const points = await withStore(POINTS, 'readonly', (store) => request(store.count()));
  const walks = await withStore(WALKS, 'readonly', (store) => request(store.count()));
  if (points + walks === 0) await request(indexedDB.deleteDatabase(DB_NAME)).catch(() => null);
}

/** Keep a point that could not be sent: {walk: id, point: JSON string, photo: Blob|null}. */
export function keepPoint(entry) {
  return withStore(POINTS, 'readwrite', (store) => request(store.add({ created: Date.now(), ...entry })));
}

/** Every point waiting to be sent, oldest first. */
export async function waitingPoints() {
  if (!(await exists())) return [];
  return withStore(POINTS, 'readonly', (store) => request(store.getAll()));
}

/** Remove a point (sent, or refused for good); the database goes with the last entry. */
export async function dropPoint(id) {
  await withStore(POINTS, 'readwrite', (store) => request(store.delete(id)));
  await dropIfEmpty();
}

/** Keep (or update) a walk entry: {key, id: server id or null, body, submit}. */
export function keepWalk(entry) {
  return withStore(WALKS, 'readwrite', (store) => request(store.put(entry)));
}

/** Every walk entry waiting for the connection. */
export async function waitingWalks() {
  if (!(await exists())) return [];
  return withStore(WALKS, 'readonly', (store) => request(store.getAll()));
}

/** Remove a walk entry (created and submitted, or refused for good). */
export async function dropWalk(key) {
  await withStore(WALKS, 'readwrite', (store) => request(store.delete(key)));
  await dropIfEmpty();
}

/** The server gave the walk started offline its id: its kept points now go to that id. */
export async function renameWalk(key, id) {
  await withStore(POINTS, 'readwrite', async (store) => {
    const mine = (await request(store.getAll())).filter((entry) => entry.walk === key);
    await Promise.all(mine.map((entry) => request(store.put({ ...entry, walk: id }))));
  });
}

/** Delete everything kept on this phone (at log-out: the next user must not send it). */
export async function forgetOutbox() {
  if (await exists()) await request(indexedDB.deleteDatabase(DB_NAME)).catch(() => null);
}
