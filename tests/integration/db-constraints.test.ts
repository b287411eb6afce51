// Every rule PostgreSQL enforces for AqStream (prisma/migrations/20261126000100_rules), proven by a
// write that tries to break it — and the legitimate case next to it. Failures are asserted to come
// from the database (constraint / index name, SQLSTATE or Prisma code), see expectDbRejects.
//
// A note on the deferred "exactly one OWNER" trigger and Prisma 6.19 + @prisma/adapter-pg: when
// COMMIT itself fails, Prisma's transaction manager never releases the pg connection (the release
// sits after `COMMIT` in the same try block), so every such failure leaks one pool connection and
// `$disconnect()` then waits forever; for a nested create the database's reason is even replaced by
// P2028 "Transaction already closed". The last describe block proves it. So here, writes that may
// fail at an (implicit) COMMIT run on `commitDb` (a client on a pool we can clean up) or on a plain
// pg connection, and interactive transactions end with `SET CONSTRAINTS ALL IMMEDIATE`, which runs
// the deferred check inside the transaction so a violation rolls back normally — the pattern
// services should use for anything touching organization ownership.
import pg from "pg";
import { PrismaPg } from "@prisma/adapter-pg";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { db } from "@/lib/db";
import { PrismaClient, type Prisma, type RegistrationStatus } from "@/lib/generated/prisma/client";
import { generateCode } from "@/lib/tickets/codes";
import {
  addMember,
  createCheckIn,
  createEvent,
  createGroup,
  createOrganization,
  createRegistration,
  createTicketType,
  createUser,
  expectDbRejects,
  uniqueEmail,
  uniqueIdempotencyKey,
  uniqueSlug,
  uniqueTelegramId,
} from "@/tests/helpers/factories";

// ───────────────────────────── helpers ─────────────────────────────

/** Runs the deferred constraint triggers now, inside the transaction. */
const checkDeferredNow = (tx: Prisma.TransactionClient) => tx.$executeRaw`SET CONSTRAINTS ALL IMMEDIATE`;

/**
 * A Prisma client on a pg pool that remembers checked-out connections, so connections leaked by a
 * failed COMMIT can be handed back (a failed COMMIT leaves the session idle, outside a transaction).
 */
function trackedPrisma(max = 5) {
  const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max });
  pool.on("error", () => {}); // idle connections terminated when the test database is dropped
  const checkedOut = new Set<pg.PoolClient>();
  pool.on("acquire", (c) => checkedOut.add(c));
  pool.on("release", (_err, c) => checkedOut.delete(c));
  const client = new PrismaClient({ adapter: new PrismaPg(pool) });
  return {
    client,
    checkedOut: () => checkedOut.size,
    async close() {
      for (const c of [...checkedOut]) c.release();
      await client.$disconnect();
      await pool.end();
    },
  };
}

/**
 * Runs statements in one transaction on a plain pg connection. Every statement must succeed; the
 * returned promise settles with the COMMIT — so a rejection proves the rule is checked at commit.
 */
async function commitOnPlainConnection(statements: [sql: string, params?: unknown[]][]): Promise<void> {
  const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await client.connect();
  try {
    await client.query("BEGIN");
    for (const [sql, params] of statements) await client.query(sql, params);
    await client.query("COMMIT");
  } finally {
    await client.end();
  }
}

let commit: ReturnType<typeof trackedPrisma>;
/** Client for writes that may fail at COMMIT (see the note at the top). */
let commitDb: PrismaClient;
beforeAll(() => {
  commit = trackedPrisma();
  commitDb = commit.client;
});
afterAll(async () => {
  await commit.close();
});

const ownersOf = (organizationId: string) =>
  db.organizationMember.findMany({ where: { organizationId, role: "OWNER" }, select: { userId: true } });

// ───────────────────────────── users ─────────────────────────────

