// Accounts against a real, fresh PostgreSQL database: email verification, password reset, password
// change, sessions, account deletion and the account rate limits (exact counts under parallel calls).
// SMTP is not configured here, so every mail stays in mail_outbox (what the dev mailbox shows).
import { createHash } from "node:crypto";
import { describe, expect, test } from "vitest";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { LIMITS } from "@/lib/http/limits";
import {
  changePassword,
  deleteAccount,
  getAccount,
  limitSignIn,
  listSessions,
  OwnerOfOrganizationsError,
  signOutOtherSessions,
  updateLocale,
  updateProfile,
} from "@/lib/identity/account";
import { verifyCredentials } from "@/lib/identity/credentials";
import { verifyPassword } from "@/lib/identity/password";
import {
  checkPasswordResetToken,
  getPasswordResetContext,
  PASSWORD_RESET_TTL_MS,
  requestPasswordReset,
  resetPassword,
} from "@/lib/identity/password-reset";
import { signUp } from "@/lib/identity/sign-up";
import { createSessionForUser, resolveSession } from "@/lib/identity/user-sessions";
import {
  getVerificationStatus,
  isUserVerified,
  isVerified,
  issueEmailVerification,
  resendEmailVerification,
  VERIFICATION_TTL_MS,
  verifyEmail,
} from "@/lib/identity/verification";
import { listOutbox, sendMail } from "@/lib/mail";
import { fromClient, uniqueIp } from "@/tests/helpers/client-address";
import { createOrganization, createUser, TEST_PASSWORD, uniqueEmail, uniqueTelegramId } from "@/tests/helpers/factories";

const PASSWORD = "Секрет123";
const NEW_PASSWORD = "Новый2026pass";

const sha256 = (value: string) => createHash("sha256").update(value).digest("hex");

async function expectAppError(promise: Promise<unknown>, code?: string, message?: string): Promise<AppError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  if (code) expect((error as AppError).code).toBe(code);
  if (message) expect((error as AppError).message).toBe(message);
  return error as AppError;
}

function settle<T>(promises: Promise<T>[]) {
  return Promise.allSettled(promises).then((results) => ({
    fulfilled: results.filter((r): r is PromiseFulfilledResult<Awaited<T>> => r.status === "fulfilled").map((r) => r.value),
    rejected: results.filter((r): r is PromiseRejectedResult => r.status === "rejected").map((r) => r.reason as unknown),
  }));
}

const mailsTo = (email: string) => listOutbox({ to: email, limit: 200 });

/** The token of the newest mail to `email` that links to `path`. */
async function tokenFromMail(email: string, path: "/verify-email" | "/reset-password"): Promise<string> {
  const mails = await mailsTo(email);
  for (const mail of mails) {
    const match = new RegExp(`${path.replace("/", "\\/")}\\?token=([0-9a-f]{64})`).exec(mail.text);
    if (match) return match[1];
  }
  throw new Error(`no ${path} mail to ${email}`);
}

async function newAccount(options: { email?: string; locale?: "ru" | "en" } = {}) {
  const email = options.email ?? uniqueEmail("acc");
  const user = await signUp({ email, password: PASSWORD, firstName: "Анна", lastName: "Смирнова", locale: options.locale });
  return { ...user, email };
}

// ───────────────────────────── mail ─────────────────────────────

describe("sendMail", () => {
  test("without SMTP the mail stays in mail_outbox; a rolled-back transaction leaves none", async () => {
    const to = uniqueEmail("mail");
    const { via } = await sendMail({ to, subject: "Hello", text: "Body https://example.com/x" });
    expect(via).toBe("outbox");
    await expect(
      db.$transaction(async (tx) => {
        await sendMail({ to, subject: "Rolled back", text: "never" }, tx);
        throw new Error("rollback");
      }),
    ).rejects.toThrow("rollback");
    const mails = await mailsTo(to);
    expect(mails.map((m) => m.subject)).toEqual(["Hello"]);
    expect(await db.job.count({ where: { eventName: "mail/requested" } })).toBe(0);
  });

  test("rejects a header injection in the subject and a malformed recipient", async () => {
    await expect(sendMail({ to: uniqueEmail(), subject: "a\r\nBcc: x@example.com", text: "x" })).rejects.toThrow();
    await expect(sendMail({ to: "not-an-email", subject: "a", text: "x" })).rejects.toThrow();
  });
});

// ───────────────────────────── verification ─────────────────────────────

