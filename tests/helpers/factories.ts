// Small data factories for integration tests. Each call makes fresh, unique rows through the shared
// `db` client (the test file's own database), so tests never depend on each other's data.
//
//   const { organization, owner } = await createOrganization();
//   const event = await createEvent(organization);
//   const type = await createTicketType(event, { quantity: 10 });
//   const reg = await createRegistration(event, type, { user: await createUser() });
//
// Also here: `expectDbRejects(promise, ...constraintNamesOrCodes)` — asserts that a write fails in
// PostgreSQL itself (not in Prisma validation) and returns what the error carried.
import { randomBytes, randomUUID } from "node:crypto";
import { db } from "@/lib/db";
import { dbErrorInfo, uniqueViolation, type DbErrorInfo } from "@/lib/errors";
import {
  Prisma,
  type CheckIn,
  type Event,
  type Group,
  type Organization,
  type OrganizationMember,
  type OrganizationRole,
  type Registration,
  type RegistrationStatus,
  type TicketType,
  type User,
} from "@/lib/generated/prisma/client";
import { generateCode } from "@/lib/tickets/codes";

// ───────────────────────────── unique values ─────────────────────────────

let sequence = 0;

/** Short unique token (lower-case [0-9a-z]) for emails, slugs and names. */
export function uniqueSuffix(): string {
  sequence += 1;
  return `${sequence.toString(36)}${randomBytes(3).toString("hex")}`;
}

export function uniqueEmail(prefix = "user"): string {
  return `${prefix}-${uniqueSuffix()}@test.aqstream.local`;
}

/** A numeric string like a Telegram user id. */
export function uniqueTelegramId(): string {
  return String(7_000_000_000 + Number.parseInt(randomBytes(4).toString("hex"), 16));
}

export function uniqueSlug(prefix = "t"): string {
  return `${prefix}-${uniqueSuffix()}`;
}

// ───────────────────────────── users ─────────────────────────────

/** The password behind TEST_PASSWORD_HASH, for sign-in tests. */
export const TEST_PASSWORD = "test12345";
/** bcrypt (cost 4, cheap to verify) of TEST_PASSWORD. bcrypt reads the cost from the hash. */
export const TEST_PASSWORD_HASH = "$2b$04$iN.CDpRUbdneIcrtbC07t.JEo1Hs1.53u1crCYZk5sDnRPnslKpzq";

/**
 * A user with a unique email and TEST_PASSWORD. Pass `email: null, telegramId: uniqueTelegramId()`
 * for a Telegram-only user (no password unless one is given).
 */
export async function createUser(overrides: Partial<Prisma.UserUncheckedCreateInput> = {}): Promise<User> {
  const email = overrides.email === undefined ? uniqueEmail() : overrides.email;
  return db.user.create({
    data: {
      firstName: "Тест",
      lastName: "Пользователь",
      passwordHash: email === null ? null : TEST_PASSWORD_HASH,
      ...overrides,
      email,
    },
  });
}

// ───────────────────────────── organizations ─────────────────────────────

/**
 * An organization and its OWNER membership, created in one statement set (nested create), so the
 * deferred "exactly one OWNER whose user is owner_id" trigger is satisfied at commit.
 */
export async function createOrganization(
  options: { owner?: User; slug?: string; name?: string; data?: Partial<Prisma.OrganizationUncheckedCreateInput> } = {},
): Promise<{ organization: Organization; owner: User }> {
  const owner = options.owner ?? (await createUser());
  const slug = options.slug ?? uniqueSlug("org");
  const organization = await db.organization.create({
    data: {
      name: options.name ?? `Организация ${slug}`,
      ...options.data,
      slug,
      ownerId: owner.id,
      members: { create: { userId: owner.id, role: "OWNER" } },
    },
  });
  return { organization, owner };
}

/** A membership (MODERATOR by default; a second OWNER is rejected by the database). */
export function addMember(
  org: Pick<Organization, "id">,
  user: Pick<User, "id">,
  role: OrganizationRole = "MODERATOR",
  invitedBy?: Pick<User, "id">,
): Promise<OrganizationMember> {
  return db.organizationMember.create({
    data: { organizationId: org.id, userId: user.id, role, invitedById: invitedBy?.id ?? null },
  });
}

