// The permission matrix of every events service that takes an id (organization, event or ticket
// type): no actor → UNAUTHENTICATED; a member of another organization, or a signed-in stranger →
// NOT_FOUND (another tenant's event does not exist for you) and nothing changes; a malformed id →
// NOT_FOUND; OWNER, MODERATOR and a platform admin (acting as MODERATOR) → allowed.
import { describe, expect, test } from "vitest";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { createEvent, getEventForManage, listEvents, softDeleteEvent, updateEvent } from "@/lib/events/events";
import { cancelEvent, completeEvent, publishEvent, unpublishEvent } from "@/lib/events/lifecycle";
import {
  activateTicketType,
  createTicketType,
  deactivateTicketType,
  deleteTicketType,
  listTicketTypesForManage,
  reorderTicketTypes,
  updateTicketType,
} from "@/lib/events/ticket-types";
import { toLocalDateTimeString } from "@/lib/events/time";
import type { Event, Organization, TicketType } from "@/lib/generated/prisma/client";
import { actorOf, type Actor } from "@/lib/permissions";
import { addMember, createEvent as createEventRow, createOrganization, createTicketType as createTicketTypeRow, createUser } from "@/tests/helpers/factories";

const HOUR = 60 * 60 * 1000;

type World = {
  org: Organization;
  actors: { owner: Actor; moderator: Actor; admin: Actor; outsider: Actor; stranger: Actor };
};

async function world(): Promise<World> {
  const { organization: org, owner } = await createOrganization();
  const moderator = await createUser();
  await addMember(org, moderator, "MODERATOR");
  const admin = await createUser({ isPlatformAdmin: true });
  const { owner: outsider } = await createOrganization(); // owner of another organization
  const stranger = await createUser();
  return {
    org,
    actors: {
      owner: actorOf(owner)!,
      moderator: actorOf(moderator)!,
      admin: actorOf(admin)!,
      outsider: actorOf(outsider)!,
      stranger: actorOf(stranger)!,
    },
  };
}

type Fixture = { event: Event; type: TicketType };

/** A fresh event of the organization (status as the service needs) with one ticket type. */
async function fixture(org: Organization, status: Event["status"] = "PUBLISHED", startsAt?: Date): Promise<Fixture> {
  const event = await createEventRow(org, { status, ...(startsAt ? { startsAt, endsAt: null } : {}) });
  const type = await createTicketTypeRow(event);
  return { event, type };
}

type Case = {
  name: string;
  /** Makes what the call needs; returns the call. `id` replaces the id under test (malformed-id row). */
  prepare: (w: World) => Promise<{ call: (actor: Actor | null, id?: string) => Promise<unknown>; fixture?: Fixture }>;
};

const localIn = (ms: number) => toLocalDateTimeString(new Date(Math.floor((Date.now() + ms) / 60_000) * 60_000), "Europe/Moscow");

const cases: Case[] = [
  {
    name: "createEvent",
    prepare: async (w) => ({
      call: (actor, id) =>
        createEvent({ actor, organizationId: id ?? w.org.id, input: { title: "Проверка прав", startsAt: localIn(48 * HOUR), locationAddress: "Москва" } }),
    }),
  },
  { name: "listEvents", prepare: async (w) => ({ call: (actor, id) => listEvents({ actor, organizationId: id ?? w.org.id, when: "all" }) }) },
  {
    name: "getEventForManage",
    prepare: async (w) => {
      const f = await fixture(w.org);
      return { fixture: f, call: (actor, id) => getEventForManage({ actor, eventId: id ?? f.event.id }) };
    },
  },
  {
    name: "updateEvent",
    prepare: async (w) => {
      const f = await fixture(w.org);
      return { fixture: f, call: (actor, id) => updateEvent({ actor, eventId: id ?? f.event.id, input: { title: "Новое название" } }) };
    },
  },
  {
    name: "softDeleteEvent",
    prepare: async (w) => {
      const f = await fixture(w.org, "DRAFT");
      return { fixture: f, call: (actor, id) => softDeleteEvent({ actor, eventId: id ?? f.event.id }) };
    },
  },
  {
    name: "publishEvent",
    prepare: async (w) => {
      const f = await fixture(w.org, "DRAFT");
      return { fixture: f, call: (actor, id) => publishEvent({ actor, eventId: id ?? f.event.id }) };
    },
  },
  {
    name: "unpublishEvent",
    prepare: async (w) => {
      const f = await fixture(w.org);
      return { fixture: f, call: (actor, id) => unpublishEvent({ actor, eventId: id ?? f.event.id }) };
    },
  },
  {
    name: "cancelEvent",
    prepare: async (w) => {
      const f = await fixture(w.org);
      return { fixture: f, call: (actor, id) => cancelEvent({ actor, eventId: id ?? f.event.id, reason: "Проверка" }) };
    },
  },
  {
    name: "completeEvent",
    prepare: async (w) => {
      const f = await fixture(w.org, "PUBLISHED", new Date(Date.now() - HOUR));
      return { fixture: f, call: (actor, id) => completeEvent({ actor, eventId: id ?? f.event.id }) };
    },
  },
  {
    name: "createTicketType",
    prepare: async (w) => {
      const f = await fixture(w.org);
      return { fixture: f, call: (actor, id) => createTicketType({ actor, eventId: id ?? f.event.id, input: { name: "Новый" } }) };
    },
  },
  {
    name: "updateTicketType",
    prepare: async (w) => {
      const f = await fixture(w.org);
      return { fixture: f, call: (actor, id) => updateTicketType({ actor, ticketTypeId: id ?? f.type.id, input: { name: "Переименован", quantity: 7 } }) };
    },
  },
  {
    name: "deactivateTicketType",
    prepare: async (w) => {
      const f = await fixture(w.org);
      return { fixture: f, call: (actor, id) => deactivateTicketType({ actor, ticketTypeId: id ?? f.type.id }) };
    },
  },
  {
    name: "activateTicketType",
    prepare: async (w) => {
      const f = await fixture(w.org);
      await db.ticketType.update({ where: { id: f.type.id }, data: { isActive: false } });
      f.type = await db.ticketType.findUniqueOrThrow({ where: { id: f.type.id } });
      return { fixture: f, call: (actor, id) => activateTicketType({ actor, ticketTypeId: id ?? f.type.id }) };
    },
  },
  {
    name: "deleteTicketType",
    prepare: async (w) => {
      const f = await fixture(w.org);
      return { fixture: f, call: (actor, id) => deleteTicketType({ actor, ticketTypeId: id ?? f.type.id }) };
    },
  },
  {
    name: "reorderTicketTypes",
    prepare: async (w) => {
      const f = await fixture(w.org);
      const second = await createTicketTypeRow(f.event, { sortOrder: 1 });
      return { fixture: f, call: (actor, id) => reorderTicketTypes({ actor, eventId: id ?? f.event.id, ticketTypeIds: [second.id, f.type.id] }) };
    },
  },
  {
    name: "listTicketTypesForManage",
    prepare: async (w) => {
      const f = await fixture(w.org);
      return { fixture: f, call: (actor, id) => listTicketTypesForManage({ actor, eventId: id ?? f.event.id }) };
    },
  },
];