describe("email verification", () => {
  test("sign-up mails a 64-hex link valid 24 h; only the SHA-256 is stored", async () => {
    const before = Date.now();
    const user = await newAccount();
    const mails = await mailsTo(user.email);
    expect(mails).toHaveLength(1);
    expect(mails[0].subject).toBe("Подтвердите email в AqStream");
    expect(mails[0].text).toContain("Здравствуйте, Анна!");

    const token = await tokenFromMail(user.email, "/verify-email");
    expect(token).toMatch(/^[0-9a-f]{64}$/);
    const rows = await db.authToken.findMany({ where: { userId: user.id, type: "EMAIL_VERIFICATION" } });
    expect(rows).toHaveLength(1);
    expect(rows[0].tokenHash).toBe(sha256(token));
    expect(JSON.stringify(rows)).not.toContain(token);
    const ttl = rows[0].expiresAt.getTime() - before;
    expect(ttl).toBeGreaterThan(VERIFICATION_TTL_MS - 60_000);
    expect(ttl).toBeLessThanOrEqual(VERIFICATION_TTL_MS + 60_000);

    const status = await getVerificationStatus({ userId: user.id });
    expect(status).toMatchObject({ emailVerified: false, verified: false, needsEmailVerification: true });
  });

  test("an English user gets the mail in English", async () => {
    const user = await newAccount({ locale: "en" });
    const [mail] = await mailsTo(user.email);
    expect(mail.subject).toBe("Confirm your email for AqStream");
    expect(mail.text).toContain("Hello, Анна!");
    expect((await db.user.findUniqueOrThrow({ where: { id: user.id } })).locale).toBe("EN");
  });

  test("a valid link verifies once; the second use says used (already verified)", async () => {
    const user = await newAccount();
    const token = await tokenFromMail(user.email, "/verify-email");

    expect(await verifyEmail({ token })).toEqual({ status: "verified", userId: user.id });
    const row = await db.user.findUniqueOrThrow({ where: { id: user.id } });
    expect(row.emailVerified).toBe(true);
    expect(row.emailVerifiedAt).not.toBeNull();
    expect(await isUserVerified({ userId: user.id })).toBe(true);

    expect(await verifyEmail({ token })).toEqual({ status: "used", emailVerified: true });
    expect(await db.auditLog.count({ where: { entityId: user.id, action: "user.email_verified" } })).toBe(1);
  });

  test("10 parallel uses of one link: exactly one verifies", async () => {
    const user = await newAccount();
    const token = await tokenFromMail(user.email, "/verify-email");
    const results = await Promise.all(Array.from({ length: 10 }, () => verifyEmail({ token })));
    expect(results.filter((r) => r.status === "verified")).toHaveLength(1);
    expect(results.filter((r) => r.status === "used")).toHaveLength(9);
  });

  test("an expired link does not verify", async () => {
    const user = await newAccount();
    const token = await tokenFromMail(user.email, "/verify-email");
    const later = new Date(Date.now() + VERIFICATION_TTL_MS + 60_000);
    expect(await verifyEmail({ token, now: later })).toEqual({ status: "expired" });
    expect((await db.user.findUniqueOrThrow({ where: { id: user.id } })).emailVerified).toBe(false);
  });

  test("malformed, unknown and other-type tokens are invalid", async () => {
    for (const token of [undefined, "", "abc", "G".repeat(64), "a".repeat(63), "a".repeat(64)]) {
      expect(await verifyEmail({ token })).toEqual({ status: "invalid" });
    }
    const user = await newAccount();
    await requestPasswordReset({ email: user.email });
    const resetToken = await tokenFromMail(user.email, "/reset-password");
    expect(await verifyEmail({ token: resetToken })).toEqual({ status: "invalid" });
  });

  test("a link only verifies the address it was sent to", async () => {
    const user = await newAccount();
    const token = await tokenFromMail(user.email, "/verify-email");
    await db.user.update({ where: { id: user.id }, data: { email: uniqueEmail("changed") } });
    expect((await verifyEmail({ token })).status).not.toBe("verified");
    expect((await db.user.findUniqueOrThrow({ where: { id: user.id } })).emailVerified).toBe(false);
  });

  test("resend: 10 parallel requests → exactly 3 mails (3 per hour), the rest RATE_LIMITED", async () => {
    expect(LIMITS["verify-resend"].rules.user.limit).toBe(3);
    const user = await newAccount();
    const { fulfilled, rejected } = await settle(Array.from({ length: 10 }, () => resendEmailVerification({ userId: user.id })));
    expect(fulfilled).toHaveLength(3);
    expect(rejected).toHaveLength(7);
    for (const e of rejected) {
      expect(e).toBeInstanceOf(AppError);
      expect((e as AppError).code).toBe("RATE_LIMITED");
      expect((e as AppError).message).toBe("account.errors.resendLimited");
    }
    // 1 at sign-up + 3 resends; each resent link works.
    expect(await mailsTo(user.email)).toHaveLength(4);
    expect(await db.authToken.count({ where: { userId: user.id, type: "EMAIL_VERIFICATION" } })).toBe(4);
  });

  test("resend for a verified email is CONFLICT and sends nothing", async () => {
    const user = await newAccount();
    await verifyEmail({ token: await tokenFromMail(user.email, "/verify-email") });
    await expectAppError(resendEmailVerification({ userId: user.id }), "CONFLICT", "account.errors.alreadyVerified");
    expect(await mailsTo(user.email)).toHaveLength(1);
  });

  test("isVerified: verified email or Telegram; nothing is issued for users without an email", async () => {
    expect(isVerified({ emailVerified: false, telegramId: null })).toBe(false);
    expect(isVerified({ emailVerified: true, telegramId: null })).toBe(true);
    expect(isVerified({ emailVerified: false, telegramId: "123" })).toBe(true);
    const tg = await createUser({ email: null, telegramId: uniqueTelegramId() });
    expect(await isUserVerified({ userId: tg.id })).toBe(true);
    expect(await issueEmailVerification({ userId: tg.id })).toEqual({ sent: false });
    const deleted = await createUser({ emailVerified: true, deletedAt: new Date() });
    expect(await isUserVerified({ userId: deleted.id })).toBe(false);
  });
});