describe("users", () => {
  test("email is unique among non-deleted users; a soft delete frees it", async () => {
    const email = uniqueEmail();
    const first = await createUser({ email });
    await expectDbRejects(createUser({ email }), "P2002", "users_email_active_key");

    await db.user.update({ where: { id: first.id }, data: { deletedAt: new Date() } });
    const again = await createUser({ email });
    expect(again.email).toBe(email);
    // Two deleted accounts may share it too; a third active one may not.
    await db.user.update({ where: { id: again.id }, data: { deletedAt: new Date() } });
    await createUser({ email });
    await expectDbRejects(createUser({ email }), "users_email_active_key");
    // Restoring a deleted account whose email is taken again is rejected as well.
    await expectDbRejects(db.user.update({ where: { id: first.id }, data: { deletedAt: null } }), "users_email_active_key");
  });

  test("telegram_id is unique among non-deleted users; a soft delete frees it", async () => {
    const telegramId = uniqueTelegramId();
    const first = await createUser({ email: null, telegramId });
    expect(first.passwordHash).toBeNull();
    await expectDbRejects(createUser({ telegramId }), "P2002", "users_telegram_id_active_key");

    await db.user.update({ where: { id: first.id }, data: { deletedAt: new Date() } });
    const again = await createUser({ email: null, telegramId });
    expect(again.telegramId).toBe(telegramId);
  });

  test("a user needs an email or a Telegram id", async () => {
    await expectDbRejects(createUser({ email: null, telegramId: null }), "23514", "users_email_or_telegram_check");
    const tgOnly = await createUser({ email: null, telegramId: uniqueTelegramId() });
    const emailOnly = await createUser({ telegramId: null });
    // Removing the last contact from an existing user is rejected too.
    await expectDbRejects(db.user.update({ where: { id: tgOnly.id }, data: { telegramId: null } }), "users_email_or_telegram_check");
    await expectDbRejects(db.user.update({ where: { id: emailOnly.id }, data: { email: null } }), "users_email_or_telegram_check");
  });

  test("email is stored trimmed and lower-cased", async () => {
    await expectDbRejects(createUser({ email: "Anna@Example.com" }), "23514", "users_email_normalized_check");
    await expectDbRejects(createUser({ email: " anna@example.com" }), "users_email_normalized_check");
    const user = await createUser({ email: "anna.normalized@example.com" });
    await expectDbRejects(db.user.update({ where: { id: user.id }, data: { email: "ANNA.normalized@example.com" } }), "users_email_normalized_check");
  });

  test("email with a trailing newline or tab is rejected", async () => {
    await expectDbRejects(createUser({ email: uniqueEmail() + "\n" }), "users_email_normalized_check");
    await expectDbRejects(createUser({ email: "\t" + uniqueEmail() }), "users_email_normalized_check");
  });
});

// ───────────────────────────── organizations ─────────────────────────────

describe("organizations", () => {
  test("slug is unique among non-deleted organizations; a soft delete frees it", async () => {
    const slug = uniqueSlug("club");
    const { organization } = await createOrganization({ slug });
    await expectDbRejects(createOrganization({ slug }), "P2002", "organizations_slug_active_key");

    await db.organization.update({ where: { id: organization.id }, data: { deletedAt: new Date() } });
    const { organization: again } = await createOrganization({ slug });
    expect(again.slug).toBe(slug);
  });

  test.each([
    ["Upper-Case", "upper case"],
    ["with_underscore", "underscore"],
    ["-leading-dash", "leading dash"],
    ["trailing-dash-", "trailing dash"],
    ["ab", "shorter than 3"],
    ["a".repeat(51), "longer than 50"],
    ["кириллица", "non-latin"],
    ["has space", "space"],
  ])("slug %j is rejected (%s)", async (slug) => {
    await expectDbRejects(createOrganization({ slug }), "23514", "organizations_slug_format_check");
  });

  test("valid slugs are accepted", async () => {
    for (const slug of ["abc", "a-b", "aqstream-demo-2026", "a".repeat(50), "123"]) {
      const { organization } = await createOrganization({ slug });
      expect(organization.slug).toBe(slug);
    }
  });
});

// ───────────────────────────── memberships and the single OWNER ─────────────────────────────

