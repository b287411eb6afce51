// Identity services against a real, fresh PostgreSQL database (see tests/helpers/integration-setup.ts).
import { randomUUID } from "node:crypto";
import bcrypt from "bcryptjs";
import { describe, expect, test } from "vitest";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { LOCKOUT_MS, MAX_FAILED_LOGINS } from "@/lib/identity/constants";
import { verifyCredentials } from "@/lib/identity/credentials";
import { BCRYPT_COST, bcryptCost } from "@/lib/identity/password";
import { signUp } from "@/lib/identity/sign-up";
import { createSessionForUser, resolveSession, revokeSession, revokeUserSessions } from "@/lib/identity/user-sessions";

const PASSWORD = "Секрет123";

function uniqueEmail(): string {
  return `user-${randomUUID()}@example.com`;
}

async function newUser(email = uniqueEmail()) {
  return signUp({ email, password: PASSWORD, firstName: "Анна", lastName: "Смирнова" });
}

async function expectAppError(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

describe("signUp", () => {
  test("creates one user with a bcrypt hash (cost 12 in production, 4 under vitest) and a normalised email", async () => {
    const raw = `  Mixed.Case-${randomUUID()}@Example.COM `;
    const user = await signUp({ email: raw, password: PASSWORD, firstName: "  Иван ", lastName: "" });

    const rows = await db.user.findMany({ where: { email: raw.trim().toLowerCase() } });
    expect(rows).toHaveLength(1);
    const row = rows[0];
    expect(row.id).toBe(user.id);
    expect(row.email).toBe(raw.trim().toLowerCase());
    expect(row.firstName).toBe("Иван");
    expect(row.lastName).toBeNull();
    expect(row.passwordHash).toMatch(new RegExp(`^\\$2[aby]\\$${String(BCRYPT_COST).padStart(2, "0")}\\$`));
    expect(bcryptCost({ NODE_ENV: "production" })).toBe(12);
    expect(bcryptCost({ NODE_ENV: "production", VITEST: "true" })).toBe(12);
    expect(bcryptCost({})).toBe(12);
    expect(bcrypt.getRounds(row.passwordHash!)).toBe(BCRYPT_COST);
    expect(await bcrypt.compare(PASSWORD, row.passwordHash!)).toBe(true);
    expect(row.failedLoginCount).toBe(0);
    expect(row.isPlatformAdmin).toBe(false);
  });

  test("a duplicate email (also differing in case and spaces) is CONFLICT on the email field; still one user", async () => {
    const email = uniqueEmail();
    await newUser(email);

    for (const variant of [email, `  ${email.toUpperCase()}  `]) {
      const error = await expectAppError(signUp({ email: variant, password: PASSWORD, firstName: "Пётр" }));
      expect(error.code).toBe("CONFLICT");
      expect(error.httpStatus).toBe(409);
      expect(error.fieldErrors).toEqual({ email: "validation.emailTaken" });
    }
    expect(await db.user.count({ where: { email } })).toBe(1);
  });

  test("10 parallel sign-ups with the same email create exactly one user", async () => {
    const email = uniqueEmail();
    const results = await Promise.allSettled(
      Array.from({ length: 10 }, (_, i) => signUp({ email, password: PASSWORD, firstName: `Гость ${i}` })),
    );
    const fulfilled = results.filter((r) => r.status === "fulfilled");
    const rejected = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
    expect(fulfilled).toHaveLength(1);
    expect(rejected).toHaveLength(9);
    for (const r of rejected) {
      expect(r.reason).toBeInstanceOf(AppError);
      expect((r.reason as AppError).code).toBe("CONFLICT");
      expect((r.reason as AppError).fieldErrors).toEqual({ email: "validation.emailTaken" });
    }
    expect(await db.user.count({ where: { email } })).toBe(1);
  });

  test("invalid input is VALIDATION with message keys per field, nothing is written", async () => {
    const before = await db.user.count();
    const error = await expectAppError(signUp({ email: "not-an-email", password: "short", firstName: "" }));
    expect(error.code).toBe("VALIDATION");
    expect(error.fieldErrors).toEqual({
      email: "validation.emailInvalid",
      password: "validation.passwordTooShort",
      firstName: "validation.firstNameRequired",
    });
    expect(await db.user.count()).toBe(before);
  });

  test("a soft-deleted user's email can be registered again (partial unique index)", async () => {
    const email = uniqueEmail();
    const first = await newUser(email);
    await db.user.update({ where: { id: first.id }, data: { deletedAt: new Date() } });
    const second = await newUser(email);
    expect(second.id).not.toBe(first.id);
    expect(await db.user.count({ where: { email, deletedAt: null } })).toBe(1);
  });
});

describe("verifyCredentials", () => {
  test("the right password returns the user, resets the counter and records lastLoginAt", async () => {
    const email = uniqueEmail();
    const user = await newUser(email);
    await db.user.update({ where: { id: user.id }, data: { failedLoginCount: 3 } });

    const verified = await verifyCredentials({ email: `  ${email.toUpperCase()} `, password: PASSWORD });
    expect(verified).toMatchObject({ id: user.id, email, firstName: "Анна", lastName: "Смирнова", isPlatformAdmin: false, locale: "ru" });

    const row = await db.user.findUniqueOrThrow({ where: { id: user.id } });
    expect(row.failedLoginCount).toBe(0);
    expect(row.lockedUntil).toBeNull();
    expect(row.lastLoginAt).not.toBeNull();
  });

  test("a wrong password returns null and increments the counter", async () => {
    const email = uniqueEmail();
    const user = await newUser(email);
    expect(await verifyCredentials({ email, password: "wrong-password1" })).toBeNull();
    expect(await verifyCredentials({ email, password: "wrong-password2" })).toBeNull();
    const row = await db.user.findUniqueOrThrow({ where: { id: user.id } });
    expect(row.failedLoginCount).toBe(2);
    expect(row.lockedUntil).toBeNull();
    expect(row.lastLoginAt).toBeNull();
  });

  test("an unknown email returns null", async () => {
    expect(await verifyCredentials({ email: uniqueEmail(), password: PASSWORD })).toBeNull();
  });

  test("5 failures lock the account for 15 minutes: even the right password fails; afterwards it works and resets", async () => {
    const email = uniqueEmail();
    const user = await newUser(email);
    const start = new Date();

    for (let i = 0; i < MAX_FAILED_LOGINS; i++) {
      expect(await verifyCredentials({ email, password: `wrong${i}x`, now: start })).toBeNull();
    }
    const locked = await db.user.findUniqueOrThrow({ where: { id: user.id } });
    expect(locked.failedLoginCount).toBe(MAX_FAILED_LOGINS);
    expect(locked.lockedUntil?.getTime()).toBe(start.getTime() + LOCKOUT_MS);

    // While locked: the right password fails and nothing changes.
    const duringLock = new Date(start.getTime() + LOCKOUT_MS - 1000);
    expect(await verifyCredentials({ email, password: PASSWORD, now: duringLock })).toBeNull();
    expect(await verifyCredentials({ email, password: "wrong-again1", now: duringLock })).toBeNull();
    const stillLocked = await db.user.findUniqueOrThrow({ where: { id: user.id } });
    expect(stillLocked.lockedUntil?.getTime()).toBe(start.getTime() + LOCKOUT_MS);
    expect(stillLocked.lastLoginAt).toBeNull();

    // After 15 minutes the right password works and resets the counter.
    const afterLock = new Date(start.getTime() + LOCKOUT_MS + 1000);
    expect(await verifyCredentials({ email, password: PASSWORD, now: afterLock })).not.toBeNull();
    const unlocked = await db.user.findUniqueOrThrow({ where: { id: user.id } });
    expect(unlocked.failedLoginCount).toBe(0);
    expect(unlocked.lockedUntil).toBeNull();
  });

  test("after a lock runs out, counting starts again (one failure does not re-lock)", async () => {
    const email = uniqueEmail();
    const user = await newUser(email);
    const start = new Date();
    for (let i = 0; i < MAX_FAILED_LOGINS; i++) await verifyCredentials({ email, password: `wrong${i}x`, now: start });

    const afterLock = new Date(start.getTime() + LOCKOUT_MS + 1000);
    expect(await verifyCredentials({ email, password: "wrong-after1", now: afterLock })).toBeNull();
    const row = await db.user.findUniqueOrThrow({ where: { id: user.id } });
    expect(row.failedLoginCount).toBe(1);
    expect(row.lockedUntil).toBeNull();
  });

  test("parallel wrong passwords are all counted (conditional UPDATE, no lost increments)", async () => {
    const email = uniqueEmail();
    const user = await newUser(email);
    const now = new Date();
    await Promise.all(Array.from({ length: 4 }, (_, i) => verifyCredentials({ email, password: `wrong${i}x`, now })));
    const row = await db.user.findUniqueOrThrow({ where: { id: user.id } });
    expect(row.failedLoginCount).toBe(4);
    expect(row.lockedUntil).toBeNull();
  });

  test("a deleted user cannot sign in", async () => {
    const email = uniqueEmail();
    const user = await newUser(email);
    await db.user.update({ where: { id: user.id }, data: { deletedAt: new Date() } });
    expect(await verifyCredentials({ email, password: PASSWORD })).toBeNull();
  });
});

describe("session rows", () => {
  test("a live session resolves to its user; revoked, expired or deleted-user sessions do not", async () => {
    const user = await newUser();
    const session = await createSessionForUser(user.id, { userAgent: "vitest", ip: "127.0.0.1" });
    const row = await db.userSession.findUniqueOrThrow({ where: { id: session.id } });
    expect(row.userAgent).toBe("vitest");
    expect(row.ip).toBe("127.0.0.1");
    const days = (row.expiresAt.getTime() - row.createdAt.getTime()) / 86_400_000;
    expect(days).toBeCloseTo(30, 5);

    expect(await resolveSession({ sessionId: session.id })).toMatchObject({
      id: user.id,
      sessionId: session.id,
      name: "Анна Смирнова",
      isPlatformAdmin: false,
      locale: "ru",
    });
    expect(await resolveSession({ sessionId: session.id, now: new Date(row.expiresAt.getTime() + 1) })).toBeNull();
    expect(await resolveSession({ sessionId: "not-a-uuid" })).toBeNull();
    expect(await resolveSession({ sessionId: randomUUID() })).toBeNull();

    await revokeSession({ sessionId: session.id });
    expect(await resolveSession({ sessionId: session.id })).toBeNull();

    const other = await createSessionForUser(user.id);
    await db.user.update({ where: { id: user.id }, data: { deletedAt: new Date() } });
    expect(await resolveSession({ sessionId: other.id })).toBeNull();
  });

  test("lastSeenAt is written at most once per 5 minutes", async () => {
    const user = await newUser();
    const session = await createSessionForUser(user.id);
    const created = await db.userSession.findUniqueOrThrow({ where: { id: session.id } });

    await resolveSession({ sessionId: session.id, now: new Date(created.lastSeenAt.getTime() + 60_000) });
    expect((await db.userSession.findUniqueOrThrow({ where: { id: session.id } })).lastSeenAt).toEqual(created.lastSeenAt);

    const later = new Date(created.lastSeenAt.getTime() + 6 * 60_000);
    await resolveSession({ sessionId: session.id, now: later });
    expect((await db.userSession.findUniqueOrThrow({ where: { id: session.id } })).lastSeenAt).toEqual(later);
  });

  test("revokeUserSessions can keep the current session", async () => {
    const user = await newUser();
    const current = await createSessionForUser(user.id);
    const others = await Promise.all([createSessionForUser(user.id), createSessionForUser(user.id)]);
    expect(await revokeUserSessions({ userId: user.id, exceptSessionId: current.id })).toBe(2);
    expect(await resolveSession({ sessionId: current.id })).not.toBeNull();
    for (const s of others) expect(await resolveSession({ sessionId: s.id })).toBeNull();
  });
});
