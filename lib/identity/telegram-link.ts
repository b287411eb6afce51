// Linking a Telegram account to an existing AqStream account, and unlinking it.
//
// The profile page asks for a link token (32 random bytes, base64url, 15 minutes; the user's earlier
// unused link tokens stop working) and shows t.me/<bot>?start=link_<token> as a link and QR code. The
// bot consumes it: the token is used up and the Telegram id, chat id and username are written to the
// user in one transaction. A Telegram account already linked to someone else is refused by the
// partial unique index users_telegram_id_active_key (the violation is translated), and nothing is
// changed: the token stays usable.
//
// Linking needs an account whose owner is proven: a verified email, or a Telegram-only account (created
// through Telegram, no email and no password). Otherwise whoever signed up first with somebody else's
// address could link their own Telegram and keep a way in after the real owner resets the password
// (docs/telegram.md, "Linking"). The rule is checked when the token is issued and again, in the
// conditional UPDATE, when the bot consumes it (the email may have changed meanwhile).
import "server-only";
import { writeAudit } from "@/lib/audit";
import type { Prisma } from "@/lib/generated/prisma/client";
import { db } from "@/lib/db";
import { AppError, uniqueViolation } from "@/lib/errors";
import { botDeepLink, requireTelegramConfigured } from "@/lib/telegram";
import { errorKey } from "@/lib/telegram/texts";
import { isOneTimeToken, newOneTimeToken, sha256Hex, type TelegramProfile } from "./telegram-auth";

export const LINK_TOKEN_TTL_MS = 15 * 60 * 1000;

const TELEGRAM_ID_INDEX = "users_telegram_id_active_key";

type LinkEligibility = { email: string | null; emailVerified: boolean; passwordHash: string | null };

/** Whether the account may get a Telegram link: a verified email, or a Telegram-only account. */
export function mayLinkTelegram(user: LinkEligibility): boolean {
  return user.emailVerified || (user.email === null && user.passwordHash === null);
}

/** The same rule as a Prisma `where` (for the conditional write). */
const MAY_LINK_WHERE: Prisma.UserWhereInput = { OR: [{ emailVerified: true }, { email: null, passwordHash: null }] };

const needsVerifiedEmail = () => new AppError("FORBIDDEN", errorKey("telegramLinkNeedsVerifiedEmail"));

/** Creates a link token for `userId` (earlier unused ones are invalidated) and its deep link. */
export async function createLinkToken(
  userId: string,
  { now = new Date() }: { now?: Date } = {},
): Promise<{ token: string; url: string; expiresAt: Date }> {
  requireTelegramConfigured();
  const user = await db.user.findUnique({
    where: { id: userId },
    select: { deletedAt: true, telegramId: true, email: true, emailVerified: true, passwordHash: true },
  });
  if (!user || user.deletedAt) throw new AppError("NOT_FOUND", "errors.notFound");
  if (user.telegramId) throw new AppError("CONFLICT", errorKey("telegramAlreadyLinked"));
  if (!mayLinkTelegram(user)) throw needsVerifiedEmail();

  const token = newOneTimeToken();
  const url = await botDeepLink(`link_${token}`);
  const expiresAt = new Date(now.getTime() + LINK_TOKEN_TTL_MS);
  await db.$transaction(async (tx) => {
    await tx.authToken.updateMany({
      where: { userId, type: "TELEGRAM_LINK", usedAt: null, expiresAt: { gt: now } },
      data: { expiresAt: now },
    });
    await tx.authToken.create({ data: { type: "TELEGRAM_LINK", userId, tokenHash: sha256Hex(token), expiresAt, createdAt: now } });
  });
  return { token, url, expiresAt };
}

export type LinkResult = {
  userId: string;
  firstName: string;
  lastName: string | null;
  /** The account was already linked to this very Telegram account (nothing changed). */
  alreadyLinked: boolean;
};

/**
 * Bot side of /start link_<token>. Errors (AppError): NOT_FOUND telegramLinkInvalid;
 * CONFLICT telegramLinkExpired | telegramLinkUsed | telegramTakenElsewhere | telegramAccountHasOther;
 * FORBIDDEN telegramLinkNeedsVerifiedEmail (the account's email is not verified: nothing changes and
 * the token stays usable once it is).
 */