describe("organization members and the OWNER rule", () => {
  test("(organization, user) is unique", async () => {
    const { organization } = await createOrganization();
    const user = await createUser();
    await addMember(organization, user);
    await expectDbRejects(addMember(organization, user), "P2002", "organization_members_organization_id_user_id_key");
    // The same user in another organization is fine.
    const { organization: other } = await createOrganization();
    await addMember(other, user);
  });

  test("a second OWNER is rejected at once (not only at commit)", async () => {
    const { organization, owner } = await createOrganization();
    const intruder = await createUser();
    await expectDbRejects(addMember(organization, intruder, "OWNER"), "P2002", "organization_members_one_owner");

    // Inside a transaction the INSERT statement itself fails: the next statement never runs.
    let reachedNextStatement = false;
    await expectDbRejects(
      db.$transaction(async (tx) => {
        await tx.organizationMember.create({ data: { organizationId: organization.id, userId: intruder.id, role: "OWNER" } });
        reachedNextStatement = true;
      }),
      "organization_members_one_owner",
    );
    expect(reachedNextStatement).toBe(false);

    // Promoting an existing moderator without demoting the owner: rejected the same way.
    const moderator = await createUser();
    await addMember(organization, moderator);
    await expectDbRejects(
      db.organizationMember.update({
        where: { organizationId_userId: { organizationId: organization.id, userId: moderator.id } },
        data: { role: "OWNER" },
      }),
      "organization_members_one_owner",
    );
    expect(await ownersOf(organization.id)).toEqual([{ userId: owner.id }]);
  });

  test("an organization without an OWNER membership is rejected at commit", async () => {
    const user = await createUser();
    const slug = uniqueSlug("orphan");

    // Plain connection: the INSERT succeeds (the check is deferred), the COMMIT fails.
    await expectDbRejects(
      commitOnPlainConnection([
        [
          `INSERT INTO organizations (id, owner_id, name, slug) VALUES (gen_random_uuid(), $1, 'Без владельца', $2)`,
          [user.id, slug],
        ],
      ]),
      "23514",
      "organization_single_owner",
    );

    // Through Prisma: an organization created without members.
    await expectDbRejects(
      commitDb.organization.create({ data: { ownerId: user.id, name: "Без владельца", slug } }),
      "23514",
      "must have exactly one OWNER, has 0",
    );
    // … and in an interactive transaction (checked inside it, see checkDeferredNow).
    await expectDbRejects(
      db.$transaction(async (tx) => {
        await tx.organization.create({ data: { ownerId: user.id, name: "Без владельца", slug } });
        await checkDeferredNow(tx);
      }),
      "P2010",
      "must have exactly one OWNER, has 0",
    );
    // A member that is only a MODERATOR does not count.
    await expectDbRejects(
      db.$transaction(async (tx) => {
        await tx.organization.create({
          data: { ownerId: user.id, name: "Без владельца", slug, members: { create: { userId: user.id, role: "MODERATOR" } } },
        });
        await checkDeferredNow(tx);
      }),
      "must have exactly one OWNER, has 0",
    );
    expect(await db.organization.count({ where: { slug } })).toBe(0);

    // The legitimate way: organization and OWNER membership in one nested create.
    const { organization } = await createOrganization({ owner: user, slug });
    expect(await ownersOf(organization.id)).toEqual([{ userId: user.id }]);
  });

  test("the OWNER membership must belong to organizations.owner_id", async () => {
    const owner = await createUser();
    const someoneElse = await createUser();
    await expectDbRejects(
      db.$transaction(async (tx) => {
        await tx.organization.create({
          data: { ownerId: owner.id, name: "Чужой владелец", slug: uniqueSlug(), members: { create: { userId: someoneElse.id, role: "OWNER" } } },
        });
        await checkDeferredNow(tx);
      }),
      "23514",
      "owner_id does not match its OWNER member",
    );
    const orgId = "00000000-0000-4000-8000-000000000001";
    await expectDbRejects(
      commitOnPlainConnection([
        [`INSERT INTO organizations (id, owner_id, name, slug) VALUES ($1, $2, 'Чужой владелец', $3)`, [orgId, owner.id, uniqueSlug()]],
        [`INSERT INTO organization_members (id, organization_id, user_id, role) VALUES (gen_random_uuid(), $1, $2, 'OWNER')`, [orgId, someoneElse.id]],
      ]),
      "organization_owner_matches_member",
    );
  });

  test("the only OWNER membership cannot be deleted or demoted", async () => {
    const { organization, owner } = await createOrganization();
    await addMember(organization, await createUser());
    const where = { organizationId_userId: { organizationId: organization.id, userId: owner.id } };

    await expectDbRejects(commitDb.organizationMember.delete({ where }), "23514", "must have exactly one OWNER, has 0");
    await expectDbRejects(
      db.$transaction(async (tx) => {
        await tx.organizationMember.delete({ where });
        await checkDeferredNow(tx);
      }),
      "must have exactly one OWNER, has 0",
    );
    await expectDbRejects(commitDb.organizationMember.update({ where, data: { role: "MODERATOR" } }), "must have exactly one OWNER, has 0");
    await expectDbRejects(
      commitOnPlainConnection([[`DELETE FROM organization_members WHERE organization_id = $1 AND user_id = $2`, [organization.id, owner.id]]]),
      "organization_single_owner",
    );
    expect(await ownersOf(organization.id)).toEqual([{ userId: owner.id }]);

    // Deleting the organization itself (cascade to its members) is not blocked by the rule.
    await db.organization.delete({ where: { id: organization.id } });
    expect(await db.organizationMember.count({ where: { organizationId: organization.id } })).toBe(0);
  });

  test("an ownership transfer in one transaction succeeds", async () => {
    const { organization, owner } = await createOrganization();
    const successor = await createUser();
    await addMember(organization, successor);

    await db.$transaction(async (tx) => {
      await tx.organizationMember.update({
        where: { organizationId_userId: { organizationId: organization.id, userId: owner.id } },
        data: { role: "MODERATOR" },
      });
      await tx.organizationMember.update({
        where: { organizationId_userId: { organizationId: organization.id, userId: successor.id } },
        data: { role: "OWNER" },
      });
      await tx.organization.update({ where: { id: organization.id }, data: { ownerId: successor.id } });
    });

    expect(await ownersOf(organization.id)).toEqual([{ userId: successor.id }]);
    expect((await db.organization.findUniqueOrThrow({ where: { id: organization.id } })).ownerId).toBe(successor.id);
    const former = await db.organizationMember.findUniqueOrThrow({
      where: { organizationId_userId: { organizationId: organization.id, userId: owner.id } },
    });
    expect(former.role).toBe("MODERATOR");
  });

  test("owner_id pointing at a non-owner is rejected", async () => {
    const { organization, owner } = await createOrganization();
    const moderator = await createUser();
    await addMember(organization, moderator);
    const outsider = await createUser();

    // The transfer done halfway (owner_id only) — at commit on a plain connection …
    await expectDbRejects(
      commitOnPlainConnection([[`UPDATE organizations SET owner_id = $1 WHERE id = $2`, [moderator.id, organization.id]]]),
      "23514",
      "organization_owner_matches_member",
    );
    // … through Prisma, alone or in a transaction …
    await expectDbRejects(
      commitDb.organization.update({ where: { id: organization.id }, data: { ownerId: moderator.id } }),
      "owner_id does not match its OWNER member",
    );
    await expectDbRejects(
      db.$transaction(async (tx) => {
        await tx.organization.update({ where: { id: organization.id }, data: { ownerId: outsider.id } });
        await checkDeferredNow(tx);
      }),
      "P2010",
      "owner_id does not match its OWNER member",
    );
    // … and demoting + promoting without updating owner_id.
    await expectDbRejects(
      db.$transaction(async (tx) => {
        await tx.organizationMember.update({
          where: { organizationId_userId: { organizationId: organization.id, userId: owner.id } },
          data: { role: "MODERATOR" },
        });
        await tx.organizationMember.update({
          where: { organizationId_userId: { organizationId: organization.id, userId: moderator.id } },
          data: { role: "OWNER" },
        });
        await checkDeferredNow(tx);
      }),
      "owner_id does not match its OWNER member",
    );

    expect((await db.organization.findUniqueOrThrow({ where: { id: organization.id } })).ownerId).toBe(owner.id);
    expect(await ownersOf(organization.id)).toEqual([{ userId: owner.id }]);
  });

  test("10 parallel transactions adding a second OWNER are all rejected; one OWNER remains", async () => {
    const { organization, owner } = await createOrganization();
    const candidates = await Promise.all(Array.from({ length: 10 }, () => createUser()));

    const results = await Promise.allSettled(
      candidates.map((candidate) =>
        db.$transaction(async (tx) => {
          await tx.organizationMember.create({ data: { organizationId: organization.id, userId: candidate.id, role: "OWNER" } });
          await tx.organization.update({ where: { id: organization.id }, data: { ownerId: candidate.id } });
          await checkDeferredNow(tx);
        }),
      ),
    );

    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(0);
    for (const r of results) {
      await expectDbRejects(Promise.reject((r as PromiseRejectedResult).reason), "P2002", "organization_members_one_owner");
    }
    expect(await ownersOf(organization.id)).toEqual([{ userId: owner.id }]);
    expect((await db.organization.findUniqueOrThrow({ where: { id: organization.id } })).ownerId).toBe(owner.id);
    expect(await db.organizationMember.count({ where: { organizationId: organization.id } })).toBe(1);
  });

  test("10 parallel ownership transfers never leave zero or two OWNERs", async () => {
    const { organization } = await createOrganization();
    const moderators = await Promise.all(Array.from({ length: 10 }, () => createUser()));
    for (const m of moderators) await addMember(organization, m);

    // Each transaction demotes whoever is OWNER, promotes itself and updates owner_id.
    const results = await Promise.allSettled(
      moderators.map((me) =>
        db.$transaction(async (tx) => {
          await tx.organizationMember.updateMany({ where: { organizationId: organization.id, role: "OWNER" }, data: { role: "MODERATOR" } });
          await tx.organizationMember.update({
            where: { organizationId_userId: { organizationId: organization.id, userId: me.id } },
            data: { role: "OWNER" },
          });
          await tx.organization.update({ where: { id: organization.id }, data: { ownerId: me.id } });
          await checkDeferredNow(tx);
        }),
      ),
    );

    const won = results.filter((r) => r.status === "fulfilled").length;
    expect(won).toBeGreaterThanOrEqual(1); // later ones may legitimately run after an earlier commit
    for (const r of results) {
      if (r.status === "rejected") await expectDbRejects(Promise.reject(r.reason), "organization_members_one_owner");
    }
    const owners = await ownersOf(organization.id);
    expect(owners).toHaveLength(1);
    expect((await db.organization.findUniqueOrThrow({ where: { id: organization.id } })).ownerId).toBe(owners[0].userId);
  });
});

