// Failed group-code lookups per client address (lib/groups/code-attempts.ts): the /g/<code> preview and
// every join by code count only failures; after 30 in 10 minutes the address is refused, other
// addresses and valid lookups are not affected.
import { describe, expect, test } from "vitest";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { joinGroupByCode, previewGroupByCode } from "@/lib/groups";
import { LIMITS } from "@/lib/http/limits";
import { uniqueIp } from "@/tests/helpers/client-address";
import { createGroup, createOrganization, createUser } from "@/tests/helpers/factories";

const actorOf = (user: { id: string }) => ({ userId: user.id, isPlatformAdmin: false });
const WRONG = ["ZZZZZZZZ", "not a code", "AAAA2222"];

describe("group code attempts per client address", () => {
  test("30 failed previews → the address is refused, even with a valid code; other addresses are not", async () => {
    const { organization } = await createOrganization();
    const group = await createGroup(organization);
    const ip = uniqueIp();
    const { limit } = LIMITS["group-code.failed"].rules.ip;
    const results = await Promise.all(Array.from({ length: limit }, (_, i) => previewGroupByCode({ code: WRONG[i % WRONG.length], ip })));
    expect(results.every((r) => r.status === "invalid")).toBe(true);

    expect(await previewGroupByCode({ code: group.inviteCode, ip })).toEqual({ status: "limited" });
    expect((await previewGroupByCode({ code: group.inviteCode, ip: uniqueIp() })).status).toBe("valid");

    const user = await createUser();
    const refused = await joinGroupByCode({ actor: actorOf(user), code: group.inviteCode, ip }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(AppError);
    expect(refused).toMatchObject({ code: "RATE_LIMITED", message: "groups.errors.codeAttemptsLimited" });
    expect(await db.groupMember.count({ where: { groupId: group.id, userId: user.id } })).toBe(0);
  });

  test("valid lookups never count: a room on one Wi-Fi opens the same link", async () => {
    const { organization } = await createOrganization();
    const group = await createGroup(organization);
    const ip = uniqueIp();
    for (let i = 0; i < LIMITS["group-code.failed"].rules.ip.limit + 10; i++) {
      expect((await previewGroupByCode({ code: group.inviteCode.toLowerCase(), ip })).status).toBe("valid");
    }
    const users = await Promise.all(Array.from({ length: 5 }, () => createUser()));
    const joined = await Promise.all(users.map((u) => joinGroupByCode({ actor: actorOf(u), code: group.inviteCode, ip })));
    expect(joined.every((j) => j.groupId === group.id)).toBe(true);
    expect(await db.rateLimitBucket.count({ where: { key: `group-code.failed:ip:${ip}` } })).toBe(0);
  });

  test("failed joins by code count too", async () => {
    const user = await createUser();
    const ip = uniqueIp();
    for (let i = 0; i < LIMITS["group-code.failed"].rules.ip.limit; i++) {
      const error = await joinGroupByCode({ actor: actorOf(user), code: "ZZZZZZZZ", ip }).catch((e: unknown) => e);
      expect(error).toMatchObject({ code: "NOT_FOUND" });
    }
    const limited = await joinGroupByCode({ actor: actorOf(user), code: "ZZZZZZZZ", ip }).catch((e: unknown) => e);
    expect(limited).toMatchObject({ code: "RATE_LIMITED" });
    expect(await previewGroupByCode({ code: "ZZZZZZZZ", ip })).toEqual({ status: "limited" });
  });
});
