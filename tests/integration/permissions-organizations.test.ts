// The permission matrix of every organizations-area service that takes an id or a slug (plus the
// actor-only ones for the anonymous row). Semantics (lib/permissions):
//   anonymous (actor null)                 → UNAUTHENTICATED
//   another tenant / not a member / deleted → NOT_FOUND   (the organization "does not exist" for you)
//   a member whose role lacks the right     → FORBIDDEN   (MODERATOR, or a platform admin acting as one, on owner-only actions)
//   a signed-in non-admin on admin actions  → FORBIDDEN   — not NOT_FOUND: the review queue is a platform
//     feature, not tenant data. Its existence is public (docs, a guessable URL), the role check runs
//     before any request row is read (so nothing about ids leaks), and FORBIDDEN tells an API client
//     the truth ("you need the admin role"). The page itself answers 404 to non-admins so the UI does
//     not advertise the admin area.
// Every refusal is also checked to change nothing ("must not see / must not change").
import { describe, expect, test } from "vitest";
import { db } from "@/lib/db";
import { AppError, type ErrorCode } from "@/lib/errors";
import type { Organization, User } from "@/lib/generated/prisma/client";
import {
  deleteOrganization,
  getOrganizationOverview,
  listMyOrganizations,
  updateOrganization,
  type OrganizationRef,
} from "@/lib/organizations/organizations";
import {
  approveOrganizationRequest,
  checkSlugAvailability,
  countPendingRequests,
  getRequesterState,
  listRequestsForReview,
  rejectOrganizationRequest,
  submitOrganizationRequest,
} from "@/lib/organizations/requests";
import { actorOf, type Actor } from "@/lib/permissions";
import { addMember, createEvent, createOrganization, createUser, uniqueSlug } from "@/tests/helpers/factories";

const as = (user: Pick<User, "id" | "isPlatformAdmin">): Actor => actorOf(user)!;

async function codeOf(promise: Promise<unknown>): Promise<ErrorCode | "OK"> {
  try {
    await promise;
    return "OK";
  } catch (e) {
    if (e instanceof AppError) return e.code;
    throw e;
  }
}

type Who = "anonymous" | "otherTenantOwner" | "signedInStranger" | "moderator" | "owner" | "platformAdmin";

type World = { organization: Organization; actors: Record<Who, Actor | null> };

/** An organization with an owner and a moderator, plus outsiders: the owner of another organization, a plain user, a platform admin. */
async function world(): Promise<World> {
  const { organization, owner } = await createOrganization();
  const moderator = await createUser();
  await addMember(organization, moderator);
  const { owner: otherTenantOwner } = await createOrganization();
  const stranger = await createUser();
  const admin = await createUser({ isPlatformAdmin: true });
  return {
    organization,
    actors: {
      anonymous: null,
      otherTenantOwner: as(otherTenantOwner),
      signedInStranger: as(stranger),
      moderator: as(moderator),
      owner: as(owner),
      platformAdmin: as(admin),
    },
  };
}

const refs = (o: Organization): Record<string, OrganizationRef> => ({ byId: { organizationId: o.id }, bySlug: { slug: o.slug } });

const snapshot = async (id: string) => {
  const row = await db.organization.findUniqueOrThrow({ where: { id } });
  return { name: row.name, description: row.description, settings: row.settings, deletedAt: row.deletedAt };
};

// ───────────────────────────── organization services ─────────────────────────────

describe("getOrganizationOverview (organization.view)", () => {
  const expected: Record<Who, ErrorCode | "OK"> = {
    anonymous: "UNAUTHENTICATED",
    otherTenantOwner: "NOT_FOUND",
    signedInStranger: "NOT_FOUND",
    moderator: "OK",
    owner: "OK",
    platformAdmin: "OK", // acts as MODERATOR
  };
  for (const [refName, pick] of Object.entries({ byId: "byId", bySlug: "bySlug" })) {
    test(`matrix (${refName})`, async () => {
      const { organization, actors } = await world();
      const ref = refs(organization)[pick];
      const got: Record<string, string> = {};
      for (const who of Object.keys(expected) as Who[]) got[who] = await codeOf(getOrganizationOverview({ actor: actors[who], ...ref }));
      expect(got).toEqual(expected);
    });
  }

  test("a platform admin sees it without a membership, with moderator rights only", async () => {
    const { organization, actors } = await world();
    await expect(getOrganizationOverview({ actor: actors.platformAdmin, organizationId: organization.id })).resolves.toMatchObject({
      membershipRole: null,
      effectiveRole: "MODERATOR",
      can: { update: true, delete: false },
    });
  });
});

