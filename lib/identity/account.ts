// The account page's services (F09 and the missing parts of the first version): profile, preferred
// language, password change, active sessions, account deletion — and the account rate limits
// (sign-in, sign-up, password change; verification and reset have theirs in their own modules).
//
// Rate limits are fixed windows in PostgreSQL (lib/rate-limit.ts): one atomic upsert per request, so
// every app server shares them and parallel requests never over-admit. A limited request does
// nothing else (no bcrypt, no query of the account).
import "server-only";
import { writeAudit } from "@/lib/audit";
import { db, type DbClient, withTransaction } from "@/lib/db";
import { AppError } from "@/lib/errors";
import type { Locale as DbLocale } from "@/lib/generated/prisma/enums";
import { fromDbLocale, type Locale } from "@/lib/i18n/config";
import { enforceLimit } from "@/lib/rate-limit";
import { fieldErrorsOf } from "@/lib/validation/identity";
import {
  changePasswordSchema,
  confirmsDeletion,
  deleteAccountSchema,
  localeSchema,
  profileSchema,
  type ChangePasswordInput,
  type ProfileInput,
} from "@/lib/validation/account";
import { hashPassword, verifyPassword } from "./password";
import { revokeUserSessions } from "./user-sessions";
import { emailKey, isVerified } from "./verification";

// ───────────────────────────── rate limits ─────────────────────────────
// The rules are named in lib/http/limits.ts ("sign-in", "sign-up", "password-change"). Without an
// address (a caller that is not a request: a job, the seed) the per-address rule counts nothing.

/** One sign-in attempt: per address first, then per email. Throws RATE_LIMITED. */
export async function limitSignIn({ ip, email }: { ip?: string | null; email: string }): Promise<void> {
  await enforceLimit("sign-in", "ip", ip);
  const normalized = email.trim().toLowerCase();
  if (normalized) await enforceLimit("sign-in", "email", emailKey(normalized));
}

/** One sign-up attempt of this address. Throws RATE_LIMITED. */
export async function limitSignUp({ ip }: { ip?: string | null }): Promise<void> {
  await enforceLimit("sign-up", "ip", ip);
}

// ───────────────────────────── reading ─────────────────────────────

export type AccountView = {
  id: string;
  email: string | null;
  emailVerified: boolean;
  emailVerifiedAt: Date | null;
  firstName: string;
  lastName: string | null;
  avatarUrl: string | null;
  locale: Locale;
  telegramUsername: string | null;
  hasTelegram: boolean;
  hasPassword: boolean;
  /** isVerified(): email verified or Telegram. */
  verified: boolean;
  createdAt: Date;
};

export async function getAccount({ userId }: { userId: string }, tx: DbClient = db): Promise<AccountView> {
  const user = await tx.user.findFirst({
    where: { id: userId, deletedAt: null },
    select: {
      id: true,
      email: true,
      emailVerified: true,
      emailVerifiedAt: true,
      firstName: true,
      lastName: true,
      avatarUrl: true,
      locale: true,
      telegramId: true,
      telegramUsername: true,
      passwordHash: true,
      createdAt: true,
    },
  });
  if (!user) throw new AppError("UNAUTHENTICATED", "errors.unauthenticated");
  const { passwordHash, telegramId, ...rest } = user;
  return {
    ...rest,
    locale: fromDbLocale(user.locale),
    hasTelegram: !!telegramId,
    hasPassword: !!passwordHash,
    verified: isVerified(user),
  };
}

// ───────────────────────────── profile and language ─────────────────────────────

function validationError(error: Parameters<typeof fieldErrorsOf>[0]): AppError {
  return new AppError("VALIDATION", "errors.validation", fieldErrorsOf(error));
}

export async function updateProfile(
  { userId, ...input }: { userId: string } & ProfileInput,
  tx: DbClient = db,
): Promise<{ firstName: string; lastName: string | null }> {
  const parsed = profileSchema.safeParse(input);
  if (!parsed.success) throw validationError(parsed.error);
  const data = { firstName: parsed.data.firstName, lastName: parsed.data.lastName || null };
  const { count } = await tx.user.updateMany({ where: { id: userId, deletedAt: null }, data });
  if (count === 0) throw new AppError("UNAUTHENTICATED", "errors.unauthenticated");
  return data;
}

/** Saves the preferred language (mails and bot messages use it; the action also sets the UI cookie). */
export async function updateLocale({ userId, locale }: { userId: string; locale: unknown }, tx: DbClient = db): Promise<Locale> {
  const parsed = localeSchema.safeParse({ locale });
  if (!parsed.success) throw validationError(parsed.error);
  const value = parsed.data.locale.toUpperCase() as DbLocale;
  const { count } = await tx.user.updateMany({ where: { id: userId, deletedAt: null }, data: { locale: value } });
  if (count === 0) throw new AppError("UNAUTHENTICATED", "errors.unauthenticated");
  return parsed.data.locale;
}

// ───────────────────────────── password ─────────────────────────────

/**
 * Changes the password of a signed-in user: the current one must be right (field error otherwise).
 * Every other session is signed out; `sessionId` (the one making the change) is kept. The write is a
 * compare-and-set on the old hash, so two parallel changes cannot both win.
 */
