// The scanner's IndexedDB (browser only): the downloaded manifest per event (with this phone's marks
// applied), the offline queue and the conflicts list. A tiny promise wrapper instead of a dependency.
//
// Database "aqstream-check-in", version 1:
//   manifests  key event.id   StoredManifest (../manifest-format.ts: the attendees as last known on this
//                             phone, the cursor and ETag of the last download; an older scanner's
//                             CheckInManifest is read as a list without a cursor)
//   queue      key nonce      QueuedScan, index "eventId"
//   conflicts  key key        ConflictEntry, index "eventId"
import { storedManifestOf, type StoredManifest } from "../manifest-format";
import type { ConflictEntry, QueuedScan } from "./state";

const DB_NAME = "aqstream-check-in";
const DB_VERSION = 1;

type StoreName = "manifests" | "queue" | "conflicts";

let opening: Promise<IDBDatabase> | null = null;

function promisify<T>(request: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

function openDb(): Promise<IDBDatabase> {
  if (opening) return opening;
  opening = new Promise<IDBDatabase>((resolve, reject) => {
    if (typeof indexedDB === "undefined") {
      reject(new Error("IndexedDB is not available"));
      return;
    }
    const request = indexedDB.open(DB_NAME, DB_VERSION);
    request.onupgradeneeded = () => {
      const db = request.result;
      if (!db.objectStoreNames.contains("manifests")) db.createObjectStore("manifests", { keyPath: "event.id" });
      if (!db.objectStoreNames.contains("queue")) db.createObjectStore("queue", { keyPath: "nonce" }).createIndex("eventId", "eventId");
      if (!db.objectStoreNames.contains("conflicts")) db.createObjectStore("conflicts", { keyPath: "key" }).createIndex("eventId", "eventId");
    };
    request.onsuccess = () => {
      const db = request.result;
      // Another tab upgrading the schema: let it, and reopen next time.
      db.onversionchange = () => {
        db.close();
        opening = null;
      };
      resolve(db);
    };
    request.onerror = () => reject(request.error);
    request.onblocked = () => reject(new Error("IndexedDB is blocked by another tab"));
  });
  opening.catch(() => {
    opening = null;
  });
  return opening;
}

/** Runs `fn` in one transaction and resolves when it has committed. */
async function tx<T>(stores: StoreName[], mode: IDBTransactionMode, fn: (t: IDBTransaction) => Promise<T> | T): Promise<T> {
  const db = await openDb();
  const t = db.transaction(stores, mode);
  const done = new Promise<void>((resolve, reject) => {
    t.oncomplete = () => resolve();
    t.onabort = () => reject(t.error ?? new Error("IndexedDB transaction aborted"));
    t.onerror = () => reject(t.error);
  });
  let result: T;
  try {
    result = await fn(t);
  } catch (error) {
    done.catch(() => {});
    try {
      t.abort();
    } catch {
      // already finished
    }
    throw error;
  }
  await done;
  return result;
}

export async function loadManifest(eventId: string): Promise<StoredManifest | undefined> {
  const saved = await tx(["manifests"], "readonly", (t) => promisify(t.objectStore("manifests").get(eventId) as IDBRequest<unknown>));
  return storedManifestOf(saved);
}

export async function saveManifest(manifest: StoredManifest): Promise<void> {
  await tx(["manifests"], "readwrite", (t) => promisify(t.objectStore("manifests").put(manifest)));
}

export async function loadQueue(eventId: string): Promise<QueuedScan[]> {
  const rows = await tx(["queue"], "readonly", (t) =>
    promisify(t.objectStore("queue").index("eventId").getAll(eventId) as IDBRequest<QueuedScan[]>),
  );
  return rows.sort((a, b) => a.scannedAt.localeCompare(b.scannedAt));
}

export async function enqueue(scan: QueuedScan): Promise<void> {
  await tx(["queue"], "readwrite", (t) => promisify(t.objectStore("queue").put(scan)));
}

export async function dequeue(nonces: readonly string[]): Promise<void> {
  if (nonces.length === 0) return;
  await tx(["queue"], "readwrite", async (t) => {
    const store = t.objectStore("queue");
    await Promise.all(nonces.map((n) => promisify(store.delete(n))));
  });
}

export async function loadConflicts(eventId: string): Promise<ConflictEntry[]> {
  return tx(["conflicts"], "readonly", (t) =>
    promisify(t.objectStore("conflicts").index("eventId").getAll(eventId) as IDBRequest<ConflictEntry[]>),
  );
}

export async function saveConflicts(entries: readonly ConflictEntry[]): Promise<void> {
  if (entries.length === 0) return;
  await tx(["conflicts"], "readwrite", async (t) => {
    const store = t.objectStore("conflicts");
    await Promise.all(entries.map((e) => promisify(store.put(e))));
  });
}

export async function clearConflicts(eventId: string): Promise<void> {
  await tx(["conflicts"], "readwrite", async (t) => {
    const store = t.objectStore("conflicts");
    const keys = await promisify(store.index("eventId").getAllKeys(eventId));
    await Promise.all(keys.map((k) => promisify(store.delete(k))));
  });
}

const DEVICE_KEY = "aqstream.checkIn.deviceId";

/** A stable id of this phone's scanner (localStorage), sent with every scan. */
export function deviceId(): string {
  try {
    let id = localStorage.getItem(DEVICE_KEY);
    if (!id) {
      id = `dev_${globalThis.crypto.randomUUID().replace(/-/g, "").slice(0, 16)}`;
      localStorage.setItem(DEVICE_KEY, id);
    }
    return id;
  } catch {
    return "dev_unknown";
  }
}
