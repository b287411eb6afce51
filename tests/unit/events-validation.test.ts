// Event and ticket-type schemas: times in the event's zone, location rules, settings and the extra
// registration fields, money in minor units, slugs from titles; and every message key a schema can
// emit exists in the events texts (ru and en).
import { describe, expect, test } from "vitest";
import { en, ru } from "@/lib/events/messages";
import { eventSlugBase, firstFreeSlug, randomSlugSuffix } from "@/lib/events/slug";
import { translatorFor } from "@/lib/i18n/catalogue";
import { messageKeys } from "@/lib/i18n/translate";
import {
  DEFAULT_EVENT_SETTINGS,
  cancelEventSchema,
  eventFieldErrors,
  eventSchema,
  eventSettingsSchema,
  fromMinorUnits,
  listEventsQuerySchema,
  makeTicketTypeSchema,
  readEventSettings,
  toMinorUnits,
  validateRegistrationFields,
  type RegistrationFieldDefinition,
} from "@/lib/validation/events";

const base = { title: "Летняя встреча", startsAt: "2027-06-01T19:00", locationType: "OFFLINE", locationAddress: "Москва, Тверская, 1" };
const errorsOf = (result: { success: boolean; error?: unknown }) =>
  result.success ? {} : eventFieldErrors(result.error as Parameters<typeof eventFieldErrors>[0]);

