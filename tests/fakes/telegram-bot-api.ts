/**
 * Fake Telegram Bot API server for tests (vitest, Playwright's web server, or standalone).
 *
 *   const tg = await startFakeTelegram();          // 127.0.0.1, random free port
 *   process.env.TELEGRAM_API_ROOT = tg.url;         // e.g. http://127.0.0.1:41234
 *   …
 *   tg.callsOf("sendMessage")                       // successful + failed calls, in order
 *   tg.sent("sendMessage")                          // only the calls that were answered ok
 *   tg.failNext("sendMessage", { status: 429, retryAfter: 1 })     // next call answers 429
 *   tg.failNext("sendMessage", { status: 500 }, 2)                 // next two calls answer 500
 *   tg.failNext("sendMessage", { status: 403 })                    // "Forbidden: bot was blocked by the user"
 *   tg.failNext("sendMessage", { status: 400, description: "Bad Request: chat not found" })
 *   tg.responseDelayMs = 500                         // send* calls recorded at once, answered 500 ms later
 *   tg.injectUpdate({ message: { … } })             // queued for getUpdates (update_id assigned if missing)
 *   await FakeTelegramBotApi.postUpdateToWebhook(url, secret, update)  // webhook mode: POST like Telegram does
 *   await tg.waitForCalls("sendMessage", 2)         // resolves when 2 ok calls were answered (5 s timeout)
 *   tg.reset(); await tg.stop();
 *
 * Serves POST/GET `/bot<token>/<method>` (any token unless `token` is given; a wrong one gets 401):
 *   getMe, sendMessage, sendPhoto, editMessageText, answerCallbackQuery, setWebhook, deleteWebhook,
 *   getWebhookInfo, getUpdates (long poll: holds up to `timeout` s until an update is injected;
 *   `offset` confirms and drops earlier updates; answers 409 while a webhook is set, like Telegram).
 *   Unknown methods answer 404 "Not Found".
 * Params are read from JSON, urlencoded or multipart/form-data bodies (and the query string).
 * Values stay strings, except that `{…}`/`[…]` strings are JSON-parsed (reply_markup, entities, …).
 * A multipart file is recorded as `files[field] = { filename, contentType, size }` (sendPhoto:
 * `call.files.photo.size` is the photo's byte length) — the bytes themselves are not kept.
 *
 * For a browser test that runs the fake in another process there is a small control API:
 *   GET  /__fake/calls[?method=sendMessage]  → RecordedCall[]
 *   POST /__fake/updates   (body: Update)    → queues it for getUpdates
 *   POST /__fake/fail      (body: { method, status, description?, retryAfter?, times? })
 *   POST /__fake/reset
 *
 * Standalone: `node --import tsx tests/fakes/telegram-bot-api.ts --port 8081 [--token T]` prints
 * `FAKE_TELEGRAM_URL=http://127.0.0.1:8081` and runs until SIGINT/SIGTERM.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { pathToFileURL } from "node:url";

export interface RecordedCall {
  method: string;
  token: string;
  params: Record<string, unknown>;
  files: Record<string, { filename: string; contentType: string; size: number }>;
  time: Date;
  /** False when the call was answered with an injected failure (or was invalid). */
  ok: boolean;
  /** HTTP status the fake answered with. */
  status: number;
}

export interface FailureSpec {
  /** 429 | 403 | 500 | 400 | 502 | … */
  status: number;
  description?: string;
  /** Seconds, sent as parameters.retry_after (429). Default 1. */
  retryAfter?: number;
}

export interface FakeTelegramOptions {
  port?: number;
  host?: string;
  /** Accept only this token (others get 401). Default: accept any. */
  token?: string;
  /** What getMe answers. */
  botUser?: { id: number; first_name: string; username: string };
}

type Update = { update_id: number } & Record<string, unknown>;

const DEFAULT_DESCRIPTIONS: Record<number, string> = {
  400: "Bad Request: chat not found",
  401: "Unauthorized",
  403: "Forbidden: bot was blocked by the user",
  404: "Not Found",
  409: "Conflict: terminated by other getUpdates request",
  429: "Too Many Requests: retry after 1",
  500: "Internal Server Error",
  502: "Bad Gateway",
};

export class FakeTelegramBotApi {
  /** API root to give the client (apiRoot / TELEGRAM_API_ROOT), set once started. */
  url = "";
  readonly calls: RecordedCall[] = [];
  /** Set by setWebhook, cleared by deleteWebhook. */
  webhook: { url: string; secretToken?: string } | null = null;
  /** Send methods (sendMessage, sendPhoto) are recorded at once and answered this many ms later (a request in flight). */
  responseDelayMs = 0;