// ───────────────────────────── organization requests and invites ─────────────────────────────

describe("organization requests", () => {
  const request = (userId: string, slug: string, status: "PENDING" | "APPROVED" | "REJECTED" = "PENDING") =>
    db.organizationRequest.create({ data: { userId, name: `Заявка ${slug}`, slug, status } });

  test("one PENDING request per user", async () => {
    const user = await createUser();
    const first = await request(user.id, uniqueSlug("req"));
    await expectDbRejects(request(user.id, uniqueSlug("req")), "P2002", "organization_requests_one_pending_per_user");
    // Reviewed requests do not count.
    await db.organizationRequest.update({ where: { id: first.id }, data: { status: "REJECTED", reviewedAt: new Date() } });
    await request(user.id, uniqueSlug("req"));
    await request(user.id, uniqueSlug("req"), "APPROVED");
  });

  test("a pending slug is held by one request", async () => {
    const slug = uniqueSlug("wanted");
    const first = await request((await createUser()).id, slug);
    await expectDbRejects(request((await createUser()).id, slug), "P2002", "organization_requests_pending_slug_key");
    await db.organizationRequest.update({ where: { id: first.id }, data: { status: "REJECTED" } });
    await request((await createUser()).id, slug);
  });

  test("request slug has the organization slug format", async () => {
    await expectDbRejects(request((await createUser()).id, "Bad Slug"), "23514", "organization_requests_slug_format_check");
  });

  test("moderator invite code is 32 characters of [a-z0-9]", async () => {
    const { organization, owner } = await createOrganization();
    const invite = (code: string) =>
      db.organizationInvite.create({
        data: { organizationId: organization.id, code, createdById: owner.id, expiresAt: new Date(Date.now() + 7 * 86_400_000) },
      });
    await invite("a".repeat(31) + "1");
    await expectDbRejects(invite("A".repeat(32)), "organization_invites_code_format_check");
    await expectDbRejects(invite("a".repeat(31)), "organization_invites_code_format_check");
  });
});

