// Email verification (F04). A token is 32 random bytes as 64 hex characters; only its SHA-256 is
// stored (auth_tokens, type EMAIL_VERIFICATION, payload { email }); it is valid for 24 hours and
// works once. The mail goes out after the commit of the transaction that issued it (lib/mail).
//
// Verifying is one conditional UPDATE (unused and not expired → used), so a link opened twice, or in
// two tabs at once, verifies once; the loser learns "used". A token only verifies the address it was
// sent to (payload.email must still be the user's email).
//
// "Verified" for the product (isVerified) means: email verified, or a Telegram account (Telegram
// proved who the user is). Unverified users can sign in, but cannot request an organization.
import "server-only";
import { createHash, randomBytes } from "node:crypto";
import { writeAudit } from "@/lib/audit";
import { db, type DbClient, withTransaction } from "@/lib/db";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { fromDbLocale, type Locale } from "@/lib/i18n/config";
import { translatorFor } from "@/lib/i18n/catalogue";
import type { Translator } from "@/lib/i18n/translate";
import { enforceLimit } from "@/lib/rate-limit";
import { renderMail } from "@/lib/mail/render";
import { kick, sendMail } from "@/lib/mail";
import { EMAIL_TOKEN_PATTERN } from "@/lib/validation/account";

export const EMAIL_TOKEN_BYTES = 32;
export const VERIFICATION_TTL_MS = 24 * 60 * 60 * 1000;

// ───────────────────────────── tokens ─────────────────────────────

/** A fresh email-link token: 32 random bytes, 64 lower-case hex characters. */
export function generateEmailToken(): string {
  return randomBytes(EMAIL_TOKEN_BYTES).toString("hex");
}

export function isEmailToken(value: unknown): value is string {
  return typeof value === "string" && EMAIL_TOKEN_PATTERN.test(value);
}

/** What is stored instead of the token. */
export function hashEmailToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

/** `${APP_URL}${path}?token=…` */
export function emailLink(path: string, token: string): string {
  const url = new URL(path, `${env().APP_URL.replace(/\/+$/, "")}/`);
  url.searchParams.set("token", token);
  return url.toString();
}

/** Translator of a user's language, for mails. */
export function mailTranslator(locale: Locale): Translator {
  return translatorFor(locale);
}


/** Rate-limit keys carry a hash of the email, not the address itself. */
export function emailKey(email: string): string {
  return createHash("sha256").update(email.trim().toLowerCase()).digest("hex").slice(0, 32);
}

// ───────────────────────────── "verified" ─────────────────────────────

/** Email verified, or a Telegram user (Telegram proved who they are). */
export function isVerified(user: { emailVerified: boolean; telegramId: string | null }): boolean {
  return user.emailVerified || !!user.telegramId;
}

/** isVerified() of a user by id (false for an unknown or deleted user). */
export async function isUserVerified({ userId }: { userId: string }, tx: DbClient = db): Promise<boolean> {
  const user = await tx.user.findFirst({ where: { id: userId, deletedAt: null }, select: { emailVerified: true, telegramId: true } });
  return !!user && isVerified(user);
}

export type VerificationStatus = {
  email: string | null;
  emailVerified: boolean;
  /** isVerified(): email verified or a Telegram user. */
  verified: boolean;
  /** An email that is not verified yet: the banner and the account page offer a new link. */
  needsEmailVerification: boolean;
};

export async function getVerificationStatus({ userId }: { userId: string }, tx: DbClient = db): Promise<VerificationStatus | null> {
  const user = await tx.user.findFirst({
    where: { id: userId, deletedAt: null },
    select: { email: true, emailVerified: true, telegramId: true },
  });
  if (!user) return null;
  return {
    email: user.email,
    emailVerified: user.emailVerified,
    verified: isVerified(user),
    needsEmailVerification: !!user.email && !user.emailVerified,
  };
}

// ───────────────────────────── issuing ─────────────────────────────

/**
 * Issues a verification token for the user's current email and writes its mail, in `tx` (so the mail
 * goes out only if the caller commits). Nothing happens for a user without an email or already verified.
 */
