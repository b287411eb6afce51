// The mute link's entry points (docs/messages.md → "Muting"): what /m/<token> shows before anyone presses
// a button (describeMuteToken: a read — opening the link never mutes), and the RFC 8058 one-click
// POST /api/messages/mute/<token> (mutes, 200; a forged token 404, and no row; rate-limited per address).
import { describe, expect, test } from "vitest";
import { POST } from "@/app/api/messages/mute/[token]/route";
import { db } from "@/lib/db";
import { LIMITS } from "@/lib/http/limits";
import { describeMuteToken, muteByToken, muteTokenFor, unmuteByToken } from "@/lib/messages";
import { fromClient, uniqueIp } from "@/tests/helpers/client-address";
import { createOrganization, createUser, uniqueEmail } from "@/tests/helpers/factories";

function oneClick(token: string, ip = uniqueIp()): Promise<Response> {
  const request = new Request(`http://localhost/api/messages/mute/${token}`, {
    method: "POST",
    headers: fromClient(ip, { "content-type": "application/x-www-form-urlencoded" }),
    body: "List-Unsubscribe=One-Click",
  });
  return POST(request, { params: Promise.resolve({ token }) });
}

/** The same token with its signature changed (the payload — organization and person — kept). */
function forge(token: string): string {
  const [payload, signature] = token.split(".");
  const flipped = signature.slice(0, 10) + (signature[10] === "A" ? "B" : "A") + signature.slice(11);
  return `${payload}.${flipped}`;
}

const mutesOf = (organizationId: string) => db.messageMute.findMany({ where: { organizationId }, select: { userId: true, email: true } });

describe("describeMuteToken (the mute page on GET)", () => {
  test("names the organization and the current state, and changes nothing", async () => {
    const { organization } = await createOrganization({ name: "Клуб <b>Лекторий</b>" });
    const user = await createUser();
    const token = muteTokenFor({ organizationId: organization.id, userId: user.id });

    expect(await describeMuteToken({ token })).toEqual({ organizationName: "Клуб <b>Лекторий</b>", muted: false });
    expect(await describeMuteToken({ token })).toEqual({ organizationName: "Клуб <b>Лекторий</b>", muted: false });
    expect(await mutesOf(organization.id)).toEqual([]);

    await muteByToken({ token });
    expect(await describeMuteToken({ token })).toEqual({ organizationName: "Клуб <b>Лекторий</b>", muted: true });
    await unmuteByToken({ token });
    expect((await describeMuteToken({ token })).muted).toBe(false);
  });

  test("a guest's address: muted state is per address and organization", async () => {
    const { organization } = await createOrganization();
    const { organization: other } = await createOrganization();
    const email = uniqueEmail("guest");
    await muteByToken({ token: muteTokenFor({ organizationId: organization.id, email }) });
    expect((await describeMuteToken({ token: muteTokenFor({ organizationId: organization.id, email }) })).muted).toBe(true);
    expect((await describeMuteToken({ token: muteTokenFor({ organizationId: other.id, email }) })).muted).toBe(false);
    expect((await describeMuteToken({ token: muteTokenFor({ organizationId: organization.id, email: uniqueEmail("else") }) })).muted).toBe(false);
  });

  test("forged, malformed or of a deleted organization → NOT_FOUND", async () => {
    const { organization } = await createOrganization();
    const user = await createUser();
    const token = muteTokenFor({ organizationId: organization.id, userId: user.id });
    for (const bad of [forge(token), "", "abc", `${token}x`, token.split(".")[0], "a".repeat(600)]) {
      await expect(describeMuteToken({ token: bad })).rejects.toMatchObject({ code: "NOT_FOUND" });
    }
    await db.organization.update({ where: { id: organization.id }, data: { deletedAt: new Date() } });
    await expect(describeMuteToken({ token })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });
});

describe("POST /api/messages/mute/<token> (RFC 8058 one-click)", () => {
  test("mutes and answers 200; again is still 200 and one row", async () => {
    const { organization } = await createOrganization();
    const user = await createUser();
    const token = muteTokenFor({ organizationId: organization.id, userId: user.id });

    const first = await oneClick(token);
    expect(first.status).toBe(200);
    expect(await first.json()).toEqual({ ok: true, muted: true });
    expect((await oneClick(token)).status).toBe(200);
    expect(await mutesOf(organization.id)).toEqual([{ userId: user.id, email: null }]);
  });

  test("a forged token: 404 and no row", async () => {
    const { organization } = await createOrganization();
    const user = await createUser();
    const response = await oneClick(forge(muteTokenFor({ organizationId: organization.id, userId: user.id })));
    expect(response.status).toBe(404);
    expect(await mutesOf(organization.id)).toEqual([]);
  });

  test("rate-limited per address (429 with Retry-After once over the limit)", async () => {
    const ip = uniqueIp();
    const limit = LIMITS["messages.mute"].rules.ip.limit;
    const answers: number[] = [];
    for (let i = 0; i < limit; i += 1) answers.push((await oneClick("not-a-token", ip)).status);
    expect(new Set(answers)).toEqual(new Set([404]));
    const over = await oneClick("not-a-token", ip);
    expect(over.status).toBe(429);
    expect(Number(over.headers.get("retry-after"))).toBeGreaterThan(0);
  });
});