async function outcome(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return "ok";
  } catch (e) {
    if (e instanceof AppError) return e.code;
    throw e;
  }
}

/** Everything a denied call could have touched. */
async function snapshot(f: Fixture | undefined, org: Organization) {
  const [events, audits, types] = await Promise.all([
    db.event.findMany({ where: { organizationId: org.id }, orderBy: { id: "asc" } }),
    db.auditLog.count({ where: { organizationId: org.id } }),
    f ? db.ticketType.findMany({ where: { eventId: f.event.id }, orderBy: { id: "asc" } }) : Promise.resolve([]),
  ]);
  return { events, audits, types };
}

describe.each(cases)("$name", ({ prepare }) => {
  test("anonymous → UNAUTHENTICATED; other tenant and strangers → NOT_FOUND with nothing changed; malformed id → NOT_FOUND", async () => {
    const w = await world();
    const { call, fixture: f } = await prepare(w);
    const before = await snapshot(f, w.org);
    expect(await outcome(call(null))).toBe("UNAUTHENTICATED");
    expect(await outcome(call(w.actors.outsider))).toBe("NOT_FOUND");
    expect(await outcome(call(w.actors.stranger))).toBe("NOT_FOUND");
    expect(await outcome(call(w.actors.owner, "not-a-uuid"))).toBe("NOT_FOUND");
    expect(await outcome(call(w.actors.owner, "00000000-0000-4000-8000-000000000000"))).toBe("NOT_FOUND");
    expect(await outcome(call(null, "not-a-uuid"))).toBe("UNAUTHENTICATED");
    expect(await snapshot(f, w.org)).toEqual(before);
  });

  test.each(["owner", "moderator", "admin"] as const)("%s → allowed", async (who) => {
    const w = await world();
    const { call } = await prepare(w);
    expect(await outcome(call(w.actors[who]))).toBe("ok");
  });
});

describe("deleted events and other tenants' ids", () => {
  test("a soft-deleted event is NOT_FOUND for its own owner, for every id service", async () => {
    const w = await world();
    for (const c of cases.filter((x) => !["createEvent", "listEvents"].includes(x.name))) {
      const { call, fixture: f } = await c.prepare(w);
      await db.event.update({ where: { id: f!.event.id }, data: { deletedAt: new Date() } });
      expect(await outcome(call(w.actors.owner)), c.name).toBe("NOT_FOUND");
    }
  });

  test("a ticket type id of another organization's event cannot be used through one's own event", async () => {
    const a = await world();
    const b = await world();
    const foreign = await fixture(b.org);
    for (const run of [
      () => updateTicketType({ actor: a.actors.owner, ticketTypeId: foreign.type.id, input: { name: "x" } }),
      () => deleteTicketType({ actor: a.actors.owner, ticketTypeId: foreign.type.id }),
      () => deactivateTicketType({ actor: a.actors.owner, ticketTypeId: foreign.type.id }),
    ]) {
      expect(await outcome(run())).toBe("NOT_FOUND");
    }
    expect(await db.ticketType.findUniqueOrThrow({ where: { id: foreign.type.id } })).toEqual(foreign.type);
  });

  test("listEvents shows only the organization's own events", async () => {
    const a = await world();
    const b = await world();
    const mine = await fixture(a.org);
    await fixture(b.org);
    const list = await listEvents({ actor: a.actors.moderator, organizationId: a.org.id, when: "all" });
    expect(list.items.map((e) => e.id)).toEqual([mine.event.id]);
  });
});
