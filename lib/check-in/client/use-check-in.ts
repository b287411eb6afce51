"use client";
// The scanner's brain (browser only): the attendee list (server → IndexedDB → memory), online/offline
// mode, scans (server first; on a network failure the same scan is decided locally and queued with
// the same nonce), the sync of the offline queue, conflicts, live counters (TanStack Query, every 3 s)
// and search. Pure rules live in ./state.ts and ../offline-verify.ts.
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import {
  decideForAttendee,
  decideQrLocally,
  importTicketPublicKey,
  parseTicketPayload,
  verifyTicketOffline,
  type LocalDecision,
} from "@/lib/check-in/offline-verify";
import type { AttendeeRow, CheckInCounters, CheckInManifest, CheckInMethodName, ScanRefusal, ScanResponse } from "@/lib/validation/check-in";
import { CheckInApiError, fetchCounters, fetchManifest, isNetworkFailure, postScan, postSync, searchAttendees } from "./api";
import { mergeManifest, type StoredManifest } from "../manifest-format";
import * as store from "./idb";
import {
  applyScanResponse,
  applySyncResponse,
  countersFromList,
  countersWithQueue,
  indexAttendees,
  makeNonce,
  mergeConflicts,
  overlayQueue,
  searchLocal,
  withCheckIn,
  type AttendeeIndex,
  type ConflictEntry,
  type QueuedScan,
} from "./state";

export type Mode = "online" | "offline";

/** Reasons only the phone gives (no list / no crypto to decide offline; a server or access error). */
export type LocalReason = "no_list" | "no_crypto" | "error" | "access_lost";

export type ScanOutcome = {
  id: string;
  method: CheckInMethodName;
  /** Decided by this phone without the server (queued when valid). */
  offline: boolean;
  /** For the "not in the saved list" hint. */
  listUpdatedAt?: string;
} & (
  | { result: "valid"; attendee: AttendeeRow; checkedInAt: string }
  | { result: "already_checked_in"; attendee: AttendeeRow; checkedInAt: string; checkedInByName: string | null }
  | { result: "refused"; reason: ScanRefusal | LocalReason; attendee?: AttendeeRow; message?: string }
);

export type ListState =
  | { status: "loading" }
  | { status: "ready"; count: number; updatedAt: string; fromCache: boolean }
  | { status: "missing"; offline: boolean };

const SYNC_BATCH = 500;
const MANIFEST_REFRESH_MS = 60_000;
const OFFLINE_PROBE_MS = 5_000;
const COUNTERS_POLL_MS = 3_000;

function browserOnline(): boolean {
  return typeof navigator === "undefined" || navigator.onLine !== false;
}

