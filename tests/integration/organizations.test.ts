// Organization requests and organizations against a real, fresh PostgreSQL database: the request
// rules (one pending, slug taken, verified only, rate limit), approval in one transaction and its
// races, rejection, editing, deletion (cancels upcoming events and registrations, notifies) and the
// public page data. The permission matrix is in permissions-organizations.test.ts.
import { describe, expect, test } from "vitest";
import { db } from "@/lib/db";
import { AppError, type ErrorCode } from "@/lib/errors";
import { LIMITS, limitKey } from "@/lib/http/limits";
import type { User } from "@/lib/generated/prisma/client";
import {
  ORGANIZATION_DELETED_REASON,
  deleteOrganization,
  getOrganizationOverview,
  getPublicOrganization,
  listMyOrganizations,
  updateOrganization,
} from "@/lib/organizations/organizations";
import {
  approveOrganizationRequest,
  checkSlugAvailability,
  getRequesterState,
  listRequestsForReview,
  rejectOrganizationRequest,
  submitOrganizationRequest,
} from "@/lib/organizations/requests";
import { actorOf, type Actor } from "@/lib/permissions";
import {
  addMember,
  createEvent,
  createGroup,
  createOrganization,
  createRegistration,
  createTicketType,
  createUser,
  uniqueSlug,
  uniqueTelegramId,
} from "@/tests/helpers/factories";

// ───────────────────────────── helpers ─────────────────────────────

const verifiedUser = (overrides: Parameters<typeof createUser>[0] = {}) =>
  createUser({ emailVerified: true, emailVerifiedAt: new Date(), ...overrides });
const createAdmin = () => verifiedUser({ isPlatformAdmin: true, firstName: "Админ" });
const as = (user: Pick<User, "id" | "isPlatformAdmin">): Actor => actorOf(user)!;

async function expectAppError(promise: Promise<unknown>, code: ErrorCode, message?: string): Promise<AppError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error, `expected AppError ${code}`).toBeInstanceOf(AppError);
  const appError = error as AppError;
  expect(appError.code).toBe(code);
  if (message) expect(appError.message).toBe(message);
  return appError;
}

function settledCodes(results: PromiseSettledResult<unknown>[]) {
  const codes: Record<string, number> = {};
  for (const r of results) {
    const key = r.status === "fulfilled" ? "ok" : r.reason instanceof AppError ? `${r.reason.code}:${r.reason.message}` : `other:${String(r.reason)}`;
    codes[key] = (codes[key] ?? 0) + 1;
  }
  return codes;
}

async function submit(user: User, input: { name?: string; slug?: string; description?: string } = {}) {
  return submitOrganizationRequest({ actor: as(user), name: input.name ?? "Клуб настольных игр", slug: input.slug ?? uniqueSlug("req"), description: input.description });
}

const notificationsFor = (userId: string, templateCode: string) =>
  db.notificationLog.findMany({ where: { userId, templateCode }, orderBy: { createdAt: "asc" } });

// ───────────────────────────── submitting ─────────────────────────────

