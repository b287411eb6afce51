// Delivering webhooks (docs/webhooks.md → "Delivery"). The database triggers wrote the event, its
// deliveries and one `deliver-webhook` job per delivery in the change's transaction; the job calls
// deliverWebhook() after the commit. One call = at most one attempt:
//
// 1. CLAIM with a conditional update: the delivery is PENDING, due (next_attempt_at ≤ now) and its endpoint
//    enabled → attempts + 1 and next_attempt_at pushed past the attempt's lease. A second job of the same
//    delivery (at-least-once) finds it not due and does nothing: each delivery has at most one attempt in
//    flight, and a crash mid-attempt is picked up by the sweep when the lease has run out.
// 2. CHECK the URL again (lib/webhooks/url-guard.ts) and POST to the checked address (pinned): the stored
//    payload bytes, signed per Standard Webhooks (`standardwebhooks`; webhook-id = the event's id, the same
//    on every attempt, so a receiver can drop duplicates).
// 3. RECORD: 2xx → one statement (the attempt row, SUCCEEDED, the endpoint's failing_since cleared);
//    otherwise, in one transaction, the attempt row and the next attempt's time (WEBHOOK_RETRY_DELAYS_MS) and its job (run_at) through the outbox, or
//    FAILED after the last one. An endpoint failing without a break for WEBHOOK_DISABLE_AFTER_MS is switched
//    off (enabled = false, disabled_reason FAILING, audit webhook_endpoint.disabled), its pending deliveries
//    end FAILED, and its owner gets an email (lib/mail's outbox) in their language.
import "server-only";
import { Webhook } from "standardwebhooks";
import { writeAudit } from "@/lib/audit";
import { db, onPool, sql, TX_PROFILES, type Prisma } from "@/lib/db";
import { env } from "@/lib/env";
import { fromDbLocale } from "@/lib/i18n/config";
import { translatorFor } from "@/lib/i18n/catalogue";
import { formatDate } from "@/lib/i18n/format";
import { enqueue, kick } from "@/lib/jobs";
import { sendMail } from "@/lib/mail";
import { renderMail } from "@/lib/mail/render";
import { decryptSecret } from "@/lib/payments";
import { WEBHOOK_DISABLE_AFTER_MS } from "./types";
import { postWebhook, type SendResult } from "./send";
import { checkWebhookUrl, type UrlGuardOptions } from "./url-guard";

/** The wait before retry n (n = 1 after the first failed attempt). After the last, the delivery is FAILED. */
export const WEBHOOK_RETRY_DELAYS_MS = [5_000, 60_000, 300_000, 1_800_000, 7_200_000, 18_000_000, 36_000_000, 36_000_000] as const;
/** Attempts of one delivery in all (about 27 h: longer than WEBHOOK_DISABLE_AFTER_MS, so a dead endpoint is switched off first). */
export const WEBHOOK_MAX_ATTEMPTS = WEBHOOK_RETRY_DELAYS_MS.length + 1;
/** How long a claimed attempt holds its delivery (longer than the 10 s request): a crashed attempt is taken again after it. */
export const WEBHOOK_ATTEMPT_LEASE_MS = 60_000;
/** Clock slack between the job's run_at and the delivery's next_attempt_at (servers' clocks). */
const DUE_SLACK_MS = 2_000;

/** The Standard Webhooks secret context of an endpoint (lib/payments/secrets.ts authenticated data). */
export const secretContext = (endpointId: string) => `webhook:${endpointId}`;

/** The stable job event id of a delivery's attempt number n (its dedupe key's second half). */
export const attemptJobId = (deliveryId: string, attempt: number) => `webhook-delivery:${deliveryId}:${attempt}`;

export type DeliverOutcome =
  | { status: "skipped"; reason: "not_due" | "endpoint_disabled" | "gone" }
  | { status: "succeeded"; attempt: number; statusCode: number }
  | { status: "retrying"; attempt: number; nextAttemptAt: Date; statusCode: number | null; error: string | null }
  | { status: "failed"; attempt: number; reason: "attempts_exhausted" | "endpoint_disabled" };

