// Background functions of the events area (thin: the work is in lib/events/lifecycle.ts).
// Ids use dashes (defineJob allows [a-z0-9-] only): "events-complete-finished" is the brief's
// "events/complete-finished", "events-reminders" its "events/reminders".
import "server-only";
import { completeFinishedEvents, sendEventReminders } from "@/lib/events";
import { revalidatePublicListings } from "@/lib/public";
import { JOBS, defineJob } from "@/lib/jobs";

/** Every 15 minutes: PUBLISHED events whose end (or start + 6 h without an end) has passed → COMPLETED. */
export const completeFinishedEventsJob = defineJob({
  ...JOBS["events-complete-finished"],
  handler: async ({ step }) => {
    const result = await step.run("complete", () => completeFinishedEvents({ now: new Date() }));
    // Completed events leave the catalogue and the sitemap (their own pages show the live state
    // through the availability island and expire by their revalidate interval): docs/public-pages.md.
    if (result.completed > 0) revalidatePublicListings();
    return result;
  },
});

/** Every 15 minutes: `event.reminder` to participants of events starting within 24 h, and `event.reminder_morning` at 08:00 local on an online event's day (once per registration and channel). */
export const eventRemindersJob = defineJob({
  ...JOBS["events-reminders"],
  handler: ({ step }) => step.run("remind", () => sendEventReminders({ now: new Date() })),
});

export const eventJobs = [completeFinishedEventsJob, eventRemindersJob];
