/**
 * What the two payment-provider fakes (yookassa-api.ts, stripe-api.ts) share: the HTTP server with
 * request recording and failure injection, the idempotency store, the per-payment scenario book and
 * the webhook dispatcher (copies, reordering, delays, loss, retries, delivery log).
 * The provider-specific parts (shapes, status codes, error bodies, signatures) live in each fake.
 */
import http from "node:http";
import https from "node:https";
import type { AddressInfo, Socket } from "node:net";
import { randomBytes } from "node:crypto";

// ───────────────────────────── requests, replies, failures ─────────────────────────────

/** What an API handler answers; `save` says whether an idempotency key keeps it (see IdempotencyStore). */
export interface ApiReply {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
  /** Keep this reply for the idempotency key. Each fake decides the default (see its docs). */
  save?: boolean;
}

/** One API request the fake received (control and checkout-page requests are not recorded). */
export interface RecordedRequest {
  seq: number;
  time: string;
  method: string;
  /** Path without the query string. */
  path: string;
  query: Record<string, string>;
  /** Lower-cased header names, e.g. headers["idempotence-key"], headers["idempotency-key"]. */
  headers: Record<string, string>;
  /** The raw body as received. */
  body: string;
  /** Status answered; 0 when the fake did not answer (injected timeout or connection reset). */
  status: number;
  response: unknown;
  /** Answered from the idempotency store. */
  replayed: boolean;
  /** The injected failure that answered this request, if any. */
  injected?: FailureKind;
  /** Shop id / account id the credentials belonged to (undefined when authentication failed). */
  tenant?: string;
  /** Stripe: the Request-Id answered. */
  requestId?: string;
}

export type FailureKind = "error" | "timeout" | "reset";

/**
 * An injected failure for the next matching API request(s): exercises "unknown outcome → repeat the
 * same request with the same key".
 */
export interface FailureSpec {
  /** "error": answer `status` with the provider's error body; "timeout": never answer (the socket is
   *  dropped after `holdMs`); "reset": destroy the connection at once. Default "error". */
  kind?: FailureKind;
  /** For kind "error". Default 500. */
  status?: number;
  /** true: the operation is carried out (and kept for its idempotency key) before the client sees the
   *  failure, so the outcome is unknown to the client but real. Default false: nothing happens. */
  executed?: boolean;
  /** Stripe only (kind "error"): the failure itself is saved as the key's result and replayed to every
   *  retry with the same key (Stripe saves the first result "even 500s"); the operation is not carried
   *  out. The YooKassa fake treats it as a plain failure before execution. */
  saved?: boolean;
  /** Only requests with this method ("POST"). */
  method?: string;
  /** Only requests whose path starts with this ("/v3/refunds"). */
  path?: string;
  /** For kind "timeout": how long to hold the request before dropping the socket. Default 30 000. */
  holdMs?: number;
}

export class FailureQueue {
  private queue: FailureSpec[] = [];

  add(spec: FailureSpec, times = 1): void {
    for (let i = 0; i < times; i++) this.queue.push({ ...spec });
  }

  /** Removes and returns the first failure that matches this request. */
  take(method: string, path: string): FailureSpec | undefined {
    const index = this.queue.findIndex(
      (f) => (!f.method || f.method.toUpperCase() === method) && (!f.path || path.startsWith(f.path)),
    );
    if (index === -1) return undefined;
    return this.queue.splice(index, 1)[0];
  }

  get pending(): number {
    return this.queue.length;
  }

  clear(): void {
    this.queue = [];
  }
}

// ───────────────────────────── idempotency ─────────────────────────────

interface StoredReply {
  fingerprint: string;
  reply: ApiReply;
  requestId: string;
  at: number;
}

export interface IdempotentOutcome {
  reply: ApiReply;
  replayed: boolean;
  /** Request id of the request whose reply is replayed. */
  originalRequestId?: string;
}

/**
 * Keys are scoped per tenant (shop / account). A key's first kept reply is replayed to every later
 * request with the same key and the same fingerprint (method + path + canonical params) for `ttlMs`;
 * another fingerprint gets `conflict()`. While the first request with a key is still executing, a
 * second one gets `inFlight()` — or, when that is "wait", waits and gets the kept reply.
 */
export class IdempotencyStore {
  private done = new Map<string, StoredReply>();
  private running = new Map<string, { fingerprint: string; finished: Promise<void> }>();