describe("eventSchema", () => {
  test("minimal input: defaults (Europe/Moscow, CLOSED, settings) and the start converted to UTC", () => {
    const data = eventSchema.parse(base);
    expect(data).toMatchObject({
      title: "Летняя встреча",
      description: null,
      timezone: "Europe/Moscow",
      startsAt: new Date("2027-06-01T16:00:00Z"),
      endsAt: null,
      locationType: "OFFLINE",
      locationAddress: "Москва, Тверская, 1",
      locationUrl: null,
      groupId: null,
      participantsVisibility: "CLOSED",
      settings: DEFAULT_EVENT_SETTINGS,
    });
    expect(data.slug).toBeUndefined();
  });

  test("times are read in the event's own zone", () => {
    const data = eventSchema.parse({ ...base, timezone: "America/New_York", endsAt: "2027-06-01T21:30" });
    expect(data.startsAt.toISOString()).toBe("2027-06-01T23:00:00.000Z");
    expect(data.endsAt?.toISOString()).toBe("2027-06-02T01:30:00.000Z");
  });

  test("title 1–255 (trimmed), description ≤ 10 000", () => {
    expect(errorsOf(eventSchema.safeParse({ ...base, title: "   " }))).toMatchObject({ title: "events.validation.titleRequired" });
    expect(errorsOf(eventSchema.safeParse({ ...base, title: "я".repeat(256) }))).toMatchObject({ title: "events.validation.titleTooLong" });
    expect(eventSchema.safeParse({ ...base, title: "я".repeat(255), description: "d".repeat(10_000) }).success).toBe(true);
    expect(errorsOf(eventSchema.safeParse({ ...base, description: "d".repeat(10_001) }))).toMatchObject({
      description: "events.validation.descriptionTooLong",
    });
  });

  test("start required; end ≥ start; malformed and non-existent local times refused", () => {
    expect(errorsOf(eventSchema.safeParse({ ...base, startsAt: "" }))).toMatchObject({ startsAt: "events.validation.startsAtRequired" });
    expect(errorsOf(eventSchema.safeParse({ ...base, startsAt: "01.06.2027 19:00" }))).toMatchObject({ startsAt: "events.validation.dateTimeInvalid" });
    expect(errorsOf(eventSchema.safeParse({ ...base, endsAt: "2027-06-01T18:59" }))).toMatchObject({ endsAt: "events.validation.endsBeforeStart" });
    expect(eventSchema.safeParse({ ...base, endsAt: "2027-06-01T19:00" }).success).toBe(true); // end = start is allowed
    expect(errorsOf(eventSchema.safeParse({ ...base, timezone: "Europe/Berlin", startsAt: "2027-03-28T02:30" }))).toMatchObject({
      startsAt: "events.validation.timeNonexistent",
    });
    // A repeated hour is the first occurrence.
    expect(eventSchema.parse({ ...base, timezone: "Europe/Berlin", startsAt: "2027-10-31T02:30" }).startsAt.toISOString()).toBe("2027-10-31T00:30:00.000Z");
  });

  test("an unknown zone is a field error; a zone is stored in its canonical spelling", () => {
    expect(errorsOf(eventSchema.safeParse({ ...base, timezone: "Mars/Olympus" }))).toMatchObject({ timezone: "events.validation.timezoneInvalid" });
    expect(errorsOf(eventSchema.safeParse({ ...base, timezone: "+03:00" }))).toMatchObject({ timezone: "events.validation.timezoneInvalid" });
    expect(eventSchema.parse({ ...base, timezone: "europe/berlin" }).timezone).toBe("Europe/Berlin");
    expect(eventSchema.parse({ ...base, timezone: "" }).timezone).toBe("Europe/Moscow");
  });

  test("location: ONLINE needs an http(s) URL, OFFLINE an address, HYBRID both; the unused one is dropped", () => {
    expect(errorsOf(eventSchema.safeParse({ ...base, locationType: "ONLINE", locationAddress: null }))).toMatchObject({
      locationUrl: "events.validation.urlRequired",
    });
    for (const url of ["ftp://example.com/x", "javascript:alert(1)", "example.com", "https://"]) {
      expect(errorsOf(eventSchema.safeParse({ ...base, locationType: "ONLINE", locationUrl: url })), url).toMatchObject({
        locationUrl: expect.stringMatching(/urlInvalid|urlRequired/),
      });
    }
    const online = eventSchema.parse({ ...base, locationType: "ONLINE", locationUrl: "https://meet.example.com/abc" });
    expect(online).toMatchObject({ locationUrl: "https://meet.example.com/abc", locationAddress: null });
    expect(errorsOf(eventSchema.safeParse({ ...base, locationAddress: "" }))).toMatchObject({ locationAddress: "events.validation.addressRequired" });
    const offline = eventSchema.parse({ ...base, locationUrl: "https://maps.example.com" });
    expect(offline.locationUrl).toBeNull();
    expect(errorsOf(eventSchema.safeParse({ ...base, locationType: "HYBRID" }))).toMatchObject({ locationUrl: "events.validation.urlRequired" });
    expect(eventSchema.parse({ ...base, locationType: "HYBRID", locationUrl: "http://stream.example.com" })).toMatchObject({
      locationAddress: "Москва, Тверская, 1",
      locationUrl: "http://stream.example.com",
    });
    expect(errorsOf(eventSchema.safeParse({ ...base, locationAddress: "a".repeat(501) }))).toMatchObject({ locationAddress: "events.validation.addressTooLong" });
  });

  test("every problem is reported at once (cross-field checks run even when a field failed)", () => {
    const errors = errorsOf(eventSchema.safeParse({ title: "", startsAt: "2027-06-01T19:00", endsAt: "2027-06-01T10:00", locationType: "ONLINE" }));
    expect(Object.keys(errors).sort()).toEqual(["endsAt", "locationUrl", "title"]);
  });

  test("groupId: empty means none; a malformed one is a field error", () => {
    expect(eventSchema.parse({ ...base, groupId: "" }).groupId).toBeNull();
    expect(errorsOf(eventSchema.safeParse({ ...base, groupId: "abc" }))).toMatchObject({ groupId: "events.validation.groupNotFound" });
  });

  test("slug: optional; lower-cased; format and length checked", () => {
    expect(eventSchema.parse({ ...base, slug: "  Summer-2027 " }).slug).toBe("summer-2027");
    expect(eventSchema.parse({ ...base, slug: "" }).slug).toBeUndefined();
    for (const bad of ["-x", "x-", "a b", "летняя", "x_y"]) {
      expect(errorsOf(eventSchema.safeParse({ ...base, slug: bad })), bad).toMatchObject({ slug: "events.validation.slugFormat" });
    }
    expect(errorsOf(eventSchema.safeParse({ ...base, slug: "a".repeat(101) }))).toMatchObject({ slug: "events.validation.slugTooLong" });
    expect(eventSchema.parse({ ...base, slug: "a".repeat(100) }).slug).toHaveLength(100);
  });
});

