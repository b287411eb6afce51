// The scanner's calls to /api/check-in/<eventId>/… (contract: lib/validation/check-in.ts). Every call
// has a timeout, and a failure is classified: "network" (no answer, timeout, 5xx, 429 — the scanner
// goes offline and decides locally) or "http" (the server refused the request: 401/403/404/400 —
// access lost, wrong event, a bug; shown to the moderator).
import type {
  AttendeeRow,
  CheckInCounters,
  CheckInManifest,
  ScanRequest,
  ScanResponse,
  SyncRequest,
  SyncResponse,
} from "@/lib/validation/check-in";
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

async function call<T>(url: string, init: RequestInit & { timeoutMs?: number } = {}): Promise<T> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), init.timeoutMs ?? TIMEOUT_MS);
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

export function fetchManifest(eventId: string): Promise<CheckInManifest> {
  // The list can be long: a longer timeout than single scans.
  return call<CheckInManifest>(`${base(eventId)}/manifest`, { timeoutMs: 30_000 });
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
