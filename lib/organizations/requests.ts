// Organization requests (global table, no tenant): a verified user asks for an organization, a
// platform admin approves (→ the organization and its OWNER membership, in one transaction) or
// rejects it with a comment.
//
// Rules and where they are enforced:
// - form rules: lib/validation/organizations.ts (parsed again here);
// - slug free among live organizations and PENDING requests: checked for a friendly answer, but the
//   final word is the database — the partial unique indexes organization_requests_pending_slug_key
//   (at submit) and organizations_slug_active_key (at approval) — whose violations become field errors
//   or a clear CONFLICT;
// - one PENDING request per user: organization_requests_one_pending_per_user;
// - only verified users (isVerifiedRequester), at most LIMITS["org-request"] submissions per hour;
// - approve / reject are compare-and-set on status PENDING: of two admins deciding at once exactly
//   one wins, the other gets CONFLICT "already reviewed"; approval never creates two organizations.
// - non-admins calling admin services get FORBIDDEN (see requirePlatformAdmin).
import "server-only";
import { writeAudit, writeAudits } from "@/lib/audit";
import { db, checkDeferredConstraints, type DbClient, withTransaction } from "@/lib/db";
import { env } from "@/lib/env";
import { AppError, checkViolation, uniqueViolation } from "@/lib/errors";
import type { OrganizationRequestStatus } from "@/lib/generated/prisma/client";
import { displayName } from "@/lib/identity/types";
import { isVerified } from "@/lib/identity";
import { notify } from "@/lib/notifications";
import { isUuid, requireActor, type Actor } from "@/lib/permissions";
import { enforceLimit } from "@/lib/rate-limit";
import { fieldErrorsOf } from "@/lib/validation/identity";
import {
  ORGANIZATION_SLUG_MAX,
  ORGANIZATION_SLUG_MIN,
  organizationRequestSchema,
  rejectRequestSchema,
  type OrganizationRequestInput,
} from "@/lib/validation/organizations";
import { organizationDashboardPath } from "./organizations";
import { isValidSlug } from "./slug";

// Rate limits (lib/http/limits.ts): "org-request" — every submission that passes validation counts;
// "org-slug-check" — the form debounces, this only stops enumeration scripts.

export const ORGANIZATION_REQUEST_PATH = "/dashboard/organization-request";
export const ADMIN_REQUESTS_PATH = "/dashboard/admin/requests";

const E = "organizations.errors";
const slugTakenField = { slug: "organizations.validation.slugTaken" };

function appUrl(path: string): string {
  return `${env().APP_URL.replace(/\/+$/, "")}${path}`;
}

// ───────────────────────────── who may request ─────────────────────────────

const VERIFICATION_SELECT = { emailVerified: true, telegramId: true } as const;

/**
 * Who may request an organization: a verified account (a verified email, or a Telegram account —
 * Telegram vouches for it). The rule itself belongs to the accounts area (lib/identity/verification.ts).
 */
export function isVerifiedRequester(user: { emailVerified: boolean; telegramId: string | null }): boolean {
  return isVerified(user);
}

/** Platform admins only. A signed-in non-admin gets FORBIDDEN: the admin area is no secret (it is in
 * the docs and the URL is guessable), there is no tenant data whose existence could leak, and the
 * check runs before any request is loaded, so it reveals nothing about ids. Pages show a 404. */
export function requirePlatformAdmin(actor: Actor | null | undefined): Actor {
  const a = requireActor(actor);
  if (!a.isPlatformAdmin) throw new AppError("FORBIDDEN", `${E}.adminOnly`);
  return a;
}

// ───────────────────────────── slug availability ─────────────────────────────

export type SlugAvailability = { slug: string; status: "available" | "taken" | "invalid" };

/** Whether a slug is free among live organizations and PENDING requests (a hint; the database decides). */
export async function isSlugAvailable(slug: string, tx: DbClient = db): Promise<boolean> {
  const [organization, request] = await Promise.all([
    tx.organization.findFirst({ where: { slug, deletedAt: null }, select: { id: true } }),
    tx.organizationRequest.findFirst({ where: { slug, status: "PENDING" }, select: { id: true } }),
  ]);
  return !organization && !request;
}