describe("submitting a request", () => {
  test("a verified user submits; every platform admin gets one notification in the same transaction", async () => {
    const [adminA, adminB] = [await createAdmin(), await createAdmin()];
    const deletedAdmin = await createUser({ isPlatformAdmin: true, deletedAt: new Date(), email: null, telegramId: uniqueTelegramId() });
    const user = await verifiedUser({ firstName: "Мария", lastName: "Соколова" });
    const slug = uniqueSlug("board");

    const request = await submit(user, { name: "  Клуб настольных игр ", slug: ` ${slug.toUpperCase()} `, description: "  " });
    expect(request).toMatchObject({ slug, status: "PENDING" });

    const row = await db.organizationRequest.findUniqueOrThrow({ where: { id: request.id } });
    expect(row).toMatchObject({ userId: user.id, name: "Клуб настольных игр", slug, description: null, status: "PENDING" });

    const all = await db.notificationLog.findMany({ where: { templateCode: "organization.request.submitted", dedupeKey: { startsWith: `organization.request.submitted:${request.id}:` } } });
    const activeAdmins = await db.user.count({ where: { isPlatformAdmin: true, deletedAt: null } });
    expect(all).toHaveLength(activeAdmins);
    for (const admin of [adminA, adminB]) {
      const mine = all.filter((n) => n.userId === admin.id);
      expect(mine).toHaveLength(1);
      expect(mine[0].variables).toMatchObject({
        firstName: "Админ",
        requesterName: "Мария Соколова",
        organizationName: "Клуб настольных игр",
        organizationSlug: slug,
      });
      expect((mine[0].variables as { reviewUrl: string }).reviewUrl).toMatch(/\/dashboard\/admin\/requests$/);
    }
    expect(all.some((n) => n.userId === deletedAdmin.id)).toBe(false);
    // A delivery job per notification (outbox, same transaction).
    const jobs = await db.job.count({ where: { payload: { path: ["notificationId"], string_contains: all[0].id } } });
    expect(jobs).toBeGreaterThanOrEqual(1);

    await expect(db.auditLog.count({ where: { entityId: request.id, action: "organization_request.submitted" } })).resolves.toBe(1);
  });

  test("form rules are checked by the service too", async () => {
    const user = await verifiedUser();
    const e1 = await expectAppError(submitOrganizationRequest({ actor: as(user), name: "X", slug: "-bad-", description: "d".repeat(2001) }), "VALIDATION");
    expect(e1.fieldErrors).toEqual({
      name: "organizations.validation.nameTooShort",
      slug: "organizations.validation.slugFormat",
      description: "organizations.validation.descriptionTooLong",
    });
    const e2 = await expectAppError(submitOrganizationRequest({ actor: as(user), name: "n".repeat(256), slug: "ab" }), "VALIDATION");
    expect(e2.fieldErrors).toMatchObject({ name: "organizations.validation.nameTooLong", slug: "organizations.validation.slugTooShort" });
    await expectAppError(submitOrganizationRequest({ actor: as(user), name: "Имя", slug: "a".repeat(51) }), "VALIDATION");
    expect(await db.organizationRequest.count({ where: { userId: user.id } })).toBe(0);
  });

  test("only verified users: an unverified email is refused, a Telegram account is accepted", async () => {
    const unverified = await createUser();
    await expectAppError(submit(unverified), "FORBIDDEN", "organizations.errors.notVerified");
    expect(await db.organizationRequest.count({ where: { userId: unverified.id } })).toBe(0);
    await expect(getRequesterState({ actor: as(unverified) })).resolves.toMatchObject({ verified: false, pending: null, requests: [] });

    const telegramUser = await createUser({ email: null, telegramId: uniqueTelegramId() });
    await expect(submit(telegramUser)).resolves.toMatchObject({ status: "PENDING" });
  });

  test("one PENDING request per user (clear message); a new one is possible after the decision", async () => {
    const admin = await createAdmin();
    const user = await verifiedUser();
    const first = await submit(user);
    await expectAppError(submit(user), "CONFLICT", "organizations.errors.pendingExists");
    await expect(getRequesterState({ actor: as(user) })).resolves.toMatchObject({ verified: true, pending: { id: first.id } });

    await rejectOrganizationRequest({ actor: as(admin), requestId: first.id, comment: "Уточните, пожалуйста, описание." });
    const second = await submit(user);
    const state = await getRequesterState({ actor: as(user) });
    expect(state.pending?.id).toBe(second.id);
    expect(state.requests.map((r) => r.id)).toEqual([second.id, first.id]);
    expect(state.requests[1]).toMatchObject({ status: "REJECTED", reviewComment: "Уточните, пожалуйста, описание." });
  });

  test("the database decides one pending per user: parallel submissions give exactly one request", async () => {
    const user = await verifiedUser();
    const results = await Promise.allSettled(Array.from({ length: 4 }, () => submit(user)));
    expect(settledCodes(results)).toEqual({ ok: 1, "CONFLICT:organizations.errors.pendingExists": 3 });
    expect(await db.organizationRequest.count({ where: { userId: user.id } })).toBe(1);
  });

  test("a slug taken by a live organization or a PENDING request is refused on the slug field", async () => {
    const { organization } = await createOrganization();
    const user = await verifiedUser();
    const taken = await expectAppError(submit(user, { slug: organization.slug }), "CONFLICT");
    expect(taken.fieldErrors).toEqual({ slug: "organizations.validation.slugTaken" });

    const other = await verifiedUser();
    const pending = await submit(other);
    const taken2 = await expectAppError(submit(user, { slug: pending.slug }), "CONFLICT");
    expect(taken2.fieldErrors).toEqual({ slug: "organizations.validation.slugTaken" });
    expect(await db.organizationRequest.count({ where: { userId: user.id } })).toBe(0);
  });

  test("two users racing for one slug: the partial unique index lets exactly one through, the other gets the field error", async () => {
    const slug = uniqueSlug("race");
    const users = await Promise.all(Array.from({ length: 5 }, () => verifiedUser()));
    const results = await Promise.allSettled(users.map((u) => submit(u, { slug })));
    expect(settledCodes(results)).toEqual({ ok: 1, "CONFLICT:errors.validation": 4 });
    for (const r of results) if (r.status === "rejected") expect((r.reason as AppError).fieldErrors).toEqual({ slug: "organizations.validation.slugTaken" });
    expect(await db.organizationRequest.count({ where: { slug, status: "PENDING" } })).toBe(1);
  });

  test("a slug is free again after its request is rejected, or its organization deleted", async () => {
    const admin = await createAdmin();
    const a = await verifiedUser();
    const b = await verifiedUser();
    const request = await submit(a);
    await expect(checkSlugAvailability({ actor: as(b), slug: request.slug })).resolves.toEqual({ slug: request.slug, status: "taken" });
    await rejectOrganizationRequest({ actor: as(admin), requestId: request.id, comment: "Адрес нужно поменять." });
    await expect(checkSlugAvailability({ actor: as(b), slug: request.slug })).resolves.toEqual({ slug: request.slug, status: "available" });
    await expect(submit(b, { slug: request.slug })).resolves.toMatchObject({ slug: request.slug });

    const { organization } = await createOrganization({ data: { deletedAt: new Date() } });
    await expect(checkSlugAvailability({ actor: as(b), slug: organization.slug })).resolves.toMatchObject({ status: "available" });
  });

  test("live slug check: normalises, says invalid without asking the database", async () => {
    const user = await createUser();
    await expect(checkSlugAvailability({ actor: as(user), slug: "  My-Club  " })).resolves.toEqual({ slug: "my-club", status: "available" });
    await expect(checkSlugAvailability({ actor: as(user), slug: "ab" })).resolves.toMatchObject({ status: "invalid" });
    await expect(checkSlugAvailability({ actor: as(user), slug: "клуб" })).resolves.toMatchObject({ status: "invalid" });
    await expect(checkSlugAvailability({ actor: as(user), slug: "a--" })).resolves.toMatchObject({ status: "invalid" });
  });

  test(`rate limit: ${LIMITS["org-request"].rules.user.limit} submissions per hour per user, exact under parallel calls`, async () => {
    const user = await verifiedUser();
    const attempts = LIMITS["org-request"].rules.user.limit + 4;
    const results = await Promise.allSettled(Array.from({ length: attempts }, () => submit(user)));
    // Exactly `limit` attempts pass the limiter: one creates the request, the others meet the pending one.
    expect(settledCodes(results)).toEqual({
      ok: 1,
      "CONFLICT:organizations.errors.pendingExists": LIMITS["org-request"].rules.user.limit - 1,
      "RATE_LIMITED:organizations.errors.rateLimited": attempts - LIMITS["org-request"].rules.user.limit,
    });
    expect(await db.organizationRequest.count({ where: { userId: user.id } })).toBe(1);
    const bucket = await db.rateLimitBucket.findUniqueOrThrow({ where: { key: limitKey("org-request", "user", user.id) } });
    expect(bucket.count).toBe(attempts);
    // Another user is not affected.
    await expect(submit(await verifiedUser())).resolves.toMatchObject({ status: "PENDING" });
  });
});