  constructor(public ttlMs: number) {}

  async run(options: {
    tenant: string;
    key: string;
    fingerprint: string;
    requestId: string;
    execute: () => Promise<ApiReply>;
    conflict: () => ApiReply;
    inFlight: "wait" | (() => ApiReply);
    /** Default for replies that do not say `save`. */
    saveByDefault: (reply: ApiReply) => boolean;
  }): Promise<IdempotentOutcome> {
    const id = `${options.tenant}\n${options.key}`;
    for (;;) {
      const stored = this.done.get(id);
      if (stored && Date.now() - stored.at > this.ttlMs) this.done.delete(id);
      else if (stored) {
        if (stored.fingerprint !== options.fingerprint) return { reply: options.conflict(), replayed: false };
        return { reply: stored.reply, replayed: true, originalRequestId: stored.requestId };
      }
      const running = this.running.get(id);
      if (!running) break;
      if (running.fingerprint !== options.fingerprint) return { reply: options.conflict(), replayed: false };
      if (options.inFlight !== "wait") return { reply: options.inFlight(), replayed: false };
      await running.finished;
    }
    let finish = () => {};
    this.running.set(id, { fingerprint: options.fingerprint, finished: new Promise<void>((resolve) => (finish = resolve)) });
    try {
      const reply = await options.execute();
      if (reply.save ?? options.saveByDefault(reply)) {
        this.done.set(id, { fingerprint: options.fingerprint, reply, requestId: options.requestId, at: Date.now() });
      }
      return { reply, replayed: false };
    } finally {
      this.running.delete(id);
      finish();
    }
  }

  /** Forgets every kept key (as if their retention had passed). */
  expireAll(): void {
    this.done.clear();
  }

  clear(): void {
    this.done.clear();
  }
}

/** JSON with object keys sorted, so that key order does not make two equal requests differ. */
export function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (value && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}

// ───────────────────────────── scenarios ─────────────────────────────

/** How the notifications about a payment travel. Fields combine ("twice" and "reversed" and delayed). */
export interface WebhookScenario {
  /** Copies of each notification, sent at the same moment (2 = "delivered twice"). Default 1. */
  copies?: number;
  /** "reversed": the notifications about one payment are held until the payment (or the refund) reaches
   *  a final state, then sent newest first (e.g. succeeded before waiting_for_capture). Default "normal". */
  order?: "normal" | "reversed";
  /** Each notification leaves this many ms after its event. Default 0. */
  delayMs?: number;
  /** Lost: the event is recorded (state "dropped") but never sent; control.resend(id) sends it later. */
  drop?: boolean;
}

/** Shorthands accepted wherever a WebhookScenario is. */
export type WebhookPreset = "normal" | "twice" | "out-of-order" | "delayed" | "dropped";

export function webhookScenario(input: WebhookScenario | WebhookPreset | undefined): Required<WebhookScenario> {
  const base: Required<WebhookScenario> = { copies: 1, order: "normal", delayMs: 0, drop: false };
  if (input === undefined || input === "normal") return base;
  if (input === "twice") return { ...base, copies: 2 };
  if (input === "out-of-order") return { ...base, order: "reversed" };
  if (input === "delayed") return { ...base, delayMs: 500 };
  if (input === "dropped") return { ...base, drop: true };
  if (typeof input !== "object") throw new Error(`unknown webhook scenario ${JSON.stringify(input)}`);
  return {
    copies: Math.max(1, Math.floor(input.copies ?? 1)),
    order: input.order === "reversed" ? "reversed" : "normal",
    delayMs: Math.max(0, input.delayMs ?? 0),
    drop: input.drop === true,
  };
}

/** What a refund does after it is created (the refund's final status comes from the fake's vocabulary). */
export interface RefundScenario {
  /** Final status. YooKassa: "succeeded" | "canceled"; Stripe: "succeeded" | "failed" ("canceled" is
   *  accepted for both and mapped). */
  outcome?: "succeeded" | "failed" | "canceled";
  /** 0: the create call already answers the final status. > 0: it answers "pending" and the refund
   *  settles this many ms later. */
  afterMs?: number;
  /** Stays "pending" until control.settleRefund(id, status). */
  manual?: boolean;
}

/** Everything a test can switch per payment, per tenant or globally. */
export interface Scenario {
  webhook?: WebhookScenario | WebhookPreset;
  /** "Only by webhook": the checkout page sends the buyer back to the return URL at once and the payment
   *  changes state this many ms later (the return page sees it still pending). */
  returnBeforeStateMs?: number;
  refund?: RefundScenario;
}

