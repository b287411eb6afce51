// One HTTP POST of a webhook (docs/webhooks.md → "Delivery"): the stored payload bytes, the Standard
// Webhooks headers, content-type application/json, a 10 s limit on the whole exchange, no redirect
// followed (a 3xx is a failed attempt, like any non-2xx), and the first 2 KB of the answer kept for the
// delivery log. The connection goes to the address the guard checked (`pinned`): the host name is still
// sent (Host header, TLS SNI and certificate check) but never resolved again.
import "server-only";
import http from "node:http";
import https from "node:https";
import type { LookupFunction } from "node:net";
import type { ResolvedAddress } from "./url-guard";

export const WEBHOOK_TIMEOUT_MS = 10_000;
export const WEBHOOK_RESPONSE_MAX_BYTES = 2048;
const USER_AGENT = "AqStream-Webhooks/1.0";

export type SendResult = {
  /** The answer's status; null when none came (timeout, refused connection, TLS error). */
  statusCode: number | null;
  /** The first 2 KB of the answer's body (UTF-8, a cut multi-byte character dropped). */
  responseBody: string | null;
  /** Why no answer came. */
  error: string | null;
  durationMs: number;
};

function pinnedLookup(address: ResolvedAddress): LookupFunction {
  return ((_host: string, options: { all?: boolean }, callback: (...args: unknown[]) => void) => {
    if (options?.all) callback(null, [{ address: address.address, family: address.family }]);
    else callback(null, address.address, address.family);
  }) as LookupFunction;
}

export function postWebhook(options: {
  url: URL;
  pinned: ResolvedAddress;
  body: string;
  headers: Record<string, string>;
  timeoutMs?: number;
}): Promise<SendResult> {
  const { url, pinned, body } = options;
  const timeoutMs = options.timeoutMs ?? WEBHOOK_TIMEOUT_MS;
  const started = performance.now();
  const client = url.protocol === "https:" ? https : http;
  const payload = Buffer.from(body, "utf8");
  return new Promise<SendResult>((resolve) => {
    let settled = false;
    const finish = (result: Omit<SendResult, "durationMs">) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve({ ...result, durationMs: Math.max(0, Math.round(performance.now() - started)) });
    };
    const request = client.request(
      {
        protocol: url.protocol,
        hostname: url.hostname.replace(/^\[(.*)\]$/, "$1"),
        port: url.port || undefined,
        path: `${url.pathname}${url.search}`,
        method: "POST",
        lookup: pinnedLookup(pinned),
        agent: false,
        headers: {
          ...options.headers,
          "content-type": "application/json",
          "content-length": String(payload.length),
          "user-agent": USER_AGENT,
        },
      },
      (response) => {
        const chunks: Buffer[] = [];
        let size = 0;
        const done = () => {
          const text = Buffer.concat(chunks).subarray(0, WEBHOOK_RESPONSE_MAX_BYTES).toString("utf8").replace(/\uFFFD$/, "");
          finish({ statusCode: response.statusCode ?? null, responseBody: text, error: null });
        };
        response.on("data", (chunk: Buffer) => {
          if (size >= WEBHOOK_RESPONSE_MAX_BYTES) return;
          chunks.push(chunk);
          size += chunk.length;
          if (size >= WEBHOOK_RESPONSE_MAX_BYTES) {
            done();
            response.destroy();
          }
        });
        response.on("end", done);
        response.on("error", done);
        response.on("close", done);
      },
    );
    const timer = setTimeout(() => {
      request.destroy(new Error(`no answer within ${timeoutMs / 1000} s`));
    }, timeoutMs);
    request.on("error", (error) => finish({ statusCode: null, responseBody: null, error: error.message.slice(0, 500) }));
    request.end(payload);
  });
}