// ───────────────────────────── approving ─────────────────────────────

describe("approving", () => {
  test("creates the organization (owner = requester) and the OWNER membership, marks the request, audits and notifies", async () => {
    const admin = await createAdmin();
    const user = await verifiedUser({ firstName: "Ольга" });
    const request = await submit(user, { name: "Книжный клуб", description: "Читаем вместе." });

    const approved = await approveOrganizationRequest({ actor: as(admin), requestId: request.id });
    expect(approved).toMatchObject({ requestId: request.id, slug: request.slug, name: "Книжный клуб" });

    const organization = await db.organization.findUniqueOrThrow({ where: { id: approved.organizationId }, include: { members: true } });
    expect(organization).toMatchObject({ ownerId: user.id, name: "Книжный клуб", slug: request.slug, description: "Читаем вместе.", deletedAt: null });
    expect(organization.members).toHaveLength(1);
    expect(organization.members[0]).toMatchObject({ userId: user.id, role: "OWNER" });

    const row = await db.organizationRequest.findUniqueOrThrow({ where: { id: request.id } });
    expect(row).toMatchObject({ status: "APPROVED", reviewedById: admin.id, organizationId: organization.id });
    expect(row.reviewedAt).toBeInstanceOf(Date);

    const audits = await db.auditLog.findMany({ where: { organizationId: organization.id }, orderBy: { action: "asc" } });
    expect(audits.map((a) => a.action)).toEqual(["organization.created", "organization_request.approved"]);
    expect(audits.every((a) => a.actorId === admin.id)).toBe(true);

    const [notice] = await notificationsFor(user.id, "organization.request.approved");
    expect(notice.variables).toMatchObject({ firstName: "Ольга", organizationName: "Книжный клуб" });
    expect((notice.variables as { organizationUrl: string }).organizationUrl).toMatch(new RegExp(`^https?://[^/]+/dashboard/o/${request.slug}$`));

    // The requester now sees the organization as its owner.
    await expect(listMyOrganizations({ actor: as(user) })).resolves.toEqual([{ id: organization.id, name: "Книжный клуб", slug: request.slug, role: "OWNER" }]);
    await expect(getOrganizationOverview({ actor: as(user), slug: request.slug })).resolves.toMatchObject({ membershipRole: "OWNER", can: { delete: true } });
    const state = await getRequesterState({ actor: as(user) });
    expect(state.requests[0]).toMatchObject({ status: "APPROVED", organizationSlug: request.slug });
  });

  test("10 parallel approvals of one request → exactly one organization; the others get 'already reviewed'", async () => {
    const admins = await Promise.all(Array.from({ length: 10 }, () => createAdmin()));
    const user = await verifiedUser();
    const request = await submit(user);

    const results = await Promise.allSettled(admins.map((a) => approveOrganizationRequest({ actor: as(a), requestId: request.id })));
    expect(settledCodes(results)).toEqual({ ok: 1, "CONFLICT:organizations.errors.alreadyReviewed": 9 });

    expect(await db.organization.count({ where: { slug: request.slug } })).toBe(1);
    expect(await db.organizationMember.count({ where: { userId: user.id } })).toBe(1);
    expect(await db.notificationLog.count({ where: { userId: user.id, templateCode: "organization.request.approved" } })).toBe(1);
    const winner = results.find((r) => r.status === "fulfilled") as PromiseFulfilledResult<{ organizationId: string }>;
    const row = await db.organizationRequest.findUniqueOrThrow({ where: { id: request.id } });
    expect(row.organizationId).toBe(winner.value.organizationId);
  });

  test("approve vs reject at the same time → exactly one outcome, consistent everywhere", async () => {
    for (let round = 0; round < 6; round++) {
      const [a, b] = [await createAdmin(), await createAdmin()];
      const user = await verifiedUser();
      const request = await submit(user);
      const calls = [
        approveOrganizationRequest({ actor: as(a), requestId: request.id }),
        rejectOrganizationRequest({ actor: as(b), requestId: request.id, comment: "Отказ в гонке с одобрением." }),
      ];
      const results = await Promise.allSettled(round % 2 ? calls.reverse() : calls);
      const codes = settledCodes(results);
      expect(codes).toEqual({ ok: 1, "CONFLICT:organizations.errors.alreadyReviewed": 1 });

      const row = await db.organizationRequest.findUniqueOrThrow({ where: { id: request.id } });
      const organizations = await db.organization.count({ where: { slug: request.slug } });
      const approvedNotes = await db.notificationLog.count({ where: { userId: user.id, templateCode: "organization.request.approved" } });
      const rejectedNotes = await db.notificationLog.count({ where: { userId: user.id, templateCode: "organization.request.rejected" } });
      if (row.status === "APPROVED") {
        expect([organizations, approvedNotes, rejectedNotes, row.reviewComment]).toEqual([1, 1, 0, null]);
        expect(row.reviewedById).toBe(a.id);
      } else {
        expect(row.status).toBe("REJECTED");
        expect([organizations, approvedNotes, rejectedNotes, row.organizationId]).toEqual([0, 0, 1, null]);
        expect(row.reviewedById).toBe(b.id);
      }
    }
  });

  test("a slug taken meanwhile by another organization → clear CONFLICT, nothing changes, the request can still be rejected", async () => {
    const admin = await createAdmin();
    const user = await verifiedUser();
    const request = await submit(user);
    // Another organization gets the slug by another path (e.g. an older approval or a support fix).
    await createOrganization({ slug: request.slug });

    await expectAppError(approveOrganizationRequest({ actor: as(admin), requestId: request.id }), "CONFLICT", "organizations.errors.slugTakenOnApprove");
    const row = await db.organizationRequest.findUniqueOrThrow({ where: { id: request.id } });
    expect(row).toMatchObject({ status: "PENDING", reviewedById: null, reviewedAt: null, organizationId: null });
    expect(await db.organizationMember.count({ where: { userId: user.id } })).toBe(0);
    expect(await db.notificationLog.count({ where: { userId: user.id, templateCode: "organization.request.approved" } })).toBe(0);
    expect(await db.auditLog.count({ where: { entityId: request.id, action: "organization_request.approved" } })).toBe(0);

    await rejectOrganizationRequest({ actor: as(admin), requestId: request.id, comment: "Адрес уже занят, выберите другой." });
    await expect(db.organizationRequest.findUniqueOrThrow({ where: { id: request.id } })).resolves.toMatchObject({ status: "REJECTED" });
  });

  test("services join a caller's transaction: an approval rolled back with it leaves nothing behind", async () => {
    const admin = await createAdmin();
    const user = await verifiedUser();
    const request = await submit(user);
    await expect(
      db.$transaction(async (tx) => {
        await approveOrganizationRequest({ actor: as(admin), requestId: request.id }, tx);
        expect(await tx.organization.count({ where: { slug: request.slug } })).toBe(1);
        throw new Error("caller rolls back");
      }),
    ).rejects.toThrow("caller rolls back");
    expect(await db.organization.count({ where: { slug: request.slug } })).toBe(0);
    await expect(db.organizationRequest.findUniqueOrThrow({ where: { id: request.id } })).resolves.toMatchObject({ status: "PENDING" });
    expect(await db.notificationLog.count({ where: { userId: user.id, templateCode: "organization.request.approved" } })).toBe(0);
  });

  test("decided or unknown requests: already reviewed → CONFLICT, unknown / malformed id → NOT_FOUND", async () => {
    const admin = await createAdmin();
    const request = await submit(await verifiedUser());
    await approveOrganizationRequest({ actor: as(admin), requestId: request.id });
    await expectAppError(approveOrganizationRequest({ actor: as(admin), requestId: request.id }), "CONFLICT", "organizations.errors.alreadyReviewed");
    await expectAppError(
      rejectOrganizationRequest({ actor: as(admin), requestId: request.id, comment: "Слишком поздно для отказа." }),
      "CONFLICT",
      "organizations.errors.alreadyReviewed",
    );
    await expectAppError(approveOrganizationRequest({ actor: as(admin), requestId: "6f1c1f6e-0000-4000-8000-000000000000" }), "NOT_FOUND");
    await expectAppError(approveOrganizationRequest({ actor: as(admin), requestId: "not-a-uuid" }), "NOT_FOUND");
  });

  test("the review queue: pending first (oldest first), then the reviewed ones", async () => {
    const admin = await createAdmin();
    const first = await submit(await verifiedUser());
    const second = await submit(await verifiedUser());
    const third = await submit(await verifiedUser());
    await rejectOrganizationRequest({ actor: as(admin), requestId: second.id, comment: "Недостаточно информации." });
    const queue = await listRequestsForReview({ actor: as(admin) });
    const pendingIds = queue.pending.map((r) => r.id);
    expect(pendingIds.indexOf(first.id)).toBeLessThan(pendingIds.indexOf(third.id));
    expect(pendingIds).not.toContain(second.id);
    expect(queue.pending.every((r) => r.status === "PENDING")).toBe(true);
    expect(queue.reviewed[0]).toMatchObject({ id: second.id, status: "REJECTED", reviewer: { id: admin.id } });
  });
});