// ───────────────────────────── password reset ─────────────────────────────

describe("password reset", () => {
  test("an unknown email gets the same answer and no mail; a known one gets a 1-hour link", async () => {
    const unknown = uniqueEmail("nobody");
    expect(await requestPasswordReset({ email: unknown })).toEqual({ ok: true });
    expect(await mailsTo(unknown)).toHaveLength(0);

    const user = await newAccount();
    const before = Date.now();
    expect(await requestPasswordReset({ email: `  ${user.email.toUpperCase()} ` })).toEqual({ ok: true });
    const mails = (await mailsTo(user.email)).filter((m) => m.text.includes("/reset-password?token="));
    expect(mails).toHaveLength(1);
    expect(mails[0].subject).toBe("Сброс пароля в AqStream");
    const token = await tokenFromMail(user.email, "/reset-password");
    const row = await db.authToken.findUniqueOrThrow({ where: { tokenHash: sha256(token) } });
    expect(row.type).toBe("PASSWORD_RESET");
    expect(row.userId).toBe(user.id);
    expect(row.expiresAt.getTime() - before).toBeLessThanOrEqual(PASSWORD_RESET_TTL_MS + 60_000);
    expect(row.expiresAt.getTime() - before).toBeGreaterThan(PASSWORD_RESET_TTL_MS - 60_000);
    expect(await checkPasswordResetToken({ token })).toBe("valid");
  });

  test("a deleted account gets no mail (same answer)", async () => {
    const user = await createUser({ deletedAt: new Date() });
    expect(await requestPasswordReset({ email: user.email! })).toEqual({ ok: true });
    expect(await mailsTo(user.email!)).toHaveLength(0);
  });

  test("at most 3 requests per email per hour, known or unknown (10 parallel → 3)", async () => {
    expect(LIMITS["password-reset"].rules.email.limit).toBe(3);
    const user = await newAccount();
    const known = await settle(Array.from({ length: 10 }, () => requestPasswordReset({ email: user.email, ip: uniqueIp() })));
    expect(known.fulfilled).toHaveLength(3);
    expect(known.rejected).toHaveLength(7);
    for (const e of known.rejected) expect((e as AppError).code).toBe("RATE_LIMITED");
    expect((await mailsTo(user.email)).filter((m) => m.text.includes("/reset-password"))).toHaveLength(3);

    const unknown = uniqueEmail("nobody");
    const other = await settle(Array.from({ length: 10 }, () => requestPasswordReset({ email: unknown, ip: uniqueIp() })));
    expect(other.fulfilled).toHaveLength(3);
    expect(other.rejected).toHaveLength(7);
  });

  test("at most 10 requests per client address per hour (15 parallel, different emails → 10)", async () => {
    const ip = uniqueIp();
    const { fulfilled, rejected } = await settle(Array.from({ length: 15 }, () => requestPasswordReset({ email: uniqueEmail("ip"), ip })));
    expect(fulfilled).toHaveLength(LIMITS["password-reset"].rules.ip.limit);
    expect(rejected).toHaveLength(5);
  });

  test("a malformed email is VALIDATION (and counts against nothing)", async () => {
    const error = await expectAppError(requestPasswordReset({ email: "nope" }), "VALIDATION");
    expect(error.fieldErrors).toEqual({ email: "validation.emailInvalid" });
  });

  test("10 parallel resets with one link: exactly one succeeds; the password is the winner's", async () => {
    const user = await newAccount();
    await requestPasswordReset({ email: user.email });
    const token = await tokenFromMail(user.email, "/reset-password");

    const { fulfilled, rejected } = await settle(
      Array.from({ length: 10 }, (_, i) => resetPassword({ token, password: `${NEW_PASSWORD}${i}` })),
    );
    expect(fulfilled).toHaveLength(1);
    expect(rejected).toHaveLength(9);
    for (const e of rejected) {
      expect(e).toBeInstanceOf(AppError);
      expect((e as AppError).message).toBe("account.errors.resetLinkUsed");
    }
    // Exactly one of the ten passwords is the account's now.
    const { passwordHash } = await db.user.findUniqueOrThrow({ where: { id: user.id }, select: { passwordHash: true } });
    const matches = await Promise.all(Array.from({ length: 10 }, (_, i) => verifyPassword(`${NEW_PASSWORD}${i}`, passwordHash)));
    expect(matches.filter(Boolean)).toHaveLength(1);
    expect(await checkPasswordResetToken({ token })).toBe("used");
  });

  test("a reset signs out every session, clears the lockout, voids other links and verifies the email", async () => {
    const user = await newAccount();
    const sessions = await Promise.all([1, 2, 3].map(() => createSessionForUser(user.id)));
    await db.user.update({ where: { id: user.id }, data: { failedLoginCount: 5, lockedUntil: new Date(Date.now() + 10 * 60_000) } });
    await requestPasswordReset({ email: user.email });
    const first = await tokenFromMail(user.email, "/reset-password");
    await requestPasswordReset({ email: user.email });
    const second = await tokenFromMail(user.email, "/reset-password");
    expect(second).not.toBe(first);

    const result = await resetPassword({ token: second, password: NEW_PASSWORD });
    expect(result).toEqual({ userId: user.id, revokedSessions: 3, telegramUnlinked: false });
    for (const s of sessions) expect(await resolveSession({ sessionId: s.id })).toBeNull();

    const row = await db.user.findUniqueOrThrow({ where: { id: user.id } });
    expect(row.failedLoginCount).toBe(0);
    expect(row.lockedUntil).toBeNull();
    expect(row.emailVerified).toBe(true);
    expect(await verifyCredentials({ email: user.email, password: NEW_PASSWORD })).not.toBeNull();
    expect(await verifyCredentials({ email: user.email, password: PASSWORD })).toBeNull();

    // The older link died with the reset.
    expect(await checkPasswordResetToken({ token: first })).toBe("used");
    await expectAppError(resetPassword({ token: first, password: "Другой2026" }), "CONFLICT", "account.errors.resetLinkUsed");
  });

  test("the reset page sees the linked Telegram and whether the email had been verified; dead links show nothing", async () => {
    const user = await newAccount();
    await db.user.update({ where: { id: user.id }, data: { telegramId: uniqueTelegramId(), telegramChatId: "77", telegramUsername: "somebody_tg" } });
    await requestPasswordReset({ email: user.email });
    const token = await tokenFromMail(user.email, "/reset-password");
    expect(await getPasswordResetContext({ token })).toEqual({
      state: "valid",
      linkedMethods: { telegram: { username: "somebody_tg" } },
      emailWasVerified: false,
    });

    const plain = await newAccount();
    await db.user.update({ where: { id: plain.id }, data: { emailVerified: true, emailVerifiedAt: new Date() } });
    await requestPasswordReset({ email: plain.email });
    const plainToken = await tokenFromMail(plain.email, "/reset-password");
    expect(await getPasswordResetContext({ token: plainToken })).toEqual({ state: "valid", linkedMethods: { telegram: null }, emailWasVerified: true });

    const later = new Date(Date.now() + PASSWORD_RESET_TTL_MS + 60_000);
    expect(await getPasswordResetContext({ token, now: later })).toEqual({ state: "expired", linkedMethods: null, emailWasVerified: null });
    expect(await getPasswordResetContext({ token: "f".repeat(64) })).toEqual({ state: "invalid", linkedMethods: null, emailWasVerified: null });
  });

  test("someone else's unverified sign-up with their Telegram linked: the owner's reset with unlink removes the link, every session and pending Telegram tokens", async () => {
    // The squatter signed up with the owner's address (never verified) and had Telegram linked (before
    // linking needed a verified email), and is signed in on two devices.
    const user = await newAccount();
    const telegramId = uniqueTelegramId();
    await db.user.update({ where: { id: user.id }, data: { telegramId, telegramChatId: telegramId, telegramUsername: "squatter" } });
    const sessions = await Promise.all([1, 2].map(() => createSessionForUser(user.id)));
    // A Telegram sign-in already confirmed in the bot but not yet exchanged for a session, and an open link token.
    const pendingLogin = await db.authToken.create({
      data: { type: "TELEGRAM_LOGIN", userId: user.id, tokenHash: sha256(`login-${user.id}`), confirmedAt: new Date(), expiresAt: new Date(Date.now() + 5 * 60_000) },
    });
    const pendingLink = await db.authToken.create({
      data: { type: "TELEGRAM_LINK", userId: user.id, tokenHash: sha256(`link-${user.id}`), expiresAt: new Date(Date.now() + 15 * 60_000) },
    });

    await requestPasswordReset({ email: user.email });
    const token = await tokenFromMail(user.email, "/reset-password");
    const result = await resetPassword({ token, password: NEW_PASSWORD, unlinkTelegram: true });
    expect(result).toEqual({ userId: user.id, revokedSessions: 2, telegramUnlinked: true });

    const row = await db.user.findUniqueOrThrow({ where: { id: user.id } });
    expect(row).toMatchObject({ telegramId: null, telegramChatId: null, telegramUsername: null, emailVerified: true });
    for (const s of sessions) expect(await resolveSession({ sessionId: s.id })).toBeNull();
    for (const pending of [pendingLogin, pendingLink]) {
      const after = await db.authToken.findUniqueOrThrow({ where: { id: pending.id } });
      expect(after.expiresAt.getTime()).toBeLessThanOrEqual(Date.now());
    }
    const audit = await db.auditLog.findMany({ where: { entityId: user.id, action: { in: ["user.password_reset", "user.telegram_unlinked"] } }, orderBy: { action: "asc" } });
    expect(audit.map((a) => a.action)).toEqual(["user.password_reset", "user.telegram_unlinked"]);
    expect(audit[1].changes).toMatchObject({ telegramId: { from: telegramId, to: null }, reason: "password_reset" });
    // The account keeps its way in: the email and the new password.
    expect(await verifyCredentials({ email: user.email, password: NEW_PASSWORD })).not.toBeNull();
  });

  test("a reset without the unlink box keeps Telegram (the owner's choice); unlink on an account without Telegram is a no-op", async () => {
    const user = await newAccount();
    const telegramId = uniqueTelegramId();
    await db.user.update({ where: { id: user.id }, data: { telegramId, emailVerified: true } });
    await requestPasswordReset({ email: user.email });
    const result = await resetPassword({ token: await tokenFromMail(user.email, "/reset-password"), password: NEW_PASSWORD });
    expect(result.telegramUnlinked).toBe(false);
    expect((await db.user.findUniqueOrThrow({ where: { id: user.id } })).telegramId).toBe(telegramId);

    const plain = await newAccount();
    await requestPasswordReset({ email: plain.email });
    const second = await resetPassword({ token: await tokenFromMail(plain.email, "/reset-password"), password: NEW_PASSWORD, unlinkTelegram: true });
    expect(second.telegramUnlinked).toBe(false);
    expect(await db.auditLog.count({ where: { entityId: plain.id, action: "user.telegram_unlinked" } })).toBe(0);
  });

  test("an expired link is refused and changes nothing", async () => {
    const user = await newAccount();
    await requestPasswordReset({ email: user.email });
    const token = await tokenFromMail(user.email, "/reset-password");
    const later = new Date(Date.now() + PASSWORD_RESET_TTL_MS + 60_000);
    expect(await checkPasswordResetToken({ token, now: later })).toBe("expired");
    await expectAppError(resetPassword({ token, password: NEW_PASSWORD, now: later }), "CONFLICT", "account.errors.resetLinkExpired");
    expect(await verifyCredentials({ email: user.email, password: PASSWORD })).not.toBeNull();
  });

  test("invalid links and weak passwords", async () => {
    await expectAppError(resetPassword({ token: "x", password: NEW_PASSWORD }), "NOT_FOUND", "account.errors.resetLinkInvalid");
    await expectAppError(resetPassword({ token: "f".repeat(64), password: NEW_PASSWORD }), "NOT_FOUND", "account.errors.resetLinkInvalid");
    const weak = await expectAppError(resetPassword({ token: "f".repeat(64), password: "short" }), "VALIDATION");
    expect(weak.fieldErrors).toEqual({ password: "validation.passwordTooShort" });
    expect(await checkPasswordResetToken({ token: "nope" })).toBe("invalid");
  });
});

