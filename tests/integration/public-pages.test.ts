// The public side's reads against a real database (lib/public/queries.ts) and the route handlers
// built on them: private events (group set) are invisible to anyone who may not see the group — in the
// catalogue, the event loader, the sitemap, the .ics download and the availability API; deleted
// organizations/events and drafts are invisible to everyone; filters, search and pagination work.
import { describe, expect, test, vi } from "vitest";

// The route handlers read the session through lib/identity/session (Auth.js, which needs the Next
// runtime): the tests decide who is signed in.
const session = vi.hoisted(() => ({ user: null as null | { id: string } }));
vi.mock("@/lib/identity/session", () => ({ getCurrentUser: async () => session.user }));
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { EMPTY_CATALOGUE_PARAMS, parseCatalogueParams } from "@/lib/public/catalogue-params";
import {
  getOnlineUrlForParticipant,
  getPublicAvailability,
  getPublicEvent,
  listCatalogue,
  listMemberEvents,
  listOrganizationPublicEvents,
  listSitemapEntries,
  listUpcomingPublicEvents,
  publicName,
} from "@/lib/public/queries";
import { GET as icsGet } from "@/app/e/[org]/[event]/calendar.ics/route";
import { GET as availabilityGet } from "@/app/api/events/[eventId]/availability/route";
import sitemap from "@/app/sitemap";
import { addMember, createEvent, createGroup, createOrganization, createRegistration, createTicketType, createUser, uniqueSuffix } from "@/tests/helpers/factories";

const DAY = 24 * 60 * 60 * 1000;

async function expectNotFound(promise: Promise<unknown>) {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  expect((error as AppError).code).toBe("NOT_FOUND");
}

/** A world with a unique search word so parallel test files never see each other's rows in assertions. */
async function world() {
  const word = `w${uniqueSuffix()}`;
  const { organization, owner } = await createOrganization({ name: `Org ${word}` });
  const member = await createUser();
  const stranger = await createUser();
  const moderator = await createUser();
  await addMember(organization, moderator, "MODERATOR");
  const group = await createGroup(organization, { members: [member] });
  const publicEvent = await createEvent(organization, { title: `Public ${word}`, participantsVisibility: "OPEN" });
  const privateEvent = await createEvent(organization, { title: `Private ${word}`, groupId: group.id });
  const draft = await createEvent(organization, { title: `Draft ${word}`, status: "DRAFT" });
  const deleted = await createEvent(organization, { title: `Deleted ${word}`, deletedAt: new Date() });
  const past = await createEvent(organization, { title: `Past ${word}`, startsAt: new Date(Date.now() - 3 * DAY), endsAt: new Date(Date.now() - 3 * DAY + 3_600_000) });
  for (const e of [publicEvent, privateEvent, draft, deleted, past]) await createTicketType(e, { quantity: 10 });
  return { word, organization, owner, member, stranger, moderator, group, publicEvent, privateEvent, draft, deleted, past };
}

const titles = (items: { title: string }[]) => items.map((i) => i.title).sort();