/** Which payments a scenario rule applies to; all given fields must match; {} matches everything. */
export interface ScenarioMatch {
  /** A payment id (YooKassa) or a checkout session / payment intent id (Stripe). */
  id?: string;
  /** Shop id / account id. */
  tenant?: string;
  /** Every given key must be in the payment's metadata with this value. */
  metadata?: Record<string, string>;
}

/** The payment a notification or a checkout step is about. */
export interface Subject {
  ids: string[];
  tenant: string;
  metadata: Record<string, string>;
}

export class ScenarioBook {
  private rules: Array<{ match: ScenarioMatch; scenario: Scenario }> = [];

  add(match: ScenarioMatch, scenario: Scenario): void {
    webhookScenario(scenario.webhook); // reject unknown presets now, not at delivery time
    this.rules.push({ match, scenario });
  }

  /** All matching rules merged in the order they were added (later fields win). */
  resolve(subject: Subject): Scenario {
    const merged: Scenario = {};
    for (const { match, scenario } of this.rules) {
      if (match.id !== undefined && !subject.ids.includes(match.id)) continue;
      if (match.tenant !== undefined && match.tenant !== subject.tenant) continue;
      if (match.metadata && !Object.entries(match.metadata).every(([k, v]) => subject.metadata[k] === v)) continue;
      Object.assign(merged, Object.fromEntries(Object.entries(scenario).filter(([, v]) => v !== undefined)));
    }
    return merged;
  }

  clear(): void {
    this.rules = [];
  }
}

// ───────────────────────────── webhooks ─────────────────────────────

export interface OutgoingEvent {
  id: string;
  type: string;
  tenant: string;
  /** Events of one scope (a payment) are what "reversed" reorders. */
  scope: string;
  /** undefined: the tenant has no webhook URL; the event is recorded as "no-endpoint". */
  url: string | undefined;
  /** The exact body, identical on every attempt. */
  body: string;
  /** Headers of one attempt (called at send time: Stripe signs every attempt with a fresh timestamp). */
  headers: () => Record<string, string>;
}

export type EventState = "held" | "scheduled" | "delivered" | "failed" | "dropped" | "no-endpoint";

export interface EventRecord {
  id: string;
  type: string;
  tenant: string;
  scope: string;
  url: string | undefined;
  body: string;
  state: EventState;
  scenario: Required<WebhookScenario>;
  /** HTTP attempts made so far (all copies, retries included). */
  attempts: number;
}

export interface DeliveryRecord {
  seq: number;
  eventId: string;
  type: string;
  url: string;
  /** 1 for the first attempt of a copy, 2 for its first retry, … */
  attempt: number;
  /** Which copy (1-based) when the scenario sends several. */
  copy: number;
  /** Response status; 0 when the request failed (connection refused, timeout). */
  status: number;
  ok: boolean;
  responseBody: string;
  error?: string;
  headers: Record<string, string>;
  body: string;
  startedAt: string;
  durationMs: number;
}

export interface DispatcherOptions {
  /** Which response statuses count as delivered (YooKassa: only 200; Stripe: any 2xx). */
  accept: (status: number) => boolean;
  /** Delays before each retry of a failed attempt; its length is the number of retries. */
  retryDelaysMs: number[];
  /** An attempt without an answer within this time fails. */
  timeoutMs: number;
}

export class WebhookDispatcher {
  readonly events: EventRecord[] = [];
  readonly deliveries: DeliveryRecord[] = [];
  private outgoing = new Map<string, OutgoingEvent>();
  private held = new Map<string, string[]>();
  private chains = new Map<string, Promise<void>>();
  private timers = new Set<NodeJS.Timeout>();
  private inflight = new Set<http.ClientRequest>();
  private busy = 0;
  private idleWaiters: Array<() => void> = [];
  private changeWaiters = new Set<() => void>();
  private seq = 0;
  private stopped = false;
  /** Bumped by reset(): work started before it neither records nor retries afterwards. */
  private generation = 0;

  constructor(public options: DispatcherOptions) {}