export async function linkTelegramWithToken({
  token,
  telegram,
  chatId,
  now = new Date(),
}: {
  token: string;
  telegram: TelegramProfile;
  chatId?: string | number | null;
  now?: Date;
}): Promise<LinkResult> {
  if (!isOneTimeToken(token)) throw new AppError("NOT_FOUND", errorKey("telegramLinkInvalid"));
  const tokenHash = sha256Hex(token);
  const row = await db.authToken.findUnique({
    where: { tokenHash },
    select: {
      id: true,
      type: true,
      userId: true,
      usedAt: true,
      expiresAt: true,
      user: { select: { firstName: true, lastName: true, telegramId: true, deletedAt: true, email: true, emailVerified: true, passwordHash: true } },
    },
  });
  if (!row || row.type !== "TELEGRAM_LINK" || !row.userId || !row.user || row.user.deletedAt) {
    throw new AppError("NOT_FOUND", errorKey("telegramLinkInvalid"));
  }
  const result = (alreadyLinked: boolean): LinkResult => ({
    userId: row.userId!,
    firstName: row.user!.firstName,
    lastName: row.user!.lastName,
    alreadyLinked,
  });

  // A repeated /start by the same Telegram account (double tap, retried update) is not an error.
  if (row.user.telegramId === telegram.id) return result(true);
  if (row.usedAt) throw new AppError("CONFLICT", errorKey("telegramLinkUsed"));
  if (row.expiresAt <= now) throw new AppError("CONFLICT", errorKey("telegramLinkExpired"));
  if (row.user.telegramId) throw new AppError("CONFLICT", errorKey("telegramAccountHasOther"));
  if (!mayLinkTelegram(row.user)) throw needsVerifiedEmail();

  const owner = await db.user.findFirst({ where: { telegramId: telegram.id, deletedAt: null }, select: { id: true } });
  if (owner && owner.id !== row.userId) throw new AppError("CONFLICT", errorKey("telegramTakenElsewhere"));

  try {
    await db.$transaction(async (tx) => {
      const used = await tx.authToken.updateMany({
        where: { id: row.id, usedAt: null, expiresAt: { gt: now } },
        data: { usedAt: now, confirmedAt: now, payload: { telegramId: telegram.id, telegramUsername: telegram.username } },
      });
      if (used.count !== 1) throw new AppError("CONFLICT", errorKey("telegramLinkUsed"));
      const linked = await tx.user.updateMany({
        where: { id: row.userId!, deletedAt: null, telegramId: null, ...MAY_LINK_WHERE },
        data: {
          telegramId: telegram.id,
          telegramChatId: chatId === undefined || chatId === null ? telegram.id : String(chatId),
          telegramUsername: telegram.username,
        },
      });
      if (linked.count !== 1) {
        // Lost a race: either another Telegram got linked, or the email stopped being verified.
        const current = await tx.user.findUnique({ where: { id: row.userId! }, select: { telegramId: true } });
        throw current?.telegramId ? new AppError("CONFLICT", errorKey("telegramAccountHasOther")) : needsVerifiedEmail();
      }
      await writeAudit(tx, {
        actorId: row.userId!,
        entityType: "user",
        entityId: row.userId!,
        action: "user.telegram_linked",
        changes: { telegramId: { from: null, to: telegram.id } },
      });
    });
  } catch (e) {
    const index = uniqueViolation(e);
    if (index !== undefined && (index === TELEGRAM_ID_INDEX || index.includes("telegram_id") || index === "unknown")) {
      throw new AppError("CONFLICT", errorKey("telegramTakenElsewhere"));
    }
    throw e;
  }
  return result(false);
}

/**
 * Removes the Telegram link — only while another way to sign in remains (email and password), so
 * nobody locks themselves out. Otherwise AppError CONFLICT telegramUnlinkNeedsPassword.
 */
export async function unlinkTelegram(userId: string): Promise<void> {
  await db.$transaction(async (tx) => {
    const user = await tx.user.findUnique({ where: { id: userId }, select: { deletedAt: true, telegramId: true } });
    if (!user || user.deletedAt) throw new AppError("NOT_FOUND", "errors.notFound");
    if (!user.telegramId) throw new AppError("CONFLICT", errorKey("telegramNotLinked"));
    // Conditional: the other method must still be there at the moment of the write.
    const { count } = await tx.user.updateMany({
      where: { id: userId, deletedAt: null, telegramId: user.telegramId, email: { not: null }, passwordHash: { not: null } },
      data: { telegramId: null, telegramChatId: null, telegramUsername: null },
    });
    if (count !== 1) throw new AppError("CONFLICT", errorKey("telegramUnlinkNeedsPassword"));
    await writeAudit(tx, {
      actorId: userId,
      entityType: "user",
      entityId: userId,
      action: "user.telegram_unlinked",
      changes: { telegramId: { from: user.telegramId, to: null } },
    });
  });
}
