import { describe, expect, it, vi } from "vitest";

const revalidatePath = vi.hoisted(() => vi.fn());
vi.mock("next/cache", () => ({ revalidatePath }));

import { publicEventPaths, publicOrganizationPaths, revalidatePublicEvent } from "@/lib/public/revalidate";
import { publicPathsSignature, verifyPublicPathsSignature } from "@/lib/public/revalidate-signature";

describe("public revalidation paths", () => {
  it("an event: its page in both locales (old slug too), the catalogue pages, the organization, the landing", () => {
    const paths = publicEventPaths({ organizationSlug: "club", slug: "meetup-2", previousSlug: "meetup" });
    expect(paths).toEqual(
      expect.arrayContaining(["/ru/e/club/meetup-2", "/en/e/club/meetup-2", "/ru/e/club/meetup", "/en/e/club/meetup", "/ru/o/club", "/en/o/club", "/ru", "/en", "/[locale]/events/[page]"]),
    );
    expect(publicEventPaths({ organizationSlug: "club", slug: "a", previousSlug: "a" }).filter((p) => p.includes("/e/"))).toHaveLength(2);
  });
  it("an organization", () => {
    expect(publicOrganizationPaths("club")).toEqual(["/ru/o/club", "/en/o/club", "/ru", "/en", "/[locale]/events/[page]"]);
  });
  it("route patterns are revalidated as pages, literal paths as paths", () => {
    revalidatePath.mockClear();
    revalidatePublicEvent({ organizationSlug: "club", slug: "x" });
    expect(revalidatePath).toHaveBeenCalledWith("/[locale]/events/[page]", "page");
    expect(revalidatePath).toHaveBeenCalledWith("/ru/e/club/x");
  });
});

describe("revalidation request signature", () => {
  it("accepts the right body and secret only", () => {
    const body = JSON.stringify({ paths: ["/ru"] });
    const signature = publicPathsSignature(body, "s".repeat(32));
    expect(verifyPublicPathsSignature(body, signature, "s".repeat(32))).toBe(true);
    expect(verifyPublicPathsSignature(`${body} `, signature, "s".repeat(32))).toBe(false);
    expect(verifyPublicPathsSignature(body, signature, "t".repeat(32))).toBe(false);
    expect(verifyPublicPathsSignature(body, null, "s".repeat(32))).toBe(false);
    expect(verifyPublicPathsSignature(body, "zz", "s".repeat(32))).toBe(false);
  });
});