describe("updateOrganization (organization.update: owner and moderators)", () => {
  const expected: Record<Who, ErrorCode | "OK"> = {
    anonymous: "UNAUTHENTICATED",
    otherTenantOwner: "NOT_FOUND",
    signedInStranger: "NOT_FOUND",
    moderator: "OK",
    owner: "OK",
    platformAdmin: "OK",
  };
  test("matrix, and refusals change nothing", async () => {
    const { organization, actors } = await world();
    for (const who of Object.keys(expected) as Who[]) {
      const before = await snapshot(organization.id);
      const code = await codeOf(
        updateOrganization({ actor: actors[who], organizationId: organization.id, name: `Имя от ${who}`, description: null }),
      );
      expect(code, who).toBe(expected[who]);
      if (code !== "OK") expect(await snapshot(organization.id), who).toEqual(before);
      else expect((await snapshot(organization.id)).name).toBe(`Имя от ${who}`);
    }
  });

  test("the authorization comes before validation: outsiders learn nothing from field errors", async () => {
    const { organization, actors } = await world();
    await expect(codeOf(updateOrganization({ actor: actors.otherTenantOwner, slug: organization.slug, name: "" }))).resolves.toBe("NOT_FOUND");
    await expect(codeOf(updateOrganization({ actor: actors.anonymous, slug: organization.slug, name: "" }))).resolves.toBe("UNAUTHENTICATED");
  });
});

describe("deleteOrganization (organization.delete: owner only)", () => {
  const expected: Record<Who, ErrorCode | "OK"> = {
    anonymous: "UNAUTHENTICATED",
    otherTenantOwner: "NOT_FOUND",
    signedInStranger: "NOT_FOUND",
    moderator: "FORBIDDEN",
    platformAdmin: "FORBIDDEN", // acts as MODERATOR: owner-only actions stay with the owner
    owner: "OK", // last: it deletes
  };
  for (const refName of ["byId", "bySlug"] as const) {
    test(`matrix (${refName}), and refusals change nothing`, async () => {
      const { organization, actors } = await world();
      const event = await createEvent(organization);
      const ref = refs(organization)[refName];
      for (const who of Object.keys(expected) as Who[]) {
        const before = await snapshot(organization.id);
        const code = await codeOf(deleteOrganization({ actor: actors[who], ...ref, confirmSlug: organization.slug }));
        expect(code, who).toBe(expected[who]);
        if (code !== "OK") {
          expect(await snapshot(organization.id), who).toEqual(before);
          await expect(db.event.findUniqueOrThrow({ where: { id: event.id } })).resolves.toMatchObject({ status: "PUBLISHED" });
        }
      }
      await expect(db.event.findUniqueOrThrow({ where: { id: event.id } })).resolves.toMatchObject({ status: "CANCELLED" });
    });
  }
});

describe("a deleted organization does not exist for anyone, its owner included", () => {
  test("view, update and delete are NOT_FOUND", async () => {
    const { organization, actors } = await world();
    await db.organization.update({ where: { id: organization.id }, data: { deletedAt: new Date() } });
    for (const who of ["owner", "moderator", "platformAdmin"] as const) {
      await expect(codeOf(getOrganizationOverview({ actor: actors[who], slug: organization.slug })), who).resolves.toBe("NOT_FOUND");
      await expect(codeOf(updateOrganization({ actor: actors[who], organizationId: organization.id, name: "Новое имя" })), who).resolves.toBe("NOT_FOUND");
      await expect(codeOf(deleteOrganization({ actor: actors[who], organizationId: organization.id, confirmSlug: organization.slug })), who).resolves.toBe(
        "NOT_FOUND",
      );
    }
  });

  test("malformed or unknown ids and slugs are NOT_FOUND, never a database error", async () => {
    const { actors } = await world();
    for (const ref of [{ organizationId: "not-a-uuid" }, { organizationId: "00000000-0000-4000-8000-000000000000" }, { slug: "no-such-slug" }, { slug: "" }]) {
      await expect(codeOf(getOrganizationOverview({ actor: actors.owner, ...ref })), JSON.stringify(ref)).resolves.toBe("NOT_FOUND");
      await expect(codeOf(deleteOrganization({ actor: actors.owner, ...ref, confirmSlug: "x" })), JSON.stringify(ref)).resolves.toBe("NOT_FOUND");
    }
  });
});

