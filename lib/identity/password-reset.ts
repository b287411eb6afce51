// Password reset (F05). "Forgot password" answers the same for every email — known, unknown, deleted —
// and mails a link only to an existing account: 64 hex characters (32 random bytes), SHA-256 stored,
// 1 hour, single use. At most 3 requests per email per hour (counted whether or not the account exists,
// so the limit reveals nothing) and at most 10 per client address per hour.
//
// Resetting is one conditional UPDATE of the token (unused and not expired → used): of many parallel
// resets with one link exactly one wins. The winner, in the same transaction, sets the new password,
// clears the lockout, signs out every session, and voids the user's other reset links and any pending
// Telegram sign-in/link tokens. Receiving the mail proves the mailbox, so a reset also verifies that email.
//
// Linked sign-in methods: the reset page shows them (getPasswordResetContext) and the person may remove
// the Telegram link as part of the reset (`unlinkTelegram`), in the same transaction. The page ticks
// that box by default when the email had never been verified: then whoever created the account may not
// be the mailbox owner, and a Telegram link they made would otherwise survive the reset
// (docs/telegram.md, "Linking").
import "server-only";
import { writeAudit } from "@/lib/audit";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { fromDbLocale } from "@/lib/i18n/config";
import { kick, sendMail } from "@/lib/mail";
import { renderMail } from "@/lib/mail/render";
import { fieldErrorsOf, newPasswordSchema } from "@/lib/validation/identity";
import { forgotPasswordSchema } from "@/lib/validation/account";
import { enforceLimit } from "@/lib/rate-limit";
import { hashPassword } from "./password";
import { revokeUserSessions } from "./user-sessions";
import { emailKey, emailLink, generateEmailToken, hashEmailToken, isEmailToken, mailTranslator } from "./verification";

export const PASSWORD_RESET_TTL_MS = 60 * 60 * 1000;


/**
 * "Forgot password". The same answer whether or not the email has an account; only an existing,
 * non-deleted account gets a mail (after the commit). Errors: VALIDATION (malformed email),
 * RATE_LIMITED (per email or per address).
 */
export async function requestPasswordReset(
  { email: rawEmail, ip, now = new Date() }: { email: unknown; ip?: string | null; now?: Date },
): Promise<{ ok: true }> {
  const parsed = forgotPasswordSchema.safeParse({ email: rawEmail });
  if (!parsed.success) throw new AppError("VALIDATION", "errors.validation", fieldErrorsOf(parsed.error));
  const { email } = parsed.data;

  await enforceLimit("password-reset", "ip", ip);
  await enforceLimit("password-reset", "email", emailKey(email));

  const sent = await db.$transaction(async (tx) => {
    const user = await tx.user.findFirst({ where: { email, deletedAt: null }, select: { id: true, firstName: true, locale: true } });
    if (!user) return false;

    const token = generateEmailToken();
    await tx.authToken.create({
      data: {
        type: "PASSWORD_RESET",
        userId: user.id,
        tokenHash: hashEmailToken(token),
        payload: { email },
        expiresAt: new Date(now.getTime() + PASSWORD_RESET_TTL_MS),
        createdAt: now,
      },
    });
    const locale = fromDbLocale(user.locale);
    const t = mailTranslator(locale);
    const body = renderMail(
      {
        greeting: t("account.mail.greeting", { name: user.firstName }),
        paragraphs: [t("account.mail.resetIntro")],
        action: { label: t("account.mail.resetAction"), url: emailLink("/reset-password", token) },
        footer: [t("account.mail.resetExpires"), t("account.mail.resetIgnore")],
        signature: t("account.mail.signature"),
      },
      { lang: locale },
    );
    await sendMail({ to: email, subject: t("account.mail.resetSubject"), ...body }, tx);
    return true;
  });
  if (sent) kick();
  return { ok: true };
}

export type ResetTokenState = "valid" | "used" | "expired" | "invalid";

/** What the reset page shows before the form is sent (reads only; the token is not used up). */
export async function checkPasswordResetToken({ token, now = new Date() }: { token: unknown; now?: Date }): Promise<ResetTokenState> {
  return (await getPasswordResetContext({ token, now })).state;
}

export type PasswordResetContext = {
  state: ResetTokenState;
  /** Only for a live link: the account's other ways to sign in, which the reset can remove. */
  linkedMethods: { telegram: { username: string | null } | null } | null;
  /** Only for a live link: the email had been verified before this reset (else "unlink" is pre-ticked). */
  emailWasVerified: boolean | null;
};

