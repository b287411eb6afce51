// GET /api/events/:eventId/payments.csv?status= — the organizer's CSV of an event's payments and refunds
// (lib/payments/report.ts → exportPaymentsCsv): UTF-8 with a BOM, formula-injection safe, bounded.
// Caller: the session cookie; `payments.view` on the event's organization (another tenant's event is 404).
// Rate limit `payments.csv` per user. Column headers follow the UI language.
import { z } from "zod";
import { eventParams, route } from "@/lib/http/route";
import { exportPaymentsCsv } from "@/lib/payments/report";
import { actorOf } from "@/lib/permissions";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const GET = route(
  { session: "required", limit: "payments.csv", params: eventParams, query: z.object({ status: z.string().max(40).optional() }) },
  async (ctx) => {
    const { csv, filename } = await exportPaymentsCsv({ actor: actorOf(ctx.user), eventId: ctx.params.eventId, status: ctx.query.status, locale: ctx.locale });
    return new Response(csv, {
      status: 200,
      headers: {
        "content-type": "text/csv; charset=utf-8",
        "content-disposition": `attachment; filename="${filename}"`,
        "cache-control": "no-store",
        "x-content-type-options": "nosniff",
      },
    });
  },
);