  /** Records the event and sends it according to the scenario. */
  emit(event: OutgoingEvent, scenario: Required<WebhookScenario>): EventRecord {
    const record: EventRecord = {
      id: event.id,
      type: event.type,
      tenant: event.tenant,
      scope: event.scope,
      url: event.url,
      body: event.body,
      state: "scheduled",
      scenario,
      attempts: 0,
    };
    this.events.push(record);
    this.outgoing.set(event.id, event);
    if (!event.url) record.state = "no-endpoint";
    else if (scenario.drop) record.state = "dropped";
    else if (scenario.order === "reversed") {
      record.state = "held";
      const list = this.held.get(event.scope) ?? [];
      list.push(event.id);
      this.held.set(event.scope, list);
    } else this.schedule(record, scenario.copies, scenario.delayMs);
    this.changed();
    return record;
  }

  /** The scope reached a final state: its held events go out, newest first. */
  settle(scope: string): void {
    const ids = this.held.get(scope);
    if (!ids) return;
    this.held.delete(scope);
    for (const id of ids.reverse()) {
      const record = this.events.find((e) => e.id === id);
      if (record && record.state === "held") this.schedule(record, record.scenario.copies, record.scenario.delayMs);
    }
  }

  /** Releases every held event (newest first within each scope). */
  flush(): void {
    for (const scope of [...this.held.keys()]) this.settle(scope);
  }

  /** Sends an event (again) now, one copy: a lost event arriving late, or a provider resend. */
  resend(eventId: string): boolean {
    const record = this.events.find((e) => e.id === eventId);
    if (!record || !record.url) return false;
    this.schedule(record, 1, 0);
    return true;
  }

  /** Resolves when nothing is scheduled, waiting for a retry, or in flight (held events do not count). */
  idle(timeoutMs = 10_000): Promise<void> {
    if (this.busy === 0) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`webhooks still busy after ${timeoutMs} ms`)), timeoutMs);
      this.idleWaiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  /** Resolves with the deliveries once `predicate` holds for at least `count` of them. */
  async waitForDeliveries(
    predicate: (d: DeliveryRecord) => boolean = () => true,
    count = 1,
    timeoutMs = 5000,
  ): Promise<DeliveryRecord[]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.deliveries.filter(predicate);
      if (found.length >= count) return found;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`expected ${count} matching webhook deliveries, got ${found.length}`);
      await new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          this.changeWaiters.delete(done);
          resolve();
        };
        const timer = setTimeout(done, Math.min(left, 100));
        this.changeWaiters.add(done);
      });
    }
  }

  reset(): void {
    this.generation++;
    this.cancelAll();
    this.events.length = 0;
    this.deliveries.length = 0;
    this.outgoing.clear();
    this.held.clear();
    this.chains.clear();
  }

  stop(): void {
    this.stopped = true;
    this.cancelAll();
  }

  // ── internals ──

  private cancelAll(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    for (const request of this.inflight) request.destroy();
    this.inflight.clear();
    this.busy = 0;
    this.notifyIdle();
  }

  private changed(): void {
    for (const wake of [...this.changeWaiters]) wake();
  }

  private notifyIdle(): void {
    if (this.busy !== 0) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const wake of waiters) wake();
  }

  private later(ms: number, fn: () => void): void {
    if (this.stopped) return;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      fn();
    }, ms);
    this.timers.add(timer);
  }

  private begin(generation: number): void {
    if (generation === this.generation) this.busy++;
  }

  private end(generation: number): void {
    if (generation !== this.generation) return;
    this.busy = Math.max(0, this.busy - 1);
    this.notifyIdle();
  }

  /** The first attempt of each copy goes through the URL's serial queue (normal order stays in order);
   *  retries are scheduled on their own, so a retried event naturally arrives after later ones. */
  private schedule(record: EventRecord, copies: number, delayMs: number): void {
    if (this.stopped || !record.url) return;
    record.state = "scheduled";
    const generation = this.generation;
    this.begin(generation);
    const enqueue = () => {
      const url = record.url as string;
      const previous = this.chains.get(url) ?? Promise.resolve();
      const next = previous.then(() =>
        Promise.all(Array.from({ length: copies }, (_, i) => this.attempt(record, i + 1, 1, generation))).then(() => undefined),
      );
      this.chains.set(url, next);
      void next.finally(() => {
        if (this.chains.get(url) === next) this.chains.delete(url);
        this.end(generation);
      });
    };
    if (delayMs > 0) this.later(delayMs, enqueue);
    else enqueue();
  }

  private async attempt(record: EventRecord, copy: number, attempt: number, generation: number): Promise<void> {
    const event = this.outgoing.get(record.id);
    if (!event || !event.url || this.stopped || generation !== this.generation) return;
    const headers = event.headers();
    const started = Date.now();
    record.attempts++;
    const result = await this.post(event.url, headers, event.body);
    if (this.stopped || generation !== this.generation) return;
    const ok = result.status !== 0 && this.options.accept(result.status);
    this.deliveries.push({
      seq: ++this.seq,
      eventId: record.id,
      type: record.type,
      url: event.url,
      attempt,
      copy,
      status: result.status,
      ok,
      responseBody: result.body.slice(0, 2000),
      error: result.error,
      headers,
      body: event.body,
      startedAt: new Date(started).toISOString(),
      durationMs: Date.now() - started,
    });
    if (ok) record.state = "delivered";
    else if (attempt - 1 < this.options.retryDelaysMs.length) {
      if (record.state !== "delivered") record.state = "scheduled";
      this.begin(generation);
      this.later(this.options.retryDelaysMs[attempt - 1], () => {
        void this.attempt(record, copy, attempt + 1, generation).finally(() => this.end(generation));
      });
    } else if (record.state !== "delivered") record.state = "failed";
    this.changed();
  }

  private post(target: string, headers: Record<string, string>, body: string): Promise<{ status: number; body: string; error?: string }> {
    return new Promise((resolve) => {
      let url: URL;
      try {
        url = new URL(target);
      } catch {
        resolve({ status: 0, body: "", error: `invalid URL ${target}` });
        return;
      }
      const payload = Buffer.from(body, "utf8");
      const request = (url.protocol === "https:" ? https : http).request(
        url,
        {
          method: "POST",
          agent: false,
          headers: { ...headers, "content-length": String(payload.length) },
          timeout: this.options.timeoutMs,
        },
        (response) => {
          const chunks: Buffer[] = [];
          response.on("data", (chunk: Buffer) => chunks.push(chunk));
          response.on("end", () => {
            this.inflight.delete(request);
            resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") });
          });
          response.on("error", (error) => {
            this.inflight.delete(request);
            resolve({ status: 0, body: "", error: error.message });
          });
        },
      );
      this.inflight.add(request);
      request.on("timeout", () => request.destroy(new Error(`no answer within ${this.options.timeoutMs} ms`)));
      request.on("error", (error) => {
        this.inflight.delete(request);
        resolve({ status: 0, body: "", error: error.message });
      });
      request.end(payload);
    });
  }
}