describe("catalogue", () => {
  test("lists upcoming PUBLISHED public events only", async () => {
    const w = await world();
    const page = await listCatalogue(parseCatalogueParams({ q: w.word }));
    expect(titles(page.items)).toEqual([`Public ${w.word}`]);
    expect(page.total).toBe(1);
    const upcoming = await listUpcomingPublicEvents({ limit: 500 });
    expect(upcoming.some((e) => e.title === `Private ${w.word}`)).toBe(false);
    expect(titles(await listOrganizationPublicEvents({ organizationSlug: w.organization.slug }))).toEqual([`Public ${w.word}`]);
  });

  test("events of a deleted organization disappear", async () => {
    const w = await world();
    await db.organization.update({ where: { id: w.organization.id }, data: { deletedAt: new Date() } });
    expect((await listCatalogue(parseCatalogueParams({ q: w.word }))).items).toEqual([]);
    await expectNotFound(getPublicEvent({ organizationSlug: w.organization.slug, slug: w.publicEvent.slug }));
    const map = await listSitemapEntries();
    expect(map.organizations.some((o) => o.slug === w.organization.slug)).toBe(false);
    expect(map.events.some((e) => e.slug === w.publicEvent.slug)).toBe(false);
  });

  test("search matches title, description and organization name, case-insensitively, with LIKE characters escaped", async () => {
    const word = `s${uniqueSuffix()}`;
    const { organization } = await createOrganization({ name: `Клуб ${word.toUpperCase()}` });
    await createEvent(organization, { title: "Первое", description: `about ${word} here` });
    await createEvent(organization, { title: `Второе ${word}` });
    expect((await listCatalogue(parseCatalogueParams({ q: word }))).total).toBe(2); // one by org name + description, one by title
    expect((await listCatalogue(parseCatalogueParams({ q: `${word}%` }))).total).toBe(0);
    expect((await listCatalogue(parseCatalogueParams({ q: `Клуб ${word}` }))).total).toBe(2);
  });

  test("format and date filters, pagination", async () => {
    const word = `f${uniqueSuffix()}`;
    const { organization } = await createOrganization();
    const soon = new Date(Date.now() + 2 * 60 * 60 * 1000);
    // The date filter takes days of the catalogue's zone (Moscow, UTC+3 all year): the three events start
    // at noon there on three consecutive days, so the result does not depend on the hour the test runs.
    const moscowDay = (days: number) => new Date(Date.now() + 3 * 60 * 60 * 1000 + days * DAY).toISOString().slice(0, 10);
    const moscowNoon = (days: number) => new Date(`${moscowDay(days)}T12:00:00+03:00`);
    await createEvent(organization, { title: `${word} offline`, locationType: "OFFLINE", startsAt: moscowNoon(40) });
    await createEvent(organization, { title: `${word} online`, locationType: "ONLINE", locationAddress: null, startsAt: moscowNoon(41) });
    await createEvent(organization, { title: `${word} hybrid`, locationType: "HYBRID", startsAt: moscowNoon(42) });
    const online = await listCatalogue(parseCatalogueParams({ q: word, format: "online" }));
    expect(titles(online.items)).toEqual([`${word} hybrid`, `${word} online`]);
    const offline = await listCatalogue(parseCatalogueParams({ q: word, format: "offline" }));
    expect(titles(offline.items)).toEqual([`${word} hybrid`, `${word} offline`]);

    // from and to are inclusive days: one day → that day's event only; two days → both.
    const oneDay = await listCatalogue(parseCatalogueParams({ q: word, from: moscowDay(41), to: moscowDay(41) }));
    expect(titles(oneDay.items)).toEqual([`${word} online`]);
    const twoDays = await listCatalogue(parseCatalogueParams({ q: word, from: moscowDay(41), to: moscowDay(42) }));
    expect(titles(twoDays.items)).toEqual([`${word} hybrid`, `${word} online`]);

    const todayWord = `t${uniqueSuffix()}`;
    await createEvent(organization, { title: `${todayWord} soon`, startsAt: soon });
    await createEvent(organization, { title: `${todayWord} later`, startsAt: new Date(Date.now() + 60 * DAY) });
    const month = await listCatalogue(parseCatalogueParams({ q: todayWord, when: "month" }));
    expect(month.items.some((i) => i.title === `${todayWord} later`)).toBe(false);

    const pageWord = `p${uniqueSuffix()}`;
    for (let i = 0; i < 5; i++) await createEvent(organization, { title: `${pageWord} ${i}`, startsAt: new Date(Date.now() + (10 + i) * DAY) });
    const first = await listCatalogue({ ...EMPTY_CATALOGUE_PARAMS, q: pageWord }, { pageSize: 2 });
    const third = await listCatalogue({ ...EMPTY_CATALOGUE_PARAMS, q: pageWord, page: 3 }, { pageSize: 2 });
    expect(first).toMatchObject({ total: 5, pageCount: 3 });
    expect(first.items.map((i) => i.title)).toEqual([`${pageWord} 0`, `${pageWord} 1`]);
    expect(third.items.map((i) => i.title)).toEqual([`${pageWord} 4`]);
  });

  test("price range of active ticket types", async () => {
    const word = `r${uniqueSuffix()}`;
    const { organization } = await createOrganization();
    const event = await createEvent(organization, { title: word });
    await createTicketType(event, { priceCents: 50000 });
    await createTicketType(event, { priceCents: 150000 });
    await createTicketType(event, { priceCents: 100, isActive: false });
    const [item] = (await listCatalogue(parseCatalogueParams({ q: word }))).items;
    expect(item.price).toEqual({ min: 50000, max: 150000, currency: "RUB" });
  });
});