// ───────────────────────────── rejecting ─────────────────────────────

describe("rejecting", () => {
  test("requires a comment of 10–1000 characters (trimmed)", async () => {
    const admin = await createAdmin();
    const request = await submit(await verifiedUser());
    const short = await expectAppError(rejectOrganizationRequest({ actor: as(admin), requestId: request.id, comment: "   123456789   " }), "VALIDATION");
    expect(short.fieldErrors).toEqual({ comment: "organizations.validation.commentTooShort" });
    const empty = await expectAppError(rejectOrganizationRequest({ actor: as(admin), requestId: request.id, comment: "" }), "VALIDATION");
    expect(empty.fieldErrors).toEqual({ comment: "organizations.validation.commentRequired" });
    const long = await expectAppError(rejectOrganizationRequest({ actor: as(admin), requestId: request.id, comment: "я".repeat(1001) }), "VALIDATION");
    expect(long.fieldErrors).toEqual({ comment: "organizations.validation.commentTooLong" });
    await expect(db.organizationRequest.findUniqueOrThrow({ where: { id: request.id } })).resolves.toMatchObject({ status: "PENDING" });

    await rejectOrganizationRequest({ actor: as(admin), requestId: request.id, comment: "я".repeat(1000) });
    await expect(db.organizationRequest.findUniqueOrThrow({ where: { id: request.id } })).resolves.toMatchObject({ status: "REJECTED", reviewComment: "я".repeat(1000) });
  });

  test("stores the comment, audits and notifies the requester", async () => {
    const admin = await createAdmin();
    const user = await verifiedUser({ firstName: "Павел" });
    const request = await submit(user, { name: "Клуб <b>любителей</b>" });
    await rejectOrganizationRequest({ actor: as(admin), requestId: request.id, comment: "  Опишите планы подробнее.  " });

    const row = await db.organizationRequest.findUniqueOrThrow({ where: { id: request.id } });
    expect(row).toMatchObject({ status: "REJECTED", reviewComment: "Опишите планы подробнее.", reviewedById: admin.id, organizationId: null });
    const [notice] = await notificationsFor(user.id, "organization.request.rejected");
    expect(notice.variables).toMatchObject({ firstName: "Павел", organizationName: "Клуб <b>любителей</b>", rejectionReason: "Опишите планы подробнее." });
    expect((notice.variables as { requestUrl: string }).requestUrl).toMatch(/\/dashboard\/organization-request$/);
    await expect(db.auditLog.count({ where: { entityId: request.id, action: "organization_request.rejected", actorId: admin.id } })).resolves.toBe(1);
    expect(await db.organization.count({ where: { slug: request.slug } })).toBe(0);
  });
});

