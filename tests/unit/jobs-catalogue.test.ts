// The job catalogue (lib/jobs/catalogue.ts) is the data the outbox reads; the implementations
// (lib/worker/functions) take their settings from it. Each entry must have exactly one implementation
// with the same settings, and every implementation must be in the catalogue.
import { describe, expect, it } from "vitest";
import { JOBS, catalogueSubscriptions } from "@/lib/jobs/catalogue";
import { appJobs } from "@/lib/worker/functions";

describe("job catalogue", () => {
  it("has exactly one implementation per entry, with the catalogue's settings", () => {
    const implemented = new Map(appJobs.map((j) => [j.id, j]));
    expect(implemented.size).toBe(appJobs.length); // no duplicate ids
    expect([...implemented.keys()].sort()).toEqual(Object.keys(JOBS).sort());
    for (const [id, spec] of Object.entries(JOBS)) {
      const job = implemented.get(id)!;
      expect({ id: job.id, trigger: job.trigger, retries: job.retries, concurrency: job.concurrency }).toEqual({
        id: spec.id,
        trigger: spec.trigger,
        retries: spec.retries,
        concurrency: "concurrency" in spec ? spec.concurrency : undefined,
      });
    }
  });

  it("keys every entry by its own id", () => {
    for (const [key, spec] of Object.entries(JOBS)) expect(spec.id).toBe(key);
  });

  it("lists an event's subscribers from the data alone", () => {
    expect(catalogueSubscriptions.subscribers("notification/requested")).toEqual([{ id: "deliver-notification", retries: 10 }]);
    expect(catalogueSubscriptions.subscribers("no/such-event")).toEqual([]);
  });
});