// ───────────────────────────── the HTTP server ─────────────────────────────

export interface ApiContext {
  req: http.IncomingMessage;
  method: string;
  url: URL;
  /** Raw body text. */
  body: string;
  headers: Record<string, string>;
  record: RecordedRequest;
  /** The injected failure that applies to this request, if any. */
  failure?: FailureSpec;
}

export interface FakeServerOptions {
  port?: number;
  host?: string;
  /** Delays before each webhook retry (their count is the number of retries). */
  webhookRetryDelaysMs?: number[];
  /** A webhook attempt without an answer within this time fails. Default 5000. */
  webhookTimeoutMs?: number;
  /** How long an idempotency key is kept. Default 24 h. */
  idempotencyTtlMs?: number;
}

/** Short test intervals (the real services retry for 24 h / 3 days). */
export const DEFAULT_RETRY_DELAYS_MS = [100, 200, 400, 800, 1600];

/** The control surface both fakes share (each adds its own: tenants, payments, refunds). */
export interface CommonControl {
  /** Recorded API requests (control and checkout-page requests are not recorded). */
  readonly requests: RecordedRequest[];
  requestsTo(method?: string, pathPrefix?: string): RecordedRequest[];
  /** Every notification the fake produced, with its state. */
  readonly events: EventRecord[];
  /** Every HTTP attempt to deliver one, with the answer. */
  readonly deliveries: DeliveryRecord[];
  /** Adds a scenario rule: globally (no match), per tenant, per payment id or per metadata. */
  scenario(scenario: Scenario, match?: ScenarioMatch): void;
  clearScenarios(): void;
  /** The next `times` matching API requests fail (see FailureSpec). */
  failNext(spec?: FailureSpec, times?: number): void;
  /** Added before every API request executes. */
  setLatency(ms: number): void;
  setWebhookRetryDelays(delaysMs: number[]): void;
  /** Releases the notifications held by the "reversed" scenario. */
  flushWebhooks(): void;
  /** Sends an event again (a dropped one arriving late, or a duplicate). */
  resend(eventId: string): boolean;
  /** Resolves when no notification is scheduled, in flight or waiting for a retry. */
  webhooksIdle(timeoutMs?: number): Promise<void>;
  waitForDeliveries(predicate?: (d: DeliveryRecord) => boolean, count?: number, timeoutMs?: number): Promise<DeliveryRecord[]>;
  /** Forgets every kept idempotency key, as if its retention had passed. */
  expireIdempotencyKeys(): void;
  /** Forgets payments, refunds, requests, events, scenarios, failures and kept keys, and restores
   *  latency and webhook retry delays to the start options; tenants stay. */
  reset(): void;
}