// ───────────────────────────── groups ─────────────────────────────

describe("groups", () => {
  test("(group, user) is unique", async () => {
    const { organization } = await createOrganization();
    const group = await createGroup(organization);
    const user = await createUser();
    await db.groupMember.create({ data: { groupId: group.id, userId: user.id } });
    await expectDbRejects(db.groupMember.create({ data: { groupId: group.id, userId: user.id } }), "P2002", "group_members_group_id_user_id_key");
    const other = await createGroup(organization);
    await db.groupMember.create({ data: { groupId: other.id, userId: user.id } });
  });

  test("invite_code is globally unique", async () => {
    const { organization } = await createOrganization();
    const { organization: another } = await createOrganization();
    const group = await createGroup(organization);
    await expectDbRejects(createGroup(another, { inviteCode: group.inviteCode }), "P2002", "groups_invite_code_key");
  });

  test.each([
    ["lower-case", "abcd2345"],
    ["7 characters", "ABCD234"],
    ["9 characters", "ABCD23456"],
    ["look-alike O", "ABCDO345"],
    ["digit 0", "ABCD0345"],
  ])("invite_code %s is rejected", async (_label, inviteCode) => {
    const { organization } = await createOrganization();
    await expectDbRejects(createGroup(organization, { inviteCode }), "23514", "groups_invite_code_format_check");
    await createGroup(organization, { inviteCode: generateCode() });
  });
});

// ───────────────────────────── events ─────────────────────────────

describe("events", () => {
  test("slug is unique per organization among non-deleted events", async () => {
    const { organization } = await createOrganization();
    const { organization: other } = await createOrganization();
    const slug = uniqueSlug("meetup");
    const event = await createEvent(organization, { slug });
    await expectDbRejects(createEvent(organization, { slug }), "P2002", "events_tenant_slug_active_key");

    // Another organization may use the same slug.
    await createEvent(other, { slug });
    // A soft delete frees it.
    await db.event.update({ where: { id: event.id }, data: { deletedAt: new Date() } });
    await createEvent(organization, { slug });
  });

  test("ends_at cannot be before starts_at", async () => {
    const { organization } = await createOrganization();
    const startsAt = new Date(Date.now() + 86_400_000);
    await expectDbRejects(
      createEvent(organization, { startsAt, endsAt: new Date(startsAt.getTime() - 60_000) }),
      "23514",
      "events_ends_after_start_check",
    );
    await createEvent(organization, { startsAt, endsAt: startsAt });
    const event = await createEvent(organization, { startsAt, endsAt: null });
    await expectDbRejects(
      db.event.update({ where: { id: event.id }, data: { endsAt: new Date(startsAt.getTime() - 1) } }),
      "events_ends_after_start_check",
    );
  });
});

// ───────────────────────────── ticket types ─────────────────────────────