describe("event settings", () => {
  const field = (over: Record<string, unknown> = {}) => ({ key: "size", label: "Размер", type: "text", ...over });

  test("defaults, form strings, unknown keys dropped", () => {
    expect(eventSettingsSchema.parse({})).toEqual(DEFAULT_EVENT_SETTINGS);
    expect(eventSettingsSchema.parse({ allowGuests: "on", waitlistOfferMinutes: "60", cancelUnpaidPrepayments: true, extra: 1 })).toEqual({
      registrationFields: [],
      allowGuests: true,
      waitlistOfferMinutes: 60,
      cancelUnpaidPrepayments: true,
      refundPolicy: { untilHoursBeforeStart: 0, percent: 100 },
    });
  });

  test("waitlistOfferMinutes ≥ 15 (and ≤ 7 days)", () => {
    expect(errorsOf(eventSettingsSchema.safeParse({ waitlistOfferMinutes: 14 }))).toEqual({ waitlistOfferMinutes: "events.validation.waitlistOfferMinutesTooShort" });
    expect(eventSettingsSchema.parse({ waitlistOfferMinutes: 15 }).waitlistOfferMinutes).toBe(15);
    expect(errorsOf(eventSettingsSchema.safeParse({ waitlistOfferMinutes: 10_081 }))).toEqual({ waitlistOfferMinutes: "events.validation.waitlistOfferMinutesTooLong" });
    expect(errorsOf(eventSettingsSchema.safeParse({ waitlistOfferMinutes: "1.5" }))).toEqual({ waitlistOfferMinutes: "events.validation.waitlistOfferMinutesInvalid" });
  });

  test("registration fields: text, select with options, checkbox; key, label, required; ≤ 20; unique keys", () => {
    const parsed = eventSettingsSchema.parse({
      registrationFields: [field(), field({ key: "track", type: "select", options: ["Frontend", "Backend"], required: true }), field({ key: "agree", type: "checkbox" })],
    });
    expect(parsed.registrationFields).toEqual([
      { key: "size", label: "Размер", type: "text", required: false },
      { key: "track", label: "Размер", type: "select", options: ["Frontend", "Backend"], required: true },
      { key: "agree", label: "Размер", type: "checkbox", required: false },
    ]);
    const errors = (fields: unknown[]) => errorsOf(eventSettingsSchema.safeParse({ registrationFields: fields }));
    expect(errors([field({ type: "select" })])).toEqual({ "registrationFields.0.options": "events.validation.fieldOptionsRequired" });
    expect(errors([field({ type: "select", options: ["a", "a"] })])).toEqual({ "registrationFields.0.options": "events.validation.fieldOptionsDuplicate" });
    expect(errors([field({ type: "radio" })])).toEqual({ "registrationFields.0.type": "events.validation.fieldTypeInvalid" });
    expect(errors([field({ key: "Size!" })])).toEqual({ "registrationFields.0.key": "events.validation.fieldKeyInvalid" });
    expect(errors([field({ label: " " })])).toEqual({ "registrationFields.0.label": "events.validation.fieldLabelRequired" });
    expect(errors([field(), field()])).toEqual({ "registrationFields.1.key": "events.validation.fieldKeyDuplicate" });
    const many = Array.from({ length: 21 }, (_, i) => field({ key: `f${i}` }));
    expect(errors(many)).toEqual({ registrationFields: "events.validation.fieldsTooMany" });
    expect(errors(many.slice(0, 20))).toEqual({});
  });

  test("readEventSettings falls back field by field for a stored value that no longer validates", () => {
    expect(readEventSettings(null)).toEqual(DEFAULT_EVENT_SETTINGS);
    expect(readEventSettings({ allowGuests: true, waitlistOfferMinutes: 3, registrationFields: "x" })).toEqual({ ...DEFAULT_EVENT_SETTINGS, allowGuests: true });
  });
});