/**
 * Serves three kinds of paths: /__control/… (the test's control API, not recorded), provider API paths
 * (recorded, subject to injected failures and latency), and everything else (checkout pages).
 */
export abstract class FakeProviderServer implements CommonControl {
  url = "";
  readonly requests: RecordedRequest[] = [];
  readonly failures = new FailureQueue();
  readonly scenarios = new ScenarioBook();
  readonly dispatcher: WebhookDispatcher;
  readonly idempotency: IdempotencyStore;
  /** Added before each API request is executed (widens the window in which concurrent requests overlap). */
  latencyMs = 0;
  private server: http.Server | null = null;
  private readonly sockets = new Set<Socket>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private requestSeq = 0;
  /** Stripe keeps a failed reply for its idempotency key (FailureSpec.saved); YooKassa does not. */
  protected abstract readonly keepsFailedReplies: boolean;

  constructor(
    protected readonly options: FakeServerOptions,
    acceptWebhookStatus: (status: number) => boolean,
  ) {
    this.dispatcher = new WebhookDispatcher({
      accept: acceptWebhookStatus,
      retryDelaysMs: options.webhookRetryDelaysMs ?? DEFAULT_RETRY_DELAYS_MS,
      timeoutMs: options.webhookTimeoutMs ?? 5000,
    });
    this.idempotency = new IdempotencyStore(options.idempotencyTtlMs ?? 24 * 3600_000);
  }

  /** Is this path part of the provider API (recorded, failure injection)? */
  protected abstract isApiPath(path: string): boolean;
  /** Answers one API request. */
  protected abstract api(ctx: ApiContext): Promise<ApiReply>;
  /** The provider's error body for an injected failure with this status. */
  protected abstract failureBody(status: number): unknown;
  /** Checkout pages and anything else that is not API or control. */
  protected abstract page(req: http.IncomingMessage, res: http.ServerResponse, url: URL, body: string): Promise<void>;
  /** The fake's own /__control/… routes; `parts` = path segments after "__control". Returns false when unknown. */
  protected abstract ownControl(method: string, parts: string[], url: URL, json: Record<string, unknown>, res: http.ServerResponse): boolean;
  /** Forgets payments and refunds (tenants stay). */
  protected abstract resetState(): void;