describe("ticket type counters", () => {
  async function ticketType(overrides: Partial<Prisma.TicketTypeUncheckedCreateInput> = {}) {
    const { organization } = await createOrganization();
    return createTicketType(await createEvent(organization), overrides);
  }

  test("counters never go below zero", async () => {
    const type = await ticketType({ quantity: 10, soldCount: 1, reservedCount: 0 });
    await db.ticketType.update({ where: { id: type.id }, data: { soldCount: { decrement: 1 } } });
    await expectDbRejects(
      db.ticketType.update({ where: { id: type.id }, data: { soldCount: { decrement: 1 } } }),
      "23514",
      "ticket_types_counters_check",
    );
    await expectDbRejects(
      db.ticketType.update({ where: { id: type.id }, data: { reservedCount: { decrement: 1 } } }),
      "ticket_types_counters_check",
    );
    const row = await db.ticketType.findUniqueOrThrow({ where: { id: type.id } });
    expect([row.soldCount, row.reservedCount]).toEqual([0, 0]);
  });

  test("sold_count + reserved_count never exceeds quantity", async () => {
    const type = await ticketType({ quantity: 3, soldCount: 2, reservedCount: 1 });
    await expectDbRejects(
      db.ticketType.update({ where: { id: type.id }, data: { soldCount: { increment: 1 } } }),
      "23514",
      "ticket_types_capacity_check",
    );
    await expectDbRejects(
      db.ticketType.update({ where: { id: type.id }, data: { reservedCount: { increment: 1 } } }),
      "ticket_types_capacity_check",
    );
    // Lowering quantity below what is already taken is rejected too.
    await expectDbRejects(db.ticketType.update({ where: { id: type.id }, data: { quantity: 2 } }), "ticket_types_capacity_check");
    await expectDbRejects(ticketType({ quantity: 1, soldCount: 1, reservedCount: 1 }), "ticket_types_capacity_check");
    // A reservation turning into a sale keeps the sum: allowed at full capacity.
    await db.ticketType.update({
      where: { id: type.id },
      data: { reservedCount: { decrement: 1 }, soldCount: { increment: 1 } },
    });
    const row = await db.ticketType.findUniqueOrThrow({ where: { id: type.id } });
    expect([row.soldCount, row.reservedCount, row.quantity]).toEqual([3, 0, 3]);
  });

  test("unlimited (quantity null) has no cap", async () => {
    const type = await ticketType({ quantity: null });
    const row = await db.ticketType.update({
      where: { id: type.id },
      data: { soldCount: { increment: 1_000_000 }, reservedCount: { increment: 500_000 } },
    });
    expect([row.soldCount, row.reservedCount]).toEqual([1_000_000, 500_000]);
  });

  test("registrations through the factory keep counters equal to the rows, and a rejected one changes nothing", async () => {
    const { organization } = await createOrganization();
    const event = await createEvent(organization);
    const type = await createTicketType(event, { quantity: 2, reservationMinutes: 30, priceCents: 150_000 });
    await createRegistration(event, type, { user: await createUser(), status: "CONFIRMED" });
    await createRegistration(event, type, { user: await createUser(), status: "RESERVED" });
    await expectDbRejects(createRegistration(event, type, { user: await createUser() }), "ticket_types_capacity_check");
    await createRegistration(event, type, { user: await createUser(), status: "CANCELLED" });

    const row = await db.ticketType.findUniqueOrThrow({ where: { id: type.id } });
    expect([row.soldCount, row.reservedCount]).toEqual([1, 1]);
    expect(await db.registration.count({ where: { ticketTypeId: type.id } })).toBe(3);
  });

  test("other ticket type checks: price ≥ 0, reservation minutes > 0, prepayment 1–99 %, sales window", async () => {
    await expectDbRejects(ticketType({ priceCents: -1 }), "ticket_types_price_check");
    await expectDbRejects(ticketType({ reservationMinutes: 0 }), "ticket_types_reservation_minutes_check");
    await expectDbRejects(ticketType({ prepaymentPercent: 100 }), "ticket_types_prepayment_percent_check");
    await expectDbRejects(ticketType({ prepaymentPercent: 0 }), "ticket_types_prepayment_percent_check");
    const at = new Date();
    await expectDbRejects(ticketType({ salesStart: at, salesEnd: at }), "ticket_types_sales_window_check");
    await ticketType({ priceCents: 0, reservationMinutes: 1, prepaymentPercent: 50, salesStart: at, salesEnd: new Date(at.getTime() + 1) });
  });
});

// ───────────────────────────── registrations ─────────────────────────────