describe("validateRegistrationFields", () => {
  const definitions: RegistrationFieldDefinition[] = [
    { key: "company", label: "Компания", type: "text", required: true },
    { key: "track", label: "Трек", type: "select", options: ["Frontend", "Backend"], required: false },
    { key: "agree", label: "Согласен с правилами", type: "checkbox", required: true },
    { key: "newsletter", label: "Рассылка", type: "checkbox", required: false },
  ];

  test("clean values: trimmed text, an option, booleans; unknown keys dropped", () => {
    expect(validateRegistrationFields(definitions, { company: "  ACME ", track: "Backend", agree: "on", junk: "x" })).toEqual({
      ok: true,
      values: { company: "ACME", track: "Backend", agree: true, newsletter: false },
    });
  });

  test("field errors keyed customFields.<key>", () => {
    const result = validateRegistrationFields(definitions, { company: " ", track: "Design", agree: false, newsletter: { x: 1 } });
    expect(result).toMatchObject({
      ok: false,
      fieldErrors: {
        "customFields.company": "events.validation.answerRequired",
        "customFields.track": "events.validation.answerNotAnOption",
        "customFields.agree": "events.validation.answerMustBeChecked",
        "customFields.newsletter": "events.validation.answerInvalid",
      },
    });
    expect(validateRegistrationFields(definitions, { company: "x".repeat(1001), agree: true })).toMatchObject({
      ok: false,
      fieldErrors: { "customFields.company": "events.validation.answerTooLong" },
    });
  });

  test("no definitions: nothing is kept; garbage input is treated as no answers", () => {
    expect(validateRegistrationFields([], { a: 1 })).toEqual({ ok: true, values: {} });
    expect(validateRegistrationFields(definitions.slice(1, 2), "garbage")).toEqual({ ok: true, values: {} });
  });
});

describe("money", () => {
  test.each([
    ["0", 0],
    ["1500", 150_000],
    ["1500.5", 150_050],
    ["1500,50", 150_050],
    ["1 500,50", 150_050],
    ["0.01", 1],
    [19.99, 1999],
    [0.1 + 0.2, 30],
    [1500, 150_000],
  ])("%s → %i minor units", (input, cents) => {
    expect(toMinorUnits(input)).toBe(cents);
  });

  test.each(["-1", "1.234", "abc", "", "1e3", "12,34,5", "NaN"])("%s is refused", (input) => {
    expect(toMinorUnits(input)).toBeNull();
  });

  test("minor units back to the form's value", () => {
    expect(fromMinorUnits(150_050)).toBe("1500.50");
    expect(fromMinorUnits(5)).toBe("0.05");
    expect(fromMinorUnits(0)).toBe("0.00");
    for (const cents of [0, 1, 99, 100, 12_345, 999_999_99]) expect(toMinorUnits(fromMinorUnits(cents))).toBe(cents);
  });
});