  private server: http.Server | null = null;
  private readonly failures = new Map<string, FailureSpec[]>();
  private updates: Update[] = [];
  private nextUpdateId = 1;
  private nextMessageId = 1;
  private updateWaiters = new Set<() => void>();
  private callWaiters = new Set<() => void>();
  private readonly sockets = new Set<import("node:net").Socket>();

  constructor(private readonly options: FakeTelegramOptions = {}) {}

  async start(): Promise<string> {
    if (this.server) return this.url;
    const server = http.createServer((req, res) => {
      this.handle(req, res).catch((error: unknown) => {
        if (!res.headersSent) res.writeHead(500, { "content-type": "application/json" });
        res.end(JSON.stringify({ ok: false, error_code: 500, description: `fake: ${String(error)}` }));
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
    if (!server) return;
    this.server = null;
    for (const wake of this.updateWaiters) wake();
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      for (const socket of this.sockets) socket.destroy();
    });
  }

  /** The next `times` calls of `method` answer with this failure. */
  failNext(method: string, failure: FailureSpec, times = 1): void {
    const queue = this.failures.get(method) ?? [];
    for (let i = 0; i < times; i++) queue.push(failure);
    this.failures.set(method, queue);
  }

  /** Queues an update for getUpdates; assigns update_id when missing. Returns the update. */
  injectUpdate(update: Record<string, unknown>): Update {
    const full = { ...update, update_id: typeof update.update_id === "number" ? update.update_id : this.nextUpdateId++ } as Update;
    this.nextUpdateId = Math.max(this.nextUpdateId, full.update_id + 1);
    this.updates.push(full);
    for (const wake of this.updateWaiters) wake();
    return full;
  }

  /** POSTs an update to a webhook URL like Telegram does (X-Telegram-Bot-Api-Secret-Token). */
  static async postUpdateToWebhook(url: string, secret: string | undefined, update: Record<string, unknown>): Promise<Response> {
    return fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json", ...(secret ? { "x-telegram-bot-api-secret-token": secret } : {}) },
      body: JSON.stringify(update),
    });
  }

  /** Recorded calls of one method (failed ones included). */
  callsOf(method: string): RecordedCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  /** Calls of one method that were answered ok (what a user would have received). */
  sent(method: string): RecordedCall[] {
    return this.calls.filter((c) => c.method === method && c.ok);
  }