describe("event page loader", () => {
  test("public event for everyone; private only for group members and staff", async () => {
    const w = await world();
    const ref = { organizationSlug: w.organization.slug, slug: w.privateEvent.slug };
    expect((await getPublicEvent({ organizationSlug: w.organization.slug, slug: w.publicEvent.slug })).title).toBe(`Public ${w.word}`);
    await expectNotFound(getPublicEvent(ref));
    await expectNotFound(getPublicEvent({ ...ref, viewerId: w.stranger.id }));
    expect((await getPublicEvent({ ...ref, viewerId: w.member.id })).isPrivate).toBe(true);
    expect((await getPublicEvent({ ...ref, viewerId: w.owner.id })).title).toBe(`Private ${w.word}`);
    expect((await getPublicEvent({ ...ref, viewerId: w.moderator.id })).title).toBe(`Private ${w.word}`);
  });

  test("drafts and deleted events are 404 even for staff; cancelled and completed pages exist", async () => {
    const w = await world();
    for (const e of [w.draft, w.deleted]) {
      await expectNotFound(getPublicEvent({ organizationSlug: w.organization.slug, slug: e.slug, viewerId: w.owner.id }));
    }
    await db.event.update({ where: { id: w.publicEvent.id }, data: { status: "CANCELLED", cancellationReason: "rain" } });
    expect((await getPublicEvent({ organizationSlug: w.organization.slug, slug: w.publicEvent.slug })).status).toBe("CANCELLED");
    await expectNotFound(getPublicEvent({ organizationSlug: "nope", slug: w.publicEvent.slug }));
  });

  test("the online URL is given to a registered participant only", async () => {
    const { organization } = await createOrganization();
    const event = await createEvent(organization, { locationType: "ONLINE", locationAddress: null, locationUrl: "https://meet.example/abc" });
    const type = await createTicketType(event);
    const participant = await createUser();
    const other = await createUser();
    await createRegistration(event, type, { user: participant });
    expect(await getOnlineUrlForParticipant({ eventId: event.id, viewerId: participant.id })).toBe("https://meet.example/abc");
    expect(await getOnlineUrlForParticipant({ eventId: event.id, viewerId: other.id })).toBeNull();
    expect(await getOnlineUrlForParticipant({ eventId: event.id, viewerId: null })).toBeNull();
  });
});

describe("availability", () => {
  test("live seats and the OPEN participants list (first name + last initial, confirmed and checked in only)", async () => {
    const w = await world();
    const [type] = await db.ticketType.findMany({ where: { eventId: w.publicEvent.id } });
    await createRegistration(w.publicEvent, type, { user: null, firstName: "Анна", lastName: "Петрова" });
    await createRegistration(w.publicEvent, type, { user: null, firstName: "Борис", lastName: null, status: "CHECKED_IN" });
    await createRegistration(w.publicEvent, type, { user: null, firstName: "Вера", lastName: "Смирнова", status: "RESERVED" });
    await createRegistration(w.publicEvent, type, { user: null, firstName: "Глеб", lastName: "Орлов", status: "CANCELLED" });
    const a = await getPublicAvailability({ eventId: w.publicEvent.id });
    expect(a.open).toBe(true);
    expect(a.ticketTypes).toEqual([{ id: type.id, onSale: true, soldOut: false, available: 7, waitlist: false }]);
    expect(a.participants).toEqual([{ ticketTypeId: type.id, names: ["Анна П.", "Борис"], total: 2 }]);
  });

  test("CLOSED list is not sent; private event needs a member; drafts 404", async () => {
    const w = await world();
    await db.event.update({ where: { id: w.publicEvent.id }, data: { participantsVisibility: "CLOSED" } });
    expect((await getPublicAvailability({ eventId: w.publicEvent.id })).participants).toBeNull();
    await expectNotFound(getPublicAvailability({ eventId: w.privateEvent.id }));
    await expectNotFound(getPublicAvailability({ eventId: w.privateEvent.id, viewerId: w.stranger.id }));
    expect((await getPublicAvailability({ eventId: w.privateEvent.id, viewerId: w.member.id })).eventId).toBe(w.privateEvent.id);
    await expectNotFound(getPublicAvailability({ eventId: w.draft.id, viewerId: w.owner.id }));
    await expectNotFound(getPublicAvailability({ eventId: "not-a-uuid" }));
  });

  test("waitlist: offered for a sold-out type on sale while registration is open, not otherwise", async () => {
    const { organization } = await createOrganization();
    const event = await createEvent(organization);
    const full = await createTicketType(event, { quantity: 1, name: "Full" });
    const free = await createTicketType(event, { quantity: 5, name: "Free" });
    const unlimited = await createTicketType(event, { quantity: null, name: "Unlimited" });
    await createRegistration(event, full, { user: null, firstName: "Анна" });
    const byId = async (eventId = event.id) => new Map((await getPublicAvailability({ eventId })).ticketTypes.map((t) => [t.id, t]));
    const open = await byId();
    expect(open.get(full.id)).toMatchObject({ soldOut: true, waitlist: true });
    expect(open.get(free.id)).toMatchObject({ soldOut: false, waitlist: false });
    expect(open.get(unlimited.id)).toMatchObject({ soldOut: false, waitlist: false });

    // Not on sale any more, or the event is cancelled: nothing to wait for.
    await db.ticketType.update({ where: { id: full.id }, data: { salesEnd: new Date(Date.now() - 60_000) } });
    expect((await byId()).get(full.id)).toMatchObject({ onSale: false, waitlist: false });
    await db.ticketType.update({ where: { id: full.id }, data: { salesEnd: null } });
    await db.event.update({ where: { id: event.id }, data: { status: "CANCELLED" } });
    expect((await byId()).get(full.id)).toMatchObject({ waitlist: false });
  });

  test("publicName", () => {
    expect(publicName(" Анна  Мария ", " петрова")).toBe("Анна П.");
    expect(publicName("Bob", null)).toBe("Bob");
  });
});