export function useCheckIn(eventId: string, viewerName: string) {
  const queryClient = useQueryClient();
  const [mode, setModeState] = useState<Mode>("online");
  const [list, setList] = useState<ListState>({ status: "loading" });
  const [index, setIndex] = useState<AttendeeIndex>(() => new Map());
  const [queue, setQueue] = useState<QueuedScan[]>([]);
  const [conflicts, setConflicts] = useState<ConflictEntry[]>([]);
  const [syncing, setSyncing] = useState(false);
  const [accessLost, setAccessLost] = useState(false);
  const [cryptoOk, setCryptoOk] = useState(true);
  const [meta, setMeta] = useState<Pick<CheckInManifest, "event" | "viewer"> | null>(null);

  // Refs mirror the state for the async flows (no stale closures between awaits).
  const modeRef = useRef<Mode>("online");
  const manifestRef = useRef<StoredManifest | null>(null);
  const indexRef = useRef<AttendeeIndex>(new Map());
  const queueRef = useRef<QueuedScan[]>([]);
  const keyRef = useRef<Promise<CryptoKey | null> | null>(null);
  const syncRef = useRef<Promise<boolean> | null>(null);
  const deviceRef = useRef<string>("");
  const persistTimer = useRef<ReturnType<typeof setTimeout> | null>(null);

  const setMode = useCallback((next: Mode) => {
    modeRef.current = next;
    setModeState(next);
  }, []);

  const setIndexBoth = useCallback((next: AttendeeIndex) => {
    indexRef.current = next;
    setIndex(next);
  }, []);

  const setQueueBoth = useCallback((next: QueuedScan[]) => {
    queueRef.current = next;
    setQueue(next);
  }, []);

  /** Writes the list (with this phone's marks) back to IndexedDB, at most every 300 ms. */
  const persistList = useCallback(() => {
    if (persistTimer.current) clearTimeout(persistTimer.current);
    persistTimer.current = setTimeout(() => {
      const manifest = manifestRef.current;
      if (!manifest) return;
      const attendees = manifest.attendees.map((a) => indexRef.current.get(a.registrationId) ?? a);
      // Rows the server added later (seen in a scan answer) are kept too.
      const known = new Set(manifest.attendees.map((a) => a.registrationId));
      for (const [id, row] of indexRef.current) if (!known.has(id)) attendees.push(row);
      manifestRef.current = { ...manifest, attendees };
      void store.saveManifest(manifestRef.current).catch(() => {});
    }, 300);
  }, []);

  const adoptManifest = useCallback(
    (manifest: StoredManifest, fromCache: boolean) => {
      const rows = overlayQueue(manifest.attendees, queueRef.current, viewerName);
      manifestRef.current = { ...manifest, attendees: rows };
      setMeta({ event: manifest.event, viewer: manifest.viewer });
      setIndexBoth(indexAttendees(rows));
      setList({ status: "ready", count: rows.length, updatedAt: manifest.generatedAt, fromCache });
      keyRef.current = importTicketPublicKey(manifest.publicKeySpki).catch(() => {
        setCryptoOk(false);
        return null;
      });
      if (!queryClient.getQueryData(["check-in", eventId, "counters"])) {
        queryClient.setQueryData(
          ["check-in", eventId, "counters"],
          fromCache ? countersFromList(manifest, rows, new Set(queueRef.current.map((q) => q.registrationId))) : manifest.counters,
        );
      }
    },
    [eventId, queryClient, setIndexBoth, viewerName],
  );

  const onApiError = useCallback(
    (error: unknown): boolean => {
      if (isNetworkFailure(error)) {
        setMode("offline");
        return true;
      }
      if (error instanceof CheckInApiError && (error.status === 401 || error.status === 403)) setAccessLost(true);
      return false;
    },
    [setMode],
  );

  /**
   * Downloads the list: what changed since the last download (merged into the list this phone has),
   * or the whole list when there is none yet; false when the network failed (the cached list stays).
   */
  const refreshManifest = useCallback(async (): Promise<boolean> => {
    try {
      const current = manifestRef.current;
      const download = await fetchManifest(eventId, current ?? undefined);
      let manifest: StoredManifest;
      if (download.notModified) {
        if (!current) throw new Error("the server answered 304 to a request without a list");
        // Nothing changed since the last download: the list is current as of now.
        manifest = { ...current, attendees: current.attendees.map((a) => indexRef.current.get(a.registrationId) ?? a), generatedAt: new Date().toISOString() };
      } else {
        // Merged into the list as the server last sent it plus this phone's marks (overlayQueue re-applies the queue).
        manifest = mergeManifest(download.answer.full ? undefined : (current ?? undefined), download.answer, download.etag);
      }
      await store.saveManifest(manifest).catch(() => {});
      adoptManifest(manifest, false);
      setAccessLost(false);
      if (modeRef.current === "offline") setMode("online");
      return true;
    } catch (error) {
      onApiError(error);
      if (!manifestRef.current) setList({ status: "missing", offline: isNetworkFailure(error) || !browserOnline() });
      return false;
    }
  }, [eventId, onApiError, setMode, adoptManifest]);

  /** Sends the offline queue (in batches); true when it is empty afterwards. One sync at a time. */
  const syncQueue = useCallback((): Promise<boolean> => {
    if (syncRef.current) return syncRef.current;
    if (queueRef.current.length === 0) return Promise.resolve(true);
    const run = (async () => {
      setSyncing(true);
      try {
        while (queueRef.current.length > 0) {
          const batch = queueRef.current.slice(0, SYNC_BATCH);
          const response = await postSync(eventId, {
            scans: batch.map((q) => ({
              nonce: q.nonce,
              method: q.method,
              ...(q.payload ? { payload: q.payload } : {}),
              ...(q.method === "MANUAL" ? { registrationId: q.registrationId } : {}),
              deviceId: q.deviceId,
              scannedAt: q.scannedAt,
            })),
          });
          const outcome = applySyncResponse(indexRef.current, batch, response);
          if (outcome.done.length === 0) break; // the server answered none of them: try again later
          await store.dequeue(outcome.done);
          await store.saveConflicts(outcome.conflicts);
          const done = new Set(outcome.done);
          setQueueBoth(queueRef.current.filter((q) => !done.has(q.nonce)));
          setIndexBoth(outcome.index);
          setConflicts((prev) => mergeConflicts(prev, outcome.conflicts));
          persistList();
        }
        if (modeRef.current === "offline") setMode("online");
        void queryClient.invalidateQueries({ queryKey: ["check-in", eventId, "counters"] });
        return queueRef.current.length === 0;
      } catch (error) {
        onApiError(error);
        return false;
      } finally {
        setSyncing(false);
        syncRef.current = null;
      }
    })();
    syncRef.current = run;
    return run;
  }, [eventId, onApiError, persistList, queryClient, setIndexBoth, setMode, setQueueBoth]);

  // Opening: the saved list, queue and conflicts first (works offline), then the server's list.
  useEffect(() => {
    let cancelled = false;
    deviceRef.current = store.deviceId();
    (async () => {
      const [cached, savedQueue, savedConflicts] = await Promise.all([
        store.loadManifest(eventId).catch(() => undefined),
        store.loadQueue(eventId).catch(() => [] as QueuedScan[]),
        store.loadConflicts(eventId).catch(() => [] as ConflictEntry[]),
      ]);
      if (cancelled) return;
      setQueueBoth(savedQueue);
      setConflicts(mergeConflicts([], savedConflicts));
      if (cached) adoptManifest(cached, true);
      if (!browserOnline()) {
        setMode("offline");
        if (!cached) setList({ status: "missing", offline: true });
        return;
      }
      const ok = await refreshManifest();
      if (!cancelled && ok) void syncQueue();
    })();
    return () => {
      cancelled = true;
    };
  }, [eventId, refreshManifest, setMode, setQueueBoth, syncQueue, adoptManifest]);

  // The browser's own online/offline signals, a probe while offline, and a periodic list refresh.
  useEffect(() => {
    const goOffline = () => setMode("offline");
    const goOnline = () => {
      void (async () => {
        if ((await syncQueue()) && browserOnline()) await refreshManifest();
      })();
    };
    window.addEventListener("offline", goOffline);
    window.addEventListener("online", goOnline);
    const probe = setInterval(() => {
      if (modeRef.current === "offline" && browserOnline()) goOnline();
    }, OFFLINE_PROBE_MS);
    const refresh = setInterval(() => {
      if (modeRef.current === "online" && document.visibilityState === "visible") void refreshManifest();
    }, MANIFEST_REFRESH_MS);
    return () => {
      window.removeEventListener("offline", goOffline);
      window.removeEventListener("online", goOnline);
      clearInterval(probe);
      clearInterval(refresh);
    };
  }, [refreshManifest, setMode, syncQueue]);

  useEffect(
    () => () => {
      if (persistTimer.current) clearTimeout(persistTimer.current);
    },
    [],
  );

  // Live counters: every device polls; a failure flips to offline, a success back to online.
  const countersQuery = useQuery({
    queryKey: ["check-in", eventId, "counters"],
    queryFn: async () => {
      try {
        const counters = await fetchCounters(eventId);
        if (modeRef.current === "offline") {
          setMode("online");
          void syncQueue();
        }
        return counters;
      } catch (error) {
        onApiError(error);
        throw error;
      }
    },
    refetchInterval: COUNTERS_POLL_MS,
    refetchIntervalInBackground: false,
    networkMode: "always",
    retry: false,
    staleTime: 0,
  });

  const counters: CheckInCounters | null = useMemo(() => {
    const base = countersQuery.data ?? null;
    return base ? countersWithQueue(base, queue, index) : null;
  }, [countersQuery.data, index, queue]);

  const localOutcome = useCallback(
    async (nonce: string, method: CheckInMethodName, scannedAt: string, decide: () => Promise<LocalDecision | ScanOutcome>, payload?: string): Promise<ScanOutcome> => {
      const manifest = manifestRef.current;
      const listUpdatedAt = manifest?.generatedAt;
      const decision = await decide();
      if ("id" in decision) return decision;
      if (decision.result !== "valid") {
        return decision.result === "refused"
          ? { id: nonce, method, offline: true, listUpdatedAt, result: "refused", reason: decision.reason, attendee: decision.attendee }
          : { id: nonce, method, offline: true, listUpdatedAt, ...decision };
      }
      const row = withCheckIn(decision.attendee, scannedAt, viewerName);
      const queued: QueuedScan = {
        nonce,
        eventId,
        method,
        ...(payload ? { payload } : {}),
        registrationId: decision.attendee.registrationId,
        deviceId: deviceRef.current,
        scannedAt,
      };
      await store.enqueue(queued).catch(() => {});
      setQueueBoth([...queueRef.current, queued]);
      const next = new Map(indexRef.current);
      next.set(row.registrationId, row);
      setIndexBoth(next);
      persistList();
      return { id: nonce, method, offline: true, listUpdatedAt, result: "valid", attendee: row, checkedInAt: scannedAt };
    },
    [eventId, persistList, setIndexBoth, setQueueBoth, viewerName],
  );

  const fromServer = useCallback(
    (response: ScanResponse, method: CheckInMethodName): ScanOutcome => {
      setIndexBoth(applyScanResponse(indexRef.current, response));
      persistList();
      void queryClient.invalidateQueries({ queryKey: ["check-in", eventId, "counters"] });
      return { ...response, id: response.nonce, method, offline: false };
    },
    [eventId, persistList, queryClient, setIndexBoth],
  );

  /** One scan: the server decides when reachable; otherwise this phone does (same nonce). */
  const submit = useCallback(
    async (
      method: CheckInMethodName,
      target: { payload: string } | { registrationId: string },
      decideLocally: () => Promise<LocalDecision | ScanOutcome>,
    ): Promise<ScanOutcome> => {
      const nonce = makeNonce();
      const scannedAt = new Date().toISOString();
      const payload = "payload" in target ? target.payload : undefined;
      if (modeRef.current === "online" && browserOnline()) {
        // Offline scans first: the server must see them before anything scanned after them.
        if (queueRef.current.length > 0) await syncQueue();
        if (modeRef.current === "online") {
          try {
            const response = await postScan(eventId, {
              nonce,
              method,
              ...target,
              deviceId: deviceRef.current,
              scannedAt,
            });
            return fromServer(response, method);
          } catch (error) {
            if (!onApiError(error)) {
              const accessEnded = error instanceof CheckInApiError && (error.status === 401 || error.status === 403);
              return {
                id: nonce,
                method,
                offline: false,
                result: "refused",
                reason: accessEnded ? "access_lost" : "error",
                message: error instanceof Error ? error.message : String(error),
              };
            }
          }
        }
      } else if (modeRef.current === "online") {
        setMode("offline");
      }
      return localOutcome(nonce, method, scannedAt, decideLocally, payload);
    },
    [eventId, fromServer, localOutcome, onApiError, setMode, syncQueue],
  );

  const scanQr = useCallback(
    (text: string): Promise<ScanOutcome> =>
      submit("QR_SCAN", { payload: text.trim() }, async () => {
        const manifest = manifestRef.current;
        const nonce = makeNonce();
        if (!parseTicketPayload(text)) return { result: "refused", reason: "malformed" };
        if (!manifest) return { id: nonce, method: "QR_SCAN", offline: true, result: "refused", reason: "no_list" };
        const key = await keyRef.current;
        if (!key) return { id: nonce, method: "QR_SCAN", offline: true, result: "refused", reason: "no_crypto" };
        const verification = await verifyTicketOffline(text, key);
        return decideQrLocally(verification, manifest, (id) => indexRef.current.get(id));
      }),
    [submit],
  );

  const checkInManual = useCallback(
    (registrationId: string): Promise<ScanOutcome> =>
      submit("MANUAL", { registrationId }, async () => {
        const manifest = manifestRef.current;
        if (!manifest) return { id: makeNonce(), method: "MANUAL", offline: true, result: "refused", reason: "no_list" };
        return decideForAttendee(indexRef.current.get(registrationId), manifest.event.status);
      }),
    [submit],
  );

  /** Manual search: the server when online, the saved list otherwise. */
  const search = useCallback(
    async (q: string): Promise<{ rows: AttendeeRow[]; offline: boolean }> => {
      if (modeRef.current === "online" && browserOnline()) {
        try {
          const rows = await searchAttendees(eventId, q);
          // The server's rows are fresher, but this phone's queued marks still apply.
          return { rows: overlayQueue(rows, queueRef.current, viewerName), offline: false };
        } catch (error) {
          if (!onApiError(error)) throw error;
        }
      }
      return { rows: searchLocal([...indexRef.current.values()], q), offline: true };
    },
    [eventId, onApiError, viewerName],
  );

  const clearConflicts = useCallback(async () => {
    await store.clearConflicts(eventId).catch(() => {});
    setConflicts([]);
  }, [eventId]);

  return {
    mode,
    list,
    event: meta?.event ?? null,
    viewerKind: meta?.viewer.kind ?? null,
    queueCount: queue.length,
    syncing,
    conflicts,
    clearConflicts,
    counters,
    countersPending: queue.length,
    accessLost,
    cryptoOk,
    scanQr,
    checkInManual,
    search,
    retryList: refreshManifest,
  };
}
