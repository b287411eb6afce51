// Payment deadlines (docs/payments.md "Refund policy, payment deadline"): nothing holds a seat forever.
//
// - RESERVED registrations end at their own timer (lib/registrations/expiry.ts).
// - PENDING registrations (a paid type without a reservation timer) must be paid within
//   PAYMENTS_PENDING_HOURS of registering and before the event starts: the deadline is
//   least(created_at + PAYMENTS_PENDING_HOURS, starts_at), computed where it is read
//   (pendingPaymentDeadlineSql), so no column and no second copy of the rule. The sweep cancels those
//   past it — system actor, a reason in the participant's language, seat returned and offered to the
//   waitlist — through cancelRegistrationInTransaction, unless a payment for it is still open
//   (PENDING/PROCESSING: the participant is paying right now; the hold of the checkout protects it, and
//   the reconciliation settles or fails that payment first).
// - Prepayment remainders: a reminder 72 h and 24 h before the due date (`payment.remainder_reminder`),
//   each once (notify's dedupe key), only the nearer one when the first sweep finds it inside 24 h.
import "server-only";
import { db, raw, sql, TX_PROFILES, type Sql } from "@/lib/db";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { dateVar, notify } from "@/lib/notifications";
import { cancelRegistrationInTransaction, loadRegistration } from "@/lib/registrations/cancel";
import { formatMoney, noticeRecipient, ticketUrlOf } from "@/lib/registrations/shared";
import { OPEN_PAYMENT_STATUSES } from "./transitions";

export const PENDING_DEADLINE_REASON = {
  RU: "Оплата не поступила в срок",
  EN: "The payment was not received in time",
} as const;

/** Hours before a prepayment's due date at which the remainder reminder is sent (each once). */
export const REMAINDER_REMINDER_HOURS = [72, 24] as const;

/**
 * The payment deadline of a PENDING registration as SQL, over the aliases `r` (registrations) and `e`
 * (events): least(created_at + PAYMENTS_PENDING_HOURS, starts_at).
 */
export function pendingPaymentDeadlineSql(hours: number = env().PAYMENTS_PENDING_HOURS, r = "r", e = "e"): Sql {
  if (!/^[a-z_]+$/.test(r) || !/^[a-z_]+$/.test(e)) throw new Error("alias expected");
  return sql`LEAST(${raw(r)}.created_at + make_interval(hours => ${hours}::int), ${raw(e)}.starts_at)`;
}

/** The deadline of one PENDING registration (for a page that shows "pay by …"). */
export function pendingPaymentDeadline(createdAt: Date, startsAt: Date, hours: number = env().PAYMENTS_PENDING_HOURS): Date {
  return new Date(Math.min(createdAt.getTime() + hours * 3_600_000, startsAt.getTime()));
}

/** Cron: cancels PENDING registrations past their deadline (see the file comment). Returns how many. */
export async function cancelOverduePendingRegistrations(options: { limit?: number; hours?: number } = {}): Promise<number> {
  const deadline = pendingPaymentDeadlineSql(options.hours);
  const query = sql`
    SELECT r.id, u.locale::text AS locale
      FROM registrations r
      JOIN events e ON e.id = r.event_id
      LEFT JOIN users u ON u.id = r.user_id
     WHERE r.status = 'PENDING' AND r.price_cents > 0 AND ${deadline} <= now()
       AND NOT EXISTS (SELECT 1 FROM payments p WHERE p.registration_id = r.id AND p.status::text = ANY(${[...OPEN_PAYMENT_STATUSES]}::text[]))
     ORDER BY r.created_at
     LIMIT ${options.limit ?? 200}::int`.compile();
  const candidates = await db.$queryRawUnsafe<{ id: string; locale: "RU" | "EN" | null }[]>(query.text, ...query.values);
  let cancelled = 0;
  for (const c of candidates) {
    const done = await db.$transaction(async (tx) => {
      // The registration row locked first: a checkout starting now (it extends the hold on this row)
      // either committed its open payment before — seen below — or waits for this cancellation.
      const locked = await tx.$queryRaw<{ id: string }[]>`
        SELECT r.id FROM registrations r WHERE r.id = ${c.id}::uuid AND r.status = 'PENDING' FOR UPDATE`;
      if (!locked.length) return false;
      const open = await tx.payment.count({ where: { registrationId: c.id, status: { in: [...OPEN_PAYMENT_STATUSES] } } });
      if (open) return false;
      const registration = await loadRegistration(tx, { id: c.id });
      if (!registration || registration.status !== "PENDING") return false;
      try {
        await cancelRegistrationInTransaction(tx, registration, {
          actorId: null,
          reason: PENDING_DEADLINE_REASON[c.locale ?? "RU"],
          byOrganizer: false,
          action: "registration.cancelled_payment_overdue",
        });
        return true;
      } catch (e) {
        if (e instanceof AppError && e.code === "CONFLICT") return false;
        throw e;
      }
    }, TX_PROFILES.standard);
    if (done) cancelled += 1;
  }
  return cancelled;
}