// ───────────────────────────── account page ─────────────────────────────

describe("profile, language, sessions", () => {
  test("updates names and the preferred language", async () => {
    const user = await createUser();
    expect(await updateProfile({ userId: user.id, firstName: "  Ольга ", lastName: "" })).toEqual({ firstName: "Ольга", lastName: null });
    const invalid = await expectAppError(updateProfile({ userId: user.id, firstName: " " }), "VALIDATION");
    expect(invalid.fieldErrors).toEqual({ firstName: "validation.firstNameRequired" });
    expect(await updateLocale({ userId: user.id, locale: "en" })).toBe("en");
    await expectAppError(updateLocale({ userId: user.id, locale: "de" }), "VALIDATION");
    const account = await getAccount({ userId: user.id });
    expect(account).toMatchObject({ firstName: "Ольга", lastName: null, locale: "en", hasPassword: true, hasTelegram: false, verified: false });
  });

  test("lists live sessions (current first) and signs out the others", async () => {
    const user = await createUser();
    const current = await createSessionForUser(user.id, { userAgent: "current" });
    const others = await Promise.all([1, 2].map(() => createSessionForUser(user.id, { userAgent: "other" })));
    const revoked = await createSessionForUser(user.id);
    await db.userSession.update({ where: { id: revoked.id }, data: { revokedAt: new Date() } });

    const listed = await listSessions({ userId: user.id, currentSessionId: current.id });
    expect(listed.map((s) => s.id).sort()).toEqual([current.id, ...others.map((o) => o.id)].sort());
    expect(listed[0]).toMatchObject({ id: current.id, current: true });

    expect(await signOutOtherSessions({ userId: user.id, sessionId: current.id })).toEqual({ revoked: 2 });
    expect(await resolveSession({ sessionId: current.id })).not.toBeNull();
    for (const o of others) expect(await resolveSession({ sessionId: o.id })).toBeNull();
  });
});