describe("ticket type schema", () => {
  const schema = makeTicketTypeSchema("Europe/Moscow");

  test("a paid type: price to minor units, sales window in the event's zone", () => {
    expect(
      schema.parse({ name: " VIP ", price: "1 500,50", currency: "EUR", quantity: "10", reservationMinutes: "30", prepaymentPercent: "30", salesStart: "2027-05-01T10:00", salesEnd: "2027-06-01T10:00" }),
    ).toEqual({
      name: "VIP",
      description: null,
      priceCents: 150_050,
      currency: "EUR",
      quantity: 10,
      reservationMinutes: 30,
      prepaymentPercent: 30,
      salesStart: new Date("2027-05-01T07:00:00Z"),
      salesEnd: new Date("2027-06-01T07:00:00Z"),
      sortOrder: undefined,
      isActive: true,
      isHidden: false,
    });
  });

  test("a free, unlimited type from an empty form", () => {
    expect(schema.parse({ name: "Вход", price: "", quantity: "", reservationMinutes: "", prepaymentPercent: null, salesStart: "", salesEnd: "" })).toMatchObject({
      priceCents: 0,
      currency: "RUB",
      quantity: null,
      reservationMinutes: null,
      prepaymentPercent: null,
      salesStart: null,
      salesEnd: null,
    });
  });

  test("limits", () => {
    const errors = (input: Record<string, unknown>) => errorsOf(schema.safeParse({ name: "T", ...input }));
    expect(errors({ name: "" })).toEqual({ name: "events.validation.ticketNameRequired" });
    expect(errors({ name: "n".repeat(101) })).toEqual({ name: "events.validation.ticketNameTooLong" });
    expect(errors({ description: "d".repeat(1001) })).toEqual({ description: "events.validation.ticketDescriptionTooLong" });
    expect(errors({ price: "-5" })).toEqual({ price: "events.validation.priceInvalid" });
    expect(errors({ price: "10000000.01" })).toEqual({ price: "events.validation.priceTooLarge" });
    expect(errors({ currency: "GBP" })).toEqual({ currency: "events.validation.currencyInvalid" });
    expect(errors({ quantity: 0 })).toEqual({ quantity: "events.validation.quantityTooSmall" });
    expect(errors({ quantity: "2.5" })).toEqual({ quantity: "events.validation.quantityInvalid" });
    expect(errors({ price: "100", reservationMinutes: 4 })).toEqual({ reservationMinutes: "events.validation.reservationMinutesInvalid" });
    expect(errors({ price: "100", reservationMinutes: 1441 })).toEqual({ reservationMinutes: "events.validation.reservationMinutesInvalid" });
    expect(errors({ price: "100", prepaymentPercent: 100 })).toEqual({ prepaymentPercent: "events.validation.prepaymentPercentInvalid" });
    expect(errors({ price: "100", prepaymentPercent: 0 })).toEqual({ prepaymentPercent: "events.validation.prepaymentPercentInvalid" });
    expect(errors({ price: "0", prepaymentPercent: 50 })).toEqual({ prepaymentPercent: "events.validation.prepaymentOnlyPaid" });
    expect(errors({ reservationMinutes: 30 })).toEqual({ reservationMinutes: "events.validation.reservationOnlyPaid" });
    expect(errors({ salesStart: "2027-05-02T10:00", salesEnd: "2027-05-02T10:00" })).toEqual({ salesEnd: "events.validation.salesEndBeforeStart" });
    expect(errors({ sortOrder: -1 })).toEqual({ sortOrder: "events.validation.sortOrderInvalid" });
  });

  test("the sales window follows the zone the schema was made for", () => {
    const ny = makeTicketTypeSchema("America/New_York").parse({ name: "T", salesStart: "2027-01-10T09:00" });
    expect(ny.salesStart?.toISOString()).toBe("2027-01-10T14:00:00.000Z");
  });
});

describe("other schemas", () => {
  test("cancel reason 1–1000", () => {
    expect(errorsOf(cancelEventSchema.safeParse({ reason: "  " }))).toEqual({ reason: "events.validation.cancelReasonRequired" });
    expect(errorsOf(cancelEventSchema.safeParse({ reason: "r".repeat(1001) }))).toEqual({ reason: "events.validation.cancelReasonTooLong" });
    expect(cancelEventSchema.parse({ reason: " Площадка закрыта " })).toEqual({ reason: "Площадка закрыта" });
  });

  test("list query defaults", () => {
    expect(listEventsQuerySchema.parse({})).toEqual({ status: undefined, when: "upcoming", page: 1, pageSize: 20 });
    expect(listEventsQuerySchema.parse({ status: "DRAFT", when: "past", page: "3" })).toMatchObject({ status: "DRAFT", when: "past", page: 3 });
    expect(listEventsQuerySchema.safeParse({ page: 0 }).success).toBe(false);
  });
});

describe("slugs from titles", () => {
  test("transliteration", () => {
    expect(eventSlugBase("Летняя встреча")).toBe("letnyaya-vstrecha");
    expect(eventSlugBase("Хакатон «Щука» 2027!")).toBe("hakaton-schuka-2027");
    expect(eventSlugBase("🎉🎉")).toBe("event");
    expect(eventSlugBase("Я")).toBe("ya");
    expect(eventSlugBase("1")).toBe("event-1");
    expect(eventSlugBase("Ф".repeat(300)).length).toBeLessThanOrEqual(100);
  });

  test("the next free number; the base shortened so the whole fits in 100", () => {
    expect(firstFreeSlug("meetup", new Set())).toBe("meetup");
    expect(firstFreeSlug("meetup", new Set(["meetup"]))).toBe("meetup-2");
    expect(firstFreeSlug("meetup", new Set(["meetup", "meetup-2", "meetup-3"]))).toBe("meetup-4");
    const long = "a".repeat(100);
    const next = firstFreeSlug(long, new Set([long]));
    expect(next).toBe(`${"a".repeat(98)}-2`);
    expect(randomSlugSuffix("meetup")).toMatch(/^meetup-[a-z0-9]{6}$/);
  });
});

