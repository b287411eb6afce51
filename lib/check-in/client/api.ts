// The scanner's calls to /api/check-in/<eventId>/… (contract: lib/validation/check-in.ts). Every call
// has a timeout, and a failure is classified: "network" (no answer, timeout, 5xx, 429 — the scanner
// goes offline and decides locally) or "http" (the server refused the request: 401/403/404/400 —
// access lost, wrong event, a bug; shown to the moderator).
import type {
  AttendeeRow,
  CheckInCounters,
  CompactManifest,
  ScanRequest,
  ScanResponse,
  SyncRequest,
  SyncResponse,
} from "@/lib/validation/check-in";
import { MANIFEST_FORMAT } from "@/lib/validation/check-in";
import { deviceId } from "./idb";

export class CheckInApiError extends Error {
  constructor(
    /** "network": unreachable, timed out, overloaded; "http": a definite refusal. */
    readonly kind: "network" | "http",
    readonly status: number,
    /** The server's error code (UNAUTHENTICATED, FORBIDDEN, NOT_FOUND, VALIDATION, …) when it sent one. */
    readonly code: string | null,
    message: string,
  ) {
    super(message);
    this.name = "CheckInApiError";
  }
}

export const isNetworkFailure = (e: unknown): boolean => e instanceof CheckInApiError && e.kind === "network";

const TIMEOUT_MS = 8000;

type CallOptions = RequestInit & {
  timeoutMs?: number;
  /** A 304 answer (to the caller's own If-None-Match) resolves to null. */
  notModified?: true;
  /** Sees the response (its headers) before the body is read. */
  onResponse?: (response: Response) => void;
};

async function call<T>(url: string, options: CallOptions & { notModified: true }): Promise<T | null>;
async function call<T>(url: string, options?: CallOptions): Promise<T>;
async function call<T>(url: string, options: CallOptions = {}): Promise<T | null> {
  const { timeoutMs, notModified, onResponse, ...init } = options;
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs ?? TIMEOUT_MS);
  let response: Response;
  try {
    response = await fetch(url, {
      ...init,
      cache: "no-store",
      credentials: "same-origin",
      signal: controller.signal,
      // X-Device-Id: the server rate-limits per (caller, device), not per shared venue address.
      headers: {
        accept: "application/json",
        "x-device-id": deviceId(),
        ...(init.body ? { "content-type": "application/json" } : {}),
        ...init.headers,
      },
    });
  } catch (error) {
    throw new CheckInApiError("network", 0, null, error instanceof Error ? error.message : String(error));
  } finally {
    clearTimeout(timer);
  }
  onResponse?.(response);
  if (response.status === 304 && notModified) return null;
  let body: unknown = null;
  try {
    body = await response.json();
  } catch {
    body = null;
  }
  if (response.ok && body !== null) return body as T;
  const code = (body as { code?: unknown } | null)?.code;
  const message = (body as { message?: unknown } | null)?.message;
  const transient = response.status >= 500 || response.status === 429 || response.status === 408 || (response.ok && body === null);
  throw new CheckInApiError(
    transient ? "network" : "http",
    response.status,
    typeof code === "string" ? code : null,
    typeof message === "string" ? message : `HTTP ${response.status}`,
  );
}

const base = (eventId: string) => `/api/check-in/${encodeURIComponent(eventId)}`;

/** A list download: the answer with its ETag, or "not modified" (the list the phone has is current). */
export type ManifestDownload = { notModified: true } | { notModified: false; answer: CompactManifest; etag: string | null };

/**
 * The list in format 2: the whole list, or with `from.cursor` only what changed since (and, with
 * `from.etag`, "not modified" when nothing did). The browser decompresses (br/gzip) by itself.
 */
export async function fetchManifest(eventId: string, from?: { cursor: string | null; etag: string | null }): Promise<ManifestDownload> {
  const params = new URLSearchParams({ format: String(MANIFEST_FORMAT) });
  if (from?.cursor) params.set("since", from.cursor);
  const headers: Record<string, string> = from?.cursor && from.etag ? { "if-none-match": from.etag } : {};
  let etag: string | null = null;
  // The list can be long: a longer timeout than single scans.
  const answer = await call<CompactManifest>(`${base(eventId)}/manifest?${params}`, {
    timeoutMs: 30_000,
    headers,
    notModified: true,
    onResponse: (response: Response) => {
      etag = response.headers.get("etag");
    },
  });
  return answer === null ? { notModified: true } : { notModified: false, answer, etag };
}

export function postScan(eventId: string, scan: ScanRequest): Promise<ScanResponse> {
  return call<ScanResponse>(`${base(eventId)}/scan`, { method: "POST", body: JSON.stringify(scan) });
}

export function postSync(eventId: string, request: SyncRequest): Promise<SyncResponse> {
  return call<SyncResponse>(`${base(eventId)}/sync`, { method: "POST", body: JSON.stringify(request), timeoutMs: 30_000 });
}

export function fetchCounters(eventId: string): Promise<CheckInCounters> {
  return call<CheckInCounters>(`${base(eventId)}/counters`, { timeoutMs: 5000 });
}

export async function searchAttendees(eventId: string, q: string): Promise<AttendeeRow[]> {
  const result = await call<{ results: AttendeeRow[] }>(`${base(eventId)}/search?q=${encodeURIComponent(q)}`, { timeoutMs: 5000 });
  return result.results;
}