/** The reset page's data: the link's state and, for a live link, the linked sign-in methods. */
export async function getPasswordResetContext({ token, now = new Date() }: { token: unknown; now?: Date }): Promise<PasswordResetContext> {
  const dead = (state: ResetTokenState): PasswordResetContext => ({ state, linkedMethods: null, emailWasVerified: null });
  if (!isEmailToken(token)) return dead("invalid");
  const row = await db.authToken.findUnique({
    where: { tokenHash: hashEmailToken(token) },
    select: {
      type: true,
      usedAt: true,
      expiresAt: true,
      user: { select: { deletedAt: true, emailVerified: true, telegramId: true, telegramUsername: true } },
    },
  });
  if (!row || row.type !== "PASSWORD_RESET" || !row.user || row.user.deletedAt) return dead("invalid");
  if (row.usedAt) return dead("used");
  if (row.expiresAt <= now) return dead("expired");
  return {
    state: "valid",
    linkedMethods: { telegram: row.user.telegramId ? { username: row.user.telegramUsername } : null },
    emailWasVerified: row.user.emailVerified,
  };
}

function tokenError(state: Exclude<ResetTokenState, "valid">): AppError {
  switch (state) {
    case "used":
      return new AppError("CONFLICT", "account.errors.resetLinkUsed");
    case "expired":
      return new AppError("CONFLICT", "account.errors.resetLinkExpired");
    case "invalid":
      return new AppError("NOT_FOUND", "account.errors.resetLinkInvalid");
  }
}

/**
 * Sets a new password with a reset link; with `unlinkTelegram` also removes the account's Telegram link
 * (the new password and the email remain, so the account keeps a way in). Errors: VALIDATION (password
 * rules), CONFLICT resetLinkUsed / resetLinkExpired, NOT_FOUND resetLinkInvalid.
 */
export async function resetPassword({
  token,
  password,
  unlinkTelegram = false,
  now = new Date(),
}: {
  token: unknown;
  password: unknown;
  unlinkTelegram?: boolean;
  now?: Date;
}): Promise<{ userId: string; revokedSessions: number; telegramUnlinked: boolean }> {
  const parsedPassword = newPasswordSchema.safeParse(password);
  if (!parsedPassword.success) {
    throw new AppError("VALIDATION", "errors.validation", { password: parsedPassword.error.issues[0]?.message ?? "validation.invalid" });
  }
  if (!isEmailToken(token)) throw tokenError("invalid");
  // Cheap early answer for a dead link, before bcrypt; the conditional update below still decides.
  const state = await checkPasswordResetToken({ token, now });
  if (state !== "valid") throw tokenError(state);

  const passwordHash = await hashPassword(parsedPassword.data);
  const tokenHash = hashEmailToken(token);

  const outcome = await db.$transaction(async (tx) => {
    const used = await tx.authToken.updateMany({
      where: { tokenHash, type: "PASSWORD_RESET", usedAt: null, expiresAt: { gt: now } },
      data: { usedAt: now },
    });
    if (used.count === 0) return null;
    const row = await tx.authToken.findUniqueOrThrow({ where: { tokenHash }, select: { userId: true, payload: true } });
    if (!row.userId) return null;
    const userId = row.userId;

    const user = await tx.user.findFirst({ where: { id: userId, deletedAt: null }, select: { email: true, emailVerified: true, telegramId: true } });
    if (!user) return null;
    const sentTo = (row.payload as { email?: unknown } | null)?.email;
    const verifiesEmail = !user.emailVerified && typeof sentTo === "string" && sentTo === user.email;
    const telegramUnlinked = unlinkTelegram && user.telegramId !== null;

    await tx.user.update({
      where: { id: userId },
      data: {
        passwordHash,
        failedLoginCount: 0,
        lockedUntil: null,
        ...(verifiesEmail ? { emailVerified: true, emailVerifiedAt: now } : {}),
        ...(telegramUnlinked ? { telegramId: null, telegramChatId: null, telegramUsername: null } : {}),
      },
    });
    const revokedSessions = await revokeUserSessions({ userId }, tx);
    await tx.authToken.updateMany({
      where: { userId, type: "PASSWORD_RESET", usedAt: null },
      data: { usedAt: now },
    });
    // A Telegram sign-in confirmed but not yet exchanged for a session, or a link token still open,
    // must not outlive the reset either.
    await tx.authToken.updateMany({
      where: { userId, type: { in: ["TELEGRAM_LOGIN", "TELEGRAM_LINK"] }, usedAt: null, expiresAt: { gt: now } },
      data: { expiresAt: now },
    });
    await writeAudit(tx, { actorId: userId, entityType: "user", entityId: userId, action: "user.password_reset", changes: { revokedSessions, telegramUnlinked } });
    if (telegramUnlinked) {
      await writeAudit(tx, {
        actorId: userId,
        entityType: "user",
        entityId: userId,
        action: "user.telegram_unlinked",
        changes: { telegramId: { from: user.telegramId, to: null }, reason: "password_reset" },
      });
    }
    return { userId, revokedSessions, telegramUnlinked };
  });
  if (outcome) return outcome;

  // Lost the race, or the account went away meanwhile.
  const after = await checkPasswordResetToken({ token, now });
  throw tokenError(after === "valid" ? "invalid" : after);
}
