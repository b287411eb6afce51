// Process-local wake-up signal: enqueue() callers kick() after their commit so the local runner
// (or outbox relay) polls right away instead of waiting for its next interval.
const listeners = new Set<() => void>();

/** Wakes the runner/relay of this process (no-op when none is running). Call after the commit. */
export function kick(): void {
  for (const listener of listeners) listener();
}

/** Used by the runner: returns the unsubscribe function. */
export function onKick(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}