/** The live check of the request form (signed-in users; rate limited per user). */
export async function checkSlugAvailability({ actor, slug }: { actor: Actor | null | undefined; slug: string }, tx: DbClient = db): Promise<SlugAvailability> {
  const { userId } = requireActor(actor);
  const normalized = String(slug ?? "").trim().toLowerCase();
  if (!isValidSlug(normalized, { minLength: ORGANIZATION_SLUG_MIN, maxLength: ORGANIZATION_SLUG_MAX })) {
    return { slug: normalized, status: "invalid" };
  }
  await enforceLimit("org-slug-check", "user", userId);
  return { slug: normalized, status: (await isSlugAvailable(normalized, tx)) ? "available" : "taken" };
}

// ───────────────────────────── submitting ─────────────────────────────

export type SubmittedRequest = { id: string; slug: string; status: OrganizationRequestStatus };

/** Database rule violations of a request insert, as user-facing errors. */
function requestWriteError(e: unknown): AppError | undefined {
  const index = uniqueViolation(e);
  if (index === "organization_requests_one_pending_per_user" || index === "user_id") return new AppError("CONFLICT", `${E}.pendingExists`);
  if (index === "organization_requests_pending_slug_key" || index === "slug") return new AppError("CONFLICT", "errors.validation", slugTakenField);
  if (checkViolation(e) === "organization_requests_slug_format_check") {
    return new AppError("VALIDATION", "errors.validation", { slug: "organizations.validation.slugFormat" });
  }
  return undefined;
}

/**
 * Submits a request and notifies every platform admin (one `organization.request.submitted` each, in
 * the same transaction). Errors: UNAUTHENTICATED; VALIDATION (field errors); FORBIDDEN notVerified;
 * RATE_LIMITED; CONFLICT pendingExists | slug taken (field error on `slug`).
 */
export async function submitOrganizationRequest(
  options: { actor: Actor | null | undefined } & OrganizationRequestInput,
  tx?: DbClient,
): Promise<SubmittedRequest> {
  const { userId } = requireActor(options.actor);
  const parsed = organizationRequestSchema.safeParse(options);
  if (!parsed.success) throw new AppError("VALIDATION", "errors.validation", fieldErrorsOf(parsed.error));
  const input = parsed.data;

  const client = tx ?? db;
  const user = await client.user.findFirst({
    where: { id: userId, deletedAt: null },
    select: { id: true, firstName: true, lastName: true, ...VERIFICATION_SELECT },
  });
  if (!user) throw new AppError("UNAUTHENTICATED", "errors.unauthenticated");
  if (!isVerifiedRequester(user)) throw new AppError("FORBIDDEN", `${E}.notVerified`);

  // Counted on its own (not rolled back with a failed insert): every attempt counts.
  await enforceLimit("org-request", "user", userId);

  try {
    return await withTransaction(tx, async (t) => {
      // Friendly early answers; the unique indexes below stay the final word.
      if (await t.organizationRequest.findFirst({ where: { userId, status: "PENDING" }, select: { id: true } })) {
        throw new AppError("CONFLICT", `${E}.pendingExists`);
      }
      if (!(await isSlugAvailable(input.slug, t))) throw new AppError("CONFLICT", "errors.validation", slugTakenField);

      const request = await t.organizationRequest.create({
        data: { userId, name: input.name, slug: input.slug, description: input.description },
        select: { id: true, slug: true, status: true, name: true },
      });
      await writeAudit(t, {
        actorId: userId,
        entityType: "organization_request",
        entityId: request.id,
        action: "organization_request.submitted",
        changes: { name: { from: null, to: input.name }, slug: { from: null, to: input.slug } },
      });

      const admins = await t.user.findMany({
        where: { isPlatformAdmin: true, deletedAt: null, id: { not: userId } },
        select: { id: true, firstName: true },
        orderBy: { createdAt: "asc" },
      });
      for (const admin of admins) {
        await notify(t, {
          userId: admin.id,
          templateCode: "organization.request.submitted",
          variables: {
            firstName: admin.firstName,
            requesterName: displayName(user),
            organizationName: request.name,
            organizationSlug: request.slug,
            reviewUrl: appUrl(ADMIN_REQUESTS_PATH),
          },
          dedupeKey: `organization.request.submitted:${request.id}:${admin.id}`,
        });
      }
      return { id: request.id, slug: request.slug, status: request.status };
    });
  } catch (e) {
    throw requestWriteError(e) ?? e;
  }
}