describe("services without an id still need a signed-in actor", () => {
  test("anonymous → UNAUTHENTICATED", async () => {
    await expect(codeOf(listMyOrganizations({ actor: null }))).resolves.toBe("UNAUTHENTICATED");
    await expect(codeOf(getRequesterState({ actor: null }))).resolves.toBe("UNAUTHENTICATED");
    await expect(codeOf(checkSlugAvailability({ actor: null, slug: "some-slug" }))).resolves.toBe("UNAUTHENTICATED");
    await expect(codeOf(submitOrganizationRequest({ actor: null, name: "Клуб", slug: uniqueSlug("anon") }))).resolves.toBe("UNAUTHENTICATED");
  });

  test("the switcher and the request history show only the actor's own rows", async () => {
    const { organization, actors } = await world();
    const mine = await listMyOrganizations({ actor: actors.otherTenantOwner });
    expect(mine.map((o) => o.id)).not.toContain(organization.id);
    await expect(listMyOrganizations({ actor: actors.moderator })).resolves.toEqual([
      { id: organization.id, name: organization.name, slug: organization.slug, role: "MODERATOR" },
    ]);
    const requester = await createUser({ emailVerified: true });
    await submitOrganizationRequest({ actor: as(requester), name: "Чужая заявка", slug: uniqueSlug("own") });
    await expect(getRequesterState({ actor: actors.signedInStranger })).resolves.toMatchObject({ requests: [] });
  });
});

// ───────────────────────────── admin services ─────────────────────────────

describe("admin services (platform admins only)", () => {
  async function pendingRequest() {
    const requester = await createUser({ emailVerified: true });
    return submitOrganizationRequest({ actor: as(requester), name: "Клуб", slug: uniqueSlug("adm") });
  }

  test("approve / reject: anonymous → UNAUTHENTICATED, any non-admin (an organization owner included) → FORBIDDEN; the request is unchanged", async () => {
    const { actors } = await world();
    const request = await pendingRequest();
    for (const who of ["anonymous", "otherTenantOwner", "signedInStranger", "moderator", "owner"] as const) {
      const want = who === "anonymous" ? "UNAUTHENTICATED" : "FORBIDDEN";
      await expect(codeOf(approveOrganizationRequest({ actor: actors[who], requestId: request.id })), who).resolves.toBe(want);
      await expect(
        codeOf(rejectOrganizationRequest({ actor: actors[who], requestId: request.id, comment: "Попытка без прав администратора." })),
        who,
      ).resolves.toBe(want);
      // Same answer for an id that does not exist: the role check reveals nothing about ids.
      await expect(codeOf(approveOrganizationRequest({ actor: actors[who], requestId: "00000000-0000-4000-8000-000000000000" })), who).resolves.toBe(want);
    }
    await expect(db.organizationRequest.findUniqueOrThrow({ where: { id: request.id } })).resolves.toMatchObject({
      status: "PENDING",
      reviewedById: null,
      organizationId: null,
    });
    expect(await db.organization.count({ where: { slug: request.slug } })).toBe(0);
    await expect(codeOf(approveOrganizationRequest({ actor: actors.platformAdmin, requestId: request.id }))).resolves.toBe("OK");
  });

  test("the review queue and the pending count: anonymous → UNAUTHENTICATED, non-admins → FORBIDDEN, admins → OK", async () => {
    const { actors } = await world();
    await pendingRequest();
    for (const who of Object.keys(actors) as Who[]) {
      const want = who === "anonymous" ? "UNAUTHENTICATED" : who === "platformAdmin" ? "OK" : "FORBIDDEN";
      await expect(codeOf(listRequestsForReview({ actor: actors[who] })), who).resolves.toBe(want);
      await expect(codeOf(countPendingRequests({ actor: actors[who] })), who).resolves.toBe(want);
    }
  });
});