  async start(): Promise<string> {
    if (this.server) return this.url;
    const server = http.createServer((req, res) => {
      this.dispatch(req, res).catch((error: unknown) => {
        if (!res.headersSent && !res.destroyed) res.writeHead(500, { "content-type": "application/json" });
        res.end(JSON.stringify({ fake_error: String(error instanceof Error ? error.stack : error) }));
      });
    });
    server.on("connection", (socket) => {
      this.sockets.add(socket);
      socket.on("close", () => this.sockets.delete(socket));
    });
    const host = this.options.host ?? "127.0.0.1";
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(this.options.port ?? 0, host, () => resolve());
    });
    this.server = server;
    const { port } = server.address() as AddressInfo;
    this.url = `http://${host}:${port}`;
    return this.url;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.dispatcher.stop();
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    if (!server) return;
    this.server = null;
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      for (const socket of this.sockets) socket.destroy();
    });
  }

  // ── the common control surface ──

  get events(): EventRecord[] {
    return this.dispatcher.events;
  }

  get deliveries(): DeliveryRecord[] {
    return this.dispatcher.deliveries;
  }

  requestsTo(method?: string, pathPrefix?: string): RecordedRequest[] {
    return this.requests.filter((r) => (!method || r.method === method.toUpperCase()) && (!pathPrefix || r.path.startsWith(pathPrefix)));
  }

  scenario(scenario: Scenario, match: ScenarioMatch = {}): void {
    this.scenarios.add(match, scenario);
  }

  clearScenarios(): void {
    this.scenarios.clear();
  }

  failNext(spec: FailureSpec = {}, times = 1): void {
    this.failures.add(spec, times);
  }

  setLatency(ms: number): void {
    this.latencyMs = Math.max(0, ms);
  }

  setWebhookRetryDelays(delaysMs: number[]): void {
    this.dispatcher.options.retryDelaysMs = delaysMs.map((ms) => Math.max(0, ms));
  }

  flushWebhooks(): void {
    this.dispatcher.flush();
  }

  resend(eventId: string): boolean {
    return this.dispatcher.resend(eventId);
  }

  webhooksIdle(timeoutMs?: number): Promise<void> {
    return this.dispatcher.idle(timeoutMs);
  }

  waitForDeliveries(predicate?: (d: DeliveryRecord) => boolean, count?: number, timeoutMs?: number): Promise<DeliveryRecord[]> {
    return this.dispatcher.waitForDeliveries(predicate, count, timeoutMs);
  }

  expireIdempotencyKeys(): void {
    this.idempotency.expireAll();
  }

  reset(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    this.requests.length = 0;
    this.failures.clear();
    this.scenarios.clear();
    this.idempotency.clear();
    this.dispatcher.reset();
    this.dispatcher.options.retryDelaysMs = this.options.webhookRetryDelaysMs ?? DEFAULT_RETRY_DELAYS_MS;
    this.latencyMs = 0;
    this.resetState();
  }

  // ── internals ──

  /** A timer that stop() and reset() cancel. */
  protected later(ms: number, fn: () => void): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      fn();
    }, ms);
    this.timers.add(timer);
  }

  /** Waits `latencyMs` (call inside the executed part of a request). */
  protected async latency(): Promise<void> {
    if (this.latencyMs > 0) await new Promise<void>((resolve) => setTimeout(resolve, this.latencyMs));
  }

  /** The webhook scenario for a subject. */
  protected webhookFor(subject: Subject): Required<WebhookScenario> {
    return webhookScenario(this.scenarios.resolve(subject).webhook);
  }

  private async dispatch(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://fake");
    const method = (req.method ?? "GET").toUpperCase();
    const body = (await readBody(req)).toString("utf8");
    if (url.pathname.startsWith("/__control/")) return this.control(method, url, body, res);
    if (!this.isApiPath(url.pathname)) return this.page(req, res, url, body);

    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(req.headers)) {
      if (value !== undefined) headers[name.toLowerCase()] = Array.isArray(value) ? value.join(", ") : value;
    }
    const record: RecordedRequest = {
      seq: ++this.requestSeq,
      time: new Date().toISOString(),
      method,
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers,
      body,
      status: 0,
      response: undefined,
      replayed: false,
    };
    this.requests.push(record);
    const failure = this.failures.take(method, url.pathname);
    // A failure that is neither executed nor kept by the fake answers before anything happens.
    if (failure && !failure.executed && !(failure.saved && this.keepsFailedReplies)) return this.fail(failure, req, res, record);

    const reply = await this.api({ req, method, url, body, headers, record, failure });
    if (failure && failure.executed) return this.fail(failure, req, res, record);
    record.status = reply.status;
    record.response = reply.body;
    sendJson(res, reply.status, reply.body, reply.headers);
  }

  private fail(spec: FailureSpec, req: http.IncomingMessage, res: http.ServerResponse, record: RecordedRequest): void {
    const kind = spec.kind ?? "error";
    record.injected = kind;
    if (kind === "reset") {
      req.socket.destroy();
      return;
    }
    if (kind === "timeout") {
      this.later(spec.holdMs ?? 30_000, () => req.socket.destroy());
      return;
    }
    const status = spec.status ?? 500;
    const payload = this.failureBody(status);
    record.status = status;
    record.response = payload;
    sendJson(res, status, payload);
  }

  private async control(method: string, url: URL, body: string, res: http.ServerResponse): Promise<void> {
    let json: Record<string, unknown>;
    try {
      json = jsonBody(body);
    } catch (error) {
      return sendJson(res, 400, { error: String(error instanceof Error ? error.message : error) });
    }
    const parts = url.pathname.split("/").filter(Boolean).slice(1);
    const route = `${method} ${parts.join("/")}`;
    try {
      switch (route) {
        case "GET requests": {
          const only = this.requestsTo(url.searchParams.get("method") ?? undefined, url.searchParams.get("path") ?? undefined);
          return sendJson(res, 200, only);
        }
        case "GET events":
          return sendJson(res, 200, this.events);
        case "GET deliveries":
          return sendJson(res, 200, this.deliveries);
        case "POST scenario": {
          const { match, ...scenario } = json as Scenario & { match?: ScenarioMatch };
          this.scenario(scenario, match ?? {});
          return sendJson(res, 200, { ok: true });
        }
        case "DELETE scenario":
          this.clearScenarios();
          return sendJson(res, 200, { ok: true });
        case "POST fail": {
          const { times, ...spec } = json as FailureSpec & { times?: number };
          this.failNext(spec, times ?? 1);
          return sendJson(res, 200, { ok: true, pending: this.failures.pending });
        }
        case "POST latency":
          this.setLatency(Number(json.ms ?? 0));
          return sendJson(res, 200, { ok: true });
        case "POST webhooks/retry-delays":
          this.setWebhookRetryDelays((json.delaysMs as number[] | undefined) ?? []);
          return sendJson(res, 200, { ok: true });
        case "POST webhooks/flush":
          this.flushWebhooks();
          return sendJson(res, 200, { ok: true });
        case "POST webhooks/idle":
          await this.webhooksIdle(Number(json.timeoutMs ?? 10_000));
          return sendJson(res, 200, { ok: true });
        case "POST idempotency/expire":
          this.expireIdempotencyKeys();
          return sendJson(res, 200, { ok: true });
        case "POST reset":
          this.reset();
          return sendJson(res, 200, { ok: true });
      }
      if (method === "POST" && parts[0] === "events" && parts[2] === "resend" && parts.length === 3) {
        const ok = this.resend(decodeURIComponent(parts[1]));
        return sendJson(res, ok ? 200 : 404, { ok });
      }
      if (!this.ownControl(method, parts, url, json, res)) sendJson(res, 404, { error: `unknown control route ${route}` });
    } catch (error) {
      sendJson(res, 400, { error: String(error instanceof Error ? error.message : error) });
    }
  }
}