// ───────────────────────────── groups ─────────────────────────────

/**
 * A group with a valid, unique invite code. `createdBy` defaults to the organization's owner;
 * `members` are added as group members (the creator is not added unless listed).
 */
export async function createGroup(
  org: Pick<Organization, "id" | "ownerId">,
  options: { createdBy?: Pick<User, "id">; name?: string; inviteCode?: string; members?: Pick<User, "id">[] } = {},
): Promise<Group> {
  const createdById = options.createdBy?.id ?? org.ownerId;
  return retryOnCodeCollision("invite_code", options.inviteCode, (inviteCode) =>
    db.group.create({
      data: {
        organizationId: org.id,
        name: options.name ?? `Группа ${uniqueSuffix()}`,
        inviteCode,
        createdById,
        members: options.members?.length
          ? { create: options.members.map((m) => ({ userId: m.id, invitedById: createdById })) }
          : undefined,
      },
    }),
  );
}

// ───────────────────────────── events and tickets ─────────────────────────────

const DAY = 24 * 60 * 60 * 1000;

/**
 * A PUBLISHED event a week ahead (3 hours long) with a unique slug, organized by the owner.
 * Any column can be overridden (status, startsAt, groupId, organizerId, …).
 */
export function createEvent(
  org: Pick<Organization, "id" | "ownerId">,
  overrides: Partial<Prisma.EventUncheckedCreateInput> = {},
): Promise<Event> {
  const startsAt = overrides.startsAt ? new Date(overrides.startsAt) : new Date(Date.now() + 7 * DAY);
  const status = overrides.status ?? "PUBLISHED";
  const slug = overrides.slug ?? uniqueSlug("event");
  return db.event.create({
    data: {
      title: `Событие ${slug}`,
      description: "Описание события.",
      endsAt: new Date(startsAt.getTime() + 3 * 60 * 60 * 1000),
      timezone: "Europe/Moscow",
      locationType: "OFFLINE",
      locationAddress: "Москва, ул. Тестовая, 1",
      publishedAt: status === "PUBLISHED" || status === "COMPLETED" ? new Date() : null,
      ...overrides,
      organizationId: org.id,
      organizerId: overrides.organizerId ?? org.ownerId,
      status,
      startsAt,
      slug,
    },
  });
}

/** A free ticket type for 100 seats (override `quantity: null` for unlimited, `priceCents`, …). */
export function createTicketType(
  event: Pick<Event, "id">,
  overrides: Partial<Prisma.TicketTypeUncheckedCreateInput> = {},
): Promise<TicketType> {
  return db.ticketType.create({
    data: {
      name: "Стандартный",
      priceCents: 0,
      currency: "RUB",
      quantity: 100,
      ...overrides,
      eventId: event.id,
    },
  });
}

/**
 * Connects payment accounts without credentials (manual by default; demo) straight in the table, so a
 * published event may sell paid types (lib/payments/guard.ts). Real providers go through
 * savePaymentAccount (their credentials are encrypted).
 */
export async function connectPayments(
  org: Pick<Organization, "id">,
  providers: readonly ("manual" | "demo")[] = ["manual"],
  manualInstructions: string | null = null,
): Promise<void> {
  for (const provider of providers) {
    await db.paymentAccount.upsert({
      where: { organizationId_provider: { organizationId: org.id, provider } },
      create: { organizationId: org.id, provider, manualInstructions: provider === "manual" ? manualInstructions : null },
      update: {},
    });
  }
}

// ───────────────────────────── registrations ─────────────────────────────

/** Which ticket-type counter a registration in this status occupies. */
export function seatCounter(status: RegistrationStatus): "soldCount" | "reservedCount" | null {
  switch (status) {
    case "CONFIRMED":
    case "CHECKED_IN":
      return "soldCount";
    case "RESERVED":
    case "PENDING":
      return "reservedCount";
    case "CANCELLED":
    case "EXPIRED":
      return null;
  }
}

export type RegistrationOptions = {
  /** The participant; null or omitted = a guest (then `email` defaults to a unique address). */
  user?: Pick<User, "id" | "email" | "firstName" | "lastName"> | null;
  status?: RegistrationStatus;
} & Partial<Omit<Prisma.RegistrationUncheckedCreateInput, "organizationId" | "eventId" | "ticketTypeId" | "userId" | "status">>;

