// The housekeeping cron removes only rows past their retention and keeps everything still useful.
import { randomUUID } from "node:crypto";
import { describe, expect, test } from "vitest";
import { db } from "@/lib/db";
import { purgeStaleRows } from "@/lib/maintenance/cleanup";
import { createUser } from "../helpers/factories";

const DAY = 24 * 60 * 60 * 1000;
const ago = (ms: number) => new Date(Date.now() - ms);
const ahead = (ms: number) => new Date(Date.now() + ms);

describe("purgeStaleRows", () => {
  test("removes stale rows of every table and keeps fresh and pending ones", async () => {
    const user = await createUser();
    const token = (expiresAt: Date) =>
      db.authToken.create({ data: { type: "EMAIL_VERIFICATION", tokenHash: randomUUID(), userId: user.id, expiresAt } });
    const oldToken = await token(ago(8 * DAY));
    const recentToken = await token(ago(1 * DAY));
    const liveToken = await token(ahead(DAY));

    await db.telegramWidgetLogin.createMany({
      data: [
        { hash: `old-${randomUUID()}`, createdAt: ago(3 * DAY) },
        { hash: `new-${randomUUID()}`, createdAt: ago(60_000) },
      ],
    });
    await db.rateLimitBucket.createMany({
      data: [
        { key: `old:${randomUUID()}`, count: 3, resetAt: ago(2 * 60 * 60 * 1000) },
        { key: `live:${randomUUID()}`, count: 3, resetAt: ahead(60_000) },
      ],
    });
    const session = (data: { expiresAt: Date; revokedAt?: Date }) => db.userSession.create({ data: { userId: user.id, ...data } });
    const expiredLongAgo = await session({ expiresAt: ago(31 * DAY) });
    const revokedLongAgo = await session({ expiresAt: ahead(DAY), revokedAt: ago(31 * DAY) });
    const revokedRecently = await session({ expiresAt: ahead(DAY), revokedAt: ago(DAY) });
    const active = await session({ expiresAt: ahead(DAY) });

    const job = (status: "SUCCEEDED" | "FAILED" | "PENDING", finishedAt: Date | null) =>
      db.job.create({ data: { name: "test", eventName: "test", dedupeKey: randomUUID(), status, finishedAt } });
    const oldSucceeded = await job("SUCCEEDED", ago(15 * DAY));
    const recentSucceeded = await job("SUCCEEDED", ago(2 * DAY));
    const failed20 = await job("FAILED", ago(20 * DAY));
    const failed31 = await job("FAILED", ago(31 * DAY));
    const pending = await job("PENDING", null);

    const oldMail = await db.mailOutbox.create({ data: { to: "a@example.com", subject: "s", text: "t", createdAt: ago(31 * DAY) } });
    const newMail = await db.mailOutbox.create({ data: { to: "a@example.com", subject: "s", text: "t" } });

    const result = await purgeStaleRows();
    expect(result.authTokens).toBeGreaterThanOrEqual(1);
    expect(result.sessions).toBeGreaterThanOrEqual(2);
    expect(result.jobs).toBeGreaterThanOrEqual(2);

    const ids = async <T extends { id: string }>(rows: Promise<T[]>) => (await rows).map((r) => r.id).sort();
    expect(await ids(db.authToken.findMany({ where: { userId: user.id }, select: { id: true } }))).toEqual([recentToken.id, liveToken.id].sort());
    expect(oldToken.id).toBeTruthy();
    const hashes = (await db.telegramWidgetLogin.findMany({ select: { hash: true } })).map((r) => r.hash);
    expect(hashes.some((h) => h.startsWith("old-"))).toBe(false);
    expect(hashes.some((h) => h.startsWith("new-"))).toBe(true);
    const keys = (await db.rateLimitBucket.findMany({ select: { key: true } })).map((r) => r.key);
    expect(keys.some((k) => k.startsWith("old:"))).toBe(false);
    expect(keys.some((k) => k.startsWith("live:"))).toBe(true);
    expect(await ids(db.userSession.findMany({ where: { userId: user.id }, select: { id: true } }))).toEqual([revokedRecently.id, active.id].sort());
    expect([expiredLongAgo.id, revokedLongAgo.id]).not.toContain(active.id);
    const jobIds = await ids(db.job.findMany({ where: { name: "test" }, select: { id: true } }));
    expect(jobIds).toEqual([recentSucceeded.id, failed20.id, pending.id].sort());
    expect(jobIds).not.toContain(oldSucceeded.id);
    expect(jobIds).not.toContain(failed31.id);
    const mailIds = await ids(db.mailOutbox.findMany({ where: { id: { in: [oldMail.id, newMail.id] } }, select: { id: true } }));
    expect(mailIds).toEqual([newMail.id]);

    // A second run finds nothing left to do.
    const again = await purgeStaleRows();
    expect(Object.values(again).every((n) => n === 0)).toBe(true);
  });
});