// ───────────────────────────── small helpers ─────────────────────────────

export async function readBody(req: http.IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

export function sendJson(res: http.ServerResponse, status: number, payload: unknown, headers: Record<string, string> = {}): void {
  if (res.destroyed) return;
  res.writeHead(status, { "content-type": "application/json; charset=utf-8", ...headers });
  res.end(payload === undefined ? "" : JSON.stringify(payload));
}

export function sendHtml(res: http.ServerResponse, status: number, html: string): void {
  if (res.destroyed) return;
  res.writeHead(status, { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" });
  res.end(html);
}

export function redirect(res: http.ServerResponse, location: string): void {
  if (res.destroyed) return;
  res.writeHead(303, { location, "cache-control": "no-store" });
  res.end();
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] as string);
}

/** A minimal, phone-friendly page for the fake checkouts. */
export function htmlPage(title: string, content: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:28rem;margin:2rem auto;padding:0 1rem}
button{font-size:1rem;padding:.6rem 1.2rem;margin:.3rem .3rem .3rem 0}input{font-size:1rem;padding:.5rem;width:100%;box-sizing:border-box}
.error{color:#b00020}.muted{color:#555}</style></head>
<body>${content}</body></html>`;
}

const BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

export function randomBase62(length: number): string {
  const bytes = randomBytes(length);
  let out = "";
  for (let i = 0; i < length; i++) out += BASE62[bytes[i] % 62];
  return out;
}

export function randomHex(length: number): string {
  return randomBytes(Math.ceil(length / 2)).toString("hex").slice(0, length);
}

/** Reads a JSON control body; {} when empty. */
export function jsonBody(body: string): Record<string, unknown> {
  if (!body.trim()) return {};
  const parsed: unknown = JSON.parse(body);
  if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) throw new Error("control body must be a JSON object");
  return parsed as Record<string, unknown>;
}

/** Every value of a repeated CLI option: `--shop a --shop b` → ["a", "b"]. */
export function cliValues(argv: string[], name: string): string[] {
  const values: string[] = [];
  for (let i = 0; i < argv.length - 1; i++) if (argv[i] === `--${name}`) values.push(argv[i + 1]);
  return values;
}