// ───────────────────────────── the requester's view ─────────────────────────────

export type MyOrganizationRequest = {
  id: string;
  name: string;
  slug: string;
  description: string | null;
  status: OrganizationRequestStatus;
  reviewComment: string | null;
  createdAt: Date;
  reviewedAt: Date | null;
  /** Set for an approved request whose organization still exists. */
  organizationSlug: string | null;
};

export type RequesterState = {
  verified: boolean;
  pending: MyOrganizationRequest | null;
  requests: MyOrganizationRequest[];
};

/** The request page: may the actor submit, and their requests (newest first). */
export async function getRequesterState({ actor }: { actor: Actor | null | undefined }, tx: DbClient = db): Promise<RequesterState> {
  const { userId } = requireActor(actor);
  const [user, rows] = await Promise.all([
    tx.user.findFirst({ where: { id: userId, deletedAt: null }, select: VERIFICATION_SELECT }),
    tx.organizationRequest.findMany({
      where: { userId },
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      take: 50,
      select: { id: true, name: true, slug: true, description: true, status: true, reviewComment: true, createdAt: true, reviewedAt: true, organizationId: true },
    }),
  ]);
  if (!user) throw new AppError("UNAUTHENTICATED", "errors.unauthenticated");
  const orgIds = rows.map((r) => r.organizationId).filter((id): id is string => !!id);
  // Only organizations the requester still belongs to are linked.
  const live = orgIds.length
    ? await tx.organization.findMany({ where: { id: { in: orgIds }, deletedAt: null, members: { some: { userId } } }, select: { id: true, slug: true } })
    : [];
  const slugById = new Map(live.map((o) => [o.id, o.slug]));
  const requests = rows.map(({ organizationId, ...r }) => ({ ...r, organizationSlug: organizationId ? (slugById.get(organizationId) ?? null) : null }));
  return { verified: isVerifiedRequester(user), pending: requests.find((r) => r.status === "PENDING") ?? null, requests };
}

// ───────────────────────────── the admin review queue ─────────────────────────────

export type ReviewQueueItem = {
  id: string;
  name: string;
  slug: string;
  description: string | null;
  status: OrganizationRequestStatus;
  reviewComment: string | null;
  createdAt: Date;
  reviewedAt: Date | null;
  requester: { id: string; name: string; email: string | null; telegramUsername: string | null };
  reviewer: { id: string; name: string } | null;
  organizationSlug: string | null;
};

export type ReviewQueue = { pending: ReviewQueueItem[]; reviewed: ReviewQueueItem[] };

const QUEUE_SELECT = {
  id: true,
  name: true,
  slug: true,
  description: true,
  status: true,
  reviewComment: true,
  createdAt: true,
  reviewedAt: true,
  organizationId: true,
  user: { select: { id: true, firstName: true, lastName: true, email: true, telegramUsername: true } },
  reviewedBy: { select: { id: true, firstName: true, lastName: true } },
} as const;

