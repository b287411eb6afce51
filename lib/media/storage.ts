// Where uploaded images live, behind one interface: put / get / delete / url.
//   - local disk (default): files under MEDIA_DIR, served by app/media/[...path]/route.ts at /media/<key>
//     with `Cache-Control: public, max-age=31536000, immutable` (keys are never reused: they start with
//     the media id);
//   - UploadThing, when UPLOADTHING_TOKEN is set: the UTApi server SDK (uploadFiles / deleteFiles).
// The storage path saved in the database says where a file is (a relative key → local disk, an https
// URL → UploadThing), so URLs and deletions keep working after the configuration changes.
import "server-only";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { UTApi, UTFile } from "uploadthing/server";
import type { UploadFileResult } from "uploadthing/types";
import { env } from "@/lib/env";
import { mediaUrl } from "./urls";

export interface MediaStorage {
  readonly kind: "local" | "uploadthing";
  /** Stores `bytes` under `key` (e.g. "<mediaId>/original.jpg"); returns the storage path to save. */
  put(key: string, bytes: Buffer, contentType: string): Promise<string>;
  /** The bytes of a stored file, or null when it does not exist. */
  get(storagePath: string): Promise<Buffer | null>;
  /** Removes files; missing ones are ignored. */
  delete(storagePaths: readonly string[]): Promise<void>;
  /** The public URL of a stored file. */
  url(storagePath: string): string;
}

export class StorageError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "StorageError";
  }
}

// ───────────────────────────── keys and local paths ─────────────────────────────

/** One or more segments of letters, digits, ".", "_", "-"; no segment starts with "." (so never ".."). */
const KEY_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}(?:\/[A-Za-z0-9][A-Za-z0-9._-]{0,127}){0,3}$/;

export function isValidKey(key: string): boolean {
  return KEY_PATTERN.test(key);
}

export const isRemotePath = (storagePath: string) => /^https?:\/\//i.test(storagePath);

/**
 * The absolute file of a local key inside `root`, or null for anything that could leave it
 * ("..", absolute paths, backslashes, empty or odd segments). Two checks: the key pattern and the
 * resolved path staying under the root.
 */
export function resolveLocalPath(root: string, key: string): string | null {
  if (!isValidKey(key)) return null;
  const base = path.resolve(root);
  const full = path.resolve(base, ...key.split("/"));
  return full.startsWith(base + path.sep) ? full : null;
}

const CONTENT_TYPES: Record<string, string> = {
  jpg: "image/jpeg",
  jpeg: "image/jpeg",
  png: "image/png",
  webp: "image/webp",
  gif: "image/gif",
};

/** The Content-Type served for a key, by its extension (only image types are ever stored). */
export function contentTypeOfKey(key: string): string | null {
  const ext = /\.([a-z0-9]+)$/i.exec(key)?.[1]?.toLowerCase();
  return ext ? (CONTENT_TYPES[ext] ?? null) : null;
}

// ───────────────────────────── local disk ─────────────────────────────

/** The absolute MEDIA_DIR (a runtime directory: the build must not trace it into the server bundle). */
export function mediaRoot(): string {
  return path.resolve(/*turbopackIgnore: true*/ process.cwd(), env().MEDIA_DIR);
}

export class LocalDiskStorage implements MediaStorage {
  readonly kind = "local" as const;
  constructor(readonly root: string) {}

  private fileOf(key: string): string {
    const file = resolveLocalPath(this.root, key);
    if (!file) throw new StorageError(`Invalid media key "${key}"`);
    return file;
  }

  /** The type is not stored: /media/… serves it by the key's extension. */
  async put(key: string, bytes: Buffer, _contentType?: string): Promise<string> {
    const file = this.fileOf(key);
    await fs.promises.mkdir(path.dirname(file), { recursive: true });
    // Written next to the target and renamed: a reader never sees half a file.
    const temp = `${file}.${randomBytes(6).toString("hex")}.tmp`;
    try {
      await fs.promises.writeFile(temp, bytes);
      await fs.promises.rename(temp, file);
    } catch (error) {
      await fs.promises.rm(temp, { force: true }).catch(() => {});
      throw new StorageError(`Could not write ${key}`, { cause: error });
    }
    return key;
  }

  async get(storagePath: string): Promise<Buffer | null> {
    if (isRemotePath(storagePath)) return fetchRemote(storagePath);
    const file = resolveLocalPath(this.root, storagePath);
    if (!file) return null;
    try {
      return await fs.promises.readFile(/*turbopackIgnore: true*/ file);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
      throw error;
    }
  }

  async delete(storagePaths: readonly string[]): Promise<void> {
    const dirs = new Set<string>();
    for (const storagePath of storagePaths) {
      if (isRemotePath(storagePath)) continue; // not ours: an UploadThing file (see the UploadThing storage)
      const file = resolveLocalPath(this.root, storagePath);
      if (!file) continue;
      await fs.promises.rm(file, { force: true });
      dirs.add(path.dirname(file));
    }
    // Empty per-media folders are removed too (rmdir fails on a non-empty folder: fine).
    for (const dir of dirs) if (dir !== path.resolve(this.root)) await fs.promises.rmdir(dir).catch(() => {});
  }

  url(storagePath: string): string {
    return mediaUrl(storagePath);
  }
}

async function fetchRemote(url: string, fetchImpl: typeof fetch = fetch): Promise<Buffer | null> {
  const response = await fetchImpl(url);
  if (response.status === 404) return null;
  if (!response.ok) throw new StorageError(`GET ${url} answered ${response.status}`);
  return Buffer.from(await response.arrayBuffer());
}