describe("route handlers", () => {
  test("GET availability: public event cached briefly, private 404 for anonymous", async () => {
    const w = await world();
    const ok = await availabilityGet(new Request("http://app/api"), { params: Promise.resolve({ eventId: w.publicEvent.id }) });
    expect(ok.status).toBe(200);
    expect(ok.headers.get("cache-control")).toContain("s-maxage=5");
    expect(((await ok.json()) as { eventId: string }).eventId).toBe(w.publicEvent.id);
    const hidden = await availabilityGet(new Request("http://app/api"), { params: Promise.resolve({ eventId: w.privateEvent.id }) });
    expect(hidden.status).toBe(404);
    const withCookie = (userId: string) => {
      session.user = { id: userId };
      return new Request("http://app/api", { headers: { cookie: "authjs.session-token=abc" } });
    };
    try {
      const stranger = await availabilityGet(withCookie(w.stranger.id), { params: Promise.resolve({ eventId: w.privateEvent.id }) });
      expect(stranger.status).toBe(404);
      const member = await availabilityGet(withCookie(w.member.id), { params: Promise.resolve({ eventId: w.privateEvent.id }) });
      expect(member.status).toBe(200);
      expect(member.headers.get("cache-control")).toBe("private, no-store");
    } finally {
      session.user = null;
    }
  });

  test("GET calendar.ics: public event downloads; private, draft and deleted are 404", async () => {
    const w = await world();
    const ok = await icsGet(new Request("http://app/x.ics"), { params: Promise.resolve({ org: w.organization.slug, event: w.publicEvent.slug }) });
    expect(ok.status).toBe(200);
    expect(ok.headers.get("content-type")).toContain("text/calendar");
    expect(ok.headers.get("content-disposition")).toContain(`${w.publicEvent.slug}.ics`);
    const body = await ok.text();
    expect(body).toContain("BEGIN:VEVENT");
    expect(body.replace(/\r\n /g, "")).toContain(`SUMMARY:Public ${w.word}`);
    for (const e of [w.privateEvent, w.draft, w.deleted]) {
      const res = await icsGet(new Request("http://app/x.ics"), { params: Promise.resolve({ org: w.organization.slug, event: e.slug }) });
      expect(res.status, e.title).toBe(404);
    }
    const cookie = { headers: { cookie: "authjs.session-token=abc" } };
    try {
      session.user = { id: w.stranger.id };
      expect((await icsGet(new Request("http://app/x.ics", cookie), { params: Promise.resolve({ org: w.organization.slug, event: w.privateEvent.slug }) })).status).toBe(404);
      session.user = { id: w.member.id };
      const member = await icsGet(new Request("http://app/x.ics", cookie), { params: Promise.resolve({ org: w.organization.slug, event: w.privateEvent.slug }) });
      expect(member.status).toBe(200);
      expect(member.headers.get("cache-control")).toBe("private, no-store");
    } finally {
      session.user = null;
    }
  });

  test("sitemap lists public upcoming events and live organizations only", async () => {
    const w = await world();
    const urls = (await sitemap()).map((e) => e.url);
    expect(urls.some((u) => u.endsWith(`/e/${w.organization.slug}/${w.publicEvent.slug}`))).toBe(true);
    expect(urls.some((u) => u.endsWith(`/o/${w.organization.slug}`))).toBe(true);
    for (const e of [w.privateEvent, w.draft, w.deleted, w.past]) expect(urls.some((u) => u.endsWith(`/${e.slug}`)), e.title).toBe(false);
  });
});