type Claimed = {
  attempts: number;
  webhook_event_id: string;
  endpoint_id: string;
  organization_id: string;
  url: string;
  secret_ciphertext: string;
  payload: string;
};

export type DeliverOptions = {
  deliveryId: string;
  /** The clock (tests). */
  now?: () => Date;
  /** URL guard settings (tests); default from the environment. */
  guard?: UrlGuardOptions;
  timeoutMs?: number;
};

function describeFailure(result: SendResult): string {
  if (result.error) return result.error;
  if (result.statusCode !== null && result.statusCode >= 300 && result.statusCode < 400) return `HTTP ${result.statusCode} (redirects are not followed)`;
  return `HTTP ${result.statusCode}`;
}

export async function deliverWebhook(options: DeliverOptions): Promise<DeliverOutcome> {
  const now = options.now ?? (() => new Date());
  const claimAt = now();
  const [claimed] = await onPool().rows<Claimed>(sql`
    UPDATE webhook_deliveries d
       SET attempts = d.attempts + 1, last_attempt_at = ${claimAt}::timestamptz,
           next_attempt_at = ${new Date(claimAt.getTime() + WEBHOOK_ATTEMPT_LEASE_MS)}::timestamptz
      FROM webhook_endpoints e, webhook_events ev
     WHERE d.id = ${options.deliveryId}::uuid AND d.status = 'PENDING'
       AND d.next_attempt_at <= ${new Date(claimAt.getTime() + DUE_SLACK_MS)}::timestamptz
       AND e.id = d.endpoint_id AND e.enabled AND ev.id = d.webhook_event_id
    RETURNING d.attempts, d.webhook_event_id, e.id AS endpoint_id, e.organization_id, e.url, e.secret_ciphertext, ev.payload::text AS payload`);
  if (!claimed) {
    // A delivery of a switched-off endpoint stops here: FAILED (it stays in the log; "redeliver" sends it again).
    const ended = await onPool().execute(sql`
      UPDATE webhook_deliveries d SET status = 'FAILED', next_attempt_at = NULL,
             last_error = coalesce(d.last_error || ' · ', '') || 'endpoint switched off'
        FROM webhook_endpoints e
       WHERE d.id = ${options.deliveryId}::uuid AND d.status = 'PENDING' AND e.id = d.endpoint_id AND NOT e.enabled`);
    if (ended > 0) return { status: "skipped", reason: "endpoint_disabled" };
    const exists = await onPool().rows<{ one: number }>(sql`SELECT 1 AS one FROM webhook_deliveries WHERE id = ${options.deliveryId}::uuid`);
    return { status: "skipped", reason: exists.length ? "not_due" : "gone" };
  }

  const attempt = claimed.attempts;
  const startedAt = now();
  let result: SendResult;
  const check = await checkWebhookUrl(claimed.url, options.guard);
  if (!check.ok) {
    result = { statusCode: null, responseBody: null, error: `URL refused: ${check.reason}${check.detail ? ` (${check.detail})` : ""}`, durationMs: 0 };
  } else {
    let secret: string | null = null;
    try {
      secret = decryptSecret(claimed.secret_ciphertext, secretContext(claimed.endpoint_id));
    } catch (error) {
      result = { statusCode: null, responseBody: null, error: `signing secret unreadable: ${(error as Error).message}`, durationMs: 0 };
    }
    if (secret !== null) {
      const signedAt = now();
      const signature = new Webhook(secret).sign(claimed.webhook_event_id, signedAt, claimed.payload);
      result = await postWebhook({
        url: check.url,
        pinned: check.addresses[0],
        body: claimed.payload,
        timeoutMs: options.timeoutMs,
        headers: {
          "webhook-id": claimed.webhook_event_id,
          "webhook-timestamp": String(Math.floor(signedAt.getTime() / 1000)),
          "webhook-signature": signature,
        },
      });
    }
  }
  const sent = result!;
  const ok = sent.statusCode !== null && sent.statusCode >= 200 && sent.statusCode < 300;
  const finishedAt = now();
  const error = ok ? null : describeFailure(sent);

  if (ok) {
    // The common case in ONE statement (the attempt row, SUCCEEDED, the endpoint's run of failures
    // ended): no interactive transaction holding a pooled connection for five round trips.
    await onPool().execute(sql`
      WITH attempt AS (
        INSERT INTO webhook_delivery_attempts (delivery_id, attempt, started_at, duration_ms, status_code, response_body, error)
        VALUES (${options.deliveryId}::uuid, ${attempt}::int, ${startedAt}::timestamptz, ${sent.durationMs}::int, ${sent.statusCode}::int, ${sent.responseBody}::text, NULL)
        RETURNING delivery_id
      ), delivered AS (
        UPDATE webhook_deliveries
           SET status = 'SUCCEEDED', delivered_at = ${finishedAt}::timestamptz, next_attempt_at = NULL,
               last_status_code = ${sent.statusCode}::int, last_error = NULL
         WHERE id = (SELECT delivery_id FROM attempt) AND status = 'PENDING' AND attempts = ${attempt}::int
        RETURNING endpoint_id
      )
      UPDATE webhook_endpoints SET failing_since = NULL, updated_at = now()
       WHERE id = (SELECT endpoint_id FROM delivered) AND failing_since IS NOT NULL`);
    return { status: "succeeded", attempt, statusCode: sent.statusCode! };
  }

  const outcome = await db.$transaction(async (tx) => {
    await tx.webhookDeliveryAttempt.create({
      data: {
        deliveryId: options.deliveryId,
        attempt,
        startedAt,
        durationMs: sent.durationMs,
        statusCode: sent.statusCode,
        responseBody: sent.responseBody,
        error,
      },
    });
    const mine = { id: options.deliveryId, status: "PENDING", attempts: attempt };

    // A failure: the endpoint's run of failures starts now unless it already runs.
    const [endpoint] = await tx.$queryRaw<{ failing_since: Date; enabled: boolean }[]>`
      UPDATE webhook_endpoints SET failing_since = coalesce(failing_since, ${startedAt}::timestamptz)
       WHERE id = ${claimed.endpoint_id}::uuid RETURNING failing_since, enabled`;
    if (endpoint?.enabled && finishedAt.getTime() - endpoint.failing_since.getTime() >= WEBHOOK_DISABLE_AFTER_MS) {
      await tx.webhookDelivery.updateMany({ where: mine, data: { lastStatusCode: sent.statusCode, lastError: error } });
      await switchOffFailingEndpoint(tx, { endpointId: claimed.endpoint_id, organizationId: claimed.organization_id, lastError: error!, failingSince: endpoint.failing_since, at: finishedAt });
      return { status: "failed", attempt, reason: "endpoint_disabled" } as const;
    }
    if (attempt >= WEBHOOK_MAX_ATTEMPTS) {
      await tx.webhookDelivery.updateMany({
        where: mine,
        data: { status: "FAILED", nextAttemptAt: null, lastStatusCode: sent.statusCode, lastError: error },
      });
      return { status: "failed", attempt, reason: "attempts_exhausted" } as const;
    }
    const nextAttemptAt = new Date(finishedAt.getTime() + WEBHOOK_RETRY_DELAYS_MS[attempt - 1]);
    const moved = await tx.webhookDelivery.updateMany({
      where: mine,
      data: { nextAttemptAt, lastStatusCode: sent.statusCode, lastError: error },
    });
    if (moved.count === 1) {
      await enqueue(tx, "webhooks/delivery-requested", { deliveryId: options.deliveryId }, { id: attemptJobId(options.deliveryId, attempt + 1), runAt: nextAttemptAt });
    }
    return { status: "retrying", attempt, nextAttemptAt, statusCode: sent.statusCode, error } as const;
  }, TX_PROFILES.standard);
  if (outcome.status === "failed" && outcome.reason === "endpoint_disabled") kick();
  return outcome;
}