/**
 * A registration with a valid unique confirmation code (CONFIRMED by default). In one transaction
 * with the insert, the ticket type's counter is incremented: sold_count for CONFIRMED/CHECKED_IN,
 * reserved_count for RESERVED/PENDING — so counters always equal the rows, and a registration the
 * database rejects (capacity, one active per user, …) leaves the counters untouched.
 */
export async function createRegistration(
  event: Pick<Event, "id" | "organizationId">,
  ticketType: Pick<TicketType, "id" | "priceCents" | "currency" | "reservationMinutes">,
  options: RegistrationOptions = {},
): Promise<Registration> {
  const { user, status = "CONFIRMED", confirmationCode, ...rest } = options;
  const now = new Date();
  const counter = seatCounter(status);
  return retryOnCodeCollision("confirmation_code", confirmationCode, (code) =>
    db.$transaction(async (tx) => {
      if (counter) {
        await tx.ticketType.update({ where: { id: ticketType.id }, data: { [counter]: { increment: 1 } } });
      }
      return tx.registration.create({
        data: {
          firstName: user?.firstName ?? "Гость",
          lastName: user ? user.lastName : "Тестовый",
          email: user ? user.email : uniqueEmail("guest"),
          priceCents: ticketType.priceCents,
          currency: ticketType.currency,
          expiresAt: status === "RESERVED" ? new Date(now.getTime() + (ticketType.reservationMinutes ?? 30) * 60_000) : null,
          confirmedAt: status === "CONFIRMED" || status === "CHECKED_IN" ? now : null,
          cancelledAt: status === "CANCELLED" ? now : null,
          ...rest,
          organizationId: event.organizationId,
          eventId: event.id,
          ticketTypeId: ticketType.id,
          userId: user?.id ?? null,
          status,
          confirmationCode: code,
        },
      });
    }),
  );
}

/** A check-in row for a registration (does not change the registration's status). */
export function createCheckIn(
  registration: Pick<Registration, "id" | "eventId">,
  overrides: Partial<Prisma.CheckInUncheckedCreateInput> = {},
): Promise<CheckIn> {
  return db.checkIn.create({
    data: { method: "QR_SCAN", ...overrides, registrationId: registration.id, eventId: registration.eventId },
  });
}

/** A fresh idempotency key (payments.idempotency_key is a uuid). */
export const uniqueIdempotencyKey = (): string => randomUUID();

/** Runs `create` with a generated code, retrying (up to 5 times) if that code is already taken. */
async function retryOnCodeCollision<T>(column: string, fixed: string | undefined, create: (code: string) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await create(fixed ?? generateCode());
    } catch (e) {
      if (fixed === undefined && attempt < 5 && uniqueViolation(e)?.includes(column)) continue;
      throw e;
    }
  }
}

// ───────────────────────────── database errors ─────────────────────────────

export { dbErrorInfo, type DbErrorInfo } from "@/lib/errors";

/**
 * Awaits `promise` and asserts it was rejected by PostgreSQL. Each expectation must match:
 * "P2002"-style → the Prisma code; a SQLSTATE of a numeric class ("23514") → the SQLSTATE; anything else
 * → a substring of the database message (a constraint / index name, or trigger message text).
 */
export async function expectDbRejects(promise: Promise<unknown>, ...expected: string[]): Promise<DbErrorInfo> {
  let error: unknown;
  try {
    await promise;
  } catch (e) {
    error = e;
  }
  if (error === undefined) throw new Error(`expected the database to reject the write (${expected.join(", ")}), but it succeeded`);
  const info = dbErrorInfo(error);
  if (!info) {
    throw new Error(`expected a database error (${expected.join(", ")}), got: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`);
  }
  for (const want of expected) {
    const ok = /^P\d{4}$/.test(want)
      ? info.prismaCode === want
      : /^\d{2}[0-9A-Z]{3}$/.test(want)
        ? info.sqlState === want
        : info.message.includes(want);
    if (!ok) {
      throw new Error(
        `database error does not match "${want}": prismaCode=${info.prismaCode ?? "-"} sqlState=${info.sqlState ?? "-"}\n${info.message}`,
      );
    }
  }
  return info;
}