/** Cron: the remainder reminders of prepayments due soon (each window once per prepayment). */
export async function sendRemainderReminders(options: { limit?: number } = {}): Promise<number> {
  const [far, near] = REMAINDER_REMINDER_HOURS;
  const rows = await db.$queryRaw<
    {
      prepayment_id: string;
      registration_id: string;
      user_id: string | null;
      email: string | null;
      first_name: string;
      remaining_cents: number;
      currency: string;
      due_date: Date;
      title: string;
      starts_at: Date;
      timezone: string;
      locale: "RU" | "EN";
      reminder_window: number;
    }[]
  >`
    SELECT p.id AS prepayment_id, r.id AS registration_id, r.user_id, r.email, r.first_name, p.remaining_cents, r.currency::text AS currency,
           p.due_date, e.title, e.starts_at, e.timezone, coalesce(u.locale, r.locale)::text AS locale,
           CASE WHEN p.due_date <= now() + make_interval(hours => ${near}::int) THEN ${near}::int ELSE ${far}::int END AS reminder_window
      FROM prepayments p
      JOIN registrations r ON r.id = p.registration_id
      JOIN events e ON e.id = r.event_id
      LEFT JOIN users u ON u.id = r.user_id AND u.deleted_at IS NULL
     WHERE p.status = 'PARTIAL' AND p.remaining_cents > 0 AND r.status = 'CONFIRMED'
       AND (u.id IS NOT NULL OR (r.user_id IS NULL AND r.email IS NOT NULL))
       AND p.due_date > now() AND p.due_date <= now() + make_interval(hours => ${far}::int)
       AND NOT EXISTS (
         SELECT 1 FROM notification_logs n
          WHERE n.dedupe_key = 'payment.remainder_reminder:' || p.id::text || ':'
                || (CASE WHEN p.due_date <= now() + make_interval(hours => ${near}::int) THEN ${near}::int ELSE ${far}::int END)::text)
     ORDER BY p.due_date
     LIMIT ${options.limit ?? 500}::int`;
  let sent = 0;
  for (const row of rows) {
    const to = noticeRecipient({ id: row.registration_id, userId: row.user_id, email: row.email, locale: row.locale });
    if (!to) continue;
    const result = await notify(db, {
      ...to,
      templateCode: "payment.remainder_reminder",
      variables: {
        firstName: row.first_name,
        eventTitle: row.title,
        eventDate: dateVar(row.starts_at, row.timezone),
        remainingAmount: formatMoney(row.remaining_cents, row.currency, row.locale ?? "RU"),
        dueDate: dateVar(row.due_date, row.timezone),
        ticketUrl: ticketUrlOf({ id: row.registration_id, userId: row.user_id }),
      },
      dedupeKey: `payment.remainder_reminder:${row.prepayment_id}:${row.reminder_window}`,
    });
    if (result.created) sent += 1;
  }
  return sent;
}

/** The cron job's work: overdue PENDING registrations, then remainder reminders. */
export async function sweepPaymentDeadlines(): Promise<{ cancelled: number; reminders: number }> {
  const cancelled = await cancelOverduePendingRegistrations();
  const reminders = await sendRemainderReminders();
  return { cancelled, reminders };
}
