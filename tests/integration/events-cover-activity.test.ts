// What the dashboard's event pages add to the events services: the cover image (an upload of the
// same organization, kept on edits that leave it out, audited), the title search of the list, and the
// activity tab (audit rows of the event, its ticket types — deleted ones too — and registrations;
// tenant-scoped, paged, newest first).
import { describe, expect, test } from "vitest";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { listEventActivity, splitChanges } from "@/lib/events/activity";
import { createEvent, getEventForManage, listEvents, updateEvent } from "@/lib/events/events";
import { createTicketType, deleteTicketType, updateTicketType } from "@/lib/events/ticket-types";
import type { Organization, User } from "@/lib/generated/prisma/client";
import { actorOf, type Actor } from "@/lib/permissions";
import { addMember, createOrganization, createRegistration, createUser } from "@/tests/helpers/factories";

const as = (user: Pick<User, "id" | "isPlatformAdmin">): Actor => actorOf(user)!;
const future = (days: number) => {
  const d = new Date(Date.now() + days * 24 * 3600 * 1000);
  return `${d.toISOString().slice(0, 10)}T19:00`;
};

async function media(org: Organization, uploader: User, overrides: { deletedAt?: Date; status?: "UPLOADING" | "READY" | "DELETED" } = {}) {
  return db.media.create({
    data: {
      organizationId: org.id,
      uploadedById: uploader.id,
      filename: "cover.png",
      contentType: "image/png",
      sizeBytes: 100,
      storagePath: `x/${Math.random().toString(36).slice(2)}.png`,
      status: overrides.status ?? "READY",
      width: 1200,
      height: 630,
      deletedAt: overrides.deletedAt ?? null,
    },
  });
}