describe("registrations", () => {
  async function setup() {
    const { organization } = await createOrganization();
    const event = await createEvent(organization);
    const type = await createTicketType(event, { quantity: null, reservationMinutes: 30 });
    return { organization, event, type };
  }

  test("confirmation_code is unique", async () => {
    const { event, type } = await setup();
    const first = await createRegistration(event, type, { user: await createUser() });
    expect(first.confirmationCode).toMatch(/^[ABCDEFGHJKMNPQRSTUVWXYZ23456789]{8}$/);
    await expectDbRejects(
      createRegistration(event, type, { user: await createUser(), confirmationCode: first.confirmationCode }),
      "P2002",
      "registrations_confirmation_code_key",
    );
  });

  test.each([
    ["lower-case", "abcd2345"],
    ["look-alike O", "ABCDO345"],
    ["digit 1", "ABCD1345"],
    ["7 characters", "ABCD234"],
    ["9 characters", "ABCD23456"],
  ])("confirmation_code %s is rejected", async (_label, code) => {
    const { event, type } = await setup();
    await expectDbRejects(
      createRegistration(event, type, { user: await createUser(), confirmationCode: code }),
      "23514",
      "registrations_confirmation_code_format_check",
    );
  });

  const ACTIVE: RegistrationStatus[] = ["RESERVED", "PENDING", "CONFIRMED", "CHECKED_IN"];

  test.each(ACTIVE.flatMap((first) => ACTIVE.map((second) => [first, second] as const)))(
    "one active registration per user per event: %s then %s is rejected",
    async (first, second) => {
      const { event, type } = await setup();
      const user = await createUser();
      await createRegistration(event, type, { user, status: first });
      await expectDbRejects(createRegistration(event, type, { user, status: second }), "P2002", "registrations_one_active_per_user");
      // The rejected insert rolled its counter increment back.
      const row = await db.ticketType.findUniqueOrThrow({ where: { id: type.id } });
      expect(row.soldCount + row.reservedCount).toBe(1);
    },
  );

  test.each(["CANCELLED", "EXPIRED"] as const)("after the first is %s the user may register again", async (ended) => {
    const { event, type } = await setup();
    const user = await createUser();
    const first = await createRegistration(event, type, { user, status: "RESERVED" });
    await db.registration.update({ where: { id: first.id }, data: { status: ended } });
    const second = await createRegistration(event, type, { user, status: "CONFIRMED" });
    // Several ended registrations may pile up; only one active.
    await db.registration.update({ where: { id: second.id }, data: { status: ended } });
    await createRegistration(event, type, { user, status: "PENDING" });
    // Re-activating an ended one while another is active is rejected.
    await expectDbRejects(
      db.registration.update({ where: { id: first.id }, data: { status: "CONFIRMED" } }),
      "registrations_one_active_per_user",
    );
  });

  test("the same user in two events is fine", async () => {
    const a = await setup();
    const b = await setup();
    const user = await createUser();
    await createRegistration(a.event, a.type, { user });
    await createRegistration(b.event, b.type, { user });
  });

  test("guests (no user): one active registration per email per event; neither user nor email is rejected", async () => {
    const { event, type } = await setup();
    const email = uniqueEmail("guest");
    const first = await createRegistration(event, type, { user: null, email });
    await expectDbRejects(createRegistration(event, type, { user: null, email }), "P2002", "registrations_one_active_per_guest_email");
    await db.registration.update({ where: { id: first.id }, data: { status: "CANCELLED", cancelledAt: new Date() } });
    await createRegistration(event, type, { user: null, email }); // allowed again once the first is cancelled
    await expectDbRejects(createRegistration(event, type, { user: null, email: email.toUpperCase() }), "23514", "registrations_email_normalized_check");
    await createRegistration(event, type, { user: null });
    await expectDbRejects(createRegistration(event, type, { user: null, email: null }), "23514", "registrations_user_or_email_check");
    // A user without email (Telegram-only) is fine: user_id is set.
    await createRegistration(event, type, { user: await createUser({ email: null, telegramId: uniqueTelegramId() }) });
  });

  test("a RESERVED registration needs expires_at", async () => {
    const { event, type } = await setup();
    await expectDbRejects(
      createRegistration(event, type, { user: await createUser(), status: "RESERVED", expiresAt: null }),
      "23514",
      "registrations_reserved_expires_check",
    );
  });

  test("one check-in per registration", async () => {
    const { event, type } = await setup();
    const registration = await createRegistration(event, type, { user: await createUser(), status: "CHECKED_IN" });
    await createCheckIn(registration, { method: "QR_SCAN" });
    await expectDbRejects(createCheckIn(registration, { method: "MANUAL" }), "P2002", "check_ins_registration_id_key");
  });

  test("payment idempotency_key is unique", async () => {
    const { organization, event } = await setup();
    const paid = await createTicketType(event, { priceCents: 250_000, quantity: null });
    const registration = await createRegistration(event, paid, { user: await createUser() });
    const payment = (idempotencyKey: string) =>
      db.payment.create({
        data: {
          organizationId: organization.id,
          registrationId: registration.id,
          provider: "manual",
          status: "COMPLETED",
          amountCents: 250_000,
          currency: "RUB",
          idempotencyKey,
        },
      });
    const key = uniqueIdempotencyKey();
    await payment(key);
    await expectDbRejects(payment(key), "P2002", "payments_idempotency_key_key");
    await payment(uniqueIdempotencyKey()); // a second payment of the same registration (prepayment + rest) is fine
    await expectDbRejects(
      db.payment.create({
        data: { organizationId: organization.id, registrationId: registration.id, provider: "manual", amountCents: -1, currency: "RUB", idempotencyKey: uniqueIdempotencyKey() },
      }),
      "payments_amount_check",
    );
  });
});

// ───────────────────────────── waitlist ─────────────────────────────

describe("waitlist", () => {
  test("one live entry per user per event; a contact is required", async () => {
    const { organization } = await createOrganization();
    const event = await createEvent(organization);
    const user = await createUser();
    const entry = (position: number, data: Partial<Prisma.WaitlistEntryUncheckedCreateInput>) =>
      db.waitlistEntry.create({ data: { eventId: event.id, position, ...data } });
    const first = await entry(1, { userId: user.id });
    await expectDbRejects(entry(2, { userId: user.id }), "P2002", "waitlist_entries_one_active_per_user");
    await db.waitlistEntry.update({ where: { id: first.id }, data: { status: "EXPIRED" } });
    await entry(3, { userId: user.id });
    await expectDbRejects(entry(4, {}), "23514", "waitlist_entries_contact_check");
    await expectDbRejects(entry(1, { email: uniqueEmail() }), "P2002", "waitlist_entries_event_id_position_key");
  });
});

// ───────────────────────────── Prisma and deferred constraints ─────────────────────────────

// ───────────────────────────── cross-table consistency ─────────────────────────────