export async function changePassword(
  { userId, sessionId, ...input }: { userId: string; sessionId: string } & ChangePasswordInput,
  tx: DbClient = db,
): Promise<{ revokedSessions: number }> {
  const parsed = changePasswordSchema.safeParse(input);
  if (!parsed.success) throw validationError(parsed.error);
  const { currentPassword, newPassword } = parsed.data;

  const user = await tx.user.findFirst({ where: { id: userId, deletedAt: null }, select: { passwordHash: true } });
  if (!user) throw new AppError("UNAUTHENTICATED", "errors.unauthenticated");
  if (!user.passwordHash) throw new AppError("CONFLICT", "account.errors.noPassword");

  await enforceLimit("password-change", "user", userId);
  if (!(await verifyPassword(currentPassword, user.passwordHash))) {
    throw new AppError("VALIDATION", "errors.validation", { currentPassword: "account.validation.currentPasswordWrong" });
  }
  const passwordHash = await hashPassword(newPassword);

  const run = async (t: DbClient) => {
    const { count } = await t.user.updateMany({
      where: { id: userId, deletedAt: null, passwordHash: user.passwordHash },
      data: { passwordHash },
    });
    if (count === 0) throw new AppError("CONFLICT", "errors.conflict");
    const revokedSessions = await revokeUserSessions({ userId, exceptSessionId: sessionId }, t);
    await writeAudit(t, { actorId: userId, entityType: "user", entityId: userId, action: "user.password_changed", changes: { revokedSessions } });
    return { revokedSessions };
  };
  return withTransaction(tx, run);
}

// ───────────────────────────── sessions ─────────────────────────────

export type SessionView = {
  id: string;
  userAgent: string | null;
  ip: string | null;
  createdAt: Date;
  lastSeenAt: Date;
  current: boolean;
};

/** Live sessions (not revoked, not expired), the current one first, then by last activity. */
export async function listSessions(
  { userId, currentSessionId, now = new Date() }: { userId: string; currentSessionId: string; now?: Date },
  tx: DbClient = db,
): Promise<SessionView[]> {
  const rows = await tx.userSession.findMany({
    where: { userId, revokedAt: null, expiresAt: { gt: now } },
    orderBy: [{ lastSeenAt: "desc" }, { createdAt: "desc" }],
    take: 50,
    select: { id: true, userAgent: true, ip: true, createdAt: true, lastSeenAt: true },
  });
  return rows
    .map((r) => ({ ...r, current: r.id === currentSessionId }))
    .sort((a, b) => Number(b.current) - Number(a.current));
}

/** "Sign out other sessions": every live session of the user except the current one. */
export async function signOutOtherSessions(
  { userId, sessionId }: { userId: string; sessionId: string },
  tx: DbClient = db,
): Promise<{ revoked: number }> {
  return { revoked: await revokeUserSessions({ userId, exceptSessionId: sessionId }, tx) };
}

// ───────────────────────────── deletion ─────────────────────────────

/** Deleting the OWNER of an organization is refused; the names tell the user what to transfer first. */
export class OwnerOfOrganizationsError extends AppError {
  constructor(public readonly organizations: string[]) {
    super("CONFLICT", "account.errors.ownerOfOrganizations", undefined, { details: { organizations } });
    this.name = "OwnerOfOrganizationsError";
  }
}

/**
 * Deletes the account (soft): deleted_at is set — which frees the email and the Telegram id through
 * the partial unique indexes — the Telegram chat is forgotten, every session is revoked and every
 * outstanding link token stops working. One transaction, which first locks the user row: a parallel
 * organization approval or ownership transfer to this user either commits before (and the deletion
 * sees it and refuses) or waits for the deletion.
 *
 * Refused (OwnerOfOrganizationsError) while the user owns a non-deleted organization. The confirmation
 * must be the account's email or DELETE (VALIDATION on `confirmation` otherwise).
 */
export async function deleteAccount(
  { userId, confirmation, now = new Date() }: { userId: string; confirmation: unknown; now?: Date },
  tx: DbClient = db,
): Promise<{ revokedSessions: number }> {
  const parsed = deleteAccountSchema.safeParse({ confirmation });
  if (!parsed.success) throw validationError(parsed.error);

  const run = async (t: DbClient) => {
    const locked = await t.$queryRaw<{ email: string | null }[]>`
      SELECT "email" FROM "users" WHERE "id" = ${userId}::uuid AND "deleted_at" IS NULL FOR UPDATE`;
    if (locked.length === 0) throw new AppError("UNAUTHENTICATED", "errors.unauthenticated");
    if (!confirmsDeletion(parsed.data.confirmation, locked[0].email)) {
      throw new AppError("VALIDATION", "errors.validation", { confirmation: "account.validation.confirmationMismatch" });
    }

    const owned = await t.organization.findMany({
      where: { ownerId: userId, deletedAt: null },
      orderBy: { name: "asc" },
      select: { name: true },
    });
    if (owned.length > 0) throw new OwnerOfOrganizationsError(owned.map((o) => o.name));

    await t.user.update({ where: { id: userId }, data: { deletedAt: now, telegramChatId: null } });
    const revokedSessions = await revokeUserSessions({ userId }, t);
    await t.authToken.updateMany({ where: { userId, usedAt: null, expiresAt: { gt: now } }, data: { expiresAt: now } });
    await writeAudit(t, { actorId: userId, entityType: "user", entityId: userId, action: "user.deleted", changes: { revokedSessions } });
    return { revokedSessions };
  };
  return withTransaction(tx, run);
}