/**
 * Switches off an endpoint that has failed for a day (compare-and-set on enabled: one switch, one audit
 * row, one mail however many attempts fail at once), ends its pending deliveries FAILED and writes the
 * owner's email to the mail outbox — all in the caller's transaction.
 */
async function switchOffFailingEndpoint(
  tx: Prisma.TransactionClient,
  v: { endpointId: string; organizationId: string; lastError: string; failingSince: Date; at: Date },
): Promise<boolean> {
  const switched = await tx.webhookEndpoint.updateMany({
    where: { id: v.endpointId, enabled: true },
    data: { enabled: false, disabledAt: v.at, disabledReason: "FAILING" },
  });
  if (switched.count === 0) return false;
  await tx.webhookDelivery.updateMany({
    where: { endpointId: v.endpointId, status: "PENDING" },
    data: { status: "FAILED", nextAttemptAt: null },
  });
  await writeAudit(tx, {
    organizationId: v.organizationId,
    actorId: null,
    entityType: "webhook_endpoint",
    entityId: v.endpointId,
    action: "webhook_endpoint.disabled",
    changes: { enabled: { from: true, to: false }, reason: "FAILING", failingSince: v.failingSince.toISOString(), lastError: v.lastError },
  });
  const row = await tx.webhookEndpoint.findUniqueOrThrow({
    where: { id: v.endpointId },
    select: { url: true, organization: { select: { name: true, slug: true, owner: { select: { email: true, firstName: true, locale: true, deletedAt: true } } } } },
  });
  const owner = row.organization.owner;
  if (owner.email && !owner.deletedAt) {
    const locale = fromDbLocale(owner.locale);
    const t = translatorFor(locale);
    const link = new URL(`/dashboard/o/${row.organization.slug}/developers/webhooks/${v.endpointId}`, `${env().APP_URL.replace(/\/+$/, "")}/`).toString();
    const since = formatDate(v.failingSince, locale, "medium", { timeZone: "UTC" });
    const body = renderMail(
      {
        greeting: t("webhooks.mail.greeting", { name: owner.firstName }),
        paragraphs: [
          t("webhooks.mail.disabledIntro", { organization: row.organization.name, url: row.url, since: `${since} UTC` }),
          t("webhooks.mail.lastError", { error: v.lastError }),
          t("webhooks.mail.whatNow"),
        ],
        action: { label: t("webhooks.mail.action"), url: link },
        signature: t("webhooks.mail.signature"),
      },
      { lang: locale },
    );
    await sendMail({ to: owner.email, subject: t("webhooks.mail.disabledSubject", { url: shortUrl(row.url) }), ...body }, tx, {
      key: `webhook-disabled:${v.endpointId}:${v.at.toISOString()}`,
    });
  }
  return true;
}

function shortUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.host}${u.pathname === "/" ? "" : u.pathname}`.slice(0, 80);
  } catch {
    return url.slice(0, 80);
  }
}

/**
 * The sweep (cron `webhooks-sweep`, every minute): a PENDING delivery of an enabled endpoint whose time has
 * passed by more than a minute has lost its job (a crash mid-attempt leaves the claim's lease; a job that
 * ran too early on a skewed clock did nothing) — it gets a job again. The event id names the due time, so
 * one sweep per due time writes one job. Also ends the pending deliveries of switched-off endpoints.
 */
export async function sweepWebhookDeliveries(options: { now?: Date; limit?: number } = {}): Promise<{ requeued: number; ended: number }> {
  const now = options.now ?? new Date();
  const ended = await onPool().execute(sql`
    UPDATE webhook_deliveries d SET status = 'FAILED', next_attempt_at = NULL,
           last_error = coalesce(d.last_error || ' · ', '') || 'endpoint switched off'
      FROM webhook_endpoints e
     WHERE d.status = 'PENDING' AND e.id = d.endpoint_id AND NOT e.enabled`);
  const due = await onPool().rows<{ id: string; attempts: number; next_attempt_at: Date }>(sql`
    SELECT d.id, d.attempts, d.next_attempt_at FROM webhook_deliveries d
     WHERE d.status = 'PENDING' AND d.next_attempt_at < ${new Date(now.getTime() - 60_000)}::timestamptz
     ORDER BY d.next_attempt_at LIMIT ${options.limit ?? 1000}`);
  let requeued = 0;
  for (const d of due) {
    const r = await enqueue(db, "webhooks/delivery-requested", { deliveryId: d.id }, { id: `${attemptJobId(d.id, d.attempts + 1)}:due:${d.next_attempt_at.getTime()}` });
    requeued += r.created;
  }
  if (requeued > 0) kick();
  return { requeued, ended };
}