// ───────────────────────────── editing ─────────────────────────────

describe("editing an organization", () => {
  test("a moderator edits name, description and settings; other settings keys are kept; an audit row names the changes", async () => {
    const { organization } = await createOrganization({ data: { settings: { otherArea: { keep: true } } } });
    const moderator = await createUser();
    await addMember(organization, moderator);

    await updateOrganization({
      actor: as(moderator),
      organizationId: organization.id,
      name: "  Новое имя  ",
      description: "Новое описание",
      defaultTimezone: "Asia/Yekaterinburg",
      contactEmail: "Hello@Example.com",
      websiteUrl: "https://example.com/club",
    });
    const row = await db.organization.findUniqueOrThrow({ where: { id: organization.id } });
    expect(row).toMatchObject({ name: "Новое имя", description: "Новое описание", slug: organization.slug });
    expect(row.settings).toEqual({
      otherArea: { keep: true },
      defaultTimezone: "Asia/Yekaterinburg",
      contactEmail: "hello@example.com",
      websiteUrl: "https://example.com/club",
    });
    const [audit] = await db.auditLog.findMany({ where: { entityId: organization.id, action: "organization.updated" } });
    expect(audit.actorId).toBe(moderator.id);
    expect(Object.keys(audit.changes as object).sort()).toEqual(["description", "name", "settings.contactEmail", "settings.defaultTimezone", "settings.websiteUrl"]);
  });

  test("validation: name 2–255, description ≤ 2000, a real time zone, http(s) website", async () => {
    const { organization, owner } = await createOrganization();
    const error = await expectAppError(
      updateOrganization({
        actor: as(owner),
        slug: organization.slug,
        name: "x",
        description: "d".repeat(2001),
        defaultTimezone: "Mars/Olympus",
        contactEmail: "not-an-email",
        websiteUrl: "javascript:alert(1)",
      }),
      "VALIDATION",
    );
    expect(error.fieldErrors).toEqual({
      name: "organizations.validation.nameTooShort",
      description: "organizations.validation.descriptionTooLong",
      defaultTimezone: "organizations.validation.timezoneInvalid",
      contactEmail: "organizations.validation.emailInvalid",
      websiteUrl: "organizations.validation.websiteInvalid",
    });
    await expect(db.organization.findUniqueOrThrow({ where: { id: organization.id } })).resolves.toMatchObject({ name: organization.name });
  });
});

