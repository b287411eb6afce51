// Wake-up signal: enqueue() callers kick() after their commit so a runner (or outbox relay) polls right
// away instead of waiting for its next interval. Local listeners are this process's runner; the remote
// sender (installed in web processes, which run no runner: lib/jobs/remote-wake.ts) tells the worker.
const listeners = new Set<() => void>();
let remote: (() => void) | null = null;

/** Wakes the runner/relay of this process and, from a web process, the worker's. Call after the commit. */
export function kick(): void {
  for (const listener of listeners) listener();
  remote?.();
}

/** Wakes this process's runner only: a kick received from another process is not sent on. */
export function kickLocal(): void {
  for (const listener of listeners) listener();
}

/** Used by the runner: returns the unsubscribe function. */
export function onKick(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Installs (or, with null, removes) the sender that passes kicks on to other processes. */
export function setRemoteKick(sender: (() => void) | null): void {
  remote = sender;
}
