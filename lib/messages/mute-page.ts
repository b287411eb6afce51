// What the mute page /m/<token> shows before anyone presses a button (added by the messages UI, H4):
// the organization a valid token names and whether its recipient has muted it already. Reads only —
// opening a link never mutes (mail scanners follow links); a malformed or forged token, or an
// organization that is gone → NOT_FOUND (the page's clear "this link does not work").
import "server-only";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { parseMuteToken } from "./mutes";

export async function describeMuteToken(o: { token: string }): Promise<{ organizationName: string; muted: boolean }> {
  const subject = parseMuteToken(o.token);
  if (!subject) throw new AppError("NOT_FOUND", "errors.notFound");
  const organization = await db.organization.findFirst({ where: { id: subject.organizationId, deletedAt: null }, select: { id: true, name: true } });
  if (!organization) throw new AppError("NOT_FOUND", "errors.notFound");
  const mute = await db.messageMute.findFirst({
    where: subject.userId ? { organizationId: organization.id, userId: subject.userId } : { organizationId: organization.id, email: subject.email },
    select: { id: true },
  });
  return { organizationName: organization.name, muted: mute !== null };
}