// ───────────────────────────── deleting ─────────────────────────────

const DAY = 24 * 60 * 60 * 1000;

describe("deleting an organization", () => {
  test("a moderator cannot delete (FORBIDDEN); the owner must type the slug", async () => {
    const { organization, owner } = await createOrganization();
    const moderator = await createUser();
    await addMember(organization, moderator);
    await expectAppError(deleteOrganization({ actor: as(moderator), organizationId: organization.id, confirmSlug: organization.slug }), "FORBIDDEN");
    const wrong = await expectAppError(deleteOrganization({ actor: as(owner), organizationId: organization.id, confirmSlug: "something-else" }), "VALIDATION");
    expect(wrong.fieldErrors).toEqual({ confirmSlug: "organizations.validation.confirmSlugMismatch" });
    await expect(db.organization.findUniqueOrThrow({ where: { id: organization.id } })).resolves.toMatchObject({ deletedAt: null });
  });

  test("the owner deletes: upcoming events and their active registrations are cancelled and participants notified; past events stay", async () => {
    const { organization, owner } = await createOrganization();
    const now = new Date();

    const upcoming = await createEvent(organization, { title: "Весенний митап", startsAt: new Date(now.getTime() + 3 * DAY) });
    const upcomingType = await createTicketType(upcoming, { quantity: 10 });
    const vip = await createTicketType(upcoming, { name: "VIP", quantity: 5 });
    const alice = await createUser({ firstName: "Алиса" });
    const bob = await createUser({ firstName: "Bob", locale: "EN" });
    const carol = await createUser({ firstName: "Карина" });
    const dan = await createUser();
    const confirmed = await createRegistration(upcoming, upcomingType, { user: alice });
    const reserved = await createRegistration(upcoming, vip, { user: bob, status: "RESERVED" });
    const pendingPay = await createRegistration(upcoming, vip, { user: carol, status: "PENDING" });
    const guest = await createRegistration(upcoming, upcomingType, { user: null });
    const alreadyCancelled = await createRegistration(upcoming, upcomingType, { user: dan, status: "CANCELLED" });

    const draft = await createEvent(organization, { status: "DRAFT", startsAt: new Date(now.getTime() + 10 * DAY) });
    const past = await createEvent(organization, { startsAt: new Date(now.getTime() - 5 * DAY) });
    const pastType = await createTicketType(past);
    const pastRegistration = await createRegistration(past, pastType, { user: alice, status: "CHECKED_IN" });
    const completed = await createEvent(organization, { status: "COMPLETED", startsAt: new Date(now.getTime() - 2 * DAY) });

    // Another organization's upcoming event is untouched.
    const { organization: otherOrg } = await createOrganization();
    const otherEvent = await createEvent(otherOrg);
    const otherType = await createTicketType(otherEvent);
    const otherRegistration = await createRegistration(otherEvent, otherType, { user: alice });

    const result = await deleteOrganization({ actor: as(owner), slug: organization.slug, confirmSlug: ` ${organization.slug.toUpperCase()} ` });
    expect(result).toMatchObject({ id: organization.id, cancelledEvents: 2, cancelledRegistrations: 4, notified: 4 }) // the guest too (issue 15: guests hear by email);

    const org = await db.organization.findUniqueOrThrow({ where: { id: organization.id } });
    expect(org.deletedAt).toBeInstanceOf(Date);

    for (const e of [upcoming, draft]) {
      await expect(db.event.findUniqueOrThrow({ where: { id: e.id } })).resolves.toMatchObject({ status: "CANCELLED", cancellationReason: ORGANIZATION_DELETED_REASON });
    }
    await expect(db.event.findUniqueOrThrow({ where: { id: past.id } })).resolves.toMatchObject({ status: "PUBLISHED", cancelledAt: null });
    await expect(db.event.findUniqueOrThrow({ where: { id: completed.id } })).resolves.toMatchObject({ status: "COMPLETED" });
    await expect(db.event.findUniqueOrThrow({ where: { id: otherEvent.id } })).resolves.toMatchObject({ status: "PUBLISHED" });

    for (const r of [confirmed, reserved, pendingPay, guest]) {
      await expect(db.registration.findUniqueOrThrow({ where: { id: r.id } })).resolves.toMatchObject({
        status: "CANCELLED",
        cancellationReason: ORGANIZATION_DELETED_REASON,
        cancelledById: owner.id,
      });
    }
    await expect(db.registration.findUniqueOrThrow({ where: { id: alreadyCancelled.id } })).resolves.toMatchObject({ cancelledById: null });
    await expect(db.registration.findUniqueOrThrow({ where: { id: pastRegistration.id } })).resolves.toMatchObject({ status: "CHECKED_IN" });
    await expect(db.registration.findUniqueOrThrow({ where: { id: otherRegistration.id } })).resolves.toMatchObject({ status: "CONFIRMED" });

    // Seats went back: counters equal the active rows (zero).
    for (const type of [upcomingType, vip]) {
      await expect(db.ticketType.findUniqueOrThrow({ where: { id: type.id } })).resolves.toMatchObject({ soldCount: 0, reservedCount: 0 });
    }
    await expect(db.ticketType.findUniqueOrThrow({ where: { id: pastType.id } })).resolves.toMatchObject({ soldCount: 1 });

    // One event.cancelled per participant with an account, in their language; none for the guest or the already cancelled.
    const [aliceNote] = await notificationsFor(alice.id, "event.cancelled");
    expect(aliceNote.variables).toMatchObject({ firstName: "Алиса", eventTitle: "Весенний митап", cancellationReason: "Организация удалена" });
    expect((aliceNote.variables as { eventDate: { $date: string } }).eventDate.$date).toBe(upcoming.startsAt.toISOString());
    const [bobNote] = await notificationsFor(bob.id, "event.cancelled");
    expect(bobNote.variables).toMatchObject({ cancellationReason: "The organization was deleted" });
    expect(await notificationsFor(carol.id, "event.cancelled")).toHaveLength(1);
    expect(await notificationsFor(dan.id, "event.cancelled")).toHaveLength(0);
    expect(await notificationsFor(alice.id, "event.cancelled")).toHaveLength(1);

    const audits = await db.auditLog.findMany({ where: { organizationId: organization.id, entityType: { in: ["event", "organization"] } } });
    expect(audits.map((a) => `${a.entityType}:${a.action}`).sort()).toEqual(["event:event.cancelled", "event:event.cancelled", "organization:organization.deleted"]);
    // Each cancelled registration has its own audit row (the same cascade as cancelling one event).
    const registrationAudits = await db.auditLog.count({ where: { organizationId: organization.id, entityType: "registration", action: "registration.cancelled" } });
    expect(registrationAudits).toBe(result.cancelledRegistrations);

    // Gone everywhere: dashboard, switcher, public page; a second delete is NOT_FOUND; the slug is free.
    await expectAppError(getOrganizationOverview({ actor: as(owner), organizationId: organization.id }), "NOT_FOUND");
    await expect(listMyOrganizations({ actor: as(owner) })).resolves.toEqual([]);
    await expectAppError(getPublicOrganization({ slug: organization.slug }), "NOT_FOUND");
    await expectAppError(deleteOrganization({ actor: as(owner), organizationId: organization.id, confirmSlug: organization.slug }), "NOT_FOUND");
    await expect(createOrganization({ slug: organization.slug })).resolves.toBeTruthy();
  });

  test("two deletes at once: one succeeds, the other is NOT_FOUND; participants are notified once", async () => {
    const { organization, owner } = await createOrganization();
    const event = await createEvent(organization);
    const type = await createTicketType(event);
    const user = await createUser();
    await createRegistration(event, type, { user });
    const results = await Promise.allSettled(
      [0, 1].map(() => deleteOrganization({ actor: as(owner), organizationId: organization.id, confirmSlug: organization.slug })),
    );
    expect(Object.values(settledCodes(results)).sort()).toEqual([1, 1]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    expect(await notificationsFor(user.id, "event.cancelled")).toHaveLength(1);
  });
});

// ───────────────────────────── public page ─────────────────────────────

describe("public organization page data", () => {
  test("only upcoming (or running) public PUBLISHED events, by date; private, draft, cancelled, deleted and past ones are excluded", async () => {
    const { organization } = await createOrganization({ data: { description: "О нас", settings: { websiteUrl: "https://club.example", contactEmail: "hi@club.example" } } });
    const now = Date.now();
    const later = await createEvent(organization, { title: "Позже", startsAt: new Date(now + 9 * DAY) });
    const sooner = await createEvent(organization, { title: "Скоро", startsAt: new Date(now + 2 * DAY) });
    const running = await createEvent(organization, { title: "Идёт сейчас", startsAt: new Date(now - 60 * 60 * 1000), endsAt: new Date(now + 60 * 60 * 1000) });
    const group = await createGroup(organization);
    await createEvent(organization, { title: "Приватное", groupId: group.id });
    await createEvent(organization, { title: "Черновик", status: "DRAFT" });
    await createEvent(organization, { title: "Отменено", status: "CANCELLED" });
    await createEvent(organization, { title: "Удалено", deletedAt: new Date() });
    await createEvent(organization, { title: "Прошло", startsAt: new Date(now - 3 * DAY) });
    const { organization: other } = await createOrganization();
    await createEvent(other, { title: "Чужое" });

    const page = await getPublicOrganization({ slug: organization.slug.toUpperCase() });
    expect(page).toMatchObject({
      name: organization.name,
      slug: organization.slug,
      description: "О нас",
      websiteUrl: "https://club.example",
      contactEmail: "hi@club.example",
    });
    expect(page.events.map((e) => e.title)).toEqual(["Идёт сейчас", "Скоро", "Позже"]);
    expect(page.events.map((e) => e.id)).toEqual([running.id, sooner.id, later.id]);
    expect(page.events[1].url).toBe(`/e/${organization.slug}/${sooner.slug}`);
  });

  test("unknown and deleted organizations are NOT_FOUND", async () => {
    await expectAppError(getPublicOrganization({ slug: "no-such-organization" }), "NOT_FOUND");
    await expectAppError(getPublicOrganization({ slug: "" }), "NOT_FOUND");
    const { organization } = await createOrganization({ data: { deletedAt: new Date() } });
    await createEvent(organization);
    await expectAppError(getPublicOrganization({ slug: organization.slug }), "NOT_FOUND");
  });
});