describe("change password", () => {
  test("a wrong current password is refused on its field; nothing changes", async () => {
    const user = await createUser();
    const session = await createSessionForUser(user.id);
    const other = await createSessionForUser(user.id);
    const error = await expectAppError(
      changePassword({ userId: user.id, sessionId: session.id, currentPassword: "wrong-one1", newPassword: NEW_PASSWORD, newPasswordConfirm: NEW_PASSWORD }),
      "VALIDATION",
    );
    expect(error.fieldErrors).toEqual({ currentPassword: "account.validation.currentPasswordWrong" });
    expect(await verifyCredentials({ email: user.email!, password: TEST_PASSWORD })).not.toBeNull();
    expect(await resolveSession({ sessionId: other.id })).not.toBeNull();
  });

  test("success signs out the other sessions and keeps the current one", async () => {
    const user = await createUser();
    const current = await createSessionForUser(user.id);
    const others = await Promise.all([1, 2, 3].map(() => createSessionForUser(user.id)));
    const result = await changePassword({
      userId: user.id,
      sessionId: current.id,
      currentPassword: TEST_PASSWORD,
      newPassword: NEW_PASSWORD,
      newPasswordConfirm: NEW_PASSWORD,
    });
    expect(result).toEqual({ revokedSessions: 3 });
    expect(await resolveSession({ sessionId: current.id })).not.toBeNull();
    for (const o of others) expect(await resolveSession({ sessionId: o.id })).toBeNull();
    expect(await verifyCredentials({ email: user.email!, password: NEW_PASSWORD })).not.toBeNull();
    expect(await verifyCredentials({ email: user.email!, password: TEST_PASSWORD })).toBeNull();
  });

  test("mismatched confirmation and an unchanged password are field errors", async () => {
    const user = await createUser();
    const s = await createSessionForUser(user.id);
    const mismatch = await expectAppError(
      changePassword({ userId: user.id, sessionId: s.id, currentPassword: TEST_PASSWORD, newPassword: NEW_PASSWORD, newPasswordConfirm: "other" }),
      "VALIDATION",
    );
    expect(mismatch.fieldErrors).toEqual({ newPasswordConfirm: "account.validation.passwordsDiffer" });
    const same = await expectAppError(
      changePassword({ userId: user.id, sessionId: s.id, currentPassword: "Same2026x", newPassword: "Same2026x", newPasswordConfirm: "Same2026x" }),
      "VALIDATION",
    );
    expect(same.fieldErrors).toEqual({ newPassword: "account.validation.passwordUnchanged" });
  });

  test("a Telegram user without a password cannot change it", async () => {
    const user = await createUser({ email: null, telegramId: uniqueTelegramId() });
    const s = await createSessionForUser(user.id);
    await expectAppError(
      changePassword({ userId: user.id, sessionId: s.id, currentPassword: "anything1", newPassword: NEW_PASSWORD, newPasswordConfirm: NEW_PASSWORD }),
      "CONFLICT",
      "account.errors.noPassword",
    );
  });

  test("at most 5 attempts per 15 minutes (8 parallel wrong attempts → 5 checked, 3 RATE_LIMITED)", async () => {
    const user = await createUser();
    const s = await createSessionForUser(user.id);
    const { rejected } = await settle(
      Array.from({ length: 8 }, (_, i) =>
        changePassword({ userId: user.id, sessionId: s.id, currentPassword: `wrong${i}x`, newPassword: NEW_PASSWORD, newPasswordConfirm: NEW_PASSWORD }),
      ),
    );
    const codes = rejected.map((e) => (e as AppError).code).sort();
    expect(codes.filter((c) => c === "VALIDATION")).toHaveLength(LIMITS["password-change"].rules.user.limit);
    expect(codes.filter((c) => c === "RATE_LIMITED")).toHaveLength(3);
  });
});