describe("a member's private events (My groups, the organization page and the catalogue for members)", () => {
  test("members and staff see the upcoming private events of their groups; strangers and anonymous visitors nothing", async () => {
    const w = await world();
    const title = `Private ${w.word}`;
    for (const viewer of [w.member, w.owner, w.moderator]) {
      const events = await listMemberEvents({ viewerId: viewer.id, params: parseCatalogueParams({ q: w.word }) });
      expect(titles(events)).toEqual([title]);
      expect(events[0].group).toEqual({ id: w.group.id, name: w.group.name });
    }
    expect(await listMemberEvents({ viewerId: w.stranger.id, params: parseCatalogueParams({ q: w.word }) })).toEqual([]);
    expect(await listMemberEvents({ viewerId: null })).toEqual([]);
    // The public listings still never carry it.
    expect(titles((await listCatalogue(parseCatalogueParams({ q: w.word }))).items)).toEqual([`Public ${w.word}`]);
    expect(titles(await listOrganizationPublicEvents({ organizationSlug: w.organization.slug }))).toEqual([`Public ${w.word}`]);
  });

  test("drafts, deleted, past and other groups' private events are not listed; filters narrow by organization, groups and the catalogue's search", async () => {
    const w = await world();
    const otherGroup = await createGroup(w.organization, { members: [] });
    await createEvent(w.organization, { title: `Other group ${w.word}`, groupId: otherGroup.id });
    await createEvent(w.organization, { title: `Private draft ${w.word}`, groupId: w.group.id, status: "DRAFT" });
    await createEvent(w.organization, { title: `Private deleted ${w.word}`, groupId: w.group.id, deletedAt: new Date() });
    await createEvent(w.organization, {
      title: `Private past ${w.word}`,
      groupId: w.group.id,
      startsAt: new Date(Date.now() - 3 * DAY),
      endsAt: new Date(Date.now() - 3 * DAY + 3_600_000),
    });
    const second = await createEvent(w.organization, { title: `Private online ${w.word}`, groupId: w.group.id, locationType: "ONLINE", locationAddress: null, startsAt: new Date(Date.now() + 9 * DAY) });

    const all = await listMemberEvents({ viewerId: w.member.id, organizationSlug: w.organization.slug });
    expect(all.map((e) => e.title)).toEqual([`Private ${w.word}`, second.title]); // soonest first
    expect(titles(await listMemberEvents({ viewerId: w.member.id, params: parseCatalogueParams({ q: w.word, format: "online" }) }))).toEqual([second.title]);
    expect(await listMemberEvents({ viewerId: w.member.id, organizationSlug: "another-org" })).toEqual([]);
    expect(await listMemberEvents({ viewerId: w.member.id, groupIds: [otherGroup.id] })).toEqual([]);
    expect(titles(await listMemberEvents({ viewerId: w.member.id, groupIds: [w.group.id] }))).toEqual([`Private ${w.word}`, second.title].sort());
    // The owner (staff) sees the other group's event too — as on the event page.
    expect(titles(await listMemberEvents({ viewerId: w.owner.id, organizationSlug: w.organization.slug }))).toContain(`Other group ${w.word}`);

    // Another organization's member sees none of them; a deleted organization's events vanish.
    const { organization: elsewhere } = await createOrganization();
    const outsider = await createUser();
    await createGroup(elsewhere, { members: [outsider] });
    expect(await listMemberEvents({ viewerId: outsider.id, organizationSlug: w.organization.slug })).toEqual([]);
    await db.organization.update({ where: { id: w.organization.id }, data: { deletedAt: new Date() } });
    expect(await listMemberEvents({ viewerId: w.member.id })).toEqual([]);
  });
});