// ───────────────────────────── UploadThing ─────────────────────────────

/** The parts of UTApi this adapter uses (tests pass a recording fake or a UTApi with a fake fetch). */
export type UploadThingApi = Pick<UTApi, "uploadFiles" | "deleteFiles">;

/** The app id inside an UploadThing token (base64 of {"apiKey","appId","regions"}), or null if malformed. */
export function parseUploadThingToken(token: string): { appId: string; apiKey: string; regions: string[] } | null {
  try {
    const parsed = JSON.parse(Buffer.from(token, "base64").toString("utf8")) as { appId?: unknown; apiKey?: unknown; regions?: unknown };
    if (typeof parsed.appId !== "string" || typeof parsed.apiKey !== "string" || !parsed.appId || !parsed.apiKey) return null;
    const regions = Array.isArray(parsed.regions) ? parsed.regions.filter((r): r is string => typeof r === "string") : [];
    return { appId: parsed.appId, apiKey: parsed.apiKey, regions };
  } catch {
    return null;
  }
}

/** The UploadThing file key of a stored URL (https://<app>.ufs.sh/f/<key>, or the legacy utfs.io/f/<key>). */
export function uploadThingKeyOf(storagePath: string): string | null {
  if (!isRemotePath(storagePath)) return null;
  try {
    const { pathname } = new URL(storagePath);
    const match = /\/f\/([^/]+)$/.exec(pathname);
    return match ? decodeURIComponent(match[1]!) : null;
  } catch {
    return null;
  }
}

export class UploadThingStorage implements MediaStorage {
  readonly kind = "uploadthing" as const;
  constructor(
    private readonly api: UploadThingApi,
    private readonly fetchImpl: typeof fetch = fetch,
    /** Deletes local files left from before UploadThing was configured. */
    private readonly local?: LocalDiskStorage,
  ) {}

  async put(key: string, bytes: Buffer, contentType: string): Promise<string> {
    if (!isValidKey(key)) throw new StorageError(`Invalid media key "${key}"`);
    // The key's "/" becomes "-": UploadThing names are flat. customId = the key, so a file can be
    // found by what it is (the media id and variant) in the UploadThing dashboard.
    const file = new UTFile([new Uint8Array(bytes)], key.replaceAll("/", "-"), { type: contentType, customId: `aq-${key.replaceAll("/", "-")}` });
    let result: UploadFileResult;
    try {
      result = await this.api.uploadFiles(file, { acl: "public-read", contentDisposition: "inline" });
    } catch (error) {
      throw new StorageError(`UploadThing upload of ${key} failed`, { cause: error });
    }
    if (result.error || !result.data) {
      throw new StorageError(`UploadThing upload of ${key} failed: ${result.error?.message ?? "no data"}`);
    }
    return result.data.ufsUrl;
  }

  async get(storagePath: string): Promise<Buffer | null> {
    if (!isRemotePath(storagePath)) return this.local ? this.local.get(storagePath) : null;
    return fetchRemote(storagePath, this.fetchImpl);
  }

  async delete(storagePaths: readonly string[]): Promise<void> {
    const keys = storagePaths.map(uploadThingKeyOf).filter((k): k is string => !!k);
    if (keys.length > 0) {
      try {
        await this.api.deleteFiles(keys);
      } catch (error) {
        throw new StorageError(`UploadThing delete of ${keys.length} file(s) failed`, { cause: error });
      }
    }
    const localPaths = storagePaths.filter((p) => !isRemotePath(p));
    if (localPaths.length > 0 && this.local) await this.local.delete(localPaths);
  }

  url(storagePath: string): string {
    return mediaUrl(storagePath);
  }
}

// ───────────────────────────── selection ─────────────────────────────

export type StorageConfig = { MEDIA_DIR: string; UPLOADTHING_TOKEN?: string | undefined };

/**
 * The storage for a configuration: UploadThing when UPLOADTHING_TOKEN is set (a malformed token is an
 * error, not a silent fallback to disk), else local disk under MEDIA_DIR.
 */
export function createStorage(
  config: StorageConfig,
  deps: { cwd?: string; createApi?: (token: string) => UploadThingApi; fetch?: typeof fetch } = {},
): MediaStorage {
  const local = new LocalDiskStorage(path.resolve(deps.cwd ?? process.cwd(), config.MEDIA_DIR));
  const token = config.UPLOADTHING_TOKEN?.trim();
  if (!token) return local;
  if (!parseUploadThingToken(token)) throw new StorageError("UPLOADTHING_TOKEN is not a valid UploadThing token (base64 JSON with apiKey and appId)");
  const api = deps.createApi ? deps.createApi(token) : new UTApi({ token, logLevel: "Error", ...(deps.fetch ? { fetch: deps.fetch } : {}) });
  return new UploadThingStorage(api, deps.fetch ?? fetch, local);
}

let current: MediaStorage | undefined;
let localCurrent: LocalDiskStorage | undefined;

/** Local disk under MEDIA_DIR: what /media/… serves (also after switching to UploadThing). */
export function localMediaStorage(): LocalDiskStorage {
  if (current instanceof LocalDiskStorage) return current;
  localCurrent ??= new LocalDiskStorage(mediaRoot());
  return localCurrent;
}

/** The app's storage (from the environment, once per process). */
export function mediaStorage(): MediaStorage {
  current ??= createStorage(env());
  return current;
}

/** Tests swap the storage (e.g. a temporary folder). */
export function setMediaStorageForTests(storage: MediaStorage | undefined): void {
  current = storage;
}
