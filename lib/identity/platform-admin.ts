// Platform admins of an installation come from an explicit step, never from a default account:
// `npm run admin:create -- --email you@example.com` (scripts/admin-create.ts) calls ensurePlatformAdmin.
// The demo admin of the seed exists only on the embedded database (scripts/lib/prepare.mjs).
//
// ensurePlatformAdmin creates the account (email verified, platform admin, the given password) or
// promotes an existing one (verified, platform admin; its password changes only when one is given, and
// then its sessions are revoked). Idempotent: a second call changes nothing and says so; two concurrent
// calls for the same new address end with one account (the partial unique index on users.email decides).
import "server-only";
import { randomInt } from "node:crypto";
import { writeAudit } from "@/lib/audit";
import { db, type DbClient, withTransaction } from "@/lib/db";
import { AppError, uniqueViolation } from "@/lib/errors";
import { emailSchema, firstNameSchema, newPasswordSchema, PASSWORD_MIN } from "@/lib/validation/identity";
import { hashPassword } from "./password";
import { revokeUserSessions } from "./user-sessions";

export type EnsurePlatformAdminInput = {
  email: unknown;
  /** Required for a new account; for an existing one it replaces the password (sessions are revoked). */
  password?: unknown;
  /** Name of a new account. Default: the part of the email before "@". */
  firstName?: unknown;
};

export type EnsurePlatformAdminResult = {
  userId: string;
  email: string;
  /** A new account was created. */
  created: boolean;
  /** An existing account became a platform admin (it was not one before). */
  promoted: boolean;
  /** An existing account's email was marked verified. */
  verified: boolean;
  /** The password was set (new account, or replaced on an existing one). */
  passwordSet: boolean;
  /** Sessions of an existing account revoked because its password was replaced. */
  sessionsRevoked: number;
};

/** Looks the address up without creating anything: whether an account exists (the CLI asks for a password only for a new one). */
export async function findAccountByEmail(email: unknown, tx: DbClient = db): Promise<{ id: string; isPlatformAdmin: boolean; hasPassword: boolean } | null> {
  const address = parseEmail(email);
  const user = await tx.user.findFirst({
    where: { email: address, deletedAt: null },
    select: { id: true, isPlatformAdmin: true, passwordHash: true },
  });
  return user ? { id: user.id, isPlatformAdmin: user.isPlatformAdmin, hasPassword: user.passwordHash !== null } : null;
}

export async function ensurePlatformAdmin(input: EnsurePlatformAdminInput, tx: DbClient = db): Promise<EnsurePlatformAdminResult> {
  const email = parseEmail(input.email);
  let password: string | null = null;
  if (input.password !== undefined && input.password !== null) {
    const parsed = newPasswordSchema.safeParse(input.password);
    if (!parsed.success) throw new AppError("VALIDATION", "errors.validation", { password: parsed.error.issues[0].message });
    password = parsed.data;
  }
  const passwordHash = password === null ? null : await hashPassword(password);

  for (let attempt = 0; ; attempt++) {
    try {
      return await withTransaction(tx, async (t) => {
        const existing = await t.user.findFirst({
          where: { email, deletedAt: null },
          select: { id: true, isPlatformAdmin: true, emailVerified: true },
        });
        if (!existing) {
          if (passwordHash === null) throw new AppError("VALIDATION", "errors.validation", { password: "validation.required" });
          const firstName = parseFirstName(input.firstName, email);
          const now = new Date();
          const user = await t.user.create({
            data: { email, passwordHash, firstName, emailVerified: true, emailVerifiedAt: now, isPlatformAdmin: true },
            select: { id: true },
          });
          await writeAudit(t, {
            actorId: null,
            entityType: "user",
            entityId: user.id,
            action: "user.platform_admin_granted",
            changes: { via: "admin:create", created: true },
          });
          return { userId: user.id, email, created: true, promoted: false, verified: false, passwordSet: true, sessionsRevoked: 0 };
        }
        // Compare-and-set on the flags: a concurrent call promotes once, the other reports no change.
        const promoted = (await t.user.updateMany({ where: { id: existing.id, isPlatformAdmin: false }, data: { isPlatformAdmin: true } })).count === 1;
        const verified =
          (await t.user.updateMany({ where: { id: existing.id, emailVerified: false }, data: { emailVerified: true, emailVerifiedAt: new Date() } })).count === 1;
        let sessionsRevoked = 0;
        if (passwordHash !== null) {
          await t.user.update({ where: { id: existing.id }, data: { passwordHash, failedLoginCount: 0, lockedUntil: null } });
          sessionsRevoked = await revokeUserSessions({ userId: existing.id }, t);
        }
        if (promoted) {
          await writeAudit(t, {
            actorId: null,
            entityType: "user",
            entityId: existing.id,
            action: "user.platform_admin_granted",
            changes: { via: "admin:create", created: false, ...(verified ? { emailVerified: { from: false, to: true } } : {}) },
          });
        }
        if (passwordHash !== null) {
          await writeAudit(t, {
            actorId: null,
            entityType: "user",
            entityId: existing.id,
            action: "user.password_reset",
            changes: { via: "admin:create", sessionsRevoked },
          });
        }
        return { userId: existing.id, email, created: false, promoted, verified, passwordSet: passwordHash !== null, sessionsRevoked };
      });
    } catch (error) {
      // A concurrent call created the same address first: the second pass finds and promotes it.
      const target = uniqueViolation(error);
      // (Only on our own transaction: inside a caller's, the failed statement has aborted it.)
      if (attempt === 0 && "$transaction" in tx && target !== undefined && (target === "users_email_active_key" || target.includes("email"))) continue;
      throw error;
    }
  }
}

/** A strong generated password (24 characters of an unambiguous alphabet, with letters and digits), shown once. */
export function generatePassword(length = 24): string {
  const letters = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
  const digits = "23456789";
  const all = letters + digits;
  const size = Math.max(length, PASSWORD_MIN);
  for (;;) {
    const password = Array.from({ length: size }, () => all[randomInt(all.length)]).join("");
    if (/[A-Za-z]/.test(password) && /[0-9]/.test(password) && newPasswordSchema.safeParse(password).success) return password;
  }
}

function parseEmail(email: unknown): string {
  const parsed = emailSchema.safeParse(email);
  if (!parsed.success) throw new AppError("VALIDATION", "errors.validation", { email: parsed.error.issues[0].message });
  return parsed.data;
}

function parseFirstName(firstName: unknown, email: string): string {
  const fallback = email.split("@")[0].slice(0, 100) || "Admin";
  const parsed = firstNameSchema.safeParse(firstName === undefined || firstName === null || firstName === "" ? fallback : firstName);
  if (!parsed.success) throw new AppError("VALIDATION", "errors.validation", { firstName: parsed.error.issues[0].message });
  return parsed.data;
}
