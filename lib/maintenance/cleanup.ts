// Housekeeping: removes rows that only ever grow and that nothing needs after their retention.
// Each table is purged in small batches (short transactions, no long locks). Idempotency records and
// unreferenced media have their own jobs (lib/idempotency.ts, lib/media).
//
// | table                  | removed when                                                    |
// | ---------------------- | --------------------------------------------------------------- |
// | auth_tokens            | expired more than 7 days ago (recent ones explain "link expired")|
// | telegram_widget_logins | older than 2 days (the widget's own window is 1 hour)            |
// | rate_limit_buckets     | window ended more than 1 hour ago                                |
// | user_sessions          | expired or revoked more than 30 days ago                         |
// | jobs                   | SUCCEEDED 14 days ago, FAILED 30 days ago (never PENDING/RUNNING)|
// | mail_outbox            | older than 30 days (sent mail is deleted on delivery; what stays |
// |                        | is the dev mailbox or a permanent SMTP rejection)                |
import "server-only";
import { db } from "@/lib/db";

export const RETENTION = {
  authTokensDays: 7,
  widgetLoginsDays: 2,
  rateLimitBucketsHours: 1,
  sessionsDays: 30,
  succeededJobsDays: 14,
  failedJobsDays: 30,
  mailOutboxDays: 30,
} as const;

export type CleanupResult = Record<
  "authTokens" | "widgetLogins" | "rateLimitBuckets" | "sessions" | "jobs" | "mailOutbox",
  number
>;

const BATCH = 1000;

/** Repeats one batched DELETE until a batch removes fewer rows than the batch size. */
async function drain(deleteBatch: () => Promise<number>): Promise<number> {
  let total = 0;
  for (;;) {
    const removed = await deleteBatch();
    total += removed;
    if (removed < BATCH) return total;
  }
}

export async function purgeStaleRows(): Promise<CleanupResult> {
  const r = RETENTION;
  const authTokens = await drain(
    () => db.$executeRaw`
      DELETE FROM auth_tokens WHERE id IN (
        SELECT id FROM auth_tokens WHERE expires_at < now() - make_interval(days => ${r.authTokensDays}::int) LIMIT ${BATCH}::int)`,
  );
  const widgetLogins = await drain(
    () => db.$executeRaw`
      DELETE FROM telegram_widget_logins WHERE hash IN (
        SELECT hash FROM telegram_widget_logins WHERE created_at < now() - make_interval(days => ${r.widgetLoginsDays}::int) LIMIT ${BATCH}::int)`,
  );
  const rateLimitBuckets = await drain(
    () => db.$executeRaw`
      DELETE FROM rate_limit_buckets WHERE key IN (
        SELECT key FROM rate_limit_buckets WHERE reset_at < now() - make_interval(hours => ${r.rateLimitBucketsHours}::int) LIMIT ${BATCH}::int)`,
  );
  const sessions = await drain(
    () => db.$executeRaw`
      DELETE FROM user_sessions WHERE id IN (
        SELECT id FROM user_sessions
        WHERE expires_at < now() - make_interval(days => ${r.sessionsDays}::int)
           OR revoked_at < now() - make_interval(days => ${r.sessionsDays}::int)
        LIMIT ${BATCH}::int)`,
  );
  const jobs = await drain(
    () => db.$executeRaw`
      DELETE FROM jobs WHERE id IN (
        SELECT id FROM jobs
        WHERE (status = 'SUCCEEDED' AND finished_at < now() - make_interval(days => ${r.succeededJobsDays}::int))
           OR (status = 'FAILED' AND finished_at < now() - make_interval(days => ${r.failedJobsDays}::int))
        LIMIT ${BATCH}::int)`,
  );
  const mailOutbox = await drain(
    () => db.$executeRaw`
      DELETE FROM mail_outbox WHERE id IN (
        SELECT id FROM mail_outbox WHERE created_at < now() - make_interval(days => ${r.mailOutboxDays}::int) LIMIT ${BATCH}::int)`,
  );
  return { authTokens, widgetLogins, rateLimitBuckets, sessions, jobs, mailOutbox };
}