/** Pending requests first (oldest first: fair order), then the latest reviewed ones. Admins only. */
export async function listRequestsForReview(
  { actor, reviewedLimit = 30 }: { actor: Actor | null | undefined; reviewedLimit?: number },
  tx: DbClient = db,
): Promise<ReviewQueue> {
  requirePlatformAdmin(actor);
  const [pending, reviewed] = await Promise.all([
    tx.organizationRequest.findMany({ where: { status: "PENDING" }, orderBy: [{ createdAt: "asc" }, { id: "asc" }], take: 200, select: QUEUE_SELECT }),
    tx.organizationRequest.findMany({
      where: { status: { not: "PENDING" } },
      orderBy: [{ reviewedAt: "desc" }, { id: "desc" }],
      take: Math.min(Math.max(reviewedLimit, 1), 100),
      select: QUEUE_SELECT,
    }),
  ]);
  const orgIds = reviewed.map((r) => r.organizationId).filter((id): id is string => !!id);
  const live = orgIds.length ? await tx.organization.findMany({ where: { id: { in: orgIds }, deletedAt: null }, select: { id: true, slug: true } }) : [];
  const slugById = new Map(live.map((o) => [o.id, o.slug]));
  const item = (r: (typeof pending)[number]): ReviewQueueItem => ({
    id: r.id,
    name: r.name,
    slug: r.slug,
    description: r.description,
    status: r.status,
    reviewComment: r.reviewComment,
    createdAt: r.createdAt,
    reviewedAt: r.reviewedAt,
    requester: { id: r.user.id, name: displayName(r.user), email: r.user.email, telegramUsername: r.user.telegramUsername },
    reviewer: r.reviewedBy ? { id: r.reviewedBy.id, name: displayName(r.reviewedBy) } : null,
    organizationSlug: r.organizationId ? (slugById.get(r.organizationId) ?? null) : null,
  });
  return { pending: pending.map(item), reviewed: reviewed.map(item) };
}

/** How many requests wait for review (the admin's navigation badge). Admins only. */
export async function countPendingRequests({ actor }: { actor: Actor | null | undefined }, tx: DbClient = db): Promise<number> {
  requirePlatformAdmin(actor);
  return tx.organizationRequest.count({ where: { status: "PENDING" } });
}

// ───────────────────────────── deciding ─────────────────────────────

const alreadyReviewed = () => new AppError("CONFLICT", `${E}.alreadyReviewed`);

/** The request id was not PENDING for the compare-and-set: unknown → NOT_FOUND, decided → CONFLICT. */
async function lostCompareAndSet(tx: DbClient, requestId: string): Promise<never> {
  const exists = await tx.organizationRequest.findUnique({ where: { id: requestId }, select: { id: true } });
  throw exists ? alreadyReviewed() : new AppError("NOT_FOUND", "errors.notFound");
}

export type ApprovedRequest = { requestId: string; organizationId: string; slug: string; name: string };

/**
 * Approves a PENDING request. One transaction: compare-and-set PENDING → APPROVED (the row lock makes
 * parallel approvals wait, and they then find it no longer PENDING → CONFLICT alreadyReviewed), the
 * organization (owner_id = requester) with its OWNER membership, the request's organization_id, audit
 * rows, and the requester's `organization.request.approved` notification. A slug taken meanwhile by
 * another organization → CONFLICT slugTakenOnApprove and nothing changes (the request stays PENDING).
 */
