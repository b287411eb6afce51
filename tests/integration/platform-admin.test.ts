// ensurePlatformAdmin (npm run admin:create): creates a verified platform admin, promotes an existing
// account, changes nothing the second time, refuses bad input with field errors and writes nothing,
// and ends with one account when two calls race for the same new address.
import { describe, expect, test } from "vitest";
import { db } from "@/lib/db";
import { isAppError } from "@/lib/errors";
import { verifyPassword } from "@/lib/identity/password";
import { ensurePlatformAdmin, findAccountByEmail, generatePassword } from "@/lib/identity/platform-admin";
import { newPasswordSchema } from "@/lib/validation/identity";
import { TEST_PASSWORD_HASH, createUser, uniqueEmail } from "../helpers/factories";

async function fieldErrorsOf(promise: Promise<unknown>): Promise<Record<string, string>> {
  try {
    await promise;
  } catch (error) {
    if (isAppError(error) && error.code === "VALIDATION" && error.fieldErrors) return error.fieldErrors;
    throw error;
  }
  throw new Error("expected a validation error");
}

/** The audit actions written for a user, oldest first (admin:create runs as the system: no actor). */
async function auditActionsOf(userId: string): Promise<string[]> {
  const rows = await db.auditLog.findMany({ where: { entityType: "user", entityId: userId }, orderBy: { createdAt: "asc" } });
  for (const row of rows) expect(row.actorId).toBeNull();
  return rows.map((row) => row.action);
}

describe("ensurePlatformAdmin", () => {
  test("creates a verified platform admin with the given password (email trimmed and lower-cased)", async () => {
    const email = uniqueEmail("admin");
    const result = await ensurePlatformAdmin({ email: `  ${email.toUpperCase()} `, password: "Strong2026pass" });
    expect(result).toMatchObject({ email, created: true, promoted: false, passwordSet: true, sessionsRevoked: 0 });
    const user = await db.user.findUniqueOrThrow({ where: { id: result.userId } });
    expect(user).toMatchObject({ email, isPlatformAdmin: true, emailVerified: true, firstName: email.split("@")[0] });
    expect(user.emailVerifiedAt).toBeInstanceOf(Date);
    expect(await verifyPassword("Strong2026pass", user.passwordHash)).toBe(true);
    expect(await findAccountByEmail(email)).toEqual({ id: user.id, isPlatformAdmin: true, hasPassword: true });
    expect(await auditActionsOf(user.id)).toEqual(["user.platform_admin_granted"]);
  });

  test("a second call changes nothing and says so", async () => {
    const email = uniqueEmail("again");
    const first = await ensurePlatformAdmin({ email, password: "Strong2026pass", firstName: "Алиса" });
    const before = await db.user.findUniqueOrThrow({ where: { id: first.userId } });
    const second = await ensurePlatformAdmin({ email });
    expect(second).toEqual({ userId: first.userId, email, created: false, promoted: false, verified: false, passwordSet: false, sessionsRevoked: 0 });
    const after = await db.user.findUniqueOrThrow({ where: { id: first.userId } });
    expect(after.passwordHash).toBe(before.passwordHash);
    expect(after.firstName).toBe("Алиса");
    expect(await db.user.count({ where: { email } })).toBe(1);
    expect(await auditActionsOf(first.userId)).toEqual(["user.platform_admin_granted"]); // nothing changed: no second row
  });

  test("promotes an existing unverified account and keeps its password unless a new one is given", async () => {
    const user = await createUser({ email: uniqueEmail("member"), emailVerified: false, isPlatformAdmin: false, passwordHash: TEST_PASSWORD_HASH });
    const promoted = await ensurePlatformAdmin({ email: user.email });
    expect(promoted).toMatchObject({ userId: user.id, created: false, promoted: true, verified: true, passwordSet: false });
    const after = await db.user.findUniqueOrThrow({ where: { id: user.id } });
    expect(after).toMatchObject({ isPlatformAdmin: true, emailVerified: true, passwordHash: TEST_PASSWORD_HASH });
    expect(await auditActionsOf(user.id)).toEqual(["user.platform_admin_granted"]);
  });

  test("a new password for an existing account signs out its sessions", async () => {
    const user = await createUser({ email: uniqueEmail("reset"), isPlatformAdmin: true, emailVerified: true });
    await db.userSession.createMany({
      data: [1, 2].map(() => ({ userId: user.id, expiresAt: new Date(Date.now() + 86_400_000) })),
    });
    const result = await ensurePlatformAdmin({ email: user.email, password: "Another2026pass" });
    expect(result).toMatchObject({ created: false, promoted: false, passwordSet: true, sessionsRevoked: 2 });
    expect(await db.userSession.count({ where: { userId: user.id, revokedAt: null } })).toBe(0);
    const after = await db.user.findUniqueOrThrow({ where: { id: user.id } });
    expect(await verifyPassword("Another2026pass", after.passwordHash)).toBe(true);
    expect(await auditActionsOf(user.id)).toEqual(["user.password_reset"]); // already an admin: no grant row
  });

  test("bad input: a clear field error and nothing written", async () => {
    const before = await db.user.count();
    expect(await fieldErrorsOf(ensurePlatformAdmin({ email: "not-an-email", password: "Strong2026pass" }))).toEqual({ email: "validation.emailInvalid" });
    expect(await fieldErrorsOf(ensurePlatformAdmin({ email: "", password: "Strong2026pass" }))).toEqual({ email: "validation.required" });
    const email = uniqueEmail("short");
    expect(await fieldErrorsOf(ensurePlatformAdmin({ email, password: "abc12" }))).toEqual({ password: "validation.passwordTooShort" });
    expect(await fieldErrorsOf(ensurePlatformAdmin({ email, password: "onlyletters" }))).toEqual({ password: "validation.passwordWeak" });
    // A new account needs a password (the CLI asks for one or generates it).
    expect(await fieldErrorsOf(ensurePlatformAdmin({ email }))).toEqual({ password: "validation.required" });
    expect(await db.user.count()).toBe(before);
    expect(await findAccountByEmail(email)).toBeNull();
  });

  test("two calls racing for the same new address end with one admin account", async () => {
    const email = uniqueEmail("race");
    const results = await Promise.all([1, 2, 3].map(() => ensurePlatformAdmin({ email, password: "Strong2026pass" })));
    expect(results.filter((r) => r.created)).toHaveLength(1);
    expect(new Set(results.map((r) => r.userId)).size).toBe(1);
    expect(await db.user.count({ where: { email, deletedAt: null } })).toBe(1);
  });
});

describe("generatePassword", () => {
  test("24 characters that pass the password rules, different every time", () => {
    const passwords = Array.from({ length: 50 }, () => generatePassword());
    for (const p of passwords) {
      expect(p).toHaveLength(24);
      expect(newPasswordSchema.safeParse(p).success).toBe(true);
    }
    expect(new Set(passwords).size).toBe(50);
  });
});
