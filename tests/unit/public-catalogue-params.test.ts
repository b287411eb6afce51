import { describe, expect, it } from "vitest";
import { catalogueSearch, catalogueWindow, isFiltered, parseCatalogueParams, parseDay, EMPTY_CATALOGUE_PARAMS } from "@/lib/public/catalogue-params";

describe("parseCatalogueParams", () => {
  it("defaults for an empty query", () => {
    expect(parseCatalogueParams({})).toEqual(EMPTY_CATALOGUE_PARAMS);
    expect(isFiltered(parseCatalogueParams({}))).toBe(false);
  });
  it("reads every parameter (objects and URLSearchParams alike)", () => {
    const fromObject = parseCatalogueParams({ q: "  jazz   night ", format: "online", from: "2027-03-01", to: "2027-03-31", page: "3" });
    expect(fromObject).toEqual({ q: "jazz night", format: "online", period: null, from: "2027-03-01", to: "2027-03-31", page: 3 });
    expect(parseCatalogueParams(new URLSearchParams("q=jazz+night&format=online&from=2027-03-01&to=2027-03-31&page=3"))).toEqual(fromObject);
  });
  it("ignores bad values instead of failing", () => {
    const p = parseCatalogueParams({ format: "teleport", when: "someday", from: "2027-02-30", to: "tomorrow", page: "-2" });
    expect(p).toEqual(EMPTY_CATALOGUE_PARAMS);
    expect(parseCatalogueParams({ page: "1.5" }).page).toBe(1);
    expect(parseCatalogueParams({ page: "99999999" }).page).toBe(1);
    expect(parseCatalogueParams({ q: ["first", "second"] }).q).toBe("first");
    expect(parseCatalogueParams({ q: "x".repeat(500) }).q).toHaveLength(100);
  });
  it("a period wins over a range; a reversed range is swapped", () => {
    expect(parseCatalogueParams({ when: "week", from: "2027-03-01" })).toMatchObject({ period: "week", from: null, to: null });
    expect(parseCatalogueParams({ from: "2027-03-31", to: "2027-03-01" })).toMatchObject({ from: "2027-03-01", to: "2027-03-31" });
  });
});

describe("parseDay", () => {
  it("accepts real dates only", () => {
    expect(parseDay("2028-02-29")).toBe("2028-02-29");
    expect(parseDay("2027-02-29")).toBeNull();
    expect(parseDay("2027-13-01")).toBeNull();
    expect(parseDay("27-01-01")).toBeNull();
    expect(parseDay(undefined)).toBeNull();
  });
});

describe("catalogueSearch", () => {
  it("round-trips and leaves defaults out", () => {
    const p = parseCatalogueParams({ q: "a&b", format: "offline", when: "month" });
    const search = catalogueSearch(p, { page: 2 });
    expect(search).toBe("?q=a%26b&format=offline&when=month&page=2");
    expect(parseCatalogueParams(new URLSearchParams(search.slice(1)))).toEqual({ ...p, page: 2 });
    expect(catalogueSearch(EMPTY_CATALOGUE_PARAMS)).toBe("");
  });
});

describe("catalogueWindow (days in Europe/Moscow)", () => {
  // Wednesday 2027-03-17 10:00 UTC = 13:00 in Moscow.
  const now = new Date("2027-03-17T10:00:00Z");
  it("today", () => {
    expect(catalogueWindow({ period: "today", from: null, to: null }, now)).toEqual({ start: new Date("2027-03-16T21:00:00Z"), end: new Date("2027-03-17T21:00:00Z") });
  });
  it("this week runs through Sunday", () => {
    expect(catalogueWindow({ period: "week", from: null, to: null }, now)).toEqual({ start: new Date("2027-03-16T21:00:00Z"), end: new Date("2027-03-21T21:00:00Z") });
  });
  it("this week on a Sunday is that day", () => {
    const sunday = new Date("2027-03-21T10:00:00Z");
    expect(catalogueWindow({ period: "week", from: null, to: null }, sunday)).toEqual({ start: new Date("2027-03-20T21:00:00Z"), end: new Date("2027-03-21T21:00:00Z") });
  });
  it("this month runs through the last day", () => {
    expect(catalogueWindow({ period: "month", from: null, to: null }, now)).toEqual({ start: new Date("2027-03-16T21:00:00Z"), end: new Date("2027-03-31T21:00:00Z") });
  });
  it("a range is inclusive of both days; open ends stay open", () => {
    expect(catalogueWindow({ period: null, from: "2027-04-01", to: "2027-04-02" }, now)).toEqual({ start: new Date("2027-03-31T21:00:00Z"), end: new Date("2027-04-02T21:00:00Z") });
    expect(catalogueWindow({ period: null, from: null, to: null }, now)).toEqual({ start: null, end: null });
  });
  it("near midnight the Moscow day counts, not the UTC day", () => {
    const lateUtc = new Date("2027-03-17T22:30:00Z"); // 01:30 on the 18th in Moscow
    expect(catalogueWindow({ period: "today", from: null, to: null }, lateUtc).start).toEqual(new Date("2027-03-17T21:00:00Z"));
  });
});