export async function approveOrganizationRequest(
  { actor, requestId, now = new Date() }: { actor: Actor | null | undefined; requestId: string; now?: Date },
  tx?: DbClient,
): Promise<ApprovedRequest> {
  const admin = requirePlatformAdmin(actor);
  if (!isUuid(String(requestId ?? ""))) throw new AppError("NOT_FOUND", "errors.notFound");
  try {
    return await withTransaction(tx, async (t) => {
      const { count } = await t.organizationRequest.updateMany({
        where: { id: requestId, status: "PENDING" },
        data: { status: "APPROVED", reviewedById: admin.userId, reviewedAt: now, reviewComment: null },
      });
      if (count === 0) return lostCompareAndSet(t, requestId);

      const request = await t.organizationRequest.findUniqueOrThrow({
        where: { id: requestId },
        select: { id: true, name: true, slug: true, description: true, user: { select: { id: true, firstName: true, deletedAt: true } } },
      });
      if (request.user.deletedAt) throw new AppError("CONFLICT", `${E}.requesterGone`);

      const organization = await t.organization.create({
        data: {
          name: request.name,
          slug: request.slug,
          description: request.description,
          ownerId: request.user.id,
          members: { create: { userId: request.user.id, role: "OWNER", joinedAt: now } },
        },
        select: { id: true, slug: true, name: true },
      });
      await t.organizationRequest.update({ where: { id: request.id }, data: { organizationId: organization.id } });

      await writeAudits(t, [
        {
          organizationId: organization.id,
          actorId: admin.userId,
          entityType: "organization_request",
          entityId: request.id,
          action: "organization_request.approved",
          changes: { status: { from: "PENDING", to: "APPROVED" }, organizationId: { from: null, to: organization.id } },
        },
        {
          organizationId: organization.id,
          actorId: admin.userId,
          entityType: "organization",
          entityId: organization.id,
          action: "organization.created",
          changes: { name: { from: null, to: organization.name }, slug: { from: null, to: organization.slug }, ownerId: { from: null, to: request.user.id } },
        },
      ]);

      await notify(t, {
        userId: request.user.id,
        templateCode: "organization.request.approved",
        variables: {
          firstName: request.user.firstName,
          organizationName: organization.name,
          organizationUrl: appUrl(organizationDashboardPath(organization.slug)),
        },
        dedupeKey: `organization.request.approved:${request.id}`,
      });

      // Last: the deferred "exactly one OWNER = owner_id" check runs here, not at COMMIT.
      await checkDeferredConstraints(t);
      return { requestId: request.id, organizationId: organization.id, slug: organization.slug, name: organization.name };
    });
  } catch (e) {
    const index = uniqueViolation(e);
    if (index === "organizations_slug_active_key" || index === "slug") throw new AppError("CONFLICT", `${E}.slugTakenOnApprove`);
    throw e;
  }
}

/**
 * Rejects a PENDING request with a comment of 10–1000 characters (compare-and-set, like approval),
 * writes an audit row and notifies the requester (`organization.request.rejected`).
 */
export async function rejectOrganizationRequest(
  options: { actor: Actor | null | undefined; requestId: string; comment: string; now?: Date },
  tx?: DbClient,
): Promise<{ requestId: string }> {
  const admin = requirePlatformAdmin(options.actor);
  if (!isUuid(String(options.requestId ?? ""))) throw new AppError("NOT_FOUND", "errors.notFound");
  const parsed = rejectRequestSchema.safeParse(options);
  if (!parsed.success) throw new AppError("VALIDATION", "errors.validation", fieldErrorsOf(parsed.error));
  const { requestId, comment } = parsed.data;
  const now = options.now ?? new Date();

  return withTransaction(tx, async (t) => {
    const { count } = await t.organizationRequest.updateMany({
      where: { id: requestId, status: "PENDING" },
      data: { status: "REJECTED", reviewedById: admin.userId, reviewedAt: now, reviewComment: comment },
    });
    if (count === 0) return lostCompareAndSet(t, requestId);
    const request = await t.organizationRequest.findUniqueOrThrow({
      where: { id: requestId },
      select: { id: true, name: true, user: { select: { id: true, firstName: true } } },
    });
    await writeAudit(t, {
      actorId: admin.userId,
      entityType: "organization_request",
      entityId: request.id,
      action: "organization_request.rejected",
      changes: { status: { from: "PENDING", to: "REJECTED" }, reviewComment: { from: null, to: comment } },
    });
    await notify(t, {
      userId: request.user.id,
      templateCode: "organization.request.rejected",
      variables: {
        firstName: request.user.firstName,
        organizationName: request.name,
        rejectionReason: comment,
        requestUrl: appUrl(ORGANIZATION_REQUEST_PATH),
      },
      dedupeKey: `organization.request.rejected:${request.id}`,
    });
    return { requestId: request.id };
  });
}