describe("texts", () => {
  test("en and ru have the same keys", () => {
    expect(messageKeys(en)).toEqual(messageKeys(ru));
  });

  test("every message key the schemas emit exists in the events texts", () => {
    const t = translatorFor("ru");
    const keys = new Set<string>();
    const collect = (result: { success: boolean; error?: { issues: { message: string }[] } }) => {
      for (const issue of result.error?.issues ?? []) keys.add(issue.message);
    };
    const ticket = makeTicketTypeSchema("Europe/Moscow");
    const samples: unknown[] = [
      null,
      {},
      { title: "", startsAt: "x", endsAt: "y", timezone: "Mars/X", locationType: "MOON", participantsVisibility: "X", groupId: "1", slug: "-", settings: 5 },
      { title: "t".repeat(300), description: "d".repeat(10_001), startsAt: "2027-03-28T02:30", timezone: "Europe/Berlin", locationType: "HYBRID", locationUrl: "ftp://x", locationAddress: "a".repeat(501), slug: "a".repeat(101) },
      { ...base, endsAt: "2027-01-01T00:00", locationType: "ONLINE", locationUrl: "u".repeat(501), slug: "a" },
      { ...base, settings: { registrationFields: [{ key: "A", label: "", type: "select", options: [] }, { key: "a", label: "l".repeat(201), type: "x" }], waitlistOfferMinutes: 1, allowGuests: "maybe" } },
      { ...base, settings: { registrationFields: [{ key: "a", label: "A", type: "select", options: ["", "o".repeat(101), "x", "x"] }, { key: "a", label: "B", type: "text" }], waitlistOfferMinutes: 99_999 } },
      { ...base, settings: { registrationFields: Array.from({ length: 21 }, () => ({})), waitlistOfferMinutes: "x" } },
    ];
    for (const sample of samples) collect(eventSchema.safeParse(sample));
    for (const sample of [
      {},
      { name: "", price: "x", currency: "X", quantity: 0, reservationMinutes: 1, prepaymentPercent: 0, salesStart: "x", sortOrder: -1, isActive: "x" },
      { name: "n".repeat(101), description: "d".repeat(1001), price: "99999999999", quantity: 2_000_000, reservationMinutes: 30, prepaymentPercent: 5 },
      { name: "n", quantity: "1.5", salesStart: "2027-03-28T02:30", salesEnd: "2027-03-28T02:30" },
      { name: "n", salesStart: "2027-05-02T10:00", salesEnd: "2027-05-01T10:00" },
    ]) {
      collect(ticket.safeParse(sample));
    }
    collect(cancelEventSchema.safeParse({ reason: "" }));
    collect(cancelEventSchema.safeParse({ reason: "r".repeat(1001) }));
    collect(listEventsQuerySchema.safeParse({ status: "X", when: "later", page: 0, pageSize: 1000 }));
    const answers = validateRegistrationFields(
      [
        { key: "a", label: "A", type: "text", required: true },
        { key: "b", label: "B", type: "select", options: ["x"], required: false },
        { key: "c", label: "C", type: "checkbox", required: true },
        { key: "d", label: "D", type: "checkbox", required: false },
        { key: "e", label: "E", type: "text", required: false },
      ],
      { b: "y", d: [], e: "e".repeat(1001) },
    );
    if (!answers.ok) for (const m of Object.values(answers.fieldErrors)) keys.add(m);

    expect(keys.size).toBeGreaterThan(40);
    for (const key of keys) expect(t.has(key), key).toBe(true);
  });
});