describe("account deletion", () => {
  test("soft-deletes, forgets the Telegram chat, revokes sessions; the email and Telegram id are free again", async () => {
    const telegramId = uniqueTelegramId();
    const user = await createUser({ telegramId, telegramChatId: telegramId });
    const sessions = await Promise.all([1, 2].map(() => createSessionForUser(user.id)));
    await issueEmailVerification({ userId: user.id });

    expect(await deleteAccount({ userId: user.id, confirmation: ` ${user.email!.toUpperCase()} ` })).toEqual({ revokedSessions: 2 });

    const row = await db.user.findUniqueOrThrow({ where: { id: user.id } });
    expect(row.deletedAt).not.toBeNull();
    expect(row.telegramChatId).toBeNull();
    for (const s of sessions) expect(await resolveSession({ sessionId: s.id })).toBeNull();
    expect(await verifyCredentials({ email: user.email!, password: TEST_PASSWORD })).toBeNull();
    expect(await db.authToken.count({ where: { userId: user.id, usedAt: null, expiresAt: { gt: new Date() } } })).toBe(0);

    // The same email signs up again; the same Telegram account can belong to a new user.
    const again = await signUp({ email: user.email!, password: PASSWORD, firstName: "Новый" });
    expect(again.id).not.toBe(user.id);
    const tgAgain = await createUser({ email: null, telegramId });
    expect(tgAgain.id).not.toBe(user.id);
  });

  test("the word DELETE confirms too; anything else is a field error", async () => {
    const user = await createUser();
    const mismatch = await expectAppError(deleteAccount({ userId: user.id, confirmation: "delete me" }), "VALIDATION");
    expect(mismatch.fieldErrors).toEqual({ confirmation: "account.validation.confirmationMismatch" });
    expect((await db.user.findUniqueOrThrow({ where: { id: user.id } })).deletedAt).toBeNull();
    await deleteAccount({ userId: user.id, confirmation: "DELETE" });
    expect((await db.user.findUniqueOrThrow({ where: { id: user.id } })).deletedAt).not.toBeNull();
    // A second deletion finds no account.
    await expectAppError(deleteAccount({ userId: user.id, confirmation: "DELETE" }), "UNAUTHENTICATED");
  });

  test("refused for the OWNER of a non-deleted organization, with the names; nothing changes", async () => {
    const owner = await createUser();
    await createOrganization({ owner, name: "Бета-клуб" });
    await createOrganization({ owner, name: "Альфа-встречи" });
    const gone = await createOrganization({ owner, name: "Удалённая" });
    await db.organization.update({ where: { id: gone.organization.id }, data: { deletedAt: new Date() } });
    const session = await createSessionForUser(owner.id);

    const error = await expectAppError(deleteAccount({ userId: owner.id, confirmation: "DELETE" }), "CONFLICT", "account.errors.ownerOfOrganizations");
    expect(error).toBeInstanceOf(OwnerOfOrganizationsError);
    expect((error as OwnerOfOrganizationsError).organizations).toEqual(["Альфа-встречи", "Бета-клуб"]);
    expect((await db.user.findUniqueOrThrow({ where: { id: owner.id } })).deletedAt).toBeNull();
    expect(await resolveSession({ sessionId: session.id })).not.toBeNull();
  });
});