export async function issueEmailVerification(
  { userId, now = new Date() }: { userId: string; now?: Date },
  tx: DbClient = db,
): Promise<{ sent: boolean }> {
  return withTransaction(tx, async (t) => {
    const user = await t.user.findFirst({
      where: { id: userId, deletedAt: null },
      select: { email: true, emailVerified: true, firstName: true, locale: true },
    });
    if (!user?.email || user.emailVerified) return { sent: false };

    const token = generateEmailToken();
    await t.authToken.create({
      data: {
        type: "EMAIL_VERIFICATION",
        userId,
        tokenHash: hashEmailToken(token),
        payload: { email: user.email },
        expiresAt: new Date(now.getTime() + VERIFICATION_TTL_MS),
        createdAt: now,
      },
    });

    const locale = fromDbLocale(user.locale);
    const t9n = mailTranslator(locale);
    const body = renderMail(
      {
        greeting: t9n("account.mail.greeting", { name: user.firstName }),
        paragraphs: [t9n("account.mail.verifyIntro")],
        action: { label: t9n("account.mail.verifyAction"), url: emailLink("/verify-email", token) },
        footer: [t9n("account.mail.verifyExpires"), t9n("account.mail.verifyIgnore")],
        signature: t9n("account.mail.signature"),
      },
      { lang: locale },
    );
    await sendMail({ to: user.email, subject: t9n("account.mail.verifySubject"), ...body }, t);
    return { sent: true };
  });
}

/**
 * "Send a new link" (signed-in user). At most 3 per user per hour, counted in PostgreSQL (shared by
 * every server): of 10 parallel requests exactly 3 send a mail. Errors: CONFLICT when the email is
 * already verified (or there is none), RATE_LIMITED.
 */
export async function resendEmailVerification(
  { userId, now = new Date() }: { userId: string; now?: Date },
  tx: DbClient = db,
): Promise<{ email: string }> {
  const status = await getVerificationStatus({ userId }, tx);
  if (!status) throw new AppError("UNAUTHENTICATED", "errors.unauthenticated");
  if (!status.needsEmailVerification || !status.email) throw new AppError("CONFLICT", "account.errors.alreadyVerified");

  // Named limit "verify-resend" (lib/http/limits.ts); the mail at sign-up is not counted.
  await enforceLimit("verify-resend", "user", userId);

  const { sent } = await issueEmailVerification({ userId, now }, tx);
  if (!sent) throw new AppError("CONFLICT", "account.errors.alreadyVerified");
  kick();
  return { email: status.email };
}

// ───────────────────────────── verifying ─────────────────────────────

export type VerifyEmailResult =
  | { status: "verified"; userId: string }
  /** The link was used before; `emailVerified` tells whether the address is verified by now. */
  | { status: "used"; emailVerified: boolean }
  | { status: "expired" }
  | { status: "invalid" };

/** Uses a verification token: unused and not expired → the user's email is verified. */
export async function verifyEmail({ token, now = new Date() }: { token: unknown; now?: Date }): Promise<VerifyEmailResult> {
  if (!isEmailToken(token)) return { status: "invalid" };
  const tokenHash = hashEmailToken(token);

  const verifiedUserId = await db.$transaction(async (tx) => {
    const used = await tx.authToken.updateMany({
      where: { tokenHash, type: "EMAIL_VERIFICATION", usedAt: null, expiresAt: { gt: now } },
      data: { usedAt: now },
    });
    if (used.count === 0) return null;
    const row = await tx.authToken.findUniqueOrThrow({ where: { tokenHash }, select: { userId: true, payload: true } });
    const email = (row.payload as { email?: unknown } | null)?.email;
    if (!row.userId || typeof email !== "string") return null;

    // First verification sets the time; a second valid link for the same address changes nothing.
    const changed = await tx.user.updateMany({
      where: { id: row.userId, email, deletedAt: null, emailVerified: false },
      data: { emailVerified: true, emailVerifiedAt: now },
    });
    if (changed.count === 0) {
      const current = await tx.user.findFirst({ where: { id: row.userId, email, deletedAt: null }, select: { id: true } });
      // The address changed or the account is gone: the link is worthless (and stays used).
      if (!current) return null;
    } else {
      await writeAudit(tx, { actorId: row.userId, entityType: "user", entityId: row.userId, action: "user.email_verified", changes: { email } });
    }
    return row.userId;
  });
  if (verifiedUserId) return { status: "verified", userId: verifiedUserId };

  const row = await db.authToken.findUnique({
    where: { tokenHash },
    select: { type: true, usedAt: true, expiresAt: true, user: { select: { emailVerified: true, deletedAt: true } } },
  });
  if (!row || row.type !== "EMAIL_VERIFICATION" || !row.user || row.user.deletedAt) return { status: "invalid" };
  if (row.usedAt) return { status: "used", emailVerified: row.user.emailVerified };
  if (row.expiresAt <= now) return { status: "expired" };
  return { status: "invalid" };
}