async function rejects(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

describe("event cover", () => {
  test("create with a cover of the organization; edits without it keep it; it can be replaced and removed", async () => {
    const { organization, owner } = await createOrganization();
    const first = await media(organization, owner);
    const second = await media(organization, owner);
    const actor = as(owner);
    const created = await createEvent({ actor, organizationId: organization.id, input: { title: "С обложкой", startsAt: future(10), locationType: "OFFLINE", locationAddress: "Москва", coverImageId: first.id } });
    expect((await db.event.findUniqueOrThrow({ where: { id: created.id } })).coverImageId).toBe(first.id);

    const manage = await getEventForManage({ actor, eventId: created.id });
    expect(manage.cover?.id).toBe(first.id);
    expect(manage.formValues.coverImageId).toBe(first.id);

    // An edit that leaves the cover out keeps it.
    await updateEvent({ actor, eventId: created.id, input: { title: "Новое название" } });
    expect((await db.event.findUniqueOrThrow({ where: { id: created.id } })).coverImageId).toBe(first.id);

    const replaced = await updateEvent({ actor, eventId: created.id, input: { coverImageId: second.id } });
    expect(replaced.changed).toEqual(["coverImageId"]);
    expect(replaced.notified).toBe(0);
    const audit = await db.auditLog.findFirstOrThrow({ where: { entityId: created.id, action: "event.updated" }, orderBy: { createdAt: "desc" } });
    expect(audit.changes).toEqual({ coverImageId: { from: first.id, to: second.id } });

    await updateEvent({ actor, eventId: created.id, input: { coverImageId: "" } });
    expect((await db.event.findUniqueOrThrow({ where: { id: created.id } })).coverImageId).toBeNull();
    expect((await getEventForManage({ actor, eventId: created.id })).cover).toBeNull();
  });

  test("another organization's, a deleted or a malformed cover is a field error and nothing is written", async () => {
    const { organization, owner } = await createOrganization();
    const { organization: other, owner: otherOwner } = await createOrganization();
    const foreign = await media(other, otherOwner);
    const deleted = await media(organization, owner, { status: "DELETED", deletedAt: new Date() });
    const actor = as(owner);
    for (const coverImageId of [foreign.id, deleted.id, "not-a-uuid"]) {
      const error = await rejects(createEvent({ actor, organizationId: organization.id, input: { title: "X", startsAt: future(5), locationType: "ONLINE", locationUrl: "https://x.example", coverImageId } }));
      expect(error.code).toBe("VALIDATION");
      expect(error.fieldErrors).toMatchObject({ coverImageId: "events.validation.coverNotFound" });
    }
    expect(await db.event.count({ where: { organizationId: organization.id } })).toBe(0);

    const created = await createEvent({ actor, organizationId: organization.id, input: { title: "Y", startsAt: future(5), locationType: "ONLINE", locationUrl: "https://x.example" } });
    const error = await rejects(updateEvent({ actor, eventId: created.id, input: { coverImageId: foreign.id } }));
    expect(error.fieldErrors).toMatchObject({ coverImageId: "events.validation.coverNotFound" });
    expect((await db.event.findUniqueOrThrow({ where: { id: created.id } })).coverImageId).toBeNull();
  });
});

describe("event list search", () => {
  test("filters by a case-insensitive part of the title", async () => {
    const { organization, owner } = await createOrganization();
    const actor = as(owner);
    for (const title of ["Летняя встреча", "Зимний митап", "летний пикник"]) {
      await createEvent({ actor, organizationId: organization.id, input: { title, startsAt: future(3), locationType: "ONLINE", locationUrl: "https://x.example" } });
    }
    const found = await listEvents({ actor, organizationId: organization.id, q: "ЛЕТН" });
    expect(found.items.map((e) => e.title).sort()).toEqual(["Летняя встреча", "летний пикник"]);
    expect(found.total).toBe(2);
    expect((await listEvents({ actor, organizationId: organization.id, q: "  " })).total).toBe(3);
    expect((await rejects(listEvents({ actor, organizationId: organization.id, q: "x".repeat(101) }))).code).toBe("VALIDATION");
  });
});

describe("event activity", () => {
  test("lists the event's, its ticket types' (also deleted) and registrations' rows, newest first, with who and from → to", async () => {
    const { organization, owner } = await createOrganization();
    const moderator = await createUser({ firstName: "Мария", lastName: "Модер" });
    await addMember(organization, moderator);
    const actor = as(owner);
    const event = await createEvent({ actor, organizationId: organization.id, input: { title: "Событие", startsAt: future(10), locationType: "ONLINE", locationUrl: "https://x.example" } });
    const other = await createEvent({ actor, organizationId: organization.id, input: { title: "Другое", startsAt: future(10), locationType: "ONLINE", locationUrl: "https://x.example" } });
    await createTicketType({ actor, eventId: other.id, input: { name: "Чужой" } });
    const kept = await createTicketType({ actor, eventId: event.id, input: { name: "Стандарт", quantity: 10 } });
    const gone = await createTicketType({ actor, eventId: event.id, input: { name: "Удалённый" } });
    await updateTicketType({ actor: as(moderator), ticketTypeId: kept.id, input: { quantity: 20 } });
    await deleteTicketType({ actor, ticketTypeId: gone.id });
    await updateEvent({ actor: as(moderator), eventId: event.id, input: { title: "Событие 2" } });
    const keptRow = await db.ticketType.findUniqueOrThrow({ where: { id: kept.id } });
    const registration = await createRegistration({ id: event.id, organizationId: organization.id }, keptRow, { user: moderator });
    await db.auditLog.create({ data: { organizationId: organization.id, actorId: null, entityType: "registration", entityId: registration.id, action: "registration.cancelled", changes: { status: { from: "CONFIRMED", to: "CANCELLED" } } } });
    // A row of the same entity id under another organization never shows (tenant scope).
    await db.auditLog.create({ data: { organizationId: (await createOrganization()).organization.id, actorId: null, entityType: "event", entityId: event.id, action: "event.updated", changes: { title: { from: "a", to: "b" } } } });

    const page = await listEventActivity({ actor: as(moderator), eventId: event.id });
    const actions = page.items.map((i) => i.action);
    expect(actions).toEqual([
      "registration.cancelled",
      "event.updated",
      "ticket_type.deleted",
      "ticket_type.updated",
      "ticket_type.created",
      "ticket_type.created",
      "event.created",
    ]);
    expect(page.total).toBe(actions.length);
    const titleEdit = page.items.find((i) => i.action === "event.updated")!;
    expect(titleEdit.actor).toEqual({ id: moderator.id, name: "Мария Модер" });
    expect(titleEdit.changes).toEqual([{ field: "title", from: "Событие", to: "Событие 2" }]);
    const quantityEdit = page.items.find((i) => i.action === "ticket_type.updated")!;
    expect(quantityEdit.entityLabel).toBe("Стандарт");
    expect(quantityEdit.changes).toEqual([{ field: "quantity", from: 10, to: 20 }]);
    expect(page.items.find((i) => i.action === "ticket_type.deleted")!.entityLabel).toBe("Удалённый");

    const paged = await listEventActivity({ actor, eventId: event.id, page: 2, pageSize: 2 });
    expect(paged.items.map((i) => i.action)).toEqual(actions.slice(2, 4));
    expect(paged.totalPages).toBe(Math.ceil(actions.length / 2));
    // A page past the end shows the last one.
    expect((await listEventActivity({ actor, eventId: event.id, page: 99, pageSize: 2 })).page).toBe(Math.ceil(actions.length / 2));
  });

  test("another organization's moderator gets not found; a stranger too", async () => {
    const { organization, owner } = await createOrganization();
    const { owner: otherOwner } = await createOrganization();
    const event = await createEvent({ actor: as(owner), organizationId: organization.id, input: { title: "Событие", startsAt: future(10), locationType: "ONLINE", locationUrl: "https://x.example" } });
    expect((await rejects(listEventActivity({ actor: as(otherOwner), eventId: event.id }))).code).toBe("NOT_FOUND");
    expect((await rejects(listEventActivity({ actor: null, eventId: event.id }))).code).toBe("UNAUTHENTICATED");
  });

  test("splitChanges separates from → to pairs from notes", () => {
    expect(splitChanges({ status: { from: "PUBLISHED", to: "COMPLETED" }, by: "schedule" })).toEqual({
      changes: [{ field: "status", from: "PUBLISHED", to: "COMPLETED" }],
      notes: { by: "schedule" },
    });
    expect(splitChanges(null)).toEqual({ changes: [], notes: {} });
  });
});