// ───────────────────────────── rate limits ─────────────────────────────

describe("sign-in and sign-up rate limits", () => {
  const limited = (e: unknown) => e instanceof AppError && e.code === "RATE_LIMITED";

  test("sign-in: 25 parallel attempts from one address (different emails) → exactly 10 pass", async () => {
    const ip = uniqueIp();
    const { fulfilled, rejected } = await settle(Array.from({ length: 25 }, () => limitSignIn({ ip, email: uniqueEmail("si") })));
    expect(fulfilled).toHaveLength(LIMITS["sign-in"].rules.ip.limit);
    expect(rejected).toHaveLength(15);
    expect(rejected.every(limited)).toBe(true);
  });

  test("sign-in: 25 parallel attempts for one email (different addresses) → exactly 10 pass", async () => {
    const email = uniqueEmail("si");
    const { fulfilled, rejected } = await settle(Array.from({ length: 25 }, () => limitSignIn({ ip: uniqueIp(), email: ` ${email.toUpperCase()}` })));
    expect(fulfilled).toHaveLength(LIMITS["sign-in"].rules.email.limit);
    expect(rejected.every(limited)).toBe(true);
  });

  test("sign-in through the email/password provider: the 11th attempt from an address is refused before the password check", async () => {
    const { emailPasswordProvider, SignInRateLimited } = await import("@/lib/identity/providers/email-password");
    const authorize = (emailPasswordProvider as unknown as { options: { authorize: (c: unknown, r: Request) => Promise<unknown> } }).options.authorize;
    const user = await createUser();
    const ip = uniqueIp();
    const request = () => new Request("http://localhost/api/auth/callback/credentials", { method: "POST", headers: fromClient(ip) });

    const results = await settle(Array.from({ length: 14 }, () => authorize({ email: uniqueEmail("nobody"), password: "x" }, request())));
    expect(results.fulfilled).toHaveLength(10);
    expect(results.fulfilled.every((r) => r === null)).toBe(true);
    expect(results.rejected).toHaveLength(4);
    expect(results.rejected.every((e) => e instanceof SignInRateLimited)).toBe(true);

    // Even the right password is refused now, and the refusal did not count as a failed login.
    await expect(authorize({ email: user.email, password: TEST_PASSWORD }, request())).rejects.toBeInstanceOf(SignInRateLimited);
    expect((await db.user.findUniqueOrThrow({ where: { id: user.id } })).failedLoginCount).toBe(0);
    // Another address signs in fine.
    const ok = await authorize({ email: user.email, password: TEST_PASSWORD }, new Request("http://localhost/x", { headers: fromClient(uniqueIp()) }));
    expect(ok).toMatchObject({ id: user.id });
  });

  test("nothing is exempt by default: loopback and the shared fallback buckets are limited like any address", async () => {
    for (const ip of ["127.0.0.1", "::1", "dev-local", "unresolved"]) {
      const { fulfilled, rejected } = await settle(Array.from({ length: 15 }, () => limitSignIn({ ip, email: uniqueEmail("lo") })));
      expect(fulfilled, ip).toHaveLength(LIMITS["sign-in"].rules.ip.limit);
      expect(rejected.every(limited), ip).toBe(true);
    }
  });

  test("without the production server's mark, a client-written x-aq-client-ip or X-Forwarded-For is ignored", async () => {
    const { clientIp, CLIENT_ADDRESS_SERVER_MARK } = await import("@/lib/http/client-address");
    const marks = globalThis as Record<symbol, unknown>;
    const headers = new Headers({ "x-aq-client-ip": "10.9.9.9", "x-forwarded-for": "10.8.8.8" });
    expect(clientIp(headers)).toBe("10.9.9.9");
    marks[CLIENT_ADDRESS_SERVER_MARK] = false;
    try {
      expect(clientIp(headers)).toBe("dev-local");
      expect(clientIp(new Headers())).toBe("dev-local");
    } finally {
      marks[CLIENT_ADDRESS_SERVER_MARK] = true;
    }
  });

  test("sign-up: 8 parallel sign-ups from one address → exactly 5 accounts, 3 RATE_LIMITED", async () => {
    const ip = uniqueIp();
    const emails = Array.from({ length: 8 }, () => uniqueEmail("su"));
    const { fulfilled, rejected } = await settle(emails.map((email) => signUp({ email, password: PASSWORD, firstName: "Гость", ip })));
    expect(fulfilled).toHaveLength(LIMITS["sign-up"].rules.ip.limit);
    expect(rejected).toHaveLength(3);
    for (const e of rejected) {
      expect((e as AppError).code).toBe("RATE_LIMITED");
      expect((e as AppError).message).toBe("account.errors.signUpLimited");
    }
    expect(await db.user.count({ where: { email: { in: emails } } })).toBe(5);
    // Only the created accounts got a verification mail.
    const mails = await Promise.all(emails.map((e) => mailsTo(e)));
    expect(mails.filter((m) => m.length === 1)).toHaveLength(5);
    expect(mails.filter((m) => m.length === 0)).toHaveLength(3);
  });
});
