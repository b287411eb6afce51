import { describe, expect, it } from "vitest";
import { buildEventJsonLd, isoWithOffset, jsonLdScript } from "@/lib/public/jsonld";

const base = {
  title: "Concert",
  description: "**Live** music",
  url: "https://aq.example/e/org/concert",
  status: "PUBLISHED" as const,
  startsAt: new Date("2027-03-15T16:00:00Z"),
  endsAt: new Date("2027-03-15T19:00:00Z"),
  timezone: "Europe/Moscow",
  locationType: "OFFLINE" as const,
  locationAddress: "Moscow, Tverskaya 1",
  imageUrl: "https://aq.example/media/x/large.webp",
  organization: { name: "Org", url: "https://aq.example/o/org" },
  ticketTypes: [
    { name: "Free", priceCents: 0, currency: "RUB" as const },
    { name: "VIP", priceCents: 150050, currency: "RUB" as const, soldOut: true },
  ],
};

type Ld = Record<string, unknown> & { offers: Record<string, unknown>[]; location: unknown };

describe("isoWithOffset", () => {
  it("writes the zone's offset, DST included", () => {
    expect(isoWithOffset(new Date("2027-03-15T16:00:00Z"), "Europe/Moscow")).toBe("2027-03-15T19:00:00+03:00");
    expect(isoWithOffset(new Date("2027-01-15T16:00:00Z"), "America/New_York")).toBe("2027-01-15T11:00:00-05:00");
    expect(isoWithOffset(new Date("2027-07-15T16:00:00Z"), "America/New_York")).toBe("2027-07-15T12:00:00-04:00");
    expect(isoWithOffset(new Date("2027-07-15T16:00:00Z"), "Asia/Kolkata")).toBe("2027-07-15T21:30:00+05:30");
  });
});

describe("buildEventJsonLd", () => {
  it("describes an offline event with place, offers and organizer", () => {
    const ld = buildEventJsonLd(base) as Ld;
    expect(ld["@context"]).toBe("https://schema.org");
    expect(ld["@type"]).toBe("Event");
    expect(ld.name).toBe("Concert");
    expect(ld.startDate).toBe("2027-03-15T19:00:00+03:00");
    expect(ld.endDate).toBe("2027-03-15T22:00:00+03:00");
    expect(ld.eventStatus).toBe("https://schema.org/EventScheduled");
    expect(ld.eventAttendanceMode).toBe("https://schema.org/OfflineEventAttendanceMode");
    expect(ld.location).toEqual({ "@type": "Place", name: base.locationAddress, address: base.locationAddress });
    expect(ld.image).toEqual([base.imageUrl]);
    expect(ld.organizer).toEqual({ "@type": "Organization", name: "Org", url: "https://aq.example/o/org" });
    expect(ld.offers).toHaveLength(2);
    expect(ld.offers[0]).toMatchObject({ "@type": "Offer", price: "0.00", priceCurrency: "RUB", availability: "https://schema.org/InStock" });
    expect(ld.offers[1]).toMatchObject({ price: "1500.50", availability: "https://schema.org/SoldOut" });
    expect(ld.description).toBe("Live music");
  });
  it("online, hybrid and cancelled events", () => {
    const online = buildEventJsonLd({ ...base, locationType: "ONLINE", locationAddress: null }) as Ld;
    expect(online.eventAttendanceMode).toBe("https://schema.org/OnlineEventAttendanceMode");
    expect(online.location).toEqual({ "@type": "VirtualLocation", url: base.url });
    const hybrid = buildEventJsonLd({ ...base, locationType: "HYBRID" }) as Ld;
    expect(hybrid.eventAttendanceMode).toBe("https://schema.org/MixedEventAttendanceMode");
    expect(hybrid.location).toHaveLength(2);
    const cancelled = buildEventJsonLd({ ...base, status: "CANCELLED", endsAt: null }) as Ld;
    expect(cancelled.eventStatus).toBe("https://schema.org/EventCancelled");
    expect(cancelled.endDate).toBeUndefined();
  });
});

describe("jsonLdScript", () => {
  it("cannot close the script element", () => {
    const text = jsonLdScript({ name: "</script><script>alert(1)</script>" });
    expect(text).not.toContain("</script>");
    expect(JSON.parse(text)).toEqual({ name: "</script><script>alert(1)</script>" });
  });
});
