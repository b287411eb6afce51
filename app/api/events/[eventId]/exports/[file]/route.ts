// GET /api/events/:eventId/exports/:file — an event's analytics exports (lib/analytics → exportEventCsv,
// exportEventXlsx; docs/analytics.md → "Exports"): `registrations.csv`, `payments.csv`, `check-ins.csv`,
// `waitlist.csv` (one dataset) or `event.xlsx` (a sheet per dataset); any other file is 404. Caller:
// the Auth.js session cookie; `analytics.view` on the event's organization (another tenant's event, or
// a participant, is 404). Rate limit `analytics.export` per user, counted with the session. The body is
// STREAMED as the service reads keyset pages; headers in the UI language, times in the event's zone.
import { z } from "zod";
import { exportEventCsv, exportEventXlsx } from "@/lib/analytics";
import { EXPORT_DATASETS, type ExportDataset } from "@/lib/analytics/paths";
import { AppError } from "@/lib/errors";
import { route } from "@/lib/http/route";
import { actorOf } from "@/lib/permissions";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

const FILES = new Map<string, ExportDataset | "xlsx">([...EXPORT_DATASETS.map((d) => [`${d}.csv`, d] as const), ["event.xlsx", "xlsx"]]);

export const GET = route(
  { session: "required", limit: "analytics.export", params: z.object({ eventId: z.string(), file: z.string() }) },
  async (ctx) => {
    const kind = FILES.get(ctx.params.file);
    if (!kind) throw new AppError("NOT_FOUND", "errors.notFound");
    const options = { actor: actorOf(ctx.user), eventId: ctx.params.eventId, locale: ctx.locale };
    const file = kind === "xlsx" ? await exportEventXlsx(options) : await exportEventCsv({ ...options, dataset: kind });
    return new Response(file.stream, {
      status: 200,
      headers: {
        "content-type": file.contentType,
        "content-disposition": `attachment; filename="${file.filename}"`,
        "cache-control": "no-store",
        "x-content-type-options": "nosniff",
      },
    });
  },
);