  /** Resolves once `count` ok calls of `method` were answered. */
  async waitForCalls(method: string, count = 1, timeoutMs = 5000): Promise<RecordedCall[]> {
    const deadline = Date.now() + timeoutMs;
    while (this.sent(method).length < count) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`fake telegram: expected ${count} ok ${method} call(s), got ${this.sent(method).length}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, Math.min(left, 200));
        function done() {
          clearTimeout(timer);
          resolve();
        }
        this.callWaiters.add(done);
      });
    }
    return this.sent(method);
  }

  reset(): void {
    this.calls.length = 0;
    this.failures.clear();
    this.updates = [];
    this.webhook = null;
  }

  // ───────────────────────────── internals ─────────────────────────────

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://fake");
    const body = await readBody(req);

    if (url.pathname.startsWith("/__fake/")) return this.control(url, req.method ?? "GET", body, res);

    const match = /^\/bot([^/]+)\/([A-Za-z]+)$/.exec(url.pathname);
    if (!match) return send(res, 404, { ok: false, error_code: 404, description: "Not Found" });
    const [, token, method] = match;
    const { params, files } = parseParams(req.headers["content-type"] ?? "", body, url.searchParams);
    const call: RecordedCall = { method, token, params, files, time: new Date(), ok: true, status: 200 };
    this.calls.push(call);
    if (this.responseDelayMs > 0 && /^send/.test(method)) await new Promise((r) => setTimeout(r, this.responseDelayMs));

    const answer = (status: number, payload: unknown) => {
      call.status = status;
      call.ok = status === 200;
      send(res, status, payload);
      for (const wake of this.callWaiters) wake();
      this.callWaiters.clear();
    };

    if (this.options.token && token !== this.options.token) {
      return answer(401, { ok: false, error_code: 401, description: "Unauthorized" });
    }

    const failure = this.failures.get(method)?.shift();
    if (failure) {
      const description = failure.description ?? DEFAULT_DESCRIPTIONS[failure.status] ?? `Error ${failure.status}`;
      const envelope: Record<string, unknown> = { ok: false, error_code: failure.status, description };
      if (failure.status === 429) {
        const retryAfter = failure.retryAfter ?? 1;
        envelope.parameters = { retry_after: retryAfter };
        if (!failure.description) envelope.description = `Too Many Requests: retry after ${retryAfter}`;
      }
      return answer(failure.status, envelope);
    }

    const ok = (result: unknown) => answer(200, { ok: true, result });
    const bad = (description: string) => answer(400, { ok: false, error_code: 400, description: `Bad Request: ${description}` });
    const chat = (id: unknown) => ({ id: Number(id), type: "private", first_name: "Test" });
    const now = Math.floor(Date.now() / 1000);

    switch (method) {
      case "getMe":
        return ok({
          id: 100_000,
          is_bot: true,
          first_name: "AqStream Test Bot",
          username: "aqstream_test_bot",
          can_join_groups: false,
          can_read_all_group_messages: false,
          supports_inline_queries: false,
          ...this.options.botUser,
        });
      case "sendMessage":
        if (params.chat_id === undefined || params.chat_id === "") return bad("chat_id is empty");
        if (!params.text) return bad("message text is empty");
        return ok({ message_id: this.nextMessageId++, date: now, chat: chat(params.chat_id), text: params.text });
      case "sendPhoto": {
        if (params.chat_id === undefined || params.chat_id === "") return bad("chat_id is empty");
        const photo = files.photo;
        if (!photo && !params.photo) return bad("there is no photo in the request");
        return ok({
          message_id: this.nextMessageId++,
          date: now,
          chat: chat(params.chat_id),
          caption: params.caption,
          photo: [{ file_id: `photo-${this.nextMessageId}`, file_unique_id: `u${this.nextMessageId}`, width: 600, height: 400, file_size: photo?.size ?? 0 }],
        });
      }
      case "editMessageText":
        if (!params.text) return bad("message text is empty");
        if (params.inline_message_id) return ok(true);
        return ok({ message_id: Number(params.message_id), date: now, edit_date: now, chat: chat(params.chat_id), text: params.text });
      case "answerCallbackQuery":
        if (!params.callback_query_id) return bad("query is too old and response timeout expired or query ID is invalid");
        return ok(true);
      case "setWebhook":
        if (!params.url) return bad("bad webhook: an HTTPS URL must be provided for webhook");
        this.webhook = { url: String(params.url), secretToken: params.secret_token ? String(params.secret_token) : undefined };
        if (isTrue(params.drop_pending_updates)) this.updates = [];
        return ok(true);
      case "deleteWebhook":
        this.webhook = null;
        if (isTrue(params.drop_pending_updates)) this.updates = [];
        return ok(true);
      case "getWebhookInfo":
        return ok({ url: this.webhook?.url ?? "", has_custom_certificate: false, pending_update_count: this.updates.length });
      case "getUpdates": {
        if (this.webhook) {
          return answer(409, { ok: false, error_code: 409, description: "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first" });
        }
        const offset = params.offset === undefined ? undefined : Number(params.offset);
        const limit = Math.min(Math.max(Number(params.limit ?? 100) || 100, 1), 100);
        const timeoutSeconds = Math.max(Number(params.timeout ?? 0) || 0, 0);
        if (offset !== undefined) this.updates = this.updates.filter((u) => u.update_id >= offset);
        if (this.updates.length === 0 && timeoutSeconds > 0) {
          await new Promise<void>((resolve) => {
            const timer = setTimeout(done, timeoutSeconds * 1000);
            const wake = () => done();
            this.updateWaiters.add(wake);
            res.once("close", done);
            const waiters = this.updateWaiters;
            function done() {
              clearTimeout(timer);
              waiters.delete(wake);
              resolve();
            }
          });
        }
        if (res.destroyed) return;
        return ok(this.updates.slice(0, limit));
      }
      default:
        return answer(404, { ok: false, error_code: 404, description: "Not Found: method not found" });
    }
  }

  private control(url: URL, method: string, body: Buffer, res: http.ServerResponse): void {
    const json = () => (body.length ? (JSON.parse(body.toString("utf8")) as Record<string, unknown>) : {});
    switch (`${method} ${url.pathname}`) {
      case "GET /__fake/calls": {
        const only = url.searchParams.get("method");
        return send(res, 200, only ? this.callsOf(only) : this.calls);
      }
      case "POST /__fake/updates":
        return send(res, 200, this.injectUpdate(json()));
      case "POST /__fake/fail": {
        const { method: target, times, ...failure } = json() as unknown as { method: string; times?: number } & FailureSpec;
        this.failNext(target, failure, times ?? 1);
        return send(res, 200, { ok: true });
      }
      case "POST /__fake/reset":
        this.reset();
        return send(res, 200, { ok: true });
      default:
        return send(res, 404, { ok: false });
    }
  }
}

/** Creates and starts a fake on 127.0.0.1 (random free port unless `port` is given). */
export async function startFakeTelegram(options: FakeTelegramOptions = {}): Promise<FakeTelegramBotApi> {
  const fake = new FakeTelegramBotApi(options);
  await fake.start();
  return fake;
}

function send(res: http.ServerResponse, status: number, payload: unknown): void {
  if (res.destroyed) return;
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify(payload));
}

function isTrue(value: unknown): boolean {
  return value === true || value === "true" || value === "1";
}

async function readBody(req: http.IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function decodeValue(value: string): unknown {
  const trimmed = value.trim();
  if ((trimmed.startsWith("{") && trimmed.endsWith("}")) || (trimmed.startsWith("[") && trimmed.endsWith("]"))) {
    try {
      return JSON.parse(trimmed);
    } catch {
      return value;
    }
  }
  return value;
}

function parseParams(
  contentType: string,
  body: Buffer,
  query: URLSearchParams,
): { params: Record<string, unknown>; files: RecordedCall["files"] } {
  const params: Record<string, unknown> = {};
  const files: RecordedCall["files"] = {};
  for (const [key, value] of query) params[key] = decodeValue(value);
  const type = contentType.toLowerCase();
  if (type.startsWith("application/json")) {
    if (body.length) {
      const parsed = JSON.parse(body.toString("utf8")) as Record<string, unknown>;
      for (const [key, value] of Object.entries(parsed)) params[key] = typeof value === "number" || typeof value === "boolean" ? String(value) : value;
    }
  } else if (type.startsWith("application/x-www-form-urlencoded")) {
    for (const [key, value] of new URLSearchParams(body.toString("utf8"))) params[key] = decodeValue(value);
  } else if (type.startsWith("multipart/form-data")) {
    const boundary = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentType);
    if (boundary) parseMultipart(body, boundary[1] ?? boundary[2], params, files);
  }
  return { params, files };
}

/** Just enough multipart/form-data: text fields become params, file parts are measured. */
function parseMultipart(body: Buffer, boundary: string, params: Record<string, unknown>, files: RecordedCall["files"]): void {
  const delimiter = Buffer.from(`--${boundary}`);
  let position = body.indexOf(delimiter);
  while (position !== -1) {
    const partStart = position + delimiter.length;
    if (body.subarray(partStart, partStart + 2).toString() === "--") break; // closing delimiter
    const next = body.indexOf(delimiter, partStart);
    if (next === -1) break;
    // part = CRLF headers CRLF CRLF content CRLF
    const part = body.subarray(partStart + 2, next - 2);
    const headerEnd = part.indexOf("\r\n\r\n");
    if (headerEnd !== -1) {
      const headers = part.subarray(0, headerEnd).toString("utf8");
      const content = part.subarray(headerEnd + 4);
      const name = /name="([^"]*)"/i.exec(headers)?.[1];
      const filename = /filename="([^"]*)"/i.exec(headers)?.[1];
      const partType = /content-type:\s*([^\r\n]+)/i.exec(headers)?.[1]?.trim() ?? "application/octet-stream";
      if (name !== undefined) {
        if (filename !== undefined) files[name] = { filename, contentType: partType, size: content.length };
        else params[name] = decodeValue(content.toString("utf8"));
      }
    }
    position = next;
  }
}

// Standalone: node --import tsx tests/fakes/telegram-bot-api.ts --port 8081 [--token T] [--host 127.0.0.1]
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const arg = (name: string) => {
    const index = process.argv.indexOf(`--${name}`);
    return index === -1 ? undefined : process.argv[index + 1];
  };
  const fake = new FakeTelegramBotApi({ port: Number(arg("port") ?? 0), host: arg("host"), token: arg("token") });
  const url = await fake.start();
  console.log(`FAKE_TELEGRAM_URL=${url}`);
  const shutdown = () => void fake.stop().then(() => process.exit(0));
  process.on("SIGINT", shutdown);
  process.on("SIGTERM", shutdown);
}