describe("rows never point at another tenant's or another event's rows", () => {
  test("a registration's ticket type belongs to its event, and its tenant is its event's", async () => {
    const { organization } = await createOrganization();
    const eventA = await createEvent(organization);
    const eventB = await createEvent(organization);
    const typeB = await createTicketType(eventB);
    await expectDbRejects(
      db.registration.create({
        data: {
          organizationId: organization.id,
          eventId: eventA.id,
          ticketTypeId: typeB.id,
          status: "CONFIRMED",
          confirmationCode: generateCode(),
          firstName: "Cross",
          email: uniqueEmail(),
        },
      }),
      "registrations_ticket_type_event_fkey",
    );
    const other = await createOrganization();
    const typeA = await createTicketType(eventA);
    await expectDbRejects(
      db.registration.create({
        data: {
          organizationId: other.organization.id,
          eventId: eventA.id,
          ticketTypeId: typeA.id,
          status: "CONFIRMED",
          confirmationCode: generateCode(),
          firstName: "Cross",
          email: uniqueEmail(),
        },
      }),
      "registrations_event_tenant_fkey",
    );
  });

  test("a check-in's event is its registration's event", async () => {
    const { organization } = await createOrganization();
    const event = await createEvent(organization);
    const otherEvent = await createEvent(organization);
    const registration = await createRegistration(event, await createTicketType(event), { user: await createUser() });
    await expectDbRejects(createCheckIn({ id: registration.id, eventId: otherEvent.id }), "check_ins_registration_event_fkey");
    await createCheckIn(registration);
  });

  test("a private event's group belongs to the event's organization", async () => {
    const a = await createOrganization();
    const b = await createOrganization();
    const foreignGroup = await createGroup(b.organization, { createdBy: b.owner });
    await expectDbRejects(createEvent(a.organization, { groupId: foreignGroup.id }), "events_group_tenant_fkey");
    const ownGroup = await createGroup(a.organization, { createdBy: a.owner });
    const event = await createEvent(a.organization, { groupId: ownGroup.id });
    await db.group.delete({ where: { id: ownGroup.id } });
    expect((await db.event.findUniqueOrThrow({ where: { id: event.id } })).groupId).toBeNull();
  });
});

describe("Prisma 6.19 + adapter-pg and a failing COMMIT", () => {
  test("a violation at COMMIT leaks the pool connection; checking the deferred rule inside the transaction does not", async () => {
    const t = trackedPrisma(3);
    try {
      const user = await t.client.user.create({ data: { email: uniqueEmail(), firstName: "Т" } });
      const orphan = () => t.client.organization.create({ data: { ownerId: user.id, name: "Сирота", slug: uniqueSlug() } });

      // Single statements outside a transaction: each fails on the statement, nothing leaks.
      await expectDbRejects(orphan(), "must have exactly one OWNER");
      const { organization, owner } = await createOrganization();
      const ownerRow = { organizationId_userId: { organizationId: organization.id, userId: owner.id } };
      await expectDbRejects(t.client.organizationMember.delete({ where: ownerRow }), "must have exactly one OWNER");
      await expectDbRejects(t.client.organizationMember.update({ where: ownerRow, data: { role: "MODERATOR" } }), "must have exactly one OWNER");
      await expectDbRejects(t.client.organization.update({ where: { id: organization.id }, data: { ownerId: user.id } }), "owner_id does not match");
      expect(t.checkedOut()).toBe(0);

      // A nested create runs in Prisma's own transaction: COMMIT fails, the connection leaks, and the
      // database's reason is lost — Prisma reports P2028 "Transaction already closed" instead.
      const nested = await t.client.organization
        .create({ data: { ownerId: user.id, name: "Сирота", slug: uniqueSlug(), members: { create: { userId: user.id, role: "MODERATOR" } } } })
        .then(
          () => null,
          (e: unknown) => e as { code?: string; message: string },
        );
      expect(nested?.code).toBe("P2028");
      expect(nested?.message).toContain("Transaction already closed");
      expect(t.checkedOut()).toBe(1);

      // An interactive transaction failing at COMMIT: the error arrives, the connection stays checked out.
      await expectDbRejects(
        t.client.$transaction(async (tx) => {
          await tx.organization.create({ data: { ownerId: user.id, name: "Сирота", slug: uniqueSlug() } });
        }),
        "must have exactly one OWNER",
      );
      expect(t.checkedOut()).toBe(2); // ← Prisma bug; when this fails, Prisma fixed it

      // The workaround: SET CONSTRAINTS … IMMEDIATE (all, or the two trigger names) as the last statement.
      for (const sql of ["SET CONSTRAINTS ALL IMMEDIATE", "SET CONSTRAINTS organization_members_single_owner, organizations_single_owner IMMEDIATE"]) {
        await expectDbRejects(
          t.client.$transaction(async (tx) => {
            await tx.organization.create({ data: { ownerId: user.id, name: "Сирота", slug: uniqueSlug() } });
            await tx.$executeRawUnsafe(sql);
          }),
          "P2010",
          "23514",
          "must have exactly one OWNER",
        );
      }
      expect(t.checkedOut()).toBe(2); // no new leak
    } finally {
      await t.close();
    }
  });
});

